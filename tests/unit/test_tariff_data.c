/*
** Unit tests of the tariff data layer: the timeline (data_tariffs.c),
** trade and parameters (data_trade.c), the HS10 reader and product lists
** (data_hs10.c) and the scenario parser (scenario.c).
** Expected values: the fixture files under tests/data/tariff/ (rules
** worked out by hand in the comments), the legal dates of
** trade-and-tariffs.md section 2a for datasets/tariffs.csv, and the
** published Census total for the HS10 China file.
** Run from the repository root (make does).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/run_tariff.h"

#define FX "tests/data/tariff/"
#define SHARED "../shared/data/"
#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static long D(const char *s)
{
	long d = 0;
	if (tc_parse_date(s, &d))
		fail_msg("bad date in test: %s", s);
	return d;
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static double stacked(const struct tariff_timeline *tl, const char *partner, const char *date)
{
	struct tariff_stack st;
	struct tc_err err;
	if (tariff_rate_on(tl, partner, D(date), &st, &err))
		fail_msg("tariff_rate_on(%s, %s): %s", partner, date, err.msg);
	return st.rate;
}

/* ------------------------------------------------------- fixture timeline */

static void test_timeline_fixture(void **state)
{
	struct tariff_timeline tl;
	struct tariff_stack st;
	struct tc_err err;
	double r;
	const struct tariff_row *row, *prop[4];
	(void)state;

	assert_int_equal(tariff_timeline_load_file(&tl, FX "timeline.csv", &err), 0);
	assert_int_equal(tl.nrows, 10);
	/* coverage: proposed p1 (2019) and suspended d1 do not count; v1 is the last */
	assert_int_equal(tl.first, D("2020-01-01"));
	assert_int_equal(tl.last, D("2020-12-01"));

	/* 2020-01-10: alpha a1 10 only */
	assert_close(stacked(&tl, "CN", "2020-01-10"), 10, 0);
	/* 2020-03-15: alpha 10 + beta (ALL, non_usmca) 7; gamma is a product list */
	assert_int_equal(tariff_rate_on(&tl, "CN", D("2020-03-15"), &st, &err), 0);
	assert_close(st.rate, 17, 0);
	assert_int_equal(st.nlayers, 3);
	assert_true(st.has_ieepa);
	assert_true(st.has_non_usmca);
	for (size_t i = 0; i < st.nlayers; i++)
		if (!strcmp(st.layers[i].layer, "gamma")) {
			assert_false(st.layers[i].stacked);
			assert_close(st.layers[i].rate, 25, 0);
		}
	/* 2020-05-01: e1 has end = effective (never in force); suspended d1 ignored */
	assert_close(stacked(&tl, "CN", "2020-05-01"), 17, 0);
	/* 2020-06-01: a2 (CN 30) beats a3 (ALL 5) on the same date */
	assert_close(stacked(&tl, "CN", "2020-06-01"), 37, 0);
	/* 2020-09-01: beta's end is exclusive, so it no longer applies */
	assert_close(stacked(&tl, "CN", "2020-08-31"), 37, 0);
	assert_close(stacked(&tl, "CN", "2020-09-01"), 30, 0);
	/* 2020-12-01: void row, rate 0, no longer an IEEPA duty in force */
	assert_int_equal(tariff_rate_on(&tl, "CN", D("2020-12-01"), &st, &err), 0);
	assert_close(st.rate, 0, 0);
	assert_false(st.has_ieepa);
	/* MX: its own alpha (2020-01-15) is beaten by the later ALL row a3 */
	assert_close(stacked(&tl, "MX", "2020-05-31"), 25 + 7, 0);
	assert_close(stacked(&tl, "MX", "2020-06-01"), 5 + 7, 0);
	/* ALL: only the rows for everyone */
	assert_close(stacked(&tl, "ALL", "2020-06-01"), 5 + 7, 0);

	/* one layer */
	assert_int_equal(tariff_layer_rate_on(&tl, "CN", "alpha", D("2020-07-01"), &r, &row, &err), 0);
	assert_close(r, 30, 0);
	assert_string_equal(row->id, "a2");
	assert_int_equal(tariff_layer_rate_on(&tl, "CN", "delta", D("2020-07-01"), &r, &row, &err), 0);
	assert_close(r, 0, 0);
	assert_null(row);
	assert_int_equal(tariff_layer_rate_on(&tl, "CN", "nope", D("2020-07-01"), &r, &row, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);

	/* outside the timeline, unknown partner */
	assert_int_equal(tariff_rate_on(&tl, "CN", D("2019-12-31"), &st, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "outside the tariff timeline"));
	assert_int_equal(tariff_rate_on(&tl, "CN", D("2020-12-02"), &st, &err), -1);
	assert_int_equal(tariff_rate_on(&tl, "JP", D("2020-06-01"), &st, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);

	/* proposed rates */
	assert_int_equal(tariff_proposed(&tl, "CN", prop, 4), 1);
	assert_string_equal(prop[0]->id, "p1");
	assert_close(prop[0]->rate, 60, 0);
	assert_int_equal(tariff_proposed(&tl, "MX", prop, 4), 0);
	assert_int_equal(tariff_proposed(&tl, NULL, prop, 4), 1);
	tariff_timeline_release(&tl);

	/* a row in force without a rate is a data error naming the line */
	assert_int_equal(tariff_timeline_load_file(&tl, FX "timeline_norate.csv", &err), 0);
	assert_int_equal(tariff_rate_on(&tl, "CN", D("2020-01-01"), &st, &err), -1);
	assert_int_equal(err.code, TC_EXIT_DATA);
	assert_non_null(strstr(err.msg, "timeline_norate.csv:2"));
	tariff_timeline_release(&tl);
}

/* -------------------------------------------------- datasets/tariffs.csv */

/*
** Legal dates, trade-and-tariffs.md section 2a: the IEEPA fentanyl tariff on
** China was 10% from 2025-02-04, 20% from 2025-03-04, 10% from 2025-11-10,
** and void from 2026-02-20.  With the reciprocal layer: 20 + 125 = 145% from
** 2025-04-10; 20 + 10 = 30% from 2025-05-14 (Geneva).  Canada 35% on
** non-USMCA goods from 2025-08-01; Mexico 25% from 2025-03-04.
*/
static void test_timeline_shipped(void **state)
{
	struct tariff_timeline tl;
	struct tc_err err;
	double r;
	const struct tariff_row *row, *prop[16];
	size_t n;
	int found200 = 0;
	(void)state;

	if (!exists("datasets/tariffs.csv")) {
		print_message("skipped: datasets/tariffs.csv is absent\n");
		skip();
	}
	assert_int_equal(tariff_timeline_load(&tl, "datasets", &err), 0);
	static const struct { const char *date; double rate; } fent[] = {
		{ "2025-02-10", 10 }, { "2025-03-03", 10 }, { "2025-03-04", 20 }, { "2025-11-09", 20 },
		{ "2025-11-10", 10 }, { "2026-02-19", 10 }, { "2026-02-20", 0 },
	};
	for (size_t i = 0; i < TC_ARRAY_SIZE(fent); i++) {
		assert_int_equal(tariff_layer_rate_on(&tl, "CN", "ieepa_fentanyl", D(fent[i].date), &r, &row,
						      &err), 0);
		assert_close(r, fent[i].rate, 0);
	}
	assert_close(stacked(&tl, "CN", "2025-02-10"), 10, 0);
	assert_close(stacked(&tl, "CN", "2025-04-10"), 145, 0);
	assert_close(stacked(&tl, "CN", "2025-05-14"), 30, 0);
	assert_close(stacked(&tl, "CN", "2026-02-20"), 0, 0);
	assert_close(stacked(&tl, "CA", "2025-08-01"), 35, 0);
	assert_close(stacked(&tl, "MX", "2025-03-04"), 25, 0);
	/* Section 122 surcharge (10%, ALL, non-USMCA) from 2026-02-24 */
	assert_close(stacked(&tl, "CN", "2026-03-01"), 10, 0);
	/* before the first row (the MFN layer, from 2017-01-01) there is no timeline */
	{
		struct tariff_stack st;
		assert_int_equal(tariff_rate_on(&tl, "CN", D("2016-12-31"), &st, &err), -1);
		/* from 2017 the stack of additional duties leaves out the mfn layer */
		assert_int_equal(tariff_rate_on(&tl, "CN", D("2018-01-01"), &st, &err), 0);
		assert_close(st.rate, 0, 0);
	}
	/* the proposed 200% (Oct 2024) is a proposal, never in force */
	n = tariff_proposed(&tl, "CN", prop, TC_ARRAY_SIZE(prop));
	assert_true(n >= 1);
	for (size_t i = 0; i < n && i < TC_ARRAY_SIZE(prop); i++)
		if (prop[i]->rate == 200)
			found200 = 1;
	assert_true(found200);
	tariff_timeline_release(&tl);
}

/* ------------------------------------------------------ trade, parameters */

static void test_trade_params(void **state)
{
	struct tcsv_table t, p;
	struct trade_base tb;
	struct tariff_params tp;
	struct tariff_param_sources src;
	struct tc_err err;
	(void)state;

	if (!exists("datasets/trade.csv") || !exists("datasets/parameters.csv")) {
		print_message("skipped: datasets/trade.csv or parameters.csv is absent\n");
		skip();
	}
	assert_int_equal(dataset_load(&t, "datasets", "trade", &err), 0);
	/* trade-and-tariffs.md 1a/1b: 2024 general imports CN 438.9 B, MX 505.9 B, CA 413 B */
	trade_base_get(&t, 2024, &tb);
	assert_close(tb.m0[TARIFF_CN], 438900, 1e-9);
	assert_close(tb.m0[TARIFF_MX], 505900, 1e-9);
	assert_close(tb.m0[TARIFF_CA], 413000, 1e-9);
	assert_string_equal(tb.basis[TARIFF_CN], "census_general");
	/* the rest of the world: the Census total 3,267.4 B less MX 505.9, CN 438.9 and CA 412.7 B
	   of the same release (derived) */
	assert_close(tb.m0[TARIFF_ROW], (3267.4 - 505.9 - 438.9 - 412.7) * 1000, 1e-6);
	assert_string_equal(tb.basis[TARIFF_ROW], "derived");
	/* 2025 Mexico: not found, stays missing, with the line that says so */
	trade_base_get(&t, 2025, &tb);
	assert_true(isnan(tb.m0[TARIFF_MX]));
	assert_true(tb.line[TARIFF_MX] > 1);
	assert_close(tb.m0[TARIFF_CN], 308400, 1e-9);
	assert_int_equal(trade_latest_year(&t), 2024);
	tcsv_table_release(&t);

	assert_int_equal(dataset_load(&p, "datasets", "parameters", &err), 0);
	assert_int_equal(tariff_params_from_table(&p, &tp, &src, &err), 0);
	assert_true(isinf(tp.ex));	/* empty = infinite */
	assert_close(tp.households, 132737146, 0);	/* ACS 2024 */
	assert_true(tp.eps > 0);
	assert_non_null(src.households);
	tcsv_table_release(&p);
}

/* ------------------------------------------------------------- HS10 file */

struct sum {
	double value, duty;
	long rows;
	int chapters[100];
};

static int add_row(const struct hs10_row *r, void *ud, struct tc_err *err)
{
	struct sum *s = ud;
	(void)err;
	s->value += r->value;
	if (isfinite(r->duty))
		s->duty += r->duty;
	s->rows++;
	s->chapters[r->chapter]++;
	return 0;
}

static void test_hs10_china(void **state)
{
	struct sum s;
	struct tc_err err;
	(void)state;

	if (!exists(SHARED "us_imports_hs10_2024_china.csv")) {
		print_message("skipped: " SHARED "us_imports_hs10_2024_china.csv is absent\n");
		skip();
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(hs10_stream(SHARED "us_imports_hs10_2024_china.csv", add_row, &s, &err), 0);
	/* trade-and-tariffs.md section 5: 14,422 lines, CON_VAL_YR sums to 429,425,828,419 */
	assert_int_equal(s.rows, 14422);
	assert_true(s.value == 429425828419.0);
	assert_true(s.duty == 46661215871.0);
}

static void test_hs10_fixtures(void **state)
{
	struct sum s;
	struct tc_err err;
	(void)state;

	memset(&s, 0, sizeof(s));
	assert_int_equal(hs10_stream(FX "hs10_small.csv", add_row, &s, &err), 0);
	assert_int_equal(s.rows, 4);
	assert_close(s.value, 17300 + 1000000 + 2000000, 0);
	assert_close(s.duty, 1299, 0);	/* the empty CAL_DUT_YR is missing, not 0 */
	assert_int_equal(s.chapters[1], 1);
	assert_int_equal(s.chapters[85], 2);

	assert_int_equal(hs10_stream(FX "hs10_bad_hs10.csv", add_row, &s, &err), -1);
	assert_non_null(strstr(err.msg, "hs10_bad_hs10.csv:2"));
	assert_non_null(strstr(err.msg, "HS10"));
	assert_int_equal(hs10_stream(FX "hs10_bad_hs8.csv", add_row, &s, &err), -1);
	assert_non_null(strstr(err.msg, "hs10_bad_hs8.csv:2"));
	assert_int_equal(hs10_stream(FX "hs10_bad_value.csv", add_row, &s, &err), -1);
	assert_non_null(strstr(err.msg, "hs10_bad_value.csv:2"));
	assert_int_equal(hs10_stream(FX "no_such_file.csv", add_row, &s, &err), -1);
}

/*
** Product lists (built-in table; trade-and-tariffs.md 2a): 85414200 is on
** biden_50 (solar cells, 50% from 2024-09-27); 85423100 is on 4B (suspended:
** 0) and biden_50_jan25 (semiconductors, 50% from 2025-01-01); 01061991 is
** on List 3 (25% from 2019-05-10).  The highest rate in force applies.
*/
static void test_product_rates(void **state)
{
	struct product_rates pr;
	struct tc_err err;
	int m;
	(void)state;

	assert_int_equal(product_rates_load(&pr, FX "lists_small.csv", D("2024-12-31"), NULL, &err), 0);
	assert_int_equal(pr.n, 3);
	assert_close(product_rate(&pr, 85414200, &m), 50, 0);
	assert_true(m);
	assert_close(product_rate(&pr, 85423100, &m), 0, 0);
	assert_true(m);
	assert_close(product_rate(&pr, 1061991, &m), 25, 0);
	assert_close(product_rate(&pr, 99999999, &m), 0, 0);
	assert_false(m);
	product_rates_release(&pr);

	assert_int_equal(product_rates_load(&pr, FX "lists_small.csv", D("2025-01-01"), NULL, &err), 0);
	assert_close(product_rate(&pr, 85423100, &m), 50, 0);
	product_rates_release(&pr);

	assert_int_equal(product_rates_load(&pr, FX "lists_small.csv", D("2024-01-01"), NULL, &err), 0);
	assert_close(product_rate(&pr, 85414200, &m), 0, 0);	/* before the 2024 review */
	product_rates_release(&pr);

	/* with the timeline, List 3 was 10% between 2018-09-24 and 2019-05-10 */
	if (exists("datasets/tariffs.csv")) {
		struct tariff_timeline tl;
		assert_int_equal(tariff_timeline_load(&tl, "datasets", &err), 0);
		assert_int_equal(product_rates_load(&pr, FX "lists_small.csv", D("2019-01-01"), &tl, &err), 0);
		assert_close(product_rate(&pr, 1061991, &m), 10, 0);
		product_rates_release(&pr);
		tariff_timeline_release(&tl);
	}

	assert_int_equal(product_rates_load(&pr, FX "lists_bad.csv", D("2025-01-01"), NULL, &err), -1);
	assert_non_null(strstr(err.msg, "lists_bad.csv:2"));
	assert_non_null(strstr(err.msg, "list_9"));
}

/* -------------------------------------------------------------- scenarios */

static void test_scenario_good(void **state)
{
	struct scenario sc;
	struct tc_err err;
	(void)state;

	assert_int_equal(scenario_parse_file(&sc, FX "good.scn", &err), 0);
	assert_string_equal(sc.name, "test-good");
	assert_string_equal(sc.title, "Test: China to 20%, Mexico +5, Canada layer");
	assert_int_equal(sc.as_of, D("2025-03-04"));
	assert_int_equal(sc.year, 2024);
	assert_int_equal(sc.model, TARIFF_SMART);
	assert_close(sc.eps, 1.5, 0);
	assert_close(sc.sigma, 2, 0);
	assert_true(isinf(sc.ex));
	assert_close(sc.pass_through, 1, 0);
	assert_int_equal(sc.draws, 100);
	assert_int_equal(sc.seed, 7);
	assert_true(sc.p[TARIFF_CN].set);
	assert_int_equal(sc.p[TARIFF_CN].op, SCN_RATE);
	assert_close(sc.p[TARIFF_CN].value, 20, 0);
	assert_close(sc.p[TARIFF_CN].imports, 1000, 0);
	assert_close(sc.p[TARIFF_CN].base_rate, 10, 0);
	assert_int_equal(sc.p[TARIFF_MX].op, SCN_ADD);
	assert_true(isnan(sc.p[TARIFF_MX].imports));
	assert_int_equal(sc.p[TARIFF_CA].nlayers, 1);
	assert_string_equal(sc.p[TARIFF_CA].layer[0], "ieepa_fentanyl");
	assert_close(sc.p[TARIFF_CA].layer_rate[0], 35, 0);
	assert_close(sc.p[TARIFF_CA].imports, 400, 0);	/* from a second partner line */
	assert_int_equal(sc.p[TARIFF_ROW].op, SCN_BASE);
	assert_int_equal(sc.nnotes, 2);
	assert_string_equal(sc.notes[1], "second note # with a hash");
	scenario_release(&sc);
}

/* Each malformed text fails with the expected file:line and a word of the message. */
static void test_scenario_errors(void **state)
{
	static const struct { const char *text, *where, *word; } bad[] = {
		{ "", "t.scn: ", "empty" },
		{ "# only a comment\n", "t.scn: ", "empty" },
		{ "partner CN rate 20\n", "t.scn:1:", "tocalc-scenario 1" },
		{ "tocalc-scenario 2\n", "t.scn:1:", "version" },
		{ "tocalc-scenario 1\n", "t.scn: ", "no 'partner'" },
		{ "tocalc-scenario 1\npartnr CN rate 20\n", "t.scn:2:", "unknown keyword 'partnr'" },
		{ "tocalc-scenario 1\npartner JP rate 20\n", "t.scn:2:", "unknown partner 'JP'" },
		{ "tocalc-scenario 1\npartner CN rate -5\n", "t.scn:2:", "negative" },
		{ "tocalc-scenario 1\npartner CN rate abc\n", "t.scn:2:", "expected a number" },
		{ "tocalc-scenario 1\npartner CN rate\n", "t.scn:2:", "needs a number" },
		{ "tocalc-scenario 1\npartner CN\n", "t.scn:2:", "needs a clause" },
		{ "tocalc-scenario 1\npartner CN rate 1e9\n", "t.scn:2:", "limit" },
		{ "tocalc-scenario 1\npartner CN rate 20 add 5\n", "t.scn:2:", "more than one" },
		{ "tocalc-scenario 1\npartner CN rate 20\n\npartner CN add 5\n", "t.scn:4:", "line 2" },
		{ "tocalc-scenario 1\npartner CN layer x_y 20 rate 5\n", "t.scn:2:", "layer" },
		{ "tocalc-scenario 1\npartner CN layer Bad 20\n", "t.scn:2:", "layer name" },
		{ "tocalc-scenario 1\npartner CN rate 20 imports 0\n", "t.scn:2:", "positive" },
		{ "tocalc-scenario 1\npartner CN rate 20 colour red\n", "t.scn:2:", "unknown clause" },
		{ "tocalc-scenario 1\nelasticity -1.5\npartner CN rate 20\n", "t.scn:2:", "positive" },
		{ "tocalc-scenario 1\nelasticity 1.5 2\npartner CN rate 20\n", "t.scn:2:", "takes 1" },
		{ "tocalc-scenario 1\nelasticity 1.5\nelasticity 2\n", "t.scn:3:", "twice" },
		{ "tocalc-scenario 1\nsubstitution -1\n", "t.scn:2:", ">= 0" },
		{ "tocalc-scenario 1\nsupply-elasticity 0\n", "t.scn:2:", "positive" },
		{ "tocalc-scenario 1\npass-through 1.5\n", "t.scn:2:", "[0, 1]" },
		{ "tocalc-scenario 1\nmodel cge\n", "t.scn:2:", "ces, smart or gsim" },
		{ "tocalc-scenario 1\nas-of 2025-02-30\n", "t.scn:2:", "is not a day of the calendar (2025-02 has days 01 to 28)" },
		{ "tocalc-scenario 1\nyear 24\n", "t.scn:2:", "year" },
		{ "tocalc-scenario 1\ndraws 0\n", "t.scn:2:", "draws" },
		{ "tocalc-scenario 1\nseed -1\n", "t.scn:2:", "seed" },
		{ "tocalc-scenario 1\nname Bad Name\n", "t.scn:2:", "takes 1" },
		{ "tocalc-scenario 1\nname BAD\n", "t.scn:2:", "not a name" },
		{ "tocalc-scenario 1\ntitle\n", "t.scn:2:", "needs a text" },
		{ "tocalc-scenario 1\nnote\n", "t.scn:2:", "needs a text" },
		{ "tocalc-scenario 1\ntocalc-scenario 1\n", "t.scn:2:", "twice" },
		{ "tocalc-scenario 1\npartner CN rate 20\x01\n", "t.scn:2:", "control" },
		{ "tocalc-scenario 1\ntitle caf\xc3\n", "t.scn:2:", "UTF-8" },
	};
	(void)state;

	for (size_t i = 0; i < TC_ARRAY_SIZE(bad); i++) {
		struct scenario sc;
		struct tc_err err;
		tc_err_init(&err);
		if (scenario_parse_buffer(&sc, "t.scn", bad[i].text, strlen(bad[i].text), &err) != -1)
			fail_msg("case %zu parsed: %s", i, bad[i].text);
		if (!strstr(err.msg, bad[i].where) || !strstr(err.msg, bad[i].word))
			fail_msg("case %zu: message '%s' lacks '%s' or '%s'", i, err.msg, bad[i].where,
				 bad[i].word);
		assert_int_equal(err.code, TC_EXIT_DATA);
	}
	/* CRLF, a byte-order mark and blank lines are fine */
	{
		const char *t = "\xEF\xBB\xBFtocalc-scenario 1\r\n\r\n  # c\r\npartner MX add 5\r\n";
		struct scenario sc;
		struct tc_err err;
		assert_int_equal(scenario_parse_buffer(&sc, "t.scn", t, strlen(t), &err), 0);
		assert_int_equal(sc.p[TARIFF_MX].op, SCN_ADD);
		scenario_release(&sc);
	}
	/* a line over 4096 bytes */
	{
		size_t n = 5000;
		char *t = malloc(n + 64);
		struct scenario sc;
		struct tc_err err;
		strcpy(t, "tocalc-scenario 1\ntitle ");
		memset(t + strlen(t), 'x', n);
		t[24 + n] = '\0';
		assert_int_equal(scenario_parse_buffer(&sc, "t.scn", t, strlen(t), &err), -1);
		assert_non_null(strstr(err.msg, "t.scn:2:"));
		free(t);
	}
}

/* The shipped scenarios parse. */
static void test_scenarios_shipped(void **state)
{
	static const char *const names[] = {
		"china-10", "china-20", "china-200", "mexico-canada-25", "canada-35", "package-2025",
	};
	(void)state;

	for (size_t i = 0; i < TC_ARRAY_SIZE(names); i++) {
		char path[128];
		struct scenario sc;
		struct tc_err err;
		snprintf(path, sizeof(path), "scenarios/%s.scn", names[i]);
		if (scenario_parse_file(&sc, path, &err))
			fail_msg("%s", err.msg);
		assert_string_equal(sc.name, names[i]);
		assert_non_null(sc.title);
		scenario_release(&sc);
	}
}


/* Inputs for whatif_resolve: the fixture timeline, no coverage table, fixed parameters. */
static void fixture_inputs(struct tariff_inputs *in, struct tariff_timeline *tl)
{
	memset(in, 0, sizeof(*in));
	in->tl = *tl;
	in->have_tl = 1;
	in->have_params = 1;
	in->p.eps = 1.5;
	in->p.sigma = 1.5;
	in->p.ex = INFINITY;
	in->p.pass_through = 1;
	in->p.households = NAN;
	in->src.eps = in->src.sigma = in->src.ex = in->src.pass_through = in->src.households = "test";
}

/*
** whatif_resolve against the fixture timeline (rates worked out in
** test_timeline_fixture): on 2020-03-15 CN's all-goods layers are alpha 10
** and beta 7.  Without a coverage table an all-goods layer reaches all
** imports, so "layer alpha 40" raises CN's effective rate by 40 - 10 = 30
** points; MX "add 3" and ROW "rate 6" add a what-if layer of 3 and 6
** points on all goods (ROW's rate before, 5, comes from the file).
*/
static void test_whatif_resolve(void **state)
{
	static const char text[] = "tocalc-scenario 1\nas-of 2020-03-15\n"
		"partner CN layer alpha 40 imports 100\npartner MX add 3 imports 50\n"
		"partner ROW base-rate 5 rate 6 imports 1000\n";
	struct tariff_timeline tl;
	struct tariff_inputs in;
	struct scenario sc;
	struct scenario_flags fl;
	struct whatif *w = malloc(sizeof(*w));
	struct tc_err err;
	(void)state;

	assert_int_equal(tariff_timeline_load_file(&tl, FX "timeline.csv", &err), 0);
	fixture_inputs(&in, &tl);
	assert_int_equal(scenario_parse_buffer(&sc, "t.scn", text, strlen(text), &err), 0);
	assert_int_equal(whatif_needs(&sc), TI_PARAMS | TI_TIMELINE);
	if (whatif_resolve(&sc, NULL, &in, w, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(w->as_of, D("2020-03-15"));
	assert_int_equal(w->year, 0);
	assert_close(w->t1pct[TARIFF_CN] - w->t0pct[TARIFF_CN], 30, 1e-12);
	assert_close(w->s.m[TARIFF_CN].t1 - w->s.m[TARIFF_CN].t0, 0.30, 1e-15);
	assert_close(w->s.m[TARIFF_CN].m0, 100, 0);
	assert_string_equal(w->layer[TARIFF_CN], "alpha");
	assert_close(w->layer_before[TARIFF_CN], 10, 0);
	assert_close(w->layer_after[TARIFF_CN], 40, 0);
	assert_close(w->layer_cover[TARIFF_CN], 1, 1e-12);
	assert_close(w->t1pct[TARIFF_MX] - w->t0pct[TARIFF_MX], 3, 1e-12);
	assert_close(w->t0pct[TARIFF_ROW], 5, 0);
	assert_close(w->t1pct[TARIFF_ROW], 11, 0);
	assert_false(w->have_stack[TARIFF_ROW]);
	assert_true(w->have_stack[TARIFF_CN]);
	assert_false(w->s.m[TARIFF_CA].present);
	assert_true(w->changed[TARIFF_CN] && w->changed[TARIFF_MX] && w->changed[TARIFF_ROW]);
	/* the sweep's rate map: effective = without + rate x cover */
	assert_close(whatif_rate_at(w, TARIFF_CN, 40), w->s.m[TARIFF_CN].t1, 1e-15);
	assert_close(whatif_rate_at(w, TARIFF_CN, 10), w->s.m[TARIFF_CN].t0, 1e-15);
	whatif_release(w);

	/* --as-of overrides the file: alpha is 30 from 2020-06-01, so the change is 10 points */
	scenario_flags_init(&fl);
	fl.as_of = D("2020-06-01");
	if (whatif_resolve(&sc, &fl, &in, w, &err))
		fail_msg("%s", err.msg);
	assert_close(w->layer_before[TARIFF_CN], 30, 0);
	assert_close(w->t1pct[TARIFF_CN] - w->t0pct[TARIFF_CN], 10, 1e-12);
	whatif_release(w);
	/* outside the timeline it is the flag's error */
	fl.as_of = D("2019-12-31");
	assert_int_equal(whatif_resolve(&sc, &fl, &in, w, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "--as-of"));
	/* parameters: the data, then the file, then the flag */
	fl.as_of = 0;
	fl.eps = 3;
	if (whatif_resolve(&sc, &fl, &in, w, &err))
		fail_msg("%s", err.msg);
	assert_close(w->p.eps, 3, 0);
	assert_string_equal(w->src_eps, "--elasticity");
	assert_close(w->p.sigma, 1.5, 0);
	assert_string_equal(w->src_sigma, "test");
	whatif_release(w);
	scenario_release(&sc);

	/* the file's own date outside the timeline names the file */
	{
		static const char t2[] = "tocalc-scenario 1\nas-of 2019-12-31\nelasticity 2\n"
					 "partner CN rate 5 imports 1\n";
		assert_int_equal(scenario_parse_buffer(&sc, "t2.scn", t2, strlen(t2), &err), 0);
		assert_int_equal(whatif_resolve(&sc, NULL, &in, w, &err), -1);
		assert_int_equal(err.code, TC_EXIT_USAGE);
		assert_non_null(strstr(err.msg, "t2.scn"));
		scenario_release(&sc);
	}
	/* an unknown layer is the file's mistake (data, exit 1), naming file:line */
	{
		static const char t3[] = "tocalc-scenario 1\npartner CN layer nope 5 imports 1\n";
		assert_int_equal(scenario_parse_buffer(&sc, "t3.scn", t3, strlen(t3), &err), 0);
		assert_int_equal(whatif_resolve(&sc, NULL, &in, w, &err), -1);
		assert_int_equal(err.code, TC_EXIT_DATA);
		assert_non_null(strstr(err.msg, "t3.scn:2"));
		scenario_release(&sc);
	}
	/* a scenario from flags is the same struct: the file's partner line, built in code */
	{
		struct whatif *w2 = malloc(sizeof(*w2));
		static const char t4[] = "tocalc-scenario 1\nas-of 2020-03-15\n"
					 "partner CN layer alpha 40 imports 100\n";
		assert_int_equal(scenario_parse_buffer(&sc, "t4.scn", t4, strlen(t4), &err), 0);
		assert_int_equal(whatif_resolve(&sc, NULL, &in, w, &err), 0);
		scenario_release(&sc);
		scenario_init(&sc, "command line");
		sc.from_flags = 1;
		sc.as_of = D("2020-03-15");
		scenario_set_partner(&sc, TARIFF_CN);
		sc.p[TARIFF_CN].imports = 100;
		assert_int_equal(scenario_add_layer(&sc, TARIFF_CN, "alpha", 40, 0, -1, &err), 0);
		assert_int_equal(whatif_resolve(&sc, NULL, &in, w2, &err), 0);
		assert_close(w2->t0pct[TARIFF_CN], w->t0pct[TARIFF_CN], 0);
		assert_close(w2->t1pct[TARIFF_CN], w->t1pct[TARIFF_CN], 0);
		assert_string_equal(w2->change, w->change);
		whatif_release(w2);
		whatif_release(w);
		free(w2);
		scenario_release(&sc);
	}
	tariff_timeline_release(&tl);
	free(w);
}

/*
** whatif_products (run_tariff.c) caches the per-line ces model by rate; its
** sums must be bit for bit those of tariff_eval() called on every line in
** file order (the oracle below), for parameters that take every branch:
** sigma = 1 (Cobb-Douglas), eps = 1 (log surplus), partial pass-through,
** large changes, and the smart model (no cache).  Under valgrind
** (TOCALC_WRAP set) only the first case reads the China file.
*/
struct oracle {
	const struct whatif *w;
	const struct product_rates *pr;
	double t0, t1;
	struct whatif_products o;
};

static int oracle_row(const struct hs10_row *row, void *ud, struct tc_err *err)
{
	struct oracle *c = ud;
	struct tariff_scenario s;
	struct tariff_result r;
	double list = 0, m0 = row->value / 1e6;
	int matched = 0;

	if (row->value == 0)
		return 0;
	if (c->pr)
		list = product_rate(c->pr, row->hs8num, &matched);
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN].present = 1;
	s.m[TARIFF_CN].m0 = m0;
	s.m[TARIFF_CN].t0 = (c->t0 + list) / 100;
	s.m[TARIFF_CN].t1 = (c->t1 + list) / 100;
	if (tariff_eval(c->w->model, &s, &c->w->p, &r, err))
		return -1;
	c->o.T.m0 += r.total.m0;
	c->o.T.m1 += r.total.m1;
	c->o.T.rev0 += r.total.rev0;
	c->o.T.rev1_static += r.total.rev1_static;
	c->o.T.rev1 += r.total.rev1;
	c->o.T.dcs += r.total.dcs;
	c->o.T.dwl += r.total.dwl;
	c->o.ch[row->chapter].m1 += r.total.m1;
	c->o.ch[row->chapter].rev1 += r.total.rev1;
	return 0;
}

static void test_whatif_products(void **state)
{
	static const struct { enum tariff_model model; double eps, sigma, pt, t0, t1; } cs[] = {
		{ TARIFF_CES, 1.5, 1.5, 1, 20, 40 },	{ TARIFF_CES, 1, 3, 1, 20, 40 },
		{ TARIFF_CES, 3, 1, 1, 20, 40 },	{ TARIFF_CES, 2, 1.5, 0.6, 10, 125 },
		{ TARIFF_CES, 20, 9, 1, 0, 900 },	{ TARIFF_CES, 0.3, 0.5, 1, 40, 5 },
		{ TARIFF_SMART, 1.5, 1.5, 1, 20, 40 },
	};
	const char *file = SHARED "us_imports_hs10_2024_china.csv";
	const char *lists = SHARED "section301_china_hts8_lists.csv";
	struct hs10_filter hf = { "CHINA", NULL, 0, 1 };
	struct tariff_inputs in;
	struct whatif *w = calloc(1, sizeof(*w));
	struct tc_err err;
	int shared = exists(file) && exists(lists);
	const char *wrap = getenv("TOCALC_WRAP");

	(void)state;
	assert_non_null(w);
	if (!shared)
		print_message("skipped the China file: " SHARED " is absent (fixture only)\n");
	memset(&in, 0, sizeof(in));
	for (size_t i = 0; i < 2 * sizeof(cs) / sizeof(cs[0]); i++) {
		struct whatif_products got;
		struct oracle want;
		struct hs10_summary hs;
		int big = (int)(i % 2);
		size_t j = i / 2;
		if (big && (!shared || (j > 0 && wrap && *wrap)))
			continue;
		memset(w, 0, sizeof(*w));
		w->model = cs[j].model;
		w->p.eps = cs[j].eps;
		w->p.sigma = cs[j].sigma;
		w->p.ex = INFINITY;
		w->p.pass_through = cs[j].pt;
		w->p.households = NAN;
		w->as_of = 20250304;
		w->t0pct[TARIFF_CN] = cs[j].t0;
		w->t1pct[TARIFF_CN] = cs[j].t1;
		tc_err_init(&err);
		if (whatif_products(w, TARIFF_CN, big ? file : FX "hs10_small.csv", &hf,
				    big ? lists : NULL, &in, &got, &err))
			fail_msg("%s", err.msg);
		memset(&want, 0, sizeof(want));
		want.w = w;
		want.pr = big ? &got.pr : NULL;
		want.t0 = cs[j].t0;
		want.t1 = cs[j].t1;
		if (hs10_stream_filtered(big ? file : FX "hs10_small.csv", &hf, oracle_row, &want, &hs,
					 &err))
			fail_msg("%s", err.msg);
		assert_true(got.rows > 0);
		assert_memory_equal(&got.T.m0, &want.o.T.m0, sizeof(double));
		assert_memory_equal(&got.T.m1, &want.o.T.m1, sizeof(double));
		assert_memory_equal(&got.T.rev0, &want.o.T.rev0, sizeof(double));
		assert_memory_equal(&got.T.rev1_static, &want.o.T.rev1_static, sizeof(double));
		assert_memory_equal(&got.T.rev1, &want.o.T.rev1, sizeof(double));
		assert_memory_equal(&got.T.dcs, &want.o.T.dcs, sizeof(double));
		assert_memory_equal(&got.T.dwl, &want.o.T.dwl, sizeof(double));
		for (int h = 0; h < 100; h++) {
			assert_memory_equal(&got.ch[h].m1, &want.o.ch[h].m1, sizeof(double));
			assert_memory_equal(&got.ch[h].rev1, &want.o.ch[h].rev1, sizeof(double));
		}
		whatif_products_release(&got);
	}
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_fixture),
		cmocka_unit_test(test_timeline_shipped),
		cmocka_unit_test(test_trade_params),
		cmocka_unit_test(test_hs10_china),
		cmocka_unit_test(test_hs10_fixtures),
		cmocka_unit_test(test_product_rates),
		cmocka_unit_test(test_scenario_good),
		cmocka_unit_test(test_scenario_errors),
		cmocka_unit_test(test_scenarios_shipped),
		cmocka_unit_test(test_whatif_resolve),
		cmocka_unit_test(test_whatif_products),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
