/*
 * The record parser and writer: any bytes go to crm_record_parse (which
 * holds the YAML reader's limits against hostile input), and every record
 * it accepts must survive crm's round trip (crm-record(5)):
 *
 *   - it serializes without error;
 *   - what crm writes parses again, as a valid record, equal to the one
 *     read (crm_node_equal: same values and types, styles aside);
 *   - a record in crm's form written back unchanged is byte for byte the
 *     same: serialize(parse(serialize(x))) == serialize(x).
 */
#include <stdio.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/record.h"
#include "../lib/strbuf.h"
#include "fuzz.h"

#define PATH "customers/f0/fuzz.yml"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_record *r = NULL, *again = NULL;
	struct strbuf first = STRBUF_INIT, second = STRBUF_INIT;
	int rc;

	rc = crm_record_parse(&r, NULL, PATH, (const char *)data, size);
	if (rc) {
		if (rc != CRM_EPARSE || r)
			fuzz_fail("crm_record_parse returned %d (out %p)",
				  rc, (void *)r);
		goto done;
	}
	if (crm_record_serialize(&first, r))
		fuzz_fail("a record that was read cannot be written: %s",
			  crm_error_last());
	if (crm_record_parse(&again, NULL, PATH, first.buf, first.len))
		fuzz_fail("what crm wrote does not read back: %s\n"
			  "--- written:\n%s", crm_error_last(), first.buf);
	if (!crm_node_equal(r->root, again->root) &&
	    !(fuzz_skip("plain-quoted") &&
	      fuzz_equal_but_quoted(r->root, again->root)))
		fuzz_fail("the record read back differs from the one "
			  "written\n--- written:\n%s", first.buf);
	if (crm_record_serialize(&second, again))
		fuzz_fail("the record read back cannot be written: %s",
			  crm_error_last());
	if (first.len != second.len || memcmp(first.buf, second.buf, first.len))
		fuzz_fail("writing is not stable\n--- first:\n%s\n"
			  "--- second:\n%s", first.buf, second.buf);
done:
	crm_record_free(r);
	crm_record_free(again);
	strbuf_release(&first);
	strbuf_release(&second);
	return 0;
}
