/*
** data_schema.c: the schema of every shipped dataset, declared once.
** See datasets/README.md for the meaning of each column.
*/
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const series_values[] = { "all_drugs", "synthetic_opioids", NULL };
const char *const partner_values[] = { "CN", "MX", "CA", "ALL", NULL };
static const char *const trade_partner_values[] = { "CN", "MX", "CA", "ROW", "WORLD", NULL };
static const char *const annual_status_values[] = { "final", "final_wonder", NULL };
/* overdose_12mo: CDC provisional counts, never "final" (data_vsrr.h) */
static const char *const vsrr_status_values[] = { "provisional_complete", "provisional", NULL };
static const char *const source_kind_values[] = { "primary", "secondary", NULL };
static const char *const precision_values[] = { "day", "month", NULL };
static const char *const scope_values[] = { "all_goods", "non_usmca", "product_list", NULL };
static const char *const tariff_status_values[] = {
	"proposed", "in_effect", "reduced", "superseded", "suspended", "voided", "expired", NULL
};
static const char *const flow_values[] = { "imports", "exports", NULL };
static const char *const basis_values[] = {
	"census_general", "census_consumption", "comtrade_fob", "comtrade_cif", "derived", NULL
};
static const char *const event_category_values[] = {
	"china_policy", "cooperation", "tariff", "court", NULL
};

#define OPT TCSV_OPTIONAL
#define KEY TCSV_KEY
#define NN TCSV_NONNEG

