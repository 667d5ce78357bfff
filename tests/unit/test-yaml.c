#include "unit.h"

#include "../../lib/error.h"
#include "../../lib/record.h"
#include "../../lib/yaml.h"

#include <yaml.h>
#ifdef CRM_MIMALLOC
#include <mimalloc.h>
#endif

static const char spec_record[] =
	"id: jane-doe\n"
	"name: Jane Doe\n"
	"kind: person\n"
	"company: acme-corp\n"
	"emails: [jane@acme.example]\n"
	"phones: [\"+44 20 7946 0000\"]\n"
	"tags: [lead, web]\n"
	"owner: alice\n"
	"created: 2026-11-22T10:15:00+01:00\n"
	"notes: |\n"
	"  Met at the meetup.\n"
	"  Likes tea.\n"
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
	"followups:\n"
	"- id: 1\n"
	"  due: 2026-11-28\n"
	"  text: Send proposal\n"
	"  done: false\n"
	"shoe_size: 42\n"
	"address:\n"
	"  city: Paris\n"
	"  lines: [1 rue de la Paix, \"2e\"]\n";

static void emit_of(struct strbuf *out, const char *text)
{
	struct crm_node *n = NULL;

	assert_int_equal(crm_yaml_parse(&n, text, strlen(text), "t"), 0);
	assert_int_equal(crm_yaml_emit(out, n), 0);
	crm_node_free(n);
}

static void test_yaml__canonical_record_round_trips_byte_identical(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	emit_of(&out, spec_record);
	assert_string_equal(out.buf, spec_record);
	strbuf_release(&out);
}

static void test_yaml__emit_is_idempotent_for_hand_written_style(void **state)
{
	static const char hand[] =
		"name:   'Jane'\nid: \"x\"\ntags:\n  - a\n  - 'yes'\n"
		"n: ~\nq: \"007\"\nempty: ''\n";
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;

	(void)state;
	emit_of(&once, hand);
	emit_of(&twice, once.buf);
	assert_string_equal(once.buf, twice.buf);
	/* strings that would read as other types stay quoted */
	assert_non_null(strstr(once.buf, "- 'yes'"));
	assert_non_null(strstr(once.buf, "\"007\""));
	assert_non_null(strstr(once.buf, "n: ~"));
	strbuf_release(&once);
	strbuf_release(&twice);
}

/*
 * A timestamp with a tab before its time is still a timestamp; libyaml
 * would quote a tab, which makes it text, so crm reads it with a space.
 */
static void test_yaml__timestamp_with_tab_stays_a_timestamp(void **state)
{
	static const char hand[] =
		"created: 2026-11-22\t10:15:00\t+01:00\n"
		"note: a\tb\n";
	struct strbuf once = STRBUF_INIT;
	struct crm_node *n = NULL;

	(void)state;
	assert_int_equal(crm_yaml_parse(&n, hand, strlen(hand), "t"), 0);
	assert_int_equal(crm_map_get(n, "created")->type, CRM_SCALAR_PLAIN);
	assert_string_equal(crm_node_str(crm_map_get(n, "created")),
			    "2026-11-22 10:15:00 +01:00");
	/* text keeps its tab */
	assert_string_equal(crm_node_str(crm_map_get(n, "note")), "a\tb");
	crm_node_free(n);
	emit_of(&once, hand);
	assert_string_equal(once.buf, "created: 2026-11-22 10:15:00 +01:00\n"
			    "note: \"a\\tb\"\n");
	strbuf_release(&once);
}

static void test_yaml__string_values_that_look_typed_are_quoted(void **state)
{
	static const char *const typed[] = {
		"8000.00", "1e3", "yes", "No", "on", "null", "~", "2026-11-22",
		"0x1f", "-1", ".5", ".inf", "+44 20", "12:30", "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		struct crm_node *m = crm_node_new_map();
		struct strbuf out = STRBUF_INIT;

		crm_map_set(m, "v", crm_node_new_str(typed[i]));
		assert_int_equal(crm_yaml_emit(&out, m), 0);
		assert_true(strstr(out.buf, "v: \"") || strstr(out.buf, "v: '"));
		crm_node_free(m);
		strbuf_release(&out);
	}
}

static void expect_parse_error(const char *text, size_t len,
			       const char *message)
{
	struct crm_node *n = NULL;

	assert_int_equal(crm_yaml_parse(&n, text, len, "f.yml"), CRM_EPARSE);
	assert_null(n);
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s' not in '%s'", message, crm_error_last());
}

