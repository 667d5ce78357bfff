#!/bin/sh
test_description='crm forget: erasure of a person, with history purged'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Erin Secret" --email erin.secret@private.example --phone "+44 7700 900123" >/dev/null &&
	crm log erin "first call" &&
	crm set erin tags+=vip &&
	crm add "Colleague" >/dev/null &&
	crm log colleague "Talked to Erin Secret (erin.secret@private.example) about it" &&
	crm set colleague notes="Her number: +44 7700 900123" &&
	git -C "$CRM_DIR" log -p --all | grep -q erin.secret@private.example
'

test_expect_success 'forget removes the record and scrubs mentions, in one commit' '
	before=$(commit_count) &&
	crm forget erin >out &&
	test_grep "forgot erin-secret" out && test_grep "1 other record scrubbed" out &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_cmp_str "crm: forget a customer" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	test_must_fail 1 crm show erin 2>/dev/null &&
	test_grep "Talked to \[forgotten\] (\[forgotten\]) about it" "$(crm path colleague)" &&
	test_grep ! "900123" "$(crm path colleague)" &&
	test_store_sound
'

test_expect_success 'without --purge-history the history still has it' '
	git -C "$CRM_DIR" log -p --all | grep -q erin.secret@private.example
'

test_expect_success 'forget --purge-history leaves no trace in commits or objects' '
	crm add "Erin Secret" --email erin.secret@private.example >/dev/null &&
	crm forget --purge-history erin >out 2>err &&
	test_grep "rewrote [0-9]* commits" out &&
	test_grep "force-push" err &&
	test_grep "clone" err &&
	! git -C "$CRM_DIR" log -p --all | grep -qi "erin.secret\|Erin Secret\|7700 900123" &&
	! git -C "$CRM_DIR" cat-file --batch-all-objects --batch | grep -qi "erin.secret@private.example" &&
	! git -C "$CRM_DIR" cat-file --batch-all-objects --batch | grep -qi "Erin Secret" &&
	! grep -rqi "erin.secret" "$CRM_DIR/.git" &&
	test_store_sound &&
	git -C "$CRM_DIR" fsck --strict --no-dangling &&
	crm list >out && test_grep colleague out &&
	crm log colleague "still works"
'

test_expect_success 'forget: bad input' '
	test_must_fail 2 crm forget 2>err &&
	test_must_fail 1 crm forget nobody 2>err
'

test_done
