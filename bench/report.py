"""The summary table (terminal and markdown) and, for a missed target,
where the instructions go, function by function."""

import os
import statistics

import callgrind


class Row:
    def __init__(self, section, figure, ref, value, ratio=None, target="",
                 verdict=None, note=""):
        self.section = section
        self.figure = figure
        self.ref = ref
        self.value = value
        self.ratio = ratio
        self.target = target
        self.verdict = verdict
        self.note = note


def num(x, signed=False):
    if x is None:
        return "n/a"
    if isinstance(x, str):
        return x
    if abs(x) >= 100 or float(x).is_integer():
        text = "{:,.0f}".format(x)
    else:
        text = "{:,.2f}".format(x)
    if signed and x > 0:
        text = "+" + text
    return text


def count(n):
    return "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


def minmax(values):
    return "%s-%s" % (num(min(values)), num(max(values)))


def spread(values):
    med = statistics.median(values)
    width = (max(values) - min(values)) / med * 100 if med else 0
    return "%s (%s, spread %.0f%%)" % (num(med), minmax(values), width)


def _cells(r):
    return [r.figure, num(r.ref), num(r.value),
            "%.3f" % r.ratio if r.ratio is not None else "",
            r.target, r.verdict or "", r.note]


HEADER = ["figure", "stock httpd / reference", "mod_notimpl", "ratio",
          "target", "result", "note"]


def _sections(rows):
    order = []
    for r in rows:
        if r.section not in order:
            order.append(r.section)
    return [(s, [r for r in rows if r.section == s]) for s in order]


def table(rows):
    """Fixed-width text, one block per section."""
    widths = [len(h) for h in HEADER]
    for r in rows:
        for i, c in enumerate(_cells(r)):
            widths[i] = max(widths[i], len(c))
    widths[0] = min(widths[0], 78)

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            if i == 0 and len(c) > widths[0]:
                c = c[:widths[0] - 3] + "..."
            out.append(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                       if i < 4 else c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    text = ["SUMMARY (ratio = mod_notimpl / stock or reference; for "
            "requests/s higher is better, for everything else lower)"]
    for section, members in _sections(rows):
        text.append("")
        text.append(section)
        text.append(line(HEADER))
        text.append(line(["-" * w for w in widths]))
        for r in members:
            text.append(line(_cells(r)))
    missed = [r for r in rows if r.verdict == "MISS"]
    passed = [r for r in rows if r.verdict == "PASS"]
    text.append("")
    text.append("Targets: %d PASS, %d MISS%s" % (
        len(passed), len(missed),
        "" if not missed else " (" + "; ".join(r.figure for r in missed) + ")"))
    return "\n".join(text)


def markdown_table(rows):
    out = []
    for section, members in _sections(rows):
        out.append("\n**%s**\n" % section)
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "|".join(["---", "---:", "---:", "---:", "---", "---",
                                   "---"]) + "|")
        for r in members:
            cells = [c.replace("|", "\\|") for c in _cells(r)]
            if r.verdict == "MISS":
                cells[5] = "**MISS**"
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def profile(figure, ref, mod, ref_name, mod_name, top=15):
    """Per-request self Ir of the functions whose cost differs most between
    the two cases, and the module's own functions (inclusive)."""
    a, b = ref.functions(), mod.functions()
    keys = set(a) | set(b)
    ranked = sorted(keys, key=lambda k: -abs(b.get(k, 0) - a.get(k, 0)))
    lines = ["PROFILE for the missed target: %s" % figure,
             "  Ir per request: %s %s, %s %s (difference %s)"
             % (ref_name, num(ref.ir), mod_name, num(mod.ir),
                num(mod.ir - ref.ir, signed=True)),
             "  Functions whose self Ir per request differs most:",
             "  %12s %12s %12s  %s" % (ref_name, mod_name, "difference",
                                      "function (object)")]
    for k in ranked[:top]:
        lines.append("  %12s %12s %12s  %s (%s)"
                     % (num(a.get(k, 0)), num(b.get(k, 0)),
                        num(b.get(k, 0) - a.get(k, 0), signed=True), k[1],
                        os.path.basename(k[0] or "?")))
    ref_incl, incl = ref.functions(inclusive=True), mod.functions(inclusive=True)
    lines.append("  httpd's request phases, inclusive Ir per request:")
    lines.append("  %12s %12s %12s  %s" % (ref_name, mod_name, "difference",
                                          "function"))
    for name in PHASES:
        a_, b_ = _by_name(ref_incl, name), _by_name(incl, name)
        if a_ or b_:
            lines.append("  %12s %12s %12s  %s" % (num(a_), num(b_),
                                                  num(b_ - a_, signed=True), name))
    own = sorted(((v, k) for k, v in incl.items()
                  if (k[0] or "").endswith(callgrind.MODULE_OBJECT) and v >= 1),
                 reverse=True)
    if own:
        lines.append("  The module's functions, inclusive Ir per request "
                     "(%s; callees included):" % mod_name)
        for v, k in own[:top]:
            lines.append("  %12s  %s" % (num(v), k[1]))
    return "\n".join(lines)


