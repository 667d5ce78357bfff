#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/merge.h"
#include "../lib/util.h"
#include "../lib/yaml.h"

static const char *const usage[] = {
	"crm merge-driver <base> <ours> <theirs> [<path>]",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_FILE, COMPLETE_NONE };

const struct cmd_spec spec_merge_driver = { "merge-driver", usage, options,
					    args_complete, 0, NULL };

static int read_version(struct crm_node **out, const char *file,
			const char *name)
{
	struct strbuf buf = STRBUF_INIT;
	FILE *f = fopen(file, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	*out = NULL;
	if (!f) {
		crm_error_set_errno(CRM_ERROR, "cannot read '%s'", file);
		return CRM_ERROR;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		strbuf_add(&buf, chunk, n);
		if (buf.len > CRM_YAML_MAX_SIZE)
			break;
	}
	fclose(f);
	/* git gives an empty file for a side that has no version */
	if (buf.len)
		rc = crm_yaml_parse(out, buf.buf, buf.len, name);
	strbuf_release(&buf);
	return rc;
}

/*
 * git's merge driver for records (.gitattributes: merge=crm): the same
 * field-by-field merge as crm sync.  The result is always a valid
 * record written over <ours>; a field both sides changed keeps ours and
 * records theirs under `conflicts`, and a different customer added on
 * the other side under the same id is kept whole there as "(record)".
 * Exit 0 means merged; 1 means git should treat it as a conflict (a
 * version that is not a valid record).
 */
int cmd_merge_driver(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_node *v[3] = { NULL, NULL, NULL };
	struct crm_merge_result res;
	struct strbuf out = STRBUF_INIT, id = STRBUF_INIT;
	const char *name;
	size_t i;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = cmd_parse(&spec_merge_driver, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n < 3 || args.n > 4) {
		rc = cmd_usage_error(&spec_merge_driver, ctx,
				     "git gives %%O %%A %%B %%P");
		goto done;
	}
	name = args.n == 4 ? args.items[3] : args.items[1];
	for (i = 0; i < 3; i++)
		if (read_version(&v[i], args.items[i], name)) {
			rc = cmd_fail();
			goto done;
		}
	if (crm_map_get_str(v[1], "id"))
		strbuf_addstr(&id, crm_map_get_str(v[1], "id"));
	else
		strbuf_addstr(&id, name);
	if (crm_merge_records(&res, id.buf, v[0], v[1], v[2])) {
		rc = cmd_fail();
		goto done;
	}
	if (!res.merged) {
		/* deleted on both sides: git does not ask a driver for that */
		cmd_error("%s: the merge removes the record; resolve with git rm",
			  name);
		rc = 1;
		goto done;
	}
	if (res.theirs_renamed) {
		struct crm_node *conflicts = crm_map_get(res.merged, "conflicts");
		struct crm_node *entry = crm_node_new_map();

		if (!conflicts) {
			conflicts = crm_node_new_seq(0);
			crm_map_set(res.merged, "conflicts", conflicts);
		}
		crm_map_set(entry, "field", crm_node_new_str("(record)"));
		crm_map_set(entry, "theirs", res.theirs_renamed);
		res.theirs_renamed = NULL;
		crm_seq_append(conflicts, entry);
		res.conflicts++;
		fprintf(stderr, "crm: %s: a different customer was added with "
			"the same id on the other side; kept under 'conflicts' "
			"as (record): crm resolve %s\n", name, id.buf);
	}
	for (i = 0; i < res.nnotes; i++)
		fprintf(stderr, "crm: %s\n", res.notes[i].text);
	if (crm_yaml_emit(&out, res.merged) ||
	    crm_write_file_atomic(args.items[1], out.buf, out.len)) {
		rc = cmd_fail();
		goto done;
	}
done:
	crm_merge_result_release(&res);
	for (i = 0; i < 3; i++)
		crm_node_free(v[i]);
	strlist_release(&args);
	strbuf_release(&out);
	strbuf_release(&id);
	return rc;
}
