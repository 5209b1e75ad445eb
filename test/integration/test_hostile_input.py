# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Hostile input, from the wire and from configuration: every answer is a
well-formed response, every JSON document parses, GET and HEAD are never
501, no child crashes, and nothing a client sends reaches a header or a log
line raw (docs/behaviour.md "The response"; docs/directives.md
"Configuration errors").

test_hostile_methods.py covers the escaping of a method in each document
format; this file covers lengths, every byte value, Accept abuse, huge and
repetitive configuration, broken .htaccess files and injection attempts."""

import os
import re

import pytest

from harness import (STOCK_501_LOG, assert_no_crash, assert_notimpl,
                     assert_stock_501, assert_well_formed, build_request,
                     format_of, httpd_version, vary_tokens)

UNSAFE = "HttpProtocolOptions Unsafe\n"

# httpd's own 404 page said "The requested URL <path> was not found",
# with the path's bytes as received, before 2.4.40 (released as 2.4.41).
URL_IN_ERROR_PAGES = httpd_version() < (2, 4, 40)

# RFC 9110 §5.6.2 tchar: the bytes a method token may hold.
TCHAR = frozenset(b"!#$%&'*+-.^_`|~0123456789"
                  b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# With "<method> / HTTP/1.1" on the request line, the longest method that
# keeps the line within the default LimitRequestLine (8190).
REQUEST_LINE_LIMIT = 8190
LONGEST_METHOD = REQUEST_LINE_LIMIT - len(" / HTTP/1.1")


def latin1(method):
    return method.decode("latin-1")


# -- method length ------------------------------------------------------

@pytest.mark.parametrize("fmt, accept", [
    ("json", "application/json"),
    ("problem", "application/problem+json"),
    ("text", "text/plain"),
])
def test_methods_from_1_byte_to_the_request_line_limit_are_501(httpd, fmt,
                                                                accept):
    srv = httpd()
    for length in (1, 2, 255, 1024, 8000, LONGEST_METHOD):
        method = b"X" * length
        r = srv.request(method, "/", headers={"Accept": accept})
        doc = assert_notimpl(r, latin1(method), fmt)
        # Framed by Content-Length, or (a large document) by the close.
        assert r.headers.get("Content-Length", str(len(r.body))) \
            == str(len(r.body)), length
        assert r.closed is True
        if fmt == "text":
            assert latin1(method) in doc, length
    assert_no_crash(srv)


def test_a_method_past_the_request_line_limit_gets_httpds_own_error(httpd):
    srv = httpd()
    for length in (LONGEST_METHOD + 10, REQUEST_LINE_LIMIT,
                   4 * REQUEST_LINE_LIMIT):
        responses = srv.raw(build_request(b"X" * length, "/"))
        assert_well_formed(responses)
        assert len(responses) == 1, responses
        # 414 (or 400): refused while reading the request line, before any
        # module runs; never the module's document.
        assert responses[0].status in (400, 414), responses[0]
        assert format_of(responses[0]) is None, responses[0]
    assert_no_crash(srv)


# -- every byte value in a method -----------------------------------------

def _sweep(srv):
    """{byte: the responses to BR<byte>EW /}."""
    out = {}
    for byte in range(256):
        method = b"BR" + bytes([byte]) + b"EW"
        responses = srv.raw(build_request(method, "/"))
        # NUL and the other control bytes: httpd may close without a word.
        assert_well_formed(responses, allow_silent_close=byte < 0x20)
        assert len(responses) <= 1, (byte, responses)
        out[byte] = responses
    return out


def test_every_byte_in_a_method_strict_is_a_501_or_httpds_400(httpd):
    srv = httpd()
    answered_501 = set()
    for byte, responses in _sweep(srv).items():
        if not responses:
            continue
        r = responses[0]
        method = b"BR" + bytes([byte]) + b"EW"
        if byte in TCHAR:
            assert_notimpl(r, latin1(method))
            answered_501.add(byte)
        else:
            # Default HttpProtocolOptions Strict: httpd refuses anything
            # that is not a token before the module sees it.
            assert r.status == 400, (hex(byte), r)
            assert format_of(r) is None, (hex(byte), r)
    assert answered_501 == TCHAR
    assert_no_crash(srv)


def test_every_byte_in_a_method_unsafe_is_a_501_or_httpds_400(httpd):
    srv = httpd(UNSAFE)
    answered_501 = set()
    for byte, responses in _sweep(srv).items():
        if not responses:
            assert byte < 0x20, hex(byte)
            continue
        r = responses[0]
        method = b"BR" + bytes([byte]) + b"EW"
        if r.status == 501:
            # Whatever httpd lets through gets the module's document with
            # the exact bytes, escaped (assert_notimpl decodes strictly).
            assert_notimpl(r, latin1(method))
            answered_501.add(byte)
        else:
            assert r.status == 400, (hex(byte), r)
            assert format_of(r) is None, (hex(byte), r)
            # Only controls, space and DEL may be refused.
            assert byte <= 0x20 or byte == 0x7f, (hex(byte), r)
    # Under Unsafe every separator and every non-ASCII byte reaches the
    # module and is escaped.
    assert TCHAR <= answered_501
    assert set(range(0x80, 0x100)) <= answered_501
    assert set(b'"(),/:;<=>?@[\\]{}') <= answered_501
    assert_no_crash(srv)


def test_get_and_head_are_never_501_whatever_the_rest_of_the_request(httpd):
    # core's error line for the ../ path is httpd's, not the module's.
    srv = httpd(UNSAFE, expect_log=[r"AH10244: invalid URI path"])
    hostile = [
        ("/\xff\xfe%ff%00/../..", {}),
        ("/", {"Accept": "text/\xff;q=\xc3("}),
        ("/", {"Accept": ";;;,,,q=2"}),
        ("/", {"Transfer-Encoding": "chunked", "X-\xff": "\x80"}),
        ("/", {"Content-Length": "0", "Expect": "100-continue"}),
    ]
    for path, headers in hostile:
        for method in ("GET", "HEAD"):
            responses = srv.raw(build_request(method, path, headers=headers,
                                              body=b"0\r\n\r\n" if
                                              "Transfer-Encoding" in headers
                                              else b""),
                                head_request=method == "HEAD")
            # Before 2.4.40 httpd's own error pages (the 404 here) echo
            # the raw path; the module takes no part in a GET.
            assert_well_formed(responses, body=not URL_IN_ERROR_PAGES)
            assert responses and responses[0].status != 501, (method, path,
                                                               responses)
            assert format_of(responses[0]) is None, responses[0]
    assert_no_crash(srv)


# -- invalid UTF-8 outside the method --------------------------------------

def test_invalid_utf8_in_the_path_and_accept_still_gives_a_json_501(httpd):
    srv = httpd(UNSAFE)
    for path, accept in [(b"/\xff\xfe", b"application/json"),
                         (b"/\xc3\x28/%C3%28", b"text/\xff"),
                         (b"/caf\xc3\xa9", b"\xed\xa0\x80/\xf4\x90\x80\x80"),
                         (b"/", b"application/json;q=\xc3\xa9")]:
        responses = srv.raw(build_request("BREW", path,
                                          headers=[("Accept", accept)]))
        assert_well_formed(responses)
        assert_notimpl(responses[0], "BREW", "json")
    assert_no_crash(srv)


# -- Accept abuse ----------------------------------------------------------

def test_an_accept_of_1000_ranges_is_read_to_the_end(httpd):
    srv = httpd()
    ranges = ["a/b"] * 999 + ["text/plain"]
    r = srv.request("BREW", "/", headers={"Accept": ",".join(ranges)})
    assert_notimpl(r, "BREW", "text")
    ranges = ["a/b"] * 999 + ["text/html;q=0.1"]
    r = srv.request("BREW", "/", headers={"Accept": ",".join(ranges)})
    assert_notimpl(r, "BREW", "html")


def test_an_accept_of_1000_unacceptable_ranges_gives_json(httpd):
    srv = httpd()
    # 1000 ranges within LimitRequestFieldSize (8190 bytes).
    ranges = ["a/b", "x/*", "*/x", "b/c"] * 249 + ["text/html;q=0"] * 4
    r = srv.request("BREW", "/", headers={"Accept": ",".join(ranges)})
    assert_notimpl(r, "BREW", "json")
    assert "accept" in vary_tokens(r)


def test_repeated_accept_headers_count_as_one_list(httpd):
    # httpd joins repeated fields with ", " (RFC 9110 §5.3).
    srv = httpd()
    headers = [("Accept", "image/png")] * 50 + [("Accept", "text/html")]
    assert_notimpl(srv.request("BREW", "/", headers=headers), "BREW", "html")
    headers = [("Accept", "text/plain;q=0.1"),
               ("Accept", "application/problem+json;q=0.9")]
    assert_notimpl(srv.request("BREW", "/", headers=headers), "BREW",
                   "problem")


@pytest.mark.parametrize("accept, fmt", [
    # A range with an invalid qvalue is ignored as a whole (docs/behaviour.md).
    ("text/plain;q=2, text/html;q=0.5", "html"),
    ("text/plain;q=-1, text/html;q=0.5", "html"),
    ("text/plain;q=abc, text/html;q=0.5", "html"),
    ("text/plain;q=0.0001, text/html;q=0.001", "html"),
    ("text/plain;q=1.0001, text/html;q=0.1", "html"),
    ("text/plain;q=\"0.9\", text/html;q=0.1", "html"),
    ("text/plain;q=, text/html;q=0.1", "html"),
    ("text/html;q=0.0001", "json"),
    ("text/html;q=2", "json"),
    # Three decimals are a qvalue; the higher one wins.
    ("text/plain;q=1.000, text/html;q=0.999", "text"),
    ("text/html;q=0.001, application/problem+json;q=0.000", "html"),
])
def test_invalid_qvalues_are_ignored_never_an_error(httpd, accept, fmt):
    srv = httpd()
    assert_notimpl(srv.request("BREW", "/", headers={"Accept": accept}),
                   "BREW", fmt)


# -- huge and repetitive configuration -----------------------------------

def many(prefix, n=10000):
    return " ".join("%sM%d" % (prefix, i) for i in range(n))


# Every token on a line counts, however many: an administrator's list is
# never cut short without a word (httpd hands a TAKE_ARGV directive at most
# 64 arguments and drops the rest silently).

def test_a_10000_token_plus_line_passes_configtest_and_serves(httpd,
                                                              configtest):
    # PUT alone first, so that only the + line can make M... 501.
    config = "NotImplMethods PUT\nNotImplMethods %s\n" % many("+")
    rc, out = configtest(config)
    assert rc == 0 and "Syntax OK" in out, out
    srv = httpd(config, expect_log=[STOCK_501_LOG])
    for method in ("PUT", "M0", "M63", "M64", "M5000", "M9999"):
        assert_notimpl(srv.request(method, "/static.txt"), method)
    assert_stock_501(srv.request("M10000", "/static.txt"), "M10000")
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")
    assert srv.request("GET", "/static.txt").status == 200
    assert srv.request("HEAD", "/static.txt").status == 200
    assert srv.request("PATCH", "/static.txt").status == 405
    assert_no_crash(srv)


def test_a_10000_token_list_replaces_the_set(httpd):
    srv = httpd("NotImplMethods %s\n" % many(""),
                expect_log=[STOCK_501_LOG])
    for method in ("M0", "M63", "M64", "M9999"):
        assert_notimpl(srv.request(method, "/static.txt"), method)
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")
    assert srv.request("GET", "/static.txt").status == 200
    assert_no_crash(srv)


def test_a_10000_method_allowlist_is_listed_whole(httpd):
    srv = httpd("NotImplImplemented %s\n" % many(""),
                expect_log=[STOCK_501_LOG])
    doc = assert_notimpl(srv.request("PUT", "/static.txt"), "PUT")
    assert len(doc["implemented"]) == 10002, len(doc["implemented"])
    assert set(doc["implemented"]) == \
        {"GET", "HEAD"} | {"M%d" % i for i in range(10000)}
    # An implemented extension method goes on to httpd's handlers.
    assert_stock_501(srv.request("M4242", "/static.txt"), "M4242")
    assert srv.request("GET", "/static.txt").status == 200
    assert_no_crash(srv)


def test_the_65th_token_of_a_line_counts(httpd):
    srv = httpd("NotImplMethods %s\n" % many("", 65),
                expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("M63", "/static.txt"), "M63")
    assert_notimpl(srv.request("M64", "/static.txt"), "M64")
    assert_stock_501(srv.request("M65", "/static.txt"), "M65")


def test_a_bad_token_after_the_64th_is_refused(configtest):
    rc, out = configtest("NotImplMethods %s +BR@W\n" % many("+", 100))
    assert rc != 0, out
    assert "NotImplMethods" in out and "BR@W" in out, out


def test_duplicate_tokens_count_once(httpd):
    srv = httpd("NotImplMethods +PATCH +PATCH +BREW +BREW -BREW\n"
                "NotImplMethods -PATCH\n"
                "<Location /dup>\n"
                "    NotImplImplemented GET GET POST POST POST webdav webdav\n"
                "</Location>\n",
                expect_log=[STOCK_501_LOG])
    # One -PATCH undoes two +PATCH; one -BREW exempts BREW.
    assert srv.request("PATCH", "/static.txt").status == 405
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")
    doc = assert_notimpl(srv.request("PUT", "/dup"), "PUT")
    implemented = doc["implemented"]
    assert len(implemented) == len(set(implemented)), implemented
    assert {"GET", "HEAD", "POST", "PROPFIND"} <= set(implemented)
    assert_no_crash(srv)


def test_duplicate_groups_in_an_unsigned_list_are_accepted(httpd):
    srv = httpd("NotImplMethods PUT PUT unknown unknown webdav webdav\n")
    for method in ("PUT", "BREW", "PROPFIND", "MKCOL"):
        assert_notimpl(srv.request(method, "/static.txt"), method)
    assert srv.request("PATCH", "/static.txt").status == 405


def test_a_repeated_alternative_gives_one_member_the_last(httpd):
    srv = httpd('NotImplAlternative BREW "first"\n'
                'NotImplAlternative BREW "second"\n')
    r = srv.request("BREW", "/")
    doc = assert_notimpl(r, "BREW")
    # A JSON object with a key twice is not interoperable (RFC 8259 §4).
    assert r.body.count(b'"alternative"') == 1, r.body
    # Within a scope the last NotImplAlternative for a method wins.
    assert doc["alternative"] == "second", doc


def test_a_repeated_alternative_in_a_location_gives_the_last(httpd):
    srv = httpd('NotImplAlternative PATCH "server"\n'
                "<Location /loc>\n"
                "    NotImplMethods +PATCH\n"
                '    NotImplAlternative PATCH "first"\n'
                '    NotImplAlternative PATCH "second"\n'
                "</Location>\n")
    r = srv.request("PATCH", "/loc")
    doc = assert_notimpl(r, "PATCH")
    assert r.body.count(b'"alternative"') == 1, r.body
    assert doc["alternative"] == "second", doc


def test_registering_more_methods_than_httpd_can_number_is_refused(
        configtest):
    rc, out = configtest("NotImplRegister %s\n"
                         % " ".join("R%d" % i for i in range(100)))
    assert rc != 0, out
    assert "NotImplRegister" in out and "full" in out, out


# -- Cache-Control from configuration ------------------------------------

@pytest.mark.parametrize("value", [
    "no-store\x01", "no-store\x1b[31m", "no-store\x7f",
    "no-store\rX-Injected: yes",
], ids=["0x01", "escape", "0x7f", "CR"])
def test_a_cache_control_value_with_a_control_byte_is_refused(configtest,
                                                              value):
    rc, out = configtest('NotImplCacheControl "%s"\n' % value)
    assert rc != 0, out
    assert "Syntax error" in out and "NotImplCacheControl" in out, out
    # The message shows the byte escaped, never raw.
    assert value not in out, out


# -- broken .htaccess files -----------------------------------------------
# test_dir_htaccess.py covers GET/HEAD, bad tokens, mixed signs, unknown
# formats and directives not allowed there; these are the other ways a
# line can be wrong.

HTACCESS = ('<Directory "@DOCROOT@">\n'
            "    AllowOverride Limit\n"
            "</Directory>\n")

BAD_HTACCESS = [
    ("NotImplMethods", "NotImplMethods"),
    ("NotImplImplemented", "NotImplImplemented"),
    ("NotImplMethods +", "'+'"),
    ("NotImplMethods -", "'-'"),
    ("NotImplMethods +BR\xc3\x89W", "NotImplMethods"),
    ("NotImplEngine maybe", "NotImplEngine"),
    ("NotImplFormat json html", "NotImplFormat"),
    ("NotImplAlternative BREW", "NotImplAlternative"),
    ('NotImplAlternative BR@W "use POST"', "BR@W"),
    ("NotImplCacheControl", "NotImplCacheControl"),
    ('NotImplCacheControl "no-store\x01"', "NotImplCacheControl"),
    ("NotImplBogus On", "NotImplBogus"),
    ("NotImplMethods %s +BR@W" % many("+", 1000), "BR@W"),
    ("<Limit BREW>\nNotImplMethods +PATCH", "Limit"),
]


@pytest.mark.parametrize("line, word", BAD_HTACCESS,
                         ids=[b[0][:30].encode("unicode_escape").decode()
                              for b in BAD_HTACCESS])
def test_every_kind_of_bad_htaccess_line_is_500_naming_the_file(httpd, line,
                                                                 word):
    srv = httpd(HTACCESS, files={"bad/.htaccess": line + "\n",
                                 "bad/a.txt": "a\n",
                                 "good/b.txt": "b\n"})
    path = os.path.join(srv.docroot, "bad", ".htaccess")
    srv.expect_log(re.escape(path))
    for method in ("GET", "HEAD", "POST"):
        r = srv.request(method, "/bad/a.txt",
                        body=b"x=1" if method == "POST" else b"")
        assert r.status == 500, (method, r)
    lines = [entry for entry in srv.log_lines() if path in entry]
    assert len(lines) == 3, lines
    assert all(word in entry for entry in lines), lines
    # The server scope is decided before any .htaccess is read.
    assert_notimpl(srv.request("BREW", "/bad/a.txt"), "BREW")
    assert srv.request("GET", "/good/b.txt").status == 200
    assert_no_crash(srv)


# -- least privilege -------------------------------------------------------

def test_htaccess_cannot_undo_the_servers_plus_patch(httpd):
    srv = httpd("NotImplMethods +PATCH\n" + HTACCESS,
                files={"ht/.htaccess": "NotImplMethods -PATCH\n"
                                       "NotImplEngine Off\n",
                       "ht/a.txt": "a\n"})
    assert_notimpl(srv.request("PATCH", "/ht/a.txt"), "PATCH")


def test_htaccess_cannot_widen_a_servers_allowlist(httpd):
    srv = httpd("NotImplImplemented GET HEAD POST\n" + HTACCESS,
                files={"ht/.htaccess": "NotImplImplemented GET HEAD POST PUT"
                                       " BREW\n",
                       "ht/a.txt": "a\n"})
    for method in ("PUT", "BREW"):
        doc = assert_notimpl(srv.request(method, "/ht/a.txt"), method)
        # The server-scope document: the server's allowlist.
        assert set(doc["implemented"]) == {"GET", "HEAD", "POST"}, doc
    assert srv.request("GET", "/ht/a.txt").status == 200


# -- nothing a client sends reaches a header or a log line raw ------------

@pytest.mark.parametrize("method", [
    b"BREW\rX-Injected: yes",
    b"BREW\nX-Injected: yes",
    b"BREW\r\nX-Injected: yes\r\n",
    b"BR\rEW",
    b"BREW\x00X-Injected: yes",
], ids=["CR", "LF", "CRLF", "bare-CR", "NUL"])
def test_a_method_with_cr_lf_or_nul_never_injects_a_header(httpd, method):
    srv = httpd(UNSAFE + 'CustomLog "@DIR@/logs/access.log" "%m %>s"\n')
    responses = srv.raw(build_request(method, "/"))
    assert_well_formed(responses, allow_silent_close=True)
    for r in responses:
        assert "X-Injected" not in r.headers, r
        assert r.status in (400, 501), r
        if r.status == 501:
            assert_notimpl(r, latin1(method))
    assert_no_crash(srv)
    # Every error-log line is one entry: none starts with the client's
    # bytes.
    with open(srv.error_log, "rb") as f:
        for line in f.read().splitlines():
            assert line.startswith(b"["), line


def test_the_log_line_for_a_hostile_method_is_one_line_escaped(httpd):
    srv = httpd(UNSAFE)
    methods = [b"BR\xffEW", b'BR"EW', b"BR\\EW", b"<BR>", b"CAF\xc3\xa9"]
    for method in methods:
        assert_notimpl(srv.request(method, "/"), latin1(method))
    with open(srv.error_log, "rb") as f:
        raw = f.read()
    assert not [b for b in raw if b >= 0x7f or (b < 0x20 and b != 0x0a)], \
        raw[-600:]
    lines = [line for line in raw.splitlines() if b"NI0001" in line]
    assert len(lines) == len(methods), lines
    assert all(line.startswith(b"[") for line in raw.splitlines()), raw
    # The bytes appear escaped (\xff; httpd may escape the backslash once
    # more), in request order.
    assert re.search(rb"BR\\+xffEW", lines[0]), lines[0]
    assert re.search(rb"CAF\\+xc3\\+xa9", lines[4]), lines[4]
    assert b"<BR>" in lines[3], lines[3]
