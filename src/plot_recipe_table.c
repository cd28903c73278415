/*
** plot_recipe_table.c: the recipes of `tocalc plot` (plot.h), in the
** order `plot --list` shows them, with the flags each accepts and the
** parts of the report result (report.h, RR_*) each reads.  `tocalc plot`
** and `tocalc report` both find their recipes here.
*/
#include "tocalc/plot.h"
#include "tocalc/report.h"

#include <string.h>

/* The recipe table, in the order `plot --list` shows it. */
const struct plot_recipe plot_recipes[] = {
	{ "overdose-deaths", "US overdose deaths 1999-2024, final and provisional, joinpoint fits, "
	  "policy events", 0, RR_TRENDS | RR_VSRR | RR_EVENTS | RR_SOURCES, plot_recipe_overdose_deaths },
	{ "vsrr-12mo", "VSRR 12 month-ending counts 2015-2025 with the tariff on China (second axis)",
	  PLOT_ARG_STATE | PLOT_ARG_INDICATOR | PLOT_ARG_VINTAGE, RR_VSRR | RR_CN_RATE | RR_SOURCES,
	  plot_recipe_vsrr_12mo },
	{ "tariff-laffer", "tariff revenue (Laffer) and import curves for China, 0-300%, "
	  "Monte Carlo 90% band", 0, RR_LAFFER | RR_SOURCES, plot_recipe_tariff_laffer },
	{ "scenarios", "the shipped scenarios: imports after, revenue and cost per household "
	  "([--scenarios DIR])", PLOT_ARG_SCENARIOS, RR_SCENARIOS | RR_SOURCES, plot_recipe_scenarios },
	{ "claims", "computed against claimed value of every checkable claim, by verdict",
	  0, RR_CLAIMS, plot_recipe_claims },
	{ "effective-rates", "effective tariff rate by partner 2017-2026 from the legal stack, "
	  "legal events marked", 0, RR_RATES, plot_recipe_effective_rates },
	{ "series", "any CSV file as a line plot (--file F --x COL --y COL [--joinpoint])",
	  PLOT_ARG_FILE | PLOT_ARG_X | PLOT_ARG_Y | PLOT_ARG_JOINPOINT, 0, plot_recipe_series },
};
const size_t plot_nrecipes = TC_ARRAY_SIZE(plot_recipes);

const struct plot_recipe *plot_recipe_find(const char *name)
{
	for (size_t i = 0; i < plot_nrecipes; i++)
		if (!strcmp(plot_recipes[i].name, name))
			return &plot_recipes[i];
	return NULL;
}

