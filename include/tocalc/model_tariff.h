/*
** model_tariff.h: pure partial-equilibrium tariff models (issue 3).
**
** Structs in, structs out: no I/O, no globals, the RNG is passed in.
** Every equation is written out in docs/tariff-methods.md.
**
** Units: imports are values in USD million at base world prices (the
** world price is normalised to 1, as SMART does), so a "quantity" and a
** "value at base prices" are the same number.  Tariff rates are fractions
** (0.25 = 25%).  Elasticities are magnitudes (eps = |Em| > 0).
**
** One framework (docs/tariff-methods.md, "The nested Armington model"):
** total import demand Q = Q0 (P/P0)^-eps against the CES composite import
** price P; allocation between sources M_k = Q (p_k/P)^-sigma (calibrated
** to base expenditure shares); export supply M_k = M0_k w_k^ex.
**   TARIFF_CES    the exact solution in levels: closed form when export
**                 supply is infinite, the world prices of every partner
**                 solved jointly with gsl_multiroot when it is finite (the
**                 linearised system only as the starting point).
**   TARIFF_SMART  the WITS SMART linearised equations (Laird-Yeats,
**                 Jammes-Olarreaga), valid for small changes: negative or
**                 undefined imports are an error (-1, err names the tariff
**                 and the elasticity); a change whose linearisation error
**                 exceeds TARIFF_SMART_MAX_REL_ERR sets beyond_validity.
**   TARIFF_GSIM   the single-importer case of the Francois-Hall GSIM: the
**                 same model as ces, always solved with gsl_multiroot (the
**                 N-region GSIM is model_gsim.h).  Agrees with ces to rounding.
*/
#ifndef TOCALC_TARIFF_H
#define TOCALC_TARIFF_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "tocalc/util.h"

enum tariff_model { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };

/* Largest tariff accepted anywhere, as a fraction (100 = 10,000%). */
#define TARIFF_MAX_RATE 100.0
/*
** Largest base imports of one partner accepted anywhere, USD million
** (1e9 = USD 1 quadrillion, about 40 times world goods trade): far above
** any real value, low enough that no product of the models overflows.
*/
#define TARIFF_MAX_IMPORTS 1e9

/* Partners, in output order. ROW = rest of world (all other exporters). */
enum tariff_partner { TARIFF_CN, TARIFF_MX, TARIFF_CA, TARIFF_ROW, TARIFF_NPARTNERS };

/* "ces"/"smart"/"gsim" <-> enum; parse returns -1 when unknown. */
const char *tariff_model_name(enum tariff_model m);
int tariff_model_parse(const char *s, enum tariff_model *m);
/* "CN"/"MX"/"CA"/"ROW" <-> enum (case-sensitive); parse returns -1 when unknown. */
const char *tariff_partner_code(int p);
int tariff_partner_parse(const char *s, int *p);

struct tariff_params {
	double eps;		/* import-demand elasticity, magnitude, > 0 */
	double ex;		/* export-supply elasticity, > 0; INFINITY = infinite (default) */
	double sigma;		/* Armington substitution elasticity, >= 0 (0 = no diversion) */
	double pass_through;	/* border pass-through share in [0,1]; with a finite ex it
				   must be 1 (the pass-through then follows from ex) */
	double households;	/* US households (count, > 0) or NAN (cost per household missing) */
	/*
	** Economy-wide price effect (issue 13 item 7).  0 or NAN = not given
	** (the outputs that need them are then NAN, never 0).
	*/
	double import_share_pce;	/* import content of personal consumption expenditures, (0,1] */
	double pce;			/* personal consumption expenditures, USD million a year */
};

/* Check ranges; err names the parameter ("--elasticity" style names are the caller's). */
int tariff_params_check(const struct tariff_params *p, struct tc_err *err);

struct tariff_market {
	int present;		/* partner is modelled */
	double m0;		/* base imports, USD million, > 0 */
	double t0, t1;		/* tariff before / after, fractions, >= 0 */
};

struct tariff_scenario {
	struct tariff_market m[TARIFF_NPARTNERS];
};

/* Check that at least one partner is present and values are finite and in range
** (0 < m0 <= TARIFF_MAX_IMPORTS, 0 <= t <= TARIFF_MAX_RATE). */
int tariff_scenario_check(const struct tariff_scenario *s, struct tc_err *err);

