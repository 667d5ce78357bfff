#!/bin/sh
test_description='clone and sync through a git remote, merging record by record'
. ./test-lib.sh

# Three teammates, each with a store of their own, sharing a bare repo.
unset CRM_DIR
A="crm -C alice" B="crm -C bob" C="crm -C carol"

test_expect_success 'init --remote and the first sync create the remote branch' '
	git init -q --bare remote.git &&
	crm init --remote "$TRASH/remote.git" alice >out &&
	test_grep "Its remote is" out &&
	test_cmp_str "crm merge-driver %O %A %B %P" "$(git -C alice config merge.crm.driver)" &&
	$A add "Jane Doe" --email jane@acme.example --tag lead >/dev/null &&
	$A sync >out &&
	test_grep "synced with origin: 0 customers in, 1 out" out &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)"
'

test_expect_success 'clone by path and by file:// URL' '
	crm clone "$TRASH/remote.git" bob >out &&
	test_grep "Cloned" out &&
	crm clone "file://$TRASH/remote.git" carol >/dev/null &&
	$B show jane >/dev/null && $C show jane >/dev/null &&
	test_cmp_str "crm merge-driver %O %A %B %P" "$(git -C carol config merge.crm.driver)" &&
	test "$(stat -c %a bob)" = 700
'

test_expect_success 'up to date, and --dry-run changes nothing' '
	$A sync >out && test_grep "up to date" out &&
	$A set jane owner=alice &&
	before=$(git -C remote.git rev-parse main) &&
	$A sync --dry-run >out &&
	test_grep "would sync" out && test_grep "nothing changed" out &&
	test_cmp_str "$before" "$(git -C remote.git rev-parse main)" &&
	$A sync >/dev/null
'

test_expect_success 'different fields of one customer changed on both sides: both kept' '
	$B sync >/dev/null &&
	$A set jane company=Acme &&
	$B set jane tags+=vip &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "merged (1): jane-doe" out &&
	$A sync >/dev/null &&
	f=$($B path jane) &&
	test_grep "company: Acme" "$f" && test_grep "tags: \[lead, vip\]" "$f" &&
	test_cmp "$($A path jane)" "$f"
'

test_expect_success 'log entries added on both sides: all kept in time order' '
	CRM_NOW=2026-11-23T10:00:00+00:00 $A log jane "alice at ten" &&
	CRM_NOW=2026-11-23T09:30:00+00:00 $B log jane "bob at half past nine" &&
	CRM_NOW=2026-11-23T11:00:00+01:00 $C log jane "carol at ten, Paris time" &&
	$A sync >/dev/null && $B sync >/dev/null && $C sync >/dev/null &&
	$A sync >/dev/null && $B sync >/dev/null &&
	sed -n "s/^  text: //p" "$($A path jane)" >texts &&
	cat >expect <<-\EOT &&
	bob at half past nine
	carol at ten, Paris time
	alice at ten
	EOT
	test_cmp expect texts &&
	test_cmp "$($A path jane)" "$($B path jane)" &&
	test_cmp "$($A path jane)" "$($C path jane)"
'

test_expect_success 'deals by id: different deals merge; same id, different deals: both kept' '
	$A deal add jane Website --value 100 >/dev/null &&
	$B deal add jane Hosting --value 5 >/dev/null &&
	$C deal add jane Website --value 999 >/dev/null &&
	$A sync >/dev/null && $B sync >/dev/null && $C sync >out &&
	test_grep "theirs kept as .website-2." out &&
	$A sync >/dev/null && $B sync >/dev/null &&
	$A deal jane >out &&
	test_grep "jane-doe/website " out && test_grep "jane-doe/website-2" out &&
	test_grep "jane-doe/hosting" out
'

test_expect_success 'lists: additions and removals from both sides' '
	$A set jane tags-=lead tags+=a &&
	$B set jane tags+=b &&
	$A sync >/dev/null && $B sync >/dev/null && $A sync >/dev/null &&
	test_grep "tags: \[vip, a, b\]" "$($A path jane)" ||
	test_grep "tags: \[vip, b, a\]" "$($A path jane)"
'

