# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Prometheus, checked by Prometheus (issue 16, deliverable 5; issues 22
and 23): the exposition of `notimpl-status?format=prometheus`, after
requests with every awkward kind of name, has label values from the closed
set only and passes `promtool check metrics`, with the would-refuse
families' outcome label; the rules
shipped in conf-examples/notimpl.rules.yml pass `promtool check rules` and
their unit tests (`promtool test rules`), and name only metrics the module
exposes.  promtool comes with Debian's prometheus package (in run's
TEST_PACKAGES)."""

import os
import re
import shutil
import subprocess

import pytest

from harness import REPO, STOCK_501_LOG
from test_counters import by_label, prometheus

CONF_EXAMPLES = os.path.join(REPO, "conf-examples")
RULES = os.path.join(CONF_EXAMPLES, "notimpl.rules.yml")
RULES_TEST = os.path.join(CONF_EXAMPLES, "notimpl.rules.test.yml")

STATUS = """
<Location "/notimpl-status">
    SetHandler notimpl-status
</Location>
# Strict parsing (the default) answers 400 to most of these methods.
HttpProtocolOptions Unsafe
NotImplMethods +PATCH
"""

# Method names as sent: none is a name of the closed set, so each is
# counted under other and none reaches a label (issue 22 defect 4).
AWKWARD_METHODS = [
    b'BR"EW',                      # a quote
    b"A\\B",                       # a backslash
    b"<i>\xc3\xa9",                # UTF-8 bytes
    b"\xff\xfeX",                  # bytes that are not UTF-8
    b'M{method="GET"}',            # label syntax inside a label value
    b"#TYPE",                      # a comment marker
    b"L" * 60,                     # long
    b"patch",                      # PATCH in the wrong case
]
# Transfer codings as sent (before ", chunked").
AWKWARD_CODINGS = [
    b'"q\\"x"',                    # a quoted string with an escaped quote
    b"a\\b",
    b"gz\xffip",                   # a byte >= 0x80
    b"y" * 50,
]
# And one of each kind that the closed set names.
NAMED = [b"PATCH"]
NAMED_CODINGS = [b"GZIP"]


def promtool(*args, stdin=None):
    exe = shutil.which("promtool")
    if exe is None:
        pytest.fail("promtool is not installed (apt-get install prometheus; "
                    "./run test installs it)", pytrace=False)
    p = subprocess.run([exe, *args], input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120,
                       cwd=CONF_EXAMPLES)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def send_awkward_names(srv):
    for m in AWKWARD_METHODS + NAMED:
        srv.raw(b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % m)
    for c in AWKWARD_CODINGS + NAMED_CODINGS:
        srv.raw(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: %s, "
                b"chunked\r\nConnection: close\r\n\r\n0\r\n\r\n" % c)


def exposition(srv):
    r = srv.request("GET", "/notimpl-status?format=prometheus")
    assert r.status == 200, r
    return r.body


def assert_promtool_accepts(text):
    rc, out = promtool("check", "metrics", stdin=text)
    assert rc == 0, "promtool check metrics:\n%s\n---\n%s" % (
        out, text.decode("utf-8", "replace"))
    # The check is not vacuous: the same text with one label value's
    # closing quote gone is refused.
    broken = re.sub(rb'="([^"]*)"', rb'="\1', text, count=1)
    assert broken != text
    rc, out = promtool("check", "metrics", stdin=broken)
    assert rc != 0, out


def test_exposition_after_awkward_names_has_only_closed_set_labels(httpd):
    srv = httpd(STATUS)
    send_awkward_names(srv)
    samples = prometheus(srv)
    assert by_label(samples, "notimpl_responses_total") == {"PATCH": 1}
    assert by_label(samples, "notimpl_transfer_coding_responses_total") \
        == {"gzip": 1}
    assert samples[("notimpl_other_method_responses_total", None)] \
        == len(AWKWARD_METHODS)
    assert samples[("notimpl_other_transfer_coding_responses_total",
                    None)] == len(AWKWARD_CODINGS)
    text = exposition(srv)
    # No escape anywhere: no label value holds a quote or a backslash.
    assert b"\\" not in text
    assert_promtool_accepts(text)


def test_would_refuse_exposition_has_the_outcome_label(httpd):
    # NotImplEngine ReportOnly: the same names, counted as would-refuse,
    # each by what the server then answered (stock's 501: refused).
    srv = httpd(STATUS + "NotImplEngine ReportOnly\n")
    # Under ReportOnly the methods reach httpd's default handler.
    srv.expect_log(STOCK_501_LOG)
    send_awkward_names(srv)
    samples = prometheus(srv)
    # PATCH on a file is 405 (refused); the codings' POSTs are answered
    # 200 once the module lets them through.
    assert by_label(samples, "notimpl_would_refuse_requests_total") \
        == {("PATCH", "served"): 0, ("PATCH", "refused"): 1}
    codings = by_label(samples,
                       "notimpl_would_refuse_transfer_coding_requests_total")
    assert set(codings) == {("gzip", "served"), ("gzip", "refused")}
    assert sum(codings.values()) == 1
    others = by_label(samples,
                      "notimpl_would_refuse_other_method_requests_total")
    assert others == {"served": 0, "refused": len(AWKWARD_METHODS)}
    other_codings = by_label(
        samples, "notimpl_would_refuse_other_transfer_coding_requests_total")
    assert sum(other_codings.values()) == len(AWKWARD_CODINGS)
    every = by_label(samples, "notimpl_would_refuse_all_requests_total")
    assert sum(every.values()) == len(AWKWARD_METHODS + NAMED
                                      + AWKWARD_CODINGS + NAMED_CODINGS)
    assert samples[("notimpl_all_responses_total", None)] == 0
    assert_promtool_accepts(exposition(srv))


def test_shipped_rules_pass_promtool_check_rules():
    rc, out = promtool("check", "rules", RULES)
    assert rc == 0, out
    assert re.search(r"SUCCESS: \d+ rules found", out), out


def test_shipped_rules_pass_their_unit_tests():
    rc, out = promtool("test", "rules", RULES_TEST)
    assert rc == 0, out
    assert "SUCCESS" in out, out


def _metric_names_in_rules():
    with open(RULES) as f:
        text = f.read()
    return set(re.findall(r"\bnotimpl_[a-z_]+_total\b", text))


def _exposed_names(text):
    return set(re.findall(r"^# TYPE (\S+) counter$", text.decode(), re.M))


def test_rules_name_only_501_families_the_module_exposes(httpd):
    names = {n for n in _metric_names_in_rules()
             if not n.startswith("notimpl_would_refuse_")}
    assert names, "the rules use no 501 family"
    srv = httpd(STATUS)
    send_awkward_names(srv)
    assert names <= _exposed_names(exposition(srv))


def test_rules_name_only_would_refuse_families_the_module_exposes(httpd):
    names = {n for n in _metric_names_in_rules()
             if n.startswith("notimpl_would_refuse_")}
    assert names, "the rules use no would-refuse family"
    srv = httpd(STATUS + "NotImplEngine ReportOnly\n")
    srv.expect_log(STOCK_501_LOG)
    send_awkward_names(srv)
    assert names <= _exposed_names(exposition(srv))
