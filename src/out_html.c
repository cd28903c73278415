/*
** out_html.c: the fourth rendering of an out_doc (out.h): HTML.  One
** table of an out_doc as an HTML <table> (out_html_table, through the
** read-only walk of out.c, the same cell text as the table format), a
** whole out_doc as a page (OUT_HTML), and the report's one-file page
** with its figures (out_html_page_build).
**
** The page must open offline and be safe to share, so it is written
** with nothing that reaches out: CSS in a <style> element, every figure
** an inline <svg>, no <script>, no <link>, no <img src>, no URL.  Every
** piece of text is escaped (& < > " ').  The SVGs come from gnuplot,
** which escapes the text it draws; they are copied with their XML
** prolog dropped and their ids prefixed per figure, so the page never
** holds the same id twice.  The page holds no date or time, so the same
** inputs give the same bytes.
*/
#include "tocalc/out.h"
#include "tocalc/version.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* a growing buffer                                                     */

struct hbuf {
	char *b;
	size_t n, cap;
};

static void hb_put(struct hbuf *h, const char *s, size_t n)
{
	h->b = xgrow(h->b, &h->cap, h->n + n + 1, 1);
	memcpy(h->b + h->n, s, n);
	h->n += n;
	h->b[h->n] = '\0';
}

static void hb_puts(struct hbuf *h, const char *s)
{
	hb_put(h, s, strlen(s));
}

static void hb_printf(struct hbuf *h, const char *fmt, ...) TC_PRINTF(2, 3);

static void hb_printf(struct hbuf *h, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		tc_die("hb_printf: bad format");
	h->b = xgrow(h->b, &h->cap, h->n + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(h->b + h->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	h->n += (size_t)n;
}

/* Escaped text. */
static void hb_text(struct hbuf *h, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			hb_puts(h, "&amp;");
			break;
		case '<':
			hb_puts(h, "&lt;");
			break;
		case '>':
			hb_puts(h, "&gt;");
			break;
		case '"':
			hb_puts(h, "&quot;");
			break;
		case '\'':
			hb_puts(h, "&#39;");
			break;
		default:
			hb_put(h, s, 1);
			break;
		}
	}
}

/*
** A table cell: escaped as hb_text, and " -> " becomes a no-break space,
** an arrow and a no-break space, so "CA 25% -> 35%" never wraps inside
** the arrow (a line may still break at "; " between changes).
*/
static void hb_arrows(struct hbuf *h, const char *s)
{
	const char *a;

	while (s && (a = strstr(s, " -> "))) {
		char *part = xstrndup(s, (size_t)(a - s));
		hb_text(h, part);
		free(part);
		hb_puts(h, "&#160;&#8594;&#160;");
		s = a + 4;
	}
	hb_text(h, s);
}

/* Each "; "-separated change with an arrow is one unbreakable <span class="chg">. */
static void hb_cell(struct hbuf *h, const char *s)
{
	if (!s || !strstr(s, " -> ")) {
		hb_text(h, s);
		return;
	}
	for (;;) {
		const char *sep = strstr(s, "; ");
		char *part = xstrndup(s, sep ? (size_t)(sep - s) : strlen(s));
		hb_puts(h, "<span class=\"chg\">");
		hb_arrows(h, part);
		hb_puts(h, "</span>");
		free(part);
		if (!sep)
			break;
		hb_puts(h, "; ");
		s = sep + 2;
	}
}

char *out_html_escape(const char *s)
{
	struct hbuf h = { 0 };

	hb_put(&h, "", 0);
	hb_text(&h, s);
	return h.b;
}

/* An identifier safe in an id attribute and a URL fragment: [a-z0-9-]. */
static void hb_ident(struct hbuf *h, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		hb_put(h, &c, 1);
	}
}

