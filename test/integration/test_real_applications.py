# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Rolling out on real applications (docs/rolling-out.md;
docs/observability.md: would-refuse counts split by outcome, the `suggest`
line): three servers that implement methods httpd does not, each reached the
way administrators deploy it and driven by its own real client.

- Radicale (Debian's CalDAV server) behind ProxyPass, driven by
  python3-caldav (caldav_session.py);
- httpd's own mod_dav + mod_dav_fs, driven by litmus;
- SabreDAV (php-sabre-dav) under php-fpm through mod_proxy_fcgi, driven
  by litmus.

For each, three runs of the same traffic against the same configuration:
stock (no module), the package's conf-examples/notimpl.conf (ReportOnly),
and NotImplEngine On plus the status page's `suggest` line.  ReportOnly
and On+suggest answer exactly as stock; a junk method (BREW) gets the
module's 501 under On+suggest; `suggest` names exactly the would-refuse
methods the application answered below 400."""

import collections
import contextlib
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile

import pytest

from harness import (HERE, REPO, STOCK_501_LOG, assert_notimpl, free_port,
                     loopback_daemon)

PACKAGE_CONF = os.path.join(REPO, "conf-examples", "notimpl.conf")
SYSTEM_PYTHON = "/usr/bin/python3"

# What `NotImplMethods auto` counts as would-refuse where mod_dav is not
# loaded (docs/directives.md "Method groups": unknown, webdav, deltav),
# among the names
# these clients send.
WEBDAV = {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
          "UNLOCK"}
DELTAV = {"VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
          "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
          "BASELINE-CONTROL", "MERGE"}
UNKNOWN = {"MKCALENDAR", "BREW"}
# The names counted by name whatever the configuration (docs/observability.md:
# the IANA HTTP Method Registry, QUERY, PURGE); BREW is none of them and is
# counted under "other".
COUNTED_BY_NAME = {
    "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "CONNECT",
    "COPY", "DELETE", "GET", "HEAD", "LABEL", "LINK", "LOCK", "MERGE",
    "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE",
    "MOVE", "OPTIONS", "ORDERPATCH", "PATCH", "POST", "PRI", "PROPFIND",
    "PROPPATCH", "PUT", "REBIND", "REPORT", "SEARCH", "TRACE", "UNBIND",
    "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF",
    "VERSION-CONTROL", "QUERY", "PURGE"}

STATUS_PAGE = """
<Location "/notimpl-status">
    SetHandler notimpl-status
    Require ip 127.0.0.1
</Location>
"""


def package_conf(engine):
    """The package's configuration, then what going live adds to it:
    engine is "" (ReportOnly, as shipped) or the lines an administrator
    appends (NotImplEngine On and the suggest line)."""
    return 'Include "%s"\n%s\n' % (PACKAGE_CONF, engine)


def status_json(srv):
    r = srv.request("GET", "/notimpl-status")
    assert r.status == 200, r
    return r.json()


def expected_verdict(exchanges, would_refuse):
    """From what the client saw: the would-refuse counts by name and under
    other, the served ones' (status below 400) the same way, and the
    suggest line (the served names, sorted).  No test here serves a name
    counted under other, so the line is only NotImplMethods."""
    refuse = [(m, s) for m, s in exchanges if m in would_refuse]
    methods = collections.Counter(m for m, s in refuse
                                  if m in COUNTED_BY_NAME)
    served = collections.Counter(m for m, s in refuse
                                 if m in COUNTED_BY_NAME and s < 400)
    other = sum(1 for m, s in refuse if m not in COUNTED_BY_NAME)
    other_served = sum(1 for m, s in refuse
                       if m not in COUNTED_BY_NAME and s < 400)
    assert other_served == 0, refuse
    suggest = ("NotImplMethods " + " ".join("-" + m for m in sorted(served))
               if served else "")
    return dict(methods), other, dict(served), suggest


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


def assert_verdict(wr, exchanges, would_refuse):
    methods, other, served, suggest = expected_verdict(exchanges,
                                                       would_refuse)
    assert wr["total"] == sum(methods.values()) + other, wr
    assert wr["methods"] == methods, wr
    assert wr["other_methods"] == other, wr
    assert nonzero(wr["served"]) == served, wr
    assert wr["other_served"] == 0, wr
    assert wr["suggest"] == suggest, wr
    return suggest


# -- Radicale behind ProxyPass, python3-caldav -------------------------------

RADICALE_CONF = """[server]
hosts = 127.0.0.1:%(port)d
[auth]
type = none
[rights]
type = owner_only
[storage]
filesystem_folder = %(dir)s/collections
[web]
type = none
[logging]
level = warning
"""

# Radicale's reverse-proxy setup: the backend sees the client's Host, so
# that a MOVE's Destination names the server it was sent to.
CALDAV_PROXY = """
ProxyPreserveHost On
ProxyPass "/notimpl-status" "!"
ProxyPass "/" "http://127.0.0.1:%(backend)d/"
ProxyPassReverse "/" "http://127.0.0.1:%(backend)d/"
"""


def radicale(tmp_path, name):
    """A Radicale of its own (storage in tmp_path/name), on a free
    loopback port; a context manager yielding the port."""
    home = tmp_path / name
    home.mkdir()
    port = free_port()
    conf = home / "radicale.conf"
    conf.write_text(RADICALE_CONF % {"port": port, "dir": home})
    return port, loopback_daemon(
        [SYSTEM_PYTHON, "-m", "radicale", "--config", str(conf)], port,
        str(home / "radicale.log"))


def caldav_session(srv):
    """python3-caldav's session against srv: [(method, path, status,
    body)] as the client saw them.  Bodies are compared as they are: the
    event's UID and DTSTAMP are fixed, Radicale's ETags and sync tokens
    are hashes of content, and hrefs carry no host."""
    p = subprocess.run([SYSTEM_PYTHON, os.path.join(HERE, "caldav_session.py"),
                        "http://127.0.0.1:%d/" % srv.port, "alice", "secret"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
    return [(e["method"], e["path"], e["status"], e["body"]) for e in
            map(json.loads, p.stdout.decode().splitlines())]


def caldav_site(httpd, tmp_path, name, engine="", notimpl=True):
    """httpd proxying to a fresh Radicale, with the package's
    configuration (when the module is loaded); returns (srv, the client's
    session)."""
    port, daemon = radicale(tmp_path, name)
    with daemon:
        srv = httpd(package_conf(engine) + CALDAV_PROXY % {"backend": port}
                    + (STATUS_PAGE if notimpl else ""),
                    modules=["proxy", "proxy_http", "authz_host"],
                    notimpl=notimpl)
        return srv, caldav_session(srv)


def methods_and_statuses(session):
    return [(m, s) for m, _, s, _ in session]


@pytest.fixture
def caldav_stock(httpd, tmp_path):
    return caldav_site(httpd, tmp_path, "stock", notimpl=False)[1]


def test_caldav_client_sees_stock_answers_under_the_package_conf(
        httpd, tmp_path, caldav_stock):
    # The client library's own sequence went through: the calendar was
    # created (MKCALENDAR 201), the event stored and moved, BREW got
    # Radicale's 405.
    assert ("MKCALENDAR", 201) in methods_and_statuses(caldav_stock)
    assert ("MOVE", 201) in methods_and_statuses(caldav_stock)
    assert caldav_stock[-1][:3] == ("BREW", "/alice/", 405), caldav_stock
    srv, report = caldav_site(httpd, tmp_path, "report")
    assert report == caldav_stock
    # Nothing refused; each request On would refuse counted once (three
    # PROPFIND, two PROPPATCH, MKCALENDAR, REPORT, MOVE, BREW): 9.
    doc = status_json(srv)
    assert doc["total"] == 0, doc
    assert doc["would_refuse"]["total"] == 9, doc


def test_caldav_suggest_applied_with_engine_on_keeps_the_calendar_working(
        httpd, tmp_path, caldav_stock):
    # The administrator's story: ReportOnly for a while, read the status
    # page, append its suggest line and switch On.
    srv, report = caldav_site(httpd, tmp_path, "report")
    assert report == caldav_stock
    wr = status_json(srv)["would_refuse"]
    print("ReportOnly, would_refuse:", json.dumps(wr))
    suggest = assert_verdict(wr, methods_and_statuses(report),
                             WEBDAV | DELTAV | UNKNOWN)
    # Radicale answered everything but BREW below 400.
    assert suggest == ("NotImplMethods -MKCALENDAR -MOVE -PROPFIND "
                       "-PROPPATCH -REPORT"), wr

    srv, live = caldav_site(httpd, tmp_path, "on",
                            engine="NotImplEngine On\n" + suggest)
    assert live[:-1] == caldav_stock[:-1]
    method, path, status, body = live[-1]
    assert (method, path, status) == ("BREW", "/alice/", 501), live[-1]
    assert "BREW" in body and body != caldav_stock[-1][3], live[-1]
    assert_notimpl(srv.request("BREW", "/alice/"), "BREW")
    doc = status_json(srv)
    print("On with suggest:", json.dumps(doc))
    assert doc["total"] == 2 and doc["other_methods"] == 2, doc
    assert doc["methods"] == {}, doc
    assert doc["would_refuse"]["total"] == 0, doc


# -- litmus against httpd's mod_dav and against SabreDAV under php-fpm -------

LITMUS_SUITES = "basic copymove props locks"
ACCESS_LOG = 'CustomLog "@DIR@/logs/access.log" "%m %U %>s"\n'
MARKER = "GET /static.txt 200"


def litmus(srv, path):
    """litmus's suites against srv's path, then one junk method there;
    returns (litmus's report, the server's (method, status) exchanges from
    its access log in sorted order, the BREW response).  litmus waits for
    each answer, but two of its connections may log out of order, hence
    sorted."""
    url = "http://127.0.0.1:%d%s" % (srv.port, path)
    # litmus writes debug.log and child.log into its working directory.
    p = subprocess.run(["litmus", "-k", url],
                       env=dict(os.environ, TESTS=LITMUS_SUITES),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120, cwd=srv.dir)
    report = p.stdout.decode("utf-8", "replace").replace(str(srv.port),
                                                         "PORT")
    # Each suite ran to its summary (a failed test, the same in every run,
    # is the application's business).
    for suite in LITMUS_SUITES.split():
        assert "<- summary for `%s'" % suite in report, report
    brew = srv.request("BREW", path)
    srv.request("GET", "/static.txt")
    lines = srv.wait_for_log(lambda ls: MARKER in ls, name="access.log")
    assert MARKER in lines, lines
    entries = sorted(tuple(line.split(" ")) for line in lines
                     if line != MARKER)
    return report, entries, brew


def exchanges(entries):
    return [(m, int(s)) for m, _, s in entries]


def assert_same_litmus_run(run, stock):
    report, entries, _ = run
    assert report == stock[0]
    assert entries == stock[1]


MOD_DAV = """
DavLockDB "@DIR@/davlock/db"
Alias "/dav/" "@DIR@/dav/"
<Directory "@DIR@/dav">
    Dav On
    Require all granted
