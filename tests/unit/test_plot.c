/*
** test_plot.c: the gnuplot script builder (plot_script.c) and runner
** (plot_run.c).
**
** Golden scripts live in tests/data/plot/ (NAME.gp) and are compared byte for
** byte (no gnuplot needed); they were written once with
** TOCALC_UPDATE_GOLDEN=1 and checked by hand line by line against the
** rules of docs/plotting.md.  Tests that run gnuplot skip themselves
** when it is not installed.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "golden.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include "tocalc/plot.h"
#include "../fuzz/fuzz_plot_text.c"

#define GOLDEN_DIR "tests/data/plot/"

/* Text that would execute or break out if it reached a gnuplot command. */
static const char *const hostile[] = {
	"`touch PWNED`",
	"\"; system(\"touch PWNED\"); x=\"",
	"'; system('touch PWNED'); x='",
	"@macro",
	"trailing backslash \\",
	"set output \"|touch PWNED\"",
	"TOCALC_TEXT_END",
	"TOCALC_TEXT_END_1 also",
	"TOCALC_DATA_END",
	"EOD",
	"# a comment",
	"</text><script>alert(1)</script> & <b>",
	"100% %s %n %%",
	"x^2_{i} {/Symbol a} &{space}",
	"M\xc3\xa9xico \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x88",
	"!touch PWNED",
	"system \"touch PWNED\"",
	"eval \"system('touch PWNED')\"",
	"$TXT[1]",
	"   leading and trailing spaces   ",
};

/* ------------------------------------------------------------------ */
/* helpers                                                              */


