# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""`HttpProtocolOptions RegisteredMethods` together with the module: they
do not conflict, and each answers its own part.  httpd rejects a method it
has not registered while it parses the request line, before the virtual
host is chosen and before any post_read_request hook, so the module never
sees that request: the 501 is httpd's canned page.  A registered method
that the module declares not implemented reaches the module's hook and
gets its document (docs/behaviour.md "501 or 405": RegisteredMethods only works
from the first virtual host of an address)."""

import json

from harness import assert_notimpl, assert_stock_501, format_of

REGISTERED = "HttpProtocolOptions RegisteredMethods\n"
STATUS = """
<Location /notimpl-status>
    SetHandler notimpl-status
</Location>
"""
NOTIMPL_LOG = 'CustomLog "@DIR@/logs/notimpl.log" "%m %>s" env=NOTIMPL\n'

TWO_HOSTS = """
<VirtualHost 127.0.0.1:@PORT@>
    ServerName first.test
    %s
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName second.test
    %s
</VirtualHost>
"""


def module_501s(srv):
    """How many 501s the module has counted (its notimpl-status total)."""
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    return json.loads(r.body)["total"]


def test_registeredmethods_and_the_module_configure_without_warnings(
        configtest):
    rc, out = configtest(REGISTERED + "NotImplMethods +PATCH\n")
    assert rc == 0, out
    assert out.strip() == "Syntax OK", out


def test_registeredmethods_and_the_module_serve_get(httpd):
    # The fixture also checks that the error log holds nothing at warn.
    srv = httpd(REGISTERED + "NotImplMethods +PATCH\n")
    r = srv.request("GET", "/index.html")
    assert r.status == 200, r


def test_unregistered_method_gets_httpds_early_501_not_the_modules(httpd):
    srv = httpd(REGISTERED + STATUS)
    r = srv.request("BREW", "/index.html")
    assert_stock_501(r, "BREW")
    assert r.content_type == "text/html; charset=iso-8859-1", r
    # The module never saw it: no log line, not counted.
    assert not [l for l in srv.log_lines() if "[notimpl:" in l]
    assert module_501s(srv) == 0


def test_httpds_early_501_is_the_same_with_or_without_the_module(httpd):
    stock = httpd(REGISTERED, notimpl=False).request("BREW", "/index.html")
    ours = httpd(REGISTERED).request("BREW", "/index.html")
    assert (ours.status, ours.content_type, ours.body) == \
        (stock.status, stock.content_type, stock.body), (ours, stock)
    # httpd's own 501 carries its own Allow (TRACE only, from the request
    # line stage); the module leaves responses it did not make alone.
    assert ours.headers.get("Allow") == stock.headers.get("Allow"), ours


def test_httpds_early_501_is_not_marked_notimpl(httpd):
    srv = httpd(REGISTERED + NOTIMPL_LOG + "NotImplMethods +PATCH\n")
    srv.request("BREW", "/")
    assert_notimpl(srv.request("PATCH", "/"), "PATCH")
    lines = srv.wait_for_log(lambda ls: len(ls) >= 1, "notimpl.log")
    assert lines == ["PATCH 501"], lines


def test_registered_method_declared_501_gets_the_modules_json(httpd):
    srv = httpd(REGISTERED + STATUS + "NotImplMethods +PATCH\n")
    assert_notimpl(srv.request("PATCH", "/index.html"), "PATCH")
    assert module_501s(srv) == 1


def test_registered_method_not_declared_is_left_to_httpds_405(httpd):
    srv = httpd(REGISTERED)
    r = srv.request("PATCH", "/index.html")
    assert r.status == 405, r
    assert format_of(r) is None, r


def test_notimplregister_lets_a_method_past_registeredmethods(httpd):
    srv = httpd("NotImplRegister PURGE\n" + REGISTERED)
    r = srv.request("PURGE", "/index.html")
    assert r.status == 405, r
    assert format_of(r) is None, r


def test_notimplregister_plus_declared_gets_the_modules_json(httpd):
    srv = httpd("NotImplRegister PURGE\nNotImplMethods +PURGE\n" + REGISTERED)
    assert_notimpl(srv.request("PURGE", "/index.html"), "PURGE")


def test_exempting_a_name_from_unknown_does_not_lift_registeredmethods(
        httpd):
    # `-BREW` lets BREW through the module, not through httpd's own check.
    srv = httpd(REGISTERED + "NotImplMethods -BREW\n")
    assert_stock_501(srv.request("BREW", "/index.html"), "BREW")


def test_directory_scope_still_answers_for_registered_methods(httpd):
    srv = httpd(REGISTERED + "<Location /api>\n    NotImplMethods +PUT\n"
                "</Location>\n", files={"api/x.txt": "x\n"})
    assert_notimpl(srv.request("PUT", "/api/x.txt"), "PUT")
    assert srv.request("PUT", "/index.html").status == 405


def test_registeredmethods_in_the_first_vhost_covers_every_name(httpd):
    srv = httpd(TWO_HOSTS % (REGISTERED, ""))
    for host in ("first.test", "second.test"):
        assert_stock_501(srv.request("BREW", "/", host=host), "BREW")


def test_registeredmethods_in_a_later_vhost_is_ignored_the_module_answers(
        httpd):
    srv = httpd(TWO_HOSTS % ("", REGISTERED))
    for host in ("first.test", "second.test"):
        assert_notimpl(srv.request("BREW", "/", host=host), "BREW")
