/*
 * The only file that talks to libyaml.
 */
#include <string.h>
#include <yaml.h>

#include "error.h"
#include "util.h"
#include "yaml.h"

#define TAG_STR "tag:yaml.org,2002:str"

static const char *const non_string_words[] = {
	"~", "null", "Null", "NULL",
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
	"true", "True", "TRUE", "false", "False", "FALSE",
	"on", "On", "ON", "off", "Off", "OFF",
	".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "<<", "=",
	"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
};

/*
 * YAML 1.1 and 1.2 numbers, dates and times, matched exactly (what
 * PyYAML's resolver and libyaml-based loaders read as non-strings).
 * Matching exactly matters both ways: a string left bare that matches
 * would change type, and a value called a number that libyaml cannot
 * write bare would come back quoted, as a string.
 */
static const char *digits_(const char *p, int underscores)
{
	while ((*p >= '0' && *p <= '9') || (underscores && *p == '_'))
		p++;
	return p;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_number(const char *s)
{
	const char *p = s, *q;

	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return p[2] && strspn(p + 2, "0123456789abcdefABCDEF_") ==
			       strlen(p + 2);
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		return p[2] && strspn(p + 2, "01234567_") == strlen(p + 2);
	if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		return p[2] && strspn(p + 2, "01_") == strlen(p + 2);
	q = digits_(p, 1);
	if (q > p && *q == ':') {
		/* sexagesimal: 190:20:30.15 */
		while (*q == ':' && is_digit(q[1])) {
			q = digits_(q + 1, 0);
		}
		if (*q == '.')
			q = digits_(q + 1, 1);
		return !*q;
	}
	if (*q == '.') {
		const char *frac = q + 1;

		q = digits_(frac, 1);
		if (q == p + 1 && frac == q)
			return 0;	/* "." alone */
	} else if (q == p) {
		return 0;
	}
	if (q == p || (q == p + 1 && *p == '.'))
		return 0;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!is_digit(*q))
			return 0;
		q = digits_(q, 0);
	}
	return !*q;
}

static int is_timestamp(const char *s)
{
	const char *p = s;
	int n;

	/* YYYY-M?M-D?D */
	for (n = 0; n < 4; n++)
		if (!is_digit(*p++))
			return 0;
	if (*p++ != '-' || !is_digit(*p))
		return 0;
	p = is_digit(p[1]) ? p + 2 : p + 1;
	if (*p++ != '-' || !is_digit(*p))
		return 0;
	p = is_digit(p[1]) ? p + 2 : p + 1;
	if (!*p)
		return 1;
	/* [Tt]|[ \t]+ H?H:MM:SS(.frac)? ([ \t]*(Z|[-+]H?H(:MM)?))? */
	if (*p == 'T' || *p == 't')
		p++;
	else if (*p == ' ' || *p == '\t')
		while (*p == ' ' || *p == '\t')
			p++;
	else
		return 0;
	if (!is_digit(*p))
		return 0;
	p = is_digit(p[1]) ? p + 2 : p + 1;
	if (p[0] != ':' || !is_digit(p[1]) || !is_digit(p[2]) || p[3] != ':' ||
	    !is_digit(p[4]) || !is_digit(p[5]))
		return 0;
	p += 6;
	if (*p == '.')
		p = digits_(p + 1, 0);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 1;
	if (*p == 'Z')
		return !p[1];
	if (*p != '+' && *p != '-')
		return 0;
	p++;
	if (!is_digit(*p))
		return 0;
	p = is_digit(p[1]) ? p + 2 : p + 1;
	if (*p == ':') {
		if (!is_digit(p[1]) || !is_digit(p[2]))
			return 0;
		p += 3;
	}
	return !*p;
}

int crm_yaml_plain_is_string(const char *s)
{
	size_t i;

	if (!*s)
		return 0;
	/* every word above starts with one of these and is short */
	if (strchr("~nNyYtTfFoO.<=+-", s[0]) && strlen(s) <= 6)
		for (i = 0; i < ARRAY_SIZE(non_string_words); i++)
			/* the first letter rules out most words cheaply */
			if (non_string_words[i][0] == s[0] &&
			    !strcmp(s, non_string_words[i]))
				return 0;
	return !is_number(s) && !is_timestamp(s);
}

