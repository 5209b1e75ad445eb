# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""`Allow` headers on 405 responses and on OPTIONS responses never list a
method the module would answer 501 for at that URL, server or directory
scope (docs/behaviour.md "Around the 501").  The 405 decision itself stays
httpd's."""

from harness import CGI_CONFIG, allow_tokens, assert_notimpl, \
    make_executable

TRACE_PATCH = "TraceEnable on\nNotImplMethods +TRACE +PATCH\n"

# What httpd's default handler allows on a static file.
STATIC_ALLOW = {"GET", "HEAD", "POST", "OPTIONS"}

DIRECTORY_A = """
<Directory "@DOCROOT@/a">
    NotImplMethods +POST
</Directory>
"""
FILES_AB = {"a/x.txt": "in a\n", "b/x.txt": "in b\n"}

# Handlers that set their own Allow: CGI scripts that send a fixed Allow
# header, one with a 200 and one with a 405 of its own.
CGI_ALLOW = "GET, HEAD, POST, OPTIONS, PATCH, TRACE, BREW"
CGI_FILES = {
    "cgi/options.cgi": "#!/bin/sh\nprintf 'Allow: %s\\nContent-Type: "
                       "text/plain\\n\\nok\\n'\n" % CGI_ALLOW,
    "cgi/refuse.cgi": "#!/bin/sh\nprintf 'Status: 405 Method Not Allowed\\n"
                      "Allow: %s\\nContent-Type: text/plain\\n\\nno\\n'\n"
                      % CGI_ALLOW,
}


def test_stock_405_on_a_static_file_lists_trace(httpd):
    # The contrast: without the module, TraceEnable on puts TRACE in the
    # default handler's Allow, so the removals below are observable.
    srv = httpd("TraceEnable on\n", notimpl=False)
    r = srv.request("PUT", "/index.html")
    assert r.status == 405, r
    assert allow_tokens(r) == STATIC_ALLOW | {"TRACE"}, r


def test_405_allow_leaves_out_methods_declared_501(httpd):
    srv = httpd(TRACE_PATCH)
    r = srv.request("PUT", "/index.html")
    assert r.status == 405, r
    assert allow_tokens(r) == STATIC_ALLOW, r


def test_405_body_is_still_httpds_own_page(httpd):
    srv = httpd(TRACE_PATCH)
    r = srv.request("PUT", "/index.html")
    assert r.status == 405, r
    assert b"<title>405 Method Not Allowed</title>" in r.body, r


def test_options_allow_for_a_url_leaves_out_methods_declared_501(httpd):
    srv = httpd(TRACE_PATCH)
    r = srv.request("OPTIONS", "/index.html")
    assert r.status == 200, r
    assert allow_tokens(r) == STATIC_ALLOW, r


def test_the_methods_left_out_of_allow_are_indeed_501(httpd):
    srv = httpd(TRACE_PATCH)
    assert_notimpl(srv.request("TRACE", "/index.html"), "TRACE")
    assert_notimpl(srv.request("PATCH", "/index.html"), "PATCH")


def test_allow_keeps_trace_when_only_patch_is_declared_501(httpd):
    srv = httpd("TraceEnable on\nNotImplMethods +PATCH\n")
    r = srv.request("PUT", "/index.html")
    assert allow_tokens(r) == STATIC_ALLOW | {"TRACE"}, r


def test_a_200_get_gets_no_allow_header(httpd):
    srv = httpd(TRACE_PATCH)
    r = srv.request("GET", "/index.html")
    assert r.status == 200, r
    assert allow_tokens(r) is None, r


def test_directory_addition_is_removed_from_that_directorys_405_allow(httpd):
    srv = httpd(DIRECTORY_A, files=FILES_AB)
    r = srv.request("PUT", "/a/x.txt")
    assert r.status == 405, r
    assert allow_tokens(r) == (STATIC_ALLOW | {"TRACE"}) - {"POST"}, r


