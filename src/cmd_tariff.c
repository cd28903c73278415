/*
** cmd_tariff.c: `tocalc tariff`: tariff what-ifs, sweeps (the Laffer
** curve), scenario files, revenue maxima, product-level runs over a
** Census HS10 file, and Monte Carlo bands.  Flags -> load -> model ->
** out_doc.  Methods: docs/tariff-methods.md; files: docs/scenario-format.md.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_tariff.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/run_tariff.h"
#include "tocalc/report.h"


#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_tariff_help[] =
	"usage: tocalc tariff --partner P (--rate R | --add R) [--layer L] [options]\n"
	"       tocalc tariff sweep --partner P [--layer L] [--from R] [--to R] [--step R] [options]\n"
	"       tocalc tariff run FILE|NAME [options]\n"
	"       tocalc tariff run --list\n"
	"       tocalc tariff revenue-max --partner P [--layer L] [options]\n"
	"       tocalc tariff rates [--partner P|all] [--as-of DATE | --from D --to D [--monthly]]\n"
	"       tocalc tariff gsim FILE [options]   (multi-region GSIM; tocalc tariff gsim --help)\n"
	"       tocalc tariff --partner P (--rate R | --add R) --imports-file FILE [--product-rates FILE]\n"
	"\n"
	"Partial-equilibrium what-if of a US tariff change on imports from China (CN),\n"
	"Mexico (MX), Canada (CA) or the rest of the world (ROW).  Every partner starts\n"
	"from its effective tariff on --as-of (each legal layer times the share of imports\n"
	"it reaches); the change applies to one layer.  Rates in percent (20 or 20%);\n"
	"imports and revenue in USD million.  Methods: docs/tariff-methods.md.\n"
	"\n"
	"scenario:\n"
	"   --partner P             CN, MX, CA or ROW (also China, Mexico, Canada, CHN, MEX, CAN)\n"
	"   --rate R                the layer's rate after; without --layer, an additional\n"
	"                           R% on all goods on top of the duties in force\n"
	"   --add R                 the layer's rate after = its rate in force + R points\n"
	"   --layer L               the layer of tariffs.csv to change (ieepa_fentanyl, ...)\n"
	"   --scope S               all_goods or non_usmca: the scope of a layer not in force\n"
	"   --base-rate R           the effective tariff before (not with --layer)\n"
	"   --as-of DATE            rates in force on DATE (default: the timeline's last date)\n"
	"   --year Y                base year of imports in trade.csv (default: the latest)\n"
	"   --imports-value V       base imports of the partner alone (no diversion)\n"
	"   --row-imports V         the rest of the world's base imports\n"
	"model (defaults from datasets/parameters.csv, shown in the output):\n"
	"   --model M               ces (default), smart (WITS SMART, linearised) or gsim\n"
	"   --elasticity E          import-demand elasticity as a positive magnitude (1.5 = -1.5)\n"
	"   --supply-elasticity X   export-supply elasticity, > 0 or 'inf' (default: infinite)\n"
	"   --substitution S        Armington substitution elasticity, >= 0 (0: no diversion)\n"
	"   --pass-through P        border pass-through share in [0, 1] (default 1)\n"
	"                           These four take a list (0.5,1,2) or a range (0.5:3:0.5):\n"
	"                           one row per combination (a sensitivity grid)\n"
	"uncertainty:\n"
	"   --draws N               Monte Carlo draws of the elasticities (0 = off); run on\n"
	"                           TOCALC_THREADS threads (default: the processors online)\n"
	"   --seed S                seed of the draws (default 1; GSL mt19937 keys them)\n"
	"sweep (the revenue or Laffer curve and the import curve):\n"
	"   --from R --to R --step R  the layer's rate in percent (default 0 to 300 by 5)\n"
	"product level:\n"
	"   --imports-file FILE     a Census HS10 import file; each line its own market;\n"
	"                           only the rows of the partner's country and of --year\n"
	"                           (default: the file's only year) are used\n"
	"   --any-country           use the file's rows of every country\n"
	"   --product-rates FILE    HTS8 product lists (hts8,list,ch99_code) priced on top\n"
	"   --top N                 HS chapters to list (default 10)\n"
	"run:\n"
	"   --list                  the shipped scenarios: name, title, date and change\n"
	"\n"
	"run FILE|NAME runs a scenario file (docs/scenario-format.md; NAME: scenarios/NAME.scn).\n"
	"Precedence: parameters.csv, then the file, then the flags.  revenue-max: the\n"
	"layer's revenue-maximising rate over the full model, and the closed form 1/(E-1).\n"
	"\n"
	"common options: --json, --csv, --format F, --data-dir DIR, --quiet, --help\n"
	"exit codes: 0 ok, 1 bad data or failed computation, 2 usage error\n";

enum {
	OPT_PARTNER = TC_OPT_FIRST_FREE, OPT_RATE, OPT_ADD, OPT_BASE_RATE, OPT_AS_OF, OPT_YEAR,
	OPT_IMPORTS_VALUE, OPT_ROW_IMPORTS, OPT_ELASTICITY, OPT_SUPPLY, OPT_SUBST, OPT_PT,
	OPT_MODEL, OPT_DRAWS, OPT_SEED, OPT_IMPORTS_FILE, OPT_PRODUCT_RATES, OPT_FROM, OPT_TO,
	OPT_STEP, OPT_TOP, OPT_LAYER, OPT_SCOPE, OPT_LIST, OPT_ANY_COUNTRY
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
	{ "layer", required_argument, NULL, OPT_LAYER },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "any-country", no_argument, NULL, OPT_ANY_COUNTRY },
	{ NULL, 0, NULL, 0 }
};

#define MAX_DRAWS 10000000L
#define MAX_SWEEP 100001L
#define IEEPA_NOTE "the IEEPA tariffs on China, Mexico and Canada (the 'fentanyl' tariffs) were " \
	"voided by the US Supreme Court on 2026-02-20 (Learning Resources, Inc. v. Trump); a what-if " \
	"on them is a counterfactual about a measure that no longer exists"

enum sub { SUB_WHATIF, SUB_SWEEP, SUB_RUN, SUB_REVMAX };

#define MAX_GRID 8192L
#define MAX_LIST 64

/* A flag that takes a comma list or a range A:B:STEP (a sensitivity grid). */
struct plist {
	size_t n;
	double v[MAX_LIST];
};

struct topts {
	enum sub sub;
	const char *file;		/* run */
	int list;			/* run --list */
	int partner;			/* -1 unset */
	const char *layer;		/* --layer, NULL: the what-if layer */
	int scope;			/* --scope, -1 unset */
	double rate, add, base_rate, imports_value, row_imports;	/* NAN unset */
	struct scenario_flags fl;
	struct plist eps, sigma, ex, pt;
	const char *imports_file, *product_rates;
	int any_country;		/* --any-country */
	double from, to, step;
	int sweep_flags;
	long top;
};

/* ------------------------------------------------------------ flags */

