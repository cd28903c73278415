/*
** scenario.c: the strict parser of tariff scenario files
** (docs/scenario-format.md).  Every error names file:line.
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SCN_MAX_BYTES (1024 * 1024)
#define SCN_MAX_LINE 4096
#define SCN_MAX_TOKENS 32
#define SCN_MAX_DRAWS 10000000L

struct pstate {
	struct scenario *sc;
	const char *name;
	long line;
	long seen[16];		/* line where each single-use keyword was first seen */
	int header;
	long op_line[TARIFF_NPARTNERS];	/* line of the partner's rate/add/base clause */
	long layer_line[TARIFF_NPARTNERS];	/* line of its first layer clause */
	struct tc_err *err;
};

enum { K_NAME, K_TITLE, K_ASOF, K_YEAR, K_MODEL, K_EPS, K_SIGMA, K_EX, K_PT, K_DRAWS, K_SEED };

static const char *const single_kw[] = {
	"name", "title", "as-of", "year", "model", "elasticity", "substitution",
	"supply-elasticity", "pass-through", "draws", "seed",
};

static int perr(struct pstate *ps, const char *fmt, ...) TC_PRINTF(2, 3);

static int perr(struct pstate *ps, const char *fmt, ...)
{
	char buf[TC_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ps->line)
		return tc_failc(ps->err, TC_EXIT_DATA, "%s:%ld: %s", ps->name, ps->line, buf);
	return tc_failc(ps->err, TC_EXIT_DATA, "%s: %s", ps->name, buf);
}

static int number(struct pstate *ps, const char *what, const char *tok, double *v)
{
	if (!tok)
		return perr(ps, "'%s' needs a number", what);
	if (tc_parse_double(tok, v))
		return perr(ps, "'%s': expected a number, got '%s'", what, tok);
	return 0;
}

static int rate_value(struct pstate *ps, const char *what, const char *tok, double *v)
{
	if (number(ps, what, tok, v))
		return -1;
	if (*v < 0)
		return perr(ps, "'%s': a tariff rate cannot be negative, got %s", what, tok);
	if (*v > TARIFF_MAX_RATE * 100)
		return perr(ps, "'%s': rate %s%% is above the %g%% limit", what, tok, TARIFF_MAX_RATE * 100);
	return 0;
}

static int once(struct pstate *ps, int k)
{
	if (ps->seen[k])
		return perr(ps, "'%s' given twice (first on line %ld)", single_kw[k], ps->seen[k]);
	ps->seen[k] = ps->line;
	return 0;
}

