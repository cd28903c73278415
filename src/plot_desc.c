/*
** plot_desc.c: plot descriptions, built by the recipes: plot_desc_init,
** the plot_add_* and plot_set_text setters (each stores its own copies;
** plot_desc_release frees them), the digit grouping of plot_group_number,
** and the time axes (seconds since 1970-01-01 UTC) and decimal years.
** Pure: no I/O.  Checking and turning a description into a gnuplot
** script is plot_script.c; the contract is include/tocalc/plot.h.
*/
#include "tocalc/plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* descriptions                                                         */

void plot_desc_init(struct plot_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->xaxis = PLOT_X_NUMBER;
	d->key = PLOT_KEY_TOP_LEFT;
	d->xmin = d->xmax = d->ymin = d->ymax = d->y2min = d->y2max = NAN;
	d->width = PLOT_WIDTH;
	d->height = PLOT_HEIGHT;
}

static void free_texts(char **t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		free(t[i]);
	free(t);
}

void plot_desc_release(struct plot_desc *d)
{
	free(d->name);
	free(d->title);
	free(d->xlabel);
	free(d->ylabel);
	free(d->y2label);
	free(d->footnote);
	free(d->footnote2);
	for (size_t i = 0; i < d->nseries; i++) {
		struct plot_series *s = d->series[i];
		free(s->label);
		free(s->x);
		free(s->y);
		free(s->y2);
		free_texts(s->point_text, s->n);
		free(s);
	}
	free(d->series);
	for (size_t i = 0; i < d->nmarkers; i++) {
		free(d->markers[i]->label);
		free(d->markers[i]);
	}
	free(d->markers);
	for (size_t i = 0; i < d->nspans; i++) {
		free(d->spans[i]->label);
		free(d->spans[i]);
	}
	free(d->spans);
	for (size_t i = 0; i < d->nnotes; i++) {
		free(d->notes[i]->text);
		free(d->notes[i]);
	}
	free(d->notes);
	for (size_t i = 0; i < d->nxtics; i++) {
		free(d->xtics[i]->label);
		free(d->xtics[i]);
	}
	free(d->xtics);
	for (size_t i = 0; i < d->nytics; i++) {
		free(d->ytics[i]->label);
		free(d->ytics[i]);
	}
	free(d->ytics);
	for (int k = 0; k < d->npanels; k++)
		free(d->panel[k].ylabel);
	plot_desc_init(d);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void plot_set_text(char **field, const char *s)
{
	char *copy = dup_or_null(s);
	free(*field);
	*field = copy;
}

static double *dup_nums(const double *v, size_t n)
{
	double *p;

	if (!v)
		return NULL;
	p = xcalloc(n ? n : 1, sizeof(*p));
	if (n)
		memcpy(p, v, n * sizeof(*p));
	return p;
}

/* Append one element to a pointer array; returns the element. */
#define PUSH(arr, n, cap, elem) do { \
		(arr) = xgrow((arr), &(cap), (n) + 1, sizeof(*(arr))); \
		(arr)[(n)++] = (elem); \
	} while (0)

struct plot_series *plot_add_series(struct plot_desc *d, enum plot_style style,
				    const char *label, const double *x,
				    const double *y, size_t n)
{
	struct plot_series *s = xcalloc(1, sizeof(*s));

	s->style = style;
	s->axis = PLOT_Y1;
	s->label = dup_or_null(label);
	s->n = n;
	s->x = dup_nums(x, n);
	s->y = dup_nums(y, n);
	PUSH(d->series, d->nseries, d->series_cap, s);
	return s;
}

struct plot_series *plot_add_band(struct plot_desc *d, const char *label,
				  const double *x, const double *lo,
				  const double *hi, size_t n)
{
	struct plot_series *s = plot_add_series(d, PLOT_BAND, label, x, lo, n);
	s->y2 = dup_nums(hi, n);
	return s;
}

