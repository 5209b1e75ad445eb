"""mod_notimpl against stock httpd 2.4, measured in one run: instructions
(callgrind), start-up, throughput (ab, h2load) and memory, every figure
next to stock httpd's and its ratio; a table on the terminal and, for a
full run, bench/results.md.  Run through bench/run, which installs the
tools and builds the module.
"""

import argparse
import collections
import concurrent.futures
import datetime
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
FULL = dict(n=5000, runs=7, seconds=3, block=10000, blocks=20, pool=20, wall=3)
QUICK = dict(n=300, runs=2, seconds=1, block=2000, blocks=4, pool=5, wall=1)
STARTUP_HOSTS = (1000, 10000)
S_IR = "Instructions per request (callgrind Ir)"
S_SCALE = "Scale: name-based virtual hosts, each with its own policy"
S_START = ("Start-up: virtual hosts without NotImpl directives of their own "
           "(callgrind Ir)")
S_MEM = "Memory"

# The per-request figures: ref and mod name callgrind runs (kind, hosts,
# case); value is the PerRequest attribute compared (ir, or module_ir for
# the Ir inside the module); names label the two columns of a profile.
Fig = collections.namedtuple("Fig", "section figure ref mod target names value",
                             defaults=(None, ("stock", "module"), "ir"))
SIX = ".htaccess in all six directories"
FIGURES = [
    Fig(S_IR, "GET, no .htaccess (keep-alive)",
        ("stock", 1, "get-plain"), ("module", 1, "get-plain"), 1.005),
    Fig(S_IR, "GET, %s (keep-alive)" % SIX,
        ("stock", 1, "get-htaccess"), ("module", 1, "get-htaccess"), 1.005),
] + [f for case, what in (("get-plain", "no .htaccess"), ("get-htaccess", SIX)) for f in (
    # What httpd charges any module with these hooks and configuration
    # slots: bench/hook_floor.c, which does nothing.
    Fig(S_IR, "GET, %s: a module that does nothing from the same hooks "
        "(bench/hook_floor.c) vs stock" % what, ("stock", 1, case), ("floor", 1, case)),
    Fig(S_IR, "GET, %s: module vs that do-nothing module" % what, ("floor", 1, case),
        ("module", 1, case), names=("do-nothing module", "module")))] + [
    Fig(S_IR, "501 for BREW vs stock early 501 (HttpProtocolOptions RegisteredMethods)",
        ("early", 1, "brew"), ("module", 1, "brew"), 1.20, ("early 501", "module")),
    Fig(S_IR, "501 for BREW: a bare 501 from post_read_request (bench/hook_floor.c) "
        "vs stock early 501", ("early", 1, "brew"), ("floor", 1, "brew"),
        names=("early 501", "module")),
    Fig(S_IR, "501 for BREW: module vs that bare 501", ("floor", 1, "brew"),
        ("module", 1, "brew"), names=("bare 501", "module")),
    Fig(S_IR, "501 for BREW, six-deep .htaccess tree, vs stock late 501",
        ("stock", 1, "brew"), ("module", 1, "brew"), 0.45),
    Fig(S_IR, "PATCH, +PATCH in the deepest .htaccess: 501 vs stock 405",
        ("stock", 1, "patch"), ("module", 1, "patch")),
] + [f for v in (100, 1000) for f in (
    Fig(S_SCALE, "GET at %d hosts" % v, ("stock", v, "get-plain"), ("module", v, "get-plain")),
    Fig(S_SCALE, "501 for BREW at %d hosts vs stock late 501" % v, ("stock", v, "brew"),
        ("module", v, "brew")))] + [
    Fig(S_SCALE, "Ir inside the module per %s: 1000 hosts vs 1" % what, ("module", 1, case),
        ("module", 1000, case), 1.01, ("1 host", "1000 hosts"), "module_ir")
    for case, what in (("get-plain", "GET"), ("brew", "501 (BREW)"))]


class Row:
    def __init__(self, section, figure, ref, value, target=None, note=""):
        self.section, self.figure, self.ref, self.value = section, figure, ref, value
        self.note = note
        numeric = not isinstance(value, str) and ref not in (None, 0)
        self.ratio = value / ref if numeric else None
        self.target = "<= %g" % target if target is not None else ""
        self.verdict = None
        if target is not None and self.ratio is not None:
            self.verdict = "PASS" if self.ratio <= target else "MISS"

    def cells(self):
        return [self.figure, num(self.ref), num(self.value),
                "%.3f" % self.ratio if self.ratio is not None else "", self.target,
                "**MISS**" if self.verdict == "MISS" else self.verdict or "", self.note]


