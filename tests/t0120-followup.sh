#!/bin/sh
test_description='follow-ups and the cron contract'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --email jane@acme.example >/dev/null &&
	crm add "Bob Ross" --owner bob >/dev/null
'

test_expect_success 'with nothing due, crm followup prints nothing and exits 0' '
	crm followup >out 2>err &&
	test_line_count = 0 out && test_line_count = 0 err &&
	crm followup --format mail >out &&
	test_line_count = 0 out
'

test_expect_success 'followup add prints <who>/<n>' '
	crm followup add jane Send proposal --due 2026-11-28 >out &&
	test_cmp_str jane-doe/1 "$(cat out)" &&
	crm followup add jane Call back --due 2026-11-20 >/dev/null &&
	crm followup add bob Check in --due today --every 1w >/dev/null &&
	cat >expect <<-\EOT &&
	followups:
	- id: 1
	  due: 2026-11-28
	  text: Send proposal
	  done: false
	  created: 2026-11-23
	- id: 2
	  due: 2026-11-20
	  text: Call back
	  done: false
	  created: 2026-11-23
	EOT
	sed -n "/^followups:/,\$p" "$(crm path jane)" >actual &&
	test_cmp expect actual
'

test_expect_success 'default list: overdue and today, oldest first, how late' '
	crm followup >out &&
	cat >expect <<-\EOT &&
	2026-11-20  3 days late    jane-doe/2                Jane Doe: Call back
	2026-11-23  today          bob-ross/1                Bob Ross: Check in
	EOT
	test_cmp expect out
'

test_expect_success '--due widens the window; --owner narrows it' '
	crm followup --due 2026-11-30 >out && test_line_count = 3 out &&
	crm followup --due eom --owner bob >out && test_line_count = 1 out &&
	crm followup --all >out && test_line_count = 3 out
'

test_expect_success '--format mail is a digest for cron' '
	crm followup --format mail >out &&
	test_grep "^2 things to follow up on 2026-11-23 (1 overdue).$" out &&
	test_grep "^Overdue$" out &&
	test_grep "Jane Doe <jane@acme.example>: Call back" out &&
	test_grep "crm followup done jane-doe/2" out
'

test_expect_success '--json' '
	crm followup --json >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))
assert [(x[\"customer\"], x[\"late_days\"]) for x in d] == [(\"jane-doe\", 3), (\"bob-ross\", 0)], d
"
'

test_expect_success 'done, done twice, snooze' '
	before=$(commit_count) &&
	crm followup done jane/2 &&
	test_must_fail 1 crm followup done jane/2 2>err &&
	test_grep "jane-doe/2 is already done" err &&
	crm followup snooze jane/1 2026-12-05 &&
	test_cmp_str $((before + 2)) "$(commit_count)" &&
	f=$(crm path jane) &&
	test_grep "due: 2026-12-05" "$f" &&
	test_grep "completed: 2026-11-23" "$f"
'

test_expect_success 'a recurring follow-up moves on from the done date' '
	crm followup done bob/1 >out &&
	test_grep "next due 2026-11-30" out &&
	crm followup >out &&
	test_line_count = 0 out
'

test_expect_success 'cadence: stay in touch when the last interaction is too old' '
	crm add "Carol" >/dev/null &&
	crm log --at 2026-10-01 carol Lunch &&
	crm set carol cadence=30d &&
	crm followup >out &&
	test_grep "carol  *Carol: stay in touch (last contact 2026-10-01, every 30d)" out &&
	crm log carol Called &&
	crm followup >out &&
	test_line_count = 0 out
'

test_expect_success 'bad follow-up input is refused and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 2 crm followup add jane Do it 2>err &&
	test_grep "due <date> is required" err &&
	test_must_fail 1 crm followup add jane Do it --due 31/02 2>err &&
	test_must_fail 1 crm followup add jane Do it --due nextweek 2>err &&
	test_grep "nextweek" err &&
	test_must_fail 1 crm followup add jane Do it --due today --every often 2>err &&
	test_must_fail 1 crm followup add jane Do it --due today --every 0d 2>err &&
	test_grep "must be positive" err &&
	test_must_fail 2 crm followup add jane "  " --due today 2>err &&
	test_must_fail 1 crm followup done jane/99 2>err &&
	test_must_fail 2 crm followup done 99 2>err &&
	test_must_fail 1 crm followup snooze jane/1 never 2>err &&
	test_must_fail 2 crm followup snooze jane/1 2>err &&
	test_must_fail 1 crm followup --due garbage 2>err &&
	test_must_fail 2 crm followup --format xml 2>err &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'a word other tools use for a subcommand says what to type' '
	before=$(commit_count) &&
	test_must_fail 2 crm followup delete x/1 2>err &&
	test_grep "did you mean .crm followup rm.?" err && test_line_count = 1 err &&
	test_must_fail 2 crm followup complete x/1 2>err &&
	test_grep "did you mean .crm followup done.?" err && test_line_count = 1 err &&
	test_must_fail 2 crm followup defer x/1 friday 2>err &&
	test_grep "did you mean .crm followup snooze.?" err && test_line_count = 1 err &&
	test_cmp_str "$before" "$(commit_count)"
'

test_expect_success 'a hand-edited due date or cadence crm cannot read is warned of, the rest still listed' '
	mkdir -p "$CRM_DIR/customers/zz" &&
	printf "id: bad-due\nname: Bad Due\nfollowups:\n- id: 1\n  due: soon\n  text: call\n- id: 2\n  due: 2020-01-01\n  text: write\n" \
		>"$CRM_DIR/customers/zz/bad-due.yml" &&
	printf "id: bad-cadence\nname: Bad Cadence\ncadence: often\n" \
		>"$CRM_DIR/customers/zz/bad-cadence.yml" &&
	crm followup --format tsv >out 2>err &&
	test_grep "^crm: warning: customers/zz/bad-due.yml: follow-up 1 has no valid due date$" err &&
	test_grep "^crm: warning: customers/zz/bad-cadence.yml: cadence .often. is not an interval like 30d$" err &&
	test_line_count = 2 err &&
	test_grep "^2020-01-01	[0-9]*	bad-due	2	write$" out &&
	! grep "bad-cadence" out &&
	rm -r "$CRM_DIR/customers/zz"
'

test_done
