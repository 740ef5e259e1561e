#!/bin/sh
# A released policy revision never changes: each installed policy file
# matches the fingerprint policies/revisions.tsv records for its id and
# revision.  An edit without a new revision fails here, and so does a new
# revision nobody recorded (the message gives the line to add).
set -u
. tests/env.sh
L=policies/revisions.tsv
[ -f "$L" ] || { echo "FAIL: $L is missing"; exit 1; }
fail=0
for f in policies/*.xml; do
    head=$(grep -m1 '^<policy ' "$f")
    id=$(printf '%s\n' "$head" | sed -n 's/.* id="\([^"]*\)".*/\1/p')
    rev=$(printf '%s\n' "$head" | sed -n 's/.* revision="\([0-9]*\)".*/\1/p')
    [ -n "$id" ] && [ -n "$rev" ] || { echo "FAIL: $f: no id and revision on its <policy> line"; fail=1; continue; }
    sum=$(sha256sum <"$f" | cut -d' ' -f1)
    want=$(awk -F'\t' -v id="$id" -v r="$rev" '$1 == id && $2 == r {print $3}' "$L")
    if [ -z "$want" ]; then
        echo "FAIL: $f: revision $rev of $id is not recorded; add to $L:"
        printf '%s\t%s\t%s\n' "$id" "$rev" "$sum"
        fail=1
    elif [ "$want" != "$sum" ]; then
        echo "FAIL: $f: $id revision $rev was changed after its release; raise revision= and record the new one"
        fail=1
    fi
    # Revisions only go up.
    top=$(awk -F'\t' -v id="$id" '$1 == id && $2 > m {m = $2} END {print m + 0}' "$L")
    [ "$rev" -ge "$top" ] || { echo "FAIL: $f: revision $rev is below the recorded $top"; fail=1; }
done
exit $fail
