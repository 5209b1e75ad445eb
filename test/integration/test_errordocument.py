# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ErrorDocument 501 still wins over the module's own document
(docs/behaviour.md "The response": the 501 goes through httpd's error
machinery), for every kind of module 501, counted and logged once
(docs/behaviour.md "Around the 501")."""

import shutil

import pytest

from harness import build_request, format_of


def test_errordocument_text_replaces_the_document(httpd):
    srv = httpd('ErrorDocument 501 "custom text"\n')
    r = srv.request("BREW", "/static.txt")
    assert r.status == 501
    assert r.body == b"custom text"
    assert format_of(r) is None, r
    assert "Allow" not in r.headers


def test_errordocument_local_path_serves_that_file_with_501(httpd):
    page = "<html><body>our own 501 page</body></html>\n"
    srv = httpd("ErrorDocument 501 /errors/501.html\n",
                files={"errors/501.html": page})
    r = srv.request("BREW", "/static.txt")
    assert r.status == 501
    assert r.body == page.encode()
    assert r.content_type.startswith("text/html")
    assert format_of(r) is None, r
    assert "Allow" not in r.headers


def test_errordocument_url_redirects(httpd):
    srv = httpd("ErrorDocument 501 http://errors.example.invalid/501\n")
    r = srv.request("BREW", "/static.txt")
    assert r.status == 302
    assert r.headers.get("Location") == "http://errors.example.invalid/501"


def test_errordocument_keeps_cache_control_and_the_env_var(httpd):
    srv = httpd('ErrorDocument 501 "custom text"\n'
                "NotImplCacheControl no-store\n"
                'CustomLog "@DIR@/logs/notimpl.log" "%m %s" env=NOTIMPL\n')
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert r.body == b"custom text"
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    lines = srv.wait_for_log(lambda lines: lines, "notimpl.log")
    assert lines == ["BREW 501"]


def test_errordocument_for_other_statuses_leaves_the_501_alone(httpd):
    srv = httpd('ErrorDocument 404 "gone fishing"\n')
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert format_of(r) == "json"
    assert srv.request("GET", "/nope").body == b"gone fishing"


# -- ErrorDocument wins for every kind of module 501, counted and logged once
# (docs/behaviour.md "Around the 501": an internal redirect of a request the
# module refused is not refused again). ---------------------------------------

ERRPAGE = "<html><body>our own 501 page</body></html>\n"
STATUS = ('<Location "/notimpl-status">\n'
          "    SetHandler notimpl-status\n"
          "</Location>\n")
ERRDOC = "ErrorDocument 501 /errdoc/501.html\n" + STATUS
FILES = {"errdoc/501.html": ERRPAGE, "d/a.txt": "a\n"}


def coded_post(path="/", coding="gzip"):
    """POST with `Transfer-Encoding: <coding>, chunked` and a chunked body,
    as exact bytes."""
    return build_request("POST", path,
                         headers=[("Transfer-Encoding", coding + ", chunked")],
                         body=b"5\r\nhello\r\n0\r\n\r\n")


def assert_errdoc_501(r):
    """r is the ErrorDocument page with status 501: not httpd's page for an
    error while serving the ErrorDocument, not the module's document."""
    assert r.status == 501, r
    assert r.body == ERRPAGE.encode(), r
    assert b"Additionally" not in r.raw, r
    assert format_of(r) is None, r
    assert "Allow" not in r.headers, r


def assert_counted_and_logged_once(srv, tag, subject):
    lines = [l for l in srv.log_lines() if tag + ":" in l]
    assert len(lines) == 1, lines
    assert subject in lines[0], lines
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    assert r.json()["total"] == 1, r.body


def test_errordocument_wins_for_a_transfer_coding_501(httpd):
    srv = httpd(ERRDOC, files=FILES)
    [r] = srv.raw(coded_post())
    assert_errdoc_501(r)
    assert_counted_and_logged_once(srv, "NI0002", "gzip")


def test_errordocument_wins_for_a_transfer_coding_501_on_a_file(httpd):
    srv = httpd(ERRDOC, files=FILES)
    [r] = srv.raw(coded_post("/d/a.txt", "x-custom"))
    assert_errdoc_501(r)
    assert_counted_and_logged_once(srv, "NI0002", "x-custom")


def test_errordocument_wins_for_a_server_scope_method_501(httpd):
    srv = httpd(ERRDOC, files=FILES)
    assert_errdoc_501(srv.request("BREW", "/d/a.txt"))
    assert_counted_and_logged_once(srv, "NI0001", "BREW")


def test_errordocument_wins_for_a_directory_scope_method_501(httpd):
    srv = httpd(ERRDOC + '<Directory "@DOCROOT@/d">\n'
                         "    NotImplMethods +PATCH\n"
                         "</Directory>\n", files=FILES)
    assert_errdoc_501(srv.request("PATCH", "/d/a.txt"))
    assert_counted_and_logged_once(srv, "NI0001", "PATCH")


def test_errordocument_inside_a_scope_that_refuses_the_method_still_wins(
        httpd):
    # The ErrorDocument's own URL is in a directory scope that refuses the
    # method: httpd redirects to it with GET, and it is served.
    srv = httpd("ErrorDocument 501 /d/501.html\n" + STATUS
                + '<Directory "@DOCROOT@/d">\n'
                  "    NotImplMethods +PATCH\n"
                  "</Directory>\n",
                files={"d/501.html": ERRPAGE, "d/a.txt": "a\n"})
    assert_errdoc_501(srv.request("PATCH", "/d/a.txt"))
    assert_counted_and_logged_once(srv, "NI0001", "PATCH")


def test_errordocument_inside_a_scope_that_refuses_post_wins_for_a_coding(
        httpd):
    srv = httpd("ErrorDocument 501 /d/501.html\n" + STATUS
                + '<Directory "@DOCROOT@/d">\n'
                  "    NotImplMethods +POST\n"
                  "</Directory>\n",
                files={"d/501.html": ERRPAGE, "d/a.txt": "a\n"})
    [r] = srv.raw(coded_post("/static.txt"))
    assert_errdoc_501(r)
    assert_counted_and_logged_once(srv, "NI0002", "gzip")


# HTTP/2 has no Transfer-Encoding (RFC 9113 §8.2.2): methods only.
H2C = "Protocols h2c http/1.1\n"
needs_curl = pytest.mark.skipif(shutil.which("curl") is None,
                                reason="curl is not installed")


@needs_curl
def test_errordocument_wins_for_a_server_scope_501_over_h2c(httpd):
    srv = httpd(H2C + ERRDOC, files=FILES, modules=["http2"])
    r = srv.curl("-X", "BREW", path="/d/a.txt")
    assert (r.http_version, r.status) == ("2", 501), r
    assert r.body == ERRPAGE.encode(), r
    assert format_of(r) is None, r
    assert_counted_and_logged_once(srv, "NI0001", "BREW")


@needs_curl
def test_errordocument_wins_for_a_directory_scope_501_over_h2c(httpd):
    srv = httpd(H2C + ERRDOC + '<Directory "@DOCROOT@/d">\n'
                               "    NotImplMethods +PATCH\n"
                               "</Directory>\n",
                files=FILES, modules=["http2"])
    r = srv.curl("-X", "PATCH", path="/d/a.txt")
    assert (r.http_version, r.status) == ("2", 501), r
    assert r.body == ERRPAGE.encode(), r
    assert format_of(r) is None, r
    assert_counted_and_logged_once(srv, "NI0001", "PATCH")
