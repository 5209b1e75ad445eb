"""TRACE: `NotImplMethods +TRACE` answers 501 instead of core's TraceEnable,
whatever TraceEnable says, and so does a directory scope whose policy leaves
TRACE out, even though httpd answers TRACE before the directory walk; no
document ever says a method is not implemented where it is served; without
any of this TRACE stays core's (SPEC "Around the 501")."""

import shutil

import pytest

from harness import CONTENT_TYPES, allow_tokens, assert_notimpl, format_of

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



# -- directory scopes (SPEC "Around the 501": "and so does a directory scope
# whose policy leaves TRACE out ... even though httpd answers TRACE before
# the directory walk") ------------------------------------------------------

DIR_FILES = {
    "d/a.txt": "a\n",
    "loc/a.txt": "a\n",
    "ht/a.txt": "a\n",
    "other/a.txt": "a\n",
}

# Each directory scope kind: its configuration (%s is the body), the .htaccess
# files it needs, and a URL inside it.
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


def assert_allowlist_trace_501(r):
    doc = assert_notimpl(r, "TRACE")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST"], doc
    assert b"message/http" not in r.raw


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_without_trace_answers_trace_with_its_501(httpd, kind):
    # TraceEnable is left at its default (on).
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n")
    assert_allowlist_trace_501(srv.request("TRACE", url))
    # The same document as any other method the allowlist leaves out.
    assert_notimpl(srv.request("OPTIONS", url), "OPTIONS")
    # Outside the scope TRACE is still core's.
    assert_core_echo(srv.request("TRACE", "/other/a.txt"), "/other/a.txt")
    assert srv.request("GET", url).body == b"a\n"


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_without_trace_answers_501_under_traceenable_off(httpd,
                                                                      kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config="TraceEnable off\n")
    assert_allowlist_trace_501(srv.request("TRACE", url))
    # Outside the scope core's TraceEnable off holds: its 405.
    r = srv.request("TRACE", "/other/a.txt")
    assert r.status == 405, r
    assert format_of(r) is None, r


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_trace_501_is_logged_once_as_a_directory_501(httpd,
                                                                 kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config='CustomLog "@DIR@/logs/notimpl.log" '
                             '"%m %>s %{NOTIMPL}e" env=NOTIMPL\n')
    assert srv.request("TRACE", url).status == 501
    lines = [l for l in srv.log_lines() if "NI0001:" in l]
    assert len(lines) == 1, lines
    assert "TRACE" in lines[0] and "directory scope" in lines[0], lines
    logged = srv.wait_for_log(lambda lines: lines, "notimpl.log")
    assert logged == ["TRACE 501 directory"], logged


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_that_names_trace_leaves_trace_to_core(httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST TRACE\n")
    assert_core_echo(srv.request("TRACE", url), url)
    doc = assert_notimpl(srv.request("OPTIONS", url), "OPTIONS")
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST", "TRACE"], doc


@pytest.mark.parametrize("kind", ["Directory", "Location"])
def test_plus_trace_in_a_directory_scope_is_accepted(configtest, kind):
    # (.htaccess is read per request: the 501 tests below show it accepted.)
    template = SCOPES[kind][0]
    rc, out = configtest("TraceEnable on\n"
                         + template % "    NotImplMethods +TRACE\n")
    assert rc == 0, out
    assert "Syntax OK" in out, out


@pytest.mark.parametrize("enable", TRACE_ENABLE)
@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_plus_trace_in_a_directory_scope_answers_501_there_only(httpd, kind,
                                                               enable):
    srv, url = scoped(httpd, kind, "NotImplMethods +TRACE\n",
                      config="TraceEnable %s\n" % enable)
    r = srv.request("TRACE", url)
    doc = assert_notimpl(r, "TRACE")
    assert "implemented" not in doc, doc
    assert b"message/http" not in r.raw
    r = srv.request("TRACE", "/other/a.txt")
    if enable == "off":
        assert r.status == 405, r
        assert format_of(r) is None, r
    else:
        assert_core_echo(r, "/other/a.txt")


def test_minus_trace_in_a_subdirectory_gives_trace_back_to_core(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods +TRACE\n"
                "</Directory>\n"
                '<Directory "@DOCROOT@/d/sub">\n'
                "    NotImplMethods -TRACE\n"
                "</Directory>\n",
                files={"d/a.txt": "a\n", "d/sub/b.txt": "b\n"})
    assert_notimpl(srv.request("TRACE", "/d/a.txt"), "TRACE")
    assert_core_echo(srv.request("TRACE", "/d/sub/b.txt"), "/d/sub/b.txt")


def test_a_directory_minus_trace_does_not_undo_the_servers_plus_trace(httpd):
    srv = httpd("NotImplMethods +TRACE\n"
                '<Directory "@DOCROOT@/d">\n'
                "    NotImplMethods -TRACE\n"
                "</Directory>\n", files=DIR_FILES)
    assert_notimpl(srv.request("TRACE", "/d/a.txt"), "TRACE")


def test_a_directory_trace_501_uses_the_directorys_format(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplImplemented GET HEAD POST\n"
                "    NotImplFormat text\n"
                "    NotImplCacheControl no-store\n"
                "</Directory>\n", files=DIR_FILES)
    r = srv.request("TRACE", "/d/a.txt")
    text = assert_notimpl(r, "TRACE", "text")
    assert "TRACE" in text
    assert r.headers.get_all("Cache-Control") == ["no-store"]


@pytest.mark.parametrize("target", ["/d/", "/loc/"])
def test_rewrite_pt_into_an_allowlist_answers_trace_with_its_501(httpd,
                                                                 target):
    srv = httpd("RewriteEngine On\n"
                "RewriteRule ^/old/(.*)$ %s$1 [PT]\n" % target
                + SCOPES["Directory"][0] % "    NotImplImplemented GET HEAD "
                                           "POST\n"
                + SCOPES["Location"][0] % "    NotImplImplemented GET HEAD "
                                          "POST\n",
                modules=["rewrite"], files=DIR_FILES)
    assert_allowlist_trace_501(srv.request("TRACE", "/old/a.txt"))
    assert srv.request("GET", "/old/a.txt").body == b"a\n"


def test_rewrite_pt_outside_an_allowlist_leaves_trace_to_core(httpd):
    srv = httpd("RewriteEngine On\n"
                "RewriteRule ^/old/(.*)$ /other/$1 [PT]\n"
                + SCOPES["Directory"][0] % "    NotImplImplemented GET HEAD "
                                           "POST\n",
                modules=["rewrite"], files=DIR_FILES)
    r = srv.request("TRACE", "/old/a.txt")
    assert_core_echo(r, "/old/a.txt")


# -- the same over HTTP/2 ----------------------------------------------------

H2C = "Protocols h2c http/1.1\n"
needs_curl = pytest.mark.skipif(shutil.which("curl") is None,
                                reason="curl is not installed")


@needs_curl
@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_an_allowlist_without_trace_answers_trace_with_its_501_over_h2c(
        httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST\n",
                      config=H2C, modules=["http2"])
    r = srv.curl("-X", "TRACE", path=url)
    assert (r.http_version, r.status) == ("2", 501), r
    assert r.content_type == CONTENT_TYPES["json"], r
    doc = r.json()
    assert doc["method"] == "TRACE", doc
    assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST"], doc
    # Outside the scope TRACE is core's, over HTTP/2 too.
    r = srv.curl("-X", "TRACE", path="/other/a.txt")
    assert (r.http_version, r.status) == ("2", 200), r
    assert r.content_type == "message/http", r


@needs_curl
@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_plus_trace_in_a_directory_scope_answers_501_over_h2c(httpd, kind):
    srv, url = scoped(httpd, kind, "NotImplMethods +TRACE\n",
                      config=H2C, modules=["http2"])
    r = srv.curl("-X", "TRACE", path=url)
    assert (r.http_version, r.status) == ("2", 501), r
    assert r.json()["method"] == "TRACE"
    r = srv.curl("-X", "TRACE", path="/other/a.txt")
    assert (r.http_version, r.status) == ("2", 200), r


@pytest.mark.parametrize("kind", sorted(SCOPES))
def test_a_405_under_an_allowlist_without_trace_does_not_list_trace(httpd,
                                                                   kind):
    # SPEC "Around the 501": Allow never lists a method the module would
    # answer 501 for at that URL.  DELETE is implemented there, and the
    # static file refuses it with core's 405.
    srv, url = scoped(httpd, kind, "NotImplImplemented GET HEAD POST "
                                   "DELETE\n")
    r = srv.request("DELETE", url)
    assert r.status == 405, r
    assert "TRACE" not in allow_tokens(r), r
    assert {"GET", "HEAD", "POST"} <= allow_tokens(r), r
    assert_notimpl(srv.request("TRACE", url), "TRACE")


def test_trace_follows_if_sections_and_encoded_paths(httpd):
    srv = httpd('<Directory "@DOCROOT@/d">\n'
                "    NotImplImplemented GET HEAD POST\n"
                "</Directory>\n"
                '<If "%{REQUEST_URI} =~ m#^/i/#">\n'
                "    NotImplMethods +PATCH +TRACE\n"
                "</If>\n"
                "TraceEnable on\n",
                files={"d/a.txt": "a\n", "i/b.txt": "b\n", "c.txt": "c\n"})
    for path in ("/i/b.txt", "/%64/a.txt", "/d/../d/a.txt", "/d/missing/x",
                 "http://localhost/d/a.txt"):
        assert_notimpl(srv.request("TRACE", path), "TRACE")
    assert_notimpl(srv.request("PATCH", "/i/b.txt"), "PATCH")
    r = srv.request("TRACE", "/c.txt")
    assert r.status == 200 and r.content_type == "message/http", r
