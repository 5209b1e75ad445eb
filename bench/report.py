# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The figures: mod_notimpl against stock httpd 2.4 measured in one run,
each next to its reference with the ratio; a table on the terminal and,
for a full run, bench/results.md.  Run through bench/run.
"""

import argparse
import collections
import concurrent.futures
import datetime
import functools
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time

import callgrind
import servers

PARTS = ("instructions", "startup", "throughput", "memory")
FULL = dict(n=5000, runs=7, seconds=3, block=50000, blocks=20, pool=20, wall=3)
QUICK = dict(n=300, runs=2, seconds=1, block=2000, blocks=4, pool=5, wall=1)
STARTUP_HOSTS = (1000, 10000)
S_IR = "Instructions per request (callgrind Ir)"
S_SCALE = "Scale: name-based virtual hosts, each with its own policy"
S_START = "Start-up: virtual hosts without NotImpl directives of their own (callgrind Ir)"
S_FMT = "501 for BREW in every format, against a bare 501 (callgrind Ir)"
S_HOSTS = "Start-up: virtual hosts each with a one-line policy of its own"
S_HT = ".htaccess with N NotImpl lines (callgrind Ir per GET)"
S_MEM = "Memory"
HOST_POLICIES = ("NotImplMethods +PATCH", "NotImplImplemented GET HEAD POST")
MODULE_IR_501 = 1200       # Ir inside the module per 501, at most
HTACCESS_RATIO = 6         # Ir per GET, 4,000 .htaccess lines over 1,000, at most
FLOOR_LINE = "BenchFloorLine +PATCH"   # hook_floor.c's directive that does nothing
HOST_BYTES = 256           # configuration bytes per such host over stock's, at most

# The per-request figures: servers.CASES case measured with kinds[0] (the
# reference) and kinds[1] at hosts[0] and hosts[1] virtual hosts; value:
# the callgrind.PerRequest attribute compared; names head a profile's columns.
Fig = collections.namedtuple("Fig", "section figure case kinds hosts target names value",
                             defaults=(("stock", "module"), (1, 1), None, None, "ir"))
SIX = ".htaccess in all six directories"
FIGURES = [
    Fig(S_IR, "GET, no .htaccess (keep-alive)", "get-plain", target=1.005),
    Fig(S_IR, "GET, %s (keep-alive)" % SIX, "get-htaccess", target=1.005),
] + [f for case, what in (("get-plain", "no .htaccess"), ("get-htaccess", SIX)) for f in (
    # What httpd charges any module with these hooks and configuration
    # slots: bench/hook_floor.c, which does nothing.
    Fig(S_IR, "GET, %s: a module that does nothing from the same hooks "
        "(bench/hook_floor.c) vs stock" % what, case, ("stock", "floor"),
        names=("stock", "module")),
    Fig(S_IR, "GET, %s: module vs that do-nothing module" % what, case, ("floor", "module"),
        names=("do-nothing module", "module")))] + [
    Fig(S_IR, "501 for BREW vs stock early 501 (HttpProtocolOptions RegisteredMethods)",
        "brew", ("early", "module"), target=1.20, names=("early 501", "module")),
    Fig(S_IR, "501 for BREW: a bare 501 from post_read_request (bench/hook_floor.c) vs "
        "stock early 501", "brew", ("early", "floor"), names=("early 501", "module")),
    Fig(S_IR, "501 for BREW: module vs that bare 501", "brew", ("floor", "module"),
        names=("bare 501", "module")),
    Fig(S_IR, "501 for BREW, six-deep .htaccess tree, vs stock late 501", "brew",
        target=0.45),
    Fig(S_IR, "PATCH, +PATCH in the deepest .htaccess: 501 vs stock 405", "patch"),
] + [f for v in (100, 1000) for f in (
    Fig(S_SCALE, "GET at %d hosts" % v, "get-plain", hosts=(v, v)),
    Fig(S_SCALE, "501 for BREW at %d hosts vs stock late 501" % v, "brew", hosts=(v, v)))
] + [Fig(S_SCALE, "Ir inside the module per %s: 1000 hosts vs 1" % what, case,
         ("module", "module"), (1, 1000), 1.01, ("1 host", "1000 hosts"), "module_ir")
     for case, what in (("get-plain", "GET"), ("brew", "501 (BREW)"))] + [
    # Each format, negotiated (Accept names its media type, `NotImplFormat
    # auto`) and fixed (a host with NotImplFormat), against the same
    # request answered by a bare 501 from post_read_request.
    Fig(S_FMT, "501 for BREW, %s %s: module vs a bare 501 (bench/hook_floor.c)"
        % (label.split("-")[1], label.split("-")[2]), label, ("floor", "module"),
        target=1.03, names=("bare 501", "module"))
    for label in servers.BREW_VARIANTS] + [
    Fig(S_HT, "GET, {:,} NotImpl lines in one .htaccess".format(v), "lines-%d" % v)
    for v in servers.HTACCESS_SIZES]

FLOOR = ": module vs a module that does nothing (bench/hook_floor.c)"
POOL_FIGURES = [   # request-pool bytes per ...: (what, reference kind, case, target)
    ("501 (BREW): module vs stock late 501", "stock", "brew", None),
    ("501 (BREW): module vs stock early 501", "early", "brew", None),
    ("GET, no .htaccess", "stock", "get-plain", None),
    ("GET, six .htaccess", "stock", "get-htaccess", None),
    ("GET, no .htaccess" + FLOOR, "floor", "get-plain", 1),
    ("GET, six .htaccess" + FLOOR, "floor", "get-htaccess", 1),
    ("PATCH, +PATCH in the deepest .htaccess: 501 vs stock 405", "stock", "patch", None)]


def num(x, signed=False):
    if x is None or isinstance(x, str):
        return "n/a" if x is None else x
    text = "{:,.0f}".format(x) if abs(x) >= 100 or float(x).is_integer() \
        else "{:,.2f}".format(x)
    return "+" + text if signed and x > 0 else text


def request_of(label):
    """callgrind.run's case for a figure's label, and the status expected."""
    if label.startswith("lines-"):
        return ("GET", servers.lines_url(int(label[6:]))), "200"
    return label, servers.CASES["brew" if label in servers.BREW_VARIANTS else label][3]


class Bench:
    def __init__(self, args):
        self.args, self.plan = args, QUICK if args.quick else FULL
        self.rows, self.profiles, self.notes = [], [], []   # rows: (section, verdict, cells)

    def config(self, name, kind, **kw):
        so = {"module": self.args.module, "floor": self.args.floor}.get(kind)
        return servers.Config(self.args.work, self.www, name, kind, so=so, **kw)

    def section(self, title):
        print("\n== %s  (%.0f s)" % (title, time.monotonic() - self.t0), flush=True)

    def row(self, section, figure, ref, value, target=None, note="", profile=None,
            verdict=None):
        """A figure next to its reference.  target: the highest ratio that
        passes, or a rule in words whose verdict the caller gives."""
        ratio = None
        if not isinstance(target, str):
            ratio = value / ref if not isinstance(value, str) and ref else None
            if target is not None and ratio is not None:
                verdict = "PASS" if ratio <= target else "MISS"
            target = "" if target is None else "<= %g" % target
        self.rows.append((section, verdict, [
            figure, num(ref), num(value), "" if ratio is None else "%.3f" % ratio, target,
            "**MISS**" if verdict == "MISS" else verdict or "", note]))
        if verdict == "MISS" and profile:
            self.profiles.append(profile_text(figure, *profile))
        return verdict

    def medians(self, section, figure, ref, values, note=""):
        self.row(section, figure, statistics.median(ref), statistics.median(values), note=note)

    def callgrind_jobs(self, jobs):
        """{key + (label,): fn()} for {key: [(label, fn)]}: a key's runs in turn
        (they share a port and logs), two keys at a time (counts do not
        depend on the CPU time a run gets); a failed run is retried once."""
        def one(item):
            key, runs = item
            done = {}
            for label, fn in runs:
                try:
                    done[key + (label,)] = fn()
                except RuntimeError as e:
                    print("   (retrying %s %s after: %s)"
                          % (key, label, str(e).splitlines()[0]), flush=True)
                    done[key + (label,)] = fn()
            return done
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            return {k: v for done in pool.map(one, jobs.items()) for k, v in done.items()}

    def run(self):
        self.t0 = time.monotonic()
        shutil.rmtree(self.args.work, ignore_errors=True)
        os.makedirs(self.args.work)
        self.www = servers.write_trees(self.args.work)
        self.machine = machine_info(self.args.origin)
        print("mod_notimpl benchmark (%s; %s)" % ("quick" if self.args.quick else "full",
                                                   ", ".join(self.args.parts)))
        print("".join("   %-10s %s\n" % kv for kv in self.machine), end="")
        for part in self.args.parts:
            getattr(self, part)()
        elapsed = time.monotonic() - self.t0
        print(tables(self.rows) + "\n\n" + verdicts(self.rows))
        print("".join("\nNote: %s" % n for n in self.notes))
        print("".join("\n" + p + "\n" for p in self.profiles), end="")
        print("\nTotal time %.0f s." % elapsed)
        if self.args.results:
            write_markdown(self.args.results, self, elapsed)
            print("Wrote %s." % self.args.results)

    # ---------------------------------------------------------- instructions

    def instructions(self):
        n = self.plan["n"]
        self.section("Instructions per request: apache2 -X under callgrind, "
                     "%d requests minus none" % n)
        cases = collections.defaultdict(set)   # (kind, hosts) -> the cases measured
        for f in FIGURES:
            for kind, v in zip(f.kinds, f.hosts):
                cases[(kind, v)].add(f.case)
        # A GET through thousands of .htaccess lines costs millions of Ir:
        # fewer of them measure it as well.
        n_of = {l: max(4, n // 250) if l.startswith("lines-") else n
                for ls in cases.values() for l in ls}
        jobs = {}
        for (kind, v), measured in cases.items():
            cfg = self.config("cg-%s-%d" % (kind, v), kind, vhosts=v, callgrind=True,
                              format_hosts=v == 1)
            cfg.configtest()
            jobs[(kind, v)] = [(l, functools.partial(callgrind.run, cfg, l))
                               for l in ("empty-a", "empty-b")]
            for l in sorted(measured):
                case, status = request_of(l)
                jobs[(kind, v)].append((l, functools.partial(
                    callgrind.run, cfg, l, n_of[l], case,
                    "405" if (kind, l) == ("stock", "patch") else status)))
        cg = self.callgrind_jobs(jobs)

        def pr(kind, v, label):
            return callgrind.PerRequest(cg[(kind, v, label)], [
                cg[(kind, v, e)] for e in ("empty-a", "empty-b")], n_of.get(label, n))
        for f in FIGURES:
            ref, mod = (pr(k, v, f.case) for k, v in zip(f.kinds, f.hosts))
            note = "+/- %s" % num(max(ref.noise, mod.noise)) if f.value == "ir" else ""
            self.row(f.section, f.figure, getattr(ref, f.value), getattr(mod, f.value),
                     f.target, note, (ref, mod) + (f.names or f.kinds))
        get, brew = pr("module", 1, "get-plain"), pr("module", 1, "brew")
        self.row(S_IR, "Ir inside the module per GET / per 501 (BREW)", None,
                 "%s / %s" % (num(get.module_ir), num(brew.module_ir)))
        for label in ["brew"] + list(servers.BREW_VARIANTS):
            ir = pr("module", 1, label).module_ir
            self.row(S_FMT, "Ir inside the module per 501 for BREW, %s" % (
                     "Accept: */* (JSON)" if label == "brew" else " ".join(label.split("-")[1:])),
                     None, ir, "<= %s" % num(MODULE_IR_501),
                     verdict="PASS" if ir <= MODULE_IR_501 else "MISS")
        lo, hi = (pr("module", 1, "lines-%d" % v).ir for v in servers.HTACCESS_SIZES[-2:])
        self.row(S_HT, "GET: %s lines vs %s lines (module; 4 times the lines)" % tuple(
            num(v) for v in servers.HTACCESS_SIZES[:-3:-1]), lo, hi, HTACCESS_RATIO)
        s1, s1000 = pr("stock", 1, "get-plain"), pr("stock", 1000, "get-plain")
        added1000 = pr("module", 1000, "get-plain").ir - s1000.ir
        self.row(S_SCALE, "added Ir per GET (module - stock): 1 host / 1000 hosts",
                 None, "%s / %s" % (num(get.ir - s1.ir, True), num(added1000, True)),
                 note="see notes: host-name matching")
        self.notes.append("Host-name matching at 1000 hosts: about %s Ir per request; "
                          "module - stock at 1000 hosts: %s Ir (README.md: why it moves)."
                          % (num(s1000.ir - s1.ir), num(added1000, True)))
        for v in (1, 100, 1000):
            st, mo = [statistics.fmean(cg[(k, v, e)].total for e in ("empty-a", "empty-b"))
                      for k in ("stock", "module")]
            self.row(S_SCALE, "start-up + %d warm-up requests + stop, %d host(s) "
                     "(Ir)" % (len(callgrind.WARMUP), v), st, mo)

    # --------------------------------------------------------------- startup

    def startup(self):
        self.section("Start-up at %s hosts without NotImpl directives of their "
                     "own: callgrind Ir" % " and ".join(map(str, STARTUP_HOSTS)))
        jobs = {}
        for v in STARTUP_HOSTS:
            for kind in ("stock", "module"):
                cfg = self.config("start-%s-%d" % (kind, v), kind, vhosts=v,
                                  vhost_policy=False, callgrind=True)
                # `apache2 -X` started (both configuration passes and
                # post_config), one GET / answered, stopped; `apache2 -t`.
                jobs[(kind, v)] = [("X", functools.partial(callgrind.run, cfg, "startup",
                                                           warmup=[("GET", "/")])),
                                   ("t", functools.partial(callgrind.configtest, cfg))]
            # Every host with a one-line policy of its own, and stock with
            # the same hosts without it: start, the 4 warm-up requests, stop.
            for i, line in enumerate((None,) + HOST_POLICIES + (FLOOR_LINE,)):
                kind = "stock" if not line else "floor" if line == FLOOR_LINE else "module"
                cfg = self.config("hosts-%d-%d" % (i, v), kind, vhosts=v, callgrind=True,
                                  host_lines=[line] if line else [])
                jobs[("hosts", i, v)] = [("X", functools.partial(callgrind.run, cfg,
                                                                 "startup"))]
        cg = self.callgrind_jobs(jobs)
        floor_i = len(HOST_POLICIES) + 1
        for v in STARTUP_HOSTS:
            st, fl = cg[("hosts", 0, v, "X")], cg[("hosts", floor_i, v, "X")]
            self.row(S_HOSTS, "start-up + %d requests + stop, %s hosts each with a do-nothing "
                     "one-line directive (bench/hook_floor.c: httpd's cost of any such "
                     "line) (Ir)" % (len(callgrind.WARMUP), num(v)), st.total, fl.total)
            for i, line in enumerate(HOST_POLICIES, 1):
                st, mo = cg[("hosts", 0, v, "X")], cg[("hosts", i, v, "X")]
                self.row(S_HOSTS, "start-up + %d requests + stop, %s hosts each with `%s` "
                         "(Ir)" % (len(callgrind.WARMUP), num(v), line), st.total, mo.total,
                         note="module's own Ir: %s (%s per host); httpd's own floor for "
                         "any one-line directive per host: %.3f of stock" % (
                             num(callgrind.module_ir(mo)), num(callgrind.module_ir(mo) / v),
                             fl.total / st.total))
                self.row(S_HOSTS, "  the same against the do-nothing one-line directive "
                         "(Ir)", fl.total, mo.total, 1.05)
        self.notes.append(
            "Start-up with a one-line policy per host: httpd itself spends %s of stock "
            "on reading, dispatching and merging any one-line directive per host "
            "(bench/hook_floor.c's BenchFloorLine, at %s hosts), above 1.05: no module "
            "can hold a host's line to 1.05 of stock, so the <= 1.05 target applies to "
            "what the module adds to httpd's own cost of the line, the rows \"against "
            "the do-nothing one-line directive\"."
            % (" / ".join("%.3f" % (cg[("hosts", floor_i, v, "X")].total
                                    / cg[("hosts", 0, v, "X")].total)
                          for v in STARTUP_HOSTS),
               " / ".join(num(v) for v in STARTUP_HOSTS)))
        self.host_memory()
        for v in STARTUP_HOSTS:
            for label, figure, target in (
                    ("X", "apache2 -X: start, answer one GET, stop; %s hosts", 1.05),
                    ("t", "apache2 -t (configuration read once, no post_config); "
                     "%s hosts", None)):
                st, mo = cg[("stock", v, label)], cg[("module", v, label)]
                self.row(S_START, figure % num(v), st.total, mo.total, target,
                         note="module's own Ir: %s" % num(callgrind.module_ir(mo)))

    def host_memory(self):
        """Parent RSS (mpm_event) at 1 and at the most hosts, each with a
        one-line policy, against stock with the same hosts: bytes per host."""
        many = STARTUP_HOSTS[-1]
        rss = collections.defaultdict(list)
        lines = (None,) + HOST_POLICIES + (FLOOR_LINE,)
        cfgs = {(i, v): self.config("mem-%d-%d" % (i, v), "stock" if not line else "floor"
                                    if line == FLOOR_LINE else "module",
                                    vhosts=v, host_lines=[line] if line else [])
                for i, line in enumerate(lines) for v in (1, many)}
        for _ in range(self.plan["wall"]):
            for key, cfg in cfgs.items():
                rss[key].append(servers.start_to_answer(cfg)[2])
        per = {i: (statistics.median(rss[(i, many)]) - statistics.median(rss[(i, 1)]))
               * 1024 / (many - 1) for i in range(len(lines))}
        self.row(S_HOSTS, "configuration memory per host with a do-nothing one-line "
                 "directive (bench/hook_floor.c; parent RSS, bytes; 1 to %s hosts)"
                 % num(many), per[0], per[len(lines) - 1],
                 note="httpd's own: %s bytes per host" % num(per[len(lines) - 1] - per[0]))
        for i, line in enumerate(HOST_POLICIES, 1):
            self.row(S_HOSTS, "configuration memory per host with `%s` (parent RSS, "
                     "bytes; 1 to %s hosts)" % (line, num(many)), per[0], per[i],
                     "<= stock + %d" % HOST_BYTES, note="module adds %s bytes per host"
                     % num(per[i] - per[0]),
                     verdict="PASS" if per[i] - per[0] <= HOST_BYTES else "MISS")

    # ------------------------------------------------------------ throughput

    def throughput(self):
        p = self.plan
        self.section("Throughput: mpm_event + mod_http2, %d runs of %d s per case, stock "
                     "and module alternating (wall clock: other work on this machine "
                     "moves it; callgrind Ir does not)" % (p["runs"], p["seconds"]))
        with open("/proc/loadavg") as f:
            loadavg = " ".join(f.read().split()[:3])
        res = collections.defaultdict(lambda: ([], []))   # requests/s, CPU us/request
        with servers.pair(self.config, "load") as (cfgs, procs):
            for _, fn in servers.LOADS:            # warm every server and path
                for cfg in cfgs.values():
                    fn(cfg, requests=500)
            for i in range(p["runs"]):     # each kind starts every other round
                for name, fn in servers.LOADS:
                    for k in ("stock", "module")[::1 - 2 * (i % 2)]:
                        before = servers.cpu_seconds(procs[k].pid)
                        r = fn(cfgs[k], seconds=p["seconds"])
                        res[(name, k)][0].append(r.rps)
                        res[(name, k)][1].append((servers.cpu_seconds(procs[k].pid) - before)
                                                 / r.requests * 1e6)
        for i, section in enumerate(("Throughput (requests/s, median of %d; higher is "
                                     "better; wall clock)",
                                     "Server CPU time per request (microseconds, user + "
                                     "system of all httpd processes; median of %d)")):
            for name, _ in servers.LOADS:
                st, mo = res[(name, "stock")][i], res[(name, "module")][i]
                self.medians(section % p["runs"], name, st, mo, "stock %s-%s, module %s-%s"
                             % (num(min(st)), num(max(st)), num(min(mo)), num(max(mo))))
        self.notes.append("Load average before the throughput runs: %s." % loadavg)

    # ---------------------------------------------------------------- memory

    def memory(self):
        p = self.plan
        self.section("Memory, request pools, configuration size and start-up time")
        block, blocks = p["block"], p["blocks"]
        half = blocks // 2
        # The do-nothing module (bench/hook_floor.c) runs the same mix: what
        # any server of this shape grows by, next to the module's growth.
        kinds = ("stock", "floor", "module")
        rss = {k: [] for k in kinds}   # the children's VmRSS (KiB) after each block
        with servers.pair(self.config, "rss", kinds) as (cfgs, procs):
            for _ in range(blocks):
                for k, cfg in cfgs.items():
                    for share, fn in servers.MIX:
                        fn(cfg, requests=int(block * share))
                    rss[k].append(sum(map(servers.rss_kib, servers.children(procs[k].pid))))
        for i in (0, half - 1, blocks - 1):
            self.row(S_MEM, "children RSS after %dk mixed requests (KiB)"
                     % (block * (i + 1) // 1000), rss["stock"][i], rss["module"][i],
                     note="do-nothing module: %s" % num(rss["floor"][i]))
        # The first blocks grow any server (threads, allocators, HTTP/2
        # buffers); a leak keeps growing in the second half.
        grow = {k: rss[k][-1] - rss[k][half - 1] for k in rss}
        self.row(S_MEM, "RSS growth from %dk to %dk requests (KiB)" % (
            block * half // 1000, block * blocks // 1000), grow["stock"], grow["module"],
            "<= stock + 512", verdict="PASS" if grow["module"] <= grow["stock"] + 512
            else "MISS", note="do-nothing module: %s; module per block: %s" % (
                num(grow["floor"]), " ".join(num(b - a) for a, b in zip(
                    rss["module"][half - 1:], rss["module"][half:]))))

        pool = {}   # kind -> {case: median request-pool bytes}
        for kind in ("stock", "early", "module", "floor"):
            cfg = self.config("pool-" + kind, kind, probe=self.args.probe)
            with servers.running(cfg):
                for method, url, _, _ in servers.CASES.values():
                    for _ in range(p["pool"]):
                        servers.one_request(cfg.port, method, url, cfg.host)
            lines = cfg.log_lines()[1:]
            pool[kind] = {case: statistics.median([int(l.split()[-1]) for l in lines
                                                   if '"%s %s ' % req[:2] in l] or [-1])
                          for case, req in servers.CASES.items()}
        for what, ref, key, target in POOL_FIGURES:
            self.row(S_MEM, "request-pool bytes per " + what, pool[ref][key],
                     pool["module"][key], target)

        # Per-host policies at 1, 100 and 1000 hosts: `apache2 -t`, start to
        # first answer and parent RSS, stock and module taking turns.
        cfgs = {(k, v): self.config("scale-%s-%d" % (k, v), k, vhosts=v, http2=True)
                for v in (1, 100, 1000) for k in ("stock", "module")}
        test, ready, rss = ({key: [] for key in cfgs} for _ in range(3))
        for _ in range(p["wall"]):
            for key, cfg in cfgs.items():
                for into, x in zip((test, ready, rss), servers.start_to_answer(cfg)):
                    into[key].append(x)
        per = {k: (statistics.median(rss[(k, 1000)]) - statistics.median(rss[(k, 1)]))
               * 1024 / 999 for k in ("stock", "module")}
        self.row(S_MEM, "configuration memory per virtual host (parent RSS, bytes; "
                 "1 to 1000 hosts)", per["stock"], per["module"],
                 note="module adds %s bytes per host" % num(per["module"] - per["stock"]))
        for what, times in (("apache2 -t, %d host(s) (ms, wall clock)", test),
                            ("start to first answer (mpm_event), %d host(s) (ms, "
                             "wall clock, median of " + str(p["wall"]) + ")", ready)):
            for v in (1, 100, 1000):
                self.medians(S_SCALE, what % v, times[("stock", v)], times[("module", v)])


# ------------------------------------------------------------------ output

def verdicts(rows):
    return "Targets: %d PASS, %d MISS" % tuple(
        sum(r[1] == v for r in rows) for v in ("PASS", "MISS"))


def tables(rows):
    """Markdown, one table per section: for the terminal and results.md."""
    out = []
    for section in dict.fromkeys(r[0] for r in rows):
        out += ["", "**%s**" % section, "", "| figure | stock httpd / reference | "
                "mod_notimpl | ratio | target | result | note |",
                "|---|---:|---:|---:|---|---|---|"]
        out += ["| %s |" % " | ".join(c.replace("|", "\\|") for c in cells)
                for s, _, cells in rows if s == section]
    return "\n".join(out)


def profile_text(figure, ref, mod, ref_name, mod_name, top=15):
    """Where a missed target's Ir go: the functions whose self Ir differs
    most, and the module's functions (inclusive)."""
    fmt = "  %12s %12s %12s  %s"
    a, b = ref.functions(), mod.functions()
    ranked = sorted(set(a) | set(b), key=lambda k: -abs(b.get(k, 0) - a.get(k, 0)))
    out = ["PROFILE for the missed target: " + figure,
           "  Ir per request: %s %s, %s %s (difference %s)" % (
               ref_name, num(ref.ir), mod_name, num(mod.ir), num(mod.ir - ref.ir, True)),
           "  Functions whose self Ir per request differs most:",
           fmt % (ref_name, mod_name, "difference", "function (object)")]
    out += [fmt % (num(a.get(k, 0)), num(b.get(k, 0)), num(b.get(k, 0) - a.get(k, 0), True),
                   "%s (%s)" % (k[1], os.path.basename(k[0] or "?"))) for k in ranked[:top]]
    own = sorted(((v, k[1]) for k, v in mod.functions(True).items()
                  if (k[0] or "").endswith(callgrind.MODULE_OBJECT) and v >= 1), reverse=True)
    if own:
        out.append("  The module's functions, inclusive Ir per request (%s; callees "
                   "included):" % mod_name)
        out += ["  %12s  %s" % (num(v), name) for v, name in own[:top]]
    return "\n".join(out)


