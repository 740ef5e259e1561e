#!/bin/sh
# The review workstation end to end, in a real terminal (tmux at 80x24):
# open a case, walk the criteria, set verdicts (one overriding the
# suggestion, with a reason), comment, search the note, resize, record a
# decision, quit; then the rows in the case store, and a reopen that
# restores the verdicts and the selection.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
ME=$(id -un)
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
$BIN admin role "$ME" nurse >/dev/null || fail "admin role"

start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
has "C-TUI-01"
has "tufts-1035136"
has "outcome:"
has "suggested:"
# Every criterion of the section is listed, unreviewed ('?').
for c in " 2 " " 3 " " L.1 "; do
    screen | grep -q "^.$(echo "$c" | sed 's/ //g') .*?" || fail "criterion$c not listed as unreviewed"
done

# Walk: the detail follows the selection.
keys j
wait_for "─ 2 · "
keys j
wait_for "─ 3 · "
# Criterion 3 (a positive bolus response): the letter says no test dose
# was performed, so the engine suggests not met (criteria contract).
has "suggested: not met"
# Overriding it needs a reason: the prompt asks, and Esc records nothing.
keys m
wait_for "reason:"
keys Escape
wait_for "cancelled"
has "Criteria 0/4 reviewed"
keys m
wait_for "reason:"
keys "bolus trial report received by fax" Enter
wait_for "3: met, overridden"
wait_for "Criteria 1/4 reviewed"

# The others: set by key; a prompt for a reason only if it overrides.
verdict() { # key
    keys "$1"
    i=0
    while [ $i -lt 100 ]; do
        s=$(screen)
        case "$s" in
        *"reason:"*) keys "reviewer disagrees" Enter; break ;;
        *": met, accepted"* | *": met, set by hand"* | *": met, overridden"*) break ;;
        esac
        sleep 0.05
        i=$((i + 1))
    done
}
keys k k
wait_for "─ 1 · "
verdict m
wait_for "Criteria 2/4 reviewed"
# A decision is refused while criteria are unreviewed, and says which.
keys d
wait_for "no decision yet: 2 unreviewed (2 L.1)"
# ... and goes to the first of them.
wait_for "─ 2 · "
verdict m
keys j j
wait_for "─ L.1 · "
verdict m
wait_for "Criteria 4/4 reviewed"

# A comment on the selected criterion.
keys c
wait_for "comment on L.1:"
keys "indication is spasticity" Enter
wait_for "comment saved on L.1"
wait_for "comment: indication is spasticity"

# Evidence by hand: in the note, the sentence under the cursor, then a
# span of rows.
keys Tab
wait_for "[Note "
keys j j j e
wait_for "marked as evidence for L.1"
keys k k k
keys v
wait_for "span started"
keys j e
wait_for "marked as evidence for L.1"
wait_for "evidence for L.1"
keys Escape
wait_for "[Criteria"

# The facts: each with its code's name, Enter jumps to its place.
keys f
wait_for "casereview  facts:"
has "E0783"
keys G Enter
wait_for "[Criteria"

# Search the note: the match comes into view; n repeats.
keys /
wait_for "/"
keys "ashworth" Enter
wait_for "Ashworth 4"
keys n
has "Ashworth 4"
keys /
keys "no-such-words-anywhere" Enter
wait_for "not found: no-such-words-anywhere"
keys Escape

# Resize: larger, back, and below the minimum; the selection survives.
keys k
wait_for "─ 3 · "
tm resize-window -x 100 -y 30
wait_for "Criteria 4/4 reviewed"
wait_re "^>3 "
tm resize-window -x 80 -y 24
wait_for "Criteria 4/4 reviewed"
tm resize-window -x 60 -y 20
wait_for "terminal too small"
has "need 80x24, have 60x20"
tm resize-window -x 80 -y 24
wait_for "Criteria 4/4 reviewed"
screen | grep -q "^>3 " || fail "selection lost after the resizes"

# The help screen lists every key of the review.
keys '?'
wait_for "help: review"
has "next-evidence"
has "mark-evidence"
keys q
wait_for "Criteria 4/4 reviewed"

# The decision: choosing only chooses (a radio list); Enter opens the
# rationale; everything is checked before the last yes.
keys d
wait_for "Decision: C-TUI-01"
has "outcome under your verdicts"
has "deny"
# A nurse may not deny: it cannot be chosen, and the dialog says why.
keys D
wait_for "deny is not available: only a physician"
screen | grep -q "> (.) deny" && fail "an unavailable decision was chosen"
keys P
wait_re "> \(.\) pend"
hasnt "rationale for pend:  Enter done"
# An empty rationale is refused inside the dialog, before any yes.
keys Enter
wait_for "rationale for pend:  Enter done"
keys Enter
wait_for "pend needs a rationale"
hasnt "(y/n)"
keys "await the bolus trial report itself" Enter
wait_for "record pend for C-TUI-01? It is final. (y/n)"
# Only y or n answers: N and l are ignored, not run as commands.
keys N l
has "record pend for C-TUI-01? It is final. (y/n)"
has "Decision: C-TUI-01"
keys n
wait_for "cancelled"
[ "$(sql "SELECT COUNT(*) FROM decisions")" = 0 ] || fail "a decision recorded after n"
# The rationale is kept: Enter, Enter, y.
has "await the bolus trial report itself"
keys Enter
wait_for "rationale for pend:  Enter done"
keys Enter
wait_for "record pend for C-TUI-01? It is final. (y/n)"
keys y
wait_for "recorded: pend"

keys q
wait_for "EXIT=0"

# What the case store holds.
[ "$(sql "SELECT verdict || ' ' || origin || ' ' || reason FROM verdicts WHERE case_id='C-TUI-01' AND criterion='3' ORDER BY id DESC LIMIT 1")" = "met overridden bolus trial report received by fax" ] ||
    fail "criterion 3's override in the store: $(sql "SELECT * FROM verdicts WHERE criterion='3'")"
[ "$(sql "SELECT COUNT(DISTINCT criterion) FROM verdicts WHERE case_id='C-TUI-01'")" = 4 ] ||
    fail "four criteria with verdicts"
[ "$(sql "SELECT decision || ' ' || rationale FROM decisions WHERE case_id='C-TUI-01'")" = "pend await the bolus trial report itself" ] ||
    fail "the decision in the store: $(sql "SELECT * FROM decisions")"
[ "$(sql "SELECT text FROM comments WHERE case_id='C-TUI-01' AND criterion='L.1'")" = "indication is spasticity" ] ||
    fail "the comment in the store"
[ "$(sql "SELECT COUNT(*) FROM evidence WHERE case_id='C-TUI-01' AND criterion='L.1' AND end > start")" = 2 ] ||
    fail "the two evidence marks in the store: $(sql "SELECT * FROM evidence")"
[ "$(sql "SELECT criterion FROM ui_state WHERE case_id='C-TUI-01'")" = "3" ] ||
    fail "the selection saved: $(sql "SELECT * FROM ui_state")"

# Reopen: every verdict and the selection come back.
start 80x24 -- review C-TUI-01
wait_for "Criteria 4/4 reviewed"
screen | grep -q "^>3 " || fail "selection not restored"
wait_for "verdict: met, overridden"
has "reason: bolus trial report"
keys q
wait_for "EXIT=0"
echo "tui_review: ok"
