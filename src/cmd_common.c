/*
** cmd_common.c: what every command shares: option parsing with the
** common flags, strict flag values, dataset paths, rendering on stdout,
** progress bars.
*/
#include "tocalc/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
** getopt state shared by tc_getopt.  Options may follow positional
** arguments whatever the environment: glibc stops at the first positional
** when POSIXLY_CORRECT is set, so tc_getopt asks for them in order ('-'
** first in the optstring: each comes back as option 1) and moves them
** behind the options itself, as glibc's default permutation does.
*/
static char **getopt_argv;
static struct option *tc_merged_opts;
static char **positional;
static size_t npositional, cap_positional;
static const char *stdin_taken;	/* the flag that reads standard input ("-") */

void tc_getopt_reset(void)
{
	optind = 0;	/* glibc: full re-initialisation */
	getopt_argv = NULL;
	npositional = 0;
	stdin_taken = NULL;
}

const char *tc_input_file(const char *flag, const char *arg)
{
	if (strcmp(arg, "-"))
		return arg;
	if (stdin_taken) {
		tc_usage_error("%s -: standard input is already the input of %s (it can be read once)",
			       flag, stdin_taken);
		return NULL;
	}
	stdin_taken = flag;
	/* every reader opens a path: standard input as a file, in messages too */
	return "/dev/stdin";
}

/* At the end: argv = options (and "--"), then positionals, then what followed "--". */
static void move_positionals(int argc, char **argv)
{
	char **opts = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t no = 0, k;
	int end = optind;

	for (int i = 1; i < end; i++) {
		for (k = 0; k < npositional && positional[k] != argv[i]; k++)
			;
		if (k == npositional)
			opts[no++] = argv[i];
	}
	for (k = 0; k < no; k++)
		argv[1 + k] = opts[k];
	for (k = 0; k < npositional; k++)
		argv[1 + no + k] = positional[k];
	optind = 1 + (int)no;
	free(opts);
	npositional = 0;
}

static const struct option common_longopts[] = {
	{ "json", no_argument, NULL, TC_OPT_JSON },
	{ "csv", no_argument, NULL, TC_OPT_CSV },
	{ "format", required_argument, NULL, TC_OPT_FORMAT },
	{ "data-dir", required_argument, NULL, TC_OPT_DATA_DIR },
	{ "quiet", no_argument, NULL, TC_OPT_QUIET },
	{ "help", no_argument, NULL, TC_OPT_HELP },
	{ "table", required_argument, NULL, TC_OPT_TABLE },
};

int tc_set_format(struct tc_ctx *ctx, enum out_format fmt, const char *flag)
{
	static const char *const names[] = { "table", "csv", "json" };

	if (ctx->fmt_set && ctx->fmt != fmt)
		return tc_usage_error("%s: the output is already %s; give one of --json, --csv and "
				      "--format", flag, names[ctx->fmt]);
	ctx->fmt = fmt;
	ctx->fmt_set = 1;
	return 0;
}

/* "; did you mean '--series'?" for an unknown long option (or ""). */
static const char *option_hint(const char *arg, char *buf, size_t size)
{
	const char *w = arg + strspn(arg, "-");
	size_t n = 0;
	const char **names;
	char *word;

	buf[0] = '\0';
	if (strncmp(arg, "--", 2))
		return buf;
	while (tc_merged_opts && tc_merged_opts[n].name)
		n++;
	names = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		names[i] = tc_merged_opts[i].name;
	word = xstrndup(w, strcspn(w, "="));
	tc_suggest(word, names, n, "--", buf, size);
	free(word);
	free(names);
	return buf;
}


int tc_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts, struct tc_ctx *ctx)
{
	size_t n = 0;
	int c;

	if (argv != getopt_argv) {
		optind = 0;
		getopt_argv = argv;
		npositional = 0;
	}
	while (longopts && longopts[n].name)
		n++;
	free(tc_merged_opts);
	tc_merged_opts = xcalloc(n + TC_ARRAY_SIZE(common_longopts) + 1, sizeof(*tc_merged_opts));
	if (n)
		memcpy(tc_merged_opts, longopts, n * sizeof(*tc_merged_opts));
	memcpy(tc_merged_opts + n, common_longopts, sizeof(common_longopts));
	opterr = 0;
	for (;;) {
		int idx = -1;
		char sopts[128];

		/* -q and -h work after the command as before it */
		snprintf(sopts, sizeof(sopts), "-:%sqh", shortopts ? shortopts : "");
		c = getopt_long(argc, argv, sopts, tc_merged_opts, &idx);
		if (c == 'q')
			c = TC_OPT_QUIET;
		else if (c == 'h')
			c = TC_OPT_HELP;
		switch (c) {
		case 1:		/* a positional argument (the '-' rule above) */
			positional = xgrow(positional, &cap_positional, npositional + 1,
					   sizeof(*positional));
			positional[npositional++] = optarg;
			continue;
		case TC_OPT_JSON:
			if (tc_set_format(ctx, OUT_JSON, "--json"))
				return '?';
			continue;
		case TC_OPT_CSV:
			if (tc_set_format(ctx, OUT_CSV, "--csv"))
				return '?';
			continue;
		case TC_OPT_FORMAT: {
			enum out_format f;
			if (out_format_parse(optarg, &f)) {
				tc_usage_error("%s: --format: expected table, csv or json, got '%s'",
					       ctx->cmd_name, optarg);
				return '?';
			}
			if (tc_set_format(ctx, f, "--format"))
				return '?';
			continue;
		}
		case TC_OPT_TABLE:
			ctx->table = optarg;
			continue;
		case TC_OPT_DATA_DIR:
			if (tc_require_dir("--data-dir", optarg))
				return '?';
			ctx->data_dir = optarg;
			continue;
		case TC_OPT_QUIET:
			ctx->quiet = 1;
			continue;
		case TC_OPT_HELP:
			fputs(ctx->help ? ctx->help : "", stdout);
			return TC_OPT_HELP;
		case '?':
			if (optopt && optopt < 256 && optopt != '?')
				tc_usage_error("%s: unknown option '-%c'", ctx->cmd_name, optopt);
			else {
				char hint[300];
				tc_usage_error("%s: unknown option '%s'%s", ctx->cmd_name, argv[optind - 1],
					       option_hint(argv[optind - 1], hint, sizeof(hint)));
			}
			return '?';
		case ':':
			tc_usage_error("%s: option '%s' needs a value", ctx->cmd_name,
				       argv[optind - 1]);
			return '?';
		case -1:
			move_positionals(argc, argv);
			/*
			 * main leaves data_dir NULL when no default exists (a binary
			 * moved away from its datasets), so that --data-dir after the
			 * command still works; without one, say so here.
			 */
			if (!ctx->data_dir) {
				tc_usage_error("cannot find the datasets directory; use --data-dir DIR or set TOCALC_DATA");
				return '?';
			}
			return -1;
		default:
			return c;
		}
	}
}

