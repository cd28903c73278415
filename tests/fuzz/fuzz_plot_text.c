/* fuzz-sources: src/plot_desc.c src/plot_script.c src/util.c */
/*
** fuzz_plot_text.c: libFuzzer harness for the text path of the gnuplot
** script builder (src/plot_script.c).
**
**   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
**       tests/fuzz/fuzz_plot_text.c src/plot_desc.c src/plot_script.c src/util.c -lm
**
** The input is split at NUL bytes into the text fields of a plot (title,
** labels, legend entries, point labels, marker, span, note and tic
** labels); the first byte picks the terminal.  Properties checked:
**   1. text of printable ASCII within PLOT_TEXT_MAX is always accepted,
**      text with a C0 control byte or DEL is always refused;
**   2. read the way gnuplot 5.4 reads a datablock (a line ends it when it
**      starts with the terminator), $TXT holds exactly the non-empty
**      fields, each unchanged (tic labels with '%' doubled);
**   3. everything after the datablocks (the commands) is byte-identical
**      to the commands built for the same plot with every text replaced
**      by "x": no text can change, end or add a command.
**
** Run: make fuzz FUZZ_SECONDS=60.  The seeds in tests/fuzz/corpus/plot_text/
** and any crash kept in tests/fuzz/regressions/plot_text/ are replayed by
** tests/unit/test_plot.c, which #includes this file (so everything here
** is static except LLVMFuzzerTestOneInput, and prefixed fz_).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/plot.h"

#define FZ_NFIELDS 13

static const double fz_x[] = { 2015, 2016, 2017, 2018 };
static const double fz_y[] = { 1, NAN, 3, 4 };
static const double fz_y2[] = { 2, NAN, 4, 6 };

static void fz_make_desc(struct plot_desc *d, char *const *tx)
{
	struct plot_series *s;
	const char *pt[4] = { tx[7], NULL, tx[8], NULL };

	plot_desc_init(d);
	plot_set_text(&d->title, tx[0]);
	plot_set_text(&d->xlabel, tx[1]);
	plot_set_text(&d->ylabel, tx[2]);
	plot_set_text(&d->y2label, tx[3]);
	plot_set_text(&d->footnote, tx[4]);
	d->xaxis = PLOT_X_YEAR;
	plot_add_band(d, tx[5], fz_x, fz_y, fz_y2, 4);
	s = plot_add_series(d, PLOT_LINES, tx[6], fz_x, fz_y, 4);
	plot_series_point_text(s, pt);
	s = plot_add_series(d, PLOT_STEPS, tx[9], fz_x, fz_y, 4);
	s->axis = PLOT_Y2;
	plot_add_xmarker(d, 2016.5, tx[10]);
	plot_add_span(d, 2017, 2018, tx[11]);
	plot_add_note(d, 0.1, 0.9, 1, tx[12]);
	plot_add_xtic(d, 2015, tx[12]);
}

/* The commands after both datablocks; the $TXT lines into lines[]. */
static const char *fz_split_script(const char *s, char **lines, size_t max, size_t *nlines)
{
	const char *p = strstr(s, "\n$TXT << ");
	char term[64];
	size_t tl;

	if (!p)
		abort();
	p += 9;
	tl = strcspn(p, "\n");
	if (tl >= sizeof(term))
		abort();
	memcpy(term, p, tl);
	term[tl] = '\0';
	p += tl + 1;
	*nlines = 0;
	for (;;) {
		size_t ll = strcspn(p, "\n");
		if (!p[ll])
			abort();	/* unterminated datablock */
		if (!strncmp(p, term, strlen(term))) {
			p += ll + 1;
			break;
		}
		if (*nlines >= max)
			abort();
		lines[(*nlines)++] = strndup(p, ll);
		p += ll + 1;
	}
	if (strncmp(p, "$DATA << TOCALC_DATA_END\n", 25))
		abort();
	p = strstr(p, "\nTOCALC_DATA_END\n");
	if (!p)
		abort();
	return p + 17;
}

static int fz_printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static int fz_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 1;
	return 0;
}

static char *fz_doubled_percent(const char *s)
{
	char *o = malloc(2 * strlen(s) + 1), *q = o;

	for (; *s; s++) {
		*q++ = *s;
		if (*s == '%')
			*q++ = '%';
	}
	*q = '\0';
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tx[FZ_NFIELDS] = { NULL }, *plain[FZ_NFIELDS] = { NULL }, *lines[32];
	struct plot_desc d;
	struct tc_err err;
	enum plot_term term;
	char *s = NULL, *s2 = NULL;
	size_t len, len2, nlines = 0, start = 1, f = 0;
	int must_ok = 1, must_fail = 0, rc;

	if (size < 1)
		return 0;
	term = (enum plot_term)(data[0] % 3);
	for (size_t i = 1; i <= size && f < FZ_NFIELDS; i++) {
		if (i == size || data[i] == 0) {
			tx[f++] = strndup((const char *)data + start, i - start);
			start = i + 1;
		}
	}
	for (size_t i = 0; i < FZ_NFIELDS; i++) {
		if (!tx[i])
			tx[i] = strdup("");
		if (!fz_printable_ascii(tx[i]) || strlen(tx[i]) > PLOT_TEXT_MAX)
			must_ok = 0;
		if (fz_has_control(tx[i]))
			must_fail = 1;
		plain[i] = strdup(*tx[i] ? "x" : "");
	}

	fz_make_desc(&d, tx);
	tc_err_init(&err);
	rc = plot_script_build(&d, term, NULL, &s, &len, &err);
	plot_desc_release(&d);
	if (must_ok && rc)
		abort();
	if (must_fail && !rc)
		abort();
	if (rc) {
		if (!strstr(err.msg, ": ") || err.code != TC_EXIT_DATA)
			abort();
		goto out;
	}
	if (strlen(s) != len)
		abort();

	/* 2: $TXT holds exactly the non-empty fields, in the builder's order */
	{
		static const int order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12 };
		const char *cmds = fz_split_script(s, lines, 32, &nlines);
		size_t k = 0;

		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
			const char *want = tx[order[i]];
			char *esc;

			if (!*want)
				continue;
			if (k >= nlines)
				abort();
			esc = i == 13 ? fz_doubled_percent(want) : strdup(want);
			if (strcmp(lines[k], esc))
				abort();
			free(esc);
			k++;
		}
		if (k != nlines)
			abort();

		/* 3: the commands do not depend on the text */
		fz_make_desc(&d, plain);
		if (plot_script_build(&d, term, NULL, &s2, &len2, &err))
			abort();
		plot_desc_release(&d);
		{
			char *tmp[32];
			size_t n2;
			const char *cmds2 = fz_split_script(s2, tmp, 32, &n2);
			if (strcmp(cmds, cmds2))
				abort();
			for (size_t i = 0; i < n2; i++)
				free(tmp[i]);
		}
	}
out:
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	for (size_t i = 0; i < FZ_NFIELDS; i++) {
		free(tx[i]);
		free(plain[i]);
	}
	free(s);
	free(s2);
	return 0;
}
