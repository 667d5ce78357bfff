#!/bin/sh
test_description='crm dedupe finds likely duplicates; crm merge joins two customers'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Jane Doe" --email jane@acme.example --company "Acme Corp" --tag lead --set city=Berlin >/dev/null &&
	crm add "Jane M. Doe" --email JANE@Acme.example --phone "+44 20 7946 0000" --company "ACME  corp" --tag vip --set city=Paris --set source=fair >/dev/null &&
	crm add "Bob Stone" --phone "0044 (0)20 7946-0000 x 12" >/dev/null &&
	crm add "Jon Smith" --company "Acme Corp" >/dev/null &&
	crm add "John Smith" --company "Acme Corp" >/dev/null &&
	crm add "Maria Garcia" >/dev/null &&
	crm add "Maria Garcia" >/dev/null &&
	crm add "Ann Lee" --company "Globex" >/dev/null &&
	crm add "Zoë Müller" --company "Müller GmbH" >/dev/null &&
	crm add "Zoe Muller" --company "muller  gmbh" >/dev/null &&
	crm add "Anne Lee" --company "Initech" >/dev/null &&
	crm log jane-doe --at 2026-11-02T10:00:00Z "first call" &&
	crm log jane-m-doe --at 2026-11-01T10:00:00Z "met at the fair" &&
	crm log jane-m-doe --at 2026-11-03T10:00:00Z "second call" &&
	crm deal add jane-doe "Website" --value 100 >/dev/null &&
	crm deal add jane-m-doe "Website" --value 200 >/dev/null &&
	crm deal add jane-m-doe "Hosting" --value 50 >/dev/null &&
	crm followup add jane-doe --due 2026-12-01 "send quote" >/dev/null &&
	crm followup add jane-m-doe --due 2026-12-05 "ring back" >/dev/null
'

test_expect_success 'dedupe lists each likely pair once, with every reason' '
	before=$(commit_count) &&
	crm dedupe --format tsv >out &&
	printf "%s\t%s\t%s\n" \
		bob-stone jane-m-doe "same phone +442079460000" \
		jane-doe jane-m-doe "same email jane@acme.example" \
		john-smith jon-smith "similar names at the same company" \
		zoe-muller zoe-muller-2 "same name at the same company" >want &&
	test_cmp want out &&
	test_cmp_str "$before" "$(commit_count)"
'

test_expect_success 'dedupe gives the same pairs whatever the scan order' '
	crm add "Third Jane" --email jane@acme.example >/dev/null &&
	CRM_THREADS=1 crm dedupe --format tsv >one &&
	CRM_THREADS=4 crm dedupe --format tsv >four &&
	test_cmp one four &&
	test_grep "^jane-doe	third-jane	same email" one &&
	test_grep "^jane-m-doe	third-jane	same email" one &&
	crm rm third-jane >/dev/null
'

test_expect_success 'namesakes without a company, or at different companies, are no pair' '
	crm dedupe >out &&
	test_grep ! maria out && test_grep ! ann out
'

test_expect_success 'dedupe takes filters and prints JSON' '
	crm dedupe +lead --json >out &&
	test_cmp_str "[]" "$(cat out)" &&
	crm dedupe -lead --json >out &&
	python3 -c "import json,sys; d=json.load(open(\"out\")); assert [(p[\"a\"],p[\"b\"]) for p in d]==[(\"bob-stone\",\"jane-m-doe\"),(\"john-smith\",\"jon-smith\"),(\"zoe-muller\",\"zoe-muller-2\")], d"
'

test_expect_success 'merge --dry-run prints the merged record and changes nothing' '
	before=$(commit_count) &&
	crm merge --dry-run jane-doe jane-m-doe >out 2>err &&
	test_grep "^id: jane-doe$" out && test_grep "nothing changed" err &&
	test_cmp_str "$before" "$(commit_count)" &&
	crm show jane-m-doe >/dev/null
'

test_expect_success 'merge joins two customers in one commit, losing nothing' '
	before=$(commit_count) &&
	crm merge jane-doe jane-m-doe >out &&
	test_grep "merged jane-m-doe into jane-doe; 3 differing values kept in its notes" out &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_cmp_str "crm: merge jane-m-doe into jane-doe" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	test_must_fail 1 crm show jane-m-doe 2>/dev/null &&
	crm show jane-doe --json >j &&
	python3 - <<-\PY &&
	import json
	r = json.load(open("j"))
	assert r["name"] == "Jane Doe", r
	assert r["emails"] == ["jane@acme.example"], r["emails"]
	assert r["phones"] == ["+44 20 7946 0000"], r["phones"]
	assert r["tags"] == ["lead", "vip"], r["tags"]
	assert r["city"] == "Berlin" and r["source"] == "fair", r
	notes = r["notes"].split("\n")
	assert "merge: name was '\''Jane M. Doe'\'' in jane-m-doe" in notes, notes
	assert "merge: city was '\''Paris'\'' in jane-m-doe" in notes, notes
	assert [e["text"] for e in r["log"]] == ["met at the fair", "first call", "second call"], r["log"]
	assert [(d["id"], d["value"]) for d in r["deals"]] == [("website", "100.00"), ("website-2", "200.00"), ("hosting", "50.00")], r["deals"]
	assert [(f["id"], f["text"]) for f in r["followups"]] == [(1, "send quote"), (2, "ring back")], r["followups"]
	PY
	test_store_sound
'

test_expect_success 'the merged record is written as crm writes records' '
	f=$(crm path jane-doe) &&
	test_grep "^deals:$" "$f" && test_grep "^followups:$" "$f" &&
	python3 -c "import yaml; yaml.safe_load(open(\"$f\"))"
'

test_expect_success 'undo splits them again' '
	crm undo >/dev/null &&
	crm show jane-m-doe >out &&
	test_grep "Jane M. Doe" out &&
	crm show jane-doe --json >j &&
	python3 -c "import json; r=json.load(open(\"j\")); assert \"notes\" not in r and len(r[\"deals\"])==1, r" &&
	test_store_sound
'

test_expect_success 'bad input changes nothing' '
	before=$(commit_count) &&
	test_must_fail 1 crm merge jane-doe jane-doe 2>err &&
	test_grep "are the same customer" err && test_line_count = 1 err &&
	test_must_fail 1 crm merge jane-doe nobody 2>err &&
	test_grep "no customer matches .nobody." err &&
	test_must_fail 1 crm merge maria jane-doe 2>err &&
	test_grep "matches 2 customers" err &&
	test_must_fail 2 crm merge jane-doe 2>err &&
	test_must_fail 2 crm merge a b c 2>err &&
	test_must_fail 2 crm merge --bogus a b 2>err &&
	test_must_fail 2 crm dedupe --format xml 2>err &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_done
