#include "unit.h"

#include "../../lib/csv.h"
#include "../../lib/error.h"
#include "../../lib/export.h"
#include "../../lib/import.h"
#include "../../lib/record.h"
#include "../../lib/util.h"
#include "../../lib/yaml.h"

static struct crm_node *parse(const char *yaml)
{
	struct crm_node *n = NULL;

	if (crm_yaml_parse(&n, yaml, strlen(yaml), "t.yml"))
		fail_msg("%s", crm_error_last());
	return n;
}

static const char jane[] =
	"id: jane-doe\n"
	"name: Jane Doe\n"
	"kind: person\n"
	"company: acme-corp\n"
	"emails: [jane@acme.example, j.doe@mail.example]\n"
	"phones: [\"+44 20 7946 0000\"]\n"
	"tags: [lead, web]\n"
	"owner: alice\n"
	"created: 2026-11-22T10:15:00+01:00\n"
	"notes: |\n"
	"  Met at the meetup.\n"
	"  Said \"call me\", twice.\n"
	"city: Paris\n"
	"formula: =HYPERLINK(\"http://evil.example\",\"click\")\n"
	"log:\n"
	"- at: 2026-11-22T10:15:00+01:00\n"
	"  type: call\n"
	"  text: Wants a proposal by Friday.\n";

static const char acme[] =
	"id: acme-corp\n"
	"name: Acme Corp\n"
	"kind: company\n"
	"created: 2026-11-01T09:00:00Z\n"
	"address: {street: 1 Main St, city: Springfield}\n"
	"city: Springfield\n";

static void test_export__csv_columns_quoting_and_formulas(void **state)
{
	struct crm_node *r[2] = { parse(jane), parse(acme) };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	crm_export_csv_customers(&out, r, 2,
				 CRM_EXPORT_BOM | CRM_EXPORT_NEUTRALISE);
	assert_string_equal(out.buf,
		"\xef\xbb\xbf"
		"id,name,kind,company,emails,phones,tags,owner,created,notes,"
		"city,formula,address\r\n"
		"jane-doe,Jane Doe,person,acme-corp,"
		"\"jane@acme.example, j.doe@mail.example\",'+44 20 7946 0000,"
		"\"lead, web\",alice,2026-11-22T10:15:00+01:00,"
		"\"Met at the meetup.\nSaid \"\"call me\"\", twice.\n\",Paris,"
		"\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\r\n"
		"acme-corp,Acme Corp,company,,,,,,2026-11-01T09:00:00Z,,"
		"Springfield,,\"{street: 1 Main St, city: Springfield}\"\r\n");
	strbuf_reset(&out);
	/* --raw: cells as they are, no byte-order mark */
	crm_export_csv_customers(&out, r, 1, 0);
	assert_non_null(strstr(out.buf, ",+44 20 7946 0000,"));
	assert_non_null(strstr(out.buf, ",\"=HYPERLINK("));
	assert_int_equal(out.buf[0], 'i');
	crm_node_free(r[0]);
	crm_node_free(r[1]);
	strbuf_release(&out);
}

/* What a customers CSV carries: the record without its entries. */
static void compare_card(const struct crm_node *want,
			 const struct crm_node *got, const char *csv)
{
	static const char *const skipped[] = {
		"id", "created", "log", "deals", "followups",
	};
	size_t i, j, fields = 0;

	for (i = 0; i < crm_map_len(want); i++) {
		const char *key = crm_map_key(want, i);
		int skip = 0;

		for (j = 0; j < ARRAY_SIZE(skipped); j++)
			skip |= !strcmp(key, skipped[j]);
		if (skip)
			continue;
		fields++;
		if (!crm_node_equal(crm_map_value(want, i), crm_map_get(got, key)))
			fail_msg("'%s' of %s differs after the round trip:\n%s",
				 key, crm_map_get_str(want, "id"), csv);
	}
	if (crm_map_len(got) != fields)
		fail_msg("%s: %zu fields came back, %zu went:\n%s",
			 crm_map_get_str(want, "id"), crm_map_len(got), fields,
			 csv);
}

static void round_trip(struct crm_node *const *records, size_t n,
		       unsigned flags)
{
	struct crm_csv_options opt = { 0, crm_import_header_known };
	struct strbuf out = STRBUF_INIT;
	struct crm_csv_table t;
	struct crm_import_plan plan;
	size_t i;

	crm_export_csv_customers(&out, records, n, flags);
	if (crm_csv_read(&t, out.buf, out.len, &opt, "export.csv") ||
	    crm_import_plan(&plan, (const char *const *)t.header.cells,
			    t.ncols, NULL, 0))
		fail_msg("%s\n%s", crm_error_last(), out.buf);
	assert_int_equal(plan.layout, CRM_LAYOUT_CRM);
	assert_int_equal(t.nrows, n);
	for (i = 0; i < n; i++) {
		const char *const *cells = (const char *const *)t.rows[i].cells;
		struct crm_node *row = NULL;

		if (crm_import_row(&row, &plan, cells, t.ncols, "export.csv",
				   t.rows[i].line))
			fail_msg("%s\n%s", crm_error_last(), out.buf);
		compare_card(records[i], row, out.buf);
		assert_string_equal(crm_import_row_id(&plan, cells, t.ncols),
				    crm_map_get_str(records[i], "id"));
		assert_string_equal(crm_import_row_created(&plan, cells,
							   t.ncols),
				    crm_map_get_str(records[i], "created"));
		crm_node_free(row);
	}
	crm_import_plan_release(&plan);
	crm_csv_table_release(&t);
	strbuf_release(&out);
}