/* A rate in percent: "20", "20%"; warns when a bare value below 1 looks like a fraction. */
static int opt_rate(const char *flag, const char *arg, double *v)
{
	char buf[64];
	size_t n = strlen(arg);
	int pct = n > 1 && arg[n - 1] == '%';

	if (pct) {
		if (n >= sizeof(buf))
			return tc_usage_error("%s: expected a rate in percent, got '%s'", flag, arg);
		memcpy(buf, arg, n - 1);
		buf[n - 1] = '\0';
		arg = buf;
	}
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
	if (!pct && *v > 0 && *v < 1)
		tc_warning("%s %s means %s%%, not %g%%: rates are in percent (write %g or %g%%)", flag,
			   arg, arg, *v * 100, *v * 100, *v * 100);
	return 0;
}

/* A comma list "0.5,1,2" or a range "0.5:3:0.5" of positive (or >= 0) values. */
static int opt_list(const char *flag, const char *arg, int allow_zero, int allow_inf,
		    const char *hint, struct plist *pl)
{
	char buf[512], *p, *save = NULL;
	double a, b, st;

	pl->n = 0;
	if (strlen(arg) >= sizeof(buf))
		return tc_usage_error("%s: list too long", flag);
	snprintf(buf, sizeof(buf), "%s", arg);
	if (strchr(buf, ':')) {
		char *c1 = strchr(buf, ':'), *c2;
		*c1 = '\0';
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			return tc_usage_error("%s: a range is FROM:TO:STEP, got '%s'", flag, arg);
		*c2 = '\0';
		if (tc_opt_double(flag, buf, &a) || tc_opt_double(flag, c1 + 1, &b) ||
		    tc_opt_double(flag, c2 + 1, &st))
			return TC_EXIT_USAGE;
		if (!(st > 0) || b < a)
			return tc_usage_error("%s: a range FROM:TO:STEP needs TO >= FROM and STEP > 0, got "
					      "'%s'", flag, arg);
		for (double x = a; x <= b + 1e-9 * st; x += st) {
			if (pl->n == MAX_LIST)
				return tc_usage_error("%s: more than %d values", flag, MAX_LIST);
			pl->v[pl->n++] = x;
		}
	} else {
		for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			double x;
			if (pl->n == MAX_LIST)
				return tc_usage_error("%s: more than %d values", flag, MAX_LIST);
			if (allow_inf && !strcmp(p, "inf")) {
				pl->v[pl->n++] = INFINITY;
				continue;
			}
			if (tc_opt_double(flag, p, &x))
				return TC_EXIT_USAGE;
			pl->v[pl->n++] = x;
		}
		if (!pl->n)
			return tc_usage_error("%s: expected a value, got '%s'", flag, arg);
	}
	for (size_t i = 0; i < pl->n; i++)
		if (!(pl->v[i] > 0 || (allow_zero && pl->v[i] == 0)))
			return tc_usage_error("%s: %s, got %g", flag, hint ? hint : allow_zero ?
					      "must be >= 0" : "must be positive", pl->v[i]);
	return 0;
}

