# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A bad directive makes `apache2 -t` fail with a message naming the
directive and the offending token (docs/directives.md "Configuration
errors")."""

import os

import pytest

from harness import REPO, assert_notimpl


def assert_refused(configtest, config, *words):
    rc, out = configtest(config)
    assert rc != 0, out
    assert "Syntax error" in out, out
    for word in words:
        assert word in out, out
    return out


def assert_accepted(configtest, config, **kwargs):
    rc, out = configtest(config, **kwargs)
    assert rc == 0, out
    assert "Syntax OK" in out, out


def test_get_in_a_not_implemented_set_is_refused(configtest):
    assert_refused(configtest, "NotImplMethods GET\n",
                   "NotImplMethods", "GET")


def test_adding_head_to_the_not_implemented_set_is_refused(configtest):
    assert_refused(configtest, "NotImplMethods +HEAD\n",
                   "NotImplMethods", "HEAD")


def test_get_is_refused_in_a_virtual_host_too(configtest):
    assert_refused(configtest,
                   "<VirtualHost 127.0.0.1:@PORT@>\n"
                   "    ServerName a.test\n"
                   "    NotImplMethods +GET\n"
                   "</VirtualHost>\n",
                   "NotImplMethods", "GET")


def test_get_in_a_directory_section_is_refused(configtest):
    assert_refused(configtest,
                   "<Location /api>\n"
                   "    NotImplMethods +GET\n"
                   "</Location>\n",
                   "NotImplMethods", "GET")


def test_implemented_may_name_get_and_head(configtest):
    assert_accepted(configtest, "NotImplImplemented GET POST\n")
    assert_accepted(configtest, "NotImplImplemented GET HEAD POST PUT\n")


def test_a_token_that_is_not_a_method_or_group_is_refused(configtest):
    assert_refused(configtest, "NotImplMethods BR@W\n",
                   "NotImplMethods", "BR@W")


def test_a_bad_token_in_implemented_is_refused(configtest):
    assert_refused(configtest, "NotImplImplemented GET BR@W\n",
                   "NotImplImplemented", "BR@W")


def test_mixing_signed_and_unsigned_tokens_is_refused(configtest):
    out = assert_refused(configtest, "NotImplMethods +PATCH PUT\n",
                         "NotImplMethods")
    assert "PATCH" in out and "PUT" in out


def test_mixing_unsigned_then_signed_tokens_is_refused(configtest):
    out = assert_refused(configtest, "NotImplMethods PUT -BREW\n",
                         "NotImplMethods")
    assert "PUT" in out and "BREW" in out


def test_an_unknown_format_is_refused(configtest):
    assert_refused(configtest, "NotImplFormat xml\n", "NotImplFormat", "xml")


def test_engine_takes_only_on_or_off(configtest):
    assert_refused(configtest, "NotImplEngine maybe\n", "NotImplEngine")


def test_register_is_refused_inside_a_virtual_host(configtest):
    assert_refused(configtest,
                   "<VirtualHost 127.0.0.1:@PORT@>\n"
                   "    ServerName a.test\n"
                   "    NotImplRegister PURGE\n"
                   "</VirtualHost>\n",
                   "NotImplRegister")


def test_register_is_refused_inside_a_directory_section(configtest):
    assert_refused(configtest,
                   "<Location />\n"
                   "    NotImplRegister PURGE\n"
                   "</Location>\n",
                   "NotImplRegister")


def test_transfer_codings_is_refused_inside_a_directory_section(configtest):
    assert_refused(configtest,
                   "<Location />\n"
                   "    NotImplTransferCodings Off\n"
                   "</Location>\n",
                   "NotImplTransferCodings")


def test_registering_a_built_in_method_is_harmless(configtest):
    assert_accepted(configtest, "NotImplRegister GET\n")


def test_a_word_that_is_a_valid_token_is_a_method_name(configtest):
    # `webdab` is not a group, but it is a valid token: a method name.
    assert_accepted(configtest, "NotImplMethods webdab\n")
    assert_accepted(configtest, "NotImplMethods +webdab\n")


def test_every_group_is_accepted(configtest):
    assert_accepted(configtest, "NotImplMethods unknown webdav deltav\n")
    assert_accepted(configtest, "NotImplMethods auto\n")
    assert_accepted(configtest, "NotImplMethods +webdav -deltav\n")


def test_a_config_using_every_directive_is_valid(configtest):
    assert_accepted(configtest, """
NotImplRegister PURGE
NotImplEngine On
NotImplMethods auto
NotImplMethods +PATCH -PURGE +TRACE
NotImplFormat problem
NotImplCacheControl "max-age=3600"
NotImplAlternative PATCH "Send the whole document with PUT."
NotImplAlternative BREW "Use POST /coffee"
NotImplTransferCodings On
<VirtualHost 127.0.0.1:@PORT@>
    ServerName api.test
    NotImplImplemented GET HEAD POST PUT DELETE OPTIONS
    NotImplFormat auto
    NotImplCacheControl none
    NotImplTransferCodings Off
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName legacy.test
    NotImplEngine Off
</VirtualHost>
<Location /api>
    NotImplMethods +PUT +DELETE
    NotImplFormat json
</Location>
""")


EXAMPLES = ["notimpl.conf", "httpd-snippet.conf"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_shipped_example_configs_are_valid(configtest, name):
    path = os.path.join(REPO, "conf-examples", name)
    if not os.path.exists(path):
        pytest.skip("conf-examples/%s is not in this tree" % name)
    with open(path) as f:
        assert_accepted(configtest, f.read())


# -- empty and quoted multi-word tokens (docs/directives.md "Configuration
# errors": an empty word or a quoted word holding a space, in any method list)

LIST_DIRECTIVES = ["NotImplMethods", "NotImplImplemented", "NotImplRegister"]

# (the words after the directive, the one word the message must quote or
# None): each line is refused whatever its other words are.
BAD_WORDS = [
    ('+BREW "" +PATCH', None),
    ('+BREW +PATCH ""', None),
    ('"" +BREW', None),
    ("+BREW '' +PATCH", None),
    ('"+BREW +PATCH"', "+BREW +PATCH"),
    ('+BREW "+PATCH +PUT"', "+PATCH +PUT"),
]


def unsigned(words):
    """The same words without signs: for the directives that take none."""
    return words.replace("+", "")


@pytest.mark.parametrize("words, quoted", BAD_WORDS,
                         ids=[w for w, _ in BAD_WORDS])
@pytest.mark.parametrize("directive", LIST_DIRECTIVES)
def test_an_empty_or_multi_word_token_in_a_method_list_is_refused(
        configtest, directive, words, quoted):
    if directive != "NotImplMethods":
        words = unsigned(words)
        quoted = quoted and unsigned(quoted)
    out = assert_refused(configtest, "%s %s\n" % (directive, words),
                         directive)
    if quoted:
        assert quoted in out, out


@pytest.mark.parametrize("directive", ["NotImplMethods",
                                       "NotImplImplemented"])
@pytest.mark.parametrize("section", ['<Directory "@DOCROOT@">',
                                     "<Location /api>"])
def test_an_empty_token_in_a_section_is_refused(configtest, directive,
                                                section):
    words = '+BREW "" +PATCH' if directive == "NotImplMethods" \
        else 'POST "" PUT'
    close = "</%s>" % section[1:].split()[0]
    assert_refused(configtest, "%s\n    %s %s\n%s\n"
                   % (section, directive, words, close), directive)


# -- a long list is read in full ------------------------------------------

def test_a_list_of_more_than_64_words_is_honoured_to_the_last_word(httpd):
    # httpd's TAKE_ARGV would keep 64 words; quoted single words count as
    # words too.  PATCH, registered with httpd, is 501 only by its +PATCH.
    words = " ".join('"+M%d"' % i if i % 2 else "+M%d" % i
                     for i in range(100))
    srv = httpd("NotImplMethods %s +PATCH\n"
                '<Location /api>\n'
                "    NotImplImplemented %s\n"
                "</Location>\n"
                % (words, " ".join("M%d" % i for i in range(99)) + " PUT"),
                files={"api/a.txt": "a\n"})
    doc = assert_notimpl(srv.request("PATCH", "/static.txt"), "PATCH")
    assert "implemented" not in doc, doc
    # The allowlist's last word, PUT, is implemented there: core's 405.
    assert srv.request("PUT", "/api/a.txt").status == 405
    doc = assert_notimpl(srv.request("DELETE", "/api/a.txt"), "DELETE")
    # ... and TRACE, which the server answers (TraceEnable on).
    assert {"GET", "HEAD", "PUT", "TRACE", "M0", "M98"} \
        <= set(doc["implemented"])
    assert len(doc["implemented"]) == 103, doc


# -- NotImplAlternative TEXT is UTF-8; invalid UTF-8 is a configuration
# error (docs/directives.md) -------------------------------------------------

INVALID_UTF8 = {
    "bad-continuation": b"caf\xc3\x28",
    "overlong-slash": b"\xc0\xaf",
    "overlong-3-byte": b"\xe0\x80\xaf",
    "lone-continuation": b"caf\xa9",
    "surrogate": b"\xed\xa0\x80",
    "truncated-at-end": b"caf\xc3",
    "truncated-4-byte": b"tea \xf0\x9f\x8d",
    "above-u10ffff": b"\xf4\x90\x80\x80",
    "ff-byte": b"\xff",
    "latin-1": b"Utilisez caf\xe9",
}


def alternative_file(text):
    """(configuration, files): NotImplAlternative in an Include'd file of
    exact bytes."""
    return ('Include "@DOCROOT@/conf/alt.conf"\n',
            {"conf/alt.conf": b'NotImplAlternative PATCH "' + text
                              + b'"\n'})


@pytest.mark.parametrize("name", sorted(INVALID_UTF8))
def test_invalid_utf8_in_an_alternative_is_refused(configtest, name):
    config, files = alternative_file(INVALID_UTF8[name])
    rc, out = configtest(config, files=files)
    assert rc != 0, out
    assert "NotImplAlternative" in out, out


@pytest.mark.parametrize("text", [
    "Utilisez café", "\u2615 \U0001f375", "\u00a0\u07ff\u0800\uffff",
    "\U00010000\U0010ffff", "\ue000\ufffd"])
def test_valid_utf8_in_an_alternative_is_accepted(configtest, text):
    config, files = alternative_file(text.encode("utf-8"))
    rc, out = configtest(config, files=files)
    assert rc == 0, out
    assert "Syntax OK" in out, out


# -- method tokens (RFC 9110 §5.6.2) and what each list may name; these
# were unit tests of the directive parser before it moved into the
# httpd side of the module -------------------------------------------------

def shown(raw):
    """raw as httpd's log shows it (ap_escape_errorlog_item): a backslash
    doubled, \\t and friends by name, any other byte that is not printable
    ASCII as \\xHH; each escaped once."""
    named = {9: "\\t", 10: "\\n", 13: "\\r", 11: "\\v", 8: "\\b",
             92: "\\\\"}
    return "".join(named.get(c) or (chr(c) if 0x20 <= c < 0x7f
                                    else "\\x%02x" % c) for c in raw)


def words_file(line):
    """(configuration, files): one directive line of exact bytes in an
    Include'd file."""
    return ('Include "@DOCROOT@/conf/words.conf"\n',
            {"conf/words.conf": line + b"\n"})


@pytest.mark.parametrize("token", ["BREW", "M-SEARCH", "get",
                                   "!#$%&'*+-.^_`|~09azAZ"])
def test_every_rfc9110_token_is_a_method_name(configtest, token):
    assert_accepted(configtest, "NotImplMethods %s\n" % token)
    assert_accepted(configtest, "NotImplMethods +%s\n" % token)
    assert_accepted(configtest, "NotImplImplemented %s\n" % token)


@pytest.mark.parametrize("word", [b'BR"W', b"(BREW)", b"BR\x80W",
                                  b"caf\xc3\xa9", b"BR\x01W", b"BR\x7fW"],
                         ids=["quote", "parentheses", "0x80", "utf-8",
                              "0x01", "0x7f"])
@pytest.mark.parametrize("directive", [b"NotImplMethods",
                                       b"NotImplImplemented"])
def test_a_word_that_is_no_token_is_refused(configtest, directive, word):
    config, files = words_file(directive + b" PATCH " + word)
    rc, out = configtest(config, files=files)
    assert rc != 0, out
    assert "Syntax error" in out, out
    assert "%s: '" % directive.decode() in out, out
    # The message quotes the word on one line, each byte that is not
    # printable ASCII escaped once, as httpd's error log does it.
    assert "'%s'" % shown(word) in out, out
    assert "\x01" not in out and "\x7f" not in out, out


def test_get_and_head_may_be_taken_out_of_a_list(configtest):
    # Meaningless, since they are never in one, but harmless.
    assert_accepted(configtest, "NotImplMethods -GET -HEAD +PATCH\n")


def test_get_in_an_unsigned_list_names_the_directive_and_the_rule(
        configtest):
    assert_refused(configtest, "NotImplMethods PATCH GET\n",
                   "NotImplMethods: GET cannot")
    assert_refused(configtest, "NotImplMethods PATCH +HEAD\n",
                   "NotImplMethods")


@pytest.mark.parametrize("directive", ["NotImplMethods",
                                       "NotImplImplemented"])
def test_a_list_without_a_word_is_refused(configtest, directive):
    assert_refused(configtest, "%s\n" % directive,
                   "%s: at least one method" % directive)


@pytest.mark.parametrize("group", ["auto", "unknown"])
def test_implemented_refuses_the_groups_auto_and_unknown(configtest, group):
    assert_refused(configtest, "NotImplImplemented POST %s\n" % group,
                   "NotImplImplemented", "'%s'" % group)


def test_implemented_may_name_the_webdav_and_deltav_groups(configtest):
    assert_accepted(configtest, "NotImplImplemented POST webdav deltav\n")


# A <Limit> section narrows what httpd's access directives apply to; the
# module's directives decide for every method, so inside one they would
# silently mean more than they say.
@pytest.mark.parametrize("line", [
    "NotImplMethods +PUT",
    "NotImplImplemented GET POST",
    "NotImplEngine ReportOnly",
    "NotImplFormat text",
    "NotImplCacheControl no-store",
    'NotImplAlternative PUT "Use POST."',
])
@pytest.mark.parametrize("section", ["Limit PUT", "LimitExcept GET"])
def test_a_directive_inside_limit_is_refused(configtest, line, section):
    directive = line.split()[0]
    assert_refused(configtest,
                   "<Location /api>\n"
                   "    <%s>\n"
                   "        %s\n"
                   "    </%s>\n"
                   "</Location>\n" % (section, line, section.split()[0]),
                   directive + " cannot occur within <Limit>")


# -- the module's own messages (issue: httpd's "takes two arguments", a
# suggestion of groups the directive refuses, doubled backslashes) -------

def message(configtest, line):
    """The one message line httpd prints for a configuration line of
    exact bytes (after "Syntax error on line 1 of ...:")."""
    config, files = words_file(line)
    rc, out = configtest(config, files=files)
    assert rc != 0, out
    lines = out.splitlines()
    at = [i for i, l in enumerate(lines) if "Syntax error on line 1 of" in l]
    assert at and at[0] + 1 < len(lines), out
    return lines[at[0] + 1]


@pytest.mark.parametrize("line, expected", [
    (b'NotImplAlternative PATCH ""',
     "NotImplAlternative: the text for 'PATCH' is empty: name the supported "
     "alternative"),
    (b"NotImplAlternative PATCH",
     "NotImplAlternative: no text after 'PATCH': name the supported "
     "alternative, in quotes"),
    (b"NotImplAlternative",
     'NotImplAlternative: a method and its alternative are required (e.g. '
     'NotImplAlternative PATCH "Send the whole document with PUT.")'),
    (b"NotImplAlternative PATCH Use PUT",
     "NotImplAlternative: 'PUT' follows the text for 'PATCH': quote a text "
     "that holds spaces"),
    (b'NotImplAlternative PATCH,PUT "Use POST."',
     "NotImplAlternative: 'PATCH,PUT' is not a method name (an RFC 9110 "
     "token such as PATCH): one NotImplAlternative line per method"),
], ids=["empty", "missing", "nothing", "unquoted", "comma"])
def test_alternative_says_what_is_wrong_with_its_text(configtest, line,
                                                      expected):
    assert message(configtest, line) == expected


@pytest.mark.parametrize("line, expected", [
    (b"NotImplImplemented GET,HEAD,POST",
     "NotImplImplemented: 'GET,HEAD,POST' is neither a method name (an RFC "
     "9110 token such as PATCH or BREW) nor a group (webdav or deltav): "
     "separate methods with spaces, not commas"),
    (b"NotImplImplemented GET P@ST",
     "NotImplImplemented: 'P@ST' is neither a method name (an RFC 9110 token "
     "such as PATCH or BREW) nor a group (webdav or deltav)"),
    (b"NotImplMethods +PATCH,+PUT",
     "NotImplMethods: '+PATCH,+PUT' is neither a method name (an RFC 9110 "
     "token such as PATCH or BREW) nor a group (unknown, webdav, deltav or "
     "auto): separate methods with spaces, not commas"),
    (b"NotImplRegister PURGE,BAN",
     "NotImplRegister: 'PURGE,BAN' is not a method name (an RFC 9110 token "
     "such as PURGE): separate methods with spaces, not commas"),
], ids=["implemented-commas", "implemented", "methods-commas",
        "register-commas"])
def test_a_bad_list_word_gets_advice_that_fits_the_directive(configtest, line,
                                                             expected):
    assert message(configtest, line) == expected


@pytest.mark.parametrize("line, expected", [
    (b'NotImplMethods "a\tb"',
     "NotImplMethods: 'a\\tb' holds white space: write one method or group "
     "per word"),
    (b"NotImplMethods BR\xffW",
     "NotImplMethods: 'BR\\xffW' is neither a method name (an RFC 9110 token "
     "such as PATCH or BREW) nor a group (unknown, webdav, deltav or auto)"),
    (b"NotImplImplemented GET BR\x01W",
     "NotImplImplemented: 'BR\\x01W' is neither a method name (an RFC 9110 "
     "token such as PATCH or BREW) nor a group (webdav or deltav)"),
    (b'NotImplAlternative PATCH "caf\xe9"',
     "NotImplAlternative: the text 'caf\\xe9' is not valid UTF-8"),
    (b'NotImplAlternative PATCH "a\x1bb"',
     "NotImplAlternative: the text 'a\\x1bb' contains a control character"),
    (b'NotImplCacheControl "a\x01b"',
     "NotImplCacheControl: 'a\\x01b' contains a control or non-ASCII byte"),
    (b'NotImplMethods "a\\\\b"',
     "NotImplMethods: 'a\\\\b' is neither a method name (an RFC 9110 token "
     "such as PATCH or BREW) nor a group (unknown, webdav, deltav or auto)"),
], ids=["tab", "ff", "0x01", "latin-1", "escape", "cache-control",
        "backslash"])
def test_each_bad_byte_is_shown_escaped_once(configtest, line, expected):
    got = message(configtest, line)
    assert got == expected


def test_a_bad_byte_in_htaccess_is_shown_escaped_once_too(httpd):
    srv = httpd('<Directory "@DOCROOT@/h">\n'
                "    AllowOverride Limit\n"
                "</Directory>\n",
                files={"h/.htaccess": b"NotImplMethods +BR\xffW\n",
                       "h/a.txt": "a\n"},
                expect_log=[r"\[core:alert\] .*/h/\.htaccess: NotImplMethods"])
    assert srv.request("GET", "/h/a.txt").status == 500
    lines = srv.wait_for_log(lambda lines: any(".htaccess:" in l
                                               for l in lines))
    [line] = [l for l in lines if ".htaccess:" in l]
    assert line.endswith(".htaccess: NotImplMethods: '+BR\\xffW' is neither "
                         "a method name (an RFC 9110 token such as PATCH or "
                         "BREW) nor a group (unknown, webdav, deltav or "
                         "auto)"), line


@pytest.mark.parametrize("line, expected", [
    (b'NotImplCacheControl ""',
     "NotImplCacheControl: empty value (use 'none' to send no "
     "Cache-Control)"),
    (b"NotImplCacheControl",
     "NotImplCacheControl: empty value (use 'none' to send no "
     "Cache-Control)"),
    (b"NotImplCacheControl max-age=60, must-revalidate",
     "NotImplCacheControl: 'must-revalidate' follows the value: quote a "
     "value that holds spaces"),
], ids=["empty", "missing", "unquoted"])
def test_cache_control_says_what_is_wrong_with_its_value(configtest, line,
                                                        expected):
    assert message(configtest, line) == expected


def test_a_quoted_cache_control_with_spaces_is_sent_as_written(httpd):
    srv = httpd('NotImplCacheControl "max-age=60, must-revalidate"\n')
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert r.headers.get_all("Cache-Control") == [
        "max-age=60, must-revalidate"], r
