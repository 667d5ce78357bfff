#!/bin/sh
test_description='crm report: every figure checked against a hand count'
. ./test-lib.sh

# A store with a known history: each step at a fixed day.
at() {
	export CRM_NOW="$1T09:00:00+00:00"
	export GIT_AUTHOR_DATE="$1T09:00:00+00:00" GIT_COMMITTER_DATE="$1T09:00:00+00:00"
}

test_expect_success 'setup: half a year of a small business' '
	at 2026-06-01 && crm init >/dev/null &&
	crm add "Jane" --owner alice >/dev/null && crm add "Bob" --owner bob >/dev/null &&
	crm add "Cy" --owner alice >/dev/null &&
	at 2026-06-02 &&
	crm deal add jane "Site" --value 1000 --close 2026-12-15 >/dev/null &&
	crm deal add bob "Mural" --value 500.50 --currency USD --probability 40 >/dev/null &&
	crm deal add cy "Audit" --value 300 --close 2026-11-01 >/dev/null &&
	at 2026-06-10 && crm deal set jane/site --stage proposal &&
	crm log jane "call" --type call --at 2026-06-10T10:00:00+00:00 &&
	at 2026-06-20 && crm deal set cy/audit --stage qualified &&
	at 2026-07-01 && crm deal set jane/site --stage won &&
	crm deal add bob "Fence" --value 200 >/dev/null &&
	at 2026-07-05 && crm deal set bob/fence --stage lost &&
	at 2026-08-01 && crm deal set cy/audit --stage negotiation &&
	at 2026-08-11 && crm deal set cy/audit --stage qualified &&
	at 2026-09-01 && crm deal add jane "Hosting" --value 50.25 --close 2027-01-10 >/dev/null &&
	at 2026-09-02 && crm deal rm jane/hosting &&
	at 2026-09-03 && crm undo >/dev/null &&
	at 2026-11-10 && crm log bob "met" --type meeting &&
	crm log cy "mail" --type email --at 2026-11-12T08:00:00+00:00 &&
	crm log cy "mail again" --type email --at 2026-11-20T08:00:00+00:00 &&
	at 2026-11-23
'

# Weighted values round half to even: 50.25 x 10% = 5.025 -> 5.02.
test_expect_success 'pipeline: open deals per stage, totals and weighted' '
	crm report pipeline --format tsv >out &&
	cat >expect <<-\EOT &&
	report	name	currency	count	total	weighted
	pipeline	lead	USD	1	500.50	200.20
	pipeline	lead	EUR	1	50.25	5.02
	pipeline	qualified	EUR	1	300.00	75.00
	pipeline	total	USD	1	500.50	200.20
	pipeline	total	EUR	2	350.25	80.02
	EOT
	sort expect >e && sort out >a && test_cmp e a
'

test_expect_success 'forecast: by close month, the past-due flagged' '
	crm report forecast --months 3 --format tsv >out &&
	test_grep "^forecast	overdue	EUR	1	300.00	75.00$" out &&
	test_grep "^forecast	2027-01	EUR	1	50.25	5.02$" out &&
	test_grep "^forecast	no date	USD	1	500.50	200.20$" out &&
	test_line_count = 4 out
'

