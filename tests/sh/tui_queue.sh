#!/bin/sh
# The queue: cases sorted by due time, claim and release, Enter opens the
# review and q comes back to the queue.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
$BIN import fixtures/import/C-000142 fixtures/import/C-000139 fixtures/import/C-000147 >/dev/null ||
    fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"

start 80x24 NO_COLOR=1 --
wait_for "casereview  queue"
wait_for "C-000147"
has "3 open,"
# Sorted by due: 139 (urgent) before 147 before 142.
r139=$(row_of C-000139) r147=$(row_of C-000147) r142=$(row_of C-000142)
[ "$r139" -lt "$r147" ] && [ "$r147" -lt "$r142" ] || fail "not sorted by due: $r139 $r147 $r142"
screen | grep "C-000139" | grep -q " U " || fail "urgency not shown"
# An overdue case is marked by '!' and a word, never colour alone.
screen | grep "C-0" | grep "overdue" | grep -vq "^!" && fail "an overdue row without its '!'"

# Claim and release the selected (first) case.
keys c
wait_for "claimed C-000139"
screen | grep "C-000139" | grep -q " me" || fail "holder not shown after claim"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT holder FROM case_state WHERE case_id='C-000139'")" = "$(id -un)" ] ||
    fail "claim not in the store"
keys r
wait_for "released C-000139"

# Filter, then open a case and come back.
keys /
keys "C-000142" Enter
wait_for "filter: C-000142"
hasnt "C-000139"
keys Enter
wait_for "Criteria 0/4 reviewed"
has "C-000142"
keys q
wait_for "casereview  queue"
keys q
wait_for "EXIT=0"
echo "tui_queue: ok"
