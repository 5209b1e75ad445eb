# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A rejected request's body is never read as the next request
(docs/behaviour.md "The response": the connection is closed after a 501)."""

from harness import assert_notimpl, build_request

SMUGGLED = b"GET /secret.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"

CONFIG = 'CustomLog "@DIR@/logs/access.log" "%r %>s"\n'
FILES = {"secret.txt": "SECRET-CONTENT\n"}


def assert_only_the_501(srv, responses):
    assert len(responses) == 1, responses
    assert_notimpl(responses[0], "BREW")
    assert responses[0].closed is True
    raw = responses[0].raw
    assert raw.count(b"HTTP/1.1 ") == 1, raw
    assert b"SECRET-CONTENT" not in raw


def assert_secret_never_requested(srv, requests_before):
    # A request on a fresh connection marks the end of the access log.
    assert srv.request("GET", "/index.html").status == 200
    lines = srv.wait_for_log(
        lambda lines: len(lines) >= requests_before + 1, "access.log")
    assert len(lines) == requests_before + 1, lines
    assert not any("/secret.txt" in line for line in lines), lines


def test_content_length_body_that_looks_like_a_request_is_not_run(httpd):
    srv = httpd(CONFIG, files=FILES)
    data = build_request("BREW", "/", body=SMUGGLED, close=False)
    assert_only_the_501(srv, srv.raw(data))
    assert_secret_never_requested(srv, 1)


def test_chunked_body_that_looks_like_a_request_is_not_run(httpd):
    srv = httpd(CONFIG, files=FILES)
    chunk = b"%x\r\n%s\r\n0\r\n\r\n" % (len(SMUGGLED), SMUGGLED)
    data = build_request("BREW", "/", body=chunk, close=False,
                         headers={"Transfer-Encoding": "chunked"})
    assert_only_the_501(srv, srv.raw(data))
    assert_secret_never_requested(srv, 1)


def test_request_pipelined_after_a_501_gets_no_response(httpd):
    srv = httpd(CONFIG, files=FILES)
    data = build_request("BREW", "/", close=False) + SMUGGLED
    assert_only_the_501(srv, srv.raw(data))
    assert_secret_never_requested(srv, 1)


def test_control_a_body_on_an_allowed_method_keeps_the_connection(httpd):
    # The same bytes after a request httpd serves are a second request:
    # what the tests above rule out is really observable here.
    srv = httpd(CONFIG, files=FILES)
    data = (build_request("GET", "/index.html", close=False)
            + build_request("GET", "/secret.txt", close=True))
    responses = srv.raw(data)
    assert [r.status for r in responses] == [200, 200]
    assert b"SECRET-CONTENT" in responses[1].body
