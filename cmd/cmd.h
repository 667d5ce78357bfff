#ifndef CRM_CMD_H
#define CRM_CMD_H

#include <stdio.h>

#include "../lib/record.h"
#include "../lib/store.h"
#include "../lib/strbuf.h"

/*
 * Adding a command:
 *  1. cmd/<name>.c with `int cmd_<name>(int argc, char **argv,
 *     struct crm_ctx *ctx)`, its usage lines and an option table;
 *  2. a line in the table in crm.c and the prototype below;
 *  3. man/crm-<name>.1.scd whose SYNOPSIS is the usage lines, verbatim;
 *  4. `make completions` to regenerate completions/ from the tables;
 *  5. tests/tNNNN-<name>.sh, including every error path.
 */

enum cmd_flags {
	NEED_STORE = 1 << 0,	/* open the store before running */
	WRITES = 1 << 1,	/* take the write lock before running */
	PASSTHROUGH = 1 << 2,	/* arguments are not crm's (crm git) */
};

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,		/* int *: set to 1 */
	OPT_STRING,		/* const char **: last one wins */
	OPT_LIST,		/* struct strlist *: every occurrence */
};

/*
 * What a completion offers for an option's value or an argument.  A
 * spec's `args` list ends with COMPLETE_NONE; its last kind repeats.
 */
enum opt_complete {
	COMPLETE_NONE = 0,
	COMPLETE_TEXT,		/* free text: nothing to offer */
	COMPLETE_CUSTOMER,
	COMPLETE_FILE,
	COMPLETE_DIR,
	COMPLETE_STAGE,
	COMPLETE_DEAL,
	COMPLETE_FOLLOWUP,
	COMPLETE_FIELD,
	COMPLETE_TAG,
	COMPLETE_WORDS,		/* the `words` string, space separated */
};

struct strlist {
	const char **items;
	size_t n, alloc;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_release(struct strlist *l);

struct cmd_option {
	char short_name;	/* 0 for none */
	const char *long_name;
	enum opt_type type;
	void *value;
	const char *argh;	/* "<email>"; NULL for flags */
	const char *help;
	enum opt_complete complete;
	const char *words;	/* for COMPLETE_WORDS */
};

#define OPT_END_MARK { 0, NULL, OPT_END, NULL, NULL, NULL, 0, NULL }

/* The JSON / TSV switches every listing command takes. */
enum output_format { FORMAT_HUMAN = 0, FORMAT_JSON, FORMAT_TSV };
#define OPT_JSON(var) { 0, "json", OPT_FLAG, &(var), NULL, \
	"print one JSON array", 0, NULL }
#define OPT_FORMAT(var) { 0, "format", OPT_STRING, &(var), "<format>", \
	"'tsv' for tab-separated values, 'json' for JSON", \
	COMPLETE_WORDS, "tsv json" }

struct crm_ctx {
	const char *store_dir;		/* where the store is (or would be) */
	struct crm_store *store;	/* open if the command needs it */
	int color;			/* stdout is a colour terminal */
	const char *progname;		/* "crm add" */
};

struct cmd_spec {
	const char *name;
	const char *const *usage;	/* usage lines, git's notation */
	const struct cmd_option *options;
	/* what positional arguments complete to, in order; the last repeats */
	const enum opt_complete *args;
	/* "-word" arguments are filters (negated tags), not options */
	int dash_args;
	/* commands with subcommands (crm deal add): NULL-terminated */
	const struct cmd_spec *const *subcommands;
};

/*
 * Parse argv[1..] against `spec`, leaving positionals in `args`.
 * Prints usage for -h (returns 1: the caller exits 0) and a one-line
 * error plus usage for a bad option (returns -1: exit 2).
 */
int cmd_parse(const struct cmd_spec *spec, int argc, char **argv,
	      struct strlist *args, struct crm_ctx *ctx);
