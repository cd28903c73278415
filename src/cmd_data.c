/*
** cmd_data.c: `tocalc data list|show|validate|import-vsrr`, and the
** data vintages printed by --version.
*/
#include "tocalc/cmd.h"
#include "tocalc/datasets.h"
#include "tocalc/version.h"
#include "tocalc/vsrr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cmd_data_help[] =
	"usage: tocalc data list\n"
	"       tocalc data show NAME [--limit N]\n"
	"       tocalc data validate [NAME...]\n"
	"       tocalc data import-vsrr FILE [-o OUT] [--vintage YYYY-MM-DD] [--source-id ID]\n"
	"\n"
	"Inspect and check the datasets tocalc computes from.\n"
	"\n"
	"  list          each dataset: rows, period covered, sources cited\n"
	"  show NAME     print a dataset (all columns); NAME as in 'list'\n"
	"  validate      load every dataset (or the NAMEs given) strictly and check\n"
	"                that every cited source exists, values and sources come\n"
	"                together and series have no gaps; exit 1 on the first problem\n"
	"  import-vsrr   read CDC's raw VSRR download (data.cdc.gov xkb8-kh2a, every state\n"
	"                and indicator, quoted numbers with thousands separators) and\n"
	"                write overdose_12mo.csv: US 12 month-ending counts, reported and\n"
	"                predicted, for all drugs and synthetic opioids (T40.4)\n"
	"\n"
	"options:\n"
	"  --limit N            show at most N rows\n"
	"  -o, --output FILE    import-vsrr: where to write (default: <data-dir>/overdose_12mo.csv;\n"
	"                       '-' for stdout); written atomically\n"
	"  --vintage DATE       import-vsrr: the download date (default: from a file name\n"
	"                       that starts with YYYYMMDD_, as CDC names them)\n"
	"  --source-id ID       import-vsrr: the sources.csv id to cite (default cdc-vsrr)\n"
	"  --json, --csv        machine-readable output (import-vsrr: what it wrote)\n"
	"  --data-dir DIR       datasets directory\n";

enum { OPT_LIMIT = TC_OPT_FIRST_FREE, OPT_VINTAGE, OPT_SOURCE_ID };

/* Period covered, as "first – last" text of the dataset's period column. */
static void period_range(const struct dataset_info *d, const struct tcsv_table *t, char *buf, size_t size)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t ilo = 0, ihi = 0;

	snprintf(buf, size, "-");
	if (d->period_col < 0 || !t->nrows)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		double v = t->cols[d->period_col].num[i];
		if (v < lo) {
			lo = v;
			ilo = i;
		}
		if (v > hi) {
			hi = v;
			ihi = i;
		}
	}
	if (t->cols[d->period_col].text)
		snprintf(buf, size, "%s to %s", t->cols[d->period_col].text[ilo],
			 t->cols[d->period_col].text[ihi]);
	else
		snprintf(buf, size, "%.0f to %.0f", lo, hi);
}

/* Number of distinct source ids cited by the dataset. */
static size_t count_sources(const struct dataset_info *d, const struct tcsv_table *t)
{
	char **seen = NULL;
	size_t n = 0, cap = 0;

	for (size_t k = 0; d->source_cols && d->source_cols[k]; k++) {
		int col = tcsv_col_index(d->schema, d->source_cols[k]);
		for (size_t i = 0; col >= 0 && i < t->nrows; i++) {
			const char *p = t->cols[col].text[i];
			while (p && *p) {
				const char *e = strchr(p, ';');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				size_t j;
				while (len && *p == ' ') {
					p++;
					len--;
				}
				for (j = 0; j < n; j++)
					if (strlen(seen[j]) == len && !strncmp(seen[j], p, len))
						break;
				if (j == n && len) {
					seen = xgrow(seen, &cap, n + 1, sizeof(*seen));
					seen[n++] = xstrndup(p, len);
				}
				p = e ? e + 1 : NULL;
			}
		}
	}
	for (size_t j = 0; j < n; j++)
		free(seen[j]);
	free(seen);
	return n;
}

static int data_list(struct tc_ctx *ctx)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);
	struct out_doc *doc = out_doc_new("data list");
	struct out_table *t = out_table_add(doc, "datasets", NULL);
	int status = TC_EXIT_OK;

	out_meta_str(doc, "data_dir", ctx->data_dir);
	out_col(t, "name", "dataset");
	out_col(t, "rows", "rows");
	out_col(t, "period", "period");
	out_col(t, "sources", "sources");
	out_col(t, "status", "status");
	out_col(t, "summary", "summary");
	for (size_t i = 0; i < n; i++) {
		struct tcsv_table tab;
		struct tc_err err;
		char period[64];

		tc_err_init(&err);
		out_row(t);
		out_str(t, all[i].name);
		if (dataset_load(&tab, ctx->data_dir, all[i].name, &err)) {
			out_missing(t);
			out_missing(t);
			out_missing(t);
			out_str(t, "invalid");
			out_str(t, all[i].summary);
			tc_warning("%s", err.msg);
			status = TC_EXIT_DATA;
			continue;
		}
		period_range(&all[i], &tab, period, sizeof(period));
		out_int(t, (long long)tab.nrows);
		out_str(t, period);
		if (all[i].source_cols)
			out_int(t, (long long)count_sources(&all[i], &tab));
		else
			out_missing(t);
		out_str(t, "ok");
		out_str(t, all[i].summary);
		tcsv_table_release(&tab);
	}
	if (status)
		out_note(doc, "some datasets did not load; run 'tocalc data validate' for details");
	else
		out_note(doc, "sources: distinct source ids cited (see 'tocalc data show sources')");
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc ? rc : status;
	}
}

