/*
** data_hs10.c: the Census HS10 import-file reader (streamed through
** tcsv) and Section 301 product lists with their rates on a date.
** Contract and ownership: include/tocalc/data_tariffs.h.
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- HS10 */

enum { H_HS10, H_HS8, H_DESC, H_CTY, H_YEAR, H_VAL, H_DUT };

static const struct tcsv_col_spec hs10_cols[] = {
	{ "HS10", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "HS8", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "I_COMMODITY_SDESC", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "CTY_NAME", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "YEAR", TCSV_INT, 0, NULL, 1900, 2199 },
	{ "CON_VAL_YR", TCSV_REAL, TCSV_NONNEG, NULL, 0, 0 },
	{ "CAL_DUT_YR", TCSV_REAL, TCSV_NONNEG | TCSV_OPTIONAL, NULL, 0, 0 },
};

static const struct tcsv_schema hs10_schema = {
	"hs10", hs10_cols, TC_ARRAY_SIZE(hs10_cols), TCSV_ALLOW_EXTRA
};

/* s is exactly n ASCII digits (NULL is not) */
static int all_digits(const char *s, size_t n)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++)	/* stops at a NUL too: not a digit */
		if ((unsigned)(unsigned char)s[i] - '0' > 9)
			return 0;
	return s[n] == '\0';
}

/* s is exactly 10 ASCII digits: their value in *v (one pass, no strlen) */
static int digits10(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!s)
		return 0;
	for (size_t i = 0; i < 10; i++) {	/* stops at a NUL too: not a digit */
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return 0;
		x = x * 10 + d;
	}
	*v = x;
	return s[10] == '\0';
}

static uint32_t digits_value(const char *s, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint32_t)(s[i] - '0');
	return v;
}

struct hs10_ctx {
	const char *path;
	hs10_row_fn fn;
	void *ud;
};

static int hs10_row_cb(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	struct hs10_ctx *c = ud;
	struct hs10_row r;
	uint64_t v10;
	size_t i;

	r.hs10 = row->text[H_HS10];
	r.hs8 = row->text[H_HS8];
	if (!digits10(r.hs10, &v10))
		return tc_fail(err, "%s:%ld: column 'HS10': expected 10 digits, got \"%s\"", c->path,
			       row->line, r.hs10 ? r.hs10 : "");
	/* HS8 is exactly HS10's first 8 digits (a shorter HS8 differs at its NUL) */
	for (i = 0; r.hs8 && i < 8 && r.hs8[i] == r.hs10[i]; i++)
		;
	if (i < 8 || r.hs8[8])
		return tc_fail(err, "%s:%ld: column 'HS8': expected the first 8 digits of HS10 (%.8s), "
			       "got \"%s\"", c->path, row->line, r.hs10, r.hs8 ? r.hs8 : "");
	r.hs8num = (uint32_t)(v10 / 100);
	r.chapter = (int)(v10 / 100000000);
	if (r.chapter < 1)
		return tc_fail(err, "%s:%ld: column 'HS10': chapter 00 does not exist", c->path, row->line);
	r.desc = row->text[H_DESC];
	r.country = row->text[H_CTY];
	r.year = (int)row->num[H_YEAR];
	r.value = row->num[H_VAL];
	r.duty = row->missing[H_DUT] ? NAN : row->num[H_DUT];
	r.line = row->line;
	return c->fn(&r, c->ud, err);
}

int hs10_stream(const char *path, hs10_row_fn fn, void *ud, struct tc_err *err)
{
	struct hs10_ctx c = { path, fn, ud };
	return tcsv_stream_file(path, &hs10_schema, hs10_row_cb, &c, err);
}

int hs10_stream_buffer(const char *name, const char *buf, size_t len, hs10_row_fn fn, void *ud,
		       struct tc_err *err)
{
	struct hs10_ctx c = { name, fn, ud };
	return tcsv_stream_buffer(name, buf, len, &hs10_schema, hs10_row_cb, &c, err);
}

/* ------------------------------------------------------- row filter */

const char *const hs10_partner_names[] = { "CHINA", "MEXICO", "CANADA", NULL };

const char *hs10_census_name(const char *code)
{
	static const char *const codes[] = { "CN", "MX", "CA" };

	for (size_t i = 0; code && i < TC_ARRAY_SIZE(codes); i++)
		if (!strcmp(code, codes[i]))
			return hs10_partner_names[i];
	return NULL;
}

#define HS10_MAX_YEARS 16

struct filter_ctx {
	const char *path;
	const struct hs10_filter *f;
	hs10_row_fn fn;
	void *ud;
	struct hs10_summary *sum;
	int year;		/* the year kept: f->year, or the first row's */
	int years[HS10_MAX_YEARS];	/* every year seen (for the message) */
	size_t nyears;
	int several_years;	/* f->year == 0 and a second year appeared: fail at the end */
	long rows_country;	/* rows of the partner's country, any year */
	long rows_year;		/* rows of the year, any country */
	char first_other[48];	/* a country found that is not the partner's */
};

