/*
** main.c: the command table (sorted), the share and data directories,
** the global options, `help` and `--version` (the program and each
** dataset's rows, period and vintage, from dataset_period/_vintage), and
** the stdout write check on the one way out.  Exit codes: util.h.
*/
#include "tocalc/cmd.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/plot.h"
#include "tocalc/version.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TOCALC_SHAREDIR
#define TOCALC_SHAREDIR "/usr/local/share/tocalc"
#endif

struct cmd_struct {
	const char *name;
	tc_cmd_fn fn;
	const char *help;
	const char *summary;
};

/* Keep sorted by name. */
static const struct cmd_struct commands[] = {
	{ "check", cmd_check, cmd_check_help, "recompute every numeric claim of the documents" },
	{ "data", cmd_data, cmd_data_help, "list, show, validate and import datasets" },
	{ "overdose", cmd_overdose, cmd_overdose_help, "overdose percent changes, sums, trends and joinpoints" },
	{ "plot", cmd_plot, cmd_plot_help, "draw reproducible figures with gnuplot" },
	{ "report", cmd_report, cmd_report_help, "the main job: scenarios, trends, claims and plots" },
	{ "tariff", cmd_tariff, cmd_tariff_help, "tariff what-if scenarios" },
};

static const struct cmd_struct *find_command(const char *name)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* "; did you mean 'tariff'?" for a mistyped command (or ""). */
static const char *command_hint(const char *word, char *buf, size_t size)
{
	const char *names[TC_ARRAY_SIZE(commands) + 2];

	for (size_t i = 0; i < TC_ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[TC_ARRAY_SIZE(commands)] = "help";
	names[TC_ARRAY_SIZE(commands) + 1] = "version";
	tc_suggest(word, names, TC_ARRAY_SIZE(names), NULL, buf, size);
	return buf;
}

static void print_usage(FILE *fp)
{
	fprintf(fp,
		"usage: tocalc [--data-dir DIR] [--json | --csv [--table NAME]] [--quiet] <command> [<args>]\n"
		"       tocalc --help | --version | help <command>\n"
		"\n"
		"tocalc: a tariff what-if and overdose-statistics calculator with sourced data.\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < TC_ARRAY_SIZE(commands); i++)
		fprintf(fp, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
		"\n"
		"common options (before or after the command):\n"
		"   --data-dir DIR   read datasets from DIR (default: $TOCALC_DATA, then the\n"
		"                    datasets/ of the checkout or of the install prefix)\n"
		"   --json, --csv    machine-readable output (default: an aligned table)\n"
		"   --format F       table, csv or json (give only one of --json, --csv, --format)\n"
		"   --table NAME     the table --csv writes (one CSV document is one table;\n"
		"                    default: the command's main table)\n"
		"   --quiet          no progress bars or notes on stderr\n"
		"   --gnuplot-timeout SECONDS\n"
		"                    stop gnuplot (plot, report) after SECONDS, exit 3\n"
		"                    (default 60; 0 for no limit; before the command only)\n"
		"\n"
		"exit codes: 0 ok, 1 bad data or failed computation, 2 usage error,\n"
		"            3 external tool (gnuplot) failure or missing\n"
		"\n"
		"See 'tocalc help <command>' or man tocalc(1).\n");
}

/* Directory of the running executable, or NULL. Caller frees. */
static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

/*
** Find the share directory (holding datasets/ and scenarios/): next to
** the binary in a checkout (also build/<variant>/), or the install prefix.
*/
static char *find_share_dir(void)
{
	static const char *const rel[] = { ".", "../..", "../share/tocalc", "../../.." };
	char *dir = exe_dir();
	char path[PATH_MAX];

	if (dir) {
		for (size_t i = 0; i < TC_ARRAY_SIZE(rel); i++) {
			snprintf(path, sizeof(path), "%s/%s/datasets", dir, rel[i]);
			if (tc_is_dir(path)) {
				snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
				free(dir);
				return realpath(path, NULL);
			}
		}
		free(dir);
	}
	snprintf(path, sizeof(path), "%s/datasets", TOCALC_SHAREDIR);
	if (tc_is_dir(path))
		return xstrdup(TOCALC_SHAREDIR);
	return NULL;
}

/* Standard output was closed when tocalc started (`tocalc ... >&-`). */
static int stdout_closed;

/*
** Reopen any of the descriptors 0, 1, 2 the caller closed, before anything
** else is opened: otherwise the first file tocalc opens would take number 1
** and standard output could land in an output file.  A closed stdout becomes
** /dev/full, so any output fails and is reported at exit (exit 1), and a
** command that prints nothing (plot -o FILE) still succeeds.
*/
static void sanitize_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		nfd = open(fd == 1 ? "/dev/full" : "/dev/null", fd ? O_WRONLY : O_RDONLY);
		if (nfd < 0 && fd == 1)
			nfd = open("/dev/null", O_WRONLY);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
		if (fd == 1)
			stdout_closed = 1;
	}
}

