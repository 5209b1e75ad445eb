"""Rolling out on real applications (README "Rolling out"; SPEC
"Observability": would-refuse counts split by outcome, the `suggest`
line): three servers that implement methods httpd does not, each reached
the way administrators deploy it and driven by its own real client.

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
import json
import os
import pwd
import re
import subprocess

import pytest

from harness import (HERE, REPO, STOCK_501_LOG, assert_notimpl, free_port,
                     loopback_daemon)

PACKAGE_CONF = os.path.join(REPO, "conf-examples", "notimpl.conf")
SYSTEM_PYTHON = "/usr/bin/python3"

# What `NotImplMethods auto` counts as would-refuse where mod_dav is not
# loaded (SPEC "The method set": unknown, webdav, deltav), among the names
# these clients send.
WEBDAV = {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
          "UNLOCK"}
DELTAV = {"VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
          "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
          "BASELINE-CONTROL", "MERGE"}
UNKNOWN = {"MKCALENDAR", "BREW"}

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
    """From what the client saw: each would-refuse name's count, the
    served ones' counts (status below 400), and the suggest line."""
    methods = collections.Counter(m for m, s in exchanges
                                  if m in would_refuse)
    served = collections.Counter(m for m, s in exchanges
                                 if m in would_refuse and s < 400)
    suggest = ("NotImplMethods " + " ".join("-" + m for m in sorted(served))
               if served else "")
    return dict(methods), dict(served), suggest


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


def assert_verdict(wr, exchanges, would_refuse):
    methods, served, suggest = expected_verdict(exchanges, would_refuse)
    assert wr["methods"] == methods, wr
    assert wr["other_methods"] == 0, wr
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
    wr = status_json(srv)["would_refuse"]
    methods, _, _ = expected_verdict(methods_and_statuses(report),
                                     WEBDAV | DELTAV | UNKNOWN)
    assert wr["methods"] == methods, wr
    assert set(methods) == {"PROPFIND", "MKCALENDAR", "PROPPATCH", "REPORT",
                            "MOVE", "BREW"}, methods
    assert status_json(srv)["total"] == 0


def test_caldav_suggest_applied_with_engine_on_keeps_the_calendar_working(
        httpd, tmp_path, caldav_stock):
    # The administrator's story: ReportOnly for a while, read the status
    # page, append its suggest line and switch On.
    srv, report = caldav_site(httpd, tmp_path, "report")
    assert report == caldav_stock
    wr = status_json(srv)["would_refuse"]
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
    assert doc["methods"] == {"BREW": 2} and doc["total"] == 2, doc
    assert doc["would_refuse"]["methods"] == {}, doc
