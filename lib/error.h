#ifndef CRM_ERROR_H
#define CRM_ERROR_H

/*
 * Error codes returned by lib/.  0 is success; every expected failure is
 * a negative code with a message kept until the next error, as libgit2's
 * git_error_last().  lib/ never prints: cmd/ reports crm_error_last().
 */
enum {
	CRM_OK = 0,
	CRM_ERROR = -1,		/* generic failure (I/O, libgit2, ...) */
	CRM_EINVALID = -2,	/* bad input from the user */
	CRM_ENOTFOUND = -3,
	CRM_EEXISTS = -4,
	CRM_EAMBIGUOUS = -5,
	CRM_EPARSE = -10,	/* a record or file that does not parse */
	CRM_ELOCKED = -14,	/* another crm holds the store lock */
	CRM_EMODIFIED = -15,	/* the branch moved under us */
	CRM_ENOSTORE = -16,
	CRM_ECONFLICT = -17,
	CRM_EUNCHANGED = -18,	/* nothing to do; not a failure to the user */
};

void crm_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like crm_error_set, with ": <strerror(errno)>" appended. */
void crm_error_set_errno(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *crm_error_last(void);
int crm_error_code(void);
void crm_error_clear(void);

#endif
