# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Each virtual host has its own server-scope policy, chosen after the
virtual host is selected; a virtual host inherits the main server's set and
+/- adjust it (docs/behaviour.md "Scopes" 1)."""

import os
import signal

from harness import STOCK_501_LOG, assert_notimpl, assert_stock_501

THREE_HOSTS = """
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
    DocumentRoot "@DOCROOT@"
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
    NotImplCacheControl no-store
    NotImplFormat text
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName c.test
    DocumentRoot "@DOCROOT@"
    NotImplEngine Off
</VirtualHost>
"""


def test_default_host_answers_501_for_unknown_methods_only(httpd):
    srv = httpd(THREE_HOSTS, expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("BREW", "/static.txt", host="a.test"), "BREW")
    assert srv.request("PATCH", "/static.txt", host="a.test").status == 405
    assert srv.request("GET", "/static.txt", host="a.test").status == 200


def test_patch_is_501_only_on_the_host_that_adds_it(httpd):
    srv = httpd(THREE_HOSTS, expect_log=[STOCK_501_LOG])
    r = srv.request("PATCH", "/static.txt", host="b.test")
    assert_notimpl(r, "PATCH", "text")
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    for host in ("a.test", "c.test"):
        assert srv.request("PATCH", "/static.txt", host=host).status == 405


def test_format_and_cache_control_come_from_the_selected_host(httpd):
    srv = httpd(THREE_HOSTS, expect_log=[STOCK_501_LOG])
    b = srv.request("BREW", "/", host="b.test")
    assert_notimpl(b, "BREW", "text")
    assert b.headers.get_all("Cache-Control") == ["no-store"]
    a = srv.request("BREW", "/", host="a.test")
    assert_notimpl(a, "BREW", "json")
    assert "Cache-Control" not in a.headers


def test_engine_off_host_gives_stock_behaviour(httpd):
    srv = httpd(THREE_HOSTS, expect_log=[STOCK_501_LOG])
    assert_stock_501(srv.request("BREW", "/static.txt", host="c.test"),
                     "BREW")
    # The other hosts on the same address are unaffected.
    assert_notimpl(srv.request("BREW", "/static.txt", host="a.test"), "BREW")


def test_unmatched_host_name_gets_the_first_hosts_policy(httpd):
    srv = httpd(THREE_HOSTS, expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("BREW", "/", host="other.test"), "BREW")
    assert srv.request("PATCH", "/static.txt",
                       host="other.test").status == 405


INHERIT = """
NotImplMethods +PATCH
NotImplCacheControl no-store
<VirtualHost 127.0.0.1:@PORT@>
    ServerName inherits.test
    DocumentRoot "@DOCROOT@"
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName undoes.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods -PATCH
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName adds.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PUT
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName replaces.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods PUT
</VirtualHost>
"""


def test_virtual_host_inherits_the_main_servers_additions(httpd):
    srv = httpd(INHERIT, expect_log=[STOCK_501_LOG])
    r = srv.request("PATCH", "/static.txt", host="inherits.test")
    assert_notimpl(r, "PATCH")
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    assert_notimpl(srv.request("BREW", "/", host="inherits.test"), "BREW")


def test_minus_in_a_virtual_host_undoes_the_main_servers_addition(httpd):
    srv = httpd(INHERIT, expect_log=[STOCK_501_LOG])
    assert srv.request("PATCH", "/static.txt",
                       host="undoes.test").status == 405
    assert_notimpl(srv.request("BREW", "/", host="undoes.test"), "BREW")
    # The main server's own policy still holds for the other hosts.
    assert_notimpl(srv.request("PATCH", "/", host="inherits.test"), "PATCH")


def test_plus_in_a_virtual_host_adds_to_the_inherited_set(httpd):
    srv = httpd(INHERIT, expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("PUT", "/", host="adds.test"), "PUT")
    assert_notimpl(srv.request("PATCH", "/", host="adds.test"), "PATCH")
    assert srv.request("PUT", "/static.txt",
                       host="inherits.test").status == 405


def test_unsigned_list_in_a_virtual_host_replaces_the_inherited_set(httpd):
    srv = httpd(INHERIT, expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("PUT", "/", host="replaces.test"), "PUT")
    assert srv.request("PATCH", "/static.txt",
                       host="replaces.test").status == 405
    assert_stock_501(srv.request("BREW", "/static.txt",
                                 host="replaces.test"), "BREW")


def test_implemented_in_a_virtual_host_applies_only_there(httpd):
    srv = httpd("""
