/*
** tcsv.c: strict, typed CSV loading on top of libcsv.
**
** libcsv gives no line numbers, skips blank lines silently, does not
** detect ragged rows, keeps a UTF-8 BOM, treats a lone CR as a row end
** and happily grows a field to gigabytes after a stray quote.  So:
**
**  - we feed it one physical line at a time (memchr for '\n'), which
**    tells us the line of every callback and the line where each field
**    starts; input is read in blocks of up to 1 MiB that end at a '\n'
**    (a line longer than a block is fed in pieces);
**  - a UTF-8 BOM at the very start of the input is skipped;
**  - NUL bytes are refused before libcsv sees them;
**  - fields per row are counted against the header (and capped at
**    FIELDS_MAX), the field size is capped through libcsv's realloc hook
**    (and checked again in the field callback);
**  - a CR that ends a row must be followed by LF (libcsv ends a row at a
**    bare CR, in the middle of a line): refused otherwise;
**  - each field is converted in the field callback (no second copy of
**    numeric fields); the first value error of a row is kept pending
**    until the row ends, so that a ragged row reports the missing or
**    extra field rather than a shifted value;
**  - after a parse error csv_fini is never called with callbacks (it
**    would submit the half-read row); csv_free is called on every path;
**  - a simple line is split by tcsv itself, in place in the read block
**    (fast_lines: one SSE2/SWAR scan for comma, quote, LF, CR and NUL),
**    with exactly libcsv's callbacks; anything else goes to libcsv
**    (docs/csv.md);
**  - a last line without a newline is refused (the file may be cut).
**
** Error messages: "<file>:<line>:<field>: column '<name>': <problem>",
** where <field> is the 1-based field number in the row; errors about a
** whole row or file drop the parts that do not apply.  docs/csv.md.
*/
#include "tocalc/tcsv.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* SSE2 for the splitter's scan and the text check (every x86-64); else SWAR */
#if defined(__SSE2__) && !defined(TCSV_PORTABLE_SCAN)
#include <emmintrin.h>
#define TCSV_SSE2 1
#else
#define TCSV_SSE2 0
#endif

#if defined(__GNUC__)
#define TCSV_INLINE inline __attribute__((always_inline))
#else
#define TCSV_INLINE inline
#endif

#define FIELD_MAX (1u << 20)	/* bytes per field */
#define FIELDS_MAX 4096		/* fields per row */
#define NUM_MAX 64		/* characters in a numeric field */
#define INT_DIGITS 15		/* significant digits of an integer (exact in a double) */
#define NO_TEXT SIZE_MAX

/* libcsv's realloc hook has no user pointer; the cap is a constant. */
static void *capped_realloc(void *p, size_t n)
{
	if (n > FIELD_MAX + 16)
		return NULL;
	return realloc(p, n);
}

/* ---- duplicate-key detection: open addressing over a byte arena ---- */

/*
** A slot is 16 bytes (a hash and where its key is); a key's length and
** line are in the arena before its bytes, read only when two hashes
** are equal.  The table stays at most half full.
*/
struct keyslot {
	uint64_t hash;
	size_t ent;		/* 1 + offset of the key's entry in the arena; 0: empty slot */
};

struct keyent {			/* in the arena (unaligned: memcpy), then the key's bytes */
	size_t len;
	long line;
};

struct keyset {
	struct keyslot *slots;
	size_t cap, n;
	unsigned char *arena;
	size_t arena_len, arena_cap;
	size_t hint;		/* keys expected (a whole input's lines), or 0 */
};

/* A 64-bit hash of s[0..n), eight bytes at a time (its order is never seen). */
static uint64_t hash_bytes(const unsigned char *s, size_t n)
{
	const uint64_t m = 0x9E3779B97F4A7C15ull;
	uint64_t h = 1469598103934665603ull ^ n, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	return h ^ (h >> 29);
}

/* Insert a key; return the line of an earlier equal key, or 0. */
static long keyset_add(struct keyset *k, const unsigned char *key, size_t len, long line)
{
	uint64_t h = hash_bytes(key, len);
	struct keyent e;
	size_t j;

	if (2 * (k->n + 1) > k->cap) {
		size_t nc = k->cap ? 2 * k->cap : 64;
		while (!k->cap && nc < 2 * k->hint && nc < ((size_t)1 << 16))
			nc *= 2;	/* room for every key at once: no rehash, no copy */
		struct keyslot *ns = xcalloc(nc, sizeof(*ns));
		for (size_t i = 0; i < k->cap; i++) {
			if (!k->slots[i].ent)
				continue;
			j = k->slots[i].hash & (nc - 1);
			while (ns[j].ent)
				j = (j + 1) & (nc - 1);
			ns[j] = k->slots[i];
		}
		free(k->slots);
		k->slots = ns;
		k->cap = nc;
	}
	j = h & (k->cap - 1);
	while (k->slots[j].ent) {
		const struct keyslot *s = &k->slots[j];
		if (s->hash == h) {
			const unsigned char *p = k->arena + s->ent - 1;
			memcpy(&e, p, sizeof(e));
			if (e.len == len && !memcmp(p + sizeof(e), key, len))
				return e.line;
		}
		j = (j + 1) & (k->cap - 1);
	}
	if (!k->arena_cap && k->hint && len < (1u << 10) &&
	    (sizeof(e) + len) * (k->hint + 1) <= (4u << 20))	/* like sized keys: one allocation */
		k->arena = xgrow(k->arena, &k->arena_cap, (sizeof(e) + len) * (k->hint + 1), 1);
	k->arena = xgrow(k->arena, &k->arena_cap, k->arena_len + sizeof(e) + len, 1);
	e.len = len;
	e.line = line;
	memcpy(k->arena + k->arena_len, &e, sizeof(e));
	if (len)
		memcpy(k->arena + k->arena_len + sizeof(e), key, len);
	k->slots[j].hash = h;
	k->slots[j].ent = k->arena_len + 1;
	k->arena_len += sizeof(e) + len;
	k->n++;
	return 0;
}

static void keyset_release(struct keyset *k)
{
	free(k->slots);
	free(k->arena);
	memset(k, 0, sizeof(*k));
}

/* ---- the reader ---- */

/* A chunk of a table's string arena (see "whole-table loading"). */
struct tchunk {
	struct tchunk *next;
	size_t cap, len;
	char data[];
};

struct reader {
	const char *name;
	const struct tcsv_schema *schema;
	struct tc_err *err;
	struct tc_err own_err;	/* used when the caller passes err == NULL */
	int failed;

	long line;		/* physical line being fed (1-based) */
	size_t col_base;	/* bytes of this line fed before the current piece */
	size_t fed;		/* bytes fed so far */
	int at_line_start;	/* the previous piece ended with '\n' */
	int started;		/* some input was fed (BOM check done) */
	long row_line;		/* line where the current row started, -1 if none */
	long field_line;	/* line where the current field started */
	long rows_ended;	/* row-end callbacks so far */
	int cr_pending;		/* the last piece ended with a CR that ended a row */

	int header_done;
	size_t nheader;		/* fields in the header */
	int *map;		/* header field -> schema column, or -1 */
	char **hnames;		/* header names (escaped, shortened), for messages */
	size_t hcap;
	int *seen;		/* schema column -> header field + 1, or 0 */

	size_t nfields;		/* fields seen in the current row */
	char *arena;		/* text values of the current row */
	size_t arena_len, arena_cap;
	size_t *toff;		/* schema column -> offset in arena, or NO_TEXT */
	int pending;		/* a value error is waiting for the row end */
	char pmsg[TC_ERR_MSG_MAX];

	double *num;		/* converted row handed to the callback */
	const char **text;
	unsigned char *missing;

	int has_key;
	size_t nkeycols;	/* the KEY columns, in schema order */
	size_t *keycols;
	struct keyset keys;
	unsigned char *keybuf;
	size_t keycap;

	tcsv_row_fn fn;
	void *ud;
	long nrows;

	int in_fast_line;	/* fields come from the read block (fast_lines), not from libcsv */
	struct fspan *fs;	/* fast path: the fields of the line */
	size_t fscap;
	size_t size_hint;	/* the file's size when known (the read block's size) */
	unsigned char *eslot;	/* ENUM columns: 64 slots each (enum_slots), or NULL */

	/*
	 * Whole-input mode (keep, for the table loader; run()): a small input
	 * is read whole into one block, which is not freed but handed to the
	 * loader as a chunk of the table's arena (kept): text of the fast path
	 * stays where it was read, in [keep_lo, keep_lo + keep_len).
	 */
	int keep;		/* asked for by the loader */
	struct tchunk *kept;	/* the block, for the loader; NULL when not kept */
	uintptr_t keep_lo;
	size_t keep_len;	/* 0: nothing kept */
	size_t lines_hint;	/* '\n' bytes of the whole input (keep mode), or 0 */
	void (*ready)(void *ud);	/* keep mode: called with ud once the input is read */
};


