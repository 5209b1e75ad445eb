"""With the engine Off, and under ReportOnly, a client sees exactly what
stock httpd (module not loaded) sends on the same configuration: the
module is invisible (docs/directives.md "NotImplEngine").  Each request is
sent as raw bytes to both servers and the answers compared field by
field, Date, Last-Modified and ETag aside, Allow as a set (httpd's method
registry is a hash: two stock servers list it in different orders)."""
import pytest

from harness import STOCK_501_LOG, parse_responses

# The module's lines in <IfModule>, so that stock httpd reads the same
# file; %s is the engine.
CONFIG = """
<IfModule notimpl_module>
NotImplEngine %s
NotImplMethods +PATCH +TRACE +PROPFIND
NotImplFormat html
NotImplCacheControl no-store
NotImplAlternative PATCH "Use PUT"
<Location "/sub">
    NotImplImplemented GET POST
</Location>
</IfModule>
<Directory "@DOCROOT@/ht">
    AllowOverride All
</Directory>
"""

FILES = {
    "static.txt": "static file\n",
    "sub/static.txt": "sub\n",
    "ht/static.txt": "ht\n",
    "ht/.htaccess": "<IfModule notimpl_module>\nNotImplMethods +PUT\n"
                    "</IfModule>\n",
}


def req(method, path, extra=b"", body=b""):
    return (method + b" " + path + b" HTTP/1.1\r\nHost: localhost\r\n"
            b"Connection: close\r\n" + extra + b"\r\n" + body)


REQUESTS = [
    req(b"GET", b"/static.txt"),
    req(b"HEAD", b"/static.txt"),
    req(b"OPTIONS", b"/static.txt"),
    req(b"OPTIONS", b"*"),
    req(b"PUT", b"/static.txt", b"Content-Length: 2\r\n", b"hi"),
    req(b"PUT", b"/ht/static.txt", b"Content-Length: 2\r\n", b"hi"),
    req(b"PATCH", b"/static.txt", b"Content-Length: 2\r\n", b"hi"),
    req(b"DELETE", b"/sub/static.txt"),
    req(b"OPTIONS", b"/sub/static.txt"),
    req(b"BREW", b"/"),
    req(b"BREW", b"/", b"Accept: application/problem+json\r\n"),
    req(b"PROPFIND", b"/", b"Depth: 0\r\n"),
    req(b"TRACE", b"/"),
    req(b"POST", b"/static.txt",
        b"Transfer-Encoding: gzip, chunked\r\n", b"2\r\nhi\r\n0\r\n\r\n"),
    req(b"GET", b"/missing"),
]

IGNORED = {"date", "last-modified", "etag"}


def comparable(raw, head):
    responses, _ = parse_responses(raw, head, eof=True)
    assert responses, raw[:200]
    r = responses[0]
    fields = []
    for name, value in r.headers.fields:
        if name.lower() in IGNORED:
            continue
        if name.lower() == "allow":
            value = ",".join(sorted(v.strip() for v in value.split(",")))
        fields.append((name.lower(), value))
    return r.status, r.reason, sorted(fields), r.body


@pytest.mark.parametrize("engine", ["Off", "ReportOnly"])
def test_the_engine_off_or_report_only_is_invisible(httpd, engine):
    # Both answer BREW with httpd's own 501, and log it.
    module = httpd(CONFIG % engine, files=dict(FILES),
                   expect_log=(STOCK_501_LOG,))
    stock = httpd(CONFIG % engine, files=dict(FILES), notimpl=False,
                  expect_log=(STOCK_501_LOG,))
    for data in REQUESTS:
        head = data.startswith(b"HEAD ")
        got = [comparable(s.raw(data, head_request=head)[0].raw, head)
               for s in (module, stock)]
        assert got[0] == got[1], data
