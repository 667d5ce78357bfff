#!/bin/sh
test_description='history and undo'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --tag lead --owner alice >/dev/null &&
	printf "shoe_size: 42\n" >>"$(crm path jane)" &&
	git -C "$CRM_DIR" commit -qam "hand: shoe size" &&
	crm set jane owner=bob tags+=vip
'

test_expect_success 'history lists the changes with fields, newest first' '
	crm history jane >out &&
	head -n 1 out >first &&
	test_grep "crm: set jane-doe owner, tags" first &&
	test_grep "    owner: alice -> bob" out &&
	test_grep "    tags: \[lead\] -> \[lead, vip\]" out &&
	test_grep "hand: shoe size" out &&
	test_grep "    shoe_size: + 42" out &&
	test_grep "crm: add jane-doe" out &&
	grep -c "^[0-9a-f]\{7\} " out >count &&
	test_cmp_str 3 "$(cat count)"
'

test_expect_success 'history --json and --format tsv' '
	crm history --json jane >out &&
	python3 -c "
import json; h = json.load(open(\"out\"))
assert [e[\"subject\"] for e in h] == [\"crm: set jane-doe owner, tags\", \"hand: shoe size\", \"crm: add jane-doe\"], h
assert {\"field\": \"owner\", \"before\": \"alice\", \"after\": \"bob\"} in h[0][\"changes\"], h[0]
" &&
	crm history --format tsv jane >out &&
	test_line_count = 4 out
'

test_expect_success 'undo reverts the last crm change as a new commit' '
	before=$(commit_count) &&
	crm undo >out &&
	test_grep "undid .crm: set jane-doe owner, tags." out &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_grep "^owner: alice$" "$(crm path jane)" &&
	test_grep "^shoe_size: 42$" "$(crm path jane)" &&
	git -C "$CRM_DIR" log -1 --format=%B >msg &&
	test_grep "^Undoes: [0-9a-f]\{40\}$" msg &&
	test_store_sound
'

test_expect_success 'undo refuses a change not made by crm' '
	test_must_fail 1 crm undo 2>err ||
	: # the last change is crm: undo; walk continues to the hand commit
	test_grep "was not made by crm" err &&
	test_grep "crm git revert" err
'

test_expect_success 'successive undos go further back, restoring removed records' '
	crm add "Bob Ross" >/dev/null &&
	crm rm bob-ross >/dev/null &&
	crm undo >out && test_grep "rm bob-ross" out &&
	crm show bob-ross >/dev/null &&
	crm undo >out && test_grep "add bob-ross" out &&
	test_must_fail 1 crm show bob-ross 2>err &&
	test_store_sound
'

test_expect_success 'undo refuses when the file changed since' '
	crm add "Carl" >/dev/null &&
	printf "x: 1\n" >>"$(crm path carl)" &&
	git -C "$CRM_DIR" commit -qam "hand edit" &&
	crm set carl owner=z &&
	crm undo >/dev/null &&
	test_must_fail 1 crm undo 2>err &&
	test_grep "was not made by crm" err
'

test_expect_success 'undo takes no arguments' '
	test_must_fail 2 crm undo extra 2>err
'

test_expect_success 'history: the same from a pack of deltas, by offset or by id' '
	for i in 1 2 3 4 5 6; do
		crm log jane "call $i" >/dev/null || return 1
	done &&
	crm history jane >loose &&
	git -C "$CRM_DIR" repack -q -a -d -f --depth=50 &&
	test $(git -C "$CRM_DIR" count-objects | cut -d" " -f1) = 0 &&
	crm history jane >packed &&
	test_cmp loose packed &&
	git -C "$CRM_DIR" -c repack.useDeltaBaseOffset=false repack -q -a -d -f &&
	crm history jane >packed &&
	test_cmp loose packed &&
	test $(grep -c "text: call [1-6]}" packed) = 6
'

test_done
