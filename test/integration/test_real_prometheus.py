# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A real Prometheus over a fleet of two httpd nodes (docs/observability.md):
Debian's prometheus, on loopback, scrapes both
nodes' /notimpl-status?format=prometheus every second as two targets of
one job and evaluates conf-examples/notimpl.rules.yml every second.

Both nodes run the package's configuration (ReportOnly).  On node A a
backend behind ProxyPass answers PROPFIND 207: a would-refuse request that
was served, which switching On would break.  On node B PROPFIND and
PURGE reach a static file and are refused by httpd itself (405, 501); on
A PURGE is refused by the backend (405).  Through Prometheus' HTTP API the
test sees the recording rules sum the two nodes into one series per job
(PURGE, refused on both, is one series), and the alert
NotImplRefusalWouldBreakApplication become pending or firing for PROPFIND,
never for PURGE.  Every wait is a
poll with a deadline."""

import contextlib
import json
import os
import re
import shutil
import time
import urllib.parse
import urllib.request

import pytest

from harness import (REPO, STOCK_501_LOG, BackendHandler, free_port,
                     loopback_backend, loopback_daemon)

PACKAGE_CONF = os.path.join(REPO, "conf-examples", "notimpl.conf")
RULES = os.path.join(REPO, "conf-examples", "notimpl.rules.yml")
PROMETHEUS = "/usr/bin/prometheus"
ALERT = "NotImplRefusalWouldBreakApplication"
JOB = "notimpl"
# Scrapes and evaluations are every second; a few of each are enough.
DEADLINE = 60.0

STATUS = """Include "%s"
<Location "/notimpl-status">
    SetHandler notimpl-status
    Require ip 127.0.0.1
</Location>
""" % PACKAGE_CONF

PROMETHEUS_YML = """global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - %(rules)s
scrape_configs:
  - job_name: %(job)s
    metrics_path: /notimpl-status
    params:
      format: [prometheus]
    static_configs:
      - targets: ["127.0.0.1:%(a)d", "127.0.0.1:%(b)d"]
