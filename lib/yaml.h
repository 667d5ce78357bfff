#ifndef CRM_YAML_H
#define CRM_YAML_H

#include <stddef.h>

#include "node.h"
#include "strbuf.h"

/*
 * Limits against hostile input.  libyaml has no nesting limit and its
 * scanner is quadratic in the nesting depth, so depth is capped while
 * events stream in, long before the cost matters.
 */
#define CRM_YAML_MAX_SIZE (4u << 20)	/* bytes in one document */
#define CRM_YAML_MAX_DEPTH 32
#define CRM_YAML_MAX_NODES 200000

/*
 * Parse one YAML document into a node tree.  `name` (a path, usually)
 * prefixes any error: "name:line:column: message".  Anchors, aliases,
 * tags other than !!str, duplicate keys, non-scalar keys, several
 * documents, NUL bytes and invalid UTF-8 are refused with CRM_EPARSE.
 */
int crm_yaml_parse(struct crm_node **out, const char *buf, size_t len,
		   const char *name);

/*
 * Write `root` as block-style YAML: one key per line, lists of scalars
 * in flow style when the node says so, multi-line text as literal
 * blocks, and quotes wherever a plain scalar would change type.
 */
int crm_yaml_emit(struct strbuf *out, const struct crm_node *root);

/* Whether plain `s` reads as a string (not null/bool/number/date). */
int crm_yaml_plain_is_string(const char *s);

/* Check `buf` is UTF-8 without NUL; on error name the line and column. */
int crm_yaml_check_text(const char *buf, size_t len, const char *name);

#endif
