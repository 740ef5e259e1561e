#!/bin/sh
# Concurrency: eight processes record decisions on different cases at once
# for several seconds.  None fails (no "database is locked"), and every
# decision each reported saved is in the store.  Then four processes race
# for the same cases, all starting at one moment (a shared start time, after
# each has opened the store): the claim admits one, no case is decided
# twice, at least two racers win cases and some claim is lost to another
# (the race was a race).
. tests/env.sh
TOOL=${CR_TOOLS:-build/tools}/storetorture
[ -x "$TOOL" ] || { echo "store_concurrency: $TOOL not built"; exit 1; }
DB="$TEST_TMP/conc.db"
"$TOOL" setup "$DB" W0- 600 doc0 doc1 doc2 doc3 doc4 doc5 doc6 doc7 >/dev/null ||
    { echo "store_concurrency: setup failed"; exit 1; }
for p in 1 2 3 4 5 6 7; do
    "$TOOL" setup "$DB" "W$p-" 600 >/dev/null || { echo "store_concurrency: setup failed"; exit 1; }
done
pids=""
for p in 0 1 2 3 4 5 6 7; do
    "$TOOL" record "$DB" "W$p-" "doc$p" 4 > "$TEST_TMP/out.$p" 2> "$TEST_TMP/err.$p" &
    pids="$pids $!"
done
fail=0
for pid in $pids; do
    wait "$pid" || fail=1
done
cat "$TEST_TMP"/out.* > "$TEST_TMP/saved"
for p in 0 1 2 3 4 5 6 7; do
    if [ -s "$TEST_TMP/err.$p" ]; then
        echo "store_concurrency: process $p: $(head -1 "$TEST_TMP/err.$p")"; fail=1
    fi
    n=$(grep -c '^saved ' "$TEST_TMP/out.$p")
    [ "$n" -gt 0 ] || { echo "store_concurrency: process $p recorded nothing"; fail=1; }
done
if grep -q 'database is locked' "$TEST_TMP"/err.*; then
    echo "store_concurrency: 'database is locked'"; fail=1
fi
[ $fail -eq 0 ] || exit 1
out=$("$TOOL" check "$DB" "$TEST_TMP/saved" 2>&1) || { echo "store_concurrency: $out"; exit 1; }
echo "store_concurrency: 8 processes, $(grep -c '^saved ' "$TEST_TMP/saved") decisions: $out"

"$TOOL" setup "$DB" R- 400 >/dev/null || { echo "store_concurrency: setup failed"; exit 1; }
pids=""
start=$(($(date +%s%3N) + 1000))
for p in 0 1 2 3; do
    "$TOOL" race "$DB" R- "doc$p" 3 "$start" > "$TEST_TMP/race.$p" 2> "$TEST_TMP/rerr.$p" &
    pids="$pids $!"
done
for pid in $pids; do
    wait "$pid" || fail=1
done
for p in 0 1 2 3; do
    [ -s "$TEST_TMP/rerr.$p" ] && { echo "store_concurrency: racer $p: $(head -1 "$TEST_TMP/rerr.$p")"; fail=1; }
done
grep -h '^saved ' "$TEST_TMP"/race.* > "$TEST_TMP/rsaved"
dup=$(sort "$TEST_TMP/rsaved" | uniq -d | head -3)
[ -z "$dup" ] || { echo "store_concurrency: decided by two racers: $dup"; fail=1; }
won=0 each=""
for p in 0 1 2 3; do
    n=$(grep -c '^saved ' "$TEST_TMP/race.$p")
    [ "$n" -gt 0 ] && won=$((won + 1))
    each="$each$n "
done
lost=$(cat "$TEST_TMP"/race.* | grep -c '^lost ')
[ "$won" -ge 2 ] || { echo "store_concurrency: only $won racer(s) won cases ($each): no race"; fail=1; }
[ "$lost" -gt 0 ] || { echo "store_concurrency: no racer ever met a case another held: no race"; fail=1; }
[ $fail -eq 0 ] || exit 1
out=$("$TOOL" check "$DB" "$TEST_TMP/rsaved" 2>&1) || { echo "store_concurrency: race: $out"; exit 1; }
echo "store_concurrency: 4 racers (${each}won each, $lost claims lost to another), $(wc -l < "$TEST_TMP/rsaved") decisions: $out"