static int parse_flags(int argc, char **argv, struct tc_ctx *ctx, struct topts *o)
{
	int c;
	long l;

	memset(o, 0, sizeof(*o));
	o->partner = -1;
	o->scope = -1;
	o->rate = o->add = o->base_rate = o->imports_value = o->row_imports = NAN;
	scenario_flags_init(&o->fl);
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
			if (tc_partner_arg("--partner", optarg, &o->partner))
				return TC_EXIT_USAGE;
			break;
		case OPT_LAYER:
			if (!optarg[0] || strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
					      strlen(optarg))
				return tc_usage_error("--layer: '%s' is not a layer name (lowercase letters, "
						      "digits and _, as in tariffs.csv)", optarg);
			o->layer = optarg;
			break;
		case OPT_SCOPE:
			if (!strcmp(optarg, "all_goods") || !strcmp(optarg, "all"))
				o->scope = TSCOPE_ALL_GOODS;
			else if (!strcmp(optarg, "non_usmca"))
				o->scope = TSCOPE_NON_USMCA;
			else
				return tc_usage_error("--scope: expected all_goods or non_usmca, got '%s'",
						      optarg);
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
			if (tc_opt_date("--as-of", optarg, &o->fl.as_of))
				return TC_EXIT_USAGE;
			break;
		case OPT_YEAR:
			if (tc_opt_long("--year", optarg, &l))
				return TC_EXIT_USAGE;
			if (l < 1900 || l > 2199) {
				tc_usage_error("--year: expected a year 1900-2199, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			o->fl.year = (int)l;
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
			if (opt_list("--elasticity", optarg, 0, 0, "give the import-demand elasticity "
				     "as a positive magnitude (1.5 for -1.5)", &o->eps))
				return TC_EXIT_USAGE;
			break;
		case OPT_SUPPLY:
			if (opt_list("--supply-elasticity", optarg, 0, 1, "must be positive or 'inf'", &o->ex))
				return TC_EXIT_USAGE;
			break;
		case OPT_SUBST:
			if (opt_list("--substitution", optarg, 1, 0, NULL, &o->sigma))
				return TC_EXIT_USAGE;
			break;
		case OPT_PT:
			if (opt_list("--pass-through", optarg, 1, 0, "must be a share in [0, 1]", &o->pt))
				return TC_EXIT_USAGE;
			for (size_t i = 0; i < o->pt.n; i++)
				if (o->pt.v[i] > 1)
					return tc_usage_error("--pass-through: must be a share in [0, 1], got "
							      "%g", o->pt.v[i]);
			break;
		case OPT_MODEL: {
			enum tariff_model m;
			if (tariff_model_parse(optarg, &m)) {
				tc_usage_error("--model: expected ces, smart or gsim, got '%s'", optarg);
				return TC_EXIT_USAGE;
			}
			o->fl.model = (int)m;
			break;
		}
		case OPT_DRAWS:
			if (tc_opt_long("--draws", optarg, &o->fl.draws))
				return TC_EXIT_USAGE;
			if (o->fl.draws < 0 || o->fl.draws > MAX_DRAWS) {
				tc_usage_error("--draws: expected 0 (no Monte Carlo) to %ld, got '%s'",
					       MAX_DRAWS, optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_SEED:
			if (tc_opt_seed("--seed", optarg, &o->fl.seed))
				return TC_EXIT_USAGE;
			o->fl.seed_set = 1;
			break;
		case OPT_IMPORTS_FILE:
			if (!(o->imports_file = tc_input_file("--imports-file", optarg)))
				return TC_EXIT_USAGE;
			break;
		case OPT_PRODUCT_RATES:
			if (!(o->product_rates = tc_input_file("--product-rates", optarg)))
				return TC_EXIT_USAGE;
			break;
		case OPT_ANY_COUNTRY:
			o->any_country = 1;
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
		case OPT_LIST:
			o->list = 1;
			break;
		default:
			return TC_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tc_usage_error("tariff: unexpected argument '%s'", argv[optind]);
		return TC_EXIT_USAGE;
	}
	/* a single value is an override; several make a grid */
	if (o->eps.n == 1)
		o->fl.eps = o->eps.v[0];
	if (o->sigma.n == 1)
		o->fl.sigma = o->sigma.v[0];
	if (o->ex.n == 1)
		o->fl.ex = o->ex.v[0];
	if (o->pt.n == 1)
		o->fl.pt = o->pt.v[0];
	return 0;
}

static int is_grid(const struct topts *o)
{
	return o->eps.n > 1 || o->sigma.n > 1 || o->ex.n > 1 || o->pt.n > 1;
}

/* Cross-flag checks; returns 0 or an exit code (message printed). */
static int check_flags(const struct topts *o)
{
	int has_rate = isfinite(o->rate), has_add = isfinite(o->add);
	size_t ncomb = (o->eps.n ? o->eps.n : 1) * (o->sigma.n ? o->sigma.n : 1) *
		       (o->ex.n ? o->ex.n : 1) * (o->pt.n ? o->pt.n : 1);

	if (is_grid(o)) {
		if (ncomb > (size_t)MAX_GRID)
			return tc_usage_error("sensitivity grid: %zu combinations, more than %ld", ncomb,
					      MAX_GRID);
		if (o->fl.draws > 0)
			return tc_usage_error("--draws does not apply to a sensitivity grid (lists of "
					      "parameters); give one value of each");
		if (o->sub == SUB_SWEEP || o->sub == SUB_REVMAX || o->imports_file)
			return tc_usage_error("parameter lists (a sensitivity grid) apply to a what-if "
					      "and to 'tariff run', not to sweep, revenue-max or "
					      "--imports-file");
	}
	if (o->sub == SUB_RUN) {
		if (o->partner >= 0 || has_rate || has_add || isfinite(o->base_rate) || o->layer ||
		    o->scope >= 0 || isfinite(o->imports_value) || o->imports_file || o->sweep_flags)
			return tc_usage_error("tariff run: partners and rates come from the scenario file; "
					      "only model, --as-of, --year, --draws and --seed flags apply");
		return 0;
	}
	if (o->list)
		return tc_usage_error("--list applies to 'tocalc tariff run --list'");
	if (o->partner < 0)
		return tc_usage_error("tariff: --partner is required (CN, MX, CA or ROW; or China, "
				      "Mexico, Canada)");
	if (o->layer && isfinite(o->base_rate))
		return tc_usage_error("--layer and --base-rate: a layer change needs the timeline's "
				      "rates; give only one of them");
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
			if (o->fl.draws > 0)
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
	if (o->any_country && !o->imports_file)
		return tc_usage_error("--any-country needs --imports-file");
	if (o->product_rates && o->partner != TARIFF_CN)
		return tc_usage_error("--product-rates: the Section 301 lists apply to China only "
				      "(--partner CN)");
	if (o->imports_file && (o->fl.draws > 0 || isfinite(o->imports_value) ||
				isfinite(o->row_imports)))
		return tc_usage_error("--imports-file: --draws, --imports-value and --row-imports do not apply");
	return 0;
}

/* ------------------------------------------------------------ scenario */

/*
** The command line as a scenario without a file: the partner gets the
** change (on --layer, or the what-if layer), the others are modelled at
** their rates in force when trade.csv has their imports.
*/
static int flags_scenario(const struct topts *o, struct scenario *sc)
{
	struct tc_err err;
	int k = o->partner;
	struct scenario_partner *sp;

	scenario_init(sc, "command line");
	sc->from_flags = 1;
	scenario_set_partner(sc, k);
	sp = &sc->p[k];
	if (isfinite(o->imports_value))
		sp->imports = o->imports_value;
	if (k == TARIFF_ROW && isfinite(o->row_imports))
		sp->imports = o->row_imports;
	sp->base_rate = o->base_rate;
	tc_err_init(&err);
	if (o->layer || o->scope >= 0 || o->sub == SUB_SWEEP || o->sub == SUB_REVMAX) {
		double v = isfinite(o->rate) ? o->rate : isfinite(o->add) ? o->add : 0;
		int add = !isfinite(o->rate);
		if (!o->layer && isfinite(o->base_rate)) {
			sp->op = (o->sub == SUB_SWEEP || o->sub == SUB_REVMAX) ? SCN_ADD : SCN_RATE;
			sp->value = v;
		} else if (scenario_add_layer(sc, k, o->layer ? o->layer : SCENARIO_WHATIF_LAYER, v, add,
					      o->scope, &err)) {
			return tc_report(&err);
		}
	} else {
		sp->op = isfinite(o->rate) ? SCN_RATE : SCN_ADD;
		sp->value = isfinite(o->rate) ? o->rate : o->add;
	}
	if (isfinite(o->imports_value))
		return 0;	/* the partner alone */
	for (int j = 0; j < TARIFF_NPARTNERS; j++) {
		if (j == k)
			continue;
		if (j == TARIFF_ROW && isfinite(o->row_imports)) {
			scenario_set_partner(sc, j);
			sc->p[j].imports = o->row_imports;
			continue;
		}
		scenario_set_partner(sc, j);
		sc->p[j].optional = 1;
	}
	return 0;
}

static int load_inputs(struct tc_ctx *ctx, const struct scenario *sc, struct tariff_inputs *in)
{
	struct tc_err err;

	tc_err_init(&err);
	/* the command line's what-ifs read everything: the other partners and the date check */
	if (tariff_inputs_load(in, ctx->data_dir, sc->from_flags ? TI_ALL : whatif_needs(sc), &err))
		return tc_report(&err);
	return 0;
}

static int resolve(const struct scenario *sc, const struct scenario_flags *fl,
		   const struct tariff_inputs *in, struct whatif *w)
{
	struct tc_err err;

	tc_err_init(&err);
	if (whatif_resolve(sc, fl, in, w, &err))
		return tc_report(&err);
	return 0;
}

/* ------------------------------------------------------------ output */

static void meta_params(struct out_doc *doc, const struct whatif *w)
{
	char d[16];

	out_meta_str(doc, "model", tariff_model_name(w->model));
	if (w->as_of)
		out_meta_str(doc, "as_of", tc_format_date(w->as_of, d));
	if (w->year)
		out_meta_int(doc, "base_year", w->year);
	out_meta_num(doc, "elasticity", w->p.eps, -1);
	out_meta_str(doc, "elasticity_source", w->src_eps);
	out_meta_num(doc, "substitution", w->p.sigma, -1);
	out_meta_str(doc, "substitution_source", w->src_sigma);
	if (isfinite(w->p.ex))
		out_meta_num(doc, "supply_elasticity", w->p.ex, -1);
	else
		out_meta_str(doc, "supply_elasticity", "infinite");
	out_meta_str(doc, "supply_elasticity_source", w->src_ex);
	if (isfinite(w->p.ex)) {
		out_meta_num(doc, "pass_through", w->p.ex / (w->p.ex + w->p.eps), -1);
		out_meta_str(doc, "pass_through_source", "implied: X/(X+E)");
	} else {
		out_meta_num(doc, "pass_through", w->p.pass_through, -1);
		out_meta_str(doc, "pass_through_source", w->src_pt);
	}
	out_meta_num(doc, "households", w->p.households, 0);
	out_meta_str(doc, "households_source", w->src_households);
	out_meta_str(doc, "units", "USD million of the base year (cost per household: USD)");
}

/* The legal stack behind each partner's tariff before and after. */
static void layers_table(struct out_doc *doc, const struct whatif *w)
{
	struct out_table *t = out_table_add(doc, "tariff_layers",
					    "tariff layers: statutory rate x coverage = effective");
	char d[16];

	out_col(t, "partner", "partner");
	out_col(t, "layer", "layer");
	out_col(t, "statutory_before_pct", "statutory before %");
	out_col(t, "statutory_after_pct", "statutory after %");
	out_col(t, "coverage", "coverage");
	out_col(t, "effective_before_pct", "effective before %");
	out_col(t, "effective_after_pct", "effective after %");
	out_col(t, "coverage_basis", "coverage basis");
	out_col(t, "row_id", "row id");
	out_col(t, "in_force_from", "in force from");
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct eff_stack *b = &w->before[k], *a = &w->after[k];
		if (!w->s.m[k].present || !w->have_stack[k])
			continue;
		for (size_t j = 0; j < a->n; j++) {
			const struct eff_layer *L = &a->l[j], *B = NULL;
			for (size_t i = 0; i < b->n; i++)
				if (!strcmp(b->l[i].layer, L->layer))
					B = &b->l[i];
			if (!B && L->statutory == 0)
				continue;
			out_row(t);
			out_str(t, tariff_partner_code(k));
			out_str(t, L->layer);
			out_num(t, B ? B->statutory : 0, 2);
			out_num(t, L->statutory, 2);
			out_num(t, L->coverage, 4);
			out_num(t, B ? B->effective : 0, 2);
			out_num(t, L->effective, 2);
			out_str(t, L->basis ? L->basis : "");
			out_str(t, L->row ? L->row->id : (B && B->row ? B->row->id : "what-if"));
			if (L->row)
				out_str(t, tc_format_date(L->row->effective, d));
			else
				out_missing(t);
		}
	}
}

static void partners_tables(struct out_doc *doc, const struct whatif *w, const struct tariff_result *r)
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
		if (!w->s.m[k].present)
			continue;
		out_row(t);
		out_str(t, tariff_partner_code(k));
		out_num(t, p->m0, 1);
		out_num(t, w->t0pct[k], 2);
		out_num(t, w->t1pct[k], 2);
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
		if (!w->s.m[k].present)
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
	int mc;		/* enum tariff_mc_output; -1: not drawn (NOVARY: the same in every draw) */
};

#define NOVARY -1
#define NOTDRAWN -2

static const struct metric metrics[] = {
	{ "imports_before", "USD million", NOVARY },
	{ "imports_after", "USD million", MC_IMPORTS_AFTER },
	{ "import_change", "USD million", MC_IMPORT_CHANGE },
	{ "trade_creation", "USD million", MC_CREATION },
	{ "revenue_before", "USD million", NOVARY },
	{ "revenue_after_static", "USD million", NOVARY },
	{ "revenue_after", "USD million", MC_REVENUE_AFTER },
	{ "revenue_change", "USD million", MC_REVENUE_CHANGE },
	{ "consumer_surplus_change", "USD million", MC_DCS },
	{ "deadweight_loss", "USD million", MC_DWL },
	{ "net_welfare_change", "USD million", MC_NET_WELFARE },
	{ "foreign_producer_surplus_change", "USD million", NOTDRAWN },
	{ "cost_per_household", "USD", MC_COST_PER_HOUSEHOLD },
	{ "import_price_index_change", "percent", NOTDRAWN },
	{ "consumer_price_change", "percent", NOTDRAWN },
	{ "cost_per_household_prices", "USD", NOTDRAWN },
};

static double metric_value(const struct tariff_totals *T, size_t i)
{
	const double v[] = { T->m0, T->m1, T->dm, T->creation, T->rev0, T->rev1_static, T->rev1,
			     T->drev, T->dcs, T->dwl, T->net_welfare, T->dps, T->cost_per_household,
			     100 * T->price_index_change, 100 * T->cpi_change,
			     T->cost_per_household_cpi };
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
		int dec = !strcmp(metrics[i].unit, "USD") ? 0 : !strcmp(metrics[i].unit, "percent") ? 3 : 1;
		out_row(t);
		out_str(t, metrics[i].key);
		out_num(t, v, dec);
		out_str(t, metrics[i].unit);
		if (!mc)
			continue;
		if (metrics[i].mc == NOVARY) {
			for (int q = 0; q < 4; q++)
				out_num(t, v, dec);
		} else if (metrics[i].mc == NOTDRAWN) {
			for (int q = 0; q < 4; q++)
				out_missing(t);
		} else {
			const struct tariff_mc_summary *s = &mc[metrics[i].mc];
			out_num(t, s->mean, dec);
			out_num(t, s->p5, dec);
			out_num(t, s->p50, dec);
			out_num(t, s->p95, dec);
		}
	}
}

