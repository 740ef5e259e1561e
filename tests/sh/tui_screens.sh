#!/bin/sh
# Screen dumps driven by a key script, as tig's tests do: no terminal, no
# timing.  CASEREVIEW_SCRIPT feeds keys from a file; "dump FILE" writes the
# screen's text.  Screens that do not depend on the engine's wording are
# compared whole with tests/screens/; the review is checked line by line.
set -u
. tests/env.sh
BIN=${CR_BIN:-./casereview}
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
fail() { echo "FAIL: $*"; exit 1; }
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"
D=$TEST_TMP
cat >"$D/script" <<EOS
dump $D/review
?
dump $D/help
q
resize 60x20
dump $D/small
resize 80x24
j
j
dump $D/third
m
type report received
Enter
dump $D/override
resize 130x40
dump $D/wide
/
type PWNED
Enter
dump $D/search
EOS
CASEREVIEW_SCRIPT="$D/script" $BIN review C-TUI-01 </dev/null >"$D/out" 2>"$D/err" ||
    fail "exit status $? ($(cat "$D/err"))"
[ -s "$D/out" ] && fail "the script mode wrote to the terminal"

# Whole screens.
diff -u tests/screens/help-review.txt "$D/help" || fail "the help screen differs"
diff -u tests/screens/too-small.txt "$D/small" || fail "the too-small screen differs"

# Every dump is the size of its terminal, and no row is wider.
check_size() { # file rows cols
    [ "$(wc -l <"$1")" -eq "$2" ] || fail "$1: $(wc -l <"$1") rows, want $2"
    python3 - "$1" "$3" <<'PY' || fail "a row wider than the terminal"
import sys, unicodedata
cols, bad = int(sys.argv[2]), 0
for n, row in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    w = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
            for c in row.rstrip("\n"))
    if w > cols:
        print(f"{sys.argv[1]}: row {n} is {w} columns wide")
        bad = 1
sys.exit(bad)
PY
}
check_size "$D/review" 24 80
check_size "$D/third" 24 80
check_size "$D/wide" 40 130

grep -q "^casereview  C-TUI-01  tufts-1035136 · coverage" "$D/review" || fail "review header"
grep -q "Criteria 0/4 reviewed" "$D/review" || fail "criteria title"
grep -q "^>1 " "$D/review" || fail "first criterion selected"
grep -q "^>3 " "$D/third" || fail "j j selects the third criterion"
grep -q "^verdict: none yet" "$D/third" || fail "no verdict yet on 3"
grep -q "^suggested: not met" "$D/third" || fail "3 is suggested not met"
grep -q "Criteria 1/4 reviewed" "$D/override" || fail "the override was recorded"
grep -q "^verdict: met, overridden" "$D/override" || fail "the verdict's origin"
grep -q "^ reason: report received" "$D/override" || fail "the reason"
grep -q "Facts 8\|─ Facts" "$D/wide" || fail "a facts column at 130 columns"
grep -q "PWNED-TITLE" "$D/search" || fail "the search did not bring the match into view"
if LC_ALL=C grep -q "$(printf '\033')" "$D/search"; then fail "an ESC in the dump"; fi
# A case folder given to review is imported and opened; requested codes
# the policy does not cover are flagged beside the criteria about them.
cat >"$D/script2" <<EOS
dump $D/codes
g
j
j
dump $D/dx
j
dump $D/proc
EOS
CASEREVIEW_SCRIPT="$D/script2" $BIN review fixtures/tui/C-TUI-CODES </dev/null >/dev/null 2>"$D/err" ||
    fail "review of a case folder: $(cat "$D/err")"
grep -q "^casereview  C-TUI-CODES  cbc-mp-1.058 · spasticity" "$D/codes" || fail "the folder's case"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT COUNT(*) FROM cases WHERE id='C-TUI-CODES'")" = 1 ] ||
    fail "the folder was not imported"
grep -q "^>VIII.dx " "$D/dx" || fail "VIII.dx selected"
grep -q "^! requested Z00.00 not on the" "$D/dx" || fail "Z00.00 not flagged beside VIII.dx"
grep -q "99213" "$D/dx" && fail "a procedure code flagged beside the diagnosis criterion"
grep -q "^! requested 99213 not on the" "$D/proc" || fail "99213 not flagged beside VIII.proc"
grep -q "^ VIII.proc .* ! " "$D/dx" || fail "no '!' beside VIII.proc in the list"
# No reviewer role yet: the case opens read-only, and says so; a verdict is
# refused with the reason.
export CASEREVIEW_DB="$TEST_TMP/norole.sqlite"
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
printf 'dump %s\na\ndump %s\n' "$D/ro1" "$D/ro2" >"$D/script3"
CASEREVIEW_SCRIPT="$D/script3" $BIN review C-TUI-01 </dev/null >/dev/null 2>&1 || fail "read-only run"
grep -q "read-only$" "$D/ro1" || fail "the header does not say read-only"
grep -q "^read-only: you have no reviewer role" "$D/ro1" || fail "no reason given"
# ... and how to get one (this user administers the new store).
tr '\n' ' ' <"$D/ro1" | grep -q "give yourself one: casereview admin role $(id -un) nurse" ||
    fail "no guidance on getting a role: $(tail -2 "$D/ro1")"
grep -q "^read-only: you have no reviewer role" "$D/ro2" || fail "the verdict was not refused"
grep -q "Criteria 0/4 reviewed" "$D/ro2" || fail "a verdict was recorded read-only"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT COUNT(*) FROM verdicts")" = 0 ] || fail "a verdict row was written"
# The picker: a version column, and titles that do not fit end in "…".
printf 'dump %s\n' "$D/pick" >"$D/script4"
CASEREVIEW_SCRIPT="$D/script4" $BIN fixtures/tui/C-TUI-01/letter.txt </dev/null >/dev/null 2>&1 ||
    fail "the picker"
grep -qE "^ +policy +version +section +title$" "$D/pick" || fail "the picker's headings"
grep -qE "^> proposed .* 20[0-9]{2}-[0-9]{2}-[0-9]{2}r[0-9]+ .*…$" "$D/pick" ||
    fail "the picker's rows: $(sed -n 7p "$D/pick")"
echo "tui_screens: ok"
