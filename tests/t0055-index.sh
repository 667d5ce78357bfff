#!/bin/sh
test_description='the git index after a crm change: what git sees is what crm committed'
. ./test-lib.sh

index_version() {
	od -An -tu1 -j7 -N1 "$CRM_DIR/.git/index" | tr -d " "
}

test_expect_success 'setup' '
	crm init >/dev/null &&
	for n in "Ann Lee" "Bob Ray" "Cid Moe"; do crm add "$n" >/dev/null || return 1; done &&
	test "$(index_version)" = 4
'

test_expect_success 'a change leaves the index as git would: status clean, the new blob staged' '
	crm log ann "called about the offer" >/dev/null &&
	test_store_sound &&
	git -C "$CRM_DIR" ls-files -s "$(crm path --relative ann)" >staged &&
	test_grep "$(git -C "$CRM_DIR" rev-parse HEAD:"$(crm path --relative ann)")" staged &&
	git -C "$CRM_DIR" diff --cached --quiet HEAD
'

test_expect_success 'the cache tree git keeps in the index loses the changed directories' '
	git -C "$CRM_DIR" read-tree HEAD &&
	crm log bob "sent the contract" >/dev/null &&
	git -C "$CRM_DIR" write-tree >tree &&
	git -C "$CRM_DIR" rev-parse "HEAD^{tree}" >want &&
	test_cmp want tree &&
	test_store_sound
'

test_expect_success 'a hand edit git could not see by its stat data stays visible' '
	ann=$(crm path ann) &&
	git -C "$CRM_DIR" config core.trustctime false &&
	touch -d @1000000000 "$ann" &&
	git -C "$CRM_DIR" update-index --refresh &&
	sed "s/^name: Ann Lee$/name: Ann Lex/" "$ann" >edited &&
	dd if=edited of="$ann" conv=notrunc 2>/dev/null &&
	touch -d @1000000000 "$ann" "$CRM_DIR/.git/index" &&
	crm log cid "met at the fair" >/dev/null &&
	git -C "$CRM_DIR" status --porcelain >st &&
	test_grep "^ M $(crm path --relative ann)$" st &&
	git -C "$CRM_DIR" checkout -- "$(crm path --relative ann)" &&
	git -C "$CRM_DIR" config --unset core.trustctime &&
	test_store_sound
'

test_expect_success 'an index git wrote in version 2 keeps its version' '
	git -C "$CRM_DIR" update-index --index-version 2 &&
	crm log ann "call in version 2" >/dev/null &&
	test_store_sound &&
	test "$(index_version)" = 2
'

test_expect_success 'an entry git marked intent-to-add (index version 3) is kept as it is' '
	printf "id: eve-ash\nname: Eve Ash\n" >"$CRM_DIR/eve.yml" &&
	git -C "$CRM_DIR" add -N eve.yml &&
	crm log ann "call with an intent-to-add entry" >/dev/null &&
	git -C "$CRM_DIR" status --porcelain >st &&
	test_grep "^ A eve.yml$" st &&
	git -C "$CRM_DIR" rm -q --cached eve.yml &&
	rm "$CRM_DIR/eve.yml" &&
	test_store_sound
'

test_expect_success 'a record added or removed updates the index too' '
	git -C "$CRM_DIR" update-index --index-version 4 &&
	crm add "Dee Fox" >/dev/null &&
	test_store_sound &&
	crm rm cid >/dev/null &&
	test_store_sound &&
	git -C "$CRM_DIR" ls-files customers >files &&
	test_line_count = 3 files
'

test_done
