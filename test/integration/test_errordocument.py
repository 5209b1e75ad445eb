"""ErrorDocument 501 still wins over the module's own document (SPEC "The
response": the 501 goes through httpd's error machinery)."""

from harness import format_of


def test_errordocument_text_replaces_the_document(httpd):
    srv = httpd('ErrorDocument 501 "custom text"\n')
    r = srv.request("BREW", "/static.txt")
    assert r.status == 501
    assert r.body == b"custom text"
    assert format_of(r) is None, r
    assert "Allow" not in r.headers


def test_errordocument_local_path_serves_that_file_with_501(httpd):
    page = "<html><body>our own 501 page</body></html>\n"
    srv = httpd("ErrorDocument 501 /errors/501.html\n",
                files={"errors/501.html": page})
    r = srv.request("BREW", "/static.txt")
    assert r.status == 501
    assert r.body == page.encode()
    assert r.content_type.startswith("text/html")
    assert format_of(r) is None, r
    assert "Allow" not in r.headers


def test_errordocument_url_redirects(httpd):
    srv = httpd("ErrorDocument 501 http://errors.example.invalid/501\n")
    r = srv.request("BREW", "/static.txt")
    assert r.status == 302
    assert r.headers.get("Location") == "http://errors.example.invalid/501"


def test_errordocument_keeps_cache_control_and_the_env_var(httpd):
    srv = httpd('ErrorDocument 501 "custom text"\n'
                "NotImplCacheControl no-store\n"
                'CustomLog "@DIR@/logs/notimpl.log" "%m %s" env=NOTIMPL\n')
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert r.body == b"custom text"
    assert r.headers.get_all("Cache-Control") == ["no-store"]
    lines = srv.wait_for_log(lambda lines: lines, "notimpl.log")
    assert lines == ["BREW 501"]


def test_errordocument_for_other_statuses_leaves_the_501_alone(httpd):
    srv = httpd('ErrorDocument 404 "gone fishing"\n')
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert format_of(r) == "json"
    assert srv.request("GET", "/nope").body == b"gone fishing"