static void position_of(const char *buf, size_t off, size_t *line,
			size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Length of the valid UTF-8 sequence at `p`, or 0 if it is invalid. */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t n, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

int crm_yaml_check_text(const char *buf, size_t len, const char *name)
{
	size_t i = 0, line, col;

	while (i < len) {
		size_t n;

		if (buf[i] == '\0') {
			position_of(buf, i, &line, &col);
			crm_error_set(CRM_EPARSE, "%s:%zu:%zu: NUL byte in text",
				      name, line, col);
			return CRM_EPARSE;
		}
		n = utf8_seq_len((const unsigned char *)buf + i, len - i);
		if (!n) {
			position_of(buf, i, &line, &col);
			crm_error_set(CRM_EPARSE, "%s:%zu:%zu: invalid UTF-8",
				      name, line, col);
			return CRM_EPARSE;
		}
		i += n;
	}
	return 0;
}

struct parse_state {
	yaml_parser_t parser;
	const char *name;
	size_t nodes;
	/* stack of open collections; depth = number of entries */
	struct crm_node *stack[CRM_YAML_MAX_DEPTH + 1];
	size_t depth;
	struct crm_node *root;
	int documents;
};

static int parse_fail(struct parse_state *st, const yaml_mark_t *mark,
		      const char *msg)
{
	crm_error_set(CRM_EPARSE, "%s:%zu:%zu: %s", st->name,
		      (size_t)mark->line + 1, (size_t)mark->column + 1, msg);
	return CRM_EPARSE;
}

static int parser_error(struct parse_state *st)
{
	yaml_parser_t *p = &st->parser;
	const yaml_mark_t *mark = &p->problem_mark;

	if (p->error == YAML_READER_ERROR) {
		crm_error_set(CRM_EPARSE, "%s: %s at byte %zu", st->name,
			      p->problem ? p->problem : "unreadable",
			      (size_t)p->problem_offset);
		return CRM_EPARSE;
	}
	if (p->context)
		crm_error_set(CRM_EPARSE, "%s:%zu:%zu: %s %s", st->name,
			      (size_t)mark->line + 1,
			      (size_t)mark->column + 1, p->problem, p->context);
	else
		crm_error_set(CRM_EPARSE, "%s:%zu:%zu: %s", st->name,
			      (size_t)mark->line + 1,
			      (size_t)mark->column + 1,
			      p->problem ? p->problem : "syntax error");
	return CRM_EPARSE;
}

/*
 * Attach a finished node to the open collection (or make it the root).
 * For a map, keys alternate with values; a key must be a unique scalar.
 */
static int attach(struct parse_state *st, struct crm_node *n,
		  const yaml_mark_t *mark)
{
	struct crm_node *parent;

	if (!st->depth) {
		st->root = n;
		return 0;
	}
	parent = st->stack[st->depth - 1];
	if (parent->kind == CRM_NODE_MAP && parent->nitems % 2 == 0) {
		if (n->kind != CRM_NODE_SCALAR) {
			crm_node_free(n);
			return parse_fail(st, mark,
					  "a key must be a plain value");
		}
		if (!n->len && n->type == CRM_SCALAR_PLAIN) {
			crm_node_free(n);
			return parse_fail(st, mark, "a key is missing");
		}
		if (crm_map_find(parent, n->str) >= 0) {
			struct strbuf msg = STRBUF_INIT;
			int rc;

			strbuf_addf(&msg, "duplicate key '%s'", n->str);
			crm_node_free(n);
			rc = parse_fail(st, mark, msg.buf);
			strbuf_release(&msg);
			return rc;
		}
	}
	crm_seq_append(parent, n);
	return 0;
}

static int check_props(struct parse_state *st, const yaml_event_t *ev,
		       const yaml_char_t *anchor, const yaml_char_t *tag,
		       int *is_str_tag)
{
	*is_str_tag = 0;
	if (anchor)
		return parse_fail(st, &ev->start_mark,
				  "anchors and aliases are not allowed");
	if (tag) {
		if (!strcmp((const char *)tag, TAG_STR) ||
		    !strcmp((const char *)tag, "!")) {
			*is_str_tag = 1;
			return 0;
		}
		return parse_fail(st, &ev->start_mark,
				  "tags are not allowed");
	}
	if (++st->nodes > CRM_YAML_MAX_NODES)
		return parse_fail(st, &ev->start_mark, "too many values");
	return 0;
}

/*
 * A timestamp may have tabs between its date, time and zone.  libyaml
 * writes a tab only in double quotes, which would make the value read
 * back as text, so it is read with spaces there: the same moment, and
 * a value crm can write back plain.  Other plain values have no tabs.
 */
static void tabs_to_spaces(struct crm_node *n)
{
	size_t i;

	for (i = 0; i < n->len; i++)
		if (n->str[i] == '\t')
			n->str[i] = ' ';
}

static int on_scalar(struct parse_state *st, const yaml_event_t *ev)
{
	const char *value = (const char *)ev->data.scalar.value;
	struct crm_node *n;
	int is_str;
	int rc = check_props(st, ev, ev->data.scalar.anchor,
			     ev->data.scalar.tag, &is_str);

	if (rc)
		return rc;
	if (memchr(value, '\0', ev->data.scalar.length))
		return parse_fail(st, &ev->start_mark, "NUL byte in text");
	n = crm_node_new_strn(value, ev->data.scalar.length);
	n->line = ev->start_mark.line + 1;
	n->column = ev->start_mark.column + 1;
	switch (ev->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE: n->style = CRM_STYLE_PLAIN; break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = CRM_STYLE_SINGLE; break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = CRM_STYLE_DOUBLE; break;
	case YAML_LITERAL_SCALAR_STYLE: n->style = CRM_STYLE_LITERAL; break;
	case YAML_FOLDED_SCALAR_STYLE: n->style = CRM_STYLE_FOLDED; break;
	default: break;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !is_str &&
	    !crm_yaml_plain_is_string(n->str)) {
		n->type = CRM_SCALAR_PLAIN;
		tabs_to_spaces(n);
	}
	return attach(st, n, &ev->start_mark);
}

static int on_start(struct parse_state *st, const yaml_event_t *ev)
{
	struct crm_node *n;
	int is_str, rc;

	if (ev->type == YAML_SEQUENCE_START_EVENT) {
		rc = check_props(st, ev, ev->data.sequence_start.anchor,
				 ev->data.sequence_start.tag, &is_str);
		if (rc)
			return rc;
		n = crm_node_new_seq(ev->data.sequence_start.style ==
				     YAML_FLOW_SEQUENCE_STYLE);
	} else {
		rc = check_props(st, ev, ev->data.mapping_start.anchor,
				 ev->data.mapping_start.tag, &is_str);
		if (rc)
			return rc;
		n = crm_node_new_map();
		n->flow = ev->data.mapping_start.style ==
			  YAML_FLOW_MAPPING_STYLE;
	}
	if (is_str) {
		crm_node_free(n);
		return parse_fail(st, &ev->start_mark,
				  "!!str on a list or map");
	}
	n->line = ev->start_mark.line + 1;
	n->column = ev->start_mark.column + 1;
	if (st->depth >= CRM_YAML_MAX_DEPTH) {
		crm_node_free(n);
		return parse_fail(st, &ev->start_mark, "nested too deeply");
	}
	rc = attach(st, n, &ev->start_mark);
	if (rc)
		return rc;
	st->stack[st->depth++] = n;
	return 0;
}

static int on_event(struct parse_state *st, const yaml_event_t *ev, int *done)
{
	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++st->documents > 1)
			return parse_fail(st, &ev->start_mark,
					  "more than one document");
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	case YAML_ALIAS_EVENT:
		return parse_fail(st, &ev->start_mark,
				  "anchors and aliases are not allowed");
	case YAML_SCALAR_EVENT:
		return on_scalar(st, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return on_start(st, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		st->depth--;
		return 0;
	default:
		return parse_fail(st, &ev->start_mark, "unexpected event");
	}
}

int crm_yaml_parse(struct crm_node **out, const char *buf, size_t len,
		   const char *name)
{
	struct parse_state st;
	int rc = 0, done = 0;

	*out = NULL;
	if (len > CRM_YAML_MAX_SIZE) {
		crm_error_set(CRM_EPARSE, "%s: too large (%zu bytes, limit %u)",
			      name, len, CRM_YAML_MAX_SIZE);
		return CRM_EPARSE;
	}
	rc = crm_yaml_check_text(buf, len, name);
	if (rc)
		return rc;

	memset(&st, 0, sizeof(st));
	st.name = name;
	if (!yaml_parser_initialize(&st.parser))
		crm_die_oom();
	yaml_parser_set_input_string(&st.parser, (const unsigned char *)buf,
				     len);
	while (!done && !rc) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&st.parser, &ev)) {
			rc = parser_error(&st);
			break;
		}
		rc = on_event(&st, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&st.parser);
	if (!rc && !st.root) {
		crm_error_set(CRM_EPARSE, "%s:1:1: empty document", name);
		rc = CRM_EPARSE;
	}
	if (rc) {
		/* the root owns every attached node, open ones included */
		crm_node_free(st.root);
		return rc;
	}
	*out = st.root;
	return 0;
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	strbuf_add(data, buffer, size);
	return 1;
}