RESULTS = """\
# mod_notimpl benchmark results

Written by `bench/run` ([how the figures are measured](README.md)); every
figure is measured in the same run as the stock httpd 2.4 figure next to
it, on the same document trees and configuration.  Ratio = mod_notimpl /
stock (or the reference named in the row); for requests per second higher
is better, for everything else lower.  Callgrind instruction counts repeat
from run to run; wall-clock figures (requests/s, CPU time, milliseconds)
depend on what else the machine's %(cpus)d CPUs run.

%(machine)s- plan: %(n)d requests per callgrind run; %(runs)d throughput runs of %(seconds)d s \
per case; %(blocks)d blocks of %(block)d mixed requests
- run time: %(elapsed).0f s

%(verdicts)s.
%(tables)s

## Notes on this run

%(notes)s"""


def write_markdown(path, bench, elapsed):
    with open(path, "w") as f:
        f.write(RESULTS % dict(bench.plan, cpus=os.cpu_count(), elapsed=elapsed,
                               machine="".join("- %s: %s\n" % kv for kv in bench.machine),
                               verdicts=verdicts(bench.rows), tables=tables(bench.rows),
                               notes="".join("- %s\n" % n for n in bench.notes)))
        if bench.profiles:
            f.write("\n## Missed targets: where the instructions go\n\n")
            f.write("".join("```\n%s\n```\n\n" % p for p in bench.profiles))


