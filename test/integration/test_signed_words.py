# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A sign (+ or -) belongs only to a NotImplMethods change, one per word:
a method name never begins with one, so a signed word anywhere else, or a
doubled sign, is a start-up error naming the directive and the token, not
a method nobody sends (docs/directives.md "Configuration errors")."""

import pytest

MISPLACED = [
    ("NotImplImplemented +POST -PUT", "NotImplImplemented", "'+POST'"),
    ("NotImplImplemented GET -PUT", "NotImplImplemented", "'-PUT'"),
    ("NotImplRegister +PURGE", "NotImplRegister", "'+PURGE'"),
    ('NotImplAlternative +PATCH "Use PUT."', "NotImplAlternative",
     "'+PATCH'"),
    ("NotImplMethods ++PATCH", "NotImplMethods", "'++PATCH'"),
    ("NotImplMethods +-PATCH", "NotImplMethods", "'+-PATCH'"),
    ("NotImplMethods --BREW", "NotImplMethods", "'--BREW'"),
]


@pytest.mark.parametrize("line,directive,token", MISPLACED)
def test_a_misplaced_sign_is_a_startup_error(configtest, line, directive,
                                             token):
    rc, out = configtest(line + "\n")
    assert rc != 0, out
    assert "Syntax error" in out, out
    assert "%s: %s: a method name does not begin with + or -" % (
        directive, token) in out, out


# NotImplRegister is server config only: not in .htaccess at all.
@pytest.mark.parametrize("line,directive,token",
                         [m for m in MISPLACED if m[1] != "NotImplRegister"])
def test_a_misplaced_sign_in_htaccess_is_httpds_500(httpd, line, directive,
                                                    token):
    srv = httpd('<Directory "@DOCROOT@/ht">\n    AllowOverride Limit\n'
                "</Directory>\n",
                files={"ht/a.txt": "a\n", "ht/.htaccess": line + "\n"},
                expect_log=[r"a method name does not begin with \+ or -"])
    assert srv.request("GET", "/ht/a.txt").status == 500
    lines = [l for l in srv.log_lines() if "does not begin with" in l]
    assert len(lines) == 1 and ".htaccess" in lines[0], lines
    assert token in lines[0], lines


def test_an_allowlist_with_a_misplaced_sign_refuses_nothing_at_runtime(
        configtest):
    # The case that used to be accepted: POST was then refused, and
    # OPTIONS * listed "+POST" and "-PUT" as methods.
    rc, out = configtest("NotImplImplemented GET HEAD +POST -PUT\n")
    assert rc != 0 and "'+POST'" in out, out


def test_signed_changes_stay_valid(configtest):
    rc, out = configtest("NotImplMethods +PATCH -BREW +webdav -deltav\n"
                         "NotImplImplemented GET HEAD POST\n"
                         "NotImplRegister PURGE\n"
                         'NotImplAlternative PATCH "Use PUT."\n')
    assert rc == 0, out