static int emit_event(yaml_emitter_t *em, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(em, ev)) {
		crm_error_set(CRM_ERROR, "cannot write YAML: %s",
			      em->problem ? em->problem : "emitter error");
		return CRM_ERROR;
	}
	return 0;
}

static yaml_scalar_style_t scalar_style(const struct crm_node *n)
{
	if (n->type == CRM_SCALAR_PLAIN)
		return YAML_PLAIN_SCALAR_STYLE;
	/* as it was read; libyaml falls back where a style cannot be used */
	switch (n->style) {
	case CRM_STYLE_SINGLE: return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	case CRM_STYLE_DOUBLE: return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	case CRM_STYLE_LITERAL: return YAML_LITERAL_SCALAR_STYLE;
	case CRM_STYLE_FOLDED: return YAML_FOLDED_SCALAR_STYLE;
	case CRM_STYLE_PLAIN:
		if (crm_yaml_plain_is_string(n->str))
			return YAML_PLAIN_SCALAR_STYLE;
		break;
	case CRM_STYLE_AUTO:
		/* "+44 20 7946 0000": a phone reads better quoted */
		if ((n->str[0] == '+' || n->str[0] == '-') &&
		    n->str[1] >= '0' && n->str[1] <= '9')
			return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		break;
	}
	if (memchr(n->str, '\n', n->len))
		return YAML_LITERAL_SCALAR_STYLE;
	if (!crm_yaml_plain_is_string(n->str))
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	/* libyaml falls back to quotes when plain is not allowed */
	return YAML_PLAIN_SCALAR_STYLE;
}

