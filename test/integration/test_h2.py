# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The server-scope decision holds over HTTP/2 (h2c, prior knowledge):
mod_http2 rewrites the request in post_read_request before the module
decides (docs/behaviour.md "Scopes" 1)."""

import shutil

import pytest

from harness import CONTENT_TYPES, vary_tokens

H2C = "Protocols h2c http/1.1\n"

pytestmark = pytest.mark.skipif(shutil.which("curl") is None,
                                reason="curl is not installed")


def test_brew_over_h2c_is_501_with_json(httpd):
    srv = httpd(H2C, modules=["http2"])
    r = srv.curl("-X", "BREW", path="/static.txt")
    assert r.http_version == "2"
    assert r.status == 501
    assert r.content_type == CONTENT_TYPES["json"]
    assert "allow" not in r.headers
    doc = r.json()
    assert doc["error"] == "not_implemented"
    assert doc["method"] == "BREW"
    assert "accept" in vary_tokens(r)


def test_get_over_h2c_is_served(httpd):
    srv = httpd(H2C, modules=["http2"])
    r = srv.curl(path="/static.txt")
    assert r.http_version == "2"
    assert r.status == 200
    assert r.body == b"static file\n"


def test_negotiation_and_cache_control_over_h2c(httpd):
    srv = httpd(H2C + "NotImplCacheControl no-store\n", modules=["http2"])
    r = srv.curl("-X", "BREW", "-H", "Accept: text/html", path="/")
    assert r.http_version == "2"
    assert r.status == 501
    assert r.content_type == CONTENT_TYPES["html"]
    assert "<title>501 Not Implemented</title>" in r.text
    assert r.headers.get_all("Cache-Control") == ["no-store"]


def test_virtual_host_policy_applies_over_h2c(httpd):
    srv = httpd(H2C + """
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
    DocumentRoot "@DOCROOT@"
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
</VirtualHost>
""", modules=["http2"])
    r = srv.curl("-X", "PATCH", "-H", "Host: b.test", path="/static.txt")
    assert (r.http_version, r.status) == ("2", 501)
    assert r.json()["method"] == "PATCH"
    r = srv.curl("-X", "PATCH", "-H", "Host: a.test", path="/static.txt")
    assert (r.http_version, r.status) == ("2", 405)


def test_report_only_over_h2c_lets_the_stream_through_and_counts_it(httpd):
    srv = httpd(H2C + "NotImplEngine ReportOnly\n"
                '<Location "/notimpl-status">\n'
                "    SetHandler notimpl-status\n"
                "</Location>\n", modules=["http2"],
                expect_log=[r"AH00135"])
    r = srv.curl("-X", "PROPFIND", path="/static.txt")
    assert r.http_version == "2"
    assert r.status == 405, r.status       # core's answer, as without
    assert "not_implemented" not in r.text
    r = srv.curl(path="/notimpl-status")
    doc = r.json()
    assert doc["total"] == 0, doc
    assert doc["would_refuse"]["methods"] == {"PROPFIND": 1}, doc


def test_an_errordocument_wins_over_h2c_and_is_counted_once(httpd):
    srv = httpd(H2C + "ErrorDocument 501 /err.html\n"
                '<Location "/notimpl-status">\n'
                "    SetHandler notimpl-status\n"
                "</Location>\n", modules=["http2"],
                files={"err.html": "<p>our page</p>\n"})
    r = srv.curl("-X", "BREW", path="/static.txt")
    assert r.http_version == "2"
    assert r.status == 501
    assert r.body == b"<p>our page</p>\n"
    assert srv.curl(path="/notimpl-status").json()["total"] == 1
