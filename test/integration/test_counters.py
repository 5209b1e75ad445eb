"""Demand counters (SPEC "Observability"): exact across every child process
and thread, kept over a graceful restart, bounded memory with nothing lost
from total; served by `SetHandler notimpl-status` as JSON or Prometheus
text, and as a section of mod_status."""

import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from harness import IO_TIMEOUT, STOCK_501_LOG, assert_notimpl

STATUS = """
<Location "/notimpl-status">
    SetHandler notimpl-status
</Location>
<Location "/server-status">
    SetHandler server-status
</Location>
"""

# Threaded MPMs (event, worker): 3 children of 4 threads.
EVENT = """
StartServers 3
ServerLimit 4
ThreadLimit 4
ThreadsPerChild 4
MinSpareThreads 4
MaxSpareThreads 16
MaxRequestWorkers 16
"""

PREFORK = """
StartServers 3
MinSpareServers 3
MaxSpareServers 8
ServerLimit 8
MaxRequestWorkers 8
"""

# %P: which child answered, to show that more than one did.
NOTIMPL_LOG = 'CustomLog "@DIR@/logs/notimpl.log" "%P %m %>s" env=NOTIMPL\n'
ACCESS_LOG = 'CustomLog "@DIR@/logs/access.log" "%m %>s"\n'


# -- reading the counters ------------------------------------------------

def counters(srv):
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    assert r.content_type == "application/json; charset=utf-8", r
    return r.json()


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)'
                     r'(?:\{([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\})?'
                     r' (\S+)$')


