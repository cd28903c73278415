/*
** data_validate.h: checks of a loaded dataset beyond its schema
** (src/data_validate.c), run by `tocalc data validate`.
*/
#ifndef TOCALC_DATA_VALIDATE_H
#define TOCALC_DATA_VALIDATE_H

#include "tocalc/data_schema.h"

/*
** Check a loaded dataset beyond its schema: every source id it cites
** exists in `sources` (may be NULL to skip), values and their sources
** come together, time series have no gaps, dates are ordered.
** Returns 0 or -1 with a message naming the file and line.
*/
int dataset_check(const struct dataset_info *d, const struct tcsv_table *t,
		  const struct tcsv_table *sources, struct tc_err *err);

#endif