/* "; did you mean 'overdose_annual'?" for an unknown dataset name (or ""). */
static const char *dataset_hint(const char *name, char *buf, size_t size)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);
	const char **names = xcalloc(n ? n : 1, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		names[i] = all[i].name;
	tc_suggest(name, names, n, NULL, buf, size);
	free(names);
	return buf;
}

static int data_show(struct tc_ctx *ctx, const char *name, long limit)
{
	const struct dataset_info *d = dataset_find(name);
	struct tcsv_table tab;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *t;
	char title[128];

	char hint[300];

	if (!d)
		return tc_usage_error("data show: unknown dataset '%s'%s; see 'tocalc data list'", name,
				      dataset_hint(name, hint, sizeof(hint)));
	tc_err_init(&err);
	if (dataset_load(&tab, ctx->data_dir, d->name, &err))
		return tc_report(&err);
	doc = out_doc_new("data show");
	out_csv_bare(doc);	/* --csv reads back as the dataset file */
	out_meta_str(doc, "dataset", d->name);
	snprintf(title, sizeof(title), "%s (%zu rows)", d->file, tab.nrows);
	t = out_table_add(doc, "rows", ctx->fmt == OUT_TABLE ? title : NULL);
	for (size_t c = 0; c < d->schema->ncols; c++)
		out_col(t, d->schema->cols[c].name, d->schema->cols[c].name);
	for (size_t i = 0; i < tab.nrows && (limit < 0 || (long)i < limit); i++) {
		out_row(t);
		for (size_t c = 0; c < d->schema->ncols; c++) {
			const struct tcsv_column *col = &tab.cols[c];
			if (col->missing[i])
				out_missing(t);
			else if (col->type == TCSV_INT)
				out_int(t, (long long)col->num[i]);
			else if (col->type == TCSV_REAL)
				out_num(t, col->num[i], -1);
			else
				out_str(t, col->text[i]);
		}
	}
	tcsv_table_release(&tab);
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc;
	}
}

static int data_validate(struct tc_ctx *ctx, int argc, char **argv)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);
	struct tcsv_table sources;
	struct tc_err err;
	int have_sources, status = TC_EXIT_OK;
	struct out_doc *doc = out_doc_new("data validate");
	struct out_table *t = out_table_add(doc, "results", NULL);

	for (int i = 0; i < argc; i++)
		if (!dataset_find(argv[i])) {
			out_doc_free(doc);
			char hint[300];
			return tc_usage_error("data validate: unknown dataset '%s'%s; see 'tocalc data list'",
					      argv[i], dataset_hint(argv[i], hint, sizeof(hint)));
		}
	out_col(t, "dataset", "dataset");
	out_col(t, "rows", "rows");
	out_col(t, "status", "status");
	out_col(t, "message", "message");
	tc_err_init(&err);
	have_sources = dataset_load(&sources, ctx->data_dir, "sources", &err) == 0;
	for (size_t k = 0; k < n; k++) {
		struct tcsv_table tab;
		int wanted = argc == 0;

		for (int i = 0; i < argc; i++)
			if (dataset_find(argv[i]) == &all[k])
				wanted = 1;
		if (!wanted)
			continue;
		out_row(t);
		out_str(t, all[k].name);
		tc_err_init(&err);
		if (dataset_load(&tab, ctx->data_dir, all[k].name, &err)) {
			out_missing(t);
			out_str(t, "invalid");
			out_str(t, err.msg);
			tc_error("%s", err.msg);
			status = TC_EXIT_DATA;
			continue;
		}
		out_int(t, (long long)tab.nrows);
		if (!have_sources && all[k].source_cols) {
			out_str(t, "invalid");
			out_str(t, "sources.csv did not load, so cited sources cannot be checked");
			status = TC_EXIT_DATA;
		} else if (dataset_check(&all[k], &tab, have_sources ? &sources : NULL, &err)) {
			out_str(t, "invalid");
			out_str(t, err.msg);
			tc_error("%s", err.msg);
			status = TC_EXIT_DATA;
		} else {
			out_str(t, "ok");
			out_str(t, "");
		}
		tcsv_table_release(&tab);
	}
	if (have_sources)
		tcsv_table_release(&sources);
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc ? rc : status;
	}
}

