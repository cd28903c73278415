/*
** out.h: result documents and their four renderings.
**
** A command builds one `struct out_doc` (metadata, one or more named
** tables, notes) and hands it to out_doc_write() with the format the
** user asked for:
**   OUT_TABLE  aligned text for people (metadata lines, tables, notes);
**   OUT_CSV    one table as one RFC 4180 CSV document (the first table,
**              the main one, or the one out_opts.table names), header row =
**              column keys, then every metadata entry as a constant
**              column (unless out_csv_bare());
**   OUT_JSON   one object: {"command": ..., <meta keys>..., "<table>": [ {row}, ... ],
**              "notes": [...]}, byte for byte as jansson writes it; keys keep
**              insertion order.
**   OUT_HTML   one self-contained HTML page (src/out_html.c): each table a
**              <table>, cells as the table format writes them, notes in the
**              footer; no script, nothing external.  The report's page with
**              its figures is out_html_page_build() below.
** Field names (keys) are part of the documented, stable interface.
**
** Numbers that are not finite are written as missing: "" in CSV, null in
** JSON, "-" in a table.  The document owns every string it is given (it
** copies them).
*/
#ifndef TOCALC_OUT_H
#define TOCALC_OUT_H

#include <stdio.h>
#include "tocalc/util.h"

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_HTML };

struct out_doc;
struct out_table;

struct out_doc *out_doc_new(const char *command);
void out_doc_free(struct out_doc *doc);

/* Metadata (key order kept).  Shown as "key: value" lines in a table. */
void out_meta_str(struct out_doc *doc, const char *key, const char *val);
void out_meta_num(struct out_doc *doc, const char *key, double v, int decimals);
void out_meta_int(struct out_doc *doc, const char *key, long long v);
void out_note(struct out_doc *doc, const char *fmt, ...) TC_PRINTF(2, 3);

/*
** Add a table; `name` is its JSON key (snake_case), `title` the heading
** shown in table format (may be NULL).  Define columns before adding rows.
*/
struct out_table *out_table_add(struct out_doc *doc, const char *name, const char *title);
void out_col(struct out_table *t, const char *key, const char *heading);

/* Start a row, then give one cell per column, in column order. */
void out_row(struct out_table *t);
void out_str(struct out_table *t, const char *s);	/* NULL = missing */
void out_num(struct out_table *t, double v, int decimals);
void out_int(struct out_table *t, long long v);
void out_bool(struct out_table *t, int v);
void out_missing(struct out_table *t);

size_t out_table_rows(const struct out_table *t);

/*
** The table is a dataset file itself (`data show`): CSV carries no
** metadata columns, so the output reads back as the file.
*/
void out_csv_bare(struct out_doc *doc);

struct out_opts {
	const char *table;	/* --table NAME: the CSV table; NULL = the first */
	FILE *notes;		/* where notes go in table and CSV format; NULL = nowhere */
};

/*
** Render; returns 0, or -1 with err filled (write error, bad document;
** an unknown out_opts.table is TC_EXIT_USAGE with a suggestion).
** Notes: in table and CSV format they are written to o->notes as
** "tocalc: note: ..." lines; in JSON they are the "notes" array.
** out_doc_write() is out_doc_write_opts() without notes and table.
*/
int out_doc_write(const struct out_doc *doc, enum out_format fmt, FILE *fp, struct tc_err *err);
int out_doc_write_opts(const struct out_doc *doc, enum out_format fmt, FILE *fp,
		       const struct out_opts *o, struct tc_err *err);
size_t out_doc_ntables(const struct out_doc *doc);
const char *out_table_name(const struct out_doc *doc, size_t k);

/* ------------------------------------------------------------------ */
/*
** A read-only walk of a document, for renderers outside out.c (HTML).
** Pointers stay valid until out_doc_free().
*/
enum out_cell_kind { OUT_CELL_MISSING, OUT_CELL_STR, OUT_CELL_NUM, OUT_CELL_INT, OUT_CELL_BOOL };

struct out_cell {
	enum out_cell_kind kind;
	const char *str;	/* OUT_CELL_STR */
	double num;		/* OUT_CELL_NUM (finite) */
	int decimals;		/* OUT_CELL_NUM: -1 = shortest exact */
	long long i;		/* OUT_CELL_INT, OUT_CELL_BOOL */
};

const char *out_doc_command(const struct out_doc *doc);
const struct out_table *out_doc_table(const struct out_doc *doc, size_t k);
const struct out_table *out_doc_find(const struct out_doc *doc, const char *name);
size_t out_doc_nnotes(const struct out_doc *doc);
const char *out_doc_note(const struct out_doc *doc, size_t i);
const char *out_table_key(const struct out_table *t);	/* its JSON key */
const char *out_table_title(const struct out_table *t);	/* NULL when none */
size_t out_table_ncols(const struct out_table *t);
const char *out_col_key(const struct out_table *t, size_t j);
const char *out_col_heading(const struct out_table *t, size_t j);
void out_cell_get(const struct out_table *t, size_t row, size_t col, struct out_cell *c);
/*
** A cell as the table format writes it for people: thousands separators
** from five integer digits, "-" for missing, never "-0"; in buf (>= 64
** bytes; a string longer than buf is cut: use out_cell_get for text).
*/
const char *out_cell_text(const struct out_table *t, size_t row, size_t col, char *buf,
			  size_t size);

/* ------------------------------------------------------------------ */
/* HTML (src/out_html.c)                                                */

/* OUT_HTML: the document as one page (out_doc_write_opts calls it). */
int out_html_doc(const struct out_doc *doc, FILE *fp, struct tc_err *err);

/* A figure of a page: an SVG inlined with its caption and source line. */
struct out_html_figure {
	const char *id;		/* "overdose-deaths": the anchor, the id prefix, `tocalc plot ID` */
	const char *file;	/* "overdose-deaths.svg": named in the redraw command */
	const char *caption;
	const char *source;
	const char *svg;	/* gnuplot's SVG bytes */
	size_t len;
};

struct out_html_page {
	const char *title;
	const char *subtitle;
	const struct out_table *vintages;	/* shown first, as "Data vintages" */
	const struct out_table *const *tables;
	size_t ntables;
	const struct out_html_figure *figs;
	size_t nfigs;
	const char *const *notes;
	size_t nnotes;
};

/*
** The page as one self-contained HTML document: CSS inline, every SVG
** inline (XML prolog dropped, ids prefixed with the figure's id so
** several SVGs never share an id), no script, no external reference, all
** text escaped.  Pure: builds into memory (*out NUL-terminated, caller frees).
*/
int out_html_page_build(const struct out_html_page *pg, char **out, size_t *len,
			struct tc_err *err);
/* Build and write atomically to `path`. */
int out_html_page_write(const char *path, const struct out_html_page *pg, struct tc_err *err);

/*
** Copy an SVG for inlining: drop the XML declaration and any DOCTYPE, and
** prefix every id (and every local reference to one: href="#x", url(#x))
** with `prefix` and '-'.  Only markup is rewritten, never text.  Fails
** on something that is not an <svg> document.
*/
int out_html_svg_inline(const char *svg, size_t len, const char *prefix, char **out,
			size_t *outlen, struct tc_err *err);

/* &, <, >, " and ' escaped (caller frees). */
char *out_html_escape(const char *s);

/* Parse "table"/"csv"/"json"; -1 when unknown. */
int out_format_parse(const char *s, enum out_format *fmt);

#endif
