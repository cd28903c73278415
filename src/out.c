/*
** out.c: result documents rendered as an aligned table, CSV or JSON
** (HTML: out_html.c, through the read-only walk below).
** JSON is written as jansson wrote it (see write_json below): escaping
** and UTF-8 checked, numbers with 17 significant digits so they
** round-trip.
*/
#include "tocalc/out.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int gprec(char *b, size_t size, double v, int prec, int check);
static int fixed_text(char *b, size_t size, double v, int decimals);

enum cell_kind { CELL_MISSING, CELL_STR, CELL_NUM, CELL_INT, CELL_BOOL };

struct cell {
	enum cell_kind kind;
	int decimals;
	double num;
	long long i;
	char *str;
};

struct col {
	char *key;
	char *heading;
};

/*
** The document's strings (keys, headings, cells, notes) are copied into
** blocks it owns and frees at once: a what-if's document had 500 of them,
** each its own malloc and free.
*/
struct out_block {
	struct out_block *next;
	size_t used, cap;
	char buf[];
};

struct out_table {
	struct out_doc *doc;	/* whose blocks hold the strings */
	char *name, *title;
	struct col *cols;
	size_t ncols, cols_cap;
	struct cell *cells;	/* nrows * ncols */
	size_t nrows, rows_cap;
	size_t cur;		/* next cell index within the current row */
};

struct meta {
	char *key;
	struct cell val;
};

struct out_doc {
	char *command;
	struct meta *meta;
	size_t nmeta, meta_cap;
	struct out_table **tables;
	size_t ntables, tables_cap;
	char **notes;
	size_t nnotes, notes_cap;
	int csv_bare;		/* out_csv_bare(): no metadata columns in CSV */
	struct out_block *blocks;	/* the strings, newest block first */
};

/* A copy of s in d's blocks (512 bytes, then twice the last up to 64 KB, or the string's size). */
static char *doc_strdup(struct out_doc *d, const char *s)
{
	size_t n = strlen(s) + 1;
	struct out_block *b = d->blocks;
	char *p;

	if (!b || b->cap - b->used < n) {
		size_t cap = b ? 2 * b->cap : 512 - sizeof(*b);
		if (cap > 65536)
			cap = 65536;
		if (cap < n)
			cap = n;
		b = xmalloc(sizeof(*b) + cap);
		b->next = d->blocks;
		b->used = 0;
		b->cap = cap;
		d->blocks = b;
	}
	p = b->buf + b->used;
	memcpy(p, s, n);
	b->used += n;
	return p;
}

struct out_doc *out_doc_new(const char *command)
{
	struct out_doc *d = xcalloc(1, sizeof(*d));
	d->command = doc_strdup(d, command ? command : "");
	return d;
}

void out_doc_free(struct out_doc *d)
{
	if (!d)
		return;
	free(d->meta);
	for (size_t i = 0; i < d->ntables; i++) {
		struct out_table *t = d->tables[i];
		free(t->cols);
		free(t->cells);
		free(t);
	}
	free(d->tables);
	free(d->notes);
	while (d->blocks) {
		struct out_block *b = d->blocks;
		d->blocks = b->next;
		free(b);
	}
	free(d);
}

static struct cell *meta_add(struct out_doc *d, const char *key)
{
	struct meta *m;
	d->meta = xgrow(d->meta, &d->meta_cap, d->nmeta + 1, sizeof(*d->meta));
	m = &d->meta[d->nmeta++];
	m->key = doc_strdup(d, key);
	memset(&m->val, 0, sizeof(m->val));
	return &m->val;
}

void out_meta_str(struct out_doc *d, const char *key, const char *val)
{
	struct cell *c = meta_add(d, key);
	if (val) {
		c->kind = CELL_STR;
		c->str = doc_strdup(d, val);
	}
}

void out_meta_num(struct out_doc *d, const char *key, double v, int decimals)
{
	struct cell *c = meta_add(d, key);
	if (isfinite(v)) {
		c->kind = CELL_NUM;
		c->num = v;
		c->decimals = decimals;
	}
}

void out_meta_int(struct out_doc *d, const char *key, long long v)
{
	struct cell *c = meta_add(d, key);
	c->kind = CELL_INT;
	c->i = v;
}

void out_note(struct out_doc *d, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->notes = xgrow(d->notes, &d->notes_cap, d->nnotes + 1, sizeof(*d->notes));
	d->notes[d->nnotes++] = doc_strdup(d, buf);
}

void out_csv_bare(struct out_doc *d)
{
	d->csv_bare = 1;
}

struct out_table *out_table_add(struct out_doc *d, const char *name, const char *title)
{
	struct out_table *t = xcalloc(1, sizeof(*t));
	t->doc = d;
	t->name = doc_strdup(d, name);
	t->title = title ? doc_strdup(d, title) : NULL;
	d->tables = xgrow(d->tables, &d->tables_cap, d->ntables + 1, sizeof(*d->tables));
	d->tables[d->ntables++] = t;
	return t;
}

void out_col(struct out_table *t, const char *key, const char *heading)
{
	if (t->nrows)
		tc_die("out_col after rows (bug)");
	t->cols = xgrow(t->cols, &t->cols_cap, t->ncols + 1, sizeof(*t->cols));
	t->cols[t->ncols].key = doc_strdup(t->doc, key);
	t->cols[t->ncols].heading = doc_strdup(t->doc, heading ? heading : key);
	t->ncols++;
}

