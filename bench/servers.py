# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The httpd side of the benchmark: the document trees, one httpd.conf per
server (stock and module differ only in the LoadModule and NotImpl lines),
starting and stopping Debian's apache2, a stock/module pair, ab and h2load.
"""

import collections
import contextlib
import functools
import os
import re
import signal
import socket
import subprocess
import time

HTTPD = os.environ.get("HTTPD", "/usr/sbin/apache2")
MODULES_DIR = os.environ.get("MODULES_DIR", "/usr/lib/apache2/modules")

# One document six directories deep (the tree root is the first).
DEEP_PATH = "l2/l3/l4/l5/l6/doc.html"
URL_PLAIN = "/plain/" + DEEP_PATH          # no .htaccess
URL_HTACCESS = "/htaccess/" + DEEP_PATH    # a harmless one in each directory
URL_POLICY = "/policy/" + DEEP_PATH        # the same, +PATCH in the deepest
# The requests measured: case -> (method, URL, keep-alive, status from the
# module; stock answers the PATCH 405).
CASES = {"get-plain": ("GET", URL_PLAIN, True, "200"),
         "get-htaccess": ("GET", URL_HTACCESS, True, "200"),
         "brew": ("BREW", URL_HTACCESS, False, "501"),
         "patch": ("PATCH", URL_POLICY, False, "501")}
HTACCESS_LINES = ["Options +FollowSymLinks\n", "AddType text/plain .txt\n"]
POLICY_LINES = "<IfModule notimpl_module>\n    NotImplMethods +PATCH\n</IfModule>\n"

# The same BREW with each format, negotiated (Accept names it) or fixed
# (a host with NotImplFormat): label -> (host or None for cfg.host, Accept).
FORMATS = ("json", "problem", "html", "text")
MEDIA = {"json": "application/json", "problem": "application/problem+json",
         "html": "text/html", "text": "text/plain"}
FORMAT_HOST = "fmt-%s.bench.test"
BREW_VARIANTS = {}
for _f in FORMATS:
    BREW_VARIANTS["brew-%s-negotiated" % _f] = (None, MEDIA[_f])
    BREW_VARIANTS["brew-%s-fixed" % _f] = (FORMAT_HOST % _f, None)

# .htaccess with N NotImpl lines (alternately +PATCH and -PATCH, so a GET
# is answered 200): /lines/N/doc.html, the file in /lines/N.
HTACCESS_SIZES = (10, 100, 1000, 4000)


def lines_url(n):
    return "/lines/%d/doc.html" % n

# Per-host policies, by host number modulo 3.  Requests go to the last
# host, whose number is a multiple of 3 at 1, 100 and 1000 hosts.
VHOST_POLICIES = [
    ["NotImplMethods +TRACE"],
    ["NotImplMethods -PURGE", "NotImplFormat problem"],
    ["NotImplImplemented GET HEAD POST OPTIONS",
     'NotImplAlternative PUT "Use POST."', "NotImplCacheControl no-store"],
]
# The start-up figures: one policy in the main server, none in the hosts.
SERVER_POLICY = ["NotImplMethods +TRACE"]
LOADED = {"module": "notimpl_module", "floor": "bench_floor_module"}


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def write_trees(work):
    www = os.path.join(work, "www")
    for tree in ("plain", "htaccess", "policy"):
        dirs = [os.path.join(www, tree)]
        for name in DEEP_PATH.split("/")[:-1]:
            dirs.append(os.path.join(dirs[-1], name))
        os.makedirs(dirs[-1], exist_ok=True)
        write(os.path.join(dirs[-1], "doc.html"),
              "<!DOCTYPE html>\n<title>doc</title>\n<p>six directories deep</p>\n")
        for depth, d in enumerate(dirs if tree != "plain" else []):
            write(os.path.join(d, ".htaccess"), HTACCESS_LINES[depth % 2]
                  + (POLICY_LINES if tree == "policy" and d == dirs[-1] else ""))
    for n in HTACCESS_SIZES:
        d = os.path.join(www, "lines", str(n))
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, "doc.html"), "<!DOCTYPE html>\n<title>doc</title>\n")
        write(os.path.join(d, ".htaccess"), "<IfModule notimpl_module>\n%s</IfModule>\n"
              % "".join("    NotImplMethods %sPATCH\n" % "+-"[i % 2] for i in range(n)))
    write(os.path.join(www, "index.html"), "<!DOCTYPE html>\n<title>bench</title>\n")
    for dirpath, _, files in os.walk(work):   # children run as www-data
        os.chmod(dirpath, 0o755)
        for name in files:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return www


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@functools.lru_cache()
def builtin():
    return subprocess.run([HTTPD, "-l"], capture_output=True, text=True).stdout


class Config:
    """One server in its own directory.  kind: stock, module (so: mod_notimpl),
    early (stock with HttpProtocolOptions RegisteredMethods) or floor (so:
    hook_floor.c).  callgrind: mpm_prefork as root for `apache2 -X`, else
    mpm_event as www-data.  vhost_policy: each host has its own NotImpl
    policy, else only the main server has one; host_lines: every host has
    these lines (a loaded module's configuration only), the main server none.
    format_hosts: a host per format of FORMATS, with NotImplFormat."""

    def __init__(self, work, www, name, kind, so=None, vhosts=1, vhost_policy=True,
                 callgrind=False, http2=False, probe=None, host_lines=None,
                 format_hosts=False):
        self.name = name
        self.dir = d = os.path.join(work, "conf", name)
        self.conf = os.path.join(d, "httpd.conf")
        self.access_log = os.path.join(d, "logs", "access.log")
        self.port = free_port()
        self.host = "v%d.bench.test" % (vhosts - 1)
        os.makedirs(os.path.join(d, "logs"), exist_ok=True)
        os.chmod(d, 0o755)
        lines = ["ServerRoot " + d, "DefaultRuntimeDir %s/logs" % d,
                 "PidFile %s/logs/httpd.pid" % d, "ErrorLog %s/logs/error.log" % d,
                 "LogLevel warn", "Listen 127.0.0.1:%d" % self.port, "ServerName 127.0.0.1"]
        if callgrind:
            # -X under valgrind with one listener blocks in accept(), which
            # valgrind restarts after a signal; with two it waits in poll(),
            # which SIGTERM interrupts.
            lines.append("Listen 127.0.0.1:%d" % free_port())
        elif os.geteuid() == 0:
            lines += ["User www-data", "Group www-data"]
        mods = ["mpm_" + ("prefork" if callgrind else "event"), "authz_core", "mime",
                "dir", "log_config"] + ["http2"] * http2
        lines += ["LoadModule %s_module %s/mod_%s.so" % (m, MODULES_DIR, m)
                  for m in mods if "mod_%s.c" % m not in builtin()]
        if kind in LOADED:
            lines.append("LoadModule %s %s" % (LOADED[kind], so))
        if probe:
            lines.append("LoadModule bench_pool_module " + probe)
        if not callgrind:
            # A fixed pool of two children of 16 threads: RSS compares like
            # with like and every worker has served requests early on.
            lines += ["StartServers 2", "ServerLimit 2", "ThreadsPerChild 16",
                      "MinSpareThreads 8", "MaxSpareThreads 32",
                      "MaxRequestWorkers 32", "MaxConnectionsPerChild 0"]
        lines += ["Protocols h2c http/1.1"] * http2
        lines += ["HttpProtocolOptions RegisteredMethods"] * (kind == "early")
        lines += SERVER_POLICY * (kind == "module" and not vhost_policy
                                  and host_lines is None)
        fmt = r'%h %v \"%r\" %>s %b' + (" %{bench-pool-bytes}n" if probe else "")
        lines += ["MaxKeepAliveRequests 0", "TypesConfig /dev/null",
                  "AddType text/html .html", "DirectoryIndex index.html",
                  'LogFormat "%s" bench' % fmt, "CustomLog %s bench" % self.access_log,
                  "DocumentRoot " + www,
                  "<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>",
                  "<Directory %s>\n    Require all granted\n</Directory>" % www]
        lines += ["<Directory %s/%s>\n    AllowOverride All\n</Directory>" % (www, tree)
                  for tree in ("htaccess", "policy", "lines")]
        for i in range(vhosts):
            lines += ["<VirtualHost *:%d>" % self.port,
                      "    ServerName v%d.bench.test" % i, "    DocumentRoot " + www]
            if kind in LOADED and host_lines is not None:
                lines += ["    " + p for p in host_lines]
            elif kind == "module" and vhost_policy:
                lines += ["    " + p for p in VHOST_POLICIES[i % 3]]
            lines.append("</VirtualHost>")
        for f in FORMATS if format_hosts else ():
            lines += ["<VirtualHost *:%d>" % self.port, "    ServerName " + FORMAT_HOST % f,
                      "    DocumentRoot " + www]
            lines += ["    NotImplFormat " + f] * (kind == "module")
            lines.append("</VirtualHost>")
        write(self.conf, "\n".join(lines) + "\n")

    def command(self, *extra):
        return [HTTPD, "-d", self.dir, "-f", self.conf] + list(extra)

    def configtest(self):
        r = subprocess.run(self.command("-t"), capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("%s: apache2 -t failed:\n%s" % (self.conf, r.stderr))

    def log_lines(self):
        with open(self.access_log) as f:
            return f.read().splitlines()


# ------------------------------------------------------------ processes

RUNNING = {}   # pid -> (Popen, Config): stopped by report.py on interruption


def start(cfg, wrapper=(), extra=("-DFOREGROUND",), log=None):
    with open(log or os.path.join(cfg.dir, "logs", "stderr.log"), "wb") as out:
        proc = subprocess.Popen(list(wrapper) + cfg.command(*extra), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    RUNNING[proc.pid] = (proc, cfg)
    return proc


def stop(proc, timeout=120.0):
    """SIGTERM to the server's own pid, repeated: one that lands while -X
    is busy only sets a flag, the next one (in poll()) ends it."""
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(1.0)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    entry = RUNNING.pop(proc.pid, None)
    # Children of a parent that died abnormally: only this config's.
    for pid in _stats() if entry else {}:
        with contextlib.suppress(OSError), open("/proc/%d/cmdline" % pid, "rb") as f:
            if entry[1].conf.encode() in f.read().split(b"\0"):
                os.kill(pid, signal.SIGKILL)


def _stats(pids=None):
    """{pid: the fields of /proc/pid/stat after the command name}."""
    out = {}
    for p in pids or [int(e) for e in os.listdir("/proc") if e.isdigit()]:
        with contextlib.suppress(OSError), open("/proc/%d/stat" % p) as f:
            out[p] = f.read().rsplit(")", 1)[1].split()   # comm may hold spaces
    return out


def children(pid):
    return [p for p, fields in _stats().items() if int(fields[1]) == pid]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


def cpu_seconds(pid):
    """utime + stime of a server and its children."""
    return sum(int(f[11]) + int(f[12]) for f in _stats([pid] + children(pid)).values()) \
        / os.sysconf("SC_CLK_TCK")


def one_request(port, method, path, host):
    """Status of one request on a new connection; None if refused."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
    except ConnectionRefusedError:
        return None
    with s:
        s.sendall(("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mod_notimpl-bench"
                   "\r\nAccept: */*\r\nConnection: close\r\n\r\n"
                   % (method, path, host)).encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    if not data.startswith(b"HTTP/"):
        raise RuntimeError("not an HTTP response: %r" % data[:100])
    return int(data.split(b" ", 2)[1])


def wait_until_answers(cfg, proc, method="GET", path="/", deadline=300.0):
    """The first request doubles as the readiness probe (polled every 20 ms)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("%s: httpd exited with %s during start-up"
                               % (cfg.name, proc.returncode))
        status = one_request(cfg.port, method, path, cfg.host)
        if status is not None:
            return status
        time.sleep(0.02)
    raise RuntimeError("%s: httpd did not answer" % cfg.name)


@contextlib.contextmanager
def running(*cfgs, configtest=True):
    """The servers started and answering (a list of Popen); stopped on leaving."""
    procs = []
    try:
        for cfg in cfgs:
            if configtest:
                cfg.configtest()
            procs.append(start(cfg))
        for cfg, proc in zip(cfgs, procs):
            wait_until_answers(cfg, proc)
        yield procs
    finally:
        for proc in procs:
            stop(proc)


@contextlib.contextmanager
def pair(config, prefix, kinds=("stock", "module")):
    """Stock and module (or kinds; mpm_event, mod_http2) running:
    ({kind: Config}, {kind: Popen})."""
    cfgs = {k: config("%s-%s" % (prefix, k), k, http2=True) for k in kinds}
    with running(*cfgs.values()) as procs:
        yield cfgs, dict(zip(cfgs, procs))


def start_to_answer(cfg):
    """(ms for `apache2 -t`, ms from exec to the first answer, parent RSS in KiB)."""
    t0 = time.monotonic()
    cfg.configtest()
    t1 = time.monotonic()
    with running(cfg, configtest=False) as (proc,):
        return (t1 - t0) * 1000, (time.monotonic() - t1) * 1000, rss_kib(proc.pid)


# ------------------------------------------------------------ load

AB_C, H2_C, H2_M = 8, 4, 16
Load = collections.namedtuple("Load", "rps requests")


def _load(args, cfg, path, requests, parse):
    """parse(stdout): (requests/s, requests done, every status as expected)."""
    args = args + ["http://127.0.0.1:%d%s" % (cfg.port, path)]
    r = subprocess.run(args, capture_output=True, text=True)
    rps, done, ok = parse(r.stdout)
    if r.returncode or not done or not ok or (requests and done != requests):
        raise RuntimeError("%s failed:\n%s%s" % (" ".join(args), r.stdout[-800:],
                                                 r.stderr[-800:]))
    return Load(rps, done)


def ab(cfg, path, method="GET", keepalive=False, seconds=None, requests=None,
       concurrency=AB_C, host=None, accept=None):
    """ab (HTTP/1.0, keep-alive under -k); every response must be 2xx for
    GET, non-2xx otherwise.  host: other than cfg.host; accept: in place of
    ab's Accept: */*."""
    def parse(out):
        def field(name):
            m = re.search(r"^%s:\s+([\d.]+)" % name, out, re.M)
            return float(m.group(1)) if m else 0.0
        done, non2xx = field("Complete requests"), field("Non-2xx responses")
        # Under -t, ab may count one late non-2xx per connection.
        ok = non2xx == 0 if method == "GET" else done <= non2xx <= done + concurrency
        return field("Requests per second"), int(done), ok and not field("Failed requests")
    return _load(["ab", "-q", "-c", str(concurrency), "-s", "300", "-H", "Host: "
                  + (host or cfg.host)] + (["-H", "Accept: " + accept] if accept else [])
                 + (["-t", str(seconds), "-n", "100000000"] if seconds else ["-n", str(requests)])
                 + ["-k"] * keepalive + (["-m", method] if method != "GET" else []),
                 cfg, path, requests, parse)


def h2load(cfg, path, method="GET", seconds=None, requests=None, clients=H2_C,
           streams=H2_M):
    """h2load (HTTP/2 over cleartext, prior knowledge); every stream must end
    2xx for GET, 5xx otherwise."""
    def parse(out):
        rps = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
        codes = re.search(r"status codes: (\d+) 2xx, \d+ 3xx, \d+ 4xx, (\d+) 5xx", out)
        done = re.search(r"requests: \d+ total, \d+ started, (\d+) done", out)
        n = int(done.group(1)) if done else 0
        ok = rps and codes and int(codes.group(1 if method == "GET" else 2)) == n
        return float(rps.group(1)) if rps else 0.0, n, ok
    return _load(["h2load", "-c", str(clients), "-m", str(streams), "-t", "1",
                  "-H", ":authority: " + cfg.host]
                 + (["-H", ":method: " + method] if method != "GET" else [])
                 + (["-D", str(seconds)] if seconds else ["-n", str(requests)]),
                 cfg, path, requests, parse)


load = functools.partial
LOADS = [   # throughput: (figure, load)
    ("ab -k -c %d: GET, no .htaccess" % AB_C, load(ab, path=URL_PLAIN, keepalive=True)),
    ("ab -c %d: BREW, six-deep .htaccess tree (501)" % AB_C,
     load(ab, path=URL_HTACCESS, method="BREW")),
    ("h2load -c %d -m %d: GET, no .htaccess" % (H2_C, H2_M), load(h2load, path=URL_PLAIN)),
    ("h2load -c %d -m %d: BREW, six-deep .htaccess tree (501)" % (H2_C, H2_M),
     load(h2load, path=URL_HTACCESS, method="BREW")),
]
MIX = [   # memory: (share of a block of mixed requests, load), as README.md says
    (0.4, load(ab, path=URL_PLAIN, keepalive=True, concurrency=4)),
    (0.2, load(ab, path=URL_HTACCESS, keepalive=True, concurrency=4)),
    (0.2, load(ab, path=URL_HTACCESS, method="BREW", concurrency=4)),
    (0.1, load(ab, path=URL_POLICY, method="PATCH", concurrency=4)),
    (0.1, load(h2load, path=URL_PLAIN, method="BREW", clients=2, streams=10)),
]
