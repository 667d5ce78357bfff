/*
 * Option parsing, usage and output helpers shared by every command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/text.h"
#include "../lib/util.h"

void strlist_add(struct strlist *l, const char *s)
{
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	l->items[l->n++] = s;
}

void strlist_release(struct strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->n = l->alloc = 0;
}

void cmd_usage(FILE *out, const struct cmd_spec *spec)
{
	const struct cmd_option *o;
	size_t i;

	for (i = 0; spec->usage[i]; i++)
		fprintf(out, "%s %s\n", i ? "   or:" : "usage:", spec->usage[i]);
	if (!spec->options || !spec->options[0].long_name)
		return;
	fputc('\n', out);
	for (o = spec->options; o->type != OPT_END; o++) {
		struct strbuf flag = STRBUF_INIT;

		if (o->short_name)
			strbuf_addf(&flag, "-%c, ", o->short_name);
		strbuf_addf(&flag, "--%s", o->long_name);
		if (o->argh)
			strbuf_addf(&flag, " %s", o->argh);
		fprintf(out, "    %-26s %s\n", flag.buf, o->help);
		strbuf_release(&flag);
	}
}

int cmd_usage_error(const struct cmd_spec *spec, struct crm_ctx *ctx,
		    const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ctx->progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cmd_usage(stderr, spec);
	return 2;
}

static const struct cmd_option *find_long(const struct cmd_option *o,
					  const char *name, size_t len)
{
	for (; o && o->type != OPT_END; o++)
		if (strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct cmd_option *find_short(const struct cmd_option *o, char c)
{
	for (; o && o->type != OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static void set_option(const struct cmd_option *o, const char *value)
{
	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->value = 1;
		break;
	case OPT_STRING:
		*(const char **)o->value = value;
		break;
	case OPT_LIST:
		strlist_add(o->value, value);
		break;
	case OPT_END:
		break;
	}
}

/* A bad option: report it with the usage and make cmd_parse return -1. */
#define USAGE_FAIL(...) do { \
	cmd_usage_error(__VA_ARGS__); \
	return -1; \
} while (0)

int cmd_parse(const struct cmd_spec *spec, int argc, char **argv,
	      struct strlist *args, struct crm_ctx *ctx)
{
	int i, only_args = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cmd_option *o;
		const char *value = NULL;

