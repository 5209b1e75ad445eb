# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Demand counters (docs/observability.md): a closed set of names (httpd's
registered methods, the IANA method registry, QUERY, PURGE, every declared
name; the IANA transfer codings) counted exactly by name across every
child process and thread and over a graceful restart, every other name
under other and never in a label; would-refuse requests split by what the
server answered (served, refused) and the `suggest` line made from them;
served by `SetHandler notimpl-status` as JSON or Prometheus text, and as
a section of mod_status."""

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

import pytest

from harness import (IO_TIMEOUT, STOCK_501_LOG, assert_notimpl,
                     loopback_backend, BackendHandler)

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
ACCESS_LOG = 'CustomLog "@DIR@/logs/access.log" "%<m %>s %{NOTIMPL}e"\n'

# httpd's own method names (httpd.h, M_GET .. M_MERGE), the IANA HTTP
# Method Registry and the two docs/observability.md adds (QUERY, PURGE):
# every label value a server without declarations may show.
HTTPD_METHODS = set("""GET PUT POST DELETE CONNECT OPTIONS TRACE PATCH
PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK VERSION-CONTROL CHECKOUT
UNCHECKOUT CHECKIN UPDATE LABEL REPORT MKWORKSPACE MKACTIVITY
BASELINE-CONTROL MERGE""".split())
IANA_METHODS = set("""ACL BASELINE-CONTROL BIND CHECKIN CHECKOUT CONNECT
COPY DELETE GET HEAD LABEL LINK LOCK MERGE MKACTIVITY MKCALENDAR MKCOL
MKREDIRECTREF MKWORKSPACE MOVE OPTIONS ORDERPATCH PATCH POST PRI PROPFIND
PROPPATCH PUT REBIND REPORT SEARCH TRACE UNBIND UNCHECKOUT UNLINK UNLOCK
UPDATE UPDATEREDIRECTREF VERSION-CONTROL""".split())
CLOSED_METHODS = HTTPD_METHODS | IANA_METHODS | {"QUERY", "PURGE"}
IANA_CODINGS = {"chunked", "compress", "deflate", "gzip", "trailers",
                "x-compress", "x-gzip"}


# -- reading the counters ------------------------------------------------

def counters(srv):
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    assert r.content_type == "application/json; charset=utf-8", r
    return r.json()


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
                    r'(,|$)')


def _unescape_label(value):
    return re.sub(r'\\([\\"n])',
                  lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def _labels(text):
    out, pos = [], 0
    while pos < len(text):
        m = _LABEL.match(text, pos)
        assert m, "bad label set: %r" % text
        out.append((m.group(1), _unescape_label(m.group(2))))
        pos = m.end()
    return out


def prometheus(srv):
    """{(metric, labels): number} after checking every line against the
    text exposition format (0.0.4); labels is None, the one label's value,
    or the tuple of the values in order (method or coding, outcome)."""
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
        labels = _labels(m.group(2)) if m.group(2) else []
        key = (m.group(1), None if not labels else labels[0][1]
               if len(labels) == 1 else tuple(v for _, v in labels))
        assert key not in samples, "duplicate series: %r" % line
        samples[key] = float(m.group(3))
    for name in ("notimpl_responses_total",
                 "notimpl_other_method_responses_total",
                 "notimpl_transfer_coding_responses_total",
                 "notimpl_all_responses_total",
                 "notimpl_would_refuse_requests_total",
                 "notimpl_would_refuse_all_requests_total"):
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


def assert_everywhere(srv, methods, other=0, codings=None, other_codings=0):
    """The same refusals in JSON, Prometheus and mod_status ?auto."""
    codings = codings or {}
    total = sum(methods.values()) + other + sum(codings.values()) \
        + other_codings
    doc = counters(srv)
    assert doc["total"] == total, doc
    assert doc["methods"] == methods, doc
    assert doc["other_methods"] == other, doc
    assert doc["transfer_codings"] == codings, doc
    assert doc["other_transfer_codings"] == other_codings, doc
    prom = prometheus(srv)
    assert by_label(prom, "notimpl_responses_total") == methods
    assert by_label(prom, "notimpl_transfer_coding_responses_total") == codings
    assert prom[("notimpl_other_method_responses_total", None)] == other
    assert prom[("notimpl_other_transfer_coding_responses_total",
                 None)] == other_codings
    assert prom[("notimpl_all_responses_total", None)] == total
    auto = status_auto(srv)
    assert int(auto["NotImplTotal"]) == total, auto
    assert int(auto["NotImplOtherMethods"]) == other, auto
    assert {k[len("NotImplMethod "):]: int(v) for k, v in auto.items()
            if k.startswith("NotImplMethod ")} == methods, auto
    assert {k[len("NotImplTransferCoding "):]: int(v) for k, v in auto.items()
            if k.startswith("NotImplTransferCoding ")} == codings, auto
    return doc


def label_values(samples):
    """Every method and coding label value in an exposition."""
    methods, codings = set(), set()
    for (name, labels), _ in samples.items():
        if labels is None or "_other_" in name or "_all_" in name:
            continue        # no label, or only the outcome
        value = labels[0] if isinstance(labels, tuple) else labels
        (codings if "coding" in name else methods).add(value)
    return methods, codings


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


def concurrently(srv, methods, workers=16, path="/"):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda m: srv.request(m, path), methods))


def raw_statuses(srv, requests, workers=16):
    """Each request (bytes) on its own connection, read to the close;
    the status of each answer."""
    def one(data):
        with socket.create_connection(("127.0.0.1", srv.port),
                                      timeout=IO_TIMEOUT) as s:
            s.sendall(data)
            buf = b""
            while len(buf) < 13 or b"\r\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            return int(buf.split(b" ", 2)[1])
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, requests))


def notimpl_log(srv, expected):
    return srv.wait_for_log(lambda lines: len(lines) >= expected,
                            "notimpl.log")


def junk_methods(n, seed):
    rnd = random.Random(seed)
    names = set()
    while len(names) < n:
        names.add("J" + "".join(rnd.choice(string.ascii_uppercase)
                                for _ in range(rnd.randint(5, 12))))
    return sorted(names)


def assert_adds_up(doc):
    for d in (doc, doc["would_refuse"]):
        assert sum(d["methods"].values()) + d["other_methods"] \
            + sum(d["transfer_codings"].values()) \
            + d["other_transfer_codings"] == d["total"], doc


# -- exactness -----------------------------------------------------------

def _exact_across_children(httpd, mpm, mpm_conf, width):
    srv = httpd(STATUS + mpm_conf + "NotImplMethods +PATCH\n" + NOTIMPL_LOG,
                modules=["status"], mpm=mpm)
    sent = ["BREW"] * 30 + ["PATCH"] * 20 + ["PROPFIND"] * 20
    random.Random(7).shuffle(sent)
    assert burst(srv, sent, width) == [501] * 70
    # BREW is nobody's name: other.  PROPFIND is IANA's (and unknown to
    # this httpd, so refused by "auto").
    assert_everywhere(srv, {"PATCH": 20, "PROPFIND": 20}, other=30)
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


REGISTERED = STATUS + "NotImplRegister MKTEA\n" \
    "NotImplMethods +PATCH +MKTEA +SPLAT\n"


@pytest.mark.load
def test_10000_junk_names_leave_no_label_outside_the_closed_set(httpd):
    # Issue 22, done-when: 10,000 distinct junk methods and 10,000
    # distinct junk codings; every label value is registered, IANA,
    # QUERY/PURGE or declared, declared names stay exact, total is exact.
    srv = httpd(REGISTERED + "LogLevel warn\n", modules=["status"])
    junk = junk_methods(10000, 22)
    reqs = [b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            % m.encode() for m in junk]
    reqs += [b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             b"Transfer-Encoding: j%d, chunked\r\n\r\n0\r\n\r\n" % i
             for i in range(10000)]
    named = [b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % m
             for m in [b"PATCH"] * 3 + [b"MKTEA"] * 2 + [b"SPLAT"] * 4
             + [b"PURGE"] * 5]
    reqs += [b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             b"Transfer-Encoding: GZip, chunked\r\n\r\n0\r\n\r\n"] * 6
    reqs += named
    random.Random(23).shuffle(reqs)
    assert raw_statuses(srv, reqs) == [501] * len(reqs)
    doc = assert_everywhere(srv, {"PATCH": 3, "MKTEA": 2, "SPLAT": 4,
                                  "PURGE": 5}, other=10000,
                            codings={"gzip": 6}, other_codings=10000)
    assert doc["total"] == 20020
    closed = CLOSED_METHODS | {"MKTEA", "SPLAT"}
    methods, codings = label_values(prometheus(srv))
    assert methods <= closed, methods - closed
    assert codings <= IANA_CODINGS, codings - IANA_CODINGS
    promtool_check(srv)
    html = srv.request("GET", "/server-status").body.decode("latin-1")
    section = html[html.index("<h2>mod_notimpl"):]
    assert not re.search(r"\bJ[A-Z]{5}|\bj\d", section)


def test_transfer_codings_count_by_iana_name_in_lower_case(httpd):
    srv = httpd(STATUS, modules=["status"])
    for coding in ("gzip", "GZIP", "X-Gzip", "br", "Q\\x"):
        r = srv.raw(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Transfer-Encoding: %s, chunked\r\n\r\n0\r\n\r\n"
                    % coding.encode())
        assert r[0].status == 501, r
    assert_everywhere(srv, {}, codings={"gzip": 2, "x-gzip": 1},
                      other_codings=2)
    promtool_check(srv)


def test_client_bytes_never_reach_a_label_or_the_status_page(httpd):
    # Strict parsing (the default) refuses these methods with 400.
    srv = httpd(STATUS + "HttpProtocolOptions Unsafe\nExtendedStatus Off\n",
                modules=["status"])
    sent = [b'BR"EW', b"A\\B", b"<i>\xc3\xa9", b"L" * 60, b"purge"]
    for m in sent:
        r = srv.raw(b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    % m)
        assert r[0].status == 501, r
    # Method names are case-sensitive: "purge" is not PURGE.
    assert_everywhere(srv, {}, other=5)
    promtool_check(srv)
    page = srv.request("GET", "/server-status").body
    plain = srv.request("GET", "/server-status?notable").body
    for m in sent:
        assert m not in page and m not in plain
    assert b"<i>other methods</i>" in page


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
    since = assert_everywhere(srv, {"PATCH": 2}, other=5)["since"]
    _restart(srv, "graceful")
    assert counters(srv)["since"] == since
    assert_everywhere(srv, {"PATCH": 2}, other=5)
    concurrently(srv, ["BREW"] * 3 + ["PROPFIND"])
    assert_everywhere(srv, {"PATCH": 2, "PROPFIND": 1}, other=8)
    # And once more, SIGUSR1 straight to the parent.
    before = _generation(srv)
    os.kill(srv.proc.pid, signal.SIGUSR1)
    deadline = time.monotonic() + IO_TIMEOUT
    while (_generation(srv) or before) <= before:
        assert time.monotonic() < deadline, "no graceful restart"
        time.sleep(0.05)
    assert counters(srv)["since"] == since
    assert_everywhere(srv, {"PATCH": 2, "PROPFIND": 1}, other=8)


def test_names_declared_by_a_graceful_restart_get_their_slot(httpd):
    # Issue 22 defect 4: 64 names declared by a second restart all count
    # by name (the pool used to take 29 of them), and the first
    # generation's names keep their counts.
    srv = httpd(STATUS + EVENT + "NotImplMethods +PATCH +XA\n",
                modules=["status"])
    concurrently(srv, ["PATCH"] * 2 + ["XA"] * 3 + junk_methods(50, 4))
    srv.config_body = STATUS + EVENT + "NotImplMethods +PATCH +XB\n"
    srv.write_config(srv.port)
    _restart(srv, "graceful")
    new = ["N%02d" % i for i in range(64)]
    srv.config_body = STATUS + EVENT + "NotImplMethods +PATCH +XB %s\n" \
        % " ".join("+" + n for n in new)
    srv.write_config(srv.port)
    _restart(srv, "graceful")
    statuses = concurrently(srv, new + ["XB"] + junk_methods(50, 5))
    assert [r.status for r in statuses] == [501] * 115
    doc = counters(srv)
    assert doc["methods"] == dict({n: 1 for n in new}, PATCH=2, XA=3, XB=1)
    assert doc["other_methods"] == 100, doc
    assert doc["total"] == 170, doc
    assert "NI0103" not in srv.read_log()


def test_a_full_restart_starts_counting_afresh(httpd):
    srv = httpd(STATUS + "NotImplMethods +PATCH\n", modules=["status"])
    concurrently(srv, ["PATCH"] * 4)
    since = counters(srv)["since"]
    _restart(srv, "full")
    doc = assert_everywhere(srv, {})
    assert doc["since"] >= since      # RFC 3339 UTC sorts as text
    assert_notimpl(srv.request("PATCH", "/"), "PATCH")
    assert_everywhere(srv, {"PATCH": 1})


def test_names_beyond_the_slots_are_said_once_and_count_as_other(httpd):
    many = ["N%03d" % i for i in range(300)]
    srv = httpd(STATUS + "NotImplMethods %s\n" % " ".join(
        "+" + n for n in many), modules=["status"])
    assert [r.status for r in concurrently(srv, many)] == [501] * 300
    # Answered: start-up (where the line is written) is over.
    lines = [line for line in srv.log_lines() if "NI0103" in line]
    assert len(lines) == 1, lines
    # Registered and IANA names come first: only declared ones miss out.
    slots_for_many = 256 - len(CLOSED_METHODS)
    missing = many[slots_for_many:]
    assert "[notimpl:info]" in lines[0], lines
    assert "%d method name(s) found no slot" % len(missing) in lines[0]
    assert lines[0].endswith(" ".join(missing[:10]) + " ..."), lines
    doc = counters(srv)
    assert doc["slots_used"] == doc["slots"] == 256, doc
    assert doc["other_methods"] == len(missing), doc
    assert sum(doc["methods"].values()) == 300 - len(missing), doc
    assert set(doc["methods"]) == set(many) - set(missing)


# -- what is counted, and the logs ----------------------------------------

def test_counted_refusals_are_exactly_the_notimpl_customlog(httpd):
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
    doc = assert_everywhere(srv, {"PURGE": 1}, other=2)
    assert doc["total"] == len(logged)


def test_a_refusal_turned_into_a_redirect_is_still_counted(httpd):
    # Issue 22 defect 6: ErrorDocument 501 with a URL answers 302; the
    # request was refused all the same, and the help texts say so.
    srv = httpd(STATUS + 'ErrorDocument 501 "http://errors.invalid/501"\n'
                "NotImplMethods +PATCH\n", modules=["status"])
    r = srv.request("PATCH", "/")
    assert r.status == 302, r
    assert_everywhere(srv, {"PATCH": 1})
    text = srv.request("GET", "/notimpl-status?format=prometheus").body
    helps = re.findall(rb"^# HELP (notimpl_\S+) (.*)$", text, re.M)
    assert helps
    for name, help_text in helps:
        assert b"501 responses" not in help_text, name
    assert dict(helps)[b"notimpl_responses_total"].startswith(
        b"Requests mod_notimpl refused")
    html = srv.request("GET", "/server-status").body.decode()
    assert "Requests refused since" in html and "501 responses" not in html


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
    assert_notimpl(srv.request("PROPFIND", "/notimpl-status"), "PROPFIND")
    assert counters(srv)["methods"] == {"PROPFIND": 1}


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
    # Every registered and IANA name has its slot from the start.
    assert doc["slots"] == 256 and doc["slots_used"] >= len(CLOSED_METHODS)
    assert doc["would_refuse"] == {
        "total": 0, "methods": {}, "other_methods": 0,
        "transfer_codings": {}, "other_transfer_codings": 0, "served": {},
        "other_served": 0, "transfer_codings_served": {},
        "other_transfer_codings_served": 0, "suggest": ""}, doc
    assert srv.request("GET", "/notimpl-status?format=xml").status == 400
    assert srv.request("GET", "/notimpl-status?a=1;format=prometheus") \
        .content_type.startswith("text/plain; version=0.0.4")


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
    assert_notimpl(srv.request("MKCOL", "/"), "MKCOL")
    assert counters(srv)["methods"] == {"MKCOL": 1}
    assert prometheus(srv)[("notimpl_responses_total", "MKCOL")] == 1


def test_server_status_has_the_section_without_extended_status(httpd):
    srv = httpd(STATUS + "ExtendedStatus Off\nNotImplMethods +PATCH\n",
                modules=["status"])
    concurrently(srv, ["PATCH"] * 3 + ["BREW"])
    html = srv.request("GET", "/server-status").body.decode("latin-1")
    assert "<h2>mod_notimpl: methods not implemented</h2>" in html
    assert "<tr><td>PATCH</td><td>3</td></tr>" in html
    assert "<tr><td><i>other methods</i></td><td>1</td></tr>" in html
    plain = srv.request("GET", "/server-status?notable").body
    assert b"Method PATCH: 3 refused<br />" in plain
    auto = status_auto(srv)
    assert auto["NotImplTotal"] == "4"
    assert auto["NotImplMethod PATCH"] == "3"
    assert auto["NotImplOtherMethods"] == "1"
    assert auto["NotImplSlots"] == "256"


def test_a_name_declared_only_in_a_section_is_counted_exactly(httpd):
    # docs/observability.md: every name the configuration declares, in a
    # <Directory> or <Location> as much as at server scope.
    srv = httpd(STATUS + '<Location "/">\n'
                "    NotImplMethods +MKTEA\n"
                "</Location>\n"
                '<Directory "@DOCROOT@">\n'
                "    NotImplMethods -BREWX\n"
                "</Directory>\n", modules=["status"])
    concurrently(srv, junk_methods(30, 7))
    assert [r.status for r in concurrently(srv, ["MKTEA"] * 2)] == [501] * 2
    doc = counters(srv)
    assert doc["total"] == 32, doc
    assert doc["methods"] == {"MKTEA": 2}, doc
    assert doc["other_methods"] == 30, doc
    assert_adds_up(doc)


# -- would-refuse: served or refused (issue 23) ---------------------------

class _App(BackendHandler):
    """An application that implements PROPFIND and MKCALENDAR (and GET),
    and answers 405 to MKCOL."""
    answers = {"PROPFIND": 207, "MKCALENDAR": 201, "MKCOL": 405}


@pytest.fixture
def app():
    with loopback_backend(_App) as server:
        yield server


REPORT_APP = STATUS + """
NotImplEngine ReportOnly
NotImplMethods +MKCALENDAR
ProxyPass "/notimpl-status" "!"
ProxyPass "/server-status" "!"
ProxyPass "/app/" "http://127.0.0.1:@APP@/"
""" + ACCESS_LOG

PROXY = ["status", "proxy", "proxy_http"]


def report_app(app):
    return REPORT_APP.replace("@APP@", str(app.server_port))


def outcomes_from_access_log(srv, expected):
    """{(method, "served"|"refused"): n} over the access log's lines that
    the module marked report, by %>s."""
    lines = srv.wait_for_log(
        lambda ls: sum(line.endswith(" report") for line in ls) >= expected,
        "access.log")
    out = {}
    for line in lines:
        method, status, env = line.split()
        if env == "report":
            key = (method, "served" if int(status) < 400 else "refused")
            out[key] = out.get(key, 0) + 1
    return out


def would_by_outcome(srv):
    return {k: v for k, v in by_label(
        prometheus(srv), "notimpl_would_refuse_requests_total").items() if v}


def test_would_refuse_is_split_by_what_the_server_answered(httpd, app):
    srv = httpd(report_app(app) + "LogLevel warn\n",
                modules=PROXY, expect_log=[STOCK_501_LOG])
    sent = [("PROPFIND", "/app/cal/", 207), ("MKCALENDAR", "/app/c2/", 201),
            ("MKCOL", "/app/x/", 405), ("PROPFIND", "/static.txt", 405),
            ("BREW", "/app/x", 200), ("BREW", "/static.txt", 501),
            ("PROPFIND", "/app/cal/", 207)]
    for method, path, status in sent:
        assert srv.request(method, path).status == status, (method, path)
    doc = counters(srv)
    assert doc["total"] == 0, doc
    wr = doc["would_refuse"]
    assert wr["total"] == 7, doc
    assert wr["methods"] == {"PROPFIND": 3, "MKCALENDAR": 1, "MKCOL": 1}
    assert wr["other_methods"] == 2, doc
    assert wr["served"] == {"PROPFIND": 2, "MKCALENDAR": 1}, doc
    assert wr["other_served"] == 1, doc
    assert wr["suggest"].split("\n")[0] \
        == "NotImplMethods -MKCALENDAR -PROPFIND", doc
    assert "NI0003" in wr["suggest"].split("\n")[1], doc
    assert outcomes_from_access_log(srv, len(sent)) == {
        ("PROPFIND", "served"): 2, ("PROPFIND", "refused"): 1,
        ("MKCALENDAR", "served"): 1, ("MKCOL", "refused"): 1,
        ("BREW", "served"): 1, ("BREW", "refused"): 1}
    prom = prometheus(srv)
    assert would_by_outcome(srv) == {
        ("PROPFIND", "served"): 2, ("PROPFIND", "refused"): 1,
        ("MKCALENDAR", "served"): 1, ("MKCOL", "refused"): 1}
    # Every outcome of a listed name, zero or not, so increase() sees the
    # first of each.
    assert prom[("notimpl_would_refuse_requests_total",
                 ("MKCOL", "served"))] == 0
    assert prom[("notimpl_would_refuse_other_method_requests_total",
                 "served")] == 1
    assert prom[("notimpl_would_refuse_other_method_requests_total",
                 "refused")] == 1
    assert prom[("notimpl_would_refuse_all_requests_total", "served")] == 4
    assert prom[("notimpl_would_refuse_all_requests_total", "refused")] == 3
    promtool_check(srv)
    auto = status_auto(srv)
    assert auto["NotImplWouldRefuseTotal"] == "7", auto
    assert auto["NotImplWouldRefuseServed PROPFIND"] == "2", auto
    assert auto["NotImplWouldRefuseOtherServed"] == "1", auto
    assert auto["NotImplSuggest"] == "NotImplMethods -MKCALENDAR -PROPFIND"
    html = srv.request("GET", "/server-status").body.decode()
    assert "<tr><td>PROPFIND</td><td>2</td><td>1</td></tr>" in html
    assert "<pre>NotImplMethods -MKCALENDAR -PROPFIND\n# 1 served" in html
    plain = srv.request("GET", "/server-status?notable").body.decode()
    assert "Method (would refuse) PROPFIND: 2 served, 1 refused<br />" \
        in plain


def test_the_suggest_line_keeps_working_what_was_served(httpd, app):
    srv = httpd(report_app(app), modules=PROXY)
    for method in ("PROPFIND", "MKCALENDAR", "MKCOL"):
        srv.request(method, "/app/x/")
    line = counters(srv)["would_refuse"]["suggest"]
    assert line == "NotImplMethods -MKCALENDAR -PROPFIND"
    on = httpd((report_app(app)).replace(
        "NotImplEngine ReportOnly", "NotImplEngine On") + line + "\n",
        modules=PROXY)
    assert on.request("PROPFIND", "/app/x/").status == 207
    assert on.request("MKCALENDAR", "/app/x/").status == 201
    assert_notimpl(on.request("MKCOL", "/app/x/"), "MKCOL")


def test_a_report_whose_errordocument_chain_ends_in_200_counts_served(
        httpd, app):
    # MKCALENDAR (declared, not registered) on a file: stock's 501 from
    # the default handler, whose ErrorDocument is a page of the
    # application: the chain's last request answers 200, which the client
    # got and %>s logs.
    srv = httpd(report_app(app)
                + 'ErrorDocument 501 "/app/sorry"\n', modules=PROXY,
                expect_log=[STOCK_501_LOG])
    r = srv.request("MKCALENDAR", "/static.txt")
    assert r.status == 200 and r.body == b"backend GET /sorry\n", r
    wr = counters(srv)["would_refuse"]
    assert wr["served"] == {"MKCALENDAR": 1} and wr["total"] == 1, wr
    assert outcomes_from_access_log(srv, 1) == {("MKCALENDAR", "served"): 1}


def test_the_notimpl_log_line_names_the_virtual_host(httpd):
    srv = httpd(STATUS + """