static void mc_tables(struct out_doc *doc, const struct whatif *w, const struct tariff_mc_summary *mc)
{
	struct out_table *t = out_table_add(doc, "uncertainty_by_partner",
					    "Monte Carlo by partner (USD million)");
	static const char *const what[] = { "imports_after", "trade_diversion", "revenue_after" };
	static const int base[] = { MC_PARTNER_M1, MC_PARTNER_DIVERSION, MC_PARTNER_REV1 };
	struct out_table *e;
	struct tariff_mc_dist d;
	char buf[96];

	out_col(t, "partner", "partner");
	out_col(t, "output", "output");
	out_col(t, "mean", "mean");
	out_col(t, "p5", "p5");
	out_col(t, "p50", "p50");
	out_col(t, "p95", "p95");
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!w->s.m[k].present)
			continue;
		for (int i = 0; i < 3; i++) {
			const struct tariff_mc_summary *s = &mc[base[i] + k];
			out_row(t);
			out_str(t, tariff_partner_code(k));
			out_str(t, what[i]);
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
	tariff_mc_dist_default(&d);
	for (int i = 0; i < 2; i++) {
		int k = i ? MC_SIGMA : MC_EPS;
		out_row(e);
		out_str(e, i ? "substitution" : "elasticity");
		snprintf(buf, sizeof(buf), "lognormal, median %g, sdlog %g", i ? w->p.sigma : w->p.eps,
			 i ? d.sigma_sdlog : d.eps_sdlog);
		out_str(e, buf);
		out_num(e, mc[k].mean, 3);
		out_num(e, mc[k].p5, 3);
		out_num(e, mc[k].p50, 3);
		out_num(e, mc[k].p95, 3);
	}
}