void out_row(struct out_table *t)
{
	size_t need = (t->nrows + 1) * t->ncols;
	size_t cap = t->rows_cap;

	t->cells = xgrow(t->cells, &cap, need, sizeof(*t->cells));
	t->rows_cap = cap;
	if (t->ncols)	/* a table without columns has no cells (and cells may be NULL) */
		memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(*t->cells));
	t->nrows++;
	t->cur = 0;
}

static struct cell *next_cell(struct out_table *t)
{
	if (!t->nrows || t->cur >= t->ncols)
		tc_die("too many cells in a row of table '%s' (bug)", t->name);
	return &t->cells[(t->nrows - 1) * t->ncols + t->cur++];
}

void out_str(struct out_table *t, const char *s)
{
	struct cell *c = next_cell(t);
	if (s) {
		c->kind = CELL_STR;
		c->str = doc_strdup(t->doc, s);
	}
}

void out_num(struct out_table *t, double v, int decimals)
{
	struct cell *c = next_cell(t);
	if (isfinite(v)) {
		c->kind = CELL_NUM;
		c->num = v;
		c->decimals = decimals;
	}
}

void out_int(struct out_table *t, long long v)
{
	struct cell *c = next_cell(t);
	c->kind = CELL_INT;
	c->i = v;
}

void out_bool(struct out_table *t, int v)
{
	struct cell *c = next_cell(t);
	c->kind = CELL_BOOL;
	c->i = v != 0;
}

void out_missing(struct out_table *t)
{
	next_cell(t);
}

size_t out_table_rows(const struct out_table *t)
{
	return t->nrows;
}

/* ------------------------------------------------------------------ */
/* the read-only walk (out.h)                                           */

const char *out_doc_command(const struct out_doc *d)
{
	return d->command;
}

const struct out_table *out_doc_table(const struct out_doc *d, size_t k)
{
	return k < d->ntables ? d->tables[k] : NULL;
}

const struct out_table *out_doc_find(const struct out_doc *d, const char *name)
{
	for (size_t k = 0; k < d->ntables; k++)
		if (!strcmp(d->tables[k]->name, name))
			return d->tables[k];
	return NULL;
}

size_t out_doc_nnotes(const struct out_doc *d)
{
	return d->nnotes;
}

const char *out_doc_note(const struct out_doc *d, size_t i)
{
	return i < d->nnotes ? d->notes[i] : NULL;
}

const char *out_table_key(const struct out_table *t)
{
	return t->name;
}

const char *out_table_title(const struct out_table *t)
{
	return t->title;
}

size_t out_table_ncols(const struct out_table *t)
{
	return t->ncols;
}

const char *out_col_key(const struct out_table *t, size_t j)
{
	return t->cols[j].key;
}

const char *out_col_heading(const struct out_table *t, size_t j)
{
	return t->cols[j].heading;
}

static const struct cell *cell_at(const struct out_table *t, size_t row, size_t col)
{
	if (row >= t->nrows || col >= t->ncols)
		tc_die("out_cell_get: no cell (%zu, %zu) in table '%s' (bug)", row, col, t->name);
	return &t->cells[row * t->ncols + col];
}

void out_cell_get(const struct out_table *t, size_t row, size_t col, struct out_cell *v)
{
	const struct cell *c = cell_at(t, row, col);

	memset(v, 0, sizeof(*v));
	switch (c->kind) {
	case CELL_STR:
		v->kind = OUT_CELL_STR;
		v->str = c->str;
		break;
	case CELL_NUM:
		v->kind = OUT_CELL_NUM;
		v->num = c->num;
		v->decimals = c->decimals;
		break;
	case CELL_INT:
		v->kind = OUT_CELL_INT;
		v->i = c->i;
		break;
	case CELL_BOOL:
		v->kind = OUT_CELL_BOOL;
		v->i = c->i;
		break;
	case CELL_MISSING:
	default:
		v->kind = OUT_CELL_MISSING;
		break;
	}
}

int out_format_parse(const char *s, enum out_format *fmt)
{
	if (!strcmp(s, "table"))
		*fmt = OUT_TABLE;
	else if (!strcmp(s, "csv"))
		*fmt = OUT_CSV;
	else if (!strcmp(s, "json"))
		*fmt = OUT_JSON;
	else
		return -1;
	return 0;
}

