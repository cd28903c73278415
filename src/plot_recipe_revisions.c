/*
** plot_recipe_revisions.c: the figure of `tocalc overdose revisions -o FILE`:
** one VSRR series as each kept vintage gave it, month by month (reported solid,
** predicted dashed where the vintage has it), so revisions show as the gap
** between the lines.  Takes loaded series (vintages oldest first), returns a
** plot description (plot.h); the caller renders and releases it.
** Text shown (vintage dates, series and state names) goes through the
** description's text fields only, never into a gnuplot command.
*/
#include "tocalc/plot.h"
#include "tocalc/data_overdose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe-Ito colours, one per vintage, cycling. */
static const unsigned vintage_colors[] = {
	PLOT_RGB(0x0072b2), PLOT_RGB(0xd55e00), PLOT_RGB(0x009e73), PLOT_RGB(0xe69f00),
	PLOT_RGB(0xcc79a7), PLOT_RGB(0x56b4e9), PLOT_RGB(0x000000)
};

int plot_revisions_desc(const struct od_series *ser, size_t n, long from, long to,
			struct plot_desc *d, struct tc_err *err)
{
	long first = 0, last = 0;
	double top = 0;
	char buf[256];
	size_t k0 = n, used = 0;

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < ser[k].n; i++) {
			long m = ser[k].period[i];
			if (m < from || m > to)
				continue;
			if (k0 == n)
				k0 = k;
			if (!first || m < first)
				first = m;
			if (m > last)
				last = m;
			if (!isnan(ser[k].y[i]))
				top = fmax(top, ser[k].y[i]);
			if (!isnan(ser[k].y2[i]))
				top = fmax(top, ser[k].y2[i]);
		}
	if (k0 == n || first == last)
		return tc_fail(err, "overdose revisions: fewer than two months to draw");
	plot_set_text(&d->name, "vsrr_revisions");
	snprintf(buf, sizeof(buf), "%s, %s: 12 month-ending counts in each kept VSRR vintage",
		 ser[k0].state ? ser[k0].state : "US", ser[k0].name);
	plot_set_text(&d->title, buf);
	plot_set_text(&d->ylabel, "deaths in the 12 months ending");
	plot_set_text(&d->footnote, "data: datasets/vsrr/VINTAGE.csv (CDC VSRR provisional counts, "
		      "each vintage as downloaded); the gap between two lines is the revision");
	plot_set_text(&d->xlabel, " ");
	d->xaxis = PLOT_X_MONTH;
	d->width = 960;
	d->height = 600;
	d->key = PLOT_KEY_TOP_LEFT;
	d->yfmt = PLOT_FMT_INTEGER;
	d->ymin = 0;
	d->ymax = ceil(top * 1.15 / 1000.0) * 1000.0;
	d->xmin = plot_time_of_month(first);
	d->xmax = plot_time_of_month(last);
	for (size_t k = 0; k < n; k++) {
		size_t m = 0;
		double *x, *y, *y2;
		int have2 = 0;
		if (!ser[k].n)
			continue;
		x = xcalloc(ser[k].n, sizeof(double));
		y = xcalloc(ser[k].n, sizeof(double));
		y2 = xcalloc(ser[k].n, sizeof(double));
		for (size_t i = 0; i < ser[k].n; i++) {
			if (ser[k].period[i] < from || ser[k].period[i] > to)
				continue;
			x[m] = plot_time_of_month(ser[k].period[i]);
			y[m] = ser[k].y[i];
			y2[m] = ser[k].y2[i];
			have2 |= !isnan(y2[m]);
			m++;
		}
		if (m) {
			struct plot_series *ps;
			unsigned c = vintage_colors[used % (sizeof(vintage_colors) / sizeof(vintage_colors[0]))];
			snprintf(buf, sizeof(buf), "vintage %s, reported", ser[k].vintage ? ser[k].vintage : "?");
			ps = plot_add_series(d, PLOT_LINES, buf, x, y, m);
			ps->color = c;
			ps->width = 2;
			if (have2) {
				snprintf(buf, sizeof(buf), "vintage %s, predicted",
					 ser[k].vintage ? ser[k].vintage : "?");
				ps = plot_add_series(d, PLOT_LINES, buf, x, y2, m);
				ps->color = c;
				ps->dash = 2;
				ps->width = 1.5;
			}
			used++;
		}
		free(x);
		free(y);
		free(y2);
	}
	return 0;
}
