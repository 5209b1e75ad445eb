# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""NotImplRegister makes an extension method known to httpd, so it is no
longer `unknown` and other modules (mod_allowmethods) can name it
(docs/directives.md)."""

from harness import assert_notimpl

REGISTER_AND_ALLOW = """
NotImplRegister PURGE
<Location />
    AllowMethods GET HEAD PURGE
</Location>
"""


def test_registered_method_reaches_httpd(httpd):
    srv = httpd(REGISTER_AND_ALLOW, modules=["allowmethods"])
    r = srv.request("PURGE", "/static.txt")
    assert r.status != 501, r
    # Not refused by AllowMethods either: httpd's default handler answers.
    assert r.status == 405, r
    assert b"PURGE" in r.body


def test_other_unknown_methods_are_still_501(httpd):
    srv = httpd(REGISTER_AND_ALLOW, modules=["allowmethods"])
    assert_notimpl(srv.request("BREW", "/static.txt"), "BREW")


def test_allowmethods_still_refuses_what_it_does_not_name(httpd):
    # mod_allowmethods logs every refusal at error level.
    srv = httpd(REGISTER_AND_ALLOW, modules=["allowmethods"],
                expect_log=[r"\[allowmethods:error\] .* AH01623: .*'POST'"])
    assert srv.request("POST", "/static.txt", body=b"x").status == 405
    assert srv.request("GET", "/static.txt").status == 200


def test_unregistered_purge_is_501(httpd):
    srv = httpd()
    assert_notimpl(srv.request("PURGE", "/static.txt"), "PURGE")


def test_registered_method_can_still_be_declared_not_implemented(httpd):
    srv = httpd("NotImplRegister PURGE\nNotImplMethods +PURGE\n")
    assert_notimpl(srv.request("PURGE", "/static.txt"), "PURGE")


def test_registered_method_named_before_registration_is_resolved(httpd):
    # The directive order must not matter: +PURGE names the method before
    # NotImplRegister makes it known.
    srv = httpd("NotImplMethods +PURGE\nNotImplRegister PURGE\n")
    assert_notimpl(srv.request("PURGE", "/static.txt"), "PURGE")


def test_registering_a_method_does_not_affect_other_names(httpd):
    srv = httpd("NotImplRegister PURGE BAN\n")
    assert srv.request("PURGE", "/static.txt").status == 405
    assert srv.request("BAN", "/static.txt").status == 405
    assert_notimpl(srv.request("BREW", "/static.txt"), "BREW")
