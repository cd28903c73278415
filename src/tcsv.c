/*
** tcsv.c: strict, typed CSV loading on top of libcsv.
**
** libcsv gives no line numbers, skips blank lines silently, does not
** detect ragged rows, keeps a UTF-8 BOM and happily grows a field to
** gigabytes after a stray quote.  So we feed it one physical line at a
** time (which tells us the line of every callback), strip the BOM, count
** fields per row, cap the field size through its realloc hook, and
** after a parse error never call csv_fini with callbacks (it would
** submit the half-read row).
*/
#include "tocalc/tcsv.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIELD_MAX (1u << 20)	/* 1 MiB per field */
#define FIELDS_MAX 4096		/* per row */
#define CHUNK (64 * 1024)

/* libcsv's realloc hook has no user pointer; the cap is a constant. */
static void *capped_realloc(void *p, size_t n)
{
	if (n > FIELD_MAX + 16)
		return NULL;
	return realloc(p, n);
}

struct keyset {
	char **keys;
	long *lines;
	size_t cap, n;
};

struct reader {
	const char *name;
	const struct tcsv_schema *schema;
	struct tc_err *err;
	int failed;

	long line;		/* physical line being fed (1-based) */
	int at_line_start;	/* the previous piece ended with a newline */
	long row_line;		/* line where the current row started, -1 if none */
	int header_done;
	size_t nheader;		/* fields in the header */
	int *map;		/* header field -> schema column, or -1 */

	/* current row: fields as offsets into `arena` */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *off;
	unsigned char *isnull;
	size_t nfields, fields_cap;

	/* converted row handed to the callback */
	double *num;
	const char **text;
	unsigned char *missing;
	int *seen;		/* header: schema column seen */

	int has_key;
	struct keyset keys;

	tcsv_row_fn fn;
	void *ud;
	long nrows;
};

static int rfail(struct reader *r, const char *fmt, ...) TC_PRINTF(2, 3);

