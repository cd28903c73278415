/*
** cmd_data.c: `tocalc data list|show|sources|validate|import-vsrr`:
** flags in, out_doc out.  The dataset summary is data_schema.c's
** (dataset_period), the VSRR import data_vsrr.c's; --version is main.c.
*/
#include "tocalc/cmd.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_overdose.h"
#include "tocalc/version.h"
#include "tocalc/data_vsrr.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

const char cmd_data_help[] =
	"usage: tocalc data list\n"
	"       tocalc data show NAME [--limit N] [--where COL=VALUE]... [--columns A,B]\n"
	"       tocalc data sources [--secondary]\n"
	"       tocalc data validate [NAME...]\n"
	"       tocalc data import-vsrr FILE [-o OUT] [--vintage YYYY-MM-DD] [--source-id ID]\n"
	"                               [--all | --state XX... [--indicator NAME]...]\n"
	"\n"
	"Inspect and check the datasets tocalc computes from.\n"
	"\n"
	"  list          each dataset: rows, period covered, sources cited\n"
	"  show NAME     print a dataset (all columns); NAME as in 'list', or a kept\n"
	"                VSRR vintage as vsrr/YYYY-MM-DD\n"
	"  sources       every source: id, kind (primary or secondary), title,\n"
	"                publisher, URL, access date\n"
	"  validate      load every dataset (or the NAMEs given) and every kept VSRR\n"
	"                vintage strictly and check that every cited source exists,\n"
	"                values and sources come together and series have no gaps;\n"
	"                exit 1 on the first problem\n"
	"  import-vsrr   read CDC's raw VSRR download (data.cdc.gov xkb8-kh2a) in any\n"
	"                layout CDC has published and keep it as the vintage\n"
	"                <data-dir>/vsrr/VINTAGE.csv; the newest vintage also rewrites\n"
	"                overdose_12mo.csv (US, all drugs and synthetic opioids).\n"
	"                Refused (exit 1, nothing written): a missing indicator,\n"
	"                jurisdiction or month, a vintage before the data\n"
	"\n"
	"options:\n"
	"  --limit N            show at most N rows\n"
	"  --where COL=VALUE    show: only rows whose COL is written VALUE (repeatable)\n"
	"  --columns A,B        show: only these columns, in this order\n"
	"  --secondary          sources: only the secondary ones\n"
	"  -o, --output FILE    import-vsrr: write the vintage file here instead ('-' for\n"
	"                       stdout); written atomically\n"
	"  --vintage DATE       import-vsrr: the download date (default: from a file name\n"
	"                       that starts with YYYYMMDD_, as CDC names them)\n"
	"  --source-id ID       import-vsrr: the sources.csv id to cite (default cdc-vsrr;\n"
	"                       must be defined in sources.csv)\n"
	"  --all                import-vsrr: every jurisdiction and indicator (all 53\n"
	"                       jurisdictions required)\n"
	"  --state XX           import-vsrr: keep (and require) this jurisdiction with all\n"
	"                       its indicators (repeatable; default US)\n"
	"  --indicator NAME     import-vsrr: keep (and require) this indicator: all_drugs,\n"
	"                       synthetic_opioids, heroin, cocaine, psychostimulants,\n"
	"                       natural_semisynthetic, methadone, opioids, ... (repeatable)\n"
	"  --json, --csv        machine-readable output (import-vsrr: what it wrote)\n"
	"  --data-dir DIR       datasets directory\n";

enum { OPT_LIMIT = TC_OPT_FIRST_FREE, OPT_VINTAGE, OPT_SOURCE_ID, OPT_ALL, OPT_STATE, OPT_INDICATOR,
       OPT_WHERE, OPT_COLUMNS, OPT_SECONDARY };

