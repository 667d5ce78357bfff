#include "unit.h"

#include "../../lib/csv.h"
#include "../../lib/error.h"
#include "../../lib/import.h"
#include "../../lib/record.h"
#include "../../lib/util.h"
#include "../../lib/yaml.h"

/* tests/data, from the top of the tree or from tests/ (make check) */
static char *fixture(const char *name, size_t *len)
{
	static const char *const dirs[] = {
		"tests/data", "data", "../tests/data", "../../tests/data",
	};
	const char *env = getenv("CRM_TEST_DATA");
	char path[512];
	size_t i;

	for (i = 0; i <= ARRAY_SIZE(dirs); i++) {
		const char *dir = i ? dirs[i - 1] : env;
		FILE *f;
		char *buf;
		long size;

		if (!dir)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    sizeof(path))
			continue;
		if (!(f = fopen(path, "rb")))
			continue;
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = xmalloc((size_t)size + 1);
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
		fclose(f);
		return buf;
	}
	fail_msg("fixture %s not found (set CRM_TEST_DATA)", name);
	return NULL;
}

struct imported {
	struct crm_import_plan plan;
	struct crm_node **rows;
	size_t n;
};

/*
 * What a record must be to be committed: it passes the schema and the
 * value checks once the command adds id and created, and its YAML reads
 * back to the same tree.
 */
static void check_storable(const struct crm_node *row, const char *what)
{
	struct crm_node *r = crm_node_dup(row), *back = NULL;
	struct strbuf yaml = STRBUF_INIT;

	crm_map_set_at(r, "id", crm_node_new_str("x"), 0);
	crm_map_set(r, "created", crm_node_new_plain("2026-11-22T10:15:00+01:00"));
	if (crm_record_check(r, "x", what) || crm_record_check_values(r, what))
		fail_msg("%s: %s", what, crm_error_last());
	if (crm_yaml_emit(&yaml, r) ||
	    crm_yaml_parse(&back, yaml.buf, yaml.len, what))
		fail_msg("%s: %s", what, crm_error_last());
	if (!crm_node_equal(r, back))
		fail_msg("%s: YAML does not read back:\n%s", what, yaml.buf);
	crm_node_free(r);
	crm_node_free(back);
	strbuf_release(&yaml);
}

static void import_csv(struct imported *im, const char *text, size_t len,
		       const char *name, const char *const *maps,
		       size_t nmaps)
{
	struct crm_csv_options opt = { 0, crm_import_header_known };
	struct crm_csv_table t;
	size_t i;

	if (crm_csv_read(&t, text, len, &opt, name))
		fail_msg("%s", crm_error_last());
	if (crm_import_plan(&im->plan, (const char *const *)t.header.cells,
			    t.ncols, maps, nmaps))
		fail_msg("%s", crm_error_last());
	im->rows = xcalloc(t.nrows + 1, sizeof(*im->rows));
	im->n = t.nrows;
	for (i = 0; i < t.nrows; i++) {
		if (crm_import_row(&im->rows[i], &im->plan,
				   (const char *const *)t.rows[i].cells,
				   t.ncols, name, t.rows[i].line))
			fail_msg("%s", crm_error_last());
		check_storable(im->rows[i], name);
	}
	crm_csv_table_release(&t);
}

static void import_file(struct imported *im, const char *file,
			const char *const *maps, size_t nmaps)
{
	size_t len;
	char *buf = fixture(file, &len);

	import_csv(im, buf, len, file, maps, nmaps);
	free(buf);
}

static void imported_release(struct imported *im)
{
	size_t i;

	for (i = 0; i < im->n; i++)
		crm_node_free(im->rows[i]);
	free(im->rows);
	crm_import_plan_release(&im->plan);
}

static const char *field(const struct crm_node *r, const char *path)
{
	const char *dot = strchr(path, '.');

	if (dot) {
		char head[64];

		snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
		return crm_map_get_str(crm_map_get(r, head), dot + 1);
	}
	return crm_map_get_str(r, path);
}