test_expect_success 'the same customer added on both sides: both kept, one renamed' '
	$A add "Sam Lee" --email sam.a@x.example >/dev/null &&
	$B add "Sam Lee" --email sam.b@y.example >/dev/null &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "two different customers were added as .sam-lee.; theirs is now .sam-lee-2." out &&
	$A sync >/dev/null &&
	$A list Sam >out && test_line_count = 2 out
'

test_expect_success 'a renamed customer takes an id neither side has' '
	$A add "Kim Park" --email kim.a@x.example >/dev/null &&
	$A add "Kim Park" --email kim.a2@x.example >/dev/null &&
	$B add "Kim Park" --email kim.b@y.example >/dev/null &&
	$B add "Kim Park 3" >/dev/null &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "added as .kim-park.; theirs is now .kim-park-4." out &&
	test_grep "kim.a@x.example" "$($B path kim-park-4)" &&
	test_grep "kim.a2@x.example" "$($B path kim-park-2)" &&
	test_grep "kim.b@y.example" "$($B path kim-park)" &&
	$A sync >/dev/null &&
	$A list Kim >out && test_line_count = 4 out
'

test_expect_success 'deleted on one side, changed on the other: kept, and said so' '
	$A add "Del Me" >/dev/null && $A sync >/dev/null && $B sync >/dev/null &&
	$A rm del-me >/dev/null &&
	$B set del-me owner=bob &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "kept" out &&
	$A sync >/dev/null &&
	$A show del-me >/dev/null
'

test_expect_success 'the same field to different values: a conflict, both values kept' '
	$A set jane owner=anna &&
	$B set jane owner=bert &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "conflict in .owner." out &&
	test_grep "1 conflict" out &&
	$B list has:conflicts >out && test_grep jane-doe out &&
	$B show jane >out && test_grep "owner: ours bert, theirs anna" out &&
	$B resolve jane >out && test_grep "ours:   bert" out && test_grep "theirs: anna" out &&
	! grep -q "<<<<<<<\|>>>>>>>" "$($B path jane)" &&
	python3 -c "import yaml; yaml.safe_load(open(\"$($B path jane)\"))"
'

test_expect_success 'crm resolve settles it, and the resolution travels' '
	test_must_fail 2 $B resolve jane owner 2>err &&
	test_must_fail 1 $B resolve --ours jane company 2>err &&
	$B resolve --theirs jane owner &&
	test_grep "owner: anna" "$($B path jane)" &&
	test_grep ! "conflicts" "$($B path jane)" &&
	$B sync >/dev/null && $A sync >/dev/null &&
	test_cmp "$($A path jane)" "$($B path jane)"
'

test_expect_success 'after the rounds every clone has the same store and git is happy' '
	$A sync >/dev/null && $B sync >/dev/null && $C sync >/dev/null && $A sync >/dev/null && $B sync >/dev/null &&
	test_cmp_str "$(git -C alice rev-parse HEAD^{tree})" "$(git -C bob rev-parse HEAD^{tree})" &&
	test_cmp_str "$(git -C alice rev-parse HEAD^{tree})" "$(git -C carol rev-parse HEAD^{tree})" &&
	for d in alice bob carol; do test_store_sound "$TRASH/$d" || return 1; done &&
	git -C remote.git fsck --strict >/dev/null
'

test_expect_success 'plain git pull uses the same merge (crm merge-driver)' '
	$A set jane notes="from alice" &&
	$B set jane kind=person &&
	$A sync >/dev/null &&
	git -C bob pull -q --no-rebase --no-edit origin main &&
	test_grep "notes: from alice" "$($B path jane)" &&
	test_grep "kind: person" "$($B path jane)" &&
	test_store_sound "$TRASH/bob" &&
	$B sync >/dev/null && $A sync >/dev/null
'

test_expect_success 'plain git pull with a conflict keeps both values, no markers' '
	$A set jane company=AliceCo && $A sync >/dev/null &&
	$B set jane company=BobCo &&
	git -C bob pull -q --no-rebase --no-edit origin main 2>err &&
	! grep -q "<<<<<<<" "$($B path jane)" &&
	$B resolve jane >out && test_grep "company:" out &&
	$B resolve --value "Alice and Bob Co" jane company &&
	$B sync >/dev/null && $A sync >/dev/null &&
	test_grep "company: Alice and Bob Co" "$($A path jane)"
