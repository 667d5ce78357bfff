#!/bin/sh
test_description='crm export: CSV, JSON, vCard, ICS; round trips; formulas'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --email jane@acme.example --phone "+44 20 7946 0000" \
		--company Acme --tag lead --tag web --set notes="Line one
line two" --set shoe_size=42 >/dev/null &&
	crm add "=HYPERLINK(\"http://evil\")" --email evil@x.example >/dev/null &&
	crm add "Bob Ross" --set address.city=Paris >/dev/null &&
	crm deal add jane "Website" --value 8000 --close 2026-12-15 >/dev/null &&
	crm followup add jane Send proposal --due 2026-11-28 >/dev/null &&
	crm log jane Called about the website --type call
'

test_expect_success 'customers as CSV: CRLF, header, custom columns, lists in one cell' '
	crm export >out.csv &&
	head -n 1 out.csv >head &&
	printf "id,name,kind,company,emails,phones,tags,owner,created,notes,address,shoe_size\r\n" >expect &&
	test_cmp expect head &&
	test_grep "^jane-doe,Jane Doe,,Acme,jane@acme.example,.+44 20 7946 0000,\"lead, web\"" out.csv
'

test_expect_success 'cells a spreadsheet would run are neutralised; --raw opts out' '
	test_grep ",\"'"'"'=HYPERLINK" out.csv &&
	crm export --raw >raw.csv &&
	test_grep ",\"=HYPERLINK" raw.csv
'

test_expect_success '--excel starts with a byte-order mark' '
	crm export --excel >bom.csv &&
	test "$(head -c 3 bom.csv | od -An -tx1 | tr -d " ")" = efbbbf
'

test_expect_success 'CSV round trip into an empty store gives the same customers' '
	crm -C copy init >/dev/null 2>&1 || crm init copy >/dev/null &&
	crm -C copy import out.csv >imp &&
	test_grep "3 added" imp &&
	crm list --json >a.json && crm -C copy list --json >b.json &&
	python3 -c "
import json
a = {r[\"id\"]: r for r in json.load(open(\"a.json\"))}
b = {r[\"id\"]: r for r in json.load(open(\"b.json\"))}
assert a.keys() == b.keys(), (a.keys(), b.keys())
for k in a:
    for f in (\"name\", \"emails\", \"phones\", \"tags\", \"company\", \"notes\", \"created\", \"address\"):
        assert a[k].get(f) == b[k].get(f), (k, f, a[k].get(f), b[k].get(f))
    assert str(a[k].get(\"shoe_size\")) == str(b[k].get(\"shoe_size\")) if \"shoe_size\" in a[k] else True
"
'

test_expect_success 'JSON, with filters' '
	crm export --format json tag:lead >out.json &&
	python3 -c "
import json; d = json.load(open(\"out.json\"))
assert [r[\"id\"] for r in d] == [\"jane-doe\"] and d[0][\"log\"][0][\"text\"] == \"Called about the website\"
"
'

test_expect_success 'vCard 4.0 that a real parser reads' '
	crm export --format vcard >out.vcf &&
	/usr/bin/python3 "$SRC_DIR/tests/data/check-vcard.py" out.vcf &&
	test_grep "^FN:Jane Doe" out.vcf &&
	test_grep "^VERSION:4.0" out.vcf
'

test_expect_success 'vCard round trip' '
	crm init vcopy >/dev/null &&
	crm -C vcopy import out.vcf >imp &&
	test_grep "3 added" imp &&
	crm -C vcopy show --json jane-doe >v.json &&
	python3 -c "
import json; d = json.load(open(\"v.json\"))
assert d[\"emails\"] == [\"jane@acme.example\"] and d[\"phones\"] == [\"+44 20 7946 0000\"], d
assert d[\"tags\"] == [\"lead\", \"web\"] and d[\"company\"] == \"Acme\", d
"
'

test_expect_success 'ICS of follow-ups and deal close dates, stable UIDs' '
	crm export followups --format ics >f.ics &&
	/usr/bin/python3 "$SRC_DIR/tests/data/check-ics.py" f.ics &&
	test_grep "UID:followup-jane-doe-1@crm" f.ics &&
	crm export --format ics >all.ics &&
	test_grep "UID:deal-jane-doe-website@crm" all.ics &&
	crm export --format ics >again.ics &&
	test_cmp all.ics again.ics
'

test_expect_success 'deals, log and follow-ups as CSV and JSON' '
	crm export deals >d.csv &&
	test_grep "^jane-doe,website,Website,lead,8000.00,EUR" d.csv &&
	crm export log >l.csv &&
	test_grep "jane-doe,call,author,Called about the website" l.csv &&
	crm export followups --format json >f.json &&
	python3 -c "
import json; d = json.load(open(\"f.json\")); assert d[0][\"followup\"][\"text\"] == \"Send proposal\""
'

test_expect_success 'a subject access request: everything about one person' '
	crm log bob "Met Jane Doe (jane@acme.example) at the fair" &&
	crm export --person jane >p.json &&
	crm export jane-doe --format json >p2.json &&
	test_cmp p.json p2.json &&
	python3 -c "
import json; d = json.load(open(\"p.json\"))
assert d[\"customer\"][\"id\"] == \"jane-doe\"
assert [m[\"customer\"] for m in d[\"mentioned_in\"]] == [\"bob-ross\"], d[\"mentioned_in\"]
assert len(d[\"history\"]) >= 4, d[\"history\"]
"
'

test_expect_success '--output writes a file; bad options are refused' '
	crm export --output file.csv && test_cmp out.csv file.csv &&
	test_must_fail 2 crm export log --format vcard 2>err &&
	test_must_fail 2 crm export --format xml 2>err &&
	test_must_fail 2 crm export --person jane tag:x 2>err &&
	test_must_fail 1 crm export --person nobody 2>err
'

test_done