/* Period covered, as "first to last" text of the dataset's period column, or "-". */
static void period_range(const struct dataset_info *d, const struct tcsv_table *t, char *buf, size_t size)
{
	char first[64], last[64];

	dataset_period(d, t, first, last, sizeof(first));
	if (first[0])
		snprintf(buf, size, "%s to %s", first, last);
	else
		snprintf(buf, size, "-");
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
		char period[144];

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

/* Every kept VSRR vintage (datasets/vsrr/): schema, sources, months; -1 on the first problem. */
static int validate_vintages(struct tc_ctx *ctx, struct out_table *t, const struct tcsv_table *sources)
{
	static const char *const src_col[] = { "source", NULL };
	size_t nv;
	char **vs = vsrr_list_vintages(ctx->data_dir, &nv);
	int bad = 0;

	for (size_t k = 0; k < nv; k++) {
		struct dataset_info di = { "vsrr", NULL, &schema_vsrr_vintage, "", -1, src_col };
		struct tcsv_table tab;
		struct tc_err err;
		char name[32], *path = vsrr_vintage_path(ctx->data_dir, vs[k]);

		snprintf(name, sizeof(name), "vsrr/%s", vs[k]);
		di.name = name;
		di.file = name;
		tc_err_init(&err);
		out_row(t);
		out_str(t, name);
		if (tcsv_load_file(&tab, path, &schema_vsrr_vintage, &err)) {
			out_missing(t);
			out_str(t, "invalid");
			out_str(t, err.msg);
			tc_error("%s", err.msg);
			bad = 1;
		} else {
			out_int(t, (long long)tab.nrows);
			if (dataset_check(&di, &tab, sources, &err) ||
			    vsrr_check_vintage(&tab, vs[k], &err)) {
				out_str(t, "invalid");
				out_str(t, err.msg);
				tc_error("%s", err.msg);
				bad = 1;
			} else {
				char cov[128];
				vsrr_vintage_coverage(&tab, cov, sizeof(cov));
				out_str(t, "ok");
				out_str(t, cov);
			}
			tcsv_table_release(&tab);
		}
		free(path);
		free(vs[k]);
	}
	free(vs);
	return bad ? -1 : 0;
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
	if (argc == 0 && validate_vintages(ctx, t, have_sources ? &sources : NULL))
		status = TC_EXIT_DATA;
	if (have_sources)
		tcsv_table_release(&sources);
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc ? rc : status;
	}
}

/* Create the vintages folder if needed. */
static int make_dir(const char *dir, struct tc_err *err)
{
	if (mkdir(dir, 0777) && errno != EEXIST)
		return tc_fail(err, "unable to create '%s': %s", dir, strerror(errno));
	return 0;
}

/* Is `id` a source id of <data-dir>/sources.csv? */
static int source_defined(struct tc_ctx *ctx, const char *id, struct tc_err *err)
{
	struct tcsv_table src;
	int found = 0;

	if (dataset_load(&src, ctx->data_dir, "sources", err))
		return -1;
	for (size_t i = 0; i < src.nrows; i++)
		if (!strcmp(tcsv_text(&src, SO_ID, i), id))
			found = 1;
	tcsv_table_release(&src);
	if (!found)
		return tc_failc(err, TC_EXIT_USAGE, "--source-id: '%s' is not defined in sources.csv; "
				"add a row for it first (see 'tocalc data sources')", id);
	return 0;
}

struct import_opts {
	const char *output, *vintage, *source_id;
	struct vsrr_request req;
	const char *states[64], *inds[32];
};

/* Write one file atomically with `write`; returns 0 or -1 (err filled). */
static int write_atomic(const char *path, const struct vsrr_import *imp, const char *vintage,
			const char *source_id,
			int (*write)(const struct vsrr_import *, FILE *, const char *, const char *,
				     struct tc_err *),
			struct tc_err *err)
{
	struct tc_atomic_file af;

	if (tc_atomic_open(&af, path, err))
		return -1;
	if (write(imp, af.fp, vintage, source_id, err)) {
		tc_atomic_abort(&af);
		return -1;
	}
	return tc_atomic_commit(&af, err);
}