static void expect_field(const struct crm_node *r, const char *path,
			 const char *want)
{
	const char *got = field(r, path);

	if (!want && got)
		fail_msg("%s: '%s', expected none", path, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("%s: '%s', expected '%s'", path, got ? got : "(none)",
			 want);
}

/* The list `key` is exactly the NULL-terminated items that follow. */
static void expect_list(const struct crm_node *r, const char *key, ...)
{
	const struct crm_node *seq = crm_map_get(r, key);
	const char *want;
	size_t i = 0;
	va_list ap;

	va_start(ap, key);
	while ((want = va_arg(ap, const char *))) {
		if (!seq || i >= seq->nitems)
			fail_msg("%s: missing '%s'", key, want);
		if (strcmp(crm_node_str(seq->items[i]), want))
			fail_msg("%s[%zu]: '%s', expected '%s'", key, i,
				 crm_node_str(seq->items[i]), want);
		i++;
	}
	va_end(ap);
	if (seq && i != seq->nitems)
		fail_msg("%s: %zu items, expected %zu", key, seq->nitems, i);
}

static const char *target(const struct crm_import_plan *plan,
			  const char *header)
{
	size_t i;

	for (i = 0; i < plan->ncols; i++)
		if (!strcmp(plan->columns[i].header, header))
			return crm_import_column_target(&plan->columns[i]);
	fail_msg("no column '%s'", header);
	return NULL;
}

static void test_import__plain_headers_any_case(void **state)
{
	static const char *const header[] = {
		"Name", "EMAILS", "e-mail", "Phone", "phones", "Company",
		"Tag", "owner", "Notes", "kind", "Job Title", "Favourite Colour",
		"id", "created", "log", "2nd thing", "\xe9\x9b\xbb\xe8\xa9\xb1",
		"Stadt", "stadt", "Email",
	};
	static const char *const short_header[] = { "Name", "Org" };
	struct crm_import_plan plan;

	(void)state;
	assert_int_equal(crm_import_plan(&plan, header, ARRAY_SIZE(header),
					 NULL, 0), 0);
	assert_int_equal(plan.layout, CRM_LAYOUT_PLAIN);
	assert_string_equal(target(&plan, "Name"), "name");
	assert_string_equal(target(&plan, "EMAILS"), "emails");
	assert_string_equal(target(&plan, "e-mail"), "emails");
	assert_string_equal(target(&plan, "Email"), "emails");
	assert_string_equal(target(&plan, "Phone"), "phones");
	assert_string_equal(target(&plan, "phones"), "phones");
	assert_string_equal(target(&plan, "Company"), "company");
	assert_string_equal(target(&plan, "Tag"), "tags");
	assert_string_equal(target(&plan, "owner"), "owner");
	assert_string_equal(target(&plan, "Notes"), "notes");
	assert_string_equal(target(&plan, "kind"), "kind");
	assert_string_equal(target(&plan, "Job Title"), "title");
	assert_string_equal(target(&plan, "Favourite Colour"), "favourite_colour");
	assert_string_equal(target(&plan, "id"), "csv_id");
	assert_string_equal(target(&plan, "created"), "csv_created");
	assert_string_equal(target(&plan, "log"), "csv_log");
	assert_string_equal(target(&plan, "2nd thing"), "f_2nd_thing");
	assert_string_equal(target(&plan, "\xe9\x9b\xbb\xe8\xa9\xb1"),
			    "column_17");
	assert_string_equal(target(&plan, "Stadt"), "stadt");
	assert_string_equal(target(&plan, "stadt"), "stadt_2");
	crm_import_plan_release(&plan);

	assert_int_equal(crm_import_plan(&plan, short_header,
					 ARRAY_SIZE(short_header), NULL, 0), 0);
	assert_string_equal(target(&plan, "Org"), "company");
	crm_import_plan_release(&plan);

	assert_true(crm_import_header_known("E-mail 3 - Value"));
	assert_true(crm_import_header_known("Connected On"));
	assert_true(crm_import_header_known("  first_name "));
	assert_false(crm_import_header_known("Notes: read me"));
	assert_false(crm_import_header_known("Favourite Colour"));
}

static void test_import__plain_file_with_line_breaks(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "plain-crlf-multiline.csv", NULL, 0);
	assert_int_equal(im.n, 3);
	expect_field(im.rows[0], "name", "Jane Doe");
	expect_list(im.rows[0], "emails", "jane@acme.example", NULL);
	expect_list(im.rows[0], "phones", "+44 20 7946 0000", NULL);
	expect_list(im.rows[0], "tags", "lead", "web", NULL);
	expect_field(im.rows[0], "owner", "alice");
	expect_field(im.rows[0], "notes",
		     "She said \"call me\" twice.\nSecond line.");
	expect_field(im.rows[1], "name", "Doe, John");
	expect_field(im.rows[1], "company", "Doe Holdings");
	expect_field(im.rows[1], "notes", NULL);
	expect_list(im.rows[2], "emails", "bob@smith.example",
		    "bob.smith@work.example", NULL);
	expect_list(im.rows[2], "phones", "+1 555 0100 x 12", "555-0101", NULL);
	expect_list(im.rows[2], "tags", "customer", "prospect", NULL);
	expect_field(im.rows[2], "notes", "Line one\n\nLine three");
	/* crm's field order, no id or created */
	assert_string_equal(crm_map_key(im.rows[0], 0), "name");
	assert_null(crm_map_get(im.rows[0], "id"));
	assert_null(crm_map_get(im.rows[0], "created"));
	imported_release(&im);
}

