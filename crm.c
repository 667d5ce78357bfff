/*
 * crm: a command-line CRM whose customers are YAML files in a git
 * repository.  main() handles the global options, finds the store,
 * dispatches to cmd/ and turns the result into an exit status.
 */
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/error.h"
#include "lib/util.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0.1"
#endif

const struct command commands[] = {
	{ "init", cmd_init, 0, "make a store (a git repository and .crm.yml)",
	  &spec_init },
	{ "add", cmd_add, NEED_STORE | WRITES, "add a customer", &spec_add },
	{ "show", cmd_show, NEED_STORE, "show a customer's card and timeline",
	  &spec_show },
	{ "list", cmd_list, NEED_STORE, "list customers, one per line",
	  &spec_list },
	{ "set", cmd_set, NEED_STORE | WRITES, "change fields of a customer",
	  &spec_set },
	{ "edit", cmd_edit, NEED_STORE,
	  "edit a customer's YAML in $EDITOR", &spec_edit },
	{ "rm", cmd_rm, NEED_STORE | WRITES,
	  "delete a customer (history keeps it)", &spec_rm },
	{ "path", cmd_path, NEED_STORE, "print a customer's file path",
	  &spec_path },
	{ "forget", cmd_forget, NEED_STORE,
	  "erase a person: record, mentions and, if asked, history",
	  &spec_forget },
	{ "history", cmd_history, NEED_STORE,
	  "what changed in a customer, when, by whom", &spec_history },
	{ "undo", cmd_undo, NEED_STORE | WRITES,
	  "revert the last crm change (as a new commit)", &spec_undo },
	{ "log", cmd_log, NEED_STORE, "log an interaction, or read the timeline",
	  &spec_log },
	{ "deal", cmd_deal, NEED_STORE, "add and move deals; the pipeline",
	  &spec_deal },
	{ "followup", cmd_followup, NEED_STORE,
	  "follow-ups: add, done, snooze; what is due", &spec_followup },
	{ "report", cmd_report, NEED_STORE,
	  "pipeline, forecast, won and lost, activity, stale, funnel",
	  &spec_report },
	{ "import", cmd_import, NEED_STORE,
	  "import customers from CSV or vCard, in one commit", &spec_import },
	{ "dedupe", cmd_dedupe, NEED_STORE,
	  "list customers who are likely the same person", &spec_dedupe },
	{ "merge", cmd_merge, NEED_STORE | WRITES,
	  "merge two customers into one", &spec_merge },
	{ "export", cmd_export, NEED_STORE,
	  "export customers, deals, log or follow-ups (CSV, JSON, vCard, ICS)",
	  &spec_export },
	{ "clone", cmd_clone, 0, "clone a teammate's store", &spec_clone },
	{ "sync", cmd_sync, NEED_STORE,
	  "fetch, merge record by record, push", &spec_sync },
	{ "resolve", cmd_resolve, NEED_STORE,
	  "show or settle the conflicts a merge kept in a record",
	  &spec_resolve },
	{ "merge-driver", cmd_merge_driver, 0,
	  "git's merge driver for records (set up by init and clone)",
	  &spec_merge_driver },
	{ "date", cmd_date, 0, "show how a date expression reads", &spec_date },
	{ "git", cmd_git, NEED_STORE | PASSTHROUGH, "run git inside the store",
	  &spec_git },
};

const struct command_alias aliases[] = {
	{ "ls", "list" },
};
const size_t ncommands = ARRAY_SIZE(commands);
const size_t naliases = ARRAY_SIZE(aliases);

static const char *const main_usage[] = {
	"crm [-C <dir>] <command> [<args>]",
	"crm (-h | --help | --version)",
	NULL,
};

void print_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s\n   or: %s\n\n", main_usage[0], main_usage[1]);
	fputs("Customers are YAML files in a git repository; every change is "
	      "one commit.\n\nCommands:\n", out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "    %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nOptions:\n"
	      "    -C <dir>     use the store in <dir> (default: $CRM_DIR,\n"
	      "                 then $XDG_DATA_HOME/crm, then "
	      "~/.local/share/crm)\n"
	      "    --version    print the version\n"
	      "\n'crm <command> -h' shows a command's options; "
	      "'man crm-<command>' tells more.\n", out);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int want_color(void)
{
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		return 0;
	return isatty(1) && term && strcmp(term, "dumb");
}

/*
 * crm runs for well under a second: memory it frees is better kept for
 * its next allocation than handed back to the kernel and faulted in
 * again, which glibc does by default past 128 KB (and a page fault is
 * dear on a virtual machine).  A scan of 100,000 records frees and takes
 * back its per-shard buffers 256 times.  (With mimalloc, the default
 * build, glibc's malloc serves nothing and these settings do nothing.)
 */
static void keep_freed_memory(void)
{
#ifndef CRM_MIMALLOC
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

int main(int argc, char **argv)
{
	struct crm_ctx ctx;
	struct strbuf dir = STRBUF_INIT, progname = STRBUF_INIT;
	const struct command *cmd;
	const char *dir_option = NULL;
	int i, rc;

	setlocale(LC_ALL, "");
	keep_freed_memory();
	/* a closed pipe (crm list | head) ends output quietly */
	signal(SIGPIPE, SIG_DFL);
	memset(&ctx, 0, sizeof(ctx));

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				cmd_error("-C needs a directory");
				return 2;
			}
			dir_option = argv[++i];
		} else if (!strncmp(argv[i], "-C", 2)) {
			dir_option = argv[i] + 2;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("crm %s\n", CRM_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--completion")) {
			if (i + 1 >= argc) {
				cmd_error("--completion needs bash, zsh or fish");
				return 2;
			}
			return completion_script(argv[i + 1]);
		} else if (!strcmp(argv[i], "--complete-values")) {
			if (i + 1 >= argc)
				return 2;
			rc = 0;
			if (!crm_store_locate(&dir, dir_option) &&
			    !crm_store_open(&ctx.store, dir.buf))
				rc = complete_values(&ctx, argv[i + 1]);
			goto done;
		} else {
			cmd_error("unknown option '%s'", argv[i]);
			print_help(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return 2;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		cmd_error("'%s' is not a crm command; see 'crm --help'", argv[i]);
		return 2;
	}
	strbuf_addf(&progname, "crm %s", cmd->name);
	ctx.progname = progname.buf;
	ctx.color = want_color();
	if (crm_store_locate(&dir, dir_option)) {
		rc = cmd_fail();
		goto done;
	}
	ctx.store_dir = dir.buf;
	if (cmd->flags & NEED_STORE) {
		int wants_help = 0, j;

		/* -h must work outside a store; git's own -h goes to git */
		for (j = i + 1; j < argc && strcmp(argv[j], "--"); j++)
			if ((!strcmp(argv[j], "-h") ||
			     !strcmp(argv[j], "--help")) &&
			    (!(cmd->flags & PASSTHROUGH) || j == i + 1))
				wants_help = 1;
		if (!wants_help) {
			if (crm_store_open(&ctx.store, dir.buf) ||
			    crm_store_recover(ctx.store) ||
			    ((cmd->flags & WRITES) && crm_store_lock(ctx.store))) {
				rc = cmd_fail();
				goto done;
			}
		}
	}
	rc = cmd->fn(argc - i, argv + i, &ctx);
	if (!rc && (fflush(stdout) || ferror(stdout)) && errno != EPIPE) {
		cmd_error("cannot write output: %s", strerror(errno));
		rc = 1;
	}
done:
	crm_store_free(ctx.store);
	crm_store_library_shutdown();
	strbuf_release(&dir);
	strbuf_release(&progname);
	return rc;
}