/*
** Insert thousands separators into the integer part of a formatted number
** of at least `min` integer digits.  Numbers of four digits are normally
** left alone, so years read as years ("2023", not "2,023").
*/
static void group_digits(char *buf, size_t size, size_t min)
{
	char tmp[128];
	const char *p = buf;
	size_t intlen = 0, o = 0;
	int neg = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	while (p[intlen] >= '0' && p[intlen] <= '9')
		intlen++;
	if (intlen < min || intlen < 4)
		return;
	/* the grouped text must fit tmp (cell_text prints huge numbers with an exponent) */
	if (1 + intlen + intlen / 3 + strlen(p + intlen) >= sizeof(tmp))
		return;
	if (neg)
		tmp[o++] = '-';
	for (size_t i = 0; i < intlen; i++) {
		if (i && (intlen - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = p[i];
	}
	snprintf(tmp + o, sizeof(tmp) - o, "%s", p + intlen);
	snprintf(buf, size, "%s", tmp);
}

/*
** Text of a cell for table (human=1) or CSV (human=0) output.  human=2:
** a table column that holds numbers of five or more digits, where a
** number with a fraction and four integer digits is grouped too, so the
** column reads alike ("9,511.7" above "88,088.4"); a whole number of four
** digits may be a year and stays as it is.  human=3: the table format's
** metadata lines (rounded like a table cell, not grouped).  CSV (human=0)
** prints every number in full precision, the shortest text that reads back
** as the same double (a p-value of 3e-05 is never "0.0000"); only the table
** format rounds to the cell's decimals.
*/
static void cell_text(const struct cell *c, int human, char *buf, size_t size)
{
	int rounded = human != 0;	/* every format but CSV rounds to the decimals */

	if (human == 3)
		human = 0;
	switch (c->kind) {
	case CELL_MISSING:
		snprintf(buf, size, "%s", human ? "-" : "");
		break;
	case CELL_STR:
		snprintf(buf, size, "%s", c->str);
		if (human)	/* keep one row per line on a terminal */
			for (char *p = buf; *p; p++)
				if ((unsigned char)*p < 0x20)
					*p = ' ';
		break;
	case CELL_NUM:
		if (human && fabs(c->num) >= 1e15) {
			/* no table cell of hundreds of digits: 1.23457e+20 */
			snprintf(buf, size, "%.6g", c->num);
			break;
		}
		if (c->decimals < 0 || !rounded) {
			/* shortest text that reads back as the same double (%.15g, %.16g or %.17g) */
			for (int prec = 15; prec <= 17; prec++)
				if (gprec(buf, size, c->num, prec, prec < 17) >= 0)
					break;
		}
		else
			fixed_text(buf, size, c->num, c->decimals);
		/* never print "-0.0" */
		if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
			memmove(buf, buf + 1, strlen(buf));
		if (human)
			group_digits(buf, size, human == 2 && c->decimals > 0 ? 4 : 5);
		break;
	case CELL_INT:
		snprintf(buf, size, "%lld", c->i);
		if (human)
			group_digits(buf, size, 5);
		break;
	case CELL_BOOL:
		snprintf(buf, size, "%s", c->i ? "yes" : "no");
		break;
	}
}

const char *out_cell_text(const struct out_table *t, size_t row, size_t col, char *buf,
			  size_t size)
{
	cell_text(cell_at(t, row, col), 1, buf, size);
	return buf;
}

static int is_numeric(const struct cell *c)
{
	return c->kind == CELL_NUM || c->kind == CELL_INT;
}

/* Display width of a UTF-8 string (code points; good enough for tables). */
static size_t utf8_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* n times the character c (' ' or '-'), a block at a time */
static void repeat(FILE *fp, char c, size_t n)
{
	static const char sp[] = "                                                                ";
	static const char dash[] = "----------------------------------------------------------------";
	const char *r = c == '-' ? dash : sp;

	while (n) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;
		fwrite(r, 1, k, fp);
		n -= k;
	}
}

static void pad(FILE *fp, size_t n)
{
	repeat(fp, ' ', n);
}

/* Does a number of the column have five or more integer digits? */
static int column_has_big(const struct out_table *t, size_t j)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cell *c = &t->cells[i * t->ncols + j];
		if ((c->kind == CELL_NUM && fabs(c->num) >= 9999.5) ||
		    (c->kind == CELL_INT && (c->i >= 10000 || c->i <= -10000)))
			return 1;
	}
	return 0;
}

/* "tocalc: note: TEXT" on fp, TEXT escaped like every diagnostic (util.h). */
static void put_note(FILE *fp, const char *text)
{
	fputs("tocalc: note: ", fp);
	tc_put_escaped(fp, text);
	fputc('\n', fp);
}

/*
** Notes go to standard error, which has no buffer: escaped a byte at a
** time they took one write(2) per byte (2,971 for a what-if's table).  They
** are gathered in memory and written at once; where the memory stream cannot
** be opened, as before.
*/
static FILE *notes_begin(FILE *fp, char **buf, size_t *len)
{
	FILE *m = open_memstream(buf, len);

	return m ? m : fp;
}

static void notes_end(FILE *fp, FILE *m, char **buf, size_t *len)
{
	if (m == fp)
		return;
	if (!fclose(m))
		fwrite(*buf, 1, *len, fp);
	free(*buf);
}

static void put_notes(FILE *fp, const struct out_doc *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = notes_begin(fp, &buf, &len);

	for (size_t i = 0; i < d->nnotes; i++)
		put_note(m, d->notes[i]);
	notes_end(fp, m, &buf, &len);
}