test_expect_success 'won and lost in a period: rate, size, cycle' '
	crm report winloss --since 2026-06-01 --until 2026-07-31 --json >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))[\"winloss\"]
assert d[\"won\"] == 1 and d[\"lost\"] == 1 and d[\"win_rate\"] == \"50.0%\", d
# Site: created 06-02, won 07-01 (29 days); Fence: 07-01 to 07-05 (4): 33 / 2
assert d[\"average_cycle_days\"] == \"16\", d
assert d[\"won_value\"] == [{\"name\": \"won\", \"currency\": \"EUR\", \"count\": 1, \"total\": \"1000.00\", \"weighted\": \"1000.00\"}], d
" &&
	crm report winloss --since 2026-08-01 --json >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))[\"winloss\"]; assert d[\"won\"] == 0 and d[\"lost\"] == 0, d"
'

test_expect_success 'activity: per type, per person, per week' '
	crm report activity --since 2026-11-01 --json >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))[\"activity\"]
assert d[\"interactions\"] == 3, d
assert d[\"type\"] == {\"email\": 2, \"meeting\": 1}, d
assert d[\"by\"] == {\"author\": 3}, d
assert d[\"week\"] == {\"2026-W46\": 2, \"2026-W47\": 1}, d
"
'

test_expect_success 'stale customers and rotting deals' '
	crm report stale --days 30 --format tsv >out &&
	test_grep "^stale	customer	jane	166" out &&
	test_grep ! "customer	bob" out &&
	test_grep ! "customer	cy" out &&
	test_grep "^stale	deal	bob/mural	174	lead" out &&
	test_grep "^stale	deal	cy/audit	104	qualified" out
'

test_expect_success 'funnel from git history: a deal back a stage, one deleted and restored' '
	crm report funnel --json >out &&
	python3 -c "
import json; d = {s[\"stage\"]: s for s in json.load(open(\"out\"))[\"funnel\"]}
assert d[\"lead\"][\"reached\"] == 5, d     # site mural audit fence hosting
assert d[\"qualified\"][\"reached\"] == 2, d  # site (passed it), audit
assert d[\"proposal\"][\"reached\"] == 2, d   # site, audit (went to negotiation)
assert d[\"negotiation\"][\"reached\"] == 2, d
assert d[\"won\"][\"reached\"] == 1, d
assert d[\"lost\"][\"reached\"] == 1, d
assert d[\"qualified\"][\"conversion\"] == \"40%\", d
# lead: site 8 days, audit 18, fence 4, hosting 1 (then removed) -> median 6.0
assert d[\"lead\"][\"median_days\"] == \"6.0\", d
# qualified: audit 06-20..08-01 = 42 days (the second stay is still open)
assert d[\"qualified\"][\"median_days\"] == \"42.0\", d
assert d[\"negotiation\"][\"median_days\"] == \"10.0\", d
"
'

test_expect_success '--as-of reads the store as it stood, from history' '
	crm report pipeline --as-of 2026-06-05 --format tsv >out &&
	test_grep "^pipeline	lead	EUR	2	1300.00	130.00$" out &&
	test_grep "^pipeline	lead	USD	1	500.50	200.20$" out &&
	crm report pipeline --as-of 2026-07-02 --format tsv >out &&
	test_grep "^pipeline	lead	EUR	1	200.00	20.00$" out &&
	test_grep "^pipeline	qualified	EUR	1	300.00	75.00$" out &&
	crm report pipeline --as-of 2026-09-02 --format tsv >out &&
	test_grep ! "50.25" out &&
	crm report pipeline --as-of 2026-09-01 --format tsv >out &&
	test_grep "^pipeline	lead	EUR	1	50.25	5.02$" out
'

test_expect_success '--as-of agrees with the report on a checkout of that day' '
	crm report pipeline --as-of 2026-07-02 --format tsv >asof &&
	c=$(git -C "$CRM_DIR" rev-list -1 --before="2026-07-02 23:59:59 +0000" HEAD) &&
	git clone -q "$CRM_DIR" then && git -C then checkout -q "$c" &&
	crm -C then report pipeline --format tsv >then.tsv &&
	test_cmp asof then.tsv
'

test_expect_success 'filters and --owner' '
	crm report pipeline --owner bob --format tsv >out &&
	test_grep "USD" out && test_grep ! "EUR" out &&
	crm report pipeline owner:alice --format tsv >out &&
	test_grep ! "USD" out
'

test_expect_success 'human output has bars; ASCII when piped' '
	crm report all >out &&
	test_grep "^Pipeline" out && test_grep "^Funnel" out &&
	test_grep "#" out &&
	test_grep ! "$(printf "\342\226\210")" out
'

test_expect_success 'bad input' '
	test_must_fail 1 crm report --as-of 2020-01-01 2>err &&
	test_grep "no commit that old" err &&
	test_must_fail 1 crm report --since nonsense 2>err &&
	test_must_fail 2 crm report --days x 2>err &&
	test_must_fail 2 crm report --since 2026-11-01 --until 2026-10-01 2>err &&
	test_must_fail 2 crm report --format xml 2>err
'

test_expect_success 'a misspelt report name is refused with a guess' '
	test_must_fail 2 crm report pipline >out 2>err &&
	test_grep "^crm: .pipline. is not a report; did you mean .pipeline.?" err &&
	test_line_count = 1 err && test_line_count = 0 out &&
	test_must_fail 2 crm report funel 2>err &&
	test_grep "did you mean .funnel." err &&
	crm report pipeline pipline --format tsv >out &&
	test_line_count = 1 out && test_grep "^report	name" out &&
	crm report bob --format tsv >out 2>err &&
	test_line_count = 0 err &&
	crm report paul --format tsv >out 2>err &&
	crm report sales --format tsv >out 2>err &&
	test_line_count = 0 err
'

test_expect_success 'TSV escapes a hand-edited stage with a tab' '
	crm init tabs >/dev/null &&
	crm -C tabs add "Tab Person" >/dev/null &&
	crm -C tabs deal add tab "Deal" >/dev/null &&
	f=$(crm -C tabs path tab) &&
	sed "s/stage: lead/stage: \"le\\\\tad\"/" "$f" >tmp && cat tmp >"$f" &&
	CRM_NOW=2027-03-01T12:00:00Z crm -C tabs report stale --format tsv >out &&
	test_grep "^stale	deal	tab-person/deal	[0-9]*	le\\\\tad	$" out
'

# 2,500 commits on top of a new store, made with git fast-import: 1,000
# deals created a minute apart, each qualified two days later, the first
# 500 won three days after that.  The history walk goes through it in
# stretches of 1,024 commits; the second run starts from the cache.
history_stream() {
	python3 - "$1" "$2" <<-\EOP
	import hashlib, sys
	first, last = int(sys.argv[1]), int(sys.argv[2])
	T0 = 1767225600  # 2026-01-01T00:00:00Z
	def path(i):
	    cid = "c%04d" % i
	    h = hashlib.sha1(b"blob %d\0%s" % (len(cid), cid.encode())).hexdigest()
	    return cid, "customers/%s/%s.yml" % (h[:2], cid)
	def record(cid, stage):
	    return ("id: %s\nname: C %s\nkind: person\ncreated: 2026-01-01T00:00:00+00:00\n"
	            "deals:\n- id: d\n  title: D\n  stage: %s\n  value: \"1.00\"\n"
	            "  currency: EUR\n  created: 2026-01-01\n" % (cid, cid, stage))
	steps = [(i, "lead", T0 + i * 60) for i in range(1000)]
	steps += [(i, "qualified", T0 + 2 * 86400 + i * 60) for i in range(1000)]
	steps += [(i, "won", T0 + 5 * 86400 + i * 60) for i in range(500)]
	out = sys.stdout.buffer
	for n, (i, stage, t) in enumerate(steps[first:last]):
	    cid, p = path(i)
	    body = record(cid, stage).encode()
	    msg = b"set %s\n" % cid.encode()
	    out.write(b"commit refs/heads/main\ncommitter T <t@example.com> %d +0000\n" % t)
	    out.write(b"data %d\n%s" % (len(msg), msg))
	    if n == 0:
	        out.write(b"from refs/heads/main^0\n")
	    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (p.encode(), len(body), body))
	EOP
}

test_expect_success 'funnel over 2,500 commits, from scratch and from its cache' '
	at 2026-01-01 && crm init long >/dev/null &&
	history_stream 0 2000 | git -C long fast-import --quiet &&
	git -C long reset -q --hard &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --format tsv >part &&
	test_grep "^funnel	qualified	" part &&
	test -s long/.git/crm-cache/stages &&
	history_stream 2000 2500 | git -C long fast-import --quiet &&
	git -C long reset -q --hard &&
	test $(git -C long rev-list --count HEAD) -gt 2500 &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --json >cached &&
	rm long/.git/crm-cache/stages &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --json >fresh &&
	test_cmp fresh cached &&
	python3 -c "
import json; d = {s[\"stage\"]: s for s in json.load(open(\"fresh\"))[\"funnel\"]}
assert d[\"lead\"][\"reached\"] == 1000, d
assert d[\"qualified\"][\"reached\"] == 1000, d
assert d[\"proposal\"][\"reached\"] == 500, d
assert d[\"won\"][\"reached\"] == 500, d
assert d[\"lead\"][\"median_days\"] == \"2.0\", d
assert d[\"qualified\"][\"median_days\"] == \"3.0\", d
" &&
	test $(wc -l <long/.git/crm-cache/stages) = 2501
'

test_expect_success 'funnel: the same from deep delta chains, by offset or by id, packed or loose' '
	git -C long repack -q -a -d -f --depth=50 --window=50 &&
	rm long/.git/crm-cache/stages &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --json >deep &&
	test_cmp fresh deep &&
	mkdir chains && mv long/.git/objects/pack/* chains/ &&
	for p in chains/*.pack; do
		git -C long unpack-objects -q <"$p" || return 1
	done &&
	git -C long rev-list --objects HEAD~1000 |
	git -C long pack-objects -q .git/objects/pack/pack >/dev/null &&
	git -C long prune-packed &&
	test $(git -C long count-objects | cut -d" " -f1) -gt 1000 &&
	rm long/.git/crm-cache/stages &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --json >mixed &&
	test_cmp fresh mixed &&
	git -C long repack -q -a -d
'

test_expect_success 'funnel: a cache that cannot be written is only not written' '
	rm long/.git/crm-cache/stages && mkdir long/.git/crm-cache/stages &&
	CRM_NOW=2026-02-01T00:00:00Z crm -C long report funnel --json >out 2>err &&
	test_cmp fresh out && test_line_count = 0 err &&
	ls -a long/.git/crm-cache >list && test_grep ! tmp list &&
	rmdir long/.git/crm-cache/stages
'

test_expect_success 'funnel: a commit missing mid-history is an error, and nothing is cached' '
	rm -f long/.git/crm-cache/stages &&
	mkdir away && mv long/.git/objects/pack/* away/ &&
	for p in away/*.pack; do git -C long unpack-objects -q <"$p" || return 1; done &&
	gone=$(git -C long rev-parse HEAD~1500) &&
	rm long/.git/objects/$(echo $gone | cut -c1-2)/$(echo $gone | cut -c3-) &&
	test_must_fail 1 crm -C long report funnel >out 2>err &&
	test_grep "^crm: cannot read a parent commit" err &&
	test_line_count = 1 err && test_line_count = 0 out &&
	test ! -e long/.git/crm-cache/stages &&
	ls long/.git/crm-cache >list && test_grep ! tmp list
'

test_done
