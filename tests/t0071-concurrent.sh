#!/bin/sh
test_description='concurrent writers never lose an update'
. ./test-lib.sh

WRITERS=4
WRITES=${CRM_TEST_WRITES:-200}

test_expect_success 'setup' '
	crm init >/dev/null &&
	crm add "Shared" >/dev/null &&
	for w in $(seq 1 $WRITERS); do crm add "Own $w" >/dev/null || return 1; done
'

test_expect_success "$WRITERS writers x $WRITES writes at once, to one and to different customers" '
	for w in $(seq 1 $WRITERS); do
		(
			i=1
			while [ $i -le $WRITES ]; do
				if [ $((i % 2)) -eq 0 ]; then who=shared; else who=own-$w; fi
				crm log $who "w$w-$i" || { echo "writer $w failed at $i"; exit 1; }
				i=$((i + 1))
			done
		) >"writer$w.out" 2>&1 &
	done &&
	wait &&
	cat writer*.out &&
	! grep -q failed writer*.out
'

test_expect_success 'every single write is there, once' '
	for w in $(seq 1 $WRITERS); do
		i=1
		while [ $i -le $WRITES ]; do
			echo "w$w-$i"
			i=$((i + 1))
		done
	done | sort >expect &&
	cat "$CRM_DIR"/customers/*/*.yml | sed -n "s/^  text: //p" | sort >actual &&
	test_cmp expect actual &&
	test_cmp_str $((WRITERS * WRITES + WRITERS + 2)) "$(commit_count)"
'

test_expect_success 'git is happy and the working tree matches HEAD' '
	test_store_sound
'

test_expect_success 'a plain git commit racing crm is not lost either' '
	crm_before=$(git -C "$CRM_DIR" log --format=%s | grep -c "^crm: log shared") &&
	{
		(
			i=0
			while [ $i -lt 20 ]; do
				crm log shared "racing $i" || exit 1
				i=$((i + 1))
			done
		) &
	} &&
	i=0 &&
	while [ $i -lt 20 ]; do
		echo "n$i" >>"$CRM_DIR/notes-by-git.txt" &&
		# git, like crm, refuses when the branch moves under it; a
		# user would just run it again
		tries=0 &&
		until git -C "$CRM_DIR" add notes-by-git.txt 2>/dev/null &&
		      git -C "$CRM_DIR" commit -qm "git $i" 2>/dev/null; do
			tries=$((tries + 1)) &&
			[ $tries -lt 100 ] && sleep 0.05 || return 1
		done
		i=$((i + 1))
	done &&
	wait &&
	test_cmp_str 20 "$(grep -c "text: racing" "$(crm path shared)")" &&
	test_cmp_str 20 "$(git -C "$CRM_DIR" log --format=%s | grep -c "^git ")" &&
	test_cmp_str $((crm_before + 20)) "$(git -C "$CRM_DIR" log --format=%s | grep -c "^crm: log shared")" &&
	test_cmp_str 20 "$(git -C "$CRM_DIR" show HEAD:notes-by-git.txt | wc -l)"
'

test_done