static int data_import_vsrr(struct tc_ctx *ctx, const char *file, struct import_opts *io)
{
	struct vsrr_import imp;
	struct tc_err err;
	char vbuf[11], dirbuf[4096];
	const char *vintage = io->vintage, *output = io->output;
	long vdate;
	char *vpath = NULL, *o12 = NULL;
	int rc = TC_EXIT_OK, newest = 1;

	tc_err_init(&err);
	if (vintage) {
		if (tc_opt_date("--vintage", vintage, &vdate))
			return TC_EXIT_USAGE;
	} else if (vsrr_vintage_from_name(file, vbuf) == 0) {
		vintage = vbuf;
		tc_parse_date(vintage, &vdate);
	} else {
		return tc_usage_error("import-vsrr: cannot tell the data vintage from the file name '%s'; "
				      "give it with --vintage YYYY-MM-DD", file);
	}
	if (source_defined(ctx, io->source_id, &err))
		return tc_report(&err);
	io->req.vintage = vdate;
	if (vsrr_import_file(file, &io->req, &imp, &err))
		return tc_report(&err);
	if (output && !strcmp(output, "-")) {
		if (vsrr_write_vintage(&imp, stdout, vintage, io->source_id, &err))
			rc = tc_report(&err);
		vsrr_import_release(&imp);
		return rc;
	}
	if (!output) {
		size_t nv;
		char **vs = vsrr_list_vintages(ctx->data_dir, &nv);
		for (size_t i = 0; i < nv; i++) {
			if (strcmp(vs[i], vintage) > 0)
				newest = 0;
			free(vs[i]);
		}
		free(vs);
		snprintf(dirbuf, sizeof(dirbuf), "%s/vsrr", ctx->data_dir);
		if (make_dir(dirbuf, &err)) {
			vsrr_import_release(&imp);
			return tc_report(&err);
		}
		output = vpath = vsrr_vintage_path(ctx->data_dir, vintage);
	}
	if (write_atomic(output, &imp, vintage, io->source_id, vsrr_write_vintage, &err)) {
		rc = tc_report(&err);
	} else if (vpath && newest) {
		/* the newest vintage is also the US summary every command reads by default */
		int both = 0;
		for (size_t i = 0; i < imp.nind; i++)
			both += !strcmp(imp.indicators[i], "all_drugs") ||
				!strcmp(imp.indicators[i], "synthetic_opioids");
		for (size_t i = 0, us = 0; i < imp.nstates && !us; i++)
			us = !strcmp(imp.states[i], "US");
		if (both == 2) {
			o12 = tc_data_path(ctx, "overdose_12mo.csv");
			if (write_atomic(o12, &imp, vintage, io->source_id, vsrr_write_dataset, &err))
				rc = tc_report(&err);
		}
	}
	if (rc == TC_EXIT_OK && ctx->fmt != OUT_TABLE) {
		/* --json/--csv: what was written, for scripts */
		struct out_doc *doc = out_doc_new("data import-vsrr");
		struct out_table *t = out_table_add(doc, "written", "Written");
		char a[8], b[8];
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
		out_str(t, io->source_id);
		out_meta_str(doc, "first_month", tc_format_month(imp.first, a));
		out_meta_str(doc, "last_month", tc_format_month(imp.last, b));
		out_meta_int(doc, "jurisdictions", (long long)imp.nstates);
		out_meta_int(doc, "indicators", (long long)imp.nind);
		out_meta_str(doc, "layout", imp.layout);
		out_meta_int(doc, "skipped_other_periods", (long long)imp.skip_period);
		out_meta_int(doc, "skipped_other_jurisdictions", (long long)imp.skip_state);
		out_meta_int(doc, "skipped_other_indicators", (long long)imp.skip_indicator);
		out_meta_int(doc, "jurisdiction_codes_normalized", (long long)imp.normalized);
		if (o12)
			out_meta_str(doc, "summary", o12);
		rc = tc_emit(ctx, doc);
		out_doc_free(doc);
	} else if (rc == TC_EXIT_OK && !ctx->quiet) {
		char a[8], b[8], sk[160];
		vsrr_describe_skips(&imp, sk, sizeof(sk));
		tc_message("wrote %zu rows (of %zu raw rows; not kept: %s) to '%s', vintage %s", imp.n,
			   imp.raw_rows, sk, output, vintage);
		tc_message("coverage: %s to %s, %zu jurisdiction%s, %zu indicator%s; layout: %s",
			   tc_format_month(imp.first, a), tc_format_month(imp.last, b), imp.nstates,
			   imp.nstates == 1 ? "" : "s", imp.nind, imp.nind == 1 ? "" : "s", imp.layout);
		if (imp.normalized)
			tc_message("%zu jurisdiction code%s trimmed or upper-cased (\"us \" read as US)",
				   imp.normalized, imp.normalized == 1 ? "" : "s");
		if (o12)
			tc_message("newest vintage: US summary rewritten in '%s'", o12);
	}
	vsrr_import_release(&imp);
	free(vpath);
	free(o12);
	return rc;
}