/* ------------------------------------------------------------------ */
/* SVG for inlining                                                     */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy one attribute value (without quotes), rewriting references. */
static void svg_value(struct hbuf *h, const char *name, size_t nlen, const char *v, size_t vlen,
		      const char *prefix)
{
	int is_id = nlen == 2 && !memcmp(name, "id", 2);
	int is_href = nlen >= 4 && !memcmp(name + nlen - 4, "href", 4);

	if (is_id && vlen) {
		hb_puts(h, prefix);
		hb_puts(h, "-");
		hb_put(h, v, vlen);
		return;
	}
	if (is_href && vlen > 1 && v[0] == '#') {
		hb_puts(h, "#");
		hb_puts(h, prefix);
		hb_puts(h, "-");
		hb_put(h, v + 1, vlen - 1);
		return;
	}
	for (size_t i = 0; i < vlen;) {
		if (vlen - i >= 5 && !memcmp(v + i, "url(#", 5)) {
			hb_puts(h, "url(#");
			hb_puts(h, prefix);
			hb_puts(h, "-");
			i += 5;
		} else {
			hb_put(h, v + i, 1);
			i++;
		}
	}
}

int out_html_svg_inline(const char *svg, size_t len, const char *prefix, char **out,
		      size_t *outlen, struct tc_err *err)
{
	struct hbuf h = { 0 };
	size_t i = 0;
	int root = 0;

	*out = NULL;
	*outlen = 0;
	hb_put(&h, "", 0);
	while (i < len) {
		const char *p = svg + i;
		size_t rest = len - i;

		if (*p != '<') {
			const char *lt = memchr(p, '<', rest);
			size_t n = lt ? (size_t)(lt - p) : rest;
			if (root)	/* text before the root element (blank lines) is dropped */
				hb_put(&h, p, n);
			i += n;
			continue;
		}
		if (rest >= 2 && p[1] == '?') {		/* <?xml ...?> */
			const char *e = NULL;
			for (size_t k = 2; k + 1 < rest; k++)
				if (p[k] == '?' && p[k + 1] == '>') {
					e = p + k + 2;
					break;
				}
			if (!e)
				goto bad;
			i += (size_t)(e - p);
			continue;
		}
		if (rest >= 4 && !memcmp(p, "<!--", 4)) {	/* comment: copied */
			const char *e = NULL;
			for (size_t k = 4; k + 2 < rest; k++)
				if (!memcmp(p + k, "-->", 3)) {
					e = p + k + 3;
					break;
				}
			if (!e)
				goto bad;
			if (root)
				hb_put(&h, p, (size_t)(e - p));
			i += (size_t)(e - p);
			continue;
		}
		if (rest >= 9 && !memcmp(p, "<![CDATA[", 9)) {	/* copied as is */
			const char *e = NULL;
			for (size_t k = 9; k + 2 < rest; k++)
				if (!memcmp(p + k, "]]>", 3)) {
					e = p + k + 3;
					break;
				}
			if (!e)
				goto bad;
			hb_put(&h, p, (size_t)(e - p));
			i += (size_t)(e - p);
			continue;
		}
		if (rest >= 2 && p[1] == '!') {		/* <!DOCTYPE ...> with an optional [subset] */
			int depth = 0;
			size_t k = 2;
			for (; k < rest; k++) {
				if (p[k] == '[')
					depth++;
				else if (p[k] == ']')
					depth--;
				else if (p[k] == '>' && depth <= 0)
					break;
			}
			if (k >= rest)
				goto bad;
			i += k + 1;
			continue;
		}
		/* an element tag: <name attr='v' ...> or </name> */
		{
			size_t k = 1, ns;
			if (rest > 1 && p[1] == '/') {
				const char *gt = memchr(p, '>', rest);
				if (!gt)
					goto bad;
				hb_put(&h, p, (size_t)(gt - p) + 1);
				i += (size_t)(gt - p) + 1;
				continue;
			}
			while (k < rest && !is_space(p[k]) && p[k] != '>' && p[k] != '/')
				k++;
			if (k == 1)
				goto bad;
			if (!root) {
				if (k - 1 != 3 || memcmp(p + 1, "svg", 3))
					goto bad;
				root = 1;
			}
			hb_put(&h, p, k);
			for (;;) {
				size_t ws = k, n0, q0;
				char q;
				while (k < rest && is_space(p[k]))
					k++;
				if (k >= rest)
					goto bad;
				if (p[k] == '>' || p[k] == '/') {
					hb_put(&h, p + ws, k - ws);
					break;
				}
				hb_put(&h, p + ws, k - ws);
				n0 = k;
				while (k < rest && !is_space(p[k]) && p[k] != '=' && p[k] != '>' && p[k] != '/')
					k++;
				ns = k - n0;
				if (!ns)
					goto bad;
				hb_put(&h, p + n0, ns);
				ws = k;
				while (k < rest && is_space(p[k]))
					k++;
				if (k >= rest || p[k] != '=') {	/* attribute without a value */
					hb_put(&h, p + ws, k - ws);
					continue;
				}
				k++;
				while (k < rest && is_space(p[k]))
					k++;
				if (k >= rest || (p[k] != '\'' && p[k] != '"'))
					goto bad;
				q = p[k++];
				q0 = k;
				while (k < rest && p[k] != q)
					k++;
				if (k >= rest)
					goto bad;
				hb_put(&h, "=", 1);
				hb_put(&h, &q, 1);
				svg_value(&h, p + n0, ns, p + q0, k - q0, prefix);
				hb_put(&h, &q, 1);
				k++;
			}
			/* "/>" or ">" */
			{
				const char *gt = memchr(p + k, '>', rest - k);
				if (!gt)
					goto bad;
				hb_put(&h, p + k, (size_t)(gt - (p + k)) + 1);
				i += (size_t)(gt - p) + 1;
			}
		}
	}
	if (!root)
		goto bad;
	/* no trailing blank lines */
	while (h.n && is_space(h.b[h.n - 1]))
		h.b[--h.n] = '\0';
	*out = h.b;
	*outlen = h.n;
	return 0;
bad:
	free(h.b);
	return tc_fail(err, "the plot '%s' is not an SVG document gnuplot would write", prefix);
}

