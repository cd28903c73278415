/*
** data_vsrr.c: raw CDC VSRR download (any published layout) -> vintage
** files and overdose_12mo.csv.  Contract in include/tocalc/data_vsrr.h.
** The import owns its rows and name arrays (vsrr_import_release).
*/
#include "tocalc/data_vsrr.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/tcsv.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December", NULL
};

/* CDC indicator names (as published 2017-2026) and the short names users type. */
static const struct {
	const char *cdc, *short_name;
} indicator_map[] = {
	{ "Number of Drug Overdose Deaths", "all_drugs" },
	{ "Synthetic opioids, excl. methadone (T40.4)", "synthetic_opioids" },
	{ "Heroin (T40.1)", "heroin" },
	{ "Cocaine (T40.5)", "cocaine" },
	{ "Psychostimulants with abuse potential (T43.6)", "psychostimulants" },
	{ "Natural & semi-synthetic opioids (T40.2)", "natural_semisynthetic" },
	{ "Methadone (T40.3)", "methadone" },
	{ "Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)",
	  "natural_semisynthetic_methadone" },
	{ "Natural, semi-synthetic, & synthetic opioids, incl. methadone (T40.2-T40.4)",
	  "opioids_t40_2_4" },
	{ "Opioids (T40.0-T40.4,T40.6)", "opioids" },
	{ "Number of Deaths", "all_deaths" },
	{ "Percent with drugs specified", "percent_drugs_specified" },
};

const char *const vsrr_short_names[] = {
	"all_drugs", "synthetic_opioids", "heroin", "cocaine", "psychostimulants",
	"natural_semisynthetic", "methadone", "natural_semisynthetic_methadone",
	"opioids_t40_2_4", "opioids", "all_deaths", "percent_drugs_specified", NULL
};

/* The jurisdictions of a full download: 50 states, DC, New York City (YC), US. */
static const char *const full_states[] = {
	"AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID",
	"IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
	"ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
	"TN", "TX", "US", "UT", "VA", "VT", "WA", "WI", "WV", "WY", "YC", NULL
};

static const char *const default_states[] = { "US" };
static const char *const default_inds[] = { "all_drugs", "synthetic_opioids" };

const char *vsrr_short_name(const char *cdc)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(indicator_map); i++)
		if (!strcmp(indicator_map[i].cdc, cdc))
			return indicator_map[i].short_name;
	return NULL;
}

const char *vsrr_cdc_name(const char *short_name)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(indicator_map); i++)
		if (!strcmp(indicator_map[i].short_name, short_name))
			return indicator_map[i].cdc;
	return NULL;
}

/* ---------- the raw file's columns, by name ---------- */

enum { C_STATE, C_STATENAME, C_YEAR, C_MONTH, C_PERIOD, C_IND, C_VALUE, C_COMPLETE, C_PENDING,
       C_FOOT, C_FOOTSYM, C_PRED, C_N };

#define OPT TCSV_OPTIONAL
static const struct tcsv_col_spec known_cols[C_N] = {
	{ "State", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "State Name", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Year", TCSV_INT, 0, NULL, 1900, 2199 },
	{ "Month", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "Period", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "Indicator", TCSV_TEXT, 0, NULL, 0, 0 },
	/* read as written: a count's "47.000" must be told from 47 (parse_value) */
	{ "Data Value", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Percent Complete", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Percent Pending Investigation", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "Footnote", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Footnote Symbol", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Predicted Value", TCSV_TEXT, OPT, NULL, 0, 0 },
};

struct layout {
	struct tcsv_col_spec spec[C_N];
	struct tcsv_schema schema;
	int idx[C_N];		/* schema index of each known column, or -1 */
	int pos[C_N];		/* 1-based column position in the file, for messages */
	int state_col;		/* C_STATE or C_STATENAME */
};

/* The header line's field names (quotes and a BOM handled); returns count. */
static size_t split_header(const char *buf, size_t len, char names[][64], size_t max)
{
	size_t n = 0, k = 0, i = 0;
	int q = 0;

	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF)
		i = 3;
	if (!max)
		return 0;
	names[0][0] = '\0';
	for (; i < len; i++) {
		char c = buf[i];
		if (q) {
			if (c == '"' && i + 1 < len && buf[i + 1] == '"')
				i++;
			else if (c == '"') {
				q = 0;
				continue;
			}
		} else if (c == '"') {
			q = 1;
			continue;
		} else if (c == ',') {
			names[n][k] = '\0';
			if (++n == max)
				return n;
			k = 0;
			names[n][0] = '\0';
			continue;
		} else if (c == '\n' || c == '\r') {
			break;
		}
		if (k < 63)
			names[n][k++] = c;
		names[n][k] = '\0';
	}
	return n + 1;
}