NotImplEngine ReportOnly
<VirtualHost *:@PORT@>
    ServerName one.test
</VirtualHost>
<VirtualHost *:@PORT@>
    ServerName two.test
</VirtualHost>
CustomLog "@DIR@/logs/notimpl.log" "%v %m %>s" env=NOTIMPL
""", modules=["status"], expect_log=[STOCK_501_LOG])
    srv.request("PROPFIND", "/", host="two.test")
    lines = [line for line in srv.log_lines() if "NI0003" in line]
    assert len(lines) == 1 and "virtual host two.test" in lines[0], lines
    assert notimpl_log(srv, 1) == ["two.test PROPFIND 405"]


# -- would-refuse under load: HTTP/1.1, h2c, a graceful restart -----------

H2C = "Protocols h2c http/1.1\n"


def h2load(srv, method, path, n):
    """n requests of method over h2c, 4 connections of 4 streams; how
    many got an answer (a graceful restart's GOAWAY may cut some short)."""
    exe = shutil.which("h2load")
    assert exe, "h2load missing: ./run installs nghttp2-client"
    p = subprocess.run([exe, "-n", str(n), "-c", "4", "-m", "4", "-H",
                        ":method: %s" % method,
                        "http://127.0.0.1:%d%s" % (srv.port, path)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120)
    out = p.stdout.decode()
    m = re.search(r"requests: \d+ total, \d+ started, \d+ done, "
                  r"(\d+) succeeded, (\d+) failed, (\d+) errored", out)
    assert m, out
    # What got an HTTP answer: succeeded, or failed with a 4xx/5xx.
    # "errored" (inside "failed") are streams a graceful restart cut
    # short or never started; such a stream may or may not be logged.
    return int(m.group(1)) + int(m.group(2)) - int(m.group(3))


@pytest.mark.load
def test_served_and_refused_are_exact_under_load_and_a_graceful_restart(
        httpd, app):
    # Issue 23, done-when: checked against the access log's %>s, the
    # would-refuse counts of HTTP/1.1 and h2c traffic at once, across a
    # graceful restart in the middle of it.
    srv = httpd(report_app(app) + H2C + "LogLevel warn\n",
                modules=PROXY + ["http2"], expect_log=[STOCK_501_LOG])
    answered = 0
    for rnd in range(2):
        with ThreadPoolExecutor(5) as pool:
            h2 = [pool.submit(h2load, srv, "PROPFIND", "/app/a/", 300),
                  pool.submit(h2load, srv, "MKCOL", "/app/b/", 300)]
            h1 = [pool.submit(concurrently, srv, ["MKCALENDAR"] * 60, 8,
                              "/static.txt"),
                  pool.submit(concurrently, srv, ["BREW"] * 60, 8,
                              "/app/c")]
            if rnd == 1:
                pool.submit(_restart, srv, "graceful").result()
            answered += sum(j.result() for j in h2)
            answered += sum(len(j.result()) for j in h1)
    # A stream the restart cut short may still be logged and counted
    # after the clients are done: read both until they rest, then compare.
    deadline = time.monotonic() + 30
    while True:
        logged = outcomes_from_access_log(srv, answered)
        wr = counters(srv)["would_refuse"]
        if wr["total"] == sum(logged.values()) \
                or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    # The first round is whole (840), the second cut short at most.
    assert sum(logged.values()) >= answered > 840
    assert wr["total"] == sum(logged.values()), (wr, logged)
    assert wr["served"] == {"PROPFIND": logged[("PROPFIND", "served")]}, wr
    assert wr["other_served"] == logged[("BREW", "served")] == 120, wr
    assert would_by_outcome(srv) == {
        k: v for k, v in logged.items() if k[0] != "BREW"}
    assert logged[("MKCALENDAR", "refused")] == 120
    assert set(logged) == {("PROPFIND", "served"), ("MKCOL", "refused"),
                           ("MKCALENDAR", "refused"), ("BREW", "served")}


def test_a_report_served_through_a_directory_index_counts_once(httpd):
    # mod_dir's DirectoryIndex is a fast internal redirect (no second
    # request_rec in the chain): the report still counts, once.
    srv = httpd(STATUS + "NotImplEngine ReportOnly\nNotImplMethods +POST\n"
                "DirectoryIndex index.html\n" + ACCESS_LOG,
                modules=["status"], files={"d/index.html": "hi\n"})
    r = srv.request("POST", "/d/", body=b"x")
    assert (r.status, r.body) == (200, b"hi\n"), r
    wr = counters(srv)["would_refuse"]
    assert wr["served"] == {"POST": 1} and wr["total"] == 1, wr
    assert wr["suggest"] == "NotImplMethods -POST", wr
    assert outcomes_from_access_log(srv, 1) == {("POST", "served"): 1}


def test_a_name_only_an_htaccess_file_declares_counts_as_other(httpd):
    # .htaccess is read after start-up: its names are not declared, so a
    # junk name there cannot become a label; a name of the closed set
    # still counts by name.
    srv = httpd(STATUS + '<Directory "@DOCROOT@/h">\n'
                "    AllowOverride Limit\n</Directory>\n",
                files={"h/.htaccess": "NotImplMethods +XHTACCESS +PATCH\n",
                       "h/a.txt": "a\n"}, modules=["status"])
    assert_notimpl(srv.request("XHTACCESS", "/h/a.txt"), "XHTACCESS")
    assert_notimpl(srv.request("PATCH", "/h/a.txt"), "PATCH")
    assert_everywhere(srv, {"PATCH": 1}, other=1)


def test_slots_no_generation_declares_are_reused_two_restarts_later(httpd):
    # 256 slots: the closed set without declarations, then declared names
    # to fill the rest.  A restart that declares other names finds no
    # room (the previous generation's children may still count); the one
    # after gives them the slots, and the old names' counts move to other.
    room = 256 - len(CLOSED_METHODS)
    old = ["O%03d" % i for i in range(room)]
    new = ["N%03d" % i for i in range(8)]

    def declare(names):
        srv.config_body = STATUS + "NotImplMethods %s\n" % " ".join(
            "+" + n for n in names)
        srv.write_config(srv.port)

    srv = httpd(STATUS + "NotImplMethods %s\n" % " ".join(
        "+" + n for n in old), modules=["status"])
    concurrently(srv, old[:3])
    assert counters(srv)["methods"] == dict.fromkeys(old[:3], 1)
    declare(new)
    _restart(srv, "graceful")
    concurrently(srv, new)
    doc = counters(srv)
    assert doc["methods"] == dict.fromkeys(old[:3], 1), doc
    assert doc["other_methods"] == 8, doc
    declare(new)
    _restart(srv, "graceful")
    concurrently(srv, new)
    doc = counters(srv)
    assert doc["methods"] == dict.fromkeys(new, 1), doc
    assert doc["other_methods"] == 8 + 3, doc
    assert doc["total"] == 3 + 8 + 8, doc
    assert len([line for line in srv.log_lines() if "NI0103" in line]) == 1
