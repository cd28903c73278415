/*
** out.h: result documents and their three renderings.
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
**              "notes": [...]} written with jansson; keys keep insertion order.
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

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

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

/* Parse "table"/"csv"/"json"; -1 when unknown. */
int out_format_parse(const char *s, enum out_format *fmt);

#endif
