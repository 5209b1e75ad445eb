# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Fixtures for the real-httpd tests: `httpd` starts a configured server,
`configtest` runs `httpd -t` on a configuration.  Every server is stopped
by its pid when the test ends, pass or fail, and its error log must then
hold no unexpected line at warn or above.

A case that needs a module (or MPM) the server under test has neither
compiled in nor in its modules directory is skipped, and the skip reason
names the module: `pytest -ra` lists them."""

import pytest

from harness import ModuleMissing, Server, settings


def pytest_report_header(config):
    s = settings()
    return "httpd under test: %s (modules %s, apxs %s)" % (
        s["httpd"], s["modules_dir"], s["apxs"])


def _skip_missing(func, *args):
    try:
        return func(*args)
    except ModuleMissing as e:
        pytest.skip("the httpd under test lacks %s" % e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def httpd(request):
    """Factory: httpd(config, modules=(), files={}, notimpl=True,
    mpm="event", expect_log=()) -> a started Server.

    config is the case's part of httpd.conf (@DOCROOT@, @DIR@ and @PORT@
    are substituted); modules are extra module names to load (e.g. "dav");
    files maps paths under the document root to their content; expect_log
    lists regexes of warn-or-above lines this case is expected to log."""
    servers = []

    def start(config="", **kwargs):
        srv = Server(config, **kwargs)
        servers.append(srv)
        return _skip_missing(srv.start)

    yield start

    failed = getattr(request.node, "rep_call", None)
    failed = failed is not None and failed.failed
    problems = []
    for srv in servers:
        srv.stop()
        if failed:
            print("---- %s (error log) ----\n%s" % (srv.dir, srv.read_log()))
        bad = srv.unexpected_log_lines()
        if bad:
            problems.append("%s:\n  %s" % (srv.error_log, "\n  ".join(bad)))
        srv.cleanup()
    if problems and not failed:
        pytest.fail("unexpected lines at warn or above in the error log:\n"
                    + "\n".join(problems), pytrace=False)


@pytest.fixture
def configtest():
    """configtest(config, modules=(), notimpl=True, extra=()) -> (exit code,
    output) of `httpd -t` (plus extra arguments) on a full configuration
    around config."""
    servers = []

    def check(config, extra=(), **kwargs):
        srv = Server(config, **kwargs)
        servers.append(srv)
        return _skip_missing(lambda: srv.configtest(*extra))

    yield check
    for srv in servers:
        srv.cleanup()
