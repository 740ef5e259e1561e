#!/bin/sh
# Writes fixtures/store/v1.sql, a frozen case store of schema version 1
# (the tests upgrade it and verify its audit trail).  Run once; the file is
# kept as it was made, so that it stays an old database as the code moves.
#
#   tools/mkstorefixture.sh          (needs make, and the sqlite3 shell)
#
# The rows are made by the store's own calls (storetorture sample: two
# imported cases, reviewers, a claim, review, comment, verdict, evidence
# mark and decision, a pended case still held), then the schema is taken
# back to exactly what migration 1 creates: migration 2's table and index
# dropped, migration 3's index put back as migration 1 made it.  The
# detail of the audit rows is that of the build that ran this.
set -eu
cd "$(dirname "$0")/.."
tool=${BUILD:-build}/tools/storetorture
out=${OUT:-fixtures/store/v1.sql}
[ -x "$tool" ] || { echo "mkstorefixture.sh: $tool not built (make)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CASEREVIEW_HOME=$(pwd) "$tool" sample "$tmp/v1.db"
sqlite3 "$tmp/v1.db" "DROP TABLE ui_state; DROP INDEX case_state_holder;
    DROP INDEX case_state_queue; CREATE INDEX case_state_queue ON case_state(closed, due);
    PRAGMA user_version=1; PRAGMA journal_mode=DELETE;" >/dev/null
{
    echo "-- A case store at schema version 1, made by tools/mkstorefixture.sh"
    echo "-- on $(date -u +%Y-%m-%d) (casereview $(git rev-parse --short HEAD)). Do not edit:"
    echo "-- tests/unit/test_store_migrate.c upgrades it and verifies its audit trail."
    sqlite3 "$tmp/v1.db" .dump
    echo "PRAGMA user_version=1;"
} > "$out"
echo "$out"
