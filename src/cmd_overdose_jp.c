/*
** cmd_overdose_jp.c: the tables of `tocalc overdose joinpoint --file F
** --group COL` (a row per group and segment, with the group's AAPC over
** its range) and of --stability.  The numbers come from the run layer
** (run_overdose_groups(), run_overdose() in run_overdose.c); nothing is
** computed here.
*/
#include "tocalc/cmd_overdose_jp.h"

#include <stdio.h>
#include <string.h>

int od_joinpoint_groups(const struct od_jp_group_args *a, struct tc_ctx *ctx)
{
	struct run_od_group_opts ro;
	struct run_od_groups gs;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *tab;
	int rc;

	tc_err_init(&err);
	memset(&ro, 0, sizeof(ro));
	ro.file = a->file;
	ro.xcol = a->xcol;
	ro.ycol = a->ycol;
	ro.group_col = a->group_col;
	ro.se_col = a->se_col;
	ro.weights = a->weights == OD_JPW_POISSON ? RUN_OD_W_POISSON : a->weights == OD_JPW_SE ? RUN_OD_W_SE
		     : RUN_OD_W_NONE;
	ro.from = a->from;
	ro.to = a->to;
	ro.jp = a->jp;
	ro.seed = a->seed;
	if (run_overdose_groups(&ro, &gs, &err))
		return tc_report(&err);

	doc = out_doc_new("overdose joinpoint");
	out_meta_str(doc, "file", a->file);
	out_meta_str(doc, "group_column", a->group_col);
	out_meta_int(doc, "group_count", (long long)gs.ng);
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
	for (size_t i = 0; i < gs.ng; i++) {
		const struct run_od_group *g = &gs.g[i];
		const struct jp_model *m = jp_selected_model(&g->jp);
		for (int s = 0; s <= m->k; s++) {
			out_row(tab);
			out_str(tab, g->name);
			out_int(tab, (long long)g->n);
			out_int(tab, m->k);
			out_int(tab, s + 1);
			out_num(tab, m->seg[s].lower, -1);
			out_num(tab, m->seg[s].upper, -1);
			out_num(tab, m->seg[s].apc, 2);
			out_num(tab, m->seg[s].apc_lower, 2);
			out_num(tab, m->seg[s].apc_upper, 2);
			out_num(tab, m->seg[s].p_value, 4);
			out_num(tab, g->aapc.aapc, 2);
			out_num(tab, g->aapc.lower, 2);
			out_num(tab, g->aapc.upper, 2);
		}
	}
	out_note(doc, "each group fitted alone with the same options%s; AAPC over the group's whole range",
		 a->jp->select == JP_SELECT_PERMUTATION ? " and the permutations restarted from the same seed" : "");
	out_note(doc, a->jp->linear ? "linear model: y = b0 + b1 x + sum d_j (x - tau_j)+; the apc and aapc "
		 "columns hold slopes (change in y per unit of x)"
		 : "model: ln y = b0 + b1 x + sum d_j (x - tau_j)+; APC = 100 (e^slope - 1) per unit of x");
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_groups_release(&gs);
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