/*
 * Whether a flow list or map can hold all of its values as they are.
 * libyaml writes a number, date or null in flow style only when it is
 * plain-safe there; a timestamp (':') or an empty value would come out
 * quoted and read back as a string.  Such a collection goes in block
 * style instead, which keeps every type.
 */
static int flow_keeps_types(const struct crm_node *n)
{
	size_t i;

	if (n->kind == CRM_NODE_SCALAR)
		return n->type != CRM_SCALAR_PLAIN ||
		       (n->len && !strpbrk(n->str, ":,[]{}#?") &&
			!starts_with(n->str, "...") && !starts_with(n->str, "---"));
	for (i = 0; i < n->nitems; i++)
		if (!flow_keeps_types(n->items[i]))
			return 0;
	return 1;
}

static int emit_node(yaml_emitter_t *em, const struct crm_node *n)
{
	yaml_event_t ev;
	size_t i;
	int rc;

	switch (n->kind) {
	case CRM_NODE_SCALAR:
		if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
				(yaml_char_t *)n->str, (int)n->len, 1, 1,
				scalar_style(n)))
			crm_die_oom();
		return emit_event(em, &ev);
	case CRM_NODE_SEQ:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
				n->flow && flow_keeps_types(n) ?
				YAML_FLOW_SEQUENCE_STYLE :
				YAML_BLOCK_SEQUENCE_STYLE))
			crm_die_oom();
		if ((rc = emit_event(em, &ev)))
			return rc;
		for (i = 0; i < n->nitems; i++)
			if ((rc = emit_node(em, n->items[i])))
				return rc;
		yaml_sequence_end_event_initialize(&ev);
		return emit_event(em, &ev);
	case CRM_NODE_MAP:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
				n->flow && flow_keeps_types(n) ?
				YAML_FLOW_MAPPING_STYLE :
				YAML_BLOCK_MAPPING_STYLE))
			crm_die_oom();
		if ((rc = emit_event(em, &ev)))
			return rc;
		for (i = 0; i < n->nitems; i++)
			if ((rc = emit_node(em, n->items[i])))
				return rc;
		yaml_mapping_end_event_initialize(&ev);
		return emit_event(em, &ev);
	}
	return CRM_ERROR;
}

int crm_yaml_emit(struct strbuf *out, const struct crm_node *root)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int rc;

	if (!yaml_emitter_initialize(&em))
		crm_die_oom();
	yaml_emitter_set_output(&em, write_handler, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	rc = emit_event(&em, &ev);
	if (!rc) {
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
		rc = emit_event(&em, &ev);
	}
	if (!rc)
		rc = emit_node(&em, root);
	if (!rc) {
		yaml_document_end_event_initialize(&ev, 1);
		rc = emit_event(&em, &ev);
	}
	if (!rc) {
		yaml_stream_end_event_initialize(&ev);
		rc = emit_event(&em, &ev);
	}
	if (!rc && !yaml_emitter_flush(&em))
		rc = CRM_ERROR;
	yaml_emitter_delete(&em);
	return rc;
}