static int make_layout(const char *path, const char *head, size_t len, struct layout *L,
		       struct tc_err *err)
{
	char names[64][64];
	size_t nh = split_header(head, len, names, 64), ns = 0;

	for (int c = 0; c < C_N; c++) {
		L->idx[c] = L->pos[c] = -1;
		for (size_t h = 0; h < nh; h++)
			if (!strcmp(names[h], known_cols[c].name))
				L->pos[c] = (int)h + 1;
	}
	/* the jurisdiction: 'State' (a code), else 'State Name' when it holds codes */
	L->state_col = L->pos[C_STATE] > 0 ? C_STATE : C_STATENAME;
	if (L->pos[L->state_col] < 0)
		return tc_fail(err, "%s:1: missing column 'State' (the jurisdiction code; "
			       "'State Name' would do when it holds codes)", path);
	{
		static const int required[] = { C_YEAR, C_MONTH, C_IND, C_VALUE };
		for (size_t r = 0; r < TC_ARRAY_SIZE(required); r++)
			if (L->pos[required[r]] < 0)
				return tc_fail(err, "%s:1: missing column '%s' (a VSRR download needs "
					       "State, Year, Month, Indicator and Data Value)", path,
					       known_cols[required[r]].name);
	}
	for (int c = 0; c < C_N; c++) {
		if (L->pos[c] < 0 || (c == C_STATENAME && L->state_col != C_STATENAME))
			continue;
		L->spec[ns] = known_cols[c];
		if (c == C_STATENAME)
			L->spec[ns].flags = 0;
		L->idx[c] = (int)ns++;
	}
	L->schema.name = "vsrr";
	L->schema.cols = L->spec;
	L->schema.ncols = ns;
	L->schema.flags = TCSV_ALLOW_EXTRA;
	return 0;
}

/* ---------- streaming ---------- */

struct take_ctx {
	struct vsrr_import *imp;
	const struct vsrr_request *req;
	const struct layout *L;
	const char *path;
};

static int intern(char ***arr, size_t *n, size_t *cap, const char *s)
{
	/* rows come grouped: the last value added is the likeliest */
	if (*n && !strcmp((*arr)[*n - 1], s))
		return (int)*n - 1;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*arr)[i], s))
			return (int)i;
	*arr = xgrow(*arr, cap, *n + 1, sizeof(**arr));
	(*arr)[*n] = xstrdup(s);
	return (int)(*n)++;
}

static int in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static int is_count(double v)
{
	return isnan(v) || (v == floor(v) && v < 1e9);
}

/* A jurisdiction code: 2 upper-case letters. */
static int state_code_ok(const char *s)
{
	return s && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) && !s[2];
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* s without leading and trailing blanks, into buf (cut to size - 1 bytes). */
static const char *trimmed(const char *s, char *buf, size_t size)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
** A jurisdiction as written -> its code in buf: blanks trimmed, letters
** upper-cased ("us " -> "US").  Returns 1 when that changed the text,
** 0 when not, -1 when the result is not a 2-letter code.
*/
static int state_code(const char *s, char buf[8])
{
	char t[64];

	trimmed(s ? s : "", t, sizeof(t));
	if (strlen(t) != 2)
		return -1;
	buf[0] = (char)toupper((unsigned char)t[0]);
	buf[1] = (char)toupper((unsigned char)t[1]);
	buf[2] = '\0';
	if (!state_code_ok(buf))
		return -1;
	return strcmp(buf, s) != 0;
}

