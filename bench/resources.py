"""Throughput, memory and start-up time: the measurements that run real
servers (mpm_event with mod_http2) at full speed rather than under
callgrind.  A mixin of bench.Bench, which provides config(), say(),
section(), ratio_row(), rows, notes and plan."""

import contextlib
import os
import statistics
import time

import load
import report
import server


def _loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


class ResourceBenchmarks:
    @contextlib.contextmanager
    def running_pair(self, prefix):
        """Stock and module servers (mpm_event with mod_http2), both
        started and answering; yields their configs and processes and
        stops both however the block ends."""
        cfgs = {k: self.config("%s-%s" % (prefix, k), mpm="event",
                               http2=True, user=self.user,
                               module=self.module if k == "module" else None)
                for k in ("stock", "module")}
        procs = {}
        try:
            for k, cfg in cfgs.items():
                cfg.configtest()
                procs[k] = server.start(cfg)
            for k, cfg in cfgs.items():
                server.wait_until_answers(cfg.port, "GET", "/", cfg.host,
                                          procs[k])
            yield cfgs, procs
        finally:
            for proc in procs.values():
                server.stop(proc)

    # ------------------------------------------------------ 2: throughput

    def throughput(self):
        p = self.plan
        self.section("Throughput: mpm_event + mod_http2, %d runs of %d s per "
                     "case, stock and module alternating" % (p["runs"], p["seconds"]))
        self.say("client and server share this machine's %d CPU(s): the "
                 "figures are for comparing, not capacity" % os.cpu_count())
        load_before = _loadavg()
        self.say("load average before: %s (other processes compete too)"
                 % load_before)
        with self.running_pair("load") as (cfgs, procs):
            c, m = load.AB_CONCURRENCY, load.H2_CLIENTS
            cases = [
                ("ab -k -c %d: GET, no .htaccess" % c,
                 lambda cfg, **kw: load.ab(cfg.port, cfg.host, server.URL_PLAIN,
                                           keepalive=True, **kw)),
                ("ab -c %d: BREW, six-deep .htaccess tree (501)" % c,
                 lambda cfg, **kw: load.ab(cfg.port, cfg.host, server.URL_HTACCESS,
                                           method="BREW", **kw)),
                ("h2load -c %d -m %d: GET, no .htaccess" % (m, load.H2_STREAMS),
                 lambda cfg, **kw: load.h2load(cfg.port, cfg.host, server.URL_PLAIN,
                                               **kw)),
                ("h2load -c %d -m %d: BREW, six-deep .htaccess tree (501)"
                 % (m, load.H2_STREAMS),
                 lambda cfg, **kw: load.h2load(cfg.port, cfg.host,
                                               server.URL_HTACCESS, method="BREW",
                                               **kw)),
            ]
            # Warm every server and path once, outside the measurements.
            for _, fn in cases:
                for cfg in cfgs.values():
                    fn(cfg, requests=500)
            rps = {(name, k): [] for name, _ in cases for k in cfgs}
            cpu = {(name, k): [] for name, _ in cases for k in cfgs}
            for i in range(p["runs"]):
                order = ["stock", "module"] if i % 2 == 0 else ["module", "stock"]
                for name, fn in cases:
                    for k in order:
                        before = server.cpu_seconds(procs[k].pid)
                        r = fn(cfgs[k], seconds=p["seconds"])
                        used = server.cpu_seconds(procs[k].pid) - before
                        rps[(name, k)].append(r.rps)
                        cpu[(name, k)].append(used / r.requests * 1e6)
            s = ("Throughput (requests/s, median of %d; higher is better)"
                 % p["runs"])
            for name, _ in cases:
                st, mo = rps[(name, "stock")], rps[(name, "module")]
                self.say("%-58s stock %s  module %s" % (name, report.spread(st),
                                                        report.spread(mo)))
                self.ratio_row(s, name, statistics.median(st),
                               statistics.median(mo),
                               note="stock %s, module %s" % (
                                   report.minmax(st), report.minmax(mo)))
            s = ("Server CPU time per request (microseconds, user + system "
                 "of all httpd processes; median of %d)" % p["runs"])
            for name, _ in cases:
                st, mo = cpu[(name, "stock")], cpu[(name, "module")]
                self.ratio_row(s, name, statistics.median(st),
                               statistics.median(mo),
                               note="stock %s, module %s" % (
                                   report.minmax(st), report.minmax(mo)))
        self.notes.append(
            "Throughput: ab and h2load run on the same %d CPU(s) as httpd, so "
            "client and server compete; the runs alternate stock and module "
            "to spread any drift.  ab speaks HTTP/1.0 (with keep-alive under "
            "-k); h2load speaks HTTP/2 over cleartext (h2c, prior knowledge).  "
            "The server's CPU time per request (from /proc, 10 ms clock "
            "ticks over runs of a few seconds) depends less on what else "
            "the machine runs than requests per second do.  "
            "Load average before these runs: %s."
            % (os.cpu_count(), load_before))

    # ---------------------------------------------------------- 3: memory

    def memory(self):
        p = self.plan
        self.section("Memory")
        s = "Memory"
        block, blocks = p["block"], p["blocks"]
        half = blocks // 2
        with self.running_pair("rss") as (cfgs, procs):
            rss = {k: [] for k in cfgs}
            # Block by block, one server after the other, so that both see
            # the same load on the machine.
            for b in range(blocks):
                for k, cfg in cfgs.items():
                    mixed_block(cfg, block)
                    rss[k].append(server.children_rss_kib(procs[k].pid)[0])
        marks = [0, half - 1, blocks - 1]
        for k in cfgs:
            self.say("%-6s children RSS (KiB) after each block of %s: %s"
                     % (k, report.count(block), " ".join(str(x) for x in rss[k])))
        for i in marks:
            self.ratio_row(s, "children RSS after %s mixed requests (KiB)"
                           % report.count(block * (i + 1)), rss["stock"][i],
                           rss["module"][i])
        # The first blocks grow any server: threads and their allocators
        # warm up, HTTP/2 sessions size their buffers.  A leak keeps
        # growing in the second half; noise is what the same load does to
        # stock httpd there, plus 512 KiB.
        grow = {k: rss[k][blocks - 1] - rss[k][half - 1] for k in cfgs}
        slack = 512
        self.rows.append(report.Row(
            s, "RSS growth from %s to %s requests (KiB)"
            % (report.count(block * half), report.count(block * blocks)),
            grow["stock"], grow["module"], target="<= stock + %d" % slack,
            verdict="PASS" if grow["module"] <= grow["stock"] + slack else "MISS"))
        self.notes.append(
            "Mixed requests, per block of %s: %s."
            % (report.count(block), describe_mix(block)))

        self.pool_bytes()
        self.config_memory()

    def pool_bytes(self):
        n = self.plan["pool_requests"]
        kinds = [("GET", server.URL_PLAIN, "GET, no .htaccess"),
                 ("GET", server.URL_HTACCESS, "GET, six .htaccess"),
                 ("BREW", server.URL_HTACCESS, "BREW"),
                 ("PATCH", server.URL_POLICY, "PATCH, policy .htaccess")]
        found = {}
        servers = ("stock", "early", "module", "floor")
        for k in servers:
            cfg = self.config("pool-%s" % k, mpm="event", user=self.user,
                              probe=self.probe, registered_methods=(k == "early"),
                              module=self.module if k == "module" else None,
                              floor=self.floor if k == "floor" else None)
            cfg.configtest()
            proc = server.start(cfg)
            try:
                server.wait_until_answers(cfg.port, "GET", "/", cfg.host, proc)
                for method, url, _ in kinds:
                    for _ in range(n):
                        server.one_request(cfg.port, method, url, cfg.host)
            finally:
                server.stop(proc)
            with open(cfg.access_log) as f:
                lines = f.read().splitlines()[1:]
            for method, url, label in kinds:
                sizes = [int(l.split()[-1]) for l in lines
                         if ('"%s %s ' % (method, url)) in l]
                found[(k, label)] = statistics.median(sizes) if sizes else None
        s = "Memory"
        for k in servers:
            self.say("%-6s request-pool bytes (median of %d): %s" % (
                k, n, ", ".join("%s %s" % (label, report.num(found[(k, label)]))
                                for _, _, label in kinds)))
        if any(v is not None and v < 0 for v in found.values()):
            self.notes.append("The request-pool probe did not recognise "
                              "this APR's pool layout; its figures are -1.")
        self.ratio_row(s, "request-pool bytes per 501 (BREW): module vs stock "
                       "late 501", found[("stock", "BREW")],
                       found[("module", "BREW")])
        self.ratio_row(s, "request-pool bytes per 501 (BREW): module vs stock "
                       "early 501", found[("early", "BREW")],
                       found[("module", "BREW")])
        for label in ("GET, no .htaccess", "GET, six .htaccess"):
            self.ratio_row(s, "request-pool bytes per %s" % label,
                           found[("stock", label)], found[("module", label)])
        # What any module's configuration slots add to a request (httpd
        # sizes its per-request vectors by the number of modules): the
        # module itself allocates nothing on the allowed path.
        for label in ("GET, no .htaccess", "GET, six .htaccess"):
            self.ratio_row(s, "request-pool bytes per %s: module vs a module "
                           "that does nothing (bench/hook_floor.c)" % label,
                           found[("floor", label)], found[("module", label)],
                           target=1.0)
        self.ratio_row(s, "request-pool bytes per PATCH, +PATCH in the deepest "
                       ".htaccess: 501 vs stock 405",
                       found[("stock", "PATCH, policy .htaccess")],
                       found[("module", "PATCH, policy .htaccess")])
        self.notes.append(
            "Request-pool bytes: bench/pool_probe.c, loaded into both servers "
            "for these figures only, walks the request pool's blocks when "
            "the request is logged (the pool itself, not its sub-pools).")

    def config_memory(self):
        """Parent RSS with 1, 100 and 1000 hosts; the per-host figure is
        the slope from 1 to 1000."""
        reps = 3
        self.scale_cfgs = {}
        rss = {}
        for v in (1, 100, 1000):
            for k in ("stock", "module"):
                cfg = self.config("scale-%s-%d" % (k, v), vhosts=v, mpm="event",
                                  http2=True, user=self.user,
                                  module=self.module if k == "module" else None)
                cfg.configtest()
                self.scale_cfgs[(k, v)] = cfg
        self.ready_ms = {key: [] for key in self.scale_cfgs}
        for _ in range(reps):
            for key, cfg in self.scale_cfgs.items():
                t = time.monotonic()
                proc = server.start(cfg)
                try:
                    server.wait_until_answers(cfg.port, "GET", "/", cfg.host, proc)
                    self.ready_ms[key].append((time.monotonic() - t) * 1000)
                    rss.setdefault(key, []).append(server.rss_kib(proc.pid))
                finally:
                    server.stop(proc)
        per = {}
        for k in ("stock", "module"):
            one = statistics.median(rss[(k, 1)])
            many = statistics.median(rss[(k, 1000)])
            per[k] = (many - one) * 1024 / 999
            self.say("%-6s parent RSS: 1 host %d KiB, 100 hosts %d KiB, 1000 "
                     "hosts %d KiB" % (k, one, statistics.median(rss[(k, 100)]),
                                       many))
        self.ratio_row("Memory", "configuration memory per virtual host "
                       "(parent RSS, bytes; 1 to 1000 hosts)", per["stock"],
                       per["module"], note="module adds %s bytes per host"
                       % report.num(per["module"] - per["stock"]))

    # ---------------------------------------------------------- 4: start-up

    def startup(self):
        runs = self.plan["startup_runs"]
        self.section("Start-up time (wall clock, median of %d)" % runs)
        s = "Scale: name-based virtual hosts, each with its own policy"
        times = {key: [] for key in self.scale_cfgs}
        for _ in range(runs):
            for key, cfg in self.scale_cfgs.items():
                t = time.monotonic()
                cfg.configtest()
                times[key].append((time.monotonic() - t) * 1000)
        for v in (1, 100, 1000):
            st = statistics.median(times[("stock", v)])
            mo = statistics.median(times[("module", v)])
            self.ratio_row(s, "apache2 -t, %d host(s) (ms)" % v, st, mo)
        for v in (1, 100, 1000):
            st = statistics.median(self.ready_ms[("stock", v)])
            mo = statistics.median(self.ready_ms[("module", v)])
            self.ratio_row(s, "start to first answer (mpm_event), %d host(s) "
                           "(ms, median of %d)"
                           % (v, len(self.ready_ms[("stock", v)])), st, mo)
        self.notes.append(
            "apache2 -t stops after reading the configuration; the module "
            "compiles its policies in post_config, which the start-to-first-"
            "answer figure includes (polled every 20 ms at most).")


