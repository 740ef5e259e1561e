#!/bin/sh
# casereview context from the command line: the STATUS<TAB>TRIGGER
# contract, error lines that do not stop the rest, exit statuses, the
# --section option, and hostile input.
. tests/env.sh
BIN=${CR_BIN:-./casereview}
fail=0
no() { echo "FAIL: $*"; fail=1; }

printf 'G35\tNo evidence of MS G35.\nbaclofen 15 mg\tHe was on oral baclofen 15 mg QID.\n50 mcg\tShould tone remain severe, will consider a 50 mcg dose.\nG25.0\tFather with tremor (G25.0).\ntone\tNo increase in tone.\n' >"$TEST_TMP/in"
out=$("$BIN" context <"$TEST_TMP/in") || no "context exited $?"
want=$(printf 'negated\tno evidence of\nhistorical\twas on\nhypothetical\twill consider\nfamily\tfather with\naffirmed\t')
[ "$out" = "$want" ] || no "statuses and triggers: got [$out]"

# Error lines: no TAB, target absent; the others are still answered.
printf 'G35\tMS G35.\nno tab here\nG40\tsecret sentence text\nG35\tno MS G35\n' >"$TEST_TMP/in"
out=$("$BIN" context <"$TEST_TMP/in" 2>"$TEST_TMP/err"); rc=$?
[ $rc -eq 1 ] || no "an error line exits 1 (got $rc)"
[ "$out" = "$(printf 'affirmed\t\nerror\t\nerror\t\nnegated\tno')" ] || no "error lines in place: got [$out]"
[ "$(wc -l <"$TEST_TMP/err")" -eq 2 ] || no "one stderr line per error"
grep -q 'line 2' "$TEST_TMP/err" || no "stderr names the line"
grep -q 'secret' "$TEST_TMP/err" && no "sentence text leaked to stderr"

# Case-insensitive target, CRLF line ends, an empty input.
out=$(printf 'g35\tNO MS G35\r\n' | "$BIN" context) || no "CRLF exited $?"
[ "$out" = "$(printf 'negated\tno')" ] || no "case-insensitive target, CRLF: got [$out]"
out=$("$BIN" context </dev/null) || no "empty input exited $?"
[ -z "$out" ] || no "empty input prints nothing"

# --section, --help, bad usage.
out=$(printf 'I10\thypertension I10\n' | "$BIN" context --section=historical)
[ "$out" = "$(printf 'historical\tsection:historical')" ] || no "--section=historical: got [$out]"
"$BIN" context --help >/dev/null || no "--help exits 0"
"$BIN" context --section=sometimes </dev/null 2>/dev/null; [ $? -eq 2 ] || no "bad section exits 2"
"$BIN" context extra </dev/null 2>/dev/null; [ $? -eq 2 ] || no "stray argument exits 2"

# Hostile input: binary bytes, escape sequences, a NUL, a 1 MB line.
printf 'G35\t\033[2J\377\376 no \000 G35\nG35\tno G35 \033]0;x\007\n' | "$BIN" context >"$TEST_TMP/out" 2>/dev/null
[ $? -le 1 ] || no "binary input crashed"
[ "$(wc -l <"$TEST_TMP/out")" -eq 2 ] || no "binary input: one answer per line"
awk 'BEGIN { printf "G35\tno "; for (i = 0; i < 200000; i++) printf "word "; printf "G35\n" }' | "$BIN" context >"$TEST_TMP/out" || no "long line exited $?"
[ "$(cat "$TEST_TMP/out")" = "$(printf 'affirmed\t')" ] || no "long line: trigger far away is out of scope"

# A broken trigger file is one clear line and exit 2.
mkdir -p "$TEST_TMP/home2/data/context"
printf 'no\tnegated\tforward\tlots\n' >"$TEST_TMP/home2/data/context/x.tsv"
CASEREVIEW_HOME="$TEST_TMP/home2" "$BIN" context </dev/null 2>"$TEST_TMP/err"; rc=$?
[ $rc -eq 2 ] || no "broken trigger file exits 2 (got $rc)"
grep -q 'x.tsv:1:' "$TEST_TMP/err" || no "error names file and line: $(cat "$TEST_TMP/err")"

exit $fail
