"""The benchmark's httpd side: the document trees, one httpd.conf per
configuration, and starting, probing and stopping Debian's apache2.

Every configuration compared with another differs only in what the
comparison is about (the module loaded or not, HttpProtocolOptions
RegisteredMethods): same trees, same modules, same logs, same virtual hosts.
"""

import os
import signal
import socket
import subprocess
import time

HTTPD = os.environ.get("HTTPD", "/usr/sbin/apache2")
MODULES_DIR = os.environ.get("MODULES_DIR", "/usr/lib/apache2/modules")

# Six directories deep: the tree root is the first, the document sits in
# the sixth.
DEEP_DIRS = ["l2", "l3", "l4", "l5", "l6"]
DEEP_PATH = "/".join(DEEP_DIRS) + "/doc.html"

# Harmless .htaccess lines, alternated down the tree: each file is read and
# parsed on every request, which is the cost a server-scope 501 avoids.
HTACCESS_LINES = ["Options +FollowSymLinks\n", "AddType text/plain .txt\n"]

# The deepest .htaccess of the policy tree.  <IfModule> keeps the file
# valid for stock httpd, so both servers read the very same files.
POLICY_LINES = "<IfModule notimpl_module>\n    NotImplMethods +PATCH\n</IfModule>\n"

URL_PLAIN = "/plain/" + DEEP_PATH
URL_HTACCESS = "/htaccess/" + DEEP_PATH
URL_POLICY = "/policy/" + DEEP_PATH

# Per-virtual-host policies, by host number modulo 3.  The host the
# benchmarks talk to is always the last one, and its number is a multiple
# of 3 for 1, 100 and 1000 hosts, so every scale measures the same policy
# (one that leaves PATCH to the .htaccess of the policy tree).
VHOST_POLICIES = [
    ["NotImplMethods +TRACE"],
    ["NotImplMethods -PURGE", "NotImplFormat problem"],
    ["NotImplImplemented GET HEAD POST OPTIONS",
     'NotImplAlternative PUT "Use POST."', "NotImplCacheControl no-store"],
]


def vhost_name(i):
    return "v%d.bench.test" % i


def target_host(vhosts):
    return vhost_name(vhosts - 1)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_trees(work):
    """www/plain (no .htaccess), www/htaccess (one in each of the six
    directories) and www/policy (the same, the deepest one adding a
    directory-scope policy)."""
    www = os.path.join(work, "www")
    for tree in ("plain", "htaccess", "policy"):
        d = os.path.join(www, tree)
        dirs = [d]
        for name in DEEP_DIRS:
            d = os.path.join(d, name)
            dirs.append(d)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "doc.html"), "w") as f:
            f.write("<!DOCTYPE html>\n<title>doc</title>\n<p>six directories deep</p>\n")
        if tree == "plain":
            continue
        for depth, path in enumerate(dirs):
            text = HTACCESS_LINES[depth % 2]
            if tree == "policy" and depth == len(dirs) - 1:
                text += POLICY_LINES
            with open(os.path.join(path, ".htaccess"), "w") as f:
                f.write(text)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n<title>bench</title>\n")
    # The children of a non -X server do not run as root.
    for dirpath, dirnames, filenames in os.walk(work):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return www


def _builtin_modules():
    out = subprocess.run([HTTPD, "-l"], capture_output=True, text=True).stdout
    return out


