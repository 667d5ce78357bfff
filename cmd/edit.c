#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm edit <who>",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_NONE };

const struct cmd_spec spec_edit = { "edit", usage, options, args_complete, 0 };

static const char *editor(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/* Run the editor as git does: through the shell, so EDITOR may hold
 * arguments ("code --wait"), with the file as "$1". */
static int run_editor(const char *file)
{
	struct strbuf cmd = STRBUF_INIT;
	pid_t pid;
	int status;

	strbuf_addf(&cmd, "%s \"$@\"", editor());
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot start the editor");
		strbuf_release(&cmd);
		return CRM_ERROR;
	}
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd.buf, editor(), file,
		      (char *)NULL);
		_exit(127);
	}
	strbuf_release(&cmd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			crm_error_set_errno(CRM_ERROR, "cannot wait for the editor");
			return CRM_ERROR;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		crm_error_set(CRM_ERROR, "the editor '%s' failed; nothing changed",
			      editor());
		return CRM_ERROR;
	}
	return 0;
}

static int read_all(struct strbuf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t n;

	if (!f) {
		crm_error_set_errno(CRM_ERROR, "cannot read '%s'", path);
		return CRM_ERROR;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
	return 0;
}

static int ask_again(void)
{
	char answer[16];

	if (!isatty(0) || !isatty(2))
		return 0;
	fputs("Edit again? [Y/n] ", stderr);
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	return answer[0] != 'n' && answer[0] != 'N';
}

int cmd_edit(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf original = STRBUF_INIT, edited = STRBUF_INIT;
	struct strbuf original_now = STRBUF_INIT;
	struct strbuf tmp = STRBUF_INIT, msg = STRBUF_INIT;
	struct crm_record *checked = NULL;
	char *id = NULL, *path = NULL;
	struct crm_change change;
	int rc, fd = -1;

	rc = cmd_parse(&spec_edit, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_edit, ctx, "give one customer");
		goto done;
	}
	/* not parsed: editing is how a broken record gets fixed */
	if ((rc = who_find(ctx, args.items[0], &id, &path)))
		goto done;
	if (crm_store_read_file(&original, ctx->store, path)) {
		rc = cmd_fail();
		goto done;
	}
	/* the copy lives in .git, private, never in the working tree */
	strbuf_addf(&tmp, "%scrm-edit-%s-XXXXXX.yml",
		    crm_store_gitdir(ctx->store), id);
	fd = mkstemps(tmp.buf, 4);
	if (fd < 0 || write(fd, original.buf, original.len) !=
		      (ssize_t)original.len || close(fd)) {
		cmd_error("cannot write '%s': %s", tmp.buf, strerror(errno));
		rc = 1;
		goto done;
	}
	for (;;) {
		if (run_editor(tmp.buf)) {
			rc = cmd_fail();
			goto done;
		}
		strbuf_reset(&edited);
		if (read_all(&edited, tmp.buf)) {
			rc = cmd_fail();
			goto done;
		}
		crm_record_free(checked);
		checked = NULL;
		if (!crm_record_parse(&checked, id, path, edited.buf,
				      edited.len) &&
		    !crm_record_check_values(checked->root, path))
			break;
		cmd_error("%s", crm_error_last());
		if (!ask_again()) {
			cmd_error("nothing changed; your edit is kept in %s",
				  tmp.buf);
			strbuf_reset(&tmp);	/* keep it for the user */
			rc = 1;
			goto done;
		}
	}
	if (edited.len == original.len &&
	    !memcmp(edited.buf, original.buf, edited.len)) {
		fprintf(stderr, "crm: nothing changed\n");
		goto done;
	}
	/*
	 * The lock is taken only now, not while the editor is open (a cron
	 * job must not wait on a person); so check nobody changed the
	 * record meanwhile, and refuse rather than overwrite their change.
	 */
	strbuf_reset(&original_now);
	if (crm_store_lock(ctx->store) ||
	    crm_store_read_file(&original_now, ctx->store, path)) {
		rc = cmd_fail();
		goto done;
	}
	if (original_now.len != original.len ||
	    memcmp(original_now.buf, original.buf, original.len)) {
		cmd_error("%s changed while you were editing; your edit is "
			  "kept in %s", path, tmp.buf);
		strbuf_reset(&tmp);
		rc = 1;
		goto done;
	}
	strbuf_addf(&msg, "crm: edit %s", id);
	change.path = path;
	change.data = edited.buf;
	change.len = edited.len;
	rc = crm_store_commit(ctx->store, &change, 1, msg.buf);
	if (rc == CRM_EUNCHANGED)
		rc = 0;
	else if (rc)
		rc = cmd_fail();
done:
	if (tmp.len)
		unlink(tmp.buf);
	free(id);
	free(path);
	crm_record_free(checked);
	strlist_release(&args);
	strbuf_release(&original);
	strbuf_release(&original_now);
	strbuf_release(&edited);
	strbuf_release(&tmp);
	strbuf_release(&msg);
	return rc;
}
