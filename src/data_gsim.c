/*
** data_gsim.c: the strict reader of a GSIM case (include/tocalc/model_gsim.h,
** format in docs/gsim.md).  One file with the sections [regions],
** [flows], [tariff_before] and [tariff_after] ('#' starts a comment line),
** or the four tables as separate CSV files.  Every table goes through the
** strict CSV layer (tcsv): a section is handed to it as a copy of the file
** in which every other line is emptied, so its line numbers are the
** file's.  Errors name file:line:col and the column; on error the input
** is left empty.  The caller releases a filled input with
** gsim_input_release().
*/
#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"
#include "tocalc/tcsv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BYTES (64u << 20)

enum { SEC_REGIONS, SEC_FLOWS, SEC_T0, SEC_T1, NSEC };

static const char *const sec_names[NSEC] = { "regions", "flows", "tariff_before", "tariff_after" };

struct section {
	const char *file;	/* for messages */
	char label[40];		/* "[flows]" or "flows" */
	long line;		/* line of the section header (0 for a whole file) */
	char *buf;		/* the section's text, other lines emptied (owned) */
	size_t len;
	int present;
};

/* Physical line [b, e) of buf starting at off; returns the offset after its '\n'. */
static size_t next_line(const char *buf, size_t len, size_t off, size_t *e)
{
	const char *nl = memchr(buf + off, '\n', len - off);
	*e = nl ? (size_t)(nl - buf) : len;
	return nl ? *e + 1 : len;
}

/* Trim blanks (and a trailing CR) of buf[*b, *e). */
static void trim(const char *buf, size_t *b, size_t *e)
{
	while (*b < *e && (buf[*b] == ' ' || buf[*b] == '\t'))
		(*b)++;
	while (*e > *b && (buf[*e - 1] == ' ' || buf[*e - 1] == '\t' || buf[*e - 1] == '\r'))
		(*e)--;
}

/* 1-based position of the field `name` in the first non-blank line of s, 0 if absent. */
static size_t header_col(const struct section *s, const char *name)
{
	size_t off = 0, e, b;

	while (off < s->len) {
		size_t nx = next_line(s->buf, s->len, off, &e);
		b = off;
		if (b == 0 && e >= 3 && !memcmp(s->buf, "\xEF\xBB\xBF", 3))
			b = 3;
		trim(s->buf, &b, &e);
		if (b < e) {
			size_t col = 1, fb = b;
			int q = 0;
			for (size_t i = b; i <= e; i++) {
				if (i < e && s->buf[i] == '"') {
					q = !q;
					continue;
				}
				if (i == e || (!q && s->buf[i] == ',')) {
					size_t x = fb, y = i;
					while (x < y && (s->buf[x] == ' ' || s->buf[x] == '"'))
						x++;
					while (y > x && (s->buf[y - 1] == ' ' || s->buf[y - 1] == '"'))
						y--;
					if (y - x == strlen(name) && !memcmp(s->buf + x, name, y - x))
						return col;
					col++;
					fb = i + 1;
				}
			}
			return 0;
		}
		off = nx;
	}
	return 0;
}

/* Number of non-blank lines of a section. */
static size_t nonblank_lines(const struct section *s)
{
	size_t off = 0, e, k = 0;

	while (off < s->len) {
		size_t nx = next_line(s->buf, s->len, off, &e), b = off;
		trim(s->buf, &b, &e);
		if (b < e)
			k++;
		off = nx;
	}
	return k;
}

/* Split a one-file input into its four sections (each a copy with other lines emptied). */
static int split_sections(const char *name, const char *buf, size_t len, struct section *sec,
			  struct tc_err *err)
{
	size_t off = 0, e;
	long line = 0;
	int cur = -1;
	struct pline { size_t b, e; int owner; } *pl = NULL;	/* per line: its bytes and section */
	size_t nlines = 0, cap = 0;

