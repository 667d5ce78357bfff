/*
 * Deferring the CA bundle.  Debian's libgit2 1.5 (built with mbedTLS)
 * parses the system's whole CA bundle, ~220 KB of PEM, in
 * git_libgit2_init(): 5.5 ms of every crm command measured here, a
 * third of `crm list` on a 50-customer store, for certificates that
 * only clone and sync over https use.  libgit2 has no option to skip
 * it, but it looks for the bundle with stat() and goes on without one
 * when that fails.  So crm defines stat(): the dynamic linker binds
 * libgit2's calls to it, as it does for a malloc replacement.  While
 * libgit2 initialises, it says a certificate path is not there and
 * remembers it; crm_ca_bundle_load() hands it to libgit2 before crm
 * connects to a remote.  At any other time it is the system's stat().
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ca-bundle.h"
#include "util.h"

static int deferring;
static char *deferred_path;
static int loaded;

int stat(const char *restrict path, struct stat *restrict st)
{
	if (deferring && strstr(path, "cert")) {
		free(deferred_path);
		deferred_path = xstrdup(path);
		errno = ENOENT;
		return -1;
	}
	return fstatat(AT_FDCWD, path, st, 0);
}

void crm_ca_bundle_defer(int on)
{
	deferring = on;
}

void crm_ca_bundle_load(void)
{
	struct stat st;

	if (loaded || !deferred_path)
		return;
	loaded = 1;
	if (stat(deferred_path, &st))
		return;
	/* as libgit2 would have: a file of certificates, or a directory */
	if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS,
			     S_ISDIR(st.st_mode) ? NULL : deferred_path,
			     S_ISDIR(st.st_mode) ? deferred_path : NULL))
		git_error_clear();	/* as at start-up: TLS then fails to verify */
}