static int data_import_vsrr(struct tc_ctx *ctx, const char *file, const char *output,
			    const char *vintage, const char *source_id)
{
	struct vsrr_import imp;
	struct tc_err err;
	char vbuf[11];
	long dummy;
	char *defpath = NULL;
	int rc = TC_EXIT_OK;

	tc_err_init(&err);
	if (vintage) {
		if (tc_parse_date(vintage, &dummy))
			return tc_usage_error("--vintage: expected a date YYYY-MM-DD, got '%s'", vintage);
	} else if (vsrr_vintage_from_name(file, vbuf) == 0) {
		vintage = vbuf;
	} else {
		return tc_usage_error("import-vsrr: cannot tell the data vintage from the file name '%s'; "
				      "give it with --vintage YYYY-MM-DD", file);
	}
	if (vsrr_import_file(file, &imp, &err))
		return tc_report(&err);
	if (output && !strcmp(output, "-")) {
		if (vsrr_write_dataset(&imp, stdout, vintage, source_id, &err))
			rc = tc_report(&err);
	} else {
		struct tc_atomic_file af;
		if (!output)
			output = defpath = tc_data_path(ctx, "overdose_12mo.csv");
		if (tc_atomic_open(&af, output, &err)) {
			rc = tc_report(&err);
		} else if (vsrr_write_dataset(&imp, af.fp, vintage, source_id, &err)) {
			tc_atomic_abort(&af);
			rc = tc_report(&err);
		} else if (tc_atomic_commit(&af, &err)) {
			rc = tc_report(&err);
		} else if (ctx->fmt != OUT_TABLE) {
			/* --json/--csv: what was written, for scripts */
			struct out_doc *doc = out_doc_new("data import-vsrr");
			struct out_table *t = out_table_add(doc, "written", "Written");
			out_col(t, "input", "input");
			out_col(t, "output", "output");
			out_col(t, "rows", "rows");
			out_col(t, "raw_rows", "raw rows");
			out_col(t, "vintage", "vintage");
			out_col(t, "source_id", "source id");
			out_row(t);
			out_str(t, file);
			out_str(t, output);
			out_int(t, (long long)imp.n);
			out_int(t, (long long)imp.raw_rows);
			out_str(t, vintage);
			out_str(t, source_id);
			rc = tc_emit(ctx, doc);
			out_doc_free(doc);
		} else if (!ctx->quiet) {
			fprintf(stderr, "tocalc: wrote %zu rows (of %zu raw rows) to '%s', vintage %s\n",
				imp.n, imp.raw_rows, output, vintage);
		}
	}
	vsrr_import_release(&imp);
	free(defpath);
	return rc;
}

int cmd_data(int argc, char **argv, struct tc_ctx *ctx)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "output", required_argument, NULL, 'o' },
		{ "vintage", required_argument, NULL, OPT_VINTAGE },
		{ "source-id", required_argument, NULL, OPT_SOURCE_ID },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL, *vintage = NULL, *source_id = "cdc-vsrr";
	long limit = -1;
	const char *sub;
	int c;

	while ((c = tc_getopt(argc, argv, "o:", opts, ctx)) != -1) {
		switch (c) {
		case TC_OPT_HELP:
			return TC_EXIT_OK;
		case OPT_LIMIT:
			if (tc_opt_long("--limit", optarg, &limit))
				return TC_EXIT_USAGE;
			if (limit < 0)
				return tc_usage_error("--limit: expected a non-negative integer");
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_VINTAGE:
			vintage = optarg;
			break;
		case OPT_SOURCE_ID:
			source_id = optarg;
			if (!*source_id || strpbrk(source_id, ",\"\n\r;"))
				return tc_usage_error("--source-id: expected an id without commas, quotes or ';'");
			break;
		default:
			return TC_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return tc_usage_error("data: expected a subcommand: list, show, validate or import-vsrr");
	sub = argv[0];
	if (!strcmp(sub, "list")) {
		if (argc > 1)
			return tc_usage_error("data list: unexpected argument '%s'", argv[1]);
		return data_list(ctx);
	}
	if (!strcmp(sub, "show")) {
		if (argc != 2)
			return tc_usage_error("data show: expected one dataset name");
		return data_show(ctx, argv[1], limit);
	}
	if (!strcmp(sub, "validate"))
		return data_validate(ctx, argc - 1, argv + 1);
	if (!strcmp(sub, "import-vsrr")) {
		if (argc != 2)
			return tc_usage_error("data import-vsrr: expected one input file");
		return data_import_vsrr(ctx, argv[1], output, vintage, source_id);
	}
	{
		static const char *const subs[] = { "list", "show", "validate", "import-vsrr" };
		char hint[160];
		tc_suggest(sub, subs, TC_ARRAY_SIZE(subs), NULL, hint, sizeof(hint));
		return tc_usage_error("data: unknown subcommand '%s'%s; expected list, show, validate or "
				      "import-vsrr", sub, hint);
	}
}