void plot_series_point_text(struct plot_series *s, const char *const *text)
{
	free_texts(s->point_text, s->n);
	s->point_text = NULL;
	if (!text)
		return;
	s->point_text = xcalloc(s->n ? s->n : 1, sizeof(char *));
	for (size_t i = 0; i < s->n; i++)
		s->point_text[i] = dup_or_null(text[i]);
}

static struct plot_marker *add_marker(struct plot_desc *d, int horizontal, double at,
				      const char *label)
{
	struct plot_marker *m = xcalloc(1, sizeof(*m));

	m->horizontal = horizontal;
	m->at = at;
	m->label = dup_or_null(label);
	PUSH(d->markers, d->nmarkers, d->markers_cap, m);
	return m;
}

struct plot_marker *plot_add_xmarker(struct plot_desc *d, double x, const char *label)
{
	return add_marker(d, 0, x, label);
}

struct plot_marker *plot_add_ymarker(struct plot_desc *d, double y, const char *label)
{
	return add_marker(d, 1, y, label);
}

struct plot_span *plot_add_span(struct plot_desc *d, double x0, double x1, const char *label)
{
	struct plot_span *s = xcalloc(1, sizeof(*s));

	s->x0 = x0;
	s->x1 = x1;
	s->label = dup_or_null(label);
	PUSH(d->spans, d->nspans, d->spans_cap, s);
	return s;
}

struct plot_note *plot_add_note(struct plot_desc *d, double x, double y, int graph,
				const char *text)
{
	struct plot_note *nt = xcalloc(1, sizeof(*nt));

	nt->x = x;
	nt->y = y;
	nt->graph = graph;
	nt->text = dup_or_null(text);
	PUSH(d->notes, d->nnotes, d->notes_cap, nt);
	return nt;
}

struct plot_tic *plot_add_xtic(struct plot_desc *d, double x, const char *label)
{
	struct plot_tic *t = xcalloc(1, sizeof(*t));

	t->at = x;
	t->label = dup_or_null(label);
	PUSH(d->xtics, d->nxtics, d->xtics_cap, t);
	return t;
}

struct plot_tic *plot_add_ytic(struct plot_desc *d, double y, const char *label)
{
	struct plot_tic *t = xcalloc(1, sizeof(*t));

	t->at = y;
	t->label = dup_or_null(label);
	PUSH(d->ytics, d->nytics, d->ytics_cap, t);
	return t;
}

int plot_add_panel(struct plot_desc *d, const char *ylabel)
{
	struct plot_panel *p;

	if (d->npanels >= PLOT_MAX_PANELS)
		return -1;
	p = &d->panel[d->npanels];
	memset(p, 0, sizeof(*p));
	p->ylabel = dup_or_null(ylabel);
	p->ymin = p->ymax = NAN;
	p->yfmt = PLOT_FMT_AUTO;
	p->key = PLOT_KEY_TOP_LEFT;
	return d->npanels++;
}

char *plot_group_number(double v, int decimals, char *buf, size_t size)
{
	char raw[64];
	const char *p = raw;
	size_t intlen = 0, o = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 10)
		decimals = 10;
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		memmove(raw, raw + 1, strlen(raw));	/* never "-0" */
	if (*p == '-' && o + 1 < size)
		buf[o++] = *p++;
	while (p[intlen] >= '0' && p[intlen] <= '9')
		intlen++;
	for (size_t i = 0; i < intlen && o + 2 < size; i++) {
		if (i && (intlen - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = p[i];
	}
	snprintf(buf + o, size - o, "%s", p + intlen);
	return buf;
}

double plot_time_of_month(long yyyymm)
{
	return 86400.0 * (double)tc_days_of(yyyymm * 100 + 1);
}

double plot_time_of_date(long yyyymmdd)
{
	return 86400.0 * (double)tc_days_of(yyyymmdd);
}

double plot_year_of_month(long yyyymm)
{
	return tc_year_of_month(yyyymm);
}
