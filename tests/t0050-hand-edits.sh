#!/bin/sh
test_description='hand edits and hand commits are seen; the repo stays sound'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --tag lead >/dev/null
'

test_expect_success 'a hand edit in the working tree is seen at once' '
	sed -i "s/^tags: \[lead\]$/tags: [lead, handmade]/" "$(crm path jane)" &&
	crm list tag:handmade >out &&
	test_grep jane-doe out
'

test_expect_success 'a crm change to that record commits the hand edit with it' '
	crm set jane owner=bob &&
	git -C "$CRM_DIR" show HEAD:"$(crm path --relative jane)" >committed &&
	test_grep "handmade" committed &&
	test_grep "owner: bob" committed &&
	test_store_sound
'

test_expect_success 'a hand commit with git is seen by the next command' '
	printf "id: hand-made\nname: Hand Made\n" >hm &&
	rel=$(crm path --relative jane | sed "s/jane-doe/hand-made/") &&
	shard=$(printf %s hand-made | git hash-object --stdin | cut -c1-2) &&
	mkdir -p "$CRM_DIR/customers/$shard" &&
	cp hm "$CRM_DIR/customers/$shard/hand-made.yml" &&
	git -C "$CRM_DIR" add . &&
	git -C "$CRM_DIR" commit -qm "hand: add" &&
	crm show hand-made >out &&
	test_grep "Hand Made" out &&
	crm set hand-made tags+=x &&
	test_store_sound
'

test_expect_success 'other uncommitted hand edits stay uncommitted' '
	crm add "Zed" >/dev/null &&
	printf "note_by_hand: 1\n" >>"$(crm path zed)" &&
	crm set jane owner=carol &&
	git -C "$CRM_DIR" status --porcelain >st &&
	test_grep "zed.yml" st &&
	git -C "$CRM_DIR" diff --cached --quiet &&
	git -C "$CRM_DIR" checkout -- . &&
	test_store_sound
'

test_expect_success 'after a scripted session git is happy' '
	crm add "A" >/dev/null && crm add "B" >/dev/null &&
	crm set a tags=x,y && crm rm b >/dev/null && crm undo >/dev/null &&
	test_store_sound &&
	git -C "$CRM_DIR" log --format=%s >log &&
	test_grep "crm: undo rm b" log
'

test_done
