/*
** cmd.h: the command table's contract.
**
** Adding a command (after git's builtin.h):
**  1. write src/cmd_<name>.c defining cmd_<name>() and cmd_<name>_help[];
**  2. declare both below;
**  3. add { "<name>", cmd_<name>, cmd_<name>_help, "summary" } to the sorted
**     table in src/main.c;
**  4. add CLI tests under tests/cli/ and a section to docs/tocalc.1.
**
** A command parses its own flags (with tc_getopt, which also accepts the
** common flags --json, --csv, --format, --data-dir, --quiet, --help),
** loads data, calls a pure model and renders an out_doc on stdout.
** It returns an exit code (enum tc_exit) and prints its own errors.
*/
#ifndef TOCALC_CMD_H
#define TOCALC_CMD_H

#include <getopt.h>
#include "tocalc/util.h"
#include "tocalc/out.h"

struct tc_ctx {
	const char *data_dir;	/* resolved datasets directory (never NULL after main) */
	const char *share_dir;	/* directory holding datasets/ and scenarios/, or NULL */
	enum out_format fmt;	/* --json / --csv / table */
	int quiet;		/* --quiet: no progress bars, no notes on stderr */
	int fmt_set;		/* a format flag was given (--json with --csv is a usage error) */
	const char *table;	/* --table NAME: the table --csv writes (NULL = the main one) */
	int stdout_tty;		/* stdout is a terminal */
	int stderr_tty;		/* stderr is a terminal (progress bars) */
	const char *cmd_name;	/* e.g. "tariff" */
	const char *help;	/* help text of the running command */
};

typedef int (*tc_cmd_fn)(int argc, char **argv, struct tc_ctx *ctx);

/*
** Subcommands (src/cmd_dispatch.c), one idiom for every command that has
** them: a NULL-terminated table, sorted as the help lists them.  fn gets
** argv[0] = the subcommand name, the remaining arguments, and `opts`: the
** command's options parsed before dispatch (a struct of the command's own).
*/
typedef int (*tc_subcommand_fn)(int argc, char **argv, struct tc_ctx *ctx, void *opts);
struct tc_subcommand {
	const char *name;	/* "show" */
	tc_subcommand_fn fn;
	const char *help;	/* one line: "print a dataset" */
};
/* Run the entry named argv[0]; a missing or unknown one is a usage error (exit 2). */
int tc_subcommand_run(const char *cmd, const struct tc_subcommand *subs, int argc, char **argv,
		      struct tc_ctx *ctx, void *opts);
/* The entry named name, or NULL. */
const struct tc_subcommand *tc_subcommand_find(const struct tc_subcommand *subs, const char *name);
/*
** The usage error for a subcommand word that is not in subs (or NULL: none
** given), with a did-you-mean and the list; returns TC_EXIT_USAGE.
*/
int tc_subcommand_unknown(const char *cmd, const struct tc_subcommand *subs, const char *word);

int cmd_check(int argc, char **argv, struct tc_ctx *ctx);
int cmd_data(int argc, char **argv, struct tc_ctx *ctx);
int cmd_overdose(int argc, char **argv, struct tc_ctx *ctx);
/* overdose value|revisions|states (cmd_overdose_vintage.c), entries of cmd_overdose's table. */
int cmd_overdose_value(int argc, char **argv, struct tc_ctx *ctx, void *unused);
int cmd_overdose_revisions(int argc, char **argv, struct tc_ctx *ctx, void *unused);
int cmd_overdose_states(int argc, char **argv, struct tc_ctx *ctx, void *unused);
struct od_select;
/* Check and store --vintage/--state/--indicator; a usage error (message printed) is -1. */
int od_select_opt(struct od_select *sel, const char *flag, const char *arg);
int cmd_plot(int argc, char **argv, struct tc_ctx *ctx);
int cmd_report(int argc, char **argv, struct tc_ctx *ctx);
int cmd_tariff(int argc, char **argv, struct tc_ctx *ctx);
int cmd_tariff_rates(int argc, char **argv, struct tc_ctx *ctx);
/* `tocalc tariff gsim` (src/cmd_tariff_gsim.c), dispatched by cmd_tariff(). */
int cmd_tariff_gsim(int argc, char **argv, struct tc_ctx *ctx);