struct tariff_partner_result {
	double m0, t0, t1;
	double creation;	/* ces/gsim: m0 (M1/M0 - 1), the change of the total at base
				   composition; smart: SMART's own-price trade creation */
	double diversion;	/* ces/gsim: M1_k - m0 M1/M0, the change of composition;
				   smart: SMART's diversion; sums to 0 over partners */
	double m1;		/* imports after = m0 + creation + diversion */
	double dm;		/* m1 - m0 */
	double price_change;	/* buyers' tariff-inclusive price of these imports, fraction */
	double world_price_change; /* exporters' price, fraction */
	double rev0;		/* t0 * m0 */
	double rev1_static;	/* t1 * m0 (no demand response) */
	double rev1;		/* t1 * m1 * (1 + world_price_change) (SMART: world price 1) */
	double drev;		/* rev1 - rev0 */
	double dcs;		/* change in consumer surplus: smart only (per-partner linear
				   areas); NAN in ces and gsim, where the consumer surplus is
				   that of the composite and is not additive over partners */
};

struct tariff_totals {
	double m0, m1, dm, creation, diversion;
	double rev0, rev1_static, rev1, drev;
	double dcs;		/* change in consumer surplus */
	double dwl;		/* change in the deadweight loss: ces/gsim -(dcs + drev + dps);
				   smart -sum (t0 + t1)/2 creation; > 0 for a rise, < 0 for a cut */
	double tot_gain;	/* terms-of-trade gain sum M1 (1 - w) (NAN in smart) */
	double net_welfare;	/* dcs + drev (US consumers + Treasury) */
	double cost_per_household; /* -dcs * 1e6 / households, USD; NAN without households */
	double dps;		/* foreign exporters' producer surplus change (ces/gsim; NAN in smart) */
	/* economy-wide price effect (docs/tariff-methods.md "Price effect") */
	double price_index_change;	/* composite (CES) import price index, fraction */
	double cpi_change;		/* import_share_pce * price_index_change; NAN without the share */
	double cost_per_household_cpi;	/* cpi_change * pce * 1e6 / households, USD; NAN when missing */
};

struct tariff_result {
	enum tariff_model model;
	struct tariff_partner_result p[TARIFF_NPARTNERS];
	struct tariff_totals total;
	int negative_imports;	/* always 0 on success (negative imports are an error since issue 13) */
	int undefined;		/* always 0 on success (kept for source compatibility) */
	int iterations;		/* world-price solver iterations (0 when not solved) */
	/*
	** smart only: the largest relative error of the linearised own-price
	** creation against its exact constant-elasticity form over the partners
	** whose tariff moves, |(1 - eps x) - (1 + x)^-eps| / |(1 + x)^-eps - 1|
	** with x the buyers' price change; beyond_validity when it exceeds
	** TARIFF_SMART_MAX_REL_ERR.  0 in ces and gsim.
	*/
	double approx_error;
	int beyond_validity;
};

/* 10%: beyond it the SMART numbers must not be printed as plain numbers. */
#define TARIFF_SMART_MAX_REL_ERR 0.10

/*
** Evaluate one scenario.  Returns 0, or -1 with err filled (bad input,
** solver failure, non-finite result).  Partners not present are zeroed
** in the result.  Every output is finite except the documented missing
** values: gsim's per-partner dcs, smart's tot_gain, smart's diversion
** (and what depends on it) when `undefined` is set, and cost_per_household
** without households.  A result that overflows (an extreme elasticity
** with a large tariff change) is an error, never an inf or a NAN.
*/
int tariff_eval(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *p, struct tariff_result *r, struct tc_err *err);

/*
** Revenue-maximising tariff on partner `partner`, other partners fixed.
** Numeric: maximise total revenue (all partners, the chosen model) over
** t1 with gsl_min_fminimizer_brent after a bracketing grid on [0, 100].
** The full model: every partner, diversion, finite supply.  The search
** covers [0, TARIFF_REVMAX_TOP] (10,000%); when revenue still rises at the
** top, exists = 0 and beyond_range = 1 (the maximum, if any, lies beyond
** the search range); then t_numeric and revenue are NAN.
** t_closed is the single-market reference only: 1 / (phi (eps - 1)) for
** ces and gsim (NAN when eps <= 1), phi the pass-through (ex/(ex+eps)
** when ex is finite); SMART's (1 + t0 + eps phi t0) / (2 eps phi).
** Grid points where the model fails are skipped and counted in `failed`.
*/
#define TARIFF_REVMAX_TOP 100.0
struct tariff_revmax {
	int exists;
	int beyond_range;	/* revenue still rising at TARIFF_REVMAX_TOP */
	int failed;		/* grid points where the model failed (skipped) */
	double t_numeric;	/* fraction */
	double t_closed;	/* fraction; NAN when the model has no closed form */
	double revenue;		/* total revenue at t_numeric, USD million */
	double revenue_partner;	/* the partner's revenue at t_numeric */
	int iterations;
};
int tariff_revenue_max(enum tariff_model model, const struct tariff_scenario *s, int partner,
		       const struct tariff_params *p, struct tariff_revmax *rm, struct tc_err *err);

/*
** Sweep: the model at each rate of `rates` (fractions) on `partner`, other
** partners as in s.  rows[i] gets the result; ok[i] = 1, or 0 with the
** reason in why[i] (caller-owned arrays of n; why may be NULL).  A row
** that fails does not stop the sweep.  Returns -1 only for bad input
** (params, scenario, partner, a rate out of [0, TARIFF_MAX_RATE]).
*/
int tariff_sweep(enum tariff_model model, const struct tariff_scenario *s, int partner,
		 const struct tariff_params *p, const double *rates, size_t n,
		 struct tariff_result *rows, int *ok, struct tc_err *why, struct tc_err *err);

/*
** Sensitivity grid: one evaluation per combination of the four lists
** (eps outermost, then sigma, then ex, then pass-through innermost);
** the other fields of base (households, shares) are kept.  Rows are
** caller-owned, neps*nsigma*nex*npt of them (tariff_grid_size()).
** A combination that fails (e.g. a finite ex with a pass-through below 1)
** is a row with ok = 0 and the reason; the grid goes on.
*/
struct tariff_grid_axes {
	const double *eps, *sigma, *ex, *pass_through;
	size_t neps, nsigma, nex, npt;
};
struct tariff_grid_row {
	struct tariff_params p;
	int ok;
	struct tariff_totals total;
	int iterations;
	struct tc_err why;	/* reason when ok = 0 */
};
size_t tariff_grid_size(const struct tariff_grid_axes *ax);
int tariff_grid(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *base, const struct tariff_grid_axes *ax,
		struct tariff_grid_row *rows, struct tc_err *err);

/*
** Monte Carlo.  Each draw takes eps, sigma (and ex when finite) from
** lognormal distributions with medians at the point values and the log
** standard deviations below, evaluates the model and stores the outputs
** of enum tariff_mc_output as floats in out[draw * TARIFF_MC_NOUT + k].
** The draws come in blocks of 16384, each with its own xoshiro256++
** stream seeded from two outputs of rng (the only values taken from it)
** and the block's index, normals by Box-Muller, so tariff_mc_run and
** tariff_mc_stats see the same draws, on any number of threads.  The inner loop does not allocate.
** Same rng seed -> same numbers.
** A draw where the model fails (e.g. world prices that do not converge)
** gets NAN in every output but eps and sigma; tariff_mc_stats counts such
** draws in nfailed, and tariff_mc_run in *nfailed when not NULL
** (tariff_mc_run_counted).
*/
struct tariff_mc_dist {
	double eps_sdlog;	/* default 0.30 */
	double sigma_sdlog;	/* default 0.30 */
	double ex_sdlog;	/* default 0.50 (used only when ex is finite) */
	int threads;		/* worker threads for tariff_mc_stats, 0 .. 64 (0 and 1: the
				   calling thread only); the results do not depend on it */
	int no_avx2;		/* 1: the 4-lane (SSE2) code even where AVX2 runs (tests:
				   the results do not depend on it); default 0 */
};
void tariff_mc_dist_default(struct tariff_mc_dist *d);

enum tariff_mc_output {
	MC_IMPORTS_AFTER, MC_IMPORT_CHANGE, MC_CREATION, MC_REVENUE_AFTER, MC_REVENUE_CHANGE,
	MC_DCS, MC_DWL, MC_NET_WELFARE, MC_COST_PER_HOUSEHOLD,
	MC_EPS, MC_SIGMA,
	MC_PARTNER_M1,					/* + partner index */
	MC_PARTNER_DIVERSION = MC_PARTNER_M1 + TARIFF_NPARTNERS,	/* + partner index */
	MC_PARTNER_REV1 = MC_PARTNER_DIVERSION + TARIFF_NPARTNERS,	/* + partner index */
	TARIFF_MC_NOUT = MC_PARTNER_REV1 + TARIFF_NPARTNERS
};