static void test_import__google_contacts(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "google-contacts.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_GOOGLE);
	assert_string_equal(target(&im.plan, "E-mail 1 - Label"), "-");
	assert_string_equal(target(&im.plan, "Labels"), "tags");
	assert_int_equal(im.n, 5);

	expect_field(im.rows[0], "name", "Adrian Abegglen");
	expect_field(im.rows[0], "company", "Trivadis");
	expect_field(im.rows[0], "title", "Consultant");
	expect_list(im.rows[0], "emails", "adrian.abegglen@trivadis.example",
		    "adrian@abegglen.example", NULL);
	expect_list(im.rows[0], "phones", "+41 31 928 09 60",
		    "+41 79 264 88 66", NULL);
	expect_list(im.rows[0], "tags", "clients", NULL);
	expect_field(im.rows[0], "notes",
		     "Met at the Bern JUG.\nPrefers email, never calls.");
	expect_field(im.rows[0], "address.city", "Bern");
	expect_field(im.rows[0], "address.postal_code", "3011");
	expect_field(im.rows[0], "address.formatted",
		     "Bahnhofplatz 10\n3011 Bern\nSwitzerland");
	assert_null(crm_map_get(im.rows[0], "email_1_label"));

	expect_field(im.rows[1], "name", "Zo\xc3\xab M\xc3\xbcller");
	expect_field(im.rows[1], "name_prefix", "Dr.");
	expect_list(im.rows[1], "tags", "starred", "vip-kunden", NULL);
	expect_list(im.rows[1], "emails", "Zoe.Mueller@Baeckerei-Mueller.example",
		    NULL);

	expect_field(im.rows[2], "name", "Jean-Pierre Marie Dupont-Lef\xc3\xa8vre");
	expect_field(im.rows[2], "nickname", "JP");
	expect_field(im.rows[2], "birthday", "1985-04-12");
	expect_field(im.rows[2], "website", "https://dupont.example/jp");
	assert_null(crm_map_get(im.rows[2], "tags"));

	/* no name: the email; Google's own group dropped */
	expect_field(im.rows[3], "name", "info@acme.example");
	assert_null(crm_map_get(im.rows[3], "tags"));

	/* only an organisation: a company */
	expect_field(im.rows[4], "name", "Northwind Traders");
	expect_field(im.rows[4], "kind", "company");
	expect_list(im.rows[4], "phones", "(206) 555-0100", NULL);
	expect_list(im.rows[4], "tags", "suppliers", NULL);
	imported_release(&im);
}

