#!/bin/sh
test_description='https remotes are checked against the system CA bundle'
. ./test-lib.sh

# crm loads the CA bundle only before it connects (lib/ca-bundle.c).  No
# local server can show that: its certificate would have to be signed
# by a CA in the system bundle.  Debian's archive can, and CI reaches it
# (it installs packages from there); it is no git server, so a verified
# connection ends in an HTTP error status (404 today), an unverified one
# in a certificate error.  Without a route to it the test says so and
# checks nothing.
URL=https://deb.debian.org/debian/
unset CRM_DIR

timeout 60 crm clone "$URL" probe >"$TRASH/probe.out" 2>&1
if ! grep -q -e "http status code" -e "certificate" "$TRASH/probe.out"; then
	say "# $TEST_NAME: deb.debian.org not reachable, nothing checked:"
	sed "s/^/#   /" "$TRASH/probe.out"
	test_done
	exit
fi

test_expect_success 'clone over https verifies the server with the CA bundle' '
	test_must_fail 1 timeout 60 crm clone "$URL" repo 2>err &&
	test_grep "cannot clone .https://deb.debian.org/debian/.: unexpected http status code" err &&
	! grep certificate err &&
	test ! -e repo
'

test_expect_success 'sync over https verifies the server too, and changes nothing' '
	crm init --remote "$URL" store >/dev/null &&
	crm -C store add "Jane Doe" >/dev/null &&
	before=$(git -C store rev-parse HEAD) &&
	test_must_fail 1 timeout 60 crm -C store sync 2>err &&
	test_grep "unexpected http status code" err &&
	! grep certificate err &&
	test_cmp_str "$before" "$(git -C store rev-parse HEAD)" &&
	test_store_sound store
'

test_done