static void write_table_text(const struct out_table *t, FILE *fp)
{
	size_t *w = xcalloc(t->ncols ? t->ncols : 1, sizeof(*w));
	int *mode = xcalloc(t->ncols ? t->ncols : 1, sizeof(*mode));
	size_t ncells = t->nrows * t->ncols;
	/* each cell's text and width, made once for the widths and the lines */
	size_t *off = xmalloc((ncells ? ncells : 1) * sizeof(*off));
	size_t *cw = xmalloc((ncells ? ncells : 1) * sizeof(*cw));
	struct strbuf txt = STRBUF_INIT;
	char buf[4096];

	if (t->title)
		fprintf(fp, "%s\n", t->title);
	for (size_t j = 0; j < t->ncols; j++) {
		w[j] = utf8_width(t->cols[j].heading);
		mode[j] = column_has_big(t, j) ? 2 : 1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t j = 0; j < t->ncols; j++) {
			size_t n, k = i * t->ncols + j;
			cell_text(&t->cells[k], mode[j], buf, sizeof(buf));
			n = utf8_width(buf);
			off[k] = txt.len;
			cw[k] = n;
			strbuf_add(&txt, buf, strlen(buf) + 1);
			if (n > w[j])
				w[j] = n;
		}
	for (size_t j = 0; j < t->ncols; j++) {
		size_t n = utf8_width(t->cols[j].heading);
		int right = t->nrows && is_numeric(&t->cells[j]);
		if (j)
			fputs("  ", fp);
		if (right)
			pad(fp, w[j] - n);
		fputs(t->cols[j].heading, fp);
		if (!right && j + 1 < t->ncols)
			pad(fp, w[j] - n);
	}
	fputc('\n', fp);
	for (size_t j = 0; j < t->ncols; j++) {
		if (j)
			fputs("  ", fp);
		repeat(fp, '-', w[j]);
	}
	fputc('\n', fp);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->ncols; j++) {
			size_t k = i * t->ncols + j, n = cw[k];
			const struct cell *c = &t->cells[k];
			int right = is_numeric(c) || (c->kind == CELL_MISSING && t->nrows &&
						      is_numeric(&t->cells[j]));
			if (j)
				fputs("  ", fp);
			if (right)
				pad(fp, w[j] - n);
			fputs(txt.buf + off[k], fp);
			if (!right && j + 1 < t->ncols)
				pad(fp, w[j] - n);
		}
		fputc('\n', fp);
	}
	strbuf_release(&txt);
	free(cw);
	free(off);
	free(mode);
	free(w);
}

static void csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Is metadata entry k carried as a column of t (not bare, no column of that name)? */
static int meta_is_column(const struct out_doc *d, const struct out_table *t, size_t k)
{
	if (d->csv_bare)
		return 0;
	for (size_t j = 0; j < t->ncols; j++)
		if (!strcmp(t->cols[j].key, d->meta[k].key))
			return 0;
	for (size_t j = 0; j < k; j++)
		if (!strcmp(d->meta[j].key, d->meta[k].key))
			return 0;
	return 1;
}

/*
** One table as one CSV document: its columns, then every metadata entry
** of the document (vintage, units, series, model parameters...) as a
** constant column, so a saved file still says where its numbers came
** from and any CSV reader (R, pandas, sqlite3 .import) takes it as it is.
*/
static void write_table_csv(const struct out_doc *d, const struct out_table *t, FILE *fp)
{
	char buf[4096];
	int first = 1;

	for (size_t j = 0; j < t->ncols; j++, first = 0) {
		if (!first)
			fputc(',', fp);
		csv_field(fp, t->cols[j].key);
	}
	for (size_t k = 0; k < d->nmeta; k++)
		if (meta_is_column(d, t, k)) {
			if (!first)
				fputc(',', fp);
			first = 0;
			csv_field(fp, d->meta[k].key);
		}
	fputc('\n', fp);
	for (size_t i = 0; i < t->nrows; i++) {
		first = 1;
		for (size_t j = 0; j < t->ncols; j++, first = 0) {
			if (!first)
				fputc(',', fp);
			cell_text(&t->cells[i * t->ncols + j], 0, buf, sizeof(buf));
			csv_field(fp, buf);
		}
		for (size_t k = 0; k < d->nmeta; k++)
			if (meta_is_column(d, t, k)) {
				if (!first)
					fputc(',', fp);
				first = 0;
				cell_text(&d->meta[k].val, 0, buf, sizeof(buf));
				csv_field(fp, buf);
			}
		fputc('\n', fp);
	}
}

const char *out_table_name(const struct out_doc *d, size_t k)
{
	return k < d->ntables ? d->tables[k]->name : NULL;
}

size_t out_doc_ntables(const struct out_doc *d)
{
	return d->ntables;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */

/*
** The text jansson's json_dumpf(JSON_INDENT(2) | JSON_PRESERVE_ORDER |
** JSON_REAL_PRECISION(17)) gives for the same document, byte for byte
** (tests/unit/test_out_json.c compares the two on hand-made and random
** documents): two-space indents, ": " after a key, "{}" and "[]" when
** empty; reals as %.17g with ".0" added to a whole number and the exponent
** written without '+' or leading zeros; strings with \" \\ \b \f \n \r \t
** and \u00XX for the other control characters, UTF-8 as it is.  As in
** jansson, a string that is not valid UTF-8 (strict: tc_utf8_len) cannot
** be a value, so a cell or metadata value is written "(invalid UTF-8)"
** while a note or the command is left out; an entry whose key is not valid
** UTF-8 is left out; a key given twice keeps its first place and its last
** value.  It used to be jansson itself: building and freeing its tree, the
** per-character UTF-8 walk and one fwrite per token were a third of the
** instructions of a what-if (issue 18).  The text is built in memory and
** written with one fwrite.
*/

/* strbuf_add without the call: the text grows in a block sized for most documents */
static inline void jput(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		sb->buf = xgrow(sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
}

static int json_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n) {
		size_t l = *p < 0x80 ? 1 : tc_utf8_len(p, n, NULL);
		if (!l)
			return 0;
		p += l;
		n -= l;
	}
	return 1;
}