static const struct tcsv_col_spec overdose_annual_cols[] = {
	{ "year", TCSV_INT, KEY, NULL, 1900, 2199 },
	{ "series", TCSV_ENUM, KEY, series_values, 0, 0 },
	{ "deaths", TCSV_INT, OPT | NN, NULL, 0, 0 },
	{ "rate", TCSV_REAL, OPT | NN, NULL, 0, 0 },
	{ "status", TCSV_ENUM, 0, annual_status_values, 0, 0 },
	{ "deaths_source", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "rate_source", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec overdose_12mo_cols[] = {
	{ "period", TCSV_MONTH, KEY, NULL, 0, 0 },
	{ "series", TCSV_ENUM, KEY, series_values, 0, 0 },
	{ "reported", TCSV_INT, OPT | NN, NULL, 0, 0 },
	{ "predicted", TCSV_INT, OPT | NN, NULL, 0, 0 },
	{ "data_status", TCSV_ENUM, 0, vsrr_status_values, 0, 0 },
	{ "percent_complete", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "percent_pending", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "vintage", TCSV_DATE, 0, NULL, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
};

static const struct tcsv_col_spec tariffs_cols[] = {
	{ "id", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "effective", TCSV_DATE, 0, NULL, 0, 0 },
	{ "date_precision", TCSV_ENUM, 0, precision_values, 0, 0 },
	{ "end", TCSV_DATE, OPT, NULL, 0, 0 },
	{ "partner", TCSV_ENUM, 0, partner_values, 0, 0 },
	{ "layer", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "measure", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "authority", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "rate", TCSV_REAL, OPT, NULL, 0, 1000 },
	{ "scope", TCSV_ENUM, 0, scope_values, 0, 0 },
	{ "status", TCSV_ENUM, 0, tariff_status_values, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec coverage_cols[] = {
	{ "id", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "partner", TCSV_ENUM, 0, partner_values, 0, 0 },
	{ "layer", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "scope", TCSV_ENUM, 0, scope_values, 0, 0 },
	{ "start", TCSV_DATE, 0, NULL, 0, 0 },
	{ "end", TCSV_DATE, OPT, NULL, 0, 0 },
	{ "share", TCSV_REAL, NN, NULL, 0, 1 },
	{ "approximated", TCSV_INT, 0, NULL, 0, 1 },
	{ "basis", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "inputs", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec trade_cols[] = {
	{ "year", TCSV_INT, KEY, NULL, 1900, 2199 },
	{ "partner", TCSV_ENUM, KEY, trade_partner_values, 0, 0 },
	{ "flow", TCSV_ENUM, KEY, flow_values, 0, 0 },
	{ "value_musd", TCSV_REAL, OPT | NN, NULL, 0, 0 },
	{ "basis", TCSV_ENUM, KEY, basis_values, 0, 0 },
	{ "source", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec parameters_cols[] = {
	{ "name", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "value", TCSV_REAL, OPT, NULL, 0, 0 },
	{ "unit", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec events_cols[] = {
	{ "date", TCSV_DATE, 0, NULL, 0, 0 },
	{ "id", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "event", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "category", TCSV_ENUM, 0, event_category_values, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

static const struct tcsv_col_spec sources_cols[] = {
	{ "id", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "title", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "publisher", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "url", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "accessed", TCSV_DATE, OPT, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "kind", TCSV_ENUM, 0, source_kind_values, 0, 0 },
};

static const struct tcsv_col_spec claims_cols[] = {
	{ "id", TCSV_TEXT, KEY, NULL, 0, 0 },
	{ "document", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "said_on", TCSV_MONTH, OPT, NULL, 0, 0 },
	{ "quote", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "claimed", TCSV_REAL, OPT, NULL, 0, 0 },
	{ "unit", TCSV_ENUM, 0, claim_unit_names, 0, 0 },
	{ "comparator", TCSV_ENUM, 0, claim_comparator_names, 0, 0 },
	{ "tolerance", TCSV_REAL, OPT | NN, NULL, 0, 0 },
	{ "method", TCSV_ENUM, 0, claim_method_names, 0, 0 },
	{ "series", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "measure", TCSV_ENUM, 0, claim_measure_names, 0, 0 },
	{ "layer", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "from", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "to", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "release_from", TCSV_REAL, OPT | TCSV_POSITIVE, NULL, 0, 0 },
	{ "release_to", TCSV_REAL, OPT | NN, NULL, 0, 0 },
	{ "release_source", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "note", TCSV_TEXT, OPT, NULL, 0, 0 },
};

#define SCHEMA(var, nm, cols) \
	const struct tcsv_schema var = { nm, cols, TC_ARRAY_SIZE(cols), 0 }

SCHEMA(schema_overdose_annual, "overdose_annual", overdose_annual_cols);
SCHEMA(schema_overdose_12mo, "overdose_12mo", overdose_12mo_cols);
SCHEMA(schema_tariffs, "tariffs", tariffs_cols);
SCHEMA(schema_trade, "trade", trade_cols);
SCHEMA(schema_coverage, "tariff_coverage", coverage_cols);
SCHEMA(schema_parameters, "parameters", parameters_cols);
SCHEMA(schema_events, "events", events_cols);
SCHEMA(schema_sources, "sources", sources_cols);
SCHEMA(schema_claims, "claims", claims_cols);

static const char *const oa_src[] = { "deaths_source", "rate_source", NULL };
static const char *const src_col[] = { "source", NULL };
static const char *const claims_src[] = { "source", "release_source", NULL };

/* Sorted by name. */
static const struct dataset_info registry[] = {
	{ "claims", "claims.csv", &schema_claims,
	  "numeric claims of the source documents and what recomputes each", -1, claims_src },
	{ "events", "events.csv", &schema_events,
	  "policy dates for trend analysis (scheduling, cooperation, tariffs, court)", EV_DATE, src_col },
	{ "overdose_12mo", "overdose_12mo.csv", &schema_overdose_12mo,
	  "CDC VSRR provisional 12 month-ending overdose deaths, US, reported and predicted",
	  O12_PERIOD, src_col },
	{ "overdose_annual", "overdose_annual.csv", &schema_overdose_annual,
	  "US final NCHS overdose deaths and age-adjusted rates by year", OA_YEAR, oa_src },
	{ "parameters", "parameters.csv", &schema_parameters,
	  "model parameters (households, elasticities, pass-through)", -1, src_col },
	{ "sources", "sources.csv", &schema_sources,
	  "the sources every other dataset cites", -1, NULL },
	{ "tariff_coverage", "tariff_coverage.csv", &schema_coverage,
	  "share of each partner's imports that each tariff layer reaches, by period", CV_START,
	  src_col },
	{ "tariffs", "tariffs.csv", &schema_tariffs,
	  "US tariff timeline on China, Mexico and Canada, one row per change", TF_EFFECTIVE, src_col },
	{ "trade", "trade.csv", &schema_trade,
	  "US goods imports from and exports to China, Mexico and Canada by year", TR_YEAR, src_col },
};

const struct dataset_info *datasets_all(size_t *n)
{
	*n = TC_ARRAY_SIZE(registry);
	return registry;
}

const struct dataset_info *dataset_find(const char *name)
{
	size_t len = strlen(name);

	/* accept "tariffs" and "tariffs.csv" */
	if (len > 4 && !strcmp(name + len - 4, ".csv"))
		len -= 4;
	for (size_t i = 0; i < TC_ARRAY_SIZE(registry); i++)
		if (strlen(registry[i].name) == len && !strncmp(registry[i].name, name, len))
			return &registry[i];
	return NULL;
}

int dataset_load(struct tcsv_table *t, const char *data_dir, const char *name, struct tc_err *err)
{
	const struct dataset_info *d = dataset_find(name);
	size_t n;
	char *path;
	int rc;

	if (!d)
		return tc_fail(err, "unknown dataset '%s'", name);
	n = strlen(data_dir) + strlen(d->file) + 2;
	path = xmalloc(n);
	snprintf(path, n, "%s/%s", data_dir, d->file);
	rc = tcsv_load_file(t, path, d->schema, err);
	free(path);
	return rc;
}

/*
** The rows with the smallest and largest value of column col (missing
** values skipped; with only, just the rows whose only_col is that text):
** lo and hi get their indices, or SIZE_MAX when no row counts.
*/
static void col_range(const struct tcsv_table *t, int col, int only_col, const char *only,
		      size_t *lo, size_t *hi)
{
	const struct tcsv_column *c = &t->cols[col];

	*lo = *hi = SIZE_MAX;
	for (size_t i = 0; i < t->nrows; i++) {
		if (c->missing[i])
			continue;
		if (only && (t->cols[only_col].missing[i] || strcmp(t->cols[only_col].text[i], only)))
			continue;
		if (*lo == SIZE_MAX || c->num[i] < c->num[*lo])
			*lo = i;
		if (*hi == SIZE_MAX || c->num[i] > c->num[*hi])
			*hi = i;
	}
}

/* A value of column col as the file writes it, or "%.0f" of a number. */
static void col_text(const struct tcsv_table *t, int col, size_t i, char *buf, size_t size)
{
	if (t->cols[col].text)
		snprintf(buf, size, "%s", t->cols[col].text[i]);
	else
		snprintf(buf, size, "%.0f", t->cols[col].num[i]);
}

void dataset_period(const struct dataset_info *d, const struct tcsv_table *t, char *first, char *last,
		    size_t size)
{
	size_t lo, hi;

	first[0] = last[0] = '\0';
	if (d->period_col < 0)
		return;
	col_range(t, d->period_col, 0, NULL, &lo, &hi);
	if (lo == SIZE_MAX)
		return;
	col_text(t, d->period_col, lo, first, size);
	col_text(t, d->period_col, hi, last, size);
}

/* "2015-2023", "2024" or "-" for the years of the rows with status `status`. */
static void status_years(const struct tcsv_table *t, const char *status, char *buf, size_t size)
{
	size_t lo, hi;

	col_range(t, OA_YEAR, OA_STATUS, status, &lo, &hi);
	if (lo == SIZE_MAX)
		snprintf(buf, size, "-");
	else if (t->cols[OA_YEAR].num[lo] == t->cols[OA_YEAR].num[hi])
		snprintf(buf, size, "%.0f", t->cols[OA_YEAR].num[lo]);
	else
		snprintf(buf, size, "%.0f-%.0f", t->cols[OA_YEAR].num[lo], t->cols[OA_YEAR].num[hi]);
}

void dataset_vintage(const struct dataset_info *d, const struct tcsv_table *t, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!t->nrows)
		return;
	if (d->schema == &schema_overdose_12mo) {
		size_t vlo, vhi, plo, phi;
		col_range(t, O12_VINTAGE, 0, NULL, &vlo, &vhi);
		col_range(t, O12_PERIOD, O12_DATA_STATUS, "provisional", &plo, &phi);
		if (vlo != SIZE_MAX && strcmp(t->cols[O12_VINTAGE].text[vlo], t->cols[O12_VINTAGE].text[vhi]))
			snprintf(buf, size, "vintages %s to %s (CDC VSRR downloads)",
				 t->cols[O12_VINTAGE].text[vlo], t->cols[O12_VINTAGE].text[vhi]);
		else if (vhi != SIZE_MAX)
			snprintf(buf, size, "vintage %s (CDC VSRR download)", t->cols[O12_VINTAGE].text[vhi]);
		if (plo != SIZE_MAX)
			snprintf(buf + strlen(buf), size - strlen(buf), "%sprovisional from %s",
				 buf[0] ? ", " : "", t->cols[O12_PERIOD].text[plo]);
	} else if (d->schema == &schema_overdose_annual) {
		char f[32], w[32];
		status_years(t, "final", f, sizeof(f));
		status_years(t, "final_wonder", w, sizeof(w));
		if (strcmp(w, "-"))
			snprintf(buf, size, "vintage: final NCHS %s, final CDC WONDER %s", f, w);
		else
			snprintf(buf, size, "vintage: final NCHS %s", f);
	}
}
