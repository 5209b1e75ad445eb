# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Instructions counted by callgrind: `apache2 -X` (one process, as root,
no User/Group) under valgrind, stopped with SIGTERM so that callgrind
writes its profile.  Per request: a run that answers the warm-up and then
N requests, minus the mean of two runs that answer only the warm-up, over
N: start-up and warm-up cancel out.
"""

import collections
import os
import re
import statistics
import subprocess

import servers

MODULE_OBJECT = "mod_notimpl.so"
PASS_ON = "(output filters after the module's)"
# One request of each kind is the warm-up: first-use costs are paid before.
WARMUP = [case[:2] for case in servers.CASES.values()]

Profile = collections.namedtuple("Profile", "total self_ir incl_ir into_module")


def parse(path):
    """Total Ir, self and inclusive Ir per (object, function), and httpd's
    calls into the module: {function entered: [calls, inclusive Ir]},
    without the output filters the module's filters pass the response on
    to (writing the response is httpd's cost either way)."""
    total = None
    self_ir, incl_ir = collections.Counter(), collections.Counter()
    into = collections.defaultdict(lambda: [0, 0])
    ob = fn = cob = cfn = None
    calls, in_call = 0, False
    with open(path, errors="replace") as f:
        for line in f:
            c = line[:1]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if not in_call:
                    self_ir[(ob, fn)] += cost
                    incl_ir[(ob, fn)] += cost
                    continue
                in_call = False   # this line is the inclusive cost of a call
                callee_ob = cob or ob
                caller_in = ob.endswith(MODULE_OBJECT)
                if callee_ob.endswith(MODULE_OBJECT) and not caller_in:
                    into[cfn][0] += calls
                    into[cfn][1] += cost
                elif caller_in and cfn == "ap_pass_brigade":
                    into[PASS_ON][0] += calls
                    into[PASS_ON][1] -= cost
                    cost = 0
                if (callee_ob, cfn) != (ob, fn):
                    incl_ir[(ob, fn)] += cost
                cob = None
            elif line.startswith("fn="):
                fn = re.sub(r"'\d+$", "", line[3:].strip())   # recursion depth
            elif line.startswith("cfn="):
                cfn = re.sub(r"'\d+$", "", line[4:].strip())
            elif line.startswith("ob="):
                ob = line[3:].strip()
            elif line.startswith("cob="):
                cob = line[4:].strip()
            elif line.startswith("calls="):
                in_call, calls = True, int(line[6:].split()[0])
            elif line.startswith("totals:"):
                total = int(line.split()[1])
    if total is None:
        raise RuntimeError("%s: no totals line (did httpd exit cleanly?)" % path)
    return Profile(total, self_ir, incl_ir, into)


def module_ir(profile):
    """Ir in the calls into the module, start-up ones included."""
    return sum(cost for _, cost in profile.into_module.values())


def _valgrind(cfg, label):
    outdir = os.path.join(cfg.dir, "callgrind")
    os.makedirs(outdir, exist_ok=True)
    out = os.path.join(outdir, label + ".out")
    return out, os.path.join(outdir, label + ".log"), [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
        "--compress-strings=no", "--compress-pos=no"]


def run(cfg, label, n=0, case=None, status=None, warmup=WARMUP):
    """One run: start, the warm-up requests, n requests of servers.CASES[case]
    (or a servers.BREW_VARIANTS one, or ("GET", url) for a GET of url) with
    `ab -c 1`, stop.  Returns the profile, after checking that every request
    reached the intended host and the measured ones got status."""
    host, accept = servers.BREW_VARIANTS.get(case, (None, None))
    out, log, wrapper = _valgrind(cfg, label)
    if os.path.exists(cfg.access_log):
        os.unlink(cfg.access_log)
    proc = servers.start(cfg, wrapper=wrapper, extra=("-X",), log=log)
    try:
        answers = [servers.wait_until_answers(cfg, proc, *warmup[0])]
        answers += [servers.one_request(cfg.port, m, u, cfg.host) for m, u in warmup[1:]]
        if answers[:2] != [200, 200][:len(answers)]:
            raise RuntimeError("%s: warm-up answered %s" % (label, answers))
        if n:
            method, url, keepalive = (case + (True,) if isinstance(case, tuple) else
                                      servers.CASES["brew" if host or accept else case][:3])
            servers.ab(cfg, url, method, keepalive, requests=n, concurrency=1,
                       host=host, accept=accept)
    finally:
        servers.stop(proc, timeout=300.0)
    if proc.returncode != 0:
        raise RuntimeError("%s: httpd under callgrind exited with %s (see %s)"
                           % (label, proc.returncode, log))
    lines = cfg.log_lines()
    wrong = [l for l in lines[:len(warmup)] if " %s " % cfg.host not in l] + [
        l for l in lines[len(warmup):] if " %s " % (host or cfg.host) not in l]
    codes = collections.Counter(l.split('"')[-1].split()[0] for l in lines[len(warmup):])
    if len(lines) != n + len(warmup) or wrong or (n and set(codes) != {status}):
        raise RuntimeError("%s: %d requests logged, %d expected, %d for another host, "
                           "answered %s, expected %s (%s)" % (
                               label, len(lines), n + len(warmup), len(wrong),
                               dict(codes), status, cfg.access_log))
    return parse(out)


def configtest(cfg, label="configtest"):
    """`apache2 -t`: reading the configuration, without post_config."""
    out, log, wrapper = _valgrind(cfg, label)
    with open(log, "wb") as f:
        if subprocess.run(wrapper + cfg.command("-t"), stdout=f,
                          stderr=subprocess.STDOUT).returncode:
            raise RuntimeError("%s: apache2 -t under callgrind failed (see %s)" % (label, log))
    return parse(out)


class PerRequest:
    """A run with n requests against the two without: Ir per request, its
    noise (the two empty runs' difference over n), Ir inside the module."""

    def __init__(self, run, bases, n):
        self.run, self.bases, self.n = run, bases, n
        self.ir = (run.total - statistics.fmean(b.total for b in bases)) / n
        self.noise = abs(bases[0].total - bases[-1].total) / n
        # Only module functions the measured requests called (at least n/2
        # more calls than without them): start-up ones (directives, policy
        # compilation) run as often either way and would add only noise.
        total = 0.0
        for fn, (calls, cost) in run.into_module.items():
            base = [b.into_module.get(fn, (0, 0)) for b in bases]
            if calls - statistics.fmean(c for c, _ in base) >= n / 2:
                total += cost - statistics.fmean(c for _, c in base)
        self.module_ir = total / n

    def functions(self, inclusive=False):
        """{(object, function): self or inclusive Ir per request, if >= 0.05}."""
        field = "incl_ir" if inclusive else "self_ir"
        run, bases = getattr(self.run, field), [getattr(b, field) for b in self.bases]
        diff = {k: (run.get(k, 0) - statistics.fmean(b.get(k, 0) for b in bases)) / self.n
                for k in set(run).union(*bases)}
        return {k: d for k, d in diff.items() if abs(d) >= 0.05}
