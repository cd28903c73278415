/*
** run_report.h: the report's run layer (src/run_report.c).
**
** report_run() loads the datasets the report needs and calls the models
** once: the joinpoint trends of the final overdose series, the VSRR 12
** month-ending series, the events, the effective tariff on China at each
** VSRR month, the Laffer sweep of the headline scenario with its Monte
** Carlo band, the shipped scenarios, the claims, the effective-rate steps
** of every partner, and the source lines (publishers of the rows each
** figure plots).  The tables of `tocalc report`, its figures, its HTML
** page and `tocalc plot RECIPE` all read the same struct report_result
** (report.h), so a table and its figure cannot disagree.
**
** Ownership: the result owns everything it points to; free it with
** report_result_release().
*/
#ifndef TOCALC_RUN_REPORT_H
#define TOCALC_RUN_REPORT_H

#include "tocalc/report.h"

/*
** Compute the parts of r that `need` (RR_* bits, report.h) asks for and r
** does not hold yet (r->have), so a caller may ask part by part: the
** report asks for each figure's part before drawing it, and nothing is
** computed twice.  r must be zeroed (report_result_init) before the first
** call.  scen_dir: the scenario files (RR_SCENARIOS; NULL is a usage
** error); laffer_dir: where the headline scenario REPORT_LAFFER_SCENARIO
** is (RR_LAFFER: the installed scenarios/, whatever --scenarios says;
** NULL is a data error).  On failure the parts already computed stay valid.
*/
void report_result_init(struct report_result *r);
int report_run(const char *data_dir, const char *scen_dir, const char *laffer_dir, unsigned need,
	       struct report_result *r, struct tc_err *err);
void report_result_release(struct report_result *r);

/*
** Publishers for a source line (run layer, reads sources.csv).  For the
** rows of `dataset` whose column `fcol` is one of `fvals` (NULL: every
** row), the first source id of `scol` is looked up in sources.csv; its
** publisher, shortened at " (" and " via ", is counted once per row.
** The `max` most cited publishers are appended to out, joined by ", ".
*/
void report_publishers(const char *data_dir, const char *dataset, const char *scol,
		       const char *fcol, const char *const *fvals, int max, char *out, size_t size);

/* ---- defined in run_report.c: the trends part of report_run() ---- */
/*
** Load overdose_annual.csv from data_dir (final and final_wonder rows of
** both series) and fit each series with Joinpoint's defaults.
*/
int report_trends_compute(const char *data_dir, struct report_trends *t, struct tc_err *err);
void report_trends_release(struct report_trends *t);

#endif
