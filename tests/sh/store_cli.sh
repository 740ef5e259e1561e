#!/bin/sh
# The store's commands end to end: import, cases, admin, audit verify and
# show, and a tampered database caught by audit verify.
. tests/env.sh
CR=${CR_BIN:-./casereview}
fail=0
check() { # description, then the command's output must contain $2
    case "$3" in *"$2"*) ;; *) echo "store_cli: $1: expected '$2' in:"; echo "$3"; fail=1 ;; esac
}
out=$($CR import fixtures/import/C-000142 fixtures/import/C-000139 fixtures/import/C-000147 2>&1)
[ $? -eq 0 ] || { echo "store_cli: import failed: $out"; exit 1; }
check "import" "imported C-000139: 1 note, urgent, due 2026-11-24 17:30 UTC" "$out"
DB="$XDG_DATA_HOME/casereview/casereview.db"
[ -f "$DB" ] || { echo "store_cli: no database at the XDG default $DB"; exit 1; }
mode=$(stat -c %a "$DB"); dmode=$(stat -c %a "$(dirname "$DB")")
[ "$mode" = 600 ] && [ "$dmode" = 700 ] || { echo "store_cli: modes $mode $dmode"; fail=1; }

out=$($CR import fixtures/import/bad-dtd 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: bad-dtd import exit $rc"; fail=1; }
check "dtd refused" "a DTD is not allowed" "$out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || { echo "store_cli: error is not one line"; fail=1; }

out=$($CR cases --format=tsv)
check "cases header" "case	urgency	status" "$out"
first=$(printf '%s\n' "$out" | sed -n 2p | cut -f1)
[ "$first" = C-000139 ] || { echo "store_cli: soonest due first, got $first"; fail=1; }
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] || { echo "store_cli: 3 cases expected"; fail=1; }

me=$(id -un)
out=$($CR admin whoami); check "first user is administrator" "administrator" "$out"
$CR admin add nurse1 nurse --name="N. One" --credentials=RN || fail=1
$CR admin role "$me" physician || fail=1
out=$($CR admin list)
check "admin list nurse" "nurse1           nurse      RN" "$out"
check "admin list me" "physician" "$out"
out=$($CR admin role nurse1 surgeon 2>&1); check "unknown role" "unknown role surgeon" "$out"

CASEREVIEW_DB="$TEST_TMP/other.db" $CR cases >/dev/null || fail=1
[ -f "$TEST_TMP/other.db" ] || { echo "store_cli: CASEREVIEW_DB ignored"; fail=1; }

out=$($CR audit verify); check "verify" "audit chain intact" "$out"
out=$($CR audit show C-000139); check "show" "import" "$out"
check "show notes named, not quoted" "refill-visit.txt" "$out"
case "$out" in *"withdrawal"*) echo "store_cli: note text in the audit"; fail=1 ;; esac

# Tamper as someone with the file would: the chain names the row.
row=$(sqlite3 "$DB" "SELECT id FROM audit WHERE action='import' AND case_id='C-000142'")
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET detail='{}' WHERE id=$row" || fail=1
out=$($CR audit verify 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: verify of a tampered chain exit $rc"; fail=1; }
check "tampered row named" "audit row $row was altered" "$out"
exit $fail
