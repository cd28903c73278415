/*
** cmd_overdose_jp.h: the by-group joinpoint run of `tocalc overdose
** joinpoint --file F --group COL` (src/cmd_overdose_jp.c), called from
** cmd_overdose.c's flag parser.  Prints its own errors; returns an exit code.
*/
#ifndef TOCALC_CMD_OVERDOSE_JP_H
#define TOCALC_CMD_OVERDOSE_JP_H

#include "tocalc/cmd.h"
#include "tocalc/model_joinpoint.h"

enum od_jp_weights { OD_JPW_NONE, OD_JPW_POISSON, OD_JPW_SE };

struct od_jp_group_args {
	const char *file, *xcol, *ycol, *group_col, *se_col;
	enum od_jp_weights weights;
	const char *from, *to;		/* numeric x range or NULL */
	const struct jp_options *jp;
	unsigned long seed;
};

int od_joinpoint_groups(const struct od_jp_group_args *a, struct tc_ctx *ctx);

#include "tocalc/data_overdose.h"

/*
** Selection-stability report (--stability): the same series fitted with
** every selection (permutation with `nseeds` seeds from `seed`, BIC, BIC3,
** WBIC, MBIC) and both searches (grid; Hudson with the information
** criteria), one table of the selected joinpoints and one
** summary row.  x, y, w (may be NULL) are the analysed points [i0, ...] of s.
** Adds tables and notes to doc; returns 0 or -1 with err filled.
*/
int od_joinpoint_stability(const struct od_series *s, size_t i0, const double *x, const double *y,
			   const double *w, size_t n, const struct jp_options *base, unsigned long seed,
			   int nseeds, struct out_doc *doc, struct tc_err *err);

#endif
