#!/bin/sh
test_description='the scan cache never shows stale records'
. ./test-lib.sh

test_expect_success 'setup' '
	crm init >/dev/null &&
	for n in Alpha Beta Gamma Delta; do crm add "$n" --tag old >/dev/null || return 1; done &&
	crm list >/dev/null &&
	test -d "$CRM_DIR/.git/crm-cache"
'

test_expect_success 'an in-place edit of the same size, at once, is seen' '
	f=$(crm path alpha) &&
	sed "s/tags: \[old\]/tags: \[new\]/" "$f" >tmp && cat tmp >"$f" &&
	crm list tag:new >out &&
	test_grep "^alpha" out
'

test_expect_success 'an in-place edit with an old timestamp is seen (stat data changed)' '
	f=$(crm path beta) &&
	crm list >/dev/null &&
	touch -d "2020-01-01" "$f" && crm list >/dev/null &&
	sed "s/tags: \[old\]/tags: \[neu\]/" "$f" >tmp && cat tmp >"$f" &&
	touch -d "2020-01-01" "$f" &&
	crm list tag:neu >out &&
	test_grep "^beta" out
'

test_expect_success 'a record added or removed by hand is seen' '
	crm list >/dev/null &&
	rm "$(crm path gamma)" &&
	crm list >out &&
	test_grep ! gamma out &&
	git -C "$CRM_DIR" checkout -- . &&
	crm list >out &&
	test_grep gamma out
'

test_expect_success 'a hand edit in a directory the cache listed long ago is seen' '
	crm list >/dev/null &&
	touch -d "2020-01-01" "$CRM_DIR"/customers/* &&
	crm list >/dev/null &&
	crm list >/dev/null &&
	f=$(crm path gamma) &&
	mv "$f" gamma.yml &&
	crm list >out &&
	test_grep ! gamma out &&
	test_line_count = 3 out &&
	mv gamma.yml "$f" &&
	crm list >out &&
	test_grep "^gamma" out &&
	touch -d "2020-01-01" "$CRM_DIR"/customers/* &&
	crm list >/dev/null &&
	sed "s/^name: Gamma/name: Gamma Ray/" "$f" >tmp && cat tmp >"$f" &&
	crm list >out &&
	test_grep "Gamma Ray" out &&
	git -C "$CRM_DIR" checkout -- .
'

test_expect_success 'a broken record is reported from the cache too' '
	f=$(crm path delta) && cp "$f" delta.bak &&
	echo "name: [" >>"$f" &&
	crm list >out 2>err && test_grep "warning: skipping" err &&
	crm list >out 2>err && test_grep "warning: skipping" err &&
	cp delta.bak "$f" &&
	crm list >out 2>err && test_line_count = 0 err
'

test_expect_success 'a damaged cache is rebuilt, not trusted' '
	for c in "$CRM_DIR"/.git/crm-cache/*; do
		head -c 20 "$c" >"$c.tmp" && mv "$c.tmp" "$c" || return 1
	done &&
	crm list >out 2>err &&
	test_line_count = 4 out &&
	for c in "$CRM_DIR"/.git/crm-cache/*; do
		printf "garbage" >"$c" || return 1
	done &&
	crm list >out 2>err &&
	test_line_count = 4 out && test_line_count = 0 err
'

test_expect_success 'a cache file that ends in zeros after a crash is rebuilt' '
	crm list --format tsv >want &&
	for c in "$CRM_DIR"/.git/crm-cache/??; do
		size=$(wc -c <"$c") &&
		dd if=/dev/zero of="$c" bs=1 seek=$((size - 30)) count=30 \
			conv=notrunc 2>/dev/null || return 1
	done &&
	crm list --format tsv >out 2>err &&
	test_cmp want out && test_line_count = 0 err &&
	for c in "$CRM_DIR"/.git/crm-cache/??; do
		printf "\0\0\0\0" >>"$c" || return 1
	done &&
	crm list --format tsv >out 2>err &&
	test_cmp want out && test_line_count = 0 err
'

test_expect_success 'a store whose cache cannot be written still works' '
	rm -rf "$CRM_DIR/.git/crm-cache" &&
	printf "not a directory" >"$CRM_DIR/.git/crm-cache" &&
	crm list >out &&
	test_line_count = 4 out &&
	rm "$CRM_DIR/.git/crm-cache"
'

test_expect_success 'one thread or many give the same answers' '
	CRM_THREADS=1 crm list --format tsv >one &&
	CRM_THREADS=4 crm list --format tsv >four &&
	test_cmp one four
'

test_expect_success 'a shard of more records than one batch: every one is seen, on one thread or many' '
	mkdir -p "$CRM_DIR/customers/zz" &&
	for i in $(seq 100 699); do
		printf "id: p%s\nname: Person %s\nfollowups:\n- id: 1\n  due: 2026-01-0%s\n  text: call\n" \
			$i $i $((i % 9 + 1)) >"$CRM_DIR/customers/zz/p$i.yml" || return 1
	done &&
	CRM_THREADS=1 crm list --format tsv >one &&
	CRM_THREADS=4 crm list --format tsv >four &&
	test_cmp one four &&
	test $(grep -c "^p[1-6][0-9][0-9]	" four) = 600 &&
	CRM_THREADS=1 crm followup --format tsv >one &&
	CRM_THREADS=4 crm followup --format tsv >four &&
	test_cmp one four &&
	test $(grep -c "^2026-01-0[1-9]	[0-9]*	p[1-6][0-9][0-9]	1	call$" four) = 600 &&
	crm list "Person 4" --format tsv >some &&
	test_line_count = 101 some &&
	rm -r "$CRM_DIR/customers/zz"
'

test_expect_success 'warnings from scanning threads come out whole, one line each' '
	mkdir -p "$CRM_DIR/customers/zx" "$CRM_DIR/customers/zy" &&
	for i in $(seq 100 399); do
		for s in zx zy; do
			printf "id: %s%s\nname: Person %s\nfollowups:\n- id: 1\n  due: soon\n  text: call\n" \
				$s $i $i >"$CRM_DIR/customers/$s/$s$i.yml" || return 1
		done
	done &&
	CRM_THREADS=4 crm followup >out 2>err &&
	test_line_count = 600 err &&
	test $(grep -c "^crm: warning: customers/z[xy]/z[xy][1-3][0-9][0-9].yml: follow-up 1 has no valid due date$" err) = 600 &&
	rm -r "$CRM_DIR/customers/zx" "$CRM_DIR/customers/zy"
'

test_expect_success 'the cache stays out of git' '
	test_store_sound
'

test_done
