/*
** data_coverage.c: datasets/tariff_coverage.csv, the share of each
** partner's imports that each tariff layer reaches (issue 12), and the
** lookup of a share by partner, layer, scope and date.
**
** Contract: include/tocalc/model_rates.h.  The table owns every string; the
** loaded struct is freed with tariff_coverage_free().  A row whose layer
** is "cell:A+B+..." is a Section 301 cell: the share of imports whose HTS8
** is on exactly the lists of layers A, B, ... (model_rates.c gives each cell to the layer
** with the highest rate in force).  A row with layer '*' gives the share
** of any layer of its scope that has no row of its own (the USMCA share).
*/
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cov_row {
	const char *id, *partner, *layer, *basis, *source;
	enum tariff_scope scope;
	long start, end;	/* yyyymmdd; end exclusive, 0 = open */
	double share;
	int approximated;
	long line;
	struct tariff_cov_cell cell;	/* cell rows only (cell.nlayers > 0) */
	char *cellbuf;
};

struct tariff_coverage {
	struct tcsv_table table;
	struct cov_row *rows;
	size_t n;
};

void tariff_coverage_free(struct tariff_coverage *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; i < cv->n; i++)
		free(cv->rows[i].cellbuf);
	free(cv->rows);
	tcsv_table_release(&cv->table);
	free(cv);
}

static int split_cell(struct cov_row *r, const char *path, struct tc_err *err)
{
	char *p, *save = NULL, *tok;

	r->cellbuf = xstrdup(r->layer + 5);
	r->cell.id = r->id;
	r->cell.share = r->share;
	r->cell.basis = r->basis;
	r->cell.source = r->source;
	r->cell.line = r->line;
	for (p = r->cellbuf; (tok = strtok_r(p, "+", &save)); p = NULL) {
		if (r->cell.nlayers == TARIFF_CELL_MAX_LAYERS)
			return tc_fail(err, "%s:%ld:%d: column 'layer': more than %d layers in a cell",
				       path, r->line, CV_LAYER + 1, TARIFF_CELL_MAX_LAYERS);
		r->cell.layers[r->cell.nlayers++] = tok;
	}
	if (r->cell.nlayers < 1)
		return tc_fail(err, "%s:%ld:%d: column 'layer': empty layer name in '%s'", path, r->line,
			       CV_LAYER + 1, r->layer);
	return 0;
}

static int build(struct tariff_coverage *cv, struct tc_err *err)
{
	const struct tcsv_table *t = &cv->table;

	cv->n = t->nrows;
	cv->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*cv->rows));
	for (size_t i = 0; i < t->nrows; i++) {
		struct cov_row *r = &cv->rows[i];

		r->line = t->lines[i];
		r->id = tcsv_text(t, CV_ID, i);
		r->partner = tcsv_text(t, CV_PARTNER, i);
		r->layer = tcsv_text(t, CV_LAYER, i);
		r->basis = tcsv_text(t, CV_BASIS, i);
		r->source = tcsv_text(t, CV_SOURCE, i);
		r->scope = (enum tariff_scope)(int)tcsv_num(t, CV_SCOPE, i);
		r->start = (long)tcsv_num(t, CV_START, i);
		r->end = tcsv_is_missing(t, CV_END, i) ? 0 : (long)tcsv_num(t, CV_END, i);
		r->share = tcsv_num(t, CV_SHARE, i);
		r->approximated = (int)tcsv_num(t, CV_APPROXIMATED, i);
		if (!(r->share >= 0 && r->share <= 1))
			return tc_fail(err, "%s:%ld:%d: column 'share': %g is outside [0, 1]", t->path,
				       r->line, CV_SHARE + 1, r->share);
		if (r->end && r->end <= r->start)
			return tc_fail(err, "%s:%ld:%d: column 'end': not after the start", t->path,
				       r->line, CV_END + 1);
		if (!strncmp(r->layer, "cell:", 5) && split_cell(r, t->path, err))
			return -1;
	}
	return 0;
}

