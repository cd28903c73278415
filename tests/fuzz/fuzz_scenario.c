/* fuzz-sources: src/scenario.c src/model_tariff.c src/util.c */
/*
** fuzz_scenario.c: libFuzzer harness for the scenario-file parser
** (src/scenario.c, docs/scenario-format.md) and the tariff models behind
** `tocalc tariff run`.  A rejected file must give a file:line message (code 1);
** an accepted one must hold only finite, in-range values, and its partners
** (with defaults for what the file leaves to the datasets) are evaluated
** with every model: each result is either an error or finite (gsim's
** per-partner surplus and smart's undefined diversion are the documented NANs).
** Crashing inputs: tests/fuzz/regressions/scenario/.  Run: scripts/fuzz.sh 60 scenario
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_scenario: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)
#define FZ_FIN(v) FZ_CHECK(isfinite(v))

static void fz_eval(const struct scenario *sc)
{
	struct tariff_scenario ts;
	struct tariff_params p = { 1.5, INFINITY, 3, 1, 131e6, NAN, NAN };
	struct tariff_result r;
	struct tc_err err;

	memset(&ts, 0, sizeof(ts));
	if (isfinite(sc->eps)) p.eps = sc->eps;
	if (isfinite(sc->sigma)) p.sigma = sc->sigma;
	if (!isnan(sc->ex)) p.ex = sc->ex;
	if (isfinite(sc->pass_through)) p.pass_through = sc->pass_through;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc->p[k];
		double t0 = isfinite(sp->base_rate) ? sp->base_rate : 10;
		if (!sp->set)
			continue;
		for (size_t j = 0; j < sp->nlayers; j++)
			t0 += sp->layer_rate[j];
		ts.m[k].present = 1;
		ts.m[k].m0 = isfinite(sp->imports) ? sp->imports : 400000;
		ts.m[k].t0 = t0 / 100;
		ts.m[k].t1 = (sp->op == SCN_BASE ? t0 : sp->op == SCN_RATE ? sp->value : t0 + sp->value) / 100;
	}
	for (int m = TARIFF_CES; m <= TARIFF_GSIM; m++) {
		tc_err_init(&err);
		if (tariff_eval((enum tariff_model)m, &ts, &p, &r, &err)) {
			FZ_CHECK(err.msg[0]);
			continue;
		}
		FZ_FIN(r.total.dcs); FZ_FIN(r.total.creation); FZ_FIN(r.total.rev1_static);
		FZ_CHECK(!isinf(r.total.cost_per_household));
		if (r.undefined)	/* smart: linearised diversion undefined, reported as missing */
			continue;
		FZ_FIN(r.total.m1); FZ_FIN(r.total.rev1); FZ_FIN(r.total.dm); FZ_FIN(r.total.drev);
		FZ_FIN(r.total.dwl); FZ_FIN(r.total.net_welfare);
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			if (ts.m[k].present) {
				FZ_FIN(r.p[k].m1); FZ_FIN(r.p[k].rev1); FZ_FIN(r.p[k].price_change);
			}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct scenario sc;
	struct tc_err err;
	int np = 0;

	if (!init++)
		gsl_set_error_handler_off();
	tc_err_init(&err);
	if (scenario_parse_buffer(&sc, "fuzz.scn", (const char *)data, size, &err)) {
		FZ_CHECK(!strncmp(err.msg, "fuzz.scn", 8) && err.code == TC_EXIT_DATA);
		FZ_CHECK(!sc.path && !sc.notes && !sc.title);
		return 0;
	}
	FZ_CHECK(sc.path && !strcmp(sc.path, "fuzz.scn"));
	FZ_CHECK(isnan(sc.eps) || (isfinite(sc.eps) && sc.eps > 0));
	FZ_CHECK(isnan(sc.sigma) || (isfinite(sc.sigma) && sc.sigma >= 0));
	FZ_CHECK(isnan(sc.ex) || sc.ex > 0);
	FZ_CHECK(isnan(sc.pass_through) || (sc.pass_through >= 0 && sc.pass_through <= 1));
	FZ_CHECK(sc.model >= -1 && sc.model <= TARIFF_GSIM && sc.draws >= 0);
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc.p[k];
		if (!sp->set)
			continue;
		np++;
		FZ_CHECK(sp->line >= 1 && sp->nlayers <= SCENARIO_MAX_LAYERS);
		FZ_CHECK(sp->op == SCN_BASE || (isfinite(sp->value) && sp->value >= 0 && sp->value <= TARIFF_MAX_RATE * 100));
		FZ_CHECK(isnan(sp->base_rate) || (sp->base_rate >= 0 && sp->base_rate <= TARIFF_MAX_RATE * 100));
		FZ_CHECK(isnan(sp->imports) || (isfinite(sp->imports) && sp->imports > 0));
		for (size_t j = 0; j < sp->nlayers; j++)
			FZ_CHECK(sp->layer[j] && sp->layer_rate[j] >= 0 && sp->layer_rate[j] <= TARIFF_MAX_RATE * 100);
	}
	FZ_CHECK(np > 0);
	fz_eval(&sc);
	scenario_release(&sc);
	return 0;
}
