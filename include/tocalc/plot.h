/*
** plot.h: plot descriptions, the gnuplot script builder and its runner.
**
** A caller (a recipe) fills a `struct plot_desc` with numbers and text,
** plot_script_build() turns it into a gnuplot script, and plot_run_file()
** / plot_run_buffer() run gnuplot on it.  plot_render() does all three
** for a command.
**
** Safety by construction (docs/plotting.md):
**   - every number is printed by us with %.17g into the datablock $DATA;
**   - every piece of text (titles, labels, legend entries, tic labels,
**     notes, file names) is one line of the datablock $TXT and commands
**     refer to it as $TXT[i] ... noenhanced; no text is ever part of a
**     command, a quoted string, a comment or a file name in the script;
**   - text with control characters, invalid UTF-8 or more than
**     PLOT_TEXT_MAX bytes is refused with an error naming the field;
**   - the $TXT terminator is chosen so that no text line starts with it
**     (gnuplot ends a datablock at the first line that *starts* with it);
**   - the output file is never named in the script: gnuplot writes to
**     its stdout, which the runner points at a temporary file that is
**     renamed into place only when gnuplot succeeded.
**
** Ownership: a plot_desc owns copies of everything it is given; the
** pointers returned by the plot_add_* functions stay valid until
** plot_desc_release() (elements are allocated one by one).
*/
#ifndef TOCALC_PLOT_H
#define TOCALC_PLOT_H

#include <stddef.h>
#include "tocalc/util.h"

/* Longest text (bytes of UTF-8) accepted in any text field. */
#define PLOT_TEXT_MAX 1000

/* An explicit colour: PLOT_RGB(0x0072b2).  0 means "next palette colour". */
#define PLOT_RGB(hex) (0x1000000u | ((unsigned)(hex) & 0xffffffu))

enum plot_term { PLOT_TERM_SVG, PLOT_TERM_PNG, PLOT_TERM_PDF };

enum plot_style {
	PLOT_LINES,
	PLOT_POINTS,
	PLOT_LINESPOINTS,
	PLOT_STEPS,	/* y holds from x[i] until x[i+1] (a rate in force) */
	PLOT_BAND,	/* filled band between y (lower) and y2 (upper) */
	PLOT_BARS	/* boxes of width bar_width centred on x */
};

enum plot_axis { PLOT_Y1, PLOT_Y2 };

enum plot_xaxis {
	PLOT_X_NUMBER,	/* plain numbers, automatic tics */
	PLOT_X_YEAR,	/* (decimal) years: tics on whole years, no decimals */
	PLOT_X_MONTH,	/* time axis, x = plot_time_of_month(); tics "YYYY-MM" */
	PLOT_X_DATE	/* time axis, x = plot_time_of_date(); tics "YYYY-MM-DD" */
};

enum plot_key {
	PLOT_KEY_TOP_LEFT,	/* default */
	PLOT_KEY_TOP_RIGHT,
	PLOT_KEY_BOTTOM_LEFT,
	PLOT_KEY_BOTTOM_RIGHT,
	PLOT_KEY_BELOW,		/* under the graph */
	PLOT_KEY_NONE
};

/*
** Tic labels.  On a linear axis whose range reaches 10,000 (AUTO and
** INTEGER), the builder chooses the tics itself (steps of 1, 2, 2.5 or 5
** times a power of ten) and writes their labels with thousands
** separators ("180,000"), whatever the locale of gnuplot or of the user;
** an automatic end of such a range is rounded out to a tic.
*/
enum plot_numfmt {
	PLOT_FMT_AUTO,		/* gnuplot's default (grouped from 10,000) */
	PLOT_FMT_INTEGER,	/* "%.0f" (grouped from 10,000) */
	PLOT_FMT_PERCENT	/* "%.0f%" (values already in percent) */
};

/* One plot has at most this many panels (stacked, sharing the x axis). */
#define PLOT_MAX_PANELS 4

/*
** A panel: one y axis of its own.  Figures never use two y axes on one
** panel (two scales invite a false reading of their crossings): a second
** quantity goes into a panel of its own, stacked under the first and
** sharing its x axis.
*/
struct plot_panel {
	char *ylabel;
	double ymin, ymax;	/* NAN = automatic */
	enum plot_numfmt yfmt;
	enum plot_key key;
	double weight;		/* relative height; 0 = 1 */
};

