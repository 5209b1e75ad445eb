# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Request framing around a 501 (docs/behaviour.md "The response": the
connection is closed after a 501 and the body of a rejected request is never
read as a next request).  Whatever framing a client uses or fakes, the rejected
request gets one response, nothing in its body runs, and the requests sent
before it on the same connection are all answered.

test_body_framing.py covers the plain Content-Length and chunked bodies;
test_transfer_coding.py the 501 for a coding other than chunked.  This file
covers both headers at once, Transfer-Encoding obfuscations, broken
Content-Length values, pipelines and large or announced-only bodies."""

import re
import socket

import pytest

from harness import (IO_TIMEOUT, assert_no_crash, assert_notimpl,
                     build_request, httpd_version)

SECRET = b"GET /secret.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
FILES = {"secret.txt": "SECRET-CONTENT\n"}
ACCESS_LOG = 'CustomLog "@DIR@/logs/access.log" "%r %>s"\n'


def chunked(data):
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)


BODY = chunked(SECRET)


def server(httpd):
    return httpd(ACCESS_LOG, files=FILES)


def raw_bytes(srv, data):
    """Everything the server sends back until it closes (for a pipeline
    whose HEAD answer a parser cannot frame without knowing it is one)."""
    out = b""
    with socket.create_connection(("127.0.0.1", srv.port),
                                  timeout=IO_TIMEOUT) as s:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


def assert_one_response_and_closed(responses):
    assert len(responses) == 1, responses
    raw = responses[0].raw
    assert raw.count(b"HTTP/1.1 ") == 1, raw
    assert b"SECRET-CONTENT" not in raw
    assert responses[0].closed is True


def assert_access_log_is(srv, expected):
    """The access log holds exactly these request lines; a request on a
    fresh connection marks its end (httpd logs after responding)."""
    assert srv.request("GET", "/index.html").status == 200
    expected = expected + ["GET /index.html HTTP/1.1 200"]
    lines = srv.wait_for_log(lambda lines: len(lines) >= len(expected),
                             "access.log")
    assert lines == expected, lines


# httpd checks Content-Length while it reads the request only from 2.4.44
# on (ap_parse_strict_length; first released in 2.4.46); before, it accepts
# a broken one there, the
# module's 501 comes first, and the connection is closed without reading
# the body either way.
BAD_CONTENT_LENGTH = 400 if httpd_version() >= (2, 4, 44) else 501

# (case, header fields, who answers: the module's 501 where httpd accepted
# the framing, httpd's 400 where it refused the framing first)
FRAMINGS = [
    ("content-length-and-chunked",
     [("Content-Length", str(len(BODY))), ("Transfer-Encoding", "chunked")],
     501),
    ("short-content-length-and-chunked",
     [("Content-Length", "3"), ("Transfer-Encoding", "chunked")], 501),
    ("chunked-then-content-length",
     [("Transfer-Encoding", "chunked"), ("Content-Length", "0")], 501),
    ("chunked-comma-gzip", [("Transfer-Encoding", "chunked, gzip")], 400),
    ("space-chunked", [("Transfer-Encoding", " chunked")], 501),
    ("tab-chunked", [("Transfer-Encoding", "\tchunked")], 501),
    ("xchunked", [("Transfer-Encoding", "xchunked")], 400),
    ("upper-case-CHUNKED", [("Transfer-Encoding", "CHUNKED")], 501),
    ("chunked-with-a-parameter", [("Transfer-Encoding", "chunked;x=1")], 400),
    ("chunked-vertical-tab", [("Transfer-Encoding", "chunked\x0b")], 400),
    ("identity", [("Transfer-Encoding", "identity")], 400),
    ("two-chunked-headers",
     [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")],
     501),
    ("gzip-header-then-chunked-header",
     [("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")], 501),
    ("space-before-the-colon", [("Transfer-Encoding ", "chunked")], 400),
    ("two-content-lengths",
     [("Content-Length", str(len(BODY))), ("Content-Length", "0")],
     BAD_CONTENT_LENGTH),
    ("content-length-list",
     [("Content-Length", "%d, %d" % (len(BODY), len(BODY)))],
     BAD_CONTENT_LENGTH),
    ("content-length-abc", [("Content-Length", "abc")], BAD_CONTENT_LENGTH),
    ("content-length-negative", [("Content-Length", "-1")],
     BAD_CONTENT_LENGTH),
    ("content-length-terabyte", [("Content-Length", "1000000000000")], 501),
]


@pytest.mark.parametrize("fields, status", [f[1:] for f in FRAMINGS],
                         ids=[f[0] for f in FRAMINGS])
def test_a_rejected_request_gets_one_response_whatever_its_framing(
        httpd, fields, status):
    srv = server(httpd)
    data = build_request("BREW", "/", headers=fields, body=BODY, close=False)
    responses = srv.raw(data)
    assert_one_response_and_closed(responses)
    assert responses[0].status == status, responses[0]
    if status == 501:
        assert_notimpl(responses[0], "BREW")
    assert_access_log_is(srv, ["BREW / HTTP/1.1 %d" % status])
    assert_no_crash(srv)


def test_pipelined_requests_before_a_501_are_all_answered(httpd):
    srv = server(httpd)
    data = (build_request("GET", "/index.html", close=False)
            + build_request("GET", "/static.txt", close=False)
            + build_request("BREW", "/", body=SECRET, close=False))
    responses = srv.raw(data)
    assert [r.status for r in responses] == [200, 200, 501], responses
    assert responses[1].body == b"static file\n"
    assert_notimpl(responses[2], "BREW")
    assert responses[2].closed is True
    assert b"SECRET-CONTENT" not in responses[0].raw
    assert_access_log_is(srv, ["GET /index.html HTTP/1.1 200",
                               "GET /static.txt HTTP/1.1 200",
                               "BREW / HTTP/1.1 501"])


def test_nothing_pipelined_after_a_chunked_501_is_answered(httpd):
    srv = server(httpd)
    data = (build_request("GET", "/index.html", close=False)
            + build_request("HEAD", "/static.txt", close=False)
            + build_request("BREW", "/", body=BODY, close=False,
                            headers={"Transfer-Encoding": "chunked"})
            + SECRET
            + build_request("GET", "/secret.txt", close=True))
    # Ends only when the server closes (a socket timeout fails the test).
    raw = raw_bytes(srv, data)
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", raw)
    assert statuses == [b"200", b"200", b"501"], raw
    assert b"SECRET-CONTENT" not in raw
    assert_access_log_is(srv, ["GET /index.html HTTP/1.1 200",
                               "HEAD /static.txt HTTP/1.1 200",
                               "BREW / HTTP/1.1 501"])


def test_a_501_is_sent_without_waiting_for_an_announced_body(httpd):
    # The body never comes: the 501 must not wait for it, and no
    # 100 Continue may invite it.
    srv = server(httpd)
    data = build_request("BREW", "/", close=False,
                         headers=[("Content-Length", "100000"),
                                  ("Expect", "100-continue")])
    responses = srv.raw(data)
    assert_one_response_and_closed(responses)
    assert_notimpl(responses[0], "BREW")
    assert b"100 Continue" not in responses[0].raw


def test_a_501_reaches_the_client_whole_after_a_1_mib_body(httpd):
    # httpd's lingering close drains what the client still sends, so the
    # response is not lost to a reset.
    srv = server(httpd)
    body = (SECRET * (1024 * 1024 // len(SECRET) + 1))[:1024 * 1024]
    responses = srv.raw(build_request("BREW", "/", body=body, close=False))
    assert_one_response_and_closed(responses)
    assert_notimpl(responses[0], "BREW")
    assert_access_log_is(srv, ["BREW / HTTP/1.1 501"])


def test_http_1_0_keep_alive_501_with_a_body_closes(httpd):
    srv = server(httpd)
    data = build_request("BREW", "/", version="HTTP/1.0", body=SECRET,
                         headers={"Connection": "keep-alive"}, close=False)
    responses = srv.raw(data + SECRET)
    assert len(responses) == 1, responses
    assert_notimpl(responses[0], "BREW")
    assert responses[0].closed is True
    assert b"SECRET-CONTENT" not in responses[0].raw
    assert "keep-alive" not in responses[0].headers.get("Connection",
                                                        "").lower()