/* --where COL=VALUE: keep rows whose column COL is written VALUE. */
struct show_filter {
	const char *where[8];
	int nwhere;
	const char *columns;
};

static int col_by_name(const struct tcsv_schema *sc, const char *name, size_t len)
{
	for (size_t c = 0; c < sc->ncols; c++)
		if (strlen(sc->cols[c].name) == len && !strncmp(sc->cols[c].name, name, len))
			return (int)c;
	return -1;
}

static void cell_text(const struct tcsv_column *col, size_t i, char *buf, size_t size)
{
	if (col->missing[i])
		buf[0] = '\0';
	else if (col->type == TCSV_INT)
		snprintf(buf, size, "%.0f", col->num[i]);
	else if (col->type == TCSV_REAL)
		snprintf(buf, size, "%.15g", col->num[i]);
	else
		snprintf(buf, size, "%s", col->text[i]);
}

static int data_show(struct tc_ctx *ctx, const char *name, long limit, const struct show_filter *f)
{
	const struct dataset_info *d = dataset_find(name);
	struct dataset_info vd = { NULL, NULL, &schema_vsrr_vintage, "", -1, NULL };
	struct tcsv_table tab;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *t;
	char title[128], *vpath = NULL;
	int wcol[8], show[64], nshow = 0;
	const char *wval[8];
	long shown = 0, ymd;

	/* a kept VSRR vintage: vsrr/YYYY-MM-DD */
	if (!d && !strncmp(name, "vsrr/", 5) && tc_parse_date(name + 5, &ymd) == 0) {
		vd.name = name;
		vd.file = name;
		d = &vd;
	}
	if (!d) {
		char hint[300];
		return tc_usage_error("data show: unknown dataset '%s'%s; see 'tocalc data list' (a kept "
				      "VSRR vintage is vsrr/YYYY-MM-DD)", name,
				      dataset_hint(name, hint, sizeof(hint)));
	}
	for (int k = 0; k < f->nwhere; k++) {
		const char *eq = strchr(f->where[k], '=');
		if (!eq || eq == f->where[k])
			return tc_usage_error("--where: expected COLUMN=VALUE, got '%s'", f->where[k]);
		wcol[k] = col_by_name(d->schema, f->where[k], (size_t)(eq - f->where[k]));
		if (wcol[k] < 0)
			return tc_usage_error("--where: dataset '%s' has no column '%.*s'", d->name,
					      (int)(eq - f->where[k]), f->where[k]);
		wval[k] = eq + 1;
	}
	if (f->columns) {
		const char *p = f->columns;
		while (*p) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			int c = col_by_name(d->schema, p, len);
			if (c < 0 || nshow >= 64)
				return tc_usage_error("--columns: dataset '%s' has no column '%.*s'", d->name,
						      (int)len, p);
			show[nshow++] = c;
			p = e ? e + 1 : p + len;
		}
		if (!nshow)
			return tc_usage_error("--columns: expected a comma-separated list of columns");
	} else {
		for (size_t c = 0; c < d->schema->ncols && c < 64; c++)
			show[nshow++] = (int)c;
	}
	tc_err_init(&err);
	if (d == &vd) {
		vpath = vsrr_vintage_path(ctx->data_dir, name + 5);
		if (tcsv_load_file(&tab, vpath, &schema_vsrr_vintage, &err)) {
			free(vpath);
			return tc_report(&err);
		}
		free(vpath);
	} else if (dataset_load(&tab, ctx->data_dir, d->name, &err)) {
		return tc_report(&err);
	}
	doc = out_doc_new("data show");
	out_csv_bare(doc);	/* --csv reads back as the dataset file */
	out_meta_str(doc, "dataset", d->name);
	snprintf(title, sizeof(title), "%s (%zu rows)", d->file, tab.nrows);
	t = out_table_add(doc, "rows", ctx->fmt == OUT_TABLE ? title : NULL);
	for (int k = 0; k < nshow; k++)
		out_col(t, d->schema->cols[show[k]].name, d->schema->cols[show[k]].name);
	for (size_t i = 0; i < tab.nrows && (limit < 0 || shown < limit); i++) {
		int keep = 1;
		for (int k = 0; k < f->nwhere && keep; k++) {
			char buf[256];
			cell_text(&tab.cols[wcol[k]], i, buf, sizeof(buf));
			keep = !strcmp(buf, wval[k]);
		}
		if (!keep)
			continue;
		shown++;
		out_row(t);
		for (int k = 0; k < nshow; k++) {
			const struct tcsv_column *col = &tab.cols[show[k]];
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
	if (f->nwhere)
		out_note(doc, "%ld of %zu rows match --where", shown, tab.nrows);
	tcsv_table_release(&tab);
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc;
	}
}