def _unescape_label(value):
    return re.sub(r'\\([\\"n])',
                  lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def prometheus(srv):
    """{(metric, label value or None): number}, after checking every line
    against the text exposition format (0.0.4)."""
    r = srv.request("GET", "/notimpl-status?format=prometheus")
    assert r.status == 200, r
    assert r.content_type == "text/plain; version=0.0.4; charset=utf-8", r
    text = r.body.decode("utf-8", errors="strict")
    assert text.endswith("\n")
    samples, typed = {}, {}
    for line in text.splitlines():
        m = re.match(r"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$", line)
        if m:
            if m.group(1) == "TYPE":
                assert m.group(2) not in typed, line
                typed[m.group(2)] = m.group(3)
            continue
        m = _SAMPLE.match(line)
        assert m, "not an exposition-format line: %r" % line
        assert m.group(1) in typed, "sample before its TYPE: %r" % line
        label = _unescape_label(m.group(3)) if m.group(2) else None
        key = (m.group(1), label)
        assert key not in samples, "duplicate series: %r" % line
        samples[key] = float(m.group(4))
    for name in ("notimpl_responses_total",
                 "notimpl_other_method_responses_total",
                 "notimpl_transfer_coding_responses_total",
                 "notimpl_all_responses_total"):
        assert typed.get(name) == "counter", typed
    return samples


def promtool_check(srv):
    """`promtool check metrics` (Debian's prometheus package, installed by
    ./run) accepts the exposition as it is served."""
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: ./run installs the prometheus package"
    body = srv.request("GET", "/notimpl-status?format=prometheus").body
    p = subprocess.run([promtool, "check", "metrics"], input=body,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60)
    assert p.returncode == 0, p.stdout.decode("utf-8", "replace")


def by_label(samples, metric):
    return {label: int(v) for (name, label), v in samples.items()
            if name == metric and label is not None}


def status_auto(srv):
    """mod_status's ?auto lines as a dict (split at the first ': ').  The
    module's keys (NotImpl...) must each appear once; httpd's own may not
    (2.4.37's mod_status prints BusyWorkers and IdleWorkers twice under
    mpm_event): the first one is kept."""
    r = srv.request("GET", "/server-status?auto")
    assert r.status == 200, r
    out = {}
    for line in r.body.decode("latin-1").splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            if key in out:
                assert not key.startswith("NotImpl"), \
                    "key twice in ?auto: %r" % key
                continue
            out[key] = value
    return out


def assert_everywhere(srv, methods, other=0, codings=None):
    """The same numbers in JSON, Prometheus and mod_status ?auto."""
    codings = codings or {}
    total = sum(methods.values()) + other + sum(codings.values())
    doc = counters(srv)
    assert doc["total"] == total, doc
    assert doc["methods"] == methods, doc
    assert doc["other_methods"] == other, doc
    assert doc["transfer_codings"] == codings, doc
    prom = prometheus(srv)
    assert by_label(prom, "notimpl_responses_total") == methods
    assert by_label(prom, "notimpl_transfer_coding_responses_total") == codings
    assert prom[("notimpl_other_method_responses_total", None)] == other
    assert prom[("notimpl_all_responses_total", None)] == total
    auto = status_auto(srv)
    assert int(auto["NotImplTotal"]) == total, auto
    assert int(auto["NotImplOtherMethods"]) == other, auto
    assert {k[len("NotImplMethod "):]: int(v) for k, v in auto.items()
            if k.startswith("NotImplMethod ")} == methods, auto
    assert {k[len("NotImplTransferCoding "):]: int(v) for k, v in auto.items()
            if k.startswith("NotImplTransferCoding ")} == codings, auto
    return doc


# -- sending traffic -----------------------------------------------------

def _wait_busy(srv, at_least):
    """Until mod_status counts at_least busy workers (the request asking
    is one of them)."""
    deadline = time.monotonic() + IO_TIMEOUT
    while time.monotonic() < deadline:
        if int(status_auto(srv)["BusyWorkers"]) >= at_least:
            return
        time.sleep(0.01)
    raise AssertionError("workers never got busy: %r" % status_auto(srv))


def burst(srv, methods, width):
    """Sends methods in groups of `width` connections that each hold a
    worker at once (request sent but for its last CRLF), so a group is
    spread over several children; returns every status."""
    statuses = []
    for start in range(0, len(methods), width):
        group = methods[start:start + width]
        socks = []
        try:
            for m in group:
                s = socket.create_connection(("127.0.0.1", srv.port),
                                             timeout=IO_TIMEOUT)
                socks.append(s)
                s.sendall(b"%s / HTTP/1.1\r\nHost: localhost\r\n"
                          b"Connection: close\r\n" % m.encode())
            _wait_busy(srv, len(group) + 1)
            for s in socks:
                s.sendall(b"\r\n")
            for s in socks:
                buf = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                statuses.append(int(buf.split(b" ", 2)[1]))
        finally:
            for s in socks:
                s.close()
    return statuses


def concurrently(srv, methods, workers=16):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda m: srv.request(m, "/"), methods))


def notimpl_log(srv, expected):
    return srv.wait_for_log(lambda lines: len(lines) >= expected,
                            "notimpl.log")


# -- exactness -----------------------------------------------------------

def _exact_across_children(httpd, mpm, mpm_conf, width):
    srv = httpd(STATUS + mpm_conf + "NotImplMethods +PATCH\n" + NOTIMPL_LOG,
                modules=["status"], mpm=mpm)
    sent = ["BREW"] * 50 + ["PATCH"] * 20
    random.Random(7).shuffle(sent)
    assert burst(srv, sent, width) == [501] * 70
    assert_everywhere(srv, {"BREW": 50, "PATCH": 20})
    lines = notimpl_log(srv, 70)
    assert len(lines) == 70, lines
    pids = {line.split()[0] for line in lines}
    assert len(pids) >= 2, "one child answered everything: %r" % pids


def test_counts_are_exact_across_children_and_threads_event(httpd):
    # 3 children of 4 threads: 10 held connections need all three.
    _exact_across_children(httpd, "event", EVENT, 10)


def test_counts_are_exact_across_children_and_threads_worker(httpd):
    _exact_across_children(httpd, "worker", EVENT, 10)


def test_counts_are_exact_across_children_prefork(httpd):
    _exact_across_children(httpd, "prefork", PREFORK, 2)