def test_directory_addition_is_removed_from_that_directorys_options_allow(
        httpd):
    srv = httpd(DIRECTORY_A, files=FILES_AB)
    r = srv.request("OPTIONS", "/a/x.txt")
    assert r.status == 200, r
    assert allow_tokens(r) == (STATIC_ALLOW | {"TRACE"}) - {"POST"}, r


def test_directory_addition_stays_in_another_directorys_allow(httpd):
    srv = httpd(DIRECTORY_A, files=FILES_AB)
    for method, status in (("PUT", 405), ("OPTIONS", 200)):
        r = srv.request(method, "/b/x.txt")
        assert r.status == status, r
        assert allow_tokens(r) == STATIC_ALLOW | {"TRACE"}, r


def test_directory_addition_is_501_there_and_served_elsewhere(httpd):
    srv = httpd(DIRECTORY_A, files=FILES_AB)
    assert_notimpl(srv.request("POST", "/a/x.txt"), "POST")
    assert srv.request("POST", "/b/x.txt").status == 200


def test_location_addition_is_removed_from_that_locations_allow(httpd):
    srv = httpd("<Location /a>\n    NotImplMethods +POST\n</Location>\n",
                files=FILES_AB)
    assert "POST" not in allow_tokens(srv.request("PUT", "/a/x.txt"))
    assert "POST" in allow_tokens(srv.request("PUT", "/b/x.txt"))


def test_allowlist_in_a_directory_trims_allow_to_the_list(httpd):
    # PUT is implemented there, so the static file's 405 stands; POST,
    # which the default handler would list, is not.  TRACE stays: httpd
    # answers it server-wide, before any directory scope.
    srv = httpd("<Directory \"@DOCROOT@/a\">\n"
                "    NotImplImplemented GET HEAD OPTIONS PUT\n"
                "</Directory>\n", files=FILES_AB)
    r = srv.request("PUT", "/a/x.txt")
    assert r.status == 405, r
    assert allow_tokens(r) == {"GET", "HEAD", "OPTIONS", "TRACE"}, r


def test_engine_off_in_a_virtual_host_leaves_its_allow_as_stock(httpd):
    srv = httpd("""
TraceEnable on
NotImplMethods +TRACE
<VirtualHost 127.0.0.1:@PORT@>
    ServerName strict.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName stock.test
    NotImplEngine Off
</VirtualHost>
""")
    strict = srv.request("PUT", "/index.html", host="strict.test")
    stock = srv.request("PUT", "/index.html", host="stock.test")
    assert allow_tokens(strict) == STATIC_ALLOW, strict
    assert allow_tokens(stock) == STATIC_ALLOW | {"TRACE"}, stock


# -- a handler's own Allow header (mod_cgi, under mpm_prefork) -----------

def cgi_server(httpd):
    srv = httpd(CGI_CONFIG + TRACE_PATCH, modules=["cgi"], mpm="prefork",
                files=CGI_FILES)
    make_executable(srv, *CGI_FILES)
    return srv


def test_control_a_cgi_allow_reaches_the_client_on_a_get(httpd):
    # The script's Allow passes through untouched on a 200 GET: the
    # module leaves responses other than 405 and OPTIONS alone.
    srv = cgi_server(httpd)
    r = srv.request("GET", "/cgi/options.cgi")
    assert r.status == 200, r
    assert allow_tokens(r) == {m.strip() for m in CGI_ALLOW.split(",")}, r


def test_options_allow_set_by_a_handler_leaves_out_methods_declared_501(
        httpd):
    srv = cgi_server(httpd)
    r = srv.request("OPTIONS", "/cgi/options.cgi")
    assert r.status == 200, r
    # PATCH and TRACE are declared; BREW is `unknown` under `auto`.
    assert allow_tokens(r) == {"GET", "HEAD", "POST", "OPTIONS"}, r


