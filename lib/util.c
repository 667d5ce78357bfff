#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void crm_die_oom(void)
{
	static const char msg[] = "crm: out of memory\n";

	/* write(2) rather than stdio: we may be out of memory for buffers */
	if (write(2, msg, sizeof(msg) - 1) < 0)
		abort();
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		crm_die_oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		crm_die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		crm_die_oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int ascii_casecmp(const char *a, const char *b)
{
	for (; *a && ascii_lower((unsigned char)*a) ==
		    ascii_lower((unsigned char)*b); a++, b++)
		;
	return ascii_lower((unsigned char)*a) - ascii_lower((unsigned char)*b);
}

char *ascii_strcasestr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (ascii_lower((unsigned char)haystack[i]) !=
			    ascii_lower((unsigned char)needle[i]))
				break;
		if (i == n)
			return (char *)haystack;
	}
	return n ? NULL : (char *)haystack;
}

size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t na = strlen(a), nb = strlen(b), i, j, d;
	size_t *rows, *prev2, *prev, *row, *t;

	if ((na > nb ? na - nb : nb - na) > limit)
		return limit + 1;
	/* three rows of the optimal-string-alignment table */
	rows = xcalloc(3 * (nb + 1), sizeof(*rows));
	prev2 = rows;
	prev = prev2 + nb + 1;
	row = prev + nb + 1;
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			row[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = row;
		row = t;
	}
	d = prev[nb];
	free(rows);
	return d > limit ? limit + 1 : d;
}

uint64_t crm_fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}