static int rfail(struct reader *r, const char *fmt, ...)
{
	char buf[TC_ERR_MSG_MAX];
	va_list ap;

	if (r->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->failed = 1;
	return tc_fail(r->err, "%s", buf);
}

/* Quote a value for a message: printable, at most 40 characters. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t o = 0, i = 0;
	for (; s[i] && o + 5 < size && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (s[i] && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Valid UTF-8 without control characters other than tab. */
static int text_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		size_t len;
		uint32_t cp;
		if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static void cb_field(void *field, size_t len, void *ud)
{
	struct reader *r = ud;

	if (r->failed)
		return;
	if (r->nfields >= FIELDS_MAX) {
		rfail(r, "%s:%ld: more than %d fields in a row", r->name, r->row_line, FIELDS_MAX);
		return;
	}
	if (r->nfields + 1 > r->fields_cap) {
		size_t cap = r->fields_cap;
		r->off = xgrow(r->off, &cap, r->nfields + 1, sizeof(*r->off));
		cap = r->fields_cap;
		r->isnull = xgrow(r->isnull, &cap, r->nfields + 1, sizeof(*r->isnull));
		r->fields_cap = cap;
	}
	r->arena = xgrow(r->arena, &r->arena_cap, r->arena_len + len + 1, 1);
	r->off[r->nfields] = r->arena_len;
	r->isnull[r->nfields] = field == NULL || len == 0;
	if (field && len)
		memcpy(r->arena + r->arena_len, field, len);
	r->arena_len += len;
	r->arena[r->arena_len++] = '\0';
	r->nfields++;
}

static const char *field_at(const struct reader *r, size_t i)
{
	return r->arena + r->off[i];
}

static void strip_bom(char *s)
{
	if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		memmove(s, s + 3, strlen(s + 3) + 1);
}

static int do_header(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;
	char b[64];

	r->nheader = r->nfields;
	r->map = xcalloc(r->nheader, sizeof(*r->map));
	memset(r->seen, 0, s->ncols * sizeof(*r->seen));
	for (size_t i = 0; i < r->nheader; i++) {
		const char *h = field_at(r, i);
		int c;

		if (r->isnull[i])
			return rfail(r, "%s:%ld:%zu: empty column name in the header", r->name,
				     r->row_line, i + 1);
		c = tcsv_col_index(s, h);
		r->map[i] = c;
		if (c < 0) {
			if (!(s->flags & TCSV_ALLOW_EXTRA))
				return rfail(r, "%s:%ld:%zu: unknown column '%s' (expected: %s%s)",
					     r->name, r->row_line, i + 1, shown(h, b, sizeof(b)),
					     s->cols[0].name, s->ncols > 1 ? ", ..." : "");
			continue;
		}
		if (r->seen[c])
			return rfail(r, "%s:%ld:%zu: duplicate column '%s'", r->name, r->row_line,
				     i + 1, s->cols[c].name);
		r->seen[c] = 1;
	}
	for (size_t c = 0; c < s->ncols; c++)
		if (!r->seen[c])
			return rfail(r, "%s:%ld: missing column '%s'", r->name, r->row_line,
				     s->cols[c].name);
	r->header_done = 1;
	return 0;
}

/* Parse an integer or real with optional thousands separators. */
static int parse_number(const char *f, unsigned flags, int integer, double *out)
{
	char buf[128];
	const char *p = f;

	if (flags & TCSV_THOUSANDS && strchr(f, ',')) {
		/* groups of exactly three digits after the first group */
		size_t o = 0, digits = 0;
		int seen_comma = 0;
		if (*p == '-' || *p == '+')
			buf[o++] = *p++;
		for (; *p && *p != '.' && o < sizeof(buf) - 1; p++) {
			if (*p == ',') {
				if (digits == 0 || (!seen_comma && digits > 3) || (seen_comma && digits != 3))
					return -1;
				seen_comma = 1;
				digits = 0;
				continue;
			}
			if (*p < '0' || *p > '9')
				return -1;
			buf[o++] = *p;
			digits++;
		}
		if (digits != 3)
			return -1;
		if (strlen(p) >= sizeof(buf) - o)
			return -1;
		strcpy(buf + o, p);
		p = buf;
	}
	if (integer) {
		const char *q = p;
		if (*q == '-' || *q == '+')
			q++;
		if (!*q || strspn(q, "0123456789") != strlen(q) || strlen(q) > 15)
			return -1;
	}
	return tc_parse_double(p, out);
}

static int convert(struct reader *r, size_t fi, int c)
{
	const struct tcsv_col_spec *spec = &r->schema->cols[c];
	const char *f = field_at(r, fi);
	char b[200];
	long v;

	r->missing[c] = 0;
	r->num[c] = NAN;
	r->text[c] = NULL;
	if (r->isnull[fi]) {
		if (!(spec->flags & TCSV_OPTIONAL))
			return rfail(r, "%s:%ld:%zu: column '%s': missing value", r->name,
				     r->row_line, fi + 1, spec->name);
		r->missing[c] = 1;
		return 0;
	}
	if (!text_ok((const unsigned char *)f, strlen(f)))
		return rfail(r, "%s:%ld:%zu: column '%s': invalid UTF-8 or control character in \"%s\"",
			     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)));
	switch (spec->type) {
	case TCSV_INT:
	case TCSV_REAL:
		if (parse_number(f, spec->flags, spec->type == TCSV_INT, &r->num[c]))
			return rfail(r, "%s:%ld:%zu: column '%s': expected %s, got \"%s\"", r->name,
				     r->row_line, fi + 1, spec->name,
				     spec->type == TCSV_INT ? "an integer" : "a number",
				     shown(f, b, sizeof(b)));
		if ((spec->flags & TCSV_NONNEG) && r->num[c] < 0)
			return rfail(r, "%s:%ld:%zu: column '%s': expected a non-negative number, got %s",
				     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)));
		if ((spec->flags & TCSV_POSITIVE) && !(r->num[c] > 0))
			return rfail(r, "%s:%ld:%zu: column '%s': expected a positive number, got %s",
				     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)));
		if (spec->min < spec->max && (r->num[c] < spec->min || r->num[c] > spec->max))
			return rfail(r, "%s:%ld:%zu: column '%s': %s is outside the range %g to %g",
				     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)),
				     spec->min, spec->max);
		if (r->num[c] == 0)
			r->num[c] = 0.0;	/* no -0 */
		break;
	case TCSV_DATE:
		if (tc_parse_date(f, &v))
			return rfail(r, "%s:%ld:%zu: column '%s': expected a date YYYY-MM-DD, got \"%s\"",
				     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)));
		r->num[c] = (double)v;
		r->text[c] = f;
		break;
	case TCSV_MONTH:
		if (tc_parse_month(f, &v))
			return rfail(r, "%s:%ld:%zu: column '%s': expected a month YYYY-MM, got \"%s\"",
				     r->name, r->row_line, fi + 1, spec->name, shown(f, b, sizeof(b)));
		r->num[c] = (double)v;
		r->text[c] = f;
		break;
	case TCSV_ENUM: {
		size_t k;
		for (k = 0; spec->values[k]; k++)
			if (!strcmp(spec->values[k], f))
				break;
		if (!spec->values[k]) {
			char list[160];
			size_t o = 0;
			for (size_t j = 0; spec->values[j] && o < sizeof(list) - 8; j++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", j ? ", " : "",
						      spec->values[j]);
			return rfail(r, "%s:%ld:%zu: column '%s': expected one of %s, got \"%s\"",
				     r->name, r->row_line, fi + 1, spec->name, list,
				     shown(f, b, sizeof(b)));
		}
		r->num[c] = (double)k;
		r->text[c] = f;
		break;
	}
	case TCSV_TEXT:
	default:
		r->text[c] = f;
		break;
	}
	return 0;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Insert key; return the line of an earlier equal key, or 0. */
static long keyset_add(struct keyset *k, const char *key, long line)
{
	if (2 * (k->n + 1) > k->cap) {
		size_t nc = k->cap ? 2 * k->cap : 64;
		char **nk = xcalloc(nc, sizeof(*nk));
		long *nl = xcalloc(nc, sizeof(*nl));
		for (size_t i = 0; i < k->cap; i++) {
			if (!k->keys[i])
				continue;
			size_t j = hash_str(k->keys[i]) & (nc - 1);
			while (nk[j])
				j = (j + 1) & (nc - 1);
			nk[j] = k->keys[i];
			nl[j] = k->lines[i];
		}
		free(k->keys);
		free(k->lines);
		k->keys = nk;
		k->lines = nl;
		k->cap = nc;
	}
	size_t j = hash_str(key) & (k->cap - 1);
	while (k->keys[j]) {
		if (!strcmp(k->keys[j], key))
			return k->lines[j];
		j = (j + 1) & (k->cap - 1);
	}
	k->keys[j] = xstrdup(key);
	k->lines[j] = line;
	k->n++;
	return 0;
}

static void keyset_release(struct keyset *k)
{
	for (size_t i = 0; i < k->cap; i++)
		free(k->keys[i]);
	free(k->keys);
	free(k->lines);
	memset(k, 0, sizeof(*k));
}

static int check_key(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;
	char key[1024], shownkey[1024];
	size_t o = 0, so = 0;
	long prev;

	for (size_t c = 0; c < s->ncols; c++) {
		if (!(s->cols[c].flags & TCSV_KEY))
			continue;
		const char *v = r->text[c];
		char nb[64];
		if (!v) {
			if (r->missing[c])
				v = "";
			else {
				snprintf(nb, sizeof(nb), "%.17g", r->num[c]);
				v = nb;
			}
		}
		o += (size_t)snprintf(key + o, sizeof(key) - (o < sizeof(key) ? o : sizeof(key)), "%s\x1f", v);
		if (o >= sizeof(key))
			o = sizeof(key) - 1;
		so += (size_t)snprintf(shownkey + so, sizeof(shownkey) - so, "%s%s=%s",
				       so ? ", " : "", s->cols[c].name, v);
		if (so >= sizeof(shownkey))
			so = sizeof(shownkey) - 1;
	}
	prev = keyset_add(&r->keys, key, r->row_line);
	if (prev)
		return rfail(r, "%s:%ld: duplicate row (%s), first seen on line %ld", r->name,
			     r->row_line, shownkey, prev);
	return 0;
}

static void cb_row(int term, void *ud)
{
	struct reader *r = ud;
	struct tcsv_row row;

	(void)term;
	if (r->failed)
		return;
	if (r->row_line < 0)
		r->row_line = r->line;
	if (!r->header_done) {
		if (r->nfields)
			strip_bom(r->arena + r->off[0]);
		do_header(r);
		goto next;
	}
	if (r->nfields != r->nheader) {
		rfail(r, "%s:%ld: expected %zu fields, got %zu", r->name, r->row_line, r->nheader,
		      r->nfields);
		goto next;
	}
	for (size_t i = 0; i < r->nfields; i++)
		if (r->map[i] >= 0 && convert(r, i, r->map[i]))
			goto next;
	if (r->has_key && check_key(r))
		goto next;
	row.line = r->row_line;
	row.num = r->num;
	row.text = r->text;
	row.missing = r->missing;
	if (r->fn(&row, r->ud, r->err)) {
		r->failed = 1;
		if (!r->err->msg[0])
			tc_fail(r->err, "%s:%ld: row rejected", r->name, r->row_line);
		goto next;
	}
	r->nrows++;
next:
	r->nfields = 0;
	r->arena_len = 0;
	r->row_line = -1;
}

