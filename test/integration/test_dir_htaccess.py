# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
""".htaccess is a directory scope: with `AllowOverride Limit` (or
`AllowOverrideList` naming the directives) it adds not-implemented methods
for its directory and the ones below; elsewhere httpd's usual rules hold
(docs/directives.md, "Configuration errors"; docs/behaviour.md "Scopes"
2)."""

import os
import re

import pytest

from harness import assert_notimpl, vary_tokens

LIMIT = ('<Directory "@DOCROOT@">\n'
         "    AllowOverride Limit\n"
         "</Directory>\n")


def tree(**htaccess):
    """The document tree: ht/, ht/sub/ and a sibling, with .htaccess files
    given as ht="...", sub="...", sibling="..."."""
    files = {
        "ht/a.txt": "a\n",
        "ht/sub/b.txt": "b\n",
        "sibling/c.txt": "c\n",
    }
    where = {"ht": "ht", "sub": "ht/sub", "sibling": "sibling"}
    for key, content in htaccess.items():
        files[where[key] + "/.htaccess"] = content
    return files


def test_htaccess_with_allowoverride_limit_adds_a_method(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +PATCH\n"))
    assert_notimpl(srv.request("PATCH", "/ht/a.txt"), "PATCH")
    assert srv.request("GET", "/ht/a.txt").body == b"a\n"
    assert srv.request("PATCH", "/sibling/c.txt").status == 405
    assert srv.request("PATCH", "/static.txt").status == 405


def test_htaccess_is_inherited_by_subdirectories(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +PATCH\n"))
    assert_notimpl(srv.request("PATCH", "/ht/sub/b.txt"), "PATCH")
    assert srv.request("GET", "/ht/sub/b.txt").status == 200


def test_subdirectory_htaccess_plus_adds_to_the_parent_htaccess(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +PATCH\n",
                                  sub="NotImplMethods +PUT\n"))
    assert_notimpl(srv.request("PUT", "/ht/sub/b.txt"), "PUT")
    assert_notimpl(srv.request("PATCH", "/ht/sub/b.txt"), "PATCH")
    assert srv.request("PUT", "/ht/a.txt").status == 405


def test_subdirectory_htaccess_minus_is_relative_to_the_parent_htaccess(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +PATCH +PUT\n",
                                  sub="NotImplMethods -PUT\n"))
    assert_notimpl(srv.request("PUT", "/ht/a.txt"), "PUT")
    assert srv.request("PUT", "/ht/sub/b.txt").status == 405
    assert_notimpl(srv.request("PATCH", "/ht/sub/b.txt"), "PATCH")


def test_subdirectory_htaccess_engine_off_undoes_the_parents_additions(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +PATCH\n",
                                  sub="NotImplEngine Off\n"))
    assert_notimpl(srv.request("PATCH", "/ht/a.txt"), "PATCH")
    assert srv.request("PATCH", "/ht/sub/b.txt").status == 405
    # The server scope is not the directory's to undo.
    assert_notimpl(srv.request("BREW", "/ht/sub/b.txt"), "BREW")


def test_htaccess_adds_to_the_directory_section_above_it(httpd):
    srv = httpd(LIMIT + '<Directory "@DOCROOT@/ht">\n'
                        "    NotImplMethods +PATCH\n"
                        "</Directory>\n",
                files=tree(ht="NotImplMethods +PUT\n"))
    assert_notimpl(srv.request("PUT", "/ht/a.txt"), "PUT")
    assert_notimpl(srv.request("PATCH", "/ht/a.txt"), "PATCH")


def test_htaccess_implemented_is_an_allowlist_for_its_directory(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplImplemented GET HEAD POST\n"))
    for method in ("PUT", "DELETE", "OPTIONS"):
        doc = assert_notimpl(srv.request(method, "/ht/a.txt"), method)
        # TRACE is the server's to answer (TraceEnable, default on), so
        # the directory's document lists it.
        assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST",
                                              "TRACE"], doc
    assert srv.request("PUT", "/sibling/c.txt").status == 405


