# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Rolling out on a server whose applications implement methods of their
own (docs/rolling-out.md; docs/directives.md NotImplEngine): a PHP script run
by Debian's php-cgi (mod_actions + mod_cgi, the setup of php8.2-cgi.conf)
that answers PROPFIND and MKCALENDAR, and a backend behind mod_proxy_http
that answers PROPFIND, MKCALENDAR and PURGE.

- Before: without the module both applications answer their methods.
- The package's default (conf-examples/notimpl.conf, NotImplEngine
  ReportOnly): every request still reaches its application and gets the
  application's status; each one the module would refuse is counted as
  would-refuse, logged at info (NI0003) and marked NOTIMPL=report.
- Going live: NotImplEngine On with the documented exemptions
  (NotImplMethods -webdav, NotImplRegister MKCALENDAR, NotImplEngine Off on
  the proxying host) keeps both applications working while a junk method
  gets the module's 501; without the exemptions the applications' methods
  are refused before they reach them."""

import os
import re

import pytest

from harness import (REPO, STOCK_501_LOG, BackendHandler, allow_tokens,
                     assert_notimpl, assert_stock_501, loopback_backend)

PACKAGE_CONF = os.path.join(REPO, "conf-examples", "notimpl.conf")
PHP_CGI = "/usr/lib/cgi-bin/php"

pytestmark = pytest.mark.skipif(
    not os.path.exists(PHP_CGI),
    reason="php-cgi is not installed (apt-get install php-cgi)")

# A CalDAV/WebDAV endpoint in the way SabreDAV answers: 207 with a
# multistatus document for PROPFIND, 201 for MKCALENDAR.
DAV_PHP = r"""<?php
$method = $_SERVER['REQUEST_METHOD'];
if ($method === 'PROPFIND') {
    http_response_code(207);
    header('Content-Type: application/xml; charset=utf-8');
    echo '<?xml version="1.0" encoding="utf-8"?>', "\n",
         '<d:multistatus xmlns:d="DAV:"><d:response>',
         '<d:href>/dav.php/</d:href><d:propstat><d:prop>',
         '<d:resourcetype><d:collection/></d:resourcetype>',
         '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>',
         '</d:response></d:multistatus>', "\n";
} elseif ($method === 'MKCALENDAR') {
    http_response_code(201);
    header('Content-Type: text/plain; charset=utf-8');
    echo "php created a calendar\n";
} else {
    header('Content-Type: text/plain; charset=utf-8');
    echo "php answered $method\n";
}
"""

# Two name-based virtual hosts on the test's port: the PHP site first
# (also the default host), then a host that only proxies to the backend.
SITES = """
ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/
<Directory "/usr/lib/cgi-bin">
    Options +ExecCGI
    Require all granted
</Directory>
Action application/x-httpd-php /cgi-bin/php
<FilesMatch "\\.php$">
    SetHandler application/x-httpd-php
</FilesMatch>
%(status)sCustomLog "@DIR@/logs/notimpl.log" "%%m %%>s %%{NOTIMPL}e" env=NOTIMPL
%(server)s
<VirtualHost 127.0.0.1:@PORT@>
    ServerName dav.example.test
%(dav)s
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName caldav.example.test
    ProxyPass "/notimpl-status" "!"
    ProxyPass "/" "http://127.0.0.1:%(backend)d/"
%(proxy)s
</VirtualHost>
"""

STATUS = """<Location "/notimpl-status">
    SetHandler notimpl-status
    Require ip 127.0.0.1
