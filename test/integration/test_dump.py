# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""`apache2 -t -D DUMP_NOTIMPL` prints the effective policy of every
virtual host and of every section that changes it (docs/observability.md):
in the order the configuration writes them, each section under its host
(or the main server), everything that decides a response, and a note for
every directive that has no effect (docs/behaviour.md "Scopes")."""

import re

# Three hosts, and sections at every level: the main server's <Directory>
# (written after the hosts, with a <Files> nested in it), a <Location> in
# host 1, nothing in host 2, a <Directory> in host 3 with a <Files> nested
# in a <Directory> that says nothing.
THREE_HOSTS = """
NotImplMethods +PATCH
NotImplCacheControl no-store
<VirtualHost 127.0.0.1:@PORT@>
    ServerName one.test
    NotImplMethods +DELETE
    NotImplAlternative DELETE "POST /delete"
    <Location /api>
        NotImplImplemented GET POST
        NotImplFormat problem
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName two.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName three.test
    NotImplEngine ReportOnly
    NotImplCacheControl max-age=60
    <Directory "@DOCROOT@/h3">
        NotImplMethods +PUT
    </Directory>
    <Directory "@DOCROOT@/h3/quiet">
        Options None
        <Files "*.cgi">
            NotImplEngine On
        </Files>
    </Directory>
</VirtualHost>
<Directory "@DOCROOT@/main">
    NotImplMethods +PUT
    NotImplAlternative PUT "POST /upload"
    <Files "*.txt">
        NotImplFormat text
        NotImplCacheControl none
    </Files>
</Directory>
"""


def dump(configtest, config, **kwargs):
    rc, out = configtest(config, extra=("-D", "DUMP_NOTIMPL"), **kwargs)
    assert rc == 0, out
    assert "Syntax OK" in out, out
    assert out.count("mod_notimpl policy:") == 1, out
    return out


def is_title(text):
    return text.startswith("<") or text.startswith("main server ")


def outline(out):
    """(depth, title) of every scope printed, in order; titles without
    their " (file:line)" and with the test's directory as DIR."""
    found = []
    for line in out.splitlines():
        text = line.lstrip(" ")
        if is_title(text):
            depth, rest = divmod(len(line) - len(text), 4)
            assert rest == 0, line
            text = re.sub(r" \(/[^ ]*:\d+\)", "", text)
            text = re.sub(r"/tmp/notimpl-it-[^/]+", "DIR", text)
            text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
            found.append((depth, text))
    return found


