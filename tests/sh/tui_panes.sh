#!/bin/sh
# The review's panes at 80x24, by key script and screen dumps (no timing):
# text cut only with an ellipsis (criteria titles, headings) and facts
# shown whole or not at all; the note's position the same whatever the
# focus; every criterion id of the cross-reference shown; evidence placed
# a third down; Enter on a criterion without evidence says so; the
# detail says when it is scrolled; search counts its matches and the
# current one stands out without colour; v starts and ends a span, e
# marks it, or the sentence under the cursor.
set -u
. tests/env.sh
BIN=${CR_BIN:-./casereview}
export CASEREVIEW_DB="$TEST_TMP/db.sqlite" NO_COLOR=1
fail() { echo "FAIL: $*"; exit 1; }
D=$TEST_TMP
$BIN import fixtures/tui/C-TUI-01 fixtures/import/C-000139 fixtures/import/C-000142 fixtures/import/C-000147 >/dev/null ||
    fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"
run() { # case script
    CASEREVIEW_SCRIPT="$2" $BIN review "$1" </dev/null >/dev/null 2>"$D/err" ||
        fail "exit status $? ($(cat "$D/err"))"
}
row() { sed -n "$2p" "$1"; }                 # file, 1-based row
note_part() { cut -c38- | sed 's/^[^ ]*//'; } # the note pane's text, after the frame
sql() { sqlite3 "$CASEREVIEW_DB" "$1"; }
# The text of the last hand mark (bytes of the stored note), or the one
# before with 1.
last_mark() {
    sql "SELECT CAST(substr(n.text, e.start + 1, e.end - e.start) AS TEXT) FROM evidence e
         JOIN notes n ON n.case_id = e.case_id AND n.seq = e.note + (SELECT MIN(seq) FROM notes WHERE case_id = e.case_id)
         ORDER BY e.id DESC LIMIT 1 OFFSET ${1:-0}" | tr '\n' ' ' | sed 's/ $//'
}

# ---- text that does not fit ----------------------------------------------
cat >"$D/s1" <<EOS
dump $D/a1
Tab
dump $D/a2
Esc
j
j
j
dump $D/a3
EOS
run C-TUI-01 "$D/s1"
grep -q "^>1   met?     · Spasticity unrespon…│" "$D/a1" || fail "a criterion's title is cut without an ellipsis: $(row "$D/a1" 3)"
grep -q "^─ 1 · Spasticity unresponsive ─" "$D/a1" || fail "the detail's heading: $(row "$D/a1" 8)"
grep -q "^policy 2009-04-06r[0-9][0-9]*, Coverage" "$D/a1" || fail "the policy's words are not labelled"
[ "$(row "$D/a1" 23)" = "facts: 2026-11-18 · age 45 · ashworth 4 · baclofen 90 mg/day  +3 more    f: all" ] ||
    fail "the facts row: $(row "$D/a1" 23)"
# A criterion whose short title fits is not given an ellipsis.
grep -q "^>L.1 met?     · Not for dystonia    │" "$D/a3" || fail "L.1's row: $(grep '^>' "$D/a3")"
# The note's position does not depend on the focus.
pos() { row "$1" 2 | grep -o "Note [0-9]*/[0-9]* · line [0-9]*/[0-9]* · [0-9]*%"; }
[ -n "$(pos "$D/a1")" ] || fail "no position in the note's title: $(row "$D/a1" 2)"
[ "$(pos "$D/a1")" = "$(pos "$D/a2")" ] || fail "the position moved with the focus: $(pos "$D/a1") / $(pos "$D/a2")"
row "$D/a2" 22 | grep -q "│ evidence for 1$" || fail "the cross-reference row: $(row "$D/a2" 22)"

# CCS: the id is not shown twice; Enter without evidence stays and says so;
# the detail says it is scrolled.
cat >"$D/s2" <<EOS
g
dump $D/c1
Enter
dump $D/c2
PgDn
dump $D/c3
EOS
run C-000139 "$D/s2"
grep -q "IV.E.2.a · IV.E.2.a" "$D/c1" && fail "the id twice in the heading"
grep -q "^─ IV.E.2.a · Refill/analysis codes ─" "$D/c1" || fail "the CCS heading: $(row "$D/c1" 7)"
grep -q "no evidence for IV.E.2.a" "$D/c2" || fail "Enter on a criterion without evidence: $(row "$D/c2" 24)"
grep -q "─\[Criteria" "$D/c2" || fail "Enter without evidence moved the focus"
# The request's own code decides IV.E.2.a: its evidence is no note span.
grep -q "^suggested: met, by: request:" "$D/c1" || fail "IV.E.2.a is not met by the request: $(sed -n 9,10p "$D/c1")"
grep -q "evidence: none in the notes" "$D/c1" || fail "a request's code shown as note evidence"
# An unknown criterion's search list runs past the detail: it says so,
# and says so again once scrolled.
cat >"$D/s2b" <<EOS
j
dump $D/d1
PgDn
dump $D/d3
EOS
run C-000147 "$D/s2b"
grep -q "^─ I.fda" "$D/d1" || fail "I.fda is not the selected criterion: $(row "$D/d1" 7)"
grep -q "↓ more: PgDn" "$D/d1" || fail "no 'more' below"
grep -q "^↑ more: PgUp" "$D/d3" || fail "no 'more' above when scrolled: $(sed -n 8,9p "$D/d3")"