</Directory>
"""


def mod_dav_site(httpd, engine="", notimpl=True):
    srv = httpd(package_conf(engine) + MOD_DAV + ACCESS_LOG
                + (STATUS_PAGE if notimpl else ""),
                modules=["alias", "dav", "dav_fs", "authz_host"],
                notimpl=notimpl)
    # The collection and the lock database belong to the children's user.
    www = pwd.getpwnam("www-data")
    for d in ("dav", "davlock"):
        os.makedirs(os.path.join(srv.dir, d))
        os.chown(os.path.join(srv.dir, d), www.pw_uid, www.pw_gid)
    # httpd's own answer to BREW on a DAV collection: its 501 page; and
    # mod_dav's error line for each failure litmus provokes on purpose
    # (423 on a locked resource, 412 on a failed precondition, ...).
    srv.expect_log(STOCK_501_LOG)
    srv.expect_log(r"\[dav:error\] .* \[\d{3}, #\d+\]$")
    # ... and httpd's for the malformed PROPFIND bodies of litmus's props
    # suite (answered 400).
    srv.expect_log(r"\[core:error\] .* AH0054[01]: XML [Pp]arser [Ee]rror")
    return srv


def test_mod_dav_with_litmus_needs_no_exemption(httpd):
    # With mod_dav loaded, `auto` leaves the WebDAV and DeltaV groups
    # alone: litmus's whole protocol run is no would-refuse request, only
    # the junk method is, and httpd refused it (its own 501): suggest is
    # empty, and On (with that empty line) changes only BREW's document.
    stock = litmus(mod_dav_site(httpd, notimpl=False), "/dav/")
    assert "<- summary for `locks': of 41 tests run: 41 passed" in stock[0]
    assert stock[2].status == 501, stock[2]

    srv = mod_dav_site(httpd)
    run = litmus(srv, "/dav/")
    assert_same_litmus_run(run, stock)
    assert (run[2].status, run[2].body) == (stock[2].status, stock[2].body)
    wr = status_json(srv)["would_refuse"]
    suggest = assert_verdict(wr, exchanges(run[1]), UNKNOWN)
    assert wr["methods"] == {} and wr["other_methods"] == 1, wr
    assert suggest == "", wr

    srv = mod_dav_site(httpd, engine="NotImplEngine On\n" + suggest)
    run = litmus(srv, "/dav/")
    assert_same_litmus_run(run, stock)
    assert_notimpl(run[2], "BREW")
    doc = status_json(srv)
    assert doc["total"] == doc["other_methods"] == 1, doc


SABRE_PHP = """<?php
// A SabreDAV file server as its tutorial sets one up: a directory tree
// with the locks plugin, at /server.php/.
require_once 'Sabre/autoload.php';
$server = new \\Sabre\\DAV\\Server(new \\Sabre\\DAV\\FS\\Directory('%(dir)s/data'));
$server->setBaseUri('/server.php/');
$server->addPlugin(new \\Sabre\\DAV\\Locks\\Plugin(
    new \\Sabre\\DAV\\Locks\\Backend\\File('%(dir)s/locks/locks')));
