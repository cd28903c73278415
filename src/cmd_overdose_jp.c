/*
** cmd_overdose_jp.c: `tocalc overdose joinpoint --file F --group COL`:
** every group of a long file (one row per group and x) fitted with the same
** joinpoint options, weights and seed (the RNG restarts from --seed for each
** group, as NCI Joinpoint's by-variables run every cohort alike), one table
** out: a row per group and segment, with the group's AAPC over its range.
** Flags -> tcsv -> jp_analyze (model_joinpoint.c) -> out_doc.
*/
#include "tocalc/cmd_overdose_jp.h"
#include "tocalc/tcsv.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct group {
	const char *name;
	size_t *rows, n, cap;
};

static int find_group(struct group *g, size_t ng, const char *name)
{
	for (size_t i = 0; i < ng; i++)
		if (!strcmp(g[i].name, name))
			return (int)i;
	return -1;
}

static int parse_bound(const char *flag, const char *s, double *v)
{
	char *end;
	if (!s)
		return 0;
	*v = strtod(s, &end);
	if (end == s || *end || !isfinite(*v))
		return tc_usage_error("%s: with --group, x is a number; got '%s'", flag, s);
	return 0;
}

int od_joinpoint_groups(const struct od_jp_group_args *a, struct tc_ctx *ctx)
{
	struct tcsv_col_spec cols[4];
	struct tcsv_schema schema;
	struct tcsv_table t;
	struct tc_err err;
	struct group *g = NULL;
	size_t ng = 0, gcap = 0;
	struct out_doc *doc = NULL;
	struct out_table *tab;
	double lo = -INFINITY, hi = INFINITY;
	int rc = TC_EXIT_OK, ncols = 3;

	tc_err_init(&err);
	if (!a->xcol || !a->ycol)
		return tc_usage_error("--group needs --file F --x COLUMN --y COLUMN");
	if (parse_bound("--from", a->from, &lo) || parse_bound("--to", a->to, &hi))
		return TC_EXIT_USAGE;
	memset(cols, 0, sizeof(cols));
	cols[0].name = a->group_col;
	cols[0].type = TCSV_TEXT;
	cols[1].name = a->xcol;
	cols[1].type = TCSV_REAL;
	cols[2].name = a->ycol;
	cols[2].type = TCSV_REAL;
	cols[2].flags = TCSV_OPTIONAL;
	if (a->weights == OD_JPW_SE) {
		cols[3].name = a->se_col;
		cols[3].type = TCSV_REAL;
		cols[3].flags = TCSV_OPTIONAL;
		ncols = 4;
	}
	for (int i = 0; i < ncols; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(cols[i].name, cols[j].name))
				return tc_usage_error("--group: column '%s' is named twice", cols[i].name);
	memset(&schema, 0, sizeof(schema));
	schema.name = a->file;
	schema.cols = cols;
	schema.ncols = (size_t)ncols;
	schema.flags = TCSV_ALLOW_EXTRA;
	if (tcsv_load_file(&t, a->file, &schema, &err))
		return tc_report(&err);

	/* groups in order of first appearance; rows inside the x range */
	for (size_t r = 0; r < t.nrows; r++) {
		const char *name = tcsv_text(&t, 0, r);
		double x = tcsv_num(&t, 1, r);
		int gi;
		if (tcsv_is_missing(&t, 0, r)) {
			tc_fail(&err, "%s:%ld: column '%s': the group is empty", a->file, t.lines[r], a->group_col);
			goto fail;
		}
		if (tcsv_is_missing(&t, 1, r)) {
			tc_fail(&err, "%s:%ld: column '%s': missing x", a->file, t.lines[r], a->xcol);
			goto fail;
		}
		if (x < lo || x > hi)
			continue;
		gi = find_group(g, ng, name);
		if (gi < 0) {
			if (ng == gcap)
				g = xgrow(g, &gcap, ng + 1, sizeof(*g));
			memset(&g[ng], 0, sizeof(g[ng]));
			g[ng].name = name;
			gi = (int)ng++;
		}
		if (g[gi].n && !(x > tcsv_num(&t, 1, g[gi].rows[g[gi].n - 1]))) {
			tc_fail(&err, "%s:%ld: column '%s': x = %g in group '%s' does not follow %g (x must "
				"increase within a group)", a->file, t.lines[r], a->xcol, x, name,
				tcsv_num(&t, 1, g[gi].rows[g[gi].n - 1]));
			goto fail;
		}
		if (tcsv_is_missing(&t, 2, r)) {
			tc_fail(&err, "%s:%ld: column '%s': missing value in group '%s' (missing values are "
				"never skipped)", a->file, t.lines[r], a->ycol, name);
			goto fail;
		}
		if (ncols == 4 && (tcsv_is_missing(&t, 3, r) || !(tcsv_num(&t, 3, r) > 0))) {
			tc_fail(&err, "%s:%ld: column '%s': the standard error in group '%s' is %s; standard "
				"errors must be numbers > 0", a->file, t.lines[r], a->se_col, name,
				tcsv_is_missing(&t, 3, r) ? "missing" : "not > 0");
			goto fail;
		}
		if (g[gi].n == g[gi].cap)
			g[gi].rows = xgrow(g[gi].rows, &g[gi].cap, g[gi].n + 1, sizeof(size_t));
		g[gi].rows[g[gi].n++] = r;
	}
	if (ng == 0) {
		tc_fail(&err, "%s: no rows in the range", a->file);
		goto fail;
	}
	for (size_t i = 0; i < ng; i++)
		if (g[i].n < 3) {
			tc_fail(&err, "%s:%ld: group '%s' has %zu point%s; joinpoint regression needs at least 3",
				a->file, t.lines[g[i].rows[0]], g[i].name, g[i].n, g[i].n == 1 ? "" : "s");
			goto fail;
		}

	doc = out_doc_new("overdose joinpoint");
	out_meta_str(doc, "file", a->file);
	out_meta_str(doc, "group_column", a->group_col);
	out_meta_int(doc, "group_count", (long long)ng);
	out_meta_str(doc, "selection", a->jp->select == JP_SELECT_PERMUTATION ? "permutation"
		     : a->jp->select == JP_SELECT_BIC ? "bic" : a->jp->select == JP_SELECT_BIC3 ? "bic3"
		     : a->jp->select == JP_SELECT_WBIC ? "wbic" : "mbic");
	out_meta_str(doc, "weights", a->weights == OD_JPW_NONE ? "none" : a->weights == OD_JPW_POISSON
		     ? "poisson" : "se");
	if (a->jp->select == JP_SELECT_PERMUTATION) {
		out_meta_int(doc, "permutations", a->jp->permutations);
		out_meta_int(doc, "seed", (long long)a->seed);
	}
	tab = out_table_add(doc, "groups", "joinpoint fits by group (selected model of each)");
	out_col(tab, "group", "group");
	out_col(tab, "points", "points");
	out_col(tab, "joinpoints", "joinpoints");
	out_col(tab, "segment", "segment");
	out_col(tab, "lower_endpoint", "from");
	out_col(tab, "upper_endpoint", "to");
	out_col(tab, "apc", a->jp->linear ? "slope" : "APC %");
	out_col(tab, "apc_lower", "lower CI");
	out_col(tab, "apc_upper", "upper CI");
	out_col(tab, "p_value", "p");
	out_col(tab, "aapc", a->jp->linear ? "AAC" : "AAPC %");
	out_col(tab, "aapc_lower", "AAPC lower");
	out_col(tab, "aapc_upper", "AAPC upper");
	for (size_t i = 0; i < ng; i++) {
		size_t n = g[i].n;
		double *x = xmalloc(3 * n * sizeof(double)), *y = x + n, *w = NULL;
		struct jp_options o = *a->jp;
		struct jp_result res;
		struct jp_aapc ap;
		const struct jp_model *m;
		gsl_rng *rng;
		int bad;

		for (size_t q = 0; q < n; q++) {
			x[q] = tcsv_num(&t, 1, g[i].rows[q]);
			y[q] = tcsv_num(&t, 2, g[i].rows[q]);
		}
		if (a->weights != OD_JPW_NONE) {
			w = y + n;
			for (size_t q = 0; q < n; q++) {
				double se = ncols == 4 ? tcsv_num(&t, 3, g[i].rows[q]) : 0;
				w[q] = a->weights == OD_JPW_POISSON ? y[q] : (y[q] / se) * (y[q] / se);
			}
		}
		o.weights = w;
		o.progress = NULL;
		rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, a->seed);
		bad = jp_analyze(x, y, n, &o, rng, &res, &err);
		gsl_rng_free(rng);
		if (bad) {
			char old[TC_ERR_MSG_MAX];
			memcpy(old, err.msg, sizeof(old));
			snprintf(err.msg, sizeof(err.msg), "group '%.100s': %.900s", g[i].name, old);
			free(x);
			goto fail;
		}
		m = jp_selected_model(&res);
		if (jp_aapc(m, res.level, x[0], x[n - 1], &ap, &err)) {
			jp_result_release(&res);
			free(x);
			goto fail;
		}
		for (int s = 0; s <= m->k; s++) {
			out_row(tab);
			out_str(tab, g[i].name);
			out_int(tab, (long long)n);
			out_int(tab, m->k);
			out_int(tab, s + 1);
			out_num(tab, m->seg[s].lower, -1);
			out_num(tab, m->seg[s].upper, -1);
			out_num(tab, m->seg[s].apc, 2);
			out_num(tab, m->seg[s].apc_lower, 2);
			out_num(tab, m->seg[s].apc_upper, 2);
			out_num(tab, m->seg[s].p_value, 4);
			out_num(tab, ap.aapc, 2);
			out_num(tab, ap.lower, 2);
			out_num(tab, ap.upper, 2);
		}
		jp_result_release(&res);
		free(x);
	}
	out_note(doc, "each group fitted alone with the same options%s; AAPC over the group's whole range",
		 a->jp->select == JP_SELECT_PERMUTATION ? " and the permutations restarted from the same seed" : "");
	out_note(doc, a->jp->linear ? "linear model: y = b0 + b1 x + sum d_j (x - tau_j)+; the apc and aapc "
		 "columns hold slopes (change in y per unit of x)"
		 : "model: ln y = b0 + b1 x + sum d_j (x - tau_j)+; APC = 100 (e^slope - 1) per unit of x");
	rc = tc_emit(ctx, doc);
	goto done;
