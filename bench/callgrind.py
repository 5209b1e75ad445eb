"""Instructions per request, counted by callgrind.

One run is: start `apache2 -X` under callgrind, let it answer the same
warm-up requests, send N measured requests with ab (N may be 0), stop it
with SIGTERM so that callgrind writes its profile.  A run with N requests
and one with none differ only by those requests, so their difference over
N is what one request costs: start-up and warm-up cancel out.
"""

import collections
import os
import re
import subprocess

import server

MODULE_OBJECT = "mod_notimpl.so"
PASS_ON = "(output filters after the module's)"

# The same for every run of every configuration: one request of each kind
# the benchmarks send, so that first-use costs (lazily opened files,
# allocator growth) are paid before measuring.
WARMUP = [
    ("GET", server.URL_PLAIN),
    ("GET", server.URL_HTACCESS),
    ("BREW", server.URL_HTACCESS),
    ("PATCH", server.URL_POLICY),
]


class Profile:
    """What one callgrind output file says: total Ir, self and inclusive
    Ir per function, and the calls into the module: per function entered
    from outside it, [number of calls, inclusive Ir]."""

    def __init__(self, total, self_ir, incl_ir, into_module):
        self.total = total
        self.self_ir = self_ir
        self.incl_ir = incl_ir
        self.into_module = into_module


def parse(path):
    """Reads a profile written with --compress-strings=no and
    --compress-pos=no, so that every name is spelled out.

    into_module is what httpd's calls into the module cost, including the
    APR and httpd functions the module calls, but not the rest of the
    output filter chain that the module's filters pass the response on
    to (kept apart as PASS_ON, to subtract): writing the response is
    httpd's cost, with or without the module."""
    total = None
    self_ir = collections.Counter()
    incl_ir = collections.Counter()
    into_module = collections.defaultdict(lambda: [0, 0])
    calls = 0
    ob = fn = cob = cfn = None
    in_call = False
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
                # The line after calls= is the inclusive cost of the call.
                in_call = False
                callee_ob = cob if cob is not None else ob
                caller_in = ob.endswith(MODULE_OBJECT)
                if callee_ob.endswith(MODULE_OBJECT) and not caller_in:
                    into_module[cfn][0] += calls
                    into_module[cfn][1] += cost
                elif caller_in and cfn == "ap_pass_brigade":
                    into_module[PASS_ON][0] += calls
                    into_module[PASS_ON][1] -= cost
                    cost = 0
                if (callee_ob, cfn) != (ob, fn):
                    incl_ir[(ob, fn)] += cost
                cob = None
            elif line.startswith("fn="):
                fn = _name(line[3:])
            elif line.startswith("ob="):
                ob = line[3:].strip()
            elif line.startswith("cob="):
                cob = line[4:].strip()
            elif line.startswith("cfn="):
                cfn = _name(line[4:])
            elif line.startswith("calls="):
                in_call = True
                calls = int(line[6:].split()[0])
            elif line.startswith("totals:"):
                total = int(line.split()[1])
    if total is None:
        raise RuntimeError("%s: no totals line (did httpd exit cleanly?)"
                           % path)
    return Profile(total, self_ir, incl_ir, into_module)


def _name(text):
    """A function name without callgrind's recursion-depth suffix
    (ap_pass_brigade'2 is ap_pass_brigade called from within itself)."""
    return re.sub(r"'\d+$", "", text.strip())


