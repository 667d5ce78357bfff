#ifndef CRM_FUZZ_H
#define CRM_FUZZ_H

/*
 * Shared by the libFuzzer targets in fuzz/.  A target checks properties
 * crm promises (crm-record(5), crm-date(1), crm(1) FILTERS, lib/merge.h)
 * and calls fuzz_fail() when one does not hold: it prints what was
 * expected and traps, so libFuzzer saves the input as a crash.
 */

#include <stddef.h>
#include <stdint.h>

struct crm_node;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void fuzz_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Known, reported bugs that a long run should look past: $FUZZ_SKIP
 * lists their names (comma-separated); each target says how it spots
 * them.  Unset, as in `make run` and `make ci`, nothing is skipped, so a
 * known bug fails the run until it is fixed.  README.md lists the names.
 */
int fuzz_skip(const char *name);

/*
 * "plain-quoted": a plain scalar that is not a string (a null, a date, a
 * number, "...") which libyaml will not write plain where it stands, an
 * empty one or one with ':' in a flow list or map above all
 * (`{o: }`, `[10:30]`, `{at: 2026-11-22T10:15:00+01:00}`): it comes out
 * quoted and reads back as a string.  Whether `b` is `a` but for such
 * scalars turned strings, with the same text.
 */
int fuzz_equal_but_quoted(const struct crm_node *a, const struct crm_node *b);

/* The same TZ and "now" for every target: runs must be reproducible. */
#define FUZZ_TZ "Europe/Paris"
#define FUZZ_NOW "2026-11-23T09:00:00+01:00"
void fuzz_fix_clock(void);

/*
 * Split `size` bytes into at most `max` NUL-terminated strings at every
 * NUL and every byte in `seps` (the separators are dropped; what follows
 * the max-th string is ignored).  Returns the count, at least 1; the
 * strings point into one allocation, released with fuzz_split_free().
 */
size_t fuzz_split(char **out, size_t max, const uint8_t *data, size_t size,
		  const char *seps);
void fuzz_split_free(char **out);

#endif