def mixed_block(cfg, n):
    """n requests: keep-alive GETs on both trees, 501s and 405s over
    HTTP/1.x and 501s over HTTP/2."""
    for share, fn in _MIX:
        fn(cfg, int(n * share))


_MIX = [
    (0.4, lambda cfg, k: load.ab(cfg.port, cfg.host, server.URL_PLAIN,
                                 keepalive=True, requests=k, concurrency=4)),
    (0.2, lambda cfg, k: load.ab(cfg.port, cfg.host, server.URL_HTACCESS,
                                 keepalive=True, requests=k, concurrency=4)),
    (0.2, lambda cfg, k: load.ab(cfg.port, cfg.host, server.URL_HTACCESS,
                                 method="BREW", requests=k, concurrency=4)),
    (0.1, lambda cfg, k: load.ab(cfg.port, cfg.host, server.URL_POLICY,
                                 method="PATCH", requests=k, concurrency=4)),
    (0.1, lambda cfg, k: load.h2load(cfg.port, cfg.host, server.URL_PLAIN,
                                     method="BREW", requests=k, clients=2,
                                     streams=10)),
]


def describe_mix(n):
    return ("%d keep-alive GETs without .htaccess, %d keep-alive GETs through "
            "six .htaccess, %d BREW (501), %d PATCH to the policy tree (501 "
            "with the module, 405 stock), %d BREW over HTTP/2"
            % tuple(int(n * share) for share, _ in _MIX))