def test_300_distinct_methods_give_valid_json_and_lose_nothing(httpd):
    srv = httpd(STATUS, modules=["status"])
    rnd = random.Random(300)
    names = set()
    while len(names) < 300:
        names.add("".join(rnd.choice(string.ascii_uppercase)
                          for _ in range(rnd.randint(4, 12))))
    names = sorted(names)
    assert [r.status for r in concurrently(srv, names)] == [501] * 300
    doc = counters(srv)
    assert doc["total"] == 300, doc
    assert sum(doc["methods"].values()) + doc["other_methods"] == 300, doc
    assert len(doc["methods"]) >= 64, doc
    assert set(doc["methods"]) <= set(names), doc
    assert set(doc["methods"].values()) == {1}, doc
    assert doc["slots_used"] == len(doc["methods"]) <= doc["slots"], doc
    prom = prometheus(srv)
    named = by_label(prom, "notimpl_responses_total")
    assert named == doc["methods"]
    assert sum(named.values()) \
        + prom[("notimpl_other_method_responses_total", None)] == 300
    assert prom[("notimpl_all_responses_total", None)] == 300


def test_transfer_coding_501s_are_counted_under_their_own_label(httpd):
    srv = httpd(STATUS, modules=["status"])
    for _ in range(2):
        r = srv.request("POST", "/", body=b"0\r\n\r\n",
                        headers={"Transfer-Encoding": "gzip, chunked"})
        assert r.status == 501, r
    assert_notimpl(srv.request("BREW", "/"), "BREW")
    assert_everywhere(srv, {"BREW": 1}, codings={"gzip": 2})


# -- restarts ------------------------------------------------------------

def _generation(srv):
    try:
        return int(status_auto(srv)["ParentServerConfigGeneration"])
    except (OSError, AssertionError):
        return None      # between generations


