/*
 * The filter parser and matcher (crm(1) FILTERS), and amounts: the input,
 * split at NUL and newline into up to MAX_ARGS terms, is parsed as one
 * filter and matched against a few fixed records, alone and with each of
 * their deals and follow-ups as the listed entry.  Checked:
 *
 *   - parsing returns 0 or CRM_EINVALID, and the filter is released
 *     either way;
 *   - the terms are ANDed: the filter matches exactly when every term,
 *     parsed alone, does;
 *   - every term is also read as an amount (crm_money_parse) and a
 *     probability: an amount that parses is written back
 *     (crm_money_format_value) and reads as the same amount, a negative
 *     one only when negatives are allowed; a probability is 0..100.
 */
#include <stdio.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/filter.h"
#include "../lib/money.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../lib/yaml.h"
#include "fuzz.h"

#define MAX_ARGS 8

static const char *const record_texts[] = {
	/* crm-record(5), with a custom map and list */
	"id: jane-doe\n"
	"name: Jane Doé\n"
	"company: Acme Corp\n"
	"emails: [jane@acme.example, j.doe@example.org]\n"
	"phones: [\"+44 20 7946 0000\"]\n"
	"tags: [lead, web]\n"
	"owner: alice\n"
	"created: 2026-11-22T10:15:00+01:00\n"
	"notes: |\n"
	"  Met at the meetup.\n"
	"  Prefers email.\n"
	"address: {city: Paris, zip: \"75001\"}\n"
	"address.city: Lyon\n"
	"langs: [fr, en]\n"
	"score: 12.5\n"
	"log:\n"
	"- at: 2026-11-22T10:15:00+01:00\n"
	"  type: call\n"
	"  by: alice\n"
	"  text: Wants a proposal by Friday.\n"
	"deals:\n"
	"- id: website-redesign\n"
	"  title: Website redesign\n"
	"  stage: proposal\n"
	"  value: \"8000.00\"\n"
	"  currency: EUR\n"
	"  close: 2026-12-15\n"
	"- id: hosting\n"
	"  stage: won\n"
	"  value: \"-12.3456\"\n"
	"  closed: 2026-11-01\n"
	"followups:\n"
	"- id: 1\n"
	"  due: 2026-11-28\n"
	"  text: Send proposal\n"
	"  done: false\n"
	"- id: 2\n"
	"  due: 2026-11-20T09:00:00-05:00\n"
	"  every: 1m\n",
	/* a company, with no lists at all */
	"id: acme-corp\n"
	"name: ACME\n"
	"kind: company\n"
	"tags: []\n"
	"company: \"\"\n"
	"industry: Manufacturing\n"
	"value: 1e3\n",
	/* odd shapes a hand edit may leave: crm_record_check accepts them */
	"id: odd\n"
	"name: Ødd Ñame ß\n"
	"tags: [\"\", \"10:30\", \"re: x\"]\n"
	"nested: {a: {b: {c: [x, {d: deep}]}}}\n"
	"due: not a date\n"
	"close: 0001-01-01\n"
	"created: 9999-12-31T23:59:59-23:59\n"
	"deals:\n"
	"- {id: x, extra: [1, 2], value: \"99999999999999.9999\"}\n"
	"followups:\n"
	"- {id: 3, due: 2026-02-30}\n",
};

#define NRECORDS (sizeof(record_texts) / sizeof(record_texts[0]))
static struct crm_node *records[NRECORDS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	for (i = 0; i < NRECORDS; i++) {
		if (crm_yaml_parse(&records[i], record_texts[i],
				   strlen(record_texts[i]), "fixed")) {
			fprintf(stderr, "fuzz-filter: %s\n", crm_error_last());
			__builtin_trap();
		}
	}
	return 0;
}

static void check_money(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	crm_money m = -1, m2 = -2, again;
	int percent = -1;
	int rc = crm_money_parse(&m, s, 1);

	if (rc) {
		if (m != -1 || rc != CRM_EINVALID)
			fuzz_fail("crm_money_parse('%s') failed (%d) but wrote",
				  s, rc);
	} else {
		crm_money_format_value(&sb, m);
		if (crm_money_parse(&again, sb.buf, 1) || again != m)
			fuzz_fail("'%s' is %lld, written as '%s'", s,
				  (long long)m, sb.buf);
		strbuf_release(&sb);
	}
	if (!crm_money_parse(&m2, s, 0)) {
		if (m2 < 0 || rc || m2 != m)
			fuzz_fail("'%s' without negatives: %lld", s,
				  (long long)m2);
	} else if (!rc && m >= 0 && s[0] != '-') {
		fuzz_fail("'%s' is %lld, but refused without negatives", s,
			  (long long)m);
	}
	if (!crm_percent_parse(&percent, s) && (percent < 0 || percent > 100))
		fuzz_fail("'%s' is a probability of %d", s, percent);
}

/* Each term alone, for the AND check; -1 if some term does not parse. */
static int match_each(struct crm_filter *single, size_t nargs,
		      const struct crm_node *record,
		      const struct crm_node *entry)
{
	size_t i;

	for (i = 0; i < nargs; i++)
		if (!crm_filter_match(&single[i], record, entry))
			return 0;
	return 1;
}

static void match_all(const struct crm_filter *f, struct crm_filter *single,
		      size_t nargs, int singles_ok)
{
	size_t r, k;

	for (r = 0; r < NRECORDS; r++) {
		const struct crm_node *rec = records[r];
		static const char *const lists[] = { "deals", "followups" };
		int got = crm_filter_match(f, rec, NULL);

		if (singles_ok && got != match_each(single, nargs, rec, NULL))
			fuzz_fail("record %zu: the terms together give %d, "
				  "not their AND", r, got);
		for (k = 0; k < ARRAY_SIZE(lists); k++) {
			const struct crm_node *seq = crm_map_get(rec, lists[k]);
			size_t i;

			for (i = 0; seq && i < seq->nitems; i++) {
				const struct crm_node *e = seq->items[i];

				got = crm_filter_match(f, rec, e);
				if (singles_ok &&
				    got != match_each(single, nargs, rec, e))
					fuzz_fail("record %zu, %s %zu: the "
						  "terms together give %d, "
						  "not their AND", r, lists[k],
						  i, got);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[MAX_ARGS];
	struct crm_filter f = { NULL, 0, 0 };
	struct crm_filter single[MAX_ARGS];
	size_t nargs, i, nsingle = 0;
	int rc, singles_ok = 1;

	if (size > 4096)
		return 0;	/* long terms only slow the matching down */
	nargs = fuzz_split(args, MAX_ARGS, data, size, "\n");
	for (i = 0; i < nargs; i++)
		check_money(args[i]);

	rc = crm_filter_parse(&f, (const char *const *)args, nargs);
	if (rc && rc != CRM_EINVALID)
		fuzz_fail("crm_filter_parse returned %d", rc);
	for (i = 0; i < nargs; i++) {
		const char *one[1] = { args[i] };

		memset(&single[i], 0, sizeof(single[i]));
		nsingle++;
		if (crm_filter_parse(&single[i], one, 1))
			singles_ok = 0;
	}
	if (!rc && !singles_ok)
		fuzz_fail("the filter parses, but one of its terms alone "
			  "does not");
	if (rc && singles_ok)
		fuzz_fail("every term parses alone, but not together: %s",
			  crm_error_last());
	if (!rc)
		match_all(&f, single, nargs, singles_ok);

	crm_filter_release(&f);
	for (i = 0; i < nsingle; i++)
		crm_filter_release(&single[i]);
	fuzz_split_free(args);
	return 0;
}
