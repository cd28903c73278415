/*
** cmd_overdose_jp.h: the by-group joinpoint table of `tocalc overdose
** joinpoint --file F --group COL` and the --stability tables
** (src/cmd_overdose_jp.c), called from cmd_overdose.c; the numbers come
** from run_overdose.h.  od_joinpoint_groups prints its own errors and
** returns an exit code.
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

#include "tocalc/run_overdose.h"

/*
** Selection-stability report (--stability): the runs computed by
** run_overdose() (run_od_stability) as two tables, meta fields and notes.
** s and i0 label the joinpoints (indexes are in the analysed points [i0, ...]).
*/
void od_joinpoint_stability(const struct od_series *s, size_t i0, const struct run_od_stability *st,
			    struct out_doc *doc);

#endif
