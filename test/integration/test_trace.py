"""TRACE: `NotImplMethods +TRACE` answers 501 instead of core's TraceEnable,
whatever TraceEnable says; without it TRACE stays core's (SPEC "Around the
501")."""

import pytest

from harness import allow_tokens, assert_notimpl, format_of

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


@pytest.mark.parametrize("section", ["<Location /private>",
                                     '<Directory "@DOCROOT@/private">'])
def test_plus_trace_in_a_directory_scope_is_refused_at_start_up(configtest,
                                                                 section):
    # Core answers TRACE in map_to_storage, before the header_parser phase
    # where directory scopes are decided: a directory-scope +TRACE could
    # never take effect, so the configuration says so.
    close = "</%s>" % section[1:].split()[0]
    rc, out = configtest("TraceEnable on\n%s\n    NotImplMethods +TRACE\n%s\n"
                         % (section, close))
    assert rc != 0, out
    assert "NotImplMethods: TRACE can only be declared not implemented " \
           "at server scope" in out, out