/*
** A Data Value or Predicted Value as written -> *v (NAN when empty).
** Plain ("47523", "12.5") or with comma thousands separators ("47,523",
** as CDC writes them).  Returns NULL or what is wrong, for the message.
*/
static const char *parse_value(const char *t, double *v)
{
	char buf[48];
	size_t k = 0;
	int ndig = 0, group = -1;
	const char *p = t, *first = NULL;

	*v = NAN;
	if (!t)
		return NULL;
	if (strlen(t) >= sizeof(buf))
		return "expected a number";
	if (*p == '+' || *p == '-')
		buf[k++] = *p++;
	for (; *p && *p != '.' && *p != 'e' && *p != 'E'; p++) {
		if (*p == ',') {
			if (group < 0 ? (ndig == 0 || ndig > 3 || *first == '0') : group != 3)
				return "expected a number (misplaced thousands separator)";
			group = 0;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			if (!first)
				first = p;
			ndig++;
			if (group >= 0)
				group++;
		}
		buf[k++] = *p;
	}
	if (group >= 0 && group != 3)
		return "expected a number (misplaced thousands separator)";
	if (!*p && ndig && ndig <= 15 && (buf[0] != '-' || ndig > 0) && k == (size_t)ndig) {
		/* a whole count (most fields): exact in a double, no strtod */
		double x = 0;
		for (size_t i = 0; i < k; i++)
			x = x * 10 + (buf[i] - '0');
		*v = x;
		return NULL;
	}
	memcpy(buf + k, p, strlen(p) + 1);
	if (tc_parse_double(buf, v)) {
		*v = NAN;
		return "expected a number";
	}
	if (*v < 0)
		return "expected a non-negative number";
	return NULL;
}

/* "47.000", "1.500": 47 with a decimal point, or 47,000 written the European way. */
static int ambiguous_count(const char *t)
{
	size_t n = t ? strspn(t, "0123456789") : 0;

	return n >= 1 && n <= 3 && t[0] != '0' && t[n] == '.' &&
	       strspn(t + n + 1, "0123456789") == 3 && !t[n + 4];
}

/* A short name for an indicator CDC may add later: lower-case alnum and '_'. */
static void slug(const char *cdc, char *out, size_t size)
{
	size_t k = 0;
	int us = 0;

	for (const char *p = cdc; *p && k + 1 < size; p++) {
		if (isalnum((unsigned char)*p)) {
			if (us && k)
				out[k++] = '_';
			us = 0;
			if (k + 1 < size)
				out[k++] = (char)tolower((unsigned char)*p);
		} else {
			us = 1;
		}
	}
	out[k] = '\0';
}

static int parse_month(const char *t, long *m)
{
	char *end;
	long v;

	for (int i = 0; month_names[i]; i++)
		if (!strcmp(t, month_names[i])) {
			*m = i + 1;
			return 0;
		}
	v = strtol(t, &end, 10);
	if (end != t && !*end && v >= 1 && v <= 12) {
		*m = v;
		return 0;
	}
	return -1;
}

/* "100", "99.5", "99.5+" (CDC: at least 99.5) -> kept as written after checking. */
static int complete_ok(const char *t)
{
	char *end;
	double v;

	if (!*t || strlen(t) > 15)
		return 0;
	v = strtod(t, &end);
	if (end == t || !(v >= 0 && v <= 100))
		return 0;
	return !*end || (end[0] == '+' && !end[1]);
}

#define COL(c) (L->idx[c])
#define TXT(c) (COL(c) >= 0 ? row->text[COL(c)] : NULL)
#define NUM(c) (COL(c) >= 0 ? row->num[COL(c)] : NAN)

