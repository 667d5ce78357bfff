#ifndef CRM_CLOCK_H
#define CRM_CLOCK_H

#include <time.h>

#define CRM_MOMENT_MAX 64

/*
 * "Now", as crm sees it.  $CRM_NOW (an ISO 8601 moment such as
 * 2026-11-23T09:00:00+01:00, or @<seconds>) pins it, so tests and
 * scripted demos are reproducible; otherwise it is the system clock.
 * `offset` is the local UTC offset in minutes at that moment.
 */
int crm_now(time_t *now, int *offset);

/* Parse "YYYY-MM-DDTHH:MM[:SS](Z|+hh:mm|+hhmm)" or "@<seconds>". */
int crm_parse_moment(const char *s, time_t *t, int *offset);

/* The local UTC offset (minutes east) at `t`, per $TZ. */
int crm_local_offset(time_t t);

/* Format `t` as ISO 8601 with the given offset: 2026-11-22T10:15:00+01:00 */
void crm_format_moment(char out[CRM_MOMENT_MAX], time_t t, int offset);

#endif
