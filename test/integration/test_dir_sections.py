# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Directory scope in the configuration: <Directory>, <DirectoryMatch>,
<Files>, <FilesMatch>, <Location> and <LocationMatch> add not-implemented
methods, decided after the directory walk; a directory scope never
re-enables what the server scope rejects (docs/behaviour.md "Scopes" 2)."""

import pytest

from harness import assert_notimpl, format_of, vary_tokens

FILES = {
    "d/a.txt": "a\n",
    "d/sub/b.txt": "b\n",
    "dm1/a.txt": "a\n",
    "files/f.txt": "f\n",
    "files/g.txt": "g\n",
    "files/h.data": "h\n",
    "loc/a.txt": "a\n",
    "lm1/a.txt": "a\n",
    "other/a.txt": "a\n",
}

SECTIONS = {
    "Directory": ('<Directory "@DOCROOT@/d">\n%s</Directory>\n',
                  "/d/a.txt"),
    "DirectoryMatch": ('<DirectoryMatch "/htdocs/dm[0-9]+">\n%s'
                       "</DirectoryMatch>\n", "/dm1/a.txt"),
    "Files": ('<Files "f.txt">\n%s</Files>\n', "/files/f.txt"),
    "FilesMatch": ('<FilesMatch "\\.data$">\n%s</FilesMatch>\n',
                   "/files/h.data"),
    "Location": ("<Location /loc>\n%s</Location>\n", "/loc/a.txt"),
    "LocationMatch": ('<LocationMatch "^/lm[0-9]+/">\n%s</LocationMatch>\n',
                      "/lm1/a.txt"),
}

# Neither matched by any of the sections above.
UNMATCHED = ("/other/a.txt", "/files/g.txt", "/static.txt")


def section(kind, body):
    template, path = SECTIONS[kind]
    return template % body, path


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_plus_patch_in_a_section_makes_patch_501_there_only(httpd, kind):
    conf, path = section(kind, "    NotImplMethods +PATCH\n")
    srv = httpd(conf, files=FILES)
    assert_notimpl(srv.request("PATCH", path), "PATCH")
    assert srv.request("GET", path).status == 200
    for other in UNMATCHED:
        assert srv.request("PATCH", other).status == 405, other


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_implemented_in_a_section_is_an_allowlist_there(httpd, kind):
    conf, path = section(kind, "    NotImplImplemented GET HEAD POST\n")
    srv = httpd(conf, files=FILES)
    for method in ("PUT", "DELETE", "OPTIONS", "PATCH"):
        doc = assert_notimpl(srv.request(method, path), method)
        # TRACE is the server's to answer (TraceEnable, default on).
        assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST",
                                              "TRACE"], doc
    assert srv.request("GET", path).status == 200
    assert srv.request("HEAD", path).status == 200
    assert srv.request("PUT", "/other/a.txt").status == 405


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_format_cache_control_and_alternative_of_a_section(httpd, kind):
    conf, path = section(kind, "    NotImplMethods +PATCH\n"
                               "    NotImplFormat problem\n"
                               "    NotImplCacheControl no-store\n"
                               '    NotImplAlternative PATCH "Use PUT"\n')
    srv = httpd(conf, files=FILES)
    r = srv.request("PATCH", path)
    doc = assert_notimpl(r, "PATCH", "problem")
    assert doc["alternative"] == "Use PUT"
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    # A fixed format is not negotiated.
    assert "accept" not in vary_tokens(r)


def test_engine_off_in_a_subdirectory_undoes_the_directory_addition(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n"
                '<Directory "@DOCROOT@/d/sub">\n'
                "    NotImplEngine Off\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/d/a.txt"), "PATCH")
    assert srv.request("PATCH", "/d/sub/b.txt").status == 405


def test_minus_in_a_subdirectory_is_relative_to_the_enclosing_directory(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH +PUT\n"
                "</Directory>\n"
                '<Directory "@DOCROOT@/d/sub">\n'
                "    NotImplMethods -PUT\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("PUT", "/d/a.txt"), "PUT")
    assert_notimpl(srv.request("PATCH", "/d/sub/b.txt"), "PATCH")
    assert srv.request("PUT", "/d/sub/b.txt").status == 405


def test_plus_in_a_subdirectory_adds_to_the_enclosing_directory(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n"
                '<Directory "@DOCROOT@/d/sub">\n'
                "    NotImplMethods +PUT\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/d/sub/b.txt"), "PATCH")
    assert_notimpl(srv.request("PUT", "/d/sub/b.txt"), "PUT")
    assert srv.request("PUT", "/d/a.txt").status == 405


def test_location_adds_to_what_the_directory_says(httpd):
    # Location sections merge after Directory sections.
    srv = httpd('<Directory "@DOCROOT@/loc">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n"
                "<Location /loc>\n"
                "    NotImplMethods +PUT\n"
                "</Location>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/loc/a.txt"), "PATCH")
    assert_notimpl(srv.request("PUT", "/loc/a.txt"), "PUT")


def test_files_section_adds_to_the_directory_around_it(httpd):
    srv = httpd('<Directory "@DOCROOT@/files">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n"
                '<Files "f.txt">\n'
                "    NotImplMethods +PUT\n"
                "</Files>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/files/f.txt"), "PATCH")
    assert_notimpl(srv.request("PUT", "/files/f.txt"), "PUT")
    assert srv.request("PUT", "/files/g.txt").status == 405


def test_location_engine_off_undoes_the_directory_addition(httpd):
    srv = httpd('<Directory "@DOCROOT@/loc">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n"
                "<Location /loc>\n"
                "    NotImplEngine Off\n"
                "</Location>\n", files=FILES)
    assert srv.request("PATCH", "/loc/a.txt").status == 405
    assert_notimpl(srv.request("BREW", "/loc/a.txt"), "BREW")


def test_two_locations_matching_one_url_add_up(httpd):
    srv = httpd("<Location /loc>\n"
                "    NotImplMethods +PATCH\n"
                "</Location>\n"
                '<LocationMatch "^/loc/.*\\.txt$">\n'
                "    NotImplMethods +PUT\n"
                "</LocationMatch>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/loc/a.txt"), "PATCH")
    assert_notimpl(srv.request("PUT", "/loc/a.txt"), "PUT")


def test_two_files_sections_matching_one_file_add_up(httpd):
    srv = httpd('<Files "f.txt">\n'
                "    NotImplMethods +PATCH\n"
                "</Files>\n"
                '<FilesMatch "^f">\n'
                "    NotImplMethods +PUT\n"
                "</FilesMatch>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/files/f.txt"), "PATCH")
    assert_notimpl(srv.request("PUT", "/files/f.txt"), "PUT")
    assert srv.request("PATCH", "/files/g.txt").status == 405


def test_unsigned_list_in_a_directory_leaves_the_server_scope_alone(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods PUT\n"
                "    NotImplFormat text\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("PUT", "/d/a.txt"), "PUT", "text")
    # BREW is still the server scope's: its 501 and its format.
    assert_notimpl(srv.request("BREW", "/d/a.txt"), "BREW", "json")


# -- a directory scope can never re-enable a server-scope 501 ------------

def test_engine_off_in_a_directory_does_not_reenable_brew(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplEngine Off\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("BREW", "/d/a.txt"), "BREW")


def test_minus_brew_in_a_directory_does_not_reenable_brew(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods -BREW\n"
                "    NotImplFormat text\n"
                "</Directory>\n", files=FILES)
    # The server scope's 501, in the server scope's format.
    assert_notimpl(srv.request("BREW", "/d/a.txt"), "BREW", "json")


def test_implemented_brew_in_a_location_does_not_reenable_brew(httpd):
    srv = httpd("<Location /loc>\n"
                "    NotImplImplemented BREW\n"
                "    NotImplFormat text\n"
                "</Location>\n", files=FILES)
    assert_notimpl(srv.request("BREW", "/loc/a.txt"), "BREW", "json")
    # The allowlist still holds for what the server scope lets through.
    assert_notimpl(srv.request("PATCH", "/loc/a.txt"), "PATCH", "text")


def test_minus_patch_in_a_directory_does_not_undo_the_servers_plus_patch(httpd):
    srv = httpd("NotImplMethods +PATCH\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods -PATCH\n"
                "    NotImplEngine Off\n"
                "</Directory>\n", files=FILES)
    assert_notimpl(srv.request("PATCH", "/d/a.txt"), "PATCH")


def test_directory_501_says_directory_and_server_501_says_server(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH -BREW\n"
                "</Directory>\n"
                'CustomLog "@DIR@/logs/scope.log" "%m %s %{NOTIMPL}e" '
                "env=NOTIMPL\n", files=FILES)
    assert srv.request("PATCH", "/d/a.txt").status == 501
    assert srv.request("BREW", "/d/a.txt").status == 501
    lines = srv.wait_for_log(lambda lines: len(lines) >= 2, "scope.log")
    assert lines == ["PATCH 501 directory", "BREW 501 server"]


# -- where the document's settings come from -----------------------------

def test_directory_501_falls_back_to_server_settings_it_does_not_set(httpd):
    srv = httpd('NotImplCacheControl "max-age=60"\n'
                'NotImplAlternative PATCH "Use PUT"\n'
                "NotImplFormat html\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "</Directory>\n", files=FILES)
    r = srv.request("PATCH", "/d/a.txt")
    html = assert_notimpl(r, "PATCH", "html")
    assert "Use PUT" in html
    assert r.headers.get_all("Cache-Control") == ["max-age=60"]


def test_server_501_ignores_the_directory_settings(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "    NotImplFormat text\n"
                "    NotImplCacheControl no-store\n"
                '    NotImplAlternative BREW "Use POST"\n'
                "</Directory>\n", files=FILES)
    r = srv.request("BREW", "/d/a.txt")
    doc = assert_notimpl(r, "BREW", "json")
    assert "alternative" not in doc
    assert "Cache-Control" not in r.headers
    assert "accept" in vary_tokens(r)


def test_cache_control_none_in_a_directory_drops_the_servers_value(httpd):
    srv = httpd("NotImplCacheControl no-store\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                "    NotImplCacheControl none\n"
                "</Directory>\n", files=FILES)
    r = srv.request("PATCH", "/d/a.txt")
    assert_notimpl(r, "PATCH")
    assert "Cache-Control" not in r.headers


def test_directory_alternative_overrides_the_servers_for_its_501s(httpd):
    srv = httpd('NotImplAlternative PATCH "server text"\n'
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +PATCH\n"
                '    NotImplAlternative PATCH "directory text"\n'
                "</Directory>\n", files=FILES)
    doc = assert_notimpl(srv.request("PATCH", "/d/a.txt"), "PATCH")
    assert doc["alternative"] == "directory text"


# -- a Location allowlist in front of an API ------------------------------

API = ("<Location /api>\n"
       "    NotImplImplemented GET HEAD POST PUT DELETE\n"
       "</Location>\n")
API_FILES = {"api/item.txt": "item\n"}


def test_api_allowlist_answers_501_for_patch_and_options(httpd):
    srv = httpd(API, files=API_FILES)
    for method in ("PATCH", "OPTIONS"):
        doc = assert_notimpl(srv.request(method, "/api/item.txt"), method)
        assert sorted(doc["implemented"]) == ["DELETE", "GET", "HEAD",
                                              "POST", "PUT", "TRACE"], doc


def test_api_allowlist_passes_delete_to_cores_405(httpd):
    srv = httpd(API, files=API_FILES)
    r = srv.request("DELETE", "/api/item.txt")
    assert r.status == 405, r
    assert format_of(r) is None, r
    assert srv.request("GET", "/api/item.txt").body == b"item\n"


def test_api_allowlist_leaves_other_locations_alone(httpd):
    srv = httpd(API, files=API_FILES)
    r = srv.request("OPTIONS", "/static.txt")
    assert r.status == 200, r
    assert srv.request("PATCH", "/static.txt").status == 405
