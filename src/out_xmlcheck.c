/*
** out_xmlcheck.c: XML 1.0 well-formedness check of a buffer (contract in
** include/tocalc/out_xmlcheck.h).  Pure: reads the buffer, writes only
** the message; nothing is allocated.  Fuzzed by tests/fuzz/fuzz_xmlcheck.c.
*/
#include "tocalc/out_xmlcheck.h"
#include "tocalc/util.h"

#include <stdio.h>
#include <string.h>

struct xp {
	const unsigned char *b;
	size_t n, p;
	const char *err;	/* first error, NULL while fine */
	size_t at;		/* where it was found */
};

static int fail(struct xp *x, const char *what)
{
	if (!x->err) {
		x->err = what;
		x->at = x->p;
	}
	return -1;
}

static int at_end(const struct xp *x)
{
	return x->p >= x->n;
}

static int looking_at(const struct xp *x, const char *s)
{
	size_t k = strlen(s);
	return x->n - x->p >= k && !memcmp(x->b + x->p, s, k);
}

/* Decode the character at p: its code point and byte length (0 when invalid UTF-8). */
static size_t decode(const struct xp *x, size_t p, unsigned *cp)
{
	unsigned long v = 0;
	size_t n = tc_utf8_len(x->b + p, x->n - p, &v);

	*cp = (unsigned)v;
	return n;
}