/* The exit status after a failed write to stdout (after git's run_builtin). */
static int check_stdout(int status)
{
	struct stat st;

	if (fstat(fileno(stdout), &st))
		return status;	/* stdout closed and not reopened: nothing was written */
	if (fflush(stdout) || ferror(stdout)) {
		if (stdout_closed) {
			fprintf(stderr, "tocalc: standard output is closed; the output is lost\n");
			return status ? status : TC_EXIT_DATA;
		}
		if (errno == EPIPE || tc_fd_reader_gone(fileno(stdout)))
			return status;
		fprintf(stderr, "tocalc: write failure on standard output: %s\n", strerror(errno));
		return status ? status : TC_EXIT_DATA;
	}
	if (fclose(stdout)) {
		fprintf(stderr, "tocalc: close failure on standard output: %s\n", strerror(errno));
		return status ? status : TC_EXIT_DATA;
	}
	return status;
}

/*
** --version: the program version, then each dataset of the data directory
** with its rows, the period it covers and, where the data carry one, its
** vintage: for overdose_12mo the CDC VSRR download date(s) and the first
** provisional month; for overdose_annual the years of final NCHS data and
** of final CDC WONDER counts.  A dataset that does not load is named, and
** the version still prints (exit 0): `tocalc data validate` diagnoses.
*/
static void dataset_line(const struct dataset_info *d, const struct tcsv_table *t)
{
	char first[64], last[64], vintage[160];

	dataset_period(d, t, first, last, sizeof(first));
	dataset_vintage(d, t, vintage, sizeof(vintage));
	printf("  %-16s %zu rows, ", d->name, t->nrows);
	if (first[0])
		printf("%s to %s", first, last);
	else
		printf("-");
	printf("%s%s\n", vintage[0] ? ", " : "", vintage);
}

static int print_version(const struct tc_ctx *ctx)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);

	printf("tocalc %s\n", TOCALC_VERSION);
	if (!ctx->data_dir)
		return TC_EXIT_OK;
	printf("datasets: %s\n", ctx->data_dir);
	for (size_t i = 0; i < n; i++) {
		struct tcsv_table tab;
		struct tc_err err;

		tc_err_init(&err);
		if (dataset_load(&tab, ctx->data_dir, all[i].name, &err)) {
			printf("  %-16s (does not load; see 'tocalc data validate %s')\n",
			       all[i].name, all[i].name);
			continue;
		}
		dataset_line(&all[i], &tab);
		tcsv_table_release(&tab);
	}
	return TC_EXIT_OK;
}

/* Default data directory: <share>/datasets, unless one was given. */
static void default_data_dir(struct tc_ctx *ctx, const char *share)
{
	static char buf[PATH_MAX];

	if (!ctx->data_dir && share) {
		snprintf(buf, sizeof(buf), "%s/datasets", share);
		ctx->data_dir = buf;
	}
}

