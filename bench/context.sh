#!/bin/sh
# The cost of one context_classify call: `casereview context` over 100,000
# lines made from the sentence fixtures (load time measured apart and taken
# off).  Figures, not pass/fail.
set -u
cd "$(dirname "$0")/.." || exit 2
CR=${CR_BIN:-./casereview}
[ -x "$CR" ] || { echo "bench/context.sh: $CR not built"; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cr-bench-context.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' fixtures/context/sentences.tsv | cut -f1,2 | grep . >"$tmp/one"
n1=$(wc -l <"$tmp/one")
: >"$tmp/in"
while [ "$(wc -l <"$tmp/in")" -lt 100000 ]; do cat "$tmp/one" >>"$tmp/in"; done
head -n 100000 "$tmp/in" >"$tmp/lines"
n=$(wc -l <"$tmp/lines")
t0=$(date +%s%N)
"$CR" context </dev/null >/dev/null || { echo "bench/context.sh: $CR context failed"; exit 1; }
t1=$(date +%s%N)
"$CR" context <"$tmp/lines" >"$tmp/out" || { echo "bench/context.sh: $CR context failed"; exit 1; }
t2=$(date +%s%N)
[ "$(wc -l <"$tmp/out")" -eq "$n" ] || { echo "bench/context.sh: not one answer per line"; exit 1; }
load=$(( (t1 - t0) / 1000 ))
run=$(( (t2 - t1) / 1000 - load ))
echo "context: load of the trigger files and process start: ${load} us"
echo "context: $n lines ($n1 distinct sentences): $((run / 1000)) ms, $(( run * 1000 / n )) ns per line (parse, classify, print)"
