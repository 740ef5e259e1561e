# Helpers for the terminal tests: the real program in a real terminal
# (tmux), polled until the screen shows what is expected; no sleeps as
# assertions.  Sourced after tests/env.sh.
BIN=${CR_BIN:-./casereview}
# A private server whose socket lives (and goes) with the test's folder.
SOCK="$TEST_TMP/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
screen() { tm capture-pane -p 2>/dev/null; }
fail() {
    echo "FAIL: $*"
    echo "--- screen:"
    screen
    echo "--- stderr:"
    cat "$TEST_TMP/stderr" 2>/dev/null
    exit 1
}
# wait_for TEXT [TRIES]: until the screen shows TEXT (at most ~10 s).
wait_for() {
    i=0
    while [ $i -lt "${2:-200}" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "the screen never showed: $1"
}
# wait_re REGEX: until a screen row matches the extended regex.
wait_re() {
    i=0
    while [ $i -lt 200 ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "no screen row matched: $1"
}
wait_gone() {
    i=0
    while [ $i -lt 200 ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "the screen still shows: $1"
}
has() { screen | grep -qF -- "$1" || fail "expected on screen: $1"; }
hasnt() { ! screen | grep -qF -- "$1" || fail "not expected on screen: $1"; }
keys() { tm send-keys "$@"; }
# start COLSxROWS ENV-ASSIGNMENTS... -- ARGS...: runs the program in a new
# tmux server; "EXIT=<status>" shows when it ends.
start() {
    size=$1
    shift
    envs=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
    shift
    stop
    tries=0
    # A server that is still going away can refuse the new session.
    until tm new-session -d -x "${size%x*}" -y "${size#*x}" \
        "env $envs $BIN $* 2>$TEST_TMP/stderr; echo EXIT=\$?; sleep 600" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -lt 20 ] || fail "tmux did not start"
        sleep 0.1
    done
}
stop() {
    tm kill-server 2>/dev/null
    i=0
    while tm list-sessions >/dev/null 2>&1 && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
}
# The screen row (0-based) whose text starts with PREFIX.
row_of() { screen | grep -nF -- "$1" | head -1 | cut -d: -f1 | awk '{print $1 - 1}'; }
sql() { sqlite3 "$CASEREVIEW_DB" "$1"; }
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }
