/*
** cmd_tariff.c: `tocalc tariff`: tariff what-ifs, sweeps (the Laffer
** curve), scenario files, revenue maxima, product-level runs over a
** Census HS10 file, and Monte Carlo bands.  Flags -> load -> model ->
** out_doc.  Methods: docs/tariff-methods.md; files: docs/scenario-format.md.
*/
#include "tocalc/cmd.h"
#include "tocalc/tariff.h"
#include "tocalc/tariffs.h"
#include "tocalc/datasets.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_tariff_help[] =
	"usage: tocalc tariff --partner P (--rate R | --add R) [options]\n"
	"       tocalc tariff sweep --partner P [--from R] [--to R] [--step R] [options]\n"
	"       tocalc tariff run FILE|NAME [options]\n"
	"       tocalc tariff revenue-max --partner P [options]\n"
	"       tocalc tariff gsim FILE [options]   (multi-region GSIM; tocalc tariff gsim --help)\n"
	"       tocalc tariff --partner P (--rate R | --add R) --imports-file FILE [--product-rates FILE]\n"
	"\n"
	"Partial-equilibrium what-if of a US tariff change on imports from China (CN),\n"
	"Mexico (MX), Canada (CA) or the rest of the world (ROW): imports after, trade\n"
	"creation and diversion, revenue (static and with the demand response), the\n"
	"price effect, consumer-surplus change, deadweight loss, cost per household and\n"
	"the revenue-maximising tariff.  Rates are in percent.  Imports and revenue are\n"
	"in USD million of the base year.  Methods: docs/tariff-methods.md.\n"
	"\n"
	"scenario:\n"
	"   --partner P             CN, MX, CA or ROW (ROW needs --row-imports or --imports-value)\n"
	"   --rate R                tariff after, in percent (the stacked additional rate)\n"
	"   --add R                 tariff after = tariff before + R percentage points\n"
	"   --base-rate R           tariff before (default: the stacked rate in force on --as-of\n"
	"                           in tariffs.csv: layers of scope all_goods and non_usmca)\n"
	"   --as-of DATE            date for the rates in force, YYYY-MM-DD (default: the last\n"
	"                           date of the timeline); must lie inside the timeline\n"
	"   --year Y                base year of imports in trade.csv (default: the latest year\n"
	"                           with Census values for CN, MX and CA)\n"
	"   --imports-value V       base imports of the partner, USD million; models the partner\n"
	"                           alone (no other partners, no diversion)\n"
	"   --row-imports V         add the rest of the world with base imports V (USD million);\n"
	"                           its tariff is the ALL-partner layers of the timeline\n"
	"model (defaults from datasets/parameters.csv, shown in the output):\n"
	"   --model M               ces (default: exact constant elasticity), smart (WITS SMART,\n"
	"                           linearised) or gsim (multi-exporter, world prices solved)\n"
	"   --elasticity E          import-demand elasticity as a positive magnitude (1.5 = -1.5)\n"
	"   --supply-elasticity X   export-supply elasticity, > 0 or 'inf' (default: infinite)\n"
	"   --substitution S        Armington substitution elasticity between partners, >= 0\n"
	"                           (0: no diversion)\n"
	"   --pass-through P        border pass-through share in [0, 1] (default 1); not with a\n"
	"                           finite --supply-elasticity, which sets it to X/(X+E)\n"
	"uncertainty:\n"
	"   --draws N               Monte Carlo: draw the elasticities N times (1..10000000) and\n"
	"                           report mean, p5, p50 and p95 of every output\n"
	"   --seed S                seed of the GSL mt19937 generator (default 1); same seed, same\n"
	"                           numbers\n"
	"sweep (the revenue or Laffer curve and the import curve):\n"
	"   --from R --to R --step R  tariff grid in percent (default 0 to 300 by 5)\n"
	"product level:\n"
	"   --imports-file FILE     a Census HS10 import file (HS10,HS8,...,CON_VAL_YR,CAL_DUT_YR);\n"
	"                           each line is priced on its own (single market)\n"
	"   --product-rates FILE    HTS8 product lists (hts8,list,ch99_code: Section 301 lists);\n"
	"                           a listed product pays its list rate on top of the flat rate,\n"
	"                           an unlisted one the flat scenario rate\n"
	"   --top N                 HS chapters to list (default 10)\n"
	"\n"
	"run FILE|NAME runs a scenario file (docs/scenario-format.md); a bare NAME is looked\n"
	"up as scenarios/NAME.scn of the install.  Model flags given on the command line\n"
	"override the file.  revenue-max reports the revenue-maximising tariff (numeric,\n"
	"GSL Brent minimiser, beside the closed form 1/(E-1)) and fails when there is none.\n"
	"\n"
	"common options: --json, --csv, --format F, --data-dir DIR, --quiet, --help\n"
	"exit codes: 0 ok, 1 bad data or failed computation, 2 usage error\n";

enum {
	OPT_PARTNER = TC_OPT_FIRST_FREE, OPT_RATE, OPT_ADD, OPT_BASE_RATE, OPT_AS_OF, OPT_YEAR,
	OPT_IMPORTS_VALUE, OPT_ROW_IMPORTS, OPT_ELASTICITY, OPT_SUPPLY, OPT_SUBST, OPT_PT,
	OPT_MODEL, OPT_DRAWS, OPT_SEED, OPT_IMPORTS_FILE, OPT_PRODUCT_RATES, OPT_FROM, OPT_TO,
	OPT_STEP, OPT_TOP
};

static const struct option longopts[] = {
	{ "partner", required_argument, NULL, OPT_PARTNER },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "add", required_argument, NULL, OPT_ADD },
	{ "base-rate", required_argument, NULL, OPT_BASE_RATE },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "imports-value", required_argument, NULL, OPT_IMPORTS_VALUE },
	{ "row-imports", required_argument, NULL, OPT_ROW_IMPORTS },
	{ "elasticity", required_argument, NULL, OPT_ELASTICITY },
	{ "supply-elasticity", required_argument, NULL, OPT_SUPPLY },
	{ "substitution", required_argument, NULL, OPT_SUBST },
	{ "pass-through", required_argument, NULL, OPT_PT },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "draws", required_argument, NULL, OPT_DRAWS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "imports-file", required_argument, NULL, OPT_IMPORTS_FILE },
	{ "product-rates", required_argument, NULL, OPT_PRODUCT_RATES },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "step", required_argument, NULL, OPT_STEP },
	{ "top", required_argument, NULL, OPT_TOP },
	{ NULL, 0, NULL, 0 }
};

#define MAX_DRAWS 10000000L
#define MAX_SWEEP 100001L
#define IEEPA_NOTE "the IEEPA tariffs on China, Mexico and Canada (the 'fentanyl' tariffs) were " \
	"voided by the US Supreme Court on 2026-02-20 (Learning Resources, Inc. v. Trump); a what-if " \
	"on them is a counterfactual about a measure that no longer exists"

enum sub { SUB_WHATIF, SUB_SWEEP, SUB_RUN, SUB_REVMAX };

struct topts {
	enum sub sub;
	const char *file;		/* run */
	int partner;			/* -1 unset */
	double rate, add, base_rate, imports_value, row_imports;	/* NAN unset */
	long as_of;			/* 0 unset */
	int year;			/* 0 unset */
	double eps, ex, sigma, pt;	/* NAN unset */
	int model;			/* -1 unset */
	long draws;
	unsigned long seed;
	int seed_set;
	const char *imports_file, *product_rates;
	double from, to, step;
	int sweep_flags;
	long top;
};

