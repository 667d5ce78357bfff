#!/bin/sh
test_description='crm import: real exports, duplicates, one commit or nothing'
. ./test-lib.sh

DATA="$SRC_DIR/tests/data"

test_expect_success 'setup' 'crm init >/dev/null'

test_expect_success 'a Google Contacts export is one commit' '
	before=$(commit_count) &&
	crm import "$DATA/google-contacts.csv" >out &&
	test_grep "imported google-contacts.csv: 5 added, 0 updated, 0 skipped" out &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_cmp_str "crm: import google-contacts.csv (5 added, 0 updated)" \
		"$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	crm show zoe-muller >show &&
	test_grep "Bäckerei Müller GmbH" show &&
	test_store_sound
'

test_expect_success 'LinkedIn Connections.csv with its notes preamble' '
	crm import "$DATA/linkedin-connections.csv" >out &&
	test_grep "3 added" out
'

test_expect_success 'Outlook, HubSpot, the old Google layout, BOM, tabs, CRLF' '
	for f in outlook-contacts.csv hubspot-contacts.csv google-contacts-old.csv \
		 plain-bom.csv plain-tabs.tsv plain-crlf-multiline.csv outlook-web-contacts.csv; do
		crm import "$DATA/$f" >out || return 1
		test_grep "^imported $f" out || return 1
	done &&
	test_store_sound
'

test_expect_success 'embedded newlines and quotes survive' '
	crm show --json jane-doe >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))
assert \"She said \\\"call me\\\" twice.\\nSecond line.\" in d[\"notes\"], d[\"notes\"]
"
'

test_expect_success 'a Windows-1252 file with ; is converted, accents intact' '
	crm import "$DATA/excel-semicolon-cp1252.csv" >out &&
	crm list >all &&
	test_grep "Jürgen Weiß" all
'

test_expect_success 'a duplicate email updates the existing customer (default)' '
	printf "name,email,company\nZoe M.,ZOE.MUELLER@BAECKEREI-MUELLER.EXAMPLE,Other Co\n" >dup.csv &&
	n=$(crm list | wc -l) &&
	crm import dup.csv >out &&
	test_grep "0 added, 1 updated" out &&
	test_cmp_str "$n" "$(crm list | wc -l)" &&
	test_grep "import: company was .Other Co. in dup.csv:2" "$(crm path zoe-muller)"
'

test_expect_success '--on-duplicate skip and new' '
	n=$(crm list | wc -l) &&
	crm import --on-duplicate skip dup.csv >out &&
	test_grep "0 added, 0 updated, 1 skipped" out &&
	crm import --on-duplicate new dup.csv >out &&
	test_grep "1 added" out &&
	test_cmp_str $((n + 1)) "$(crm list | wc -l)"
'

test_expect_success 'two rows for one person in one file become one customer' '
	printf "name,email,phone\nAl Twice,al@twice.example,\nAl T.,AL@twice.example,+1 555 0100 999\n" >twice.csv &&
	crm import twice.csv >out &&
	test_grep "1 added" out &&
	test_grep "+1 555 0100 999" "$(crm path al-twice)"
'

test_expect_success '--map, --tag and --dry-run' '
	printf "Full,Mail,Org\nMap Me,map@me.example,MapCo\n" >mapped.csv &&
	before=$(commit_count) &&
	crm import --dry-run --map Full=name --map Mail=email --map Org=company mapped.csv >out &&
	test_grep "add     map-me  Map Me" out &&
	test_grep "nothing changed (--dry-run)" out &&
	test_cmp_str "$before" "$(commit_count)" &&
	crm import --map Full=name --map Mail=email --map Org=company --tag imported mapped.csv &&
	test_grep "company: MapCo" "$(crm path map-me)" &&
	test_grep "tags: \[imported\]" "$(crm path map-me)"
'

test_expect_success 'unknown columns become custom fields' '
	printf "name,email,Shoe Size\nCustom Col,cc@x.example,42\n" >custom.csv &&
	crm import custom.csv &&
	test_grep "^shoe_size:" "$(crm path custom-col)"
'

test_expect_success 'vCard 3.0 and 4.0 and 2.1 files' '
	crm import "$DATA/contacts-v3.vcf" &&
	crm import "$DATA/contacts-v4.vcf" &&
	crm import "$DATA/android-v21.vcf" &&
	test_store_sound
'