static int is_char(unsigned c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static int is_space(unsigned c)
{
	return c == 0x20 || c == 0x9 || c == 0xd || c == 0xa;
}

static int name_start(unsigned c)
{
	return c == ':' || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') ||
	       (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
	       (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) ||
	       (c >= 0x200c && c <= 0x200d) || (c >= 0x2070 && c <= 0x218f) ||
	       (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
	       (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) ||
	       (c >= 0x10000 && c <= 0xeffff);
}

static int name_char(unsigned c)
{
	return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xb7 ||
	       (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040);
}

/* The next character, checked to be a Char; 0 length on error. */
static size_t next_char(struct xp *x, unsigned *cp)
{
	size_t k;

	if (at_end(x)) {
		fail(x, "unexpected end of file");
		return 0;
	}
	k = decode(x, x->p, cp);
	if (!k) {
		fail(x, "invalid UTF-8");
		return 0;
	}
	if (!is_char(*cp)) {
		fail(x, "a character XML does not allow (a control character or U+FFFE/U+FFFF)");
		return 0;
	}
	return k;
}

static void skip_space(struct xp *x)
{
	while (!at_end(x) && is_space(x->b[x->p]))
		x->p++;
}

/* A Name at p; its start and length. */
static int name(struct xp *x, size_t *start, size_t *len)
{
	unsigned c;
	size_t k;

	*start = x->p;
	if (at_end(x))
		return fail(x, "unexpected end of file (a name expected)");
	k = decode(x, x->p, &c);
	if (!k || !name_start(c))
		return fail(x, "a name expected");
	x->p += k;
	while (!at_end(x) && (k = decode(x, x->p, &c)) && name_char(c))
		x->p += k;
	*len = x->p - *start;
	return 0;
}

/* A reference after '&': a predefined entity or a character reference to a Char. */
static int reference(struct xp *x)
{
	static const char *const ents[] = { "lt;", "gt;", "amp;", "apos;", "quot;" };
	unsigned long v = 0;
	int digits = 0, hex;

	x->p++;	/* '&' */
	if (!looking_at(x, "#")) {
		for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			if (looking_at(x, ents[i])) {
				x->p += strlen(ents[i]);
				return 0;
			}
		}
		return fail(x, "'&' that does not start &lt; &gt; &amp; &apos; &quot; or a "
			    "character reference");
	}
	x->p++;
	hex = looking_at(x, "x");
	if (hex)
		x->p++;
	while (!at_end(x)) {
		unsigned c = x->b[x->p], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (v <= 0x10ffff)
			v = v * (hex ? 16 : 10) + d;
		digits++;
		x->p++;
	}
	if (!digits || !looking_at(x, ";"))
		return fail(x, "an unfinished character reference (&#...; without its digits or ';')");
	if (v > 0x10ffff || !is_char((unsigned)v))
		return fail(x, "a character reference to a character XML does not allow");
	x->p++;
	return 0;
}

/* Skip up to and over `end`, every character checked; `dashes`: refuse "--" (comments). */
static int until(struct xp *x, const char *end, int dashes, const char *what)
{
	while (!looking_at(x, end)) {
		unsigned c;
		size_t k;

		if (at_end(x))
			return fail(x, what);
		if (dashes && looking_at(x, "--"))
			return fail(x, "\"--\" inside a comment");
		if (!(k = next_char(x, &c)))
			return -1;
		x->p += k;
	}
	x->p += strlen(end);
	return 0;
}

static int comment(struct xp *x)
{
	x->p += 4;	/* "<!--" */
	return until(x, "-->", 1, "a comment without its end");
}

static int pi(struct xp *x, int first)
{
	size_t s, len;

	x->p += 2;	/* "<?" */
	if (name(x, &s, &len))
		return -1;
	if (len == 3 && (x->b[s] | 0x20) == 'x' && (x->b[s + 1] | 0x20) == 'm' &&
	    (x->b[s + 2] | 0x20) == 'l' && (!first || memcmp(x->b + s, "xml", 3))) {
		x->p = s;
		return fail(x, "an XML declaration that is not at the start of the file");
	}
	if (!looking_at(x, "?>") && (at_end(x) || !is_space(x->b[x->p])))
		return fail(x, "a processing instruction whose name is not followed by a space");
	return until(x, "?>", 0, "a processing instruction without its end");
}

/* <!DOCTYPE ...>: skipped, with its quoted strings, comments and internal subset. */
static int doctype(struct xp *x)
{
	int subset = 0;

	x->p += 9;	/* "<!DOCTYPE" */
	if (at_end(x) || !is_space(x->b[x->p]))
		return fail(x, "a DOCTYPE without a space after it");
	for (;;) {
		unsigned char c;

		if (at_end(x))
			return fail(x, "a DOCTYPE without its end");
		c = x->b[x->p];
		if (c == '"' || c == '\'') {
			x->p++;
			while (!at_end(x) && x->b[x->p] != c)
				x->p++;
			if (at_end(x))
				return fail(x, "a DOCTYPE with an unclosed quoted string");
			x->p++;
		} else if (subset && looking_at(x, "<!--")) {
			if (comment(x))
				return -1;
		} else if (c == '[' && !subset) {
			subset = 1;
			x->p++;
		} else if (c == ']' && subset) {
			subset = 0;
			x->p++;
		} else if (c == '>' && !subset) {
			x->p++;
			return 0;
		} else {
			unsigned cp;
			size_t k = next_char(x, &cp);
			if (!k)
				return -1;
			x->p += k;
		}
	}
}

/* An attribute value after its quote; p ends after the closing quote. */
static int att_value(struct xp *x)
{
	unsigned char q = x->b[x->p++];

	for (;;) {
		unsigned c;
		size_t k;

		if (at_end(x))
			return fail(x, "an attribute value without its closing quote");
		if (x->b[x->p] == q) {
			x->p++;
			return 0;
		}
		if (x->b[x->p] == '<')
			return fail(x, "'<' inside an attribute value");
		if (x->b[x->p] == '&') {
			if (reference(x))
				return -1;
			continue;
		}
		if (!(k = next_char(x, &c)))
			return -1;
		x->p += k;
	}
}

/* A start tag after '<'; *empty when it ends with "/>". */
static int start_tag(struct xp *x, size_t *ns, size_t *nl, int *empty)
{
	size_t as[64], al[64], na = 0;

	x->p++;	/* '<' */
	if (name(x, ns, nl))
		return -1;
	for (;;) {
		size_t before = x->p, s, len;

		skip_space(x);
		if (looking_at(x, "/>")) {
			x->p += 2;
			*empty = 1;
			return 0;
		}
		if (looking_at(x, ">")) {
			x->p++;
			*empty = 0;
			return 0;
		}
		if (at_end(x))
			return fail(x, "a start tag without its end");
		if (x->p == before)
			return fail(x, "no space before an attribute");
		if (name(x, &s, &len))
			return -1;
		for (size_t i = 0; i < na; i++)
			if (al[i] == len && !memcmp(x->b + as[i], x->b + s, len)) {
				x->p = s;
				return fail(x, "an attribute given twice in one tag");
			}
		if (na < sizeof(as) / sizeof(as[0])) {
			as[na] = s;
			al[na++] = len;
		}
		skip_space(x);
		if (!looking_at(x, "="))
			return fail(x, "an attribute without '='");
		x->p++;
		skip_space(x);
		if (!looking_at(x, "\"") && !looking_at(x, "'"))
			return fail(x, "an attribute value without quotes");
		if (att_value(x))
			return -1;
	}
}

/* Character data up to the next '<' (or the end). */
static int char_data(struct xp *x, int in_root)
{
	while (!at_end(x) && x->b[x->p] != '<') {
		unsigned c;
		size_t k;

		if (x->b[x->p] == '&') {
			if (!in_root)
				return fail(x, "text outside the root element");
			if (reference(x))
				return -1;
			continue;
		}
		if (looking_at(x, "]]>"))
			return fail(x, "\"]]>\" in text (it may only end a CDATA section)");
		if (!(k = next_char(x, &c)))
			return -1;
		if (!in_root && !is_space(c))
			return fail(x, "text outside the root element");
		x->p += k;
	}
	return 0;
}

static int document(struct xp *x)
{
	struct { size_t s, len; } stack[XML_CHECK_DEPTH];
	size_t depth = 0;
	int seen_root = 0, seen_doctype = 0;

	if (looking_at(x, "\xef\xbb\xbf"))
		x->p += 3;
	if (looking_at(x, "<?xml") && x->n - x->p > 5 && is_space(x->b[x->p + 5]) &&
	    pi(x, 1))
		return -1;
	for (;;) {
		if (char_data(x, depth > 0))
			return -1;
		if (at_end(x))
			break;
		if (looking_at(x, "<!--")) {
			if (comment(x))
				return -1;
		} else if (looking_at(x, "<?")) {
			if (pi(x, 0))
				return -1;
		} else if (looking_at(x, "<![CDATA[")) {
			if (!depth)
				return fail(x, "a CDATA section outside the root element");
			x->p += 9;
			if (until(x, "]]>", 0, "a CDATA section without its end"))
				return -1;
		} else if (looking_at(x, "<!DOCTYPE")) {
			if (seen_doctype || seen_root)
				return fail(x, "a DOCTYPE that is not before the root element");
			seen_doctype = 1;
			if (doctype(x))
				return -1;
		} else if (looking_at(x, "</")) {
			size_t s, len;
			x->p += 2;
			if (!depth)
				return fail(x, "an end tag without its start tag");
			if (name(x, &s, &len))
				return -1;
			if (len != stack[depth - 1].len || memcmp(x->b + s, x->b + stack[depth - 1].s, len)) {
				x->p = s;
				return fail(x, "an end tag that does not match its start tag");
			}
			skip_space(x);
			if (!looking_at(x, ">"))
				return fail(x, "an end tag without '>'");
			x->p++;
			depth--;
		} else {
			size_t s, len;
			int empty;
			if (!depth && seen_root)
				return fail(x, "a second root element");
			if (start_tag(x, &s, &len, &empty))
				return -1;
			seen_root = 1;
			if (!empty) {
				if (depth == XML_CHECK_DEPTH)
					return fail(x, "elements nested too deeply");
				stack[depth].s = s;
				stack[depth].len = len;
				depth++;
			}
		}
	}
	if (depth)
		return fail(x, "the file ends inside an element");
	if (!seen_root)
		return fail(x, "no root element");
	return 0;
}

int out_xml_check(const char *buf, size_t len, char *msg, size_t size)
{
	struct xp x = { (const unsigned char *)buf, len, 0, NULL, 0 };
	size_t line = 1, col = 1;

	if (size)
		msg[0] = '\0';
	if (!document(&x))
		return 0;
	for (size_t i = 0; i < x.at && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (size)
		snprintf(msg, size, "line %zu, column %zu: %s", line, col,
			 x.err ? x.err : "not well-formed");
	return -1;
}
