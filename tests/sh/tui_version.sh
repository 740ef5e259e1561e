#!/bin/sh
# A case keeps the policy version it was reviewed under: installing a
# newer revision of the policy does not start a new review (with none of
# the verdicts); when the reviewed version is no longer installed the case
# says so and is read-only rather than silently switching.  Key scripts
# and screen dumps, with a CASEREVIEW_HOME of its own.
set -u
. tests/env.sh
BIN=${CR_BIN:-./casereview}
export CASEREVIEW_DB="$TEST_TMP/db.sqlite"
fail() { echo "FAIL: $*"; exit 1; }
H=$TEST_TMP/crhome
mkdir -p "$H"
cp -R data policies "$H/" || fail "copy data and policies"
# The test's own revision 1, whatever revision is installed.
sed -i 's/id="tufts-1035136" revision="[0-9]*"/id="tufts-1035136" revision="1"/' \
    "$H/policies/tufts-1035136.xml" || fail "make revision 1"
export CASEREVIEW_HOME="$H"
D=$TEST_TMP
$BIN import fixtures/tui/C-TUI-01 >/dev/null || fail "import"
$BIN admin role "$(id -un)" nurse >/dev/null || fail "admin role"
run() { # script dump...
    CASEREVIEW_SCRIPT="$1" $BIN review C-TUI-01 </dev/null >/dev/null 2>"$D/err" ||
        fail "exit status $? ($(cat "$D/err"))"
}
reviews() { sqlite3 "$CASEREVIEW_DB" "SELECT effective || 'r' || revision FROM reviews ORDER BY id" | tr '\n' ' '; }

# Revision 1: a verdict on criterion 1.
printf 'g\na\ndump %s\n' "$D/r1" >"$D/s1"
run "$D/s1"
grep -q "Criteria 1/4 reviewed" "$D/r1" || fail "the verdict under r1"
grep -q "^casereview  C-TUI-01  tufts-1035136 · coverage 2009-04-06r1" "$D/r1" ||
    fail "the header does not show the version: $(head -1 "$D/r1")"
[ "$(reviews)" = "2009-04-06r1 " ] || fail "reviews: $(reviews)"

# A revision 2 of the same policy is installed: the case stays on r1.
sed 's/id="tufts-1035136" revision="1"/id="tufts-1035136" revision="2"/' \
    "$H/policies/tufts-1035136.xml" >"$H/policies/tufts-1035136-r2.xml"
grep -q 'revision="2"' "$H/policies/tufts-1035136-r2.xml" || fail "no revision 2 made"
$BIN policy list | grep -q "2009-04-06r2" || fail "revision 2 not installed"
printf 'dump %s\nj\na\ndump %s\n' "$D/r1b" "$D/r1c" >"$D/s2"
run "$D/s2"
grep -q "Criteria 1/4 reviewed" "$D/r1b" || fail "reopened with r2 installed, the verdicts are gone"
grep -q "2009-04-06r1" "$D/r1b" || fail "not shown under r1: $(head -1 "$D/r1b")"
grep -q "2009-04-06r2" "$D/r1b" && fail "shown under r2"
grep -q "Criteria 2/4 reviewed" "$D/r1c" || fail "a verdict could not be recorded under r1"
[ "$(reviews)" = "2009-04-06r1 " ] || fail "a new review began: $(reviews)"

# Revision 1 removed: the case says it was reviewed under r1, is shown
# under r2 for reading, and refuses verdicts; no review begins under r2.
rm "$H/policies/tufts-1035136.xml"
printf 'dump %s\nj\nj\na\ndump %s\n' "$D/gone" "$D/gone2" >"$D/s3"
run "$D/s3"
grep -q "^casereview  C-TUI-01  tufts-1035136 · coverage 2009-04-06r2 (not r1) .*read-only$" "$D/gone" ||
    fail "the header does not say which version and read-only: $(head -1 "$D/gone")"
# (a long message takes two rows)
tr '\n' ' ' <"$D/gone" | grep -q "reviewed under tufts-1035136 2009-04-06r1, not installed now; shown under 2009-04-06r2" ||
    fail "no reason given: $(tail -3 "$D/gone")"
grep -q "Criteria 2/4 reviewed" "$D/gone" || fail "the verdicts recorded under r1 are not shown"
grep -q "^read-only: reviewed under" "$D/gone2" || fail "a verdict was not refused"
grep -q "Criteria 2/4 reviewed" "$D/gone2" || fail "a verdict was recorded on an unknown version"
[ "$(reviews)" = "2009-04-06r1 " ] || fail "a review began on another version: $(reviews)"
[ "$(sqlite3 "$CASEREVIEW_DB" "SELECT COUNT(*) FROM verdicts")" = 2 ] || fail "verdict rows"
echo "tui_version: ok"
