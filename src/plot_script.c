/*
** plot_script.c: plot descriptions (built with plot_desc.c) -> gnuplot
** scripts: the text checks, the $TXT datablock, the checks of a
** description and the command emission.  Pure: no I/O, no globals, no
** process.  The safety rules are in plot.h and
** docs/plotting.md; the short version is that user text only ever
** becomes a line of the datablock $TXT, and numbers only ever become
** %.17g fields of $DATA or of a command.
*/
#include "tocalc/plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* text checks                                                          */

int plot_text_check(const char *s, const char *what, struct tc_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i = 0;

	if (!s)
		return 0;
	n = strlen(s);
	if (n > PLOT_TEXT_MAX)
		return tc_fail(err, "%s: longer than %d bytes", what, PLOT_TEXT_MAX);
	while (i < n) {
		unsigned c = p[i];
		unsigned long cp;
		size_t len = tc_utf8_len(p + i, n - i, &cp);

		if (!len)
			return tc_fail(err, "%s: invalid UTF-8 at byte %zu", what, i + 1);
		if (c < 0x80) {	/* no tab either: plot text is one line */
			if (c < 0x20 || c == 0x7f)
				return tc_fail(err, "%s: control character 0x%02x at byte %zu is not allowed in plot text",
					       what, c, i + 1);
			i++;
			continue;
		}
		/* C1 controls; U+FFFE/U+FFFF are not allowed in XML (SVG) */
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
			return tc_fail(err, "%s: control character U+%04lX at byte %zu is not allowed in plot text",
				       what, cp, i + 1);
		i += len;
	}
	return 0;
}

int plot_output_name_ok(const char *path)
{
	if (!path || !*path || !strcmp(path, "-") || path[0] == '|')
		return 0;
	for (const char *c = path; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '/' || *c == '-'))
			return 0;
	return 1;
}

static const char *const term_names[] = { "svg", "png", "pdf" };

int plot_term_parse(const char *name, enum plot_term *t)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(term_names); i++)
		if (name && !strcasecmp(name, term_names[i])) {
			*t = (enum plot_term)i;
			return 0;
		}
	return -1;
}

int plot_term_from_path(const char *path, enum plot_term *t)
{
	const char *slash, *dot;

	if (!path)
		return -1;
	slash = strrchr(path, '/');
	dot = strrchr(slash ? slash : path, '.');
	if (!dot)
		return -1;
	return plot_term_parse(dot + 1, t);
}

const char *plot_term_name(enum plot_term t)
{
	return (unsigned)t < TC_ARRAY_SIZE(term_names) ? term_names[t] : "?";
}

/*
** The script is built in a struct strbuf (util.c).  Every strbuf_addf
** below passes a format that is a string literal and arguments that are
** numbers, $TXT indices or constant strings of this file: never user text.
*/

/* A number for $DATA: %.17g (C locale; exact), or NaN for a missing value. */
static const char *num(char *buf, double v)
{
	if (isnan(v))
		return "NaN";
	snprintf(buf, 32, "%.17g", v);
	return buf;
}

/*
** A number for a command (a position, a range): the shortest of %.15g,
** %.16g and %.17g that reads back as the same double, so 0.9 stays
** "0.9" in the script and is still exact.
*/
static const char *cnum(char *buf, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* the text table                                                       */

struct txt {
	char **lines;		/* owned copies (tic labels are escaped) */
	size_t n, cap;
};

static void txt_release(struct txt *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	t->lines = NULL;
	t->n = t->cap = 0;
}

/*
** Check `s` and append it; returns its 1-based $TXT index, 0 for no
** text (NULL or ""), -1 with err filled for refused text.
*/
static long txt_add(struct txt *t, const char *s, const char *what, int tic,
		    struct tc_err *err)
{
	char *line;

	if (!s || !*s)
		return 0;
	if (plot_text_check(s, what, err))
		return -1;
	if (tic) {
		/*
		** gnuplot uses an explicit tic label containing '%' as a
		** format for the tic position ("%n" is even an error), so
		** tic labels are stored with every '%' doubled.
		*/
		struct strbuf sb = STRBUF_INIT;
		for (const char *c = s; *c; c++) {
			strbuf_add(&sb, c, 1);
			if (*c == '%')
				strbuf_add(&sb, "%", 1);
		}
		line = strbuf_detach(&sb, NULL);
	} else {
		line = xstrdup(s);
	}
	t->lines = xgrow(t->lines, &t->cap, t->n + 1, sizeof(*t->lines));
	t->lines[t->n++] = line;
	return (long)t->n;
}

/*
** gnuplot ends a datablock at the first line that *starts with* the
** terminator (strncmp over the terminator's length), so pick one that
** no text line starts with: TOCALC_TEXT_END, then _1, _2, ...
*/
static void choose_terminator(const struct txt *t, char *buf, size_t size)
{
	for (unsigned long k = 0;; k++) {
		size_t len;
		int clash = 0;

		if (k == 0)
			snprintf(buf, size, "TOCALC_TEXT_END");
		else
			snprintf(buf, size, "TOCALC_TEXT_END_%lu", k);
		len = strlen(buf);
		for (size_t i = 0; i < t->n && !clash; i++)
			clash = !strncmp(t->lines[i], buf, len);
		if (!clash)
			return;
	}
}

/* ------------------------------------------------------------------ */
/* validation                                                           */

static int finite_or_auto(double v)
{
	return isnan(v) || isfinite(v);
}

static int check_range(const char *axis, double lo, double hi, struct tc_err *err)
{
	if (!finite_or_auto(lo) || !finite_or_auto(hi))
		return tc_fail(err, "plot %s range is not finite", axis);
	if (!isnan(lo) && !isnan(hi) && !(lo < hi))
		return tc_fail(err, "plot %s range is empty: %g .. %g", axis, lo, hi);
	return 0;
}

static int check_name(const char *name, struct tc_err *err)
{
	size_t n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n == 0 || n > 40 || !((name[0] >= 'A' && name[0] <= 'Z') ||
				  (name[0] >= 'a' && name[0] <= 'z')))
		return tc_fail(err, "plot name must be an identifier of at most 40 characters");
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return tc_fail(err, "plot name must be an identifier of at most 40 characters");
	}
	return 0;
}