# Where a request's instructions go in httpd 2.4, outermost first; a
# function missing from a profile (inlined, or not reached) is left out.
PHASES = [
    "ap_process_connection", "ap_read_request", "ap_get_mime_headers_core",
    "ap_run_post_read_request", "ap_process_request_internal",
    "ap_directory_walk", "ap_run_header_parser", "ap_invoke_handler", "ap_die",
    "ap_send_error_response", "ap_run_log_transaction", "ap_lingering_close",
]


def _by_name(counter, name):
    return sum(v for k, v in counter.items() if k[1] == name)


def write_markdown(path, rows, profiles, notes, machine, plan, elapsed,
                   quick):
    missed = [r for r in rows if r.verdict == "MISS"]
    passed = [r for r in rows if r.verdict == "PASS"]
    with open(path, "w") as f:
        f.write("# mod_notimpl benchmark results\n\n")
        f.write("Written by `bench/run`%s; every figure is measured in the "
                "same run as the stock httpd 2.4 figure next to it, on the "
                "same document trees and configuration.  Ratio = "
                "mod_notimpl / stock (or the reference named in the row); "
                "for requests per second higher is better, for everything "
                "else lower.\n\n" % (" --quick (rough figures)" if quick else ""))
        for k, v in machine:
            f.write("- %s: %s\n" % (k, v))
        f.write("- run time: %.0f s\n" % elapsed)
        f.write("\nTargets: %d PASS, %d MISS.\n" % (len(passed), len(missed)))
        f.write(markdown_table(rows))
        f.write("\n\n## How these figures are measured\n\n")
        f.write(METHOD % plan)
        for n in notes:
            f.write("- %s\n" % n)
        f.write("\n## Reproduce\n\n```sh\nbench/run              # as root on "
                "Debian 12; about %d minutes\nbench/run --rev HEAD   # the "
                "same for a commit, whatever the working tree holds\n"
                "bench/run --quick      # a smoke check of the benchmark "
                "itself\n```\n\n`./run bench` calls `bench/run`.  The work "
                "directory (configurations, logs, callgrind profiles) is "
                "`/tmp/mod_notimpl-bench`; open a profile with "
                "`callgrind_annotate --inclusive=yes FILE`.\n"
                % max(1, round(elapsed / 60)))
        if profiles:
            f.write("\n## Missed targets: where the instructions go\n\n")
            for p in profiles:
                f.write("```\n%s\n```\n\n" % p)


METHOD = """\
- **Documents**: one document six directories deep, served from three
  copies of the tree: without `.htaccess` (`AllowOverride None`), with an
  `.htaccess` in each of the six directories (`AllowOverride All`; a
  harmless `Options +FollowSymLinks` or `AddType text/plain .txt`), and the
  same with `NotImplMethods +PATCH` added in the deepest one (inside
  `<IfModule notimpl_module>`, so that stock httpd reads the same files).
- **Configuration**: mod_authz_core, mod_mime, mod_dir, an access log and
  an error log at `warn`, `MaxKeepAliveRequests 0`; name-based virtual
  hosts, each with its own policy (`NotImplMethods +TRACE`,
  `NotImplMethods -PURGE` with `NotImplFormat problem`, or
  `NotImplImplemented GET HEAD POST OPTIONS` with an alternative and
  `NotImplCacheControl`), the last one addressed by every request.  Stock
  httpd gets the same configuration without the module; the "early 501"
  adds `HttpProtocolOptions RegisteredMethods`.
- **Instructions** (callgrind Ir): `apache2 -X` (mpm_prefork, one process)
  under `valgrind --tool=callgrind`, started, sent the same four warm-up
  requests, sent %(n)d requests with `ab -c 1` (keep-alive for GET; a 501
  closes the connection), stopped with SIGTERM.  The same without the
  %(n)d requests, twice; (total - mean of the empty runs) / %(n)d is the
  figure, and the difference between the two empty runs / %(n)d is its
  +/- noise.  These configurations listen on a second, unused port:
  with two listeners mpm_prefork waits in poll(), which SIGTERM
  interrupts, rather than in accept(), which valgrind restarts.
  "Ir inside the module" counts the measured requests' calls into the
  module with everything they call, except the output filters downstream
  of the module's error filter; start-up functions (directives, policy
  compilation) are left out, so this figure has no start-up noise.
- **Throughput**: mpm_event with mod_http2 (`Protocols h2c http/1.1`),
  %(runs)d runs of %(seconds)d s per case, stock and module servers running side
  by side and measured alternately.
- **Resident size**: sum of VmRSS of the mpm_event children (a fixed pool
  of two, 16 threads each) from /proc, after each of %(blocks)d blocks of
  %(block)d mixed requests, stock and module servers taking turns.  The
  target compares the growth over the second half, once the workers have
  warmed up.
"""
