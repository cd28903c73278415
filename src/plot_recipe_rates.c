/*
** plot_recipe_rates.c: the `effective-rates` plot recipe (issue 12): the
** effective tariff rate of China, Mexico, Canada and the rest of the world
** from 2017-01-01 to the timeline's last date (model_rates.c), as steps,
** with the legal events marked, one y axis.
**
** Fills a plot description only (docs/plotting.md); every text goes
** through the datablock.  Deterministic: no date of the run is used.
*/
#include "tocalc/cmd.h"
#include "tocalc/plot.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATES_FROM 20170101L

static const struct {
	long date;
	const char *label;
} events[] = {
	{ 20180706, "Section 301 List 1" },
	{ 20190510, "List 3 to 25%" },
	{ 20250204, "IEEPA tariffs" },
	{ 20250410, "China 125%" },
	{ 20260220, "IEEPA ruling" },
};

static const struct {
	int partner;
	const char *label;
	unsigned color;
} lines[] = {
	{ TARIFF_CN, "China", PLOT_RGB(0xd55e00) },
	{ TARIFF_MX, "Mexico", PLOT_RGB(0x009e73) },
	{ TARIFF_CA, "Canada", PLOT_RGB(0x0072b2) },
	{ TARIFF_ROW, "rest of world", PLOT_RGB(0x666666) },
};

/* Next day of a yyyymmdd date. */
static long next_day(long d)
{
	return tc_date_of_days(tc_days_of(d) + 1);
}

int plot_recipe_effective_rates(const struct plot_args *a, const struct tc_ctx *ctx,
				struct plot_desc *d, struct tc_err *err)
{
	struct tariff_timeline tl;
	struct tariff_coverage *cv = NULL;
	int ret = -1;
	(void)a;

	if (tariff_timeline_load(&tl, ctx->data_dir, err))
		return -1;
	if (tariff_coverage_load(&cv, ctx->data_dir, err)) {
		tariff_timeline_release(&tl);
		return -1;
	}
	for (size_t k = 0; k < TC_ARRAY_SIZE(lines); k++) {
		size_t cap = 64, n = 0;
		double *x = xmalloc(cap * sizeof(*x)), *y = xmalloc(cap * sizeof(*y));
		double last = NAN;
		struct plot_series *s;

		/* a step at every change of the rate, and the last day */
		for (long day = RATES_FROM > tl.first ? RATES_FROM : tl.first; day <= tl.last;
		     day = next_day(day)) {
			struct eff_stack st;
			if (tariff_effective_on(&tl, cv, lines[k].partner, day, &st, err)) {
				free(x);
				free(y);
				goto out;
			}
			if (st.effective == last && day != tl.last)
				continue;
			if (n == cap) {
				cap *= 2;
				x = xrealloc(x, cap * sizeof(*x));
				y = xrealloc(y, cap * sizeof(*y));
			}
			x[n] = plot_time_of_date(day);
			y[n++] = st.effective;
			last = st.effective;
		}
		s = plot_add_series(d, PLOT_STEPS, lines[k].label, x, y, n);
		s->color = lines[k].color;
		{
			/* direct label at the last step (publisher style, no legend box) */
			const char **txt = xcalloc(n, sizeof(*txt));
			txt[n - 1] = lines[k].label;
			plot_series_point_text(s, txt);
			free(txt);
		}
		if (lines[k].partner == TARIFF_ROW)
			s->dash = 2;
		free(x);
		free(y);
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(events); i++) {
		struct plot_marker *m = plot_add_xmarker(d, plot_time_of_date(events[i].date),
							 events[i].label);
		m->color = PLOT_RGB(0x999999);
	}
	plot_set_text(&d->name, "effective_rates");
	plot_set_text(&d->title, "US effective tariff rate by partner, 2017-2026 (duties over imports, "
		      "from the legal stack)");
	plot_set_text(&d->ylabel, "effective tariff rate");
	plot_set_text(&d->footnote, "Source: Federal Register, USTR, US Census Bureau (2024 imports), "
		      "Yale Budget Lab tracker; tocalc calculations. Rest of world: no MFN duties");
	plot_set_text(&d->xlabel, " ");
	d->xaxis = PLOT_X_DATE;
	d->yfmt = PLOT_FMT_PERCENT;
	d->key = PLOT_KEY_NONE;
	d->xmax = plot_time_of_date(20271001);
	d->ymin = 0;
	d->width = 960;
	d->height = 560;
	ret = 0;
out:
	tariff_coverage_free(cv);
	tariff_timeline_release(&tl);
	return ret;
}