/*
** Show a value in a message: valid UTF-8 is kept, control characters,
** quotes, backslashes and invalid bytes become \xNN; at most 40 bytes of
** input, then "...".
*/
static const char *shown(const char *s, size_t n, char *buf, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;

	while (i < n && i < 40) {
		unsigned char c = u[i];
		size_t k = c >= 0x80 ? tc_utf8_len(u + i, n - i, NULL) : 1;
		if (k == 0 || c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			if (o + 5 >= size)
				break;
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
			i++;
			continue;
		}
		if (o + k + 4 >= size)
			break;
		memcpy(buf + o, s + i, k);
		o += k;
		i += k;
	}
	if (i < n && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/*
** Text check: valid UTF-8 without control characters (C0 but tab, DEL, C1):
** tc_utf8_text's rule (util.h), with an eight-bytes-at-a-time ASCII scan
** first because every CSV field goes through it; sequences decode with
** the one decoder, tc_utf8_len.
** Returns n when fine, else the offset of the first bad byte and sets
** *ctrl when it is a control character (not an encoding error).
*/
static size_t text_check_from(const unsigned char *s, size_t n, size_t i, int *ctrl);

static size_t text_check(const unsigned char *s, size_t n, int *ctrl)
{
	size_t i = 0;

	/* printable ASCII, eight bytes at a time: no byte < 0x20 or >= 0x7f */
	for (; i + 8 <= n; i += 8) {
		uint64_t x, ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
		memcpy(&x, s + i, 8);
		if (((x - ones * 0x20) | (x + ones * 0x01) | x) & highs)
			break;
	}
	return text_check_from(s, n, i, ctrl);
}

/* text_check from byte i on, a byte at a time */
static size_t text_check_from(const unsigned char *s, size_t n, size_t i, int *ctrl)
{
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\t') {
				i++;
				continue;
			}
			*ctrl = 1;
			return i;
		}
		size_t k = tc_utf8_len(s + i, n - i, NULL);
		if (!k) {
			*ctrl = 0;
			return i;
		}
		if (c == 0xC2 && s[i + 1] < 0xA0) {	/* C1 controls U+0080..U+009F */
			*ctrl = 1;
			return i;
		}
		i += k;
	}
	return n;
}

/*
** text_check for a field of the fast path, which has at least 16 readable
** bytes after any of its bytes (the read block's data and padding): 16
** bytes at a time, the bytes past n masked off; the first byte that is
** not printable ASCII (a tab, UTF-8, a control) goes to the byte loop.
*/
static TCSV_INLINE size_t text_check_padded(const unsigned char *s, size_t n, int *ctrl)
{
#if TCSV_SSE2
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
	size_t i;

	for (i = 0; i < n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: bytes >= 0x80 are below 0x20 too */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, sp),
								      _mm_cmpeq_epi8(v, del)));
		if (n - i < 16)
			m &= (1u << (n - i)) - 1;
		if (m)
			return text_check_from(s, n, i + (size_t)__builtin_ctz(m), ctrl);
	}
	return n;
#else
	return text_check(s, n, ctrl);
#endif
}

/* Name of header field fi (0-based) for messages. */
static const char *field_name(const struct reader *r, size_t fi)
{
	if (!r->header_done || fi >= r->nheader)
		return NULL;
	if (r->map[fi] >= 0)
		return r->schema->cols[r->map[fi]].name;
	return r->hnames[fi];
}

/*
** Format "<file>:<line>[:<field>]: [column '<name>': ]" into buf.
** fi is the 1-based field number, 0 for none; line 0 for none.
*/
static void where(const struct reader *r, long line, size_t fi, char *buf, size_t size)
{
	const char *nm = fi ? field_name(r, fi - 1) : NULL;

	if (!line)
		snprintf(buf, size, "%s: ", r->name);
	else if (!fi)
		snprintf(buf, size, "%s:%ld: ", r->name, line);
	else if (nm)
		snprintf(buf, size, "%s:%ld:%zu: column '%s': ", r->name, line, fi, nm);
	else if (!r->header_done)
		snprintf(buf, size, "%s:%ld:%zu: header: ", r->name, line, fi);
	else
		snprintf(buf, size, "%s:%ld:%zu: ", r->name, line, fi);
}

static void vformat(const struct reader *r, char *out, size_t size, long line, size_t fi,
		    const char *fmt, va_list ap)
{
	char pre[TC_ERR_MSG_MAX];
	size_t n;

	where(r, line, fi, pre, sizeof(pre));
	n = (size_t)snprintf(out, size, "%s", pre);
	if (n < size)
		vsnprintf(out + n, size - n, fmt, ap);
}

/* Fail now with a located message. */
static int rfail(struct reader *r, long line, size_t fi, const char *fmt, ...) TC_PRINTF(4, 5);

static int rfail(struct reader *r, long line, size_t fi, const char *fmt, ...)
{
	char buf[TC_ERR_MSG_MAX];
	va_list ap;

	if (r->failed)
		return -1;
	va_start(ap, fmt);
	vformat(r, buf, sizeof(buf), line, fi, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return tc_fail(r->err, "%s", buf);
}

/* Keep the first value error of the row until the row end. */
static int rpend(struct reader *r, size_t fi, const char *fmt, ...) TC_PRINTF(3, 4);

static int rpend(struct reader *r, size_t fi, const char *fmt, ...)
{
	va_list ap;

	if (r->pending)
		return -1;
	va_start(ap, fmt);
	vformat(r, r->pmsg, sizeof(r->pmsg), r->field_line, fi, fmt, ap);
	va_end(ap);
	r->pending = 1;
	return -1;
}

/* ---- numbers ---- */

enum num_status {
	NUM_OK,
	NUM_BAD,	/* not a number */
	NUM_NOTINT,	/* a number with a fraction or an exponent in an integer column */
	NUM_LONG,	/* more than NUM_MAX characters */
	NUM_BIGINT,	/* integer with more than INT_DIGITS significant digits */
	NUM_RANGE,	/* overflows a double */
	NUM_COMMA,	/* thousands separator in a column that does not allow them */
	NUM_GROUP	/* misplaced thousands separator */
};

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
** Strict decimal number: [+-] digits [. digits] [(e|E) [+-] digits], with
** at least one mantissa digit (".5" and "5." are accepted, as by strtod
** and tc_parse_double); in an integer column only [+-] digits.  With
** `thousands`, the integer part may be grouped as 1,234,567 (first group
** 1-3 digits, not starting with 0; then groups of exactly 3).
**
** Fast path (Clinger): a mantissa of at most 2^53 scaled by an exact
** power of ten up to 1e22 is correctly rounded by one IEEE operation, so
** it equals strtod's result; anything else goes to strtod (*fast = 0).
** Leading zeros and zeros beyond the 19th significant digit are dropped
** exactly.  Checked bit for bit against strtod by tests/unit/test_number.c
** and tests/fuzz/fuzz_number.c through tcsv_parse_number().
*/
/*
** Eight ASCII digits at q (q[0] the most significant) as their value, or
** -1 when one of the bytes is not a digit.  Little-endian byte order (the
** first byte is the lowest); elsewhere the caller's byte loop does it all.
** The digits combine in place: 10*a+b in each byte pair, then 100*ab+cd in
** each 16-bit lane, then 10000*abcd+efgh; no partial sum carries into the
** next lane (99, 9999 and 99999999 fit their 8, 16 and 32 bits).
*/
static int64_t eight_digits(const char *q)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t high = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull;
	uint64_t x;

	memcpy(&x, q, 8);
	/* '0'..'9' are 0x30..0x39: high nibble 3, and still 3 after adding 6 */
	if ((x & high) != zeros || ((x + 0x0606060606060606ull) & high) != zeros)
		return -1;
	x -= zeros;
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;
	x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;
	return (int64_t)x;
#else
	(void)q;
	return -1;
#endif
}

/*
** The leading ASCII digits among the 8 bytes at q: how many (0 to 8), and
** their value in *val.  Reads all 8 bytes: only for a field with 8
** readable bytes from q on (the fast path's read block is padded).  A byte is a
** digit when its high nibble is 3 before and after adding 6; the flags
** are exact up to the first non-digit (carries and borrows only leave
** from non-digit bytes and move up).  The digits are shifted to the top
** bytes, leaving leading zeros, and combined as in eight_digits.
*/
static TCSV_INLINE unsigned lead_digits(const char *q, uint64_t *val)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t high = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull,
		       low7 = 0x7F7F7F7F7F7F7F7Full;
	uint64_t x, bad;
	unsigned k;

	memcpy(&x, q, 8);
	bad = ((x & high) ^ zeros) | (((x + 0x0606060606060606ull) & high) ^ zeros);
	bad = (((bad & low7) + low7) | bad) & ~low7;	/* 0x80 in each non-digit byte */
	k = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
	if (!k)
		return 0;
	x = (x - zeros) << (64 - 8 * k);
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;
	x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;
	*val = x;
	return k;
#else
	(void)q;
	(void)val;
	return 0;
#endif
}

static const uint64_t pow10_u64[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
};

/*
** Digits from *qp to the first non-digit or end, into *mm (mod 2^64: more
** than 19 digits are refused by their count).  `padded`: 8 bytes are
** readable from any position up to end.
*/
static TCSV_INLINE void digit_run(const char **qp, const char *end, uint64_t *mm, int padded)
{
	const char *q = *qp;
	uint64_t m = *mm, v8;
	int64_t e8;

	if (padded) {
		for (;;) {
			unsigned k = lead_digits(q, &v8);
			if (k > (size_t)(end - q))
				break;	/* digits past the field: the byte loop stops at end */
			if (!k)
				break;
			m = m * pow10_u64[k] + v8;
			q += k;
			if (k < 8)
				break;
		}
	} else {
		while (end - q >= 8 && (e8 = eight_digits(q)) >= 0) {
			m = m * 100000000u + (uint64_t)e8;
			q += 8;
		}
	}
	while (q < end && (unsigned)(unsigned char)*q - '0' <= 9)
		m = m * 10 + (unsigned)(*q++ - '0');
	*qp = q;
	*mm = m;
}