def machine_info(module):
    def first_line(*cmd):
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    return [("date", datetime.datetime.now().strftime("%Y-%m-%d %H:%M")),
            ("cpu", "%s, %d CPU(s)" % (cpu, os.cpu_count())),
            ("os", "%s, Linux %s" % (platform.freedesktop_os_release().get(
                "PRETTY_NAME", "?"), platform.release())),
            ("httpd", first_line(servers.HTTPD, "-v").split(":", 1)[-1].strip()),
            ("valgrind", first_line("valgrind", "--version")),
            ("module", module)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("parts", nargs="*", metavar="PART", help="any of: " + ", ".join(PARTS))
    for name in ("module", "origin", "probe", "floor", "results"):
        ap.add_argument("--" + name, required=name != "results")
    ap.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    args = ap.parse_args()
    for part in set(args.parts) - set(PARTS):
        ap.error("no part %r; parts: %s" % (part, ", ".join(PARTS)))
    args.work = os.environ.get("NOTIMPL_BENCH_DIR") or "/tmp/mod_notimpl-bench"
    if args.quick or set(args.parts or PARTS) != set(PARTS):
        args.results = None
    args.parts = [p for p in PARTS if p in args.parts or not args.parts]
    signal.signal(signal.SIGTERM, signal.default_int_handler)   # stop servers too
    try:
        Bench(args).run()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        for proc, _ in list(servers.RUNNING.values()):
            servers.stop(proc, timeout=10.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