static int finish(struct tariff_coverage **out, struct tariff_coverage *cv, int rc,
		  struct tc_err *err)
{
	if (rc == 0)
		rc = build(cv, err);
	if (rc) {
		if (cv->rows || cv->table.cols)
			tariff_coverage_free(cv);
		else
			free(cv);
		*out = NULL;
		return -1;
	}
	*out = cv;
	return 0;
}

int tariff_coverage_load_file(struct tariff_coverage **out, const char *path, struct tc_err *err)
{
	struct tariff_coverage *cv = xcalloc(1, sizeof(*cv));

	return finish(out, cv, tcsv_load_file(&cv->table, path, &schema_coverage, err), err);
}

int tariff_coverage_load_buffer(struct tariff_coverage **out, const char *name, const char *buf,
				size_t len, struct tc_err *err)
{
	struct tariff_coverage *cv = xcalloc(1, sizeof(*cv));

	return finish(out, cv, tcsv_load_buffer(&cv->table, name, buf, len, &schema_coverage, err),
		      err);
}

int tariff_coverage_load(struct tariff_coverage **out, const char *data_dir, struct tc_err *err)
{
	struct tariff_coverage *cv = xcalloc(1, sizeof(*cv));

	return finish(out, cv, dataset_load(&cv->table, data_dir, "tariff_coverage", err), err);
}

static int covers(const struct cov_row *r, const char *code, long date)
{
	return !strcmp(r->partner, code) && r->start <= date && (!r->end || r->end > date);
}

void tariff_coverage_share(const struct tariff_coverage *cv, int partner, const char *layer,
			   enum tariff_scope scope, long date, double *share, const char **basis,
			   const char **source, int *approximated)
{
	const char *code = tariff_timeline_partner(partner);
	const struct cov_row *any = NULL;

	for (size_t i = 0; cv && i < cv->n; i++) {
		const struct cov_row *r = &cv->rows[i];
		if (r->scope != scope || !covers(r, code, date))
			continue;
		if (!strcmp(r->layer, layer)) {
			*share = r->share;
			*basis = r->basis;
			*source = r->source;
			*approximated = r->approximated;
			return;
		}
		if (!strcmp(r->layer, "*") && !any)
			any = r;
	}
	if (any) {
		*share = any->share;
		*basis = any->basis;
		*source = any->source;
		*approximated = any->approximated;
		return;
	}
	*source = NULL;
	if (!strcmp(layer, "whatif")) {
		*share = 1;
		*basis = "a hypothetical layer on all goods";
		*approximated = 0;
	} else if (scope == TSCOPE_NON_USMCA && (partner == TARIFF_CN || partner == TARIFF_ROW)) {
		*share = 1;
		*basis = "the USMCA exemption does not apply to this partner";
		*approximated = 0;
	} else if (scope == TSCOPE_PRODUCT_LIST) {
		*share = 0;
		*basis = "no sourced share of this product list for this partner: left out (0)";
		*approximated = 1;
	} else {
		*share = 1;
		*basis = "no sourced coverage: all imports assumed to pay the statutory rate";
		*approximated = 1;
	}
}

size_t tariff_coverage_cells(const struct tariff_coverage *cv, int partner, long date,
			     const struct tariff_cov_cell **out, size_t max)
{
	const char *code = tariff_timeline_partner(partner);
	size_t n = 0;

	for (size_t i = 0; cv && i < cv->n; i++) {
		const struct cov_row *r = &cv->rows[i];
		if (!r->cell.nlayers || !covers(r, code, date))
			continue;
		if (n < max)
			out[n] = &r->cell;
		n++;
	}
	return n;
}

int tariff_coverage_is_cell_layer(const struct tariff_coverage *cv, int partner, const char *layer)
{
	const char *code = tariff_timeline_partner(partner);

	for (size_t i = 0; cv && i < cv->n; i++) {
		const struct cov_row *r = &cv->rows[i];
		if (!r->cell.nlayers || strcmp(r->partner, code))
			continue;
		for (size_t k = 0; k < r->cell.nlayers; k++)
			if (!strcmp(r->cell.layers[k], layer))
				return 1;
	}
	return 0;
}
