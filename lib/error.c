#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"

/* per thread: the store scan parses records on several threads */
static _Thread_local struct strbuf last_message = STRBUF_INIT;
static _Thread_local int last_code;

static void set_message(int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void set_message(int code, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	/* format first: an argument may point into the old message */
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_release(&last_message);
	last_message = sb;
	last_code = code;
}

void crm_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(code, fmt, ap);
	va_end(ap);
}

void crm_error_set_errno(int code, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	set_message(code, fmt, ap);
	va_end(ap);
	strbuf_addf(&last_message, ": %s", strerror(saved_errno));
}

const char *crm_error_last(void)
{
	return last_message.len ? last_message.buf : "unknown error";
}

int crm_error_code(void)
{
	return last_code;
}

void crm_error_clear(void)
{
	strbuf_release(&last_message);
	last_code = 0;
}