static TCSV_INLINE enum num_status parse_num(const char *s, size_t len, int integer, int thousands,
				 int padded, double *out, int *fast)
{
	const char *p = s, *end = s + len;
	uint64_t m = 0;
	int nd = 0, exp10 = 0, inexact = 0, neg = 0, ndig = 0, fdig = 0, group = -1;

	if (len > NUM_MAX)
		return strspn(s, "0123456789+-.eE,") == len ? NUM_LONG : NUM_BAD;
	{
		/*
		 * The shape of nearly every field: [-]digits[.digits], at most
		 * 19 digits (15 in an integer column).  Same result as below.
		 */
		const char *q = p + (p < end && *p == '-'), *d0 = q;
		uint64_t mm = 0;
		size_t ni, nf = 0;
		/* more than 19 digits wrap mm, but are refused below by their count */
		digit_run(&q, end, &mm, padded);
		ni = (size_t)(q - d0);
		if (q < end && *q == '.' && !integer && ni <= 19) {
			const char *f0 = ++q;
			digit_run(&q, end, &mm, padded);
			nf = (size_t)(q - f0);
		}
		if (q == end && ni + nf >= 1 && ni + nf <= (integer ? INT_DIGITS : 19u) &&
		    mm <= (1ull << 53)) {
			double v = nf ? (double)mm / pow10_exact[nf] : (double)mm;
			*out = *s == '-' ? -v : v;
			*fast = 1;
			return NUM_OK;
		}
	}
	if (p < end && (*p == '+' || *p == '-')) {
		neg = *p == '-';
		p++;
	}
	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';
		if (d <= 9) {
			if (m || d) {
				if (nd < 19) {
					m = m * 10 + d;
					nd++;
				} else {
					exp10++;	/* a dropped zero is exact */
					inexact |= d != 0;
				}
			}
			ndig++;
			if (group >= 0)
				group++;
		} else if (*p == ',') {
			if (!thousands)
				return NUM_COMMA;
			if (group < 0 ? (ndig == 0 || ndig > 3 || p[-ndig] == '0') : group != 3)
				return NUM_GROUP;
			group = 0;
		} else {
			break;
		}
	}
	if (group >= 0 && group != 3)
		return NUM_GROUP;
	if (p < end && *p == '.') {
		if (integer)
			return NUM_NOTINT;
		p++;
		for (; p < end && (unsigned)(unsigned char)*p - '0' <= 9; p++) {
			unsigned d = (unsigned)(unsigned char)*p - '0';
			if (m || d) {
				if (nd < 19) {
					m = m * 10 + d;
					nd++;
					exp10--;
				} else {
					inexact |= d != 0;	/* trailing zeros change nothing */
				}
			} else {
				exp10--;
			}
			fdig++;
		}
	}
	if (ndig + fdig == 0)
		return NUM_BAD;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, edig = 0;
		long ev = 0;
		if (integer)
			return NUM_NOTINT;
		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			eneg = *p == '-';
			p++;
		}
		for (; p < end && (unsigned)(unsigned char)*p - '0' <= 9; p++) {
			if (ev < 100000)
				ev = ev * 10 + (*p - '0');
			edig++;
		}
		if (!edig)
			return NUM_BAD;
		exp10 += (int)(eneg ? -ev : ev);
	}
	if (p != end)
		return NUM_BAD;
	if (integer && nd > INT_DIGITS)
		return NUM_BIGINT;
	if (!inexact && m <= (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
		double v = (double)m;
		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = neg ? -v : v;
		*fast = 1;
		return NUM_OK;
	}
	{
		char buf[NUM_MAX + 1], *e;
		size_t bo = 0;
		double v;
		for (size_t k = 0; k < len; k++)	/* the number without its separators */
			if (s[k] != ',')
				buf[bo++] = s[k];
		buf[bo] = '\0';
		v = strtod(buf, &e);
		if (*e || !isfinite(v))
			return *e ? NUM_BAD : NUM_RANGE;
		*out = v;
		*fast = 0;
	}
	return NUM_OK;
}

int tcsv_parse_number(const char *s, size_t len, unsigned flags, double *out, int *fast)
{
	int f = 0;
	double v = 0;
	char pad[NUM_MAX + 9];
	int padded = !(flags & TCSV_NUM_UNPADDED) && len <= NUM_MAX;
	enum num_status st;

	if (padded) {	/* as in the read block: the field, a NUL, then more bytes */
		memcpy(pad, s, len);
		memset(pad + len, '7', 8);
		if (!(flags & TCSV_NUM_PAD_DIGITS))
			pad[len] = '\0';
		s = pad;
	}
	st = parse_num(s, len, !!(flags & TCSV_NUM_INTEGER), !!(flags & TCSV_THOUSANDS), padded,
		       &v, &f);

	if (fast)
		*fast = f;
	if (st != NUM_OK)
		return -1;
	*out = v;
	return 0;
}

/* Why a field is not a number, for the message (after NUM_BAD). */
static const char *num_hint(const char *s, size_t len)
{
	const char *p = s;

	if (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		return " (leading or trailing space inside quotes)";
	if (len && (*p == '+' || *p == '-'))
		p++;
	if (!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3))
		return " (NaN and infinity are not allowed)";
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return " (hexadecimal numbers are not allowed)";
	return "";
}

/* ---- dates ---- */

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* After tc_parse_date/tc_parse_month refused f: say why. */
static void date_problem(struct reader *r, size_t fi, const char *f, size_t len, int month)
{
	char b[200];
	const char *fmt = month ? "YYYY-MM" : "YYYY-MM-DD";
	int y, m;

	shown(f, len, b, sizeof(b));
	if (len != (month ? 7u : 10u) || f[4] != '-' || (!month && f[7] != '-') ||
	    !all_digits(f, 4) || !all_digits(f + 5, 2) || (!month && !all_digits(f + 8, 2))) {
		rpend(r, fi, "expected a %s %s, got \"%s\"", month ? "month" : "date", fmt, b);
		return;
	}
	y = atoi(f);
	m = (f[5] - '0') * 10 + (f[6] - '0');
	if (y < 1900 || y > 2199)
		rpend(r, fi, "year %d of \"%s\" is outside 1900 to 2199", y, b);
	else if (m < 1 || m > 12)
		rpend(r, fi, "month %02d of \"%s\" does not exist", m, b);
	else
		rpend(r, fi, "day %.2s of \"%s\" does not exist", f + 8, b);
}

/* ---- per-field conversion ---- */

static TCSV_INLINE void keep_text(struct reader *r, int c, const char *f, size_t len)
{
	if (r->in_fast_line) {	/* f is NUL-terminated in the read block, which outlives the row */
		r->text[c] = f;
		return;
	}
	r->arena = xgrow(r->arena, &r->arena_cap, r->arena_len + len + 1, 1);
	memcpy(r->arena + r->arena_len, f, len);
	r->toff[c] = r->arena_len;
	r->arena_len += len;
	r->arena[r->arena_len++] = '\0';
}

/*
** The messages of convert, out of its way: convert runs for every field,
** these only for a field that fails.
*/
#if defined(__GNUC__)
#define TCSV_COLD __attribute__((cold, noinline))
#else
#define TCSV_COLD
#endif

static TCSV_COLD void num_problem(struct reader *r, size_t fi, enum num_status st, int integer,
				  const char *f, size_t len)
{
	const char *what = integer ? "an integer" : "a number";
	char b[200];

	shown(f, len, b, sizeof(b));
	switch (st) {
	case NUM_OK:
		break;
	case NUM_BAD:
		rpend(r, fi + 1, "expected %s, got \"%s\"%s", what, b, num_hint(f, len));
		break;
	case NUM_NOTINT:
		rpend(r, fi + 1, "expected an integer, got \"%s\"", b);
		break;
	case NUM_LONG:
		rpend(r, fi + 1, "number too long (%zu characters, at most %d): \"%s\"", len,
		      NUM_MAX, b);
		break;
	case NUM_BIGINT:
		rpend(r, fi + 1, "integer \"%s\" has more than %d significant digits", b,
		      INT_DIGITS);
		break;
	case NUM_RANGE:
		rpend(r, fi + 1, "number \"%s\" is out of range", b);
		break;
	case NUM_COMMA:
		rpend(r, fi + 1,
		      "expected %s, got \"%s\" (thousands separators are not allowed here)",
		      what, b);
		break;
	case NUM_GROUP:
		rpend(r, fi + 1, "expected %s, got \"%s\" (misplaced thousands separator)",
		      what, b);
		break;
	}
}

/* A number outside its column's limits (NONNEG, POSITIVE, min..max). */
static TCSV_COLD void limit_problem(struct reader *r, size_t fi, const struct tcsv_col_spec *spec,
				    double v, const char *f, size_t len)
{
	char b[200];

	shown(f, len, b, sizeof(b));
	if ((spec->flags & TCSV_NONNEG) && v < 0)
		rpend(r, fi + 1, "expected a non-negative number, got \"%s\"", b);
	else if ((spec->flags & TCSV_POSITIVE) && !(v > 0))
		rpend(r, fi + 1, "expected a positive number, got \"%s\"", b);
	else
		rpend(r, fi + 1, "\"%s\" is outside the range %g to %g", b, spec->min, spec->max);
}