/* ------------------------------------------------------------------ */
/* the page                                                             */

static const char page_css[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;background:#fff;"
	"margin:0 auto;max-width:1180px;padding:0 16px 48px;line-height:1.45}\n"
	"h1{font-size:1.6em;margin:1.2em 0 .2em}\n"
	"h2{font-size:1.25em;margin:1.8em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.2em}\n"
	"p.sub{color:#555;margin-top:0}\n"
	"nav ul{padding-left:1.2em;columns:2}\n"
	"a{color:#0059a0}\n"
	"table{border-collapse:collapse;font-size:.86em;margin:.4em 0 1em;display:block;"
	"overflow-x:auto;max-width:100%}\n"
	"th,td{border:1px solid #d4d4d4;padding:3px 7px;vertical-align:top}\n"
	"th{background:#f2f2f2;text-align:left}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.nw{white-space:nowrap}\n"
	"tr:nth-child(even) td{background:#fafafa}\n"
	"td[class^=v-]{white-space:nowrap}\n"
	"td.v-holds{color:#00704f;font-weight:bold}\n"
	"td.v-roughly-holds{color:#9a6700;font-weight:bold}\n"
	"td.v-does-not-hold{color:#b23c00;font-weight:bold}\n"
	"td.v-cannot-check{color:#666}\n"
	"figure{margin:1.4em 0 2em;padding:0;overflow-x:auto}\n"
	/* the figure fills the column (its text grows with it, 12 px at 1280 px); on a
	   narrow screen it keeps its drawn size and scrolls in its box */
	"figure svg{display:block;width:100%;min-width:960px;height:auto;border:1px solid #e4e4e4}\n"
	"th{white-space:nowrap}\n"
	"span.chg{white-space:nowrap}\n"
	"figcaption{font-size:.9em;margin-top:.5em}\n"
	"figcaption .src{display:block;color:#555;font-size:.92em;margin-top:.2em}\n"
	"ul.notes{font-size:.9em;color:#333}\n"
	"footer{margin-top:3em;font-size:.85em;color:#555;border-top:1px solid #ccc;padding-top:.6em}\n";


/* Columns of free text wrap; names, dates and codes stay on one line. */
static int wraps(const char *key)
{
	static const char *const keys[] = { "title", "quote", "used", "tariff_change", "document",
					    "series" };
	for (size_t i = 0; i < TC_ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i]))
			return 1;
	return 0;
}

