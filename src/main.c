/*
** main.c: global options, the sorted command table, data-directory
** discovery and the stdout write check at exit.
*/
#include "tocalc/cmd.h"
#include "tocalc/version.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
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

static void print_usage(FILE *fp)
{
	fprintf(fp,
		"usage: tocalc [--data-dir DIR] [--json | --csv] [--quiet] <command> [<args>]\n"
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
		"   --format F       table, csv or json\n"
		"   --quiet          no progress bars or notes on stderr\n"
		"\n"
		"exit codes: 0 ok, 1 bad data or failed computation, 2 usage error,\n"
		"            3 external tool (gnuplot) failure or missing\n"
		"\n"
		"See 'tocalc help <command>' or man tocalc(1).\n");
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
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
			if (is_dir(path)) {
				snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
				free(dir);
				return realpath(path, NULL);
			}
		}
		free(dir);
	}
	snprintf(path, sizeof(path), "%s/datasets", TOCALC_SHAREDIR);
	if (is_dir(path))
		return xstrdup(TOCALC_SHAREDIR);
	return NULL;
}

/* Exit status for a failed write to stdout (after git's run_builtin). */
static int check_stdout(int status)
{
	struct stat st;

	if (fstat(fileno(stdout), &st))
		return status;	/* stdout closed: nothing was written */
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
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

int tocalc_print_version(const struct tc_ctx *ctx);

int main(int argc, char **argv)
{
	struct tc_ctx ctx;
	const struct cmd_struct *cmd;
	char *share = NULL;
	const char *env;
	int status;

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
		if (!is_dir(env)) {
			free(share);
			return tc_usage_error("TOCALC_DATA: '%s' is not a directory", env);
		}
		ctx.data_dir = env;
	}

	/* Global options stop at the first non-option (the command). */
	{
		int i = 1;
		for (; i < argc && argv[i][0] == '-'; i++) {
			const char *a = argv[i];
			if (!strcmp(a, "--")) {
				i++;
				break;
			} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
				print_usage(stdout);
				free(share);
				return check_stdout(TC_EXIT_OK);
			} else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
				if (!ctx.data_dir && share) {
					static char dbuf[PATH_MAX];
					snprintf(dbuf, sizeof(dbuf), "%s/datasets", share);
					ctx.data_dir = dbuf;
				}
				status = tocalc_print_version(&ctx);
				free(share);
				return check_stdout(status);
			} else if (!strcmp(a, "--json")) {
				ctx.fmt = OUT_JSON;
			} else if (!strcmp(a, "--csv")) {
				ctx.fmt = OUT_CSV;
			} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
				ctx.quiet = 1;
			} else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
				const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
				if (!v || out_format_parse(v, &ctx.fmt)) {
					free(share);
					return tc_usage_error("--format: expected table, csv or json");
				}
			} else if (!strcmp(a, "--data-dir") || !strncmp(a, "--data-dir=", 11)) {
				const char *v = a[10] == '=' ? a + 11 : (i + 1 < argc ? argv[++i] : NULL);
				if (!v) {
					free(share);
					return tc_usage_error("option '--data-dir' needs a value");
				}
				if (!is_dir(v)) {
					free(share);
					return tc_usage_error("--data-dir: '%s' is not a directory", v);
				}
				ctx.data_dir = v;
			} else {
				free(share);
				return tc_usage_error("unknown option '%s'\n"
						      "usage: tocalc [--data-dir DIR] [--json | --csv] <command> [<args>]", a);
			}
		}
		argc -= i;
		argv += i;
	}

	if (argc < 1) {
		print_usage(stderr);
		free(share);
		return TC_EXIT_USAGE;
	}

	static char default_data[PATH_MAX];
	if (!ctx.data_dir) {
		if (!share) {
			free(share);
			return tc_usage_error("cannot find the datasets directory; use --data-dir DIR or set TOCALC_DATA");
		}
		snprintf(default_data, sizeof(default_data), "%s/datasets", share);
		ctx.data_dir = default_data;
	}

	if (!strcmp(argv[0], "help")) {
		if (argc < 2) {
			print_usage(stdout);
			status = TC_EXIT_OK;
		} else if ((cmd = find_command(argv[1]))) {
			fputs(cmd->help, stdout);
			status = TC_EXIT_OK;
		} else {
			status = tc_usage_error("help: unknown command '%s'", argv[1]);
		}
		free(share);
		return check_stdout(status);
	}
	if (!strcmp(argv[0], "version")) {
		status = tocalc_print_version(&ctx);
		free(share);
		return check_stdout(status);
	}

	cmd = find_command(argv[0]);
	if (!cmd) {
		tc_usage_error("'%s' is not a tocalc command; see 'tocalc --help'", argv[0]);
		free(share);
		return TC_EXIT_USAGE;
	}
	ctx.cmd_name = cmd->name;
	ctx.help = cmd->help;
	tc_getopt_reset();
	status = cmd->fn(argc, argv, &ctx);
	if (status == TC_OPT_HELP)
		status = TC_EXIT_OK;
	tc_getopt_release();
	free(share);
	return check_stdout(status);
}
