/*
** tcsv.h: strict, typed CSV loading on top of libcsv.
**
** One loader reads every tocalc input (shipped datasets, user files, raw
** CDC and Census downloads) against a declared schema.  It never lets bad
** data through: any problem is an error naming file, line, column and
** column name, e.g.
**   overdose_annual.csv:12:3: column 'deaths': expected a number, got "n/a"
** and no partial table is returned.
**
** Handled beyond libcsv: UTF-8 BOM, CRLF, blank lines (skipped), ragged
** rows, unterminated quotes, embedded NUL, oversized fields (> 1 MiB),
** missing/duplicate/unknown columns, non-numbers, NaN/inf, negative
** counts, out-of-range dates, duplicate keys, empty file, header only,
** a last line without its newline (a truncated file), and a path that is
** not a regular file (a FIFO is refused at once, never waited on).
**
** Symbols use the prefix tcsv_ (libcsv owns csv_).
*/
#ifndef TOCALC_TCSV_H
#define TOCALC_TCSV_H

#include <stddef.h>
#include "tocalc/util.h"

enum tcsv_type {
	TCSV_INT,	/* integer; stored in num[] */
	TCSV_REAL,	/* finite real; stored in num[] */
	TCSV_DATE,	/* "YYYY-MM-DD"; num[] = yyyymmdd */
	TCSV_MONTH,	/* "YYYY-MM"; num[] = yyyymm */
	TCSV_TEXT,	/* any UTF-8 text without control characters except tab */
	TCSV_ENUM	/* one of spec->values; num[] = index, text[] = value */
};

/* Column flags. */
#define TCSV_OPTIONAL	0x01u	/* an empty field is allowed and means missing */
#define TCSV_NONNEG	0x02u	/* number must be >= 0 */
#define TCSV_THOUSANDS	0x04u	/* accept thousands separators: "112,911" */
#define TCSV_KEY	0x08u	/* part of the row key; duplicate keys are errors */
#define TCSV_POSITIVE	0x10u	/* number must be > 0 */

/* Schema flags. */
#define TCSV_ALLOW_EXTRA 0x01u	/* ignore columns the schema does not name */

struct tcsv_col_spec {
	const char *name;
	enum tcsv_type type;
	unsigned flags;
	const char *const *values;	/* TCSV_ENUM: NULL-terminated list */
	double min, max;		/* INT/REAL range check when min < max */
};

struct tcsv_schema {
	const char *name;		/* dataset name, for messages */
	const struct tcsv_col_spec *cols;
	size_t ncols;
	unsigned flags;
};

/*
** One column of a loaded table.  For every row i: missing[i] is 1 when
** the field was empty (then num[i] is NAN and text[i] is NULL).
** num is set for all types but TEXT; text is set for TEXT, ENUM, DATE
** and MONTH (the field as written).
*/
struct tcsv_column {
	enum tcsv_type type;
	double *num;
	char **text;
	unsigned char *missing;
};

/*
** Ownership: a table comes only from tcsv_load_*; its strings live in the
** table's arena (`strings`: TEXT, DATE and MONTH text; for an input of up
** to 1 MiB the arena holds the input itself, read once, and most strings
** are NUL-terminated in place there; for a larger one equal DATE or MONTH
** values of a column share one string; ENUM text points at the schema's
** own values[k]).  The missing[] arrays of columns that are not OPTIONAL
** are one shared array of zeros.  Treat every array and string as
** read-only: never free or replace text[i] or write missing[i], and never
** compare strings by address; tcsv_table_release() frees everything.
*/
struct tcsv_table {
	const struct tcsv_schema *schema;
	char *path;			/* as given to the loader */
	size_t nrows;
	struct tcsv_column *cols;	/* schema->ncols entries, schema order */
	long *lines;			/* physical line where each row starts */
	void *strings;			/* the string arena (private to tcsv.c) */
};

/* One validated row, passed to a streaming callback; valid only during it. */
struct tcsv_row {
	long line;
	const double *num;		/* schema->ncols entries */
	const char *const *text;
	const unsigned char *missing;
};

/*
** Streaming callback: return 0 to continue, -1 (with err filled) to stop;
** the stream then fails with that error.
*/
typedef int (*tcsv_row_fn)(const struct tcsv_row *row, void *ud, struct tc_err *err);

/*
** Read `path` (or a memory buffer, `name` used in messages) and call `fn`
** for each data row after validating it against `schema`.
** `fn` may be NULL (validate only).
** Returns 0, or -1 with err filled; the callback may have seen rows
** before an error, so callers that build state must discard it then.
*/
int tcsv_stream_file(const char *path, const struct tcsv_schema *schema,
		     tcsv_row_fn fn, void *ud, struct tc_err *err);
int tcsv_stream_buffer(const char *name, const char *buf, size_t len,
		       const struct tcsv_schema *schema,
		       tcsv_row_fn fn, void *ud, struct tc_err *err);

/*
** Load a whole file into `t` (which need not be initialised).  On error
** `t` is left empty (nothing to release) and err is filled.
** The caller releases a loaded table with tcsv_table_release().
*/
int tcsv_load_file(struct tcsv_table *t, const char *path,
		   const struct tcsv_schema *schema, struct tc_err *err);
int tcsv_load_buffer(struct tcsv_table *t, const char *name, const char *buf,
		     size_t len, const struct tcsv_schema *schema, struct tc_err *err);
void tcsv_table_release(struct tcsv_table *t);

/*
** The number parser of INT and REAL columns, for tests and fuzzing:
** s[0..len) with flags TCSV_THOUSANDS and/or TCSV_NUM_INTEGER.  Returns 0
** and *out (the same double strtod gives, -0 included), or -1 when the
** strict layer refuses the text (including overflow).  *fast, when not
** NULL, is 1 when the exact fast path (Clinger) gave the value, 0 when
** strtod did.
*/
#define TCSV_NUM_INTEGER 0x100u
/*
** The parser reads whole words past a field when 8 bytes are readable after
** it (the fast line splitter's buffer: the field, a NUL, more bytes);
** tcsv_parse_number copies s so.  TCSV_NUM_UNPADDED runs the byte path
** (libcsv's fields), TCSV_NUM_PAD_DIGITS puts digits right after the field
** instead of the NUL (the word path must still stop at len).
*/
#define TCSV_NUM_UNPADDED 0x200u
#define TCSV_NUM_PAD_DIGITS 0x400u
int tcsv_parse_number(const char *s, size_t len, unsigned flags, double *out, int *fast);

/*
** Whether simple lines are split by tcsv itself (the default, 1) or every
** line goes through libcsv (0).  Both give the same rows and messages; the
** switch exists for the tests and the fuzz harness that compare them.
** Not thread-safe; call it before loading.
*/
void tcsv_set_fast_lines(int on);

/* Index of the schema column called `name`, or -1. */
int tcsv_col_index(const struct tcsv_schema *schema, const char *name);

/* Convenience accessors (no bounds checks beyond asserts). */
double tcsv_num(const struct tcsv_table *t, size_t col, size_t row);
const char *tcsv_text(const struct tcsv_table *t, size_t col, size_t row);
int tcsv_is_missing(const struct tcsv_table *t, size_t col, size_t row);

#endif
