#!/bin/sh
# casereview extract: the TSV contract (eight columns, byte offsets into the
# file, order), JSON with the same fields, exit codes with bad files among
# good ones, one clear line per bad file, --max-bytes, Latin-1 warnings.
. tests/env.sh
CR=${CR_BIN:-./casereview}
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if ! "$@"; then echo "FAIL: $d"; fail=1; fi
}
T=$TEST_TMP
good=fixtures/notes/itb-refill-table.txt

out=$($CR extract "$good"); rc=$?
check "exit 0 for a good note" [ "$rc" -eq 0 ]
check "facts printed" [ "$(printf '%s\n' "$out" | wc -l)" -ge 15 ]
check "eight tab-separated columns" [ "$(printf '%s\n' "$out" | awk -F'\t' 'NF != 8' | wc -l)" -eq 0 ]
check "file column is the path as given" [ "$(printf '%s\n' "$out" | cut -f1 | sort -u)" = "$good" ]
check "ordered by start" sh -c "printf '%s\n' \"\$1\" | cut -f3 | sort -n -c" _ "$out"
check "statuses are from the contract" [ "$(printf '%s\n' "$out" | cut -f7 | grep -cvE '^(affirmed|negated|historical|hypothetical|family)$')" -eq 0 ]
# Every span, read from the file at its byte offsets, is the text column.
bad_spans=0
printf '%s\n' "$out" | while IFS='	' read -r f line start end kind value status text; do
    span=$(tail -c +"$((start + 1))" "$f" | head -c "$((end - start))" | tr '\t\r\n' '   ')
    if [ "$span" != "$text" ]; then echo "span $start-$end is '$span', text '$text'"; exit 1; fi
    l=$(head -c "$start" "$f" | wc -l)
    if [ "$((l + 1))" -ne "$line" ]; then echo "line $line for offset $start"; exit 1; fi
done || bad_spans=1
check "offsets and lines match the file" [ "$bad_spans" -eq 0 ]
check "a code fact" sh -c "printf '%s\n' \"\$1\" | grep -q \"	icd10	G35	\"" _ "$out"

# CRLF with a BOM: offsets still into the file.
out=$($CR extract fixtures/notes/bom-crlf.txt)
start=$(printf '%s\n' "$out" | awk -F'\t' '$5=="dose"{print $3}')
end=$(printf '%s\n' "$out" | awk -F'\t' '$5=="dose"{print $4}')
check "CRLF+BOM offsets" [ "$(tail -c +"$((start + 1))" fixtures/notes/bom-crlf.txt | head -c "$((end - start))")" = "350 mcg/day" ]

# Latin-1: repaired with a warning naming the file; offsets into the file.
err=$($CR extract fixtures/notes/latin1.txt 2>&1 >/dev/null)
check "Latin-1 warning names the file" sh -c "printf '%s' \"\$1\" | grep -q 'fixtures/notes/latin1.txt.*Latin-1'" _ "$err"
out=$($CR extract fixtures/notes/latin1.txt 2>/dev/null)
start=$(printf '%s\n' "$out" | awk -F'\t' '$5=="age"{print $3}')
check "Latin-1 offsets are file offsets" [ "$(tail -c +"$((start + 1))" fixtures/notes/latin1.txt | head -c 11)" = "67-year-old" ]

# Bad files among good ones.
printf 'abc\000def SECRET-TEXT' > "$T/bin.txt"
: > "$T/empty.txt"
printf 'SECRET-TEXT \377\376\201\215 \220\235' > "$T/badutf8.txt"
head -c 3000 /dev/urandom > "$T/random.txt"
out=$($CR extract "$T/bin.txt" "$good" "$T/empty.txt" "$T/badutf8.txt" "$T/random.txt" /nonexistent 2>"$T/err"); rc=$?
check "exit 1 when a file is bad" [ "$rc" -eq 1 ]
check "the good file is still processed" [ "$(printf '%s\n' "$out" | cut -f1 | sort -u)" = "$good" ]
check "one stderr line per bad file" [ "$(wc -l < "$T/err")" -eq 5 ]
check "binary named" grep -q "bin.txt: binary" "$T/err"
check "empty named" grep -q "empty.txt: empty" "$T/err"
check "invalid UTF-8 named" grep -q "badutf8.txt: invalid UTF-8" "$T/err"
check "missing file named" grep -q "/nonexistent: cannot open" "$T/err"
check "no note text in errors" sh -c "! grep -q SECRET '$T/err'"

# Size limit.
{ cat "$good"; cat "$good"; } | head -c 2000 > "$T/small.txt"
$CR extract --max-bytes=1000 "$T/small.txt" >/dev/null 2>"$T/err"; rc=$?
check "over --max-bytes: exit 1" [ "$rc" -eq 1 ]
check "over --max-bytes: says so" grep -q "too large" "$T/err"
check "under --max-bytes: exit 0" $CR extract --max-bytes=4K "$T/small.txt" >/dev/null
$CR extract --max-bytes=zero "$good" >/dev/null 2>&1; rc=$?
check "a bad --max-bytes is a usage error" [ "$rc" -eq 2 ]

# JSON: an array of objects with the same fields and values.
json=$($CR extract --format=json "$good" fixtures/notes/bom-crlf.txt)
check "json parses" sh -c "printf '%s' \"\$1\" | jq -e 'type == \"array\"' >/dev/null" _ "$json"
tsv=$($CR extract "$good" fixtures/notes/bom-crlf.txt)
fromjson=$(printf '%s' "$json" | jq -r '.[] | [.file, .line, .start, .end, .kind, .value, .status, .text] | @tsv')
check "json has the same facts as tsv" [ "$fromjson" = "$tsv" ]
check "json of no facts is []" [ "$(printf 'nothing here\n' > "$T/none.txt"; $CR extract --format=json "$T/none.txt" | jq -c .)" = "[]" ]

# "-" is standard input, printed as "-".
out=$($CR extract - < fixtures/notes/bom-crlf.txt)
check "stdin as -" [ "$(printf '%s\n' "$out" | cut -f1 | sort -u)" = "-" ]
check "stdin facts" [ "$(printf '%s\n' "$out" | wc -l)" -eq 5 ]

# No arguments: usage.
$CR extract >/dev/null 2>&1; rc=$?
check "usage without files" [ "$rc" -eq 2 ]

# Escape sequences and C1 controls in a note never reach the output: a
# fact's text is cleaned, and a file name too.
printf 'Baclofen\033]0;PWNED\007 50\302\233 mcg bolus. Pump refill 62369\033[2J\n' >"$T/esc.txt"
printf 'Refill visit, baclofen 100 mcg/day.\n' >"$T/esc$(printf '\033')[31m.txt"
out=$($CR extract "$T/esc.txt" "$T"/esc*m.txt)
check "facts of a note with escape sequences" [ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ]
check "no control byte in the output" sh -c "! printf '%s' \"\$1\" | tr -d '\t\n' | LC_ALL=C grep -q \"\$(printf '[\\001-\\037\\177]')\"" _ "$out"
check "no C1 control in the output" sh -c "! printf '%s' \"\$1\" | LC_ALL=C grep -q \"\$(printf '\\302[\\200-\\237]')\"" _ "$out"
out=$($CR check --policy=ccs-nl-05-0612 --section=refill --format=tsv "$T/esc.txt")
check "check's evidence has no control byte" sh -c "! printf '%s' \"\$1\" | tr -d '\t\n' | LC_ALL=C grep -q \"\$(printf '[\\001-\\037\\177]')\"" _ "$out"

[ $fail -eq 0 ] && echo "extract_cli: ok"
exit $fail
