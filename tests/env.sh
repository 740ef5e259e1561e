# The pinned test environment, sourced by every test script.
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ESCDELAY=25
export CASEREVIEW_HOME="$(pwd)"
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/casereview-test.XXXXXX")
export HOME="$TEST_TMP/home" XDG_CONFIG_HOME="$TEST_TMP/home/.config" XDG_DATA_HOME="$TEST_TMP/home/.local/share"
mkdir -p "$HOME"
unset NO_COLOR CASEREVIEW_DB
trap 'rm -rf "$TEST_TMP"' EXIT
