#!/bin/sh
# Leaving on a signal: SIGTERM leaves cleanly, SIGHUP (a dropped SSH
# session) saves and exits without touching the terminal, a fatal signal
# restores the terminal and dies of that signal; Ctrl-Z suspends and fg
# resumes with the screen redrawn.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"

# The program's pid: the child of the pane's shell.
prog_pid() {
    ps -o pid= --ppid "$(tm display-message -p '#{pane_pid}')" | head -1 | tr -d ' '
}
alt_screen() { tm display-message -p '#{alternate_on}'; }

# SIGTERM: the selection is saved, the terminal restored, and the program
# dies of the signal (143), not a normal exit.
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
[ "$(alt_screen)" = 1 ] || fail "the workstation does not use the alternate screen"
keys g j
wait_for "─ 2 · "
kill -TERM "$(prog_pid)"
wait_for "EXIT=143"
[ "$(alt_screen)" = 0 ] || fail "SIGTERM left the terminal in the alternate screen"
[ "$(sql "SELECT criterion FROM ui_state WHERE case_id='C-TUI-01'")" = 2 ] ||
    fail "SIGTERM did not save the selection"

# Ctrl-C is q: on a stored case (everything saved) it leaves; on loose
# files with verdicts it asks first, and n stays.
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
keys C-c
wait_for "EXIT=0"
start 80x24 -- review --policy=tufts-1035136 --section=coverage fixtures/tui/C-TUI-01/letter.txt
wait_for "Criteria 0/4 reviewed"
keys g a
wait_for "Criteria 1/4 reviewed"
keys C-c
wait_for "Leave? (y/n)"
keys C-c
wait_for "cancelled"
has "Criteria 1/4 reviewed"
keys C-c
wait_for "Leave? (y/n)"
# Only y or n answers: other keys neither answer nor run.
keys j x
has "Leave? (y/n)"
keys y
wait_for "EXIT=0"

# SIGHUP: the selection is saved, the exit status says hangup.
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
keys g j j
wait_for "─ 3 · "
kill -HUP "$(prog_pid)"
wait_for "EXIT=129"
[ "$(sql "SELECT criterion FROM ui_state WHERE case_id='C-TUI-01'")" = 3 ] ||
    fail "SIGHUP did not save the selection"

# A crash: the terminal is restored, and the process dies of the signal.
start 80x24 -- review C-TUI-01
wait_for "Criteria 0/4 reviewed"
kill -SEGV "$(prog_pid)"
wait_for "EXIT=139"
[ "$(alt_screen)" = 0 ] || fail "a fatal signal left the terminal in the alternate screen"

# Ctrl-Z in an interactive shell, then fg.
stop
# (a server just killed may still hold the socket: one retry)
tm new-session -d -x 80 -y 24 "env PS1='prompt\$ ' sh -i" ||
    { sleep 0.3; tm new-session -d -x 80 -y 24 "env PS1='prompt\$ ' sh -i"; } || fail "tmux"
wait_for 'prompt$'
keys "$BIN review C-TUI-01 2>$TEST_TMP/stderr" Enter
wait_for "Criteria 0/4 reviewed"
keys C-z
wait_gone "Criteria 0/4 reviewed"
[ "$(alt_screen)" = 0 ] || fail "suspended, the terminal is still in the alternate screen"
keys "fg" Enter
wait_for "Criteria 0/4 reviewed"
has "outcome:"
keys q
wait_gone "Criteria 0/4 reviewed"
echo "tui_signals: ok"
