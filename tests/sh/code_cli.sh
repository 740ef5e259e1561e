#!/bin/sh
# casereview code: the human and TSV forms, statuses and exit codes, on the
# shipped table, and a damaged table refused with a one-line error.
. tests/env.sh
CR=${CR_BIN:-./casereview}
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if ! "$@"; then echo "FAIL: $d"; fail=1; fi
}
has() { printf '%s\n' "$out" | grep -q -- "$1"; }

out=$($CR code --format=tsv G80.0 g800 G80 U07.1 E0783 62369 LT); rc=$?
check "exit 0 when every code is well-formed" [ "$rc" -eq 0 ]
check "tsv: one line per code" [ "$(printf '%s\n' "$out" | wc -l)" -eq 7 ]
check "tsv: five tab-separated columns" [ "$(printf '%s\n' "$out" | awk -F'\t' 'NF != 5' | wc -l)" -eq 0 ]
check "billable code" has "$(printf 'G80.0\ticd10\tok\tSpastic quadriplegic cerebral palsy\tbillable')"
check "undotted lower case is the same code" [ "$(printf '%s\n' "$out" | grep -c "^G80.0	")" -eq 2 ]
check "category: its children listed" has "$(printf 'G80\ticd10\tnot billable\tCerebral palsy\tchildren=G80.0 G80.1 G80.2 G80.3 G80.4 G80.8 G80.9')"
check "unknown but well-formed" has "$(printf 'U07.1\ticd10\tnot in list\t')"
check "hcpcs" has "$(printf 'E0783\thcpcs\tok\tInfusion pump system, implantable, programmable')"
check "cpt unchecked" has "$(printf '62369\tcpt\tunchecked\t')"
check "modifier" has "$(printf 'LT\tmodifier\tok\tLeft side')"

# CPT: named by a policy's own words where one prints them, else by number.
out=$($CR code --format=tsv 95990 62369)
check "cpt named by the policy that words it" has "$(printf '95990\tcpt\tunchecked\tas ccs-nl-05-0612 words it: Refill and maintenance of pump by a non-physician\tnamed')"
check "cpt no policy words: no description" has "$(printf '62369\tcpt\tunchecked\t(CPT description not shipped)\tno-desc')"

out=$($CR code G80 U07.1 S9590); rc=$?
check "human: children suggested" has "not billable (category): use G80.0 G80.1"
check "human: not in the FY2019 list" has "U07.1 .*not in the FY2019 ICD-10-CM list"
check "human: absent from the OPPS subset" has "S9590 .*not in the OPPS list of 2026-04"

out=$($CR code G80.0 'G80.' "$(printf 'x\033[31my')" 2>&1); rc=$?
check "exit 1 when a code is malformed" [ "$rc" -eq 1 ]
check "malformed reported" has "^G80\.  *-  *malformed"
check "no escape sequence echoed" [ "$(printf '%s\n' "$out" | tr -d '\n' | tr -cd '\033' | wc -c)" -eq 0 ]

out=$(printf 'G80.0\n\n  e0783 \nnot-a-code\n' | $CR code --format=tsv - 62369); rc=$?
check "stdin: exit 1 for the malformed line" [ "$rc" -eq 1 ]
check "stdin: blank lines skipped, argv after stdin" [ "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" = "G80.0 E0783 not-a-code 62369 " ]

$CR code >/dev/null 2>&1; rc=$?
check "usage error exits 2" [ "$rc" -eq 2 ]
$CR code --frobnicate G80 >/dev/null 2>&1; rc=$?
check "unknown option exits 2" [ "$rc" -eq 2 ]
# Options anywhere: after a code it is still an option, never a code.
out=$($CR code D0120 --format=tsv G80.0); rc=$?
check "option after a code: exit 0" [ "$rc" -eq 0 ]
check "option after a code: tsv, two lines" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
check "option after a code: not a code" sh -c "! printf '%s\n' \"\$1\" | grep -q -- '^--format'" sh "$out"
err=$($CR code G80 --frobnicate 2>&1 >/dev/null); rc=$?
check "unknown option after a code exits 2" [ "$rc" -eq 2 ]
case $err in *"unknown option --frobnicate"*) ;; *) echo "FAIL: unknown option not named: $err"; fail=1 ;; esac
out=$($CR code --format=tsv -- G80.0); check "-- ends the options" has "^G80.0	"

# A damaged table: one line on stderr, exit 2, nothing on stdout.
mkdir -p "$TEST_TMP/home/data/codes"
head -c 1000 data/codes/codes.bin > "$TEST_TMP/home/data/codes/codes.bin"
err=$(CASEREVIEW_HOME="$TEST_TMP/home" $CR code G80 2>&1 >/dev/null); rc=$?
check "damaged table exits 2" [ "$rc" -eq 2 ]
check "damaged table: one-line error" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
case $err in *truncated*) ;; *) echo "FAIL: damaged table message: $err"; fail=1 ;; esac
exit $fail
