/*
** data_gsim.h: the strict reader of a GSIM case (src/data_gsim.c) into a
** struct gsim_input (model_gsim.h), released with gsim_input_release().
*/
#ifndef TOCALC_DATA_GSIM_H
#define TOCALC_DATA_GSIM_H

#include "tocalc/model_gsim.h"

/*
** The reader (src/data_gsim.c).  One file with sections
**     [regions]        region,demand_elasticity,substitution_elasticity,supply_elasticity
**     [flows]          exporter,<region>,<region>,...   (one row per region)
**     [tariff_before]  same shape, percent
**     [tariff_after]   same shape, percent
** lines starting with '#' are comments; or the four tables as separate CSV
** files.  Errors: "file:line:col: column 'x': ..." (exit 1).  On error `in`
** is left empty.  Docs: docs/gsim.md.
*/
int gsim_read_file(const char *path, struct gsim_input *in, struct tc_err *err);
int gsim_read_buffer(const char *name, const char *buf, size_t len,
		     struct gsim_input *in, struct tc_err *err);
int gsim_read_files(const char *regions, const char *flows, const char *tariff_before,
		    const char *tariff_after, struct gsim_input *in, struct tc_err *err);

#endif