class Config:
    """One httpd configuration in its own directory (conf, logs, pid)."""

    def __init__(self, work, name, www, module=None, vhosts=1, mpm="prefork",
                 registered_methods=False, http2=False, probe=None,
                 user=None, second_listener=False, floor=None):
        self.name = name
        self.dir = os.path.join(work, "conf", name)
        self.conf = os.path.join(self.dir, "httpd.conf")
        self.www = www
        self.module = module
        self.vhosts = vhosts
        self.mpm = mpm
        self.registered_methods = registered_methods
        self.http2 = http2
        self.probe = probe
        self.floor = floor
        self.user = user
        self.port = free_port()
        # mpm_prefork with one listener blocks in accept(), which valgrind
        # restarts after a signal, so a SIGTERM can go unnoticed; with two
        # it waits in poll(), which a signal interrupts, and -X then exits.
        self.second_port = free_port() if second_listener else None
        self.host = target_host(vhosts)
        self.access_log = os.path.join(self.dir, "logs", "access.log")
        self.error_log = os.path.join(self.dir, "logs", "error.log")
        self.write()

    def write(self):
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        os.chmod(self.dir, 0o755)
        builtin = _builtin_modules()
        lines = [
            "ServerRoot %s" % self.dir,
            "DefaultRuntimeDir %s/logs" % self.dir,
            "PidFile %s/logs/httpd.pid" % self.dir,
            "ErrorLog %s" % self.error_log,
            "LogLevel warn",
            "Listen 127.0.0.1:%d" % self.port,
            "ServerName 127.0.0.1",
        ]
        if self.second_port:
            lines.append("Listen 127.0.0.1:%d" % self.second_port)
        if self.user:
            lines += ["User %s" % self.user, "Group %s" % self.user]
        mods = ["mpm_" + self.mpm, "authz_core", "mime", "dir", "log_config"]
        if self.http2:
            mods.append("http2")
        for m in mods:
            if "mod_%s.c" % m not in builtin:
                lines.append("LoadModule %s_module %s/mod_%s.so"
                             % (m, MODULES_DIR, m))
        if self.module:
            lines.append("LoadModule notimpl_module %s" % self.module)
        if self.probe:
            lines.append("LoadModule bench_pool_module %s" % self.probe)
        if self.floor:
            lines.append("LoadModule bench_floor_module %s" % self.floor)
        if self.mpm == "event":
            # A fixed pool of two children: the resident-size figures then
            # compare like with like, and no child is replaced mid-run.
            # Sixteen threads each, so that every worker has served
            # requests (and grown its allocator) within the first few
            # thousand requests.
            lines += [
                "StartServers 2", "ServerLimit 2", "ThreadsPerChild 16",
                "MinSpareThreads 8", "MaxSpareThreads 32",
                "MaxRequestWorkers 32", "MaxConnectionsPerChild 0",
            ]
        if self.http2:
            lines.append("Protocols h2c http/1.1")
        if self.registered_methods:
            lines.append("HttpProtocolOptions RegisteredMethods")
        # The virtual host and the status are checked after each run.
        log_format = r'%h %v \"%r\" %>s %b'
        if self.probe:
            log_format += " %{bench-pool-bytes}n"
        lines += [
            # Unlimited, so that a keep-alive benchmark and an HTTP/2
            # connection are never cut short by the server.
            "MaxKeepAliveRequests 0",
            "TypesConfig /dev/null",
            "AddType text/html .html",
            "DirectoryIndex index.html",
            'LogFormat "%s" bench' % log_format,
            "CustomLog %s bench" % self.access_log,
            "DocumentRoot %s" % self.www,
            "<Directory />",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            "<Directory %s>" % self.www,
            "    Require all granted",
            "</Directory>",
            "<Directory %s/htaccess>" % self.www,
            "    AllowOverride All",
            "</Directory>",
            "<Directory %s/policy>" % self.www,
            "    AllowOverride All",
            "</Directory>",
        ]
        for i in range(self.vhosts):
            lines += [
                "<VirtualHost *:%d>" % self.port,
                "    ServerName %s" % vhost_name(i),
                "    DocumentRoot %s" % self.www,
            ]
            if self.module:
                lines += ["    " + d for d in VHOST_POLICIES[i % 3]]
            lines.append("</VirtualHost>")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def command(self, *extra):
        return [HTTPD, "-d", self.dir, "-f", self.conf] + list(extra)

    def configtest(self):
        r = subprocess.run(self.command("-t"), capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s: apache2 -t failed:\n%s"
                               % (self.conf, r.stderr + r.stdout))


def request_bytes(method, path, host, close=True):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host,
             "User-Agent: mod_notimpl-bench", "Accept: */*"]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def one_request(port, method, path, host, timeout=120.0):
    """Sends one request on a fresh connection and returns the status, or
    None when nothing listens on the port yet."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except ConnectionRefusedError:
        return None
    with s:
        s.sendall(request_bytes(method, path, host))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data.startswith(b"HTTP/"):
        raise RuntimeError("not an HTTP response: %r" % data[:100])
    return int(data.split(b" ", 2)[1])


def wait_until_answers(port, method, path, host, proc, deadline=180.0):
    """The first request a new server answers doubles as the readiness
    probe: a refused connection is retried, an accepted one is answered
    exactly once."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("httpd exited with status %s during start-up"
                               % proc.returncode)
        status = one_request(port, method, path, host)
        if status is not None:
            return status
        time.sleep(0.02)
    raise RuntimeError("httpd did not answer on port %d" % port)


# Every server this run started, so that an interrupted run stops them all.
_running = {}


def start(cfg, wrapper=(), extra=("-DFOREGROUND",), log=None):
    out = open(log or os.path.join(cfg.dir, "logs", "stderr.log"), "wb")
    # A session of its own: a Ctrl-C meant for the benchmark reaches the
    # benchmark, which then stops its servers in order.
    proc = subprocess.Popen(list(wrapper) + cfg.command(*extra),
                            stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    out.close()
    _running[proc.pid] = (proc, cfg)
    return proc


def stop(proc, timeout=120.0):
    """SIGTERM to the server's own pid (apache2's parent, or the -X process
    under valgrind, which then writes its profile) and wait for it.  The
    signal is repeated: one that lands while -X is busy with a connection
    only sets a flag, and the next one, in poll(), ends it."""
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(1.0)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    entry = _running.pop(proc.pid, None)
    if entry:
        _reap_children(entry[1])


def _reap_children(cfg):
    """Children left behind by a parent that died abnormally: only
    processes started with this configuration file."""
    for pid in _pids_with_conf(cfg.conf):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _pids_with_conf(conf):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if conf.encode() in args:
            found.append(int(entry))
    return found


def stop_all():
    for pid, (proc, cfg) in list(_running.items()):
        stop(proc, timeout=10.0)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def children(pid):
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may contain spaces: the ppid follows the ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def cpu_seconds(pid):
    """User plus system CPU time of a server: the parent and its
    children, from /proc/PID/stat."""
    total = 0
    for p in [pid] + children(pid):
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])   # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def children_rss_kib(pid):
    kids = children(pid)
    return sum(rss_kib(k) for k in kids), len(kids)