/* The value of --name VALUE or --name=VALUE at argv[*i] (advancing *i), or NULL. */
static const char *option_value(int argc, char **argv, int *i, size_t namelen)
{
	const char *a = argv[*i];

	if (a[namelen] == '=')
		return a + namelen + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

/*
** Phase 2: the global options, up to the first non-option (the command).
** *first receives the index of the command.  Returns -1 to go on, or the
** exit status when an option ends the run (--help, --version, an error).
*/
static int global_options(int argc, char **argv, int *first, struct tc_ctx *ctx, const char *share)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_usage(stdout);
			return TC_EXIT_OK;
		} else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			default_data_dir(ctx, share);
			return print_version(ctx);
		} else if (!strcmp(a, "--json") || !strcmp(a, "--csv")) {
			if (tc_set_format(ctx, a[2] == 'j' ? OUT_JSON : OUT_CSV, a))
				return TC_EXIT_USAGE;
		} else if (!strcmp(a, "--table") || !strncmp(a, "--table=", 8)) {
			const char *v = option_value(argc, argv, &i, 7);
			if (!v)
				return tc_usage_error("option '--table' needs a value");
			ctx->table = v;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			ctx->quiet = 1;
		} else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
			const char *v = option_value(argc, argv, &i, 8);
			enum out_format f;
			if (!v || out_format_parse(v, &f))
				return tc_usage_error("--format: expected table, csv or json");
			if (tc_set_format(ctx, f, "--format"))
				return TC_EXIT_USAGE;
		} else if (!strcmp(a, "--data-dir") || !strncmp(a, "--data-dir=", 11)) {
			const char *v = option_value(argc, argv, &i, 10);
			if (!v)
				return tc_usage_error("option '--data-dir' needs a value");
			if (tc_require_dir("--data-dir", v))
				return TC_EXIT_USAGE;
			ctx->data_dir = v;
		} else if (!strcmp(a, "--gnuplot-timeout") || !strncmp(a, "--gnuplot-timeout=", 18)) {
			const char *v = option_value(argc, argv, &i, 17);
			double secs;
			if (!v || tc_parse_double(v, &secs) || !(secs >= 0 && secs <= 1e6))
				return tc_usage_error("--gnuplot-timeout: expected seconds from 0 (no "
						      "limit) to 1000000, got '%s'", v ? v : "");
			plot_run_set_timeout(secs);
		} else {
			static const char *const gopts[] = { "data-dir", "json", "csv", "format", "quiet",
							     "table", "help", "version",
							     "gnuplot-timeout" };
			char hint[160];
			const char *w = a + strspn(a, "-");
			char *word = xstrndup(w, strcspn(w, "="));
			tc_suggest(word, gopts, TC_ARRAY_SIZE(gopts), "--", hint, sizeof(hint));
			free(word);
			return tc_usage_error("unknown option '%s'%s\n"
					      "usage: tocalc [--data-dir DIR] [--json | --csv] [--quiet] <command> [<args>]", a, hint);
		}
	}
	*first = i;
	return -1;
}

/* Phase 3: `help [CMD]`, `version`, or the command argv[0] with its arguments. */
static int run_command(int argc, char **argv, struct tc_ctx *ctx)
{
	const struct cmd_struct *cmd;
	char hint[160];
	int status;

	if (argc < 1) {
		print_usage(stderr);
		return TC_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		if (argc < 2) {
			print_usage(stdout);
			return TC_EXIT_OK;
		}
		if (!(cmd = find_command(argv[1])))
			return tc_usage_error("help: unknown command '%s'%s", argv[1],
					      command_hint(argv[1], hint, sizeof(hint)));
		fputs(cmd->help, stdout);
		return TC_EXIT_OK;
	}
	if (!strcmp(argv[0], "version"))
		return print_version(ctx);
	if (!(cmd = find_command(argv[0])))
		return tc_usage_error("'%s' is not a tocalc command%s; see 'tocalc --help'", argv[0],
				      command_hint(argv[0], hint, sizeof(hint)));
	ctx->cmd_name = cmd->name;
	ctx->help = cmd->help;
	tc_getopt_reset();
	status = cmd->fn(argc, argv, ctx);
	if (status == TC_OPT_HELP)
		status = TC_EXIT_OK;
	tc_getopt_release();
	return status;
}

/*
** Phase 1 sets the process up (standard descriptors, GSL, SIGPIPE) and the
** context (share and data directories); phase 2 reads the global options;
** phase 3 runs the command.  One exit: the stdout write check.
*/
int main(int argc, char **argv)
{
	struct tc_ctx ctx;
	char *share;
	const char *env;
	int first = 1, status = -1;

	sanitize_std_fds();
	gsl_set_error_handler_off();
	/* A closed pipe is an ordinary write error, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);

	memset(&ctx, 0, sizeof(ctx));
	ctx.fmt = OUT_TABLE;
	ctx.cmd_name = "tocalc";
	ctx.stdout_tty = isatty(STDOUT_FILENO);
	ctx.stderr_tty = isatty(STDERR_FILENO);
	share = find_share_dir();
	ctx.share_dir = share;
	env = getenv("TOCALC_DATA");
	if (env && *env) {
		if (tc_require_dir("TOCALC_DATA", env))
			status = TC_EXIT_USAGE;
		ctx.data_dir = env;
	}

	if (status < 0)
		status = global_options(argc, argv, &first, &ctx, share);
	if (status < 0) {
		/* no default: tc_getopt reports it unless the command gets --data-dir */
		default_data_dir(&ctx, share);
		status = run_command(argc - first, argv + first, &ctx);
	}
	free(share);
	return check_stdout(status);
}