extern const char cmd_check_help[];
extern const char cmd_data_help[];
extern const char cmd_overdose_help[];
extern const char cmd_plot_help[];
extern const char cmd_report_help[];
extern const char cmd_tariff_help[];
extern const char cmd_tariff_rates_help[];

/*
** A partner argument: CN/MX/CA/ROW, the ISO alpha-3 codes CHN/MEX/CAN and
** the names China, Mexico, Canada, "rest of world" (any case).  Prints a
** usage error naming `flag` and returns -1 when unknown.
*/
int tc_partner_arg(const char *flag, const char *arg, int *k);
extern const char cmd_tariff_gsim_help[];

/* Option codes >= 1000 are reserved for the common flags below. */
enum {
	TC_OPT_JSON = 1000,
	TC_OPT_CSV,
	TC_OPT_FORMAT,
	TC_OPT_DATA_DIR,
	TC_OPT_QUIET,
	TC_OPT_HELP,
	TC_OPT_TABLE,
	TC_OPT_FIRST_FREE = 1100	/* commands number their own long options from here */
};

/*
** getopt_long wrapper for commands: `longopts` lists the command's own
** options (terminated by a zero entry); the common flags are appended.
** Returns like getopt_long, except:
**   - common flags are handled here and skipped (loop continues);
**   - --help prints ctx->help to stdout and returns TC_OPT_HELP;
**   - an unknown flag or missing argument prints
**     "tocalc: <cmd>: unknown option '--x'" and returns '?'.
** Call tc_getopt_reset() before parsing a new argv (tc_getopt does it
** automatically when argv changes).
*/
int tc_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts, struct tc_ctx *ctx);
void tc_getopt_reset(void);
/* Free what tc_getopt allocated (main calls it at exit). */
void tc_getopt_release(void);
/*
** Record an output format flag: a second, different format (--json
** --csv, --csv --format json) is a usage error.  Returns 0 or
** TC_EXIT_USAGE (message printed).
*/
int tc_set_format(struct tc_ctx *ctx, enum out_format fmt, const char *flag);

/* Parse a flag value strictly; print "tocalc: --flag: ..." and return -1 on error. */
int tc_opt_double(const char *flag, const char *arg, double *out);
int tc_opt_long(const char *flag, const char *arg, long *out);
/* A --seed of the GSL mt19937 generator: 1..TC_SEED_MAX (it keeps 32 bits; 0 means 4357). */
#define TC_SEED_MAX 4294967295L
int tc_opt_seed(const char *flag, const char *arg, unsigned long *out);
/* A date flag YYYY-MM-DD; the message says which part is wrong (the range is 1900-2199). */
int tc_opt_date(const char *flag, const char *arg, long *out);
/*
** The value of an input-file flag (or file argument): "-" is standard input,
** returned as "/dev/stdin" so that every reader takes it as a file; only one
** flag of a command may take it.  NULL after a usage error (printed).
*/
const char *tc_input_file(const char *flag, const char *arg);

/* Path of a dataset file in ctx->data_dir ("<dir>/<file>"); caller frees. */
char *tc_data_path(const struct tc_ctx *ctx, const char *file);

/* Render doc on stdout in ctx->fmt; returns an exit code. */
int tc_emit(struct tc_ctx *ctx, struct out_doc *doc);

/* Progress bar on stderr, drawn only when stderr is a terminal and not --quiet. */
struct tc_progress {
	const struct tc_ctx *ctx;
	const char *label;
	long total, last_drawn;
	int active;
};
void tc_progress_start(struct tc_progress *p, const struct tc_ctx *ctx, const char *label, long total);
void tc_progress_update(struct tc_progress *p, long done);
void tc_progress_done(struct tc_progress *p);

/* Directory of the shipped scenario files: <share_dir>/scenarios, or NULL when
** the share directory is unknown.  The caller frees it. */
char *report_scenario_dir(const struct tc_ctx *ctx);
#endif
