#!/bin/sh
test_description='loose objects stay bounded: crm starts git gc --auto as git does after a commit'
. ./test-lib.sh

# Is the commit at HEAD a loose object (not yet packed)?
head_is_loose() {
	h=$(git -C "$CRM_DIR" rev-parse HEAD) &&
	test -e "$CRM_DIR/.git/objects/$(echo "$h" | cut -c1-2)/$(echo "$h" | cut -c3-)"
}

loose_in_17() {
	ls "$CRM_DIR/.git/objects/17" 2>/dev/null | wc -l
}

# Loose blobs until objects/17 holds at least $1 of them (git's sample).
fill_17() {
	i=0
	while [ "$(loose_in_17)" -lt "$1" ]; do
		i=$((i + 1))
		printf 'filler %d\n' "$i" >"$TRASH/filler"
		git -C "$CRM_DIR" hash-object -w "$TRASH/filler" >/dev/null || return 1
	done
}

# The gc runs on its own, crm does not wait: give it up to 60 s to pack
# HEAD's commit.
wait_until_packed() {
	n=0
	while head_is_loose && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	! head_is_loose && wait_for_gc_end
}

wait_for_gc_end() {
	n=0
	while [ -e "$CRM_DIR/.git/gc.pid" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ ! -e "$CRM_DIR/.git/gc.pid" ]
}

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Ann Lee" >/dev/null &&
	git -C "$CRM_DIR" config gc.auto 256 &&
	git -C "$CRM_DIR" config gc.autoDetach false
'

test_expect_success 'below the threshold a change leaves loose objects alone' '
	fill_17 1 &&
	crm log ann "first call" >/dev/null &&
	head_is_loose &&
	test -z "$(ls "$CRM_DIR/.git/objects/pack")"
'

test_expect_success 'past it, the next change packs them, and the store stays sound' '
	fill_17 2 &&
	crm log ann "second call" >/dev/null &&
	wait_until_packed &&
	ls "$CRM_DIR/.git/objects/pack" | grep -q "\.pack$" &&
	test_store_sound &&
	crm show ann >out && test_grep "second call" out
'

test_expect_success 'gc.auto=0 or maintenance.auto=false turn it off; reads never start it' '
	git -C "$CRM_DIR" config gc.auto 0 &&
	crm log ann "third call" >/dev/null &&
	head_is_loose &&
	git -C "$CRM_DIR" config gc.auto 256 &&
	crm list >/dev/null && crm show ann >/dev/null &&
	head_is_loose &&
	git -C "$CRM_DIR" config maintenance.auto false &&
	crm log ann "third call, maintenance off" >/dev/null &&
	sleep 1 && head_is_loose &&
	git -C "$CRM_DIR" config --unset maintenance.auto
'

test_expect_success 'git variables a hook may have set do not send it to another repository' '
	git init -q --bare other.git &&
	fill_17 2 &&
	GIT_DIR="$TRASH/other.git" GIT_OBJECT_DIRECTORY="$TRASH/other.git/objects" \
		crm log ann "from a hook" >/dev/null &&
	wait_until_packed &&
	test -z "$(ls other.git/objects/pack)"
'

test_expect_success 'without git on PATH a change still works' '
	mkdir nogit && ln -s "$TRASH/.bin/crm" nogit/crm &&
	PATH="$TRASH/nogit" crm log ann "fourth call" >/dev/null &&
	head_is_loose &&
	crm show ann >out && test_grep "fourth call" out &&
	crm log ann "fifth call" >/dev/null && wait_until_packed
'

test_expect_success 'crm does not wait for the gc, even when git would (gc.autoDetach false)' '
	fill_17 2 &&
	mkdir slowgit &&
	printf "#!/bin/sh\nsleep 5\nexec %s \"\$@\"\n" "$(command -v git)" >slowgit/git &&
	chmod +x slowgit/git &&
	start=$(date +%s) &&
	PATH="$TRASH/slowgit:$PATH" crm log ann "sixth call" >/dev/null &&
	test $(($(date +%s) - start)) -lt 4 &&
	wait_until_packed
'

test_expect_success 'forget --purge-history refuses while a git gc holds the repository' '
	git -C "$CRM_DIR" config gc.auto 0 && wait_for_gc_end &&
	crm add "Gus Private" --email gus@private.example >/dev/null &&
	gcpid=$(sh -c "sleep 300 >/dev/null 2>&1 & echo \$!") &&
	printf "%s %s" "$gcpid" "$(hostname)" >"$CRM_DIR/.git/gc.pid" &&
	before=$(git -C "$CRM_DIR" rev-parse HEAD) &&
	test_must_fail 1 crm forget --purge-history gus 2>err;
	status=$?; kill $gcpid; rm -f "$CRM_DIR/.git/gc.pid"; test $status = 0 &&
	test_grep "a git gc is running" err && test_line_count = 1 err &&
	test_cmp_str "$before" "$(git -C "$CRM_DIR" rev-parse HEAD)" &&
	crm show gus >/dev/null &&
	crm forget --purge-history gus >/dev/null 2>&1 &&
	test_must_fail 1 crm show gus 2>/dev/null &&
	test ! -e "$CRM_DIR/.git/gc.pid" &&
	test_store_sound
'

test_done