/* s as a JSON string; 0, or -1 (nothing added) when s is not valid UTF-8. */
static int json_str(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t start = sb->len, left = strlen(s);

	jput(sb, "\"", 1);
	while (left) {
		unsigned char c;
		char esc[6];
		size_t n = 2;
		uint64_t w;

		/* eight bytes at a time while none is a control, '"', '\\' or above 0x7f */
		while (left >= 8) {
			const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
			memcpy(&w, p, 8);
			if (((w | (w - 0x20 * ones) | ((w ^ 0x22 * ones) - ones) |
			      ((w ^ 0x5c * ones) - ones)) & high))
				break;
			p += 8;
			left -= 8;
		}
		if (!left)
			break;
		c = *p;
		if (c >= 0x80) {
			size_t l = tc_utf8_len(p, left, NULL);
			if (!l) {
				sb->len = start;
				if (sb->buf)
					sb->buf[start] = '\0';
				return -1;
			}
			p += l;
			left -= l;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			p++;
			left--;
			continue;
		}
		jput(sb, (const char *)run, (size_t)(p - run));
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		jput(sb, esc, n);
		p++;
		left--;
		run = p;
	}
	jput(sb, (const char *)run, (size_t)(p - run));
	jput(sb, "\"", 1);
	return 0;
}

/*
** "%.Pg" of a finite v into b (at least 32 bytes) for P = 15, 16 or 17,
** the text the C library prints: the exact binary value rounded to P
** significant digits, ties to even, then %g's choice of form and its
** trailing zeros removed.  For 1e-5 <= |v| < 1e17 (every figure a what-if
** prints) the digits come from integer arithmetic, exact there:
** v * 10^q = m * 10^q * 2^e with m < 2^53 and q <= 21 fits 128 bits, and
** the bits shifted out decide the rounding.  Other values (0, subnormals,
** huge or tiny ones, and those that would need q < 0) go to snprintf.
** glibc's printf took about 2,900 instructions a number (309 in a
** what-if's JSON).
**
** With check, the text must also read back as v (strtod, round to nearest,
** ties to even), else the result is -1: the decimal D = n / 10^q reads back
** as v when it lies within half the gap to v's neighbours, which in units
** of 2^e / 10^q is |n 2^-e - m 10^q| <= 10^q / 2 (a quarter below v when m
** is 2^52, the gap below being half as wide), equality being a tie that
** goes to the even significand.  Otherwise snprintf and strtod decide.
** tests/unit/test_out_json.c checks both against the C library.
*/
__extension__ typedef unsigned __int128 out_u128;

static int gprec_lib(char *b, size_t size, double v, int prec, int check)
{
	int n = snprintf(b, size, "%.*g", prec, v);

	return check && strtod(b, NULL) != v ? -1 : n;
}

/* 10^0 .. 10^19 */
static const uint64_t pow10_u64[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull
};