fail:
	rc = tc_report(&err);
done:
	if (doc)
		out_doc_free(doc);
	for (size_t i = 0; i < ng; i++)
		free(g[i].rows);
	free(g);
	tcsv_table_release(&t);
	return rc;
}

/* ---------- selection-stability report ---------- */

static const char *jp_loc(const struct od_series *s, size_t i0, double x, long idx, char *buf)
{
	if (idx >= 0)
		return od_label(s, i0 + (size_t)idx, buf);
	return od_x_label(s, x, 1, buf);
}

void od_joinpoint_stability(const struct od_series *s, size_t i0, const struct run_od_stability *st,
			    struct out_doc *doc)
{
	struct out_table *t, *u;
	char a[32];

	t = out_table_add(doc, "stability", "selection stability: the selected model under each method");
	out_col(t, "run", "selection, search");
	out_col(t, "joinpoints", "joinpoints");
	out_col(t, "locations", "locations");
	out_col(t, "same_as_modal", "same k as most");
	for (int i = 0; i < st->nr; i++) {
		char loc[512] = "";
		size_t len = 0;
		for (int j = 0; j < st->runs[i].k && len < sizeof(loc); j++)
			len += (size_t)snprintf(loc + len, sizeof(loc) - len, "%s%s", j ? " " : "",
						jp_loc(s, i0, st->runs[i].tau[j], st->runs[i].tidx[j], a));
		out_row(t);
		out_str(t, st->runs[i].label);
		out_int(t, st->runs[i].k);
		out_str(t, loc);
		out_bool(t, st->runs[i].k == st->modal);
	}
	u = out_table_add(doc, "stability_joinpoints",
			  "joinpoints of the most common model across the runs that select it");
	out_col(u, "joinpoint", "joinpoint");
	out_col(u, "earliest", "earliest");
	out_col(u, "latest", "latest");
	out_col(u, "spread", "spread (x units)");
	for (int j = 0; j < st->modal; j++) {
		char b[32];
		out_row(u);
		out_int(u, j + 1);
		out_str(u, od_x_label(s, st->lo[j], 1, a));
		out_str(u, od_x_label(s, st->hi[j], 1, b));
		out_num(u, st->hi[j] - st->lo[j], 4);
	}
	out_meta_int(doc, "stability_runs", st->nr);
	out_meta_int(doc, "stability_modal_joinpoints", st->modal);
	out_meta_int(doc, "stability_runs_with_modal_joinpoints", st->agree_k);
	out_meta_int(doc, "stability_runs_with_identical_joinpoints", st->agree_all);
	out_note(doc, "stability: %d of %d runs select %d joinpoint%s; %d of them place %s at the same x. %s",
		 st->agree_k, st->nr, st->modal, st->modal == 1 ? "" : "s", st->agree_all,
		 st->modal == 1 ? "it" : "them",
		 st->agree_k == st->nr && st->agree_all == st->nr ? "The turn points are firm under every method tried."
		 : st->agree_k == st->nr ? "The number of turn points is firm; their placement moves between methods."
		 : "The number of turn points depends on the method: report it with care.");
	out_note(doc, "stability: Hudson runs use the information criteria only (its permutation test "
		 "has no exact fast path)");
}
