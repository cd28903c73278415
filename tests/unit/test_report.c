/*
** test_report.c: the report's tables (out_doc, read through its walk) and
** its self-contained HTML page (src/out_html.c).  Pure: no gnuplot, no browser (the browser test is
** tests/browser/run.sh, run from tests/cli/report.bats).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tocalc/out.h"
#include "tocalc/report.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (const char *p = hay; (p = strstr(p, needle)); p += k)
		n++;
	return n;
}

/* A small SVG as gnuplot 5.4 writes it. */
static const char gp_svg[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
	"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"svg11.dtd\" [ <!ENTITY x \"y\"> ]>\n"
	"<svg \n width=\"800\" height=\"500\"\n viewBox=\"0 0 800 500\"\n"
	" xmlns=\"http://www.w3.org/2000/svg\"\n xmlns:xlink=\"http://www.w3.org/1999/xlink\"\n>\n\n"
	"<title>claims</title>\n"
	"<desc>Produced by GNUPLOT 5.4 patchlevel 4 </desc>\n\n"
	"<g id=\"gnuplot_canvas\">\n"
	"<defs>\n"
	"\t<circle id='gpDot' r='0.5' stroke-width='0.5' stroke='currentColor'/>\n"
	"\t<use xlink:href='#gpPt5' id='gpPt6' fill='currentColor' stroke='none'/>\n"
	"\t<filter id='textbox' filterUnits='objectBoundingBox' x='0' y='0' height='1' width='1'/>\n"
	"</defs>\n"
	"<!-- a comment id='kept' -->\n"
	"<g filter=\"url(#textbox)\" id = \"claims_plot_1\">\n"
	"\t<text> id='gpDot' &lt;b&gt; url(#textbox) href=\"#x\" &amp; </text>\n"
	"\t<use href=\"#gpDot\" x='1'/>\n"
	"</g>\n"
	"</g>\n"
	"</svg>\n\n";

static void test_svg_inline(void **state)
{
	struct tc_err err;
	char *out;
	size_t n;

	(void)state;
	tc_err_init(&err);
	assert_int_equal(out_html_svg_inline(gp_svg, strlen(gp_svg), "claims", &out, &n, &err), 0);
	assert_int_equal(strlen(out), n);
	/* the prolog and the DOCTYPE are gone; the document starts at <svg */
	assert_memory_equal(out, "<svg ", 5);
	assert_null(strstr(out, "<?xml"));
	assert_null(strstr(out, "<!DOCTYPE"));
	assert_null(strstr(out, "ENTITY"));
	/* ids and references prefixed */
	assert_non_null(strstr(out, "id=\"claims-gnuplot_canvas\""));
	assert_non_null(strstr(out, "id='claims-gpDot'"));
	assert_non_null(strstr(out, "xlink:href='#claims-gpPt5' id='claims-gpPt6'"));
	assert_non_null(strstr(out, "filter=\"url(#claims-textbox)\" id=\"claims-claims_plot_1\""));
	assert_non_null(strstr(out, "<use href=\"#claims-gpDot\" x='1'/>"));
	/* text and comments are copied as they are, never rewritten */
	assert_non_null(strstr(out, "<text> id='gpDot' &lt;b&gt; url(#textbox) href=\"#x\" &amp; </text>"));
	assert_non_null(strstr(out, "<!-- a comment id='kept' -->"));
	/* the namespaces stay; nothing trails the root */
	assert_non_null(strstr(out, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_string_equal(out + n - 6, "</svg>");
	free(out);

	/* not an SVG */
	tc_err_init(&err);
	assert_int_equal(out_html_svg_inline("<html></html>", 13, "x", &out, &n, &err), -1);
	assert_non_null(strstr(err.msg, "'x'"));
	assert_int_equal(out_html_svg_inline("", 0, "x", &out, &n, &err), -1);
	assert_int_equal(out_html_svg_inline("<svg id='a", 10, "x", &out, &n, &err), -1);
	assert_int_equal(out_html_svg_inline("<?xml ", 6, "x", &out, &n, &err), -1);
}

static void test_escape(void **state)
{
	char *e;

	(void)state;
	e = out_html_escape("<a href='x'>&\"</a>");
	assert_string_equal(e, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
	free(e);
	e = out_html_escape("M\xc3\xa9xico 100%");
	assert_string_equal(e, "M\xc3\xa9xico 100%");
	free(e);
}

static void test_cells(void **state)
{
	struct out_doc *doc = out_doc_new("report");
	struct out_table *t = out_table_add(doc, "x", NULL);
	const struct out_table *w;
	struct out_cell c;
	char buf[64];

	(void)state;
	out_col(t, "a", NULL);
	out_col(t, "b", "B");
	out_row(t);
	out_num(t, 1357800.04, 1);
	out_num(t, -0.001, 1);
	out_row(t);
	out_num(t, NAN, 2);
	out_int(t, 1234567);
	out_row(t);
	out_num(t, 2023, -1);
	out_str(t, NULL);
	/* the read-only walk */
	w = out_doc_find(doc, "x");
	assert_ptr_equal(w, out_doc_table(doc, 0));
	assert_null(out_doc_find(doc, "y"));
	assert_null(out_table_title(w));
	assert_string_equal(out_table_key(w), "x");
	assert_int_equal(out_table_rows(w), 3);
	assert_int_equal(out_table_ncols(w), 2);
	assert_string_equal(out_col_heading(w, 0), "a");	/* heading defaults to the key */
	assert_string_equal(out_col_heading(w, 1), "B");
	out_cell_get(w, 0, 0, &c);
	assert_int_equal(c.kind, OUT_CELL_NUM);
	assert_true(c.num == 1357800.04 && c.decimals == 1);
	out_cell_get(w, 1, 0, &c);
	assert_int_equal(c.kind, OUT_CELL_MISSING);	/* NAN is missing */
	out_cell_get(w, 1, 1, &c);
	assert_int_equal(c.kind, OUT_CELL_INT);
	assert_true(c.i == 1234567);
	/* the text people read, the same in the table output and in HTML */
	assert_string_equal(out_cell_text(w, 0, 0, buf, sizeof(buf)), "1,357,800.0");
	assert_string_equal(out_cell_text(w, 0, 1, buf, sizeof(buf)), "0.0");	/* never -0.0 */
	assert_string_equal(out_cell_text(w, 1, 0, buf, sizeof(buf)), "-");
	assert_string_equal(out_cell_text(w, 1, 1, buf, sizeof(buf)), "1,234,567");
	assert_string_equal(out_cell_text(w, 2, 0, buf, sizeof(buf)), "2023");	/* 4 digits: no comma */
	assert_string_equal(out_cell_text(w, 2, 1, buf, sizeof(buf)), "-");

	/* the same cells as JSON: numbers stay numbers, missing is null */
	{
		struct tc_err err;
		char *mem = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&mem, &len);
		tc_err_init(&err);
		assert_int_equal(out_doc_write(doc, OUT_JSON, fp, &err), 0);
		fclose(fp);
		assert_non_null(strstr(mem, "\"x\": ["));
		assert_non_null(strstr(mem, "\"a\": 1357800.0"));
		assert_non_null(strstr(mem, "\"b\": 1234567"));
		assert_non_null(strstr(mem, "\"a\": null"));
		free(mem);
	}
	/* and as HTML, the fourth format: a page with the table, cells as the table shows them */
	{
		struct tc_err err;
		char *mem = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&mem, &len);
		tc_err_init(&err);
		out_note(doc, "a <note>");
		assert_int_equal(out_doc_write(doc, OUT_HTML, fp, &err), 0);
		fclose(fp);
		assert_memory_equal(mem, "<!DOCTYPE html>", 15);
		assert_non_null(strstr(mem, "<title>tocalc report</title>"));
		assert_non_null(strstr(mem, "<table id=\"table-x\">"));
		assert_non_null(strstr(mem, "<td class=\"num\">1,357,800.0</td><td class=\"num\">0.0</td>"));
		assert_non_null(strstr(mem, "<td class=\"nw\">-</td><td class=\"num\">1,234,567</td>"));
		assert_non_null(strstr(mem, "<li>a &lt;note&gt;</li>"));
		assert_null(strstr(mem, "<script"));
		free(mem);
	}
	out_doc_free(doc);
}

static const struct report_figure figs[] = {
	{ "claims", "claims.svg", "Caption with <b>markup</b> & \"quotes\"", "claims.csv" },
	{ "scenarios", "scenarios.svg", "Second figure", "scenarios/*.scn" },
};

static char *page(const char *hostile)
{
	struct out_doc *doc = out_doc_new("report");
	struct out_table *a = out_table_add(doc, "scenarios", "Document scenarios");
	struct out_table *b = out_table_add(doc, "claims", "Claims and verdicts");
	const struct out_table *tabs[2] = { a, b };
	struct out_html_figure pf[2];
	struct out_html_page pg;
	const char *notes[1] = { hostile };
	struct tc_err err;
	char *html;
	size_t len;

	out_col(a, "scenario", "scenario");
	out_col(a, "title", "title <x>");
	out_col(a, "cost_per_household", "cost");
	out_row(a);
	out_str(a, "china-200");
	out_str(a, hostile);
	out_num(a, 3649.4, 0);
	out_col(b, "id", "claim");
	out_col(b, "verdict", "verdict");
	out_row(b);
	out_str(b, "x");
	out_str(b, "does not hold");
	for (int i = 0; i < 2; i++) {
		pf[i].id = figs[i].recipe;
		pf[i].file = figs[i].file;
		pf[i].caption = figs[i].caption;
		pf[i].source = figs[i].source;
		pf[i].svg = gp_svg;
		pf[i].len = strlen(gp_svg);
	}
	memset(&pg, 0, sizeof(pg));
	pg.title = "tocalc report & <friends>";
	pg.subtitle = hostile;
	pg.vintages = a;
	pg.tables = tabs;
	pg.ntables = 2;
	pg.figs = pf;
	pg.nfigs = 2;
	pg.notes = notes;
	pg.nnotes = 1;
	tc_err_init(&err);
	if (out_html_page_build(&pg, &html, &len, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(html), len);
	out_doc_free(doc);
	return html;
}

static void test_page(void **state)
{
	static const char hostile[] =
		"</td></table><script src=\"https://evil.example/x.js\">alert('x')</script>"
		"<img src=x onerror=alert(1)> <link rel=stylesheet href=//evil.example/a.css>";
	char *html = page(hostile), *again = page(hostile);

	(void)state;
	/* deterministic */
	assert_string_equal(html, again);
	free(again);
	assert_memory_equal(html, "<!DOCTYPE html>\n<html lang=\"en\">", 31);
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	/* nothing active, nothing that loads: hostile text is escaped wherever it goes */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<link"));
	assert_int_equal(count(html, "src="), 8);	/* only in the four escaped copies */
	assert_non_null(strstr(html, "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;"));
	/* two table cells (the table is also the vintages table), subtitle, note */
	assert_int_equal(count(html, "&lt;/td&gt;&lt;/table&gt;"), 4);
	assert_non_null(strstr(html, "<title>tocalc report &amp; &lt;friends&gt;</title>"));
	assert_non_null(strstr(html, "<th scope=\"col\">title &lt;x&gt;</th>"));
	assert_non_null(strstr(html, "Caption with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;"));
	/* the only URLs are the SVG namespaces (and the escaped hostile text) */
	{
		size_t http = count(html, "http");
		size_t ns = count(html, "http://www.w3.org/2000/svg") + count(html, "http://www.w3.org/1999/xlink");
		assert_int_equal(http - ns, 4);	/* the four escaped copies of "https://evil" */
		assert_int_equal(ns, 4);
	}
	/* structure: tables and figures with stable ids, one inline <svg> per figure */
	assert_non_null(strstr(html, "<table id=\"table-scenarios\">"));
	assert_non_null(strstr(html, "<table id=\"table-claims\">"));
	assert_non_null(strstr(html, "<figure id=\"fig-claims\">\n<svg "));
	assert_non_null(strstr(html, "<figure id=\"fig-scenarios\">\n<svg "));
	assert_int_equal(count(html, "<svg"), 2);
	assert_int_equal(count(html, "</svg>"), 2);
	/* the same SVG twice, but no id twice */
	assert_int_equal(count(html, "id='claims-gpDot'"), 1);
	assert_int_equal(count(html, "id='scenarios-gpDot'"), 1);
	assert_int_equal(count(html, "<circle id='gpDot'"), 0);
	/* numbers right-aligned with separators, verdicts styled */
	assert_non_null(strstr(html, "<td class=\"num\">3649</td>"));	/* as the table output: 4 digits ungrouped */
	assert_non_null(strstr(html, "<td class=\"v-does-not-hold\">does not hold</td>"));
	free(html);
}

static void test_write(void **state)
{
	struct out_html_page pg;
	struct tc_err err;
	char path[] = "/tmp/tocalc-test-report-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	char buf[64] = "";

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memset(&pg, 0, sizeof(pg));
	pg.title = "t";
	tc_err_init(&err);
	assert_int_equal(out_html_page_write(path, &pg, &err), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "<!DOCTYPE html>\n");
	unlink(path);

	/* a directory that does not exist: an error naming the file, nothing written */
	tc_err_init(&err);
	assert_int_equal(out_html_page_write("/nonexistent-dir/x.html", &pg, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x.html"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_inline),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_write),
	};

	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