/* `data sources [--secondary]`: every source, primary or secondary. */
static int data_sources(struct tc_ctx *ctx, int secondary_only)
{
	struct tcsv_table src;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *t;
	size_t nsec = 0, nundated = 0;

	tc_err_init(&err);
	if (dataset_load(&src, ctx->data_dir, "sources", &err))
		return tc_report(&err);
	doc = out_doc_new("data sources");
	t = out_table_add(doc, "sources", secondary_only ? "Secondary sources" : "Sources");
	out_col(t, "id", "id");
	out_col(t, "kind", "kind");
	out_col(t, "title", "title");
	out_col(t, "publisher", "publisher");
	out_col(t, "url", "url");
	out_col(t, "accessed", "accessed");
	for (size_t i = 0; i < src.nrows; i++) {
		int sec = !strcmp(tcsv_text(&src, SO_KIND, i), "secondary");
		nsec += sec;
		nundated += tcsv_is_missing(&src, SO_ACCESSED, i);
		if (secondary_only && !sec)
			continue;
		out_row(t);
		out_str(t, tcsv_text(&src, SO_ID, i));
		out_str(t, tcsv_text(&src, SO_KIND, i));
		out_str(t, tcsv_text(&src, SO_TITLE, i));
		out_str(t, tcsv_text(&src, SO_PUBLISHER, i));
		out_str(t, tcsv_text(&src, SO_URL, i));
		out_str(t, tcsv_text(&src, SO_ACCESSED, i));
	}
	out_note(doc, "%zu sources, %zu secondary (a mirror or summary kept only where no primary "
		 "publication was found), %zu without an access date", src.nrows, nsec, nundated);
	{
		char sec[1024];
		struct tc_err e;
		tc_err_init(&e);
		if (od_secondary_note(ctx->data_dir, sec, sizeof(sec), &e) == 0 && sec[0])
			out_note(doc, "overdose_annual.csv: %s", sec);
	}
	tcsv_table_release(&src);
	{
		int rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc;
	}
}

/* The options of `tocalc data`, parsed before the subcommand. */
struct data_opts {
	struct import_opts io;
	struct show_filter sf;
	long limit;
	int secondary;
};

static int sub_list(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	if (argc > 1)
		return tc_usage_error("data list: unexpected argument '%s'", argv[1]);
	return data_list(ctx);
}

static int sub_show(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	struct data_opts *o = opts;

	if (argc != 2)
		return tc_usage_error("data show: expected one dataset name");
	return data_show(ctx, argv[1], o->limit, &o->sf);
}

static int sub_sources(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	struct data_opts *o = opts;

	if (argc != 1)
		return tc_usage_error("data sources: unexpected argument '%s'", argv[1]);
	return data_sources(ctx, o->secondary);
}

static int sub_validate(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return data_validate(ctx, argc - 1, argv + 1);
}

