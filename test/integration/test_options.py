# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""`OPTIONS *` answers 200 with an `Allow` header listing the methods the
server scope implements (docs/behaviour.md "Around the 501"; RFC 9110 §9.3.7:
the asterisk form asks about the server as a whole).  Stock httpd answers it
with no `Allow` at all."""

from harness import allow_tokens, assert_notimpl

# Every method httpd 2.4 registers at start-up (built-in numbers M_GET to
# M_MERGE, HEAD sharing GET's), i.e. what `auto` leaves implemented when
# mod_dav is not loaded: the WebDAV and DeltaV names are not implemented.
# CONNECT only where mod_proxy_connect can serve it.
BUILT_IN_IMPLEMENTED = {"GET", "HEAD", "PUT", "POST", "DELETE",
                        "OPTIONS", "TRACE", "PATCH"}
WEBDAV = {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"}
DELTAV = {"VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
          "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL",
          "MERGE"}

TWO_HOSTS = """
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
    %s
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
    %s
</VirtualHost>
"""


def options_star(srv, host="localhost"):
    r = srv.request("OPTIONS", "*", host=host)
    assert r.status == 200, r
    return r


def test_stock_httpd_answers_options_star_without_allow(httpd):
    # The contrast: what the module changes.
    srv = httpd(notimpl=False)
    r = options_star(srv)
    assert allow_tokens(r) is None, r


def test_options_star_lists_the_known_methods_minus_the_default_denylist(
        httpd):
    srv = httpd()
    r = options_star(srv)
    assert allow_tokens(r) == BUILT_IN_IMPLEMENTED, r
    assert r.body == b""
    # Each name once, comma-separated with no empty item.
    names = [m.strip() for m in r.headers.get("Allow").split(",")]
    assert len(names) == len(set(names)) and "" not in names, r


def test_options_star_never_lists_webdav_or_deltav_without_mod_dav(httpd):
    srv = httpd()
    allow = allow_tokens(options_star(srv))
    assert not allow & (WEBDAV | DELTAV), allow


def test_options_star_lists_webdav_once_mod_dav_is_loaded(httpd):
    # `auto` drops webdav and deltav from the set when mod_dav is loaded,
    # so OPTIONS * names them: the list follows the set, not a fixed text.
    srv = httpd(modules=["dav"])
    allow = allow_tokens(options_star(srv))
    assert BUILT_IN_IMPLEMENTED | WEBDAV <= allow, allow


def test_options_star_lists_a_method_registered_with_notimplregister(httpd):
    srv = httpd("NotImplRegister PURGE\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED | {"PURGE"}, allow


def test_options_star_leaves_out_a_registered_method_declared_501(httpd):
    srv = httpd("NotImplRegister PURGE\nNotImplMethods +PURGE\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED, allow


def test_options_star_leaves_out_methods_added_to_the_denylist(httpd):
    srv = httpd("NotImplMethods +PATCH +DELETE +CONNECT\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED - {"PATCH", "DELETE", "CONNECT"}


def test_options_star_leaves_out_trace_when_traceenable_is_off(httpd):
    srv = httpd("TraceEnable off\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED - {"TRACE"}, allow


def test_options_star_lists_trace_when_traceenable_is_extended(httpd):
    srv = httpd("TraceEnable extended\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED, allow


def test_options_star_leaves_out_trace_declared_501_even_if_enabled(httpd):
    srv = httpd("TraceEnable on\nNotImplMethods +TRACE\n")
    allow = allow_tokens(options_star(srv))
    assert allow == BUILT_IN_IMPLEMENTED - {"TRACE"}, allow


def test_options_star_under_an_allowlist_lists_exactly_it_plus_get_head(
        httpd):
    srv = httpd("NotImplImplemented POST PUT OPTIONS\n")
    r = options_star(srv)
    assert allow_tokens(r) == {"GET", "HEAD", "POST", "PUT", "OPTIONS"}, r


def test_options_star_is_itself_501_when_the_allowlist_omits_options(httpd):
    # `NotImplImplemented POST PUT` declares OPTIONS not implemented, so
    # the server scope refuses it like any other method; the document's
    # `implemented` list is the Allow that OPTIONS * would have sent.
    srv = httpd("NotImplImplemented POST PUT\n")
    r = srv.request("OPTIONS", "*")
    doc = assert_notimpl(r, "OPTIONS")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST", "PUT"], doc


def test_options_star_differs_per_virtual_host(httpd):
    srv = httpd(TWO_HOSTS % ("NotImplMethods +PATCH +PUT +DELETE",
                             "NotImplImplemented POST OPTIONS"))
    a = allow_tokens(options_star(srv, "a.test"))
    b = allow_tokens(options_star(srv, "b.test"))
    assert a == BUILT_IN_IMPLEMENTED - {"PATCH", "PUT", "DELETE"}, a
    assert b == {"GET", "HEAD", "POST", "OPTIONS"}, b


def test_a_virtual_host_inherits_the_main_servers_options_star(httpd):
    srv = httpd("NotImplMethods +PATCH\n"
                + TWO_HOSTS % ("", "NotImplMethods -PATCH +PUT"))
    a = allow_tokens(options_star(srv, "a.test"))
    b = allow_tokens(options_star(srv, "b.test"))
    assert a == BUILT_IN_IMPLEMENTED - {"PATCH"}, a
    assert b == BUILT_IN_IMPLEMENTED - {"PUT"}, b


def test_options_star_follows_traceenable_per_virtual_host(httpd):
    srv = httpd(TWO_HOSTS % ("TraceEnable on", "TraceEnable off"))
    assert "TRACE" in allow_tokens(options_star(srv, "a.test"))
    assert "TRACE" not in allow_tokens(options_star(srv, "b.test"))


def test_a_virtual_host_with_the_engine_off_answers_options_star_as_stock(
        httpd):
    srv = httpd(TWO_HOSTS % ("", "NotImplEngine Off"))
    assert allow_tokens(options_star(srv, "a.test")) == BUILT_IN_IMPLEMENTED
    assert allow_tokens(options_star(srv, "b.test")) is None


def test_options_star_lists_connect_only_where_mod_proxy_connect_is_loaded(
        httpd):
    srv = httpd("", modules=["proxy", "proxy_connect"])
    assert allow_tokens(options_star(srv)) == BUILT_IN_IMPLEMENTED | {"CONNECT"}
    srv = httpd("", modules=["proxy", "proxy_http"])
    assert "CONNECT" not in allow_tokens(options_star(srv))


def test_options_for_a_url_is_not_given_the_server_wide_list(httpd):
    # The server-wide Allow belongs to `*` only: for a URL, httpd's handler
    # says what that resource allows (GET, POST, OPTIONS, HEAD, TRACE for a
    # static file), never PUT, DELETE, CONNECT or PATCH.
    srv = httpd()
    r = srv.request("OPTIONS", "/index.html")
    assert r.status == 200, r
    allow = allow_tokens(r)
    assert {"GET", "HEAD", "POST", "OPTIONS"} <= allow, r
    assert not allow & {"PUT", "DELETE", "CONNECT", "PATCH"}, r
