#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/node.h"
#include "fuzz.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: property violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	__builtin_trap();
}

void fuzz_fix_clock(void)
{
	/* FUZZ_TZ has summer time and a pre-1911 offset in seconds (LMT) */
	setenv("TZ", getenv("CRM_FUZZ_TZ") ? getenv("CRM_FUZZ_TZ") : FUZZ_TZ,
	       1);
	setenv("CRM_NOW", FUZZ_NOW, 1);
	setenv("LANG", "C", 1);
	tzset();
}

size_t fuzz_split(char **out, size_t max, const uint8_t *data, size_t size,
		  const char *seps)
{
	char *buf;
	size_t n = 0, i, start = 0;

	if (!max)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* the first string starts the buffer: out[0] owns it */
	for (i = 0; i <= size && n < max; i++) {
		if (i < size && buf[i] && !strchr(seps, buf[i]))
			continue;
		buf[i] = '\0';
		out[n++] = buf + start;
		start = i + 1;
	}
	return n;
}

void fuzz_split_free(char **out)
{
	free(out[0]);
}

int fuzz_skip(const char *name)
{
	const char *list = getenv("FUZZ_SKIP"), *p;
	size_t len = strlen(name);

	for (p = list; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

int fuzz_equal_but_quoted(const struct crm_node *a, const struct crm_node *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->nitems != b->nitems)
		return 0;
	if (a->kind == CRM_NODE_SCALAR)
		return (a->type == b->type || (a->type == CRM_SCALAR_PLAIN &&
					       b->type == CRM_SCALAR_STR)) &&
		       a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->nitems; i++)
		if (!fuzz_equal_but_quoted(a->items[i], b->items[i]))
			return 0;
	return 1;
}