def test_htaccess_format_applies_to_its_501s_and_the_server_stays_json(httpd):
    srv = httpd(LIMIT, files=tree(
        ht="NotImplMethods +PATCH\n"
           "NotImplFormat text\n"
           "NotImplCacheControl no-store\n"
           'NotImplAlternative PATCH "Send the whole file with PUT."\n'))
    r = srv.request("PATCH", "/ht/a.txt")
    text = assert_notimpl(r, "PATCH", "text")
    assert "Send the whole file with PUT." in text
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    # BREW in the same directory is the server scope's 501.
    b = srv.request("BREW", "/ht/a.txt")
    assert_notimpl(b, "BREW", "json")
    assert "Cache-Control" not in b.headers
    assert "accept" in vary_tokens(b)


def test_htaccess_cannot_reenable_a_method_the_server_rejects(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplEngine Off\n"
                                     "NotImplMethods -BREW\n"
                                     "NotImplImplemented BREW\n"
                                     "NotImplFormat text\n"))
    assert_notimpl(srv.request("BREW", "/ht/a.txt"), "BREW", "json")


# -- which .htaccess files count -----------------------------------------

def test_allowoverridelist_naming_the_directives_enables_them(httpd):
    srv = httpd('<Directory "@DOCROOT@">\n'
                "    AllowOverride None\n"
                "    AllowOverrideList NotImplMethods NotImplFormat\n"
                "</Directory>\n",
                files=tree(ht="NotImplMethods +PATCH\nNotImplFormat html\n"))
    assert_notimpl(srv.request("PATCH", "/ht/a.txt"), "PATCH", "html")
    assert srv.request("PATCH", "/sibling/c.txt").status == 405


def test_allowoverridelist_refuses_a_directive_it_does_not_name(httpd):
    srv = httpd('<Directory "@DOCROOT@">\n'
                "    AllowOverride None\n"
                "    AllowOverrideList NotImplMethods\n"
                "</Directory>\n",
                files=tree(ht="NotImplMethods +PATCH\n"
                              "NotImplCacheControl no-store\n"))
    path = os.path.join(srv.docroot, "ht", ".htaccess")
    srv.expect_log(re.escape(path) + r": NotImplCacheControl not allowed here")
    assert srv.request("GET", "/ht/a.txt").status == 500
    assert srv.request("GET", "/sibling/c.txt").status == 200


def test_htaccess_is_ignored_where_allowoverride_is_none(httpd):
    srv = httpd('<Directory "@DOCROOT@">\n'
                "    AllowOverride None\n"
                "</Directory>\n",
                files=tree(ht="NotImplMethods +PATCH\n",
                           sibling="NotImplMethods BR@W\n"))
    assert srv.request("PATCH", "/ht/a.txt").status == 405
    # Not even read: a broken one changes nothing either.
    assert srv.request("GET", "/sibling/c.txt").status == 200


def test_htaccess_without_limit_override_gets_httpds_500(httpd):
    srv = httpd('<Directory "@DOCROOT@">\n'
                "    AllowOverride FileInfo\n"
                "</Directory>\n",
                files=tree(ht="NotImplMethods +PATCH\n"))
    path = os.path.join(srv.docroot, "ht", ".htaccess")
    srv.expect_log(re.escape(path) + r": NotImplMethods not allowed here")
    assert srv.request("GET", "/ht/a.txt").status == 500
    lines = [line for line in srv.log_lines() if path in line]
    assert len(lines) == 1, lines
    assert srv.request("GET", "/sibling/c.txt").status == 200


@pytest.mark.parametrize("directive", [
    "NotImplRegister PURGE",
    "NotImplTransferCodings Off",
])
def test_server_only_directives_are_not_allowed_in_htaccess(httpd, directive):
    srv = httpd(LIMIT, files=tree(ht=directive + "\n"))
    name = directive.split()[0]
    path = os.path.join(srv.docroot, "ht", ".htaccess")
    srv.expect_log(re.escape(path) + r": " + name + " not allowed here")
    assert srv.request("GET", "/ht/a.txt").status == 500


# -- a bad line in .htaccess ---------------------------------------------