<VirtualHost 127.0.0.1:@PORT@>
    ServerName www.test
    DocumentRoot "@DOCROOT@"
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName api.test
    DocumentRoot "@DOCROOT@"
    NotImplImplemented GET HEAD POST
</VirtualHost>
""")
    doc = assert_notimpl(srv.request("PUT", "/", host="api.test"), "PUT")
    assert set(doc["implemented"]) == {"GET", "HEAD", "POST"}
    assert srv.request("PUT", "/static.txt", host="www.test").status == 405


def test_a_host_that_says_on_under_a_main_server_that_is_off_refuses(httpd):
    # The main server's set is what a host inherits, whatever the main
    # server's own engine: Off there turns only the main server off.
    srv = httpd("NotImplEngine Off\nNotImplMethods +PATCH\n"
                "<VirtualHost 127.0.0.1:@PORT@>\n"
                "    ServerName on.test\n"
                '    DocumentRoot "@DOCROOT@"\n'
                "    NotImplEngine On\n"
                "</VirtualHost>\n"
                "<VirtualHost 127.0.0.1:@PORT@>\n"
                "    ServerName inherits.test\n"
                '    DocumentRoot "@DOCROOT@"\n'
                "    NotImplMethods +DELETE\n"
                "</VirtualHost>\n", files={"static.txt": "x\n"},
                expect_log=[STOCK_501_LOG])
    assert_notimpl(srv.request("BREW", "/static.txt", host="on.test"), "BREW")
    assert_notimpl(srv.request("PATCH", "/static.txt", host="on.test"),
                   "PATCH")
    # A host with directives of its own but no NotImplEngine inherits Off.
    assert srv.request("DELETE", "/static.txt",
                       host="inherits.test").status == 405
    assert srv.request("BREW", "/static.txt",
                       host="inherits.test").status == 501
    assert b"not_implemented" not in srv.request(
        "BREW", "/static.txt", host="inherits.test").body


# Hosts whose only directive is the same line share one configuration;
# a host that says more has its own (notimpl_directives.c, shared_line).
SAME_LINE = """
<VirtualHost 127.0.0.1:@PORT@>
    ServerName only.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName then-format.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
    NotImplFormat text
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName then-line.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
    NotImplMethods +PUT
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName format-first.test
    DocumentRoot "@DOCROOT@"
    NotImplFormat text
    NotImplMethods +PATCH
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName again.test
    DocumentRoot "@DOCROOT@"
    NotImplMethods +PATCH
    <Location /loc>
        NotImplMethods +DELETE
    </Location>
</VirtualHost>
"""


def test_hosts_with_the_same_line_keep_their_other_directives_apart(httpd):
    srv = httpd(SAME_LINE, expect_log=[STOCK_501_LOG])
    for host in SAME_LINE.split("ServerName ")[1:]:
        host = host.split()[0]
        fmt = "text" if "format" in host else "json"
        assert_notimpl(srv.request("PATCH", "/", host=host), "PATCH", fmt)
    assert_notimpl(srv.request("PUT", "/", host="then-line.test"), "PUT")
    for host in ("only.test", "then-format.test", "format-first.test",
                 "again.test"):
        assert srv.request("PUT", "/static.txt", host=host).status == 405
    assert_notimpl(srv.request("DELETE", "/loc", host="again.test"),
                   "DELETE")
    assert srv.request("DELETE", "/static.txt",
                       host="only.test").status == 405


def test_hosts_sharing_a_line_keep_them_apart_after_a_graceful_restart(
        httpd):
    srv = httpd(SAME_LINE, expect_log=[STOCK_501_LOG])

    def generations():
        return sum("resuming normal operations" in l
                   for l in srv.log_lines())

    before = generations()
    os.kill(srv.proc.pid, signal.SIGUSR1)
    srv.wait_for_log(lambda lines: generations() > before)
    assert_notimpl(srv.request("PATCH", "/", host="only.test"), "PATCH")
    assert_notimpl(srv.request("PATCH", "/", host="then-format.test"),
                   "PATCH", "text")
    assert_notimpl(srv.request("PUT", "/", host="then-line.test"), "PUT")
    assert srv.request("PUT", "/static.txt", host="only.test").status == 405
