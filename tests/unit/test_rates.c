/*
** Unit tests of the effective-rate module (model_rates.c, data_coverage.c).
** Expected values: hand-derived cases on small in-memory tables (worked
** out in the comments), the legal texts for the layers in force on the
** dates the documents name (EO 14195, 14228, 14257, 14259, 14266, 14298,
** 14357/14358, the 2026-02-20 ruling, Section 122), and Census's 2024
** calculated duty over imports for China, Mexico and Canada.
** Run from the repository root (make does).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static long D(const char *s)
{
	long d = 0;
	if (tc_parse_date(s, &d))
		fail_msg("bad date in test: %s", s);
	return d;
}

static const struct eff_layer *layer(const struct eff_stack *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->l[i].layer, name))
			return &st->l[i];
	return NULL;
}

/* ------------------------------------------------------------- hand-built tables */

static const char TL[] =
	"id,effective,date_precision,end,partner,layer,measure,authority,rate,scope,status,source,note\n"
	"m,2019-01-01,day,,CN,mfn,m,,3,all_goods,in_effect,s,\n"
	"a,2019-01-01,day,,CN,s301_a,a,,25,product_list,in_effect,s,\n"
	"b1,2020-01-01,day,2021-01-01,CN,s301_b,b,,10,product_list,superseded,s,\n"
	"b2,2021-01-01,day,,CN,s301_b,b,,50,product_list,in_effect,s,\n"
	"f,2020-01-01,day,,MX,ieepa_fentanyl,f,IEEPA,25,non_usmca,in_effect,s,\n"
	"p,2020-01-01,day,,MX,potash,p,,10,product_list,in_effect,s,\n";

static const char CV[] =
	"id,partner,layer,scope,start,end,share,approximated,basis,inputs,source,note\n"
	"mm,CN,mfn,all_goods,2019-01-01,,1,0,b,,s,\n"
	"c1,CN,cell:s301_a,product_list,2019-01-01,,0.2,0,b,,s,\n"
	"c2,CN,cell:s301_a+s301_b,product_list,2019-01-01,,0.1,0,b,,s,\n"
	"c3,CN,cell:s301_b,product_list,2019-01-01,,0.3,0,b,,s,\n"
	"u,MX,*,non_usmca,2019-01-01,2021-01-01,0.4,0,usmca,,s,\n"
	"u2,MX,*,non_usmca,2021-01-01,,0.25,1,carried,,s,\n";

static void load_small(struct tariff_timeline *tl, struct tariff_coverage **cv)
{
	struct tc_err err;
	if (tariff_timeline_load_buffer(tl, "tl.csv", TL, strlen(TL), &err))
		fail_msg("%s", err.msg);
	if (tariff_coverage_load_buffer(cv, "cv.csv", CV, strlen(CV), &err))
		fail_msg("%s", err.msg);
}

/*
** 2020-06-01: s301_a 25%, s301_b 10%.  Cell c2 (on both lists) pays the
** higher rate, 25%: s301_a covers 0.2 + 0.1 = 0.3 -> 7.5 pp; s301_b 0.3
** -> 3 pp; MFN 3 -> 13.5%.  2021-01-01: s301_b is 50%, so c2 moves to it:
** s301_a 0.2 x 25 = 5, s301_b 0.4 x 50 = 20, MFN 3 -> 28%.
*/
static void test_cells_highest_rate(void **state)
{
	struct tariff_timeline tl;
	struct tariff_coverage *cv;
	struct eff_stack st;
	struct tc_err err;
	(void)state;

	load_small(&tl, &cv);
	assert_int_equal(tariff_effective_on(&tl, cv, TARIFF_CN, D("2020-06-01"), &st, &err), 0);
	assert_close(layer(&st, "s301_a")->coverage, 0.3, 1e-12);
	assert_close(layer(&st, "s301_b")->coverage, 0.3, 1e-12);
	assert_close(st.effective, 13.5, 1e-9);
	assert_int_equal(st.approximated, 0);
	assert_int_equal(tariff_effective_on(&tl, cv, TARIFF_CN, D("2021-01-01"), &st, &err), 0);
	assert_close(layer(&st, "s301_a")->effective, 5, 1e-9);
	assert_close(layer(&st, "s301_b")->effective, 20, 1e-9);
	assert_close(st.effective, 28, 1e-9);
	/* 2019-06-01: s301_b not yet in force: c1 and c2 go to s301_a, c3 (on
	   s301_b's list alone) pays nothing: 0.3 x 25 + 3 */
	assert_int_equal(tariff_effective_on(&tl, cv, TARIFF_CN, D("2019-06-01"), &st, &err), 0);
	assert_close(st.effective, 10.5, 1e-9);
	tariff_coverage_free(cv);
	tariff_timeline_release(&tl);
}