def num(x, signed=False):
    if x is None or isinstance(x, str):
        return "n/a" if x is None else x
    text = "{:,.0f}".format(x) if abs(x) >= 100 or float(x).is_integer() \
        else "{:,.2f}".format(x)
    return "+" + text if signed and x > 0 else text


class Bench:
    def __init__(self, args):
        self.args, self.plan = args, QUICK if args.quick else FULL
        self.rows, self.profiles, self.notes = [], [], []

    def config(self, name, kind, **kw):
        so = {"module": self.args.module, "floor": self.args.floor}.get(kind)
        return servers.Config(self.args.work, self.www, name, kind, so=so, **kw)

    def section(self, title):
        print("\n== %s  (%.0f s)" % (title, time.monotonic() - self.t0), flush=True)

    def row(self, section, figure, ref, value, target=None, note="", profile=None):
        r = Row(section, figure, ref, value, target, note)
        self.rows.append(r)
        if r.verdict == "MISS" and profile:
            self.profiles.append(profile_text(figure, *profile))
        return r

    def callgrind_jobs(self, jobs):
        """{(key, label): fn()} for jobs {key: [(label, fn)]}: one key's
        runs in turn (they share a port and logs), two keys at a time
        (counts do not depend on the CPU time a run gets).  A failed run is
        retried once."""
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
        for k, v in self.machine:
            print("   %-10s %s" % (k, v))
        for part in self.args.parts:
            getattr(self, part)()
        elapsed = time.monotonic() - self.t0
        print(tables(self.rows) + "\n\n" + verdicts(self.rows))
        for p in self.profiles:
            print("\n" + p)
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
            for kind, v, case in (f.ref, f.mod):
                cases[(kind, v)].add(case)
        jobs = {}
        for (kind, v), measured in cases.items():
            cfg = self.config("cg-%s-%d" % (kind, v), kind, vhosts=v, callgrind=True)
            cfg.configtest()
            jobs[(kind, v)] = [(l, lambda c=cfg, l=l: callgrind.run(c, l))
                               for l in ("empty-a", "empty-b")]
            jobs[(kind, v)] += [(l, lambda c=cfg, l=l: callgrind.run(c, l, n, l))
                                for l in callgrind.CASES if l in measured]
        cg = self.callgrind_jobs(jobs)
        for (kind, v, label), (_, codes) in sorted(cg.items()):
            want = "405" if (kind, label) == ("stock", "patch") \
                else callgrind.CASES[label][3] if label in callgrind.CASES else None
            if want and set(codes) != {want}:
                raise SystemExit("%s %d hosts %s: answered %s, expected only %s"
                                 % (kind, v, label, dict(codes), want))

        def pr(kind, v, label):
            return callgrind.PerRequest(cg[(kind, v, label)][0], [
                cg[(kind, v, e)][0] for e in ("empty-a", "empty-b")], n)

        for f in FIGURES:
            ref, mod = pr(*f.ref), pr(*f.mod)
            note = "+/- %s" % num(max(ref.noise, mod.noise)) if f.value == "ir" else ""
            self.row(f.section, f.figure, getattr(ref, f.value), getattr(mod, f.value),
                     f.target, note, (ref, mod) + f.names)
        get, brew = pr("module", 1, "get-plain"), pr("module", 1, "brew")
        self.row(S_IR, "Ir inside the module per GET / per 501 (BREW)", None,
                 "%s / %s" % (num(get.module_ir), num(brew.module_ir)))
        s1, s1000 = pr("stock", 1, "get-plain"), pr("stock", 1000, "get-plain")
        added1000 = pr("module", 1000, "get-plain").ir - s1000.ir
        self.row(S_SCALE, "added Ir per GET (module - stock): 1 host / 1000 hosts",
                 None, "%s / %s" % (num(get.ir - s1.ir, True), num(added1000, True)),
                 note="see notes: host-name matching")
        self.notes.append(
            "At 1000 hosts httpd compares the Host header with each host name in "
            "turn (about %s Ir per request here).  That loop's instruction count "
            "moves by several hundred Ir with the heap layout (string alignment "
            "in strcasecmp), which the module's configuration changes, so the "
            "total difference module - stock at 1000 hosts (%s Ir) says nothing "
            "about the module; the Ir spent inside the module is exact and is "
            "what the scale targets use." % (num(s1000.ir - s1.ir), num(added1000, True)))
        for v in (1, 100, 1000):
            st, mo = [statistics.fmean(cg[(k, v, e)][0].total for e in ("empty-a", "empty-b"))
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
                jobs[(kind, v)] = [("X", lambda c=cfg: callgrind.startup(c, "startup")),
                                   ("t", lambda c=cfg: callgrind.configtest(c, "configtest"))]
        cg = self.callgrind_jobs(jobs)
        for v in STARTUP_HOSTS:
            for label, figure, target in (
                    ("X", "apache2 -X: start, answer one GET, stop; %s hosts", 1.05),
                    ("t", "apache2 -t (configuration read once, no post_config); "
                     "%s hosts", None)):
                st, mo = cg[("stock", v, label)], cg[("module", v, label)]
                r = self.row(S_START, figure % num(v), st.total, mo.total, target,
                             note="module's own Ir: %s" % num(callgrind.module_ir(mo)))
                if r.verdict == "MISS":   # where the module's start-up goes
                    calls = sorted(mo.into_module.items(), key=lambda kv: -kv[1][1])
                    self.profiles.append("\n".join(
                        ["PROFILE for the missed target: " + r.figure,
                         "  Ir: stock %s, module %s (difference %s)" % (
                             num(st.total), num(mo.total), num(mo.total - st.total, True)),
                         "  httpd's calls into the module, inclusive Ir:",
                         "  %12s %12s  %s" % ("calls", "Ir", "function")]
                        + ["  %12s %12s  %s" % (num(c), num(ir), fn)
                           for fn, (c, ir) in calls[:12]]))
        self.notes.append(
            "Start-up: %s; the main server has `%s`, no virtual host has a NotImpl "
            "directive.  `apache2 -X` reads the configuration twice and runs "
            "post_config twice, as any start does; \"module's own Ir\" is what "
            "httpd's calls into the module cost (directives, create/merge, "
            "post_config), callees included.  These counts repeat within 0.1%% "
            "(hash seeds and heap layout move them a little)."
            % (" and ".join("%s hosts" % num(v) for v in STARTUP_HOSTS),
               "; ".join(servers.SERVER_POLICY)))

    # ------------------------------------------------------------ throughput

    def throughput(self):
        p = self.plan
        self.section("Throughput: mpm_event + mod_http2, %d runs of %d s per case, stock "
                     "and module alternating (wall clock: other work on this machine "
                     "moves it; callgrind Ir does not)" % (p["runs"], p["seconds"]))
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        with servers.pair(self.config, "load") as (cfgs, procs):
            res = servers.throughput(cfgs, procs, p["runs"], p["seconds"])
        for i, section in enumerate(("Throughput (requests/s, median of %d; higher is "
                                     "better; wall clock)",
                                     "Server CPU time per request (microseconds, user + "
                                     "system of all httpd processes; median of %d)")):
            for name, _ in servers.THROUGHPUT_CASES:
                st, mo = res[(name, "stock")][i], res[(name, "module")][i]
                self.row(section % p["runs"], name, statistics.median(st),
                         statistics.median(mo), note="stock %s-%s, module %s-%s" % (
                             num(min(st)), num(max(st)), num(min(mo)), num(max(mo))))
        self.notes.append(
            "Throughput: ab and h2load run on the same %d CPU(s) as httpd and as "
            "other work on this machine, so these are wall-clock figures for "
            "comparing stock and module in one run, not capacity, and they move "
            "from run to run; the runs alternate stock and module to spread any "
            "drift.  ab speaks HTTP/1.0 (keep-alive under -k); h2load HTTP/2 over "
            "cleartext (h2c, prior knowledge).  The server's CPU time per request "
            "(from /proc, 10 ms clock ticks) depends less on the other work than "
            "requests per second.  Load average before these runs: %s."
            % (os.cpu_count(), load))

    # ---------------------------------------------------------------- memory

    def memory(self):
        p = self.plan
        self.section("Memory, request pools, configuration size and start-up time")
        block, blocks = p["block"], p["blocks"]
        half = blocks // 2
        with servers.pair(self.config, "rss") as (cfgs, procs):
            rss = servers.children_rss(cfgs, procs, block, blocks)
        for i in (0, half - 1, blocks - 1):
            self.row(S_MEM, "children RSS after %dk mixed requests (KiB)"
                     % (block * (i + 1) // 1000), rss["stock"][i], rss["module"][i])
        # The first blocks grow any server (threads, allocators, HTTP/2
        # buffers); a leak keeps growing in the second half.
        grow = {k: rss[k][-1] - rss[k][half - 1] for k in rss}
        r = self.row(S_MEM, "RSS growth from %dk to %dk requests (KiB)"
                     % (block * half // 1000, block * blocks // 1000),
                     grow["stock"], grow["module"])
        r.ratio, r.target = None, "<= stock + 512"
        r.verdict = "PASS" if grow["module"] <= grow["stock"] + 512 else "MISS"
        self.notes.append("Mixed requests, per block of %dk: %s." % (block // 1000, ", ".join(
            "%d %s" % (block * share, what) for share, what, _ in servers.MIX)))

        pool = {kind: servers.pool_bytes(self.config("pool-" + kind, kind,
                                                     probe=self.args.probe), p["pool"])
                for kind in ("stock", "early", "module", "floor")}
        floor = ": module vs a module that does nothing (bench/hook_floor.c)"
        for what, ref, label, target in (
                ("501 (BREW): module vs stock late 501", "stock", "BREW", None),
                ("501 (BREW): module vs stock early 501", "early", "BREW", None),
                ("GET, no .htaccess", "stock", "GET, no .htaccess", None),
                ("GET, six .htaccess", "stock", "GET, six .htaccess", None),
                ("GET, no .htaccess" + floor, "floor", "GET, no .htaccess", 1),
                ("GET, six .htaccess" + floor, "floor", "GET, six .htaccess", 1),
                ("PATCH, +PATCH in the deepest .htaccess: 501 vs stock 405", "stock",
                 "PATCH, policy .htaccess", None)):
            self.row(S_MEM, "request-pool bytes per " + what, pool[ref][label],
                     pool["module"][label], target)
        self.notes.append(
            "Request-pool bytes: bench/pool_probe.c, loaded into both servers for "
            "these figures only, walks the request pool's blocks when the request "
            "is logged (the pool itself, not its sub-pools); -1 means it did not "
            "recognise this APR's pool layout.")

        # Per-host policies at 1, 100 and 1000 hosts: parent RSS and the
        # wall-clock start-up time, stock and module taking turns.
        cfgs = {(k, v): self.config("scale-%s-%d" % (k, v), k, vhosts=v, http2=True)
                for v in (1, 100, 1000) for k in ("stock", "module")}
        ready, rss, test = ({key: [] for key in cfgs} for _ in range(3))
        for _ in range(p["wall"]):
            for key, cfg in cfgs.items():
                test[key].append(servers.configtest_ms(cfg))
                ms, kib = servers.start_to_answer(cfg)
                ready[key].append(ms)
                rss[key].append(kib)
        per = {k: (statistics.median(rss[(k, 1000)]) - statistics.median(rss[(k, 1)]))
               * 1024 / 999 for k in ("stock", "module")}
        self.row(S_MEM, "configuration memory per virtual host (parent RSS, bytes; "
                 "1 to 1000 hosts)", per["stock"], per["module"],
                 note="module adds %s bytes per host" % num(per["module"] - per["stock"]))
        for what, times in (("apache2 -t, %d host(s) (ms, wall clock)", test),
                            ("start to first answer (mpm_event), %d host(s) (ms, "
                             "wall clock, median of " + str(p["wall"]) + ")", ready)):
            for v in (1, 100, 1000):
                self.row(S_SCALE, what % v, statistics.median(times[("stock", v)]),
                         statistics.median(times[("module", v)]))
        self.notes.append(
            "Start-up in milliseconds is wall clock (\"apache2 -t\" reads the "
            "configuration; start to first answer adds post_config, polled every "
            "20 ms): it moves with other work on this machine; the start-up "
            "figures in callgrind Ir are the repeatable ones.")


# ------------------------------------------------------------------ output

def verdicts(rows):
    return "Targets: %d PASS, %d MISS" % (
        sum(r.verdict == "PASS" for r in rows), sum(r.verdict == "MISS" for r in rows))


def tables(rows):
    """Markdown, one table per section: for the terminal and results.md."""
    out = []
    for section in dict.fromkeys(r.section for r in rows):
        out += ["", "**%s**" % section, "", "| figure | stock httpd / reference | "
                "mod_notimpl | ratio | target | result | note |",
                "|---|---:|---:|---:|---|---|---|"]
        out += ["| %s |" % " | ".join(c.replace("|", "\\|") for c in r.cells())
                for r in rows if r.section == section]
    return "\n".join(out)


PHASES = ["ap_process_connection", "ap_read_request", "ap_get_mime_headers_core",
          "ap_run_post_read_request", "ap_process_request_internal",
          "ap_directory_walk", "ap_run_header_parser", "ap_invoke_handler", "ap_die",
          "ap_send_error_response", "ap_run_log_transaction", "ap_lingering_close"]


def profile_text(figure, ref, mod, ref_name, mod_name, top=15):
    """Where the instructions of a missed target go: the functions whose
    self Ir per request differs most, httpd's request phases, and the
    module's own functions (inclusive)."""
    fmt = "  %12s %12s %12s  %s"

    def line(x, y, what):
        return fmt % (num(x), num(y), num(y - x, True), what)
    a, b = ref.functions(), mod.functions()
    ranked = sorted(set(a) | set(b), key=lambda k: -abs(b.get(k, 0) - a.get(k, 0)))
    out = ["PROFILE for the missed target: " + figure,
           "  Ir per request: %s %s, %s %s (difference %s)" % (
               ref_name, num(ref.ir), mod_name, num(mod.ir), num(mod.ir - ref.ir, True)),
           "  Functions whose self Ir per request differs most:",
           fmt % (ref_name, mod_name, "difference", "function (object)")]
    out += [line(a.get(k, 0), b.get(k, 0), "%s (%s)" % (k[1], os.path.basename(k[0] or "?")))
            for k in ranked[:top]]
    ai, bi = ref.functions(True), mod.functions(True)
    out += ["  httpd's request phases, inclusive Ir per request:",
            fmt % (ref_name, mod_name, "difference", "function")]
    for name in PHASES:
        x, y = (sum(v for k, v in d.items() if k[1] == name) for d in (ai, bi))
        if x or y:
            out.append(line(x, y, name))
    own = sorted(((v, k[1]) for k, v in bi.items()
                  if (k[0] or "").endswith(callgrind.MODULE_OBJECT) and v >= 1), reverse=True)
    if own:
        out.append("  The module's functions, inclusive Ir per request (%s; callees "
                   "included):" % mod_name)
        out += ["  %12s  %s" % (num(v), name) for v, name in own[:top]]
    return "\n".join(out)


METHOD = """\
- **Documents**: one document six directories deep, served from three
  copies of the tree: without `.htaccess` (`AllowOverride None`), with an
  `.htaccess` in each of the six directories (`AllowOverride All`; a
  harmless `Options +FollowSymLinks` or `AddType text/plain .txt`), and the
  same with `NotImplMethods +PATCH` added in the deepest one (inside
  `<IfModule notimpl_module>`, so that stock httpd reads the same files).
- **Configuration** (bench/servers.py): mod_authz_core, mod_mime, mod_dir,
  an access log and an error log at `warn`, `MaxKeepAliveRequests 0`;
  name-based virtual hosts, each with its own policy (`NotImplMethods
  +TRACE`, `NotImplMethods -PURGE` with `NotImplFormat problem`, or
  `NotImplImplemented GET HEAD POST OPTIONS` with an alternative and
  `NotImplCacheControl`), the last one addressed by every request.  Stock
  httpd gets the same configuration without the LoadModule and NotImpl
  lines; the "early 501" adds `HttpProtocolOptions RegisteredMethods`.
- **Instructions** (bench/callgrind.py, callgrind Ir): `apache2 -X`
  (mpm_prefork, one process, as root without User/Group) under `valgrind
  --tool=callgrind`, started, sent the same four warm-up requests, sent
  %(n)d requests with `ab -c 1` (keep-alive for GET; a 501 closes the
  connection), stopped with SIGTERM.  The same without the %(n)d requests,
  twice; (total - mean of the empty runs) / %(n)d is the figure, and the
  difference between the two empty runs / %(n)d is its +/- noise.  These
  configurations listen on a second, unused port: with two listeners
  mpm_prefork waits in poll(), which SIGTERM interrupts, rather than in
  accept(), which valgrind restarts.  "Ir inside the module" counts the
  measured requests' calls into the module with everything they call,
  except the output filters downstream of the module's error filter;
  start-up functions are left out, so this figure has no start-up noise.
- **Throughput**: mpm_event with mod_http2 (`Protocols h2c http/1.1`),
  %(runs)d runs of %(seconds)d s per case, stock and module servers running
  side by side and measured alternately.
- **Resident size**: sum of VmRSS of the mpm_event children (a fixed pool
  of two, 16 threads each) from /proc, after each of %(blocks)d blocks of
  %(block)d mixed requests, stock and module servers taking turns.  The
  target compares the growth over the second half, once the workers have
  warmed up.
"""

REPRODUCE = """\
```sh
bench/run                          # everything, as root on Debian 12; about %d minutes
bench/run instructions             # one part: Ir per request, the scale rows in Ir
bench/run startup                  # one part: the start-up rows in Ir (under a minute)
bench/run throughput               # one part: requests/s and CPU time per request
bench/run memory                   # one part: memory, and the scale rows in ms
bench/run --rev HEAD startup       # the same for a commit, whatever the working tree holds
bench/run --quick                  # a smoke check of the benchmark itself
```

`./run bench` calls `bench/run`.  Only a full run of every part writes
this file.  The work directory (configurations, logs, callgrind profiles)
is `$NOTIMPL_BENCH_DIR`, by default `/tmp/mod_notimpl-bench`; open a
profile with `callgrind_annotate --inclusive=yes FILE`.
"""


def write_markdown(path, bench, elapsed):
    with open(path, "w") as f:
        f.write("# mod_notimpl benchmark results\n\nWritten by `bench/run`; every "
                "figure is measured in the same run as the stock httpd 2.4 figure "
                "next to it, on the same document trees and configuration.  Ratio "
                "= mod_notimpl / stock (or the reference named in the row); for "
                "requests per second higher is better, for everything else lower.  "
                "Callgrind instruction counts repeat from run to run; wall-clock "
                "figures (requests/s, CPU time, milliseconds) depend on what else "
                "the machine's %d CPUs run.\n\n" % os.cpu_count())
        f.write("".join("- %s: %s\n" % kv for kv in bench.machine))
        f.write("- run time: %.0f s\n\n%s.\n" % (elapsed, verdicts(bench.rows)))
        f.write(tables(bench.rows) + "\n")
        f.write("\n## How these figures are measured\n\n" + METHOD % bench.plan)
        f.write("".join("- %s\n" % n for n in bench.notes))
        f.write("\n## Reproduce\n\n" + REPRODUCE % max(1, round(elapsed / 60)))
        if bench.profiles:
            f.write("\n## Missed targets: where the instructions go\n\n")
            f.write("".join("```\n%s\n```\n\n" % p for p in bench.profiles))


def machine_info(module):
    def field(path, key, sep):
        with open(path) as f:
            return next((l.split(sep, 1)[1].strip().strip('"') for l in f
                         if l.startswith(key)), "?")

    def first_line(*cmd):
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    return [("date", datetime.datetime.now().strftime("%Y-%m-%d %H:%M")),
            ("cpu", "%s, %d CPU(s)" % (field("/proc/cpuinfo", "model name", ":"),
                                       os.cpu_count())),
            ("os", "%s, Linux %s" % (field("/etc/os-release", "PRETTY_NAME=", "="),
                                     platform.release())),
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
    for part in args.parts:
        if part not in PARTS:
            ap.error("no part %r; parts: %s" % (part, ", ".join(PARTS)))
    args.work = os.environ.get("NOTIMPL_BENCH_DIR") or "/tmp/mod_notimpl-bench"
    if args.quick or (args.parts and set(args.parts) != set(PARTS)):
        args.results = None
    args.parts = [p for p in PARTS if p in args.parts or not args.parts]
    signal.signal(signal.SIGTERM, signal.default_int_handler)   # stop servers too
    try:
        Bench(args).run()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        servers.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