struct plot_series {
	enum plot_style style;
	enum plot_axis axis;
	char *label;		/* legend entry; NULL = not in the legend */
	size_t n;
	double *x, *y;		/* x finite; y finite or NAN (missing) */
	double *y2;		/* PLOT_BAND: upper edge; else NULL */
	char **point_text;	/* NULL, or n entries (NULL = no label): drawn beside points */
	unsigned color;		/* 0 = palette, else PLOT_RGB(...) */
	int dash;		/* 0 = solid, 2..5 = gnuplot dash types */
	double width;		/* line width; 0 = 2 (PLOT_POINTS: point size; 0 = 0.8) */
	int point;		/* gnuplot point type; 0 = 7 (filled circle) */
	double bar_width;	/* PLOT_BARS: width in x units; 0 = 0.8 */
	int connect;		/* 1: join lines across missing y; 0: leave a gap */
	int panel;		/* index of its panel (0 unless plot_add_panel was called) */
};

/* A vertical (x = at) or horizontal (y = at) reference line with a label. */
struct plot_marker {
	int horizontal;
	double at;
	char *label;		/* NULL = no label */
	unsigned color;		/* 0 = grey */
	int dash;		/* 0 = dashed (2) */
	int panel;		/* horizontal: its panel; vertical markers cross every panel,
				   labelled in panel 0 */
};

/* A shaded x interval, e.g. "provisional data". */
struct plot_span {
	double x0, x1;
	char *label;		/* drawn at the top left of the span; NULL = none */
	unsigned color;		/* 0 = light grey */
};

/* Free text at a position: data coordinates, or graph coordinates (0..1). */
struct plot_note {
	double x, y;
	int graph;
	char *text;
	int panel;
	int right;		/* 1: text ends at (x, y) instead of starting there */
	int xgraph;		/* 1: x in graph coordinates, y in data coordinates */
};

/* An explicit x tic (category names, chosen years).  Replaces automatic x tics. */
struct plot_tic {
	double at;
	char *label;
};

struct plot_desc {
	char *name;		/* identifier [A-Za-z][A-Za-z0-9_]*, SVG id prefix; NULL = "tocalc" */
	char *title, *xlabel, *ylabel, *y2label;
	char *footnote;		/* small text at the bottom left: the source line (publishers,
				   vintages; never a file name or a path) */
	char *footnote2;	/* a second line of it, drawn above; NULL = none */
	enum plot_xaxis xaxis;
	enum plot_key key;
	enum plot_numfmt yfmt, y2fmt;
	int ylog;		/* logarithmic y axis (single panel only) */
	int rmargin;		/* characters of room right of the graph; 0 = gnuplot's */
	int lmargin;		/* characters of room left of the graph; 0 = gnuplot's */
	double xmin, xmax, ymin, ymax, y2min, y2max;	/* NAN = automatic */
	int width, height;	/* pixels for svg/png; pdf: width/100 x height/100 inches */

	struct plot_series **series;
	size_t nseries, series_cap;
	struct plot_marker **markers;
	size_t nmarkers, markers_cap;
	struct plot_span **spans;
	size_t nspans, spans_cap;
	struct plot_note **notes;
	size_t nnotes, notes_cap;
	struct plot_tic **xtics;
	size_t nxtics, xtics_cap;
	struct plot_tic **ytics;	/* explicit y tics (category rows); single panel */
	size_t nytics, ytics_cap;

	/*
	** Panels: 0 = one panel described by ylabel, ymin, ymax, yfmt, key
	** above.  plot_add_panel() switches to stacked panels: then every
	** panel (the first included) is described by panel[k] and the fields
	** above are not used; the title, x axis and footnote are shared.
	*/
	struct plot_panel panel[PLOT_MAX_PANELS];
	int npanels;
};

/*
** The one default size of every figure (recipes, `plot series`, the
** report, svg and png alike): PLOT_WIDTH x PLOT_HEIGHT pixels.
*/
#define PLOT_WIDTH 960
#define PLOT_HEIGHT 600

/* Defaults: PLOT_WIDTH x PLOT_HEIGHT, x numbers, key top left, all ranges automatic. */
void plot_desc_init(struct plot_desc *d);
void plot_desc_release(struct plot_desc *d);

/* Replace a text field of the description (d->title, ...) with a copy of s (NULL clears). */
void plot_set_text(char **field, const char *s);

/*
** Add a series; x, y (and lo/hi) are copied, n may not be 0 when the
** script is built.  Style fields keep their defaults until changed.
*/
struct plot_series *plot_add_series(struct plot_desc *d, enum plot_style style,
				    const char *label, const double *x,
				    const double *y, size_t n);
struct plot_series *plot_add_band(struct plot_desc *d, const char *label,
				  const double *x, const double *lo,
				  const double *hi, size_t n);
/* Label points of a series: text has s->n entries, NULL entries are skipped. */
void plot_series_point_text(struct plot_series *s, const char *const *text);