int tariff_mc_run(enum tariff_model model, const struct tariff_scenario *s,
		  const struct tariff_params *p, const struct tariff_mc_dist *d,
		  size_t draws, gsl_rng *rng, float *out, struct tc_err *err);
int tariff_mc_run_counted(enum tariff_model model, const struct tariff_scenario *s,
			  const struct tariff_params *p, const struct tariff_mc_dist *d,
			  size_t draws, gsl_rng *rng, float *out, size_t *nfailed,
			  struct tc_err *err);

/*
** Summaries of every output over `draws` draws in one pass of the draw
** stream, with exact percentiles (equal to a full sort of the stored
** draws, and to tariff_mc_summarise()): the first blocks (a pilot: every
** draw up to one block, else 1/32 of them, 1 to 8 blocks) are kept; their
** order statistics give a narrow window of values around each percentile;
** the pass counts the values under each window and keeps those inside,
** and the percentile is selected exactly in its window.  Only when the
** pilot misled (a rank outside every window, about 3e-7 per window edge)
** are the blocks replayed once.  The blocks run on d->threads threads;
** every result is the same bits whatever the count (per-block sums added
** in block order).  Memory: the pilot (23 x pilot keys, at most 12 MB,
** and room to sort them; freed after it), then the windows, a few % of the draws per output
** (about 5.5% at 1 M draws, 2.7% at 10 M; an output the draws do not move
** stores nothing), gathered per block by each thread:
** `tocalc tariff --draws 10000000` peaks at 29 MB.  On return rng has
** advanced by two outputs.
*/
#define TARIFF_MC_CHUNK 4096	/* rows per call of tariff_mc_run in bench/tariff/mc_bench.c */
struct tariff_mc_summary {
	double mean, p5, p50, p95;
	size_t nfinite;
	size_t nfailed;		/* draws where the model failed (same in every output);
				   their outputs are NAN and left out, never averaged in */
};
int tariff_mc_stats(enum tariff_model model, const struct tariff_scenario *s,
		    const struct tariff_params *p, const struct tariff_mc_dist *d,
		    size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
		    struct tc_err *err);

/*
** Summaries of one output column (n values, stride TARIFF_MC_NOUT).
** Non-finite values are skipped (nfinite counts the rest).  Percentiles
** use GSL's definition (linear interpolation at (n-1)f).  The column is
** copied into `work` (n floats, caller-owned) and partially reordered there.
*/
void tariff_mc_summarise(const float *out, size_t draws, int k, float *work,
			 struct tariff_mc_summary *sum);

/* Percentile f in [0,1] of v[0..n) (reorders v); NAN when n == 0. */
double tariff_quantile_select(float *v, size_t n, double f);

/*
** The totals rule, one home: net_welfare = dcs + drev (US consumers and
** the Treasury, USD million) and cost_per_household = -dcs * 1e6 /
** households (USD; NAN when not finite, e.g. households missing), from
** T->dcs and T->drev.  (model_tariff_mc.c's draw loop keeps the same rule
** with 1e6 / households hoisted out of the loop.)
*/
void tariff_totals_welfare(struct tariff_totals *T, double households);

/*
** Result types of run_tariff.h's run functions (whatif_revenue_max,
** whatif_laffer in run_tariff.c), defined here in the model layer so that
** report.h and the plot recipes read them without a run-layer header.
*/
/* The revenue maximum over partner k's varied layer (statutory and effective). */
struct whatif_revmax {
	struct tariff_revmax rm;	/* on the effective rate */
	double rate_pct;		/* the layer's statutory rate at the maximum; NAN if none */
	double eff_pct;			/* the effective rate at the maximum; NAN if none */
	int below_range;		/* the maximum needs a negative statutory rate */
};

/* The Laffer curve of whatif_laffer() (run_tariff.h has the contract). */
struct whatif_laffer {
	size_t n;
	double *rate, *eff;		/* layer rate and the partner's effective rate, percent */
	double *rev, *rev_lo, *rev_hi;	/* total revenue */
	double *imp, *imp_lo, *imp_hi;	/* the partner's imports */
	struct whatif_revmax rm;
	int partner;
	char layer[64];
	double layer_before, layer_after;	/* statutory, percent */
	long as_of;
	int year;
	enum tariff_model model;
	struct tariff_params p;
	char scenario[80];
};

#endif