static void html_table(struct hbuf *h, const struct out_table *t)
{
	char buf[128];
	size_t ncols = out_table_ncols(t), nrows = out_table_rows(t);
	int verdict_col = -1;

	for (size_t j = 0; j < ncols; j++)
		if (!strcmp(out_col_key(t, j), "verdict"))
			verdict_col = (int)j;
	hb_puts(h, "<table id=\"table-");
	hb_ident(h, out_table_key(t));
	hb_puts(h, "\">\n<thead><tr>");
	for (size_t j = 0; j < ncols; j++) {
		hb_puts(h, "<th scope=\"col\">");
		hb_text(h, out_col_heading(t, j));
		hb_puts(h, "</th>");
	}
	hb_puts(h, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < nrows; i++) {
		hb_puts(h, "<tr>");
		for (size_t j = 0; j < ncols; j++) {
			struct out_cell c;
			const char *txt;

			out_cell_get(t, i, j, &c);
			txt = c.kind == OUT_CELL_STR ? c.str : out_cell_text(t, i, j, buf, sizeof(buf));
			if (c.kind == OUT_CELL_NUM || c.kind == OUT_CELL_INT) {
				hb_puts(h, "<td class=\"num\">");
			} else if ((int)j == verdict_col && c.kind == OUT_CELL_STR) {
				hb_puts(h, "<td class=\"v-");
				hb_ident(h, c.str);
				hb_puts(h, "\">");
			} else if (wraps(out_col_key(t, j))) {
				hb_puts(h, "<td>");
			} else {
				hb_puts(h, "<td class=\"nw\">");
			}
			hb_cell(h, txt);
			hb_puts(h, "</td>");
		}
		hb_puts(h, "</tr>\n");
	}
	hb_puts(h, "</tbody>\n</table>\n");
}

static void page_head(struct hbuf *h, const char *title, const char *subtitle)
{
	hb_puts(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"tocalc " TOCALC_VERSION "\">\n<title>");
	hb_text(h, title);
	hb_puts(h, "</title>\n<style>\n");
	hb_puts(h, page_css);
	hb_puts(h, "</style>\n</head>\n<body>\n<header>\n<h1>");
	hb_text(h, title);
	hb_puts(h, "</h1>\n");
	if (subtitle) {
		hb_puts(h, "<p class=\"sub\">");
		hb_text(h, subtitle);
		hb_puts(h, "</p>\n");
	}
	hb_puts(h, "</header>\n");
}

static void table_section(struct hbuf *h, const struct out_table *t)
{
	const char *title = out_table_title(t);

	hb_puts(h, "<section id=\"section-");
	hb_ident(h, out_table_key(t));
	hb_puts(h, "\">\n<h2>");
	hb_text(h, title ? title : out_table_key(t));
	hb_puts(h, "</h2>\n");
	html_table(h, t);
	hb_puts(h, "</section>\n");
}

static void notes_list(struct hbuf *h, const char *const *notes, size_t n)
{
	if (!n)
		return;
	hb_puts(h, "<ul class=\"notes\">\n");
	for (size_t i = 0; i < n; i++) {
		hb_puts(h, "<li>");
		hb_text(h, notes[i]);
		hb_puts(h, "</li>\n");
	}
	hb_puts(h, "</ul>\n");
}

