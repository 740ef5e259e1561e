#!/bin/sh
# Runs every test: the Criterion unit tests (normal and sanitizer builds),
# then the command-line and terminal tests in tests/sh/.  Prints a last
# line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/env.sh
asan_only=0
[ "${1:-}" = "--asan-only" ] && asan_only=1
pass=0 fail=0 failed=""
count() { # name rc
    if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed="$failed $1"; fi
}
run_unit() { # dir label
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" --jobs=1 2>&1); rc=$?
        printf '%s\n' "$out" | grep -E '^\[|Synthesis' | grep -vE '^\[----\]|RUN|PASS' | sed "s|^|$2 $(basename "$t"): |"
        count "$2:$(basename "$t")" $rc
    done
}
[ $asan_only -eq 0 ] && run_unit build unit
run_unit build/asan asan
if [ $asan_only -eq 0 ]; then
    for s in tests/sh/*.sh; do
        [ -f "$s" ] || continue
        out=$(sh "$s" 2>&1); rc=$?
        printf '%s\n' "$out" | sed "s|^|$(basename "$s"): |"
        count "$(basename "$s")" $rc
    done
fi
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