static int sub_import_vsrr(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	struct data_opts *o = opts;

	if (argc != 2)
		return tc_usage_error("data import-vsrr: expected one input file");
	return data_import_vsrr(ctx, argv[1], &o->io);
}

static const struct tc_subcommand data_subs[] = {
	{ "list", sub_list, "each dataset: rows, period covered, sources cited" },
	{ "show", sub_show, "print a dataset or a kept VSRR vintage" },
	{ "sources", sub_sources, "every source, primary or secondary" },
	{ "validate", sub_validate, "check datasets beyond their schemas" },
	{ "import-vsrr", sub_import_vsrr, "import a raw CDC VSRR download as a vintage" },
	{ NULL, NULL, NULL }
};

int cmd_data(int argc, char **argv, struct tc_ctx *ctx)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "output", required_argument, NULL, 'o' },
		{ "vintage", required_argument, NULL, OPT_VINTAGE },
		{ "source-id", required_argument, NULL, OPT_SOURCE_ID },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "indicator", required_argument, NULL, OPT_INDICATOR },
		{ "where", required_argument, NULL, OPT_WHERE },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "secondary", no_argument, NULL, OPT_SECONDARY },
		{ NULL, 0, NULL, 0 }
	};
	struct data_opts o;
	struct import_opts *io = &o.io;
	struct show_filter *sf = &o.sf;
	int c;

	memset(&o, 0, sizeof(o));
	o.limit = -1;
	io->source_id = "cdc-vsrr";
	while ((c = tc_getopt(argc, argv, "o:", opts, ctx)) != -1) {
		switch (c) {
		case TC_OPT_HELP:
			return TC_EXIT_OK;
		case OPT_LIMIT:
			if (tc_opt_long("--limit", optarg, &o.limit))
				return TC_EXIT_USAGE;
			if (o.limit < 0)
				return tc_usage_error("--limit: expected a non-negative integer");
			break;
		case 'o':
			io->output = optarg;
			break;
		case OPT_VINTAGE:
			io->vintage = optarg;
			break;
		case OPT_SOURCE_ID:
			io->source_id = optarg;
			if (!*io->source_id || strpbrk(io->source_id, ",\"\n\r;"))
				return tc_usage_error("--source-id: expected an id without commas, quotes or ';'");
			break;
		case OPT_ALL:
			io->req.all = 1;
			break;
		case OPT_STATE:
			if (strlen(optarg) != 2 || !isupper((unsigned char)optarg[0]) ||
			    !isupper((unsigned char)optarg[1]))
				return tc_usage_error("--state: expected a 2-letter code such as OH, US or YC "
						      "(New York City), got '%s'", optarg);
			if (io->req.nstates >= TC_ARRAY_SIZE(io->states))
				return tc_usage_error("--state: at most %zu", TC_ARRAY_SIZE(io->states));
			io->states[io->req.nstates++] = optarg;
			break;
		case OPT_INDICATOR:
			if (!vsrr_cdc_name(optarg))
				return tc_usage_error("--indicator: unknown indicator '%s' (known: all_drugs, "
						      "synthetic_opioids, heroin, cocaine, psychostimulants, "
						      "natural_semisynthetic, methadone, ...; see 'tocalc help data')",
						      optarg);
			if (io->req.nind >= TC_ARRAY_SIZE(io->inds))
				return tc_usage_error("--indicator: at most %zu", TC_ARRAY_SIZE(io->inds));
			io->inds[io->req.nind++] = optarg;
			break;
		case OPT_WHERE:
			if (sf->nwhere >= (int)TC_ARRAY_SIZE(sf->where))
				return tc_usage_error("--where: at most %zu", TC_ARRAY_SIZE(sf->where));
			sf->where[sf->nwhere++] = optarg;
			break;
		case OPT_COLUMNS:
			sf->columns = optarg;
			break;
		case OPT_SECONDARY:
			o.secondary = 1;
			break;
		default:
			return TC_EXIT_USAGE;
		}
	}
	if (io->req.nstates)
		io->req.states = io->states;
	if (io->req.nind)
		io->req.indicators = io->inds;
	argc -= optind;
	argv += optind;
	return tc_subcommand_run("data", data_subs, argc, argv, ctx, &o);
}
