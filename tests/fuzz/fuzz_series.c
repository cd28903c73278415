/* fuzz-sources: src/data_overdose.c src/data_vsrr.c src/model_trend.c src/model_joinpoint.c src/model_joinpoint_grid.c src/model_joinpoint_hudson.c src/model_joinpoint_fit.c src/model_joinpoint_perm.c src/model_joinpoint_ar1.c src/data_schema.c src/data_validate.c src/data_claims.c src/model_claims.c src/data_tariffs.c src/data_trade.c src/model_tariff.c src/tcsv.c src/util.c */
/*
** fuzz_series.c: libFuzzer harness for a user's series file (`tocalc
** overdose ... --file F --x x --y y`, src/data_overdose.c) and the models run
** on it: percent change, the log-linear trend and joinpoint (BIC family,
** plus a short permutation test on small series).  A rejected file must
** give a message naming it; an accepted one must be sorted and gap-free as
** promised, and every model either fails with a message or reports finite
** numbers (p-values and t statistics may be the documented NAN of an exact
** fit).  Input: byte 0 holds the options (bit 0 --allow-uneven, bit 1 run
** joinpoint, bits 2-3 --select, bit 4 --method hudson, bit 5 Poisson weights,
** bit 6 an AR(1) refit with rho 0.5); the rest is the CSV.
** Crashing inputs: tests/fuzz/regressions/series/.  Run: scripts/fuzz.sh 60 series
*/
#include "tocalc/model_joinpoint.h"
#include "tocalc/model_joinpoint_ar1.h"
#include "tocalc/data_overdose.h"
#include "tocalc/model_trend.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_series: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)
#define FZ_FIN(v) FZ_CHECK(isfinite(v))
#define FZ_FIN_OR_NAN(v) FZ_CHECK(isfinite(v) || isnan(v))

static void fz_error(const struct tc_err *err)
{
	FZ_CHECK(err->msg[0] != '\0');
	FZ_CHECK(err->code == TC_EXIT_DATA || err->code == TC_EXIT_USAGE || err->code == 0);
}

static void fz_trend(const struct od_series *s)
{
	struct trend_fit f;
	struct tc_err err;
	double pct;

	tc_err_init(&err);
	if (trend_pct_change(s->y[0], s->y[s->n - 1], &pct, &err) == 0)
		FZ_FIN(pct);
	else
		fz_error(&err);
	tc_err_init(&err);
	if (trend_loglinear(s->x, s->y, s->n, 0.95, &f, &err)) {
		fz_error(&err);
		return;
	}
	FZ_FIN(f.slope);
	FZ_FIN(f.apc);
	FZ_FIN(f.apc_lower);
	FZ_FIN(f.apc_upper);
	FZ_CHECK(f.apc_lower <= f.apc && f.apc <= f.apc_upper);
	FZ_FIN_OR_NAN(f.p_value);
	FZ_FIN_OR_NAN(f.r2);
}

static void fz_joinpoint(const struct od_series *s, unsigned opt)
{
	struct jp_options o;
	struct jp_result r;
	struct tc_err err;
	gsl_rng *rng = NULL;

	jp_options_init(&o);
	o.select = (enum jp_select)((opt >> 2) & 3);
	o.method = (opt & 16) ? JP_HUDSON : JP_GRID;
	o.max_jp = 2;
	/* Poisson weights (w = y) on some inputs: the weighted search and its checks */
	if (opt & 32)
		o.weights = s->y;
	if (o.select == JP_SELECT_PERMUTATION) {
		if (s->n > 16)
			o.select = JP_SELECT_BIC;	/* keep each input fast */
		o.permutations = 19;
		rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, 1);
	}
	tc_err_init(&err);
	if (jp_analyze(s->x, s->y, s->n, &o, rng, &r, &err)) {
		fz_error(&err);
		gsl_rng_free(rng);
		return;
	}
	FZ_CHECK(r.selected >= r.min_jp && r.selected <= r.max_jp);
	for (int i = 0; i < r.nmodels; i++) {
		const struct jp_model *m = &r.models[i];
		FZ_FIN(m->sse);
		FZ_CHECK(m->sse >= 0);
		for (int j = 0; j < m->k; j++) {
			FZ_FIN(m->tau[j]);
			FZ_CHECK(m->tau[j] >= s->x[0] && m->tau[j] <= s->x[s->n - 1]);
		}
	}
	/* what is reported: the selected model's segments and its AAPC */
	{
		const struct jp_model *m = jp_selected_model(&r);
		struct jp_aapc a;
		FZ_CHECK(m->k == r.selected);
		for (int j = 0; j <= m->k; j++) {
			FZ_FIN(m->seg[j].apc);
			FZ_FIN_OR_NAN(m->seg[j].apc_lower);
			FZ_FIN_OR_NAN(m->seg[j].apc_upper);
			FZ_FIN_OR_NAN(m->seg[j].p_value);
		}
		tc_err_init(&err);
		if (jp_aapc(m, 0.95, s->x[0], s->x[s->n - 1], &a, &err) == 0) {
			FZ_FIN(a.aapc);
			FZ_FIN_OR_NAN(a.lower);
			FZ_FIN_OR_NAN(a.upper);
		} else {
			fz_error(&err);
		}
	}
	/* AR(1) refit of the selected model with a given rho */
	if (opt & 64) {
		struct jp_model ar;
		double rho;
		tc_err_init(&err);
		if (jp_ar1_refit(s->x, s->y, o.weights, s->n, jp_selected_model(&r), 0.5, 0.95, &ar, &rho,
				 &err) == 0) {
			for (int j = 0; j <= ar.k; j++) {
				FZ_FIN(ar.seg[j].apc);
				FZ_FIN_OR_NAN(ar.seg[j].apc_lower);
				FZ_FIN_OR_NAN(ar.seg[j].apc_upper);
			}
			jp_model_release(&ar);
		} else {
			fz_error(&err);
		}
	}
	jp_result_release(&r);
	gsl_rng_free(rng);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct od_series s;
	struct tc_err err;
	unsigned opt;

	if (!init) {
		gsl_set_error_handler_off();
		init = 1;
	}
	if (size < 1)
		return 0;
	opt = data[0];
	tc_err_init(&err);
	if (od_load_buffer(&s, "fuzz.csv", (const char *)data + 1, size - 1, "x", "y", opt & 1,
			   &err)) {
		FZ_CHECK(strstr(err.msg, "fuzz.csv") != NULL || err.code == TC_EXIT_USAGE);
		return 0;
	}
	FZ_CHECK(s.n >= 2);
	for (size_t i = 1; i < s.n; i++)
		FZ_CHECK(s.x[i] > s.x[i - 1]);
	/* the models get what the command gives them: a range without missing or non-positive y */
	tc_err_init(&err);
	if (od_check_range(&s, 0, s.n - 1, 0, 1, &err) == 0) {
		fz_trend(&s);
		if ((opt & 2) && s.n <= 60)
			fz_joinpoint(&s, opt);
	} else {
		fz_error(&err);
	}
	od_series_release(&s);
	return 0;
}