static void test_export__csv_round_trip_gives_the_same_customers(void **state)
{
	struct crm_node *r[4];
	size_t i;

	(void)state;
	r[0] = parse(jane);
	r[1] = parse(acme);
	r[2] = parse(
		"id: zoe-muller\n"
		"name: \"Zo\xc3\xab M\xc3\xbcller, \\\"Z\\\"\"\n"
		"emails: [Zoe@Example.COM]\n"
		"phones: [\"-30-123-4567\", \"+49 (0)30 1234567 x 12\"]\n"
		"tags: [\"=sum\", VIP, a;b, \"@home\"]\n"
		"created: 2026-01-01T00:00:00+14:00\n"
		"notes: \"'quoted' and trailing spaces  \\n\\n\"\n"
		"tricky: \"[not a list]\"\n"
		"quoted: \"\\\"starts with a quote\"\n"
		"brace: \"{not: a map}\"\n"
		"apostrophe: \"'=already\"\n"
		"minus: \"-minus\"\n"
		"languages: [de, \"fr, a bit\"]\n"
		"social: {twitter: \"@zoe\", links: [a, b], since: \"2020\"}\n"
		"deals:\n- id: x\n  title: X\n"
		"followups:\n- id: 1\n  due: 2026-11-28\n");
	r[3] = parse("id: solo\nname: Cher\ncreated: 2026-11-22T10:15:00Z\n");
	round_trip(r, 4, CRM_EXPORT_BOM | CRM_EXPORT_NEUTRALISE);
	round_trip(r, 4, CRM_EXPORT_NEUTRALISE);
	/*
	 * --raw too, but for a value that begins with an apostrophe and a
	 * formula character ("'=already"): import cannot tell it from a
	 * neutralised "=already", and takes it for one.
	 */
	crm_map_remove(r[2], "apostrophe");
	round_trip(r, 4, 0);
	for (i = 0; i < 4; i++)
		crm_node_free(r[i]);
}

static void test_export__csv_plain_values_come_back_as_text(void **state)
{
	struct crm_node *r = parse("id: a\nname: A\ncreated: "
				   "2026-11-22T10:15:00Z\nsince: 2020\n");
	struct crm_csv_table t;
	struct crm_import_plan plan;
	struct crm_node *row = NULL;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	crm_export_csv_customers(&out, &r, 1, CRM_EXPORT_NEUTRALISE);
	assert_int_equal(crm_csv_read(&t, out.buf, out.len, NULL, "e.csv"), 0);
	assert_int_equal(crm_import_plan(&plan,
					 (const char *const *)t.header.cells,
					 t.ncols, NULL, 0), 0);
	assert_int_equal(crm_import_row(&row, &plan,
					(const char *const *)t.rows[0].cells,
					t.ncols, "e.csv", 2), 0);
	assert_string_equal(crm_map_get_str(row, "since"), "2020");
	assert_int_equal(crm_map_get(row, "since")->type, CRM_SCALAR_STR);
	crm_node_free(row);
	crm_node_free(r);
	crm_import_plan_release(&plan);
	crm_csv_table_release(&t);
	strbuf_release(&out);
}

static void test_export__flow_yaml_reads_back(void **state)
{
	static const char *const docs[] = {
		"v: {a: 1, b: [x, \"y, z\"], c: {d: \"#no\"}}\n",
		"v: [\"\", \"true\", \"null\", \"- dash\", \"a: b\", 'it''s']\n",
		"v: \"line\\nbreak\\ttab \\\\ back\"\n",
		"v: [2026-11-22, 12.5, -3, yes]\n",
		"v: {\"key with: colon\": \"[x]\"}\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		struct crm_node *doc = parse(docs[i]), *back;
		struct strbuf text = STRBUF_INIT, wrapped = STRBUF_INIT;

		crm_export_flow_yaml(&text, crm_map_get(doc, "v"));
		assert_null(strchr(text.buf, '\n'));
		strbuf_addf(&wrapped, "v: %s\n", text.buf);
		back = parse(wrapped.buf);
		if (!crm_node_equal(doc, back))
			fail_msg("%s came back from %s", docs[i], text.buf);
		crm_node_free(doc);
		crm_node_free(back);
		strbuf_release(&text);
		strbuf_release(&wrapped);
	}
}

