#!/bin/sh
# The workstation's speed in a real terminal (tmux, 80x24): time from the
# start to the first screen on a case with a 1 MB note (the note, while
# its facts and criteria are read on another thread), to the complete
# screen, and from a keystroke to the next screen once everything is
# loaded.  Targets: < 100 ms to the first screen, < 5 ms a keystroke.
# The program writes its own timings when CASEREVIEW_BENCH names a file.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${CR_BIN:-./casereview}
command -v tmux >/dev/null || { echo "   tmux missing: skipped"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/casereview-bench.XXXXXX")
SOCK="$TMP/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
export HOME="$TMP" XDG_CONFIG_HOME="$TMP/config" CASEREVIEW_DB="$TMP/db.sqlite"

# One 1 MB note: real transcriptions from the corpus when ../shared is
# there, else the fixture letter repeated.
CORPUS=../shared/data/corpus/mtsamples.csv
if [ -f "$CORPUS" ] && command -v python3 >/dev/null; then
    python3 - "$CORPUS" "$TMP/note.txt" <<'PY'
import csv, sys
csv.field_size_limit(1 << 24)
out, n = open(sys.argv[2], "w"), 0
for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8", errors="replace")):
    t = (row.get("transcription") or "").replace(",", ", ").strip()
    if not t:
        continue
    out.write(t + "\n\n")
    n += len(t) + 2
    if n >= 1 << 20:
        break
PY
    src="corpus"
else
    while [ "$(wc -c <"$TMP/note.txt" 2>/dev/null || echo 0)" -lt 1048576 ]; do
        cat fixtures/tui/C-TUI-01/letter.txt >>"$TMP/note.txt"
    done
    src="fixture letter repeated"
fi
size=$(wc -c <"$TMP/note.txt")

# Frames drawn so far: the first, then one per key.
lines() { [ -f "$1" ] && grep -cE '^(first_frame|key_to_frame)_ms' "$1" || echo 0; }
wait_lines() { # file n
    i=0
    while [ "$(lines "$1")" -lt "$2" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
run() { # label, args...
    label=$1
    shift
    runs=$((${runs:-0} + 1))
    out="$TMP/times.$runs"
    rm -f "$out"
    tm kill-server 2>/dev/null
    sleep 0.2
    tm new-session -d -x 80 -y 24 "env CASEREVIEW_BENCH=$out NO_COLOR=1 $BIN $* 2>$TMP/err; sleep 600"
    wait_lines "$out" 1
    if [ "$(lines "$out")" -lt 1 ]; then
        echo "   $label: no first screen: $(head -c 200 "$TMP/err")"
        return 1
    fi
    # The note shows first; its facts and criteria follow (complete_frame).
    i=0
    while ! grep -q '^complete_frame_ms' "$out" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    n0=$(lines "$out")
    # Keys a reviewer presses: walk criteria, page the note, search.
    n=$n0
    for k in j j k Tab PageDown PageDown PageDown j j j PageUp BTab j k ']' ']' u j k j; do
        tm send-keys "$k"
        n=$((n + 1))
        wait_lines "$out" $n
    done
    first=$(awk '/^first_frame_ms/ {print $2}' "$out")
    load=$(awk '/^load_ms/ {print $2}' "$out")
    draw=$(awk '/^draw_ms/ {print $2}' "$out")
    complete=$(awk '/^complete_frame_ms/ {print $2}' "$out")
    # Keys pressed once everything is loaded.
    keys=$(awk '/^complete_frame_ms/ {on = 1; next} on && /^key_to_frame_ms/ {print $2}' "$out" | sort -n)
    cnt=$(printf '%s\n' "$keys" | grep -c .)
    med=$(printf '%s\n' "$keys" | awk -v n="$cnt" 'NR == int((n + 1) / 2) {print}')
    max=$(printf '%s\n' "$keys" | tail -1)
    printf '   %s\n     first screen %s ms (notes loaded %s ms; first draw %s ms)\n     complete screen (facts and criteria) %s ms\n     keystroke to screen: median %s ms, max %s ms (%s keys)\n' \
        "$label" "${first:-?}" "${load:-?}" "${draw:-?}" "${complete:-$first}" "${med:-?}" "${max:-?}" "$cnt"
    [ -n "$first" ] || { echo "   (no timings: $(head -c 200 "$TMP/err"))"; return 1; }
}

echo "   note: $size bytes ($src); 80x24 in tmux"
run "1 MB note, tufts coverage" review --policy=tufts-1035136 --section=coverage "$TMP/note.txt"
run "fixture case (2 notes)" review --policy=tufts-1035136 --section=coverage \
    fixtures/tui/C-TUI-01/letter.txt fixtures/tui/C-TUI-01/clinic.txt
