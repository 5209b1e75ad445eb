# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Which document format a 501 carries (docs/behaviour.md "The response":
negotiation among problem+json, json, html and text; NotImplFormat)."""

import pytest

from harness import CONTENT_TYPES, assert_notimpl, format_of, vary_tokens


@pytest.fixture
def auto_server(httpd):
    return httpd()


@pytest.mark.parametrize("accept, fmt", [
    ("application/problem+json", "problem"),
    ("application/json", "json"),
    ("text/html", "html"),
    ("text/plain", "text"),
    ("TEXT/HTML", "html"),
    ("text/html;q=0.5, text/plain;q=0.9", "text"),
    ("application/json;q=0.1, text/html", "html"),
    ("application/problem+json;q=1.0, application/json;q=0.9", "problem"),
    ("text/plain;q=0.2, application/problem+json;q=0.3", "problem"),
    ("*/*", "json"),
    ("application/*", "json"),
    ("application/problem+json, application/json", "json"),
    ("text/html, */*;q=0.01", "html"),
    ("text/html;level=1;q=0.9, */*;q=0.5", "html"),
    ("image/png", "json"),
    ("image/png, text/*;q=0", "json"),
    ("text/html;q=0", "json"),
])
def test_accept_selects_the_format(auto_server, accept, fmt):
    r = auto_server.request("BREW", "/", headers={"Accept": accept})
    assert_notimpl(r, "BREW", fmt)
    assert "accept" in vary_tokens(r)


def test_no_accept_header_gives_json(auto_server):
    r = auto_server.request("BREW", "/")
    assert_notimpl(r, "BREW", "json")
    assert "accept" in vary_tokens(r)


def test_type_wildcard_picks_html_of_the_two_text_types(auto_server):
    # text/html and text/plain tie at q=1; ties go in the order json,
    # problem+json, html, text: html.
    r = auto_server.request("BREW", "/", headers={"Accept": "text/*"})
    assert_notimpl(r, "BREW", "html")


def test_q_zero_excludes_a_type_even_under_a_wildcard(auto_server):
    # RFC 9110 §12.5.1: application/json takes the weight of its most
    # specific range, q=0; the other three tie under */* and the tie goes
    # to problem+json.
    r = auto_server.request("BREW", "/", headers={
        "Accept": "application/json;q=0, */*"})
    assert_notimpl(r, "BREW", "problem")


def test_problem_document_has_the_rfc_9457_members(auto_server):
    r = auto_server.request("BREW", "/", headers={
        "Accept": "application/problem+json"})
    doc = assert_notimpl(r, "BREW", "problem")
    assert doc["type"] == "urn:mod-notimpl:method-not-implemented"
    assert doc["title"] == "Not Implemented"
    assert doc["status"] == 501
    assert doc["detail"] == "The method BREW is not implemented by this server."
    assert doc["method"] == "BREW"


def test_html_document_names_the_method(auto_server):
    r = auto_server.request("BREW", "/", headers={"Accept": "text/html"})
    html = assert_notimpl(r, "BREW", "html")
    assert "BREW" in html
    assert html.count("<html") == 1 and html.count("</html>") == 1
    assert "<body>" in html and "</body>" in html


def test_text_document_names_the_method(auto_server):
    r = auto_server.request("BREW", "/", headers={"Accept": "text/plain"})
    text = assert_notimpl(r, "BREW", "text")
    assert "BREW" in text.split("\n", 1)[1]


@pytest.mark.parametrize("accept", [
    "text/html;q=abc",
    "text/html;q=2",
    "text/html;q=",
    ";;;,,,",
    ",",
    "/",
    "text/",
    "\"",
    "text/html;foo=\"unterminated, application/json",
    "application/json;;;q=0.5;;, text/plain;q=0.9.9",
    "*/*;q=-1",
    "a" * 4000,
    "text/plain;q=0.5, " * 200,
])
def test_malformed_accept_never_causes_an_error(auto_server, accept):
    r = auto_server.request("BREW", "/", headers={"Accept": accept})
    assert format_of(r) is not None, r
    assert_notimpl(r, "BREW", format_of(r))


@pytest.mark.parametrize("fmt, accept", [
    ("json", "text/html"),
    ("problem", "text/plain"),
    ("html", "application/json"),
    ("text", "application/problem+json"),
])
def test_fixed_format_ignores_accept_and_sends_no_vary(httpd, fmt, accept):
    srv = httpd("NotImplFormat %s\n" % fmt)
    for headers in ({"Accept": accept}, {}):
        r = srv.request("BREW", "/", headers=headers)
        assert_notimpl(r, "BREW", fmt)
        assert r.content_type == CONTENT_TYPES[fmt]
        assert "accept" not in vary_tokens(r)


def test_format_auto_can_be_set_explicitly(httpd):
    srv = httpd("NotImplFormat auto\n")
    r = srv.request("BREW", "/", headers={"Accept": "text/plain"})
    assert_notimpl(r, "BREW", "text")
    assert "accept" in vary_tokens(r)
