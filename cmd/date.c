/*
 * crm date: what a date expression means, so that a user (or a script)
 * can check "eow" or "next fri" before giving it to --due or --at.
 */
#include <stdio.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/date.h"
#include "../lib/error.h"
#include "../lib/util.h"

/* Until crm.c's table and cmd/cmd.h list it, the prototypes live here. */

static const char *const usage[] = {
	"crm date [--moment] <expr>...",
	NULL,
};

static int as_moment;

static const struct cmd_option options[] = {
	{ 0, "moment", OPT_FLAG, &as_moment, NULL,
	  "print the moment with its UTC offset", 0, NULL },
	OPT_END_MARK,
};

/* dash_args: "-3d" is an expression, not an unknown option */
const struct cmd_spec spec_date = {
	.name = "date",
	.usage = usage,
	.options = options,
	.dash_args = 1,
};

/* One line for `expr`, or -1 after setting the error. */
static int describe(struct strbuf *out, const char *expr, time_t now)
{
	if (as_moment) {
		struct crm_moment m;
		char iso[CRM_MOMENT_MAX];

		if (crm_moment_parse(&m, expr, now))
			return -1;
		crm_format_moment(iso, m.t, m.offset);
		tsv_cell(out, expr);
		strbuf_addf(out, "\t%s\n", iso);
	} else {
		struct crm_date d;
		char iso[CRM_DATE_MAX];

		if (crm_date_parse(&d, expr, now))
			return -1;
		crm_date_format(iso, &d);
		tsv_cell(out, expr);
		strbuf_addf(out, "\t%s\t%s\n", iso,
			    crm_weekday_name(crm_date_weekday(&d)));
	}
	return 0;
}

int cmd_date(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT, expr = STRBUF_INIT;
	time_t now;
	int offset, rc, failed = 0;
	size_t i;

	rc = cmd_parse(&spec_date, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (!args.n) {
		rc = cmd_usage_error(&spec_date, ctx,
				     "give at least one date expression");
		goto done;
	}
	if (crm_now(&now, &offset)) {
		rc = cmd_fail();
		goto done;
	}
	for (i = 0; i < args.n; i++) {
		strbuf_reset(&expr);
		strbuf_addstr(&expr, args.items[i]);
		/* unquoted, "next monday" reaches us as two words */
		if (!ascii_casecmp(args.items[i], "next") && i + 1 < args.n) {
			strbuf_addch(&expr, ' ');
			strbuf_addstr(&expr, args.items[++i]);
		}
		strbuf_reset(&out);
		if (describe(&out, expr.buf, now)) {
			/* report it and go on: a typo must not hide the rest */
			cmd_fail();
			failed = 1;
			continue;
		}
		/* line by line, so that errors on stderr come in order */
		if (flush_stdout(&out)) {
			rc = 1;
			goto done;
		}
	}
	rc = failed;
done:
	strbuf_release(&out);
	strbuf_release(&expr);
	strlist_release(&args);
	return rc;
}
