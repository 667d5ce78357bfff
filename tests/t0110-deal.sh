#!/bin/sh
test_description='deals and the pipeline'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" >/dev/null &&
	crm add "Bob Ross" --owner bob >/dev/null
'

test_expect_success 'deal add prints the reference; defaults come from .crm.yml' '
	crm deal add jane "Website redesign" --value 8000 --close 2026-12-15 >out &&
	test_cmp_str jane-doe/website-redesign "$(cat out)" &&
	cat >expect <<-\EOT &&
	deals:
	- id: website-redesign
	  title: Website redesign
	  stage: lead
	  value: "8000.00"
	  currency: EUR
	  created: 2026-11-23
	  close: 2026-12-15
	EOT
	sed -n "/^deals:/,\$p" "$(crm path jane)" >actual &&
	test_cmp expect actual &&
	test_cmp_str "crm: deal add jane-doe/website-redesign" \
		"$(git -C "$CRM_DIR" log -1 --format=%s)"
'

test_expect_success 'more deals: stages, currencies, probability' '
	crm deal add jane "Hosting" --value 0.10 --stage proposal >/dev/null &&
	crm deal add jane "Hosting" --value 0.20 --stage proposal >out &&
	test_cmp_str jane-doe/hosting-2 "$(cat out)" &&
	crm deal add bob "Mural" --value 1200.50 --currency USD --stage qualified --probability 40 >/dev/null
'

test_expect_success 'the pipeline: by stage in .crm.yml order, totals and weighted totals' '
	crm deal >out &&
	cat >expect <<-\EOT &&
	lead
	  jane-doe/website-redesign         Website redesign                   8000.00 EUR   10%  close 2026-12-15
	  = 1 deal  8000.00 EUR  weighted 800.00 EUR
	qualified
	  bob-ross/mural                    Mural                              1200.50 USD   40%
	  = 1 deal  1200.50 USD  weighted 480.20 USD
	proposal
	  jane-doe/hosting                  Hosting                               0.10 EUR   50%
	  jane-doe/hosting-2                Hosting                               0.20 EUR   50%
	  = 2 deals  0.30 EUR  weighted 0.15 EUR
	Total
	  3 deals  8000.30 EUR  weighted 800.15 EUR
	  1 deal  1200.50 USD  weighted 480.20 USD
	EOT
	test_cmp expect out
'

test_expect_success 'deal set moves stages; won closes with the date; one commit each' '
	before=$(commit_count) &&
	crm deal set jane/website-redesign --stage proposal &&
	crm deal set jane/1 --stage won &&
	test_cmp_str $((before + 2)) "$(commit_count)" &&
	f=$(crm path jane) &&
	test_grep "stage: won" "$f" &&
	test_grep "closed: 2026-11-23" "$f" &&
	crm deal >out &&
	test_grep ! website-redesign out &&
	crm deal --all >out &&
	test_grep "website-redesign" out &&
	git -C "$CRM_DIR" log --format=%s -3 >log &&
	test_grep "stage=won" log && test_grep "stage=proposal" log
'

test_expect_success 'won then lost: the close date follows the last move' '
	crm deal add bob "Fence" --value 100 --probability 80 >/dev/null &&
	crm deal set bob/fence --stage won &&
	CRM_NOW=2026-11-25T09:00:00+00:00 crm deal set bob/fence --stage lost &&
	sed -n "/id: fence/,\$p" "$(crm path bob)" >fence &&
	test_grep "closed: 2026-11-25" fence &&
	crm deal --json --all owner:bob >out &&
	python3 -c "
import json; d = {x[\"deal\"][\"id\"]: x for x in json.load(open(\"out\"))}
assert d[\"fence\"][\"probability\"] == 0 and d[\"fence\"][\"weighted\"] == \"0.00\", d[\"fence\"]
" &&
	crm deal rm bob/fence
'

test_expect_success 'reopening a won deal clears its close date' '
	crm deal set website-redesign --stage negotiation &&
	test_grep ! "closed:" "$(crm path jane)"
'

test_expect_success 'the history shows the stage changes' '
	crm history jane >out &&
	test_grep "deals/website-redesign.stage: proposal -> won" out &&
	test_grep "deals/website-redesign.stage: lead -> proposal" out
'

test_expect_success 'deal filters: stage:, value.over:, customer fields' '
	crm deal stage:proposal >out &&
	test_grep "hosting" out && test_grep ! mural out &&
	crm deal owner:bob >out &&
	test_grep mural out && test_grep ! hosting out &&
	crm deal value.over:1000 >out &&
	test_grep mural out && test_grep website out && test_grep ! hosting out &&
	crm deal close.before:2027-01-01 >out &&
	test_grep website out && test_grep ! mural out &&
	test_must_fail 2 crm deal value.over:lots 2>err &&
	test_grep "filter .value.over:lots." err &&
	crm deal --format tsv >out &&
	head -n 1 out >head &&
	printf "customer\tid\ttitle\tstage\tvalue\tcurrency\tprobability\tweighted\tclose\n" >expect &&
	test_cmp expect head &&
	crm deal --json >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))
assert sorted(x[\"deal\"][\"id\"] for x in d) == [\"hosting\", \"hosting-2\", \"mural\", \"website-redesign\"], d
"
'

test_expect_success 'deal rm removes one deal in one commit' '
	crm deal rm jane/hosting-2 &&
	test_grep ! "hosting-2" "$(crm path jane)"
'

test_expect_success 'bad deal input is refused with one line and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 1 crm deal add jane X --stage nosuch 2>err &&
	test_grep "stage .nosuch. is not in .crm.yml; use one of: lead, qualified, proposal, negotiation, won, lost" err &&
	test_line_count = 1 err &&
	test_must_fail 1 crm deal add jane X --value 1e3 2>err &&
	test_grep "1000, not 1e3" err &&
	test_must_fail 1 crm deal add jane X --value 12,5 2>err &&
	test_must_fail 1 crm deal add jane X --value -5 2>err &&
	test_must_fail 1 crm deal add jane X --value 1e400 2>err &&
	test_must_fail 1 crm deal add jane X --value abc 2>err &&
	test_must_fail 1 crm deal add jane X --currency euro 2>err &&
	test_must_fail 1 crm deal add jane "   " 2>err &&
	test_grep "title cannot be empty" err &&
	test_must_fail 1 crm deal add jane X --probability 150 2>err &&
	test_must_fail 1 crm deal add jane X --close 31/02 2>err &&
	test_must_fail 1 crm deal add nobody X 2>err &&
	test_must_fail 2 crm deal add jane 2>err &&
	test_must_fail 1 crm deal set jane/nosuch --stage won 2>err &&
	test_grep "jane-doe has no deal .nosuch." err &&
	test_must_fail 1 crm deal set nosuch --stage won 2>err &&
	test_must_fail 2 crm deal set jane/1 2>err &&
	test_must_fail 2 crm deal stage: 2>/dev/null || true &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'a word other tools use for a subcommand says what to type' '
	before=$(commit_count) &&
	test_must_fail 2 crm deal delete x 2>err &&
	test_grep "did you mean .crm deal rm.?" err && test_line_count = 1 err &&
	test_must_fail 2 crm deal edit x 2>err &&
	test_grep "did you mean .crm deal set.?" err && test_line_count = 1 err &&
	test_must_fail 2 crm deal ls 2>err &&
	test_grep "did you mean .crm deal list.?" err && test_line_count = 1 err &&
	test_cmp_str "$before" "$(commit_count)"
'

test_done
