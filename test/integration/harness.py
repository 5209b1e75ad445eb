# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Real-httpd test harness: writes an httpd.conf per case, runs the httpd
under test (Debian's apache2 unless NOTIMPL_APXS or configure's --with-apxs
names another) in the foreground on a free loopback port, talks to it over raw
sockets (exact bytes on the wire) or curl (HTTP/2), and checks its error log.

The fixtures in conftest.py are thin wrappers around this module.
"""

import configparser
import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
IO_TIMEOUT = 10.0

# Lines at warn or above that any httpd start may write and that say
# nothing about the module.  Kept empty on purpose until one shows up: an
# entry here hides a line from every test.
BENIGN_LOG_LINES = []

# What mpm_event may log while SIGTERM tears a child down under a
# connection still in lingering close (seen with stock httpd under load):
# allowed only in the part of the log written after the stop began.  A
# graceful stop would avoid it but costs a second per server.
#
# httpd 2.4.37's mpm_worker may also take longer than its parent's first
# wait to stop a child (AH00045, the parent then signals it again; stock
# 2.4.37 does it too), and mpm_event before 2.4.49 may close a busy
# worker's socket twice as the child exits (AH00468 with EBADF: 2.4.49's
# close_socket_nonblocking() skips one close_worker_sockets() already
# closed).
SHUTDOWN_LOG_LINES = [re.compile(r"AH03092: process_lingering_close: "
                                 r"apr_pollset_add failure"),
                      re.compile(r"\[core:warn\] .* AH00045: child process "
                                 r"\d+ still did not exit, sending a "
                                 r"SIGTERM$"),
                      # ... and, when the second signal is not enough
                      # either (2.4.37's mod_http2 under mpm_event):
                      re.compile(r"\[core:error\] .* AH00046: child process "
                                 r"\d+ still did not exit, sending a "
                                 r"SIGKILL$"),
                      # mod_http2 when the stop finds an h2c connection of a
                      # client still open (seen under valgrind's slow -X):
                      re.compile(r"\[http2:warn\] .* AH10020: h2_session\(.*"
                                 r"\): session cleanup triggered by pool "
                                 r"cleanup"),
                      re.compile(r"\[mpm_event:error\] .* \(9\)Bad file "
                                 r"descriptor: AH00468: error closing "
                                 r"socket$")]

# Lines a module other than mod_notimpl writes at warn on some httpd
# releases whatever the configuration, allowed whenever that module is
# loaded.  mod_http2 before 2.4.48 warns at every start that mod_ssl is not
# loaded (h2c needs no mod_ssl; the suite loads none).
MODULE_LOG_LINES = {
    "http2": [re.compile(r"\[http2:warn\] .* AH02951: mod_ssl does not seem "
                         r"to be enabled$")],
}

# LogLevel tags of the lines the after-test check objects to.
_SEVERE = re.compile(r"^\[[^\]]*\] \[(?:[\w.]*:)?(emerg|alert|crit|error|warn)\]")


DEBIAN_APXS = "/usr/bin/apxs"


def _apxs_query(apxs, var):
    p = subprocess.run([apxs, "-q", var], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60)
    return p.stdout.decode().strip() if p.returncode == 0 else ""


def _from_apxs(apxs):
    """httpd binary (SBINDIR/TARGET) and modules directory (LIBEXECDIR)
    of the httpd that apxs was installed with."""
    if not (os.path.isfile(apxs) and os.access(apxs, os.X_OK)):
        raise RuntimeError("NOTIMPL_APXS: no executable apxs at %s" % apxs)
    target = _apxs_query(apxs, "progname") or _apxs_query(apxs, "TARGET")
    return {"httpd": os.path.join(_apxs_query(apxs, "SBINDIR"), target),
            "modules_dir": _apxs_query(apxs, "LIBEXECDIR")}


_SETTINGS = None


def settings():
    """The server under test: httpd binary, modules directory, module path
    and apxs.  Each value comes from its environment variable (HTTPD,
    MODULES_DIR, NOTIMPL_MODULE), else from NOTIMPL_APXS (asked with
    apxs -q), else from the config.ini that configure writes (from
    --with-apxs), else Debian's apache2."""
    global _SETTINGS
    if _SETTINGS is not None:
        return dict(_SETTINGS)
    ini = configparser.ConfigParser()
    ini.read(os.path.join(HERE, "config.ini"))

    def ini_value(key):
        if ini.has_option("httpd", key):
            return ini.get("httpd", key).strip()
        return ""

    apxs = os.environ.get("NOTIMPL_APXS") or ini_value("apxs") or DEBIAN_APXS
    derived = {}
    if os.environ.get("NOTIMPL_APXS"):
        derived = _from_apxs(apxs)

    def pick(env, key, default):
        return (os.environ.get(env) or derived.get(key) or ini_value(key)
                or default)

    _SETTINGS = {
        "apxs": apxs,
        "httpd": pick("HTTPD", "httpd", "/usr/sbin/apache2"),
        "modules_dir": pick("MODULES_DIR", "modules_dir",
                            "/usr/lib/apache2/modules"),
        "notimpl_module": pick("NOTIMPL_MODULE", "notimpl_module",
                               os.path.join(REPO, "mod_notimpl.so")),
    }
    return dict(_SETTINGS)