static int mem_has(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static int build(const struct plot_desc *d, enum plot_term term, const char *out,
		 char **script, size_t *len, struct tc_err *err)
{
	tc_err_init(err);
	return plot_script_build(d, term, out, script, len, err);
}

/*
** Read the $TXT datablock the way gnuplot 5.4 does (datablock.c: a line
** ends the block when it *starts with* the terminator) and return the
** lines read, plus the rest of the script (the commands) after both
** datablocks.
*/
static size_t gnuplot_txt_lines(const char *script, char lines[][PLOT_TEXT_MAX * 2 + 2],
				size_t max, const char **after)
{
	const char *p = strstr(script, "$TXT << ");
	char term[64];
	size_t tl, n = 0;

	assert_non_null(p);
	p += 8;
	tl = strcspn(p, "\n");
	assert_true(tl < sizeof(term));
	memcpy(term, p, tl);
	term[tl] = '\0';
	p += tl + 1;
	for (;;) {
		size_t ll = strcspn(p, "\n");
		if (!strncmp(p, term, strlen(term))) {
			p += ll + 1;
			break;
		}
		assert_true(n < max);
		assert_true(ll < PLOT_TEXT_MAX * 2 + 2);
		memcpy(lines[n], p, ll);
		lines[n][ll] = '\0';
		n++;
		p += ll + 1;
	}
	/* skip $DATA: its terminator is fixed and data lines are numbers */
	assert_true(!strncmp(p, "$DATA << TOCALC_DATA_END\n", 25));
	p = strstr(p, "\nTOCALC_DATA_END\n");
	assert_non_null(p);
	*after = p + 17;
	return n;
}

static const double YX[] = { 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024 };
static const double YD[] = { 52404, 63632, 70237, 67367, 70630, 91799, 106699, 107941, NAN, 80391 };
static const double YLO[] = { 50000, 60000, 68000, 65000, 68000, 88000, 102000, 104000, NAN, 76000 };
static const double YHI[] = { 55000, 67000, 72000, 70000, 73000, 95000, 110000, 111000, NAN, 84000 };
static const double RATE[] = { 0, 0, 0, 10, 25, 25, 25, 25, 25, 45 };

/* A description using every feature; texts[0..12] name every text field. */
static void kitchen_sink(struct plot_desc *d, const char *const *tx)
{
	struct plot_series *s;
	const char *pt[10] = { NULL };

	plot_desc_init(d);
	plot_set_text(&d->name, "kitchen_sink");
	plot_set_text(&d->title, tx[0]);
	plot_set_text(&d->xlabel, tx[1]);
	plot_set_text(&d->ylabel, tx[2]);
	plot_set_text(&d->y2label, tx[3]);
	plot_set_text(&d->footnote, tx[4]);
	d->xaxis = PLOT_X_YEAR;
	d->key = PLOT_KEY_BELOW;
	d->yfmt = PLOT_FMT_INTEGER;
	d->y2fmt = PLOT_FMT_PERCENT;
	d->ymin = 0;
	d->y2min = 0;
	d->y2max = 100;
	d->width = 900;
	d->height = 560;

	plot_add_band(d, tx[5], YX, YLO, YHI, 10);
	s = plot_add_series(d, PLOT_LINES, tx[6], YX, YD, 10);
	s->width = 2.5;
	pt[5] = tx[7];
	pt[7] = tx[8];
	plot_series_point_text(s, pt);
	s = plot_add_series(d, PLOT_STEPS, tx[9], YX, RATE, 10);
	s->axis = PLOT_Y2;
	s->color = PLOT_RGB(0x333333);
	s->dash = 3;
	s = plot_add_series(d, PLOT_POINTS, NULL, YX, YD, 3);
	s->point = 5;
	s = plot_add_series(d, PLOT_BARS, tx[10], YX, RATE, 4);
	s->bar_width = 0.5;
	plot_add_xmarker(d, 2019.5, tx[11]);
	plot_add_ymarker(d, 100000, tx[12])->color = PLOT_RGB(0xaa0000);
	plot_add_span(d, 2023.5, 2024.5, tx[1]);
	plot_add_note(d, 0.02, 0.9, 1, tx[2]);
	plot_add_note(d, 2016, 90000, 0, tx[3]);
	plot_add_xtic(d, 2015, tx[4]);
	plot_add_xtic(d, 2020, "100%");
	plot_add_xtic(d, 2024, NULL);
}

static const char *const plain_texts[] = {
	"US overdose deaths, 12 months ending", "year", "deaths", "tariff on China",
	"data: cdc-vsrr", "90% interval", "reported", "peak", "2022", "tariff rate",
	"bars", "2019 scheduling", "100,000 deaths"
};

/* ------------------------------------------------------------------ */
/* text checks                                                          */

static void test_text_check(void **state)
{
	static const char *const good[] = {
		"plain", "M\xc3\xa9xico", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x93\x88",
		"`backquotes` and \"quotes\" and 'single'", "\\", "@m", "\xc2\xa0nbsp",
		"\xef\xbf\xbd replacement char", "\xf4\x8f\xbf\xbf max code point",
	};
	static const char *const bad[] = {
		"new\nline", "carriage\rreturn", "tab\there", "del\x7f", "bell\x07", "\x1b[31mred",
		"c1 \xc2\x85 nel", "c1 \xc2\x9b csi", "lone \xff byte", "truncated \xc3",
		"overlong \xc0\xaf", "overlong \xe0\x80\xaf", "surrogate \xed\xa0\x80",
		"too big \xf4\x90\x80\x80", "noncharacter \xef\xbf\xbe", "bad continuation \xc3\x28",
		"\xf8\x88\x80\x80\x80",
	};
	struct tc_err err;
	char big[PLOT_TEXT_MAX + 2];

	(void)state;
	for (size_t i = 0; i < TC_ARRAY_SIZE(good); i++) {
		tc_err_init(&err);
		assert_int_equal(plot_text_check(good[i], "title", &err), 0);
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(hostile); i++)
		assert_int_equal(plot_text_check(hostile[i], "title", NULL), 0);
	for (size_t i = 0; i < TC_ARRAY_SIZE(bad); i++) {
		tc_err_init(&err);
		assert_int_equal(plot_text_check(bad[i], "x axis label", &err), -1);
		assert_int_equal(err.code, TC_EXIT_DATA);
		assert_non_null(strstr(err.msg, "x axis label: "));
	}
	tc_err_init(&err);
	plot_text_check("ab\ncd", "title", &err);
	assert_string_equal(err.msg, "title: control character 0x0a at byte 3 is not allowed in plot text");
	assert_int_equal(plot_text_check(NULL, "title", NULL), 0);
	memset(big, 'a', sizeof(big));
	big[PLOT_TEXT_MAX] = '\0';
	assert_int_equal(plot_text_check(big, "title", NULL), 0);
	big[PLOT_TEXT_MAX] = 'a';
	big[PLOT_TEXT_MAX + 1] = '\0';
	tc_err_init(&err);
	assert_int_equal(plot_text_check(big, "title", &err), -1);
	assert_string_equal(err.msg, "title: longer than 1000 bytes");
}

static void test_output_name(void **state)
{
	(void)state;
	assert_true(plot_output_name_ok("plot.svg"));
	assert_true(plot_output_name_ok("plots/us-overdose_1999.pdf"));
	assert_true(plot_output_name_ok("../x/y.png"));
	assert_false(plot_output_name_ok(NULL));
	assert_false(plot_output_name_ok(""));
	assert_false(plot_output_name_ok("-"));
	assert_false(plot_output_name_ok("|touch x"));
	assert_false(plot_output_name_ok("a b.svg"));
	assert_false(plot_output_name_ok("a'b.svg"));
	assert_false(plot_output_name_ok("a\"b.svg"));
	assert_false(plot_output_name_ok("`x`.svg"));
	assert_false(plot_output_name_ok("a\nb.svg"));
	assert_false(plot_output_name_ok("caf\xc3\xa9.svg"));
	assert_false(plot_output_name_ok("$x.svg"));
}

static void test_terminals(void **state)
{
	enum plot_term t;

	(void)state;
	assert_int_equal(plot_term_from_path("a.svg", &t), 0);
	assert_int_equal(t, PLOT_TERM_SVG);
	assert_int_equal(plot_term_from_path("dir.v2/a.PNG", &t), 0);
	assert_int_equal(t, PLOT_TERM_PNG);
	assert_int_equal(plot_term_from_path("a.pdf", &t), 0);
	assert_int_equal(t, PLOT_TERM_PDF);
	assert_int_equal(plot_term_from_path("a.jpg", &t), -1);
	assert_int_equal(plot_term_from_path("dir.svg/a", &t), -1);
	assert_int_equal(plot_term_from_path("noext", &t), -1);
	assert_int_equal(plot_term_parse("pdf", &t), 0);
	assert_int_equal(t, PLOT_TERM_PDF);
	assert_int_equal(plot_term_parse("postscript", &t), -1);
	assert_string_equal(plot_term_name(PLOT_TERM_PNG), "png");
}

static void test_time(void **state)
{
	(void)state;
	/* values from `date -u -d YYYY-MM-DD +%s` */
	assert_true(plot_time_of_month(197001) == 0.0);
	assert_true(plot_time_of_month(200001) == 946684800.0);
	assert_true(plot_time_of_month(196912) == -2678400.0);
	assert_true(plot_time_of_date(20240229) == 1709164800.0);
	assert_true(plot_time_of_date(21991231) == 7258032000.0);
	assert_true(plot_time_of_date(19000301) == -2203891200.0);
	assert_true(plot_year_of_month(202007) == 2020.5);
	assert_true(plot_year_of_month(201501) == 2015.0);
}

/* ------------------------------------------------------------------ */
/* scripts                                                              */

static void test_golden_minimal(void **state)
{
	static const double x[] = { 1, 2, 3 };
	static const double y[] = { 0.1, 2.5, -1e-300 };
	struct plot_desc d;
	struct tc_err err;
	char *s;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	plot_add_series(&d, PLOT_LINES, NULL, x, y, 3);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
	assert_int_equal(strlen(s), n);
	check_golden(GOLDEN_DIR, "minimal.gp", s, n);
	/* %.17g: 0.1 is written as the double it is */
	assert_non_null(strstr(s, "\n1 0.10000000000000001\n2 2.5\n3 -1e-300\n"));
	free(s);
	plot_desc_release(&d);
}

static void test_golden_kitchen_sink(void **state)
{
	struct plot_desc d;
	struct tc_err err;
	char *s;
	size_t n;

	(void)state;
	kitchen_sink(&d, plain_texts);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
	check_golden(GOLDEN_DIR, "kitchen_sink.gp", s, n);
	free(s);
	plot_desc_release(&d);
}

static void test_golden_terminals(void **state)
{
	static const double x[] = { 1999, 2000 };
	static const double y[] = { 16849, 17415 };
	struct plot_desc d;
	struct tc_err err;
	char *s;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	plot_set_text(&d.title, "deaths");
	d.xaxis = PLOT_X_YEAR;
	d.width = 750;
	plot_add_series(&d, PLOT_LINESPOINTS, "all drugs", x, y, 2);
	assert_int_equal(build(&d, PLOT_TERM_PNG, NULL, &s, &n, &err), 0);
	check_golden(GOLDEN_DIR, "terminal_png.gp", s, n);
	free(s);
	assert_int_equal(build(&d, PLOT_TERM_PDF, "plots/deaths.pdf", &s, &n, &err), 0);
	check_golden(GOLDEN_DIR, "terminal_pdf_script_only.gp", s, n);
	free(s);
	/* an unsafe output name is never written into the script */
	assert_int_equal(build(&d, PLOT_TERM_SVG, "my plot's `x`.svg", &s, &n, &err), 0);
	check_golden(GOLDEN_DIR, "script_only_unsafe_name.gp", s, n);
	assert_null(strstr(s, "my plot"));
	assert_null(strstr(s, "\nset output"));
	free(s);
	assert_int_equal(build(&d, PLOT_TERM_SVG, "|touch x", &s, &n, &err), 0);
	assert_null(strstr(s, "\nset output"));
	assert_null(strstr(s, "touch"));
	free(s);
	plot_desc_release(&d);
}

static void test_missing_values(void **state)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	static const double y[] = { NAN, 1, NAN, NAN, 4, NAN };
	struct plot_desc d;
	struct plot_series *s;
	struct tc_err err;
	char *sc;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	plot_add_series(&d, PLOT_LINES, NULL, x, y, 6);
	s = plot_add_series(&d, PLOT_LINES, NULL, x, y, 6);
	s->connect = 1;
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &sc, &n, &err), 0);
	/*
	** Missing values are NaN rows (declared missing, so skipped); a gap
	** is one blank line before the next present value, never at the
	** start or end of a block (two blank lines would start a new index).
	*/
	assert_non_null(strstr(sc, "$DATA << TOCALC_DATA_END\n"
			       "1 NaN\n2 1\n3 NaN\n4 NaN\n\n5 4\n6 NaN\n"
			       "\n\n"
			       "1 NaN\n2 1\n3 NaN\n4 NaN\n5 4\n6 NaN\n"
			       "TOCALC_DATA_END\n"));
	assert_non_null(strstr(sc, "\nset datafile missing 'NaN'\n"));
	free(sc);
	plot_desc_release(&d);
}

