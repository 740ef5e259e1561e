#!/bin/sh
# The queue: cases sorted by due time, each with its status (a pended case
# stays visible as pended), claim, release and an administrator's
# takeover, Enter opens the review and q comes back to the queue.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
# The three open cases are copies received relative to this run's clock, so
# that none of them has fallen overdue by the time the test runs: 139 (urgent,
# 72 h) is due in 3 days, 147 in 4, 142 in 5.
redate() { # CASE DAYS-AGO
    mkdir -p "$TEST_TMP/import" && cp -R "fixtures/import/$1" "$TEST_TMP/import/" &&
        sed -i "s/received=\"[^\"]*\"/received=\"$(date -u -d "-$2 days" +%Y-%m-%dT%H:%M:%SZ)\"/" \
            "$TEST_TMP/import/$1/request.xml"
}
redate C-000139 0 && redate C-000147 3 && redate C-000142 2 || fail "redate"
$BIN import "$TEST_TMP/import/C-000142" "$TEST_TMP/import/C-000139" "$TEST_TMP/import/C-000147" \
    fixtures/tui/C-TUI-LATE >/dev/null ||
    fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"
# C-000142 pended (by a key script), and C-000147 held by another reviewer.
cat >"$TEST_TMP/pend" <<EOS
g
a
j
a
j
a
j
a
d
P
Enter
type ask for the bolus trial report
Enter
y
EOS
CASEREVIEW_SCRIPT="$TEST_TMP/pend" $BIN review C-000142 </dev/null >/dev/null 2>&1 || fail "pend by script"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT decision FROM decisions WHERE case_id='C-000142'")" = pend ] ||
    fail "C-000142 was not pended"
$BIN admin add alice nurse --name="A. Lee" >/dev/null || fail "admin add"
sqlite3 "$CASEREVIEW_DB" "UPDATE case_state SET holder='alice', held_since=strftime('%s') WHERE case_id='C-000147'" ||
    fail "a claim for alice"

start 80x24 NO_COLOR=1 --
wait_for "casereview  queue"
wait_for "C-000147"
has "4 open,"
# Sorted by due: the late one (received in 2020), then 139 (urgent), 147, 142.
rl=$(row_of C-TUI-LATE) r139=$(row_of C-000139) r147=$(row_of C-000147) r142=$(row_of C-000142)
[ "$rl" -lt "$r139" ] && [ "$r139" -lt "$r147" ] && [ "$r147" -lt "$r142" ] ||
    fail "not sorted by due: $rl $r139 $r147 $r142"
# Overdue stands out by a mark and a word, not by colour alone.
screen | grep "C-TUI-LATE" | grep -qE "^.! overdue [0-9]+d" || fail "the overdue case is not marked"
has "1 overdue"
screen | grep "C-000139" | grep -q " U " || fail "urgency not shown"
# An overdue case is marked by '!' and a word, never colour alone.
screen | grep "C-" | grep "overdue" | grep -vqE "^.!" && fail "an overdue row without its '!'"

# The status of each case shows: C-000142 is pended.
screen | grep "C-000142" | grep -q " pended " || fail "the pended status is not shown"
screen | grep "C-000139" | grep -q " open " || fail "the open status is not shown"
# Every row's due column is whole ("overdue NNNNd" or "NNd NNh").
screen | grep -E "^.!" | grep -qvE "^.! overdue [0-9]+d( [0-9]{2}h)? " && fail "a cut due column"

# Claim and release a case.
keys j
wait_re "^>.*C-000139"
keys c
wait_for "claimed C-000139"
screen | grep "C-000139" | grep -q " me" || fail "holder not shown after claim"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT holder FROM case_state WHERE case_id='C-000139'")" = "$(id -un)" ] ||
    fail "claim not in the store"
keys r
wait_for "released C-000139"

# Sort by urgency: the urgent cases first.
keys s
wait_for "sort: urgency"
keys s s s
wait_for "sort: due"

# An administrator takes over another reviewer's claim, after a yes; other
# keys neither answer nor run.
keys g
wait_re "^>.*C-TUI-LATE"
keys j j
wait_re "^>.*C-000147"
screen | grep "C-000147" | grep -q " alice" || fail "alice's claim not shown"
keys T
wait_for "take over C-000147 from A. Lee? (y/n)"
keys x
has "take over C-000147 from A. Lee? (y/n)"
keys y
wait_for "took over C-000147"
screen | grep "C-000147" | grep -q " me" || fail "not mine after the takeover"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT action || ' ' || previous FROM claims WHERE case_id='C-000147' ORDER BY id DESC LIMIT 1")" = "takeover alice" ] ||
    fail "the takeover in the store: $(sqlite3 "$CASEREVIEW_DB" "SELECT * FROM claims")"
keys r
wait_for "released C-000147"

# Filter, then open a case and come back.
keys /
keys "C-000142" Enter
wait_for "filter: C-000142"
hasnt "C-000139"
keys Enter
wait_for "Criteria 4/4 reviewed"
has "C-000142"
screen | head -1 | grep -q "pended$" || fail "the review's header does not say pended"
keys q
wait_for "casereview  queue"
keys q
wait_for "EXIT=0"
echo "tui_queue: ok"
