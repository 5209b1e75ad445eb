# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""RFC 9112 §6.1: a request whose Transfer-Encoding names a coding other
than chunked gets a 501 before its body is read (docs/directives.md
NotImplTransferCodings, server config and virtual host)."""

from harness import assert_notimpl, build_request

SMUGGLED = b"GET /secret.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"


def gzip_chunked(srv, host="localhost", close=True, headers=None):
    return srv.request("POST", "/static.txt", host=host, close=close,
                       body=b"0\r\n\r\n",
                       headers=dict({"Transfer-Encoding": "gzip, chunked"},
                                    **(headers or {})))


def test_gzip_chunked_is_501_naming_the_coding(httpd):
    srv = httpd()
    r = gzip_chunked(srv)
    doc = assert_notimpl(r, "POST")
    assert doc["transfer_coding"] == "gzip"
    assert "gzip" in doc["detail"]


def test_transfer_coding_501_in_problem_form(httpd):
    srv = httpd()
    r = gzip_chunked(srv, headers={"Accept": "application/problem+json"})
    doc = assert_notimpl(r, "POST", "problem", subject="gzip")
    assert doc["transfer_coding"] == "gzip"
    assert "gzip" in doc["detail"]


def test_plain_chunked_is_accepted_in_any_case(httpd):
    srv = httpd()
    for te in ("chunked", "Chunked"):
        r = srv.request("POST", "/static.txt", body=b"3\r\nabc\r\n0\r\n\r\n",
                        headers={"Transfer-Encoding": te})
        assert r.status == 200, r


def test_transfer_coding_501_closes_the_connection_unread(httpd):
    srv = httpd(files={"secret.txt": "SECRET-CONTENT\n"})
    chunk = b"%x\r\n%s\r\n0\r\n\r\n" % (len(SMUGGLED), SMUGGLED)
    data = build_request("POST", "/static.txt", body=chunk, close=False,
                         headers={"Transfer-Encoding": "gzip, chunked"})
    responses = srv.raw(data)
    assert len(responses) == 1, responses
    assert_notimpl(responses[0], "POST")
    assert responses[0].closed is True
    assert b"SECRET-CONTENT" not in responses[0].raw


def test_transfer_coding_501_logs_one_info_line(httpd):
    srv = httpd()
    gzip_chunked(srv)
    lines = [l for l in srv.log_lines() if "notimpl:" in l]
    assert len(lines) == 1, lines
    assert "[notimpl:info]" in lines[0] and "gzip" in lines[0]


def test_transfer_codings_off_leaves_the_request_to_httpd(httpd):
    srv = httpd("NotImplTransferCodings Off\n")
    assert gzip_chunked(srv).status != 501


def test_transfer_codings_is_set_per_virtual_host(httpd):
    srv = httpd("""
<VirtualHost 127.0.0.1:@PORT@>
    ServerName strict.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName lenient.test
    NotImplTransferCodings Off
</VirtualHost>
""")
    assert_notimpl(gzip_chunked(srv, host="strict.test"), "POST")
    assert gzip_chunked(srv, host="lenient.test").status != 501