static int check_desc(const struct plot_desc *d, struct tc_err *err)
{
	int any = 0;

	if (check_name(d->name, err))
		return -1;
	if (d->width < 100 || d->width > 10000 || d->height < 100 || d->height > 10000)
		return tc_fail(err, "plot size %dx%d is outside 100..10000 pixels", d->width, d->height);
	if ((unsigned)d->xaxis > PLOT_X_DATE || (unsigned)d->key > PLOT_KEY_NONE ||
	    (unsigned)d->yfmt > PLOT_FMT_PERCENT || (unsigned)d->y2fmt > PLOT_FMT_PERCENT)
		return tc_fail(err, "plot description has an unknown axis, key or format setting");
	if (check_range("x", d->xmin, d->xmax, err) || check_range("y", d->ymin, d->ymax, err) ||
	    check_range("y2", d->y2min, d->y2max, err))
		return -1;
	if (d->ylog && ((!isnan(d->ymin) && d->ymin <= 0) || (!isnan(d->ymax) && d->ymax <= 0)))
		return tc_fail(err, "a logarithmic y axis needs a positive range");
	if (d->nseries == 0)
		return tc_fail(err, "nothing to plot: the plot has no series");
	if (d->npanels < 0 || d->npanels > PLOT_MAX_PANELS)
		return tc_fail(err, "plot description has %d panels; at most %d", d->npanels, PLOT_MAX_PANELS);
	if (d->npanels && (d->ylog || d->nytics))
		return tc_fail(err, "a logarithmic y axis and explicit y tics need a single panel");
	if (d->rmargin < 0 || d->rmargin > 60 || d->lmargin < 0 || d->lmargin > 60)
		return tc_fail(err, "plot margins are outside 0..60 characters");
	for (int k = 0; k < d->npanels; k++) {
		const struct plot_panel *pn = &d->panel[k];
		if (check_range("y", pn->ymin, pn->ymax, err))
			return tc_err_prefix(err, "panel %d", k + 1);
		if ((unsigned)pn->yfmt > PLOT_FMT_PERCENT || (unsigned)pn->key > PLOT_KEY_NONE ||
		    !(pn->weight >= 0 && pn->weight <= 100))
			return tc_fail(err, "panel %d: unknown format or key, or weight out of range", k + 1);
	}
	for (size_t i = 0; i < d->nytics; i++)
		if (!isfinite(d->ytics[i]->at))
			return tc_fail(err, "y tic %zu: position is not a finite number", i + 1);
	for (size_t k = 0; k < d->nseries; k++) {
		const struct plot_series *s = d->series[k];

		if ((unsigned)s->style > PLOT_BARS || (unsigned)s->axis > PLOT_Y2)
			return tc_fail(err, "series %zu: unknown style or axis", k + 1);
		if (s->panel < 0 || s->panel >= (d->npanels ? d->npanels : 1))
			return tc_fail(err, "series %zu: no panel %d", k + 1, s->panel + 1);
		if (s->axis == PLOT_Y2 && d->npanels)
			return tc_fail(err, "series %zu: a second y axis in a panel; give the series a panel "
				       "of its own", k + 1);
		if (s->n == 0 || !s->x || !s->y)
			return tc_fail(err, "series %zu has no points", k + 1);
		if (s->style == PLOT_BAND && !s->y2)
			return tc_fail(err, "series %zu: a band needs lower and upper values", k + 1);
		if (!(s->width >= 0 && s->width <= 20) || s->dash < 0 || s->dash > 20 ||
		    s->point < 0 || s->point > 20 || !(s->bar_width >= 0 && isfinite(s->bar_width)))
			return tc_fail(err, "series %zu: line width, dash, point or bar width out of range", k + 1);
		for (size_t i = 0; i < s->n; i++) {
			if (!isfinite(s->x[i]))
				return tc_fail(err, "series %zu: x value %zu is not a finite number", k + 1, i + 1);
			if (!finite_or_auto(s->y[i]) || (s->y2 && !finite_or_auto(s->y2[i])))
				return tc_fail(err, "series %zu: y value %zu is infinite", k + 1, i + 1);
			if (!isnan(s->y[i]) && (!s->y2 || !isnan(s->y2[i]))) {
				any = 1;
				if (d->ylog && s->axis == PLOT_Y1 &&
				    (s->y[i] <= 0 || (s->y2 && s->y2[i] <= 0)))
					return tc_fail(err, "series %zu: value %zu is not positive on a logarithmic axis",
						       k + 1, i + 1);
			}
		}
	}
	if (!any)
		return tc_fail(err, "nothing to plot: every y value is missing");
	for (size_t i = 0; i < d->nmarkers; i++)
		if (!isfinite(d->markers[i]->at) || d->markers[i]->dash < 0 || d->markers[i]->dash > 20)
			return tc_fail(err, "marker %zu: position is not a finite number", i + 1);
	for (size_t i = 0; i < d->nspans; i++)
		if (!isfinite(d->spans[i]->x0) || !isfinite(d->spans[i]->x1))
			return tc_fail(err, "span %zu: limits are not finite numbers", i + 1);
	for (size_t i = 0; i < d->nnotes; i++)
		if (!isfinite(d->notes[i]->x) || !isfinite(d->notes[i]->y))
			return tc_fail(err, "note %zu: position is not a finite number", i + 1);
	for (size_t i = 0; i < d->nxtics; i++)
		if (!isfinite(d->xtics[i]->at))
			return tc_fail(err, "x tic %zu: position is not a finite number", i + 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* script                                                               */

/* Okabe-Ito colour-blind-safe palette, in order of use. */
static const unsigned palette[] = {
	0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00, 0x56b4e9, 0x000000, 0x999999
};

static unsigned pick_color(unsigned color, size_t *next)
{
	if (color & 0x1000000u)
		return color & 0xffffffu;
	return palette[(*next)++ % TC_ARRAY_SIZE(palette)];
}

/* Text indices of everything, assigned before any output. */
struct text_ids {
	long title, xlabel, ylabel, y2label, footnote, footnote2;
	long *series;		/* per series: legend entry */
	long **points;		/* per series: per point (or NULL) */
	long *markers, *spans, *notes, *tics, *ytics;
	long panel_ylabel[PLOT_MAX_PANELS];
};

static void ids_release(struct text_ids *ids, const struct plot_desc *d)
{
	if (ids->points)
		for (size_t k = 0; k < d->nseries; k++)
			free(ids->points[k]);
	free(ids->points);
	free(ids->series);
	free(ids->markers);
	free(ids->spans);
	free(ids->notes);
	free(ids->tics);
	free(ids->ytics);
}

static int collect_text(const struct plot_desc *d, struct txt *t, struct text_ids *ids,
			struct tc_err *err)
{
	char what[64];

	if ((ids->title = txt_add(t, d->title, "plot title", 0, err)) < 0 ||
	    (ids->xlabel = txt_add(t, d->xlabel, "x axis label", 0, err)) < 0 ||
	    (ids->ylabel = txt_add(t, d->ylabel, "y axis label", 0, err)) < 0 ||
	    (ids->y2label = txt_add(t, d->y2label, "second y axis label", 0, err)) < 0 ||
	    (ids->footnote = txt_add(t, d->footnote, "footnote", 0, err)) < 0 ||
	    (ids->footnote2 = txt_add(t, d->footnote2, "second footnote line", 0, err)) < 0)
		return -1;
	ids->series = xcalloc(d->nseries, sizeof(long));
	ids->points = xcalloc(d->nseries, sizeof(long *));
	for (size_t k = 0; k < d->nseries; k++) {
		const struct plot_series *s = d->series[k];

		snprintf(what, sizeof(what), "legend entry %zu", k + 1);
		if ((ids->series[k] = txt_add(t, s->label, what, 0, err)) < 0)
			return -1;
		if (!s->point_text)
			continue;
		ids->points[k] = xcalloc(s->n, sizeof(long));
		for (size_t i = 0; i < s->n; i++) {
			snprintf(what, sizeof(what), "series %zu point label %zu", k + 1, i + 1);
			if ((ids->points[k][i] = txt_add(t, s->point_text[i], what, 0, err)) < 0)
				return -1;
		}
	}
	ids->markers = xcalloc(d->nmarkers ? d->nmarkers : 1, sizeof(long));
	for (size_t i = 0; i < d->nmarkers; i++) {
		snprintf(what, sizeof(what), "marker label %zu", i + 1);
		if ((ids->markers[i] = txt_add(t, d->markers[i]->label, what, 0, err)) < 0)
			return -1;
	}
	ids->spans = xcalloc(d->nspans ? d->nspans : 1, sizeof(long));
	for (size_t i = 0; i < d->nspans; i++) {
		snprintf(what, sizeof(what), "span label %zu", i + 1);
		if ((ids->spans[i] = txt_add(t, d->spans[i]->label, what, 0, err)) < 0)
			return -1;
	}
	ids->notes = xcalloc(d->nnotes ? d->nnotes : 1, sizeof(long));
	for (size_t i = 0; i < d->nnotes; i++) {
		snprintf(what, sizeof(what), "note %zu", i + 1);
		if ((ids->notes[i] = txt_add(t, d->notes[i]->text, what, 0, err)) < 0)
			return -1;
	}
	ids->tics = xcalloc(d->nxtics ? d->nxtics : 1, sizeof(long));
	for (size_t i = 0; i < d->nxtics; i++) {
		snprintf(what, sizeof(what), "x tic label %zu", i + 1);
		if ((ids->tics[i] = txt_add(t, d->xtics[i]->label, what, 1, err)) < 0)
			return -1;
	}
	ids->ytics = xcalloc(d->nytics ? d->nytics : 1, sizeof(long));
	for (size_t i = 0; i < d->nytics; i++) {
		snprintf(what, sizeof(what), "y tic label %zu", i + 1);
		if ((ids->ytics[i] = txt_add(t, d->ytics[i]->label, what, 1, err)) < 0)
			return -1;
	}
	for (int k = 0; k < d->npanels; k++) {
		snprintf(what, sizeof(what), "panel %d y axis label", k + 1);
		if ((ids->panel_ylabel[k] = txt_add(t, d->panel[k].ylabel, what, 0, err)) < 0)
			return -1;
	}
	return 0;
}

static void emit_terminal(struct strbuf *sb, const struct plot_desc *d, enum plot_term term)
{
	char a[32], b[32];

	switch (term) {
	case PLOT_TERM_SVG:
		strbuf_addf(sb, "set terminal svg size %d,%d fixed font 'DejaVu Sans,10' noenhanced "
			  "name '%s' background rgb '#ffffff'\n",
			  d->width, d->height, d->name ? d->name : "tocalc");
		break;
	case PLOT_TERM_PNG:
		strbuf_addf(sb, "set terminal pngcairo size %d,%d font 'DejaVu Sans,10' noenhanced "
			  "background rgb '#ffffff'\n", d->width, d->height);
		break;
	case PLOT_TERM_PDF:
		strbuf_addf(sb, "set terminal pdfcairo size %sin,%sin font 'DejaVu Sans,10' noenhanced "
			  "background rgb '#ffffff'\n",
			  cnum(a, d->width / 100.0), cnum(b, d->height / 100.0));
		break;
	}
}

/*
** One series' rows in $DATA.  A missing y is written as NaN (declared
** missing, so gnuplot skips the row); unless the series connects across
** gaps, a single blank line before the next present row breaks the line.
*/
static void emit_rows(struct strbuf *sb, const struct plot_series *s)
{
	char a[32], b[32], c[32];
	int seen = 0, gap = 0;

	for (size_t i = 0; i < s->n; i++) {
		int missing = isnan(s->y[i]) || (s->y2 && isnan(s->y2[i]));

		if (!missing) {
			if (gap && seen && !s->connect)
				strbuf_puts(sb, "\n");
			seen = 1;
			gap = 0;
		} else {
			gap = 1;
		}
		if (s->style == PLOT_BAND)
			strbuf_addf(sb, "%s %s %s\n", num(a, s->x[i]), num(b, s->y[i]), num(c, s->y2[i]));
		else if (s->style == PLOT_BARS)
			strbuf_addf(sb, "%s %s %s\n", num(a, s->x[i]), num(b, s->y[i]),
				  num(c, s->bar_width > 0 ? s->bar_width : 0.8));
		else
			strbuf_addf(sb, "%s %s\n", num(a, s->x[i]), num(b, s->y[i]));
	}
}

/* Does the series have a point label at a present value? */
static int has_labels(const struct plot_series *s, const long *ids)
{
	if (!ids)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (ids[i] > 0 && !isnan(s->y[i]))
			return 1;
	return 0;
}

/* Point labels: x, y and the $TXT index of the label. */
static void emit_label_rows(struct strbuf *sb, const struct plot_series *s, const long *ids)
{
	char a[32], b[32];

	for (size_t i = 0; i < s->n; i++)
		if (ids[i] > 0 && !isnan(s->y[i]))
			strbuf_addf(sb, "%s %s %ld\n", num(a, s->x[i]), num(b, s->y[i]), ids[i]);
}

static const char *fmt_cmd(enum plot_numfmt f)
{
	switch (f) {
	case PLOT_FMT_INTEGER:
		return "'%.0f'";
	case PLOT_FMT_PERCENT:
		return "'%.0f%%'";
	default:
		return NULL;
	}
}

static void emit_range(struct strbuf *sb, const char *axis, double lo, double hi)
{
	char a[32], b[32];

	if (isnan(lo) && isnan(hi))
		return;
	strbuf_addf(sb, "set %srange [%s:%s]\n", axis, isnan(lo) ? "*" : cnum(a, lo),
		  isnan(hi) ? "*" : cnum(b, hi));
}

/* Whole-year tic step for a PLOT_X_YEAR axis spanning [lo, hi]. */
static int year_step(const struct plot_desc *d)
{
	double lo = INFINITY, hi = -INFINITY, span;

	for (size_t k = 0; k < d->nseries; k++)
		for (size_t i = 0; i < d->series[k]->n; i++) {
			lo = fmin(lo, d->series[k]->x[i]);
			hi = fmax(hi, d->series[k]->x[i]);
		}
	if (!isnan(d->xmin))
		lo = d->xmin;
	if (!isnan(d->xmax))
		hi = d->xmax;
	span = hi - lo;
	if (span <= 12)
		return 1;
	if (span <= 30)
		return 2;
	if (span <= 60)
		return 5;
	if (span <= 150)
		return 10;
	return 0;
}

static const char *style_name(enum plot_style st)
{
	switch (st) {
	case PLOT_LINES:
		return "lines";
	case PLOT_POINTS:
		return "points";
	case PLOT_LINESPOINTS:
		return "linespoints";
	case PLOT_STEPS:
		return "steps";
	case PLOT_BAND:
		return "filledcurves";
	case PLOT_BARS:
		return "boxes";
	}
	return "lines";
}

/* ------------------------------------------------------------------ */
/* grouped tics                                                         */

/* Range of the values drawn on one y axis (panel, axis); bars reach 0. */
static void data_range(const struct plot_desc *d, int panel, enum plot_axis axis, double *lo,
		       double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t k = 0; k < d->nseries; k++) {
		const struct plot_series *s = d->series[k];
		if (s->panel != panel || s->axis != axis)
			continue;
		for (size_t i = 0; i < s->n; i++) {
			if (!isnan(s->y[i])) {
				*lo = fmin(*lo, s->y[i]);
				*hi = fmax(*hi, s->y[i]);
			}
			if (s->y2 && !isnan(s->y2[i])) {
				*lo = fmin(*lo, s->y2[i]);
				*hi = fmax(*hi, s->y2[i]);
			}
			if (s->style == PLOT_BARS) {
				*lo = fmin(*lo, 0);
				*hi = fmax(*hi, 0);
			}
		}
	}
}

static void x_data_range(const struct plot_desc *d, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t k = 0; k < d->nseries; k++)
		for (size_t i = 0; i < d->series[k]->n; i++) {
			*lo = fmin(*lo, d->series[k]->x[i]);
			*hi = fmax(*hi, d->series[k]->x[i]);
		}
}