static void test_hostile_text_stays_data(void **state)
{
	static char lines[64][PLOT_TEXT_MAX * 2 + 2];
	struct plot_desc d;
	struct tc_err err;
	const char *cmds;
	char *s;
	size_t n, got;

	(void)state;
	for (size_t h = 0; h < TC_ARRAY_SIZE(hostile); h++) {
		const char *tx[13];

		for (size_t i = 0; i < 13; i++)
			tx[i] = hostile[(h + i) % TC_ARRAY_SIZE(hostile)];
		kitchen_sink(&d, tx);
		assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
		got = gnuplot_txt_lines(s, lines, 64, &cmds);
		/* title .. footnote, 5 legend entries (one NULL), 2 point labels, 2 markers, span, 2 notes, 2 tics */
		assert_int_equal(got, 5 + 4 + 2 + 2 + 1 + 2 + 2);
		assert_string_equal(lines[0], tx[0]);
		assert_string_equal(lines[4], tx[4]);
		/* nothing of any hostile text appears in a command */
		for (size_t i = 0; i < TC_ARRAY_SIZE(hostile); i++)
			if (strlen(hostile[i]) > 4 && strncmp(hostile[i], "$TXT", 4))
				assert_null(strstr(cmds, hostile[i]));
		assert_null(strstr(cmds, "PWNED"));
		assert_null(strstr(cmds, "system"));
		assert_null(strstr(cmds, "`"));
		assert_null(strstr(cmds, "\""));
		assert_null(strstr(cmds, "@"));
		free(s);
		plot_desc_release(&d);
	}
}