/*
** MX on 2020-06-01: fentanyl 25% on non-USMCA goods, share 0.4 -> 10 pp;
** potash (a product list without a coverage row) adds 0 and is flagged.
** What-if: fentanyl at 30 -> 12 pp (reaches only non-USMCA goods); a
** hypothetical "whatif" layer of 5 on all goods adds 5 -> 17.
*/
static void test_usmca_and_whatif(void **state)
{
	struct tariff_timeline tl;
	struct tariff_coverage *cv;
	struct eff_stack st, w;
	struct tc_err err;
	const struct eff_layer *p;
	(void)state;

	load_small(&tl, &cv);
	assert_int_equal(tariff_effective_on(&tl, cv, TARIFF_MX, D("2020-06-01"), &st, &err), 0);
	assert_close(layer(&st, "ieepa_fentanyl")->effective, 10, 1e-9);
	p = layer(&st, "potash");
	assert_non_null(p);
	assert_close(p->effective, 0, 0);
	assert_int_equal(p->approximated, 1);
	assert_int_equal(st.approximated, 1);
	assert_int_equal(st.has_ieepa, 1);
	assert_close(st.effective, 10, 1e-9);
	assert_int_equal(eff_stack_set_layer(&st, &tl, cv, "ieepa_fentanyl", -1, 30, &w, &err), 0);
	assert_close(w.effective, 12, 1e-9);
	assert_int_equal(layer(&w, "ieepa_fentanyl")->changed, 1);
	assert_int_equal(eff_stack_set_layer(&w, &tl, cv, "whatif", -1, 5, &w, &err), 0);
	assert_close(w.effective, 17, 1e-9);
	assert_int_equal(eff_stack_set_layer(&w, &tl, cv, "whatif", -1, -1, &w, &err), -1);
	assert_int_equal(eff_stack_set_layer(&w, &tl, cv, "whatif", -1, NAN, &w, &err), -1);
	/* 2021: the carried share 0.25, flagged approximated: 25 x 0.25 */
	assert_int_equal(tariff_effective_on(&tl, cv, TARIFF_MX, D("2021-01-01"), &st, &err), 0);
	assert_close(layer(&st, "ieepa_fentanyl")->effective, 6.25, 1e-9);
	assert_int_equal(layer(&st, "ieepa_fentanyl")->approximated, 1);
	tariff_coverage_free(cv);
	tariff_timeline_release(&tl);
}

static void test_coverage_errors(void **state)
{
	static const char hdr[] =
		"id,partner,layer,scope,start,end,share,approximated,basis,inputs,source,note\n";
	char buf[512];
	struct tariff_coverage *cv;
	struct tc_err err;
	(void)state;

	snprintf(buf, sizeof(buf), "%sx,MX,*,non_usmca,2020-01-01,,1.5,0,b,,s,\n", hdr);
	assert_int_equal(tariff_coverage_load_buffer(&cv, "c.csv", buf, strlen(buf), &err), -1);
	assert_non_null(strstr(err.msg, "c.csv:2:7: column 'share'"));
	snprintf(buf, sizeof(buf), "%sx,MX,*,non_usmca,2020-01-01,,0.5,0,b,,,\n", hdr);
	assert_int_equal(tariff_coverage_load_buffer(&cv, "c.csv", buf, strlen(buf), &err), -1);
	assert_non_null(strstr(err.msg, "c.csv:2:11: column 'source'"));
	snprintf(buf, sizeof(buf), "%sx,MX,*,non_usmca,2020-01-01,2019-01-01,0.5,0,b,,s,\n", hdr);
	assert_int_equal(tariff_coverage_load_buffer(&cv, "c.csv", buf, strlen(buf), &err), -1);
	assert_non_null(strstr(err.msg, "c.csv:2:6: column 'end'"));
}

/* ------------------------------------------------------------- shipped datasets */

struct shipped {
	struct tariff_timeline tl;
	struct tariff_coverage *cv;
};