static void test_import__google_contacts_older_layout(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "google-contacts-old.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_GOOGLE_OLD);
	assert_int_equal(im.n, 3);
	expect_field(im.rows[0], "name", "Jane Doe");
	expect_list(im.rows[0], "emails", "jane@acme.example",
		    "jane.doe@mail.example", NULL);
	expect_list(im.rows[0], "phones", "+44 (0)20 7946-0000", NULL);
	expect_field(im.rows[0], "company", "Acme Corp");
	expect_field(im.rows[0], "title", "CTO");
	expect_field(im.rows[0], "department", "Engineering");
	expect_list(im.rows[0], "tags", "friends", "web-leads", NULL);
	expect_field(im.rows[0], "notes", "Wants a proposal by Friday.");
	expect_field(im.rows[1], "name", "Carlos Ruiz");
	assert_null(crm_map_get(im.rows[1], "photo"));
	expect_list(im.rows[1], "phones", "+34 912 345 678",
		    "0034 915 550 100", NULL);
	assert_null(crm_map_get(im.rows[1], "tags"));
	expect_field(im.rows[2], "name", "Ana Silva");
	expect_list(im.rows[2], "tags", "clients", NULL);
	imported_release(&im);
}

static void test_import__outlook(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "outlook-contacts.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_OUTLOOK);
	assert_int_equal(im.n, 2);
	expect_field(im.rows[0], "name", "Tom Baker");
	expect_field(im.rows[0], "name_prefix", "Mr.");
	expect_field(im.rows[0], "company", "Contoso Ltd");
	expect_field(im.rows[0], "department", "Sales");
	expect_field(im.rows[0], "title", "Account Manager");
	expect_list(im.rows[0], "emails", "tom.baker@contoso.example", NULL);
	expect_list(im.rows[0], "phones", "+1 (425) 555-0100",
		    "+1 425 555 0199", NULL);
	expect_list(im.rows[0], "tags", "key-customer", "hot-lead", NULL);
	expect_field(im.rows[0], "notes",
		     "Renewal due in March.\nCall before 10am Pacific.");
	expect_field(im.rows[0], "business_city", "Redmond");
	expect_field(im.rows[0], "initials", "T.B.");
	/* Outlook's placeholders and labels are not data */
	assert_null(crm_map_get(im.rows[0], "birthday"));
	assert_null(crm_map_get(im.rows[0], "gender"));
	assert_null(crm_map_get(im.rows[0], "priority"));
	assert_null(crm_map_get(im.rows[0], "sensitivity"));
	assert_null(crm_map_get(im.rows[0], "private"));
	assert_null(crm_map_get(im.rows[0], "email_display_name"));
	assert_null(crm_map_get(im.rows[0], "email_type"));
	expect_list(im.rows[1], "emails", "sofia@fabrikam.example",
		    "sofia.lindqvist@mail.example", NULL);
	expect_field(im.rows[1], "birthday", "4/12/1979");
	expect_field(im.rows[1], "website", "https://fabrikam.example");
	assert_null(crm_map_get(im.rows[1], "email_2_display_name"));
	imported_release(&im);

	import_file(&im, "outlook-web-contacts.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_OUTLOOK);
	expect_field(im.rows[0], "name", "Mei Chen");
	expect_list(im.rows[0], "phones", "+86 10 5555 0100",
		    "+86 10 5555 0188", NULL);
	expect_list(im.rows[0], "tags", "clients", "asia", NULL);
	expect_field(im.rows[0], "company", "Tailspin Toys");
	expect_field(im.rows[0], "title", "Buyer");
	expect_field(im.rows[1], "name", "Liam O'Brien");
	imported_release(&im);
}

static void test_import__linkedin_and_hubspot(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "linkedin-connections.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_LINKEDIN);
	assert_int_equal(im.n, 3);
	expect_field(im.rows[0], "name", "Priya Raman");
	assert_null(crm_map_get(im.rows[0], "emails"));
	expect_field(im.rows[0], "company", "Northwind Traders");
	expect_field(im.rows[0], "title", "Head of Procurement");
	expect_field(im.rows[0], "url", "https://www.linkedin.com/in/priyaraman");
	expect_field(im.rows[0], "connected_on", "12 Mar 2024");
	expect_list(im.rows[1], "emails", "lukas.nowak@example.pl", NULL);
	expect_field(im.rows[1], "company", "Smith, Jones & Co");
	expect_field(im.rows[2], "name", "\xc3\x89milie Girard");
	imported_release(&im);

	import_file(&im, "hubspot-contacts.csv", NULL, 0);
	assert_int_equal(im.plan.layout, CRM_LAYOUT_HUBSPOT);
	expect_field(im.rows[0], "name", "Maria Johnson");
	expect_field(im.rows[0], "hubspot_id", "51");
	expect_field(im.rows[0], "owner", "Alice Martin");
	expect_field(im.rows[0], "company", "Globex");
	expect_field(im.rows[0], "associated_company", "Globex Corporation");
	expect_field(im.rows[0], "title", "Marketing Director");
	expect_field(im.rows[0], "lifecycle_stage", "Lead");
	expect_field(im.rows[0], "lead_status", "New");
	expect_field(im.rows[0], "country_region", "United States");
	expect_list(im.rows[0], "phones", "+1 617 555 0134", "+1 617 555 0199",
		    NULL);
	/* the second company column fills in when the first is empty */
	expect_field(im.rows[1], "company", "Initech");
	assert_null(crm_map_get(im.rows[1], "associated_company"));
	imported_release(&im);
}

static void test_import__excel_windows_1252_german(void **state)
{
	struct imported im;

	(void)state;
	import_file(&im, "excel-semicolon-cp1252.csv", NULL, 0);
	assert_int_equal(im.n, 3);
	expect_field(im.rows[0], "name", "Zo\xc3\xab M\xc3\xbcller");
	expect_list(im.rows[0], "emails", "zoe@mueller.example", NULL);
	expect_list(im.rows[0], "phones", "+49 30 1234567", NULL);
	expect_field(im.rows[0], "company", "B\xc3\xa4" "ckerei M\xc3\xbcller GmbH");
	expect_field(im.rows[0], "stadt", "K\xc3\xb6ln");
	expect_field(im.rows[0], "notes",
		     "Preis: 12,50 \xe2\x82\xac \xe2\x80\x93 netto");
	expect_field(im.rows[1], "company",
		     "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale; Paris");
	expect_field(im.rows[1], "notes", "Zwei\nZeilen");
	expect_field(im.rows[2], "name", "J\xc3\xbcrgen Wei\xc3\x9f");
	assert_null(crm_map_get(im.rows[2], "phones"));
	imported_release(&im);
}

static void test_import__map_overrides(void **state)
{
	static const char text[] =
		"Org,Vorname,Nachname,Mail,Notes,Stadt\n"
		"Acme,Ada,Lovelace,ada@acme.example,skip me,London\n";
	static const char *const maps[] = {
		"Org=company", "Notes=-", "stadt = city", "MAIL=email",
	};
	struct imported im;

	(void)state;
	import_csv(&im, text, strlen(text), "m.csv", maps, ARRAY_SIZE(maps));
	expect_field(im.rows[0], "name", "Ada Lovelace");
	expect_field(im.rows[0], "company", "Acme");
	expect_field(im.rows[0], "city", "London");
	expect_list(im.rows[0], "emails", "ada@acme.example", NULL);
	expect_field(im.rows[0], "notes", NULL);
	assert_null(crm_map_get(im.rows[0], "stadt"));
	imported_release(&im);
}

static void expect_plan_error(const char *const *maps, size_t nmaps,
			      const char *message)
{
	static const char *const header[] = { "Name", "Org", "Firm", "Mail" };
	struct crm_import_plan plan;

	assert_int_equal(crm_import_plan(&plan, header, ARRAY_SIZE(header),
					 maps, nmaps), CRM_EINVALID);
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s' not in '%s'", message, crm_error_last());
	crm_import_plan_release(&plan);
}

static void test_import__bad_maps_are_errors(void **state)
{
	static const char *const missing[] = { "Organisation=company" };
	static const char *const managed[] = { "Mail=id" };
	static const char *const bad_name[] = { "Org=Big Company" };
	static const char *const no_eq[] = { "Org" };
	static const char *const twice[] = { "Org=company", "Firm=company" };
	static const char *const same[] = { "Org=city", "Org=town" };

	(void)state;
	expect_plan_error(missing, 1, "--map 'Organisation=company': the file "
			  "has no column 'Organisation'");
	expect_plan_error(managed, 1, "crm sets 'id' itself");
	expect_plan_error(bad_name, 1, "'Big Company' is not a field name");
	expect_plan_error(no_eq, 1, "write it as column=field");
	expect_plan_error(twice, 2, "'company' already comes from column 'Org'");
	expect_plan_error(same, 2, "column 'Org' is mapped twice");
}

static void expect_row_error(const char *text, const char *message)
{
	struct crm_csv_table t;
	struct crm_import_plan plan;
	struct crm_node *row = NULL;
	size_t i;
	int rc = 0;

	if (crm_csv_read(&t, text, strlen(text), NULL, "f.csv") ||
	    crm_import_plan(&plan, (const char *const *)t.header.cells, t.ncols,
			    NULL, 0))
		fail_msg("%s", crm_error_last());
	for (i = 0; i < t.nrows && !rc; i++) {
		rc = crm_import_row(&row, &plan,
				    (const char *const *)t.rows[i].cells,
				    t.ncols, "f.csv", t.rows[i].line);
		crm_node_free(row);
	}
	assert_int_equal(rc, CRM_EINVALID);
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s' not in '%s'", message, crm_error_last());
	crm_import_plan_release(&plan);
	crm_csv_table_release(&t);
}

static void test_import__bad_rows_name_file_and_line(void **state)
{
	(void)state;
	expect_row_error("name,email\nA,a@x.example\n\nB,not-an-email\n",
			 "f.csv:4: email 'not-an-email' is not an email address");
	expect_row_error("name,email,city\nA,a@x.example,\n,,\n,,Paris\n",
			 "f.csv:4: no name or email");
	expect_row_error("name,phone\nA,call me\n",
			 "f.csv:2: phone 'call me' is not a phone number");
	expect_row_error("name,kind\nA,robot\n",
			 "f.csv:2: kind 'robot' is not 'person' or 'company'");
	expect_row_error("name,notes\nA,\"ok\"\nB\xe2\x80\xae" "x,fine\n",
			 "f.csv:3: name");
}

static void test_import__cells_checked_as_crm_set_would(void **state)
{
	static const char *const header[] = { "name", "email", "notes" };
	static const char *const tab[] = { "A\tB", "a@x.example", "" };
	static const char *const ctl[] = { "Ann", "a@x.example", "x\x01y" };
	static const char *const utf[] = { "Ann\xff", "", "" };
	struct crm_import_plan plan;
	struct crm_node *row = NULL;

	(void)state;
	assert_int_equal(crm_import_plan(&plan, header, 3, NULL, 0), 0);
	/* white space inside a name is made single spaces */
	assert_int_equal(crm_import_row(&row, &plan, tab, 3, "c.csv", 2), 0);
	expect_field(row, "name", "A B");
	crm_node_free(row);
	assert_int_equal(crm_import_row(&row, &plan, ctl, 3, "c.csv", 3),
			 CRM_EINVALID);
	assert_null(row);
	assert_non_null(strstr(crm_error_last(), "c.csv:3: notes"));
	assert_int_equal(crm_import_row(&row, &plan, utf, 3, "c.csv", 4),
			 CRM_EINVALID);
	assert_non_null(strstr(crm_error_last(), "c.csv:4: invalid UTF-8"));
	/* fewer cells than columns: the rest are empty */
	assert_int_equal(crm_import_row(&row, &plan, tab, 1, "c.csv", 5), 0);
	assert_null(crm_map_get(row, "emails"));
	crm_node_free(row);
	crm_import_plan_release(&plan);
}

static void test_import__duplicate_keys(void **state)
{
	static const char *const same[] = {
		"+44 (0)20 7946-0000", "+44 20 7946 0000", "0044 20 7946 0000",
		"+44.20.7946.0000 x12", "0044 (0)20 7946-0000 x 12",
		" 0044(0)2079460000", "(0044) 20 7946 0000",
	};
	struct strbuf key = STRBUF_INIT;
	struct crm_import_keys keys = { NULL, 0, 0 };
	struct crm_node *r = crm_node_new_map(), *seq;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(same); i++) {
		strbuf_reset(&key);
		assert_int_equal(crm_import_phone_key(&key, same[i]), 1);
		assert_string_equal(key.buf, "+442079460000");
	}
	strbuf_reset(&key);
	assert_int_equal(crm_import_phone_key(&key, "020 7946 0000"), 1);
	assert_string_equal(key.buf, "02079460000");
	strbuf_reset(&key);
	assert_int_equal(crm_import_phone_key(&key, "000 7946 0000"), 1);
	assert_string_equal(key.buf, "+079460000");
	strbuf_reset(&key);
	assert_int_equal(crm_import_phone_key(&key, "112"), 0);
	assert_int_equal(key.len, 0);

	seq = crm_node_new_seq(1);
	crm_seq_append(seq, crm_node_new_str("Jane@ACME.example"));
	crm_seq_append(seq, crm_node_new_str("jane@acme.example"));
	crm_map_set(r, "emails", seq);
	seq = crm_node_new_seq(1);
	crm_seq_append(seq, crm_node_new_str("+44 (0)20 7946-0000"));
	crm_seq_append(seq, crm_node_new_str("999"));
	crm_map_set(r, "phones", seq);
	crm_import_keys(&keys, r);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.items[0], "email:jane@acme.example");
	assert_string_equal(keys.items[1], "phone:+442079460000");
	crm_import_keys_release(&keys);
	crm_node_free(r);
	strbuf_release(&key);
}