		if (only_args || a[0] != '-' || !a[1] ||
		    (spec->dash_args && a[1] != '-' && strcmp(a, "-h") &&
		     !(a[2] == '\0' && find_short(spec->options, a[1])))) {
			strlist_add(args, a);
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cmd_usage(stdout, spec);
			return 1;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_long(spec->options, a + 2, len);
			if (!o)
				USAGE_FAIL(spec, ctx,
					"unknown option '%.*s'", (int)len + 2, a);
			if (eq) {
				if (o->type == OPT_FLAG)
					USAGE_FAIL(spec, ctx,
						"option '--%s' takes no value",
						o->long_name);
				value = eq + 1;
			}
		} else {
			o = find_short(spec->options, a[1]);
			if (!o)
				USAGE_FAIL(spec, ctx,
					"unknown option '-%c'", a[1]);
			if (a[2]) {
				if (o->type == OPT_FLAG)
					USAGE_FAIL(spec, ctx,
						"unknown option '%s'", a);
				value = a + 2;
			}
		}
		if (o->type != OPT_FLAG && !value) {
			if (i + 1 >= argc)
				USAGE_FAIL(spec, ctx,
					"option '--%s' needs a value",
					o->long_name);
			value = argv[++i];
		}
		set_option(o, value);
	}
	return 0;
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("crm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cmd_quiet;

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	if (cmd_quiet)
		return;
	/* one line, even when scanning threads warn at once */
	flockfile(stderr);
	fputs("crm: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

int cmd_fail(void)
{
	cmd_error("%s", crm_error_last());
	return 1;
}

int cmd_output_format(int json, const char *format)
{
	if (!format)
		return json ? FORMAT_JSON : FORMAT_HUMAN;
	if (json && strcmp(format, "json")) {
		cmd_error("--json and --format %s do not go together", format);
		return -1;
	}
	if (!strcmp(format, "json"))
		return FORMAT_JSON;
	if (!strcmp(format, "tsv"))
		return FORMAT_TSV;
	cmd_error("unknown format '%s' (use 'tsv' or 'json')", format);
	return -1;
}

const char *color(const struct crm_ctx *ctx, const char *code)
{
	return ctx->color ? code : "";
}

void json_string(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			strbuf_addch(out, '\\');
			strbuf_addch(out, c);
		} else if (c == '\n') {
			strbuf_addstr(out, "\\n");
		} else if (c == '\t') {
			strbuf_addstr(out, "\\t");
		} else if (c == '\r') {
			strbuf_addstr(out, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\u%04x", c);
		} else {
			strbuf_addch(out, c);
		}
	}
	strbuf_addch(out, '"');
}

/*
 * YAML values as JSON.  Scalars are strings, except the plain ones that
 * are JSON literals already (integers, true/false, null).
 */
static int json_literal(const struct crm_node *n)
{
	const char *s = n->str;
	size_t i = 0;

	if (n->type != CRM_SCALAR_PLAIN)
		return 0;
	if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null"))
		return 1;
	if (s[0] == '-')
		i++;
	if (!s[i] || (s[i] == '0' && s[i + 1]))
		return 0;
	for (; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i < 16;
}

void json_node(struct strbuf *out, const struct crm_node *n)
{
	size_t i;

	if (!n) {
		strbuf_addstr(out, "null");
		return;
	}
	switch (n->kind) {
	case CRM_NODE_SCALAR:
		if (json_literal(n))
			strbuf_addstr(out, n->str);
		else
			json_string(out, n->str);
		break;
	case CRM_NODE_SEQ:
		strbuf_addch(out, '[');
		for (i = 0; i < n->nitems; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			json_node(out, n->items[i]);
		}
		strbuf_addch(out, ']');
		break;
	case CRM_NODE_MAP:
		strbuf_addch(out, '{');
		for (i = 0; i < crm_map_len(n); i++) {
			if (i)
				strbuf_addstr(out, ", ");
			json_string(out, crm_map_key(n, i));
			strbuf_addstr(out, ": ");
			json_node(out, crm_map_value(n, i));
		}
		strbuf_addch(out, '}');
		break;
	}
}

void tsv_cell(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t')
			strbuf_addstr(out, "\\t");
		else if (*s == '\n')
			strbuf_addstr(out, "\\n");
		else if (*s == '\r')
			strbuf_addstr(out, "\\r");
		else if (*s == '\\')
			strbuf_addstr(out, "\\\\");
		else
			strbuf_addch(out, *s);
	}
}

void pad(struct strbuf *out, const char *s, size_t width)
{
	size_t w = crm_text_width(s);

	strbuf_addstr(out, s);
	if (w < width)
		strbuf_addchars(out, ' ', width - w);
}

int flush_stdout(const struct strbuf *sb)
{
	if (sb->len && fwrite(sb->buf, 1, sb->len, stdout) != sb->len) {
		if (errno == EPIPE)
			return 0;
		cmd_error("cannot write output: %s", strerror(errno));
		return 1;
	}
	if (fflush(stdout) && errno != EPIPE) {
		cmd_error("cannot write output: %s", strerror(errno));
		return 1;
	}
	return 0;
}

void flush_if_big(struct strbuf *out)
{
	/*
	 * Long listings go out in pieces: memory stays flat on big stores,
	 * and the same few pages are written again (a new page is a page
	 * fault, dear on a virtual machine).
	 */
	if (out->len >= (256 << 10)) {
		flush_stdout(out);
		strbuf_reset(out);
	}
}