	/* pass 1: classify lines */
	while (off < len) {
		size_t nx = next_line(buf, len, off, &e), b = off, te;
		int own = -1;

		line++;
		te = e;
		if (b == 0 && e >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
			b = 3;
		trim(buf, &b, &te);
		if (b < te && buf[b] == '#') {
			/* comment */
		} else if (b < te && buf[b] == '[') {
			int k;
			if (buf[te - 1] != ']') {
				tc_fail(err, "%s:%ld:1: a section header must end with ']'", name, line);
				goto fail;
			}
			for (k = 0; k < NSEC; k++)
				if (te - b - 2 == strlen(sec_names[k]) && !memcmp(buf + b + 1, sec_names[k], te - b - 2))
					break;
			if (k == NSEC) {
				tc_fail(err, "%s:%ld:1: unknown section '%.*s' (expected [regions], [flows], "
					"[tariff_before] or [tariff_after])", name, line,
					(int)(te - b > 60 ? 60 : te - b), buf + b);
				goto fail;
			}
			if (sec[k].present) {
				tc_fail(err, "%s:%ld:1: duplicate section [%s] (also line %ld)", name, line,
					sec_names[k], sec[k].line);
				goto fail;
			}
			sec[k].present = 1;
			sec[k].line = line;
			cur = k;
		} else if (b < te) {
			if (cur < 0) {
				tc_fail(err, "%s:%ld:1: expected a section header such as [regions] before "
					"the data", name, line);
				goto fail;
			}
			own = cur;
		} else {
			own = cur;	/* blank: keep as blank */
		}
		pl = xgrow(pl, &cap, (size_t)line, sizeof(*pl));
		pl[line - 1].b = off;
		pl[line - 1].e = nx;
		pl[line - 1].owner = own;
		nlines = (size_t)line;
		off = nx;
	}
	for (int k = 0; k < NSEC; k++) {
		size_t o = 0;
		if (!sec[k].present) {
			tc_fail(err, "%s: missing section [%s]", name, sec_names[k]);
			goto fail;
		}
		sec[k].file = name;
		snprintf(sec[k].label, sizeof(sec[k].label), "[%s]", sec_names[k]);
		sec[k].buf = xmalloc(len + 1);
		for (size_t i = 0; i < nlines; i++) {
			if (pl[i].owner == k) {
				memcpy(sec[k].buf + o, buf + pl[i].b, pl[i].e - pl[i].b);
				o += pl[i].e - pl[i].b;
			} else if (pl[i].e > pl[i].b && buf[pl[i].e - 1] == '\n') {
				sec[k].buf[o++] = '\n';
			}
		}
		sec[k].buf[o] = 0;
		sec[k].len = o;
	}
	free(pl);
	return 0;
fail:
	free(pl);
	return -1;
}

static int check_rows(const struct section *s, struct tc_err *err)
{
	size_t k = nonblank_lines(s);

	if (k == 0)
		return s->line ? tc_fail(err, "%s:%ld: section %s is empty", s->file, s->line, s->label)
			       : tc_fail(err, "%s: empty file (no header line)", s->file);
	if (k == 1)
		return s->line ? tc_fail(err, "%s:%ld: section %s has a header and no data rows", s->file,
					 s->line, s->label)
			       : tc_fail(err, "%s: no data rows after the header", s->file);
	return 0;
}

static const struct tcsv_col_spec region_cols[] = {
	{ "region", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "demand_elasticity", TCSV_REAL, TCSV_NONNEG, NULL, 0, GSIM_MAX_ELASTICITY },
	{ "substitution_elasticity", TCSV_REAL, TCSV_NONNEG, NULL, 0, GSIM_MAX_ELASTICITY },
	{ "supply_elasticity", TCSV_TEXT, 0, NULL, 0, 0 },
};

static const struct tcsv_schema region_schema = {
	"gsim regions", region_cols, TC_ARRAY_SIZE(region_cols), 0
};

static int read_regions(const struct section *s, struct gsim_input *in, struct tc_err *err)
{
	struct tcsv_table t;
	size_t n, csup, creg;

	if (check_rows(s, err) || tcsv_load_buffer(&t, s->file, s->buf, s->len, &region_schema, err))
		return -1;
	n = t.nrows;
	creg = header_col(s, "region");
	csup = header_col(s, "supply_elasticity");
	if (n < 2 || n > GSIM_MAX_REGIONS) {
		long ln = s->line ? s->line : t.lines[0];
		tcsv_table_release(&t);
		return tc_fail(err, "%s:%ld: %s: need 2 to %d regions, got %zu", s->file, ln, s->label,
			       GSIM_MAX_REGIONS, n);
	}
	gsim_input_alloc(in, n);
	for (size_t i = 0; i < n; i++) {
		const char *nm = tcsv_text(&t, 0, i), *sx = tcsv_text(&t, 3, i);
		double x;

		in->lines[i] = t.lines[i];
		if (!*nm || !strcmp(nm, "exporter")) {
			tc_fail(err, "%s:%ld:%zu: column 'region': %s", s->file, t.lines[i], creg,
				*nm ? "'exporter' is reserved (the first column of the matrices)"
				    : "empty region name");
			goto fail;
		}
		in->names[i] = xstrdup(nm);
		in->eps_m[i] = tcsv_num(&t, 1, i);
		in->sigma[i] = tcsv_num(&t, 2, i);
		if (!strcasecmp(sx, "inf") || !strcasecmp(sx, "infinity")) {
			x = INFINITY;
		} else if (tc_parse_double(sx, &x) || x < 0 || x > GSIM_MAX_SUPPLY) {
			tc_fail(err, "%s:%ld:%zu: column 'supply_elasticity': expected a number in [0, %g] "
				"or 'inf', got \"%.40s\"", s->file, t.lines[i], csup, GSIM_MAX_SUPPLY, sx);
			goto fail;
		}
		in->eps_x[i] = x;
	}
	tcsv_table_release(&t);
	return 0;
fail:
	tcsv_table_release(&t);
	gsim_input_release(in);
	return -1;
}

/* Read one n x n matrix section into m (scaled by `scale`). */
static int read_matrix(const struct section *s, struct gsim_input *in, double *m, int tariff,
		       struct tc_err *err)
{
	size_t n = in->n, cexp;
	struct tcsv_col_spec *cols = xcalloc(n + 1, sizeof(*cols));
	struct tcsv_schema sch;
	struct tcsv_table t;
	long *seen = xcalloc(n, sizeof(*seen));
	int rc = -1;