/*
** Tics with thousands separators for an axis whose range reaches 10,000:
** the range [lo, hi] (NAN ends: the data's, rounded out to a tic), a step
** of 1, 2, 2.5 or 5 times a power of ten giving at most 8 intervals, and
** "set Ntics ('180,000' 180000, ...)" plus the range.  The labels are
** numbers printed here: digits, ',', '.' and '-' only.  Returns 0 when the
** axis is left to gnuplot (small numbers, no data, a log axis).
*/
static int emit_tics(struct strbuf *sb, const char *axis, double lo, double hi, double dlo,
		     double dhi, int maxint, int force, int percent);

static int emit_grouped_tics(struct strbuf *sb, const char *axis, double lo, double hi, double dlo,
			     double dhi)
{
	return emit_tics(sb, axis, lo, hi, dlo, dhi, 8, 0, 0);
}

/*
** The tics of an axis: at most maxint intervals; force = 1 also for small
** numbers (the short panels of a stack); percent = 1 adds "%" to labels.
*/
static int emit_tics(struct strbuf *sb, const char *axis, double lo, double hi, double dlo,
		     double dhi, int maxint, int force, int percent)
{
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	char a[32], b[32], lab[64];
	double l = isnan(lo) ? dlo : lo, h = isnan(hi) ? dhi : hi, raw, mag, step = 0;
	int dec = 0, first = 1;

	if (!isfinite(l) || !isfinite(h) || (!force && fmax(fabs(l), fabs(h)) < 9999.5))
		return 0;
	if (!(h > l))
		h = l + fmax(1, fabs(l) * 0.1);
	raw = (h - l) / (maxint > 0 ? maxint : 8);
	mag = pow(10, floor(log10(raw)));
	for (size_t i = 0; i < TC_ARRAY_SIZE(mult); i++)
		if (mult[i] * mag >= raw * (1 - 1e-12)) {
			step = mult[i] * mag;
			break;
		}
	if (step < 1) {
		dec = (int)ceil(-log10(step) - 1e-9);
		if (fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-9)
			dec++;
	}
	if (isnan(lo))
		l = floor(l / step + 1e-9) * step;
	if (isnan(hi))
		h = ceil(h / step - 1e-9) * step;
	strbuf_addf(sb, "set %stics (", axis);
	for (double t = ceil(l / step - 1e-9) * step; t <= h + step * 1e-9; t += step) {
		double v = fabs(t) < step * 1e-9 ? 0 : t;
		strbuf_addf(sb, "%s'%s%s' %s", first ? "" : ", ", plot_group_number(v, dec, lab, sizeof(lab)),
			  percent ? "%%" : "", cnum(a, v));
		first = 0;
	}
	strbuf_puts(sb, ")\n");
	strbuf_addf(sb, "set %srange [%s:%s]\n", axis, cnum(a, l), cnum(b, h));
	return 1;
}