static TCSV_COLD void enum_problem(struct reader *r, size_t fi, const char *const *vals,
				   const char *f, size_t len)
{
	char list[300], b[200];
	size_t o = 0;

	list[0] = '\0';
	for (size_t j = 0; vals && vals[j]; j++) {
		size_t need = strlen(vals[j]) + 2;
		if (o + need + 5 >= sizeof(list)) {
			memcpy(list + o, ", ...", 6);
			break;
		}
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", j ? ", " : "", vals[j]);
	}
	rpend(r, fi + 1, "expected one of %s, got \"%s\"", list, shown(f, len, b, sizeof(b)));
}

static TCSV_COLD void text_problem(struct reader *r, size_t fi, const char *f, size_t len,
				   size_t bad, int ctrl)
{
	char b[200];

	shown(f, len, b, sizeof(b));
	if (ctrl && (unsigned char)f[bad] == 0xC2)
		rpend(r, fi + 1, "control character U+%04X at byte %zu of \"%s\"",
		      (unsigned)(unsigned char)f[bad + 1], bad + 1, b);
	else if (ctrl)
		rpend(r, fi + 1, "control character 0x%02x at byte %zu of \"%s\"",
		      (unsigned char)f[bad], bad + 1, b);
	else
		rpend(r, fi + 1, "invalid UTF-8 at byte %zu of \"%s\"", bad + 1, b);
}

/*
** ENUM values by a hash of their length and first and last bytes: per
** column 64 slots holding k + 1 for values[k], 255 where two values meet
** (then, and for a miss, the list is searched as before).
*/
static TCSV_INLINE unsigned enum_hash(const char *f, size_t len)
{
	return (unsigned)(len + (unsigned char)f[0] * 5u + (unsigned char)f[len - 1] * 3u) & 63u;
}

static void enum_slots(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;

	for (size_t c = 0; c < s->ncols; c++) {
		const char *const *vals = s->cols[c].values;
		if (s->cols[c].type != TCSV_ENUM || !vals)
			continue;
		if (!r->eslot)
			r->eslot = xcalloc(s->ncols * 64, 1);
		for (size_t k = 0; vals[k]; k++) {
			size_t len = strlen(vals[k]);
			unsigned char *e;
			if (!len)
				continue;	/* never matched: an empty field is missing */
			e = &r->eslot[c * 64 + enum_hash(vals[k], len)];
			*e = k >= 254 || (*e && *e != k + 1) ? 255 : (unsigned char)(k + 1);
		}
	}
}

static TCSV_INLINE void convert(struct reader *r, size_t fi, int c, const char *f, size_t len)
{
	const struct tcsv_col_spec *spec = &r->schema->cols[c];
	double v;
	long iv;

	r->toff[c] = NO_TEXT;
	r->text[c] = NULL;
	if (!f || !len) {
		r->num[c] = NAN;
		r->missing[c] = 1;
		if (!(spec->flags & TCSV_OPTIONAL))
			rpend(r, fi + 1, "missing value");
		return;
	}
	r->missing[c] = 0;
	/* num[c] is set below; after a value error the row fails, whatever it holds */
	switch (spec->type) {
	case TCSV_INT:
	case TCSV_REAL: {
		int integer = spec->type == TCSV_INT;
		int fast;
		enum num_status st = parse_num(f, len, integer, !!(spec->flags & TCSV_THOUSANDS),
					       r->in_fast_line, &v, &fast);
		if (st != NUM_OK) {
			num_problem(r, fi, st, integer, f, len);
			return;
		}
		v += 0.0;	/* no -0: -0 + +0 is +0, any other v + 0 is v (no branch) */
		if (((spec->flags & TCSV_NONNEG) && v < 0) ||
		    ((spec->flags & TCSV_POSITIVE) && !(v > 0)) ||
		    (spec->min < spec->max && (v < spec->min || v > spec->max))) {
			limit_problem(r, fi, spec, v, f, len);
			return;
		}
		r->num[c] = v;
		return;
	}
	case TCSV_DATE:
		if (tc_parse_date(f, &iv)) {
			date_problem(r, fi + 1, f, len, 0);
			return;
		}
		r->num[c] = (double)iv;
		keep_text(r, c, f, len);
		return;
	case TCSV_MONTH:
		if (tc_parse_month(f, &iv)) {
			date_problem(r, fi + 1, f, len, 1);
			return;
		}
		r->num[c] = (double)iv;
		keep_text(r, c, f, len);
		return;
	case TCSV_ENUM: {
		const char *const *vals = spec->values;
		size_t k = r->eslot ? r->eslot[(size_t)c * 64 + enum_hash(f, len)] : 255;
		if (k && k < 255) {
			const char *val = vals[k - 1];
			size_t i = 0;
			while (i < len && val[i] == f[i])	/* stops at val's NUL: f has none */
				i++;
			if (i == len && !val[len]) {
				r->num[c] = (double)(k - 1);
				r->text[c] = val;
				return;
			}
		}
		for (k = 0; vals && vals[k]; k++) {
			const char *val = vals[k];
			size_t i = 1;
			if (val[0] != f[0])
				continue;
			while (i < len && val[i] == f[i])	/* stops at val's NUL too: f has no NUL */
				i++;
			if (i == len && !val[len])
				break;
		}
		if (!vals || !vals[k]) {
			enum_problem(r, fi, vals, f, len);
			return;
		}
		r->num[c] = (double)k;
		r->text[c] = vals[k];	/* the same text; the schema outlives the row */
		return;
	}
	case TCSV_TEXT:
	default: {
		int ctrl = 0;
		r->num[c] = NAN;
		size_t bad = r->in_fast_line ? text_check_padded((const unsigned char *)f, len, &ctrl)
					     : text_check((const unsigned char *)f, len, &ctrl);
		if (bad < len) {
			text_problem(r, fi, f, len, bad, ctrl);
			return;
		}
		keep_text(r, c, f, len);
		return;
	}
	}
}

/* ---- libcsv callbacks ---- */

static void header_field(struct reader *r, size_t fi, const char *f, size_t len)
{
	const struct tcsv_schema *s = r->schema;
	char b[200];
	int c;

	r->hnames = xgrow(r->hnames, &r->hcap, fi + 1, sizeof(*r->hnames));
	r->hnames[fi] = xstrdup(f ? shown(f, len, b, sizeof(b)) : "");	/* escaped, short */
	r->nheader = fi + 1;
	if (r->failed)
		return;
	if (!f || !len) {
		rfail(r, r->field_line, fi + 1, "empty column name");
		return;
	}
	c = tcsv_col_index(s, f);
	if (c >= 0 && strlen(s->cols[c].name) != len)
		c = -1;
	if (c < 0) {
		if (!(s->flags & TCSV_ALLOW_EXTRA)) {
			char list[300];
			size_t o = 0;
			for (size_t j = 0; j < s->ncols; j++) {
				size_t need = strlen(s->cols[j].name) + 2;
				if (o + need + 5 >= sizeof(list)) {
					memcpy(list + o, ", ...", 6);
					break;
				}
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", j ? ", " : "",
						      s->cols[j].name);
			}
			rfail(r, r->field_line, fi + 1, "unknown column '%s' (expected: %s)",
			      shown(f, len, b, sizeof(b)), list);
		}
		return;
	}
	if (r->seen[c]) {
		rfail(r, r->field_line, fi + 1, "duplicate column '%s' (also column %d)",
		      s->cols[c].name, r->seen[c]);
		return;
	}
	r->seen[c] = (int)fi + 1;
}

static void cb_field(void *field, size_t len, void *ud)
{
	struct reader *r = ud;
	const char *f = field;
	size_t fi = r->nfields;

	if (r->failed)
		return;
	if (r->row_line < 0)
		r->row_line = r->field_line = r->line;
	if (fi >= FIELDS_MAX) {
		rfail(r, r->field_line, fi + 1, "more than %d fields in a row", FIELDS_MAX);
		return;
	}
	r->nfields = fi + 1;
	if (len > FIELD_MAX) {
		rfail(r, r->field_line, fi + 1, "field longer than %u bytes", FIELD_MAX);
		return;
	}
	if (!r->header_done)
		header_field(r, fi, f, len);
	else if (fi < r->nheader && r->map[fi] >= 0 && !r->pending)
		convert(r, fi, r->map[fi], f, len);
	r->field_line = r->line;	/* the next field starts after this delimiter */
}

static int finish_header(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;

	r->map = xcalloc(r->nheader, sizeof(*r->map));
	for (size_t i = 0; i < r->nheader; i++)
		r->map[i] = -1;
	for (size_t c = 0; c < s->ncols; c++) {
		if (!r->seen[c])
			return rfail(r, r->row_line, 0, "missing column '%s'", s->cols[c].name);
		r->map[r->seen[c] - 1] = (int)c;
	}
	r->header_done = 1;
	return 0;
}

