#!/bin/sh
test_description='a crash (kill -9) at any point of a commit leaves a sound store'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" >/dev/null &&
	crm add "Bob Ross" >/dev/null
'

# After a crash: git is happy, HEAD is the old or the new commit, the
# next crm command brings the working tree in line, and crm works.
check_after_crash() { # <old head> <text that may or may not be there>
	git -C "$CRM_DIR" fsck --strict --no-dangling >/dev/null 2>fsck || {
		cat fsck; return 1; }
	head=$(git -C "$CRM_DIR" rev-parse HEAD) &&
	if [ "$head" != "$1" ]; then
		test_cmp_str "$1" "$(git -C "$CRM_DIR" rev-parse HEAD~1)" || return 1
	fi &&
	crm list >/dev/null &&
	test_store_sound &&
	if [ "$head" != "$1" ]; then
		grep -q "$2" "$(crm path jane)" || { echo "lost: $2"; return 1; }
	else
		! grep -q "$2" "$(crm path jane)" || { echo "half: $2"; return 1; }
	fi &&
	crm log jane "after $2" &&
	test_store_sound
}

for point in objects commit journal ref worktree index; do
	test_expect_success "killed at '$point' during log" "
		old=\$(git -C \"\$CRM_DIR\" rev-parse HEAD) &&
		test_must_fail_signal env CRM_CRASH_AT=$point crm log jane 'crash at $point' &&
		check_after_crash \"\$old\" 'crash at $point'
	"
done

for point in objects ref worktree; do
	test_expect_success "killed at '$point' during add" "
		old=\$(git -C \"\$CRM_DIR\" rev-parse HEAD) &&
		test_must_fail_signal env CRM_CRASH_AT=$point crm add 'New $point' &&
		git -C \"\$CRM_DIR\" fsck --strict --no-dangling >/dev/null &&
		crm list >out &&
		test_store_sound &&
		crm add 'Again $point' >/dev/null &&
		test_store_sound
	"
done

test_expect_success 'an import of many rows killed while writing its files is finished by the next crm' '
	{ echo "name,email" &&
	  for i in $(seq 1000 1599); do echo "Person $i,p$i@example.com"; done; } >many.csv &&
	old=$(git -C "$CRM_DIR" rev-parse HEAD) &&
	test_must_fail_signal env CRM_CRASH_AT=worktree crm import many.csv &&
	git -C "$CRM_DIR" fsck --strict --no-dangling >/dev/null &&
	crm list --format tsv >out &&
	test $(grep -c "^person-1[0-5][0-9][0-9]	" out) = 600 &&
	test_store_sound &&
	test_cmp_str "$old" "$(git -C "$CRM_DIR" rev-parse HEAD~1)"
'

test_expect_success 'kill -9 at random moments, many times' '
	i=0 &&
	while [ $i -lt 25 ]; do
		old=$(git -C "$CRM_DIR" rev-parse HEAD) &&
		# (a leak check cut short by the kill is no finding)
		{ ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
		  crm log jane "random $i" & pid=$!; } &&
		sleep 0.0$(( (i * 7) % 10 )) &&
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null;
		git -C "$CRM_DIR" fsck --strict --no-dangling >/dev/null || return 1
		head=$(git -C "$CRM_DIR" rev-parse HEAD) &&
		{ test "$head" = "$old" ||
		  test "$(git -C "$CRM_DIR" rev-parse HEAD~1)" = "$old"; } || return 1
		crm list >/dev/null && test_store_sound || return 1
		crm log bob "write after kill $i" || return 1
		i=$((i + 1))
	done
'

test_expect_success 'no staging garbage is left behind' '
	crm log bob "one more" &&
	test -z "$(ls -A "$CRM_DIR/.git/crm-tmp" 2>/dev/null)"
'

test_expect_success 'a stale index.lock or ref lock from a killed git is recovered' '
	touch -d "2020-01-01" "$CRM_DIR/.git/index.lock" &&
	crm log jane "past a stale index lock" &&
	test ! -e "$CRM_DIR/.git/index.lock" &&
	touch -d "2020-01-01" "$CRM_DIR/.git/refs/heads/main.lock" &&
	crm log jane "past a stale ref lock" &&
	test ! -e "$CRM_DIR/.git/refs/heads/main.lock" &&
	test_store_sound
'

test_expect_success 'a fresh lock of a running git is not stolen' '
	touch "$CRM_DIR/.git/refs/heads/main.lock" &&
	test_must_fail 1 crm log jane "blocked" 2>err &&
	test_grep "refs/heads/main.lock. is held by another program" err &&
	rm "$CRM_DIR/.git/refs/heads/main.lock" &&
	test_store_sound
'

test_done
