# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TRACE is a server-wide decision in httpd (TraceEnable, answered before the
directory walk), and the module follows that model: `NotImplMethods +TRACE`
answers 501 instead of core's answer in server and virtual-host scope; in a
directory scope it is a configuration error naming TraceEnable; a directory
allowlist leaves TRACE to the server and its document lists TRACE wherever
the server serves it; with the engine Off or ReportOnly, or no directive
for a URL, every TRACE response is byte-for-byte stock's (docs/behaviour.md
"Around the 501")."""

import os
import re
import shutil

import pytest

from harness import (CONTENT_TYPES, allow_tokens, assert_notimpl,
                     build_request, format_of)

TRACE_ENABLE = ["on", "off", "extended"]

TWO_HOSTS = """
NotImplMethods +TRACE
<VirtualHost 127.0.0.1:@PORT@>
    ServerName strict.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName open.test
    NotImplMethods -TRACE
</VirtualHost>
"""


def assert_core_echo(r, path="/"):
    """r is core's TRACE answer: the request echoed as message/http."""
    assert r.status == 200, r
    assert r.content_type == "message/http", r
    assert r.body.startswith(b"TRACE %s HTTP/1.1\r\n" % path.encode()), r


@pytest.mark.parametrize("enable", TRACE_ENABLE)
def test_plus_trace_is_501_whatever_traceenable_says(httpd, enable):
    srv = httpd("TraceEnable %s\nNotImplMethods +TRACE\n" % enable)
    r = srv.request("TRACE", "/")
    assert_notimpl(r, "TRACE")
    assert b"message/http" not in r.raw


@pytest.mark.parametrize("enable", TRACE_ENABLE)
def test_plus_trace_logs_the_module_501(httpd, enable):
    srv = httpd("TraceEnable %s\nNotImplMethods +TRACE\n" % enable)
    srv.request("TRACE", "/")
    lines = [l for l in srv.log_lines() if "NI0001:" in l]
    assert len(lines) == 1 and "TRACE" in lines[0], lines


def test_plus_trace_refuses_a_trace_with_a_body_as_501(httpd):
    # Under TraceEnable extended core would echo the body; under on it
    # would answer 413.  The module answers before either.
    srv = httpd("TraceEnable extended\nNotImplMethods +TRACE\n")
    assert_notimpl(srv.request("TRACE", "/", body=b"hello"), "TRACE")


def test_without_plus_trace_traceenable_on_echoes_the_request(httpd):
    srv = httpd("TraceEnable on\n")
    assert_core_echo(srv.request("TRACE", "/"))


def test_without_plus_trace_traceenable_off_is_cores_405(httpd):
    srv = httpd("TraceEnable off\n")
    r = srv.request("TRACE", "/")
    assert r.status == 405, r
    assert format_of(r) is None, r
    assert "TRACE" not in allow_tokens(r), r


def test_without_plus_trace_traceenable_extended_echoes_a_body(httpd):
    srv = httpd("TraceEnable extended\n")
    r = srv.request("TRACE", "/", body=b"hello")
    assert_core_echo(r)
    assert r.body.endswith(b"\r\n\r\nhello"), r


def test_without_plus_trace_the_default_traceenable_echoes(httpd):
    srv = httpd()
    assert_core_echo(srv.request("TRACE", "/index.html"), "/index.html")


def test_minus_trace_in_a_virtual_host_gives_trace_back_to_core(httpd):
    srv = httpd(TWO_HOSTS)
    assert_notimpl(srv.request("TRACE", "/", host="strict.test"), "TRACE")
    assert_core_echo(srv.request("TRACE", "/", host="open.test"))



# -- directory scopes: TRACE is not theirs to decide ------------------------

DIR_FILES = {
    "d/a.txt": "a\n",
    "loc/a.txt": "a\n",
    "ht/a.txt": "a\n",
    "other/a.txt": "a\n",
}

# Each directory scope kind: its configuration (%s is the body), the .htaccess
# file it needs, and a URL inside it.
SCOPES = {
    "Directory": ('<Directory "@DOCROOT@/d">\n%s</Directory>\n', None,
                  "/d/a.txt"),
    "Location": ("<Location /loc>\n%s</Location>\n", None, "/loc/a.txt"),
    "htaccess": ('<Directory "@DOCROOT@/ht">\n'
                 "    AllowOverride Limit\n"
                 "</Directory>\n", "ht/.htaccess", "/ht/a.txt"),
}


def scoped(httpd, kind, body, config="", **kwargs):
    """A server whose directory scope `kind` holds the directive lines
    `body`; returns (server, URL inside the scope)."""
    template, htaccess, url = SCOPES[kind]
    files = dict(DIR_FILES)
    if htaccess:
        files[htaccess] = body
        conf = template
    else:
        conf = template % ("    " + body.replace("\n", "\n    ").rstrip(" "))
    return httpd(config + conf, files=files, **kwargs), url


@pytest.mark.parametrize("line", ["NotImplMethods +TRACE",
                                  "NotImplMethods PATCH TRACE",
                                  "NotImplMethods +PATCH +TRACE"])
