#!/bin/sh
# The store's commands end to end: import, cases, admin (and who the store
# acts as), admin takeover, audit verify (with the head) and show, and
# tampered databases caught by audit verify.
. tests/env.sh
CR=${CR_BIN:-./casereview}
TOOL=${CR_TOOLS:-build/tools}/storetorture
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

# The reviewer is the OS user, whatever the environment says.
out=$(USER=mallory LOGNAME=mallory $CR admin whoami)
case "$out" in "$me "*) ;; *) echo "store_cli: USER=mallory: whoami says: $out"; fail=1 ;; esac
out=$(USER=mallory LOGNAME=mallory $CR admin list)
case "$out" in *mallory*) echo "store_cli: USER=mallory registered a reviewer"; fail=1 ;; esac

# An administrator takes over another reviewer's claim, and is told whose.
"$TOOL" claim "$DB" C-000142 nurse1 || fail=1
out=$($CR admin takeover C-000142 2>&1); check "takeover" "C-000142: taken over from nurse1" "$out"
out=$($CR admin takeover C-000142 2>&1); check "takeover again" "you hold it already" "$out"
out=$($CR audit show C-000142); check "takeover audited" "takeover" "$out"
check "takeover names the holder" '"previous":"nurse1"' "$out"
out=$($CR admin takeover C-000147 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: takeover of an unheld case exit $rc"; fail=1; }
check "takeover unheld" "nobody holds case C-000147" "$out"

CASEREVIEW_DB="$TEST_TMP/other.db" $CR cases >/dev/null || fail=1
[ -f "$TEST_TMP/other.db" ] || { echo "store_cli: CASEREVIEW_DB ignored"; fail=1; }

out=$($CR audit verify); check "verify" "audit chain intact" "$out"
head=$(printf '%s\n' "$out" | sed -n 's/^head //p')
case "$head" in [1-9]*:????????????????????????????????????????????????????????????????) ;;
    *) echo "store_cli: verify printed no head ID:HEX: $out"; fail=1 ;; esac
$CR admin add nurse2 nurse >/dev/null || fail=1
out=$($CR audit verify --head="$head"); check "verify --head" "recorded head $head: present" "$out"
out=$($CR audit verify --head=3:beef 2>&1); rc=$?
[ $rc -eq 2 ] || { echo "store_cli: verify --head=3:beef exit $rc"; fail=1; }
out=$($CR audit show C-000139); check "show" "import" "$out"
check "show notes named, not quoted" "refill-visit.txt" "$out"
case "$out" in *"withdrawal"*) echo "store_cli: note text in the audit"; fail=1 ;; esac

# Tamper, on copies, as someone with the file would: verify names the row.
copy() { rm -f "$TEST_TMP/copy.db"*; sqlite3 "$DB" ".backup '$TEST_TMP/copy.db'"; }
copy
sqlite3 "$TEST_TMP/copy.db" "UPDATE reviewers SET role='physician', admin=1 WHERE user='nurse1'"
out=$($CR audit --db="$TEST_TMP/copy.db" verify 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: verify of a forged role exit $rc"; fail=1; }
check "forged role named" "reviewers row nurse1 was altered (role)" "$out"

# The tail cut off with the high-water mark reset: only the head tells.
head=$($CR audit verify | sed -n 's/^head //p')
copy
first=$(sqlite3 "$DB" "SELECT min(id) FROM audit WHERE json_extract(detail,'\$.user')='nurse2'")
sqlite3 "$TEST_TMP/copy.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id>=$first;
    DELETE FROM reviewers WHERE user='nurse2';
    UPDATE sqlite_sequence SET seq=(SELECT max(id) FROM audit) WHERE name='audit'" || fail=1
out=$($CR audit --db="$TEST_TMP/copy.db" verify 2>&1)
check "a cut tail passes without the head" "audit chain intact" "$out"
out=$($CR audit --db="$TEST_TMP/copy.db" verify --head="$head" 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: verify --head of a cut tail exit $rc"; fail=1; }
check "cut tail named" "audit row $first was removed" "$out"

# Only an administrator takes over.
copy
C="$CR admin --db=$TEST_TMP/copy.db"
$C role nurse1 administrator >/dev/null && $C revoke "$me" >/dev/null || fail=1
"$TOOL" claim "$TEST_TMP/copy.db" C-000139 nurse1 || fail=1
out=$($C takeover C-000139 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: takeover by a non-administrator exit $rc"; fail=1; }
check "takeover refused" "only an administrator takes over a claim" "$out"

# The chain itself names the row.
row=$(sqlite3 "$DB" "SELECT id FROM audit WHERE action='import' AND case_id='C-000142'")
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET detail='{}' WHERE id=$row" || fail=1
out=$($CR audit verify 2>&1); rc=$?
[ $rc -eq 1 ] || { echo "store_cli: verify of a tampered chain exit $rc"; fail=1; }
check "tampered row named" "audit row $row was altered" "$out"
exit $fail