static int check_key(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;
	size_t o = 0;
	long prev;

	for (size_t k = 0; k < r->nkeycols; k++) {
		size_t c = r->keycols[k];
		size_t n = s->cols[c].type == TCSV_TEXT && r->text[c] ? strlen(r->text[c]) + 1 : 0;
		if (o + 1 + n + sizeof(double) > r->keycap)
			r->keybuf = xgrow(r->keybuf, &r->keycap, o + 1 + n + sizeof(double), 1);
		if (r->missing[c]) {
			r->keybuf[o++] = 0;
		} else if (n) {
			r->keybuf[o++] = 1;
			memcpy(r->keybuf + o, r->text[c], n);
			o += n;
		} else {
			r->keybuf[o++] = 1;
			memcpy(r->keybuf + o, &r->num[c], sizeof(double));
			o += sizeof(double);
		}
	}
	prev = keyset_add(&r->keys, r->keybuf, o, r->row_line);
	if (prev) {
		char shownkey[600], b[200];
		size_t so = 0;
		shownkey[0] = '\0';
		for (size_t c = 0; c < s->ncols && so < sizeof(shownkey); c++) {
			char nb[40];
			const char *v;
			if (!(s->cols[c].flags & TCSV_KEY))
				continue;
			if (r->missing[c])
				v = "(missing)";
			else if (r->text[c])
				v = shown(r->text[c], strlen(r->text[c]), b, sizeof(b));
			else {
				snprintf(nb, sizeof(nb), "%.17g", r->num[c]);
				v = nb;
			}
			so += (size_t)snprintf(shownkey + so, sizeof(shownkey) - so, "%s%s=%s",
					       so ? ", " : "", s->cols[c].name, v);
		}
		return rfail(r, r->row_line, 0, "duplicate key (%s), first seen on line %ld",
			     shownkey, prev);
	}
	return 0;
}

static void data_row(struct reader *r)
{
	const struct tcsv_schema *s = r->schema;
	struct tcsv_row row;

	if (r->nfields < r->nheader) {
		rfail(r, r->row_line, r->nfields + 1,
		      "row too short: %zu fields, the header has %zu", r->nfields, r->nheader);
		return;
	}
	if (r->nfields > r->nheader) {
		rfail(r, r->row_line, r->nheader + 1,
		      "row too long: %zu fields, the header has %zu", r->nfields, r->nheader);
		return;
	}
	if (r->pending) {
		r->failed = 1;
		tc_fail(r->err, "%s", r->pmsg);
		return;
	}
	for (size_t c = 0; !r->in_fast_line && c < s->ncols; c++)	/* fast: text[] is set */
		if (r->toff[c] != NO_TEXT)
			r->text[c] = r->arena + r->toff[c];
	if (r->has_key && check_key(r))
		return;
	row.line = r->row_line;
	row.num = r->num;
	row.text = r->text;
	row.missing = r->missing;
	r->err->msg[0] = '\0';
	if (r->fn && r->fn(&row, r->ud, r->err)) {
		r->failed = 1;
		if (!r->err->msg[0])
			tc_fail(r->err, "%s:%ld: row rejected", r->name, r->row_line);
		return;
	}
	r->nrows++;
}

static void cb_row(int term, void *ud)
{
	struct reader *r = ud;

	(void)term;
	r->rows_ended++;
	if (r->failed)
		return;
	if (r->row_line < 0)
		r->row_line = r->line;
	if (!r->header_done)
		finish_header(r);
	else
		data_row(r);
	r->nfields = 0;
	r->arena_len = 0;
	r->pending = 0;
	r->row_line = -1;
}

static void reader_init(struct reader *r, const char *name, const struct tcsv_schema *s,
			tcsv_row_fn fn, void *ud, struct tc_err *err)
{
	memset(r, 0, sizeof(*r));
	r->name = name ? name : "(input)";
	r->schema = s;
	r->err = err ? err : &r->own_err;
	r->fn = fn;
	r->ud = ud;
	r->at_line_start = 1;
	r->row_line = -1;
	r->num = xcalloc(s->ncols, sizeof(*r->num));
	r->text = xcalloc(s->ncols, sizeof(*r->text));
	r->missing = xcalloc(s->ncols, sizeof(*r->missing));
	r->seen = xcalloc(s->ncols, sizeof(*r->seen));
	r->toff = xcalloc(s->ncols, sizeof(*r->toff));
	for (size_t c = 0; c < s->ncols; c++) {
		if (!(s->cols[c].flags & TCSV_KEY))
			continue;
		if (!r->keycols)
			r->keycols = xmalloc(s->ncols * sizeof(*r->keycols));
		r->keycols[r->nkeycols++] = c;
		r->has_key = 1;
	}
	enum_slots(r);
}

static void reader_release(struct reader *r)
{
	for (size_t i = 0; i < r->nheader; i++)
		free(r->hnames[i]);
	free(r->hnames);
	free(r->num);
	free(r->text);
	free(r->missing);
	free(r->seen);
	free(r->toff);
	free(r->map);
	free(r->arena);
	free(r->keybuf);
	free(r->fs);
	free(r->eslot);
	free(r->keycols);
	free(r->kept);
	keyset_release(&r->keys);
}

/* ---- feeding ---- */

/*
** Report a libcsv error after csv_parse consumed `got` bytes of the
** sub-piece at s, which starts `off` bytes into the current piece.
*/
static int parse_error(struct reader *r, struct csv_parser *p, const char *s, size_t got,
		       size_t off)
{
	size_t fi = r->nfields + 1, at = r->col_base + off + got + 1;

	/* the capped realloc makes libcsv report CSV_ENOMEM (or CSV_ETOOBIG) */
	if (csv_error(p) == CSV_ETOOBIG || csv_error(p) == CSV_ENOMEM)
		return rfail(r, r->field_line, fi, "field longer than %u bytes%s", FIELD_MAX,
			     p->quoted ? " (a quote that is never closed?)" : "");
	if (csv_error(p) != CSV_EPARSE)
		return rfail(r, r->line, fi, "%s", csv_strerror(csv_error(p)));
	if (s[got] == '"')
		return rfail(r, r->line, fi, "malformed CSV at byte %zu: a quote inside an "
			     "unquoted field (quote the whole field and double the quote)", at);
	if (r->field_line < r->line)
		return rfail(r, r->line, fi, "malformed CSV at byte %zu: text after a closing quote "
			     "(the quoted field starts on line %ld: is a quote missing there?)",
			     at, r->field_line);
	return rfail(r, r->line, fi, "malformed CSV at byte %zu: text after a closing quote", at);
}

static int parse_piece(struct reader *r, struct csv_parser *p, const char *s, size_t n,
		       size_t off)
{
	size_t got = csv_parse(p, s, n, cb_field, cb_row, r);

	if (r->failed)
		return -1;
	if (got != n)
		return parse_error(r, p, s, got, off);
	return 0;
}

static int bare_cr(struct reader *r, size_t at)
{
	return rfail(r, r->line, 0, "bare carriage return at byte %zu (only LF and CRLF line "
		     "ends are accepted)", at);
}

/*
** Parse n bytes of the current line.  libcsv ends a row at any CR outside
** quotes; we accept that only as part of CRLF.  So the bytes are parsed up
** to each CR that is not followed by LF, and if that CR ended a row it is
** an error (or, at the end of a piece, the next piece must start with LF).
*/
static int parse_line_bytes(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
	size_t pos = 0;
	const char *cr;

	if (r->cr_pending) {
		r->cr_pending = 0;
		if (s[0] != '\n')
			return bare_cr(r, r->col_base);
	}
	while ((cr = memchr(s + pos, '\r', n - pos)) != NULL) {
		size_t k = (size_t)(cr - s);
		long ended = r->rows_ended;
		if (k + 1 < n && s[k + 1] == '\n')
			break;	/* CRLF: the line ends here */
		if (parse_piece(r, p, s + pos, k + 1 - pos, pos))
			return -1;
		if (r->rows_ended != ended) {
			if (k + 1 < n)
				return bare_cr(r, r->col_base + k + 1);
			r->cr_pending = 1;	/* the piece ends with the CR */
		}
		pos = k + 1;
	}
	return pos < n ? parse_piece(r, p, s + pos, n - pos, pos) : 0;
}

static int is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Feed one physical line, or the part of it in this chunk (with its '\n'). */
static int feed_line(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
	const char *nul;

	if (r->at_line_start) {
		r->line++;
		r->col_base = 0;
	}
	r->at_line_start = s[n - 1] == '\n';
	/* libcsv skips lines of blanks silently: a row starts at the first other byte */
	if (r->row_line < 0) {
		size_t k = 0;
		while (k < n && is_blank_byte(s[k]))
			k++;
		if (k < n)
			r->row_line = r->field_line = r->line;
	}
	r->fed += n;
	nul = memchr(s, '\0', n);
	if (nul) {
		size_t before = (size_t)(nul - s);
		if (before && parse_line_bytes(r, p, s, before))
			return -1;
		return rfail(r, r->line, r->nfields + 1, "NUL byte at byte %zu (binary file?)",
			     r->col_base + before + 1);
	}
	if (parse_line_bytes(r, p, s, n))
		return -1;
	r->col_base += n;
	return 0;
}

/*
** The fast path: whole lines that start rows are split here, in place in
** the read block, instead of by libcsv when their shape is simple: fields
** separated by commas, unquoted fields without a quote, quoted fields that
** close on the same line (doubled quotes inside) and are followed only by
** blanks before the comma, no CR but a final CRLF, no NUL, no line over
** FIELD_MAX bytes, at most FIELDS_MAX fields.  It produces exactly the
** callbacks libcsv would (blanks around unquoted fields trimmed, an empty
** unquoted field as NULL, lines of blanks skipped).  Anything else,
** including every malformed line, stops the fast path before any callback
** of that line and the caller feeds the line to libcsv, which is in its
** row-not-begun state: so every message stays the one libcsv's path gives.
** Nothing of a line is written before the whole line is split: a line
** handed to libcsv is as read.  tests/unit/test_tcsv.c compares both paths
** on random inputs (tcsv_set_fast_lines) and on the splitter's edges.
*/
static int fast_lines_on = 1;

void tcsv_set_fast_lines(int on)
{
	fast_lines_on = on;
}

