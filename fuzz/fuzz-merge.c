/*
 * The three-way record merge (lib/merge.h): the input is three YAML
 * documents, base, ours and theirs, separated by lines "===".  A blank
 * document is an absent record (NULL: not in the base, or deleted); one
 * that does not parse makes the input uninteresting.  Checked:
 *
 *   - a version that is not a map is refused with CRM_EINVALID;
 *   - valid records (crm_record_check) always merge, and the result, and
 *     theirs_renamed, are valid records that survive a write and a read;
 *   - every note is one line;
 *   - the trivial merges give what lib/merge.h says: merge(b, x, x) = x,
 *     merge(b, b, x) = x, merge(b, x, b) = x, with no conflicts or notes
 *     saying otherwise (deleted when x is absent).
 */
#include <stdio.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/merge.h"
#include "../lib/record.h"
#include "../lib/strbuf.h"
#include "../lib/yaml.h"
#include "fuzz.h"

#define SEP "\n===\n"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	return 0;
}

/* Nothing but white space: the record is absent. */
static int blank(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", p[i]) || !p[i])
			return 0;
	return 1;
}

static const char *const side_names[] = { "base", "ours", "theirs" };

static int is_valid(const struct crm_node *n)
{
	return !n || (n->kind == CRM_NODE_MAP &&
		      !crm_record_check(n, NULL, "fuzz"));
}

/* The result must be a record crm can write and read back. */
static void check_result(const struct crm_node *n, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	struct crm_node *again = NULL;

	if (!n)
		return;
	if (crm_record_check(n, NULL, what))
		fuzz_fail("%s is not a valid record: %s", what,
			  crm_error_last());
	if (crm_yaml_emit(&sb, n))
		fuzz_fail("%s cannot be written: %s", what, crm_error_last());
	if (crm_yaml_parse(&again, sb.buf, sb.len, what))
		fuzz_fail("%s does not read back: %s\n--- written:\n%s", what,
			  crm_error_last(), sb.buf);
	if (!crm_node_equal(n, again) &&
	    !(fuzz_skip("plain-quoted") && fuzz_equal_but_quoted(n, again)))
		fuzz_fail("%s reads back different\n--- written:\n%s", what,
			  sb.buf);
	crm_node_free(again);
	strbuf_release(&sb);
}

/*
 * A note is one line (lib/merge.h), so that `crm sync` prints one line
 * per note: an id or key with a line break in it must not start another.
 */
static void check_notes(const struct crm_merge_result *res)
{
	size_t i;

	if (fuzz_skip("note-lines"))
		return;
	for (i = 0; i < res->nnotes; i++)
		if (strpbrk(res->notes[i].text, "\n\r"))
			fuzz_fail("a note of several lines: %s",
				  res->notes[i].text);
}

/* merge(base, ours, theirs) must be `expect`, untouched. */
static void check_trivial(const struct crm_node *base,
			  const struct crm_node *ours,
			  const struct crm_node *theirs,
			  const struct crm_node *expect, const char *what)
{
	struct crm_merge_result res;
	int rc = crm_merge_records(&res, "fuzz", base, ours, theirs);

	if (rc)
		fuzz_fail("%s failed: %s", what, crm_error_last());
	if (!crm_node_equal(res.merged, expect))
		fuzz_fail("%s is not x", what);
	if (res.theirs_renamed || res.conflicts)
		fuzz_fail("%s: %zu conflicts, %s renamed", what,
			  res.conflicts, res.theirs_renamed ? "theirs" : "none");
	crm_merge_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_node *side[3] = { NULL, NULL, NULL };
	struct crm_merge_result res;
	const char *p = (const char *)data, *end = p + size;
	int i, rc, all_maps = 1, all_valid = 1;

	memset(&res, 0, sizeof(res));
	for (i = 0; i < 3 && p; i++) {
		const char *sep = i < 2 ? memmem(p, (size_t)(end - p), SEP,
						 strlen(SEP)) : NULL;
		size_t len = (size_t)((sep ? sep : end) - p);

		if (!blank(p, len) &&
		    crm_yaml_parse(&side[i], p, len, side_names[i]))
			goto done;
		p = sep ? sep + strlen(SEP) : NULL;
	}
	for (i = 0; i < 3; i++) {
		if (side[i] && side[i]->kind != CRM_NODE_MAP)
			all_maps = 0;
		if (!is_valid(side[i]))
			all_valid = 0;
	}

	rc = crm_merge_records(&res, "fuzz", side[0], side[1], side[2]);
	if (!all_maps) {
		if (rc != CRM_EINVALID)
			fuzz_fail("a version that is not a map gave %d", rc);
		goto done;
	}
	if (rc) {
		if (all_valid)
			fuzz_fail("valid records do not merge: %s",
				  crm_error_last());
		if (res.merged || res.theirs_renamed || res.nnotes)
			fuzz_fail("a failed merge left a result");
		goto done;
	}
	check_notes(&res);
	check_result(res.merged, "merged");
	check_result(res.theirs_renamed, "theirs_renamed");
	if (res.theirs_renamed && (side[0] || !side[1] || !side[2]))
		fuzz_fail("theirs renamed, but the record was not added on "
			  "both sides");
	if (!res.merged && side[1] && side[2])
		fuzz_fail("deleted, but present on both sides");

	if (all_valid) {
		check_trivial(side[0], side[1], side[1], side[1],
			      "merge(base, x, x)");
		check_trivial(side[0], side[2], side[2], side[2],
			      "merge(base, y, y)");
		check_trivial(side[0], side[0], side[2], side[2],
			      "merge(base, base, x)");
		check_trivial(side[0], side[1], side[0], side[1],
			      "merge(base, x, base)");
	}
done:
	crm_merge_result_release(&res);
	for (i = 0; i < 3; i++)
		crm_node_free(side[i]);
	return 0;
}
