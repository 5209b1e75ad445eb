# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""An internal redirect's target decides as if it had been requested
directly: a *report* (NotImplEngine ReportOnly) earlier in the chain never
stops a later scope that is On from refusing; only a real refusal earlier
in the chain is final (docs/behaviour.md "Around the 501").  This is the
README's rollout: the server in ReportOnly, directories switched On one by
one."""

import os

import pytest

from harness import assert_notimpl, make_executable

# A CGI that would answer any method it is given: reaching it with a
# method its directory refuses is the failure.
SCRIPT = ("#!/bin/sh\n"
          'printf "Content-Type: text/plain\\r\\n\\r\\n"\n'
          'echo "script ran for $REQUEST_METHOD"\n')

FILES = {
    "a/x": "a\n",
    "b/x": "b\n",
    "cgi/run.cgi": SCRIPT,
    "plain/x": "plain\n",
}

BASE = """
NotImplEngine ReportOnly
NotImplMethods +PATCH
CustomLog "@DIR@/logs/notimpl.log" "%%m %%U %%>s %%{NOTIMPL}e" env=NOTIMPL
<Directory "@DOCROOT@">
    AllowOverride FileInfo Limit
</Directory>
<Directory "@DOCROOT@/b">
    NotImplEngine On
    NotImplMethods +PATCH
</Directory>
<Directory "@DOCROOT@/cgi">
    Options +ExecCGI
    AddHandler cgi-script .cgi
    NotImplEngine On
    NotImplImplemented GET HEAD POST
</Directory>
%s
"""

MODULES = ["rewrite", "cgi", "actions", "alias"]


def start(httpd, extra="", files=None):
    tree = dict(FILES)
    tree.update(files or {})
    srv = httpd(BASE % extra, files=tree, modules=MODULES, mpm="prefork")
    make_executable(srv, "cgi/run.cgi")
    return srv


def test_asked_directly_the_on_directory_refuses(httpd):
    srv = start(httpd)
    assert_notimpl(srv.request("PATCH", "/b/x"), "PATCH")
    assert_notimpl(srv.request("BREW", "/cgi/run.cgi"), "BREW")
    # Elsewhere the server only reports.
    assert srv.request("PATCH", "/plain/x").status == 405


@pytest.mark.parametrize("flag", ["L", "PT"])
def test_htaccess_rewrite_into_an_on_directory_refuses(httpd, flag):
    srv = start(httpd, files={"a/.htaccess": "RewriteEngine On\n"
                              "RewriteRule ^x$ /b/x [%s]\n" % flag})
    assert srv.request("GET", "/a/x").body == b"b\n"
    direct = assert_notimpl(srv.request("PATCH", "/b/x"), "PATCH")
    via = assert_notimpl(srv.request("PATCH", "/a/x"), "PATCH")
    assert via == direct


@pytest.mark.parametrize("method", ["PUT", "BREW", "DELETE"])
def test_htaccess_pt_into_an_allowlisted_cgi_never_runs_it(httpd, method):
    srv = start(httpd, files={"a/.htaccess": "RewriteEngine On\n"
                              "RewriteRule ^run$ /cgi/run.cgi [PT]\n"})
    assert srv.request("GET", "/a/run").body == b"script ran for GET\n"
    r = srv.request(method, "/a/run", body=b"x=1")
    assert_notimpl(r, method)
    assert b"script ran" not in r.raw


@pytest.mark.parametrize("method", ["PUT", "BREW"])
def test_mod_actions_into_an_allowlisted_cgi_never_runs_it(httpd, method):
    srv = start(httpd, extra="""
Action run-it /cgi/run.cgi virtual
<Directory "@DOCROOT@/a">
    SetHandler run-it
</Directory>
""")
    assert srv.request("GET", "/a/x").body == b"script ran for GET\n"
    r = srv.request(method, "/a/x", body=b"x=1")
    assert_notimpl(r, method)
    assert b"script ran" not in r.raw


def test_the_chain_is_logged_as_the_refusal_it_ended_in(httpd):
    srv = start(httpd, files={"a/.htaccess": "RewriteEngine On\n"
                              "RewriteRule ^x$ /b/x [L]\n"})
    srv.request("PATCH", "/a/x")
    logged = srv.wait_for_log(lambda lines: lines, "notimpl.log")
    # %U is the URL the client asked for; %>s the end of the chain.
    assert logged == ["PATCH /a/x 501 directory"], logged
    refused = [l for l in srv.log_lines() if "NI0001:" in l]
    assert len(refused) == 1, refused


def test_a_refusal_earlier_in_the_chain_stays_final(httpd):
    # ErrorDocument 501 into the allowlisted CGI directory: the error
    # document is served for the refused PATCH, not refused again.
    srv = start(httpd, extra="ErrorDocument 501 /cgi/run.cgi\n")
    r = srv.request("PATCH", "/b/x")
    assert r.status == 501, r
    assert r.body == b"script ran for GET\n", r
    assert len([l for l in srv.log_lines() if "NI0001:" in l]) == 1


def test_a_report_followed_by_a_report_is_one_report(httpd):
    # Both scopes only report: one NI0003 line for the chain.
    srv = start(httpd, extra="""
<Directory "@DOCROOT@/r">
    NotImplMethods +PATCH
</Directory>
""", files={"a/.htaccess": "RewriteEngine On\nRewriteRule ^x$ /r/x [L]\n",
            "r/x": "r\n"})
    assert srv.request("PATCH", "/a/x").status == 405
    assert len([l for l in srv.log_lines() if "NI0003:" in l]) == 1
