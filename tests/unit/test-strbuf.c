#include "unit.h"

#include "../../lib/strbuf.h"
#include "../../lib/text.h"

static void test_strbuf__addf_fits_in_the_room_there_is(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addf(&sb, "%s-%d", "a", 7);
	assert_string_equal(sb.buf, "a-7");
	assert_int_equal(sb.len, 3);
	strbuf_addf(&sb, "%s", "");
	assert_string_equal(sb.buf, "a-7");
	assert_int_equal(sb.len, 3);
	strbuf_release(&sb);
}

/* Longer than the room: the buffer grows and the text is formatted again. */
static void test_strbuf__addf_grows_for_a_long_result(void **state)
{
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	char long_text[1000];
	size_t i;

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	strbuf_addstr(&sb, "head:");
	strbuf_addf(&sb, "[%s]%d", long_text, 42);
	strbuf_addstr(&want, "head:[");
	strbuf_addstr(&want, long_text);
	strbuf_addstr(&want, "]42");
	assert_int_equal(sb.len, want.len);
	assert_string_equal(sb.buf, want.buf);
	assert_true(sb.alloc > sb.len);
	strbuf_release(&sb);

	/* many short lines, each landing at a different fill of the buffer */
	for (i = 0; i < 5000; i++)
		strbuf_addf(&sb, "%zu,", i);
	strbuf_reset(&want);
	for (i = 0; i < 5000; i++) {
		char num[32];

		snprintf(num, sizeof(num), "%zu,", i);
		strbuf_addstr(&want, num);
	}
	assert_int_equal(sb.len, want.len);
	assert_string_equal(sb.buf, want.buf);
	strbuf_release(&sb);
	strbuf_release(&want);
}

static void test_text__width_of_ascii_and_wider_text(void **state)
{
	(void)state;
	assert_int_equal(crm_text_width(""), 0);
	assert_int_equal(crm_text_width("Acme Ltd ~ 42"), 13);
	/* two columns each, after ASCII and on its own */
	assert_int_equal(crm_text_width("ab\xe6\x97\xa5\xe6\x9c\xac"), 6);
	assert_int_equal(crm_text_width("\xe6\x97\xa5"), 2);
	/* a combining accent takes no column */
	assert_int_equal(crm_text_width("Jose\xcc\x81"), 4);
	assert_int_equal(crm_text_width("Jos\xc3\xa9"), 4);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_strbuf__addf_fits_in_the_room_there_is),
	cmocka_unit_test(test_strbuf__addf_grows_for_a_long_result),
	cmocka_unit_test(test_text__width_of_ascii_and_wider_text),
};

UNIT_MAIN(tests)