static int take_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	const struct take_ctx *tc = ud;
	const struct layout *L = tc->L;
	const struct vsrr_request *req = tc->req;
	struct vsrr_import *imp = tc->imp;
	const char *st = TXT(L->state_col), *ind, *per = TXT(C_PERIOD);
	const char *sn, *comp, *sym, *foot, *bad;
	char sl[64], code[8], ibuf[160], pbuf[32];
	struct vsrr_row *r;
	double val[2];
	int norm;
	long m;

	imp->raw_rows++;
	/* every row's numbers are checked, kept or not */
	for (int k = 0; k < 2; k++) {
		int c = k ? C_PRED : C_VALUE;
		if (COL(c) >= 0 && (bad = parse_value(TXT(c), &val[k])))
			return tc_fail(err, "%s:%ld:%d: column '%s': %s, got \"%.60s\"", tc->path,
				       row->line, L->pos[c], known_cols[c].name, bad, TXT(c));
		if (COL(c) < 0)
			val[k] = NAN;
	}
	if (per && strcmp(trimmed(per, pbuf, sizeof(pbuf)), "12 month-ending")) {
		imp->skip_period++;
		return 0;
	}
	/* a jurisdiction is a code, in every mode: "US " or "us" must not drop a month */
	norm = state_code(st, code);
	if (norm < 0)
		return tc_fail(err, "%s:%ld:%d: column '%s': expected a 2-letter jurisdiction code, "
			       "got \"%.40s\"", tc->path, row->line, L->pos[L->state_col],
			       known_cols[L->state_col].name, st ? st : "");
	st = code;
	ind = trimmed(TXT(C_IND), ibuf, sizeof(ibuf));
	sn = vsrr_short_name(ind);
	if (!sn) {
		if (!req->all) {
			imp->skip_indicator++;
			return 0;
		}
		slug(ind, sl, sizeof(sl));
		if (!sl[0])
			return tc_fail(err, "%s:%ld:%d: column 'Indicator': empty indicator name",
				       tc->path, row->line, L->pos[C_IND]);
		sn = sl;
	}
	if (!req->all) {
		const char *const *ss = req->states ? req->states : default_states;
		size_t ns = req->states ? req->nstates : 1;
		const char *const *is = req->indicators ? req->indicators : default_inds;
		size_t ni = req->indicators ? req->nind : 2;
		if (!in_list(ss, ns, st)) {
			imp->skip_state++;
			return 0;
		}
		/* --state without --indicator: every indicator of those states */
		if ((req->indicators || !req->states) && !in_list(is, ni, sn)) {
			imp->skip_indicator++;
			return 0;
		}
	}
	if (parse_month(TXT(C_MONTH), &m))
		return tc_fail(err, "%s:%ld:%d: column 'Month': expected a month name or 1-12, got \"%.40s\"",
			       tc->path, row->line, L->pos[C_MONTH], TXT(C_MONTH));
	if (strcmp(sn, "percent_drugs_specified"))
		for (int k = 0; k < 2; k++) {
			int c = k ? C_PRED : C_VALUE;
			const char *t = TXT(c);
			if (COL(c) >= 0 && ambiguous_count(t)) {
				int ip = (int)strcspn(t, ".");
				return tc_fail(err, "%s:%ld:%d: column '%s': \"%s\" is ambiguous in a "
					       "death count: %.*s with a decimal point, or %.*s%s with a "
					       "European thousands separator (write %.*s or \"%.*s,%s\")",
					       tc->path, row->line, L->pos[c], known_cols[c].name, t, ip, t,
					       ip, t, t + ip + 1, ip, t, ip, t, t + ip + 1);
			}
		}
	if (strcmp(sn, "percent_drugs_specified") && (!is_count(val[0]) || !is_count(val[1])))
		return tc_fail(err, "%s:%ld:%d: column '%s': a death count that is not a whole number "
			       "below 1,000,000,000", tc->path, row->line,
			       is_count(val[0]) ? L->pos[C_PRED] : L->pos[C_VALUE],
			       is_count(val[0]) ? "Predicted Value" : "Data Value");
	comp = TXT(C_COMPLETE);
	if (comp && !complete_ok(comp))
		return tc_fail(err, "%s:%ld:%d: column 'Percent Complete': expected a percentage "
			       "(optionally followed by '+', as in \"99.5+\"), got \"%.40s\"",
			       tc->path, row->line, L->pos[C_COMPLETE], comp);
	imp->rows = xgrow(imp->rows, &imp->cap, imp->n + 1, sizeof(*imp->rows));
	r = &imp->rows[imp->n++];
	memset(r, 0, sizeof(*r));
	r->period = (long)NUM(C_YEAR) * 100 + m;
	r->state = intern(&imp->states, &imp->nstates, &imp->capstates, st);
	r->indicator = intern(&imp->indicators, &imp->nind, &imp->capind, sn);
	r->reported = val[0];
	r->predicted = val[1];
	imp->normalized += norm > 0;
	sym = TXT(C_FOOTSYM);
	foot = TXT(C_FOOT);
	r->underreported = (sym && !strcmp(sym, "*")) ||
			   (foot && (strstr(foot, "nderreported") || strstr(foot, "incomplete")));
	if (comp)
		snprintf(r->complete, sizeof(r->complete), "%s", comp);
	r->percent_pending = NUM(C_PENDING);
	return 0;
}

