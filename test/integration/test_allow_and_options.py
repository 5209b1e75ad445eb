# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Around the 501: OPTIONS * lists what the server scope implements, and
no Allow header names a method the module would answer 501 for
(docs/behaviour.md "Around the 501")."""

from harness import assert_notimpl


def allow_set(resp):
    return {m.strip() for m in resp.headers.get("Allow", "").split(",")
            if m.strip()}


def test_options_star_lists_the_implemented_methods(httpd):
    srv = httpd()
    r = srv.request("OPTIONS", "*")
    assert r.status == 200
    allow = allow_set(r)
    assert {"GET", "HEAD", "POST", "OPTIONS"} <= allow, r
    # `auto` without mod_dav: the WebDAV methods are not implemented.
    assert not allow & {"PROPFIND", "MKCOL", "LOCK"}, r


def test_options_star_leaves_out_methods_added_to_the_set(httpd):
    srv = httpd("NotImplMethods +PATCH +PUT\n")
    allow = allow_set(srv.request("OPTIONS", "*"))
    assert {"GET", "HEAD"} <= allow
    assert not allow & {"PATCH", "PUT"}, allow


def test_options_star_under_an_allowlist_lists_exactly_it(httpd):
    srv = httpd("NotImplImplemented GET HEAD POST OPTIONS\n")
    r = srv.request("OPTIONS", "*")
    assert r.status == 200
    assert allow_set(r) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_options_star_follows_the_virtual_host(httpd):
    srv = httpd("""
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
    NotImplMethods +PATCH
</VirtualHost>
""")
    assert "PATCH" not in allow_set(srv.request("OPTIONS", "*",
                                                host="b.test"))
    a = allow_set(srv.request("OPTIONS", "*", host="a.test"))
    assert "GET" in a and "PATCH" in a


def test_allow_on_a_405_never_names_a_501_method(httpd):
    srv = httpd("NotImplMethods +POST +TRACE\n")
    r = srv.request("PUT", "/static.txt")
    assert r.status == 405
    allow = allow_set(r)
    assert "GET" in allow, r
    assert not allow & {"POST", "TRACE"}, r


def test_allow_on_options_never_names_a_501_method(httpd):
    srv = httpd("NotImplMethods +POST +TRACE\n")
    r = srv.request("OPTIONS", "/static.txt")
    assert r.status == 200
    allow = allow_set(r)
    assert "GET" in allow, r
    assert not allow & {"POST", "TRACE"}, r


def test_allow_is_untouched_where_nothing_is_removed(httpd):
    srv = httpd()
    allow = allow_set(srv.request("PUT", "/static.txt"))
    assert {"GET", "HEAD", "POST", "OPTIONS", "TRACE"} <= allow


def test_plus_trace_answers_501_instead_of_traceenable(httpd):
    srv = httpd("NotImplMethods +TRACE\n")
    assert_notimpl(srv.request("TRACE", "/"), "TRACE")


def test_trace_is_left_to_traceenable_by_default(httpd):
    srv = httpd()
    r = srv.request("TRACE", "/")
    assert r.status == 200
    assert r.content_type == "message/http"
