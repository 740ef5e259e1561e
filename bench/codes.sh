#!/bin/sh
# The cost of the code table: opening it (mmap and validation, target
# under 20 ms), one lookup with its descriptions decoded (target under a
# microsecond), and a whole `casereview code` run.  Figures, not pass/fail.
set -u
cd "$(dirname "$0")/.." || exit 2
CR=${CR_BIN:-./casereview}
[ -x "$CR" ] || { echo "bench/codes.sh: $CR not built"; exit 2; }
ls -l data/codes/codes.bin | awk '{printf "table: %.1f MB (%s bytes)\n", $5 / 1048576, $5}'
"$CR" code --bench || exit 1
n=50
start=$(date +%s%N)
i=0
while [ $i -lt $n ]; do
    "$CR" code G80.0 E0783 62369 >/dev/null
    i=$((i + 1))
done
end=$(date +%s%N)
echo "casereview code G80.0 E0783 62369: $(( (end - start) / n / 1000 )) us per run (exec included, $n runs)"
