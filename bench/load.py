"""Load generators: ab (HTTP/1.x) and h2load (HTTP/2 over cleartext, prior
knowledge), each run for a fixed time against a running server, with the
status codes checked so that a misconfigured server cannot pass for a
fast one."""

import collections
import re
import subprocess

Result = collections.namedtuple("Result", "rps requests")

# ab speaks HTTP/1.0 (with Connection: Keep-Alive under -k); httpd answers
# it the same way it answers HTTP/1.1 for these requests.
AB_CONCURRENCY = 8
H2_CLIENTS = 4
H2_STREAMS = 16


class LoadError(RuntimeError):
    pass


def ab(port, host, path, method="GET", keepalive=False, seconds=None,
       requests=None, concurrency=AB_CONCURRENCY):
    """Requests per second and requests done, after checking that every
    request completed (2xx for GET, non-2xx otherwise)."""
    args = ["ab", "-q", "-c", str(concurrency), "-H", "Host: " + host]
    if seconds:
        # -t stops at the time limit; the large -n only lifts ab's default cap.
        args += ["-t", str(seconds), "-n", "100000000"]
    else:
        args += ["-n", str(requests)]
    if keepalive:
        args.append("-k")
    if method != "GET":
        args += ["-m", method]
    args.append("http://127.0.0.1:%d%s" % (port, path))
    r = subprocess.run(args, capture_output=True, text=True)
    out = r.stdout

    def field(name):
        m = re.search(r"^%s:\s+([\d.]+)" % re.escape(name), out, re.M)
        return float(m.group(1)) if m else 0.0

    done = field("Complete requests")
    failed = field("Failed requests")
    non2xx = field("Non-2xx responses")
    # Under -t, ab may count the non-2xx status of a response that came in
    # after the time limit, one per connection at most.
    if method == "GET":
        statuses_ok = non2xx == 0
    else:
        statuses_ok = done <= non2xx <= done + concurrency
    if r.returncode != 0 or done == 0 or failed or not statuses_ok:
        raise LoadError("%s failed (complete %d, failed %d, non-2xx %d):\n%s%s"
                        % (" ".join(args), done, failed, non2xx, out[-800:],
                           r.stderr[-800:]))
    if requests and done != requests:
        raise LoadError("%s: %d of %d requests" % (" ".join(args), done, requests))
    return Result(field("Requests per second"), int(done))


def h2load(port, host, path, method="GET", seconds=None, requests=None,
           clients=H2_CLIENTS, streams=H2_STREAMS):
    """Requests per second and requests done over HTTP/2 (h2c), many
    streams per connection; every stream must have ended with 2xx (GET) or
    5xx (otherwise)."""
    args = ["h2load", "-c", str(clients), "-m", str(streams), "-t", "1",
            "-H", ":authority: " + host]
    if method != "GET":
        args += ["-H", ":method: " + method]
    if seconds:
        args += ["-D", str(seconds)]
    else:
        args += ["-n", str(requests)]
    args.append("http://127.0.0.1:%d%s" % (port, path))
    r = subprocess.run(args, capture_output=True, text=True)
    out = r.stdout
    m = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx",
                      out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done", out)
    if r.returncode != 0 or not m or not codes or not done:
        raise LoadError("%s failed:\n%s%s" % (" ".join(args), out[-800:],
                                             r.stderr[-800:]))
    n_done = int(done.group(1))
    want = 1 if method == "GET" else 4
    if n_done == 0 or int(codes.group(want)) != n_done:
        raise LoadError("%s: unexpected status codes: %s"
                        % (" ".join(args), codes.group(0)))
    if requests and n_done != requests:
        raise LoadError("%s: %d of %d requests" % (" ".join(args), n_done, requests))
    return Result(float(m.group(1)), n_done)