static int setup_shipped(void **state)
{
	struct shipped *s = calloc(1, sizeof(*s));
	struct tc_err err;

	if (tariff_timeline_load(&s->tl, "datasets", &err) ||
	    tariff_coverage_load(&s->cv, "datasets", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown_shipped(void **state)
{
	struct shipped *s = *state;
	tariff_coverage_free(s->cv);
	tariff_timeline_release(&s->tl);
	free(s);
	return 0;
}

/* Statutory rate of a layer in the stack; -1 when it is not in force. */
static double stat(struct shipped *s, int partner, const char *date, const char *name)
{
	struct eff_stack st;
	struct tc_err err;
	const struct eff_layer *L;

	if (tariff_effective_on(&s->tl, s->cv, partner, D(date), &st, &err))
		fail_msg("%s", err.msg);
	L = layer(&st, name);
	return L ? L->statutory : -1;
}

/*
** The layers in force on the dates the documents name, from the legal
** texts (hand-written, not from tocalc): EO 14195 (CN +10 from
** 2025-02-04; MX and CA paused), EO 14228 (CN 20 from 2025-03-04; MX and
** CA 25 on all goods, Canadian energy 10), EO 14257/14259/14266 (CN
** reciprocal 125 from 2025-04-10, everyone else 10, Mexico and Canada
** not subject), EO 14298 (Geneva: CN reciprocal 10 from 2025-05-14),
** EO 14357/14358 (CN fentanyl 10, reciprocal held at 10 from 2025-11-10),
** the 2026-02-20 ruling (every IEEPA layer 0; Section 232 unaffected),
** Section 122 (10% from 2026-02-24, USMCA goods exempt).
*/
static void test_legal_dates(void **state)
{
	struct shipped *s = *state;

	assert_close(stat(s, TARIFF_CN, "2025-02-04", "ieepa_fentanyl"), 10, 0);
	assert_close(stat(s, TARIFF_MX, "2025-02-04", "ieepa_fentanyl"), -1, 0);
	assert_close(stat(s, TARIFF_CA, "2025-02-04", "ieepa_fentanyl"), -1, 0);
	assert_close(stat(s, TARIFF_CN, "2025-02-04", "ieepa_reciprocal"), -1, 0);

	assert_close(stat(s, TARIFF_CN, "2025-03-04", "ieepa_fentanyl"), 20, 0);
	assert_close(stat(s, TARIFF_MX, "2025-03-04", "ieepa_fentanyl"), 25, 0);
	assert_close(stat(s, TARIFF_CA, "2025-03-04", "ieepa_fentanyl"), 25, 0);
	assert_close(stat(s, TARIFF_CA, "2025-03-04", "ieepa_fentanyl_ca_energy"), 10, 0);

	assert_close(stat(s, TARIFF_CN, "2025-04-10", "ieepa_reciprocal"), 125, 0);
	assert_close(stat(s, TARIFF_CN, "2025-04-10", "ieepa_fentanyl"), 20, 0);
	assert_close(stat(s, TARIFF_ROW, "2025-04-10", "ieepa_reciprocal"), 10, 0);
	assert_close(stat(s, TARIFF_MX, "2025-04-10", "ieepa_reciprocal"), 0, 0);
	assert_close(stat(s, TARIFF_CA, "2025-04-10", "ieepa_reciprocal"), 0, 0);

	assert_close(stat(s, TARIFF_CN, "2025-05-14", "ieepa_reciprocal"), 10, 0);
	assert_close(stat(s, TARIFF_CN, "2025-05-14", "ieepa_fentanyl"), 20, 0);

	assert_close(stat(s, TARIFF_CN, "2025-11-10", "ieepa_reciprocal"), 10, 0);
	assert_close(stat(s, TARIFF_CN, "2025-11-10", "ieepa_fentanyl"), 10, 0);
	assert_close(stat(s, TARIFF_CA, "2025-11-10", "ieepa_fentanyl"), 35, 0);

	assert_close(stat(s, TARIFF_CN, "2026-02-20", "ieepa_fentanyl"), 0, 0);
	assert_close(stat(s, TARIFF_CN, "2026-02-20", "ieepa_reciprocal"), 0, 0);
	assert_close(stat(s, TARIFF_MX, "2026-02-20", "ieepa_fentanyl"), 0, 0);
	assert_close(stat(s, TARIFF_ROW, "2026-02-20", "ieepa_reciprocal"), -1, 0);
	assert_close(stat(s, TARIFF_CN, "2026-02-20", "s232_steel"), 50, 0);
	assert_close(stat(s, TARIFF_CN, "2026-02-20", "s122"), -1, 0);

	assert_close(stat(s, TARIFF_ROW, "2026-02-24", "s122"), 10, 0);
	assert_close(stat(s, TARIFF_CN, "2026-02-24", "s122"), 10, 0);
	assert_close(stat(s, TARIFF_MX, "2026-02-24", "s122"), 10, 0);
}

/* ROW during the reciprocal baseline: 10% on all goods, nothing before or after. */
static void test_row_baseline(void **state)
{
	struct shipped *s = *state;
	struct eff_stack st;
	struct tc_err err;

	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_ROW, D("2025-06-01"), &st, &err), 0);
	assert_close(layer(&st, "ieepa_reciprocal")->effective, 10, 1e-12);
	assert_int_equal(layer(&st, "ieepa_reciprocal")->approximated, 1);
	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_ROW, D("2025-04-04"), &st, &err), 0);
	assert_null(layer(&st, "ieepa_reciprocal"));
	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_ROW, D("2026-02-21"), &st, &err), 0);
	assert_null(layer(&st, "ieepa_reciprocal"));
}

