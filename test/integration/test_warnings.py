# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Likely typos in a method list are accepted, as method names are
case-sensitive, with one warning naming the directive, file, line and
the likely intended token (docs/directives.md): on the terminal of a start
or configtest, in the ErrorLog once per start and graceful restart, and
for .htaccess in the ErrorLog once per file, line and token, not on every
request."""

import os
import re
import signal


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


def test_an_unsigned_typo_also_says_it_replaced_the_inherited_set(
        configtest):
    rc, out = configtest("NotImplMethods webdab\n")
    assert rc == 0, out
    [w] = typo_warnings(out)
    assert re.search(r"NI0010: NotImplMethods: 'webdab' \(\S+/httpd\.conf:"
                     r"\d+\) is taken as a method name; did you mean "
                     r"'webdav'\? The line has no \+ or - sign, so it also "
                     r"replaces the whole inherited set \(write \+webdav to "
                     r"add to it\)$", w), w


def test_a_signed_typo_does_not_speak_of_replacing(configtest):
    rc, out = configtest("NotImplMethods +webdab\n")
    [w] = typo_warnings(out)
    assert w.endswith("did you mean 'webdav'?"), w


def test_the_same_typo_in_many_sections_is_said_for_each_line(configtest):
    places = "".join("<Location /p%d>\n  NotImplMethods +webdab\n"
                     "</Location>\n" % i for i in range(3))
    rc, out = configtest(places)
    assert rc == 0, out
    w = typo_warnings(out)
    assert len(w) == 3, out
    assert len({re.search(r"httpd\.conf:(\d+)\)", l).group(1)
                for l in w}) == 3, w


def test_a_repeated_line_inside_limit_is_refused_all_the_same(configtest):
    rc, out = configtest("<VirtualHost *:80>\n  ServerName a.test\n"
                         "  NotImplMethods +PATCH\n</VirtualHost>\n"
                         "<Location /x>\n  <Limit POST>\n"
                         "    NotImplMethods +PATCH\n  </Limit>\n"
                         "</Location>\n")
    assert rc != 0, out
    assert "NotImplMethods" in out, out


# -- the ErrorLog --------------------------------------------------------

def generations(srv):
    return sum("resuming normal operations" in l for l in srv.log_lines())


def log_typos(srv):
    return [l for l in srv.log_lines() if "NI0010:" in l]


def test_a_typo_reaches_the_error_log_once_per_start_and_restart(httpd):
    srv = httpd("NotImplMethods +webdab\n", expect_log=[r"NI0010"])
    # Served, so the serving generation's post_config has run.
    assert srv.request("webdab", "/").status == 501
    [w] = log_typos(srv)
    assert "[notimpl:warn]" in w and "'webdab'" in w, w
    assert re.search(r"\(\S+/httpd\.conf:\d+\)", w), w
    # The terminal that started it heard it once too, before the log
    # was open.
    with open(os.path.join(srv.dir, "stderr.log")) as f:
        assert len(typo_warnings(f.read())) == 1
    before = generations(srv)
    os.kill(srv.proc.pid, signal.SIGUSR1)
    srv.wait_for_log(lambda lines: generations(srv) > before)
    assert generations(srv) == before + 1
    assert len(log_typos(srv)) == 2
    with open(os.path.join(srv.dir, "stderr.log")) as f:
        assert len(typo_warnings(f.read())) == 1


def test_a_typo_in_a_virtual_host_reaches_the_error_log(httpd):
    srv = httpd("<VirtualHost 127.0.0.1:@PORT@>\n"
                "    ServerName a.test\n"
                "    NotImplMethods -DeltaV\n"
                "</VirtualHost>\n", expect_log=[r"NI0010"])
    # httpd listens before the serving generation's post_config has run.
    srv.wait_for_log(lambda lines: log_typos(srv))
    [w] = log_typos(srv)
    assert "'DeltaV'" in w and "did you mean 'deltav'" in w, w


# One child process, so that "once per child" is once (mpm_event).
ONE_CHILD = """
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
<Directory "@DOCROOT@/h">
    AllowOverride Limit
</Directory>
"""


def test_the_same_typo_on_many_hosts_is_said_for_each_line(httpd):
    # Hosts share the checks of a line that passed them quietly: a line
    # that warned is checked, and warns, every time it appears.
    srv = httpd("".join("<VirtualHost 127.0.0.1:@PORT@>\n"
                        "    ServerName h%d.test\n"
                        "    NotImplMethods +webdab\n"
                        "</VirtualHost>\n" % i for i in range(3)),
                expect_log=[r"NI0010"])
    # Served, so the serving generation's post_config has run.
    assert srv.request("GET", "/").status == 200
    w = log_typos(srv)
    assert len(w) == 3, w
    assert len({re.search(r"httpd\.conf:(\d+)\)", l).group(1)
                for l in w}) == 3, w


def test_a_quiet_host_line_is_checked_again_after_a_registration(httpd):
    srv = httpd("<VirtualHost 127.0.0.1:@PORT@>\n    ServerName a.test\n"
                "    NotImplMethods +brew\n</VirtualHost>\n"
                "NotImplRegister BREW\n"
                "<VirtualHost 127.0.0.1:@PORT@>\n    ServerName b.test\n"
                "    NotImplMethods +brew\n</VirtualHost>\n",
                expect_log=[r"NI0010"])
    assert srv.request("GET", "/").status == 200
    [w] = log_typos(srv)
    assert "'brew'" in w and "did you mean 'BREW'" in w, w


def test_a_typo_in_htaccess_is_warned_once_not_per_request(httpd):
    srv = httpd(ONE_CHILD, expect_log=[r"NI0010"],
                files={"h/.htaccess": "NotImplMethods +PATCH +webdab\n"
                                      "NotImplImplemented GET POST Put\n",
                       "h/a.txt": "a\n"})
    for _ in range(30):
        assert srv.request("GET", "/h/a.txt").status == 200
    assert srv.request("webdab", "/h/a.txt").status == 501
    lines = srv.wait_for_log(lambda lines: len(log_typos(srv)) >= 2)
    typos = [l for l in lines if "NI0010:" in l]
    assert len(typos) == 2, typos
    assert re.search(r"NI0010: NotImplMethods: 'webdab' \(\S+/h/\.htaccess:1"
                     r"\) is taken as a method name; did you mean 'webdav'\?$",
                     typos[0]), typos
    assert re.search(r"NI0010: NotImplImplemented: 'Put' \(\S+/h/\.htaccess:"
                     r"2\) is taken as a method name; did you mean 'PUT'\?$",
                     typos[1]), typos


def test_a_changed_htaccess_warns_for_its_new_typo(httpd):
    srv = httpd(ONE_CHILD, expect_log=[r"NI0010"],
                files={"h/.htaccess": "NotImplMethods +webdab\n",
                       "h/a.txt": "a\n"})
    for _ in range(5):
        srv.request("GET", "/h/a.txt")
    with open(os.path.join(srv.docroot, "h/.htaccess"), "w") as f:
        f.write("NotImplMethods +PATCH\nNotImplMethods +deltab\n")
    for _ in range(5):
        srv.request("GET", "/h/a.txt")
    typos = srv.wait_for_log(lambda lines: len(log_typos(srv)) >= 2)
    typos = [l for l in typos if "NI0010:" in l]
    assert len(typos) == 2, typos
    assert "'webdab'" in typos[0] and "'deltab'" in typos[1], typos
    assert ".htaccess:2)" in typos[1], typos