def block(out, title_pattern):
    """The attributes of the scope whose title matches: label -> value,
    and "note" -> the list of notes."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        text = line.lstrip(" ")
        if is_title(text) and re.search(title_pattern, text):
            indent = len(line) - len(text) + 4
            attrs = {"note": []}
            for l in lines[i + 1:]:
                body = l.lstrip(" ")
                if len(l) - len(body) != indent or is_title(body):
                    break
                label, value = body.split(": ", 1)
                if label == "note":
                    attrs["note"].append(value)
                else:
                    attrs[label] = value
            return attrs
    raise AssertionError("no block %r in:\n%s" % (title_pattern, out))


def test_hosts_and_sections_print_in_configuration_order_and_nesting(
        configtest):
    assert outline(dump(configtest, THREE_HOSTS)) == [
        (0, "main server localhost"),
        (1, '<Directory "DIR/htdocs/main">'),
        (2, '<Files "*.txt">'),
        (0, "<VirtualHost 127.0.0.1:PORT> one.test"),
        (1, "<Location /api>"),
        (0, "<VirtualHost 127.0.0.1:PORT> two.test, as the main server"),
        (0, "<VirtualHost 127.0.0.1:PORT> three.test"),
        (1, '<Directory "DIR/htdocs/h3">'),
        # Its <Directory> says nothing about the module: not printed.
        (1, '<Files "*.cgi">'),
    ]


def test_the_main_server_shows_everything_that_decides_a_response(
        configtest):
    main = block(dump(configtest, THREE_HOSTS), r"^main server ")
    assert main["engine"] == "On"
    # auto without mod_dav, plus PATCH.
    words = main["not implemented"].split()
    assert words[0] == "unknown" and "PATCH" in words, words
    assert {"PROPFIND", "MKCOL", "VERSION-CONTROL", "MERGE"} <= set(words)
    assert main["format"] == "auto"
    assert main["Cache-Control"] == "no-store"
    assert main["alternatives"] == "(none)"
    assert main["transfer codings other than chunked"] == "501"
    allow = main["OPTIONS * Allow"].split(",")
    assert {"GET", "HEAD", "POST", "PUT", "DELETE"} <= set(allow), allow
    assert "PATCH" not in allow and "CONNECT" not in allow, allow
    assert main["note"] == []


def test_each_host_shows_its_own_and_inherited_settings(configtest):
    out = dump(configtest, THREE_HOSTS)
    one = block(out, r" one\.test")
    assert "DELETE" in one["not implemented"].split()
    assert one["alternatives"] == 'DELETE "POST /delete"'
    assert one["Cache-Control"] == "no-store"        # the main server's
    three = block(out, r" three\.test")
    assert three["engine"] == "ReportOnly"
    assert three["Cache-Control"] == "max-age=60"
    assert three["transfer codings other than chunked"] == "reported"
    assert three["OPTIONS * Allow"] == "(none added: the engine is not On)"


def test_a_section_shows_what_it_adds_and_where_each_setting_comes_from(
        configtest):
    out = dump(configtest, THREE_HOSTS)
    d = block(out, r'^<Directory ".*/main">')
    assert d == {"engine": "On (the server's)", "adds": "PUT",
                 "format": "auto (the server's)",
                 "Cache-Control": "no-store (the server's)",
                 "alternatives": 'PUT "POST /upload"', "note": []}, d
    f = block(out, r'^<Files "\*\.txt">')
    assert f == {"engine": "On (the server's)", "adds": "(none)",
                 "format": "text", "Cache-Control": "none",
                 "alternatives": 'PUT "POST /upload" (inherited)',
                 "note": []}, f
    api = block(out, r"^<Location /api>")
    # TRACE is the server's (TraceEnable on): a directory never refuses it.
    assert api["allowlist"] == "GET HEAD POST TRACE"
    assert api["format"] == "problem"
    assert api["alternatives"] == 'DELETE "POST /delete" (the server\'s)'
    h3 = block(out, r'^<Directory ".*/h3">')
    assert h3["engine"] == "ReportOnly (the server's)"
    assert h3["Cache-Control"] == "max-age=60 (the server's)"
    cgi = block(out, r'^<Files "\*\.cgi">')
    assert cgi["engine"] == "On"


def test_each_section_names_its_file_and_line(configtest):
    out = dump(configtest, THREE_HOSTS)
    m = re.search(r"^    <Location /api> \((\S+):(\d+)\)$", out, re.M)
    assert m, out
    with open(m.group(1)) as f:
        assert "<Location /api>" in f.read().splitlines()[int(m.group(2)) - 1]


def test_without_the_define_nothing_is_printed(configtest):
    rc, out = configtest(THREE_HOSTS)
    assert rc == 0 and "mod_notimpl policy" not in out, out


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
    assert [d for d, _ in outline(out)] == [0, 1, 1, 1], out
    assert block(out, r"^<If ")["adds"] == "PATCH"
    assert block(out, r"^<Files ")["adds"] == "PUT"
    assert block(out, r"^<Proxy ")["adds"] == "DELETE"


def test_sections_in_included_files_and_ifmodule_print_under_their_host(
        configtest):
    out = dump(configtest, "<VirtualHost 127.0.0.1:@PORT@>\n"
                           "    ServerName inc.test\n"
                           '    Include "@DOCROOT@/conf/inc.conf"\n'
                           "</VirtualHost>\n",
               files={"conf/inc.conf": "<Location /inc>\n"
                                       "    <IfModule mod_mime.c>\n"
                                       "        NotImplMethods +PUT\n"
                                       "    </IfModule>\n"
                                       "</Location>\n"})
    assert outline(out)[1:] == [
        (0, "<VirtualHost 127.0.0.1:PORT> inc.test"),
        (1, "<Location /inc>")], out
    assert re.search(r"<Location /inc> \(\S+/conf/inc\.conf:1\)$", out,
                     re.M), out


# -- notes: directives that have no effect -------------------------------

def dump_case(configtest, case):
    """The dump of a configuration whose case is in an Include'd file, so
    that line numbers are the case's own; its path reads "case.conf"."""
    out = dump(configtest, 'Include "@DOCROOT@/conf/case.conf"\n',
               files={"conf/case.conf": case})
    return re.sub(r"/\S*/conf/case\.conf:", "case.conf:", out)


def notes(configtest, case, title=r"^<Location /x>"):
    return block(dump_case(configtest, case), title)["note"]


