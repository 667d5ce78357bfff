#!/bin/sh
test_description='crm init and finding the store'
. ./test-lib.sh

test_expect_success 'init makes a private git store with settings' '
	crm init >out &&
	test_grep "Initialized a crm store in $CRM_DIR" out &&
	test -f "$CRM_DIR/.crm.yml" &&
	test -f "$CRM_DIR/.gitattributes" &&
	test "$(stat -c %a "$CRM_DIR")" = 700 &&
	test_cmp_str main "$(git -C "$CRM_DIR" symbolic-ref --short HEAD)" &&
	test_cmp_str "crm: init" "$(git -C "$CRM_DIR" log -1 --format=%s)" &&
	test_store_sound
'

test_expect_success 'the settings hold stages, currency and stale threshold' '
	python3 -c "
import yaml, sys
c = yaml.safe_load(open(\"$CRM_DIR/.crm.yml\"))
assert [s[\"name\"] for s in c[\"stages\"]] == [\"lead\", \"qualified\", \"proposal\", \"negotiation\", \"won\", \"lost\"], c
assert c[\"currency\"] == \"EUR\" and c[\"stale_days\"] == 30
"
'

test_expect_success 'init refuses an existing store and a non-empty directory' '
	test_must_fail 1 crm init 2>err &&
	test_grep "a store already exists at" err &&
	mkdir full && echo x >full/file &&
	test_must_fail 1 crm init full 2>err &&
	test_grep "exists and is not an empty directory" err &&
	test_line_count = 1 err
'

test_expect_success 'init <dir> and -C <dir>' '
	crm init other >/dev/null &&
	crm -C other add "Only Here" >/dev/null &&
	crm -C other list >out &&
	test_grep "only-here" out &&
	crm list >out &&
	test_grep ! "only-here" out
'

test_expect_success 'the store is found by CRM_DIR, then XDG_DATA_HOME, then HOME' '
	(unset CRM_DIR && export XDG_DATA_HOME="$TRASH/xdg" &&
	 crm init >/dev/null && test -f "$TRASH/xdg/crm/.crm.yml") &&
	(unset CRM_DIR XDG_DATA_HOME &&
	 crm init >/dev/null && test -f "$HOME/.local/share/crm/.crm.yml")
'

test_expect_success 'a command outside any store says how to make one' '
	test_must_fail 1 crm -C nowhere list 2>err &&
	test_grep "no store at .nowhere. (run .crm init. to make one)" err &&
	test_line_count = 1 err
'

test_expect_success 'usage errors exit 2' '
	test_must_fail 2 crm 2>err &&
	test_must_fail 2 crm frobnicate 2>err &&
	test_grep "not a crm command" err &&
	test_must_fail 2 crm --bogus 2>err &&
	test_must_fail 2 crm list --bogus 2>err &&
	test_grep "unknown option .--bogus." err &&
	test_must_fail 2 crm add --email 2>err &&
	test_grep "needs a value" err &&
	test_must_fail 2 crm init a b 2>err
'

test_expect_success '-h works outside a store and --version prints one line' '
	crm -C nowhere list -h >out &&
	test_grep "^usage: crm list" out &&
	crm --version >out &&
	test_line_count = 1 out
'

test_done