/* 10^q for 0 <= q <= 21, in 128 bits */
static inline out_u128 pow10_u128(int q)
{
	return q <= 19 ? (out_u128)pow10_u64[q] : (out_u128)pow10_u64[19] * pow10_u64[q - 19];
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The eight decimal digits of v < 10^8 into d[0..7]. */
static inline void digits8(char *d, uint32_t v)
{
	for (int i = 6; i >= 0; i -= 2) {
		uint32_t r = v % 100;
		v /= 100;
		memcpy(d + i, digit_pairs + 2 * r, 2);
	}
}

static int gprec(char *b, size_t size, double v, int prec, int check)
{
	static const double lo[] = { 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5,
				     1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16 };
	uint64_t e_lo, e_hi, bits, m, n = 0;
	double a = fabs(v);
	int e, x, t, o = 0, last, q = 0, digits = prec;
	char dbuf[24], *d;

	memcpy(&bits, &v, sizeof(bits));
	if (a == 0) {
		if (bits >> 63)
			b[o++] = '-';
		b[o++] = '0';
		b[o] = '\0';
		return o;
	}
	if (!(a >= 1e-5 && a < 1e17) || prec < 15 || prec > 17)
		return gprec_lib(b, size, v, prec, check);
	if (a < 9007199254740992.0 && a == (double)(uint64_t)a && (uint64_t)a < pow10_u64[prec]) {
		/* a whole number of at most prec digits: its digits, exact (and it reads back) */
		uint64_t u = (uint64_t)a;
		char *end = dbuf + sizeof(dbuf), *q0 = end;
		while (u >= 100) {
			q0 -= 2;
			memcpy(q0, digit_pairs + 2 * (u % 100), 2);
			u /= 100;
		}
		if (u >= 10) {
			q0 -= 2;
			memcpy(q0, digit_pairs + 2 * u, 2);
		} else {
			*--q0 = (char)('0' + u);
		}
		if (v < 0)
			b[o++] = '-';
		memcpy(b + o, q0, (size_t)(end - q0));
		o += (int)(end - q0);
		b[o] = '\0';
		return o;
	}
	e_lo = pow10_u64[prec - 1];
	e_hi = pow10_u64[prec];
	m = (bits & ((1ull << 52) - 1)) | (1ull << 52);	/* a >= 1e-5: normal */
	e = (int)((bits >> 52) & 0x7ff) - 1075;
	if (check && e >= 0)
		return gprec_lib(b, size, v, prec, check);
	/* floor(log10(a)) is floor((e + 52) log10(2)) or one more (78913 / 2^18 ~ log10(2)) */
	t = (e + 52) * 78913;
	x = t >= 0 ? t >> 18 : -((-t + (1 << 18) - 1) >> 18);
	if (x < -5)
		x = -5;
	else if (x < 16 && a >= lo[x + 6])
		x++;
	for (;;) {
		out_u128 p, r = 0, half = 0;
		q = prec - 1 - x;	/* 0..21 */
		if (q < 0)
			return gprec_lib(b, size, v, prec, check);
		p = (out_u128)m * pow10_u128(q);
		if (e >= 0) {
			p <<= e;	/* v >= 2^52: q <= 1, p < 2^62 */
		} else {
			r = p & (((out_u128)1 << -e) - 1);
			half = (out_u128)1 << (-e - 1);
			p >>= -e;
		}
		if (p < e_lo && x > -5) {
			x--;
			continue;
		}
		if (p >= e_hi && x < 16) {
			x++;
			continue;
		}
		n = (uint64_t)p;
		if (e < 0 && (r > half || (r == half && (n & 1))))
			n++;
		break;
	}
	if (n < e_lo || n > e_hi)	/* cannot happen; keep the library's answer */
		return gprec_lib(b, size, v, prec, check);
	if (n == e_hi) {
		if (check)
			return gprec_lib(b, size, v, prec, check);
		n = e_lo;
		x++;
	}
	if (check) {
		out_u128 A = (out_u128)n << -e, B = m, p10 = pow10_u128(q), diff;
		B *= p10;
		diff = A >= B ? A - B : B - A;
		if (A < B && m == (1ull << 52)) {
			if (4 * diff > p10)
				return -1;
		} else if (2 * diff > p10 || (2 * diff == p10 && (m & 1))) {
			return -1;
		}
	}
	/* n < 10^17: dbuf holds it with leading zeros, its `digits` digits are d */
	{
		uint64_t hi = n / 100000000u;
		digits8(dbuf + 16, (uint32_t)(n - hi * 100000000u));
		n = hi / 100000000u;
		digits8(dbuf + 8, (uint32_t)(hi - n * 100000000u));
		digits8(dbuf, (uint32_t)n);
	}
	d = dbuf + 24 - digits;
	for (last = digits - 1; last > 0 && d[last] == '0'; last--)
		;
	if (v < 0)
		b[o++] = '-';
	if (x < -4 || x >= prec) {
		int ax = x < 0 ? -x : x;
		b[o++] = d[0];
		if (last > 0) {
			b[o++] = '.';
			memcpy(b + o, d + 1, (size_t)last);
			o += last;
		}
		b[o++] = 'e';
		b[o++] = x < 0 ? '-' : '+';
		b[o++] = (char)('0' + ax / 10);	/* |x| <= 16 here */
		b[o++] = (char)('0' + ax % 10);
	} else if (x >= 0) {
		memcpy(b + o, d, (size_t)x + 1);
		o += x + 1;
		if (last > x) {
			b[o++] = '.';
			memcpy(b + o, d + x + 1, (size_t)(last - x));
			o += last - x;
		}
	} else {
		b[o++] = '0';
		b[o++] = '.';
		for (int i = -1; i > x; i--)
			b[o++] = '0';
		memcpy(b + o, d, (size_t)last + 1);
		o += last + 1;
	}
	b[o] = '\0';
	return o;
}

/*
** "%.Df" of a finite v into b: the exact binary value rounded to D
** decimals, ties to even, as the C library prints it.  For 2^-74 <= |v| <
** 2^53 and D <= 17 with v * 10^D below 10^19 (every table cell) the digits
** come from integers: v * 10^D = m 10^D 2^e with e <= 0 fits 128 bits and
** the bits shifted out decide the rounding; other values (0, tiny, huge)
** go to snprintf.  glibc's printf took about 1,200 instructions a cell.
** tests/unit/test_out_json.c checks it against the C library.
*/
static int fixed_text(char *b, size_t size, double v, int decimals)
{
	uint64_t bits, m, n, ip, fp;
	double a = fabs(v);
	int e, o = 0;
	out_u128 p, r, half;
	char tmp[24], *q;

	memcpy(&bits, &v, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff) - 1075;
	if (!(a >= 0x1p-74 && a < 0x1p53) || decimals < 0 || decimals > 17 || size < 48)
		return snprintf(b, size, "%.*f", decimals, v);
	m = (bits & ((1ull << 52) - 1)) | (1ull << 52);	/* a >= 2^-74: normal, -e <= 126 */
	p = (out_u128)m * pow10_u64[decimals];	/* e <= 0 below 2^53 */
	if (e < 0) {
		r = p & (((out_u128)1 << -e) - 1);
		half = (out_u128)1 << (-e - 1);
		p >>= -e;
		if (r > half || (r == half && (p & 1)))
			p++;
	}
	if (p >= (out_u128)pow10_u64[19])
		return snprintf(b, size, "%.*f", decimals, v);
	n = (uint64_t)p;
	ip = n / pow10_u64[decimals];
	fp = n - ip * pow10_u64[decimals];
	if (v < 0)
		b[o++] = '-';
	q = tmp + sizeof(tmp);
	do {
		*--q = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	memcpy(b + o, q, (size_t)(tmp + sizeof(tmp) - q));
	o += (int)(tmp + sizeof(tmp) - q);
	if (decimals) {
		b[o++] = '.';
		for (int i = decimals - 1; i >= 0; i--) {
			b[o + i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += decimals;
	}
	b[o] = '\0';
	return o;
}

/* A finite double as jansson writes it at precision 17. */
static void json_real(struct strbuf *sb, double v)
{
	char b[48];
	int n = gprec(b, sizeof(b), v, 17, 0);
	char *e = memchr(b, 'e', (size_t)n);

	if (!e) {
		if (!memchr(b, '.', (size_t)n)) {
			b[n++] = '.';
			b[n++] = '0';
		}
	} else {
		/* e+05 -> e5, e-05 -> e-5 */
		char *to = e + 1, *from = e + 1;
		if (*from == '-')
			to = ++from;
		else if (*from == '+')
			from++;
		while (*from == '0')
			from++;
		memmove(to, from, (size_t)(b + n - from));
		n -= (int)(from - to);
	}
	jput(sb, b, (size_t)n);
}

static void json_int(struct strbuf *sb, long long v)
{
	char b[24];
	size_t i = sizeof(b);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	jput(sb, b + i, sizeof(b) - i);
}

static void json_cell(struct strbuf *sb, const struct cell *c)
{
	switch (c->kind) {
	case CELL_STR:
		/* inputs are validated UTF-8; a stray byte must not break the JSON */
		if (json_str(sb, c->str))
			jput(sb, "\"(invalid UTF-8)\"", 17);
		break;
	case CELL_NUM:
		json_real(sb, c->num);
		break;
	case CELL_INT:
		json_int(sb, c->i);
		break;
	case CELL_BOOL:
		if (c->i)
			jput(sb, "true", 4);
		else
			jput(sb, "false", 5);
		break;
	case CELL_MISSING:
	default:
		jput(sb, "null", 4);
		break;
	}
}

/* A new line and the indent of depth (two spaces a level). */
static void json_indent(struct strbuf *sb, int depth)
{
	static const char nl[] = "\n                ";

	jput(sb, nl, 1);
	for (int d = 2 * depth; d > 0; d -= 16)
		jput(sb, nl + 1, d < 16 ? (size_t)d : 16);
}

/*
** The entries of one object in the order jansson keeps: key[i] NULL or not
** valid UTF-8 leaves entry i out; a repeated key keeps its first place and
** takes the later entry.  pick[k] = the entry written k-th; returns how many.
*/
static size_t json_keys(const char *const *key, size_t n, size_t *pick)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;
		if (!key[i] || !json_utf8_ok(key[i]))
			continue;
		for (k = 0; k < m; k++)
			if (!strcmp(key[pick[k]], key[i]))
				break;
		pick[k] = i;
		if (k == m)
			m++;
	}
	return m;
}

static void json_table(struct strbuf *sb, const struct out_table *t)
{
	const char **key = xcalloc(t->ncols ? t->ncols : 1, sizeof(*key));
	size_t *pick = xcalloc(t->ncols ? t->ncols : 1, sizeof(*pick)), *koff;
	struct strbuf keys = STRBUF_INIT;
	size_t m;

	for (size_t j = 0; j < t->ncols; j++)
		key[j] = t->cols[j].key;
	m = json_keys(key, t->ncols, pick);
	/* the text before each cell of a row, written once: ",\n      \"key\": " */
	koff = xcalloc(m + 1, sizeof(*koff));
	for (size_t k = 0; k < m; k++) {
		if (k)
			jput(&keys, ",", 1);
		json_indent(&keys, 3);
		json_str(&keys, key[pick[k]]);
		jput(&keys, ": ", 2);
		koff[k + 1] = keys.len;
	}
	jput(sb, "[", 1);
	for (size_t i = 0; i < t->nrows; i++) {
		json_indent(sb, 2);
		jput(sb, "{", 1);
		for (size_t k = 0; k < m; k++) {
			jput(sb, keys.buf + koff[k], koff[k + 1] - koff[k]);
			json_cell(sb, &t->cells[i * t->ncols + pick[k]]);
		}
		if (m)
			json_indent(sb, 2);
		jput(sb, "}", 1);
		if (i + 1 < t->nrows)
			jput(sb, ",", 1);
		else
			json_indent(sb, 1);
	}
	jput(sb, "]", 1);
	strbuf_release(&keys);
	free(koff);
	free(pick);
	free(key);
}

static void json_notes(struct strbuf *sb, const struct out_doc *d)
{
	int any = 0;

	jput(sb, "[", 1);
	for (size_t i = 0; i < d->nnotes; i++) {
		size_t mark = sb->len;
		if (any)
			jput(sb, ",", 1);
		json_indent(sb, 2);
		if (json_str(sb, d->notes[i])) {
			sb->len = mark;	/* jansson leaves out a note that is not UTF-8 */
			sb->buf[mark] = '\0';
			continue;
		}
		any = 1;
	}
	if (any)
		json_indent(sb, 1);
	jput(sb, "]", 1);
}

static int write_json(const struct out_doc *d, FILE *fp, struct tc_err *err)
{
	size_t n = 1 + d->nmeta + d->ntables + 1, m, e;
	const char **key = xcalloc(n, sizeof(*key));
	size_t *pick = xcalloc(n, sizeof(*pick));
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	/* the entries: command, metadata, tables, notes (jansson: a value that is not UTF-8 is none) */
	key[0] = json_utf8_ok(d->command) ? "command" : NULL;
	for (size_t i = 0; i < d->nmeta; i++)
		key[1 + i] = d->meta[i].key;
	for (size_t k = 0; k < d->ntables; k++)
		key[1 + d->nmeta + k] = d->tables[k]->name;
	key[n - 1] = d->nnotes ? "notes" : NULL;
	m = json_keys(key, n, pick);
	/* one block for the text of most documents (a what-if: 31 KB): no copies while it grows */
	sb.cap = 64 * 1024;
	sb.buf = xmalloc(sb.cap);
	jput(&sb, "{", 1);
	for (size_t k = 0; k < m; k++) {
		e = pick[k];
		json_indent(&sb, 1);
		json_str(&sb, key[e]);
		jput(&sb, ": ", 2);
		if (e == 0)
			json_str(&sb, d->command);
		else if (e <= d->nmeta)
			json_cell(&sb, &d->meta[e - 1].val);
		else if (e < n - 1)
			json_table(&sb, d->tables[e - 1 - d->nmeta]);
		else
			json_notes(&sb, d);
		if (k + 1 < m)
			jput(&sb, ",", 1);
		else
			json_indent(&sb, 0);
	}
	jput(&sb, "}\n", 2);
	if (fwrite(sb.buf, 1, sb.len, fp) != sb.len)
		rc = tc_fail(err, "unable to write JSON output");
	strbuf_release(&sb);
	free(pick);
	free(key);
	return rc;
}

int out_doc_write(const struct out_doc *d, enum out_format fmt, FILE *fp, struct tc_err *err)
{
	struct out_opts o = { NULL, NULL };

	return out_doc_write_opts(d, fmt, fp, &o, err);
}

int out_doc_write_opts(const struct out_doc *d, enum out_format fmt, FILE *fp,
		       const struct out_opts *o, struct tc_err *err)
{
	char buf[4096];
	const struct out_table *one = NULL;

	if (fmt == OUT_CSV && d->ntables) {
		one = d->tables[0];
		if (o->table) {
			const char **names = xcalloc(d->ntables, sizeof(char *));
			char hint[300];
			one = NULL;
			for (size_t k = 0; k < d->ntables; k++) {
				names[k] = d->tables[k]->name;
				if (!strcmp(names[k], o->table))
					one = d->tables[k];
			}
			if (!one) {
				size_t used = 0;
				char list[600];
				list[0] = '\0';
				for (size_t k = 0; k < d->ntables && used < sizeof(list); k++)
					used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
								 k ? ", " : "", names[k]);
				tc_suggest(o->table, names, d->ntables, NULL, hint, sizeof(hint));
				free(names);
				return tc_failc(err, TC_EXIT_USAGE, "--table: '%s' is not a table of '%s'%s "
						"(tables: %s)", o->table, d->command, hint, list);
			}
			free(names);
		} else if (d->ntables > 1 && o->notes) {
			char *nb = NULL;
			size_t nl = 0;
			FILE *m = notes_begin(o->notes, &nb, &nl);
			fputs("tocalc: note: --csv writes one table, '", m);
			tc_put_escaped(m, one->name);
			fputs("'; the others:", m);
			for (size_t k = 1; k < d->ntables; k++) {
				fputs(" --table ", m);
				tc_put_escaped(m, d->tables[k]->name);
			}
			fputc('\n', m);
			notes_end(o->notes, m, &nb, &nl);
		}
	} else if (o->table && fmt != OUT_CSV) {
		return tc_failc(err, TC_EXIT_USAGE, "--table picks the table of --csv output; it "
				"needs --csv");
	}

	switch (fmt) {
	case OUT_JSON:
		if (write_json(d, fp, err)) {
			if (tc_fd_reader_gone(fileno(fp)))
				return 0;	/* `| head`: the reader has what it wanted */
			return -1;
		}
		break;
	case OUT_CSV:
		if (one)
			write_table_csv(d, one, fp);
		if (o->notes)
			put_notes(o->notes, d);
		break;
	case OUT_HTML:
		if (out_html_doc(d, fp, err))
			return -1;
		break;
	case OUT_TABLE:
	default:
		for (size_t i = 0; i < d->nmeta; i++) {
			cell_text(&d->meta[i].val, 3, buf, sizeof(buf));
			fprintf(fp, "%s: %s\n", d->meta[i].key, buf);
		}
		for (size_t k = 0; k < d->ntables; k++) {
			if (k || d->nmeta)
				fputc('\n', fp);
			write_table_text(d->tables[k], fp);
		}
		/* notes go to stderr (the help says so) and --quiet drops them */
		if (o->notes) {
			fflush(fp);
			put_notes(o->notes, d);
		}
		break;
	}
	if (fflush(fp) || ferror(fp)) {
		if (tc_fd_reader_gone(fileno(fp)))
			return 0;	/* `| head`: the reader has what it wanted */
		return tc_fail(err, "write failure on standard output");
	}
	return 0;
}
