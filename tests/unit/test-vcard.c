#include "unit.h"

#include "../../lib/error.h"
#include "../../lib/record.h"
#include "../../lib/util.h"
#include "../../lib/vcard.h"
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

static struct crm_node **read_file(const char *file, size_t *n)
{
	struct crm_node **records = NULL;
	size_t len;
	char *buf = fixture(file, &len);

	if (crm_vcard_read(&records, n, buf, len, file))
		fail_msg("%s", crm_error_last());
	free(buf);
	return records;
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

static void test_vcard__apple_3_0(void **state)
{
	size_t n;
	struct crm_node **r = read_file("contacts-v3.vcf", &n);

	(void)state;
	assert_int_equal(n, 2);
	assert_int_equal(r[0]->line, 1);
	assert_int_equal(r[1]->line, 38);
	expect_field(r[0], "name", "Jane Doe");
	expect_field(r[0], "name_prefix", "Dr.");
	expect_field(r[0], "name_suffix", "PhD");
	expect_field(r[0], "company", "Acme, Inc.");
	expect_field(r[0], "department", "Research & Development");
	expect_field(r[0], "title", "Chief Technology Officer");
	expect_list(r[0], "emails", "jane@acme.example", "jane.doe@home.example",
		    NULL);
	expect_list(r[0], "phones", "+44 7700 900123", "+44 (0)20 7946 0000",
		    NULL);
	expect_field(r[0], "address.street", "1 Infinite Loop");
	expect_field(r[0], "address.city", "Cupertino");
	expect_field(r[0], "address.region", "CA");
	expect_field(r[0], "address.postal_code", "95014");
	expect_field(r[0], "address.country", "United States");
	expect_field(r[0], "address.po_box", NULL);
	expect_field(r[0], "notes", "Met at the developer conference in Berlin, "
		     "interested in the enterprise plan; follow up after Q1.\n"
		     "Second line of notes with a backslash \\ in it.");
	expect_field(r[0], "birthday", "1985-04-12");
	expect_field(r[0], "url", "https://acme.example");
	expect_list(r[0], "tags", "clients", "vip-customers", NULL);
	expect_field(r[0], "uid", "6b7c1a3e-2f4d-4c8e-9a0b-1c2d3e4f5a6b");
	assert_null(crm_map_get(r[0], "photo"));
	assert_null(crm_map_get(r[0], "id"));
	assert_string_equal(crm_map_key(r[0], 0), "name");

	expect_field(r[1], "name", "Globex Corporation");
	expect_field(r[1], "kind", "company");
	expect_field(r[1], "company", "Globex Corporation");
	expect_list(r[1], "phones", "+1 555 0100", NULL);
	crm_vcard_records_free(r, n);
}

static void test_vcard__nextcloud_4_0(void **state)
{
	size_t n;
	struct crm_node **r = read_file("contacts-v4.vcf", &n);

	(void)state;
	assert_int_equal(n, 2);
	assert_int_equal(r[1]->line, 18);
	expect_field(r[0], "name", "Zo\xc3\xab M\xc3\xbcller");
	expect_field(r[0], "kind", "person");
	expect_list(r[0], "emails", "zoe@mueller.example", NULL);
	expect_list(r[0], "phones", "+49-30-1234567 x12", NULL);
	expect_field(r[0], "address.street", "Hauptstr. 5");
	expect_field(r[0], "address.city", "Berlin");
	expect_field(r[0], "notes", "Zeile eins\nZeile zwei");
	expect_list(r[0], "tags", "kunde", "berlin", NULL);
	expect_field(r[0], "anniversary", "2015-06-01");
	expect_field(r[0], "gender", "F");
	expect_field(r[0], "im", "xmpp:zoe@chat.example");
	expect_field(r[0], "uid", "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
	assert_null(crm_map_get(r[0], "rev"));
	expect_field(r[1], "name", "Initech");
	expect_field(r[1], "kind", "company");
	expect_field(r[1], "url", "https://initech.example");
	crm_vcard_records_free(r, n);
}

static void test_vcard__android_2_1_quoted_printable(void **state)
{
	size_t n;
	struct crm_node **r = read_file("android-v21.vcf", &n);

	(void)state;
	assert_int_equal(n, 2);
	expect_field(r[0], "name", "Ay\xc5\x9f" "e \xc3\x96zt\xc3\xbcrk");
	expect_list(r[0], "phones", "+905321234567", "0212 555 01 01", NULL);
	expect_list(r[0], "emails", "ayse@ornek.example", NULL);
	expect_field(r[0], "notes", "Birinci sat\xc4\xb1r\nikinci sat\xc4\xb1r, "
		     "uzun bir not ki soft line break ile b\xc3\xb6l\xc3\xbcnm"
		     "\xc3\xbc\xc5\x9f.");
	/* N only, in Latin-1 */
	expect_field(r[1], "name", "J\xc3\xbcrgen M\xc3\xbcller");
	expect_field(r[1], "company", "Wei\xc3\x9f & S\xc3\xb6hne");
	crm_vcard_records_free(r, n);
}

static void test_vcard__2_1_photo_lines_skipped(void **state)
{
	static const char text[] =
		"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Smith;Ann\r\n"
		"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
		"/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4n\r\n"
		"\r\n"
		"TEL;CELL:+1 555 0100\r\nEND:VCARD\r\n";
	struct crm_node **r = NULL;
	size_t n;

	(void)state;
	if (crm_vcard_read(&r, &n, text, strlen(text), "nokia.vcf"))
		fail_msg("%s", crm_error_last());
	assert_int_equal(n, 1);
	expect_field(r[0], "name", "Ann Smith");
	expect_list(r[0], "phones", "+1 555 0100", NULL);
	crm_vcard_records_free(r, n);
}

static void expect_errorn(const char *text, size_t len, const char *message)
{
	struct crm_node **records = NULL;
	size_t n = 7;
	int rc = crm_vcard_read(&records, &n, text, len, "x.vcf");

	assert_true(rc == CRM_EPARSE || rc == CRM_EINVALID);
	assert_null(records);
	assert_int_equal(n, 0);
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s' not in '%s'", message, crm_error_last());
}

static void expect_error(const char *text, const char *message)
{
	expect_errorn(text, strlen(text), message);
}

static void test_vcard__errors_name_file_and_line(void **state)
{
	size_t len;
	char *buf = fixture("bad-unclosed.vcf", &len);
	struct crm_node **records = NULL;
	size_t n;

	(void)state;
	assert_int_equal(crm_vcard_read(&records, &n, buf, len,
					"bad-unclosed.vcf"), CRM_EPARSE);
	assert_non_null(strstr(crm_error_last(), "bad-unclosed.vcf:6: "
			       "BEGIN:VCARD inside a card"));
	free(buf);

	expect_error("BEGIN:VCARD\r\nFN:X\r\n", "x.vcf:1: card not closed");
	expect_error("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEMAIL:nope\nEND:VCARD\n",
		     "x.vcf:4: email 'nope' is not an email address");
	expect_error("BEGIN:VCARD\nVERSION:3.0\nTEL:call me\nEND:VCARD\n",
		     "x.vcf:3: phone 'call me' is not a phone number");
	expect_error("BEGIN:VCARD\nVERSION:4.0\nNOTE:x\nEND:VCARD\n",
		     "x.vcf:1: card has no name or email");
	expect_error("FN:Stray\n", "x.vcf:1: 'FN' outside BEGIN:VCARD");
	expect_error("BEGIN:VCARD\nthis is not a property\nEND:VCARD\n",
		     "x.vcf:2: not a vCard property");
	expect_error("BEGIN:VCARD\nFN;X=\"open:Bob\nEND:VCARD\n",
		     "x.vcf:2: a quoted parameter value does not end");
	expect_error("", "x.vcf: no vCard in the file");
	expect_error("\n\n", "x.vcf: no vCard in the file");
	expect_errorn("BEGIN:VCARD\nFN:A\0B\nEND:VCARD\n", 25,
		      "x.vcf:2: NUL byte");
	expect_error("BEGIN:VCALENDAR\n", "x.vcf:1: BEGIN of something");
	expect_error("BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n",
		     "x.vcf:4: 'END' outside");
	expect_error("BEGIN:VCARD\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
		     "=FF\nEND:VCARD\n", "x.vcf:2: the value is not valid UTF-8");
}

static struct crm_node *parse(const char *yaml)
{
	struct crm_node *n = NULL;

	if (crm_yaml_parse(&n, yaml, strlen(yaml), "t.yml"))
		fail_msg("%s", crm_error_last());
	return n;
}

static void test_vcard__write_is_4_0_folded_crlf(void **state)
{
	struct crm_node *r = parse(
		"id: jane-doe\n"
		"name: Jane Doe\n"
		"company: acme-corp\n"
		"emails: [jane@acme.example]\n"
		"phones: [\"+44 20 7946 0000\"]\n"
		"tags: [lead, web]\n"
		"owner: alice\n"
		"created: 2026-11-22T10:15:00+01:00\n"
		"notes: \"Met at the meetup; wants a proposal, soon.\\n"
		"Caf\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"\n"
		"log:\n- at: 2026-11-22T10:15:00+01:00\n  text: call\n");
	struct strbuf out = STRBUF_INIT;
	const char *p, *line;

	(void)state;
	crm_vcard_write(&out, r);
	assert_string_equal(out.buf,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Jane Doe\r\n"
		"N:Doe;Jane;;;\r\n"
		"ORG:acme-corp\r\n"
		"EMAIL:jane@acme.example\r\n"
		"TEL:+44 20 7946 0000\r\n"
		"CATEGORIES:lead,web\r\n"
		/* 75 octets: the next two-octet character goes on */
		"NOTE:Met at the meetup\\; wants a proposal\\, soon.\\nCaf\xc3\xa9 "
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\r\n"
		" \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\r\n"
		"UID:urn:uuid:0f36e57a-237f-5c9e-bd36-03fccc97e901\r\n"
		"X-CRM-ID:jane-doe\r\n"
		"X-CRM-FIELD;NAME=owner:alice\r\n"
		"END:VCARD\r\n");
	/* no line over 75 octets, every line ends in CRLF */
	for (p = out.buf; *p; p = line + 2) {
		line = strstr(p, "\r\n");
		assert_non_null(line);
		assert_true(line - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(line - p)));
		/* a fold never starts inside a UTF-8 character */
		assert_false(p[0] == ' ' && ((unsigned char)p[1] & 0xc0) == 0x80);
	}
	crm_node_free(r);
	strbuf_release(&out);
}

static void test_vcard__uid_is_a_stable_v5_uuid(void **state)
{
	char uid[CRM_VCARD_UID_MAX];
	char long_id[101];

	(void)state;
	crm_vcard_uuid(uid, "jane-doe");
	assert_string_equal(uid, "urn:uuid:0f36e57a-237f-5c9e-bd36-03fccc97e901");
	crm_vcard_uuid(uid, "acme-corp");
	assert_string_equal(uid, "urn:uuid:38eac0e4-1860-5bb8-826e-9a784a6e625f");
	crm_vcard_uuid(uid, "");
	assert_string_equal(uid, "urn:uuid:e4c5456c-738a-5df8-b5b6-0e2707b189fc");
	memset(long_id, 'x', 100);
	long_id[100] = '\0';
	crm_vcard_uuid(uid, long_id);
	assert_string_equal(uid, "urn:uuid:3efbb6c9-f720-5f28-9cb2-54c40e5da704");
}

/*
 * `original` without what a vCard does not carry: created and the
 * entries (the id comes back, from X-CRM-ID).
 */
static void expect_round_trip(const char *yaml)
{
	static const char *const dropped[] = {
		"created", "log", "deals", "followups",
	};
	struct crm_node *r = parse(yaml), *want = crm_node_dup(r);
	struct crm_node **back = NULL;
	struct strbuf out = STRBUF_INIT;
	size_t i, n = 0;

	crm_vcard_write(&out, r);
	if (crm_vcard_read(&back, &n, out.buf, out.len, "rt.vcf"))
		fail_msg("%s\n%s", crm_error_last(), out.buf);
	assert_int_equal(n, 1);
	for (i = 0; i < ARRAY_SIZE(dropped); i++)
		crm_map_remove(want, dropped[i]);
	for (i = 0; i < crm_map_len(want); i++) {
		const char *key = crm_map_key(want, i);

		if (!crm_node_equal(crm_map_value(want, i),
				    crm_map_get(back[0], key)))
			fail_msg("field '%s' differs after the round trip:\n%s",
				 key, out.buf);
	}
	if (crm_map_len(back[0]) != crm_map_len(want))
		fail_msg("%zu fields came back, %zu went:\n%s",
			 crm_map_len(back[0]), crm_map_len(want), out.buf);
	crm_vcard_records_free(back, n);
	crm_node_free(r);
	crm_node_free(want);
	strbuf_release(&out);
}

static void test_vcard__write_then_read_gives_the_same_fields(void **state)
{
	(void)state;
	expect_round_trip(
		"id: ludwig-van-beethoven\n"
		"name: Ludwig van Beethoven\n"
		"kind: person\n"
		"company: \"Hofkapelle; Bonn, Inc.\"\n"
		"emails: [ludwig@bonn.example, lvb@wien.example]\n"
		"phones: [\"+49 228 981 750\", \"+43 1 555 0100 x12\"]\n"
		"tags: [composer, vip, a;b]\n"
		"owner: alice\n"
		"created: 2026-11-22T10:15:00+01:00\n"
		"notes: |\n"
		"  Deaf, but \\\\ listens; writes letters.\n"
		"  Second line: \xe2\x99\xab\n"
		"title: Kapellmeister\n"
		"department: Strings\n"
		"name_prefix: Herr\n"
		"nickname: Louis\n"
		"birthday: 1770-12-17\n"
		"anniversary: around 1792\n"
		"url: https://beethoven.example\n"
		"url_2: https://bonn.example/lvb\n"
		"gender: M\n"
		"im: xmpp:lvb@chat.example\n"
		"address: {street: Bonngasse 20, city: Bonn, postal_code: \"53111\","
		" country: Germany}\n"
		"favourite_key: C minor\n"
		"social: {twitter: \"@lvb\", since: 1800}\n"
		"languages: [de, fr, \"it, a bit\"]\n"
		"deals:\n- id: symphony\n  title: Ninth\n");
	expect_round_trip(
		"id: acme-corp\n"
		"name: Acme Corp\n"
		"kind: company\n"
		"phones: [\"+1 555 0100\"]\n"
		"name_prefix: The\n"
		"uid: 6b7c1a3e-2f4d-4c8e-9a0b-1c2d3e4f5a6b\n");
	expect_round_trip("id: solo\nname: Cher\n");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_vcard__apple_3_0),
	cmocka_unit_test(test_vcard__nextcloud_4_0),
	cmocka_unit_test(test_vcard__android_2_1_quoted_printable),
	cmocka_unit_test(test_vcard__2_1_photo_lines_skipped),
	cmocka_unit_test(test_vcard__errors_name_file_and_line),
	cmocka_unit_test(test_vcard__write_is_4_0_folded_crlf),
	cmocka_unit_test(test_vcard__uid_is_a_stable_v5_uuid),
	cmocka_unit_test(test_vcard__write_then_read_gives_the_same_fields),
};

UNIT_MAIN(tests)
