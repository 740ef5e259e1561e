#!/bin/sh
# Crash safety: a process recording decisions is killed with SIGKILL, many
# times, at varied moments.  Afterwards the database passes
# PRAGMA integrity_check, the audit chain verifies, and every decision the
# process reported saved (it reports only after COMMIT returned) is there.
. tests/env.sh
TOOL=${CR_TOOLS:-build/tools}/storetorture
[ -x "$TOOL" ] || { echo "store_crash: $TOOL not built"; exit 1; }
DB="$TEST_TMP/crash.db"
"$TOOL" setup "$DB" K- 2000 kdoc >/dev/null || { echo "store_crash: setup failed"; exit 1; }
: > "$TEST_TMP/saved"
i=0
for delay in 0.02 0.05 0.08 0.13 0.21 0.34 0.03 0.09 0.15 0.27 \
             0.04 0.07 0.11 0.19 0.29 0.06 0.12 0.17 0.23 0.38 \
             0.01 0.10 0.16 0.25 0.33; do
    "$TOOL" record "$DB" K- kdoc >> "$TEST_TMP/saved" 2>> "$TEST_TMP/errors" &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    i=$((i + 1))
done
saved=$(grep -c '^saved ' "$TEST_TMP/saved")
if [ -s "$TEST_TMP/errors" ]; then
    echo "store_crash: the recorder failed:"; head -5 "$TEST_TMP/errors"; exit 1
fi
if [ "$saved" -lt 1 ]; then
    echo "store_crash: no decision was recorded in $i runs"; exit 1
fi
out=$("$TOOL" check "$DB" "$TEST_TMP/saved" 2>&1) || { echo "store_crash: $out"; exit 1; }
echo "store_crash: $i kills, $saved decisions reported saved: $out"
