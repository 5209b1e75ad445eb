# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Server scope, main server: which methods get the module's 501, what the
501 looks like, and what httpd keeps answering itself (docs/behaviour.md "501
or 405" and "The response"; docs/directives.md)."""

import html
import json
import re

import pytest

from harness import (CONTENT_TYPES, STOCK_501_LOG, assert_notimpl,
                     assert_stock_501, vary_tokens)


def test_brew_is_501_with_json_and_no_allow(httpd):
    srv = httpd()
    r = srv.request("BREW", "/static.txt")
    doc = assert_notimpl(r, "BREW", "json")
    assert doc["error"] == "not_implemented"
    assert r.content_type == "application/json; charset=utf-8"
    assert "Allow" not in r.headers


def test_json_document_is_byte_exact(httpd):
    srv = httpd()
    r = srv.request("BREW", "/")
    assert r.body == (b'{"error":"not_implemented","method":"BREW",'
                      b'"detail":"The method BREW is not implemented by '
                      b'this server."}\n')
    assert r.headers.get("Content-Length") == str(len(r.body))


def test_method_names_are_case_sensitive_lowercase_get_is_501(httpd):
    srv = httpd()
    assert_notimpl(srv.request("get", "/static.txt"), "get")


def test_get_and_head_are_served(httpd):
    srv = httpd()
    r = srv.request("GET", "/static.txt")
    assert r.status == 200
    assert r.body == b"static file\n"
    r = srv.request("HEAD", "/static.txt")
    assert r.status == 200
    assert r.body == b""


def test_patch_and_put_on_a_static_file_are_405_with_httpds_allow(httpd):
    srv = httpd()
    for method in ("PATCH", "PUT"):
        r = srv.request(method, "/static.txt")
        assert r.status == 405, r
        allow = r.headers.get("Allow")
        assert allow is not None, r
        assert "GET" in [m.strip() for m in allow.split(",")], r


def test_propfind_is_501_when_mod_dav_is_not_loaded(httpd):
    srv = httpd()
    assert_notimpl(srv.request("PROPFIND", "/static.txt"), "PROPFIND")


def test_propfind_is_left_to_httpd_when_mod_dav_is_loaded(httpd):
    # No `Dav On` anywhere: loading mod_dav is what changes `auto`.
    srv = httpd(modules=["dav", "dav_fs"])
    r = srv.request("PROPFIND", "/static.txt")
    assert r.status != 501, r
    assert_notimpl(srv.request("BREW", "/static.txt"), "BREW")


def test_http_1_0_request_for_brew_is_501(httpd):
    srv = httpd()
    r = srv.request("BREW", "/", version="HTTP/1.0", close=False)
    assert_notimpl(r, "BREW")
    assert r.version in ("HTTP/1.0", "HTTP/1.1")


def test_connection_is_closed_after_a_501(httpd):
    srv = httpd()
    # A keep-alive request: only the server can end this connection, and
    # KeepAliveTimeout (30s) is longer than the read timeout.
    r = srv.request("BREW", "/", close=False)
    assert_notimpl(r, "BREW")
    assert "close" in r.headers.get("Connection", "").lower()
    assert r.closed is True
    assert r.count == 1


def test_vary_accept_is_sent_when_the_format_is_negotiated(httpd):
    srv = httpd()
    r = srv.request("BREW", "/")
    assert "accept" in vary_tokens(r), r


def test_no_cache_control_by_default(httpd):
    srv = httpd()
    r = srv.request("BREW", "/")
    assert_notimpl(r, "BREW")
    assert "Cache-Control" not in r.headers


def test_cache_control_no_store_is_sent_when_configured(httpd):
    srv = httpd("NotImplCacheControl no-store\n")
    r = srv.request("BREW", "/")
    assert_notimpl(r, "BREW")
    assert r.headers.get_all("Cache-Control") == ["no-store"]


def test_cache_control_value_with_arguments_is_sent_verbatim(httpd):
    srv = httpd('NotImplCacheControl "max-age=3600"\n')
    r = srv.request("BREW", "/")
    assert r.headers.get_all("Cache-Control") == ["max-age=3600"]


def test_cache_control_is_not_added_to_other_responses(httpd):
    srv = httpd("NotImplCacheControl no-store\n")
    r = srv.request("GET", "/static.txt")
    assert r.status == 200
    assert "Cache-Control" not in r.headers


ALTERNATIVE = 'NotImplAlternative BREW "Use POST /coffee"\n'


def test_alternative_is_a_member_of_the_json_document(httpd):
    srv = httpd(ALTERNATIVE)
    doc = assert_notimpl(srv.request("BREW", "/"), "BREW")
    assert doc["alternative"] == "Use POST /coffee"


def test_alternative_is_a_member_of_the_problem_document(httpd):
    srv = httpd(ALTERNATIVE)
    r = srv.request("BREW", "/",
                    headers={"Accept": "application/problem+json"})
    doc = assert_notimpl(r, "BREW", "problem")
    assert doc["alternative"] == "Use POST /coffee"


def test_alternative_is_a_sentence_in_html_and_text(httpd):
    srv = httpd(ALTERNATIVE)
    html = assert_notimpl(srv.request("BREW", "/",
                                      headers={"Accept": "text/html"}),
                          "BREW", "html")
    assert "Use POST /coffee" in html
    text = assert_notimpl(srv.request("BREW", "/",
                                      headers={"Accept": "text/plain"}),
                          "BREW", "text")
    assert "Use POST /coffee" in text


def test_alternative_applies_only_to_its_method(httpd):
    srv = httpd(ALTERNATIVE)
    doc = assert_notimpl(srv.request("MKTEA", "/"), "MKTEA")
    assert "alternative" not in doc


def test_alternatives_reach_registered_extension_and_other_names(httpd):
    """The document's alternative is found by method number for a name
    httpd knows (PATCH, a NotImplRegister'd MKTEA) and by name for the
    rest (brew, as written: method names are case-sensitive)."""
    srv = httpd('NotImplRegister MKTEA\n'
                'NotImplMethods +MKTEA +PATCH\n'
                'NotImplAlternative MKTEA "Use POST /tea"\n'
                'NotImplAlternative PATCH "Use PUT"\n'
                'NotImplAlternative brew "Use POST /coffee"\n')
    assert assert_notimpl(srv.request("MKTEA", "/"),
                          "MKTEA")["alternative"] == "Use POST /tea"
    assert assert_notimpl(srv.request("PATCH", "/"),
                          "PATCH")["alternative"] == "Use PUT"
    assert assert_notimpl(srv.request("brew", "/"),
                          "brew")["alternative"] == "Use POST /coffee"
    assert "alternative" not in assert_notimpl(srv.request("BREW", "/"),
                                               "BREW")


@pytest.mark.parametrize("accept", [None, "text/html"])
def test_headers_set_before_the_501_are_kept_and_allow_still_dropped(
        httpd, accept):
    """A header another module put on the error response before the
    decision (mod_headers' early Header always) reaches the client next to
    the module's own: the 501 drops only httpd's Allow."""
    srv = httpd("Header always set X-Early yes early\n"
                "Header always set X-Late yes\n"
                "NotImplCacheControl no-store\n", modules=("headers",))
    r = srv.request("BREW", "/", headers={"Accept": accept} if accept else {})
    fmt = "html" if accept else "json"
    assert_notimpl(r, "BREW", fmt)
    assert "Allow" not in r.headers, r.headers
    assert r.headers.get_all("X-Early") == ["yes"], r.headers
    assert r.headers.get_all("X-Late") == ["yes"], r.headers
    assert r.headers.get_all("Cache-Control") == ["no-store"], r.headers
    assert r.headers.get_all("Vary") == ["Accept"], r.headers


def test_vary_joins_a_vary_set_before_the_501(httpd):
    """httpd's header filter joins Vary fields: the module's Accept is
    added to one another module set, and sent once."""
    srv = httpd("Header always set Vary Accept-Language early\n",
                modules=("headers",))
    r = srv.request("BREW", "/")
    assert_notimpl(r, "BREW")
    vary = [v.strip() for f in r.headers.get_all("Vary") for v in f.split(",")]
    assert sorted(vary) == ["Accept", "Accept-Language"], r.headers


def test_implemented_allowlist_makes_every_other_method_501(httpd):
    srv = httpd("NotImplImplemented GET HEAD POST\n")
    for method in ("PUT", "PATCH", "BREW", "DELETE"):
        doc = assert_notimpl(srv.request(method, "/static.txt"), method)
        assert set(doc["implemented"]) == {"GET", "HEAD", "POST"}, doc
        assert len(doc["implemented"]) == 3, doc


def test_implemented_allowlist_serves_the_methods_it_names(httpd):
    srv = httpd("NotImplImplemented GET HEAD POST\n")
    assert srv.request("POST", "/static.txt", body=b"x=1").status != 501
    assert srv.request("GET", "/static.txt").status == 200
    assert srv.request("HEAD", "/static.txt").status == 200


def test_implemented_allowlist_always_includes_get_and_head(httpd):
    srv = httpd("NotImplImplemented POST\n")
    assert srv.request("GET", "/static.txt").status == 200
    assert srv.request("HEAD", "/static.txt").status == 200
    doc = assert_notimpl(srv.request("PUT", "/static.txt"), "PUT")
    assert "GET" in doc["implemented"] and "HEAD" in doc["implemented"]
    assert set(doc["implemented"]) == {"GET", "HEAD", "POST"}, doc


def test_implemented_is_not_listed_for_a_denylist(httpd):
    srv = httpd("NotImplMethods +PATCH\n")
    doc = assert_notimpl(srv.request("PATCH", "/"), "PATCH")
    assert "implemented" not in doc


def test_methods_plus_patch_makes_patch_501(httpd):
    srv = httpd("NotImplMethods +PATCH\n")
    assert_notimpl(srv.request("PATCH", "/static.txt"), "PATCH")
    # The rest of `auto` stays.
    assert_notimpl(srv.request("BREW", "/static.txt"), "BREW")
    assert srv.request("PUT", "/static.txt").status == 405


def test_methods_minus_an_unregistered_name_leaves_it_to_httpd(httpd):
    srv = httpd("NotImplMethods -BREW\n", expect_log=[STOCK_501_LOG])
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")
    # Other unregistered names are still `unknown`.
    assert_notimpl(srv.request("MKTEA", "/static.txt"), "MKTEA")


def test_unsigned_methods_list_replaces_the_inherited_set(httpd):
    srv = httpd("NotImplMethods PUT\n", expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("PUT", "/static.txt"), "PUT")
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")
    assert srv.request("PROPFIND", "/static.txt").status == 405


def test_webdav_group_names_the_webdav_methods(httpd):
    srv = httpd("NotImplMethods webdav\n", modules=["dav", "dav_fs"],
                expect_log=[STOCK_501_LOG])
    for method in ("PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
                   "UNLOCK"):
        assert_notimpl(srv.request(method, "/static.txt"), method)
    assert_stock_501(srv.request("BREW", "/static.txt"), "BREW")


def test_engine_off_gives_httpds_stock_behaviour(httpd):
    srv = httpd("NotImplEngine Off\n", expect_log=[STOCK_501_LOG])
    r = srv.request("BREW", "/static.txt")
    assert_stock_501(r, "BREW")
    assert b"not_implemented" not in r.body


def test_notimpl_env_var_marks_exactly_the_modules_501s(httpd):
    srv = httpd(
        "NotImplMethods -FOO\n"
        'CustomLog "@DIR@/logs/notimpl.log" "%m %s" env=NOTIMPL\n'
        'CustomLog "@DIR@/logs/access.log" "%m %s"\n',
        expect_log=[STOCK_501_LOG])
    sent = [("BREW", 501), ("GET", 200), ("PATCH", 405), ("FOO", 501),
            ("PURGE", 501)]
    for method, status in sent:
        assert srv.request(method, "/static.txt").status == status
    # Both logs are written in the same logging phase: once the access log
    # has every request, the other one is complete.
    access = srv.wait_for_log(lambda lines: len(lines) >= len(sent),
                              "access.log")
    assert access == ["%s %d" % s for s in sent]
    assert srv.log_lines("notimpl.log") == ["BREW 501", "PURGE 501"]


def test_each_501_logs_one_info_line_naming_the_method(httpd):
    srv = httpd()
    for method in ("BREW", "MKTEA", "BREW"):
        assert_notimpl(srv.request(method, "/"), method)
    assert srv.request("GET", "/").status == 200
    lines = [line for line in srv.log_lines() if "notimpl:" in line]
    assert len(lines) == 3, lines
    assert all("[notimpl:info]" in line for line in lines), lines
    assert [re.search(r"\b(BREW|MKTEA)\b", line).group(1)
            for line in lines] == ["BREW", "MKTEA", "BREW"]


def test_501s_log_nothing_at_warn_or_above(httpd):
    srv = httpd()
    for method in ("BREW", "PROPFIND", "get"):
        assert_notimpl(srv.request(method, "/"), method)
    assert srv.unexpected_log_lines() == []


# -- the administrator's UTF-8 reaches every format intact (docs/directives.md:
# NotImplAlternative TEXT is UTF-8 and reaches every format intact, escaped
# only as the format requires) ----------------------------

UTF8_TEXTS = {
    # 2-byte sequence
    "cafe": "Utilisez café",
    # 3- and 4-byte sequences (U+2615, U+1F375)
    "emoji": "Brew with PUT \u2615 or \U0001f375",
    # The characters JSON and HTML must escape, and a backslash
    "markup": "Use <PUT> & \"POST\", 'PATCH' or \\ instead",
}


def utf8_config(text, method="PATCH"):
    """(configuration, files): an Include'd file written as exact UTF-8
    bytes, so that no str encoding between here and httpd can touch it."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    line = ('NotImplAlternative %s "%s"\n'
            'NotImplAlternative MKTEA "plain words"\n' % (method, quoted))
    return ('NotImplMethods +PATCH\nInclude "@DOCROOT@/conf/alt.conf"\n',
            {"conf/alt.conf": line.encode("utf-8")})


def assert_utf8_501(r, fmt):
    """r is the module's 501 in format fmt, UTF-8 throughout; returns the
    body as text."""
    assert r.status == 501, r
    assert r.content_type == CONTENT_TYPES[fmt], r
    assert "Allow" not in r.headers, r
    return r.body.decode("utf-8", errors="strict")


def assert_raw_utf8(body, text):
    """Every non-ASCII character of text is in body as its own UTF-8 bytes,
    and no byte of it was escaped one by one (\\u00c3, \\xc3, &#195;)."""
    for ch in set(text):
        if ord(ch) > 0x7e:
            assert ch.encode("utf-8") in body, (ch, body)
    assert not re.search(rb"\\u00[89a-f][0-9a-f]|\\x[89a-f][0-9a-f]"
                         rb"|&#(1[2-9]\d|2[0-4]\d|25[0-5]);", body), body


@pytest.mark.parametrize("fmt, accept", [("json", "application/json"),
                                         ("problem",
                                          "application/problem+json")])
@pytest.mark.parametrize("name", sorted(UTF8_TEXTS))
@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_utf8_alternative_reaches_the_json_documents_intact(httpd, method,
                                                             name, fmt,
                                                             accept):
    text = UTF8_TEXTS[name]
    config, files = utf8_config(text, method)
    srv = httpd(config, files=files)
    r = srv.request(method, "/", headers={"Accept": accept})
    doc = json.loads(assert_utf8_501(r, fmt))
    assert doc["method"] == method, doc
    assert doc["alternative"] == text, doc
    assert_raw_utf8(r.body, text)


@pytest.mark.parametrize("name", sorted(UTF8_TEXTS))
@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_utf8_alternative_reaches_the_html_document_intact(httpd, method,
                                                          name):
    text = UTF8_TEXTS[name]
    config, files = utf8_config(text, method)
    srv = httpd(config, files=files)
    page = assert_utf8_501(srv.request(method, "/",
                                       headers={"Accept": "text/html"}),
                           "html")
    plain = srv.request("MKTEA", "/", headers={"Accept": "text/html"}).text
    # What the reader sees is the text; markup only the page's own (as
    # much as with an alternative of plain words): the text's < > & are
    # entities, and every & starts one.
    assert text in html.unescape(page), page
    assert page.count("<") == plain.count("<"), page
    assert page.count(">") == plain.count(">"), page
    assert not re.search(r"&(?!(amp|lt|gt|quot|#39|#x27);)", page), page
    assert_raw_utf8(page.encode("utf-8"), text)


@pytest.mark.parametrize("name", sorted(UTF8_TEXTS))
@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_utf8_alternative_reaches_the_text_document_verbatim(httpd, method,
                                                            name):
    text = UTF8_TEXTS[name]
    config, files = utf8_config(text, method)
    srv = httpd(config, files=files)
    body = assert_utf8_501(srv.request(method, "/",
                                       headers={"Accept": "text/plain"}),
                           "text")
    # Plain text needs no escaping: the administrator's text as written.
    assert text in body, body
    assert_raw_utf8(body.encode("utf-8"), text)


@pytest.mark.parametrize("where", ["Directory", "htaccess"])
def test_utf8_alternative_of_a_directory_scope_reaches_json_intact(httpd,
                                                                   where):
    text = UTF8_TEXTS["cafe"]
    line = ('NotImplMethods +PUT\nNotImplAlternative PUT "%s"\n'
            % text).encode("utf-8")
    if where == "htaccess":
        config = ('<Directory "@DOCROOT@/d">\n'
                  "    AllowOverride Limit\n"
                  "</Directory>\n")
        files = {"d/.htaccess": line, "d/a.txt": "a\n"}
    else:
        config = ('<Directory "@DOCROOT@/d">\n'
                  '    Include "@DOCROOT@/conf/d.conf"\n'
                  "</Directory>\n")
        files = {"conf/d.conf": line, "d/a.txt": "a\n"}
    srv = httpd(config, files=files)
    r = srv.request("PUT", "/d/a.txt")
    doc = json.loads(assert_utf8_501(r, "json"))
    assert doc["alternative"] == text, doc
    assert b"caf\xc3\xa9" in r.body, r.body
