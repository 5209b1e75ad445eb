"""`apache2 -t -D DUMP_NOTIMPL` prints the effective policy of every
virtual host and of every section that changes it (SPEC "Observability"),
in the manner of -D DUMP_VHOSTS; likely typos in a method list are
accepted with one start-up warning each (SPEC "Directives")."""

import re

CONFIG = """
NotImplEngine ReportOnly
NotImplMethods +PATCH -BREW
<Directory "@DOCROOT@/d">
    NotImplImplemented GET POST PURGE
    NotImplFormat text
</Directory>
<Location /api>
    NotImplMethods +PUT
</Location>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
    NotImplEngine On
    TraceEnable off
    NotImplMethods -PATCH +DELETE
    <Location /x>
        NotImplMethods +OPTIONS
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
</VirtualHost>
"""


def dump(configtest, config, **kwargs):
    rc, out = configtest(config, extra=("-D", "DUMP_NOTIMPL"), **kwargs)
    assert rc == 0, out
    assert "Syntax OK" in out, out
    assert out.count("mod_notimpl policy:") == 1, out
    return out


def block(out, title_pattern):
    """The lines of the block whose title matches, up to the next title."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if re.search(title_pattern, line):
            body = []
            for l in lines[i + 1:]:
                if not l.startswith("    "):
                    break
                body.append(l.strip())
            return dict(l.split(": ", 1) for l in body)
    raise AssertionError("no block %r in:\n%s" % (title_pattern, out))


def test_dump_shows_the_main_server_policy(configtest):
    main = block(dump(configtest, CONFIG), r"^main server ")
    assert main["engine"] == "ReportOnly", main
    # auto without mod_dav, plus PATCH, less the exemption BREW.
    words = main["not implemented"].split()
    assert words[0] == "unknown" and "PATCH" in words and "-BREW" in words
    assert {"PROPFIND", "MKCOL", "VERSION-CONTROL", "MERGE"} <= set(words)
    assert main["format"] == "auto"
    # ReportOnly changes nothing a client sees: no Allow for OPTIONS *.
    assert main["OPTIONS * Allow"] == "(none added: the engine is not On)"
    assert main["transfer codings other than chunked"] == "reported"


def test_dump_shows_each_virtual_host(configtest):
    out = dump(configtest, CONFIG)
    a = block(out, r"^<VirtualHost 127\.0\.0\.1:\d+> a\.test ")
    assert a["engine"] == "On"
    words = a["not implemented"].split()
    assert "DELETE" in words and "PATCH" not in words, words
    allow = a["OPTIONS * Allow"].split(",")
    assert "DELETE" not in allow and "CONNECT" not in allow, allow
    assert "TRACE" not in allow, allow          # TraceEnable off there
    assert {"GET", "HEAD", "POST", "PUT", "PATCH"} <= set(allow), allow
    assert a["transfer codings other than chunked"] == "501"
    assert re.search(r"^<VirtualHost 127\.0\.0\.1:\d+> b\.test .*, as the "
                     r"main server$", out, re.M), out


def test_dump_shows_sections_that_change_the_policy(configtest):
    out = dump(configtest, CONFIG)
    d = block(out, r"^  <Directory .*/d\"?> \(.*:\d+\)$")
    # TRACE is the server's (TraceEnable on): a directory never decides it.
    assert d["allowlist"].split() == ["GET", "HEAD", "POST", "TRACE",
                                      "PURGE"], d
    assert d["format"] == "text"
    assert d["engine"] == "ReportOnly"      # inherited from the server
    api = block(out, r"^  <Location /api> ")
    assert api["adds (to the server's)"] == "PUT", api
    x = block(out, r"^  <Location /x> ")
    assert x["adds (to the server's)"] == "OPTIONS" and x["engine"] == "On", x
    # Sections that say nothing about the module are not listed.
    assert out.count("  <") == 3, out


def test_dump_names_the_file_and_line_of_each_section(configtest):
    out = dump(configtest, CONFIG)
    m = re.search(r"^  <Location /api> \((\S+):(\d+)\)$", out, re.M)
    assert m, out
    with open(m.group(1)) as f:
        assert "<Location /api>" in f.read().splitlines()[int(m.group(2)) - 1]


def test_without_the_define_nothing_is_printed(configtest):
    rc, out = configtest(CONFIG)
    assert rc == 0 and "mod_notimpl policy" not in out, out


# -- likely typos --------------------------------------------------------

def typo_warnings(out):
    return [l for l in out.splitlines() if "NI0010:" in l]


def test_a_group_name_one_edit_away_is_accepted_with_a_warning(configtest):
    rc, out = configtest("NotImplMethods +webdab\n")
    assert rc == 0, out
    [w] = typo_warnings(out)
    assert "NotImplMethods" in w and "'webdab'" in w, w
    assert "did you mean 'webdav'" in w and "[notimpl:warn]" in w, w
    assert re.search(r"httpd\.conf:\d+\)", w), w


def test_a_group_in_the_wrong_case_is_accepted_with_a_warning(configtest):
    rc, out = configtest("NotImplMethods +WebDAV -deltaV\n")
    assert rc == 0, out
    w = typo_warnings(out)
    assert len(w) == 2, out
    assert "'webdav'" in w[0] and "'deltav'" in w[1], w


def test_a_known_method_in_the_wrong_case_is_accepted_with_a_warning(
        configtest):
    rc, out = configtest('<Location /x>\n  NotImplImplemented patch\n'
                         '</Location>\n')
    assert rc == 0, out
    [w] = typo_warnings(out)
    assert "NotImplImplemented" in w and "'patch'" in w, w
    assert "did you mean 'PATCH'" in w, w


def test_real_names_and_groups_give_no_warning(configtest):
    rc, out = configtest("NotImplMethods +webdav +PATCH +BREW +PURGE "
                         "-deltav +MKCALENDAR\n")
    assert rc == 0, out
    assert typo_warnings(out) == [], out


def test_a_typo_is_warned_once_per_start(httpd):
    srv = httpd("NotImplMethods +webdab\n", expect_log=[r"NI0010"])
    assert srv.request("webdab", "/").status == 501
    assert len([l for l in srv.startup_output().splitlines()
                if "NI0010" in l]) == 1


def test_dump_shows_if_files_and_proxy_sections_too(configtest):
    out = dump(configtest, '<If "%{REQUEST_URI} =~ m#^/i/#">\n'
                           "    NotImplMethods +PATCH\n"
                           "</If>\n"
                           '<Files "*.php">\n'
                           "    NotImplMethods +PUT\n"
                           "</Files>\n"
                           '<Proxy "http://127.0.0.1:9/">\n'
                           "    NotImplMethods +DELETE\n"
                           "</Proxy>\n", modules=["proxy"])
    assert block(out, r"^  <If ")["adds (to the server's)"] == "PATCH"
    assert block(out, r"^  <Files ")["adds (to the server's)"] == "PUT"
    assert block(out, r"^  <Proxy ")["adds (to the server's)"] == "DELETE"
    assert out.count("  <") == 3, out