static int country_kept(const struct hs10_filter *f, const char *cty)
{
	if (f->any_country)
		return 1;
	if (f->country)
		return cty && !strcmp(cty, f->country);
	for (size_t i = 0; f->exclude && f->exclude[i]; i++)
		if (cty && !strcmp(cty, f->exclude[i]))
			return 0;
	return 1;
}

static void skip_row(struct hs10_summary *s, const struct hs10_row *r)
{
	const char *cty = r->country ? r->country : "";
	size_t g;

	s->rows_skipped++;
	s->value_skipped += r->value;
	for (g = 0; g < s->ngroups; g++)
		if (s->group[g].year == r->year && !strncmp(s->group[g].country, cty,
							     sizeof(s->group[g].country) - 1))
			break;
	if (g == s->ngroups) {
		if (g == HS10_MAX_GROUPS) {
			s->rows_other++;
			s->value_other += r->value;
			return;
		}
		snprintf(s->group[g].country, sizeof(s->group[g].country), "%s", cty);
		s->group[g].year = r->year;
		s->ngroups++;
	}
	s->group[g].rows++;
	s->group[g].value += r->value;
}

static int filter_row(const struct hs10_row *r, void *ud, struct tc_err *err)
{
	struct filter_ctx *c = ud;
	int ck = country_kept(c->f, r->country), yk;
	size_t i;

	for (i = 0; i < c->nyears && c->years[i] != r->year; i++)
		;
	if (i == c->nyears && i < HS10_MAX_YEARS)
		c->years[c->nyears++] = r->year;
	if (!c->year)
		c->year = r->year;
	else if (!c->f->year && r->year != c->year)
		c->several_years = 1;
	yk = r->year == c->year;
	if (ck)
		c->rows_country++;
	else if (!c->first_other[0])
		snprintf(c->first_other, sizeof(c->first_other), "%s", r->country ? r->country : "");
	if (yk)
		c->rows_year++;
	if (c->several_years)
		return 0;	/* the stream fails at the end; only the years are still read */
	if (!ck || !yk) {
		skip_row(c->sum, r);
		return 0;
	}
	c->sum->rows_kept++;
	c->sum->value_kept += r->value;
	return c->fn(r, c->ud, err);
}

static int years_list(const struct filter_ctx *c, char *buf, size_t size)
{
	size_t o = 0;
	int sorted[HS10_MAX_YEARS];

	memcpy(sorted, c->years, c->nyears * sizeof(int));
	for (size_t i = 1; i < c->nyears; i++)	/* insertion sort */
		for (size_t j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
			int t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < c->nyears && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%d", i ? ", " : "", sorted[i]);
	if (c->nyears == HS10_MAX_YEARS && o < size)
		snprintf(buf + o, size - o, ", ...");
	return 0;
}

static int filter_finish(struct filter_ctx *c, int rc, struct tc_err *err)
{
	const struct hs10_filter *f = c->f;
	char years[200];

	if (rc)
		return rc;
	c->sum->year = c->year;
	years_list(c, years, sizeof(years));
	if (c->several_years)
		return tc_fail(err, "%s: column 'YEAR': the file holds rows of several years (%s): "
			       "choose one with --year", c->path, years);
	if (c->sum->rows_kept)
		return 0;
	if (!c->rows_country) {
		if (f->country)
			return tc_fail(err, "%s: column 'CTY_NAME': no row of %s (the file holds %s%s): "
				       "give the file's partner with --partner, or use every row with "
				       "--any-country", c->path, f->country,
				       c->first_other[0] ? c->first_other : "rows without a country",
				       c->sum->ngroups > 1 ? ", ..." : "");
		return tc_fail(err, "%s: column 'CTY_NAME': every row is of a partner of its own "
			       "(%s): give it with --partner, or use every row with --any-country",
			       c->path, c->first_other);
	}
	return tc_fail(err, "%s: column 'YEAR': no row of %s for %d (the file holds %s)", c->path,
		       f->any_country ? "any country" : f->country ? f->country : "the partner",
		       c->year, years);
}

static void filter_setup(struct filter_ctx *c, const char *path, const struct hs10_filter *f,
			 hs10_row_fn fn, void *ud, struct hs10_summary *sum)
{
	memset(c, 0, sizeof(*c));
	memset(sum, 0, sizeof(*sum));
	c->path = path;
	c->f = f;
	c->fn = fn;
	c->ud = ud;
	c->sum = sum;
	c->year = f->year;
}

int hs10_stream_filtered(const char *path, const struct hs10_filter *f, hs10_row_fn fn,
			 void *ud, struct hs10_summary *sum, struct tc_err *err)
{
	struct filter_ctx c;

	filter_setup(&c, path, f, fn, ud, sum);
	return filter_finish(&c, hs10_stream(path, filter_row, &c, err), err);
}

int hs10_stream_filtered_buffer(const char *name, const char *buf, size_t len,
				const struct hs10_filter *f, hs10_row_fn fn, void *ud,
				struct hs10_summary *sum, struct tc_err *err)
{
	struct filter_ctx c;

	filter_setup(&c, name, f, fn, ud, sum);
	return filter_finish(&c, hs10_stream_buffer(name, buf, len, filter_row, &c, err), err);
}

void hs10_summary_text(const struct hs10_summary *s, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t g = 0; g < s->ngroups && o < size; g++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s %d: %ld line%s, USD %.0f", g ? "; " : "",
				      s->group[g].country[0] ? s->group[g].country : "(no country)",
				      s->group[g].year, s->group[g].rows, s->group[g].rows == 1 ? "" : "s",
				      s->group[g].value);
	if (s->rows_other && o < size)
		snprintf(buf + o, size - o, "; others: %ld lines, USD %.0f", s->rows_other,
			 s->value_other);
}

