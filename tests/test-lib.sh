# Hermetic test library for crm's end-to-end tests, after git's
# t/test-lib.sh.  Source it from tests/tNNNN-<area>.sh:
#
#   test_description='what this file covers'
#   . ./test-lib.sh
#   test_expect_success 'what a user would notice' '
#           crm add "Jane Doe" >out &&
#           test_cmp_str jane-doe "$(cat out)"
#   '
#   test_done
#
# Every test runs in a fresh shell function with `set -e`-free && chains,
# like git: a test passes when its script exits 0.

TEST_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TEST_DIR/.." && pwd)
CRM_BUILD=${CRM_BUILD:-build}
CRM_BIN="$SRC_DIR/$CRM_BUILD/crm"
[ -x "$CRM_BIN" ] || CRM_BIN="$SRC_DIR/crm"
TEST_NAME=$(basename "$0" .sh)
TRASH="$TEST_DIR/trash.$TEST_NAME"

rm -rf "$TRASH"
mkdir -p "$TRASH" || exit 1
cd "$TRASH" || exit 1

# Nothing from the user's environment leaks in.
unset CRM_DIR XDG_DATA_HOME VISUAL GIT_DIR GIT_WORK_TREE CRM_USER NO_COLOR \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE EMAIL
export LANG=C LC_ALL=C TZ=UTC EDITOR=: HOME="$TRASH" TERM=dumb
export XDG_CONFIG_HOME="$TRASH/.config"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TRASH/.gitconfig"
export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
export GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
export CRM_NOW='2026-11-23T09:00:00+00:00'
export CRM_DIR="$TRASH/store"
# leaks in libraries crm uses, not in crm (tests/lsan.supp says which)
export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/lsan.supp:print_suppressions=0"
# A sanitized crm writes its reports to files that every test looks for:
# a leak found as a command fails keeps its exit status 1, which
# test_must_fail would otherwise accept.
SAN_LOG="$TRASH/.sanitizer"
export ASAN_OPTIONS="log_path=$SAN_LOG"
export UBSAN_OPTIONS="log_path=$SAN_LOG:print_stacktrace=1"

# `crm` is a script on PATH (not a shell function) so that `env`,
# `xargs` and subshells run it too; under CRM_VALGRIND it runs valgrind.
mkdir -p "$TRASH/.bin"
if [ -n "$CRM_VALGRIND" ]; then
	cat >"$TRASH/.bin/crm" <<EOT
#!/bin/sh
exec valgrind -q --error-exitcode=126 --leak-check=full \
	--soname-synonyms=somalloc=libmimalloc.so.2 \
	--errors-for-leak-kinds=definite \
	--suppressions="$SRC_DIR/tests/valgrind.supp" "$CRM_BIN" "\$@"
EOT
else
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$CRM_BIN" >"$TRASH/.bin/crm"
fi
chmod +x "$TRASH/.bin/crm"
export PATH="$TRASH/.bin:$PATH"

test_count=0
test_failed=0
test_passed=0

say() { printf '%s\n' "$*"; }

# Whether a sanitizer wrote a report since the last test; it joins the
# test's log, so the failure says what was found.
sanitizer_reported() {
	for f in "$SAN_LOG".*; do
		[ -f "$f" ] || return 1
		cat "$SAN_LOG".* >>"$TRASH/.log"
		rm -f "$SAN_LOG".*
		return 0
	done
	return 1
}

test_expect_success() {
	test_count=$((test_count + 1))
	test_ok=
	(eval "$2") >"$TRASH/.log" 2>&1 && test_ok=1
	# always looked at, so a report is never blamed on the next test
	sanitizer_reported && test_ok=
	if [ -n "$test_ok" ]; then
		test_passed=$((test_passed + 1))
		[ -n "$VERBOSE" ] && say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $TEST_NAME: $1"
		sed 's/^/#   /' "$TRASH/.log"
	fi
	return 0
}

# Run crm expecting a failure with exit status 1 or 2 (or exactly $1 if
# it is a number).  A crash (signal, sanitizer abort) is never accepted.
test_must_fail() {
	want=
	case "$1" in
	1|2) want=$1; shift ;;
	esac
	"$@"
	status=$?
	if [ $status -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	fi
	if [ $status -gt 2 ]; then
		echo "test_must_fail: '$*' died with status $status" >&2
		return 1
	fi
	if [ -n "$want" ] && [ $status -ne "$want" ]; then
		echo "test_must_fail: '$*' exited $status, wanted $want" >&2
		return 1
	fi
	return 0
}

# The command must be killed by a signal (a crash test's deliberate kill).
test_must_fail_signal() {
	"$@"
	status=$?
	if [ $status -le 128 ]; then
		echo "test_must_fail_signal: '$*' exited $status, not by a signal" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_cmp_str <expected> <actual>
test_cmp_str() {
	if [ "$1" != "$2" ]; then
		printf 'expected: %s\n  actual: %s\n' "$1" "$2" >&2
		return 1
	fi
}

# The file exists and holds a line matching the pattern.
test_grep() {
	if [ "$1" = "!" ]; then
		shift
		if grep -q -e "$1" "$2"; then
			echo "test_grep: '$1' unexpectedly found in $2:" >&2
			cat "$2" >&2
			return 1
		fi
		return 0
	fi
	if ! grep -q -e "$1" "$2"; then
		echo "test_grep: '$1' not found in $2:" >&2
		cat "$2" >&2
		return 1
	fi
}

test_line_count() { # <op> <n> <file>
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, expected $1 $2" >&2
		cat "$3" >&2
		return 1
	fi
}

# A store that git itself finds sound and clean.
test_store_sound() {
	git -C "${1:-$CRM_DIR}" fsck --strict --no-dangling >/dev/null 2>"$TRASH/.fsck" || {
		cat "$TRASH/.fsck" >&2
		return 1
	}
	st=$(git -C "${1:-$CRM_DIR}" status --porcelain)
	if [ -n "$st" ]; then
		echo "store not clean:" >&2
		echo "$st" >&2
		return 1
	fi
}

commit_count() {
	git -C "${1:-$CRM_DIR}" rev-list --count HEAD
}

test_done() {
	say "# $TEST_NAME: $test_passed passed, $test_failed failed"
	echo "$test_passed $test_failed" >"$TEST_DIR/.result.$TEST_NAME"
	cd "$TEST_DIR" || exit 1
	[ $test_failed -eq 0 ] && [ -z "$KEEP_TRASH" ] && rm -rf "$TRASH"
	[ $test_failed -eq 0 ]
}
