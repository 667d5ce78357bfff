#!/bin/sh
test_description='malformed and hostile record files in the store'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Good One" >/dev/null &&
	crm add "Bad One" >/dev/null &&
	crm add "Other" >/dev/null
'

test_expect_success 'a YAML error is reported as path:line:column' '
	f=$(crm path bad-one) && rel=$(crm path --relative bad-one) &&
	printf "id: bad-one\nname: Bad One\ntags: [oops\n" >"$f" &&
	test_must_fail 1 crm show bad-one 2>err &&
	test_grep "^crm: $rel:4:1: " err &&
	test_line_count = 1 err
'

test_expect_success 'a broken record named by an id prefix says what is wrong' '
	rel=$(crm path --relative bad-one) &&
	test_must_fail 1 crm show bad 2>err &&
	test_grep "^crm: $rel:4:1: " err &&
	test_line_count = 1 err &&
	crm show good >out 2>err &&
	test_grep "Good One" out &&
	test_grep "warning: skipping customers/.*/bad-one.yml:4:1:" err &&
	test_must_fail 1 crm show nobody 2>err &&
	test_grep "no customer matches .nobody." err
'

test_expect_success 'crm path and crm edit find a broken record, to fix it' '
	rel=$(crm path --relative bad-one) &&
	test "$(crm path --relative bad)" = "$rel" &&
	test "$(crm path bad)" = "$CRM_DIR/$rel" &&
	cp "$CRM_DIR/$rel" broken.yml &&
	EDITOR="sed -i s/oops\$/oops]/" crm edit bad &&
	crm show bad-one >out &&
	test_grep "oops" out &&
	git -C "$CRM_DIR" log -1 --format=%s >msg &&
	test_grep "^crm: edit bad-one$" msg &&
	cp broken.yml "$CRM_DIR/$rel" &&
	git -C "$CRM_DIR" commit -qam "break it again" &&
	test_must_fail 1 crm show bad 2>err && test_grep ":4:1:" err
'

test_expect_success 'list lists the rest and warns once' '
	crm list >out 2>err &&
	test_line_count = 2 out &&
	test_grep "good-one" out && test_grep "other" out &&
	test_line_count = 1 err &&
	test_grep "warning: skipping customers/.*/bad-one.yml:4:1:" err
'

test_expect_success 'other records keep working for writes' '
	crm set good-one owner=zed &&
	test_grep "owner: zed" "$(crm path good-one)"
'

check_refused() { # <file content> <message>
	printf "%b" "$1" >"$CRM_DIR/$rel_other" &&
	test_must_fail 1 crm show other 2>err &&
	test_grep "$2" err &&
	test_line_count = 1 err
}

rel_other=$(crm path --relative other)
git -C "$CRM_DIR" show HEAD:"$rel_other" >good.yml

test_expect_success 'hostile YAML is refused with a clear error' '

	check_refused "id: other\\nname: &a [*a]\\n" "anchors and aliases are not allowed" &&
	check_refused "id: other\\nname: !!python/object:os.system x\\n" "tags are not allowed" &&
	check_refused "id: other\\nname: a\\nname: b\\n" "duplicate key .name." &&
	check_refused "id: other\\nname: X\\nemails: x@y.z\\n" "emails. must be a list" &&
	check_refused "id: other\\nname: [X]\\n" "name. must be a single value" &&
	check_refused "id: other\\nname: X\\377\\n" "invalid UTF-8" &&
	check_refused "id: other\\nname: X\\000Y\\n" "NUL byte" &&
	check_refused "- a\\n- b\\n" "a record must be a map" &&
	check_refused "" "empty document" &&
	check_refused "id: other\\n" "no .name. field" &&
	python3 -c "print(\"id: other\\nname: \" + \"[\" * 100000)" >"$CRM_DIR/$rel_other" &&
	test_must_fail 1 crm show other 2>err && test_grep "nested too deeply" err &&
	python3 -c "
import sys
sys.stdout.write(\"id: other\\nname: \" + \"x\" * (5 << 20) + \"\\n\")" >"$CRM_DIR/$rel_other" &&
	test_must_fail 1 crm show other 2>err && test_grep "too large" err &&
	cp good.yml "$CRM_DIR/$rel_other"
'

test_expect_success 'a 100 MB file is refused quickly' '
	head -c 100000000 /dev/zero | tr "\\0" "a" >"$CRM_DIR/$rel_other" &&
	test_must_fail 1 timeout 10 crm show other 2>err &&
	test_grep "too large" err &&
	cp good.yml "$CRM_DIR/$rel_other"
'

test_expect_success 'a symlink in the store is not followed' '
	echo "secret" >secret &&
	ln -sf "$TRASH/secret" "$CRM_DIR/$rel_other" &&
	test_must_fail 1 crm show other 2>err &&
	test_grep "symbolic link" err &&
	rm "$CRM_DIR/$rel_other" && cp good.yml "$CRM_DIR/$rel_other"
'

test_expect_success 'a scan names what it cannot read: a directory, a huge file' '
	dir=$(dirname "$rel_other") &&
	mkdir "$CRM_DIR/$dir/folder.yml" &&
	head -c 5000000 /dev/zero | tr "\\0" "a" >"$CRM_DIR/$dir/huge.yml" &&
	crm list >out 2>err &&
	test_grep "other" out &&
	test_grep "$dir/folder.yml: Is a directory" err &&
	test_grep "$dir/huge.yml: too large" err &&
	rmdir "$CRM_DIR/$dir/folder.yml" && rm "$CRM_DIR/$dir/huge.yml"
'

# A FIFO is opened without waiting for a writer: it once hung every scan.
test_expect_success 'a FIFO named like a record is refused, not waited on' '
	dir=$(dirname "$rel_other") &&
	mkfifo "$CRM_DIR/$dir/pipe.yml" &&
	timeout 20 crm list >out 2>err &&
	test_grep "other" out &&
	test_grep "^crm: warning: skipping $dir/pipe.yml: not a regular file$" err &&
	test_must_fail 1 timeout 20 crm show pipe 2>err &&
	test_grep "^crm: .$dir/pipe.yml. is not a regular file$" err &&
	rm "$CRM_DIR/$dir/pipe.yml" &&
	crm list >out 2>err && test_grep ! pipe err
'

test_done