@pytest.mark.parametrize("line, token", [
    ("NotImplMethods +GET", "GET"),
    ("NotImplMethods HEAD", "HEAD"),
    ("NotImplMethods +BR@W", "BR@W"),
    ("NotImplImplemented POST BR@W", "BR@W"),
    ("NotImplMethods +PATCH PUT", "PUT"),
    ("NotImplFormat xml", "xml"),
    # An empty word or a quoted word holding a space (docs/directives.md
    # "Configuration errors"): the message names the directive.
    ('NotImplMethods +BREW "" +PATCH', "NotImplMethods"),
    ('NotImplImplemented POST "" PUT', "NotImplImplemented"),
    ('NotImplMethods "+BREW +PATCH"', "+BREW +PATCH"),
    ('NotImplImplemented "POST PUT"', "POST PUT"),
    # Invalid UTF-8 in an alternative (docs/directives.md); tree() writes
    # each character as one byte.
    ('NotImplAlternative PATCH "caf\xc3\x28"', "NotImplAlternative"),
    ('NotImplAlternative PATCH "\xed\xa0\x80"', "NotImplAlternative"),
])
def test_bad_htaccess_line_is_500_with_one_log_line_naming_file_and_token(
        httpd, line, token):
    srv = httpd(LIMIT, files=tree(ht=line + "\n",
                                  sibling="NotImplMethods +PATCH\n"))
    path = os.path.join(srv.docroot, "ht", ".htaccess")
    srv.expect_log(re.escape(path))
    r = srv.request("GET", "/ht/a.txt")
    assert r.status == 500, r
    lines = [line for line in srv.log_lines() if path in line]
    assert len(lines) == 1, lines
    assert token in lines[0].split(path, 1)[1], lines
    assert line.split()[0] in lines[0], lines
    # The sibling directory is unaffected.
    assert srv.request("GET", "/sibling/c.txt").status == 200
    assert_notimpl(srv.request("PATCH", "/sibling/c.txt"), "PATCH")


def test_bad_htaccess_line_breaks_its_subdirectories_too(httpd):
    srv = httpd(LIMIT, files=tree(ht="NotImplMethods +BR@W\n"))
    path = os.path.join(srv.docroot, "ht", ".htaccess")
    srv.expect_log(re.escape(path))
    assert srv.request("GET", "/ht/sub/b.txt").status == 500
    assert srv.request("GET", "/static.txt").status == 200


# -- a large .htaccess (docs/behaviour.md "Around the 501": compiled once per
# request, in O(N) time and memory) -------------------------------------------

def big_htaccess(n):
    return "".join("NotImplMethods +X%05d\n" % i for i in range(n))


def test_an_htaccess_of_8000_lines_is_read_whole_and_the_child_survives(
        httpd):
    import concurrent.futures

    from harness import STOCK_501_LOG, assert_no_crash, format_of

    # The server scope lets unregistered names through: only the
    # .htaccess refuses them.
    srv = httpd("NotImplMethods -unknown\n" + LIMIT,
                files=tree(ht=big_htaccess(8000)),
                expect_log=[STOCK_501_LOG])
    assert srv.request("GET", "/ht/a.txt").body == b"a\n"
    # (Outside it, stock's late 501 with its canned page.)
    assert format_of(srv.request("X00000", "/sibling/c.txt")) is None
    # The first and the last line count, and what no line names passes.
    assert_notimpl(srv.request("X00000", "/ht/a.txt"), "X00000")
    assert_notimpl(srv.request("X07999", "/ht/sub/b.txt"), "X07999")
    assert srv.request("PATCH", "/ht/a.txt").status == 405
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: srv.request("GET", "/ht/a.txt"),
                            range(8)))
    assert [r.status for r in got] == [200] * 8
    assert_no_crash(srv)


def test_an_htaccess_allowlist_of_8000_lines_adds_up_to_the_last_line(httpd):
    # NotImplImplemented lines add up: each one's methods are implemented.
    lines = "".join("NotImplImplemented X%05d\n" % i for i in range(8000))
    from harness import STOCK_501_LOG, format_of

    srv = httpd("NotImplMethods -unknown\n" + LIMIT,
                files=tree(ht=lines + "NotImplImplemented PUT\n"),
                expect_log=[STOCK_501_LOG])
    assert srv.request("GET", "/ht/a.txt").body == b"a\n"
    # Implemented (first, last, and PUT: core's 405 for a static file).
    assert srv.request("PUT", "/ht/a.txt").status == 405
    # Implemented there, so passed on to httpd, whose default handler
    # knows no such method: its own late 501, not the module's.
    for name in ("X00000", "X07999"):
        assert format_of(srv.request(name, "/ht/a.txt")) is None
    doc = assert_notimpl(srv.request("DELETE", "/ht/a.txt"), "DELETE")
    assert len(doc["implemented"]) == 8000 + 4, len(doc["implemented"])
