/*
** run_overdose_vintage.c: the run layer of `tocalc overdose value`,
** `revisions` and `states` (contract in include/tocalc/run_overdose_vintage.h):
** load the shipped datasets and the kept VSRR vintages (data_overdose.c,
** data_vsrr.c, data_schema.c), look values and their sources up, compute
** the vintage-to-vintage revisions and the 12-month changes by state.
** Nothing here prints; the results own their memory.
*/
#include "tocalc/run_overdose_vintage.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_vsrr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- value ---------- */

/* Each ';'-separated source id of `ids`, with its kind from sources.csv, into buf. */
static void describe_sources(const struct tcsv_table *src, const char *ids, char *buf, size_t size,
			     int *secondary)
{
	size_t o = 0;
	const char *p = ids;

	buf[0] = '\0';
	*secondary = 0;
	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		for (size_t i = 0; src && i < src->nrows; i++) {
			const char *id = tcsv_text(src, SO_ID, i);
			if (strlen(id) == len && !strncmp(id, p, len) &&
			    !strcmp(tcsv_text(src, SO_KIND, i), "secondary"))
				*secondary = 1;
		}
		if (o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%.*s", o ? "; " : "", (int)len, p);
		p = e ? e + 1 : NULL;
	}
}

/* The source ids of one row: annual (deaths_source or rate_source) or a VSRR file's source. */
static int source_ids(const char *data_dir, const struct od_series *s, long period, int rate,
		      char *out, size_t size, char *note, size_t nsize, struct tc_err *err)
{
	struct tcsv_table t;
	int col;

	out[0] = '\0';
	note[0] = '\0';
	if (s->source == OD_FINAL) {
		if (dataset_load(&t, data_dir, "overdose_annual", err))
			return -1;
		col = rate ? OA_RATE_SOURCE : OA_DEATHS_SOURCE;
		for (size_t r = 0; r < t.nrows; r++)
			if ((long)tcsv_num(&t, OA_YEAR, r) == period &&
			    !strcmp(tcsv_text(&t, OA_SERIES, r), s->name) && !tcsv_is_missing(&t, col, r)) {
				snprintf(out, size, "%s", tcsv_text(&t, col, r));
				if (!tcsv_is_missing(&t, OA_NOTE, r))
					snprintf(note, nsize, "%s", tcsv_text(&t, OA_NOTE, r));
			}
		tcsv_table_release(&t);
		return 0;
	}
	if (!strcmp(s->path, "overdose_12mo.csv")) {
		if (dataset_load(&t, data_dir, "overdose_12mo", err))
			return -1;
		for (size_t r = 0; r < t.nrows; r++)
			if ((long)tcsv_num(&t, O12_PERIOD, r) == period &&
			    !strcmp(tcsv_text(&t, O12_SERIES, r), s->name))
				snprintf(out, size, "%s", tcsv_text(&t, O12_SOURCE, r));
		tcsv_table_release(&t);
		return 0;
	}
	if (tcsv_load_file(&t, s->path, &schema_vsrr_vintage, err))
		return -1;
	for (size_t r = 0; r < t.nrows; r++)
		if ((long)tcsv_num(&t, VV_PERIOD, r) == period &&
		    !strcmp(tcsv_text(&t, VV_STATE, r), s->state) &&
		    !strcmp(tcsv_text(&t, VV_INDICATOR, r), s->name))
			snprintf(out, size, "%s", tcsv_text(&t, VV_SOURCE, r));
	tcsv_table_release(&t);
	return 0;
}