/* The commands do not depend on the text at all (only the terminator may). */
static void test_commands_independent_of_text(void **state)
{
	static char lines[64][PLOT_TEXT_MAX * 2 + 2];
	const char *tx[13];
	struct plot_desc d;
	struct tc_err err;
	const char *c1, *c2;
	char *s1, *s2;
	size_t n;

	(void)state;
	for (size_t i = 0; i < 13; i++)
		tx[i] = hostile[i];
	kitchen_sink(&d, tx);
	assert_int_equal(build(&d, PLOT_TERM_PDF, NULL, &s1, &n, &err), 0);
	plot_desc_release(&d);
	kitchen_sink(&d, plain_texts);
	assert_int_equal(build(&d, PLOT_TERM_PDF, NULL, &s2, &n, &err), 0);
	plot_desc_release(&d);
	gnuplot_txt_lines(s1, lines, 64, &c1);
	gnuplot_txt_lines(s2, lines, 64, &c2);
	assert_string_equal(c1, c2);
	free(s1);
	free(s2);
}

static void test_terminator_choice(void **state)
{
	static const double x[] = { 1 }, y[] = { 1 };
	static char lines[8][PLOT_TEXT_MAX * 2 + 2];
	struct plot_desc d;
	struct tc_err err;
	const char *cmds;
	char *s;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	plot_set_text(&d.title, "TOCALC_TEXT_END");
	plot_set_text(&d.xlabel, "TOCALC_TEXT_END_1 and more");
	plot_set_text(&d.ylabel, "TOCALC_TEXT_ENDING");
	plot_add_series(&d, PLOT_LINES, "TOCALC_TEXT_END_3", x, y, 1);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
	assert_non_null(strstr(s, "$TXT << TOCALC_TEXT_END_2\n"));
	assert_int_equal(gnuplot_txt_lines(s, lines, 8, &cmds), 4);
	assert_string_equal(lines[1], "TOCALC_TEXT_END_1 and more");
	free(s);
	plot_desc_release(&d);
}

