#!/bin/sh
test_description='every command has a man page whose synopsis matches -h, and completions know it (after git t0450)'
. ./test-lib.sh

commands=$(crm --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "Commands:" { print $1 }')

test_expect_success 'crm --help lists the commands' '
	test -n "$commands" &&
	echo "$commands" | grep -qx add
'

# The usage lines of `crm <cmd> -h`, without "usage:"/"or:".
usage_of() {
	crm "$1" -h | sed -n "s/^usage: //p; s/^   or: //p"
}

# The SYNOPSIS section of a scdoc page, markup stripped.
synopsis_of() {
	sed -n "/^# SYNOPSIS/,/^# /p" "$1" | sed "1d;\$d" |
		sed "s/\\*//g; s/\\\\//g; /^[[:space:]]*\$/d"
}

for c in $commands; do
	test_expect_success "crm-$c(1) synopsis matches 'crm $c -h'" "
		test -f '$SRC_DIR/man/crm-$c.1.scd' &&
		usage_of $c >expect &&
		synopsis_of '$SRC_DIR/man/crm-$c.1.scd' >actual &&
		test_cmp expect actual
	"
done

test_expect_success 'crm.1 and crm-record.5 exist and build' '
	for p in crm.1 crm-record.5; do
		scdoc <"$SRC_DIR/man/$p.scd" >/dev/null || return 1
	done
'

test_expect_success 'the main synopsis matches crm --help' '
	crm --help | sed -n "s/^usage: //p; s/^   or: //p" >expect &&
	synopsis_of "$SRC_DIR/man/crm.1.scd" >actual &&
	test_cmp expect actual
'

for sh in bash zsh fish; do
	test_expect_success "completions/ for $sh is what the tables generate" "
		case $sh in
		bash) f=crm.bash ;; zsh) f=_crm ;; fish) f=crm.fish ;;
		esac &&
		crm --completion $sh >expect &&
		test_cmp expect '$SRC_DIR/completions/'\$f
	"
done

test_expect_success 'every command and long option is in every completion' '
	for c in $commands; do
		for f in crm.bash _crm crm.fish; do
			grep -qw -- "$c" "$SRC_DIR/completions/$f" ||
				{ echo "$f lacks $c"; return 1; }
		done
		crm $c -h | sed -n "s/^ *\(-., \)\{0,1\}--\([a-z-]*\).*/\2/p" >opts
		while read -r o; do
			grep -q -- "--$o\|-l $o" "$SRC_DIR/completions/crm.bash" &&
			grep -q -- "--$o" "$SRC_DIR/completions/_crm" &&
			grep -q -- "-l $o" "$SRC_DIR/completions/crm.fish" ||
				{ echo "option --$o of $c missing"; return 1; }
		done <opts
	done
'

test_expect_success 'the scripts load in their shells' '
	bash -n "$SRC_DIR/completions/crm.bash" &&
	if command -v zsh >/dev/null; then zsh -n "$SRC_DIR/completions/_crm"; fi &&
	if command -v fish >/dev/null; then fish -n "$SRC_DIR/completions/crm.fish"; fi
'

test_expect_success 'bash completion offers commands, options and customer ids' '
	crm init >/dev/null && crm add "Jane Doe" >/dev/null &&
	cat >comp.sh <<-\EOT &&
	. "$1"
	complete_words() {
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_crm
		printf "%s\n" "${COMPREPLY[@]}"
	}
	complete_words crm sh
	complete_words crm show ""
	complete_words crm add --k
	complete_words crm deal a
	EOT
	bash comp.sh "$SRC_DIR/completions/crm.bash" >out &&
	test_grep "^show$" out &&
	test_grep "^jane-doe$" out &&
	test_grep "^--kind$" out &&
	test_grep "^add$" out
'

test_done