/* The revenue maximum of every partner in has_rm, on the layer it changes (computed by the run layer). */
static void revmax_table(struct out_doc *doc, const struct whatif *w,
			 const struct whatif_revmax rms[TARIFF_NPARTNERS], const int has_rm[TARIFF_NPARTNERS])
{
	struct out_table *t = NULL;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct whatif_revmax *rm = &rms[k];
		if (!has_rm[k])
			continue;
		if (!t) {
			t = out_table_add(doc, "revenue_max", "revenue-maximising tariff (others fixed)");
			out_col(t, "partner", "partner");
			out_col(t, "layer", "layer");
			out_col(t, "rate_pct", "layer rate %");
			out_col(t, "effective_pct", "effective rate %");
			out_col(t, "closed_form_pct", "single-market closed form %");
			out_col(t, "revenue_partner", "partner revenue");
			out_col(t, "revenue_total", "total revenue");
		}
		out_row(t);
		out_str(t, tariff_partner_code(k));
		out_str(t, w->layer[k]);
		out_num(t, rm->rate_pct, 2);
		out_num(t, rm->eff_pct, 2);
		out_num(t, 100 * rm->rm.t_closed, 2);
		out_num(t, rm->rm.exists ? rm->rm.revenue_partner : NAN, 1);
		out_num(t, rm->rm.exists ? rm->rm.revenue : NAN, 1);
		if (!rm->rm.exists)
			out_note(doc, "no revenue-maximising tariff on %s within the search range: total "
				 "revenue still rises at the top of the range", tariff_partner_code(k));
		else if (rm->below_range)
			out_note(doc, "revenue on %s peaks at an effective rate of %.2f%%, below what layer "
				 "%s can reach at 0%%", tariff_partner_code(k), rm->eff_pct, w->layer[k]);
	}
}

static void common_notes(struct out_doc *doc, const struct whatif *w, const struct tariff_result *r)
{
	int ieepa = 0;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!w->s.m[k].present)
			continue;
		if (w->changed[k] && k != TARIFF_ROW && !strncmp(w->layer[k], "ieepa", 5))
			ieepa = 1;
		if (w->have_stack[k] && w->before[k].has_ieepa)
			ieepa = 1;
	}
	for (size_t i = 0; i < w->nnotes; i++)
		out_note(doc, "%s", w->notes[i]);
	if (ieepa)
		out_note(doc, "%s", IEEPA_NOTE);
	if (r && r->negative_imports)
		out_note(doc, "the linearised %s equations give negative imports at this tariff; use "
			 "--model ces, which stays valid for large changes", tariff_model_name(w->model));
	if (r && r->undefined)
		out_note(doc, "the linearised SMART diversion is undefined at this tariff (shares below "
			 "zero): outputs that depend on it are missing; use --model ces");
	if (r && r->beyond_validity)
		out_note(doc, "WARNING: this change is beyond the validity of the linearised smart model "
			 "(its own-price effect is off by %.0f%% from the exact form): these numbers are an "
			 "approximation; --model ces solves the same model exactly", 100 * r->approx_error);
	if (w->model == TARIFF_SMART)
		out_note(doc, "smart: revenue at world price 1 and deadweight loss W = 0.5 |dt| |TC| as "
			 "in WITS SMART");
	out_note(doc, "the tariff of each partner is its effective rate: every legal layer in force "
		 "times the share of imports it reaches (docs/effective-rates.md); the change applies "
		 "to the layer it names");
	out_note(doc, "partial equilibrium: no retaliation, no general-equilibrium or exchange-rate "
		 "effects, no domestic producers (docs/tariff-methods.md)");
}

static void meta_partners(struct out_doc *doc, const struct whatif *w)
{
	static const char *const lc[] = { "cn", "mx", "ca", "row" };

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		char key[64];
		if (!w->s.m[k].present)
			continue;
		snprintf(key, sizeof(key), "tariff_before_source_%s", lc[k]);
		out_meta_str(doc, key, w->t0src[k]);
		snprintf(key, sizeof(key), "imports_source_%s", lc[k]);
		out_meta_str(doc, key, w->imports_src[k]);
	}
}

static void meta_scenario(struct out_doc *doc, const struct scenario *sc)
{
	if (sc->from_flags)
		return;
	out_meta_str(doc, "scenario", sc->name ? sc->name : sc->path);
	out_meta_str(doc, "scenario_file", sc->path);
	if (sc->title)
		out_meta_str(doc, "title", sc->title);
}

static int emit_whatif(struct tc_ctx *ctx, const struct whatif *w, const char *command,
		       const struct scenario *sc)
{
	struct whatif_outcome *res = xmalloc(sizeof(*res));
	const struct tariff_result *r = &res->r;
	const struct tariff_mc_summary *mc = res->mc;
	struct out_doc *doc;
	struct tc_err err;
	int rc;

	tc_err_init(&err);
	if (whatif_run(w, res, &err)) {
		free(res);
		return tc_report(&err);
	}
	doc = out_doc_new(command);
	meta_scenario(doc, sc);
	out_meta_str(doc, "tariff_change", w->change);
	meta_params(doc, w);
	meta_partners(doc, w);
	if (w->draws) {
		out_meta_int(doc, "draws", w->draws);
		out_meta_int(doc, "seed", (long long)w->seed);
		out_meta_str(doc, "rng", "xoshiro256++ per block of 16384 draws, keyed by gsl mt19937 seeded with the seed; box-muller normals");
	}
	if (w->model == TARIFF_SMART) {
		char buf[160];
		snprintf(buf, sizeof(buf), "%s (largest error of the linearised creation against its "
			 "exact form: %.1f%%; limit %.0f%%)", r->beyond_validity ? "BEYOND VALIDITY" : "within",
			 100 * r->approx_error, 100 * TARIFF_SMART_MAX_REL_ERR);
		out_meta_str(doc, "smart_validity", buf);
	}
	partners_tables(doc, w, r);
	results_table(doc, r, w->draws ? mc : NULL);
	if (w->draws)
		mc_tables(doc, w, mc);
	revmax_table(doc, w, res->rm, res->has_rm);
	layers_table(doc, w);
	for (size_t i = 0; i < sc->nnotes; i++)
		out_note(doc, "%s", sc->notes[i]);
	if (w->draws && mc[MC_IMPORTS_AFTER].nfailed)
		out_note(doc, "Monte Carlo: %zu of %ld draws fell outside the model's validity and are left "
			 "out of the summaries (not averaged in)", mc[MC_IMPORTS_AFTER].nfailed, w->draws);
	if (w->draws)
		out_note(doc, "Monte Carlo columns are missing for the outputs that are not drawn (the "
			 "price-index effect and the foreign producers' surplus)");
	if (isnan(r->total.cpi_change))
		out_note(doc, "consumer price change: no sourced import share of personal consumption in "
			 "parameters.csv, so it is missing");
	common_notes(doc, w, r);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	free(res);
	return rc;
}

/* ------------------------------------------------------------ grid */

