/*
** data_coverage.h: datasets/tariff_coverage.csv (src/data_coverage.c), the
** share of a partner's imports each legal layer reaches (docs/effective-rates.md).
** The table owns its strings; tariff_coverage_free() frees it.
*/
#ifndef TOCALC_DATA_COVERAGE_H
#define TOCALC_DATA_COVERAGE_H

#include <stddef.h>
#include "tocalc/data_tariffs.h"

/* datasets/tariff_coverage.csv, loaded and checked (opaque). */
struct tariff_coverage;

int tariff_coverage_load(struct tariff_coverage **cv, const char *data_dir, struct tc_err *err);
int tariff_coverage_load_file(struct tariff_coverage **cv, const char *path, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int tariff_coverage_load_buffer(struct tariff_coverage **cv, const char *name, const char *buf,
				size_t len, struct tc_err *err);
void tariff_coverage_free(struct tariff_coverage *cv);

/*
** Coverage share of `layer` with `scope` for `partner` on `date`, with
** *basis, *source (NULL when no row gives it) and *approximated set.
** Never fails.  Lookup: the row of the layer, else a row with layer "*"
** of the scope; without a row: non_usmca for CN or ROW is 1 (exact),
** all_goods is 1 (approximated), product_list is 0 (approximated: left
** out), the layer "whatif" is 1.
*/
void tariff_coverage_share(const struct tariff_coverage *cv, int partner, const char *layer,
			   enum tariff_scope scope, long date, double *share, const char **basis,
			   const char **source, int *approximated);

/*
** Section 301 cells (rows "cell:A+B+..." of the coverage table): the share
** of a partner's imports whose HTS8 is on exactly the lists of layers A, B,
** ...  tariff_effective_on() gives each cell to the layer with the highest
** rate in force, so a product is counted once.  Pointers into cv.
*/
#define TARIFF_CELL_MAX_LAYERS 8
struct tariff_cov_cell {
	const char *id;
	size_t nlayers;
	const char *layers[TARIFF_CELL_MAX_LAYERS];
	double share;
	const char *basis, *source;
	long line;
};
/* Cells of partner in force on date: writes at most max, returns how many there are. */
size_t tariff_coverage_cells(const struct tariff_coverage *cv, int partner, long date,
			     const struct tariff_cov_cell **out, size_t max);
/* Is layer a member of some cell of partner (its coverage comes from the cells)? */
int tariff_coverage_is_cell_layer(const struct tariff_coverage *cv, int partner, const char *layer);

#endif