test_expect_success 'a bad file stops the import with file:row and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 1 crm import "$DATA/bad-unbalanced-quote.csv" 2>err &&
	test_grep "bad-unbalanced-quote.csv:[0-9]*:" err &&
	test_must_fail 1 crm import "$DATA/bad-too-many-fields.csv" 2>err &&
	test_grep "bad-too-many-fields.csv:[0-9]*: .*fields, the header has" err &&
	test_must_fail 1 crm import "$DATA/bad-cp1252-undefined.csv" 2>err &&
	test_grep "bad-cp1252-undefined.csv:[0-9]*:" err &&
	test_must_fail 1 crm import "$DATA/bad-nul.csv" 2>err &&
	test_must_fail 1 crm import "$DATA/bad-unclosed.vcf" 2>err &&
	printf "name,email\nGood Row,good@x.example\nBad Row,not-an-email\n" >badrow.csv &&
	test_must_fail 1 crm import badrow.csv 2>err &&
	test_grep "badrow.csv:3: email .not-an-email. is not an email address" err &&
	test_must_fail 1 crm show good-row 2>/dev/null &&
	test_must_fail 1 crm import nosuchfile.csv 2>err &&
	test_must_fail 2 crm import 2>err &&
	test_must_fail 2 crm import --on-duplicate maybe x.csv 2>err &&
	test_must_fail 1 crm import --map Nope=name mapped.csv 2>err &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'among many rows read on two threads, the first bad one is named' '
	before=$(commit_count) &&
	{ echo "name,email" &&
	  for i in $(seq 1 1200); do
		case $i in
		700|1100) echo "Row Person $i,bad-$i" ;;
		*) echo "Row Person $i,row$i@example.com" ;;
		esac
	  done; } >manybad.csv &&
	test_must_fail 1 crm import manybad.csv 2>err &&
	test_grep "manybad.csv:701: email .bad-700. is not an email address" err &&
	test_grep ! "bad-1100" err &&
	printf "name\nAnn Tag\nBen Tag\n" >two-good.csv &&
	test_must_fail 1 crm import --tag "bad tag" two-good.csv 2>err &&
	test_grep "tag .bad tag. is not a tag" err &&
	test_must_fail 1 crm show row-person-1 2>/dev/null &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'hostile CSV: binary garbage, a huge field, a million columns' '
	head -c 20000 /dev/urandom >garbage.csv &&
	test_must_fail 1 crm import garbage.csv 2>err &&
	python3 -c "
import sys
sys.stdout.write(\"name,notes\\nBig,\" + \"x\" * (50 << 20) + \"\\n\")" >big.csv &&
	test_must_fail 1 timeout 10 crm import big.csv 2>err &&
	python3 -c "
import sys
sys.stdout.write(\",\".join(\"c%d\" % i for i in range(10**6)) + \"\\n\")" >wide.csv &&
	test_must_fail 1 timeout 10 crm import wide.csv 2>err &&
	test_store_sound
'

test_expect_success 'a shared phone number alone does not merge two people' '
	crm init shared >/dev/null &&
	printf "name,email,phone,company\nAnna Schmidt,anna@acme.example,+49 30 1234567,Acme\nBernd Weber,bernd@acme.example,+49 30 1234567,Acme\nanna  SCHMIDT,,0049 (0)30 1234567,\n" >switchboard.csv &&
	crm -C shared import switchboard.csv >out &&
	test_grep "2 added, 0 updated" out &&
	crm -C shared show bernd --json >j &&
	python3 -c "import json; r=json.load(open(\"j\")); assert r[\"emails\"]==[\"bernd@acme.example\"], r" &&
	printf "name,phone\nBernd Weber,+49 30 1234567\nCarl Meyer,+49 30 1234567\n" >again.csv &&
	crm -C shared import again.csv >out &&
	test_grep "1 added, 0 updated" out &&
	crm -C shared dedupe >out &&
	test_grep "same phone +49301234567" out
'

test_expect_success 'many rows: objects hashed on two threads match git, the store is sound' '
	{ echo "name,email,tags" &&
	  for i in $(seq 1000 1799); do echo "Bulk Person $i,b$i@example.com,bulk"; done; } >bulk.csv &&
	crm import bulk.csv >out &&
	test_grep "800 added" out &&
	test_store_sound &&
	for id in bulk-person-1000 bulk-person-1433 bulk-person-1799; do
		path=$(git -C "$CRM_DIR" ls-files "customers/*/$id.yml") &&
		test -n "$path" &&
		test_cmp_str "$(git -C "$CRM_DIR" hash-object "$path")" \
			"$(git -C "$CRM_DIR" rev-parse "HEAD:$path")" || return 1
	done
'

test_expect_success 'an import into a store of many customers packs only what it adds' '
	packs_before=$(ls "$CRM_DIR"/.git/objects/pack/*.idx | sort) &&
	printf "name,email\nNew One,new1@example.com\nNew Two,new2@example.com\n" >two.csv &&
	crm import two.csv >out &&
	test_grep "2 added" out &&
	new=$(ls "$CRM_DIR"/.git/objects/pack/*.idx | sort | while read -r f; do
		echo "$packs_before" | grep -qxF "$f" || echo "$f"; done) &&
	test -n "$new" &&
	for f in $new; do git show-index <"$f" || return 1; done >objects &&
	# the commit, the root and customers trees, at most two shard trees, two blobs
	test $(wc -l <objects) -le 7 &&
	test_store_sound
'

test_done
