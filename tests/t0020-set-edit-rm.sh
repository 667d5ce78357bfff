#!/bin/sh
test_description='set, edit and rm'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --email jane@acme.example --tag lead >/dev/null &&
	cat >>"$(crm path jane-doe)" <<-\EOT &&
	shoe_size: 42
	address:
	  city: Paris
	  lines: [1 rue de la Paix]
	EOT
	git -C "$CRM_DIR" commit -qam "hand: custom fields"
'

test_expect_success 'set scalars, lists (+= -= =) in one commit' '
	before=$(commit_count) &&
	crm set jane owner=bob tags+=vip tags-=lead email+=j@home.example company=Acme &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	f=$(crm path jane) &&
	test_grep "^owner: bob$" "$f" &&
	test_grep "^tags: \[vip\]$" "$f" &&
	test_grep "^emails: \[jane@acme.example, j@home.example\]$" "$f" &&
	test_grep "^company: Acme$" "$f" &&
	test_store_sound
'

test_expect_success 'custom fields survive set, keep their order and nesting' '
	f=$(crm path jane) &&
	tail -n 4 "$f" >tail &&
	cat >expect <<-\EOT &&
	shoe_size: 42
	address:
	  city: Paris
	  lines: [1 rue de la Paix]
	EOT
	test_cmp expect tail
'

test_expect_success 'set a new custom field, replace a list, remove a field' '
	crm set jane cadence=30d tags=a,b,a &&
	f=$(crm path jane) &&
	test_grep "^cadence: 30d$" "$f" &&
	test_grep "^tags: \[a, b\]$" "$f" &&
	crm set jane cadence= &&
	test_grep ! "^cadence" "$f"
'

test_expect_success 'set with nothing to change makes no commit' '
	before=$(commit_count) &&
	crm set jane owner=bob 2>err &&
	test_grep "nothing changed" err &&
	test_cmp_str "$before" "$(commit_count)"
'

test_expect_success 'set refuses bad input and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 2 crm set jane 2>err &&
	test_must_fail 2 crm set jane noequals 2>err &&
	test_must_fail 2 crm set jane id=x 2>err && test_grep "kept by crm" err &&
	test_must_fail 2 crm set jane log=x 2>err && test_grep "crm log" err &&
	test_must_fail 2 crm set jane "Bad Key=x" 2>err &&
	test_must_fail 1 crm set jane name= 2>err && test_grep "name cannot be empty" err &&
	test_must_fail 1 crm set jane tags-=nope 2>err && test_grep "tags has no .nope." err &&
	test_must_fail 1 crm set jane name+=x 2>err && test_grep "is not a list" err &&
	test_must_fail 1 crm set jane email+=bad 2>err &&
	test_must_fail 1 crm set jane kind=robot 2>err &&
	test_must_fail 1 crm set nobody owner=x 2>err &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'edit: nothing changed, nothing committed' '
	before=$(commit_count) &&
	EDITOR=: crm edit jane 2>err &&
	test_grep "nothing changed" err &&
	test_cmp_str "$before" "$(commit_count)"
'

test_expect_success 'edit: a valid change is one commit, custom fields kept' '
	cat >editor.sh <<-\EOT &&
	#!/bin/sh
	sed -i "s/^owner: bob$/owner: carol/" "$1"
	EOT
	chmod +x editor.sh &&
	before=$(commit_count) &&
	EDITOR="$TRASH/editor.sh" crm edit jane &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_grep "^owner: carol$" "$(crm path jane)" &&
	test_grep "^shoe_size: 42$" "$(crm path jane)" &&
	test_cmp_str "crm: edit jane-doe" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	test_store_sound
'

test_expect_success 'edit: an invalid result is refused and the file restored' '
	cat >editor.sh <<-\EOT &&
	#!/bin/sh
	printf "name: [broken\n" >>"$1"
	EOT
	cp "$(crm path jane)" before.yml &&
	n=$(commit_count) &&
	test_must_fail 1 env EDITOR="$TRASH/editor.sh" crm edit jane 2>err &&
	test_grep "jane-doe.yml:[0-9]*:[0-9]*:" err &&
	test_grep "your edit is kept in" err &&
	test_cmp before.yml "$(crm path jane)" &&
	test_cmp_str "$n" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'edit: changing the id is refused' '
	cat >editor.sh <<-\EOT &&
	#!/bin/sh
	sed -i "s/^id: jane-doe$/id: other/" "$1"
	EOT
	test_must_fail 1 env EDITOR="$TRASH/editor.sh" crm edit jane 2>err &&
	test_grep "does not match the file name" err
'

test_expect_success 'edit: a failing editor changes nothing' '
	test_must_fail 1 env EDITOR=false crm edit jane 2>err &&
	test_grep "editor .false. failed" err
'

test_expect_success 'rm deletes the record in one commit; history keeps it' '
	crm add "Temp Person" >/dev/null &&
	before=$(commit_count) &&
	crm rm temp-person >out &&
	test_grep "removed temp-person" out &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_must_fail 1 crm show temp-person 2>err &&
	git -C "$CRM_DIR" log --format=%s -1 >msg &&
	test_grep "crm: rm temp-person" msg &&
	test_store_sound
'

test_done
