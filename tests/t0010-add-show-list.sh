#!/bin/sh
test_description='adding, showing and listing customers'
. ./test-lib.sh

test_expect_success 'setup' 'crm init >/dev/null'

test_expect_success 'add prints the id and makes exactly one commit' '
	before=$(commit_count) &&
	crm add "Jane Doe" --email jane@acme.example --phone "+44 20 7946 0000" \
		--company acme-corp --tag lead --tag web --owner alice \
		--set notes="Met at the meetup." >out &&
	test_cmp_str jane-doe "$(cat out)" &&
	test_cmp_str $((before + 1)) "$(commit_count)" &&
	test_cmp_str "crm: add jane-doe" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	test_cmp_str "A U Thor" "$(git -C "$CRM_DIR" log -1 --format=%an)" &&
	test_store_sound
'

test_expect_success 'the record is readable YAML in the spec layout' '
	cat >expect <<-\EOT &&
	id: jane-doe
	name: Jane Doe
	company: acme-corp
	emails: [jane@acme.example]
	phones: ["+44 20 7946 0000"]
	tags: [lead, web]
	owner: alice
	created: 2026-11-23T09:00:00+00:00
	notes: Met at the meetup.
	EOT
	test_cmp expect "$(crm path jane-doe)"
'

test_expect_success 'records are sharded: customers/<2 hex>/<id>.yml' '
	shard=$(printf %s jane-doe | git hash-object --stdin | cut -c1-2) &&
	test_cmp_str "customers/$shard/jane-doe.yml" "$(crm path --relative jane)" &&
	test_cmp_str "$CRM_DIR/customers/$shard/jane-doe.yml" "$(crm path jane)"
'

test_expect_success 'python reads every record to the same values' '
	crm add "Dr. Ünïcode ✓" --set zip=01234 --set flag=yes >/dev/null &&
	python3 -c "
