#ifndef CRM_SLUG_H
#define CRM_SLUG_H

#include "strbuf.h"

#define CRM_SLUG_MAX 48

/*
 * The id for a customer called `name`: lowercase ASCII letters, digits
 * and single hyphens, accents folded, at most CRM_SLUG_MAX characters.
 * A name with no Latin letter or digit gets "c-" and eight hex digits of
 * a hash of its NFC form, so the same name always gets the same id.
 * Never empty, never a path trick, never a Windows device name.
 */
void crm_slug(struct strbuf *out, const char *name);

/* Whether `id` is a well-formed id (what crm_slug can produce). */
int crm_id_valid(const char *id);

/* Windows device names and other ids that must never be file names. */
int crm_id_reserved(const char *id);

#endif