</Location>
"""

MODULES = ["authz_host", "alias", "actions", "cgi", "proxy", "proxy_http"]
DAV = "dav.example.test"
CALDAV = "caldav.example.test"
PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                 b'<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>\n')


class _CalDAVBackend(BackendHandler):
    """A CalDAV server with a PURGE-able cache in front of it, in short."""

    answers = {"PROPFIND": 207, "MKCALENDAR": 201, "BREW": 418}


@pytest.fixture
def backend():
    """The proxied backend on a loopback port, in this process, shut down
    with the test; .seen lists the (method, path) it received."""
    with loopback_backend(_CalDAVBackend) as server:
        yield server


def start(httpd, backend, server="", dav="", proxy="", notimpl=True):
    srv = httpd(SITES % {"server": server, "dav": dav, "proxy": proxy,
                         "status": STATUS if notimpl else "",
                         "backend": backend.server_address[1]},
                modules=MODULES, mpm="prefork", notimpl=notimpl,
                files={"dav.php": DAV_PHP})
    return srv


def propfind(srv):
    return srv.request("PROPFIND", "/dav.php", host=DAV, body=PROPFIND_BODY,
                       headers={"Depth": "0",
                                "Content-Type": "application/xml"})


def assert_php_works(srv):
    r = propfind(srv)
    assert r.status == 207, r
    assert r.content_type == "application/xml; charset=utf-8", r
    assert b"<d:multistatus" in r.body and b"HTTP/1.1 200 OK" in r.body, r
    r = srv.request("MKCALENDAR", "/dav.php", host=DAV)
    assert (r.status, r.body) == (201, b"php created a calendar\n"), r


def assert_backend_works(srv, backend):
    before = len(backend.seen)
    for method, status in (("PROPFIND", 207), ("MKCALENDAR", 201),
                           ("PURGE", 200)):
        r = srv.request(method, "/calendars/home/", host=CALDAV)
        assert r.status == status, (method, r)
        assert r.body == b"backend %s /calendars/home/\n" % method.encode(), r
    assert [m for m, _ in backend.seen[before:]] == ["PROPFIND", "MKCALENDAR",
                                                     "PURGE"]


def status_json(srv):
    r = srv.request("GET", "/notimpl-status", host=DAV)
    assert r.status == 200, r
    return r.json()


def test_before_the_module_both_applications_answer_their_methods(
        httpd, backend):
    # The baseline the rollout must keep: stock httpd, no mod_notimpl.
    srv = start(httpd, backend, notimpl=False)
    assert_php_works(srv)
    assert_backend_works(srv, backend)


# -- the package's default: ReportOnly ----------------------------------

def test_package_default_lets_every_method_reach_its_application(
        httpd, backend):
    srv = start(httpd, backend, server='Include "%s"\n' % PACKAGE_CONF)
    assert_php_works(srv)
    assert_backend_works(srv, backend)
    # A junk method too: the PHP script answers it; nothing is refused.
    r = srv.request("BREW", "/dav.php", host=DAV)
    assert (r.status, r.body) == (200, b"php answered BREW\n"), r
    r = srv.request("BREW", "/pot", host=CALDAV)
    assert (r.status, r.body) == (418, b"backend BREW /pot\n"), r

    doc = status_json(srv)
    assert doc["total"] == 0, doc
    assert doc["methods"] == {}, doc
    # Each request the module would have refused, once: the PHP request's
    # internal redirect to /cgi-bin/php is not a second request.
    wr = doc["would_refuse"]
    # BREW is no name of the closed set: counted under other.
    assert wr["methods"] == {"PROPFIND": 2, "MKCALENDAR": 2, "PURGE": 1}, doc
    assert wr["total"] == 7, doc
    assert wr["other_methods"] == 2 and wr["transfer_codings"] == {}, doc

    # NOTIMPL=report on exactly those, for CustomLog env=NOTIMPL.
    lines = srv.wait_for_log(lambda ls: len(ls) >= 7, name="notimpl.log")
    assert sorted(lines) == sorted(
        ["PROPFIND 207 report", "MKCALENDAR 201 report"] * 2
        + ["PURGE 200 report", "BREW 200 report", "BREW 418 report"]), lines
    # Logged at info with their own tag, never at warn or above.
    tagged = [line for line in srv.log_lines()
              if "[notimpl:info]" in line and "NI0003" in line]
    assert len(tagged) == 7, tagged


# What a client may send to such a server: the applications' methods, junk,
# a 405, OPTIONS, a body in a transfer coding httpd does not decode.
CLIENT_REQUESTS = [
    ("GET", "/dav.php", DAV, {}, b""),
    ("PROPFIND", "/dav.php", DAV, {"Depth": "0"}, PROPFIND_BODY),
    ("MKCALENDAR", "/dav.php", DAV, {}, b""),
    ("BREW", "/dav.php", DAV, {}, b""),
    ("BREW", "/static.txt", DAV, {}, b""),
    ("PATCH", "/static.txt", DAV, {}, b"x"),
    ("OPTIONS", "*", DAV, {}, b""),
    ("OPTIONS", "/static.txt", DAV, {}, b""),
    ("POST", "/static.txt", DAV, {"Transfer-Encoding": "gzip, chunked"},
     b"0\r\n\r\n"),
    ("PROPFIND", "/calendars/", CALDAV, {}, b""),
    ("MKCALENDAR", "/calendars/home/", CALDAV, {}, b""),
    ("PURGE", "/calendars/", CALDAV, {}, b""),
    ("BREW", "/pot", CALDAV, {}, b""),
]


def what_the_client_sees(srv):
    seen = []
    for method, path, host, headers, body in CLIENT_REQUESTS:
        r = srv.request(method, path, host=host, headers=headers, body=body)
        # What differs between two runs of the same server is left out:
        # Date; ETag and Last-Modified (each server writes its own copy of
        # the files); Content-Length or chunked (mod_cgi picks by how fast
        # the script writes); the order of Allow (httpd lists registered
        # methods in hash order).
        fields = sorted((k.lower(), v) for k, v in r.headers.fields
                        if k.lower() not in VARYING_FIELDS)
        allow = allow_tokens(r)
        seen.append((method, path, host, r.status, fields, allow, r.body))
    return seen


VARYING_FIELDS = ("date", "etag", "last-modified", "content-length",
                  "transfer-encoding", "allow")



def test_package_default_changes_nothing_a_client_sees(httpd, backend):
    # The closing comparison: the same sites without the module and with
    # the package's notimpl.conf; every response is the same bytes (but
    # Date), and every request the module would refuse is counted.
    stock = start(httpd, backend, notimpl=False)
    stock.expect_log(STOCK_501_LOG)
    before = what_the_client_sees(stock)
    srv = start(httpd, backend, server='Include "%s"\n' % PACKAGE_CONF)
    srv.expect_log(STOCK_501_LOG)
    after = what_the_client_sees(srv)
    for b, a in zip(before, after):
        assert a == b
    wr = status_json(srv)["would_refuse"]
    assert wr["methods"] == {"PROPFIND": 2, "MKCALENDAR": 2, "PURGE": 1}, wr
    assert wr["other_methods"] == 3, wr
    assert wr["transfer_codings"] == {"gzip": 1}, wr
    assert wr["total"] == 9, wr


def test_package_default_keeps_the_stock_answer_for_a_static_file(httpd,
                                                                    backend):
    # Where no application takes the method, the client still gets what
    # stock httpd answers (its own 501 page), not the module's document.
    srv = start(httpd, backend, server='Include "%s"\n' % PACKAGE_CONF)
    srv.expect_log(STOCK_501_LOG)
    r = srv.request("MKCALENDAR", "/static.txt", host=DAV)
    assert_stock_501(r, "MKCALENDAR")
    assert status_json(srv)["would_refuse"]["methods"] == {"MKCALENDAR": 1}


# -- going live ----------------------------------------------------------

# The exemptions docs/rolling-out.md and notimpl.conf name.
EXEMPT_SERVER = "NotImplRegister MKCALENDAR\n"
EXEMPT_DAV = "    NotImplMethods -webdav\n"
EXEMPT_PROXY = "    NotImplEngine Off\n"


@pytest.fixture(params=["module-default-on", "package-conf-switched-on"])
def live(request):
    """The server-config part of going live: the module's default engine
    (On), or the package's notimpl.conf followed by NotImplEngine On as
    its comments say to do."""
    if request.param == "module-default-on":
        return ""
    return 'Include "%s"\nNotImplEngine On\n' % PACKAGE_CONF


def test_going_live_with_the_exemptions_keeps_both_applications_working(
        httpd, backend, live):
    srv = start(httpd, backend, server=live + EXEMPT_SERVER, dav=EXEMPT_DAV,
                proxy=EXEMPT_PROXY)
    assert_php_works(srv)
    assert_backend_works(srv, backend)
    # What nobody exempted is refused on the PHP host, before PHP runs.
    assert_notimpl(srv.request("BREW", "/dav.php", host=DAV), "BREW")
    # -webdav exempts the whole group, LOCK as well.
    r = srv.request("LOCK", "/dav.php", host=DAV)
    assert (r.status, r.body) == (200, b"php answered LOCK\n"), r
    doc = status_json(srv)
    assert doc["total"] == 1 and doc["other_methods"] == 1, doc
    # The proxying host hands even BREW to its backend.
    r = srv.request("BREW", "/pot", host=CALDAV)
    assert (r.status, r.body) == (418, b"backend BREW /pot\n"), r
    assert status_json(srv)["total"] == 1


def test_going_live_without_exemptions_refuses_the_applications_methods(
        httpd, backend, live):
    srv = start(httpd, backend, server=live)
    for method in ("PROPFIND", "MKCALENDAR"):
        assert_notimpl(srv.request(method, "/dav.php", host=DAV), method)
    for method in ("PROPFIND", "MKCALENDAR", "PURGE"):
        assert_notimpl(srv.request(method, "/calendars/home/", host=CALDAV),
                       method)
    assert backend.seen == []
    doc = status_json(srv)
    assert doc["methods"] == {"PROPFIND": 2, "MKCALENDAR": 2, "PURGE": 1}, doc


# -- the package's commented examples -----------------------------------

_COMMENTED_DIRECTIVE = re.compile(
    r"^(\s*)#\s*((?:NotImpl\w+|SetHandler|Require)\s.*|</?Location\b.*)$")


def test_package_conf_examples_agree_when_all_uncommented(httpd):
    # Every commented directive of notimpl.conf switched on at once (then
    # the engine On, as the last step says) is a valid configuration, and
    # the alternative it offers for PATCH is a method it implements.
    with open(PACKAGE_CONF) as f:
        lines = f.read().splitlines()
    uncommented = [_COMMENTED_DIRECTIVE.sub(r"\1\2", line) for line in lines]
    assert sum(a != b for a, b in zip(lines, uncommented)) >= 10
    # The shipped engine line is replaced by the one the file says to
    # write; test_config_errors checks the file as shipped.
    assert "    NotImplEngine ReportOnly" in uncommented
    uncommented.remove("    NotImplEngine ReportOnly")
    srv = httpd("\n".join(uncommented) + "\nNotImplEngine On\n",
                modules=["authz_host"])
    doc = assert_notimpl(srv.request("PATCH", "/"), "PATCH")
    named = set(re.findall(r"\b[A-Z][A-Z-]+\b", doc["alternative"]))
    assert named and named <= set(doc["implemented"]), doc
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200 and r.json()["methods"] == {"PATCH": 1}, r