import yaml, glob
for f in glob.glob(\"$CRM_DIR/customers/*/*.yml\"):
    d = yaml.safe_load(open(f))
    assert isinstance(d[\"name\"], str)
    if d[\"id\"] == \"dr-unicode\":
        assert d[\"zip\"] == \"01234\" and d[\"flag\"] == \"yes\", d
        assert d[\"name\"] == \"Dr. \u00dcn\u00efcode \u2713\", d
"
'

test_expect_success 'a second person with the same name gets a suffix' '
	crm add "Jane Doe" >out &&
	test_cmp_str jane-doe-2 "$(cat out)"
'

test_expect_success 'add defaults the owner to the current user' '
	crm show --json jane-doe-2 >out &&
	test_grep "\"owner\": \"author\"" out
'

test_expect_success 'show prints the card' '
	crm show jane-doe >out &&
	test_grep "^Jane Doe  (jane-doe)" out &&
	test_grep "emails *jane@acme.example" out &&
	test_grep "Met at the meetup." out
'

test_expect_success 'who: unique prefix, email, name; ambiguity lists candidates' '
	crm show --json jane-doe-2 >/dev/null &&
	crm path --relative "JANE@ACME.EXAMPLE" >out &&
	test_grep "/jane-doe.yml" out &&
	crm path --relative "dr. unicode ✓" >out &&
	test_grep "dr-unicode.yml" out &&
	test_must_fail 1 crm show jane 2>err &&
	test_grep "matches 2 customers" err &&
	test_grep "jane-doe-2" err &&
	test_must_fail 1 crm show nobody 2>err &&
	test_grep "no customer matches .nobody." err
'

test_expect_success 'list: one line per customer, aligned, sorted by id' '
	crm list >out &&
	test_line_count = 3 out &&
	head -n 1 out | grep "^dr-unicode " &&
	test_grep "^jane-doe  *Jane Doe  *acme-corp  *jane@acme.example  *lead web  *alice$" out
'

test_expect_success 'list filters: tag, +tag, -tag, owner, field, words' '
	crm list tag:lead >out && test_line_count = 1 out &&
	crm list +web >out && test_line_count = 1 out &&
	crm list -lead >out && test_line_count = 2 out &&
	crm list owner:alice >out && test_line_count = 1 out &&
	crm list company:ACME-CORP >out && test_line_count = 1 out &&
	crm list zip:01234 >out && test_grep dr-unicode out &&
	crm list unicode >out && test_line_count = 1 out &&
	crm list meetup >out && test_grep jane-doe out &&
	crm list nosuchfield:x >out && test_line_count = 0 out &&
	crm list tag:lead owner:bob >out && test_line_count = 0 out
'

test_expect_success 'a malformed filter is a usage error' '
	test_must_fail 2 crm list :x 2>err &&
	test_grep "no field name" err
'

test_expect_success 'list --json and --format tsv' '
	crm list --json tag:lead >out &&
	python3 -c "
import json; d = json.load(open(\"out\"))
assert len(d) == 1 and d[0][\"id\"] == \"jane-doe\" and d[0][\"tags\"] == [\"lead\", \"web\"]
" &&
	crm list --format tsv >out &&
	head -n 1 out >head &&
	printf "id\tname\tcompany\temail\ttags\towner\n" >expect &&
	test_cmp expect head &&
	test_line_count = 4 out &&
	test_must_fail 2 crm list --format xml 2>err &&
	test_must_fail 2 crm list --json --format tsv 2>err
'

test_expect_success 'colour only on a terminal, never with NO_COLOR' '
	crm list >out &&
	test_grep ! "$(printf "\033")" out
'

test_expect_success 'bad input to add is refused and changes nothing' '
	before=$(commit_count) &&
	test_must_fail 2 crm add 2>err &&
	test_must_fail 1 crm add "" 2>err && test_grep "name cannot be empty" err &&
	test_must_fail 1 crm add "   " 2>err &&
	test_must_fail 1 crm add "X" --email not-an-email 2>err &&
	test_grep "email .not-an-email. is not an email address" err &&
	test_must_fail 1 crm add "X" --phone "call me" 2>err &&
	test_grep "is not a phone number" err &&
	test_must_fail 1 crm add "X" --tag "two words" 2>err &&
	test_must_fail 1 crm add "X" --kind robot 2>err &&
	test_must_fail 1 crm add "X" --set id=evil 2>err &&
	test_must_fail 1 crm add "X" --set noequals 2>err &&
	test_must_fail 1 crm add "$(printf "Evil\342\200\256Name")" 2>err &&
	test_grep "control or invisible" err &&
	test_must_fail 1 crm add "$(printf "Bad\377Byte")" 2>err &&
	test_must_fail 1 crm add "$(python3 -c "print(\"x\" * 10000)")" 2>err &&
	test_grep "longer than 200" err &&
	test_line_count = 1 err &&
	test_cmp_str "$before" "$(commit_count)" &&
	test_store_sound
'

test_expect_success 'hostile names become safe ids' '
	for n in "../../etc/passwd" ".git" "-rf" "con" "山田太郎" "NUL"; do
		crm add -- "$n" || return 1
	done >ids &&
	cat >expect <<-\EOT &&
	etc-passwd
	git
	rf
	con-1
	c-92e771fe
	nul-1
	EOT
	test_cmp expect ids &&
	test ! -e "$TRASH/etc" &&
	test_store_sound
'

test_expect_success 'NFC and NFD spellings of a name are one id, stored NFC' '
	nfd=$(printf "Jose\314\201 Q") && nfc=$(printf "Jos\303\251 Q") &&
	crm add "$nfd" >id1 && crm add "$nfc" >id2 &&
	test_cmp_str jose-q "$(cat id1)" &&
	test_cmp_str jose-q-2 "$(cat id2)" &&
	grep "^name: $nfc\$" "$(crm path jose-q)"
'

test_done
