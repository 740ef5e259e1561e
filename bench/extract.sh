#!/bin/sh
# Extraction speed and memory over a corpus of notes, next to the time
# pcre2grep takes to scan the same files with the same patterns (exported
# by `casereview extract --dump-patterns`).  The corpus is the MTSamples
# set from ../shared when present (one file per note), else a generated
# corpus of at least 20 MB.  Prints figures; asserts nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
export CASEREVIEW_HOME="$(pwd)" LC_ALL=C.UTF-8 TZ=UTC
CR=${CR_BIN:-./casereview}
[ -x "$CR" ] || { echo "extract bench: build $CR first"; exit 2; }
command -v python3 >/dev/null || { echo "extract bench: needs python3"; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/casereview-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/notes"
CSV=../shared/data/corpus/mtsamples.csv
if [ -f "$CSV" ]; then
    src="MTSamples ($CSV)"
    python3 - "$CSV" "$W/notes" <<'PY'
import csv, sys, os
csv.field_size_limit(1 << 30)
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    t = row["transcription"]
    if t.strip():
        with open(os.path.join(sys.argv[2], row["note_id"] + ".txt"), "w", encoding="utf-8") as f:
            f.write(t)
PY
else
    src="generated from fixtures/notes (no ../shared corpus)"
    python3 - "$W/notes" <<'PY'
import glob, os, random, sys
random.seed(1)
texts = [open(p, encoding="utf-8", errors="replace").read()
         for p in sorted(glob.glob("fixtures/notes/*.txt"))]
size, i = 0, 0
while size < 21 << 20:
    t = "\n\n".join(random.choice(texts) for _ in range(4))
    t = t.replace("44", str(20 + i % 60))
    with open(os.path.join(sys.argv[1], "n%05d.txt" % i), "w") as f:
        f.write(t)
    size += len(t.encode())
    i += 1
PY
fi
ls "$W"/notes/*.txt > "$W/list"
# The second list is half the corpus: peak memory must not grow with it.
head -n "$(( $(wc -l < "$W/list") / 2 ))" "$W/list" > "$W/half"
notes=$(wc -l < "$W/list")
bytes=$(cat "$W"/notes/*.txt | wc -c)

# The patterns that scan whole notes (the others look at a few words
# around a match and are not a scan).
"$CR" extract --dump-patterns > "$W/patterns"
npat=$(wc -l < "$W/patterns")

# Best of three runs, wall-clock seconds; peak RSS in kB of the last.
run() { # label, then the command
    label=$1; shift
    best=
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$W/t" "$@" > "$W/out" 2>/dev/null
        read -r secs rss <<EOT
$(tail -n 1 "$W/t")
EOT
        if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
    done
    eval "${label}_s=$best ${label}_rss=$rss"
}
run extract sh -c "\"$CR\" extract --stdin-paths < \"$W/list\""
facts=$(wc -l < "$W/out")
run half sh -c "\"$CR\" extract --stdin-paths < \"$W/half\""
run grep sh -c "xargs pcre2grep -u -o -h -f \"$W/patterns\" < \"$W/list\""
matches=$(wc -l < "$W/out")

mb=$(echo "scale=2; $bytes / 1048576" | bc)
rate() { echo "scale=1; $1 / $2" | bc; }
printf 'corpus: %s\n' "$src"
printf '  %d notes, %s MB, %d patterns\n' "$notes" "$mb" "$npat"
printf '  extract (context included): %6.2f s  %7.1f MB/s  %8.0f notes/s  %d facts  peak RSS %d kB\n' \
    "$extract_s" "$(rate "$mb" "$extract_s")" "$(rate "$notes" "$extract_s")" "$facts" "$extract_rss"
printf '  extract, half the corpus:   %6.2f s  peak RSS %d kB (memory does not grow with the corpus)\n' \
    "$half_s" "$half_rss"
printf '  pcre2grep -o, same patterns: %5.2f s  %7.1f MB/s  %d matches  peak RSS %d kB\n' \
    "$grep_s" "$(rate "$mb" "$grep_s")" "$matches" "$grep_rss"
printf '  extract / bare scan: %sx (target: within 2x)\n' "$(echo "scale=2; $extract_s / $grep_s" | bc)"