static void emit_key(struct strbuf *sb, enum plot_key key)
{
	switch (key) {
	case PLOT_KEY_TOP_LEFT:
		strbuf_puts(sb, "set key top left Left reverse noenhanced\n");
		break;
	case PLOT_KEY_TOP_RIGHT:
		strbuf_puts(sb, "set key top right noenhanced\n");
		break;
	case PLOT_KEY_BOTTOM_LEFT:
		strbuf_puts(sb, "set key bottom left Left reverse noenhanced\n");
		break;
	case PLOT_KEY_BOTTOM_RIGHT:
		strbuf_puts(sb, "set key bottom right noenhanced\n");
		break;
	case PLOT_KEY_BELOW:
		strbuf_puts(sb, "set key below center horizontal noenhanced\n");
		break;
	case PLOT_KEY_NONE:
		strbuf_puts(sb, "unset key\n");
		break;
	}
}

/* The x tic format; labels = 0 blanks them (the upper panels of a stack). */
static void emit_xformat(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids,
			 int labels, int grouped)
{
	char a[32];

	switch (d->xaxis) {
	case PLOT_X_NUMBER:
		if (!labels && !d->nxtics)
			strbuf_puts(sb, "set format x ''\n");
		break;
	case PLOT_X_YEAR: {
		int step = d->nxtics ? 0 : year_step(d);
		if (step)
			strbuf_addf(sb, "set xtics %d\n", step);
		strbuf_puts(sb, labels ? "set format x '%.0f'\n" : "set format x ''\n");
		break;
	}
	case PLOT_X_MONTH:
		strbuf_addf(sb, "set xtics time\nset format x '%s' timedate\n", labels ? "%Y-%m" : "");
		break;
	case PLOT_X_DATE:
		strbuf_addf(sb, "set xtics time\nset format x '%s' timedate\n", labels ? "%Y-%m-%d" : "");
		break;
	}
	if (d->nxtics) {
		/* labels were stored with '%' doubled: gnuplot formats them */
		strbuf_puts(sb, "set xtics (");
		for (size_t i = 0; i < d->nxtics; i++) {
			if (i)
				strbuf_puts(sb, ", ");
			if (ids->tics[i] && labels)
				strbuf_addf(sb, "$TXT[%ld] %s", ids->tics[i], cnum(a, d->xtics[i]->at));
			else
				strbuf_addf(sb, "'' %s", cnum(a, d->xtics[i]->at));
		}
		strbuf_puts(sb, ")\n");
	}
	(void)grouped;
}