/* ------------------------------------------------------- product lists */

/*
** Section 301 lists as named in ../shared/data/section301_china_hts8_lists.csv
** (Budget-Lab-Yale/tariff-rate-tracker:resources/s301_product_lists.csv).
** Rates and dates: trade-and-tariffs.md section 2a and the tariffs.csv rows
** named; when `layer` is set and the timeline is given, the timeline's rate
** for that layer on the date is used instead of the built-in rate.
*/
struct s301_list {
	const char *name, *layer;
	double rate;		/* percent, from `effective` */
	long effective;		/* 0 = never in force */
	const char *source;
};

static const struct s301_list s301_lists[] = {
	{ "1", "s301_list1", 25, 20180706, "tariffs.csv s301-list1-2018-07-06" },
	{ "2", "s301_list2", 25, 20180823, "tariffs.csv s301-list2-2018-08-23" },
	{ "3", "s301_list3", 25, 20190510, "tariffs.csv s301-list3-2019-05-10 (10% from 2018-09-24)" },
	{ "3_addl", "s301_list3", 25, 20190510, "assumed the List 3 rate (tariffs.csv s301_list3)" },
	{ "4A", "s301_list4a", 7.5, 20200214, "tariffs.csv s301-list4a-2020-02-14 (15% from 2019-09-01)" },
	{ "4B", "s301_list4b", 0, 0, "tariffs.csv s301-list4b-2019-12-15 (suspended, never applied)" },
	{ "biden_25", NULL, 25, 20240927, "four-year review 2024 at 25% (tariffs.csv s301-rev-*-2024-09-27)" },
	{ "biden_50", NULL, 50, 20240927, "four-year review 2024: solar cells (s301-rev-solar-cells-2024-09-27)" },
	{ "biden_100", NULL, 100, 20240927, "four-year review 2024: EVs, syringes (s301-rev-ev-2024-09-27)" },
	{ "biden_25_jan25", NULL, 25, 20250101, "four-year review, 25% from 2025-01-01 (rate from the list name)" },
	{ "biden_50_jan25", NULL, 50, 20250101, "four-year review: semiconductors (s301-rev-semiconductors-2025-01-01)" },
	{ "biden_jan26", NULL, 25, 20260101, "four-year review, 2026-01-01 (s301-rev-*-2026-01-01 at 25%)" },
	{ "cranes_301", NULL, 25, 20240927, "four-year review 2024: STS cranes (s301-rev-sts-cranes-2024-09-27)" },
};

enum { P_HTS8, P_LIST };

static const struct tcsv_col_spec plist_cols[] = {
	{ "hts8", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "list", TCSV_TEXT, 0, NULL, 0, 0 },
};

static const struct tcsv_schema plist_schema = {
	"product_rates", plist_cols, TC_ARRAY_SIZE(plist_cols), TCSV_ALLOW_EXTRA
};

struct pair {
	uint32_t hs8, mask;
};

struct plist_ctx {
	struct product_rates *pr;
	struct pair *pairs;
	size_t n, cap;
	const char *path;
};

