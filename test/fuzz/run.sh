#!/usr/bin/env bash
# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
# Builds the libFuzzer harnesses (clang, AddressSanitizer, UBSan) and runs
# each for SECONDS (default 30) from its seed corpus.  Any finding fails.
#   test/fuzz/run.sh [SECONDS]      e.g. test/fuzz/run.sh 3600 for a long run
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${1:-30}
out=${FUZZ_OUT:-$top/test/fuzz/build}
mkdir -p "$out"

# The sources that need only APR and libc, as Makefile.am lists them.
pure=$(sed -n '/^PURE_SRCS *=/,/^$/p' "$top/Makefile.am" | grep -o 'notimpl_[a-z_]*\.c')
[ -n "$pure" ] || { echo "run.sh: no PURE_SRCS in Makefile.am" >&2; exit 1; }
srcs=()
for f in $pure; do srcs+=("$top/$f"); done
apr_cflags=$(apr-1-config --cflags --cppflags --includes)
apr_libs=$(apr-1-config --link-ld --libs)

status=0
for harness in "$here"/fuzz_*.c; do
    name=$(basename "$harness" .c)
    short=${name#fuzz_}
    bin="$out/$name"
    # shellcheck disable=SC2086
    clang -g -O1 -fsanitize=fuzzer,address,undefined \
          -fno-sanitize-recover=undefined -Wall -Wextra -Werror \
          -I"$top" -I"$top/test" $apr_cflags \
          "$harness" "$top/test/json_check.c" "${srcs[@]}" $apr_libs -o "$bin"
    work="$out/corpus-$short"
    mkdir -p "$work"
    echo "== $name: ${secs}s"
    if ! "$bin" -max_total_time="$secs" -max_len=8192 -print_final_stats=1 \
          -artifact_prefix="$out/$name-" "$work" "$here/corpus/$short" \
          > "$out/$name.log" 2>&1; then
        echo "$name: FINDING (see $out/$name.log)"
        tail -40 "$out/$name.log"
        status=1
    fi
    grep -E "^stat::number_of_executed_units|DONE" "$out/$name.log" \
        | tail -2 || true
done
exit $status