def run(cfg, label, n, method="GET", url=None, keepalive=False):
    """One callgrind run of cfg answering n measured requests.  Returns
    the parsed profile and the status codes of the measured requests, after
    checking that every request reached the intended virtual host."""
    outdir = os.path.join(cfg.dir, "callgrind")
    os.makedirs(outdir, exist_ok=True)
    out = os.path.join(outdir, "%s.out" % label)
    log = os.path.join(outdir, "%s.log" % label)
    if os.path.exists(cfg.access_log):
        os.unlink(cfg.access_log)
    wrapper = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
               "--compress-strings=no", "--compress-pos=no"]
    proc = server.start(cfg, wrapper=wrapper, extra=("-X",), log=log)
    try:
        warm = WARMUP
        first = server.wait_until_answers(cfg.port, warm[0][0], warm[0][1],
                                          cfg.host, proc)
        rest = [server.one_request(cfg.port, m, path, cfg.host)
                for m, path in warm[1:]]
        if first != 200 or rest[0] != 200:
            raise RuntimeError("%s: warm-up GETs answered %s"
                               % (label, [first] + rest))
        if n:
            _ab(cfg, label, n, method, url, keepalive)
    finally:
        server.stop(proc, timeout=300.0)
    if proc.returncode != 0:
        raise RuntimeError("%s: httpd under callgrind exited with %s (see %s)"
                           % (label, proc.returncode, log))
    with open(cfg.access_log) as f:
        lines = f.read().splitlines()
    wrong = [l for l in lines if (" %s " % cfg.host) not in l]
    if len(lines) != n + len(WARMUP) or wrong:
        raise RuntimeError("%s: %d requests logged, %d expected, %d in the "
                           "wrong virtual host (%s)"
                           % (label, len(lines), n + len(WARMUP), len(wrong),
                              cfg.access_log))
    codes = collections.Counter(l.split('"')[-1].split()[0]
                                for l in lines[len(WARMUP):])
    return parse(out), codes


def _ab(cfg, label, n, method, url, keepalive):
    # One client, one request at a time: -X serves one connection at once.
    args = ["ab", "-q", "-n", str(n), "-c", "1", "-s", "300",
            "-H", "Host: " + cfg.host]
    if keepalive:
        args.append("-k")
    if method != "GET":
        args += ["-m", method]
    args.append("http://127.0.0.1:%d%s" % (cfg.port, url))
    r = subprocess.run(args, capture_output=True, text=True)
    done = re.search(r"Complete requests:\s+(\d+)", r.stdout)
    if r.returncode != 0 or not done or int(done.group(1)) != n:
        raise RuntimeError("%s: ab failed:\n%s%s" % (label, r.stdout, r.stderr))


class PerRequest:
    """One request kind on one configuration: a run with n requests against
    the two runs with none.  The two empty runs differ a little (hash seeds
    and heap layout change with every start); their difference over n is
    the uncertainty of the per-request figures."""

    def __init__(self, run, bases, n):
        self.run = run
        self.bases = bases
        self.n = n
        self.ir = (run.total - _mean(b.total for b in bases)) / n
        self.noise = abs(bases[0].total - bases[-1].total) / n
        self.module_ir = self._module_ir()

    def _module_ir(self):
        """Ir per request inside the module.  Only the module functions
        the measured requests called count: a start-up function (reading
        directives, compiling policies) is called as often with n requests
        as without, and its own run-to-run noise says nothing about a
        request."""
        total = 0.0
        for fn, (calls, cost) in self.run.into_module.items():
            base_calls = _mean(b.into_module.get(fn, (0, 0))[0]
                               for b in self.bases)
            if calls - base_calls >= self.n / 2:
                total += cost - _mean(b.into_module.get(fn, (0, 0))[1]
                                      for b in self.bases)
        return total / self.n

    def functions(self, inclusive=False):
        """Ir per request of every function (self, or inclusive)."""
        pick = (lambda p: p.incl_ir) if inclusive else (lambda p: p.self_ir)
        out = collections.Counter()
        keys = set(pick(self.run))
        for b in self.bases:
            keys |= set(pick(b))
        for key in keys:
            d = pick(self.run).get(key, 0) - _mean(pick(b).get(key, 0)
                                                   for b in self.bases)
            if abs(d) >= self.n * 0.05:
                out[key] = d / self.n
        return out


def _mean(values):
    values = list(values)
    return sum(values) / len(values)