static int want_args(struct pstate *ps, const char *kw, int ntok, int n)
{
	if (ntok - 1 < n)
		return perr(ps, "'%s' needs a value", kw);
	if (ntok - 1 > n)
		return perr(ps, "'%s' takes %d value%s, got %d", kw, n, n == 1 ? "" : "s", ntok - 1);
	return 0;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

/* "layer" names as in tariffs.csv: lowercase letters, digits, underscore. */
static int valid_layer(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* Rest of the line after the keyword, trimmed. */
static char *rest_of_line(char *line, const char *kw)
{
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	p += strlen(kw);
	while (*p == ' ' || *p == '\t')
		p++;
	{
		size_t n = strlen(p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			p[--n] = '\0';
	}
	return p;
}

static int partner_line(struct pstate *ps, char **tok, int ntok)
{
	struct scenario *sc = ps->sc;
	struct scenario_partner *sp;
	int k, have_base_rate = 0, have_imports = 0;

	if (ntok < 2)
		return perr(ps, "'partner' needs a partner code (CN, MX, CA or ROW)");
	if (tariff_partner_parse(tok[1], &k))
		return perr(ps, "unknown partner '%s' (expected CN, MX, CA or ROW)", tok[1]);
	sp = &sc->p[k];
	if (!sp->set) {
		sp->set = 1;
		sp->line = ps->line;
		sp->op = SCN_BASE;
		sp->base_rate = NAN;
		sp->imports = NAN;
	}
	if (ntok == 2)
		return perr(ps, "'partner %s' needs a clause: rate R, add R, base, layer NAME R, "
			    "base-rate R or imports V", tok[1]);
	for (int i = 2; i < ntok;) {
		const char *c = tok[i];
		double v;
		if (!strcmp(c, "rate") || !strcmp(c, "add") || !strcmp(c, "base")) {
			int base = !strcmp(c, "base");
			if (ps->op_line[k])
				return perr(ps, "partner %s: more than one of rate, add and base "
					    "(first on line %ld)", tok[1], ps->op_line[k]);
			if (ps->layer_line[k])
				return perr(ps, "partner %s: '%s' cannot be combined with 'layer' (line %ld)",
					    tok[1], c, ps->layer_line[k]);
			if (!base) {
				if (i + 1 >= ntok)
					return perr(ps, "'%s' needs a number", c);
				if (rate_value(ps, c, tok[i + 1], &v))
					return -1;
				sp->op = !strcmp(c, "rate") ? SCN_RATE : SCN_ADD;
				sp->value = v;
			}
			ps->op_line[k] = ps->line;
			i += base ? 1 : 2;
		} else if (!strcmp(c, "layer")) {
			if (i + 2 >= ntok)
				return perr(ps, "'layer' needs a layer name and a rate");
			if (ps->op_line[k])
				return perr(ps, "partner %s: 'layer' cannot be combined with rate, add or base "
					    "(line %ld)", tok[1], ps->op_line[k]);
			if (!valid_layer(tok[i + 1]))
				return perr(ps, "'layer': '%s' is not a layer name (lowercase letters, "
					    "digits and _)", tok[i + 1]);
			for (size_t j = 0; j < sp->nlayers; j++)
				if (!strcmp(sp->layer[j], tok[i + 1]))
					return perr(ps, "partner %s: layer '%s' given twice", tok[1], tok[i + 1]);
			if (sp->nlayers == SCENARIO_MAX_LAYERS)
				return perr(ps, "partner %s: more than %d layers", tok[1], SCENARIO_MAX_LAYERS);
			if (rate_value(ps, "layer", tok[i + 2], &v))
				return -1;
			sp->layer[sp->nlayers] = xstrdup(tok[i + 1]);
			sp->layer_rate[sp->nlayers] = v;
			sp->layer_add[sp->nlayers] = 0;
			sp->layer_scope[sp->nlayers] = -1;
			sp->nlayers++;
			if (!ps->layer_line[k])
				ps->layer_line[k] = ps->line;
			i += 3;
		} else if (!strcmp(c, "base-rate")) {
			if (have_base_rate || isfinite(sp->base_rate))
				return perr(ps, "partner %s: 'base-rate' given twice", tok[1]);
			if (i + 1 >= ntok)
				return perr(ps, "'base-rate' needs a number");
			if (rate_value(ps, "base-rate", tok[i + 1], &v))
				return -1;
			sp->base_rate = v;
			have_base_rate = 1;
			i += 2;
		} else if (!strcmp(c, "imports")) {
			if (have_imports || isfinite(sp->imports))
				return perr(ps, "partner %s: 'imports' given twice", tok[1]);
			if (i + 1 >= ntok)
				return perr(ps, "'imports' needs a number");
			if (number(ps, "imports", tok[i + 1], &v))
				return -1;
			if (v <= 0)
				return perr(ps, "'imports': base imports must be positive (USD million), got %s",
					    tok[i + 1]);
			if (v > TARIFF_MAX_IMPORTS)
				return perr(ps, "'imports': USD %s million is above the USD %g million limit",
					    tok[i + 1], TARIFF_MAX_IMPORTS);
			sp->imports = v;
			have_imports = 1;
			i += 2;
		} else {
			return perr(ps, "partner %s: unknown clause '%s' (expected rate, add, base, layer, "
				    "base-rate or imports)", tok[1], c);
		}
	}
	return 0;
}

static int statement(struct pstate *ps, char *line)
{
	struct scenario *sc = ps->sc;
	char copy[SCN_MAX_LINE + 1];
	char *tok[SCN_MAX_TOKENS], *p, *save = NULL;
	int ntok = 0;
	const char *kw;
	char why[160];
	double v;
	long l;

	snprintf(copy, sizeof(copy), "%s", line);
	for (p = strtok_r(copy, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (ntok == SCN_MAX_TOKENS)
			return perr(ps, "too many words on the line (more than %d)", SCN_MAX_TOKENS);
		tok[ntok++] = p;
	}
	kw = tok[0];
	if (!ps->header) {
		if (strcmp(kw, "tocalc-scenario"))
			return perr(ps, "expected 'tocalc-scenario 1' as the first statement, got '%s'", kw);
		if (ntok != 2 || strcmp(tok[1], "1"))
			return perr(ps, "unsupported scenario format version (expected 'tocalc-scenario 1')");
		ps->header = 1;
		return 0;
	}
	if (!strcmp(kw, "tocalc-scenario"))
		return perr(ps, "'tocalc-scenario' given twice");
	if (!strcmp(kw, "partner"))
		return partner_line(ps, tok, ntok);
	if (!strcmp(kw, "note")) {
		char *t = rest_of_line(line, "note");
		if (!*t)
			return perr(ps, "'note' needs a text");
		sc->notes = xrealloc(sc->notes, (sc->nnotes + 1) * sizeof(*sc->notes));
		sc->notes[sc->nnotes++] = xstrdup(t);
		return 0;
	}
	if (!strcmp(kw, "title")) {
		char *t = rest_of_line(line, "title");
		if (once(ps, K_TITLE))
			return -1;
		if (!*t)
			return perr(ps, "'title' needs a text");
		sc->title = xstrdup(t);
		return 0;
	}
	for (int k = 0; k < (int)TC_ARRAY_SIZE(single_kw); k++) {
		if (strcmp(kw, single_kw[k]))
			continue;
		if (once(ps, k) || want_args(ps, kw, ntok, 1))
			return -1;
		switch (k) {
		case K_NAME:
			if (!valid_name(tok[1]))
				return perr(ps, "'name': '%s' is not a name (lowercase letters, digits, - and _)",
					    tok[1]);
			sc->name = xstrdup(tok[1]);
			return 0;
		case K_ASOF:
			switch (tc_date_why(tok[1], why, sizeof(why))) {
			case 0:
				break;
			case TC_DATE_SHAPE:
				return perr(ps, "'as-of': %s, got '%s'", why, tok[1]);
			default:
				return perr(ps, "'as-of': '%s' %s", tok[1], why);
			}
			tc_parse_date(tok[1], &l);
			sc->as_of = l;
			return 0;
		case K_YEAR:
			if (tc_parse_long(tok[1], &l) || l < 1900 || l > 2199)
				return perr(ps, "'year': expected a year 1900-2199, got '%s'", tok[1]);
			sc->year = (int)l;
			return 0;
		case K_MODEL: {
			enum tariff_model m;
			if (tariff_model_parse(tok[1], &m))
				return perr(ps, "'model': expected ces, smart or gsim, got '%s'", tok[1]);
			sc->model = (int)m;
			return 0;
		}
		case K_EPS:
			if (number(ps, kw, tok[1], &v))
				return -1;
			if (v <= 0)
				return perr(ps, "'elasticity' is the import-demand elasticity as a positive "
					    "magnitude (e.g. 1.5 for -1.5), got %s", tok[1]);
			sc->eps = v;
			return 0;
		case K_SIGMA:
			if (number(ps, kw, tok[1], &v))
				return -1;
			if (v < 0)
				return perr(ps, "'substitution' must be >= 0, got %s", tok[1]);
			sc->sigma = v;
			return 0;
		case K_EX:
			if (!strcmp(tok[1], "inf")) {
				sc->ex = INFINITY;
				return 0;
			}
			if (number(ps, kw, tok[1], &v))
				return -1;
			if (v <= 0)
				return perr(ps, "'supply-elasticity' must be positive or 'inf', got %s", tok[1]);
			sc->ex = v;
			return 0;
		case K_PT:
			if (number(ps, kw, tok[1], &v))
				return -1;
			if (v < 0 || v > 1)
				return perr(ps, "'pass-through' must be a share in [0, 1], got %s", tok[1]);
			sc->pass_through = v;
			return 0;
		case K_DRAWS:
			if (tc_parse_long(tok[1], &l) || l < 1 || l > SCN_MAX_DRAWS)
				return perr(ps, "'draws': expected an integer 1-%ld, got '%s'", SCN_MAX_DRAWS,
					    tok[1]);
			sc->draws = l;
			return 0;
		case K_SEED:
			/* mt19937 keeps 32 bits (2^32 + 1 would be 1) and maps 0 to 4357 */
			if (tc_parse_long(tok[1], &l) || l < 1 || l > 4294967295L)
				return perr(ps, "'seed': expected a seed from 1 to 4294967295, got '%s'",
					    tok[1]);
			sc->seed = (unsigned long)l;
			sc->seed_set = 1;
			return 0;
		default:
			break;
		}
	}
	return perr(ps, "unknown keyword '%s' (see docs/scenario-format.md)", kw);
}

void scenario_release(struct scenario *sc)
{
	free(sc->path);
	free(sc->name);
	free(sc->title);
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		for (size_t j = 0; j < sc->p[k].nlayers; j++)
			free(sc->p[k].layer[j]);
	for (size_t i = 0; i < sc->nnotes; i++)
		free(sc->notes[i]);
	free(sc->notes);
	memset(sc, 0, sizeof(*sc));
	sc->model = -1;
}

void scenario_init(struct scenario *sc, const char *path)
{
	memset(sc, 0, sizeof(*sc));
	sc->model = -1;
	sc->eps = sc->sigma = sc->ex = sc->pass_through = NAN;
	sc->path = xstrdup(path);
}

void scenario_set_partner(struct scenario *sc, int k)
{
	struct scenario_partner *sp = &sc->p[k];

	if (sp->set)
		return;
	sp->set = 1;
	sp->op = SCN_BASE;
	sp->base_rate = NAN;
	sp->imports = NAN;
}

int scenario_add_layer(struct scenario *sc, int k, const char *layer, double pct, int add,
		       int scope, struct tc_err *err)
{
	struct scenario_partner *sp = &sc->p[k];

	if (!valid_layer(layer))
		return tc_failc(err, TC_EXIT_USAGE, "'%s' is not a layer name (lowercase letters, "
				    "digits and _)", layer);
	if (sp->nlayers == SCENARIO_MAX_LAYERS)
		return tc_failc(err, TC_EXIT_USAGE, "more than %d layers", SCENARIO_MAX_LAYERS);
	scenario_set_partner(sc, k);
	sp->layer[sp->nlayers] = xstrdup(layer);
	sp->layer_rate[sp->nlayers] = pct;
	sp->layer_add[sp->nlayers] = add;
	sp->layer_scope[sp->nlayers] = scope;
	sp->nlayers++;
	return 0;
}

int scenario_parse_buffer(struct scenario *sc, const char *name, const char *buf, size_t len,
			  struct tc_err *err)
{
	struct pstate ps;
	size_t pos = 0;
	int any = 0;

	memset(sc, 0, sizeof(*sc));
	sc->model = -1;
	sc->eps = sc->sigma = sc->ex = sc->pass_through = NAN;
	sc->path = xstrdup(name);
	memset(&ps, 0, sizeof(ps));
	ps.sc = sc;
	ps.name = name;
	ps.err = err;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		pos = 3;	/* UTF-8 byte-order mark */
	while (pos < len) {
		const char *eol = memchr(buf + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (buf + pos)) : len - pos;
		size_t next = eol ? (size_t)(eol - buf) + 1 : len;
		char line[SCN_MAX_LINE + 1];
		size_t a = 0;

		ps.line++;
		if (n && buf[pos + n - 1] == '\r')
			n--;
		if (n > SCN_MAX_LINE) {
			perr(&ps, "line longer than %d bytes", SCN_MAX_LINE);
			goto fail;
		}
		if (tc_utf8_text(buf + pos, n, NULL) != n) {
			perr(&ps, "control character or invalid UTF-8");
			goto fail;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos = next;
		while (line[a] == ' ' || line[a] == '\t')
			a++;
		if (!line[a] || line[a] == '#')
			continue;
		if (statement(&ps, line))
			goto fail;
		any = 1;
	}
	ps.line = 0;
	if (!any) {
		perr(&ps, "empty scenario (expected 'tocalc-scenario 1' and partner lines)");
		goto fail;
	}
	{
		int np = 0;
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			np += sc->p[k].set;
		if (!np) {
			perr(&ps, "no 'partner' line");
			goto fail;
		}
	}
	return 0;
fail:
	scenario_release(sc);
	return -1;
}

int scenario_parse_file(struct scenario *sc, const char *path, struct tc_err *err)
{
	char *buf;
	size_t len;
	int rc;

	memset(sc, 0, sizeof(*sc));
	sc->model = -1;
	if (tc_read_file(path, &buf, &len, SCN_MAX_BYTES, err))
		return -1;
	rc = scenario_parse_buffer(sc, path, buf, len, err);
	free(buf);
	return rc;
}
