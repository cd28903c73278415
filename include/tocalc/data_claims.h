/*
** data_claims.h: datasets/claims.csv (src/data_claims.c): its columns and
** schema, and one row as a checked struct claim (strings borrowed from the
** loaded table).
*/
#ifndef TOCALC_DATA_CLAIMS_H
#define TOCALC_DATA_CLAIMS_H

#include "tocalc/model_claims.h"
#include "tocalc/tcsv.h"

/* Column indexes of claims.csv (schema order). */
enum { CL_ID, CL_DOCUMENT, CL_SAID_ON, CL_QUOTE, CL_CLAIMED, CL_UNIT, CL_COMPARATOR,
       CL_TOLERANCE, CL_METHOD, CL_SERIES, CL_MEASURE, CL_LAYER, CL_FROM, CL_TO,
       CL_RELEASE_FROM, CL_RELEASE_TO, CL_RELEASE_SOURCE, CL_SOURCE, CL_NOTE };
extern const struct tcsv_schema schema_claims;

/* One claim, parsed and checked from a row of claims.csv (strings borrowed from the table). */
struct claim {
	const char *id, *document, *said_on, *quote, *series, *layer, *from, *to;
	const char *release_source, *source, *note;
	double claimed, tolerance, release_from, release_to;	/* NAN when missing */
	enum claim_unit unit;
	enum claim_comparator cmp;
	enum claim_method method;
	enum claim_measure measure;
	long line;
};

/*
** Fill `c` from row `i` of a loaded claims table and check that its method,
** measure, series and window fit together (e.g. a VSRR percent change needs
** YYYY-MM periods and a known series).  Errors name claims.csv:line.
*/
int claim_from_row(const struct tcsv_table *t, size_t i, struct claim *c, struct tc_err *err);
/*
** A tariff claim against the timeline it is checked with: 'from' and 'to'
** inside it, and for tariff_in_force the layer present for every partner.
** Errors name file:line:col of the claim (exit 1: the dataset is wrong).
*/
struct tariff_timeline;
int claim_check_timeline(const struct claim *c, const char *file, const struct tariff_timeline *tl,
			 struct tc_err *err);

/*
** The result of a claims run (claims_run.h, run layer): defined here, in
** the model layer, so that the plot recipes and report.h can read it
** without including a run-layer header.
*/
/* One evaluated claim. */
struct claim_result {
	struct claim c;			/* strings borrowed from the run's table */
	enum claim_verdict verdict;
	size_t ncand, best;
	double cand[CLAIM_MAX_CANDIDATES];
	char cand_label[CLAIM_MAX_CANDIDATES][64];	/* e.g. "VSRR predicted" */
	double release;			/* release-time value, NAN if none */
	double diff;			/* see claim_judge_out.diff; NAN for cannot check */
	char data_used[160];		/* series, measure and vintage the values come from */
	char context[256];		/* extra figures for the reader, may be "" */
	char reason[256];
	int data_older;			/* judged on data older than the claim's date */
	int self_sourced;		/* the only source is the claim's own document */
	char release_vintage[11];	/* the kept VSRR vintage the release value comes from, or "" */
	char secondary[160];		/* the claim's source ids that sources.csv marks secondary */
};

struct claims_run {
	struct tcsv_table table;	/* claims.csv, owns the strings */
	struct claim_result *res;	/* n entries, claims.csv order */
	size_t n;
	char vintage[11];		/* VSRR data vintage used */
};

#endif
