# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""mod_dav and mod_dav_fs loaded: the WebDAV methods are theirs unless a
scope names them (`auto` leaves them out while mod_dav is loaded), and a
directory scope's 501s do not touch the lookups mod_dav makes as
subrequests (docs/directives.md "Method groups"; docs/behaviour.md "Scopes"
2)."""

import os
import shutil

import pytest

from harness import assert_notimpl

PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                 b'<D:propfind xmlns:D="DAV:"><D:prop><D:getcontentlength/>'
                 b"</D:prop></D:propfind>\n")


def dav_server(httpd, extra="", dav_extra=""):
    srv = httpd('DavLockDB "@DIR@/davlock/lockdb"\n'
                '<Directory "@DOCROOT@/dav">\n'
                "    Dav On\n"
                "%s"
                "</Directory>\n"
                "%s" % (dav_extra, extra),
                modules=["dav", "dav_fs"],
                files={"dav/file.txt": "dav file\n", "dav/dest/keep.txt": "k\n",
                       "plain/a.txt": "a\n"})
    # mod_dav_fs writes as the children's user, at request time.
    for path in (os.path.join(srv.dir, "davlock"),):
        os.makedirs(path, exist_ok=True)
    for path in (os.path.join(srv.dir, "davlock"),
                 os.path.join(srv.docroot, "dav"),
                 os.path.join(srv.docroot, "dav", "dest")):
        shutil.chown(path, "www-data", "www-data")
    return srv


def propfind(srv, path):
    return srv.request("PROPFIND", path, body=PROPFIND_BODY,
                       headers={"Depth": "0",
                                "Content-Type": "application/xml"})


def test_dav_location_answers_propfind_with_207(httpd):
    srv = dav_server(httpd)
    r = propfind(srv, "/dav/file.txt")
    assert r.status == 207, r
    assert b"getcontentlength" in r.body


def test_propfind_outside_dav_is_not_501_while_mod_dav_is_loaded(httpd):
    srv = dav_server(httpd)
    r = propfind(srv, "/plain/a.txt")
    assert r.status != 501, r
    assert r.status == 405, r


def test_mkcol_creates_a_collection_where_no_scope_names_webdav(httpd):
    srv = dav_server(httpd)
    assert srv.request("MKCOL", "/dav/newcol").status == 201
    assert os.path.isdir(os.path.join(srv.docroot, "dav", "newcol"))


def test_plus_webdav_in_the_dav_directory_makes_mkcol_501(httpd):
    srv = dav_server(httpd, dav_extra="    NotImplMethods +webdav\n")
    assert_notimpl(srv.request("MKCOL", "/dav/newcol"), "MKCOL")
    assert not os.path.exists(os.path.join(srv.docroot, "dav", "newcol"))
    assert_notimpl(propfind(srv, "/dav/file.txt"), "PROPFIND")
    assert srv.request("GET", "/dav/file.txt").body == b"dav file\n"


def test_plus_webdav_in_the_server_scope_makes_mkcol_501(httpd):
    srv = dav_server(httpd, extra="NotImplMethods +webdav\n")
    assert_notimpl(srv.request("MKCOL", "/dav/newcol"), "MKCOL")
    assert not os.path.exists(os.path.join(srv.docroot, "dav", "newcol"))
    assert_notimpl(propfind(srv, "/dav/file.txt"), "PROPFIND")


def test_minus_in_the_dav_directory_cannot_undo_a_server_scope_webdav(httpd):
    srv = dav_server(httpd, extra="NotImplMethods +webdav\n",
                     dav_extra="    NotImplMethods -webdav\n"
                               "    NotImplEngine Off\n")
    assert_notimpl(srv.request("MKCOL", "/dav/newcol"), "MKCOL")


@pytest.mark.parametrize("method", ["COPY", "MOVE"])
def test_destination_lookup_subrequest_is_not_refused(httpd, method):
    # mod_dav looks the Destination up as a subrequest with the request's
    # own method; the directory that adds it only refuses main requests.
    srv = dav_server(httpd, extra='<Directory "@DOCROOT@/dav/dest">\n'
                                  "    NotImplMethods +COPY +MOVE\n"
                                  "</Directory>\n")
    dest = "http://localhost:%d/dav/dest/file.txt" % srv.port
    r = srv.request(method, "/dav/file.txt", headers={"Destination": dest})
    assert r.status == 201, r
    assert os.path.isfile(os.path.join(srv.docroot, "dav", "dest",
                                       "file.txt"))
    # A main request in that directory is refused.
    assert_notimpl(srv.request(method, "/dav/dest/keep.txt",
                               headers={"Destination": dest}), method)