static const char planner[] =
	"id: jane-doe\n"
	"name: Jane Doe\n"
	"created: 2026-11-01T09:00:00Z\n"
	"deals:\n"
	"- id: website-redesign\n"
	"  title: Website redesign, phase 2; \\\\ with a very long title that "
	"goes on and on\n"
	"  stage: proposal\n"
	"  value: \"8000.00\"\n"
	"  currency: EUR\n"
	"  close: 2026-12-31\n"
	"- id: old\n"
	"  title: Old\n"
	"  stage: won\n"
	"  close: 2026-10-01\n"
	"- id: someday\n"
	"  title: Someday\n"
	"  stage: lead\n"
	"followups:\n"
	"- id: 1\n"
	"  due: 2026-11-28\n"
	"  text: Send proposal\n"
	"  done: false\n"
	"- id: 2\n"
	"  due: 2026-11-20\n"
	"  text: Done already\n"
	"  done: true\n"
	"- id: 3\n"
	"  due: 2026-02-30\n"
	"  text: Not a date\n"
	"- id: 4\n"
	"  due: 2028-02-29\n"
	"  text: |\n"
	"    Two lines\n"
	"    of text\n";

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (; (haystack = strstr(haystack, needle)); haystack++)
		n++;
	return n;
}

static void test_export__ics_events_uids_and_folding(void **state)
{
	struct crm_node *r[2] = { parse(planner), parse(acme) };
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	const char *p, *end;

	(void)state;
	/* 2026-11-23T09:00:00Z */
	assert_int_equal(crm_export_ics(&out, r, 2, "-//crm//crm 1.0//EN",
					1795424400), 3);
	assert_true(starts_with(out.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
				"PRODID:-//crm//crm 1.0//EN\r\n"));
	assert_true(count(out.buf, "BEGIN:VEVENT\r\n") == 3);
	assert_true(count(out.buf, "END:VEVENT\r\n") == 3);
	assert_true(count(out.buf, "DTSTAMP:20261123T090000Z\r\n") == 3);
	assert_non_null(strstr(out.buf,
		"UID:followup-jane-doe-1@crm\r\n"
		"DTSTAMP:20261123T090000Z\r\n"
		"DTSTART;VALUE=DATE:20261128\r\n"
		"DTEND;VALUE=DATE:20261129\r\n"
		"SUMMARY:Send proposal \xe2\x80\x94 Jane Doe\r\n"
		"TRANSP:TRANSPARENT\r\n"));
	assert_non_null(strstr(out.buf,
		"UID:followup-jane-doe-4@crm\r\n"
		"DTSTAMP:20261123T090000Z\r\n"
		"DTSTART;VALUE=DATE:20280229\r\n"
		"DTEND;VALUE=DATE:20280301\r\n"
		"SUMMARY:Two lines of text \xe2\x80\x94 Jane Doe\r\n"
		"DESCRIPTION:Two lines\\nof text\\n\r\n"));
	/* a deal closing on New Year's Eve ends on the next year's first day */
	assert_non_null(strstr(out.buf,
		"UID:deal-jane-doe-website-redesign@crm\r\n"
		"DTSTAMP:20261123T090000Z\r\n"
		"DTSTART;VALUE=DATE:20261231\r\n"
		"DTEND;VALUE=DATE:20270101\r\n"
		"SUMMARY:Close: Website redesign\\, phase 2\\; \\\\\\\\ with a very "
		"long title tha\r\n t goes on and on \xe2\x80\x94 Jane Doe\r\n"
		"DESCRIPTION:Stage: proposal\\nValue: 8000.00 EUR\r\n"));
	assert_null(strstr(out.buf, "followup-jane-doe-2@"));	/* done */
	assert_null(strstr(out.buf, "followup-jane-doe-3@"));	/* no such day */
	assert_null(strstr(out.buf, "deal-jane-doe-old@"));	/* won */
	assert_null(strstr(out.buf, "deal-jane-doe-someday@"));	/* no date */
	assert_true(out.len >= 15 &&
		    !strcmp(out.buf + out.len - 15, "END:VCALENDAR\r\n"));
	for (p = out.buf; *p; p = end + 2) {
		end = strstr(p, "\r\n");
		assert_non_null(end);
		assert_true(end - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(end - p)));
	}
	/* the same records give the same bytes: UIDs are stable */
	crm_export_ics(&again, r, 2, "-//crm//crm 1.0//EN", 1795424400);
	assert_string_equal(out.buf, again.buf);
	crm_node_free(r[0]);
	crm_node_free(r[1]);
	strbuf_release(&out);
	strbuf_release(&again);
}

static void test_export__ics_of_nothing_is_an_empty_calendar(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(crm_export_ics(&out, NULL, 0, "-//crm//EN", 0), 0);
	assert_string_equal(out.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
			    "PRODID:-//crm//EN\r\nCALSCALE:GREGORIAN\r\n"
			    "METHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
	strbuf_release(&out);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_export__csv_columns_quoting_and_formulas),
	cmocka_unit_test(test_export__csv_round_trip_gives_the_same_customers),
	cmocka_unit_test(test_export__csv_plain_values_come_back_as_text),
	cmocka_unit_test(test_export__flow_yaml_reads_back),
	cmocka_unit_test(test_export__ics_events_uids_and_folding),
	cmocka_unit_test(test_export__ics_of_nothing_is_an_empty_calendar),
};

UNIT_MAIN(tests)