/* Spans, markers and notes of one panel (panel < 0: the single plot). */
static void emit_decorations(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids,
			     int panel, int *tag)
{
	char a[32], b[32];
	int top = panel <= 0;

	for (size_t i = 0; i < d->nspans; i++) {
		const struct plot_span *s = d->spans[i];
		size_t none = 0;
		unsigned c = (s->color & 0x1000000u) ? pick_color(s->color, &none) : 0xeeeeee;

		strbuf_addf(sb, "set object %zu rect from %s, graph 0 to %s, graph 1 back "
			  "fc rgb '#%06x' fs solid 1.0 noborder\n",
			  i + 1, cnum(a, s->x0), cnum(b, s->x1), c);
		if (ids->spans[i] && top)
			strbuf_addf(sb, "set label %d $TXT[%ld] at %s, graph 0.02 left offset 0.5,0.5 "
				  "tc rgb '#555555' noenhanced\n", ++*tag, ids->spans[i], cnum(a, s->x0));
	}
	for (size_t i = 0; i < d->nmarkers; i++) {
		const struct plot_marker *m = d->markers[i];
		size_t none = 0;
		unsigned c = (m->color & 0x1000000u) ? pick_color(m->color, &none) : 0x666666;
		int dash = m->dash ? m->dash : 2;

		if (!m->horizontal) {
			strbuf_addf(sb, "set arrow %zu from %s, graph 0 to %s, graph 1 nohead back "
				  "lc rgb '#%06x' lw 1 dt %d\n",
				  i + 1, cnum(a, m->at), cnum(b, m->at), c, dash);
			if (ids->markers[i] && top)
				strbuf_addf(sb, "set label %d $TXT[%ld] at %s, graph 0.98 rotate by 90 right "
					  "offset -0.6,0 tc rgb '#%06x' noenhanced front\n",
					  ++*tag, ids->markers[i], cnum(a, m->at), c);
		} else if (panel < 0 || m->panel == panel) {
			strbuf_addf(sb, "set arrow %zu from graph 0, first %s to graph 1, first %s nohead back "
				  "lc rgb '#%06x' lw 1 dt %d\n",
				  i + 1, cnum(a, m->at), cnum(b, m->at), c, dash);
			if (ids->markers[i])
				strbuf_addf(sb, "set label %d $TXT[%ld] at graph 0.01, first %s left "
					  "offset 0,0.6 tc rgb '#%06x' noenhanced front\n",
					  ++*tag, ids->markers[i], cnum(a, m->at), c);
		}
	}
	for (size_t i = 0; i < d->nnotes; i++) {
		const struct plot_note *nt = d->notes[i];

		if (!ids->notes[i] || (panel >= 0 && nt->panel != panel))
			continue;
		strbuf_addf(sb, "set label %d $TXT[%ld] at %s %s, %s %s %s noenhanced front\n",
			  ++*tag, ids->notes[i], nt->graph || nt->xgraph ? "graph" : "first", cnum(a, nt->x),
			  nt->graph ? "graph" : "first", cnum(b, nt->y), nt->right ? "right" : "left");
	}
}