/*
** Census 2024: calculated duty over imports for consumption (the HS10
** files' totals, trade.csv rows census-hs10-2024): China 46,661,215,871 /
** 429,425,828,419 = 10.866%; Mexico 1,250,534,423 / 503,438,605,302 =
** 0.2484%; Canada 413,636,724 / 411,693,824,741 = 0.1005%.
**
** China: tolerance 2.0 points.  The stack prices every listed product at
** its full Section 301 rate, but USTR's product exclusions let some of
** them in at less: on the 2024 lines, duty falls short of the statutory
** 301 duty by 1.33 points of imports in all; the steel and aluminium
** scopes are HS chapters (approximated).  The MFN layer is measured on
** the lines on no 301 list, not as the residual, so this can fail.
** Mexico and Canada: 2024 had no 301 or 232 duty on them, so the stack is
** its MFN row, which is Census's 2024 rate by construction (tolerance
** 0.001 checks only that no other layer is in force on the date).
*/
static void test_census_2024(void **state)
{
	struct shipped *s = *state;
	struct eff_stack st;
	struct tc_err err;

	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_CN, D("2024-06-30"), &st, &err), 0);
	assert_close(st.effective, 100.0 * 46661215871.0 / 429425828419.0, 2.0);
	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_MX, D("2024-06-30"), &st, &err), 0);
	assert_close(st.effective, 100.0 * 1250534423.0 / 503438605302.0, 0.001);
	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_CA, D("2024-06-30"), &st, &err), 0);
	assert_close(st.effective, 100.0 * 413636724.0 / 411693824741.0, 0.001);
}

/*
** A Mexico what-if on 2025-03-10: the fentanyl layer at 25 reaches only
** non-USMCA goods, so its contribution is 25 x the non-USMCA share of
** March 2025 (coverage row mx-ieepa-fentanyl-non-usmca-2025-03-01), well
** below 25, and raising it to 50 doubles the contribution.
*/
static void test_mexico_whatif(void **state)
{
	struct shipped *s = *state;
	struct eff_stack st, w;
	struct tc_err err;
	const struct eff_layer *L;

	assert_int_equal(tariff_effective_on(&s->tl, s->cv, TARIFF_MX, D("2025-03-10"), &st, &err), 0);
	L = layer(&st, "ieepa_fentanyl");
	assert_non_null(L);
	assert_int_equal(L->scope, TSCOPE_NON_USMCA);
	assert_true(L->coverage > 0.3 && L->coverage < 0.7);
	assert_int_equal(eff_stack_set_layer(&st, &s->tl, s->cv, "ieepa_fentanyl", -1, 50, &w, &err), 0);
	assert_close(layer(&w, "ieepa_fentanyl")->effective, 2 * L->effective, 1e-9);
	assert_close(w.effective - st.effective, L->effective, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_highest_rate),
		cmocka_unit_test(test_usmca_and_whatif),
		cmocka_unit_test(test_coverage_errors),
		cmocka_unit_test_setup_teardown(test_legal_dates, setup_shipped, teardown_shipped),
		cmocka_unit_test_setup_teardown(test_row_baseline, setup_shipped, teardown_shipped),
		cmocka_unit_test_setup_teardown(test_census_2024, setup_shipped, teardown_shipped),
		cmocka_unit_test_setup_teardown(test_mexico_whatif, setup_shipped, teardown_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