static void test_yaml__hostile_input_is_refused(void **state)
{
	static char deep[20001];
	static const char nul[] = "a: b\0c\n";

	(void)state;
	expect_parse_error("a: &x [*x]\n", 11, "anchors and aliases");
	expect_parse_error("a: *x\n", 6, "");
	expect_parse_error("a: !!python/object:os.system x\n", 31,
			   "f.yml:1:4: tags are not allowed");
	expect_parse_error("a: 1\na: 2\n", 10, "f.yml:2:1: duplicate key 'a'");
	expect_parse_error("a: b\xff\n", 6, "f.yml:1:5: invalid UTF-8");
	expect_parse_error(nul, sizeof(nul) - 1, "f.yml:1:5: NUL byte");
	expect_parse_error("a: [b\n", 6, "f.yml:2:1:");
	expect_parse_error("", 0, "empty document");
	expect_parse_error("a: 1\n---\nb: 2\n", 14, "more than one document");
	expect_parse_error("? [a]\n: b\n", 10, "a key must be a plain value");
	memset(deep, '[', sizeof(deep) - 1);
	expect_parse_error(deep, sizeof(deep) - 1, "nested too deeply");
}

static void test_yaml__size_limit(void **state)
{
	size_t len = CRM_YAML_MAX_SIZE + 1;
	char *big = malloc(len);

	(void)state;
	memset(big, 'a', len);
	expect_parse_error(big, len, "too large");
	free(big);
}

static void test_record__schema_errors_name_line_and_column(void **state)
{
	struct crm_record *r = NULL;
	static const char wrong_list[] = "id: x\nname: X\nemails: a@b.c\n";
	static const char wrong_scalar[] = "id: x\nname: [X]\n";
	static const char wrong_id[] = "id: y\nname: X\n";

	(void)state;
	assert_int_equal(crm_record_parse(&r, "x", "c/x.yml", wrong_list,
					  strlen(wrong_list)), CRM_EPARSE);
	assert_string_equal(crm_error_last(),
			    "c/x.yml:3:9: 'emails' must be a list");
	assert_int_equal(crm_record_parse(&r, "x", "c/x.yml", wrong_scalar,
					  strlen(wrong_scalar)), CRM_EPARSE);
	assert_non_null(strstr(crm_error_last(), "c/x.yml:2:7: 'name'"));
	assert_int_equal(crm_record_parse(&r, "x", "c/x.yml", wrong_id,
					  strlen(wrong_id)), CRM_EPARSE);
	assert_non_null(strstr(crm_error_last(), "does not match the file"));
	assert_null(r);
}

static void test_record__new_fields_take_their_canonical_place(void **state)
{
	struct crm_record *r = NULL;
	struct strbuf out = STRBUF_INIT;
	static const char text[] =
		"id: x\nname: X\ncustom: 1\nlog:\n- at: 2026-01-01T00:00:00Z\n";

	(void)state;
	assert_int_equal(crm_record_parse(&r, "x", "x.yml", text,
					  strlen(text)), 0);
	crm_record_set(r, "owner", "bob");
	crm_record_list_add(r, "tags", "vip");
	crm_record_set(r, "second", "2");
	assert_int_equal(crm_record_serialize(&out, r), 0);
	assert_string_equal(out.buf,
		"id: x\nname: X\ntags: [vip]\nowner: bob\ncustom: 1\n"
		"second: \"2\"\nlog:\n- at: 2026-01-01T00:00:00Z\n");
	crm_record_free(r);
	strbuf_release(&out);
}

/*
 * The build links mimalloc to serve every malloc of the process (see
 * ALLOCATOR in the Makefile): a scalar libyaml allocated must come from
 * its heap, or the override was lost (say, by a change of link order).
 */
static void test_yaml__libyaml_allocates_from_the_build_allocator(void **state)
{
#ifdef CRM_MIMALLOC
	static const unsigned char doc[] = "name: Jane Doe\n";
	yaml_parser_t parser;
	yaml_event_t ev;
	void *ours = malloc(24);
	yaml_event_type_t type;
	int scalars = 0;

	(void)state;
	assert_non_null(ours);
	assert_true(mi_is_in_heap_region(ours));
	free(ours);
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, doc, sizeof(doc) - 1);
	do {
		assert_true(yaml_parser_parse(&parser, &ev));
		if (ev.type == YAML_SCALAR_EVENT) {
			assert_true(mi_is_in_heap_region(ev.data.scalar.value));
			scalars++;
		}
		type = ev.type;
		yaml_event_delete(&ev);
	} while (type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&parser);
	assert_int_equal(scalars, 2);
#else
	(void)state;
	skip();
#endif
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_yaml__canonical_record_round_trips_byte_identical),
	cmocka_unit_test(test_yaml__emit_is_idempotent_for_hand_written_style),
	cmocka_unit_test(test_yaml__timestamp_with_tab_stays_a_timestamp),
	cmocka_unit_test(test_yaml__string_values_that_look_typed_are_quoted),
	cmocka_unit_test(test_yaml__hostile_input_is_refused),
	cmocka_unit_test(test_yaml__size_limit),
	cmocka_unit_test(test_record__schema_errors_name_line_and_column),
	cmocka_unit_test(test_record__new_fields_take_their_canonical_place),
	cmocka_unit_test(test_yaml__libyaml_allocates_from_the_build_allocator),
};

UNIT_MAIN(tests)
