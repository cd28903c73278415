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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cov_row {
	const char *id, *partner, *layer, *basis, *source;
	enum tariff_scope scope;
	long start, end;	/* yyyymmdd; end exclusive, 0 = open */
	double share;
	int approximated;
	long line;
	struct tariff_cov_cell *cell;	/* cell rows only, into cv->cells; NULL for the others */
	char *cellbuf;
	int pcode;		/* tariff_partner_index(partner) */
	size_t next;		/* the next row of the same partner and layer, NONE at the end */
	size_t cell_next;	/* cell rows: the partner's next cell row, NONE at the end */
};

#define NONE ((size_t)-1)

/*
** The index, built with the rows: one entry per partner code (0-3) and
** name, the name being a row's layer or a member layer of a cell row.
** first: the partner's rows of that layer in file order (chained by next),
** NONE when the name is only a cell member; in_cell: some cell row of the
** partner names it.
*/
struct cov_key {
	const char *name;
	int pcode, in_cell;
	size_t first, last;
};

struct tariff_coverage {
	struct tcsv_table table;
	struct cov_row *rows;
	size_t n;
	struct tariff_cov_cell *cells;	/* the cell rows' cells (one block: 29 of 147 rows) */
	size_t ncells;
	struct cov_key *keys;	/* nkeys entries, in the order first seen */
	size_t nkeys;
	uint32_t *slot;		/* open addressing, cap slots: 1 + an index into keys, 0 empty */
	size_t cap;		/* a power of two */
	size_t cell_first[TARIFF_NPARTNERS], cell_last[TARIFF_NPARTNERS];	/* chains of cell rows */
};

void tariff_coverage_free(struct tariff_coverage *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; i < cv->n; i++)
		free(cv->rows[i].cellbuf);
	free(cv->rows);
	free(cv->cells);
	free(cv->keys);
	free(cv->slot);
	tcsv_table_release(&cv->table);
	free(cv);
}

static int split_cell(struct tariff_coverage *cv, struct cov_row *r, const char *path,
		      struct tc_err *err)
{
	char *p, *save = NULL, *tok;

	r->cell = &cv->cells[cv->ncells++];
	memset(r->cell, 0, sizeof(*r->cell));
	r->cellbuf = xstrdup(r->layer + 5);
	r->cell->id = r->id;
	r->cell->share = r->share;
	r->cell->basis = r->basis;
	r->cell->source = r->source;
	r->cell->line = r->line;
	for (p = r->cellbuf; (tok = strtok_r(p, "+", &save)); p = NULL) {
		if (r->cell->nlayers == TARIFF_CELL_MAX_LAYERS)
			return tc_fail(err, "%s:%ld:%d: column 'layer': more than %d layers in a cell",
				       path, r->line, CV_LAYER + 1, TARIFF_CELL_MAX_LAYERS);
		r->cell->layers[r->cell->nlayers++] = tok;
	}
	if (r->cell->nlayers < 1)
		return tc_fail(err, "%s:%ld:%d: column 'layer': empty layer name in '%s'", path, r->line,
			       CV_LAYER + 1, r->layer);
	return 0;
}

/* The slot of (pc, name): the one holding its entry, or the empty one where it goes. */
static uint32_t *key_slot(const struct tariff_coverage *cv, int pc, const char *name)
{
	size_t h = (tariff_name_hash(name) ^ (unsigned)pc * 0x9e3779b9u) & (cv->cap - 1);

	for (;;) {
		const struct cov_key *k;
		if (!cv->slot[h])
			return &cv->slot[h];
		k = &cv->keys[cv->slot[h] - 1];
		if (k->pcode == pc && !strcmp(k->name, name))
			return &cv->slot[h];
		h = (h + 1) & (cv->cap - 1);
	}
}

static struct cov_key *key_add(struct tariff_coverage *cv, int pc, const char *name)
{
	uint32_t *s = key_slot(cv, pc, name);
	struct cov_key *k;

	if (*s)
		return &cv->keys[*s - 1];
	k = &cv->keys[cv->nkeys++];
	*s = (uint32_t)cv->nkeys;
	k->name = name;
	k->pcode = pc;
	k->in_cell = 0;
	k->first = k->last = NONE;
	return k;
}