static struct crm_node *parse(const char *yaml)
{
	struct crm_node *n = NULL;

	if (crm_yaml_parse(&n, yaml, strlen(yaml), "t.yml"))
		fail_msg("%s", crm_error_last());
	return n;
}

static void test_import__merge_keeps_and_records(void **state)
{
	struct crm_node *existing = parse(
		"id: jane-doe\n"
		"name: Jane Doe\n"
		"company: Acme\n"
		"emails: [jane@acme.example]\n"
		"phones: [\"+44 20 7946 0000\"]\n"
		"created: 2026-11-22T10:15:00+01:00\n"
		"notes: Old note.\n"
		"address: {city: Paris}\n"
		"deals:\n- id: site\n  title: Site\n");
	struct crm_node *row = parse(
		"name: Jane M. Doe\n"
		"company: Other Corp\n"
		"emails: [JANE@acme.example, jane@home.example]\n"
		"phones: [\"+44 (0)20 7946-0000\", \"+1 555 0100\"]\n"
		"tags: [vip]\n"
		"notes: New note.\n"
		"title: CTO\n"
		"address: {city: Lyon, street: 1 Rue X}\n");
	const char *notes;

	(void)state;
	assert_int_equal(crm_import_merge_into(existing, row, "c.csv", 7), 1);
	expect_field(existing, "name", "Jane Doe");
	expect_field(existing, "company", "Acme");
	expect_list(existing, "emails", "jane@acme.example",
		    "jane@home.example", NULL);
	expect_list(existing, "phones", "+44 20 7946 0000", "+1 555 0100", NULL);
	expect_list(existing, "tags", "vip", NULL);
	expect_field(existing, "title", "CTO");
	expect_field(existing, "address.city", "Paris");
	expect_field(existing, "address.street", "1 Rue X");
	notes = crm_map_get_str(existing, "notes");
	assert_non_null(strstr(notes, "Old note.\nNew note.\n"));
	assert_non_null(strstr(notes, "import: name was 'Jane M. Doe' in c.csv:7"));
	assert_non_null(strstr(notes, "import: company was 'Other Corp' in "
			       "c.csv:7"));
	assert_non_null(strstr(notes, "import: address.city was 'Lyon' in "
			       "c.csv:7"));
	/* tags went where crm keeps them, custom fields before deals */
	assert_true(crm_map_find(existing, "tags") <
		    crm_map_find(existing, "created"));
	assert_true(crm_map_find(existing, "title") <
		    crm_map_find(existing, "deals"));
	/* the same row again changes nothing */
	assert_int_equal(crm_import_merge_into(existing, row, "c.csv", 7), 0);
	check_storable(existing, "merged");
	crm_node_free(existing);
	crm_node_free(row);
}