struct plot_marker *plot_add_xmarker(struct plot_desc *d, double x, const char *label);
struct plot_marker *plot_add_ymarker(struct plot_desc *d, double y, const char *label);
struct plot_span *plot_add_span(struct plot_desc *d, double x0, double x1, const char *label);
struct plot_note *plot_add_note(struct plot_desc *d, double x, double y, int graph,
				const char *text);
struct plot_tic *plot_add_xtic(struct plot_desc *d, double x, const char *label);
struct plot_tic *plot_add_ytic(struct plot_desc *d, double y, const char *label);

/*
** Add a panel under the existing ones, with its y label; returns its
** index (0 for the first), or -1 when PLOT_MAX_PANELS are in use.
** Ranges start automatic, the format PLOT_FMT_AUTO, the key top left.
*/
int plot_add_panel(struct plot_desc *d, const char *ylabel);

/*
** "73,838": v with thousands separators and `decimals` decimals, in buf
** (at least 40 bytes); the C locale's digits whatever the environment.
*/
char *plot_group_number(double v, int decimals, char *buf, size_t size);

/* x values for the time axes (seconds since 1970-01-01 UTC) and decimal years. */
double plot_time_of_month(long yyyymm);
double plot_time_of_date(long yyyymmdd);
double plot_year_of_month(long yyyymm);	/* 2020-07 -> 2020.5 */

/*
** Check one text value: NULL is fine; otherwise at most PLOT_TEXT_MAX
** bytes of valid UTF-8 without control characters (C0, DEL, C1).
** `what` names the field in the message ("title", "legend entry 2").
*/
int plot_text_check(const char *s, const char *what, struct tc_err *err);

/* 1 when `path` may be named in a script: [A-Za-z0-9._/-]+, not "-". */
int plot_output_name_ok(const char *path);

/* Terminals: "svg" / "png" / "pdf", and the terminal implied by a file extension. */
int plot_term_parse(const char *name, enum plot_term *t);
int plot_term_from_path(const char *path, enum plot_term *t);
const char *plot_term_name(enum plot_term t);

/*
** Build the script for `term`.  `output` is NULL when the runner will
** capture gnuplot's stdout; for a script the user runs by hand it is the
** plot file to name in a `set output` line (only if plot_output_name_ok,
** otherwise a comment says to redirect stdout).
** On success *script (NUL-terminated, caller frees) and *len are set.
** Errors (code TC_EXIT_DATA) name the offending field.
*/
int plot_script_build(const struct plot_desc *d, enum plot_term term, const char *output,
		      char **script, size_t *len, struct tc_err *err);

/*
** Seconds gnuplot may run before its process group is killed and the run
** fails with TC_EXIT_TOOL ("did not finish within N seconds"); 0 = no
** limit.  Set once, by main() from `tocalc --gnuplot-timeout SECONDS`.
*/
#define PLOT_TIMEOUT_DEFAULT 60.0
void plot_run_set_timeout(double seconds);

/*
** Run `gnuplot -d /dev/stdin` on the script, with LC_ALL=C, gnuplot's
** stdout captured.  Failures have code TC_EXIT_TOOL: gnuplot missing
** ("gnuplot is not installed"), a non-zero exit or a signal (message
** includes gnuplot's stderr), the time limit, empty or malformed output.
** An SVG that is not well-formed XML (text gnuplot copied through, such as
** "]]>") is TC_EXIT_DATA.
** plot_run_file writes `path` atomically (the old file is kept on any
** failure); plot_run_buffer returns the bytes (caller frees *out).
** PDF creation dates are rewritten to D:19700101000000Z.
*/
int plot_run_file(const char *script, size_t len, enum plot_term term,
		  const char *path, struct tc_err *err);
int plot_run_buffer(const char *script, size_t len, enum plot_term term,
		    char **out, size_t *outlen, struct tc_err *err);


/*
** Build and render in one call, as `tocalc plot` does:
**   script_only: write the script to stdout (`path` only named in it);
**   path "-":    run gnuplot and copy the plot to stdout;
**   otherwise:   run gnuplot and write `path` atomically.
*/
int plot_render(const struct plot_desc *d, enum plot_term term, const char *path,
		int script_only, struct tc_err *err);