'

test_expect_success 'a push rejected because the remote moved is merged again' '
	$A set jane owner=one &&
	$C sync >/dev/null && $C log jane "carol was faster" && $C sync >/dev/null &&
	$A sync >out &&
	test_grep "synced with origin" out &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)"
'

test_expect_success 'sync refuses to overwrite an uncommitted hand edit' '
	$B sync >/dev/null && $A set jane phone="+1 555 0100" && $A sync >/dev/null &&
	echo "hand: edit" >>"$($B path jane)" &&
	test_must_fail 1 $B sync 2>err &&
	test_grep "changes that are not committed" err &&
	git -C bob checkout -- . && $B sync >/dev/null
'

test_expect_success 'a remote on this machine: every branch fetched, objects sound on both sides' '
	git -C remote.git branch side main &&
	$A log jane "before the side branch travels" &&
	$A sync >/dev/null &&
	test_cmp_str "$(git -C remote.git rev-parse side)" "$(git -C alice rev-parse origin/side)" &&
	git -C remote.git fsck --strict --no-dangling >/dev/null &&
	test_store_sound "$TRASH/alice" &&
	git -C remote.git branch -D side >/dev/null
'

test_expect_success 'a remote branch that names an annotated tag arrives with the tag' '
	tag=$(git -C remote.git tag -a -m "a release" v1 main && git -C remote.git rev-parse v1) &&
	echo "$tag" >remote.git/refs/heads/tagged &&
	$A sync >/dev/null &&
	test_cmp_str "$tag" "$(git -C alice rev-parse origin/tagged)" &&
	test_cmp_str tag "$(git -C alice cat-file -t origin/tagged)" &&
	test_store_sound "$TRASH/alice" &&
	rm remote.git/refs/heads/tagged && git -C remote.git tag -d v1 >/dev/null
'

test_expect_success 'a push sends nothing the remote has under another branch' '
	$A sync >/dev/null &&
	git -C remote.git branch keep main &&
	git -C remote.git update-ref -d refs/heads/main &&
	git -C alice update-ref -d refs/remotes/origin/main &&
	ls remote.git/objects/pack >packs.before &&
	$A sync >out &&
	ls remote.git/objects/pack >packs.after &&
	test_cmp packs.before packs.after &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)" &&
	git -C remote.git branch -D keep >/dev/null
'

test_expect_success 'a fetch refspec without + refuses a rewound branch, and names it' '
	git -C remote.git branch side main &&
	$A sync >/dev/null &&
	git -C remote.git update-ref refs/heads/side "$(git -C remote.git rev-parse main~1)" &&
	git -C alice config remote.origin.fetch "refs/heads/*:refs/remotes/origin/*" &&
	test_must_fail 1 $A sync 2>err &&
	git -C alice config remote.origin.fetch "+refs/heads/*:refs/remotes/origin/*" &&
	test_grep "refs/remotes/origin/side would not fast-forward" err &&
	test_line_count = 1 err &&
	$A sync >/dev/null &&
	test_cmp_str "$(git -C remote.git rev-parse side)" "$(git -C alice rev-parse origin/side)" &&
	git -C remote.git branch -D side >/dev/null
'

remote_packs() {
	ls remote.git/objects/pack | grep -c "\.pack$"
}

# Up to 60 s for the remote's packs to be $1 or fewer, and no gc running.
# (git gc writes a bitmap in a bare repository; crm and libgit2 never do.)
wait_remote_packs() {
	n=0
	while { [ "$(remote_packs)" -gt "$1" ] || [ -e remote.git/gc.pid ]; } && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ "$(remote_packs)" -le "$1" ] && [ ! -e remote.git/gc.pid ]
}