static int plist_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	struct plist_ctx *c = ud;
	struct product_rates *pr = c->pr;
	const char *h = row->text[P_HTS8], *l = row->text[P_LIST];
	size_t li;
	int known = 0;

	if (!all_digits(h, 8))
		return tc_fail(err, "%s:%ld: column 'hts8': expected 8 digits, got \"%s\"", c->path,
			       row->line, h ? h : "");
	for (size_t i = 0; i < TC_ARRAY_SIZE(s301_lists); i++)
		if (l && !strcmp(l, s301_lists[i].name))
			known = 1;
	if (!known)
		return tc_fail(err, "%s:%ld: column 'list': unknown Section 301 list \"%s\" "
			       "(see docs/tariff-methods.md)", c->path, row->line, l ? l : "");
	for (li = 0; li < pr->nlists; li++)
		if (!strcmp(pr->lists[li], l))
			break;
	if (li == pr->nlists) {
		if (li == PRODUCT_MAX_LISTS)
			return tc_fail(err, "%s:%ld: more than %d lists", c->path, row->line,
				       PRODUCT_MAX_LISTS);
		pr->lists[li] = xstrdup(l);
		pr->nlists++;
	}
	pr->count[li]++;
	c->pairs = xgrow(c->pairs, &c->cap, c->n + 1, sizeof(*c->pairs));
	c->pairs[c->n].hs8 = digits_value(h, 8);
	c->pairs[c->n].mask = 1u << li;
	c->n++;
	return 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return x->hs8 < y->hs8 ? -1 : x->hs8 > y->hs8;
}

void product_rates_release(struct product_rates *pr)
{
	free(pr->hs8);
	free(pr->mask);
	for (size_t i = 0; i < pr->nlists; i++)
		free(pr->lists[i]);
	free(pr->path);
	memset(pr, 0, sizeof(*pr));
}

/* From the file `path`, or from buf[0..len) named `path` when buf is not NULL. */
static int product_rates_read(struct product_rates *pr, const char *path, const char *buf,
			      size_t len, long date, const struct tariff_timeline *tl,
			      struct tc_err *err)
{
	struct plist_ctx c;
	int rc;

	memset(pr, 0, sizeof(*pr));
	memset(&c, 0, sizeof(c));
	c.pr = pr;
	c.path = path;
	pr->path = xstrdup(path);
	pr->date = date;
	rc = buf ? tcsv_stream_buffer(path, buf, len, &plist_schema, plist_row, &c, err)
		 : tcsv_stream_file(path, &plist_schema, plist_row, &c, err);
	if (rc) {
		free(c.pairs);
		product_rates_release(pr);
		return -1;
	}
	if (!c.n) {
		free(c.pairs);
		product_rates_release(pr);
		return tc_fail(err, "%s: no product in the file", path);
	}
	qsort(c.pairs, c.n, sizeof(*c.pairs), pair_cmp);
	pr->hs8 = xmalloc(c.n * sizeof(*pr->hs8));
	pr->mask = xmalloc(c.n * sizeof(*pr->mask));
	for (size_t i = 0; i < c.n; i++) {
		if (pr->n && pr->hs8[pr->n - 1] == c.pairs[i].hs8) {
			pr->mask[pr->n - 1] |= c.pairs[i].mask;
			continue;
		}
		pr->hs8[pr->n] = c.pairs[i].hs8;
		pr->mask[pr->n] = c.pairs[i].mask;
		pr->n++;
	}
	free(c.pairs);
	/* Price each list on the date. */
	for (size_t li = 0; li < pr->nlists; li++) {
		const struct s301_list *L = NULL;
		for (size_t i = 0; i < TC_ARRAY_SIZE(s301_lists); i++)
			if (!strcmp(pr->lists[li], s301_lists[i].name))
				L = &s301_lists[i];
		pr->rate_source[li] = L->source;
		if (L->layer && tl) {
			double r;
			if (tariff_layer_rate_on(tl, "CN", L->layer, date, &r, NULL, err)) {
				product_rates_release(pr);
				return -1;
			}
			pr->rate[li] = r;
		} else {
			pr->rate[li] = L->effective && date >= L->effective ? L->rate : 0;
		}
	}
	return 0;
}

int product_rates_load(struct product_rates *pr, const char *path, long date,
		       const struct tariff_timeline *tl, struct tc_err *err)
{
	return product_rates_read(pr, path, NULL, 0, date, tl, err);
}

int product_rates_load_buffer(struct product_rates *pr, const char *name, const char *buf,
			      size_t len, long date, const struct tariff_timeline *tl,
			      struct tc_err *err)
{
	return product_rates_read(pr, name, buf ? buf : "", len, date, tl, err);
}

double product_rate(const struct product_rates *pr, uint32_t hs8, int *matched)
{
	size_t lo = 0, hi = pr->n;
	double best = 0;

	*matched = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pr->hs8[mid] < hs8)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pr->n || pr->hs8[lo] != hs8)
		return 0;
	*matched = 1;
	for (size_t li = 0; li < pr->nlists; li++)
		if ((pr->mask[lo] & (1u << li)) && pr->rate[li] > best)
			best = pr->rate[li];
	return best;
}
