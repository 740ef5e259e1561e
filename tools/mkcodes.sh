#!/bin/sh
# Rebuilds data/codes/codes.bin, the code table casereview maps at start-up.
#
#   tools/mkcodes.sh [SRC-DIR]       (or: make codes)
#
# Each October (ICD-10-CM) or quarter (HCPCS), drop the new official CMS
# files into SRC-DIR (default data/codes/src) and run this script:
#   icd10cm_order_YYYY.txt       ICD-10-CM order file (fixed width)
#   icd10cm_tabular_YYYY.xml     ICD-10-CM tabular list (chapters, sections)
#   HCPCYYYY_CONTR_ANWEB*.txt    HCPCS Level II record file (fixed width)
# Several HCPCS files may be given; they are read oldest year first, so the
# newest description wins.  Without official files it falls back to the CSV
# extracts in ../shared/data/codes (how the shipped table was built).
# Set MKCODES to another mkcodes binary, OUT to write elsewhere.
set -eu
cd "$(dirname "$0")/.."
src=${1:-data/codes/src}
mk=${MKCODES:-${BUILD:-build}/tools/mkcodes}
out=${OUT:-data/codes/codes.bin}
[ -x "$mk" ] || { echo "mkcodes.sh: $mk not built (make codes)" >&2; exit 2; }

newest() { # pattern: the last match in version order, or nothing
    ls -1 $1 2>/dev/null | sort -V | tail -n 1
}
year_of() { # the year in a file name (icd10cm_order_2019.txt: 2019)
    basename "$1" | grep -o '20[0-9][0-9]' | head -n 1
}

order=$(newest "$src/icd10cm_order_*.txt")
tabular=$(newest "$src/icd10cm_tabular_*.xml")
hcpcs=$(ls -1 "$src"/HCPC*_CONTR_ANWEB*.txt 2>/dev/null | sort -V || true)
set --
if [ -n "$order" ]; then
    set -- "$@" --icd-release="FY$(year_of "$order")" --icd-order="$order"
    [ -n "$tabular" ] && set -- "$@" --icd-tabular="$tabular"
fi
last=
for h in $hcpcs; do
    set -- "$@" --hcpcs="$h"
    last=$h
done
[ -n "$last" ] && set -- "$@" --hcpcs-release="$(year_of "$last")"

shared=../shared/data/codes
if [ -z "$order" ] && [ -f "$shared/icd10cm_2019.csv" ]; then
    echo "mkcodes.sh: no order file in $src; using $shared/icd10cm_2019.csv" >&2
    set -- "$@" --icd-release=FY2019 --icd-csv="$shared/icd10cm_2019.csv"
fi
if [ -z "$last" ] && [ -f "$shared/hcpcs_level2_2019.csv" ]; then
    echo "mkcodes.sh: no HCPCS file in $src; using the CSV extracts in $shared" >&2
    set -- "$@" --hcpcs-release=2019 --hcpcs-csv="$shared/hcpcs_level2_2019.csv"
    if [ -f "$shared/hcpcs_level2_opps_addendumB_2026-04.csv" ]; then
        set -- "$@" --opps-release=2026-04 \
            --opps-csv="$shared/hcpcs_level2_opps_addendumB_2026-04.csv"
    fi
fi
[ $# -gt 0 ] || { echo "mkcodes.sh: no code files in $src or $shared" >&2; exit 2; }
"$mk" -o "$out" "$@"
ls -l "$out"