test_expect_success 'pushes to a path remote start its git gc --auto, as receive-pack does' '
	git -C remote.git config gc.autoPackLimit 2 &&
	# each push waits for the gc it starts: a push racing that gc once
	# failed to move the branch in CI (the target OID was not found),
	# a race of the path push not yet understood
	for i in 1 2 3 4; do
		$A log jane "push $i" && $A sync >/dev/null &&
		wait_remote_packs 2 || return 1
	done &&
	ls remote.git/objects/pack | grep -q "\.bitmap$" &&
	git -C remote.git fsck --strict --no-dangling >/dev/null &&
	git -C remote.git config receive.autogc false &&
	for i in 5 6 7 8; do
		$A log jane "push $i" && $A sync >/dev/null || return 1
	done &&
	sleep 1 && test "$(remote_packs)" -gt 2 &&
	git -C remote.git config --unset gc.autoPackLimit &&
	git -C remote.git config --unset receive.autogc &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)"
'

test_expect_success 'a merge made by sync travels whole, with every record of both sides' '
	$B sync >/dev/null &&
	$A add "Merge Left" >/dev/null && $B add "Merge Right" >/dev/null &&
	$A sync >/dev/null && $B sync >out &&
	test_grep "1 customer in, 1 out" out &&
	test "$(git -C bob log -1 --format=%p | wc -w)" = 2 &&
	$A sync >/dev/null &&
	$A show "Merge Right" >/dev/null && $B show "Merge Left" >/dev/null &&
	test_cmp_str "$(git -C bob rev-parse HEAD)" "$(git -C remote.git rev-parse main)" &&
	test_cmp_str "$(git -C bob rev-parse HEAD)" "$(git -C alice rev-parse HEAD)" &&
	git -C remote.git fsck --strict --no-dangling >/dev/null &&
	test_store_sound "$TRASH/alice" && test_store_sound "$TRASH/bob"
'

test_expect_success 'a remote branch locked by another push: one-line error, remote unchanged' '
	$A log jane "waits for the lock" &&
	before=$(git -C remote.git rev-parse main) &&
	: >remote.git/refs/heads/main.lock &&
	test_must_fail 1 $A sync 2>err &&
	rm -f remote.git/refs/heads/main.lock &&
	test_grep "cannot push to .origin." err && test_line_count = 1 err &&
	test_cmp_str "$before" "$(git -C remote.git rev-parse main)" &&
	$A sync >/dev/null &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)"
'

test_expect_success 'a remote on this machine that is not bare is not pushed to' '
	git clone -q -b main remote.git nonbare 2>/dev/null &&
	crm clone "$TRASH/remote.git" dave >/dev/null &&
	git -C dave remote set-url origin "$TRASH/nonbare" &&
	crm -C dave log jane "for a non-bare remote" &&
	before=$(git -C nonbare rev-parse main) &&
	test_must_fail 1 crm -C dave sync 2>err &&
	test_grep "cannot push to .origin.: .*nonbare. is not a bare repository" err &&
	test_line_count = 1 err &&
	test_cmp_str "$before" "$(git -C nonbare rev-parse main)" &&
	mkdir notarepo && git -C dave remote set-url origin "$TRASH/notarepo" &&
	test_must_fail 1 crm -C dave sync 2>err &&
	test_grep "cannot fetch from .origin." err && test_line_count = 1 err
'

test_expect_success 'errors: no remote, unreachable remote, not a crm store' '
	crm init lonely >/dev/null &&
	test_must_fail 1 crm -C lonely sync 2>err && test_grep "no remote .origin." err &&
	test_must_fail 1 crm -C lonely sync --remote nope 2>err &&
	git -C lonely remote add origin "$TRASH/does-not-exist.git" &&
	test_must_fail 1 crm -C lonely sync 2>err && test_grep "cannot fetch from .origin." err &&
	git init -q --bare plain.git && git init -q plainwork &&
	( cd plainwork && echo x >x && git add x && git -c user.name=u -c user.email=u@x commit -qm x && git push -q ../plain.git HEAD:main ) &&
	test_must_fail 1 crm clone "$TRASH/plain.git" notcrm 2>err &&
	test_grep "not a crm store" err &&
	test_must_fail 2 crm clone 2>err &&
	test_must_fail 2 $A sync extra 2>err &&
	test ! -e notcrm
'

test_done