static void test_tic_labels_escape_percent(void **state)
{
	static const double x[] = { 1, 2 }, y[] = { 1, 2 };
	struct plot_desc d;
	struct tc_err err;
	char *s;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	plot_set_text(&d.title, "100% title");
	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_add_xtic(&d, 1, "10% tariff %n");
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
	/* titles are literal; tic labels are gnuplot formats, so '%' is doubled */
	assert_non_null(strstr(s, "\n100% title\n10%% tariff %%n\nTOCALC_TEXT_END\n"));
	assert_non_null(strstr(s, "\nset xtics ($TXT[2] 1)\n"));
	free(s);
	plot_desc_release(&d);
}

static void test_point_labels(void **state)
{
	static const double x[] = { 1, 2, 3 }, y[] = { 1, NAN, 3 };
	const char *none[3] = { NULL, NULL, NULL };
	const char *some[3] = { NULL, "on a missing value", "three" };
	struct plot_desc d;
	struct plot_series *s;
	struct tc_err err;
	char *sc;
	size_t n;

	(void)state;
	plot_desc_init(&d);
	s = plot_add_series(&d, PLOT_POINTS, NULL, x, y, 3);
	plot_series_point_text(s, none);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &sc, &n, &err), 0);
	assert_null(strstr(sc, "with labels"));
	free(sc);
	plot_series_point_text(s, some);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &sc, &n, &err), 0);
	/* only present values get a label; the label is a $TXT index */
	assert_non_null(strstr(sc, "\n\n\n3 3 2\nTOCALC_DATA_END\n"));
	assert_non_null(strstr(sc, ", \\\n     $DATA index 1 using 1:2:($TXT[int($3)]) axes x1y1 notitle "
			       "with labels left offset 0.6,0.4 noenhanced\n"));
	free(sc);
	plot_desc_release(&d);
}