def test_a_section_cannot_take_back_what_the_server_refuses(configtest):
    # The case of the issue: "adds: (none)" said nothing about the removals.
    d = block(dump_case(configtest, "NotImplMethods +PATCH +TRACE\n"
                                    "<Location /x>\n"
                                    "    NotImplMethods -PATCH -TRACE\n"
                                    "</Location>\n"), r"^<Location /x>")
    assert d["adds"] == "(none)"
    assert d["removes (what enclosing sections add)"] == "PATCH TRACE"
    assert d["note"] == [
        "NotImplMethods -PATCH (line 3) has no effect on PATCH: the server "
        "scope refuses it, and a directory scope can only add",
        "NotImplMethods -TRACE (line 3) has no effect: TRACE is decided "
        "for the whole server (TraceEnable), never by a directory scope"], d


def test_a_section_removing_a_group_names_what_the_server_keeps(configtest):
    assert notes(configtest, "<Location /x>\n"
                             "    NotImplMethods -webdav -unknown -BREW\n"
                             "</Location>\n") == [
        "NotImplMethods -webdav (line 2) has no effect on PROPFIND "
        "PROPPATCH MKCOL COPY MOVE LOCK UNLOCK: the server scope refuses "
        "them, and a directory scope can only add",
        "NotImplMethods -unknown (line 2) has no effect on unknown: the "
        "server scope refuses it, and a directory scope can only add",
        "NotImplMethods -BREW (line 2) has no effect on BREW: the server "
        "scope refuses it, and a directory scope can only add"]


def test_removals_under_a_server_that_only_reports_get_no_note(configtest):
    # ReportOnly refuses nothing: a section On may refuse and take back.
    assert notes(configtest, "NotImplEngine ReportOnly\n"
                             "NotImplMethods +PATCH\n"
                             "<Location /x>\n"
                             "    NotImplMethods -PATCH\n"
                             "</Location>\n") == []


def test_get_and_head_removed_or_given_an_alternative_get_a_note(configtest):
    assert notes(configtest, "<Location /x>\n"
                             "    NotImplMethods -GET +PUT\n"
                             '    NotImplAlternative HEAD "never"\n'
                             "</Location>\n") == [
        "NotImplMethods -GET (line 2) has no effect: GET and HEAD are "
        "always implemented",
        "NotImplAlternative HEAD (line 3) has no effect: GET and HEAD are "
        "always implemented"]


def test_a_section_allowlist_cannot_implement_what_the_server_refuses(
        configtest):
    assert notes(configtest, "NotImplMethods +PATCH\n"
                             "<Location /x>\n"
                             "    NotImplImplemented POST PATCH\n"
                             "</Location>\n") == [
        "NotImplImplemented PATCH (line 3) has no effect on PATCH: the "
        "server scope refuses it, and a directory scope can only add"]


def test_engine_off_in_a_section_under_a_refusing_server(configtest):
    out = dump_case(configtest, "NotImplMethods unknown PATCH\n"
                           "<Location /x>\n"
                           "    NotImplEngine Off\n"
                           "    NotImplMethods +PUT\n"
                           "</Location>\n")
    assert block(out, r"^<Location /x>")["note"] == [
        "NotImplEngine Off (line 3) turns off only what directory scopes "
        "add: the server scope still refuses unknown PATCH",
        "NotImplMethods (line 4) has no effect: the engine is Off here"]


def test_engine_off_in_a_virtual_host_makes_its_lists_void(configtest):
    out = dump_case(configtest, "<VirtualHost 127.0.0.1:@PORT@>\n"
                           "    ServerName off.test\n"
                           "    NotImplEngine Off\n"
                           "    NotImplMethods +DELETE\n"
                           "    NotImplTransferCodings On\n"
                           "</VirtualHost>\n")
    assert block(out, r" off\.test")["note"] == [
        "NotImplMethods (line 4) has no effect: the engine is Off here",
        "NotImplTransferCodings (line 5) has no effect: the engine is Off "
        "here"]


def test_methods_overridden_by_implemented_in_the_same_scope(configtest):
    assert notes(configtest, "NotImplMethods +PUT\n"
                             "NotImplImplemented GET POST PUT\n",
                 r"^main server") == [
        "NotImplMethods (case.conf:1) has no effect: NotImplImplemented "
        "(case.conf:2) takes precedence in the same scope"]


def test_a_list_replaced_by_a_later_list_without_signs(configtest):
    assert notes(configtest, "<Location /x>\n"
                             "    NotImplMethods +PUT\n"
                             "    NotImplMethods DELETE\n"
                             "    NotImplMethods +PATCH\n"
                             "</Location>\n") == [
        "NotImplMethods (line 2) has no effect: the list without signs "
        "(line 3) replaces it"]


