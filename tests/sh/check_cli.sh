#!/bin/sh
# casereview check and casereview policy from the command line: the TSV
# contract, exit statuses, the section picker, and policy validation.
. tests/env.sh
BIN=${CR_BIN:-./casereview}
fail=0
no() { echo "FAIL: $*"; fail=1; }
C=fixtures/cases

out=$("$BIN" check --policy=tufts-1035136 --section=coverage --format=tsv "$C"/tufts-no-bolus/*.txt) || no "check exited $?"
[ "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" = "1 2 3 L.1 outcome " ] || no "criteria in policy order: $(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')"
printf '%s\n' "$out" | head -n 4 | awk -F'\t' 'NF != 3 { bad = 1 } END { exit bad }' || no "criterion lines have three columns"
printf '%s\n' "$out" | tail -n 1 | grep -qx 'outcome	does_not_meet' || no "last line is the outcome"
printf '%s\n' "$out" | grep -q '^3	not_met	.*bolus' || no "3 not_met with the sentence as evidence"
printf '%s\n' "$out" | grep -q '^2	unknown	$' || no "unknown has empty evidence"

# Evidence that runs over a form's indented lines is quoted single-spaced.
out=$("$BIN" check --policy=ccs-nl-05-0612 --section=implant --format=tsv fixtures/cases/ccs-implant-form-my-recommendation/note.txt)
printf '%s\n' "$out" | grep -q '^III.C	met	Having weighed the options, ITB is my' || no "wrapped evidence single-spaced: $out"
printf '%s\n' "$out" | grep -q '  ' && no "no run of blanks in evidence"

"$BIN" check --policy=no-such-policy --format=tsv "$C"/tufts-no-bolus/referral.txt 2>/dev/null; [ $? -eq 2 ] || no "unknown policy exits 2"
"$BIN" check --policy=tufts-1035136 --section=nope --format=tsv "$C"/tufts-no-bolus/referral.txt 2>/dev/null; [ $? -eq 2 ] || no "unknown section exits 2"
"$BIN" check --policy=tufts-1035136 --section=coverage --format=tsv "$C"/tufts-no-bolus/referral.txt /nonexistent/note.txt >/dev/null 2>"$TEST_TMP/err"; [ $? -eq 1 ] || no "unreadable file exits 1"
[ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] || no "one error line for the unreadable file"

err=$("$BIN" check --policy=ccs-nl-05-0612 --format=tsv "$C"/ccs-refill-child-complete/*.txt 2>&1 >/dev/null)
printf '%s\n' "$err" | grep -q 'picked section refill' || no "picker names the section it picked: $err"

# A case keeps the version it was reviewed under.
V=$("$BIN" policy list | awk -F'\t' '$1 == "tufts-1035136" {print $3}')
"$BIN" check --policy=tufts-1035136@"$V" --format=tsv "$C"/tufts-no-bolus/referral.txt >/dev/null 2>&1 || no "explicit version accepted"
"$BIN" check --policy=tufts-1035136@1999-01-01r1 --format=tsv "$C"/tufts-no-bolus/referral.txt >/dev/null 2>&1; [ $? -eq 2 ] || no "missing version exits 2"

list=$("$BIN" policy list) || no "policy list exited $?"
for id in ccs-nl-05-0612 tufts-1035136 cbc-mp-1.058; do
    printf '%s\n' "$list" | grep -q "^$id	" || no "policy list shows $id"
done
printf '%s\n' "$list" | grep -q '^tufts-1035136	2009-04-06	' || no "policy list shows effective dates"
"$BIN" policy validate policies/*.xml >/dev/null || no "installed policies validate"
msg=$("$BIN" policy validate fixtures/policies/xxe.xml 2>&1); [ $? -eq 1 ] || no "xxe policy fails validation"
printf '%s\n' "$msg" | grep -q '^fixtures/policies/xxe.xml:2: .*DOCTYPE' || no "xxe message names file and line: $msg"
printf '%s\n' "$msg" | grep -q root && no "no file content leaks into the message"
# One bad file in the policy folder: the others are still listed and
# checked; the bad one is named on stderr (file:line: reason).
P="$TEST_TMP/policies"
mkdir -p "$P" && cp policies/policy.rng policies/*.xml "$P"/
sed 's/id="tufts-1035136"/id="tufts-1035136" bogus="1"/' policies/tufts-1035136.xml > "$P/tufts-broken.xml"
list=$("$BIN" policy --policies="$P" list 2>"$TEST_TMP/err"); [ $? -eq 1 ] || no "policy list with a bad file exits 1"
[ "$(printf '%s\n' "$list" | wc -l)" -eq 3 ] || no "the three good policies are listed: $list"
grep -q "tufts-broken.xml:[0-9][0-9]*: .*bogus" "$TEST_TMP/err" || no "the bad file is named with its line: $(cat "$TEST_TMP/err")"
out=$("$BIN" check --policies="$P" --policy=tufts-1035136 --format=tsv "$C"/tufts-no-bolus/*.txt 2>"$TEST_TMP/err") || no "check with a bad file exited $?"
printf '%s\n' "$out" | tail -n 1 | grep -qx 'outcome	does_not_meet' || no "check still evaluates: $out"
grep -q "warning: .*tufts-broken.xml:[0-9][0-9]*: .*bogus" "$TEST_TMP/err" || no "check warns of the bad file: $(cat "$TEST_TMP/err")"
"$BIN" policy validate "$P/tufts-broken.xml" >/dev/null 2>&1; [ $? -eq 1 ] || no "validate stays strict"
cp policies/tufts-1035136.xml "$P/tufts-copy.xml"
"$BIN" policy --policies="$P" list >/dev/null 2>"$TEST_TMP/err"
grep -q "tufts-copy.xml: policy tufts-1035136 version $V is already installed from .*tufts-1035136.xml" "$TEST_TMP/err" ||
    no "a duplicate version is refused naming both files: $(cat "$TEST_TMP/err")"
exit $fail