/* The plot command of the series of one panel (panel < 0: all series). */
static void emit_plot(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids,
		      int panel, size_t *pal)
{
	char a[32];
	size_t block = d->nseries;
	int n = 0;

	strbuf_puts(sb, "plot ");
	for (size_t k = 0; k < d->nseries; k++) {
		const struct plot_series *s = d->series[k];
		unsigned c = pick_color(s->color, pal);
		double lw = s->width > 0 ? s->width : 2;
		const char *axes = s->axis == PLOT_Y2 ? "x1y2" : "x1y1";

		if (panel >= 0 && s->panel != panel)
			continue;
		if (n++)
			strbuf_puts(sb, ", \\\n     ");
		strbuf_addf(sb, "$DATA index %zu using %s axes %s ", k,
			  s->style == PLOT_BAND || s->style == PLOT_BARS ? "1:2:3" : "1:2", axes);
		if (ids->series[k])
			strbuf_addf(sb, "title $TXT[%ld] noenhanced ", ids->series[k]);
		else
			strbuf_puts(sb, "notitle ");
		strbuf_addf(sb, "with %s", style_name(s->style));
		switch (s->style) {
		case PLOT_BAND:
			strbuf_addf(sb, " fs transparent solid 0.25 noborder lc rgb '#%06x'", c);
			break;
		case PLOT_BARS:
			strbuf_addf(sb, " fs solid 0.85 noborder lc rgb '#%06x'", c);
			break;
		case PLOT_POINTS:
			strbuf_addf(sb, " pt %d ps %s lc rgb '#%06x'", s->point ? s->point : 7,
				  cnum(a, s->width > 0 ? s->width : 0.8), c);
			break;
		case PLOT_LINESPOINTS:
			strbuf_addf(sb, " lw %s dt %d pt %d ps 0.6 lc rgb '#%06x'", cnum(a, lw),
				  s->dash ? s->dash : 1, s->point ? s->point : 7, c);
			break;
		default:
			strbuf_addf(sb, " lw %s dt %d lc rgb '#%06x'", cnum(a, lw), s->dash ? s->dash : 1, c);
			break;
		}
	}
	for (size_t k = 0; k < d->nseries; k++) {
		const struct plot_series *s = d->series[k];

		if (!has_labels(s, ids->points[k]))
			continue;
		if (panel < 0 || s->panel == panel)
			strbuf_addf(sb, ", \\\n     $DATA index %zu using 1:2:($TXT[int($3)]) axes %s notitle "
				  "with labels left offset 0.6,0.4 noenhanced", block,
				  s->axis == PLOT_Y2 ? "x1y2" : "x1y1");
		block++;
	}
	strbuf_puts(sb, "\n");
}

static void emit_ytics_list(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids)
{
	char a[32];

	strbuf_puts(sb, "set ytics (");
	for (size_t i = 0; i < d->nytics; i++) {
		if (i)
			strbuf_puts(sb, ", ");
		if (ids->ytics[i])
			strbuf_addf(sb, "$TXT[%ld] %s", ids->ytics[i], cnum(a, d->ytics[i]->at));
		else
			strbuf_addf(sb, "'' %s", cnum(a, d->ytics[i]->at));
	}
	strbuf_puts(sb, ")\n");
}