/* Everything a run needs, loaded and resolved. */
struct setup {
	struct tariff_params p;
	const char *src_eps, *src_sigma, *src_ex, *src_pt, *src_households;
	enum tariff_model model;
	struct tariff_scenario s;
	int changed[TARIFF_NPARTNERS];
	double t0pct[TARIFF_NPARTNERS], t1pct[TARIFF_NPARTNERS];
	char t0src[TARIFF_NPARTNERS][160];
	char imports_src[TARIFF_NPARTNERS][160];
	struct tariff_stack stack[TARIFF_NPARTNERS];
	int have_stack[TARIFF_NPARTNERS];
	struct tariff_timeline tl;
	int have_tl;
	struct tcsv_table params, trade;
	int have_params, have_trade;
	long as_of;
	int year;
	long draws;
	unsigned long seed;
	char *notes[16];
	size_t nnotes;
};

static void setup_note(struct setup *su, const char *fmt, ...) TC_PRINTF(2, 3);

static void setup_note(struct setup *su, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (su->nnotes == TC_ARRAY_SIZE(su->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	su->notes[su->nnotes++] = xstrdup(buf);
}

static void setup_release(struct setup *su)
{
	if (su->have_tl)
		tariff_timeline_release(&su->tl);
	if (su->have_params)
		tcsv_table_release(&su->params);
	if (su->have_trade)
		tcsv_table_release(&su->trade);
	for (size_t i = 0; i < su->nnotes; i++)
		free(su->notes[i]);
}

/* ------------------------------------------------------------ flags */

static int opt_rate(const char *flag, const char *arg, double *v)
{
	if (tc_opt_double(flag, arg, v))
		return -1;
	if (*v < 0) {
		tc_usage_error("%s: a tariff rate cannot be negative, got '%s'", flag, arg);
		return -1;
	}
	if (*v > TARIFF_MAX_RATE * 100) {
		tc_usage_error("%s: rate %s%% is above the %g%% limit", flag, arg, TARIFF_MAX_RATE * 100);
		return -1;
	}
	return 0;
}

static int parse_flags(int argc, char **argv, struct tc_ctx *ctx, struct topts *o)
{
	int c;
	long l;

	memset(o, 0, sizeof(*o));
	o->partner = -1;
	o->rate = o->add = o->base_rate = o->imports_value = o->row_imports = NAN;
	o->eps = o->ex = o->sigma = o->pt = NAN;
	o->model = -1;
	o->seed = 1;
	o->from = 0;
	o->to = 300;
	o->step = 5;
	o->top = 10;
	while ((c = tc_getopt(argc, argv, "", longopts, ctx)) != -1) {
		switch (c) {
		case TC_OPT_HELP:
			return TC_OPT_HELP;
		case '?':
			return TC_EXIT_USAGE;
		case OPT_PARTNER:
			if (tariff_partner_parse(optarg, &o->partner)) {
				tc_usage_error("--partner: unknown partner '%s' (expected CN, MX, CA or ROW)",
					       optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_RATE:
			if (opt_rate("--rate", optarg, &o->rate))
				return TC_EXIT_USAGE;
			break;
		case OPT_ADD:
			if (opt_rate("--add", optarg, &o->add))
				return TC_EXIT_USAGE;
			break;
		case OPT_BASE_RATE:
			if (opt_rate("--base-rate", optarg, &o->base_rate))
				return TC_EXIT_USAGE;
			break;
		case OPT_AS_OF:
			if (tc_parse_date(optarg, &o->as_of)) {
				tc_usage_error("--as-of: expected a date YYYY-MM-DD, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_YEAR:
			if (tc_opt_long("--year", optarg, &l))
				return TC_EXIT_USAGE;
			if (l < 1900 || l > 2199) {
				tc_usage_error("--year: expected a year 1900-2199, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			o->year = (int)l;
			break;
		case OPT_IMPORTS_VALUE:
		case OPT_ROW_IMPORTS: {
			const char *f = c == OPT_IMPORTS_VALUE ? "--imports-value" : "--row-imports";
			double *v = c == OPT_IMPORTS_VALUE ? &o->imports_value : &o->row_imports;
			if (tc_opt_double(f, optarg, v))
				return TC_EXIT_USAGE;
			if (*v <= 0) {
				tc_usage_error("%s: base imports must be positive (USD million), got '%s'", f,
					       optarg);
				return TC_EXIT_USAGE;
			}
			if (*v > TARIFF_MAX_IMPORTS) {
				tc_usage_error("%s: USD %s million is above the USD %g million limit", f,
					       optarg, TARIFF_MAX_IMPORTS);
				return TC_EXIT_USAGE;
			}
			break;
		}
		case OPT_ELASTICITY:
			if (tc_opt_double("--elasticity", optarg, &o->eps))
				return TC_EXIT_USAGE;
			if (o->eps <= 0) {
				tc_usage_error("--elasticity: give the import-demand elasticity as a positive "
					       "magnitude (1.5 for -1.5), got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_SUPPLY:
			if (!strcmp(optarg, "inf")) {
				o->ex = INFINITY;
				break;
			}
			if (tc_opt_double("--supply-elasticity", optarg, &o->ex))
				return TC_EXIT_USAGE;
			if (o->ex <= 0) {
				tc_usage_error("--supply-elasticity: must be positive or 'inf', got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_SUBST:
			if (tc_opt_double("--substitution", optarg, &o->sigma))
				return TC_EXIT_USAGE;
			if (o->sigma < 0) {
				tc_usage_error("--substitution: must be >= 0, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_PT:
			if (tc_opt_double("--pass-through", optarg, &o->pt))
				return TC_EXIT_USAGE;
			if (o->pt < 0 || o->pt > 1) {
				tc_usage_error("--pass-through: must be a share in [0, 1], got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_MODEL: {
			enum tariff_model m;
			if (tariff_model_parse(optarg, &m)) {
				tc_usage_error("--model: expected ces, smart or gsim, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			o->model = (int)m;
			break;
		}
		case OPT_DRAWS:
			if (tc_opt_long("--draws", optarg, &o->draws))
				return TC_EXIT_USAGE;
			if (o->draws < 1 || o->draws > MAX_DRAWS) {
				tc_usage_error("--draws: expected 1 to %ld, got '%s'", MAX_DRAWS, optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_SEED:
			if (tc_opt_long("--seed", optarg, &l))
				return TC_EXIT_USAGE;
			if (l < 0) {
				tc_usage_error("--seed: expected a non-negative integer, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			o->seed = (unsigned long)l;
			o->seed_set = 1;
			break;
		case OPT_IMPORTS_FILE:
			o->imports_file = optarg;
			break;
		case OPT_PRODUCT_RATES:
			o->product_rates = optarg;
			break;
		case OPT_FROM:
		case OPT_TO:
		case OPT_STEP: {
			const char *f = c == OPT_FROM ? "--from" : c == OPT_TO ? "--to" : "--step";
			double *v = c == OPT_FROM ? &o->from : c == OPT_TO ? &o->to : &o->step;
			if (opt_rate(f, optarg, v))
				return TC_EXIT_USAGE;
			o->sweep_flags = 1;
			break;
		}
		case OPT_TOP:
			if (tc_opt_long("--top", optarg, &o->top))
				return TC_EXIT_USAGE;
			if (o->top < 1 || o->top > 99) {
				tc_usage_error("--top: expected 1 to 99, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		default:
			return TC_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tc_usage_error("tariff: unexpected argument '%s'", argv[optind]);
		return TC_EXIT_USAGE;
	}
	return 0;
}

/* Cross-flag checks; returns 0 or an exit code (message printed). */
static int check_flags(const struct topts *o)
{
	int has_rate = isfinite(o->rate), has_add = isfinite(o->add);

	if (isfinite(o->pt) && o->pt != 1 && isfinite(o->ex))
		return tc_usage_error("--pass-through and --supply-elasticity: with a finite export-supply "
				      "elasticity X the pass-through is X/(X+E); give only one of them");
	if (o->sub == SUB_RUN) {
		if (o->partner >= 0 || has_rate || has_add || isfinite(o->base_rate) ||
		    isfinite(o->imports_value) || o->imports_file || o->sweep_flags)
			return tc_usage_error("tariff run: partners and rates come from the scenario file; "
					      "only model, --as-of, --year, --draws and --seed flags apply");
		return 0;
	}
	if (o->partner < 0)
		return tc_usage_error("tariff: --partner is required (CN, MX, CA or ROW)");
	if (o->sub == SUB_SWEEP || o->sub == SUB_REVMAX) {
		if (has_rate || has_add)
			return tc_usage_error("tariff %s: --rate and --add do not apply (the tariff varies)",
					      o->sub == SUB_SWEEP ? "sweep" : "revenue-max");
		if (o->imports_file || o->product_rates)
			return tc_usage_error("--imports-file and --product-rates only apply to a what-if");
		if (o->sub == SUB_REVMAX && o->sweep_flags)
			return tc_usage_error("tariff revenue-max: --from, --to and --step do not apply");
		if (o->sub == SUB_SWEEP) {
			if (o->step <= 0)
				return tc_usage_error("--step: must be positive");
			if (o->to < o->from)
				return tc_usage_error("--to: %g is below --from %g", o->to, o->from);
			if ((o->to - o->from) / o->step + 1 > MAX_SWEEP)
				return tc_usage_error("--step: more than %ld sweep points", MAX_SWEEP);
			if (o->draws)
				return tc_usage_error("--draws does not apply to a sweep");
		}
		return 0;
	}
	if (o->sweep_flags)
		return tc_usage_error("--from, --to and --step apply to 'tocalc tariff sweep'");
	if (has_rate == has_add)
		return tc_usage_error(has_rate ? "--rate and --add: give only one of them"
					       : "tariff: give the tariff after with --rate R or --add R (percent)");
	if (o->product_rates && !o->imports_file)
		return tc_usage_error("--product-rates needs --imports-file");
	if (o->imports_file && (o->draws || isfinite(o->imports_value) || isfinite(o->row_imports)))
		return tc_usage_error("--imports-file: --draws, --imports-value and --row-imports do not apply");
	if (o->partner == TARIFF_ROW && !isfinite(o->imports_value) && !isfinite(o->row_imports) &&
	    !o->imports_file)
		return tc_usage_error("--partner ROW: give its base imports with --row-imports or "
				      "--imports-value (trade.csv has no world total)");
	return 0;
}

/* ------------------------------------------------------------ loading */

static int load_params(struct tc_ctx *ctx, const struct topts *o, int file_model, double f_eps,
		       double f_sigma, double f_ex, double f_pt, struct setup *su)
{
	struct tariff_param_sources src;
	struct tc_err err;

	tc_err_init(&err);
	if (dataset_load(&su->params, ctx->data_dir, "parameters", &err))
		return tc_report(&err);
	su->have_params = 1;
	if (tariff_params_from_table(&su->params, &su->p, &src, &err))
		return tc_report(&err);
	su->src_eps = src.eps;
	su->src_sigma = src.sigma;
	su->src_ex = src.ex;
	su->src_pt = src.pass_through;
	su->src_households = src.households;
	/* scenario file values, then flags */
	if (isfinite(f_eps)) {
		su->p.eps = f_eps;
		su->src_eps = "scenario file";
	}
	if (isfinite(f_sigma)) {
		su->p.sigma = f_sigma;
		su->src_sigma = "scenario file";
	}
	if (!isnan(f_ex)) {
		su->p.ex = f_ex;
		su->src_ex = "scenario file";
	}
	if (isfinite(f_pt)) {
		su->p.pass_through = f_pt;
		su->src_pt = "scenario file";
	}
	if (isfinite(o->eps)) {
		su->p.eps = o->eps;
		su->src_eps = "--elasticity";
	}
	if (isfinite(o->sigma)) {
		su->p.sigma = o->sigma;
		su->src_sigma = "--substitution";
	}
	if (!isnan(o->ex)) {
		su->p.ex = o->ex;
		su->src_ex = "--supply-elasticity";
	}
	if (isfinite(o->pt)) {
		su->p.pass_through = o->pt;
		su->src_pt = "--pass-through";
	}
	if (isfinite(su->p.ex) && su->p.pass_through != 1) {
		if (isfinite(o->ex) && !isfinite(o->pt)) {
			su->p.pass_through = 1;	/* the flag's finite supply sets the pass-through */
			su->src_pt = "implied by --supply-elasticity";
		} else {
			return tc_usage_error("pass-through %g and a finite export-supply elasticity %g: "
					      "the pass-through then is X/(X+E); give only one of them",
					      su->p.pass_through, su->p.ex);
		}
	}
	su->model = o->model >= 0 ? (enum tariff_model)o->model
				  : file_model >= 0 ? (enum tariff_model)file_model : TARIFF_CES;
	if (tariff_params_check(&su->p, &err))
		return tc_usage_error("%s", err.msg);
	return 0;
}

static int need_timeline(struct tc_ctx *ctx, struct setup *su)
{
	struct tc_err err;

	if (su->have_tl)
		return 0;
	tc_err_init(&err);
	if (tariff_timeline_load(&su->tl, ctx->data_dir, &err))
		return tc_report(&err);
	su->have_tl = 1;
	if (!su->as_of)
		su->as_of = su->tl.last;
	return 0;
}

/* t0 of partner k from the timeline on su->as_of (percent). */
static int timeline_t0(struct tc_ctx *ctx, struct setup *su, int k, const char *date_flag)
{
	struct tc_err err;
	char d[16];
	int rc;

	if ((rc = need_timeline(ctx, su)))
		return rc;
	tc_err_init(&err);
	if (tariff_rate_on(&su->tl, tariff_timeline_partner(k), su->as_of, &su->stack[k], &err)) {
		if (err.code == TC_EXIT_USAGE)
			return tc_usage_error("%s: %s", date_flag, err.msg);
		return tc_report(&err);
	}
	su->have_stack[k] = 1;
	su->t0pct[k] = su->stack[k].rate;
	snprintf(su->t0src[k], sizeof(su->t0src[k]), "tariffs.csv, stacked rate in force on %s",
		 tc_format_date(su->as_of, d));
	return 0;
}

/* trade.csv, loaded once. */
static int need_trade(struct tc_ctx *ctx, struct setup *su)
{
	struct tc_err err;

	if (su->have_trade)
		return 0;
	tc_err_init(&err);
	if (dataset_load(&su->trade, ctx->data_dir, "trade", &err))
		return tc_report(&err);
	su->have_trade = 1;
	return 0;
}

static int load_trade(struct tc_ctx *ctx, struct setup *su, int year_flag, struct trade_base *tb)
{
	int rc;

	if ((rc = need_trade(ctx, su)))
		return rc;
	su->year = year_flag ? year_flag : trade_latest_year(&su->trade);
	if (!su->year)
		return tc_error("trade.csv: no year has Census import values for CN, MX and CA; "
				"give --imports-value V (USD million)");
	trade_base_get(&su->trade, su->year, tb);
	return 0;
}

static int missing_imports(const struct setup *su, const struct trade_base *tb, int k)
{
	if (tb->line[k])
		return tc_error("trade.csv:%ld: no Census import value from %s for %d; give "
				"--imports-value V (USD million)", tb->line[k], tariff_partner_code(k),
				su->year);
	return tc_error("trade.csv: no Census import value from %s for %d; give --imports-value V "
			"(USD million)", tariff_partner_code(k), su->year);
}

static void set_market(struct setup *su, int k, double m0, double t0pct, double t1pct)
{
	su->s.m[k].present = 1;
	su->s.m[k].m0 = m0;
	su->t0pct[k] = t0pct;
	su->t1pct[k] = t1pct;
	su->s.m[k].t0 = t0pct / 100;
	su->s.m[k].t1 = t1pct / 100;
	su->changed[k] = t0pct != t1pct;
}

static void trade_src(struct setup *su, const struct trade_base *tb, int k)
{
	snprintf(su->imports_src[k], sizeof(su->imports_src[k]), "trade.csv %d %s (%s)", su->year,
		 tb->basis[k] ? tb->basis[k] : "?", tb->source[k] ? tb->source[k] : "no source");
}

/* The flag-driven scenario: the partner changes, the others stay at their rates. */
static int setup_flags(struct tc_ctx *ctx, const struct topts *o, struct setup *su)
{
	struct trade_base tb;
	int k = o->partner, rc;
	double t0, t1;

	su->as_of = o->as_of;
	/* tariff before of the partner */
	if (isfinite(o->base_rate)) {
		su->t0pct[k] = o->base_rate;
		snprintf(su->t0src[k], sizeof(su->t0src[k]), "--base-rate");
		if (o->as_of) {
			/* still check --as-of against the timeline */
			struct tc_err err;
			struct tariff_stack st;
			if ((rc = need_timeline(ctx, su)))
				return rc;
			tc_err_init(&err);
			if (tariff_rate_on(&su->tl, tariff_timeline_partner(k), su->as_of, &st, &err))
				return err.code == TC_EXIT_USAGE ? tc_usage_error("--as-of: %s", err.msg)
								 : tc_report(&err);
		}
	} else if ((rc = timeline_t0(ctx, su, k, "--as-of"))) {
		return rc;
	}
	t0 = su->t0pct[k];
	t1 = isfinite(o->rate) ? o->rate : t0 + o->add;
	if (t1 > TARIFF_MAX_RATE * 100)
		return tc_usage_error("--add: the tariff after (%g%%) is above the %g%% limit", t1,
				      TARIFF_MAX_RATE * 100);
	if (o->sub == SUB_SWEEP || o->sub == SUB_REVMAX)
		t1 = t0;
	if (isfinite(o->imports_value)) {
		set_market(su, k, o->imports_value, t0, t1);
		snprintf(su->imports_src[k], sizeof(su->imports_src[k]), "--imports-value");
		su->year = o->year;
		return 0;
	}
	if (k != TARIFF_ROW) {
		if ((rc = load_trade(ctx, su, o->year, &tb)))
			return rc;
		if (!isfinite(tb.m0[k]))
			return missing_imports(su, &tb, k);
	}
	for (int j = 0; j < TARIFF_NPARTNERS; j++) {
		double m0;
		if (j == k) {
			m0 = j == TARIFF_ROW ? o->row_imports : tb.m0[j];
			set_market(su, j, m0, t0, t1);
			if (j == TARIFF_ROW)
				snprintf(su->imports_src[j], sizeof(su->imports_src[j]), "--row-imports");
			else
				trade_src(su, &tb, j);
			continue;
		}
		if (j == TARIFF_ROW) {
			if (!isfinite(o->row_imports))
				continue;
			m0 = o->row_imports;
			snprintf(su->imports_src[j], sizeof(su->imports_src[j]), "--row-imports");
		} else {
			if (!su->have_trade && (rc = load_trade(ctx, su, o->year, &tb)))
				return rc;
			if (!isfinite(tb.m0[j])) {
				setup_note(su, "%s left out of the diversion: no Census import value for %d in "
					   "trade.csv", tariff_partner_code(j), su->year);
				continue;
			}
			m0 = tb.m0[j];
			trade_src(su, &tb, j);
		}
		if ((rc = timeline_t0(ctx, su, j, "--as-of")))
			return rc;
		set_market(su, j, m0, su->t0pct[j], su->t0pct[j]);
	}
	return 0;
}

/* A scenario file's partners (docs/scenario-format.md), by scenario_resolve. */
static int setup_file(struct tc_ctx *ctx, const struct topts *o, const struct scenario *sc,
		      struct setup *su)
{
	struct scenario_markets *mk;
	struct tc_err err;
	int rc, trade, timeline;

	scenario_needs(sc, &trade, &timeline);
	if ((trade && (rc = need_trade(ctx, su))) || (timeline && (rc = need_timeline(ctx, su))))
		return rc;
	mk = xmalloc(sizeof(*mk));
	tc_err_init(&err);
	if (scenario_resolve(sc, o->as_of, o->year, su->have_tl ? &su->tl : NULL,
			     su->have_trade ? &su->trade : NULL, mk, &err)) {
		free(mk);
		return tc_report(&err);
	}
	su->as_of = mk->as_of;
	su->year = mk->year;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc->p[k];
		char d[16];

		if (!mk->s.m[k].present)
			continue;
		if (mk->imports_from_file[k])
			snprintf(su->imports_src[k], sizeof(su->imports_src[k]), "%s:%ld", sc->path, sp->line);
		else
			trade_src(su, &mk->tb, k);
		if (mk->t0_from_file[k]) {
			snprintf(su->t0src[k], sizeof(su->t0src[k]), "%s:%ld base-rate", sc->path, sp->line);
		} else {
			su->stack[k] = mk->stack[k];
			su->have_stack[k] = 1;
			snprintf(su->t0src[k], sizeof(su->t0src[k]),
				 "tariffs.csv, stacked rate in force on %s", tc_format_date(su->as_of, d));
		}
		set_market(su, k, mk->s.m[k].m0, mk->t0pct[k], mk->t1pct[k]);
	}
	free(mk);
	return 0;
}

/* ------------------------------------------------------------ output */

static void meta_params(struct out_doc *doc, const struct setup *su)
{
	char d[16];

	out_meta_str(doc, "model", tariff_model_name(su->model));
	if (su->as_of)
		out_meta_str(doc, "as_of", tc_format_date(su->as_of, d));
	if (su->year)
		out_meta_int(doc, "base_year", su->year);
	out_meta_num(doc, "elasticity", su->p.eps, -1);
	out_meta_str(doc, "elasticity_source", su->src_eps);
	out_meta_num(doc, "substitution", su->p.sigma, -1);
	out_meta_str(doc, "substitution_source", su->src_sigma);
	if (isfinite(su->p.ex))
		out_meta_num(doc, "supply_elasticity", su->p.ex, -1);
	else
		out_meta_str(doc, "supply_elasticity", "infinite");
	out_meta_str(doc, "supply_elasticity_source", su->src_ex);
	if (isfinite(su->p.ex)) {
		out_meta_num(doc, "pass_through", su->p.ex / (su->p.ex + su->p.eps), -1);
		out_meta_str(doc, "pass_through_source", "implied: X/(X+E)");
	} else {
		out_meta_num(doc, "pass_through", su->p.pass_through, -1);
		out_meta_str(doc, "pass_through_source", su->src_pt);
	}
	out_meta_num(doc, "households", su->p.households, 0);
	out_meta_str(doc, "households_source", su->src_households);
	out_meta_str(doc, "units", "USD million of the base year (cost per household: USD)");
}

static void layers_table(struct out_doc *doc, const struct setup *su)
{
	struct out_table *t = NULL;
	char d[16];

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!su->have_stack[k] || !su->changed[k])
			continue;
		for (size_t j = 0; j < su->stack[k].nlayers; j++) {
			const struct tariff_layer *L = &su->stack[k].layers[j];
			if (!L->stacked)
				continue;	/* product_list layers are not in the flat rate */
			if (!t) {
				t = out_table_add(doc, "tariff_before_layers",
						  "tariff before: layers in force (tariffs.csv)");
				out_col(t, "partner", "partner");
				out_col(t, "layer", "layer");
				out_col(t, "rate_pct", "rate %");
				out_col(t, "scope", "scope");
				out_col(t, "status", "status");
				out_col(t, "effective", "effective");
				out_col(t, "id", "row id");
			}
			out_row(t);
			out_str(t, tariff_partner_code(k));
			out_str(t, L->layer);
			out_num(t, L->rate, 2);
			out_str(t, L->row->scope_name);
			out_str(t, L->row->status_name);
			out_str(t, tc_format_date(L->row->effective, d));
			out_str(t, L->row->id);
		}
	}
}

static void partners_tables(struct out_doc *doc, const struct setup *su, const struct tariff_result *r)
{
	struct out_table *t = out_table_add(doc, "partners", "imports by partner (USD million)");
	struct out_table *v;

	out_col(t, "partner", "partner");
	out_col(t, "imports_before", "imports before");
	out_col(t, "tariff_before_pct", "tariff before %");
	out_col(t, "tariff_after_pct", "tariff after %");
	out_col(t, "trade_creation", "creation");
	out_col(t, "trade_diversion", "diversion");
	out_col(t, "imports_after", "imports after");
	out_col(t, "import_change_pct", "change %");
	out_col(t, "buyer_price_change_pct", "buyer price %");
	out_col(t, "world_price_change_pct", "world price %");
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_partner_result *p = &r->p[k];
		if (!su->s.m[k].present)
			continue;
		out_row(t);
		out_str(t, tariff_partner_code(k));
		out_num(t, p->m0, 1);
		out_num(t, su->t0pct[k], 2);
		out_num(t, su->t1pct[k], 2);
		out_num(t, p->creation, 1);
		out_num(t, p->diversion, 1);
		out_num(t, p->m1, 1);
		out_num(t, p->dm / p->m0 * 100, 2);
		out_num(t, 100 * p->price_change, 2);
		out_num(t, 100 * p->world_price_change, 2);
	}
	v = out_table_add(doc, "revenue", "tariff revenue and consumers by partner (USD million)");
	out_col(v, "partner", "partner");
	out_col(v, "revenue_before", "revenue before");
	out_col(v, "revenue_after_static", "after, static");
	out_col(v, "revenue_after", "after, with response");
	out_col(v, "revenue_change", "change");
	out_col(v, "consumer_surplus_change", "consumer surplus change");
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_partner_result *p = &r->p[k];
		if (!su->s.m[k].present)
			continue;
		out_row(v);
		out_str(v, tariff_partner_code(k));
		out_num(v, p->rev0, 1);
		out_num(v, p->rev1_static, 1);
		out_num(v, p->rev1, 1);
		out_num(v, p->drev, 1);
		out_num(v, p->dcs, 1);
	}
}

struct metric {
	const char *key, *unit;
	int mc;		/* enum tariff_mc_output, -1 when the metric does not vary */
};

static const struct metric metrics[] = {
	{ "imports_before", "USD million", -1 },
	{ "imports_after", "USD million", MC_IMPORTS_AFTER },
	{ "import_change", "USD million", MC_IMPORT_CHANGE },
	{ "trade_creation", "USD million", MC_CREATION },
	{ "revenue_before", "USD million", -1 },
	{ "revenue_after_static", "USD million", -1 },
	{ "revenue_after", "USD million", MC_REVENUE_AFTER },
	{ "revenue_change", "USD million", MC_REVENUE_CHANGE },
	{ "consumer_surplus_change", "USD million", MC_DCS },
	{ "deadweight_loss", "USD million", MC_DWL },
	{ "net_welfare_change", "USD million", MC_NET_WELFARE },
	{ "cost_per_household", "USD", MC_COST_PER_HOUSEHOLD },
};

static double metric_value(const struct tariff_totals *T, size_t i)
{
	const double v[] = { T->m0, T->m1, T->dm, T->creation, T->rev0, T->rev1_static, T->rev1,
			     T->drev, T->dcs, T->dwl, T->net_welfare, T->cost_per_household };
	return v[i];
}

static void results_table(struct out_doc *doc, const struct tariff_result *r,
			  const struct tariff_mc_summary *mc)
{
	struct out_table *t = out_table_add(doc, "results", "results (all partners)");

	out_col(t, "metric", "metric");
	out_col(t, "value", "value");
	out_col(t, "unit", "unit");
	if (mc) {
		out_col(t, "mean", "mean");
		out_col(t, "p5", "p5");
		out_col(t, "p50", "p50");
		out_col(t, "p95", "p95");
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(metrics); i++) {
		double v = metric_value(&r->total, i);
		int dec = !strcmp(metrics[i].unit, "USD") ? 0 : 1;
		out_row(t);
		out_str(t, metrics[i].key);
		out_num(t, v, dec);
		out_str(t, metrics[i].unit);
		if (!mc)
			continue;
		if (metrics[i].mc < 0) {
			for (int q = 0; q < 4; q++)
				out_num(t, v, dec);
		} else {
			const struct tariff_mc_summary *s = &mc[metrics[i].mc];
			out_num(t, s->mean, dec);
			out_num(t, s->p5, dec);
			out_num(t, s->p50, dec);
			out_num(t, s->p95, dec);
		}
	}
}

static void mc_tables(struct out_doc *doc, const struct setup *su, const struct tariff_mc_summary *mc)
{
	struct out_table *t = out_table_add(doc, "uncertainty_by_partner",
					    "Monte Carlo by partner (USD million)");
	static const char *const what[] = { "imports_after", "trade_diversion", "revenue_after" };
	static const int base[] = { MC_PARTNER_M1, MC_PARTNER_DIVERSION, MC_PARTNER_REV1 };
	struct out_table *e;

	out_col(t, "partner", "partner");
	out_col(t, "output", "output");
	out_col(t, "mean", "mean");
	out_col(t, "p5", "p5");
	out_col(t, "p50", "p50");
	out_col(t, "p95", "p95");
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!su->s.m[k].present)
			continue;
		for (int w = 0; w < 3; w++) {
			const struct tariff_mc_summary *s = &mc[base[w] + k];
			out_row(t);
			out_str(t, tariff_partner_code(k));
			out_str(t, what[w]);
			out_num(t, s->mean, 1);
			out_num(t, s->p5, 1);
			out_num(t, s->p50, 1);
			out_num(t, s->p95, 1);
		}
	}
	e = out_table_add(doc, "parameter_draws", "Monte Carlo draws of the parameters");
	out_col(e, "parameter", "parameter");
	out_col(e, "distribution", "distribution");
	out_col(e, "mean", "mean");
	out_col(e, "p5", "p5");
	out_col(e, "p50", "p50");
	out_col(e, "p95", "p95");
	{
		struct tariff_mc_dist d;
		char buf[96];
		tariff_mc_dist_default(&d);
		out_row(e);
		out_str(e, "elasticity");
		snprintf(buf, sizeof(buf), "lognormal, median %g, sdlog %g", su->p.eps, d.eps_sdlog);
		out_str(e, buf);
		out_num(e, mc[MC_EPS].mean, 3);
		out_num(e, mc[MC_EPS].p5, 3);
		out_num(e, mc[MC_EPS].p50, 3);
		out_num(e, mc[MC_EPS].p95, 3);
		out_row(e);
		out_str(e, "substitution");
		snprintf(buf, sizeof(buf), "lognormal, median %g, sdlog %g", su->p.sigma, d.sigma_sdlog);
		out_str(e, buf);
		out_num(e, mc[MC_SIGMA].mean, 3);
		out_num(e, mc[MC_SIGMA].p5, 3);
		out_num(e, mc[MC_SIGMA].p50, 3);
		out_num(e, mc[MC_SIGMA].p95, 3);
	}
}

static int revmax_table(struct out_doc *doc, const struct setup *su)
{
	struct out_table *t = NULL;
	struct tc_err err;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		struct tariff_revmax rm;
		if (!su->changed[k])
			continue;
		tc_err_init(&err);
		if (tariff_revenue_max(su->model, &su->s, k, &su->p, &rm, &err))
			return tc_report(&err);
		if (!t) {
			t = out_table_add(doc, "revenue_max", "revenue-maximising tariff (others fixed)");
			out_col(t, "partner", "partner");
			out_col(t, "rate_pct", "rate %");
			out_col(t, "closed_form_pct", "closed form %");
			out_col(t, "revenue_partner", "partner revenue");
			out_col(t, "revenue_total", "total revenue");
		}
		out_row(t);
		out_str(t, tariff_partner_code(k));
		out_num(t, rm.exists ? 100 * rm.t_numeric : NAN, 2);
		out_num(t, 100 * rm.t_closed, 2);
		out_num(t, rm.revenue_partner, 1);
		out_num(t, rm.revenue, 1);
		if (!rm.exists)
			out_note(doc, "no revenue-maximising tariff on %s: with an import-demand elasticity "
				 "of %g (<= 1) revenue rises without bound", tariff_partner_code(k), su->p.eps);
	}
	if (t) {
		int np = 0;
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			np += su->s.m[k].present;
		if (np > 1 && su->p.sigma > 0)
			out_note(doc, "revenue maximum: the numeric rate maximises the revenue of all partners "
				 "with diversion; the closed form is the single-market rule 1/(phi (E - 1))");
	}
	return 0;
}

static void common_notes(struct out_doc *doc, const struct setup *su, const struct tariff_result *r)
{
	int ieepa = 0, non_usmca = 0;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!su->s.m[k].present)
			continue;
		if (su->changed[k] && k != TARIFF_ROW)
			ieepa = 1;
		if (su->have_stack[k] && su->stack[k].has_ieepa)
			ieepa = 1;
		if (su->have_stack[k] && su->stack[k].has_non_usmca)
			non_usmca = 1;
	}
	for (size_t i = 0; i < su->nnotes; i++)
		out_note(doc, "%s", su->notes[i]);
	if (ieepa)
		out_note(doc, "%s", IEEPA_NOTE);
	if (non_usmca)
		out_note(doc, "a layer of scope non_usmca is counted on all goods; USMCA-qualifying goods "
			 "were exempt, so the effective rate was lower");
	if (r && r->negative_imports)
		out_note(doc, "the linearised %s equations give negative imports at this tariff; use "
			 "--model ces, which stays valid for large changes", tariff_model_name(su->model));
	if (r && r->undefined)
		out_note(doc, "the linearised SMART diversion is undefined at this tariff (shares below "
			 "zero): outputs that depend on it are missing; use --model ces");
	if (su->model == TARIFF_SMART)
		out_note(doc, "smart: revenue at world price 1 and deadweight loss W = 0.5 |dt| |TC| as "
			 "in WITS SMART");
	if (su->model == TARIFF_GSIM)
		out_note(doc, "gsim: consumer surplus is that of the import composite (not by partner)");
	out_note(doc, "partial equilibrium: no retaliation, no general-equilibrium or exchange-rate "
		 "effects, no domestic producers (docs/tariff-methods.md)");
}

static void meta_partners(struct out_doc *doc, const struct setup *su)
{
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		char key[64];
		const char *lc[] = { "cn", "mx", "ca", "row" };
		if (!su->s.m[k].present)
			continue;
		snprintf(key, sizeof(key), "tariff_before_source_%s", lc[k]);
		out_meta_str(doc, key, su->t0src[k]);
		snprintf(key, sizeof(key), "imports_source_%s", lc[k]);
		out_meta_str(doc, key, su->imports_src[k]);
	}
}

static int emit_whatif(struct tc_ctx *ctx, struct setup *su, const char *command,
		       const struct scenario *sc)
{
	struct tariff_result r;
	struct tariff_mc_summary mc[TARIFF_MC_NOUT];
	struct out_doc *doc;
	struct tc_err err;
	int rc;

	tc_err_init(&err);
	if (tariff_eval(su->model, &su->s, &su->p, &r, &err))
		return tc_report(&err);
	if (su->draws) {
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		struct tariff_mc_dist d;
		if (!rng)
			return tc_error("unable to allocate the random number generator");
		gsl_rng_set(rng, su->seed);
		tariff_mc_dist_default(&d);
		rc = tariff_mc_stats(su->model, &su->s, &su->p, &d, (size_t)su->draws, rng, mc, &err);
		gsl_rng_free(rng);
		if (rc)
			return tc_report(&err);
	}
	doc = out_doc_new(command);
	if (sc) {
		out_meta_str(doc, "scenario", sc->name ? sc->name : sc->path);
		out_meta_str(doc, "scenario_file", sc->path);
		if (sc->title)
			out_meta_str(doc, "title", sc->title);
	}
	{
		char buf[256];
		size_t n = 0;
		buf[0] = '\0';
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			if (su->changed[k] && n < sizeof(buf))
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %g%% -> %g%%",
						      n ? "; " : "", tariff_partner_code(k), su->t0pct[k],
						      su->t1pct[k]);
		out_meta_str(doc, "tariff_change", n ? buf : "none");
	}
	meta_params(doc, su);
	meta_partners(doc, su);
	if (su->draws) {
		out_meta_int(doc, "draws", su->draws);
		out_meta_int(doc, "seed", (long long)su->seed);
		out_meta_str(doc, "rng", "gsl mt19937");
	}
	partners_tables(doc, su, &r);
	results_table(doc, &r, su->draws ? mc : NULL);
	if (su->draws)
		mc_tables(doc, su, mc);
	if ((rc = revmax_table(doc, su))) {
		out_doc_free(doc);
		return rc;
	}
	layers_table(doc, su);
	if (sc)
		for (size_t i = 0; i < sc->nnotes; i++)
			out_note(doc, "%s", sc->notes[i]);
	common_notes(doc, su, &r);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------------ sweep */

static int emit_sweep(struct tc_ctx *ctx, const struct topts *o, struct setup *su)
{
	int k = o->partner;
	long n = (long)floor((o->to - o->from) / o->step + 1e-9) + 1;
	struct out_doc *doc = out_doc_new("tariff sweep");
	double bad_rate = NAN;
	int bad_rate_set = 0;
	struct out_table *t;
	struct tc_err err;
	int rc;

	meta_params(doc, su);
	meta_partners(doc, su);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	out_meta_num(doc, "tariff_before_pct", su->t0pct[k], -1);
	t = out_table_add(doc, "sweep", "revenue (Laffer) and import curves (USD million)");
	out_col(t, "rate_pct", "rate %");
	out_col(t, "imports_partner", "partner imports");
	out_col(t, "imports_total", "total imports");
	out_col(t, "revenue_partner", "partner revenue");
	out_col(t, "revenue_total", "total revenue");
	out_col(t, "revenue_static", "static revenue");
	out_col(t, "consumer_surplus_change", "consumer surplus change");
	out_col(t, "deadweight_loss", "deadweight loss");
	out_col(t, "cost_per_household", "cost per household USD");
	for (long i = 0; i < n; i++) {
		struct tariff_result r;
		double rate = o->from + (double)i * o->step;
		if (rate > o->to)
			rate = o->to;
		su->s.m[k].t1 = rate / 100;
		tc_err_init(&err);
		if (tariff_eval(su->model, &su->s, &su->p, &r, &err)) {
			out_doc_free(doc);
			return tc_report(&err);
		}
		out_row(t);
		out_num(t, rate, 2);
		out_num(t, r.p[k].m1, 1);
		out_num(t, r.total.m1, 1);
		out_num(t, r.p[k].rev1, 1);
		out_num(t, r.total.rev1, 1);
		out_num(t, r.total.rev1_static, 1);
		out_num(t, r.total.dcs, 1);
		out_num(t, r.total.dwl, 1);
		out_num(t, r.total.cost_per_household, 0);
		if ((r.negative_imports || r.undefined) && !bad_rate_set) {
			bad_rate = rate;
			bad_rate_set = 1;
		}
	}
	if (bad_rate_set)
		out_note(doc, "the linearised %s equations give negative or undefined imports from %g%% "
			 "on (missing values); use --model ces", tariff_model_name(su->model), bad_rate);
	su->s.m[k].t1 = su->s.m[k].t0;
	su->changed[k] = 1;	/* for the revenue maximum and the notes */
	if ((rc = revmax_table(doc, su))) {
		out_doc_free(doc);
		return rc;
	}
	common_notes(doc, su, NULL);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------- revenue max */

static int emit_revmax(struct tc_ctx *ctx, const struct topts *o, struct setup *su)
{
	struct tariff_revmax rm;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	int k = o->partner, rc;

	tc_err_init(&err);
	if (tariff_revenue_max(su->model, &su->s, k, &su->p, &rm, &err))
		return tc_report(&err);
	if (!rm.exists) {
		if (isfinite(o->eps))
			return tc_usage_error("--elasticity %g: with an import-demand elasticity <= 1 revenue "
					      "rises without bound: there is no revenue-maximising tariff",
					      su->p.eps);
		return tc_error("no revenue-maximising tariff: the import-demand elasticity %g (from %s) "
				"is <= 1, so revenue rises without bound; give --elasticity E > 1",
				su->p.eps, su->src_eps);
	}
	doc = out_doc_new("tariff revenue-max");
	meta_params(doc, su);
	meta_partners(doc, su);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	t = out_table_add(doc, "revenue_max", "revenue-maximising tariff (others fixed)");
	out_col(t, "partner", "partner");
	out_col(t, "rate_pct", "rate %");
	out_col(t, "closed_form_pct", "closed form %");
	out_col(t, "revenue_partner", "partner revenue");
	out_col(t, "revenue_total", "total revenue");
	out_col(t, "iterations", "minimiser iterations");
	out_row(t);
	out_str(t, tariff_partner_code(k));
	out_num(t, 100 * rm.t_numeric, 4);
	out_num(t, 100 * rm.t_closed, 4);
	out_num(t, rm.revenue_partner, 1);
	out_num(t, rm.revenue, 1);
	out_int(t, rm.iterations);
	if (su->model == TARIFF_CES)
		out_note(doc, "closed form (single market, constant elasticity): t* = 1/(phi (E - 1)); "
			 "the numeric maximum includes the other partners' revenue through diversion");
	common_notes(doc, su, NULL);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------- product level */

struct chapter_acc {
	double m0, m1, rev0, rev1, list_w;
	long rows;
};

struct prod_ctx {
	const struct setup *su;
	const struct product_rates *pr;
	double t0flat, t1flat;	/* percent */
	double value_usd, duty_usd;
	long rows, zero_rows, matched_rows, with_duty;
	double matched_value;
	struct tariff_totals T;
	struct chapter_acc ch[100];
	double list_matched_value[PRODUCT_MAX_LISTS];
	int negative;
};

static int product_row(const struct hs10_row *row, void *ud, struct tc_err *err)
{
	struct prod_ctx *c = ud;
	struct tariff_scenario s;
	struct tariff_result r;
	double list = 0, m0 = row->value / 1e6;
	int matched = 0;

	c->rows++;
	c->value_usd += row->value;
	if (isfinite(row->duty)) {
		c->duty_usd += row->duty;
		c->with_duty++;
	}
	if (row->value == 0) {
		c->zero_rows++;
		return 0;
	}
	if (c->pr) {
		list = product_rate(c->pr, row->hs8num, &matched);
		if (matched) {
			c->matched_rows++;
			c->matched_value += row->value;
		}
	}
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN].present = 1;
	s.m[TARIFF_CN].m0 = m0;
	s.m[TARIFF_CN].t0 = (c->t0flat + list) / 100;
	s.m[TARIFF_CN].t1 = (c->t1flat + list) / 100;
	if (tariff_eval(c->su->model, &s, &c->su->p, &r, err))
		return tc_err_prefix(err, "line %ld", row->line);
	if (r.negative_imports)
		c->negative = 1;
	c->T.m0 += r.total.m0;
	c->T.m1 += r.total.m1;
	c->T.rev0 += r.total.rev0;
	c->T.rev1_static += r.total.rev1_static;
	c->T.rev1 += r.total.rev1;
	c->T.dcs += r.total.dcs;
	c->T.dwl += r.total.dwl;
	c->ch[row->chapter].m0 += m0;
	c->ch[row->chapter].m1 += r.total.m1;
	c->ch[row->chapter].rev0 += r.total.rev0;
	c->ch[row->chapter].rev1 += r.total.rev1;
	c->ch[row->chapter].list_w += m0 * list;
	c->ch[row->chapter].rows++;
	return 0;
}

static int emit_products(struct tc_ctx *ctx, const struct topts *o, struct setup *su)
{
	struct prod_ctx c;
	struct product_rates pr;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	int k = o->partner, rc, order[100], n = 0;
	char d[16];

	memset(&c, 0, sizeof(c));
	c.su = su;
	c.t0flat = su->t0pct[k];
	c.t1flat = su->t1pct[k];
	tc_err_init(&err);
	if (o->product_rates) {
		long date = su->as_of;
		if (!date && (rc = need_timeline(ctx, su)))
			return rc;
		if (!date)
			date = su->as_of;
		if (product_rates_load(&pr, o->product_rates, date, su->have_tl ? &su->tl : NULL, &err))
			return tc_report(&err);
		c.pr = &pr;
	}
	if (hs10_stream(o->imports_file, product_row, &c, &err)) {
		if (c.pr)
			product_rates_release(&pr);
		return tc_report(&err);
	}
	if (!c.rows) {
		if (c.pr)
			product_rates_release(&pr);
		return tc_error("%s: no import line", o->imports_file);
	}
	c.T.dm = c.T.m1 - c.T.m0;
	c.T.drev = c.T.rev1 - c.T.rev0;
	c.T.net_welfare = c.T.dcs + c.T.drev;
	c.T.creation = c.T.dm;
	c.T.cost_per_household = -c.T.dcs * 1e6 / su->p.households;

	doc = out_doc_new("tariff");
	out_meta_str(doc, "imports_file", o->imports_file);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	out_meta_int(doc, "lines", c.rows);
	out_meta_num(doc, "imports_usd", c.value_usd, 0);
	out_meta_num(doc, "duty_collected_usd", c.with_duty ? c.duty_usd : NAN, 0);
	out_meta_num(doc, "tariff_before_flat_pct", c.t0flat, -1);
	out_meta_str(doc, "tariff_before_source", su->t0src[k]);
	out_meta_num(doc, "tariff_after_flat_pct", c.t1flat, -1);
	if (c.pr) {
		out_meta_str(doc, "product_rates", o->product_rates);
		out_meta_str(doc, "product_rates_date", tc_format_date(pr.date, d));
		out_meta_int(doc, "lines_on_a_list", c.matched_rows);
		out_meta_num(doc, "imports_on_a_list_usd", c.matched_value, 0);
	}
	meta_params(doc, su);
	{
		struct tariff_result r;
		memset(&r, 0, sizeof(r));
		r.total = c.T;
		results_table(doc, &r, NULL);
	}
	for (int h = 1; h < 100; h++)
		if (c.ch[h].rows)
			order[n++] = h;
	for (int i = 1; i < n; i++)	/* insertion sort by base imports, descending */
		for (int j = i; j > 0 && c.ch[order[j]].m0 > c.ch[order[j - 1]].m0; j--) {
			int tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	t = out_table_add(doc, "chapters", "top HS chapters by base imports (USD million)");
	out_col(t, "chapter", "HS2");
	out_col(t, "lines", "lines");
	out_col(t, "imports_before", "imports before");
	out_col(t, "share_pct", "share %");
	out_col(t, "list_rate_pct", "avg list rate %");
	out_col(t, "imports_after", "imports after");
	out_col(t, "revenue_before", "revenue before");
	out_col(t, "revenue_after", "revenue after");
	for (int i = 0; i < n && i < o->top; i++) {
		const struct chapter_acc *a = &c.ch[order[i]];
		char ch[8];
		snprintf(ch, sizeof(ch), "%02d", order[i]);
		out_row(t);
		out_str(t, ch);
		out_int(t, a->rows);
		out_num(t, a->m0, 1);
		out_num(t, a->m0 / c.T.m0 * 100, 2);
		out_num(t, a->m0 > 0 ? a->list_w / a->m0 : NAN, 2);
		out_num(t, a->m1, 1);
		out_num(t, a->rev0, 1);
		out_num(t, a->rev1, 1);
	}
	if (c.pr) {
		t = out_table_add(doc, "product_lists", "product lists and their rates on the date");
		out_col(t, "list", "list");
		out_col(t, "hts8_lines", "HTS8 lines");
		out_col(t, "rate_pct", "rate %");
		out_col(t, "source", "source");
		for (size_t i = 0; i < pr.nlists; i++) {
			out_row(t);
			out_str(t, pr.lists[i]);
			out_int(t, (long long)pr.count[i]);
			out_num(t, pr.rate[i], 2);
			out_str(t, pr.rate_source[i]);
		}
		out_note(doc, "a product on several lists pays the highest list rate in force (the 2024 "
			 "review rates replace the list rate); unlisted products pay the flat rate only");
	}
	if (c.zero_rows)
		out_note(doc, "%ld lines with zero imports were counted but not modelled", c.zero_rows);
	out_note(doc, "product level: each line is its own market (no diversion between products "
		 "or partners); the flat rate excludes MFN duties");
	if (c.negative)
		out_note(doc, "the linearised %s equations give negative imports for some lines; use "
			 "--model ces", tariff_model_name(su->model));
	if (k != TARIFF_ROW)
		out_note(doc, "%s", IEEPA_NOTE);
	if (c.pr)
		product_rates_release(&pr);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------------ run */

static char *resolve_scenario(const struct tc_ctx *ctx, const char *arg)
{
	struct stat st;
	size_t n;
	char *p;

	if (strchr(arg, '/') || stat(arg, &st) == 0)
		return xstrdup(arg);
	n = strlen(arg);
	if (n > 4 && !strcmp(arg + n - 4, ".scn"))
		return xstrdup(arg);
	for (size_t i = 0; i < n; i++)
		if (!(arg[i] == '-' || arg[i] == '_' || (arg[i] >= 'a' && arg[i] <= 'z') ||
		      (arg[i] >= '0' && arg[i] <= '9')))
			return xstrdup(arg);
	if (!ctx->share_dir)
		return xstrdup(arg);
	n = strlen(ctx->share_dir) + strlen(arg) + 32;
	p = xmalloc(n);
	snprintf(p, n, "%s/scenarios/%s.scn", ctx->share_dir, arg);
	return p;
}

static int cmd_run(struct tc_ctx *ctx, const struct topts *o, struct setup *su)
{
	struct scenario sc;
	struct tc_err err;
	char *path = resolve_scenario(ctx, o->file);
	int rc;

	tc_err_init(&err);
	if (scenario_parse_file(&sc, path, &err)) {
		free(path);
		return tc_report(&err);
	}
	free(path);
	rc = load_params(ctx, o, sc.model, sc.eps, sc.sigma, sc.ex, sc.pass_through, su);
	if (!rc)
		rc = setup_file(ctx, o, &sc, su);
	if (!rc) {
		su->draws = o->draws ? o->draws : sc.draws;
		su->seed = o->seed_set ? o->seed : sc.seed_set ? sc.seed : 1;
		rc = emit_whatif(ctx, su, "tariff run", &sc);
	}
	scenario_release(&sc);
	return rc;
}

int cmd_tariff(int argc, char **argv, struct tc_ctx *ctx)
{
	struct topts o;
	struct setup su;
	enum sub sub = SUB_WHATIF;
	const char *file = NULL;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "gsim")) return cmd_tariff_gsim(argc - 1, argv + 1, ctx);
	if (argc > 1 && argv[1][0] != '-') {
		if (!strcmp(argv[1], "sweep"))
			sub = SUB_SWEEP;
		else if (!strcmp(argv[1], "run"))
			sub = SUB_RUN;
		else if (!strcmp(argv[1], "revenue-max"))
			sub = SUB_REVMAX;
		else
			return tc_usage_error("tariff: unknown subcommand '%s' (expected sweep, run or "
					      "revenue-max, or flags)", argv[1]);
		argc--;
		argv++;
		if (sub == SUB_RUN) {
			if (argc < 2 || argv[1][0] == '-')
				return tc_usage_error("tariff run: expected a scenario FILE or NAME");
			file = argv[1];
			argc--;
			argv++;
		}
	}
	rc = parse_flags(argc, argv, ctx, &o);
	if (rc)
		return rc;
	o.sub = sub;
	o.file = file;
	if ((rc = check_flags(&o)))
		return rc;
	memset(&su, 0, sizeof(su));
	if (sub == SUB_RUN) {
		rc = cmd_run(ctx, &o, &su);
		setup_release(&su);
		return rc;
	}
	rc = load_params(ctx, &o, -1, NAN, NAN, NAN, NAN, &su);
	if (!rc && o.imports_file && su.model == TARIFF_GSIM)
		rc = tc_usage_error("--imports-file: gsim is a multi-partner model; use --model ces or smart");
	if (!rc && o.imports_file) {
		/* single-market pricing of every line: only the partner's own rates */
		o.imports_value = 1;	/* placeholder market; the lines bring their own values */
		rc = setup_flags(ctx, &o, &su);
		if (!rc)
			rc = emit_products(ctx, &o, &su);
	} else if (!rc) {
		rc = setup_flags(ctx, &o, &su);
		su.draws = o.draws;
		su.seed = o.seed;
		if (!rc && sub == SUB_SWEEP)
			rc = emit_sweep(ctx, &o, &su);
		else if (!rc && sub == SUB_REVMAX)
			rc = emit_revmax(ctx, &o, &su);
		else if (!rc)
			rc = emit_whatif(ctx, &su, "tariff", NULL);
	}
	setup_release(&su);
	return rc;
}
