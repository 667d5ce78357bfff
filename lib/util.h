#ifndef CRM_UTIL_H
#define CRM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Allocation that cannot fail.  Running out of memory is the one
 * condition lib/ does not report through a return code: like git's
 * xmalloc, it prints one line and aborts, because no caller could
 * recover anyway.
 */
void crm_die_oom(void) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Grow `arr` (of `alloc` elements) so that it holds at least `nr`. */
#define ALLOC_GROW(arr, nr, alloc) do { \
	if ((nr) > (alloc)) { \
		size_t alloc_grow_n = (alloc) ? (alloc) * 2 : 8; \
		while (alloc_grow_n < (nr)) \
			alloc_grow_n *= 2; \
		(arr) = xrealloc((arr), alloc_grow_n * sizeof(*(arr))); \
		(alloc) = alloc_grow_n; \
	} \
} while (0)

int starts_with(const char *s, const char *prefix);
/* Case-insensitive ASCII comparison helpers. */
int ascii_casecmp(const char *a, const char *b);
/*
 * Edits (insert, delete, replace, swap two neighbours) from `a` to `b`,
 * counted up to `limit`: any larger distance reads as limit + 1.
 */
size_t edit_distance(const char *a, const char *b, size_t limit);
char *ascii_strcasestr(const char *haystack, const char *needle);
/* FNV-1a, 64 bits: small, stable across machines and versions. */
uint64_t crm_fnv1a(const char *s);

#endif