static void expect_error(struct plot_desc *d, const char *msg)
{
	struct tc_err err;
	char *s = (char *)"untouched";
	size_t n = 7;

	assert_int_equal(build(d, PLOT_TERM_SVG, NULL, &s, &n, &err), -1);
	assert_null(s);
	assert_int_equal(n, 0);
	assert_int_equal(err.code, TC_EXIT_DATA);
	if (!strstr(err.msg, msg))
		fail_msg("expected '%s' in '%s'", msg, err.msg);
	plot_desc_release(d);
}

static void test_refused(void **state)
{
	static const double x[] = { 1, 2 }, y[] = { 1, 2 }, ynan[] = { NAN, NAN };
	static const double yinf[] = { 1, INFINITY }, xnan[] = { 1, NAN }, yneg[] = { -1, 2 };
	struct plot_desc d;

	(void)state;
	plot_desc_init(&d);
	expect_error(&d, "nothing to plot: the plot has no series");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 0);
	expect_error(&d, "series 1 has no points");

	plot_add_series(&d, PLOT_LINES, NULL, x, ynan, 2);
	expect_error(&d, "nothing to plot: every y value is missing");

	plot_add_series(&d, PLOT_LINES, NULL, x, yinf, 2);
	expect_error(&d, "series 1: y value 2 is infinite");

	plot_add_series(&d, PLOT_LINES, NULL, xnan, y, 2);
	expect_error(&d, "series 1: x value 2 is not a finite number");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_set_text(&d.title, "line one\nsystem(\"touch x\")");
	expect_error(&d, "plot title: control character 0x0a at byte 9");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_add_series(&d, PLOT_LINES, "ok", x, y, 2);
	plot_add_series(&d, PLOT_LINES, "tab\there", x, y, 2);
	expect_error(&d, "legend entry 3: control character 0x09");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_add_xmarker(&d, 1, "bad \xff");
	expect_error(&d, "marker label 1: invalid UTF-8 at byte 5");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_add_xtic(&d, 1, "cr\r");
	expect_error(&d, "x tic label 1: control character 0x0d");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_set_text(&d.name, "bad name");
	expect_error(&d, "plot name must be an identifier");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	d.xmin = 5;
	d.xmax = 1;
	expect_error(&d, "plot x range is empty");

	plot_add_series(&d, PLOT_LINES, NULL, x, yneg, 2);
	d.ylog = 1;
	expect_error(&d, "not positive on a logarithmic axis");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	d.width = 20;
	expect_error(&d, "plot size 20x600 is outside");

	plot_add_series(&d, PLOT_LINES, NULL, x, y, 2);
	plot_add_xmarker(&d, INFINITY, NULL);
	expect_error(&d, "marker 1: position is not a finite number");
}