static int is_blank_sp(char c)
{
	return c == ' ' || c == '\t';
}

/*
** The scanner: one pass over the block finds every byte that can end or
** change a field (',', '"', '\n', '\r', NUL), 64 bytes at a time, as a bit
** mask (bit i for byte base[i]).  SSE2 where the compiler has it (every
** x86-64; it flags every byte up to CR, tab and controls too: one compare
** fewer, and such a byte sends an unquoted field's line to libcsv), else
** eight bytes at a time in a 64-bit word (exact per byte: no borrow
** crosses bytes).  It reads up to 64 bytes past the position it
** is asked about: the block has SCAN_PAD readable bytes after its data.
*/
#define SCAN_PAD 64

#if TCSV_SSE2
static inline uint64_t special64(const char *p)
{
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
		      cr = _mm_set1_epi8('\r');
	uint64_t m = 0;

	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
		/* bytes 0x00..0x0d (NUL, tab, LF, CR, ...): min(v, CR) == v */
		__m128i h = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
					 _mm_cmpeq_epi8(_mm_min_epu8(v, cr), v));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(h) << (16 * i);
	}
	return m;
}
#else
/* 0x80 in each byte of x that equals c (exact: the sum never carries out of a byte) */
static inline uint64_t byte_eq(uint64_t x, unsigned char c)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
	uint64_t y = x ^ (0x0101010101010101ull * c);
	return ~(((y & low7) + low7) | y | low7);
}

