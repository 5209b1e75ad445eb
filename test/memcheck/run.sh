#!/usr/bin/env bash
# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
# Runs the real-httpd test suite with every apache2 under valgrind memcheck
# (`apache2 -X`, one process, the module loaded as usual) and adds up what
# valgrind found, per test.  Any memory error or definitely lost block, or
# any failed test, fails the run.
#
#   test/memcheck/run.sh [PYTEST ARGS...]     e.g. -x, or a test file
#   ./run memcheck [PYTEST ARGS...]           the same, after building
#
# What runs: test/integration less
#   - the `slow` (Debian package build) and `load` (ab, h2load) marks;
#   - tests whose names say across_children or restart: they need several
#     child processes or signal a parent, and -X has one process.
# Some 470 httpd starts; about 26 minutes on 2 cores (1 to 2 minutes
# without valgrind).  Not part of ./run test for that reason.
#
# Environment: NOTIMPL_VALGRIND_DIR (default /tmp/notimpl-memcheck) keeps
# the logs of runs with findings and results.jsonl; NOTIMPL_VALGRIND_POOLS=0
# leaves APR's pools alone (see poolcheck.c); NOTIMPL_VALGRIND_OPTS adds
# valgrind options.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${NOTIMPL_VALGRIND_DIR:-/tmp/notimpl-memcheck}
python=${PYTHON:-/usr/bin/python3}

command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed" >&2; exit 2; }
[[ -f $top/mod_notimpl.so ]] || { echo "memcheck: build the module first (make)" >&2; exit 2; }

# The pool preload: every apr_palloc() block its own malloc().
mkdir -p "$here/build"
# shellcheck disable=SC2046
cc -g -O1 -Wall -Wextra -Werror -shared -fPIC \
   $(apr-1-config --cflags --cppflags --includes) \
   "$here/poolcheck.c" -o "$here/build/libpoolcheck.so" -ldl -lpthread

rm -rf "$out"
mkdir -p "$out"
export NOTIMPL_VALGRIND=1 NOTIMPL_VALGRIND_DIR=$out
# A private copy: a `make` while the suite runs rewrites mod_notimpl.so in
# place, under the feet of a server that has it mapped (seen as crashes
# reading the module's own strings at startup).
cp "$top/mod_notimpl.so" "$out/mod_notimpl.so"
export NOTIMPL_MODULE=$out/mod_notimpl.so

# The whole suite unless test paths are given (a later -k replaces ours).
paths=(test/integration)
for arg in "$@"; do
    [[ $arg == -* ]] || paths=()
done

start=$(date +%s)
status=0
(cd "$top" && "$python" -m pytest -q -p no:cacheprovider -rfE \
     -m "not slow and not load" -k "not across_children and not restart" \
     "$@" "${paths[@]}") || status=$?
elapsed=$(( $(date +%s) - start ))

"$python" - "$out/results.jsonl" "$elapsed" <<'EOF' || status=1
import json, sys
path, elapsed = sys.argv[1], int(sys.argv[2])
try:
    runs = [json.loads(line) for line in open(path)]
except FileNotFoundError:
    runs = []
tests = sorted({r["test"] for r in runs})
bad = [r for r in runs if r["errors"] or r["definite_bytes"]
       or not r["finished"]]
for r in bad:
    print("memcheck: %s (%s): %d error(s), %d bytes definitely lost in %d "
          "block(s)%s\n          %s" % (
              r["test"], r["kind"], r["errors"], r["definite_bytes"],
              r["definite_blocks"],
              "" if r["finished"] else ", valgrind did not finish",
              r["log"]))
print("memcheck: %d httpd runs under valgrind in %d tests, %d s; "
      "%d error(s), %d bytes definitely lost, %d run(s) unfinished"
      % (len(runs), len(tests), elapsed, sum(r["errors"] for r in runs),
         sum(r["definite_bytes"] for r in runs),
         sum(not r["finished"] for r in runs)))
sys.exit(1 if bad or not runs else 0)
EOF
exit "$status"