	cols[0].name = "exporter";
	cols[0].type = TCSV_TEXT;
	cols[0].flags = TCSV_KEY;
	for (size_t j = 0; j < n; j++) {
		cols[j + 1].name = in->names[j];
		cols[j + 1].type = TCSV_REAL;
		cols[j + 1].flags = TCSV_NONNEG;
		cols[j + 1].min = 0;
		cols[j + 1].max = tariff ? GSIM_MAX_TARIFF_PCT : 1e15;
	}
	sch.name = tariff ? "gsim tariffs" : "gsim flows";
	sch.cols = cols;
	sch.ncols = n + 1;
	sch.flags = 0;
	if (check_rows(s, err) || tcsv_load_buffer(&t, s->file, s->buf, s->len, &sch, err)) {
		free(cols);
		free(seen);
		return -1;
	}
	cexp = header_col(s, "exporter");
	for (size_t i = 0; i < t.nrows; i++) {
		const char *nm = tcsv_text(&t, 0, i);
		size_t r;
		for (r = 0; r < n; r++)
			if (!strcmp(nm, in->names[r]))
				break;
		if (r == n) {
			tc_fail(err, "%s:%ld:%zu: column 'exporter': unknown region '%.60s' (not in the "
				"regions table)", s->file, t.lines[i], cexp, nm);
			goto out;
		}
		seen[r] = t.lines[i];
		for (size_t v = 0; v < n; v++)
			m[r * n + v] = tcsv_num(&t, v + 1, i) * (tariff ? 0.01 : 1);
	}
	for (size_t r = 0; r < n; r++)
		if (!seen[r]) {
			if (s->line)
				tc_fail(err, "%s:%ld: %s: no row for exporter '%s'", s->file, s->line, s->label,
					in->names[r]);
			else
				tc_fail(err, "%s: no row for exporter '%s'", s->file, in->names[r]);
			goto out;
		}
	rc = 0;
out:
	tcsv_table_release(&t);
	free(cols);
	free(seen);
	return rc;
}

static int read_sections(struct section *sec, struct gsim_input *in, struct tc_err *err)
{
	size_t creg;

	if (read_regions(&sec[SEC_REGIONS], in, err))
		return -1;
	if (read_matrix(&sec[SEC_FLOWS], in, in->flow, 0, err) ||
	    read_matrix(&sec[SEC_T0], in, in->t0, 1, err) ||
	    read_matrix(&sec[SEC_T1], in, in->t1, 1, err))
		goto fail;
	creg = header_col(&sec[SEC_REGIONS], "region");
	for (size_t r = 0; r < in->n; r++) {
		double s = 0;
		for (size_t v = 0; v < in->n; v++)
			s += in->flow[r * in->n + v] + in->flow[v * in->n + r];
		if (!(s > 0)) {
			tc_fail(err, "%s:%ld:%zu: column 'region': region '%s' has no trade (its row and "
				"column in the flows are all zero)", sec[SEC_REGIONS].file, in->lines[r],
				creg, in->names[r]);
			goto fail;
		}
	}
	if (gsim_check(in, err))
		goto fail;
	return 0;
fail:
	gsim_input_release(in);
	return -1;
}

static void sections_release(struct section *sec)
{
	for (int k = 0; k < NSEC; k++)
		free(sec[k].buf);
}

int gsim_read_buffer(const char *name, const char *buf, size_t len, struct gsim_input *in,
		     struct tc_err *err)
{
	struct section sec[NSEC];
	int rc;

	gsim_input_init(in);
	memset(sec, 0, sizeof(sec));
	if (split_sections(name, buf, len, sec, err)) {
		sections_release(sec);
		return -1;
	}
	rc = read_sections(sec, in, err);
	sections_release(sec);
	return rc;
}

int gsim_read_file(const char *path, struct gsim_input *in, struct tc_err *err)
{
	char *buf;
	size_t len;
	int rc;

	gsim_input_init(in);
	if (tc_read_file(path, &buf, &len, MAX_BYTES, err))
		return -1;
	rc = gsim_read_buffer(path, buf, len, in, err);
	free(buf);
	return rc;
}

int gsim_read_files(const char *regions, const char *flows, const char *tariff_before,
		    const char *tariff_after, struct gsim_input *in, struct tc_err *err)
{
	const char *paths[NSEC] = { regions, flows, tariff_before, tariff_after };
	struct section sec[NSEC];
	int rc = -1;

	gsim_input_init(in);
	memset(sec, 0, sizeof(sec));
	for (int k = 0; k < NSEC; k++) {
		sec[k].file = paths[k];
		snprintf(sec[k].label, sizeof(sec[k].label), "%s", sec_names[k]);
		sec[k].present = 1;
		if (tc_read_file(paths[k], &sec[k].buf, &sec[k].len, MAX_BYTES, err))
			goto out;
	}
	rc = read_sections(sec, in, err);
out:
	sections_release(sec);
	return rc;
}
