#!/bin/sh
test_description='crm clone and sync over a real ssh remote on loopback'
. ./test-lib.sh

# sshd is started here, on 127.0.0.1, with a throwaway host key and user
# key; it needs root (CI runs as root) and Debian's openssh-server.
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ]; then
	say "# $TEST_NAME: needs root and /usr/sbin/sshd (openssh-server)"
	test_expect_success 'sshd is available to this test' 'false'
	test_done
	exit
fi

export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/lsan-ssh.supp:print_suppressions=0"
PORT=$((20000 + $$ % 20000))
SSHD_DIR="$TRASH/sshd"

test_expect_success 'start sshd on loopback with throwaway keys' '
	mkdir -p "$SSHD_DIR" "$HOME/.ssh" /run/sshd &&
	chmod 700 "$HOME/.ssh" &&
	ssh-keygen -q -t ed25519 -N "" -f "$SSHD_DIR/host_key" &&
	ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519" &&
	cp "$HOME/.ssh/id_ed25519.pub" "$SSHD_DIR/authorized_keys" &&
	chmod 600 "$SSHD_DIR/authorized_keys" &&
	cat >"$SSHD_DIR/sshd_config" <<-EOT &&
	Port $PORT
	ListenAddress 127.0.0.1
	HostKey $SSHD_DIR/host_key
	AuthorizedKeysFile $SSHD_DIR/authorized_keys
	PidFile $SSHD_DIR/sshd.pid
	StrictModes no
	UsePAM no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PermitRootLogin prohibit-password
	SetEnv PATH=$PATH
	EOT
	/usr/sbin/sshd -f "$SSHD_DIR/sshd_config" -E "$SSHD_DIR/log" &&
	i=0 && while [ ! -s "$SSHD_DIR/sshd.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
	test -s "$SSHD_DIR/sshd.pid"
'

stop_sshd() {
	[ -s "$SSHD_DIR/sshd.pid" ] && kill "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null
}
trap stop_sshd EXIT

URL="ssh://root@127.0.0.1:$PORT$TRASH/remote.git"
unset CRM_DIR

test_expect_success 'an unknown host key is refused, with a way to accept it' '
	git init -q --bare remote.git &&
	crm init --remote "$URL" alice >/dev/null &&
	crm -C alice add "Jane Doe" >/dev/null &&
	test_must_fail 1 crm -C alice sync 2>err &&
	test_grep "not in ~/.ssh/known_hosts" err &&
	test_grep "ssh-keyscan" err &&
	test_cmp_str "" "$(git -C remote.git for-each-ref)"
'

test_expect_success 'with the host known, sync pushes over ssh' '
	printf "[127.0.0.1]:%s %s\n" "$PORT" "$(cut -d" " -f1-2 "$SSHD_DIR/host_key.pub")" >"$HOME/.ssh/known_hosts" &&
	crm -C alice sync >out &&
	test_grep "1 out" out &&
	test_cmp_str "$(git -C alice rev-parse HEAD)" "$(git -C remote.git rev-parse main)"
'

test_expect_success 'clone over ssh, change both sides, sync both ways' '
	crm clone "$URL" bob >/dev/null &&
	crm -C alice set jane owner=alice &&
	crm -C bob log jane "called over ssh" &&
	crm -C alice sync >/dev/null && crm -C bob sync >out &&
	test_grep "merged (1): jane-doe" out &&
	crm -C alice sync >/dev/null &&
	test_cmp "$(crm -C alice path jane)" "$(crm -C bob path jane)" &&
	test_store_sound "$TRASH/alice" && test_store_sound "$TRASH/bob"
'

test_expect_success 'a wrong key is refused with a clear message' '
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/id_ed25519.away" &&
	mv "$HOME/.ssh/id_ed25519.pub" "$HOME/.ssh/id_ed25519.pub.away" &&
	ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519" <<-\EOT >/dev/null 2>&1
	y
	EOT
	crm -C alice set jane owner=x &&
	test_must_fail 1 crm -C alice sync 2>err &&
	test_grep "cannot fetch from .origin." err &&
	mv "$HOME/.ssh/id_ed25519.away" "$HOME/.ssh/id_ed25519" &&
	mv "$HOME/.ssh/id_ed25519.pub.away" "$HOME/.ssh/id_ed25519.pub" &&
	crm -C alice sync >/dev/null
'

test_done
