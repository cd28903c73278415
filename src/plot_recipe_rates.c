/*
** plot_recipe_rates.c: the `effective-rates` plot recipe (issue 12): the
** effective tariff rate of China, Mexico, Canada and the rest of the world
** from 2017-01-01 to the timeline's last date (model_rates.c via run_report.c), as steps,
** with the legal events marked, one y axis.
**
** Fills a plot description only (docs/plotting.md); every text goes
** through the datablock.  Deterministic: no date of the run is used.
*/
#include "tocalc/plot.h"
#include "tocalc/report.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int plot_recipe_effective_rates(const struct plot_args *a, const struct report_result *r,
				struct plot_desc *d, struct tc_err *err)
{
	(void)a;
	for (size_t k = 0; k < TC_ARRAY_SIZE(lines); k++) {
		const struct report_steps *st = &r->steps[lines[k].partner];
		size_t n = st->n;
		double *x, *y;
		struct plot_series *s;

		if (!n)
			return tc_fail(err, "effective-rates: no rate for %s", lines[k].label);
		x = xcalloc(n, sizeof(*x));
		y = xcalloc(n, sizeof(*y));
		for (size_t i = 0; i < n; i++) {
			x[i] = plot_time_of_date(st->day[i]);
			y[i] = st->eff[i];
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
	return 0;
}