@pytest.mark.parametrize("kind", ["Directory", "Location"])
def test_refusing_trace_in_a_directory_scope_is_a_startup_error(configtest,
                                                                kind, line):
    rc, out = configtest(SCOPES[kind][0] % ("    %s\n" % line))
    assert rc != 0, out
    assert ("NotImplMethods: TRACE is decided for the whole server: use "
            "TraceEnable") in out, out


def test_refusing_trace_in_htaccess_is_httpds_500_naming_the_file(httpd):
    srv, url = scoped(httpd, "htaccess", "NotImplMethods +TRACE\n",
                      expect_log=[r"TraceEnable"])
    for method in ("GET", "TRACE", "PATCH"):
        r = srv.request(method, url)
        # TRACE is answered before the directory walk: the bad .htaccess
        # is not read for it, as on stock httpd.
        assert r.status == (200 if method == "TRACE" else 500), (method, r)
    lines = [l for l in srv.log_lines() if "TraceEnable" in l]
    assert lines and all(".htaccess" in l for l in lines), lines


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_minus_trace_in_a_directory_scope_is_accepted_and_changes_nothing(
        httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplMethods -TRACE +PATCH\n")
    assert_core_echo(srv.request("TRACE", url), url)
    assert_notimpl(srv.request("PATCH", url), "PATCH")


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_leaves_trace_to_the_server_and_lists_it(httpd, kind):
    # TraceEnable is left at its default (on): the server serves TRACE.
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n")
    assert_core_echo(srv.request("TRACE", url), url)
    doc = assert_notimpl(srv.request("PUT", url), "PUT")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST", "TRACE"], doc


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_under_traceenable_off_does_not_list_trace(httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config="TraceEnable off\n")
    r = srv.request("TRACE", url)
    assert r.status == 405 and format_of(r) is None, r
    doc = assert_notimpl(srv.request("PUT", url), "PUT")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST"], doc


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_under_a_server_plus_trace_does_not_list_trace(httpd,
                                                                   kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config="NotImplMethods +TRACE\n")
    assert_notimpl(srv.request("TRACE", url), "TRACE")
    doc = assert_notimpl(srv.request("PUT", url), "PUT")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST"], doc


def test_an_allowlist_under_a_report_only_plus_trace_lists_trace(httpd):
    # ReportOnly refuses nothing: the server still serves TRACE.
    srv, url = scoped(httpd, "Directory", "NotImplImplemented GET HEAD\n"
                      "NotImplEngine On\n",
                      config="NotImplEngine ReportOnly\n"
                             "NotImplMethods +TRACE\n")
    assert_core_echo(srv.request("TRACE", url), url)
    doc = assert_notimpl(srv.request("PUT", url), "PUT")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "TRACE"], doc


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_a_405_under_an_allowlist_lists_trace_where_the_server_serves_it(
        httpd, kind):
    # docs/behaviour.md "Around the 501": Allow never lists a method the module
    # would answer 501 for at that URL, and TRACE is served here.
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST "
                                   "DELETE\n")
    r = srv.request("DELETE", url)
    assert r.status == 405, r
    assert {"GET", "HEAD", "POST", "TRACE"} <= allow_tokens(r), r


# -- with nothing to say, TRACE is stock's, byte for byte --------------------

def strip_date(raw):
    """raw without the fields that differ between two servers whatever
    they run: the date, and a file's date and ETag."""
    return re.sub(rb"\r\n(?:Date|Last-Modified|ETag): [^\r]*", b"", raw)


def same_as_stock(httpd, config, requests, files=None, **kwargs):
    """The raw bytes each request gets from the module's server and from a
    stock server (module not loaded) on the same configuration, Date
    aside, must be equal; returns the module's raw answers."""
    servers = [httpd(config % {"notimpl": n}, files=dict(files or {}),
                     notimpl=m, **kwargs)
               for m, n in ((True, "NOTIMPL"), (False, ""))]
    answers = []
    for data in requests:
        got = [strip_date(s.raw(data)[0].raw) for s in servers]
        assert got[0] == got[1], data
        answers.append(got[0])
    return answers


# What the module's directives say where the module has nothing to say
# about TRACE; %s is pasted where a NotImpl line would go.
NOTHING_TO_SAY = {
    "engine Off": "NotImplEngine Off\nNotImplMethods +TRACE +PATCH\n",
    "ReportOnly": "NotImplEngine ReportOnly\nNotImplMethods +TRACE +PATCH\n",
    "no directive": "",
}


def conf(server_lines, body):
    # <IfModule> keeps the module's lines out of the stock server.
    return ("<IfModule notimpl_module>\n%s</IfModule>\n" % server_lines
            + body)


