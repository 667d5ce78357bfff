#!/bin/sh
test_description='logging interactions and reading the timeline'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" >/dev/null &&
	crm add "Bob Ross" >/dev/null
'

test_expect_success 'log appends an entry with author in one commit' '
	before=$(commit_count) &&
	crm log jane Wants a proposal by Friday. --type call &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_cmp_str "crm: log jane-doe" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	cat >expect <<-\EOT &&
	log:
	- at: 2026-11-23T09:00:00+00:00
	  type: call
	  by: author
	  text: Wants a proposal by Friday.
	EOT
	sed -n "/^log:/,\$p" "$(crm path jane)" >actual &&
	test_cmp expect actual &&
	test_store_sound
'

test_expect_success '--at puts an entry in time order, with its offset' '
	crm log --at 2026-11-20T15:30:00+01:00 --type meeting jane Met at the fair &&
	crm log --at yesterday bob Emailed the quote &&
	grep "at:" "$(crm path jane)" >ats &&
	cat >expect <<-\EOT &&
	- at: 2026-11-20T15:30:00+01:00
	- at: 2026-11-23T09:00:00+00:00
	EOT
	test_cmp expect ats &&
	grep "at:" "$(crm path bob)" >ats &&
	test_grep "at: 2026-11-22T00:00:00+00:00" ats
'

test_expect_success 'the timeline across customers, newest last' '
	crm log >out &&
	cat >expect <<-\EOT &&
	2026-11-20 14:30  jane-doe  meeting  author: Met at the fair
	2026-11-22 00:00  bob-ross  note     author: Emailed the quote
	2026-11-23 09:00  jane-doe  call     author: Wants a proposal by Friday.
	EOT
	test_cmp expect out
'

test_expect_success 'the timeline shows local time (TZ)' '
	TZ=Europe/Paris crm log jane >out &&
	test_grep "^2026-11-20 15:30  jane-doe  meeting" out
'

test_expect_success 'timeline filters: <who>, --since, --until, --type, --by, -n' '
	crm log jane >out && test_line_count = 2 out &&
	crm log --since 2026-11-21 >out && test_line_count = 2 out &&
	crm log --until 2026-11-22 >out && test_line_count = 2 out &&
	crm log --type call >out && test_line_count = 1 out &&
	crm log --by nobody >out && test_line_count = 0 out &&
	crm log --by AUTHOR >out && test_line_count = 3 out &&
	crm log -n 1 >out && test_grep "Friday" out && test_line_count = 1 out
'

test_expect_success 'timeline --json and --format tsv' '
	crm log --json >out &&
	python3 -c "
import json; t = json.load(open(\"out\"))
assert [e[\"customer\"] for e in t] == [\"jane-doe\", \"bob-ross\", \"jane-doe\"], t
assert t[0][\"entry\"][\"type\"] == \"meeting\"
" &&
	crm log --format tsv >out &&
	test_line_count = 4 out
'

test_expect_success 'log: bad input is refused and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 1 crm log nobody hello 2>err &&
	test_must_fail 1 crm log jane hello --at 31/02 2>err &&
	test_grep "31/02" err && test_grep "YYYY-MM-DD" err &&
	test_must_fail 1 crm log jane hello --type "Two Words" 2>err &&
	test_must_fail 2 crm log jane "" 2>err &&
	test_must_fail 2 crm log jane hello --since today 2>err &&
	test_must_fail 2 crm log --at today 2>err &&
	test_must_fail 1 crm log --since nextweek 2>err &&
	test_must_fail 2 crm log -n x 2>err &&
	test_cmp_str "$before" "$(commit_count)"
'

test_expect_success 'show puts card, open deals, follow-ups and recent log together' '
	crm show jane >out &&
	test_grep "^Log" out &&
	test_grep "Met at the fair" out
'

test_done
