/*
** test_data_index.c: the lookups the what-if resolves through, answered
** from the indexes built at load (layer ids and partner codes of the
** timeline, data_tariffs.c; the (partner, layer) hash and cell chains of
** the coverage table, data_coverage.c; trade_latest_year, data_trade.c),
** against the linear scans they replaced, kept here as the oracle and run
** on the raw CSV rows (tcsv): for every key of the shipped datasets (each
** partner, each layer and cell member, "*", "whatif", an unknown name,
** each scope) on every date where something starts or ends (and the day
** before), the same row, share, basis, source and flag; and hand-made
** trade tables where the latest year lacks a partner.  Names and dates
** are taken once each (about 60,000 lookups, each beside a scan of the
** file); under valgrind or any TOCALC_WRAP (make valgrind) every 8th date.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/data_coverage.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/model_rates.h"

/* the step through the dates: 1, or 8 under valgrind */
static size_t date_step(void)
{
	return test_sampled() ? 8 : 1;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct shipped {
	struct tariff_timeline tl;
	struct tariff_coverage *cv;
	struct tcsv_table cvt, trade;	/* the raw rows, for the oracle */
	long *dates;
	size_t ndates;
};

static void add_date(struct shipped *s, long d, size_t *cap)
{
	if (d <= 0)
		return;
	if (s->ndates == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		s->dates = realloc(s->dates, *cap * sizeof(*s->dates));
		assert_non_null(s->dates);
	}
	s->dates[s->ndates++] = d;
}

/* The day before yyyymmdd (the 1st goes to the 28th of the month before: enough here). */
static long day_before(long d)
{
	if (d % 100 > 1)
		return d - 1;
	if ((d / 100) % 100 > 1)
		return d - 100 + 27;
	return d - 10000 + 1100 + 27;
}

static int setup(void **state)
{
	struct shipped *s = calloc(1, sizeof(*s));
	struct tc_err err;
	size_t cap = 0;

	tc_err_init(&err);
	if (!s || tariff_timeline_load(&s->tl, "datasets", &err) ||
	    tariff_coverage_load(&s->cv, "datasets", &err) ||
	    dataset_load(&s->cvt, "datasets", "tariff_coverage", &err) ||
	    dataset_load(&s->trade, "datasets", "trade", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	for (size_t i = 0; i < s->tl.nrows; i++) {
		add_date(s, s->tl.rows[i].effective, &cap);
		add_date(s, day_before(s->tl.rows[i].effective), &cap);
		add_date(s, s->tl.rows[i].end, &cap);
		if (s->tl.rows[i].end)
			add_date(s, day_before(s->tl.rows[i].end), &cap);
	}
	for (size_t i = 0; i < s->cvt.nrows; i++) {
		long a = (long)tcsv_num(&s->cvt, CV_START, i);
		add_date(s, a, &cap);
		add_date(s, day_before(a), &cap);
		if (!tcsv_is_missing(&s->cvt, CV_END, i)) {
			long b = (long)tcsv_num(&s->cvt, CV_END, i);
			add_date(s, b, &cap);
			add_date(s, day_before(b), &cap);
		}
	}
	/* each date once */
	qsort(s->dates, s->ndates, sizeof(*s->dates), cmp_long);
	{
		size_t m = 0;
		for (size_t i = 0; i < s->ndates; i++)
			if (!m || s->dates[i] != s->dates[m - 1])
				s->dates[m++] = s->dates[i];
		s->ndates = m;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct shipped *s = *state;

	tariff_coverage_free(s->cv);
	tariff_timeline_release(&s->tl);
	tcsv_table_release(&s->cvt);
	tcsv_table_release(&s->trade);
	free(s->dates);
	free(s);
	return 0;
}

static const char *const codes[] = { "CN", "MX", "CA", "ALL" };

/* ------------------------------------------------- the timeline's oracle */

static int scan_applies(const struct tariff_row *r, const char *partner)
{
	return !strcmp(r->partner, partner) || !strcmp(r->partner, "ALL");
}

static int scan_in_force(const struct tariff_row *r, long date)
{
	return tariff_row_enforceable(r) && r->effective <= date && (!r->end || r->end > date);
}

static int scan_beats(const struct tariff_row *c, const struct tariff_row *b, const char *partner)
{
	int cown, bown;

	if (!b || c->effective > b->effective)
		return 1;
	if (c->effective < b->effective)
		return 0;
	cown = !strcmp(c->partner, partner);
	bown = !strcmp(b->partner, partner);
	if (cown != bown)
		return cown;
	return c->line > b->line;
}

/* The rows in force by layer name, first appearance order (the old tariff_rate_on loop). */
static size_t scan_stack(const struct tariff_timeline *tl, const char *partner, long date,
			 const struct tariff_row **row, const char **layer)
{
	size_t n = 0;

	for (size_t i = 0; i < tl->nrows; i++) {
		const struct tariff_row *r = &tl->rows[i];
		size_t j;
		if (!scan_applies(r, partner) || !scan_in_force(r, date))
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(layer[j], r->layer))
				break;
		if (j == n) {
			layer[n] = r->layer;
			row[n++] = NULL;
		}
		if (scan_beats(r, row[j], partner))
			row[j] = r;
	}
	return n;
}

static void test_rate_on(void **state)
{
	struct shipped *s = *state;
	size_t checked = 0;

	for (int p = 0; p < 4; p++)
		for (size_t d = 0; d < s->ndates; d++) {
			const struct tariff_row *row[TARIFF_MAX_LAYERS];
			const char *layer[TARIFF_MAX_LAYERS];
			struct tariff_stack st;
			struct tc_err err;
			long date = s->dates[d];
			size_t n;
			if (date < s->tl.first || date > s->tl.last)
				continue;
			n = scan_stack(&s->tl, codes[p], date, row, layer);
			tc_err_init(&err);
			if (tariff_rate_on(&s->tl, codes[p], date, &st, &err)) {
				fail_msg("%s %ld: %s", codes[p], date, err.msg);
			}
			assert_int_equal(st.nlayers, n);
			for (size_t j = 0; j < n; j++) {
				assert_string_equal(st.layers[j].layer, layer[j]);
				assert_ptr_equal(st.layers[j].row, row[j]);
			}
			checked++;
		}
	assert_true(checked > 100);
}

/* Is row k's layer the layer of an earlier row (asked already)? */
static int seen_before(const struct tariff_timeline *tl, size_t k)
{
	for (size_t i = 0; i < k && k < tl->nrows; i++)
		if (!strcmp(tl->rows[i].layer, tl->rows[k].layer))
			return 1;
	return 0;
}

static void test_layer_rate_on(void **state)
{
	struct shipped *s = *state;
	size_t checked = 0;

	for (int p = 0; p < 4; p++)
		for (size_t k = 0; k <= s->tl.nrows; k++)
			for (size_t d = 0; d < s->ndates && !seen_before(&s->tl, k); d += date_step()) {
				const char *name = k < s->tl.nrows ? s->tl.rows[k].layer : "no_such_layer";
				const struct tariff_row *best = NULL, *got = NULL;
				struct tc_err err;
				long date = s->dates[d];
				double rate;
				int known = 0, rc;
				if (date < s->tl.first || date > s->tl.last)
					continue;
				for (size_t i = 0; i < s->tl.nrows; i++) {
					const struct tariff_row *r = &s->tl.rows[i];
					if (!scan_applies(r, codes[p]) || strcmp(r->layer, name))
						continue;
					known = 1;
					if (scan_in_force(r, date) && scan_beats(r, best, codes[p]))
						best = r;
				}
				tc_err_init(&err);
				rc = tariff_layer_rate_on(&s->tl, codes[p], name, date, &rate, &got, &err);
				assert_int_equal(rc, known ? 0 : -1);
				if (known) {
					assert_ptr_equal(got, best);
					if (best)
						assert_true(rate == best->rate);
				}
				checked++;
			}
	assert_true(checked > 300);
}

/* tariff_layer_id: one id per name, the same for every row of it; -1 for a name not there */
static void test_layer_ids(void **state)
{
	struct shipped *s = *state;

	for (size_t i = 0; i < s->tl.nrows; i++) {
		assert_int_equal(tariff_layer_id(&s->tl, s->tl.rows[i].layer), s->tl.rows[i].layer_id);
		for (size_t j = 0; j < i; j++)
			assert_int_equal(!strcmp(s->tl.rows[i].layer, s->tl.rows[j].layer),
					 s->tl.rows[i].layer_id == s->tl.rows[j].layer_id);
		assert_int_equal(tariff_partner_index(s->tl.rows[i].partner), s->tl.rows[i].pcode);
	}
	assert_int_equal(tariff_layer_id(&s->tl, "no_such_layer"), -1);
	assert_int_equal(tariff_layer_id(&s->tl, ""), -1);
	assert_int_equal(tariff_partner_index("CN"), TARIFF_CN);
	assert_int_equal(tariff_partner_index("ALL"), TARIFF_ROW);
	assert_int_equal(tariff_partner_index("CNX"), -1);
	assert_int_equal(tariff_partner_index("AL"), -1);
	assert_int_equal(tariff_partner_index(NULL), -1);
}

/* ------------------------------------------------- the coverage's oracle */

static int scan_covers(const struct tcsv_table *t, size_t i, const char *code, long date)
{
	long start = (long)tcsv_num(t, CV_START, i);
	long end = tcsv_is_missing(t, CV_END, i) ? 0 : (long)tcsv_num(t, CV_END, i);

	return !strcmp(tcsv_text(t, CV_PARTNER, i), code) && start <= date && (!end || end > date);
}

/* The row the old tariff_coverage_share scan chose, or -1 (then the rule without a row). */
static long scan_share_row(const struct tcsv_table *t, const char *code, const char *layer,
			   int scope, long date)
{
	long any = -1;

	for (size_t i = 0; i < t->nrows; i++) {
		if ((int)tcsv_num(t, CV_SCOPE, i) != scope || !scan_covers(t, i, code, date))
			continue;
		if (!strcmp(tcsv_text(t, CV_LAYER, i), layer))
			return (long)i;
		if (!strcmp(tcsv_text(t, CV_LAYER, i), "*") && any < 0)
			any = (long)i;
	}
	return any;
}

/* Is layer a member of a cell row of code (any date)? the old scan, on the text */
static int scan_is_cell_layer(const struct tcsv_table *t, const char *code, const char *layer)
{
	size_t n = strlen(layer);

	for (size_t i = 0; i < t->nrows; i++) {
		const char *l = tcsv_text(t, CV_LAYER, i), *p;
		if (strncmp(l, "cell:", 5) || strcmp(tcsv_text(t, CV_PARTNER, i), code))
			continue;
		for (p = l + 5; *p; p += strcspn(p, "+"), p += *p == '+') {
			if (!strncmp(p, layer, n) && (p[n] == '+' || !p[n]))
				return 1;
			if (!*p)
				break;
		}
	}
	return 0;
}

/* Every name a lookup may ask for: the layers of both files, the cell members, and some not there. */
static size_t names_of(const struct shipped *s, const char **names, size_t max, char *buf,
		       size_t bufsize)
{
	size_t n = 0, used = 0;

	names[n++] = "*";
	names[n++] = "whatif";
	names[n++] = "no_such_layer";
	for (size_t i = 0; i < s->tl.nrows && n < max; i++)
		names[n++] = s->tl.rows[i].layer;
	for (size_t i = 0; i < s->cvt.nrows && n < max; i++) {
		const char *l = tcsv_text(&s->cvt, CV_LAYER, i);
		names[n++] = l;
		if (strncmp(l, "cell:", 5))
			continue;
		for (const char *p = l + 5; *p && n < max;) {
			size_t k = strcspn(p, "+");
			assert_true(used + k + 1 <= bufsize);
			memcpy(buf + used, p, k);
			buf[used + k] = '\0';
			names[n++] = buf + used;
			used += k + 1;
			p += k;
			if (*p == '+')
				p++;
		}
	}
	/* each name once */
	qsort(names, n, sizeof(*names), cmp_str);
	{
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!m || strcmp(names[i], names[m - 1]))
				names[m++] = names[i];
		n = m;
	}
	return n;
}

/* The same text, or both NULL (the index answers from its own copy of the file). */
static void same_text(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/*
** Every name of names for every partner, scope and date: the index of cv
** against the scan of cvt (the same file as a table); returns how many
** answers came from a row.
*/
static size_t check_coverage(const struct tariff_coverage *cv, const struct tcsv_table *cvt,
			     const char *const *names, size_t nn, const long *dates, size_t nd,
			     size_t step)
{
	size_t rows = 0;

	for (int p = 0; p < 4; p++)
		for (size_t k = 0; k < nn; k++) {
			assert_int_equal(tariff_coverage_is_cell_layer(cv, p, names[k]),
					 scan_is_cell_layer(cvt, codes[p], names[k]));
			for (int scope = 0; scope < 3; scope++)
				for (size_t d = 0; d < nd; d += step) {
					long i = scan_share_row(cvt, codes[p], names[k], scope, dates[d]);
					double share = -1;
					const char *basis = NULL, *source = "unset";
					int approx = -1;
					tariff_coverage_share(cv, p, names[k], (enum tariff_scope)scope,
							      dates[d], &share, &basis, &source, &approx);
					if (i < 0) {
						assert_null(source);	/* the rule without a row */
						continue;
					}
					rows++;
					assert_true(share == tcsv_num(cvt, CV_SHARE, (size_t)i));
					same_text(basis, tcsv_text(cvt, CV_BASIS, (size_t)i));
					same_text(source, tcsv_text(cvt, CV_SOURCE, (size_t)i));
					assert_int_equal(approx, (int)tcsv_num(cvt, CV_APPROXIMATED, (size_t)i));
				}
		}
	return rows;
}

static void test_coverage_share(void **state)
{
	struct shipped *s = *state;
	const char *names[2048];
	char buf[16384];
	size_t nn = names_of(s, names, 2048, buf, sizeof(buf));

	assert_true(nn > 20);
	assert_true(check_coverage(s->cv, &s->cvt, names, nn, s->dates, s->ndates, date_step()) > 50);
}

/*
** A table the shipped one does not have: two rows of a layer in force
** at once (the first in the file wins), a '*' row before the layer's own,
** a layer that is only the second member of a cell, rows of another
** partner code, a cell row that has ended.
*/
static void test_coverage_hand(void **state)
{
	static const char csv[] =
		"id,partner,layer,scope,start,end,share,approximated,basis,inputs,source,note\n"
		"a,CN,*,all_goods,2019-01-01,,0.9,1,star,,s1,\n"
		"b,CN,l1,all_goods,2020-01-01,,0.25,0,first,,s2,\n"
		"c,CN,l1,all_goods,2019-06-01,2021-01-01,0.5,0,second,,s3,\n"
		"d,CN,cell:l2+l3,product_list,2019-01-01,2020-06-01,0.125,0,cell,,s4,\n"
		"e,MX,l1,all_goods,2019-01-01,,0.75,1,mx,,s5,\n"
		"f,ALL,l3,non_usmca,2019-01-01,,0.375,0,all,,s6,\n"
		"g,CN,cell:l4,product_list,2019-01-01,,0.0625,0,cell4,,s7,\n";
	static const char *const names[] = { "*", "l1", "l2", "l3", "l4", "cell:l2+l3", "whatif", "x" };
	static const long dates[] = { 20190101, 20190601, 20191231, 20200101, 20200601, 20201231,
				      20210101, 20250101 };
	struct tariff_coverage *cv;
	struct tcsv_table t;
	struct tc_err err;
	const struct tariff_cov_cell *cells[4];

	(void)state;
	tc_err_init(&err);
	if (tariff_coverage_load_buffer(&cv, "c.csv", csv, strlen(csv), &err) ||
	    tcsv_load_buffer(&t, "c.csv", csv, strlen(csv), &schema_coverage, &err))
		fail_msg("%s", err.msg);
	assert_true(check_coverage(cv, &t, names, TC_ARRAY_SIZE(names), dates, TC_ARRAY_SIZE(dates),
				   1) > 20);
	/* by hand: l3 is a cell member of CN (second of its cell), not of MX; l1 on 2020-06-01 is row b */
	assert_int_equal(tariff_coverage_is_cell_layer(cv, TARIFF_CN, "l3"), 1);
	assert_int_equal(tariff_coverage_is_cell_layer(cv, TARIFF_MX, "l3"), 0);
	assert_int_equal(tariff_coverage_cells(cv, TARIFF_CN, 20200101, cells, 4), 2);
	assert_int_equal(tariff_coverage_cells(cv, TARIFF_CN, 20200601, cells, 4), 1);
	assert_int_equal(cells[0]->line, 8);
	{
		double share;
		const char *basis, *source;
		int approx;
		tariff_coverage_share(cv, TARIFF_CN, "l1", TSCOPE_ALL_GOODS, 20200601, &share, &basis,
				      &source, &approx);
		assert_true(share == 0.25);
		tariff_coverage_share(cv, TARIFF_CN, "l1", TSCOPE_ALL_GOODS, 20190601, &share, &basis,
				      &source, &approx);
		assert_true(share == 0.5);
		tariff_coverage_share(cv, TARIFF_CN, "l5", TSCOPE_ALL_GOODS, 20190601, &share, &basis,
				      &source, &approx);
		assert_true(share == 0.9);
		tariff_coverage_share(cv, TARIFF_ROW, "l3", TSCOPE_NON_USMCA, 20190601, &share, &basis,
				      &source, &approx);
		assert_true(share == 0.375);
	}
	tcsv_table_release(&t);
	tariff_coverage_free(cv);
}

static void test_coverage_cells(void **state)
{
	struct shipped *s = *state;
	size_t nonempty = 0;

	for (int p = 0; p < 4; p++)
		for (size_t d = 0; d < s->ndates; d++) {
			const struct tariff_cov_cell *cells[256];
			long date = s->dates[d];
			size_t n = tariff_coverage_cells(s->cv, p, date, cells, 256), m = 0;
			for (size_t i = 0; i < s->cvt.nrows; i++) {
				if (strncmp(tcsv_text(&s->cvt, CV_LAYER, i), "cell:", 5) ||
				    !scan_covers(&s->cvt, i, codes[p], date))
					continue;
				assert_true(m < n);
				assert_int_equal(cells[m]->line, s->cvt.lines[i]);	/* file order */
				m++;
			}
			assert_int_equal(n, m);
			nonempty += n > 0;
		}
	assert_true(nonempty > 0);
	assert_int_equal(tariff_coverage_cells(s->cv, 4, 20250101, NULL, 0), 0);
	assert_int_equal(tariff_coverage_cells(s->cv, -1, 20250101, NULL, 0), 0);
}

/* ------------------------------------------------------ trade, the oracle */

static int scan_latest_year(const struct tcsv_table *t)
{
	int best = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		int y = (int)tcsv_num(t, TR_YEAR, i);
		struct trade_base tb;
		if (y <= best)
			continue;
		trade_base_get(t, y, &tb);
		if (isfinite(tb.m0[TARIFF_CN]) && isfinite(tb.m0[TARIFF_MX]) && isfinite(tb.m0[TARIFF_CA]))
			best = y;
	}
	return best;
}

static void test_latest_year(void **state)
{
	struct shipped *s = *state;
	static const char hdr[] = "year,partner,flow,value_musd,basis,source,note\n";
	static const char *const bodies[] = {
		/* 2024 lacks MX: 2023 */
		"2023,CN,imports,1,census_general,s,\n2023,MX,imports,2,census_general,s,\n"
		"2023,CA,imports,3,census_general,s,\n2024,CN,imports,1,census_general,s,\n"
		"2024,CA,imports,3,census_general,s,\n2024,MX,imports,,census_general,s,\n",
		/* years out of order, the latest complete one in the middle */
		"2021,CN,imports,1,census_general,s,\n2025,CN,imports,1,census_general,s,\n"
		"2022,CN,imports,1,census_consumption,s,\n2022,MX,imports,2,census_general,s,\n"
		"2021,MX,imports,2,census_general,s,\n2022,CA,imports,3,census_general,s,\n"
		"2021,CA,imports,3,census_general,s,\n",
		/* none complete */
		"2024,CN,imports,1,census_general,s,\n2024,MX,imports,2,census_general,s,\n",
	};
	static const int want[] = { 2023, 2022, 0 };

	assert_int_equal(trade_latest_year(&s->trade), scan_latest_year(&s->trade));
	assert_true(trade_latest_year(&s->trade) > 2000);
	for (size_t k = 0; k < TC_ARRAY_SIZE(bodies); k++) {
		struct tcsv_table t;
		struct tc_err err;
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s%s", hdr, bodies[k]);
		tc_err_init(&err);
		if (tcsv_load_buffer(&t, "trade.csv", buf, strlen(buf), &schema_trade, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(trade_latest_year(&t), want[k]);
		assert_int_equal(scan_latest_year(&t), want[k]);
		tcsv_table_release(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_ids),
		cmocka_unit_test(test_rate_on),
		cmocka_unit_test(test_layer_rate_on),
		cmocka_unit_test(test_coverage_share),
		cmocka_unit_test(test_coverage_hand),
		cmocka_unit_test(test_coverage_cells),
		cmocka_unit_test(test_latest_year),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