static void reader_init(struct reader *r, const char *name, const struct tcsv_schema *s,
			tcsv_row_fn fn, void *ud, struct tc_err *err)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->schema = s;
	r->err = err;
	r->fn = fn;
	r->ud = ud;
	r->line = 0;
	r->at_line_start = 1;
	r->row_line = -1;
	r->num = xcalloc(s->ncols, sizeof(*r->num));
	r->text = xcalloc(s->ncols, sizeof(*r->text));
	r->missing = xcalloc(s->ncols, sizeof(*r->missing));
	r->seen = xcalloc(s->ncols, sizeof(*r->seen));
	for (size_t c = 0; c < s->ncols; c++)
		if (s->cols[c].flags & TCSV_KEY)
			r->has_key = 1;
}

static void reader_release(struct reader *r)
{
	free(r->num);
	free(r->text);
	free(r->missing);
	free(r->seen);
	free(r->map);
	free(r->arena);
	free(r->off);
	free(r->isnull);
	keyset_release(&r->keys);
}

/* Feed one physical line (including its '\n' if any). */
static int feed_line(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
	size_t got;
	const char *nul = memchr(s, '\0', n);

	if (r->at_line_start)
		r->line++;
	r->at_line_start = n > 0 && s[n - 1] == '\n';
	if (nul)
		return rfail(r, "%s:%ld:%zu: NUL byte in the data (binary file?)", r->name, r->line,
			     (size_t)(nul - s) + 1);
	/* blank lines produce no callbacks; don't let them start a row */
	if (r->row_line < 0 && !(n == 0 || s[0] == '\n' || (s[0] == '\r' && (n == 1 || s[1] == '\n'))))
		r->row_line = r->line;
	got = csv_parse(p, s, n, cb_field, cb_row, r);
	if (r->failed)
		return -1;
	if (got != n) {
		if (csv_error(p) == CSV_ETOOBIG)
			return rfail(r, "%s:%ld: field longer than %u bytes", r->name, r->line, FIELD_MAX);
		return rfail(r, "%s:%ld:%zu: malformed CSV (%s): a quote inside an unquoted field, or text after a closing quote",
			     r->name, r->line, got + 1, csv_strerror(csv_error(p)));
	}
	return 0;
}

static int feed_buffer(struct reader *r, struct csv_parser *p, const char *buf, size_t len,
		       int *bom_checked)
{
	size_t i = 0;

	if (!*bom_checked) {
		if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
		    (unsigned char)buf[2] == 0xBF)
			i = 3;
		*bom_checked = 1;
	}
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
		if (feed_line(r, p, buf + i, n))
			return -1;
		i += n;
	}
	return 0;
}

static int finish(struct reader *r, struct csv_parser *p)
{
	if (csv_fini(p, cb_field, cb_row, r) != 0 && !r->failed)
		return rfail(r, "%s:%ld: unterminated quoted field (the quote opens on line %ld)",
			     r->name, r->line, r->row_line > 0 ? r->row_line : r->line);
	if (r->failed)
		return -1;
	if (!r->header_done)
		return rfail(r, "%s: empty file (no header line)", r->name);
	if (r->nrows == 0)
		return rfail(r, "%s: header but no data rows", r->name);
	return 0;
}

static int run(struct reader *r, FILE *fp, const char *buf, size_t len)
{
	struct csv_parser p;
	int bom = 0, rc = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		return rfail(r, "%s: unable to initialise the CSV parser", r->name);
	csv_set_realloc_func(&p, capped_realloc);
	if (fp) {
		char *chunk = xmalloc(CHUNK);
		size_t n;
		while ((n = fread(chunk, 1, CHUNK, fp)) > 0) {
			if (feed_buffer(r, &p, chunk, n, &bom)) {
				rc = -1;
				break;
			}
		}
		if (!rc && ferror(fp))
			rc = rfail(r, "%s: read error: %s", r->name, strerror(errno));
		free(chunk);
	} else if (feed_buffer(r, &p, buf, len, &bom)) {
		rc = -1;
	}
	if (!rc)
		rc = finish(r, &p);
	csv_free(&p);
	return rc;
}

int tcsv_stream_buffer(const char *name, const char *buf, size_t len,
		       const struct tcsv_schema *schema, tcsv_row_fn fn, void *ud,
		       struct tc_err *err)
{
	struct reader r;
	int rc;

	reader_init(&r, name, schema, fn, ud, err);
	rc = run(&r, NULL, buf, len);
	reader_release(&r);
	return rc;
}