/* ------------------------------------------------------------------ */
/* running gnuplot                                                      */

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_plot.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void test_run_hostile(void **state)
{
	char texts[13][256], marker[128];
	const char *tx[13];
	struct plot_desc d;
	struct tc_err err;
	char *s, *out;
	size_t n, on;

	(void)state;
	if (!have_gnuplot())
		skip();
	make_tmpdir();
	snprintf(marker, sizeof(marker), "%s/PWNED", tmpdir);
	/* every hostile string, with PWNED pointing into our directory */
	for (size_t round = 0; round < 2; round++) {
		for (size_t i = 0; i < 13; i++) {
			const char *h = hostile[(i + round * 13) % TC_ARRAY_SIZE(hostile)];
			const char *p = strstr(h, "PWNED");
			if (p)
				snprintf(texts[i], sizeof(texts[i]), "%.*s%s%s", (int)(p - h), h, marker,
					 p + 5);
			else
				snprintf(texts[i], sizeof(texts[i]), "%s", h);
			tx[i] = texts[i];
		}
		kitchen_sink(&d, tx);
		for (int t = PLOT_TERM_SVG; t <= PLOT_TERM_PDF; t++) {
			assert_int_equal(build(&d, (enum plot_term)t, NULL, &s, &n, &err), 0);
			if (plot_run_buffer(s, n, (enum plot_term)t, &out, &on, &err))
				fail_msg("gnuplot failed: %s", err.msg);
			assert_false(exists(marker));
			if (t == PLOT_TERM_SVG) {
				/* text is drawn literally (XML-escaped by the svg terminal) */
				assert_non_null(strstr(out, "&lt;/text>&lt;script>alert(1)&lt;/script> &amp; &lt;b>") ||
						round == 1);
				assert_null(strstr(out, "<script"));
			}
			free(out);
			free(s);
		}
		plot_desc_release(&d);
	}
	remove_tmpdir();
}

static void test_run_deterministic(void **state)
{
	struct plot_desc d;
	struct tc_err err;
	char *s, *a, *b;
	size_t n, an, bn;

	(void)state;
	if (!have_gnuplot())
		skip();
	kitchen_sink(&d, plain_texts);
	for (int t = PLOT_TERM_SVG; t <= PLOT_TERM_PDF; t++) {
		assert_int_equal(build(&d, (enum plot_term)t, NULL, &s, &n, &err), 0);
		assert_int_equal(plot_run_buffer(s, n, (enum plot_term)t, &a, &an, &err), 0);
		if (t == PLOT_TERM_PDF)
			sleep(1);	/* the creation date has a one-second resolution */
		assert_int_equal(plot_run_buffer(s, n, (enum plot_term)t, &b, &bn, &err), 0);
		assert_int_equal(an, bn);
		assert_memory_equal(a, b, an);
		if (t == PLOT_TERM_SVG)
			assert_memory_equal(a, "<?xml", 5);
		if (t == PLOT_TERM_PNG)
			assert_memory_equal(a, "\x89PNG\r\n\x1a\n", 8);
		if (t == PLOT_TERM_PDF) {
			assert_memory_equal(a, "%PDF-", 5);
			assert_true(mem_has(a, an, "/CreationDate (D:19700101000000Z)"));
		}
		free(a);
		free(b);
		free(s);
	}
	plot_desc_release(&d);
}

static void test_run_failure_keeps_file(void **state)
{
	static const char bad[] = "set terminal svg\nthis is not a gnuplot command\n";
	char path[128], *old;
	struct tc_err err;
	size_t n;

	(void)state;
	if (!have_gnuplot())
		skip();
	make_tmpdir();
	snprintf(path, sizeof(path), "%s/plot.svg", tmpdir);
	write_all(path, "previous plot\n", 14);
	tc_err_init(&err);
	assert_int_equal(plot_run_file(bad, strlen(bad), PLOT_TERM_SVG, path, &err), -1);
	assert_int_equal(err.code, TC_EXIT_TOOL);
	assert_non_null(strstr(err.msg, "gnuplot failed (exit status 1):"));
	assert_non_null(strstr(err.msg, "line 2: invalid command"));
	old = read_all(path, &n);
	assert_string_equal(old, "previous plot\n");
	free(old);
	/* no temporary file is left behind */
	{
		char cmd[200];
		snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", tmpdir);
		assert_int_equal(system(cmd), 0);
	}
	remove_tmpdir();
}