static inline uint64_t special64(const char *p)
{
	uint64_t m = 0;

	for (int i = 0; i < 8; i++) {
		uint64_t x, h;
		memcpy(&x, p + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		x = __builtin_bswap64(x);
#endif
		h = byte_eq(x, ',') | byte_eq(x, '"') | byte_eq(x, '\n') | byte_eq(x, '\r') |
		    byte_eq(x, 0);
		/* the high bit of byte j to bit j: byte j's bit lands at 56 + j, nothing else does */
		m |= (((h >> 7) * 0x0102040810204080ull) >> 56) << (8 * i);
	}
	return m;
}
#endif

struct scanner {
	const char *base;	/* the window: base[0..64) */
	uint64_t bits;		/* its special bytes */
};

/* The first special byte at or after p (p never moves back). */
static inline char *scan_next(struct scanner *sc, const char *p)
{
	for (;;) {
		size_t off = (size_t)(p - sc->base);
		if (off < 64) {
			uint64_t m = sc->bits & (~0ull << off);
			if (m)
				return (char *)(uintptr_t)(sc->base + __builtin_ctzll(m));
			p = sc->base + 64;
		}
		sc->base = p;
		sc->bits = special64(p);
	}
}

/* A field of the line being split. */
struct fspan {
	char *p;		/* NULL for an empty unquoted field (libcsv's CSV_EMPTY_IS_NULL) */
	size_t len;		/* before undoubling quotes */
	int dq;			/* a quoted field with doubled quotes inside */
};

/* Emit the split line of n bytes (its fields in r->fs[0..nf)). */
static int fast_emit(struct reader *r, size_t nf, size_t n)
{
	for (size_t i = 0; i < nf; i++) {
		struct fspan *f = &r->fs[i];
		if (f->dq) {	/* "" -> " in place: the line is no longer needed as read */
			char *w = f->p, *q = f->p, *e = f->p + f->len;
			while (q < e) {
				if (*q == '"')
					q++;	/* the first of a pair; the second is copied */
				*w++ = *q++;
			}
			f->len = (size_t)(w - f->p);
		}
		if (f->p)
			f->p[f->len] = '\0';
	}
	r->line++;
	r->col_base = 0;
	r->at_line_start = 1;
	r->row_line = r->field_line = r->line;
	r->fed += n;
	r->in_fast_line = 1;
	if (r->header_done && nf == r->nheader && !r->failed) {
		/*
		 * A data row of the header's width: what cb_field does per field,
		 * without its per-field checks (no field is longer than the line,
		 * at most FIELD_MAX; nheader is at most FIELDS_MAX).
		 */
		const int *map = r->map;
		for (size_t i = 0; i < nf; i++)
			if (map[i] >= 0 && !r->pending)
				convert(r, i, map[i], r->fs[i].p, r->fs[i].len);
		r->nfields = nf;
	} else {
		for (size_t i = 0; i < nf && !r->failed; i++)
			cb_field(r->fs[i].p, r->fs[i].len, r);
	}
	if (!r->failed)
		cb_row('\n', r);
	r->in_fast_line = 0;
	r->col_base = n;
	return r->failed ? -1 : 0;
}

/*
** Split and emit the lines of s[0..len) from its start while they take
** the fast path; *used is the bytes of the lines done.  Stops at the
** first line that libcsv must read and at a line without its '\n' within
** len.  s has SCAN_PAD readable bytes after len and is writable.
*/
static int fast_lines(struct reader *r, char *s, size_t len, size_t *used)
{
	struct scanner sc;
	char *q = s, *end = s + len;

	sc.base = s;
	sc.bits = special64(s);
	*used = 0;
	while (q < end) {
		char *line = q, *sep;
		size_t nf = 0;

		while (q < end && is_blank_sp(*q))
			q++;
		if (q < end && (*q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n'))) {
			/* a line of blanks: libcsv skips it */
			q += *q == '\r' ? 2 : 1;
			r->line++;
			r->fed += (size_t)(q - line);
			r->col_base = (size_t)(q - line);
			r->at_line_start = 1;
			*used = (size_t)(q - s);
			continue;
		}
		for (;;) {	/* one field per turn; q at its first byte */
			struct fspan *f;
			char c;
			if (nf == r->fscap) {
				if (nf >= FIELDS_MAX)
					return 0;
				r->fs = xgrow(r->fs, &r->fscap, nf + 1, sizeof(*r->fs));
			}
			f = &r->fs[nf];
			while (q < end && is_blank_sp(*q))
				q++;
			if (q >= end)
				return 0;	/* no '\n' within len */
			if (*q == '"') {
				char *start = ++q;
				f->dq = 0;
				for (;;) {
					sep = scan_next(&sc, q);
					if (sep >= end || *sep == '\n' || *sep == '\r' || !*sep)
						return 0;	/* closes on a later line, or never */
					if (*sep != '"') {	/* a comma, a tab, a control: data */
						q = sep + 1;
						continue;
					}
					if (sep + 1 < end && sep[1] == '"') {
						f->dq = 1;
						q = sep + 2;
						continue;
					}
					break;
				}
				f->p = start;
				f->len = (size_t)(sep - start);
				q = sep + 1;
				while (q < end && is_blank_sp(*q))
					q++;
				if (q >= end)
					return 0;
				sep = q;
				c = *sep;
				if (c != ',' && c != '\n' && c != '\r')
					return 0;	/* text after the closing quote */
			} else {
				char *e;
				sep = scan_next(&sc, q);
				if (sep >= end)
					return 0;
				c = *sep;
				if (c != ',' && c != '\n' && c != '\r')
					return 0;	/* a quote inside an unquoted field; NUL, tab, ... */
				e = sep;
				while (e > q && is_blank_sp(e[-1]))
					e--;
				f->p = e > q ? q : NULL;
				f->len = (size_t)(e - q);
				f->dq = 0;
			}
			nf++;
			if (c == ',') {
				q = sep + 1;
				continue;
			}
			if (c == '\r' && !(sep + 1 < end && sep[1] == '\n'))
				return 0;	/* a bare CR */
			q = sep + (c == '\r' ? 2 : 1);
			break;
		}
		if ((size_t)(q - line) > FIELD_MAX)
			return 0;
		if (fast_emit(r, nf, (size_t)(q - line)))
			return -1;
		*used = (size_t)(q - s);
	}
	return 0;
}

static int feed(struct reader *r, struct csv_parser *p, char *buf, size_t len)
{
	size_t i = 0;

	if (!r->started && len) {
		r->started = 1;
		if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
		    (unsigned char)buf[2] == 0xBF) {
			i = 3;
			r->line = 1;
			r->at_line_start = 0;
			r->col_base = 3;
		}
	}
	while (i < len) {
		const char *nl;
		size_t n;
		if (fast_lines_on && r->at_line_start && !r->cr_pending && p->pstate == 0 &&
		    p->entry_pos == 0 && !r->nfields) {
			size_t used;
			if (fast_lines(r, buf + i, len - i, &used))
				return -1;
			i += used;
			if (i == len)
				break;
		}
		/* a line libcsv reads (or the part of it in this block) */
		nl = memchr(buf + i, '\n', len - i);
		n = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
		if (feed_line(r, p, buf + i, n))
			return -1;
		i += n;
	}
	return 0;
}

static int finish(struct reader *r, struct csv_parser *p)
{
	/*
	 * A last line without its newline is refused, whatever it holds: a
	 * file cut mid-number ("50123" cut to "50") would otherwise load as a
	 * smaller number (issue 19 item 6; docs/guarantees.md).  A final
	 * CR that ended a row counts as a line end.
	 */
	if (!r->failed && r->fed && !r->at_line_start && !r->cr_pending)
		return rfail(r, r->line, 0, "the last line has no newline at its end: the file may "
			     "be truncated (a complete CSV file ends with a newline)");
	if (csv_fini(p, cb_field, cb_row, r) != 0 && !r->failed)
		return rfail(r, r->field_line, r->nfields + 1,
			     "unterminated quoted field (the quote opens on line %ld and is never "
			     "closed)", r->field_line);
	if (r->failed)
		return -1;
	if (!r->header_done)
		return rfail(r, 0, 0, "empty file (no header line)");
	if (r->nrows == 0)
		return rfail(r, 0, 0, "no data rows after the header");
	return 0;
}

/*
** Read the input in blocks of up to BLOCK bytes (a file with fread, a
** caller's buffer with memcpy: the fast path splits in place, and the
** caller's bytes are const) and feed whole lines; the bytes after the last
** '\n' of a block start the next one.  A block without any '\n' (a line
** longer than the block) is fed as it is: feed_line takes lines in pieces.
*/
#define BLOCK (1u << 20)
#define KEEP_MAX BLOCK		/* inputs up to this size are read whole in keep mode */

/* '\n' bytes in s[0..n) (memchr: the C library's widest scan) */
static size_t count_newlines(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t c = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/*
** Keep mode: the whole input in the data of one chunk of the table's
** arena (SCAN_PAD zero bytes after it), a file read to its end even when
** it grew since its size was taken.  NULL with the error reported when
** the file cannot be read.
*/
static struct tchunk *read_whole(struct reader *r, FILE *fp, const char *buf, size_t len)
{
	size_t cap = fp ? r->size_hint + 1 : len + 1, n = 0;	/* + 1: EOF in one read */
	struct tchunk *ch;

	cap = (cap + 63) & ~(size_t)63;
	ch = xmalloc(sizeof(*ch) + cap + SCAN_PAD);
	if (!fp) {
		if (len)
			memcpy(ch->data, buf, len);
		n = len;
	} else {
		for (;;) {
			n += fread(ch->data + n, 1, cap - n, fp);
			if (n < cap)
				break;
			if (cap > SIZE_MAX / 4)
				tc_die("out of memory reading '%s'", r->name);
			cap *= 2;	/* the file grew */
			ch = xrealloc(ch, sizeof(*ch) + cap + SCAN_PAD);
		}
		if (ferror(fp)) {
			free(ch);
			rfail(r, 0, 0, "read error: %s", strerror(errno));
			return NULL;
		}
	}
	memset(ch->data + n, 0, SCAN_PAD);	/* the scanner reads past the data */
	ch->next = NULL;
	ch->cap = ch->len = n;	/* full: the loader's arena_put never writes here */
	return ch;
}

static int run(struct reader *r, FILE *fp, const char *buf, size_t len)
{
	struct csv_parser p;
	size_t cap = BLOCK, have = 0, src = 0;
	char *blk;
	int rc = 0, eof = 0;

	if (r->schema->ncols == 0)
		return rfail(r, 0, 0, "schema '%s' has no columns",
			     r->schema->name ? r->schema->name : "?");
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		return rfail(r, 0, 0, "unable to initialise the CSV parser");
	csv_set_realloc_func(&p, capped_realloc);
	csv_set_blk_size(&p, 1024);
	if (r->keep && (fp ? r->size_hint && r->size_hint <= KEEP_MAX : len <= KEEP_MAX)) {
		struct tchunk *ch = read_whole(r, fp, buf, len);
		if (!ch) {
			rc = -1;
		} else {
			r->kept = ch;
			r->keep_lo = (uintptr_t)ch->data;
			r->keep_len = ch->len;
			r->lines_hint = count_newlines(ch->data, ch->len);
			r->keys.hint = r->lines_hint;
			if (r->ready)	/* the table's arrays before any scratch memory */
				r->ready(r->ud);
			if (ch->len && feed(r, &p, ch->data, ch->len))
				rc = -1;
		}
		if (!rc)
			rc = finish(r, &p);
		csv_free(&p);
		return rc;
	}
	/* a small input gets a small block (no pages touched for nothing) */
	if (!fp && len < cap)
		cap = len + 1;
	else if (fp && r->size_hint && r->size_hint < cap)
		cap = r->size_hint + 1;
	cap = (cap + 63) & ~(size_t)63;
	blk = xmalloc(cap + SCAN_PAD);
	while (!rc && !eof) {
		size_t n, total, whole;
		if (fp) {
			n = fread(blk + have, 1, cap - have, fp);
			if (n < cap - have) {
				if (ferror(fp)) {
					rc = rfail(r, 0, 0, "read error: %s", strerror(errno));
					break;
				}
				eof = 1;
			}
		} else {
			n = len - src < cap - have ? len - src : cap - have;
			if (n)
				memcpy(blk + have, buf + src, n);
			src += n;
			eof = src == len;
		}
		total = have + n;
		memset(blk + total, 0, SCAN_PAD);	/* the scanner reads past the data */
		if (eof) {
			whole = total;
		} else {
			for (whole = total; whole && blk[whole - 1] != '\n'; whole--)
				;
			if (!whole)
				whole = total;	/* no '\n': in pieces */
		}
		if (whole && feed(r, &p, blk, whole))
			rc = -1;
		have = total - whole;
		if (have)
			memmove(blk, blk + whole, have);
	}
	free(blk);
	if (!rc)
		rc = finish(r, &p);
	csv_free(&p);
	return rc;
}

/*
** Stream from a file (path) or a buffer.  `progress`, when not NULL,
** receives the reader so that the table loader can see how many bytes
** were fed (to size its arrays) and where the kept block is; `total`
** receives the input size.  `kept`, when not NULL, asks for keep mode
** and receives the kept block (or NULL), which the caller then owns, on
** success and on failure alike; `ready`, when not NULL, is called with ud
** once a kept block is read (the lines are counted), before any row.
*/
static int stream(const char *path, const char *name, const char *buf, size_t len,
		  const struct tcsv_schema *schema, tcsv_row_fn fn, void *ud,
		  struct tc_err *err, const struct reader **progress, size_t *total,
		  struct tchunk **kept, void (*ready)(void *ud))
{
	struct reader r;
	FILE *fp = NULL;
	size_t hint = 0;
	int rc;

	if (path) {
		struct stat st;
		fp = tc_open_regular(path, "CSV file", err);
		if (!fp)
			return -1;
		setvbuf(fp, NULL, _IONBF, 0);	/* reads go straight into the block: no stdio buffer */
		if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
			hint = (size_t)st.st_size;
		if (total)
			*total = hint;
		name = path;
	} else if (total) {
		*total = len;
	}
	reader_init(&r, name, schema, fn, ud, err);
	r.size_hint = hint;
	r.keep = kept != NULL;
	r.ready = ready;
	if (progress)
		*progress = &r;
	rc = run(&r, fp, buf, len);
	if (progress)
		*progress = NULL;
	if (kept) {
		*kept = r.kept;
		r.kept = NULL;
	}
	reader_release(&r);
	if (fp)
		fclose(fp);
	return rc;
}

int tcsv_stream_buffer(const char *name, const char *buf, size_t len,
		       const struct tcsv_schema *schema, tcsv_row_fn fn, void *ud,
		       struct tc_err *err)
{
	return stream(NULL, name, buf, len, schema, fn, ud, err, NULL, NULL, NULL, NULL);
}

int tcsv_stream_file(const char *path, const struct tcsv_schema *schema, tcsv_row_fn fn,
		     void *ud, struct tc_err *err)
{
	return stream(path, path, NULL, 0, schema, fn, ud, err, NULL, NULL, NULL, NULL);
}

/* ---- whole-table loading ---- */

/*
** The table's memory, sized so that a load touches few pages: a small
** input (up to KEEP_MAX) is read whole and the read block itself becomes
** part of the table:
**  - the strings of TEXT, DATE and MONTH columns live in the table's arena
**    (t->strings: a chain of chunks that never move, so text[i] points
**    into it from the start); a small input's block is one of its chunks,
**    and a field that the fast path split in place (NUL-terminated in the
**    block) is used where it lies, without a copy; a field that libcsv
**    read (quoted across lines, ...) is copied into chunks of 4 KiB,
**    then doubling;
**  - for a larger input the first chunk holds the whole input when its
**    size is known and at most 64 MiB, since a table's strings never
**    exceed its input, then chunks double; pages of a chunk are touched
**    only as strings fill them; DATE and MONTH strings are stored once per
**    distinct value (the text of a valid date is fixed by its value);
**  - a column that is not OPTIONAL is never missing: its missing[] is the
**    table's one array of zeros, shared by all such columns and never
**    written (its pages stay the kernel's zero page);
**  - the per-row arrays are allocated once for a small input, for as many
**    rows as it has line ends (a row ends with one, but for a last CR:
**    the header's makes up for it) or as its size allows (a row has at
**    least one byte per column), whichever is less; for a larger one they
**    grow once to
**    the size the bytes per row so far predict for the whole input (2
**    MiB-aligned huge pages when large).
** ENUM text points at the schema's value (the same bytes as written).
*/

/* Value -> its interned string, for one DATE or MONTH column. */
struct intern {
	uint32_t *key;		/* value + 1; 0 empty */
	char **str;
	size_t cap, n;
};

struct loader {
	struct tcsv_table *t;
	size_t cap;
	struct intern *interns;		/* per column */
	unsigned char *zeros;		/* the shared missing[] of non-OPTIONAL columns */
	const struct reader *rd;	/* for the bytes fed so far */
	size_t total;			/* input size, 0 if unknown */
};

/*
** Grow a table array.  Large arrays are allocated 2 MiB-aligned with
** MADV_HUGEPAGE: filling a 100 MB table otherwise spends a third of its
** time in 4 KiB page faults.  They stay ordinary malloc memory (free()).
*/
#define BIG_ARRAY (4u << 20)
#define HUGE_PAGE (2u << 20)

static void *grow_array(void *p, size_t old_bytes, size_t new_bytes)
{
	void *q;

	if (new_bytes < BIG_ARRAY)
		return xrealloc(p, new_bytes);
	new_bytes = (new_bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	q = aligned_alloc(HUGE_PAGE, new_bytes);
	if (!q)
		return xrealloc(p, new_bytes);
#ifdef MADV_HUGEPAGE
	madvise(q, new_bytes, MADV_HUGEPAGE);	/* a hint; failure is harmless */
#endif
	if (old_bytes)
		memcpy(q, p, old_bytes);
	free(p);
	return q;
}

static int has_text(enum tcsv_type ty)
{
	return ty == TCSV_TEXT || ty == TCSV_ENUM || ty == TCSV_DATE || ty == TCSV_MONTH;
}

/* Copy n bytes (a string and its NUL) into the table's arena. */
#define ARENA_FIRST_MAX (64u << 20)	/* then chunks double: a huge file reserves no more */
static char *arena_put(struct loader *l, const char *s, size_t n)
{
	struct tchunk *c = l->t->strings;
	char *p;

	if (!c || c->cap - c->len < n) {
		size_t cap = c ? 2 * c->cap : 4096;
		if (!c && l->total && !l->rd->keep_len)	/* the input bounds its strings */
			cap = l->total < ARENA_FIRST_MAX ? l->total + 64 : ARENA_FIRST_MAX;
		if (cap < n)
			cap = n;
		c = grow_array(NULL, 0, sizeof(*c) + cap);
		c->next = l->t->strings;
		c->cap = cap;
		c->len = 0;
		l->t->strings = c;
	}
	p = c->data + c->len;
	memcpy(p, s, n);
	c->len += n;
	return p;
}

/* The interned copy of a DATE or MONTH string s (n bytes with its NUL) of value v. */
static char *intern_put(struct loader *l, struct intern *in, uint32_t v, const char *s, size_t n)
{
	size_t j;

	if (2 * (in->n + 1) > in->cap) {
		size_t nc = in->cap ? 2 * in->cap : 256;
		uint32_t *nk = xcalloc(nc, sizeof(*nk));
		char **ns = xmalloc(nc * sizeof(*ns));
		for (size_t i = 0; i < in->cap; i++) {
			if (!in->key[i])
				continue;
			j = (in->key[i] * 2654435761u) & (nc - 1);
			while (nk[j])
				j = (j + 1) & (nc - 1);
			nk[j] = in->key[i];
			ns[j] = in->str[i];
		}
		free(in->key);
		free(in->str);
		in->key = nk;
		in->str = ns;
		in->cap = nc;
	}
	j = ((v + 1) * 2654435761u) & (in->cap - 1);
	while (in->key[j]) {
		/* the same value is the same text (tc_parse_date/month take one spelling) */
		if (in->key[j] == v + 1)
			return in->str[j];
		j = (j + 1) & (in->cap - 1);
	}
	in->key[j] = v + 1;
	in->str[j] = arena_put(l, s, n);
	in->n++;
	return in->str[j];
}

static void table_grow(struct loader *l, size_t n)
{
	struct tcsv_table *t = l->t;
	const struct tcsv_schema *s = t->schema;
	size_t cap = l->cap < 256 ? 256 : 2 * l->cap;
	unsigned char *zeros;

	if (!l->cap && l->rd && l->rd->lines_hint) {
		/* the whole input: a row per line end at most, and a row has ncols bytes at least */
		cap = l->rd->lines_hint;
		if (cap > l->rd->keep_len / s->ncols + 1)
			cap = l->rd->keep_len / s->ncols + 1;
	}

	/* size for the whole input from the bytes per row so far */
	if (n >= 1024 && l->total && l->rd && l->rd->fed && l->rd->fed < l->total) {
		double est = (double)n * (double)l->total / (double)l->rd->fed * 1.03 + 1024;
		if (est > 1.5 * (double)l->cap && est < 1e12)
			cap = (size_t)est;
	}
	/* zeros from calloc are fresh pages (or cleared ones); nothing to copy */
	zeros = xcalloc(cap, 1);
	for (size_t c = 0; c < s->ncols; c++) {
		struct tcsv_column *col = &t->cols[c];
		if (col->type != TCSV_TEXT)
			col->num = grow_array(col->num, n * sizeof(double), cap * sizeof(double));
		if (has_text(col->type))
			col->text = grow_array(col->text, n * sizeof(char *), cap * sizeof(char *));
		if (s->cols[c].flags & TCSV_OPTIONAL)
			col->missing = grow_array(col->missing, n, cap);
		else
			col->missing = zeros;
	}
	free(l->zeros);
	l->zeros = zeros;
	t->lines = grow_array(t->lines, n * sizeof(long), cap * sizeof(long));
	l->cap = cap;
}

/*
** Keep mode, before the first row: the arrays for every line of the input,
** allocated before the reader's scratch memory (the key set, libcsv's
** buffer), which then lies on top of the heap when it is freed, ready for
** the next load.
*/
static void table_ready(void *ud)
{
	table_grow(ud, 0);
}

static int append_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	struct loader *l = ud;
	struct tcsv_table *t = l->t;
	const struct tcsv_schema *s = t->schema;
	size_t n = t->nrows;
	uintptr_t lo = l->rd->keep_lo;
	size_t kl = l->rd->keep_len;

	(void)err;
	if (n + 1 > l->cap)
		table_grow(l, n);
	for (size_t c = 0; c < s->ncols; c++) {
		struct tcsv_column *col = &t->cols[c];
		const char *v = row->text[c];
		if (col->num)
			col->num[n] = row->num[c];
		if (col->missing != l->zeros)
			col->missing[n] = row->missing[c];
		if (!col->text)
			continue;
		if (!v)
			col->text[n] = NULL;
		else if (col->type == TCSV_ENUM || (uintptr_t)v - lo < kl)	/* no copy */
			col->text[n] = (char *)(uintptr_t)v;
		else if (col->type == TCSV_TEXT)
			col->text[n] = arena_put(l, v, strlen(v) + 1);
		else	/* DATE, MONTH: the value fits 32 bits (yyyymmdd <= 21991231) */
			col->text[n] = intern_put(l, &l->interns[c], (uint32_t)row->num[c], v,
						  col->type == TCSV_DATE ? 11 : 8);
	}
	t->lines[n] = row->line;
	t->nrows = n + 1;
	return 0;
}

static void table_setup(struct tcsv_table *t, struct loader *l, const char *name,
			const struct tcsv_schema *s)
{
	size_t nc = s->ncols ? s->ncols : 1;

	memset(t, 0, sizeof(*t));
	memset(l, 0, sizeof(*l));
	t->schema = s;
	t->path = xstrdup(name ? name : "(input)");
	t->cols = xcalloc(nc, sizeof(*t->cols));
	l->zeros = xcalloc(1, 1);
	for (size_t c = 0; c < s->ncols; c++) {
		/* the arrays come with the first row (table_grow) */
		t->cols[c].type = s->cols[c].type;
		if (!(s->cols[c].flags & TCSV_OPTIONAL))
			t->cols[c].missing = l->zeros;
	}
	l->t = t;
	l->interns = xcalloc(nc, sizeof(*l->interns));
}

/* After the stream: keep the table (and the kept block), or free everything. */
static int table_finish(struct tcsv_table *t, struct loader *l, int rc, struct tchunk *kept)
{
	int shared = 0;

	if (kept) {
		kept->next = t->strings;
		t->strings = kept;
	}

	for (size_t c = 0; c < t->schema->ncols; c++) {
		free(l->interns[c].key);
		free(l->interns[c].str);
		shared |= !(t->schema->cols[c].flags & TCSV_OPTIONAL);
	}
	free(l->interns);
	if (!shared)
		free(l->zeros);	/* no column holds it */
	if (rc) {
		tcsv_table_release(t);
		return -1;
	}
	return 0;
}

int tcsv_load_file(struct tcsv_table *t, const char *path, const struct tcsv_schema *s,
		   struct tc_err *err)
{
	struct loader l;
	struct tchunk *kept = NULL;
	int rc;

	table_setup(t, &l, path, s);
	rc = stream(path, path, NULL, 0, s, append_row, &l, err, &l.rd, &l.total, &kept,
		    table_ready);
	return table_finish(t, &l, rc, kept);
}

int tcsv_load_buffer(struct tcsv_table *t, const char *name, const char *buf, size_t len,
		     const struct tcsv_schema *s, struct tc_err *err)
{
	struct loader l;
	struct tchunk *kept = NULL;
	int rc;

	table_setup(t, &l, name, s);
	rc = stream(NULL, name, buf, len, s, append_row, &l, err, &l.rd, &l.total, &kept,
		    table_ready);
	return table_finish(t, &l, rc, kept);
}

void tcsv_table_release(struct tcsv_table *t)
{
	struct tchunk *ch;
	unsigned char *zeros = NULL;

	if (!t)
		return;
	if (t->cols && t->schema) {
		for (size_t c = 0; c < t->schema->ncols; c++) {
			struct tcsv_column *col = &t->cols[c];
			free(col->text);
			free(col->num);
			if (t->schema->cols[c].flags & TCSV_OPTIONAL)
				free(col->missing);
			else
				zeros = col->missing;	/* shared: freed once */
		}
	}
	free(zeros);
	for (ch = t->strings; ch;) {
		struct tchunk *next = ch->next;
		free(ch);
		ch = next;
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