static void emit_single(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids)
{
	int has_y2 = 0, tag = 0, ygrouped = 0, y2grouped = 0, xgrouped = 0;
	size_t pal = 0;
	const char *f;
	double lo, hi;

	for (size_t k = 0; k < d->nseries; k++)
		if (d->series[k]->axis == PLOT_Y2)
			has_y2 = 1;

	strbuf_puts(sb, "set datafile missing 'NaN'\n");
	strbuf_addf(sb, "set border %d front lc rgb '#404040' lw 1\n", has_y2 ? 11 : 3);
	strbuf_puts(sb, "set tics nomirror out scale 0.6\n");
	strbuf_puts(sb, d->nytics ? "set grid xtics ytics back lt 1 lc rgb '#e0e0e0' lw 1\n"
		: "set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1\n");
	emit_key(sb, d->key);
	if (d->lmargin)
		strbuf_addf(sb, "set lmargin %d\n", d->lmargin);
	if (d->rmargin)
		strbuf_addf(sb, "set rmargin %d\n", d->rmargin);
	if (ids->title)
		strbuf_addf(sb, "set title $TXT[%ld] noenhanced\n", ids->title);
	if (ids->xlabel)
		strbuf_addf(sb, "set xlabel $TXT[%ld] noenhanced\n", ids->xlabel);
	if (ids->ylabel)
		strbuf_addf(sb, "set ylabel $TXT[%ld] noenhanced\n", ids->ylabel);
	if (has_y2) {
		strbuf_puts(sb, "set y2tics nomirror out scale 0.6\n");
		if (ids->y2label)
			strbuf_addf(sb, "set y2label $TXT[%ld] noenhanced\n", ids->y2label);
	}
	if (d->xaxis == PLOT_X_NUMBER && !d->nxtics) {
		x_data_range(d, &lo, &hi);
		xgrouped = emit_grouped_tics(sb, "x", d->xmin, d->xmax, lo, hi);
	}
	emit_xformat(sb, d, ids, 1, xgrouped);
	if (d->nytics) {
		emit_ytics_list(sb, d, ids);
	} else if (!d->ylog && d->yfmt != PLOT_FMT_PERCENT) {
		data_range(d, 0, PLOT_Y1, &lo, &hi);
		ygrouped = emit_grouped_tics(sb, "y", d->ymin, d->ymax, lo, hi);
	}
	if (!ygrouped && !d->nytics && (f = fmt_cmd(d->yfmt)))
		strbuf_addf(sb, "set format y %s\n", f);
	if (has_y2 && d->y2fmt != PLOT_FMT_PERCENT) {
		data_range(d, 0, PLOT_Y2, &lo, &hi);
		y2grouped = emit_grouped_tics(sb, "y2", d->y2min, d->y2max, lo, hi);
	}
	if (has_y2 && !y2grouped && (f = fmt_cmd(d->y2fmt)))
		strbuf_addf(sb, "set format y2 %s\n", f);
	if (d->ylog)
		strbuf_puts(sb, "set logscale y\n");
	if (!xgrouped)
		emit_range(sb, "x", d->xmin, d->xmax);
	if (!ygrouped)
		emit_range(sb, "y", d->ymin, d->ymax);
	if (has_y2 && !y2grouped)
		emit_range(sb, "y2", d->y2min, d->y2max);

	emit_decorations(sb, d, ids, -1, &tag);
	if (ids->footnote2) {
		strbuf_addf(sb, "set bmargin %d\n", ids->xlabel ? 6 : 5);
		strbuf_addf(sb, "set label %d $TXT[%ld] at screen 0.01, screen 0.015 left "
			  "font ',8' tc rgb '#666666' noenhanced\n", ++tag, ids->footnote2);
	}
	if (ids->footnote)
		strbuf_addf(sb, "set label %d $TXT[%ld] at screen 0.01, screen %s left "
			  "font ',8' tc rgb '#666666' noenhanced\n", ++tag, ids->footnote,
			  ids->footnote2 ? "0.04" : "0.015");
	emit_plot(sb, d, ids, -1, &pal);
}

