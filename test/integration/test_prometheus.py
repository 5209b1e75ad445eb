"""Prometheus, checked by Prometheus (issue 16, deliverable 5): the
exposition of `notimpl-status?format=prometheus`, after requests with every
awkward kind of counted name, passes `promtool check metrics`; the rules
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
"""

# Method names as sent: each is counted by name unless noted.
AWKWARD_METHODS = [
    b'BR"EW',                      # a quote
    b"A\\B",                       # a backslash
    b"<i>\xc3\xa9",                # UTF-8 bytes
    b"\xff\xfeX",                  # bytes that are not UTF-8
    b'M{method="GET"}',            # label syntax inside a label value
    b"#TYPE",                      # a comment marker
    b"L" * 43,                     # the longest name counted by name
    b"T" * 44,                     # too long: other_methods
]
# Transfer codings as sent (before ", chunked").
AWKWARD_CODINGS = [
    b'"q\\"x"',                    # a quoted string with an escaped quote
    b"a\\b",
    b"gz\xffip",                   # a byte >= 0x80
    b"y" * 50,                     # too long: other_transfer_codings
]


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
    for m in AWKWARD_METHODS:
        srv.raw(b"%s / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % m)
    for c in AWKWARD_CODINGS:
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
    # escaping undone is refused.
    broken = text.replace(b'\\"', b'"', 1)
    assert broken != text
    rc, out = promtool("check", "metrics", stdin=broken)
    assert rc != 0, out


# Label values as they appear once the exposition is parsed: the plain-text
# escaper's \xNN and \\ (README "Observability").
EXPECTED_METHODS = {'BR"EW': 1, "A\\\\B": 1, "<i>\\xc3\\xa9": 1,
                    "\\xff\\xfeX": 1, 'M{method="GET"}': 1, "#TYPE": 1,
                    "L" * 43: 1}
EXPECTED_CODINGS = {'"q\\\\"x"': 1, "a\\\\b": 1, "gz\\xffip": 1}


def test_exposition_with_awkward_names_passes_promtool_check_metrics(httpd):
    srv = httpd(STATUS)
    send_awkward_names(srv)
    samples = prometheus(srv)
    assert by_label(samples, "notimpl_responses_total") == EXPECTED_METHODS
    assert by_label(samples, "notimpl_transfer_coding_responses_total") \
        == EXPECTED_CODINGS
    assert samples[("notimpl_other_method_responses_total", None)] == 1
    assert samples[("notimpl_other_transfer_coding_responses_total",
                    None)] == 1
    assert_promtool_accepts(exposition(srv))


def test_would_refuse_exposition_with_awkward_names_passes_promtool(httpd):
    # NotImplEngine ReportOnly: the same names, counted as would-refuse.
    srv = httpd(STATUS + "NotImplEngine ReportOnly\n")
    # Under ReportOnly the methods reach httpd's default handler.
    srv.expect_log(STOCK_501_LOG)
    send_awkward_names(srv)
    samples = prometheus(srv)
    assert by_label(samples, "notimpl_would_refuse_requests_total") \
        == EXPECTED_METHODS
    assert by_label(samples,
                    "notimpl_would_refuse_transfer_coding_requests_total") \
        == EXPECTED_CODINGS
    assert samples[("notimpl_would_refuse_other_method_requests_total",
                    None)] == 1
    assert samples[("notimpl_would_refuse_other_transfer_coding_"
                    "requests_total", None)] == 1
    assert samples[("notimpl_would_refuse_all_requests_total", None)] == 12
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
