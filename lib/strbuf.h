#ifndef CRM_STRBUF_H
#define CRM_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable, always NUL-terminated byte string, after git's strbuf.
 * `buf` is never NULL once initialised (it points at a static empty
 * string until the first append), so callers can print it unconditionally.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void strbuf_setlen(struct strbuf *sb, size_t len);
/* Append `n` copies of `c`. */
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
/* Take ownership of the buffer; `sb` is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_trim_trailing_newlines(struct strbuf *sb);
/* Insert `s` at byte `pos`. */
void strbuf_insertstr(struct strbuf *sb, size_t pos, const char *s);
/* Drop trailing spaces and tabs. */
void strbuf_rtrim(struct strbuf *sb);

#endif
