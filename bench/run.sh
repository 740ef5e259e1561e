#!/bin/sh
# Runs every benchmark in bench/ and prints its figures.  Not part of
# `make test`: speed is reported, not asserted.
set -u
cd "$(dirname "$0")/.." || exit 2
export CASEREVIEW_HOME="$(pwd)" LC_ALL=C.UTF-8 TZ=UTC
status=0
for b in bench/*.sh; do
    [ "$b" = bench/run.sh ] && continue
    echo "== $(basename "$b" .sh)"
    sh "$b" || { echo "   (bench $(basename "$b") failed)"; status=1; }
done
exit $status