/* One row per combination of the parameter lists (a sensitivity grid). */
static int emit_grid(struct tc_ctx *ctx, const struct topts *o, const struct scenario *sc,
		     const struct tariff_inputs *in, const char *command)
{
	struct plist one = { 1, { NAN } }, inf1 = { 1, { NAN } };
	const struct plist *E = o->eps.n ? &o->eps : &one, *S = o->sigma.n ? &o->sigma : &one;
	const struct plist *X = o->ex.n ? &o->ex : &inf1, *P = o->pt.n ? &o->pt : &one;
	struct whatif_grid_lists ls = { E->v, S->v, X->v, P->v, E->n, S->n, X->n, P->n };
	struct whatif_grid_row *rows;
	struct out_doc *doc;
	struct out_table *t;
	struct whatif *w = xmalloc(sizeof(*w));
	struct tc_err err;
	size_t n;
	int rc;

	tc_err_init(&err);
	if (whatif_grid(sc, &o->fl, in, &ls, w, &rows, &n, &err)) {
		free(w);
		return tc_report(&err);
	}
	doc = out_doc_new(command);
	meta_scenario(doc, sc);
	t = out_table_add(doc, "sensitivity", "sensitivity grid (USD million; cost per household: USD)");
	out_col(t, "elasticity", "elasticity");
	out_col(t, "substitution", "substitution");
	out_col(t, "supply_elasticity", "supply elasticity");
	out_col(t, "pass_through", "pass-through");
	out_col(t, "imports_after", "imports after");
	out_col(t, "revenue_change", "revenue change");
	out_col(t, "consumer_surplus_change", "consumer surplus change");
	out_col(t, "deadweight_loss", "deadweight loss");
	out_col(t, "cost_per_household", "cost per household");
	out_meta_str(doc, "tariff_change", w->change);
	meta_params(doc, w);
	for (size_t i = 0; i < n; i++) {
		const struct tariff_params *p = &rows[i].p;
		const struct tariff_totals *T = &rows[i].total;
		out_row(t);
		out_num(t, p->eps, -1);
		out_num(t, p->sigma, -1);
		if (isfinite(p->ex))
			out_num(t, p->ex, -1);
		else
			out_str(t, "inf");
		out_num(t, isfinite(p->ex) ? p->ex / (p->ex + p->eps) : p->pass_through, -1);
		out_num(t, T->m1, 1);
		out_num(t, T->drev, 1);
		out_num(t, T->dcs, 1);
		out_num(t, T->dwl, 1);
		out_num(t, T->cost_per_household, 0);
	}
	out_note(doc, "one row per combination of the parameter lists; the other parameters as in "
		 "the meta fields (their sources there)");
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	whatif_release(w);
	free(w);
	free(rows);
	return rc;
}

/* ------------------------------------------------------------ sweep */