/*
** Stacked panels sharing the x axis (gnuplot multiplot with margins at
** fixed screen positions, so the panels line up): the title above the
** first, the x tic labels, x label and footnote under the last.
*/
static void emit_panels(struct strbuf *sb, const struct plot_desc *d, const struct text_ids *ids)
{
	char a[32], b[32];
	double W = d->width, H = d->height, total = 0;
	double top = 1 - 48.0 / H, gap = 18.0 / H;
	double bottom = ((ids->xlabel ? 70.0 : 56.0) + (ids->footnote2 ? 15.0 : 0)) / H;
	double left = (double)(d->lmargin ? d->lmargin * 8 + 20 : 92) / W;
	double right = 1 - (double)(d->rmargin ? d->rmargin * 8 + 12 : 24) / W;
	double y = top, avail;
	size_t pal = 0;
	int xgrouped = 0;
	double lo, hi;

	for (int k = 0; k < d->npanels; k++)
		total += d->panel[k].weight > 0 ? d->panel[k].weight : 1;
	avail = top - bottom - gap * (d->npanels - 1);

	strbuf_puts(sb, "set datafile missing 'NaN'\n");
	strbuf_puts(sb, "set border 3 front lc rgb '#404040' lw 1\n");
	strbuf_puts(sb, "set tics nomirror out scale 0.6\n");
	strbuf_puts(sb, "set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1\n");
	if (d->xaxis == PLOT_X_NUMBER && !d->nxtics) {
		x_data_range(d, &lo, &hi);
		xgrouped = emit_grouped_tics(sb, "x", d->xmin, d->xmax, lo, hi);
	}
	if (!xgrouped)
		emit_range(sb, "x", d->xmin, d->xmax);
	strbuf_addf(sb, "set lmargin at screen %s\n", cnum(a, left));
	strbuf_addf(sb, "set rmargin at screen %s\n", cnum(a, right));
	strbuf_puts(sb, "set multiplot\n");
	for (int k = 0; k < d->npanels; k++) {
		const struct plot_panel *pn = &d->panel[k];
		double h = avail * (pn->weight > 0 ? pn->weight : 1) / total;
		int last = k == d->npanels - 1, tag = 0, grouped = 0;
		const char *f;

		strbuf_addf(sb, "# panel %d\n", k + 1);
		strbuf_puts(sb, "unset label\nunset arrow\nunset object\nunset title\n");
		strbuf_addf(sb, "set tmargin at screen %s\n", cnum(a, y));
		strbuf_addf(sb, "set bmargin at screen %s\n", cnum(b, y - h));
		y -= h + gap;
		emit_key(sb, pn->key);
		if (ids->panel_ylabel[k])
			strbuf_addf(sb, "set ylabel $TXT[%ld] noenhanced\n", ids->panel_ylabel[k]);
		else
			strbuf_puts(sb, "unset ylabel\n");
		if (last && ids->xlabel)
			strbuf_addf(sb, "set xlabel $TXT[%ld] noenhanced\n", ids->xlabel);
		else
			strbuf_puts(sb, "unset xlabel\n");
		emit_xformat(sb, d, ids, last, xgrouped);
		if (xgrouped && !last)
			strbuf_puts(sb, "set format x ''\n");
		else if (xgrouped)
			strbuf_puts(sb, "set format x\n");
		strbuf_puts(sb, "set ytics autofreq\nset format y\n");
		{
			/* about one tic per 45 pixels of the panel's height */
			int maxint = (int)(h * H / 45);
			data_range(d, k, PLOT_Y1, &lo, &hi);
			grouped = emit_tics(sb, "y", pn->ymin, pn->ymax, lo, hi,
					    maxint < 4 ? 4 : maxint > 8 ? 8 : maxint, 1,
					    pn->yfmt == PLOT_FMT_PERCENT);
		}
		if (!grouped && (f = fmt_cmd(pn->yfmt)))
			strbuf_addf(sb, "set format y %s\n", f);
		if (!grouped) {
			strbuf_puts(sb, "set yrange [*:*]\n");
			emit_range(sb, "y", pn->ymin, pn->ymax);
		}
		emit_decorations(sb, d, ids, k, &tag);
		if (k == 0 && ids->title)
			strbuf_addf(sb, "set label %d $TXT[%ld] at screen %s, screen %s left "
				  "font ',12' noenhanced\n", ++tag, ids->title, cnum(a, left),
				  cnum(b, 1 - 22.0 / H));
		if (last && ids->footnote2)
			strbuf_addf(sb, "set label %d $TXT[%ld] at screen 0.01, screen 0.015 left "
				  "font ',8' tc rgb '#666666' noenhanced\n", ++tag, ids->footnote2);
		if (last && ids->footnote)
			strbuf_addf(sb, "set label %d $TXT[%ld] at screen 0.01, screen %s left "
				  "font ',8' tc rgb '#666666' noenhanced\n", ++tag, ids->footnote,
				  ids->footnote2 ? cnum(a, 0.015 + 15.0 / H) : "0.015");
		emit_plot(sb, d, ids, k, &pal);
	}
	strbuf_puts(sb, "unset multiplot\n");
}

static void emit_commands(struct strbuf *sb, const struct plot_desc *d,
			  const struct text_ids *ids)
{
	if (d->npanels)
		emit_panels(sb, d, ids);
	else
		emit_single(sb, d, ids);
}

int plot_script_build(const struct plot_desc *d, enum plot_term term, const char *output,
		      char **script, size_t *len, struct tc_err *err)
{
	struct txt t = { 0 };
	struct text_ids ids;
	struct strbuf sb = STRBUF_INIT;
	char term_txt[48];

	memset(&ids, 0, sizeof(ids));
	*script = NULL;
	*len = 0;
	if ((unsigned)term > PLOT_TERM_PDF) {
		tc_fail(err, "unknown plot terminal");
		goto fail;
	}
	if (check_desc(d, err) || collect_text(d, &t, &ids, err))
		goto fail;
	choose_terminator(&t, term_txt, sizeof(term_txt));

	strbuf_puts(&sb,
		"# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE\n"
		"# Every piece of text is one line of the datablock $TXT and every number\n"
		"# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).\n"
		"set encoding utf8\n");
	emit_terminal(&sb, d, term);
	if (!output)
		strbuf_puts(&sb, "# output: standard output\n");
	else if (plot_output_name_ok(output))
		strbuf_addf(&sb, "set output '%s'\n", output);	/* [A-Za-z0-9._/-] only */
	else
		strbuf_addf(&sb, "# No 'set output': the plot goes to standard output, so redirect it:\n"
			  "#   gnuplot -d THIS_FILE > PLOT.%s\n", plot_term_name(term));

	strbuf_addf(&sb, "$TXT << %s\n", term_txt);
	for (size_t i = 0; i < t.n; i++) {
		strbuf_puts(&sb, t.lines[i]);
		strbuf_puts(&sb, "\n");
	}
	strbuf_addf(&sb, "%s\n", term_txt);

	strbuf_puts(&sb, "$DATA << TOCALC_DATA_END\n");
	for (size_t k = 0; k < d->nseries; k++) {
		if (k)
			strbuf_puts(&sb, "\n\n");
		emit_rows(&sb, d->series[k]);
	}
	for (size_t k = 0; k < d->nseries; k++)
		if (has_labels(d->series[k], ids.points[k])) {
			strbuf_puts(&sb, "\n\n");
			emit_label_rows(&sb, d->series[k], ids.points[k]);
		}
	strbuf_puts(&sb, "TOCALC_DATA_END\n");

	emit_commands(&sb, d, &ids);

	ids_release(&ids, d);
	txt_release(&t);
	*script = strbuf_detach(&sb, len);
	return 0;
fail:
	ids_release(&ids, d);
	txt_release(&t);
	strbuf_release(&sb);
	return -1;
}
