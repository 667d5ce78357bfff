#ifndef CRM_TEXT_H
#define CRM_TEXT_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Unicode text helpers, the only users of libunistring.
 */

/* NFC form of `s` (which must be valid UTF-8) into `out`. */
int crm_text_nfc(struct strbuf *out, const char *s, size_t len);

/*
 * An ASCII "search key" of `s`: compatibility-decomposed, accents and
 * marks removed, a few letters without decomposition spelled out
 * (ß -> ss, ø -> o), lowercased.  Other characters are kept, lowercased.
 */
void crm_text_fold(struct strbuf *out, const char *s);

/* Whether `s` holds a control, bidi-override or other invisible format
 * character that has no place in a name or a one-line field. */
int crm_text_has_controls(const char *s, int allow_newlines);

/* Number of characters (code points) in valid UTF-8 `s`. */
size_t crm_text_width(const char *s);

/* Case- and accent-insensitive equality. */
int crm_text_equal(const char *a, const char *b);

/* Case- and accent-insensitive substring test. */
int crm_text_matches(const char *haystack, const char *needle);

#endif
