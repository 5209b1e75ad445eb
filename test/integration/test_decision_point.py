# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The server scope decides in post_read_request: after the virtual host is
selected and before any directory walk, .htaccess read, access control,
authentication, URL mapping or handler (docs/behaviour.md "Scopes" 1); a
directory scope decides before access control, so `Satisfy Any` cannot bypass
it (docs/behaviour.md "Scopes" 2)."""

import pytest

from harness import CGI_CONFIG, assert_notimpl, make_executable

BROKEN_HTACCESS = """
<Directory "@DOCROOT@/site">
    AllowOverride All
</Directory>
"""


def test_htaccess_is_never_read_for_a_server_scope_501(httpd):
    srv = httpd(BROKEN_HTACCESS,
                files={"site/.htaccess": "ThisIsNotADirective on\n",
                       "site/page.txt": "page\n"},
                expect_log=[r"\[core:alert\] .*\.htaccess: Invalid command "
                            r"'ThisIsNotADirective'"])
    assert_notimpl(srv.request("BREW", "/site/page.txt"), "BREW")
    assert not [l for l in srv.log_lines() if ".htaccess" in l]
    # The control: a method that passes the server scope does read it.
    assert srv.request("GET", "/site/page.txt").status == 500
    assert len([l for l in srv.log_lines() if ".htaccess" in l]) == 1


def test_access_control_does_not_turn_a_501_into_a_403(httpd):
    srv = httpd('<Location "/private">\n    Require all denied\n'
                "</Location>\n",
                files={"private/x.txt": "x\n"},
                expect_log=[r"AH01630: client denied by server configuration"])
    assert_notimpl(srv.request("BREW", "/private/x.txt"), "BREW")
    assert srv.request("GET", "/private/x.txt").status == 403


def test_authentication_does_not_turn_a_501_into_a_401(httpd):
    srv = httpd('<Location "/private">\n'
                "    AuthType Basic\n"
                '    AuthName "private"\n'
                "    AuthBasicProvider file\n"
                '    AuthUserFile "@DIR@/no-such-htpasswd"\n'
                "    Require valid-user\n"
                "</Location>\n",
                modules=["authn_core", "authn_file", "authz_user",
                         "auth_basic"],
                files={"private/x.txt": "x\n"})
    assert_notimpl(srv.request("BREW", "/private/x.txt"), "BREW")
    r = srv.request("GET", "/private/x.txt")
    assert r.status == 401
    assert "WWW-Authenticate" in r.headers
    assert_notimpl(srv.request("BREW", "/private/x.txt"), "BREW")


def test_url_mapping_does_not_turn_a_501_into_a_redirect(httpd):
    srv = httpd("Redirect /old http://elsewhere.invalid/new\n",
                modules=["alias"])
    assert_notimpl(srv.request("BREW", "/old"), "BREW")
    r = srv.request("GET", "/old")
    assert r.status == 302
    assert r.headers.get("Location") == "http://elsewhere.invalid/new"


def test_a_missing_resource_is_still_a_501_not_a_404(httpd):
    srv = httpd()
    assert_notimpl(srv.request("BREW", "/no/such/file"), "BREW")
    assert srv.request("GET", "/no/such/file").status == 404


# -- Satisfy Any cannot bypass a directory-scope 501 (docs/behaviour.md
# "Scopes" 2: the header_parser phase, not access_checker, where under `Satisfy
# Any` httpd goes on past a refusal) ------------------------------------------

SATISFY_ANY = CGI_CONFIG + """
NotImplMethods -BREW
<Directory "@DOCROOT@/cgi">
    AuthType Basic
    AuthName "private"
    AuthBasicProvider file
    AuthUserFile "@DIR@/no-such-htpasswd"
    Require valid-user
    Order allow,deny
    Allow from all
    Satisfy Any
%s</Directory>
"""
SATISFY_MODULES = ["cgi", "access_compat", "authn_core", "authn_file",
                   "authz_user", "auth_basic"]
# A handler that takes any method (and reads the body it is sent).
ECHO_METHOD = {"cgi/m.cgi": "#!/bin/sh\ncat >/dev/null\n"
                            "printf 'Content-Type: text/plain"
                            "\\n\\n%s\\n' \"$REQUEST_METHOD\"\n"}


def satisfy_any_server(httpd, body):
    srv = httpd(SATISFY_ANY % body, modules=SATISFY_MODULES, mpm="prefork",
                files=ECHO_METHOD)
    make_executable(srv, *ECHO_METHOD)
    return srv


@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_satisfy_any_serves_the_method_without_the_module(httpd, method):
    # The control: Allow from all satisfies the section without a user,
    # and the script answers any method.
    srv = satisfy_any_server(httpd, "")
    r = srv.request(method, "/cgi/m.cgi")
    assert r.status == 200, r
    assert r.body == method.encode() + b"\n", r


@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_satisfy_any_cannot_bypass_a_directory_scope_501(httpd, method):
    srv = satisfy_any_server(httpd, "    NotImplMethods +%s\n" % method)
    r = srv.request(method, "/cgi/m.cgi")
    assert_notimpl(r, method)
    assert ("%s\n" % method).encode() not in r.body, r
    lines = [l for l in srv.log_lines() if "NI0001:" in l]
    assert len(lines) == 1 and "directory scope" in lines[0], lines
    # What the section lets through is still served, without a user.
    assert srv.request("GET", "/cgi/m.cgi").body == b"GET\n"


@pytest.mark.parametrize("method", ["PATCH", "BREW"])
def test_satisfy_any_cannot_bypass_a_directory_allowlist(httpd, method):
    srv = satisfy_any_server(httpd, "    NotImplImplemented GET HEAD POST\n")
    doc = assert_notimpl(srv.request(method, "/cgi/m.cgi"), method)
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST", "TRACE"], doc
    assert srv.request("POST", "/cgi/m.cgi", body=b"x").body == b"POST\n"