int run_od_value(const struct run_od_value_opts *o, struct run_od_value *r, struct tc_err *err)
{
	struct tcsv_table src;
	char ids[512];
	int have_src;

	memset(r, 0, sizeof(*r));
	if (o->vsrr) {
		struct od_select sel = o->sel;
		if (!sel.indicator)
			sel.indicator = o->series;
		if (!sel.vintage && !sel.state && (!sel.indicator || od_series_known(sel.indicator))) {
			if (od_load_vsrr(&r->s, o->data_dir, sel.indicator ? sel.indicator : "all_drugs", err))
				return -1;
		} else if (od_load_vsrr_sel(&r->s, o->data_dir, &sel, err)) {
			return -1;
		}
	} else if (od_load_final(&r->s, o->data_dir, o->series ? o->series : "all_drugs",
				 o->rate ? OD_RATE : OD_DEATHS, err)) {
		return -1;
	}
	if (od_find_period(&r->s, o->at, &r->i, err) ||
	    source_ids(o->data_dir, &r->s, r->s.period[r->i], o->rate, ids, sizeof(ids), r->rownote,
		       sizeof(r->rownote), err)) {
		od_series_release(&r->s);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	have_src = dataset_load(&src, o->data_dir, "sources", err) == 0;
	describe_sources(have_src ? &src : NULL, ids, r->desc, sizeof(r->desc), &r->secondary);
	if (have_src)
		tcsv_table_release(&src);
	return 0;
}

void run_od_value_release(struct run_od_value *r)
{
	od_series_release(&r->s);
	memset(r, 0, sizeof(*r));
}

/* ---------- revisions ---------- */

/*
** One month seen in two vintages: the revision (new - old) and its percent
** of the old count; NAN when either is missing or the old count is 0.
*/
static void revise(double old, double nw, double *delta, double *pct)
{
	*delta = isnan(old) || isnan(nw) ? NAN : nw - old;
	*pct = isnan(*delta) || old == 0 ? NAN : 100.0 * (nw - old) / old;
}

int run_od_revisions(const struct run_od_revisions_opts *o, struct run_od_revisions *r,
		     struct tc_err *err)
{
	char **vs;
	size_t nv, cap = 0;
	int nhave = 0, rc = 0;

	memset(r, 0, sizeof(*r));
	vs = vsrr_list_vintages(o->data_dir, &nv);
	r->nv = nv;
	r->ser = xcalloc(nv ? nv : 1, sizeof(*r->ser));
	for (size_t k = 0; k < nv; k++) {
		struct od_select sel = o->sel;
		struct tc_err e;
		tc_err_init(&e);
		sel.vintage = vs[k];
		if (!sel.indicator)
			sel.indicator = o->series;
		{
			/* a broken vintage file is an error; one without the series is skipped */
			struct tcsv_table vt;
			char *path = vsrr_vintage_path(o->data_dir, vs[k]);
			int bad = tcsv_load_file(&vt, path, &schema_vsrr_vintage, &e);
			free(path);
			if (bad) {
				*err = e;
				rc = -1;
				goto out;
			}
			tcsv_table_release(&vt);
		}
		if (od_load_vsrr_sel(&r->ser[k], o->data_dir, &sel, &e) == 0)
			nhave++;
		else if (e.code == TC_EXIT_USAGE) {
			*err = e;
			rc = -1;
			goto out;
		}
	}
	if (nhave < 2) {
		tc_fail(err, "overdose revisions needs the series in two kept vintages; %d of %zu "
			"vintages in %s/vsrr have it", nhave, nv, o->data_dir);
		rc = -1;
		goto out;
	}
	while (!r->ser[r->first].n)
		r->first++;
	for (size_t k = 0, prev = (size_t)-1; k < nv; k++) {
		if (!r->ser[k].n)
			continue;
		if (prev != (size_t)-1) {
			const struct od_series *a = &r->ser[prev], *b = &r->ser[k];
			for (size_t i = 0; i < a->n; i++) {
				struct run_od_revision *w;
				size_t j;
				if (a->period[i] < o->from || a->period[i] > o->to)
					continue;
				for (j = 0; j < b->n && b->period[j] != a->period[i]; j++)
					;
				if (j == b->n)
					continue;
				if (r->nrows == cap) {
					cap = cap ? 2 * cap : 64;
					r->rows = xrealloc(r->rows, cap * sizeof(*r->rows));
				}
				w = &r->rows[r->nrows++];
				w->old_k = prev;
				w->new_k = k;
				w->old_i = i;
				w->new_i = j;
				revise(a->y[i], b->y[j], &w->d_reported, &w->pct_reported);
				revise(a->y2[i], b->y2[j], &w->d_predicted, &w->pct_predicted);
			}
		}
		prev = k;
	}
out:
	for (size_t k = 0; k < nv; k++)
		free(vs[k]);
	free(vs);
	if (rc)
		run_od_revisions_release(r);
	return rc;
}

void run_od_revisions_release(struct run_od_revisions *r)
{
	for (size_t k = 0; r->ser && k < r->nv; k++)
		od_series_release(&r->ser[k]);
	free(r->ser);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* ---------- states ---------- */

static int cmp_state_rows(const void *x, const void *y)
{
	const struct run_od_state_row *a = x, *b = y;
	if (isnan(a->pct) != isnan(b->pct))
		return isnan(a->pct) ? 1 : -1;
	if (a->pct != b->pct)
		return a->pct < b->pct ? 1 : -1;
	return strcmp(a->state, b->state);
}

int run_od_states(const struct run_od_states_opts *o, struct run_od_states *r, struct tc_err *err)
{
	const char *ind = o->indicator;
	size_t nv, n = 0;
	char **vs = vsrr_list_vintages(o->data_dir, &nv);
	struct tcsv_table *t = &r->t;
	struct run_od_state_row *rows;
	char a[8];

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < nv; i++) {
		if (!o->vintage || !strcmp(vs[i], o->vintage))
			snprintf(r->vintage, sizeof(r->vintage), "%s", vs[i]);
		free(vs[i]);
	}
	free(vs);
	if (!r->vintage[0]) {
		tc_fail(err, "no VSRR vintage %s in %s/vsrr", o->vintage ? o->vintage : "at all",
			o->data_dir);
		return -1;
	}
	r->path = vsrr_vintage_path(o->data_dir, r->vintage);
	if (tcsv_load_file(t, r->path, &schema_vsrr_vintage, err)) {
		run_od_states_release(r);
		return -1;
	}
	r->have_t = 1;
	for (size_t k = 0; k < t->nrows; k++)
		if (!strcmp(tcsv_text(t, VV_INDICATOR, k), ind) && (long)tcsv_num(t, VV_PERIOD, k) > r->last)
			r->last = (long)tcsv_num(t, VV_PERIOD, k);
	if (o->to)
		r->last = o->to;
	r->prev = r->last - 100;
	rows = r->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*rows));
	for (size_t q = 0; q < t->nrows; q++) {
		long p = (long)tcsv_num(t, VV_PERIOD, q);
		const char *st = tcsv_text(t, VV_STATE, q);
		size_t k;
		if (strcmp(tcsv_text(t, VV_INDICATOR, q), ind) || (p != r->last && p != r->prev))
			continue;
		for (k = 0; k < n && strcmp(rows[k].state, st); k++)
			;
		if (k == n) {
			rows[n].state = st;
			rows[n].a = rows[n].b = rows[n].pct = NAN;
			n++;
		}
		if (p == r->prev) {
			rows[k].a = tcsv_is_missing(t, VV_REPORTED, q) ? NAN : tcsv_num(t, VV_REPORTED, q);
			rows[k].flag_a = tcsv_text(t, VV_STATUS, q);
		} else {
			rows[k].b = tcsv_is_missing(t, VV_REPORTED, q) ? NAN : tcsv_num(t, VV_REPORTED, q);
			rows[k].flag_b = tcsv_text(t, VV_STATUS, q);
			rows[k].complete = tcsv_is_missing(t, VV_COMPLETE, q) ? NULL :
					   tcsv_text(t, VV_COMPLETE, q);
		}
	}
	if (!n) {
		tc_fail(err, "%s: no %s rows for %s", r->path, ind, tc_format_month(r->last, a));
		run_od_states_release(r);
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		if (!isnan(rows[k].a) && !isnan(rows[k].b) && rows[k].a > 0)
			rows[k].pct = 100.0 * (rows[k].b / rows[k].a - 1);
	qsort(rows, n, sizeof(*rows), cmp_state_rows);
	for (size_t k = 0; k < n; k++) {
		rows[k].flagged = (rows[k].flag_a && !strcmp(rows[k].flag_a, "provisional")) ||
				  (rows[k].flag_b && !strcmp(rows[k].flag_b, "provisional"));
		r->nflag += (size_t)rows[k].flagged;
	}
	r->n = n;
	return 0;
}

void run_od_states_release(struct run_od_states *r)
{
	free(r->rows);
	free(r->path);
	if (r->have_t)
		tcsv_table_release(&r->t);
	memset(r, 0, sizeof(*r));
}
