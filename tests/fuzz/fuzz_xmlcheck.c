/* fuzz-sources: src/out_xmlcheck.c src/util.c */
/*
** fuzz_xmlcheck.c: libFuzzer harness for the XML well-formedness checker
** (src/out_xmlcheck.c) that every SVG passes before it is written.
**
**   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
**       tests/fuzz/fuzz_xmlcheck.c src/out_xmlcheck.c
**
** Properties checked on every input (each known independently of the
** checker, from the XML 1.0 grammar):
**   1. a refusal says where: "line L, column C: ..." with L no more than
**      the lines of the input;
**   2. the input escaped the way a careful writer escapes (invalid UTF-8
**      and non-Chars dropped; < > & " as references) inside text, an
**      attribute value, a CDATA section (with "]]>" broken up) and a
**      comment (with "--" broken up) is always accepted;
**   3. inside <svg>...</svg>, input without '<' and '&' is accepted if and
**      only if it is valid UTF-8 of XML Chars without "]]>";
**   4. an accepted input cut just before its last "</" is refused (the
**      root, or what follows it, is then unfinished).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/out_xmlcheck.h"

/* Decode one UTF-8 character (strict); its length, 0 when invalid. */
static size_t fz_utf8(const uint8_t *s, size_t left, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, v = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* XML 1.0 Char production. */
static int fz_is_char(unsigned c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

struct fz_buf {
	char *b;
	size_t n, cap;
};

static void fz_put(struct fz_buf *o, const void *p, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->cap = (o->n + n + 1) * 2;
		o->b = realloc(o->b, o->cap);
		if (!o->b)
			abort();
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
	o->b[o->n] = '\0';
}

static void fz_puts(struct fz_buf *o, const char *s)
{
	fz_put(o, s, strlen(s));
}

/* mode 0: text/attribute escaping; 1: CDATA content; 2: comment content. */
static void fz_escaped(struct fz_buf *o, const uint8_t *d, size_t n, int mode)
{
	char prev = 0;

	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = fz_utf8(d + i, n - i, &cp);
		if (!k) {
			i++;
			continue;
		}
		if (!fz_is_char(cp)) {
			i += k;
			continue;
		}
		if (mode == 0 && cp == '<')
			fz_puts(o, "&lt;");
		else if (mode == 0 && cp == '>')
			fz_puts(o, "&gt;");
		else if (mode == 0 && cp == '&')
			fz_puts(o, "&amp;");
		else if (mode == 0 && cp == '"')
			fz_puts(o, "&quot;");
		else if (mode == 1 && cp == '>' && o->n >= 2 && !memcmp(o->b + o->n - 2, "]]", 2))
			fz_puts(o, " >");
		else if (mode == 2 && cp == '-' && prev == '-')
			fz_puts(o, " -");
		else
			fz_put(o, d + i, k);
		prev = o->n ? o->b[o->n - 1] : 0;
		i += k;
	}
	if (mode == 2 && prev == '-')
		fz_puts(o, " ");	/* a comment must not end with "--->" */
}

static void fz_check_msg(const char *doc, size_t n, const char *msg)
{
	unsigned long line = 0;
	size_t lines = 1;

	for (size_t i = 0; i < n; i++)
		lines += doc[i] == '\n';
	if (sscanf(msg, "line %lu, column", &line) != 1 || line < 1 || line > lines)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[200];
	struct fz_buf o = { NULL, 0, 0 };
	int ok, valid_text = 1;

	/* 1 */
	ok = !out_xml_check((const char *)data, size, msg, sizeof(msg));
	if (!ok)
		fz_check_msg((const char *)data, size, msg);

	/* 4 */
	if (ok) {
		size_t last = size;
		for (size_t i = 0; i + 1 < size; i++)
			if (data[i] == '<' && data[i + 1] == '/')
				last = i;
		if (last < size && !out_xml_check((const char *)data, last, msg, sizeof(msg)))
			abort();
	}

	/* 2 */
	fz_puts(&o, "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n<svg a=\"");
	fz_escaped(&o, data, size, 0);
	fz_puts(&o, "\">\n<text>");
	fz_escaped(&o, data, size, 0);
	fz_puts(&o, "</text><![CDATA[");
	fz_escaped(&o, data, size, 1);
	fz_puts(&o, "]]><!--");
	fz_escaped(&o, data, size, 2);
	fz_puts(&o, "-->\n</svg>\n");
	if (out_xml_check(o.b, o.n, msg, sizeof(msg))) {
		fprintf(stderr, "escaped input refused: %s\n", msg);
		abort();
	}

	/* 3 */
	if (!memchr(data, '<', size) && !memchr(data, '&', size)) {
		o.n = 0;
		fz_puts(&o, "<svg>");
		fz_put(&o, data, size);
		fz_puts(&o, "</svg>");
		for (size_t i = 0; i < size && valid_text;) {
			unsigned cp;
			size_t k = fz_utf8(data + i, size - i, &cp);
			if (!k || !fz_is_char(cp))
				valid_text = 0;
			i += k ? k : 1;
		}
		for (size_t i = 0; i + 3 <= size && valid_text; i++)
			if (!memcmp(data + i, "]]>", 3))
				valid_text = 0;
		if (valid_text != !out_xml_check(o.b, o.n, msg, sizeof(msg))) {
			fprintf(stderr, "text-only input: expected %s\n", valid_text ? "accept" : "refuse");
			abort();
		}
	}
	free(o.b);
	return 0;
}