def test_a_setting_written_twice_in_one_scope(configtest):
    assert notes(configtest, "NotImplFormat json\n"
                             "NotImplFormat text\n"
                             'NotImplAlternative PATCH "one"\n'
                             'NotImplAlternative PUT "other"\n'
                             'NotImplAlternative PATCH "two"\n',
                 r"^main server") == [
        "NotImplFormat (case.conf:1) has no effect: case.conf:2 sets it "
        "again",
        "NotImplAlternative PATCH (case.conf:3) has no effect: case.conf:5 "
        "sets it "
        "again"]


def test_a_format_in_a_section_that_refuses_nothing(configtest):
    out = dump_case(configtest, "<Location /x>\n"
                                "    NotImplFormat text\n"
                                "</Location>\n"
                                "<Location /y>\n"
                                "    NotImplMethods +PUT\n"
                                "    <If \"-T env('x')\">\n"
                                "        NotImplCacheControl no-store\n"
                                "    </If>\n"
                                "</Location>\n")
    assert block(out, r"^<Location /x>")["note"] == [
        "NotImplFormat (line 2) has no effect unless another section "
        "refuses something here: it is for the 501s of directory scopes, "
        "and this section and those around it refuse nothing (the server "
        "scope's 501s take the server's)"]
    # Nested in a section that refuses PUT, it counts.
    assert block(out, r"^<If ")["note"] == []


def test_a_configuration_without_dead_directives_has_no_note(configtest):
    assert "note:" not in dump(configtest, THREE_HOSTS)


def test_minus_get_or_head_in_a_server_scope_is_noted(configtest):
    out = dump_case(configtest, "NotImplMethods -GET +PATCH\n"
                                "<VirtualHost 127.0.0.1:@PORT@>\n"
                                "    ServerName h.test\n"
                                "    NotImplMethods -HEAD\n"
                                "</VirtualHost>\n")
    assert block(out, r"^main server")["note"] == [
        "NotImplMethods -GET (case.conf:1) has no effect: GET and HEAD are "
        "always implemented"]
    assert block(out, r" h\.test")["note"] == [
        "NotImplMethods -HEAD (line 4) has no effect: GET and HEAD are "
        "always implemented"]


def test_options_star_under_an_allowlist_without_options_is_the_501(
        configtest):
    out = dump_case(configtest, "<VirtualHost 127.0.0.1:@PORT@>\n"
                                "    ServerName api.test\n"
                                "    NotImplImplemented GET HEAD POST PUT\n"
                                "</VirtualHost>\n")
    assert block(out, r" api\.test")["OPTIONS * Allow"] == (
        "(none: OPTIONS is not implemented here, so OPTIONS * gets the 501)")


def test_minus_trace_in_a_section_is_noted(configtest):
    assert notes(configtest, "<Location /x>\n"
                             "    NotImplMethods -TRACE +PUT\n"
                             "</Location>\n") == [
        "NotImplMethods -TRACE (line 2) has no effect: TRACE is decided for "
        "the whole server (TraceEnable), never by a directory scope"]


def test_hosts_with_the_same_one_line_each_print_as_their_own(configtest):
    out = dump(configtest, "".join(
        "<VirtualHost 127.0.0.1:@PORT@>\n    ServerName h%d.test\n"
        "    NotImplImplemented GET HEAD POST\n</VirtualHost>\n" % i
        for i in range(3)))
    assert [t for _, t in outline(out)[1:]] == [
        "<VirtualHost 127.0.0.1:PORT> h%d.test" % i for i in range(3)], out
    for i in range(3):
        assert block(out, r"h%d\.test" % i)["allowlist"].split() == [
            "GET", "HEAD", "POST"], out


def test_a_virtual_host_without_directives_is_printed_too(configtest):
    """Every virtual host, as the file writes them: one whose block is
    empty inherits everything and is printed as the main server."""
    out = dump(configtest, "NotImplMethods +PATCH\n"
                           "<VirtualHost 127.0.0.1:@PORT@>\n"
                           "</VirtualHost>\n"
                           "<VirtualHost 127.0.0.1:@PORT@>\n"
                           "    ServerName b.test\n"
                           "</VirtualHost>\n")
    titles = [t for _, t in outline(out)[1:]]
    assert len(titles) == 2, out
    assert titles == ["<VirtualHost 127.0.0.1:PORT> localhost, as the main "
                      "server", "<VirtualHost 127.0.0.1:PORT> b.test, as the "
                      "main server"], out