@pytest.mark.parametrize("case", sorted(NOTHING_TO_SAY))
def test_trace_under_a_bad_htaccess_is_stocks(httpd, case):
    body = ('<Directory "@DOCROOT@/ht">\n    AllowOverride Limit\n'
            "</Directory>\n")
    answers = same_as_stock(
        httpd, conf(NOTHING_TO_SAY[case], body),
        [build_request("TRACE", "/ht/a.txt")],
        files={"ht/a.txt": "a\n", "ht/.htaccess": "NotImplBogus on\n"})
    assert answers[0].startswith(b"HTTP/1.1 200 OK"), answers


@pytest.mark.parametrize("case", sorted(NOTHING_TO_SAY))
def test_trace_through_a_symlink_without_followsymlinks_is_stocks(httpd,
                                                                  case):
    body = ('<Directory "@DOCROOT@">\n    Options -FollowSymLinks\n'
            "</Directory>\n")
    srv_files = {"real/a.txt": "a\n"}
    servers = []
    for m in (True, False):
        srv = httpd(conf(NOTHING_TO_SAY[case], body), files=srv_files,
                    notimpl=m)
        os.symlink(os.path.join(srv.docroot, "real"),
                   os.path.join(srv.docroot, "link"))
        servers.append(srv)
    got = [strip_date(s.raw(build_request("TRACE", "/link/a.txt"))[0].raw)
           for s in servers]
    assert got[0] == got[1]
    assert got[0].startswith(b"HTTP/1.1 200 OK"), got


@pytest.mark.parametrize("case", sorted(NOTHING_TO_SAY))
def test_location_errordocument_and_headers_do_not_touch_trace(httpd, case):
    body = ("<Location /loc>\n"
            '    ErrorDocument 405 "no such luck"\n'
            '    Header always set X-Loc "yes"\n'
            "    NotImplImplemented GET HEAD POST\n"
            "</Location>\n")
    # The Location's NotImpl line needs the module: kept for both servers
    # in an <IfModule>.
    body = body.replace("    NotImplImplemented GET HEAD POST\n",
                        "    <IfModule notimpl_module>\n"
                        "    NotImplImplemented GET HEAD POST\n"
                        "    </IfModule>\n")
    answers = same_as_stock(
        httpd, conf(NOTHING_TO_SAY[case], body),
        [build_request("TRACE", "/loc/a.txt")], files=DIR_FILES,
        modules=["headers"])
    assert b"X-Loc" not in answers[0] and b"no such luck" not in answers[0]


@pytest.mark.parametrize("enable", TRACE_ENABLE)
@pytest.mark.parametrize("case", sorted(NOTHING_TO_SAY))
def test_trace_with_a_body_over_limitrequestbody_then_a_pipelined_get(httpd,
                                                                     case,
                                                                     enable):
    # The limit is the directory's: stock answers TRACE before the walk
    # that would find it.
    body = ("TraceEnable %s\n" % enable
            + '<Directory "@DOCROOT@">\n    LimitRequestBody 5\n'
              "</Directory>\n")
    pipelined = (build_request("TRACE", "/static.txt", body=b"0123456789",
                               close=False)
                 + build_request("GET", "/static.txt"))
    servers = [httpd(conf(NOTHING_TO_SAY[case], body), notimpl=m)
               for m in (True, False)]
    got = []
    for s in servers:
        rs = s.raw(pipelined)
        got.append([(r.status, strip_date(r.raw)) for r in rs])
    assert got[0] == got[1], got


@pytest.mark.parametrize("case", sorted(NOTHING_TO_SAY))
@pytest.mark.parametrize("enable", TRACE_ENABLE)
def test_trace_everywhere_is_stocks(httpd, case, enable):
    body = ("TraceEnable %s\n" % enable
            + '<Directory "@DOCROOT@/d">\n'
              "    <IfModule notimpl_module>\n"
              "    NotImplImplemented GET HEAD POST\n"
              "    </IfModule>\n"
              "</Directory>\n")
    same_as_stock(httpd, conf(NOTHING_TO_SAY[case], body),
                  [build_request("TRACE", p) for p in
                   ("/", "/d/a.txt", "/missing", "*")]
                  + [build_request("TRACE", "/d/a.txt", body=b"hello")],
                  files=DIR_FILES)


# -- HTTP/2 ---------------------------------------------------------------

H2C = "Protocols h2c http/1.1\n"
needs_curl = pytest.mark.skipif(shutil.which("curl") is None,
                                reason="curl is not installed")


@needs_curl
def test_plus_trace_in_the_server_scope_answers_501_over_h2c(httpd):
    srv = httpd(H2C + "NotImplMethods +TRACE\n", modules=["http2"])
    r = srv.curl("-X", "TRACE", path="/")
    assert (r.http_version, r.status) == ("2", 501), r
    assert r.json()["method"] == "TRACE"


@needs_curl
@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_leaves_trace_to_the_server_over_h2c(httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config=H2C, modules=["http2"])
    r = srv.curl("-X", "TRACE", path=url)
    assert (r.http_version, r.status) == ("2", 200), r
    assert r.content_type == "message/http", r
    r = srv.curl("-X", "PUT", path=url)
    assert (r.http_version, r.status) == ("2", 501), r
    assert "TRACE" in r.json()["implemented"]