/* ------------------------------------------------------------------ */
/*
** Recipes (src/plot_recipe_table.c holds the table plot_recipes[]).
** A recipe is a pure function from the computed report (struct
** report_result, report.h) and the parsed flags to a description; it
** reads no file (except `series`, whose input is the user's --file) and
** computes nothing a table shows.  `tocalc plot NAME` runs the part of
** the run layer the recipe names (report_run(..., r->needs, ...)), then
** the recipe, then renders.  To add one:
**   1. write `int recipe_x(const struct plot_args *, const struct report_result *,
**      struct plot_desc *, struct tc_err *)` (a src/plot_recipe_*.c file);
**   2. declare it below and add { name, summary, PLOT_ARG_... mask, RR_... needs, fn }
**      to plot_recipes[] (the flags it accepts; others are usage errors);
**   3. if it needs a number the run layer does not compute yet, add it to
**      struct report_result and an RR_ bit (run_report.c);
**   4. if it needs a new flag, add a field to struct plot_args, a
**      PLOT_ARG_ bit and the option in cmd_plot.c.
*/
struct report_result;

struct plot_args {
	const char *file;	/* --file */
	const char *x, *y;	/* --x, --y: column names */
	const char *title;	/* --title (overrides the recipe's) */
	const char *xlabel;	/* --xlabel */
	const char *ylabel;	/* --ylabel */
	int joinpoint;		/* --joinpoint */
	const char *scenarios;	/* --scenarios DIR (scenarios recipe) */
	const char *source;	/* --source TEXT: the source line (every recipe) */
};

#define PLOT_ARG_FILE		0x01u
#define PLOT_ARG_X		0x02u
#define PLOT_ARG_Y		0x04u
#define PLOT_ARG_TITLE		0x08u
#define PLOT_ARG_XLABEL		0x10u
#define PLOT_ARG_YLABEL		0x20u
#define PLOT_ARG_JOINPOINT	0x40u
#define PLOT_ARG_SCENARIOS	0x80u
#define PLOT_ARG_SOURCE		0x100u
#define PLOT_ARG_STATE		0x200u	/* --state, --indicator, --vintage: report_result.sel */
#define PLOT_ARG_INDICATOR	0x400u
#define PLOT_ARG_VINTAGE	0x800u
#define PLOT_ARG_LAST		PLOT_ARG_VINTAGE

typedef int (*plot_recipe_fn)(const struct plot_args *a, const struct report_result *r,
			      struct plot_desc *d, struct tc_err *err);

struct plot_recipe {
	const char *name;
	const char *summary;
	unsigned args;		/* PLOT_ARG_* accepted */
	unsigned needs;		/* RR_* parts of the report result it reads (report.h) */
	plot_recipe_fn build;
};

extern const struct plot_recipe plot_recipes[];
extern const size_t plot_nrecipes;
const struct plot_recipe *plot_recipe_find(const char *name);

/* tocalc plot series: any user CSV as a line plot (src/plot_recipe_series.c). */
int plot_recipe_series(const struct plot_args *a, const struct report_result *r,
		       struct plot_desc *d, struct tc_err *err);

/*
** The figures of the report (src/plot_recipes.c; report.h lists them with
** their captions).  Pure: they read only the report result, which
** run_report.c computes with fixed seeds (report.h), no dates of the run.
*/
/* 1. US overdose deaths 1999-2024, joinpoint fits, provisional VSRR, policy events. */
int plot_recipe_overdose_deaths(const struct plot_args *a, const struct report_result *r,
				struct plot_desc *d, struct tc_err *err);
/* 2. VSRR 12 month-ending counts (top panel) and the tariff on China in force (bottom panel). */
int plot_recipe_vsrr_12mo(const struct plot_args *a, const struct report_result *r,
			  struct plot_desc *d, struct tc_err *err);
/* 3. Revenue (Laffer) and import curves for China, 0-300%, Monte Carlo 90% band. */
int plot_recipe_tariff_laffer(const struct plot_args *a, const struct report_result *r,
			      struct plot_desc *d, struct tc_err *err);
/* 4. The shipped scenarios (a->scenarios, default <share>/scenarios) side by side. */
int plot_recipe_scenarios(const struct plot_args *a, const struct report_result *r,
			  struct plot_desc *d, struct tc_err *err);
/* 5. Claimed against computed value of every checkable claim, by verdict. */
/*
** The figure of `tocalc overdose revisions -o FILE` (src/plot_recipe_revisions.c):
** n series of one VSRR series, one per kept vintage (oldest first), months
** from..to (yyyymm).  Fills an initialised d; -1 when fewer than two months.
*/
struct od_series;
int plot_revisions_desc(const struct od_series *ser, size_t n, long from, long to,
			struct plot_desc *d, struct tc_err *err);

int plot_recipe_claims(const struct plot_args *a, const struct report_result *r,
		       struct plot_desc *d, struct tc_err *err);

/* Effective tariff rate by partner 2017-2026, legal events marked (src/plot_recipe_rates.c). */
int plot_recipe_effective_rates(const struct plot_args *a, const struct report_result *r,
				struct plot_desc *d, struct tc_err *err);

#endif