/* Sort keys: the alphabetical rank of each state and indicator, computed once. */
static int *rank_state, *rank_ind;

static int cmp_rows(const void *a, const void *b)
{
	const struct vsrr_row *x = a, *y = b;
	if (x->state != y->state)
		return rank_state[x->state] - rank_state[y->state];
	if (x->indicator != y->indicator)
		return rank_ind[x->indicator] - rank_ind[y->indicator];
	return (x->period > y->period) - (x->period < y->period);
}

/* rank[i] = position of names[i] in alphabetical order (caller frees). */
static int *ranks(char *const *names, size_t n)
{
	int *r = xcalloc(n ? n : 1, sizeof(int));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (strcmp(names[j], names[i]) < 0)
				r[i]++;
	return r;
}

static int has_series(const struct vsrr_import *imp, const char *st, const char *ind)
{
	for (size_t i = 0; i < imp->n; i++)
		if (!strcmp(imp->states[imp->rows[i].state], st) &&
		    !strcmp(imp->indicators[imp->rows[i].indicator], ind))
			return 1;
	return 0;
}

static int has_state(const struct vsrr_import *imp, const char *st)
{
	for (size_t i = 0; i < imp->nstates; i++)
		if (!strcmp(imp->states[i], st))
			return 1;
	return 0;
}

/* After streaming: completeness, order, gaps, vintage. */
static int finish_import(const char *path, const struct vsrr_request *req, struct vsrr_import *imp,
			 struct tc_err *err)
{
	const char *const *ss = req->states ? req->states : default_states;
	size_t ns = req->states ? req->nstates : 1;
	const char *const *is = req->indicators ? req->indicators : default_inds;
	size_t ni = req->indicators ? req->nind : req->states ? 1 : 2;
	char a[8], b[8];

	if (!imp->n)
		return tc_fail(err, "%s: no %s%s12 month-ending rows for the indicators asked for "
			       "(is this the VSRR Provisional Drug Overdose Death Counts file?)", path,
			       req->all ? "" : ns == 1 ? ss[0] : "requested", req->all ? "" : " ");
	if (req->all)
		for (size_t k = 0; full_states[k]; k++)
			if (!has_state(imp, full_states[k]))
				return tc_fail(err, "%s: jurisdiction '%s' is missing: a full download has "
					       "the 50 states, DC, New York City (YC) and the US "
					       "(a cut or filtered file?)", path, full_states[k]);
	for (size_t s = 0; s < ns; s++)
		for (size_t k = 0; k < ni; k++)
			if (!has_series(imp, ss[s], is[k])) {
				const char *cdc = vsrr_cdc_name(is[k]);
				return tc_fail(err, "%s: no rows for indicator '%s' (CDC \"%s\") in "
					       "jurisdiction '%s' (renamed, missing or cut off?)", path,
					       is[k], cdc ? cdc : is[k], ss[s]);
			}
	rank_state = ranks(imp->states, imp->nstates);
	rank_ind = ranks(imp->indicators, imp->nind);
	qsort(imp->rows, imp->n, sizeof(*imp->rows), cmp_rows);
	free(rank_state);
	free(rank_ind);
	rank_state = rank_ind = NULL;
	imp->first = imp->last = imp->rows[0].period;
	for (size_t i = 0; i < imp->n; i++) {
		if (imp->rows[i].period < imp->first)
			imp->first = imp->rows[i].period;
		if (imp->rows[i].period > imp->last)
			imp->last = imp->rows[i].period;
	}
	for (size_t i = 0; i < imp->n; i++) {
		const struct vsrr_row *r = &imp->rows[i];
		const struct vsrr_row *p = i ? &imp->rows[i - 1] : NULL;
		int start = !p || p->state != r->state || p->indicator != r->indicator;
		int end = i + 1 == imp->n || imp->rows[i + 1].state != r->state ||
			  imp->rows[i + 1].indicator != r->indicator;
		const char *st = imp->states[r->state], *ind = imp->indicators[r->indicator];

		if (start && r->period != imp->first)
			return tc_fail(err, "%s: %s %s starts at %s, the file at %s (months missing)",
				       path, st, ind, tc_format_month(r->period, a),
				       tc_format_month(imp->first, b));
		if (!start && r->period == p->period)
			return tc_fail(err, "%s: two rows for %s %s %s", path, st, ind,
				       tc_format_month(r->period, a));
		if (!start && tc_month_index(r->period) != tc_month_index(p->period) + 1)
			return tc_fail(err, "%s: %s %s has no row for %s (months missing)", path, st, ind,
				       tc_format_month(p->period % 100 == 12 ? (p->period / 100 + 1) * 100 + 1
						       : p->period + 1, a));
		if (end && r->period != imp->last)
			return tc_fail(err, "%s: %s %s ends at %s, the file at %s (cut off or months "
				       "missing)", path, st, ind, tc_format_month(r->period, a),
				       tc_format_month(imp->last, b));
	}
	if (req->vintage) {
		long y = imp->last / 100, m = imp->last % 100 + 1;
		if (m > 12) {
			m = 1;
			y++;
		}
		if (req->vintage < (y * 100 + m) * 100 + 1)
			return tc_fail(err, "%s: vintage %04ld-%02ld-%02ld is earlier than the data: the "
				       "latest 12 month-ending period is %s, published %04ld-%02ld-01 at "
				       "the earliest", path, req->vintage / 10000, req->vintage / 100 % 100,
				       req->vintage % 100, tc_format_month(imp->last, a), y, m);
	}
	return 0;
}