# ---- the cross-reference names every criterion ---------------------------
# Mark the row that is evidence for 1 and 2 as evidence for L.1 too, and
# the IV.E.2.b row for IV.E.2.a and IV.E.2.c.
cat >"$D/s3" <<EOS
g
G
Tab
g
j
j
j
j
j
dump $D/x0
e
dump $D/x1
EOS
run C-000142 "$D/s3"
row "$D/x0" 22 | grep -q "evidence for 1, 2$" || fail "the row of 1 and 2: $(row "$D/x0" 22)"
# The row begins inside a sentence: e marks the one that starts on it.
grep -q "marked as evidence for L.1: “He reports drowsiness at the current dose.”" "$D/x1" ||
    fail "the mark's message: $(row "$D/x1" 24)"
[ "$(last_mark)" = "He reports drowsiness at the current dose." ] ||
    fail "e did not mark the sentence under the cursor: '$(last_mark)'"
row "$D/x1" 22 | grep -q "│ evidence for 1, 2, L.1$" || fail "not every id: $(row "$D/x1" 22)"
cat >"$D/s4" <<EOS
g
/
type emergency letter
Enter
dump $D/y0
e
Esc
G
/
type emergency letter
Enter
e
dump $D/y1
EOS
run C-000139 "$D/s4"
row "$D/y0" 22 | grep -q "│ evidence for IV.E.2.b$" || fail "the IV.E.2.b row: $(row "$D/y0" 22)"
row "$D/y1" 22 | grep -q "│ evidence for IV.E.2.a, IV.E.2.b, IV.E.2.c$" ||
    fail "not every CCS id: $(row "$D/y1" 22)"

# ---- evidence a third down the pane on a first open ------------------------
{ i=0; while [ $i -lt 40 ]; do echo "Line $i of an unrelated history."; i=$((i + 1)); done
  echo; cat fixtures/tui/C-TUI-01/letter.txt; echo
  i=0; while [ $i -lt 40 ]; do echo "Later line $i."; i=$((i + 1)); done; } >"$D/long.txt"
printf 'dump %s\n' "$D/l1" >"$D/s5"
CASEREVIEW_SCRIPT="$D/s5" $BIN review --policy=tufts-1035136 --section=coverage "$D/long.txt" \
    </dev/null >/dev/null 2>"$D/err" || fail "long note: $(cat "$D/err")"
at=$(grep -n "│ \*Failed maximal" "$D/l1" | cut -d: -f1)
[ -n "$at" ] || fail "the evidence is not on the first screen"
[ "$at" -ge 6 ] && [ "$at" -le 12 ] || fail "the evidence is on row $at, not about a third down"
[ "$(row "$D/l1" $((at + 3)) | note_part)" != "" ] || fail "no context below the evidence"

# ---- search: which match of how many, wrapped, visible without colour ----
cat >"$D/s6" <<EOS
g
/
type baclofen
Enter
dump $D/m1
dump-attrs $D/m1.attrs
n
dump $D/m2
N
N
dump $D/m3
EOS
run C-TUI-01 "$D/s6"
[ "$(row "$D/m1" 24)" = "match 1/4" ] || fail "search status: $(row "$D/m1" 24)"
[ "$(row "$D/m2" 24)" = "match 2/4" ] || fail "n: $(row "$D/m2" 24)"
[ "$(row "$D/m3" 24)" = "match 4/4: search wrapped to the bottom" ] || fail "wrap: $(row "$D/m3" 24)"
# The match inside the evidence: its cells are not reversed (bold and
# underline), the evidence around it is.
python3 - "$D/m1" "$D/m1.attrs" <<'PY' || fail "the current match does not stand out from the evidence"
import sys
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
attrs = open(sys.argv[2]).read().split("\n")
for y, t in enumerate(text):
    i = t.find("Failed maximal oral baclofen")
    if i < 0:
        continue
    m = i + len("Failed maximal oral ")
    word, before = attrs[y][m:m + len("baclofen")], attrs[y][i:i + len("Failed")]
    rev = lambda c: c != "." and int(c, 16) & 10  # reverse, or standout (often the same)
    ok = all(rev(c) for c in before) and not any(rev(c) for c in word)
    ok = ok and all(c != "." and int(c, 16) & 5 == 5 for c in word)
    if not ok:
        print(f"row {y}: evidence {before!r}, match {word!r}")
    sys.exit(0 if ok else 1)
print("no evidence row")
sys.exit(1)
PY
# ---- marking: v starts a span, v ends it, e marks it -----------------------
cat >"$D/s7" <<EOS
G
/
type Failed maximal
Enter
v
dump $D/v0
j
v
dump $D/v1
j
j
dump $D/v2
e
dump $D/v3
v
v
e
dump $D/v4
v
Esc
dump $D/v5
EOS
run C-TUI-01 "$D/s7"
row "$D/v0" 22 | grep -q "span: 1 row; move, v ends it, e marks it" || fail "v: $(row "$D/v0" 22)"
grep -q "span ended: e marks it, Esc drops it" "$D/v1" || fail "a second v: $(row "$D/v1" 24)"
row "$D/v2" 22 | grep -q "span: 2 rows; e marks it" || fail "the span followed the cursor: $(row "$D/v2" 22)"
grep -q "marked as evidence for L.1" "$D/v3" || fail "e after v v: $(row "$D/v3" 24)"
[ "$(last_mark 1)" = "Failed maximal oral baclofen (90 mg/day), tizanidine, dantrolene," ] ||
    fail "the span marked: '$(last_mark 1)'"
# v v on one row: that row.
grep -q "marked as evidence" "$D/v4" || fail "v v e on one row: $(row "$D/v4" 24)"
[ "$(last_mark)" = "months of physical therapy." ] || fail "the one-row span: '$(last_mark)'"
grep -q "span dropped" "$D/v5" || fail "Esc did not drop the span: $(row "$D/v5" 24)"
grep -q "─\[Note " "$D/v5" || fail "Esc with a span left the note"
echo "tui_panes: ok"