int tc_opt_double(const char *flag, const char *arg, double *out)
{
	if (tc_parse_double(arg, out)) {
		tc_usage_error("%s: expected a number, got '%s'", flag, arg);
		return -1;
	}
	return 0;
}

/* "DDDD-DD-DD": the shape of a date, whatever the numbers. */
int tc_opt_date(const char *flag, const char *arg, long *out)
{
	char why[160];

	switch (tc_date_why(arg, why, sizeof(why))) {
	case 0:
		return tc_parse_date(arg, out);
	case TC_DATE_SHAPE:
		tc_usage_error("%s: %s, got '%s'", flag, why, arg);
		return -1;
	default:
		tc_usage_error("%s: '%s' %s", flag, arg, why);
		return -1;
	}
}

int tc_opt_seed(const char *flag, const char *arg, unsigned long *out)
{
	long l;

	/* gsl_rng_set(mt19937) keeps 32 bits (2^32 + 1 would be 1) and maps 0 to 4357 */
	if (tc_parse_long(arg, &l) || l < 1 || l > TC_SEED_MAX) {
		tc_usage_error("%s: expected a seed from 1 to %ld (the mt19937 generator takes 32 bits; "
			       "0 would be its default 4357), got '%s'", flag, TC_SEED_MAX, arg);
		return -1;
	}
	*out = (unsigned long)l;
	return 0;
}

int tc_opt_long(const char *flag, const char *arg, long *out)
{
	if (tc_parse_long(arg, out)) {
		tc_usage_error("%s: expected an integer, got '%s'", flag, arg);
		return -1;
	}
	return 0;
}

char *tc_data_path(const struct tc_ctx *ctx, const char *file)
{
	size_t n = strlen(ctx->data_dir) + strlen(file) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", ctx->data_dir, file);
	return p;
}

int tc_emit(struct tc_ctx *ctx, struct out_doc *doc)
{
	struct tc_err err;

	struct out_opts o;

	tc_err_init(&err);
	o.table = ctx->table;
	o.notes = ctx->quiet ? NULL : stderr;
	if (out_doc_write_opts(doc, ctx->fmt, stdout, &o, &err))
		return tc_report(&err);
	return TC_EXIT_OK;
}

void tc_progress_start(struct tc_progress *p, const struct tc_ctx *ctx, const char *label, long total)
{
	p->ctx = ctx;
	p->label = label;
	p->total = total > 0 ? total : 1;
	p->last_drawn = -1;
	p->active = ctx && ctx->stderr_tty && !ctx->quiet;
}

void tc_progress_update(struct tc_progress *p, long done)
{
	long pct;
	int width = 30, fill;

	if (!p->active)
		return;
	pct = done * 100 / p->total;
	if (pct == p->last_drawn)
		return;
	p->last_drawn = pct;
	fill = (int)(pct * width / 100);
	fprintf(stderr, "\r%s [", p->label);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3ld%%", pct);
	fflush(stderr);
}

void tc_progress_done(struct tc_progress *p)
{
	if (!p->active)
		return;
	/* blank the bar with spaces: no terminal escape sequences at all */
	fprintf(stderr, "\r%*s\r", (int)strlen(p->label) + 40, "");
	fflush(stderr);
	p->active = 0;
}


void tc_getopt_release(void)
{
	free(tc_merged_opts);
	tc_merged_opts = NULL;
	free(positional);
	positional = NULL;
	npositional = cap_positional = 0;
}

/* Directory of the shipped scenario files (cmd.h): <share>/scenarios, or NULL without a share directory; the caller frees. */
char *report_scenario_dir(const struct tc_ctx *ctx)
{
	size_t n;
	char *p;

	if (!ctx->share_dir)
		return NULL;
	n = strlen(ctx->share_dir) + sizeof("/scenarios");
	p = xmalloc(n);
	snprintf(p, n, "%s/scenarios", ctx->share_dir);
	return p;
}