def test_405_allow_set_by_a_handler_leaves_out_methods_declared_501(httpd):
    srv = cgi_server(httpd)
    r = srv.request("PUT", "/cgi/refuse.cgi")
    assert r.status == 405, r
    assert allow_tokens(r) == {"GET", "HEAD", "POST", "OPTIONS"}, r


# -- where the module has nothing to say, Allow is the handler's own ------

TWO_ALLOW = {
    "cgi/two.cgi": "#!/bin/sh\nprintf 'Status: 405 Method Not Allowed\\n"
                   "Allow: GET, HEAD\\nAllow: PUT, DELETE\\n"
                   "Content-Type: text/plain\\n\\nno\\n'\n",
}


def two_allow_server(httpd, config):
    srv = httpd(CGI_CONFIG + config, modules=["cgi"], mpm="prefork",
                files=TWO_ALLOW)
    make_executable(srv, *TWO_ALLOW)
    return srv


def allow_values(r):
    return {m.strip() for v in r.headers.get_all("Allow") for m in v.split(",")}


def test_engine_off_leaves_a_handlers_allow_fields_as_they_are(httpd):
    # Two Allow fields from a handler: with the module off, nothing of
    # the module touches them (no filter at all).
    srv = two_allow_server(httpd, "NotImplEngine Off\n")
    r = srv.request("PATCH", "/cgi/two.cgi")
    assert r.status == 405, r
    assert allow_values(r) == {"GET", "HEAD", "PUT", "DELETE"}, r


def test_report_only_leaves_a_handlers_allow_fields_as_they_are(httpd):
    srv = two_allow_server(httpd, "NotImplEngine ReportOnly\n"
                                  "NotImplMethods +DELETE\n")
    r = srv.request("PATCH", "/cgi/two.cgi")
    assert r.status == 405, r
    assert allow_values(r) == {"GET", "HEAD", "PUT", "DELETE"}, r


def test_every_allow_field_of_a_handler_is_edited_not_just_the_first(httpd):
    srv = two_allow_server(httpd, "NotImplMethods +DELETE\n")
    r = srv.request("PATCH", "/cgi/two.cgi")
    assert r.status == 405, r
    assert allow_values(r) == {"GET", "HEAD", "PUT"}, r


def test_allow_fields_with_nothing_to_drop_are_left_as_they_are(httpd):
    srv = two_allow_server(httpd, "NotImplMethods +PATCH\n")
    r = srv.request("PUT", "/cgi/two.cgi")
    assert r.status == 405, r
    assert allow_values(r) == {"GET", "HEAD", "PUT", "DELETE"}, r


def allow_filter_runs(srv):
    return [l for l in srv.log_lines() if "NI0020:" in l]


def test_no_allow_filter_where_the_engine_is_off(httpd):
    # LogLevel notimpl:trace3 shows each run of the Allow filter.
    srv = two_allow_server(httpd, "NotImplEngine Off\n"
                                  "LogLevel warn notimpl:trace3\n")
    assert srv.request("PATCH", "/cgi/two.cgi").status == 405
    assert srv.request("OPTIONS", "/cgi/two.cgi").status == 405
    assert srv.request("PUT", "/index.html").status == 405
    assert allow_filter_runs(srv) == []


def test_no_allow_filter_under_report_only(httpd):
    srv = two_allow_server(httpd, "NotImplEngine ReportOnly\n"
                                  "LogLevel warn notimpl:trace3\n")
    assert srv.request("PATCH", "/cgi/two.cgi").status == 405
    assert srv.request("PUT", "/index.html").status == 405
    assert allow_filter_runs(srv) == []


def test_the_allow_filter_runs_where_the_module_may_drop_a_method(httpd):
    srv = two_allow_server(httpd, "LogLevel warn notimpl:trace3\n")
    assert srv.request("PATCH", "/cgi/two.cgi").status == 405
    assert srv.request("PUT", "/index.html").status == 405
    assert len(allow_filter_runs(srv)) == 2, srv.log_lines()
