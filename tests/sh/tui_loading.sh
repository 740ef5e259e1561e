#!/bin/sh
# A long note shows at once while its facts and criteria are read on
# another thread: the criteria say so, keys that need them wait, the note
# can be read and moved in meanwhile, and where the reviewer moved to is
# kept when the criteria arrive.
set -u
. tests/env.sh
. tests/sh/lib/tui.sh
NOTE=$TEST_TMP/long.txt
# About 2 MB: half a second or so to read on a test machine.
i=0
while [ $i -lt 2500 ]; do cat fixtures/tui/C-TUI-01/letter.txt; i=$((i + 1)); done >"$NOTE"

start 80x24 -- review --policy=tufts-1035136 --section=coverage "$NOTE"
wait_for "Criteria: reading the notes"
has "The Member has severe spasticity"   # the first criterion's words already
has "facts: reading the notes"
keys a
wait_for "reading the notes: a moment"
# The note moves while it is read; the criteria then arrive without
# taking the reviewer back to the top.
keys Tab G
wait_for "100%"
during=0
screen | grep -q "Criteria: reading the notes" && during=1
wait_for "Criteria 0/4 reviewed" 400
has "100%"
hasnt "reading the notes"
[ $during = 1 ] || echo "tui_loading: (the note was read before G: the jump was not tested)"
# Everything works once loaded.
keys BTab a
wait_for "Criteria 1/4 reviewed"
keys q
wait_for "1 verdict will be lost"
keys y
wait_for "EXIT=0"
echo "tui_loading: ok"