/* gnuplot dies on line 1 of an 8 MB script: EPIPE, not SIGPIPE, and a clear error. */
static void test_run_epipe(void **state)
{
	size_t n = 8u << 20;
	char *big = malloc(n + 1);
	char *out;
	size_t on;
	struct tc_err err;
	struct sigaction sa;

	(void)state;
	if (!have_gnuplot())
		skip();
	/* as in main(): SIGPIPE ignored; the runner must also cope when it is not */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &sa, NULL);
	assert_non_null(big);
	memset(big, '#', n);
	memcpy(big, "nonsense\n", 9);
	big[n] = '\0';
	tc_err_init(&err);
	assert_int_equal(plot_run_buffer(big, n, PLOT_TERM_SVG, &out, &on, &err), -1);
	assert_int_equal(err.code, TC_EXIT_TOOL);
	assert_non_null(strstr(err.msg, "invalid command"));
	free(big);
}

static void test_gnuplot_missing(void **state)
{
	static const double x[] = { 1 }, y[] = { 1 };
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	struct plot_desc d;
	struct tc_err err;
	char *s, *out;
	size_t n, on;

	(void)state;
	plot_desc_init(&d);
	plot_add_series(&d, PLOT_LINES, NULL, x, y, 1);
	assert_int_equal(build(&d, PLOT_TERM_SVG, NULL, &s, &n, &err), 0);
	setenv("PATH", "/nonexistent", 1);
	tc_err_init(&err);
	assert_int_equal(plot_run_buffer(s, n, PLOT_TERM_SVG, &out, &on, &err), -1);
	assert_int_equal(err.code, TC_EXIT_TOOL);
	assert_non_null(strstr(err.msg, "gnuplot is not installed"));
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	free(s);
	plot_desc_release(&d);
}

/* Replay the fuzz seeds and kept crashes through the harness's checks. */
static void test_fuzz_corpus(void **state)
{
	static const char *const dirs[] = {
		"tests/fuzz/corpus/plot_text", "tests/fuzz/regressions/plot_text"
	};
	int seen = 0;

	(void)state;
	for (size_t k = 0; k < TC_ARRAY_SIZE(dirs); k++) {
		DIR *dir = opendir(dirs[k]);
		struct dirent *e;

		if (!dir)
			continue;
		while ((e = readdir(dir))) {
			char path[512];
			char *b;
			size_t n;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
			b = read_all(path, &n);
			assert_non_null(b);
			LLVMFuzzerTestOneInput((const uint8_t *)b, n);
			free(b);
			seen++;
		}
		closedir(dir);
	}
	assert_true(seen >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_output_name),
		cmocka_unit_test(test_terminals),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_golden_minimal),
		cmocka_unit_test(test_golden_kitchen_sink),
		cmocka_unit_test(test_golden_terminals),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_hostile_text_stays_data),
		cmocka_unit_test(test_commands_independent_of_text),
		cmocka_unit_test(test_terminator_choice),
		cmocka_unit_test(test_tic_labels_escape_percent),
		cmocka_unit_test(test_point_labels),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_fuzz_corpus),
		cmocka_unit_test(test_run_hostile),
		cmocka_unit_test(test_run_deterministic),
		cmocka_unit_test(test_run_failure_keeps_file),
		cmocka_unit_test(test_run_epipe),
		cmocka_unit_test(test_gnuplot_missing),
	};

	gsl_set_error_handler_off();
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
