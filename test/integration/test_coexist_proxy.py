# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""mod_proxy + mod_proxy_http in front of a backend: the server scope
decides before proxying and the directory scope of the proxied <Location>
before the proxy handler, so a refused method never reaches the backend;
an exempted one does (docs/behaviour.md "Scopes" 1 and 2)."""

import pytest

from harness import assert_notimpl, loopback_backend


@pytest.fixture
def backend():
    """A loopback HTTP server that answers 200 to every method; .seen
    lists the (method, path) of every request it received."""
    with loopback_backend() as server:
        yield server


def proxy(httpd, backend, extra=""):
    port = backend.server_address[1]
    return httpd("ProxyPass /app/ http://127.0.0.1:%d/\n"
                 "ProxyPassReverse /app/ http://127.0.0.1:%d/\n"
                 "%s" % (port, port, extra),
                 modules=["proxy", "proxy_http"])


def methods_seen(backend):
    return [m for m, _ in backend.seen]


def test_get_is_proxied_to_the_backend(httpd, backend):
    srv = proxy(httpd, backend)
    r = srv.request("GET", "/app/x")
    assert r.status == 200, r
    assert r.body == b"backend GET /x\n"
    assert backend.seen == [("GET", "/x")]


def test_brew_is_501_and_never_reaches_the_backend(httpd, backend):
    srv = proxy(httpd, backend)
    assert_notimpl(srv.request("BREW", "/app/x"), "BREW")
    assert srv.request("GET", "/app/y").status == 200
    # The GET after it proves the backend was reachable all along.
    assert methods_seen(backend) == ["GET"]


def test_a_method_exempted_in_the_server_scope_reaches_the_backend(httpd,
                                                                    backend):
    srv = proxy(httpd, backend, "NotImplMethods -PURGE\n")
    r = srv.request("PURGE", "/app/cache/item")
    assert r.status == 200, r
    assert r.body == b"backend PURGE /cache/item\n"
    assert backend.seen == [("PURGE", "/cache/item")]
    # Only that name is exempted.
    assert_notimpl(srv.request("BREW", "/app/x"), "BREW")
    assert methods_seen(backend) == ["PURGE"]


def test_plus_patch_on_the_proxied_location_stops_patch_before_the_backend(
        httpd, backend):
    srv = proxy(httpd, backend, "<Location /app/>\n"
                                "    NotImplMethods +PATCH\n"
                                "    NotImplFormat problem\n"
                                "</Location>\n")
    assert_notimpl(srv.request("PATCH", "/app/x", body=b"{}"), "PATCH",
                   "problem")
    r = srv.request("GET", "/app/x")
    assert r.status == 200, r
    assert r.body == b"backend GET /x\n"
    r = srv.request("PUT", "/app/x", body=b"{}")
    assert r.status == 200, r
    assert methods_seen(backend) == ["GET", "PUT"]


def test_implemented_allowlist_on_the_proxied_location(httpd, backend):
    srv = proxy(httpd, backend, "<Location /app/>\n"
                                "    NotImplImplemented GET HEAD POST\n"
                                "</Location>\n")
    for method in ("PUT", "DELETE", "PATCH"):
        doc = assert_notimpl(srv.request(method, "/app/x"), method)
        assert sorted(doc["implemented"]) == ["GET", "HEAD", "POST",
                                              "TRACE"], doc
    assert srv.request("POST", "/app/x", body=b"a=1").status == 200
    assert methods_seen(backend) == ["POST"]


def test_a_directory_elsewhere_does_not_affect_the_proxy(httpd, backend):
    srv = proxy(httpd, backend, "<Location /local>\n"
                                "    NotImplMethods +PATCH\n"
                                "</Location>\n")
    r = srv.request("PATCH", "/app/x", body=b"{}")
    assert r.status == 200, r
    assert methods_seen(backend) == ["PATCH"]


def test_a_proxy_section_adds_methods_for_its_backend(httpd, backend):
    # <Proxy> sections belong to mod_proxy, which merges them itself: the
    # module's directives there count like those of any other section.
    port = backend.server_address[1]
    srv = proxy(httpd, backend,
                '<Proxy "http://127.0.0.1:%d/">\n'
                "    NotImplMethods +PATCH\n"
                "    NotImplFormat text\n"
                "</Proxy>\n" % port)
    assert_notimpl(srv.request("PATCH", "/app/x"), "PATCH", "text")
    assert srv.request("PUT", "/app/x").status == 200
    assert methods_seen(backend) == ["PUT"]
