#!/bin/sh
# The case store's speed: open the queue over 100,000 cases (store_open and
# the first page with its counts) and record a decision.  Targets: under
# 50 ms and under 5 ms.  The database is built once and kept in
# ${CR_BENCH_DIR:-/tmp/casereview-bench} (about 80 MB).
set -u
TOOL=${CR_TOOLS:-build/tools}/storetorture
[ -x "$TOOL" ] || { echo "   storetorture not built (make)"; exit 1; }
dir=${CR_BENCH_DIR:-/tmp/casereview-bench}
mkdir -p "$dir" || exit 1
base="$dir/store-100k.db"
if [ ! -f "$base" ]; then
    start=$(date +%s)
    "$TOOL" populate "$base.tmp" 100000 || exit 1
    mv "$base.tmp" "$base"
    echo "   built 100,000 cases in $(( $(date +%s) - start )) s"
fi
# Each run decides 40 cases: work on a copy so the figures stay comparable.
cp "$base" "$dir/store-run.db" && rm -f "$dir/store-run.db-wal" "$dir/store-run.db-shm"
for run in 1 2 3; do
    "$TOOL" bench "$dir/store-run.db" | sed "s/^/   run $run: /" || exit 1
done
rm -f "$dir/store-run.db" "$dir/store-run.db-wal" "$dir/store-run.db-shm"