/* The exit status for a non-zero cmd_parse() result: 0 after -h, else 2. */
#define CMD_PARSE_EXIT(rc) ((rc) > 0 ? 0 : 2)
void cmd_usage(FILE *out, const struct cmd_spec *spec);
/* Usage error: "crm add: <message>" and the usage lines; returns 2. */
int cmd_usage_error(const struct cmd_spec *spec, struct crm_ctx *ctx,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Report the last lib/ error as "crm: ..." and map it to an exit code. */
int cmd_fail(void);
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set to silence cmd_warn (shell completion must not print). */
extern int cmd_quiet;

/* --json / --format tsv to an output_format; -1 (after an error) if bad. */
int cmd_output_format(int json, const char *format);

/* Colour only when ctx->color. */
const char *color(const struct crm_ctx *ctx, const char *code);
#define C_RESET "\033[m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_CYAN "\033[36m"

/* JSON and TSV writing. */
void json_string(struct strbuf *out, const char *s);
void json_node(struct strbuf *out, const struct crm_node *n);
/* A TSV cell: tabs, newlines and backslashes escaped as \t \n \\. */
void tsv_cell(struct strbuf *out, const char *s);

/* Text padded to `width` terminal columns. */
void pad(struct strbuf *out, const char *s, size_t width);

/* Write `sb` to stdout; returns 1 and reports if stdout failed. */
int flush_stdout(const struct strbuf *sb);
/* Write and empty `out` once it holds a megabyte. */
void flush_if_big(struct strbuf *out);

/*
 * Records and <who>.
 */
/*
 * Visit every record's summary -- the record without its log texts,
 * from the scan cache (lib/scan.h) -- in no particular order.  Broken
 * records are warned about (the first few, then a count) and skipped.
 * Returns the first non-zero result of `fn`.
 */
typedef int (*record_fn)(const char *id, const char *path,
			 const struct crm_node *summary, void *data);
/*
 * `match` (may be NULL) runs first, on several threads at once: it must
 * only read.  Records it returns 0 for never reach `fn`.
 */
typedef int (*record_match_fn)(const struct crm_node *summary, void *data);
int records_each(struct crm_ctx *ctx, record_match_fn match, record_fn fn,
		 void *data);

/*
 * Like records_each without a match, but `fn` runs on the scanning
 * threads at once: it is told its thread (below CRM_SCAN_MAX_THREADS) to
 * keep what it collects apart from the others' without a lock, and is
 * merged after.  For a command that collects many records; it cannot
 * stop the scan.
 */
typedef void (*record_thread_fn)(const char *id, const char *path,
				 const struct crm_node *summary,
				 unsigned thread, void *data);
int records_each_parallel(struct crm_ctx *ctx, record_thread_fn fn,
			  void *data);

/*
 * Resolve <who> to one record's id and path (crm(1): WHO), without
 * parsing it: a record crm cannot read can still be found, to fix it.
 * The caller frees both.  Errors are reported.
 */
int who_find(struct crm_ctx *ctx, const char *who, char **id, char **path);
/*
 * "crm followup delete 3" would be a filter that lists nothing: a first
 * word that is another tool's name for one of `subcommands` (a space-
 * separated list) is refused, saying what to type.  Returns 2 when it
 * refused, else 0.
 */
int refuse_subcommand_synonym(const char *command, const char *word,
			      const char *subcommands);
/* Resolve <who> and load the record.  Errors are reported. */
int who_load(struct crm_record **out, struct crm_ctx *ctx, const char *who);
/* Read the record with `id` at `path`. */
int record_load(struct crm_record **out, struct crm_ctx *ctx, const char *id,
		const char *path);
/*
 * Serialize and commit `r` with `message`.  Returns 0, or an exit
 * code after reporting the error.  Unchanged records are not committed.
 */
int record_save(struct crm_ctx *ctx, struct crm_record *r,
		const char *message);

/* The command table, in crm.c. */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct crm_ctx *ctx);
	unsigned flags;
	const char *summary;
	const struct cmd_spec *spec;
};
struct command_alias {
	const char *alias, *name;
};
extern const struct command commands[];
extern const size_t ncommands;
extern const struct command_alias aliases[];
extern const size_t naliases;
void print_help(FILE *out);

/* Print the bash, zsh or fish completion script made from the tables. */
int completion_script(const char *shell);
/* Print the words completion offers for `kind` (customers, tags, ...). */
int complete_values(struct crm_ctx *ctx, const char *kind);

/* The store's settings (.crm.yml); errors are reported. */
struct crm_config;
int config_load(struct crm_config *cfg, struct crm_ctx *ctx);

/* A deal or follow-up named "<who>/<ref>" (a deal also by its bare id). */
enum entry_kind { ENTRY_DEAL, ENTRY_FOLLOWUP };
int entry_load(struct crm_record **out, struct crm_node **entry,
	       struct crm_ctx *ctx, const char *ref, enum entry_kind kind);

/* The commands. */
int cmd_init(int argc, char **argv, struct crm_ctx *ctx);
int cmd_add(int argc, char **argv, struct crm_ctx *ctx);
int cmd_show(int argc, char **argv, struct crm_ctx *ctx);
int cmd_list(int argc, char **argv, struct crm_ctx *ctx);
int cmd_set(int argc, char **argv, struct crm_ctx *ctx);
int cmd_edit(int argc, char **argv, struct crm_ctx *ctx);
int cmd_rm(int argc, char **argv, struct crm_ctx *ctx);
int cmd_path(int argc, char **argv, struct crm_ctx *ctx);
int cmd_history(int argc, char **argv, struct crm_ctx *ctx);
int cmd_undo(int argc, char **argv, struct crm_ctx *ctx);
int cmd_git(int argc, char **argv, struct crm_ctx *ctx);
int cmd_log(int argc, char **argv, struct crm_ctx *ctx);
int cmd_deal(int argc, char **argv, struct crm_ctx *ctx);
int cmd_followup(int argc, char **argv, struct crm_ctx *ctx);
int cmd_date(int argc, char **argv, struct crm_ctx *ctx);
int cmd_import(int argc, char **argv, struct crm_ctx *ctx);
int cmd_export(int argc, char **argv, struct crm_ctx *ctx);
int cmd_sync(int argc, char **argv, struct crm_ctx *ctx);
int cmd_report(int argc, char **argv, struct crm_ctx *ctx);
int cmd_forget(int argc, char **argv, struct crm_ctx *ctx);
int cmd_clone(int argc, char **argv, struct crm_ctx *ctx);
int cmd_merge_driver(int argc, char **argv, struct crm_ctx *ctx);
int cmd_resolve(int argc, char **argv, struct crm_ctx *ctx);
int cmd_dedupe(int argc, char **argv, struct crm_ctx *ctx);
int cmd_merge(int argc, char **argv, struct crm_ctx *ctx);

extern const struct cmd_spec spec_init, spec_add, spec_show, spec_list,
	spec_set, spec_edit, spec_rm, spec_path, spec_history, spec_undo,
	spec_git, spec_log, spec_deal, spec_followup, spec_date, spec_import,
	spec_export, spec_sync, spec_clone, spec_merge_driver, spec_resolve,
	spec_report, spec_forget, spec_dedupe, spec_merge;

#endif
