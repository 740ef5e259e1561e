#!/bin/sh
# The workstation across terminals: NO_COLOR, TERM=vt100 and screen, the
# accessible mode's cursor, and a note carrying escape sequences that must
# reach the screen only as harmless visible characters.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"
ESC=$(printf '\033')

# Colours by default (TERM as tmux sets it): some SGR colour in the
# screen's attributes.
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
tm capture-pane -p -e | grep -qE "$ESC\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+)(;[0-9;]*)?m" ||
    fail "no colour at all with TERM=$TERM"
keys q
wait_for "EXIT=0"

# NO_COLOR: attributes only (reverse, bold, underline), never a colour.
start 80x24 NO_COLOR=1 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
if tm capture-pane -p -e | grep -qE "$ESC\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m"; then
    fail "a colour was drawn although NO_COLOR is set"
fi
tm capture-pane -p -e | grep -qE "$ESC\[([0-9;]*;)?7(;[0-9;]*)?m" ||
    fail "no reverse video for the selection under NO_COLOR"
keys q
wait_for "EXIT=0"

# A key sequence this terminal type does not know (ESC [ 4 ~ is End on
# TERM=screen, nothing on xterm) is one ignored key, not Esc, '[', '4'
# and '~' run one by one; the same for any CSI or SS3 sequence.
start 80x24 TERM=xterm-256color -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
keys g Tab
wait_for "[Note "
note_cursor() { screen | grep -n "│>" | cut -d: -f1; }
at=$(note_cursor)
keys -l "$ESC[4~"
wait_for "unknown key: ignored"
has "[Note "
[ "$(note_cursor)" = "$at" ] || fail "an unknown sequence moved the note's cursor"
keys -l "$ESC[99;5u"
keys -l "${ESC}Oz"
# k after them moves the note's cursor up one row: nothing ran before it.
keys k
wait_for "[Note "
i=0
while [ "$(note_cursor)" != $((at - 1)) ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(note_cursor)" = $((at - 1)) ] || fail "after unknown CSI and SS3 sequences, k did not move up one row"
# A plain Esc still goes back.
keys Escape
wait_for "[Criteria"
keys q
wait_for "EXIT=0"

# The escape sequences of clinic.txt: the title stays, the screen is not
# cleared, and what shows is the replacement character with the rest.
tm set-option -g set-titles off >/dev/null 2>&1
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
before=$(tm display-message -p '#{pane_title}')
keys /
keys "PWNED" Enter
wait_for "Spasticity remains"
has "PWNED-TITLE"
has "casereview  C-TUI-01"
after=$(tm display-message -p '#{pane_title}')
[ "$after" = "$before" ] || fail "the note changed the pane title to '$after'"
case "$after" in *PWNED*) fail "the note set the title" ;; esac
tm capture-pane -p -e | grep -qF "$ESC]" && fail "an OSC sequence reached the screen"
screen | grep -F "PWNED-TITLE" | grep -qF "$(printf '\357\277\275')" ||
    fail "the ESC before the title sequence is not shown as U+FFFD"
# The 8-bit CSI (C1 0x9b) is replaced too, and the screen was not cleared
# by CSI 2J: the header and the criteria are still there.
has "Criteria 0/4 reviewed"
keys q
wait_for "EXIT=0"

# TERM=vt100 (no colour, no UTF-8 line drawing needed) and screen.
for term in xterm-256color vt100 screen linux; do
    start 80x24 TERM=$term -- review C-TUI-01
    wait_for "Criteria 0/4 reviewed"
    has "outcome:"
    # The selection is restored from the last run: go to the top first.
    keys g
    wait_for "─ 1 · "
    keys j
    wait_for "─ 2 · "
    keys q
    wait_for "EXIT=0"
done

# Not a UTF-8 locale: ASCII line drawing and no raw multibyte output.
start 80x24 LANG=C LC_ALL=C -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
has "|"
hasnt "$(printf '\342\224\202')"
keys q
wait_for "EXIT=0"

# --accessible: the real cursor sits on the selected criterion's row.
start 80x24 -- review --accessible C-TUI-01
wait_for "Criteria 0/4 reviewed"
keys g
wait_re "^- 1 - "
keys j
wait_re "^- 2 - "
want=$(row_of ">2 ")
got=$(tm display-message -p '#{cursor_y}')
[ "$got" = "$want" ] || fail "accessible: cursor on row $got, selection on row $want"
hasnt "$(printf '\342\224\202')"
keys q
wait_for "EXIT=0"

# A key configuration file: rebinding is honoured, a bad line is reported.
mkdir -p "$XDG_CONFIG_HOME/casereview"
printf 'bind review y facts\nbind review z frobnicate\n' >"$XDG_CONFIG_HOME/casereview/config"
start 80x24 -- review C-TUI-01
wait_for "unknown action 'frobnicate'"
wait_for "Criteria 0/4 reviewed" # the facts are in: the facts screen has them
keys y
wait_for "casereview  facts:"
keys q
wait_for "Criteria 0/4 reviewed"
keys q
wait_for "EXIT=0"
# Loose files with no policy named: the picker proposes the section the
# codes point to; Enter reviews under it; verdicts on loose files are not
# saved, so leaving asks first.
rm -f "$XDG_CONFIG_HOME/casereview/config"
start 80x24 -- fixtures/tui/C-TUI-01/letter.txt fixtures/tui/C-TUI-01/clinic.txt
wait_for "choose the policy and section"
has "proposed: "
screen | grep -q "^> proposed " || fail "the proposal is not the selected row"
# Choose another: the last row.
keys G
wait_re "^>.*tufts-1035136"
keys Enter
wait_for "Criteria 0/4 reviewed"
has "loose files: verdicts not saved"
keys a
wait_for "Criteria 1/4 reviewed"
keys q
wait_for "loose files: 1 verdict will be lost (a case folder keeps them). Leave? (y/n)"
keys n
wait_for "cancelled"
keys q
wait_for "Leave? (y/n)"
keys y
wait_for "EXIT=0"
echo "tui_terminal: ok"
