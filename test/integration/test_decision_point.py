"""The server scope decides in post_read_request: after the virtual host is
selected and before any directory walk, .htaccess read, access control,
authentication, URL mapping or handler (SPEC "Scopes" 1)."""

from harness import assert_notimpl

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