def _restart(srv, how):
    before = _generation(srv)
    assert before is not None
    if how == "graceful":
        subprocess.run([srv.settings["httpd"], "-d", srv.dir, "-f", srv.conf,
                        "-k", "graceful"], check=True, timeout=60,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    else:
        os.kill(srv.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + IO_TIMEOUT
    while time.monotonic() < deadline:
        now = _generation(srv)
        if now is not None and now > before:
            return
        time.sleep(0.05)
    raise AssertionError("no new generation after %s restart" % how)


def test_graceful_restart_keeps_the_counts_and_counting_goes_on(httpd):
    srv = httpd(STATUS + EVENT + "NotImplMethods +PATCH\n",
                modules=["status"])
    concurrently(srv, ["BREW"] * 5 + ["PATCH"] * 2)
    since = assert_everywhere(srv, {"BREW": 5, "PATCH": 2})["since"]
    _restart(srv, "graceful")
    assert counters(srv)["since"] == since
    assert_everywhere(srv, {"BREW": 5, "PATCH": 2})
    concurrently(srv, ["BREW"] * 3 + ["MKTEA"])
    assert_everywhere(srv, {"BREW": 8, "PATCH": 2, "MKTEA": 1})
    # And once more, SIGUSR1 straight to the parent.
    before = _generation(srv)
    os.kill(srv.proc.pid, signal.SIGUSR1)
    deadline = time.monotonic() + IO_TIMEOUT
    while (_generation(srv) or before) <= before:
        assert time.monotonic() < deadline, "no graceful restart"
        time.sleep(0.05)
    assert counters(srv)["since"] == since
    assert_everywhere(srv, {"BREW": 8, "PATCH": 2, "MKTEA": 1})


def test_a_full_restart_starts_counting_afresh(httpd):
    srv = httpd(STATUS, modules=["status"])
    concurrently(srv, ["BREW"] * 4)
    since = counters(srv)["since"]
    _restart(srv, "full")
    doc = assert_everywhere(srv, {})
    assert doc["since"] >= since      # RFC 3339 UTC sorts as text
    assert_notimpl(srv.request("BREW", "/"), "BREW")
    assert_everywhere(srv, {"BREW": 1})


# -- what is counted, and the logs ----------------------------------------

def test_counted_501s_are_exactly_the_notimpl_customlog(httpd):
    srv = httpd(STATUS + "NotImplMethods -FOO\n" + NOTIMPL_LOG + ACCESS_LOG,
                modules=["status"], expect_log=[STOCK_501_LOG])
    sent = [("BREW", 501), ("GET", 200), ("PATCH", 405), ("FOO", 501),
            ("PURGE", 501), ("BREW", 501)]
    for method, status in sent:
        assert srv.request(method, "/static.txt").status == status
    srv.wait_for_log(lambda lines: len(lines) >= len(sent), "access.log")
    logged = [line.split()[1] for line in srv.log_lines("notimpl.log")]
    assert sorted(logged) == ["BREW", "BREW", "PURGE"]
    # FOO's 501 is httpd's own: neither logged nor counted.
    doc = assert_everywhere(srv, {"BREW": 2, "PURGE": 1})
    assert doc["total"] == len(logged)


def test_each_counted_501_has_one_info_line_naming_the_method(httpd):
    srv = httpd(STATUS, modules=["status"])   # LogLevel warn notimpl:info
    sent = ["BREW", "MKTEA", "BREW"]
    for m in sent:
        assert_notimpl(srv.request(m, "/"), m)
    lines = [line for line in srv.log_lines() if "[notimpl:" in line]
    assert all("[notimpl:info]" in line for line in lines), lines
    assert [re.search(r"NI0001: method (\S+) ", line).group(1)
            for line in lines] == sent
    assert counters(srv)["total"] == len(lines)


def test_loglevel_warn_logs_no_line_per_501(httpd):
    srv = httpd(STATUS + "LogLevel warn\n", modules=["status"])
    for m in ("BREW", "MKTEA", "BREW"):
        assert_notimpl(srv.request(m, "/"), m)
    assert counters(srv)["total"] == 3
    assert [line for line in srv.log_lines()
            if "[notimpl:" in line or "NI00" in line] == []


# -- the handler ---------------------------------------------------------

def test_notimpl_status_answers_post_with_405_and_counts_nothing(httpd):
    srv = httpd(STATUS)
    for method in ("POST", "PUT", "DELETE"):
        r = srv.request(method, "/notimpl-status", body=b"x=1")
        assert r.status == 405, r
        allow = [m.strip() for m in r.headers.get("Allow", "").split(",")]
        assert "GET" in allow and "HEAD" in allow and "POST" not in allow, r
    r = srv.request("OPTIONS", "/notimpl-status")
    assert r.status == 200, r
    assert "POST" not in r.headers.get("Allow", ""), r
    assert counters(srv)["total"] == 0
    # A method the server does not implement is the module's 501 here too.
    assert_notimpl(srv.request("BREW", "/notimpl-status"), "BREW")
    assert counters(srv)["methods"] == {"BREW": 1}


def test_notimpl_status_head_and_formats(httpd):
    srv = httpd(STATUS)
    get = srv.request("GET", "/notimpl-status?format=json")
    head = srv.request("HEAD", "/notimpl-status")
    assert head.status == 200 and head.body == b"", head
    assert head.content_type == "application/json; charset=utf-8"
    assert head.headers.get("Content-Length") \
        == get.headers.get("Content-Length") == str(len(get.body))
    doc = get.json()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", doc["since"]), doc
    assert doc["slots"] >= 64 and doc["slots_used"] == 0, doc
    assert srv.request("GET", "/notimpl-status?format=xml").status == 400


def test_only_the_exact_handler_name_serves_the_counters(httpd):
    # The handler decides on the first letter before comparing names:
    # names that share a prefix with ours are httpd's unknown handlers,
    # and the default handler serves the file.
    near = ("notimpl-statusx", "notimpl-statu", "n", "notimpl-status ")
    srv = httpd("".join('<Location "/h/%d">\n    SetHandler "%s"\n'
                        '</Location>\n' % (i, name)
                        for i, name in enumerate(near)),
                files={"h/%d" % i: "file %d\n" % i for i in range(len(near))})
    for i, name in enumerate(near):
        r = srv.request("GET", "/h/%d" % i)
        assert (r.status, r.body) == (200, b"file %d\n" % i), (name, r)
    assert srv.request("GET", "/notimpl-status").status == 404


def test_notimpl_status_works_without_mod_status(httpd):
    srv = httpd('<Location "/notimpl-status">\n'
                '    SetHandler notimpl-status\n</Location>\n')
    assert_notimpl(srv.request("BREW", "/"), "BREW")
    assert counters(srv)["methods"] == {"BREW": 1}
    assert prometheus(srv)[("notimpl_responses_total", "BREW")] == 1


def test_names_are_escaped_in_json_prometheus_status_and_auto(httpd):
    # Strict parsing (the default) refuses these methods with 400.
    srv = httpd(STATUS + "HttpProtocolOptions Unsafe\nExtendedStatus Off\n",
                modules=["status"])
    sent = [b'BR"EW', b"A\\B", b"<i>\xc3\xa9"]
    for m in sent:
        r = srv.raw(b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    % m)
        assert r[0].status == 501, r
    as_text = [m.decode("latin-1") for m in sent]
    assert counters(srv)["methods"] == dict.fromkeys(as_text, 1)
    # Label values: the text escaper's \\ and \xNN, then the format's own.
    assert by_label(prometheus(srv), "notimpl_responses_total") == {
        'BR"EW': 1, "A\\\\B": 1, "<i>\\xc3\\xa9": 1}
    auto = status_auto(srv)
    assert auto["NotImplMethod BR\"EW"] == "1"
    assert auto["NotImplMethod <i>\\xc3\\xa9"] == "1"
    html = srv.request("GET", "/server-status").body
    assert b"<td>BR&quot;EW</td><td>1</td>" in html
    assert b"<td>&lt;i&gt;\\xc3\\xa9</td><td>1</td>" in html
    assert b"<i>\xc3" not in html


def test_server_status_has_the_section_without_extended_status(httpd):
    srv = httpd(STATUS + "ExtendedStatus Off\nNotImplMethods +PATCH\n",
                modules=["status"])
    concurrently(srv, ["PATCH"] * 3 + ["BREW"])
    html = srv.request("GET", "/server-status").body.decode("latin-1")
    assert "<h2>mod_notimpl: methods not implemented</h2>" in html
    assert "<tr><td>PATCH</td><td>3</td></tr>" in html
    assert "<tr><td>BREW</td><td>1</td></tr>" in html
    assert html.index("PATCH</td>") < html.index("BREW</td>")
    plain = srv.request("GET", "/server-status?notable").body
    assert b"Method PATCH: 3<br />" in plain
    auto = status_auto(srv)
    assert auto["NotImplTotal"] == "4"
    assert auto["NotImplMethod PATCH"] == "3"
    assert int(auto["NotImplSlots"]) >= 64


# -- hostile traffic cannot hide real demand (issue 14, defect 2) -------

def junk_methods(n, seed):
    rnd = random.Random(seed)
    names = set()
    while len(names) < n:
        names.add("J" + "".join(rnd.choice(string.ascii_uppercase)
                                for _ in range(rnd.randint(5, 12))))
    return sorted(names)


def junk_codings(srv, n, prefix):
    """n POSTs, each with its own junk coding before chunked."""
    def post(i):
        return srv.request("POST", "/", body=b"0\r\n\r\n", headers={
            "Transfer-Encoding": "%s%d, chunked" % (prefix, i)}).status
    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(post, range(n))) == [501] * n


def assert_adds_up(doc):
    assert sum(doc["methods"].values()) + doc["other_methods"] \
        + sum(doc["transfer_codings"].values()) \
        + doc["other_transfer_codings"] == doc["total"], doc


REGISTERED = STATUS + "NotImplRegister MKCALENDAR\n" \
    "NotImplMethods +PATCH +MKCALENDAR\n"


def test_junk_codings_and_methods_cannot_hide_registered_methods(httpd):
    # 128 junk codings used to fill the one table: every method after
    # them was only "other".
    srv = httpd(REGISTERED, modules=["status"])
    junk_codings(srv, 200, "x")
    junk = junk_methods(300, 14)
    assert [r.status for r in concurrently(srv, junk)] == [501] * 300
    assert [r.status for r in concurrently(
        srv, ["PATCH"] * 3 + ["MKCALENDAR"] * 2 + ["MKTEA"])] == [501] * 6
    doc = counters(srv)
    assert doc["total"] == 506, doc
    assert doc["methods"]["PATCH"] == 3, doc
    assert doc["methods"]["MKCALENDAR"] == 2, doc
    # Codings have their own pool: the method pool still had room.
    assert doc["methods"]["MKTEA"] == 1, doc
    assert len(doc["transfer_codings"]) == doc["slots"] // 2, doc
    assert_adds_up(doc)
    prom = prometheus(srv)
    assert prom[("notimpl_responses_total", "PATCH")] == 3
    assert prom[("notimpl_responses_total", "MKCALENDAR")] == 2
    assert prom[("notimpl_all_responses_total", None)] == 506
    auto = status_auto(srv)
    assert auto["NotImplMethod PATCH"] == "3", auto
    assert auto["NotImplMethod MKCALENDAR"] == "2", auto


def test_a_heavy_junk_name_still_appears_by_name_after_any_junk(httpd):
    srv = httpd(STATUS, modules=["status"])
    assert [r.status for r in concurrently(srv, junk_methods(400, 1))] \
        == [501] * 400
    # Then BREW is 60 of 300 (20%): Space-Saving lists it, at most N/k
    # (N = 700 pool counts, k = 64 names) below its true count.
    then = ["BREW"] * 60 + junk_methods(240, 2)
    random.Random(3).shuffle(then)
    assert [r.status for r in concurrently(srv, then)] == [501] * 300
    doc = counters(srv)
    assert doc["total"] == 700, doc
    assert 60 - 700 // 64 <= doc["methods"].get("BREW", 0) <= 60, doc
    assert len(doc["methods"]) == doc["slots_used"] == doc["slots"] // 2
    assert_adds_up(doc)


def test_names_declared_by_a_graceful_restart_are_counted_exactly(httpd):
    srv = httpd(STATUS + EVENT + "NotImplMethods +PATCH\n",
                modules=["status"])
    concurrently(srv, ["PATCH"] * 2 + junk_methods(300, 4))
    srv.config_body = REGISTERED + EVENT
    srv.write_config(srv.port)
    _restart(srv, "graceful")
    # Junk before and after: a name only in the pool would be pushed out.
    concurrently(srv, junk_methods(300, 5))
    assert [r.status for r in concurrently(srv, ["MKCALENDAR"] * 2)] \
        == [501] * 2
    concurrently(srv, junk_methods(600, 6))
    doc = counters(srv)
    assert doc["total"] == 1204, doc
    assert doc["methods"]["PATCH"] == 2, doc
    assert doc["methods"]["MKCALENDAR"] == 2, doc
    assert_adds_up(doc)


def test_hostile_coding_names_are_escaped_everywhere(httpd):
    srv = httpd(STATUS + "ExtendedStatus Off\n", modules=["status"])
    sent = [b'A"B\\C', b"<i>\xc3\xa9", b"L" * 60]
    for coding in sent:
        r = srv.raw(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Transfer-Encoding: %s, chunked\r\n\r\n0\r\n\r\n"
                    % coding)
        assert r[0].status == 501, r
    doc = counters(srv)
    # Too long to be a label (never truncated): other.
    assert doc["transfer_codings"] == {'A"B\\C': 1, "<i>\xc3\xa9": 1}, doc
    assert doc["other_transfer_codings"] == 1, doc
    assert by_label(prometheus(srv),
                    "notimpl_transfer_coding_responses_total") == {
        'A"B\\\\C': 1, "<i>\\xc3\\xa9": 1}
    promtool_check(srv)
    auto = status_auto(srv)
    assert auto['NotImplTransferCoding A"B\\\\C'] == "1", auto
    assert auto["NotImplTransferCoding <i>\\xc3\\xa9"] == "1", auto
    html = srv.request("GET", "/server-status").body
    assert b"<td>A&quot;B\\\\C</td><td>1</td>" in html
    assert b"<td>&lt;i&gt;\\xc3\\xa9</td><td>1</td>" in html
    assert b"<i>\xc3" not in html


def test_prometheus_output_passes_promtool_with_odd_names(httpd):
    srv = httpd(STATUS + "HttpProtocolOptions Unsafe\n", modules=["status"])
    for m in (b'BR"EW', b"A\\B", b"<i>\xc3\xa9", b"X" * 60, b"PURGE"):
        r = srv.raw(b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    % m)
        assert r[0].status == 501, r
    junk_codings(srv, 3, "g")
    assert prometheus(srv)[("notimpl_other_method_responses_total",
                            None)] == 1
    promtool_check(srv)


# -- would-refuse numbers (NotImplEngine ReportOnly) ---------------------

def test_would_refuse_numbers_are_served_apart_from_real_501s(httpd):
    # Nothing here is ReportOnly: every would-refuse number is zero while
    # the real ones count, in each output.
    srv = httpd(STATUS, modules=["status"])
    assert_notimpl(srv.request("BREW", "/"), "BREW")
    doc = counters(srv)
    assert doc["total"] == 1 and doc["methods"] == {"BREW": 1}, doc
    assert doc["would_refuse"] == {
        "total": 0, "methods": {}, "other_methods": 0,
        "transfer_codings": {}, "other_transfer_codings": 0}, doc
    r = srv.request("GET", "/notimpl-status?format=prometheus")
    text = r.body.decode()
    for family in ("notimpl_would_refuse_requests_total",
                   "notimpl_would_refuse_transfer_coding_requests_total",
                   "notimpl_would_refuse_other_method_requests_total",
                   "notimpl_would_refuse_other_transfer_coding_requests_total",
                   "notimpl_would_refuse_all_requests_total"):
        assert "# TYPE %s counter\n" % family in text, text
    prom = prometheus(srv)
    assert prom[("notimpl_would_refuse_all_requests_total", None)] == 0
    assert prom[("notimpl_would_refuse_other_method_requests_total",
                 None)] == 0
    assert by_label(prom, "notimpl_would_refuse_requests_total") == {}
    promtool_check(srv)
    auto = status_auto(srv)
    assert auto["NotImplWouldRefuseTotal"] == "0", auto
    assert auto["NotImplWouldRefuseOtherMethods"] == "0", auto
    assert not [k for k in auto if k.startswith("NotImplWouldRefuseMethod")]
    html = srv.request("GET", "/server-status").body.decode("latin-1")
    assert "<dt>Would refuse (NotImplEngine ReportOnly): 0</dt>" in html


def test_a_name_declared_only_in_a_section_is_counted_exactly(httpd):
    # SPEC "Observability": every name the configuration declares, in a
    # <Directory> or <Location> as much as at server scope.
    srv = httpd(STATUS + '<Location "/">\n'
                "    NotImplMethods +MKTEA\n"
                "</Location>\n"
                '<Directory "@DOCROOT@">\n'
                "    NotImplMethods -BREWX\n"
                "</Directory>\n", modules=["status"])
    concurrently(srv, junk_methods(300, 7))
    assert [r.status for r in concurrently(srv, ["MKTEA"] * 2)] == [501] * 2
    concurrently(srv, junk_methods(600, 8))
    doc = counters(srv)
    assert doc["total"] == 902, doc
    assert doc["methods"]["MKTEA"] == 2, doc
    assert_adds_up(doc)
