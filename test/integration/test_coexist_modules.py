# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The module next to httpd's own modules: 405 and 403 decisions stay
theirs, internal redirects (mod_rewrite [PT], ErrorDocument) and HTTP/2
get the directory scope's 501s, and directory requests (mod_dir,
mod_autoindex) are served as before (docs/behaviour.md "501 or 405", "Scopes"
2, "Non-goals")."""

from harness import assert_notimpl, format_of

# httpd's own lines for its own refusals (error level, stock behaviour).
ALLOWMETHODS_DENIED = r"\[allowmethods:error\] .* AH01623: "
AUTHZ_DENIED = r"\[authz_core:error\] .* AH01630: "

# -- mod_allowmethods ------------------------------------------------------

ALLOWMETHODS = ("<Location />\n"
                "    AllowMethods GET HEAD\n"
                "</Location>\n")


def test_allowmethods_still_answers_405_for_post(httpd):
    srv = httpd(ALLOWMETHODS, modules=["allowmethods"],
                expect_log=[ALLOWMETHODS_DENIED])
    r = srv.request("POST", "/static.txt", body=b"x=1")
    assert r.status == 405, r
    assert format_of(r) is None, r
    assert srv.request("GET", "/static.txt").status == 200


def test_allowmethods_leaves_an_unknown_method_to_the_501(httpd):
    srv = httpd(ALLOWMETHODS, modules=["allowmethods"])
    assert_notimpl(srv.request("BREW", "/static.txt"), "BREW")


def test_directory_501_comes_before_allowmethods_405(httpd):
    srv = httpd("<Location />\n"
                "    AllowMethods GET HEAD\n"
                "    NotImplMethods +PATCH\n"
                "</Location>\n", modules=["allowmethods"],
                expect_log=[ALLOWMETHODS_DENIED])
    assert_notimpl(srv.request("PATCH", "/static.txt"), "PATCH")
    assert srv.request("PUT", "/static.txt").status == 405
    # Decided before access control: only PUT reached mod_allowmethods.
    denied = [line for line in srv.log_lines() if "AH01623" in line]
    assert len(denied) == 1 and "'PUT'" in denied[0], denied


# -- <LimitExcept> ---------------------------------------------------------

LIMITEXCEPT = ('<Directory "@DOCROOT@/le">\n'
               "    <LimitExcept GET HEAD>\n"
               "        Require all denied\n"
               "    </LimitExcept>\n"
               "%s"
               "</Directory>\n")
LE_FILES = {"le/a.txt": "a\n"}


def test_limitexcept_still_answers_403_for_post(httpd):
    srv = httpd(LIMITEXCEPT % "", files=LE_FILES, expect_log=[AUTHZ_DENIED])
    r = srv.request("POST", "/le/a.txt", body=b"x=1")
    assert r.status == 403, r
    assert format_of(r) is None, r
    assert srv.request("GET", "/le/a.txt").status == 200


def test_limitexcept_leaves_an_unknown_method_to_the_501(httpd):
    srv = httpd(LIMITEXCEPT % "", files=LE_FILES)
    assert_notimpl(srv.request("BREW", "/le/a.txt"), "BREW")


def test_directory_501_comes_before_limitexcept_403(httpd):
    srv = httpd(LIMITEXCEPT % "    NotImplMethods +PATCH\n", files=LE_FILES,
                expect_log=[AUTHZ_DENIED])
    assert_notimpl(srv.request("PATCH", "/le/a.txt"), "PATCH")
    assert srv.request("PUT", "/le/a.txt").status == 403
    # Decided before access control: only PUT was denied by authz.
    denied = [line for line in srv.log_lines() if "AH01630" in line]
    assert len(denied) == 1, denied


# -- mod_rewrite -------------------------------------------------------------

REWRITE_FILES = {"new/x.txt": "new x\n", "legacy/placeholder.txt": "p\n"}


def test_rewrite_pt_into_a_directory_that_adds_patch_gives_501(httpd):
    srv = httpd("RewriteEngine On\n"
                "RewriteRule ^/old/(.*)$ /new/$1 [PT]\n"
                '<Directory "@DOCROOT@/new">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n", modules=["rewrite"], files=REWRITE_FILES)
    assert_notimpl(srv.request("PATCH", "/old/x.txt"), "PATCH")
    r = srv.request("GET", "/old/x.txt")
    assert r.status == 200
    assert r.body == b"new x\n"
    assert srv.request("PUT", "/old/x.txt").status == 405


def test_rewrite_pt_into_a_location_that_adds_patch_gives_501(httpd):
    srv = httpd("RewriteEngine On\n"
                "RewriteRule ^/old/(.*)$ /new/$1 [PT]\n"
                "<Location /new>\n"
                "    NotImplMethods +PATCH\n"
                "</Location>\n", modules=["rewrite"], files=REWRITE_FILES)
    assert_notimpl(srv.request("PATCH", "/old/x.txt"), "PATCH")
    assert srv.request("GET", "/old/x.txt").body == b"new x\n"


def test_per_directory_rewrite_is_an_internal_redirect_that_gets_the_501(httpd):
    # A rewrite in directory context redirects internally after the
    # original request's own header_parser phase.
    srv = httpd('<Directory "@DOCROOT@/legacy">\n'
                "    RewriteEngine On\n"
                "    RewriteRule ^(.*)$ /new/$1 [L]\n"
                "</Directory>\n"
                "<Location /new>\n"
                "    NotImplMethods +PATCH\n"
                "</Location>\n", modules=["rewrite"], files=REWRITE_FILES)
    assert_notimpl(srv.request("PATCH", "/legacy/x.txt"), "PATCH")
    assert srv.request("GET", "/legacy/x.txt").body == b"new x\n"


# -- ErrorDocument 501 in a directory that adds methods ---------------------

ERRPAGE = "<html><body>our own 501 page</body></html>\n"
ERRDOC = ("ErrorDocument 501 /errors/501.html\n"
          '<Directory "@DOCROOT@/errors">\n'
          "    NotImplMethods +PATCH\n"
          "</Directory>\n")
ERR_FILES = {"errors/501.html": ERRPAGE, "errors/other.txt": "o\n"}


def test_errordocument_in_a_501_directory_serves_the_page_for_brew(httpd):
    srv = httpd(ERRDOC, files=ERR_FILES)
    r = srv.request("BREW", "/static.txt")
    assert r.status == 501, r
    assert r.body == ERRPAGE.encode(), r
    assert "Allow" not in r.headers


def test_errordocument_in_a_501_directory_serves_the_page_for_patch(httpd):
    srv = httpd(ERRDOC, files=ERR_FILES)
    for path in ("/errors/other.txt", "/errors/501.html"):
        r = srv.request("PATCH", path)
        assert r.status == 501, r
        # No loop: the page itself, not httpd's "additionally" text.
        assert r.body == ERRPAGE.encode(), r
        assert "Allow" not in r.headers


# -- HTTP/2 ------------------------------------------------------------------

H2 = ("Protocols h2c http/1.1\n"
      "<Location /api>\n"
      "    NotImplMethods +PATCH\n"
      "    NotImplCacheControl no-store\n"
      "</Location>\n")
H2_FILES = {"api/a.txt": "api\n"}


def test_directory_501_over_http2(httpd):
    srv = httpd(H2, modules=["http2"], files=H2_FILES)
    r = srv.curl("-X", "PATCH", path="/api/a.txt")
    assert r.http_version == "2"
    doc = assert_notimpl(r, "PATCH")
    assert doc["error"] == "not_implemented"
    assert r.headers.get_all("Cache-Control") == ["no-store"]


def test_directory_scope_over_http2_serves_get_and_leaves_other_urls(httpd):
    srv = httpd(H2, modules=["http2"], files=H2_FILES)
    r = srv.curl(path="/api/a.txt")
    assert r.http_version == "2"
    assert r.status == 200
    assert r.body == b"api\n"
    assert srv.curl("-X", "PATCH", path="/static.txt").status == 405


def test_server_501_over_http2(httpd):
    srv = httpd(H2, modules=["http2"], files=H2_FILES)
    r = srv.curl("-X", "BREW", "-H", "Accept: text/plain", path="/api/a.txt")
    assert r.http_version == "2"
    assert_notimpl(r, "BREW", "text")
    assert "Cache-Control" not in r.headers


# -- mod_dir and mod_autoindex --------------------------------------------

DIRS = ('<Directory "@DOCROOT@/withindex">\n'
        "    NotImplMethods +PATCH\n"
        "</Directory>\n"
        '<Directory "@DOCROOT@/listing">\n'
        "    Options +Indexes\n"
        "    NotImplMethods +PATCH\n"
        "</Directory>\n")
DIR_FILES = {"withindex/index.html": "<html>the index</html>\n",
             "listing/one.txt": "1\n", "listing/two.txt": "2\n"}


def test_directoryindex_is_served_for_get_in_a_directory_that_adds_patch(
        httpd):
    srv = httpd(DIRS, modules=["autoindex"], files=DIR_FILES)
    r = srv.request("GET", "/withindex/")
    assert r.status == 200, r
    assert r.body == b"<html>the index</html>\n"
    r = srv.request("GET", "/withindex")
    assert r.status == 301, r
    assert r.headers.get("Location").endswith("/withindex/")
    assert_notimpl(srv.request("PATCH", "/withindex/"), "PATCH")


def test_autoindex_listing_is_served_for_get_in_a_directory_that_adds_patch(
        httpd):
    srv = httpd(DIRS, modules=["autoindex"], files=DIR_FILES)
    r = srv.request("GET", "/listing/")
    assert r.status == 200, r
    assert b"Index of /listing" in r.body
    assert b"one.txt" in r.body and b"two.txt" in r.body
    assert_notimpl(srv.request("PATCH", "/listing/"), "PATCH")