"""


class _DAVBackend(BackendHandler):
    """The application behind node A: PROPFIND is its own (207), PURGE it
    refuses (405)."""

    answers = {"PROPFIND": 207, "PURGE": 405}


def api(port, path, **params):
    url = "http://127.0.0.1:%d/api/v1/%s" % (port, path)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as resp:
        doc = json.loads(resp.read().decode("utf-8"))
    assert doc["status"] == "success", doc
    return doc["data"]


@pytest.fixture
def prometheus(tmp_path):
    """Factory: prometheus(port_a, port_b) starts Debian's prometheus
    scraping both nodes; returns its port.  Stopped by pid with the test."""
    if not os.path.exists(PROMETHEUS):
        pytest.fail("prometheus is not installed (./run test installs it)",
                    pytrace=False)
    # The rules file as shipped, from a copy beside the configuration:
    # prometheus resolves rule_files relative to it.
    shutil.copy(RULES, tmp_path / "notimpl.rules.yml")
    stack = contextlib.ExitStack()

    def start(a, b):
        port = free_port()
        conf = tmp_path / "prometheus.yml"
        conf.write_text(PROMETHEUS_YML % {"rules": "notimpl.rules.yml",
                                          "job": JOB, "a": a, "b": b})
        stack.enter_context(loopback_daemon(
            [PROMETHEUS, "--config.file=%s" % conf,
             "--storage.tsdb.path=%s" % (tmp_path / "data"),
             "--web.listen-address=127.0.0.1:%d" % port],
            port, str(tmp_path / "prometheus.log"), cwd=str(tmp_path)))
        return port

    with stack:
        yield start


def poll(what, fetch, done, traffic, deadline=DEADLINE):
    """Sends traffic and fetches until done(fetched) holds; returns what
    was fetched, or fails naming what did not happen within the deadline
    and what was last seen."""
    end = time.monotonic() + deadline
    while True:
        traffic()
        last = fetch()
        if done(last):
            return last
        if time.monotonic() > end:
            pytest.fail("%s within %ss; last seen: %r" % (what, deadline,
                                                          last),
                        pytrace=False)
        time.sleep(0.25)


def no_traffic():
    pass


def rules_by_type(port):
    rules = [r for g in api(port, "rules")["groups"] for r in g["rules"]]
    return ([r for r in rules if r["type"] == "recording"],
            [r for r in rules if r["type"] == "alerting"])


def positive(series):
    return [s for s in series if float(s["value"][1]) > 0]


def both_nodes_in(rule, series):
    """Whether a recording rule's result holds both nodes' would-refuse
    traffic (PROPFIND served on A and refused on B, PURGE refused on
    both), as far as the rule keeps the outcome: a rule of served requests
    only has PROPFIND; one of refused requests PROPFIND (B) and PURGE; one
    by outcome the three pairs; one without it both names."""
    got = positive(series)
    if 'outcome="served"' in rule["query"]:
        return {s["metric"].get("method") for s in got} == {"PROPFIND"}
    if 'outcome="refused"' in rule["query"]:
        return {s["metric"].get("method") for s in got} == {"PROPFIND",
                                                            "PURGE"}
    if any("outcome" in s["metric"] for s in series):
        return sorted((s["metric"].get("method"), s["metric"].get("outcome"))
                      for s in got) == [("PROPFIND", "refused"),
                                        ("PROPFIND", "served"),
                                        ("PURGE", "refused")]
    return sorted(s["metric"].get("method") for s in got) == ["PROPFIND",
                                                              "PURGE"]


def test_prometheus_aggregates_two_nodes_and_alerts_on_served_refusals(
        httpd, prometheus):
    with loopback_backend(_DAVBackend) as backend:
        node_a = httpd(STATUS + 'ProxyPass "/app/" "http://127.0.0.1:%d/"\n'
                       % backend.server_address[1],
                       modules=["proxy", "proxy_http", "authz_host"])
        node_b = httpd(STATUS, modules=["authz_host"])
        node_b.expect_log(STOCK_501_LOG)
        port = prometheus(node_a.port, node_b.port)
        a, b = "127.0.0.1:%d" % node_a.port, "127.0.0.1:%d" % node_b.port

        def traffic():
            r = node_a.request("PROPFIND", "/app/calendars/",
                               headers={"Depth": "0"})
            assert r.status == 207, r
            assert node_a.request("PURGE", "/app/cache/").status == 405
            assert node_b.request("PROPFIND", "/static.txt").status == 405
            assert node_b.request("PURGE", "/static.txt").status == 501

        traffic()
        # What Prometheus will scrape: the would-refuse counts by outcome.
        r = node_a.request("GET", "/notimpl-status?format=prometheus")
        assert re.search(r'^notimpl_would_refuse_requests_total\{(?=[^}]*'
                         r'method="PROPFIND")(?=[^}]*outcome="served")[^}]*'
                         r'\} 1$', r.text, re.M), r.text

        # Prometheus loaded the shipped rules, the alert among them.
        recording, alerting = poll("prometheus loading notimpl.rules.yml",
                                   lambda: rules_by_type(port),
                                   lambda rules: rules[0] and rules[1],
                                   no_traffic)
        assert ALERT in {r["name"] for r in alerting}, alerting
        over_would_refuse = [r for r in recording if
                             "notimpl_would_refuse_requests_total"
                             in r["query"]]
        assert over_would_refuse, recording

        # Both nodes are scraped as targets of the one job.
        poll("both nodes scraped",
             lambda: sorted((t["labels"]["instance"], t["health"])
                            for t in api(port, "targets")["activeTargets"]
                            if t["labels"]["job"] == JOB),
             lambda up: up == sorted([(a, "up"), (b, "up")]), traffic)

        # The would-refuse counts, per node and outcome: PROPFIND served
        # on A only, refused on B only; PURGE refused on both.
        poll("the would-refuse series of both nodes",
             lambda: sorted((s["metric"]["instance"], s["metric"]["method"],
                             s["metric"].get("outcome"))
                            for s in positive(api(
                                port, "query",
                                query="notimpl_would_refuse_requests_total")
                                ["result"])),
             lambda got: got == sorted([(a, "PROPFIND", "served"),
                                        (a, "PURGE", "refused"),
                                        (b, "PROPFIND", "refused"),
                                        (b, "PURGE", "refused")]), traffic)

        # Every recording rule over them sums the nodes into the job's
        # series (no instance label) and sees both nodes' traffic: what
        # it keeps of each outcome is what A and B did together.
        def recorded_now():
            return {rule["name"]: api(port, "query",
                                      query=rule["name"])["result"]
                    for rule in over_would_refuse}
        recorded = poll("the recording rules over both nodes", recorded_now,
                        lambda rec: all(both_nodes_in(rule, rec[rule["name"]])
                                        for rule in over_would_refuse),
                        traffic)
        for name, series in recorded.items():
            for s in series:
                assert "instance" not in s["metric"], (name, s)
                assert s["metric"]["job"] == JOB, (name, s)

        # The alert: refusing PROPFIND would break the application on A;
        # PURGE, refused wherever it went, raises none.
        alerts = poll(
            "%s pending or firing" % ALERT,
            lambda: [al for al in api(port, "alerts")["alerts"]
                     if al["labels"]["alertname"] == ALERT],
            lambda mine: any(al["state"] in ("pending", "firing")
                             for al in mine), traffic)
        print("%s as the API returned it:\n%s"
              % (ALERT, json.dumps(alerts, indent=1)))
        for al in alerts:
            assert al["labels"].get("method", "PROPFIND") == "PROPFIND", al
            assert al["labels"].get("job", JOB) == JOB, al
            assert "instance" not in al["labels"] \
                or al["labels"]["instance"] == a, al
        assert any(al["labels"].get("method") == "PROPFIND"
                   for al in alerts), alerts