int tcsv_stream_file(const char *path, const struct tcsv_schema *schema, tcsv_row_fn fn,
		     void *ud, struct tc_err *err)
{
	struct reader r;
	struct stat st;
	FILE *fp;
	int rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return tc_fail(err, "'%s' is a directory, not a CSV file", path);
	fp = fopen(path, "rb");
	if (!fp)
		return tc_fail(err, "unable to open '%s': %s", path, strerror(errno));
	reader_init(&r, path, schema, fn, ud, err);
	rc = run(&r, fp, NULL, 0);
	reader_release(&r);
	fclose(fp);
	return rc;
}

/* ---- whole-table loading ---- */

struct loader {
	struct tcsv_table *t;
	size_t cap;
};

static int append_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	struct loader *l = ud;
	struct tcsv_table *t = l->t;
	const struct tcsv_schema *s = t->schema;
	size_t n = t->nrows;

	(void)err;
	if (n + 1 > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		for (size_t c = 0; c < s->ncols; c++) {
			struct tcsv_column *col = &t->cols[c];
			if (col->type != TCSV_TEXT)
				col->num = xrealloc(col->num, cap * sizeof(*col->num));
			if (col->type == TCSV_TEXT || col->type == TCSV_ENUM ||
			    col->type == TCSV_DATE || col->type == TCSV_MONTH)
				col->text = xrealloc(col->text, cap * sizeof(*col->text));
			col->missing = xrealloc(col->missing, cap * sizeof(*col->missing));
		}
		t->lines = xrealloc(t->lines, cap * sizeof(*t->lines));
		l->cap = cap;
	}
	for (size_t c = 0; c < s->ncols; c++) {
		struct tcsv_column *col = &t->cols[c];
		if (col->num)
			col->num[n] = row->num[c];
		if (col->text)
			col->text[n] = row->text[c] ? xstrdup(row->text[c]) : NULL;
		col->missing[n] = row->missing[c];
	}
	t->lines[n] = row->line;
	t->nrows = n + 1;
	return 0;
}

static void table_setup(struct tcsv_table *t, const char *name, const struct tcsv_schema *s)
{
	memset(t, 0, sizeof(*t));
	t->schema = s;
	t->path = xstrdup(name);
	t->cols = xcalloc(s->ncols, sizeof(*t->cols));
	for (size_t c = 0; c < s->ncols; c++) {
		t->cols[c].type = s->cols[c].type;
		/* allocate a first slot so text/num pointers exist per type */
		if (s->cols[c].type != TCSV_TEXT)
			t->cols[c].num = xmalloc(sizeof(double));
		if (s->cols[c].type == TCSV_TEXT || s->cols[c].type == TCSV_ENUM ||
		    s->cols[c].type == TCSV_DATE || s->cols[c].type == TCSV_MONTH)
			t->cols[c].text = xmalloc(sizeof(char *));
		t->cols[c].missing = xmalloc(1);
	}
	t->lines = xmalloc(sizeof(long));
}

int tcsv_load_file(struct tcsv_table *t, const char *path, const struct tcsv_schema *s,
		   struct tc_err *err)
{
	struct loader l = { t, 1 };

	table_setup(t, path, s);
	if (tcsv_stream_file(path, s, append_row, &l, err)) {
		tcsv_table_release(t);
		return -1;
	}
	return 0;
}

int tcsv_load_buffer(struct tcsv_table *t, const char *name, const char *buf, size_t len,
		     const struct tcsv_schema *s, struct tc_err *err)
{
	struct loader l = { t, 1 };

	table_setup(t, name, s);
	if (tcsv_stream_buffer(name, buf, len, s, append_row, &l, err)) {
		tcsv_table_release(t);
		return -1;
	}
	return 0;
}

void tcsv_table_release(struct tcsv_table *t)
{
	if (!t)
		return;
	if (t->cols && t->schema) {
		for (size_t c = 0; c < t->schema->ncols; c++) {
			struct tcsv_column *col = &t->cols[c];
			if (col->text)
				for (size_t i = 0; i < t->nrows; i++)
					free(col->text[i]);
			free(col->text);
			free(col->num);
			free(col->missing);
		}
	}
	free(t->cols);
	free(t->lines);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

int tcsv_col_index(const struct tcsv_schema *s, const char *name)
{
	for (size_t c = 0; c < s->ncols; c++)
		if (!strcmp(s->cols[c].name, name))
			return (int)c;
	return -1;
}

double tcsv_num(const struct tcsv_table *t, size_t col, size_t row)
{
	return t->cols[col].num ? t->cols[col].num[row] : NAN;
}

const char *tcsv_text(const struct tcsv_table *t, size_t col, size_t row)
{
	return t->cols[col].text ? t->cols[col].text[row] : NULL;
}

int tcsv_is_missing(const struct tcsv_table *t, size_t col, size_t row)
{
	return t->cols[col].missing[row];
}
