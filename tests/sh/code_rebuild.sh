#!/bin/sh
# The documented rebuild (tools/mkcodes.sh) on the official-format fixtures
# in fixtures/codes: the order file, the tabular XML and the HCPCS record
# file become a table that `casereview code` reads; a damaged input stops
# the rebuild with a located one-line error and leaves no table behind.
. tests/env.sh
CR=${CR_BIN:-./casereview}
case $CR in
    */*) bin=$(dirname "$CR") ;;
    *) bin=. ;;
esac
[ "$bin" = . ] && mk=build/tools/mkcodes || mk=$bin/tools/mkcodes
fail=0
home="$TEST_TMP/site"
mkdir -p "$home/data/codes"
if ! MKCODES=$mk OUT="$home/data/codes/codes.bin" tools/mkcodes.sh fixtures/codes >"$TEST_TMP/log" 2>&1; then
    echo "FAIL: rebuild from fixtures"; cat "$TEST_TMP/log"; exit 1
fi
out=$(CASEREVIEW_HOME="$home" $CR code --format=tsv E0782 G0219 LT S72.001A G80 U07.1)
expect() {
    printf '%s\n' "$out" | grep -qF -- "$(printf "$1")" || { echo "FAIL: missing [$1]"; fail=1; }
}
expect 'E0782\thcpcs\tok\tInfusion pump, implantable, non-programmable (includes all components, e.g., pump, catheter, connectors, etc.)'
# The record file gives G0219 a termination date: its status is retired
# (and, like every status, exit 0: it is still a code).
expect 'G0219\thcpcs\tretired\tPet imaging whole body; melanoma for non-covered indications\tretired'
expect 'LT\tmodifier\tok\tLeft side'
expect 'S72.001A\ticd10\tok\tFracture of unspecified part of neck of right femur, initial encounter for closed fracture\tbillable'
expect 'G80\ticd10\tnot billable\tCerebral palsy\tchildren=G80.0 G80.1 G80.9'
expect 'U07.1\ticd10\tnot in list'
human=$(CASEREVIEW_HOME="$home" $CR code G0219) || { echo "FAIL: a retired code exits $?"; fail=1; }
case $human in *"retired (the HCPCS release gives a termination date)"*) ;; *) echo "FAIL: retired in words: $human"; fail=1 ;; esac
# The CSV extracts carry no termination dates, and the rebuild says so.
grep -q "no HCPCS code .* is marked retired" "$TEST_TMP/log" && { echo "FAIL: termination note for official files"; fail=1; }
human=$(CASEREVIEW_HOME="$home" $CR code U07.1)
case $human in *"not in the FY2019 ICD-10-CM list"*) ;; *) echo "FAIL: release label from the order file name: $human"; fail=1 ;; esac

# From the CSV extracts (how the shipped table is built) nothing can be
# known retired: the rebuild says so.
"$mk" -o "$TEST_TMP/csv.bin" --hcpcs-csv=fixtures/codes/hcpcs.csv >/dev/null 2>"$TEST_TMP/csvlog" ||
    { echo "FAIL: rebuild from a CSV extract"; cat "$TEST_TMP/csvlog"; fail=1; }
grep -q "carry no termination dates, so no HCPCS code in .* is marked retired" "$TEST_TMP/csvlog" ||
    { echo "FAIL: no word that retirement is unknown:"; cat "$TEST_TMP/csvlog"; fail=1; }

# A damaged order file: located error, exit non-zero, the old table kept.
mkdir -p "$TEST_TMP/bad"
cp fixtures/codes/icd10cm_order_2019.txt "$TEST_TMP/bad/icd10cm_order_2020.txt"
printf '00011 G80.0 1 broken\n' >> "$TEST_TMP/bad/icd10cm_order_2020.txt"
before=$(cksum < "$home/data/codes/codes.bin")
if MKCODES=$mk OUT="$home/data/codes/codes.bin" tools/mkcodes.sh "$TEST_TMP/bad" >"$TEST_TMP/log" 2>&1; then
    echo "FAIL: damaged order file accepted"; fail=1
fi
grep -q 'icd10cm_order_2020.txt:11: not an ICD-10-CM order record' "$TEST_TMP/log" ||
    { echo "FAIL: error not located:"; cat "$TEST_TMP/log"; fail=1; }
[ "$(cksum < "$home/data/codes/codes.bin")" = "$before" ] || { echo "FAIL: table changed"; fail=1; }
exit $fail