static void describe_layout(const struct layout *L, struct vsrr_import *imp)
{
	snprintf(imp->layout, sizeof(imp->layout), "jurisdiction from '%s'%s%s%s%s",
		 known_cols[L->state_col].name,
		 L->pos[C_PERIOD] < 0 ? "; no Period (all 12 month-ending)" : "",
		 L->pos[C_FOOTSYM] < 0 ? "; no Footnote Symbol" : "",
		 L->pos[C_PRED] < 0 ? "; no Predicted Value" : "",
		 L->pos[C_COMPLETE] < 0 ? "; no Percent Complete" : "");
}

static int import_common(const char *name, const char *buf, size_t len, const char *path,
			 const struct vsrr_request *req, struct vsrr_import *imp, struct tc_err *err)
{
	struct layout L;
	struct take_ctx tc;
	int rc;

	memset(imp, 0, sizeof(*imp));
	memset(&L, 0, sizeof(L));
	if (make_layout(name, buf, len, &L, err))
		return -1;
	tc.imp = imp;
	tc.req = req;
	tc.L = &L;
	tc.path = name;
	rc = path ? tcsv_stream_file(path, &L.schema, take_row, &tc, err)
		  : tcsv_stream_buffer(name, buf, len, &L.schema, take_row, &tc, err);
	if (rc || finish_import(name, req, imp, err)) {
		vsrr_import_release(imp);
		return -1;
	}
	describe_layout(&L, imp);
	return 0;
}

int vsrr_import_file(const char *path, const struct vsrr_request *req, struct vsrr_import *imp,
		     struct tc_err *err)
{
	char head[8192];
	size_t len;
	struct stat st;
	FILE *fp;

	memset(imp, 0, sizeof(*imp));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return tc_fail(err, "'%s' is a directory, not a CSV file", path);
	if (!(fp = tc_open_regular(path, "CSV file", err)))
		return -1;
	len = fread(head, 1, sizeof(head), fp);
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		return tc_fail(err, "unable to read '%s': %s", path, strerror(e));
	}
	fclose(fp);
	if (!len)
		return tc_fail(err, "%s: empty file", path);
	return import_common(path, head, len, path, req, imp, err);
}

int vsrr_import_buffer(const char *name, const char *buf, size_t len, const struct vsrr_request *req,
		       struct vsrr_import *imp, struct tc_err *err)
{
	if (!len) {
		memset(imp, 0, sizeof(*imp));
		return tc_fail(err, "%s: empty file", name);
	}
	return import_common(name, buf, len, NULL, req, imp, err);
}