$server->exec();
"""

FPM_CONF = """[global]
pid = %(dir)s/fpm.pid
error_log = %(dir)s/fpm.log
daemonize = no
[www]
user = www-data
group = www-data
listen = 127.0.0.1:%(port)d
pm = static
pm.max_children = 2
"""

# Debian's php8.2-fpm.conf, with the pool on a loopback port.
PHP_FPM_HANDLER = """
<FilesMatch "\\.php$">
    SetHandler "proxy:fcgi://127.0.0.1:%(port)d"
</FilesMatch>
"""


def php_fpm_binary():
    found = sorted(f for f in os.listdir("/usr/sbin")
                   if re.fullmatch(r"php-fpm\d+\.\d+", f))
    assert found, "php-fpm is not installed (./run installs php-fpm)"
    return os.path.join("/usr/sbin", found[-1])


@pytest.fixture
def sabre_site(httpd, tmp_path):
    """Factory: a SabreDAV server of its own (fresh data) under a php-fpm
    pool of its own, behind httpd; every pool is stopped with the test."""
    stack = contextlib.ExitStack()
    made = []

    def start(engine="", notimpl=True):
        # The pool's children (www-data) must reach the script and data,
        # which pytest's own 0700 temporary directory does not allow.
        home = tempfile.mkdtemp(prefix="notimpl-sabre-", dir="/tmp")
        made.append(home)
        os.chmod(home, 0o755)
        www = pwd.getpwnam("www-data")
        for d in ("data", "locks"):
            os.makedirs(os.path.join(home, d))
            os.chown(os.path.join(home, d), www.pw_uid, www.pw_gid)
        port = free_port()
        conf = os.path.join(home, "fpm.conf")
        with open(conf, "w") as f:
            f.write(FPM_CONF % {"dir": home, "port": port})
        stack.enter_context(loopback_daemon(
            [php_fpm_binary(), "--fpm-config", conf, "--nodaemonize"], port,
            os.path.join(home, "fpm.out")))
        return httpd(package_conf(engine) + PHP_FPM_HANDLER % {"port": port}
                     + ACCESS_LOG + (STATUS_PAGE if notimpl else ""),
                     modules=["proxy", "proxy_fcgi", "authz_host"],
                     notimpl=notimpl,
                     files={"server.php": SABRE_PHP % {"dir": home}})

    with stack:
        yield start
    for home in made:
        shutil.rmtree(home, ignore_errors=True)


def test_sabredav_under_php_fpm_with_litmus_rolls_out_with_suggest(
        sabre_site):
    stock = litmus(sabre_site(notimpl=False), "/server.php/")
    # SabreDAV answers junk with a 501 of its own.
    assert stock[2].status == 501 and b"Sabre" in stock[2].body, stock[2]

    srv = sabre_site()
    run = litmus(srv, "/server.php/")
    assert_same_litmus_run(run, stock)
    assert run[2].status == 501 and run[2].body == stock[2].body, run[2]
    wr = status_json(srv)["would_refuse"]
    suggest = assert_verdict(wr, exchanges(run[1]), WEBDAV | DELTAV | UNKNOWN)
    # Every WebDAV method litmus sends was served at least once; BREW
    # was refused by SabreDAV itself.
    assert suggest == ("NotImplMethods -COPY -LOCK -MKCOL -MOVE -PROPFIND "
                       "-PROPPATCH -UNLOCK"), wr

    srv = sabre_site(engine="NotImplEngine On\n" + suggest)
    run = litmus(srv, "/server.php/")
    assert_same_litmus_run(run, stock)
    assert_notimpl(run[2], "BREW")
    doc = status_json(srv)
    assert doc["total"] == doc["other_methods"] == 1, doc