static void build_index(struct tariff_coverage *cv)
{
	size_t names = 0;

	for (size_t i = 0; i < cv->n; i++)
		names += 1 + (cv->rows[i].cell ? cv->rows[i].cell->nlayers : 0);
	cv->cap = 8;
	while (cv->cap < 2 * names)
		cv->cap *= 2;
	cv->slot = xcalloc(cv->cap, sizeof(*cv->slot));
	cv->keys = xmalloc((names ? names : 1) * sizeof(*cv->keys));
	cv->nkeys = 0;
	for (int p = 0; p < TARIFF_NPARTNERS; p++)
		cv->cell_first[p] = cv->cell_last[p] = NONE;
	for (size_t i = 0; i < cv->n; i++) {
		struct cov_row *r = &cv->rows[i];
		struct cov_key *k;
		int pc = r->pcode;
		r->next = r->cell_next = NONE;
		if (pc < 0)
			continue;	/* no lookup asks for another partner */
		k = key_add(cv, pc, r->layer);
		if (k->last == NONE)
			k->first = i;
		else
			cv->rows[k->last].next = i;
		k->last = i;
		if (!r->cell)
			continue;
		if (cv->cell_last[pc] == NONE)
			cv->cell_first[pc] = i;
		else
			cv->rows[cv->cell_last[pc]].cell_next = i;
		cv->cell_last[pc] = i;
		for (size_t j = 0; j < r->cell->nlayers; j++)
			key_add(cv, pc, r->cell->layers[j])->in_cell = 1;
	}
}

static int build(struct tariff_coverage *cv, struct tc_err *err)
{
	const struct tcsv_table *t = &cv->table;

	cv->n = t->nrows;
	cv->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*cv->rows));
	/* a block for every row, touched only as far as there are cells */
	cv->cells = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*cv->cells));
	cv->ncells = 0;
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
		if (!strncmp(r->layer, "cell:", 5) && split_cell(cv, r, t->path, err))
			return -1;
		r->pcode = tariff_partner_index(r->partner);
	}
	build_index(cv);
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

static int in_date(const struct cov_row *r, long date)
{
	return r->start <= date && (!r->end || r->end > date);
}

/* The index entry of partner k's name, NULL when none. */
static const struct cov_key *key_find(const struct tariff_coverage *cv, int k, const char *name)
{
	const uint32_t *s;

	if (!cv || !cv->slot || k < 0 || k >= TARIFF_NPARTNERS || !name)
		return NULL;
	s = key_slot(cv, k, name);
	return *s ? &cv->keys[*s - 1] : NULL;
}

/* The first row of the chain from entry e (file order) with scope on date. */
static const struct cov_row *chain_first(const struct tariff_coverage *cv, const struct cov_key *e,
					 enum tariff_scope scope, long date)
{
	for (size_t i = e ? e->first : NONE; i != NONE; i = cv->rows[i].next)
		if (cv->rows[i].scope == scope && in_date(&cv->rows[i], date))
			return &cv->rows[i];
	return NULL;
}

void tariff_coverage_share(const struct tariff_coverage *cv, int partner, const char *layer,
			   enum tariff_scope scope, long date, double *share, const char **basis,
			   const char **source, int *approximated)
{
	const struct cov_row *any = chain_first(cv, key_find(cv, partner, layer), scope, date);

	if (!any)
		any = chain_first(cv, key_find(cv, partner, "*"), scope, date);
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
	size_t n = 0;

	if (!cv || !cv->slot || partner < 0 || partner >= TARIFF_NPARTNERS)
		return 0;
	for (size_t i = cv->cell_first[partner]; i != NONE; i = cv->rows[i].cell_next) {
		const struct cov_row *r = &cv->rows[i];
		if (!in_date(r, date))
			continue;
		if (n < max)
			out[n] = r->cell;
		n++;
	}
	return n;
}

int tariff_coverage_is_cell_layer(const struct tariff_coverage *cv, int partner, const char *layer)
{
	const struct cov_key *e = key_find(cv, partner, layer);

	return e && e->in_cell;
}