void vsrr_describe_skips(const struct vsrr_import *imp, char *buf, size_t size)
{
	const struct {
		size_t n;
		const char *what;
	} k[] = {
		{ imp->skip_period, "other periods" },
		{ imp->skip_state, "other jurisdictions" },
		{ imp->skip_indicator, "other indicators" },
	};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < TC_ARRAY_SIZE(k); i++)
		if (k[i].n && o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%zu %s", o ? ", " : "", k[i].n,
					      k[i].what);
	if (!o)
		snprintf(buf, size, "none");
}

void vsrr_import_release(struct vsrr_import *imp)
{
	for (size_t i = 0; i < imp->nstates; i++)
		free(imp->states[i]);
	for (size_t i = 0; i < imp->nind; i++)
		free(imp->indicators[i]);
	free(imp->states);
	free(imp->indicators);
	free(imp->rows);
	memset(imp, 0, sizeof(*imp));
}

/* ---------- writing ---------- */

static void put_num(FILE *fp, double v, int count)
{
	if (isnan(v))
		return;
	if (count && v >= 0 && v < 1e15) {
		/* whole counts (checked on import): digits without printf's float path */
		char d[24];
		int k = (int)sizeof(d);
		unsigned long long u = (unsigned long long)v;
		d[--k] = '\0';
		do {
			d[--k] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		fputs(d + k, fp);
	} else if (count) {
		fprintf(fp, "%.0f", v);
	} else {
		fprintf(fp, "%.12g", v);
	}
}

static const char *status_of(const struct vsrr_row *r)
{
	return r->underreported ? "provisional" : "provisional_complete";
}

int vsrr_write_vintage(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err)
{
	fputs("period,state,indicator,reported,predicted,data_status,percent_complete,"
	      "percent_pending,vintage,source\n", fp);
	for (size_t i = 0; i < imp->n; i++) {
		const struct vsrr_row *r = &imp->rows[i];
		const char *ind = imp->indicators[r->indicator];
		int count = strcmp(ind, "percent_drugs_specified") != 0;
		char m[8];
		fprintf(fp, "%s,%s,%s,", tc_format_month(r->period, m), imp->states[r->state], ind);
		put_num(fp, r->reported, count);
		fputc(',', fp);
		put_num(fp, r->predicted, count);
		fprintf(fp, ",%s,%s,", status_of(r), r->complete);
		put_num(fp, r->percent_pending, 0);
		fprintf(fp, ",%s,%s\n", vintage, source_id);
	}
	if (ferror(fp))
		return tc_fail(err, "write error");
	return 0;
}

int vsrr_write_dataset(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err)
{
	fputs("period,series,reported,predicted,data_status,percent_complete,percent_pending,"
	      "vintage,source\n", fp);
	for (size_t i = 0; i < imp->n; i++) {
		const struct vsrr_row *r = &imp->rows[i];
		const char *ind = imp->indicators[r->indicator];
		char m[8];
		if (strcmp(imp->states[r->state], "US") ||
		    (strcmp(ind, "all_drugs") && strcmp(ind, "synthetic_opioids")))
			continue;
		fprintf(fp, "%s,%s,", tc_format_month(r->period, m), ind);
		put_num(fp, r->reported, 1);
		fputc(',', fp);
		put_num(fp, r->predicted, 1);
		fprintf(fp, ",%s,", status_of(r));
		if (r->complete[0])
			put_num(fp, strtod(r->complete, NULL), 0);
		fputc(',', fp);
		put_num(fp, r->percent_pending, 0);
		fprintf(fp, ",%s,%s\n", vintage, source_id);
	}
	if (ferror(fp))
		return tc_fail(err, "write error");
	return 0;
}

int vsrr_vintage_from_name(const char *path, char out[11])
{
	const char *base = strrchr(path, '/');
	char buf[11];
	long d;

	base = base ? base + 1 : path;
	if (strlen(base) < 9 || base[8] != '_')
		return -1;
	snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", base, base + 4, base + 6);
	if (tc_parse_date(buf, &d))
		return -1;
	memcpy(out, buf, 11);
	return 0;
}

/* ---------- vintage files ---------- */

static const char *const vintage_status_values[] = { "provisional_complete", "provisional", NULL };

static const struct tcsv_col_spec vintage_cols[] = {
	{ "period", TCSV_MONTH, TCSV_KEY, NULL, 0, 0 },
	{ "state", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "indicator", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "reported", TCSV_REAL, OPT | TCSV_NONNEG, NULL, 0, 0 },
	{ "predicted", TCSV_REAL, OPT | TCSV_NONNEG, NULL, 0, 0 },
	{ "data_status", TCSV_ENUM, 0, vintage_status_values, 0, 0 },
	{ "percent_complete", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "percent_pending", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "vintage", TCSV_DATE, 0, NULL, 0, 0 },
	{ "source", TCSV_TEXT, 0, NULL, 0, 0 },
};

const struct tcsv_schema schema_vsrr_vintage = {
	"vsrr_vintage", vintage_cols, TC_ARRAY_SIZE(vintage_cols), 0
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **vsrr_list_vintages(const char *data_dir, size_t *n)
{
	size_t len = strlen(data_dir) + 6, cap = 0;
	char *dir = xmalloc(len);
	char **out = NULL;
	DIR *d;
	struct dirent *e;

	*n = 0;
	snprintf(dir, len, "%s/vsrr", data_dir);
	d = opendir(dir);
	free(dir);
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char v[11];
		long ymd;
		if (strlen(e->d_name) != 14 || strcmp(e->d_name + 10, ".csv"))
			continue;
		memcpy(v, e->d_name, 10);
		v[10] = '\0';
		if (tc_parse_date(v, &ymd))
			continue;
		out = xgrow(out, &cap, *n + 1, sizeof(*out));
		out[(*n)++] = xstrdup(v);
	}
	closedir(d);
	if (*n)
		qsort(out, *n, sizeof(*out), cmp_str);
	return out;
}

char *vsrr_vintage_path(const char *data_dir, const char *vintage)
{
	size_t len = strlen(data_dir) + strlen(vintage) + 12;
	char *p = xmalloc(len);
	snprintf(p, len, "%s/vsrr/%s.csv", data_dir, vintage);
	return p;
}

void vsrr_vintage_coverage(const struct tcsv_table *t, char *buf, size_t size)
{
	long lo = 0, hi = 0;
	char **st = NULL, **ind = NULL, a[8], b[8];
	size_t nst = 0, nind = 0, cst = 0, cind = 0;

	/* distinct values are few (53 jurisdictions, 12 indicators): linear interning */
	for (size_t i = 0; i < t->nrows; i++) {
		long p = (long)t->cols[VV_PERIOD].num[i];
		if (!lo || p < lo)
			lo = p;
		if (p > hi)
			hi = p;
		intern(&st, &nst, &cst, t->cols[VV_STATE].text[i]);
		intern(&ind, &nind, &cind, t->cols[VV_INDICATOR].text[i]);
	}
	for (size_t i = 0; i < nst; i++)
		free(st[i]);
	for (size_t i = 0; i < nind; i++)
		free(ind[i]);
	free(st);
	free(ind);
	if (!t->nrows) {
		snprintf(buf, size, "no rows");
		return;
	}
	snprintf(buf, size, "%s to %s, %zu jurisdiction%s, %zu indicator%s", tc_format_month(lo, a),
		 tc_format_month(hi, b), nst, nst == 1 ? "" : "s", nind, nind == 1 ? "" : "s");
}

int vsrr_check_vintage(const struct tcsv_table *t, const char *vintage, struct tc_err *err)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const char *st = t->cols[VV_STATE].text[i], *ind = t->cols[VV_INDICATOR].text[i];
		if (strcmp(t->cols[VV_VINTAGE].text[i], vintage))
			return tc_fail(err, "%s:%ld: column 'vintage': %s in the file of vintage %s",
				       t->path, t->lines[i], t->cols[VV_VINTAGE].text[i], vintage);
		if (i && !strcmp(st, t->cols[VV_STATE].text[i - 1]) &&
		    !strcmp(ind, t->cols[VV_INDICATOR].text[i - 1]) &&
		    tc_month_index((long)t->cols[VV_PERIOD].num[i]) !=
			    tc_month_index((long)t->cols[VV_PERIOD].num[i - 1]) + 1)
			return tc_fail(err, "%s:%ld: %s %s: %s does not follow %s (one row per month, "
				       "in order)", t->path, t->lines[i], st, ind,
				       t->cols[VV_PERIOD].text[i], t->cols[VV_PERIOD].text[i - 1]);
	}
	return 0;
}