static int emit_sweep(struct tc_ctx *ctx, const struct topts *o, const struct whatif *w)
{
	int k = o->partner, rc;
	struct whatif_sweep_row *rows = NULL;
	size_t n = 0;
	struct out_doc *doc;
	double bad_rate = NAN, approx_rate = NAN;
	char bad_why[256] = "";
	struct out_table *t;
	struct tc_err err;
	struct whatif_revmax rm[TARIFF_NPARTNERS];
	int changed[TARIFF_NPARTNERS], has_rm[TARIFF_NPARTNERS];

	memcpy(changed, w->changed, sizeof(changed));
	changed[k] = 1;	/* the revenue maximum of the swept partner, too */
	tc_err_init(&err);
	if (whatif_sweep(w, k, o->from, o->to, o->step, &rows, &n, &err))
		return tc_report(&err);
	if (whatif_revenue_max_changed(w, changed, rm, has_rm, &err)) {
		free(rows);
		return tc_report(&err);
	}
	doc = out_doc_new("tariff sweep");
	meta_params(doc, w);
	meta_partners(doc, w);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	out_meta_str(doc, "layer", w->layer[k]);
	out_meta_num(doc, "layer_rate_before_pct", w->layer_before[k], -1);
	out_meta_num(doc, "tariff_before_pct", w->t0pct[k], -1);
	t = out_table_add(doc, "sweep", "revenue (Laffer) and import curves (USD million)");
	out_col(t, "rate_pct", "layer rate %");
	out_col(t, "effective_pct", "effective rate %");
	out_col(t, "imports_partner", "partner imports");
	out_col(t, "imports_total", "total imports");
	out_col(t, "revenue_partner", "partner revenue");
	out_col(t, "revenue_total", "total revenue");
	out_col(t, "revenue_static", "static revenue");
	out_col(t, "consumer_surplus_change", "consumer surplus change");
	out_col(t, "deadweight_loss", "deadweight loss");
	out_col(t, "cost_per_household", "cost per household USD");
	for (size_t i = 0; i < n; i++) {
		const struct tariff_result *r = &rows[i].r;
		out_row(t);
		out_num(t, rows[i].rate_pct, 2);
		out_num(t, rows[i].eff_pct, 2);
		if (!rows[i].ok) {
			/* outside the model's validity: missing, never a made-up number */
			for (int c = 0; c < 8; c++)
				out_missing(t);
			if (isnan(bad_rate)) {
				bad_rate = rows[i].rate_pct;
				snprintf(bad_why, sizeof(bad_why), "%s", rows[i].why);
			}
			continue;
		}
		out_num(t, r->p[k].m1, 1);
		out_num(t, r->total.m1, 1);
		out_num(t, r->p[k].rev1, 1);
		out_num(t, r->total.rev1, 1);
		out_num(t, r->total.rev1_static, 1);
		out_num(t, r->total.dcs, 1);
		out_num(t, r->total.dwl, 1);
		out_num(t, r->total.cost_per_household, 0);
		if (r->beyond_validity && isnan(approx_rate))
			approx_rate = rows[i].rate_pct;
	}
	free(rows);
	if (!isnan(approx_rate))
		out_note(doc, "WARNING: from a layer rate of %g%% on, the change is beyond the validity of "
			 "the linearised smart model (off by more than %.0f%% from the exact form); --model "
			 "ces solves the same model exactly", approx_rate, 100 * TARIFF_SMART_MAX_REL_ERR);
	if (!isnan(bad_rate))
		out_note(doc, "%s has no valid result from a layer rate of %g%% on (missing values: %s); "
			 "use --model ces", tariff_model_name(w->model), bad_rate, bad_why);
	revmax_table(doc, w, rm, has_rm);
	common_notes(doc, w, NULL);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------- revenue max */

static int emit_revmax(struct tc_ctx *ctx, const struct topts *o, const struct whatif *w)
{
	struct whatif_revmax rm;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	int k = o->partner, rc;

	tc_err_init(&err);
	if (whatif_revenue_max(w, k, &rm, &err))
		return tc_report(&err);
	if (!rm.rm.exists) {
		/* a flag's elasticities are the user's choice: a usage error; the data's a data error */
		int flag = !strcmp(w->src_eps, "--elasticity") || !strcmp(w->src_sigma, "--substitution");
#define NO_REVMAX "no revenue-maximising tariff on %s: total revenue still rises at the top of " \
	"the search range (elasticity %g from %s, substitution %g from %s)"
		if (flag)
			return tc_usage_error(NO_REVMAX, tariff_partner_code(k), w->p.eps, w->src_eps,
					      w->p.sigma, w->src_sigma);
		return tc_error(NO_REVMAX, tariff_partner_code(k), w->p.eps, w->src_eps, w->p.sigma,
				w->src_sigma);
#undef NO_REVMAX
	}
	doc = out_doc_new("tariff revenue-max");
	meta_params(doc, w);
	meta_partners(doc, w);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	out_meta_str(doc, "layer", w->layer[k]);
	t = out_table_add(doc, "revenue_max", "revenue-maximising tariff (others fixed)");
	out_col(t, "partner", "partner");
	out_col(t, "layer", "layer");
	out_col(t, "rate_pct", "layer rate %");
	out_col(t, "effective_pct", "effective rate %");
	out_col(t, "closed_form_pct", "single-market closed form %");
	out_col(t, "revenue_partner", "partner revenue");
	out_col(t, "revenue_total", "total revenue");
	out_col(t, "iterations", "minimiser iterations");
	out_row(t);
	out_str(t, tariff_partner_code(k));
	out_str(t, w->layer[k]);
	out_num(t, rm.rate_pct, 4);
	out_num(t, rm.eff_pct, 4);
	out_num(t, 100 * rm.rm.t_closed, 4);
	out_num(t, rm.rm.revenue_partner, 1);
	out_num(t, rm.rm.revenue, 1);
	out_int(t, rm.rm.iterations);
	if (rm.below_range)
		out_note(doc, "revenue peaks at an effective rate of %.2f%%, below what layer %s can "
			 "reach at 0%%", rm.eff_pct, w->layer[k]);
	out_note(doc, "the numeric maximum is over the full model (all partners, diversion); the "
		 "closed form 1/(phi (E - 1)) is the single-market reference");
	common_notes(doc, w, NULL);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------- product level */

static int emit_products(struct tc_ctx *ctx, const struct topts *o, const struct whatif *w,
			 const struct tariff_inputs *in)
{
	struct whatif_products c;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	int k = o->partner, rc, order[100], n = 0;
	char d[16];

	tc_err_init(&err);
	struct hs10_filter hf = { hs10_census_name(tariff_partner_code(k)), hs10_partner_names,
				  o->fl.year, o->any_country };
	if (whatif_products(w, k, o->imports_file, &hf, o->product_rates, in, &c, &err)) {
		whatif_products_release(&c);
		return tc_report(&err);
	}
	if (!c.rows) {
		whatif_products_release(&c);
		return tc_error("%s: no import line", o->imports_file);
	}
	const struct hs10_summary hs = c.hs;
	const struct product_rates pr = c.pr;

	doc = out_doc_new("tariff");
	out_meta_str(doc, "imports_file", o->imports_file);
	out_meta_str(doc, "partner", tariff_partner_code(k));
	out_meta_int(doc, "lines", c.rows);
	out_meta_int(doc, "year", hs.year);
	out_meta_int(doc, "lines_skipped", hs.rows_skipped);
	out_meta_num(doc, "imports_skipped_usd", hs.value_skipped, 0);
	if (hs.rows_skipped) {
		char sk[1200];
		hs10_summary_text(&hs, sk, sizeof(sk));
		out_meta_str(doc, "skipped", sk);
		out_note(doc, "%ld line%s of other countries or years skipped (USD %.0f): %s",
			 hs.rows_skipped, hs.rows_skipped == 1 ? "" : "s", hs.value_skipped, sk);
	}
	if (o->any_country)
		out_note(doc, "--any-country: the rows of every country are used as imports from %s",
			 tariff_partner_code(k));
	out_meta_num(doc, "imports_usd", c.value_usd, 0);
	out_meta_num(doc, "duty_collected_usd", c.with_duty ? c.duty_usd : NAN, 0);
	out_meta_num(doc, "tariff_before_flat_pct", c.t0flat, -1);
	out_meta_str(doc, "tariff_before_source", w->t0src[k]);
	out_meta_num(doc, "tariff_after_flat_pct", c.t1flat, -1);
	if (c.have_pr) {
		out_meta_str(doc, "product_rates", o->product_rates);
		out_meta_str(doc, "product_rates_date", tc_format_date(pr.date, d));
		out_meta_int(doc, "lines_on_a_list", c.matched_rows);
		out_meta_num(doc, "imports_on_a_list_usd", c.matched_value, 0);
	}
	meta_params(doc, w);
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
		const struct whatif_chapter *a = &c.ch[order[i]];
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
	if (c.have_pr) {
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
			 "--model ces", tariff_model_name(w->model));
	if (k != TARIFF_ROW)
		out_note(doc, "%s", IEEPA_NOTE);
	whatif_products_release(&c);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------------ run */

static int is_name(const char *arg)
{
	size_t n = strlen(arg);

	if (!n || strchr(arg, '/') || (n > 4 && !strcmp(arg + n - 4, ".scn")))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(arg[i] == '-' || arg[i] == '_' || (arg[i] >= 'a' && arg[i] <= 'z') ||
		      (arg[i] >= '0' && arg[i] <= '9')))
			return 0;
	return 1;
}

/* The shipped scenario names, without .scn (sorted); *names owned by the caller. */
static size_t scenario_names(const struct tc_ctx *ctx, char ***names)
{
	char *dir = report_scenario_dir(ctx);
	struct tc_err err;
	size_t n = 0;

	*names = NULL;
	if (!dir || whatif_scenario_files(dir, names, &n, &err)) {
		free(dir);
		return 0;
	}
	free(dir);
	for (size_t i = 0; i < n; i++)
		(*names)[i][strlen((*names)[i]) - 4] = '\0';
	return n;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* An unknown scenario NAME: a usage error with the nearest names and the list. */
static int unknown_scenario(const struct tc_ctx *ctx, const char *arg)
{
	char **names, list[1024], hint[300];
	size_t n = scenario_names(ctx, &names), used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
						 names[i]);
	tc_suggest(arg, (const char *const *)names, n, NULL, hint, sizeof(hint));
	tc_usage_error("tariff run: no scenario '%s'%s (scenarios: %s; 'tocalc tariff run --list' "
		       "describes them)", arg, hint, n ? list : "none installed");
	free_names(names, n);
	return TC_EXIT_USAGE;
}

/* A FILE, or a NAME of the shipped scenarios; NULL after a usage error. */
static char *resolve_scenario(const struct tc_ctx *ctx, const char *arg)
{
	struct stat st;
	char *dir, *p;
	size_t n;

	if (!is_name(arg) || stat(arg, &st) == 0)
		return xstrdup(arg);
	dir = report_scenario_dir(ctx);
	if (!dir) {
		unknown_scenario(ctx, arg);
		return NULL;
	}
	n = strlen(dir) + strlen(arg) + 8;
	p = xmalloc(n);
	snprintf(p, n, "%s/%s.scn", dir, arg);
	free(dir);
	if (stat(p, &st) != 0) {
		free(p);
		unknown_scenario(ctx, arg);
		return NULL;
	}
	return p;
}

/* tariff run --list: name, title, date, change of every shipped scenario. */
static int run_list(struct tc_ctx *ctx)
{
	char **names, *dir = report_scenario_dir(ctx);
	size_t n = scenario_names(ctx, &names);
	struct out_doc *doc = out_doc_new("tariff run --list");
	struct out_table *t = out_table_add(doc, "scenarios", "shipped scenarios");
	int rc = 0;

	out_col(t, "name", "name");
	out_col(t, "title", "title");
	out_col(t, "as_of", "as of");
	out_col(t, "change", "change");
	for (size_t i = 0; i < n && !rc; i++) {
		struct scenario sc;
		struct tc_err err;
		char *path, d[16], ch[512];
		size_t len = strlen(dir) + strlen(names[i]) + 8, used = 0;

		path = xmalloc(len);
		snprintf(path, len, "%s/%s.scn", dir, names[i]);
		tc_err_init(&err);
		if (scenario_parse_file(&sc, path, &err)) {
			free(path);
			rc = tc_report(&err);
			break;
		}
		free(path);
		ch[0] = '\0';
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			const struct scenario_partner *sp = &sc.p[k];
			for (size_t j = 0; j < sp->nlayers && used < sizeof(ch); j++)
				used += (size_t)snprintf(ch + used, sizeof(ch) - used, "%s%s %s %g%%",
							 used ? "; " : "", tariff_partner_code(k),
							 sp->layer[j], sp->layer_rate[j]);
			if (sp->set && sp->op != SCN_BASE && used < sizeof(ch))
				used += (size_t)snprintf(ch + used, sizeof(ch) - used, "%s%s %s %g%%",
							 used ? "; " : "", tariff_partner_code(k),
							 sp->op == SCN_RATE ? "+" : "add", sp->value);
		}
		out_row(t);
		out_str(t, names[i]);
		out_str(t, sc.title ? sc.title : "");
		if (sc.as_of)
			out_str(t, tc_format_date(sc.as_of, d));
		else
			out_missing(t);
		out_str(t, used ? ch : "none");
		scenario_release(&sc);
	}
	free(dir);
	free_names(names, n);
	if (!rc)
		rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

static int cmd_run(struct tc_ctx *ctx, const struct topts *o)
{
	struct scenario sc;
	struct tariff_inputs in;
	struct whatif w;
	struct tc_err err;
	char *path = resolve_scenario(ctx, o->file);
	int rc;

	if (!path)
		return TC_EXIT_USAGE;
	tc_err_init(&err);
	if (scenario_parse_file(&sc, path, &err)) {
		free(path);
		return tc_report(&err);
	}
	free(path);
	if ((rc = load_inputs(ctx, &sc, &in))) {
		scenario_release(&sc);
		return rc;
	}
	if (is_grid(o))
		rc = emit_grid(ctx, o, &sc, &in, "tariff run");
	else if (!(rc = resolve(&sc, &o->fl, &in, &w))) {
		rc = emit_whatif(ctx, &w, "tariff run", &sc);
		whatif_release(&w);
	}
	tariff_inputs_release(&in);
	scenario_release(&sc);
	return rc;
}

/*
** The what-if and its subcommands sweep, run and revenue-max share the
** flags; argv[0] is "tariff" or the subcommand's name.
*/
static int tariff_main(int argc, char **argv, struct tc_ctx *ctx, enum sub sub)
{
	struct topts o;
	struct scenario sc;
	struct tariff_inputs in;
	struct whatif w;
	const char *file = NULL;
	int rc;

	if (sub == SUB_RUN && argc >= 2 && (argv[1][0] != '-' || !strcmp(argv[1], "-"))) {
		file = tc_input_file("tariff run FILE", argv[1]);	/* "-": stdin */
		argc--;
		argv++;
	}
	if (file && strlen(file) > 5 && !strcmp(file + strlen(file) - 5, ".gsim")) {
		/* a multi-region GSIM file: the same command as 'tariff gsim FILE' */
		char **av = xcalloc((size_t)argc + 2, sizeof(char *));
		av[0] = (char *)"gsim";
		av[1] = (char *)file;
		for (int i = 1; i < argc; i++)
			av[i + 1] = argv[i];
		rc = cmd_tariff_gsim(argc + 1, av, ctx);
		free(av);
		return rc;
	}
	rc = parse_flags(argc, argv, ctx, &o);
	if (rc)
		return rc;
	o.sub = sub;
	o.file = file;
	if (sub == SUB_RUN && o.list)
		return file ? tc_usage_error("tariff run --list takes no scenario") : run_list(ctx);
	if (sub == SUB_RUN && !file)
		return tc_usage_error("tariff run: expected a scenario FILE or NAME ('tocalc tariff run "
				      "--list' lists them)");
	if ((rc = check_flags(&o)))
		return rc;
	if (sub == SUB_RUN)
		return cmd_run(ctx, &o);
	if (o.imports_file)
		o.imports_value = 1;	/* a placeholder market: the lines bring their own values */
	if ((rc = flags_scenario(&o, &sc)))
		return rc;
	if ((rc = load_inputs(ctx, &sc, &in))) {
		scenario_release(&sc);
		return rc;
	}
	if (is_grid(&o)) {
		rc = emit_grid(ctx, &o, &sc, &in, "tariff");
	} else if (!(rc = resolve(&sc, &o.fl, &in, &w))) {
		if (o.imports_file && w.model == TARIFF_GSIM)
			rc = tc_usage_error("--imports-file: gsim is a multi-partner model; use --model "
					    "ces or smart");
		else if (o.imports_file)
			rc = emit_products(ctx, &o, &w, &in);
		else if (sub == SUB_SWEEP)
			rc = emit_sweep(ctx, &o, &w);
		else if (sub == SUB_REVMAX)
			rc = emit_revmax(ctx, &o, &w);
		else
			rc = emit_whatif(ctx, &w, "tariff", &sc);
		whatif_release(&w);
	}
	tariff_inputs_release(&in);
	scenario_release(&sc);
	return rc;
}

static int sub_sweep(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return tariff_main(argc, argv, ctx, SUB_SWEEP);
}

static int sub_run(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return tariff_main(argc, argv, ctx, SUB_RUN);
}

static int sub_revmax(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return tariff_main(argc, argv, ctx, SUB_REVMAX);
}

static int sub_rates(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return cmd_tariff_rates(argc, argv, ctx);
}

static int sub_gsim(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)opts;
	return cmd_tariff_gsim(argc, argv, ctx);
}

static const struct tc_subcommand tariff_subs[] = {
	{ "sweep", sub_sweep, "revenue and imports over a range of rates" },
	{ "run", sub_run, "a scenario file or a shipped scenario" },
	{ "revenue-max", sub_revmax, "the revenue-maximising rate" },
	{ "rates", sub_rates, "effective tariff rates, layer by layer" },
	{ "gsim", sub_gsim, "the multi-region GSIM" },
	{ NULL, NULL, NULL }
};

int cmd_tariff(int argc, char **argv, struct tc_ctx *ctx)
{
	if (argc > 1 && argv[1][0] != '-')
		return tc_subcommand_run("tariff", tariff_subs, argc - 1, argv + 1, ctx, NULL);
	return tariff_main(argc, argv, ctx, SUB_WHATIF);
}
