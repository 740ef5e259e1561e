#!/bin/sh
# How long `casereview check` takes on one case of three notes against one
# section, end to end: process start, loading and validating the installed
# policies, loading the extractor, reading the notes, extracting and
# evaluating.  Prints the mean over N runs (figures, not pass/fail).
set -u
BIN=${CR_BIN:-./casereview}
CASE=fixtures/cases/ccs-implant-teen-approval
N=${N:-50}
export CASEREVIEW_HOME=${CASEREVIEW_HOME:-$(pwd)}
"$BIN" check --policy=ccs-nl-05-0612 --section=implant --format=tsv "$CASE"/*.txt >/dev/null || exit 1
start=$(date +%s%N)
i=0
while [ $i -lt "$N" ]; do
    "$BIN" check --policy=ccs-nl-05-0612 --section=implant --format=tsv "$CASE"/*.txt >/dev/null
    i=$((i + 1))
done
end=$(date +%s%N)
us=$(( (end - start) / N / 1000 ))
printf '   check, 3 notes, ccs implant (8 criteria), whole process: %d.%03d ms per run (mean of %d)\n' \
    $((us / 1000)) $((us % 1000)) "$N"
# The policy loader alone: parse, refuse DTDs, RELAX NG validation, build.
start=$(date +%s%N)
i=0
while [ $i -lt "$N" ]; do
    "$BIN" policy validate policies/ccs-nl-05-0612.xml >/dev/null
    i=$((i + 1))
done
end=$(date +%s%N)
us=$(( (end - start) / N / 1000 ))
printf '   policy validate (one policy, whole process):              %d.%03d ms per run\n' \
    $((us / 1000)) $((us % 1000))
# The same steps inside one process (schema compiled once, as in the
# workstation): where the time goes.
TOOL=${CR_TOOLS:-build/tools}/benchcheck
[ -x "$TOOL" ] && "$TOOL" "$N" policies/ccs-nl-05-0612.xml implant "$CASE"/*.txt
exit 0
