# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Client bytes in the method are echoed escaped for each format, never raw
(docs/behaviour.md "The response": JSON string escaping, HTML entities, bytes
that are not printable ASCII escaped)."""

import pytest

from harness import assert_notimpl, build_request, format_of

CONFIG = "HttpProtocolOptions Unsafe\n"

HOSTILE = [
    b'BR"EW',
    b"BR\\EW",
    b"BR'EW",
    b"<script>alert(1)</script>",
    b"A&B",
    b"A&amp;B",
    b"</code></p><h1>x",
    b"{}",
    b"BR\xffEW",
    b"\xc3\x28",
    b"CAF\xc3\xa9",
    b"\x80\x81\xfe",
    b"X" * 4000,
]


def ids(values):
    return [v[:24].decode("latin-1").encode("unicode_escape").decode()
            for v in values]


@pytest.mark.parametrize("method", HOSTILE, ids=ids(HOSTILE))
def test_json_echoes_the_exact_method_bytes(httpd, method):
    srv = httpd(CONFIG)
    r = srv.request(method, "/", headers={"Accept": "application/json"})
    # assert_notimpl decodes strictly: the body is pure printable ASCII.
    doc = assert_notimpl(r, method.decode("latin-1"), "json")
    assert doc["detail"] == ("The method %s is not implemented by this "
                             "server." % method.decode("latin-1"))


@pytest.mark.parametrize("method", HOSTILE, ids=ids(HOSTILE))
def test_problem_json_echoes_the_exact_method_bytes(httpd, method):
    srv = httpd(CONFIG)
    r = srv.request(method, "/",
                    headers={"Accept": "application/problem+json"})
    assert_notimpl(r, method.decode("latin-1"), "problem")


@pytest.mark.parametrize("method", HOSTILE, ids=ids(HOSTILE))
def test_html_has_no_markup_from_the_method(httpd, method):
    srv = httpd(CONFIG)
    plain = srv.request("BREW", "/", headers={"Accept": "text/html"})
    assert_notimpl(plain, "BREW", "html")
    r = srv.request(method, "/", headers={"Accept": "text/html"})
    html = assert_notimpl(r, method.decode("latin-1"), "html")
    # Only the page's own markup: as many tags as for a harmless name.
    assert html.count("<") == plain.body.count(b"<"), html
    assert html.count(">") == plain.body.count(b">"), html
    if b"<" in method:
        assert "&lt;" in html
    if b"&" in method:
        assert html.count("&amp;") >= method.count(b"&"), html
    if b'"' in method:
        assert "&quot;" in html or "&#34;" in html


@pytest.mark.parametrize("method", HOSTILE, ids=ids(HOSTILE))
def test_text_has_no_raw_non_ascii_byte(httpd, method):
    srv = httpd(CONFIG)
    r = srv.request(method, "/", headers={"Accept": "text/plain"})
    text = assert_notimpl(r, method.decode("latin-1"), "text")
    if all(0x20 <= b <= 0x7e for b in method) and b"\\" not in method:
        assert method.decode() in text


@pytest.mark.parametrize("method", [b"BR\x01EW", b"BR\x7fEW", b"BR\x1bEW"],
                         ids=["0x01", "0x7f", "0x1b"])
def test_control_bytes_never_reach_a_document_raw(httpd, method):
    # httpd's request-line parser refuses these itself with its own 400,
    # even under HttpProtocolOptions Unsafe, before post_read_request runs;
    # the byte does not come back raw.
    srv = httpd(CONFIG)
    r = srv.request(method, "/", headers={"Accept": "text/html"})
    assert r.status == 400, r
    assert format_of(r) is None, r
    assert method not in r.raw
    assert not any(b < 0x20 and b not in b"\r\n\t" or b == 0x7f
                   for b in r.raw), r.raw


# -- two regimes: the client's bytes stay escaped byte by byte even where
# the configuration's UTF-8 is kept (docs/behaviour.md "The response":
# client bytes are hostile; configuration text is the administrator's
# UTF-8, escaped only as each format requires).

# A UTF-8 alternative in the same server, written as exact bytes.
WITH_UTF8 = (CONFIG + 'NotImplMethods +PATCH\n'
             'Include "@DOCROOT@/conf/alt.conf"\n')
UTF8_FILES = {"conf/alt.conf":
              'NotImplAlternative PATCH "Utilisez café"\n'.encode("utf-8")}


def test_utf8_bytes_in_a_method_are_escaped_byte_by_byte_in_json(httpd):
    srv = httpd(WITH_UTF8, files=UTF8_FILES)
    r = srv.request(b"CAF\xc3\xa9", "/",
                    headers={"Accept": "application/json"})
    assert r.status == 501, r
    assert r.body == (b'{"error":"not_implemented",'
                      b'"method":"CAF\\u00c3\\u00a9",'
                      b'"detail":"The method CAF\\u00c3\\u00a9 is not '
                      b'implemented by this server."}\n'), r.body


@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_utf8_bytes_in_a_method_are_hex_escaped_in_html_and_text(httpd,
                                                                accept):
    srv = httpd(WITH_UTF8, files=UTF8_FILES)
    r = srv.request(b"CAF\xc3\xa9", "/", headers={"Accept": accept})
    assert r.status == 501, r
    assert b"CAF\\xc3\\xa9" in r.body, r.body
    assert not any(b >= 0x80 for b in r.body), r.body


def test_utf8_bytes_in_a_transfer_coding_are_escaped_in_json(httpd):
    srv = httpd(WITH_UTF8, files=UTF8_FILES)
    [r] = srv.raw(build_request(
        "POST", "/", headers=[("Transfer-Encoding", b"x\xc3\xa9, chunked")],
        body=b"0\r\n\r\n"))
    assert r.status == 501, r
    doc = assert_notimpl(r, "POST")
    assert doc["transfer_coding"] == "x\u00c3\u00a9", doc
    assert b'"transfer_coding":"x\\u00c3\\u00a9"' in r.body, r.body


@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_utf8_bytes_in_a_transfer_coding_are_hex_escaped_in_html_and_text(
        httpd, accept):
    srv = httpd(WITH_UTF8, files=UTF8_FILES)
    [r] = srv.raw(build_request(
        "POST", "/", headers=[("Transfer-Encoding", b"x\xc3\xa9, chunked"),
                              ("Accept", accept)],
        body=b"0\r\n\r\n"))
    assert r.status == 501, r
    assert b"x\\xc3\\xa9" in r.body, r.body
    assert not any(b >= 0x80 for b in r.body), r.body