int out_html_page_build(const struct out_html_page *pg, char **out, size_t *len, struct tc_err *err)
{
	struct hbuf h = { 0 };

	*out = NULL;
	*len = 0;
	page_head(&h, pg->title, pg->subtitle);

	/* contents */
	hb_puts(&h, "<nav aria-label=\"contents\">\n<ul>\n");
	if (pg->vintages)
		hb_puts(&h, "<li><a href=\"#data-vintages\">Data vintages</a></li>\n");
	for (size_t i = 0; i < pg->ntables; i++) {
		hb_puts(&h, "<li><a href=\"#section-");
		hb_ident(&h, out_table_key(pg->tables[i]));
		hb_puts(&h, "\">");
		hb_text(&h, out_table_title(pg->tables[i]) ? out_table_title(pg->tables[i]) :
			out_table_key(pg->tables[i]));
		hb_puts(&h, "</a></li>\n");
	}
	for (size_t i = 0; i < pg->nfigs; i++) {
		hb_puts(&h, "<li><a href=\"#fig-");
		hb_ident(&h, pg->figs[i].id);
		hb_printf(&h, "\">Figure %zu: ", i + 1);
		hb_text(&h, pg->figs[i].id);
		hb_puts(&h, "</a></li>\n");
	}
	hb_puts(&h, "</ul>\n</nav>\n");

	if (pg->vintages) {
		hb_puts(&h, "<section id=\"data-vintages\">\n<h2>Data vintages</h2>\n");
		html_table(&h, pg->vintages);
		hb_puts(&h, "</section>\n");
	}
	for (size_t i = 0; i < pg->ntables; i++)
		table_section(&h, pg->tables[i]);
	if (pg->nfigs)
		hb_puts(&h, "<section id=\"figures\">\n<h2>Figures</h2>\n");
	for (size_t i = 0; i < pg->nfigs; i++) {
		const struct out_html_figure *f = &pg->figs[i];
		struct hbuf pre = { 0 };
		char *svg;
		size_t n;

		hb_put(&pre, "", 0);
		hb_ident(&pre, f->id);
		if (out_html_svg_inline(f->svg, f->len, pre.b, &svg, &n, err)) {
			free(pre.b);
			free(h.b);
			return -1;
		}
		hb_puts(&h, "<figure id=\"fig-");
		hb_puts(&h, pre.b);
		hb_puts(&h, "\">\n");
		hb_put(&h, svg, n);
		hb_printf(&h, "\n<figcaption><b>Figure %zu.</b> ", i + 1);
		hb_text(&h, f->caption);
		hb_puts(&h, "\n<span class=\"src\">Source: ");
		hb_text(&h, f->source);
		hb_puts(&h, ". Redraw it with <code>tocalc plot ");
		hb_text(&h, f->id);
		hb_puts(&h, " -o ");
		hb_text(&h, f->file);
		hb_puts(&h, "</code>.</span></figcaption>\n</figure>\n");
		free(svg);
		free(pre.b);
	}
	if (pg->nfigs)
		hb_puts(&h, "</section>\n");
	hb_puts(&h, "<footer>\n");
	notes_list(&h, pg->notes, pg->nnotes);
	hb_puts(&h, "<p>Written by tocalc " TOCALC_VERSION " (<code>tocalc report --html</code>). "
		"This page is self-contained: it loads nothing and runs no script.</p>\n"
		"</footer>\n</body>\n</html>\n");
	*out = h.b;
	*len = h.n;
	return 0;
}

int out_html_page_write(const char *path, const struct out_html_page *pg, struct tc_err *err)
{
	struct tc_atomic_file af;
	char *html;
	size_t len;

	if (out_html_page_build(pg, &html, &len, err))
		return -1;
	if (tc_atomic_open(&af, path, err)) {
		free(html);
		return -1;
	}
	if (fwrite(html, 1, len, af.fp) != len) {
		tc_atomic_abort(&af);
		free(html);
		return tc_fail(err, "unable to write '%s'", path);
	}
	free(html);
	return tc_atomic_commit(&af, err);
}

/*
** OUT_HTML: a whole document as a page: its metadata as a first table,
** each table a section, the notes in the footer.
*/
int out_html_doc(const struct out_doc *d, FILE *fp, struct tc_err *err)
{
	struct hbuf h = { 0 };
	const char **notes;
	size_t nn = out_doc_nnotes(d);
	char title[200];

	snprintf(title, sizeof(title), "tocalc %s", out_doc_command(d));
	page_head(&h, title, NULL);
	for (size_t k = 0; k < out_doc_ntables(d); k++)
		table_section(&h, out_doc_table(d, k));
	hb_puts(&h, "<footer>\n");
	notes = xcalloc(nn ? nn : 1, sizeof(*notes));
	for (size_t i = 0; i < nn; i++)
		notes[i] = out_doc_note(d, i);
	notes_list(&h, notes, nn);
	free(notes);
	hb_puts(&h, "<p>Written by tocalc " TOCALC_VERSION ".</p>\n</footer>\n</body>\n</html>\n");
	if (fwrite(h.b, 1, h.n, fp) != h.n) {
		free(h.b);
		return tc_fail(err, "write failure on standard output");
	}
	free(h.b);
	return 0;
}
