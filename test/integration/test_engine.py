# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""NotImplEngine On|Off|ReportOnly (docs/directives.md): ReportOnly decides
exactly as On would, then lets the request go on: counted as would-refuse,
logged at info with its own tag (NI0003), NOTIMPL=report set, and nothing
else changes for the client."""

import re

import pytest

from harness import allow_tokens, assert_notimpl

STATUS = ('<Location "/notimpl-status">\n'
          "    SetHandler notimpl-status\n"
          "</Location>\n")
LOG = 'CustomLog "@DIR@/logs/notimpl.log" "%m %U %>s %{NOTIMPL}e" env=NOTIMPL\n'
FILES = {"d/a.txt": "a\n", "index.html": "<p>home</p>\n"}


def status(srv):
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    return r.json()


def report_lines(srv):
    return [l for l in srv.log_lines() if "NI0003:" in l]


def test_report_only_lets_an_unknown_method_through_to_the_handler(httpd):
    srv = httpd("NotImplEngine ReportOnly\n" + STATUS + LOG, files=FILES)
    stock = httpd("NotImplEngine Off\n", files=FILES, expect_log=[r"AH00"])
    r = srv.request("BREW", "/index.html")
    s = stock.request("BREW", "/index.html")
    # The client sees what stock httpd answers (core's own 501 page).
    assert r.status == s.status == 501, r
    assert r.body == s.body, r
    # Allow's order follows a hash in httpd that differs between processes.
    assert [h for h in r.headers.fields if h[0] not in ("Date", "Allow")] \
        == [h for h in s.headers.fields if h[0] not in ("Date", "Allow")]
    assert allow_tokens(r) == allow_tokens(s)
    srv.expect_log(r"AH00")


def test_report_only_serves_a_webdav_method_that_on_would_refuse(httpd):
    srv = httpd("NotImplEngine ReportOnly\n" + STATUS + LOG, files=FILES)
    r = srv.request("PROPFIND", "/d/a.txt")
    assert r.status == 405, r      # core's answer, as without the module
    assert b"not_implemented" not in r.body
    doc = status(srv)
    assert doc["total"] == 0, doc
    assert doc["would_refuse"]["total"] == 1, doc
    assert doc["would_refuse"]["methods"] == {"PROPFIND": 1}, doc
    [line] = report_lines(srv)
    assert "[notimpl:info]" in line and "PROPFIND" in line, line
    assert "server scope" in line, line
    with open(srv.dir + "/logs/notimpl.log") as f:
        assert f.read().split("\n")[0] == "PROPFIND /d/a.txt 405 report"


def test_report_only_counts_a_transfer_coding_and_passes_it_on(httpd):
    srv = httpd("NotImplEngine ReportOnly\n" + STATUS, files=FILES)
    [r] = srv.raw(b"POST /index.html HTTP/1.1\r\nHost: x\r\n"
                  b"Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n"
                  b"\r\n5\r\nhello\r\n0\r\n\r\n")
    assert r.status != 501, r
    doc = status(srv)
    assert doc["total"] == 0, doc
    assert doc["would_refuse"]["transfer_codings"] == {"gzip": 1}, doc


def test_report_only_in_a_directory_reports_what_it_would_refuse(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplEngine ReportOnly\n"
                "    NotImplMethods +PATCH\n"
                "</Directory>\n" + STATUS, files=FILES)
    r = srv.request("PATCH", "/d/a.txt")
    assert r.status == 405, r
    assert_notimpl(srv.request("BREW", "/d/a.txt"), "BREW")
    doc = status(srv)
    assert doc["total"] == 1, doc
    # BREW is no name of the closed set: counted under other.
    assert doc["methods"] == {} and doc["other_methods"] == 1, doc
    assert doc["would_refuse"]["methods"] == {"PATCH": 1}, doc
    [line] = report_lines(srv)
    assert "PATCH" in line and "directory scope" in line, line


def test_report_only_in_htaccess_reports_what_it_would_refuse(httpd):
    files = dict(FILES)
    files["d/.htaccess"] = "NotImplEngine ReportOnly\nNotImplImplemented GET POST\n"
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    AllowOverride Limit\n"
                "</Directory>\n" + STATUS, files=files)
    assert srv.request("PUT", "/d/a.txt").status == 405
    assert srv.request("GET", "/d/a.txt").status == 200
    doc = status(srv)
    assert doc["would_refuse"]["methods"] == {"PUT": 1}, doc
    assert doc["total"] == 0, doc


def test_a_server_in_report_only_reports_for_its_directories_too(httpd):
    srv = httpd("NotImplEngine ReportOnly\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n" + STATUS, files=FILES)
    assert srv.request("PATCH", "/d/a.txt").status == 405
    assert status(srv)["would_refuse"]["methods"] == {"PATCH": 1}


def test_a_directory_that_says_on_enforces_under_a_report_only_server(httpd):
    srv = httpd("NotImplEngine ReportOnly\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplEngine On\n"
                "    NotImplMethods +PATCH\n"
                "</Directory>\n" + STATUS, files=FILES,
                expect_log=[r"AH00135"])
    assert_notimpl(srv.request("PATCH", "/d/a.txt"), "PATCH")
    # BREW: the server scope reports, then the directory scope (On, and
    # its set does not hold BREW) lets it pass.
    assert srv.request("BREW", "/d/a.txt").status == 501
    doc = status(srv)
    assert doc["methods"] == {"PATCH": 1}, doc
    assert doc["would_refuse"]["methods"] == {}, doc
    assert doc["would_refuse"]["other_methods"] == 1, doc


def test_a_request_is_reported_once_even_when_two_scopes_would_refuse(httpd):
    srv = httpd("NotImplEngine ReportOnly\nNotImplMethods +PATCH\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n" + STATUS, files=FILES)
    assert srv.request("PATCH", "/d/a.txt").status == 405
    assert status(srv)["would_refuse"]["total"] == 1
    assert len(report_lines(srv)) == 1


@pytest.mark.parametrize("value", ["on", "OFF", "reportonly"])
def test_engine_values_are_case_insensitive(configtest, value):
    rc, out = configtest("NotImplEngine %s\n" % value)
    assert rc == 0, out


def test_an_unknown_engine_value_is_refused_naming_it(configtest):
    rc, out = configtest("NotImplEngine Maybe\n")
    assert rc != 0, out
    assert "NotImplEngine" in out and "'Maybe'" in out, out
    assert "ReportOnly" in out, out


def test_engine_off_on_the_server_turns_directory_additions_off_too(httpd):
    srv = httpd("NotImplEngine Off\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n", files=FILES)
    assert srv.request("PATCH", "/d/a.txt").status == 405


def test_report_only_sends_no_allow_edits_of_its_own(httpd):
    # ReportOnly changes nothing a client sees: the 405's Allow is core's.
    srv = httpd("NotImplEngine ReportOnly\nNotImplMethods +PUT\n", files=FILES)
    stock = httpd("NotImplEngine Off\n", files=FILES)
    r = srv.request("PATCH", "/d/a.txt")
    s = stock.request("PATCH", "/d/a.txt")
    assert r.status == s.status == 405
    assert allow_tokens(r) == allow_tokens(s), (r, s)