_BUILTIN = {}


def builtin_modules(httpd):
    """What `httpd -l` lists: the source files compiled into the binary
    (core.c, mod_so.c, and on Debian mod_log_config.c, mod_unixd.c ...;
    an MPM compiled in statically shows as event.c, prefork.c or
    worker.c)."""
    if httpd not in _BUILTIN:
        p = subprocess.run([httpd, "-l"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("%s -l failed: %s"
                               % (httpd, p.stdout.decode(errors="replace")))
        _BUILTIN[httpd] = {line.strip() for line in
                           p.stdout.decode().splitlines()[1:] if line.strip()}
    return _BUILTIN[httpd]


_VERSION = {}


def httpd_version():
    """The httpd under test's version as a tuple, e.g. (2, 4, 37), from
    `httpd -v`, for the few tests whose expectation is httpd's own
    behaviour and changed between 2.4 releases."""
    httpd = settings()["httpd"]
    if httpd not in _VERSION:
        out = subprocess.run([httpd, "-v"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60).stdout
        m = re.search(rb"Apache/(\d+)\.(\d+)\.(\d+)", out)
        if not m:
            raise RuntimeError("%s -v: no version in %r" % (httpd, out))
        _VERSION[httpd] = tuple(int(x) for x in m.groups())
    return _VERSION[httpd]


def is_debian_apache2():
    """Whether the server under test is Debian's packaged apache2."""
    return os.path.realpath(settings()["httpd"]) == "/usr/sbin/apache2"


class ModuleMissing(Exception):
    """A module a test asked for that the server under test has neither
    compiled in nor in its modules directory (conftest turns it into a
    skip naming the module)."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _b(value):
    return value if isinstance(value, bytes) else value.encode("latin-1")


class Headers:
    """Response header fields in wire order, looked up case-insensitively."""

    def __init__(self, fields):
        self.fields = fields

    def get_all(self, name):
        name = name.lower()
        return [v for k, v in self.fields if k.lower() == name]

    def get(self, name, default=None):
        values = self.get_all(name)
        return ", ".join(values) if values else default

    def __contains__(self, name):
        return bool(self.get_all(name))

    def __repr__(self):
        return "Headers(%r)" % (self.fields,)


class Response:
    def __init__(self, version, status, reason, headers, body):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        # Filled in by the client: what else happened on the connection.
        self.count = 1
        self.closed = None
        self.raw = b""

    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        # Strict UTF-8: docs/behaviour.md wants non-ASCII bytes escaped, never
        # raw.
        return json.loads(self.body.decode("utf-8", errors="strict"))

    def __repr__(self):
        return "<Response %s %s %r %r>" % (self.version, self.status,
                                           self.headers, self.body[:300])


class IncompleteResponse(Exception):
    pass


def _parse_one(buf, head_request, eof):
    """One HTTP/1.x response from the start of buf: (Response, rest).
    Raises IncompleteResponse while more bytes are needed."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        raise IncompleteResponse()
    lines = buf[:end].split(b"\r\n")
    status_line = lines[0].decode("latin-1")
    m = re.match(r"^(HTTP/\d\.\d) (\d{3})(?: (.*))?$", status_line)
    if not m:
        raise AssertionError("not a status line: %r" % status_line)
    fields = []
    for line in lines[1:]:
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise AssertionError("malformed header line: %r" % line)
        fields.append((name, value.strip()))
    headers = Headers(fields)
    status = int(m.group(2))
    rest = buf[end + 4:]

    if head_request or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in headers.get("Transfer-Encoding", "").lower():
        body = b""
        while True:
            nl = rest.find(b"\r\n")
            if nl < 0:
                raise IncompleteResponse()
            size = int(rest[:nl].split(b";")[0], 16)
            if size == 0:
                # The last-chunk line's CRLF opens the (empty) trailer.
                trailer_end = rest.find(b"\r\n\r\n", nl)
                if trailer_end < 0:
                    raise IncompleteResponse()
                rest = rest[trailer_end + 4:]
                break
            if len(rest) < nl + 2 + size + 2:
                raise IncompleteResponse()
            body += rest[nl + 2:nl + 2 + size]
            rest = rest[nl + 2 + size + 2:]
    elif "Content-Length" in headers:
        length = int(headers.get_all("Content-Length")[0])
        if len(rest) < length:
            raise IncompleteResponse()
        body, rest = rest[:length], rest[length:]
    else:
        if not eof:
            raise IncompleteResponse()
        body, rest = rest, b""
    return Response(m.group(1), status, m.group(3) or "", headers, body), rest


def parse_responses(buf, head_request=False, eof=True):
    """Every complete response in buf, in order, and the unparsed tail."""
    out = []
    while buf:
        try:
            resp, buf = _parse_one(buf, head_request, eof)
        except IncompleteResponse:
            break
        out.append(resp)
    return out, buf


def build_request(method="GET", path="/", headers=None, body=b"",
                  version="HTTP/1.1", host="localhost", close=True):
    """The exact bytes of a request; method and path may be bytes so that
    tests can put anything on the wire."""
    fields = []
    if host is not None:
        fields.append(("Host", host))
    fields.extend(list(headers.items()) if isinstance(headers, dict)
                  else list(headers or []))
    names = {_b(k).lower() for k, _ in fields}
    if body and b"content-length" not in names \
            and b"transfer-encoding" not in names:
        fields.append(("Content-Length", str(len(body))))
    if close and b"connection" not in names:
        fields.append(("Connection", "close"))
    out = _b(method) + b" " + _b(path) + b" " + _b(version) + b"\r\n"
    for k, v in fields:
        out += _b(k) + b": " + _b(v) + b"\r\n"
    return out + b"\r\n" + _b(body)


class Server:
    """One configured httpd instance in its own directory."""

    def __init__(self, config, modules=(), files=None, notimpl=True,
                 mpm="event", expect_log=()):
        self.settings = settings()
        self.config_body = config
        self.modules = list(modules)
        self.files = dict(files or {})
        self.notimpl = notimpl
        self.mpm = mpm
        self.expected_log = [re.compile(p) for p in expect_log]
        for m in self.modules:
            self.expected_log += MODULE_LOG_LINES.get(m, [])
        self.dir = tempfile.mkdtemp(prefix="notimpl-it-", dir="/tmp")
        # The www-data children must read the document root.
        os.chmod(self.dir, 0o755)
        self.docroot = os.path.join(self.dir, "htdocs")
        self.logs = os.path.join(self.dir, "logs")
        self.error_log = os.path.join(self.logs, "error.log")
        self.conf = os.path.join(self.dir, "httpd.conf")
        self.port = None
        self.proc = None
        # Where the error log stood when stop() sent SIGTERM.
        self.stop_offset = None
        self._write_tree()

    # -- configuration -------------------------------------------------

    def _write_tree(self):
        for d in (self.docroot, self.logs, os.path.join(self.dir, "run")):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o755)
        base = {
            "index.html": "<!DOCTYPE html>\n<html><body>index</body></html>\n",
            "static.txt": "static file\n",
        }
        base.update(self.files)
        for rel, content in base.items():
            path = os.path.join(self.docroot, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(_b(content) if isinstance(content, str) else content)
            os.chmod(path, 0o644)
        for root, dirs, _ in os.walk(self.docroot):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)

    def module_path(self, name):
        return os.path.join(self.settings["modules_dir"], "mod_%s.so" % name)

    # Loaded by every configuration unless compiled in (Debian compiles
    # unixd and log_config in; a source build with
    # --enable-mods-shared=reallyall has them as modules): User/Group need
    # unixd, the tests' CustomLog lines log_config.
    BASE_MODULES = ["unixd", "log_config", "authz_core", "mime", "dir"]

    def load_lines(self):
        """LoadModule lines for the MPM, the base modules and the case's
        modules, leaving out what `httpd -l` says is compiled in.  A case
        module or MPM the server lacks raises ModuleMissing."""
        httpd = self.settings["httpd"]
        builtin = builtin_modules(httpd)
        static_mpm = sorted(m[:-2] for m in builtin
                            if m in ("event.c", "worker.c", "prefork.c"))
        lines = []
        if static_mpm:
            if static_mpm != [self.mpm]:
                raise ModuleMissing(
                    "mpm_%s: %s has the %s MPM compiled in and cannot load "
                    "another" % (self.mpm, httpd, static_mpm[0]))
        else:
            lines.append(self._load_line("mpm_%s" % self.mpm, httpd,
                                         required=False))
        load = list(self.BASE_MODULES)
        load += [m for m in self.modules if m not in load]
        for m in load:
            if "mod_%s.c" % m in builtin:
                continue
            lines.append(self._load_line(m, httpd,
                                         required=m not in self.modules))
        return lines

    def _load_line(self, name, httpd, required):
        path = self.module_path(name)
        if not os.path.exists(path):
            msg = ("mod_%s: %s has no %s and does not list mod_%s.c in "
                   "httpd -l" % (name, httpd, path, name))
            if required:
                raise RuntimeError(msg)
            raise ModuleMissing(msg)
        return "LoadModule %s_module %s" % (name, path)

    def render_config(self, port):
        if self.notimpl and not os.path.exists(self.settings["notimpl_module"]):
            raise RuntimeError("module not built: %s (run make, or set "
                               "NOTIMPL_MODULE)"
                               % self.settings["notimpl_module"])
        lines = [
            'ServerRoot "%s"' % self.dir,
            'DefaultRuntimeDir "%s/run"' % self.dir,
            'PidFile "%s/run/httpd.pid"' % self.dir,
            'ErrorLog "%s"' % self.error_log,
            "Listen 127.0.0.1:%d" % port,
            "User www-data",
            "Group www-data",
            "ServerName localhost",
        ]
        lines += self.load_lines()
        if self.notimpl:
            lines.append("LoadModule notimpl_module %s"
                         % self.settings["notimpl_module"])
        # After LoadModule: httpd resolves the module name at once.
        lines.append("LogLevel warn" + (" notimpl:info" if self.notimpl
                                        else ""))
        lines += [
            "TypesConfig /etc/mime.types",
            'DocumentRoot "%s"' % self.docroot,
            "DirectoryIndex index.html",
            # Long enough that a connection the server keeps open is told
            # apart from one it closes.
            "KeepAliveTimeout 30",
            "<Directory />",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            '<Directory "%s">' % self.docroot,
            "    Require all granted",
            "</Directory>",
            "",
            self.config_body.replace("@DOCROOT@", self.docroot)
                            .replace("@DIR@", self.dir)
                            .replace("@PORT@", str(port)),
            "",
        ]
        return "\n".join(lines)

    def write_config(self, port):
        with open(self.conf, "w") as f:
            f.write(self.render_config(port))
        os.chmod(self.conf, 0o644)

    # -- process -------------------------------------------------------

    def configtest(self, *extra):
        """apache2 -t on this configuration, with extra arguments such as
        ("-D", "DUMP_NOTIMPL"): (exit code, combined output)."""
        self.write_config(self.port or free_port())
        p = subprocess.run([self.settings["httpd"], "-t", "-d", self.dir,
                            "-f", self.conf, *extra],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=60)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def _command(self):
        return [self.settings["httpd"], "-d", self.dir, "-f", self.conf,
                "-DFOREGROUND"]

    def _start_failed(self):
        """What to say when httpd would not start (after recording it)."""
        return "httpd did not start"

    def start(self):
        for attempt in range(3):
            self.port = free_port()
            self.write_config(self.port)
            with open(os.path.join(self.dir, "stderr.log"), "ab") as err:
                self.proc = subprocess.Popen(
                    self._command(), stdin=subprocess.DEVNULL, stdout=err,
                    stderr=err, process_group=0)
            if self._wait_ready():
                return self
            # Lost the port to someone else between probing and binding.
            if "Address already in use" not in self.startup_output():
                break
        raise RuntimeError("%s (exit %s):\n%s"
                           % (self._start_failed(), self.proc.returncode,
                              self.startup_output()))

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port),
                                         timeout=1).close()
                return True
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("httpd did not listen within %ss:\n%s"
                           % (START_TIMEOUT, self.startup_output()))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.stop_offset = self._log_size()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            # Its own process group: the parent and the children it forked.
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(STOP_TIMEOUT)

    def cleanup(self):
        self.stop()
        if not os.environ.get("NOTIMPL_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- logs ----------------------------------------------------------

    def read_log(self, name="error.log"):
        try:
            with open(os.path.join(self.logs, name), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_lines(self, name="error.log"):
        return self.read_log(name).splitlines()

    def wait_for_log(self, predicate, name="error.log", timeout=IO_TIMEOUT):
        """The log's lines once predicate(lines) holds: httpd writes the
        access log after the response has gone out."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.log_lines(name)
            if predicate(lines) or time.monotonic() > deadline:
                return lines
            time.sleep(0.02)

    def startup_output(self):
        out = ""
        try:
            with open(os.path.join(self.dir, "stderr.log"), "rb") as f:
                out += f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            pass
        return out + self.read_log()

    def expect_log(self, pattern):
        """Allows lines matching pattern in the after-test log check."""
        self.expected_log.append(re.compile(pattern))

    def _log_size(self):
        try:
            return os.path.getsize(self.error_log)
        except FileNotFoundError:
            return 0

    def unexpected_log_lines(self):
        allowed = BENIGN_LOG_LINES + self.expected_log
        try:
            with open(self.error_log, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = b""
        cut = len(data) if self.stop_offset is None else self.stop_offset
        serving = data[:cut].decode("utf-8", "replace").splitlines()
        stopping = data[cut:].decode("utf-8", "replace").splitlines()
        return ([line for line in serving
                 if _SEVERE.search(line)
                 and not any(p.search(line) for p in allowed)]
                + [line for line in stopping
                   if _SEVERE.search(line)
                   and not any(p.search(line) for p in
                               allowed + SHUTDOWN_LOG_LINES)])

    # -- clients -------------------------------------------------------

    def raw(self, data, head_request=False, until="close",
            timeout=IO_TIMEOUT):
        """Sends exact bytes; reads until the server closes the connection
        (until="close") or one full response is in (until="response").
        Returns every response read, each knowing the count and whether the
        connection was closed."""
        buf = b""
        closed = False
        with socket.create_connection(("127.0.0.1", self.port),
                                      timeout=timeout) as s:
            s.sendall(data)
            while True:
                if until == "response":
                    done, _ = parse_responses(buf, head_request, eof=False)
                    if done:
                        break
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    closed = True
                    break
                if not chunk:
                    closed = True
                    break
                buf += chunk
        responses, tail = parse_responses(buf, head_request, eof=closed)
        assert not tail, "unparsed bytes after the responses: %r" % tail[:200]
        for r in responses:
            r.count = len(responses)
            r.closed = closed
            r.raw = buf
        return responses

    def request(self, method="GET", path="/", headers=None, body=b"",
                version="HTTP/1.1", host="localhost", close=True,
                until="close", timeout=IO_TIMEOUT):
        """One request; returns the first response (with .count and
        .closed describing the connection)."""
        data = build_request(method, path, headers, body, version, host, close)
        head = _b(method) == b"HEAD"
        responses = self.raw(data, head_request=head, until=until,
                             timeout=timeout)
        assert responses, "no response to %r" % data[:200]
        return responses[0]

    def curl(self, *args, path="/"):
        """curl over HTTP/2 with prior knowledge (h2c); returns a Response
        whose version is what curl reports (%{http_version})."""
        hdr = os.path.join(self.dir, "curl-headers")
        body = os.path.join(self.dir, "curl-body")
        p = subprocess.run(
            ["curl", "-sS", "--http2-prior-knowledge", "--max-time", "20",
             "-D", hdr, "-o", body, "-w", "%{http_version}",
             *args, "http://127.0.0.1:%d%s" % (self.port, path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        assert p.returncode == 0, "curl failed: %s" % p.stderr.decode()
        with open(hdr, "rb") as f:
            head = f.read().decode("latin-1")
        with open(body, "rb") as f:
            payload = f.read()
        # The last header block is the final response.
        block = [b for b in re.split(r"\r?\n\r?\n", head) if b.strip()][-1]
        lines = block.splitlines()
        status = int(lines[0].split()[1])
        fields = [(k, v.strip()) for k, _, v in
                  (line.partition(":") for line in lines[1:])]
        resp = Response("HTTP/" + p.stdout.decode().strip(), status, "",
                        Headers(fields), payload)
        resp.http_version = p.stdout.decode().strip()
        return resp


# -- what the module's documents look like (docs/behaviour.md "The response")

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "problem": "application/problem+json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}


def format_of(resp):
    """Which of the module's four formats resp carries, or None."""
    for name, ctype in CONTENT_TYPES.items():
        if resp.content_type == ctype:
            return name
    return None


def vary_tokens(resp):
    return {t.strip().lower() for v in resp.headers.get_all("Vary")
            for t in v.split(",") if t.strip()}


def assert_notimpl(resp, method, fmt="json", subject=None):
    """resp is the module's 501 for method, in format fmt; returns the
    parsed document (a dict for the JSON formats, text otherwise).
    subject is what the detail names when it is not the method (a
    transfer coding)."""
    assert resp.status == 501, resp
    assert resp.content_type == CONTENT_TYPES[fmt], resp
    assert "Allow" not in resp.headers, resp
    # Bytes that are not printable ASCII are escaped, never raw.
    assert all(b in b"\n" or 0x20 <= b <= 0x7e for b in resp.body), resp
    if fmt in ("json", "problem"):
        doc = resp.json()
        assert doc["method"] == method, doc
        if fmt == "json":
            assert doc["error"] == "not_implemented", doc
        else:
            assert isinstance(doc["type"], str) and doc["type"], doc
            assert doc["title"] == "Not Implemented", doc
            assert doc["status"] == 501, doc
            assert (subject or method) in doc["detail"], doc
        return doc
    text = resp.body.decode("ascii")
    if fmt == "html":
        assert text.lower().startswith("<!doctype html>"), text
        assert "<title>501 Not Implemented</title>" in text, text
        assert text.rstrip().endswith("</html>"), text
    else:
        assert text.startswith("501 Not Implemented"), text
    return text


def assert_stock_501(resp, method):
    """resp is httpd's own answer to an unregistered method (the default
    handler's canned page), not the module's document."""
    assert resp.status == 501, resp
    assert format_of(resp) is None, resp
    # httpd 2.4.41 and later: "BREW not supported for current URL."; before
    # that the page named the URL: "BREW to /static.txt not supported."
    m = re.escape(_b(method))
    assert re.search(rb"<p>" + m + rb" not supported for current URL\.<br />"
                     rb"|<p>" + m + rb" to [^<]* not supported\.<br />",
                     resp.body), resp


# httpd's error-level line for every unregistered method that reaches the
# default handler (the stock behaviour the module replaces).
STOCK_501_LOG = r"\[core:error\] .* AH00135: Invalid method in request "


# -- memcheck (test/memcheck/run.sh) --------------------------------------
#
# With NOTIMPL_VALGRIND=1 every server runs as `valgrind --tool=memcheck
# apache2 -X`: one process, so one valgrind log holds everything the module
# did, and the log's findings join the after-test error-log check (a test
# with a memcheck error fails).  User and Group stay: with -X httpd still
# drops to www-data after reading its configuration, as a real child does,
# and valgrind opened its log file as root before that.  -X handles only
# SIGTERM and SIGINT (mpm_event's one-process mode ignores SIGWINCH), so the
# server is stopped with SIGTERM; the leak check runs after that.
#
# NOTIMPL_VALGRIND_DIR (default /tmp/notimpl-memcheck) receives a copy of
# every valgrind log that reports an error or a leak and one line of JSON per
# httpd run in results.jsonl, which run.sh adds up per test.

VALGRIND_ERROR_EXIT = 97
VALGRIND_START_TIMEOUT = 90.0
VALGRIND_STOP_TIMEOUT = 120.0
# Valgrind runs httpd some 20-50 times slower: reads wait longer, but stay
# below the configuration's KeepAliveTimeout (30 s).
VALGRIND_IO_TIMEOUT = 25.0

_VG_ERRORS = re.compile(r"ERROR SUMMARY: ([\d,]+) errors? from")
_VG_DEFINITE = re.compile(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks")


def valgrind_enabled():
    return os.environ.get("NOTIMPL_VALGRIND", "") not in ("", "0")


def valgrind_dir():
    out = os.environ.get("NOTIMPL_VALGRIND_DIR") or "/tmp/notimpl-memcheck"
    os.makedirs(out, exist_ok=True)
    return out


def valgrind_command(log_pattern):
    """valgrind's argv up to (not including) the program."""
    memcheck = os.path.join(REPO, "test", "memcheck")
    cmd = [os.environ.get("VALGRIND", "valgrind"), "--tool=memcheck",
           "--leak-check=full", "--show-leak-kinds=definite",
           "--errors-for-leak-kinds=definite",
           "--error-exitcode=%d" % VALGRIND_ERROR_EXIT,
           "--num-callers=40", "--vgdb=no", "--track-origins=yes",
           # A CGI child between fork and exec runs httpd's code, not the
           # module's, as www-data, which cannot create a log of its own
           # in the server's directory.
           "--child-silent-after-fork=yes",
           "--log-file=%s" % log_pattern]
    supp = os.path.join(memcheck, "httpd.supp")
    if os.path.exists(supp):
        cmd.append("--suppressions=%s" % supp)
    pools = os.path.join(memcheck, "build", "libpoolcheck.so")
    if os.environ.get("NOTIMPL_VALGRIND_POOLS", "1") != "0" \
            and os.path.exists(pools):
        # Debian's APR takes pool memory from mmap, where memcheck sees
        # neither overruns nor reads of memory never written; this preload
        # gives every apr_palloc block its own malloc (test/memcheck/).
        cmd = ["env", "LD_PRELOAD=%s" % pools] + cmd
    return cmd + [x for x in os.environ.get("NOTIMPL_VALGRIND_OPTS",
                                            "").split() if x]


def valgrind_summary(path):
    """(errors, definitely lost bytes, blocks) from one valgrind log, or
    None while the log has no final summary (the run did not finish)."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return None
    errors = _VG_ERRORS.findall(text)
    if not errors:
        return None
    definite = _VG_DEFINITE.findall(text)
    lost = sum(int(b.replace(",", "")) for b, _ in definite)
    blocks = sum(int(n.replace(",", "")) for _, n in definite)
    return int(errors[-1].replace(",", "")), lost, blocks


def _current_test():
    return os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" (", 1)[0]


class ValgrindServer(Server):
    """A Server run under memcheck as a single process (see above)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.valgrind_logs = []
        self.valgrind_findings = []

    def _valgrind_argv(self, tag, *httpd_args):
        pattern = os.path.join(self.dir, "valgrind-%s.%%p.log" % tag)
        return valgrind_command(pattern) + [self.settings["httpd"],
                                            *httpd_args]

    def _record(self, kind, argv_tag, exit_code):
        """Reads the logs of one run, keeps the bad ones, and notes the
        findings for unexpected_log_lines()."""
        out = valgrind_dir()
        logs = sorted(f for f in os.listdir(self.dir)
                      if f.startswith("valgrind-%s." % argv_tag))
        for name in logs:
            path = os.path.join(self.dir, name)
            if path in self.valgrind_logs:
                continue
            self.valgrind_logs.append(path)
            summary = valgrind_summary(path)
            record = {"test": _current_test(), "kind": kind,
                      "exit": exit_code, "log": None, "finished": True,
                      "errors": 0, "definite_bytes": 0, "definite_blocks": 0}
            if summary is None:
                record["finished"] = False
            else:
                record["errors"], record["definite_bytes"], \
                    record["definite_blocks"] = summary
            if not record["finished"] or record["errors"] \
                    or record["definite_bytes"]:
                keep = os.path.join(out, "%s-%s" % (
                    re.sub(r"[^\w.-]+", "_", record["test"])[-150:], name))
                shutil.copyfile(path, keep)
                record["log"] = keep
                self.valgrind_findings.append(
                    "memcheck (%s): %s error(s), %s bytes definitely lost%s;"
                    " see %s" % (kind, record["errors"],
                                 record["definite_bytes"],
                                 "" if record["finished"]
                                 else " (no summary: valgrind did not finish)",
                                 keep))
            with open(os.path.join(out, "results.jsonl"), "a") as f:
                f.write(json.dumps(record) + "\n")

    def configtest(self, *extra):
        self.write_config(self.port or free_port())
        p = subprocess.run(self._valgrind_argv("t", "-t", "-d", self.dir,
                                               "-f", self.conf, *extra),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=300)
        rc = p.returncode
        self._record("configtest", "t", rc)
        if rc == VALGRIND_ERROR_EXIT:
            # The findings are recorded; the test sees httpd's own verdict,
            # which valgrind's exit code replaced.
            rc = 0 if "Syntax OK" in p.stdout.decode("utf-8", "replace") \
                else 1
        return rc, p.stdout.decode("utf-8", "replace")

    def _command(self):
        return self._valgrind_argv("X", "-X", "-d", self.dir, "-f", self.conf,
                                   "-DFOREGROUND")

    def _start_failed(self):
        self._record("start", "X", self.proc.returncode)
        return "httpd did not start under valgrind"

    def _wait_ready(self):
        # httpd listens before post_config has run, and under valgrind
        # post_config can take seconds: ready is when a connection is
        # accepted and served.  One that sends nothing and half-closes is
        # closed at once, with no access-log line.
        deadline = time.monotonic() + VALGRIND_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port),
                                              timeout=1) as s:
                    s.shutdown(socket.SHUT_WR)
                    s.settimeout(max(1.0, deadline - time.monotonic()))
                    while s.recv(4096):
                        pass
                return True
            except socket.timeout:
                break
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("httpd did not listen within %ss under valgrind:"
                           "\n%s" % (VALGRIND_START_TIMEOUT,
                                     self.startup_output()))

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # What follows is shutdown (Server.unexpected_log_lines).
            self.stop_offset = self._log_size()
            self.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + VALGRIND_STOP_TIMEOUT
            while self.proc.poll() is None and time.monotonic() < deadline:
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    # prefork -X under valgrind may sit in accept() with
                    # the SIGTERM undelivered; a connection wakes it.
                    try:
                        socket.create_connection(("127.0.0.1", self.port),
                                                 timeout=1).close()
                    except OSError:
                        pass
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(STOP_TIMEOUT)
        # Also when the server died by itself: its log says why.
        self._record("server", "X", self.proc.returncode)

    def raw(self, data, head_request=False, until="close",
            timeout=IO_TIMEOUT):
        return super().raw(data, head_request, until,
                          max(timeout, VALGRIND_IO_TIMEOUT))

    def wait_for_log(self, predicate, name="error.log", timeout=IO_TIMEOUT):
        return super().wait_for_log(predicate, name,
                                   max(timeout, VALGRIND_IO_TIMEOUT))

    def unexpected_log_lines(self):
        return super().unexpected_log_lines() + self.valgrind_findings


if valgrind_enabled():
    Server = ValgrindServer


# -- a backend behind mod_proxy (tests with ProxyPass) -------------------

class BackendHandler(http.server.BaseHTTPRequestHandler):
    """Answers any method with the status answers.get(method, 200) and the
    body "backend METHOD PATH\n"; records (method, path) in server.seen."""

    protocol_version = "HTTP/1.1"
    answers = {}

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append((self.command, self.path))
        body = ("backend %s %s\n" % (self.command, self.path)).encode()
        self.send_response(self.answers.get(self.command, 200))
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def loopback_backend(handler=BackendHandler):
    """An HTTP server on a free loopback port, in a thread of this process,
    shut down when the block ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# -- a real application server beside httpd (Radicale, php-fpm, ...) ----

@contextlib.contextmanager
def loopback_daemon(argv, port, log_path, env=None, cwd=None,
                    timeout=START_TIMEOUT):
    """Runs argv (a server that listens on 127.0.0.1:port) in a process
    group of its own, its output in log_path, until the block ends; yields
    the Popen once the port accepts connections (never a fixed sleep).
    Stopped by its pid with SIGTERM, its group killed if it lingers."""
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=log, env=env, cwd=cwd,
                                process_group=0)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("%s exited with %s:\n%s" % (
                    argv[0], proc.returncode, _read_text(log_path)))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("%s did not listen on %d within %ss:\n%s"
                                       % (argv[0], port, timeout,
                                          _read_text(log_path)))
                time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(STOP_TIMEOUT)


def _read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


# -- Allow headers and CGI scripts (tests around the 501) ----------------

def allow_tokens(resp):
    """The methods resp's Allow header lists, as a set; None when resp has
    no Allow header at all (an empty Allow is an empty set)."""
    if "Allow" not in resp.headers:
        return None
    return {m.strip() for v in resp.headers.get_all("Allow")
            for m in v.split(",") if m.strip()}


# CGI scripts under /cgi/ (mod_cgi, so mpm="prefork"): a handler that
# takes any method and request body, for what the static files cannot show.
CGI_CONFIG = """
<Directory "@DOCROOT@/cgi">
    Options +ExecCGI
    AddHandler cgi-script .cgi
</Directory>
"""


def make_executable(srv, *paths):
    """chmod 0755 files under srv's document root (the files fixture
    writes 0644); httpd looks at the mode only when the script runs."""
    for rel in paths:
        os.chmod(os.path.join(srv.docroot, rel), 0o755)


# -- crashes (hostile input, framing, load) ------------------------------

# httpd logs a child that died by a signal at notice level, which LogLevel
# warn does not hide (notice is always written); -X has no parent to say
# it, so assert_no_crash also asks the server for a page.
CRASH_LOG = re.compile(r"exit signal|Segmentation fault|AH00052|AH00060"
                       r"|core dump")


def crash_lines(srv):
    return [line for line in srv.log_lines() if CRASH_LOG.search(line)]


def assert_no_crash(srv):
    """No child of srv died by a signal, and srv still serves a page."""
    r = srv.request("GET", "/static.txt")
    assert r.status == 200 and r.body == b"static file\n", r
    assert crash_lines(srv) == []


def assert_well_formed(responses, allow_silent_close=False, body=True):
    """Every response parsed (Server.raw already refuses a malformed one);
    none carries a raw byte outside printable ASCII (CR, LF and TAB
    aside) anywhere: status line, headers or (unless body=False) body."""
    if not responses:
        assert allow_silent_close, "no response at all"
        return
    raw = responses[0].raw
    if not body:
        raw = raw[:raw.find(b"\r\n\r\n")]
    bad = [b for b in raw if (b < 0x20 and b not in b"\r\n\t") or b >= 0x7f]
    assert not bad, "raw bytes %r in %r" % (sorted(set(bad))[:10], raw[:300])