static void test_import__rows_of_one_file_merge(void **state)
{
	static const char text[] =
		"name,email,phone,tags\n"
		"Jane Doe,jane@acme.example,,lead\n"
		"J. Doe,JANE@ACME.EXAMPLE,+44 20 7946 0000,web\n";
	struct crm_import_keys a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct imported im;
	size_t i, j;
	int shared = 0;

	(void)state;
	import_csv(&im, text, strlen(text), "d.csv", NULL, 0);
	crm_import_keys(&a, im.rows[0]);
	crm_import_keys(&b, im.rows[1]);
	for (i = 0; i < a.n; i++)
		for (j = 0; j < b.n; j++)
			shared |= !strcmp(a.items[i], b.items[j]);
	assert_true(shared);
	assert_int_equal(crm_import_merge_into(im.rows[0], im.rows[1], "d.csv",
					       3), 1);
	expect_list(im.rows[0], "emails", "jane@acme.example", NULL);
	expect_list(im.rows[0], "phones", "+44 20 7946 0000", NULL);
	expect_list(im.rows[0], "tags", "lead", "web", NULL);
	expect_field(im.rows[0], "notes", "import: name was 'J. Doe' in d.csv:3");
	crm_import_keys_release(&a);
	crm_import_keys_release(&b);
	imported_release(&im);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_import__plain_headers_any_case),
	cmocka_unit_test(test_import__plain_file_with_line_breaks),
	cmocka_unit_test(test_import__google_contacts),
	cmocka_unit_test(test_import__google_contacts_older_layout),
	cmocka_unit_test(test_import__outlook),
	cmocka_unit_test(test_import__linkedin_and_hubspot),
	cmocka_unit_test(test_import__excel_windows_1252_german),
	cmocka_unit_test(test_import__map_overrides),
	cmocka_unit_test(test_import__bad_maps_are_errors),
	cmocka_unit_test(test_import__bad_rows_name_file_and_line),
	cmocka_unit_test(test_import__cells_checked_as_crm_set_would),
	cmocka_unit_test(test_import__duplicate_keys),
	cmocka_unit_test(test_import__merge_keeps_and_records),
	cmocka_unit_test(test_import__rows_of_one_file_merge),
};

UNIT_MAIN(tests)
