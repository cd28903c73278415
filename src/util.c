/*
** util.c: error funnel, allocation, strict number and date parsing,
** atomic file output.
*/
#include "tocalc/util.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void tc_err_init(struct tc_err *err)
{
	err->code = TC_EXIT_OK;
	err->msg[0] = '\0';
}

static int vfail(struct tc_err *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int tc_fail(struct tc_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, TC_EXIT_DATA, fmt, ap);
	va_end(ap);
	return -1;
}

int tc_failc(struct tc_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int tc_err_prefix(struct tc_err *err, const char *fmt, ...)
{
	char pre[TC_ERR_MSG_MAX], old[TC_ERR_MSG_MAX], both[2 * TC_ERR_MSG_MAX + 4];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(both, sizeof(both), "%s: %s", pre, old);
	memcpy(err->msg, both, sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
	if (err->code == TC_EXIT_OK)
		err->code = TC_EXIT_DATA;
	return -1;
}

int tc_report(const struct tc_err *err)
{
	fprintf(stderr, "tocalc: %s\n", err->msg[0] ? err->msg : "unknown error");
	return err->code ? err->code : TC_EXIT_DATA;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int tc_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("tocalc: ", fmt, ap);
	va_end(ap);
	return TC_EXIT_USAGE;
}

int tc_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("tocalc: ", fmt, ap);
	va_end(ap);
	return TC_EXIT_DATA;
}

void tc_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("tocalc: warning: ", fmt, ap);
	va_end(ap);
}

void tc_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("tocalc: fatal: ", fmt, ap);
	va_end(ap);
	exit(TC_EXIT_DATA);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		tc_die("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		tc_die("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		tc_die("out of memory allocating %zu bytes", n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (!c)
		c = 16;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			tc_die("array too large");
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * size);
}

int tc_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	/* strtod accepts leading space, hex, "nan" and "inf": refuse them. */
	for (const char *c = s; *c; c++)
		if (!strchr("0123456789+-.eE", *c))
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return -1;
	if (!isfinite(v))
		return -1;
	/* ERANGE on underflow is fine (denormals/0); overflow is not finite. */
	if (v == 0)
		v = 0;	/* "-0" is zero: never carry a negative zero into the output */
	*out = v;
	return 0;
}

int tc_parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	for (const char *c = s; *c; c++)
		if (!strchr("0123456789+-", *c))
			return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

static int digits(const char *s, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int tc_parse_month(const char *s, long *yyyymm)
{
	int y, m;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m))
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12)
		return -1;
	*yyyymm = (long)y * 100 + m;
	return 0;
}

int tc_parse_date(const char *s, long *yyyymmdd)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12)
		return -1;
	if (d < 1 || d > tc_days_in_month(y, m))
		return -1;
	*yyyymmdd = (long)y * 10000 + m * 100 + d;
	return 0;
}

char *tc_format_date(long v, char *buf)
{
	unsigned long u = (unsigned long)(v < 0 ? 0 : v);
	snprintf(buf, 11, "%04lu-%02lu-%02lu", (u / 10000) % 10000u,
		 (u / 100) % 100u, u % 100u);
	return buf;
}

char *tc_format_month(long v, char *buf)
{
	unsigned long u = (unsigned long)(v < 0 ? 0 : v);
	snprintf(buf, 8, "%04lu-%02lu", (u / 100) % 10000u, u % 100u);
	return buf;
}

long tc_month_index(long yyyymm)
{
	return (yyyymm / 100) * 12 + (yyyymm % 100) - 1;
}

long tc_month_from_index(long idx)
{
	return (idx / 12) * 100 + idx % 12 + 1;
}

/* Temporary file "<dir-of-path or $TMPDIR>/<base>.tmp.XXXXXX", opened for update. */
static int atomic_tmp(struct tc_atomic_file *af, const char *shown, struct tc_err *err)
{
	size_t n;
	int fd;

	if (af->copy_out) {
		const char *d = getenv("TMPDIR");
		if (!d || !*d)
			d = "/tmp";
		n = strlen(d) + 32;
		af->tmp = xmalloc(n);
		snprintf(af->tmp, n, "%s/tocalc.tmp.XXXXXX", d);
	} else {
		n = strlen(af->path) + 16;
		af->tmp = xmalloc(n);
		snprintf(af->tmp, n, "%s.tmp.XXXXXX", af->path);
	}
	fd = mkstemp(af->tmp);
	if (fd < 0)
		return tc_fail(err, "unable to write '%s': %s", shown, strerror(errno));
	/* mkstemp gives 0600; outputs are ordinary shareable files. */
	{
		mode_t um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	af->fp = fdopen(fd, "w+");
	if (!af->fp) {
		close(fd);
		unlink(af->tmp);
		return tc_fail(err, "unable to write '%s'", shown);
	}
	return 0;
}

int tc_atomic_open(struct tc_atomic_file *af, const char *path, struct tc_err *err)
{
	struct stat st, lst;
	int exists;

	af->fp = NULL;
	af->path = NULL;
	af->tmp = NULL;
	af->copy_out = 0;
	if (!*path)
		return tc_failc(err, TC_EXIT_USAGE, "empty output file name");
	exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return tc_fail(err, "'%s' is a directory", path);
	if (exists && !S_ISREG(st.st_mode)) {
		/* a device, FIFO or socket: never replace it, write into it */
		af->copy_out = 1;
		af->path = xstrdup(path);
	} else if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		/* replace the link's target, keep the link */
		af->path = exists ? realpath(path, NULL) : NULL;
		if (!af->path)
			return tc_fail(err, "unable to write '%s': a symbolic link to a missing file", path);
	} else {
		af->path = xstrdup(path);
	}
	if (atomic_tmp(af, path, err)) {
		free(af->path);
		free(af->tmp);
		af->path = af->tmp = NULL;
		af->fp = NULL;
		return -1;
	}
	return 0;
}

/* Copy the finished temporary file into a non-regular destination. */
static int copy_into(FILE *from, const char *path)
{
	char buf[65536];
	FILE *to;
	size_t n;
	int bad = 0;

	if (fseek(from, 0, SEEK_SET))
		return -1;
	to = fopen(path, "w");
	if (!to)
		return -1;
	while (!bad && (n = fread(buf, 1, sizeof(buf), from)) > 0)
		bad = fwrite(buf, 1, n, to) != n;
	if (ferror(from))
		bad = 1;
	if (fflush(to) || ferror(to))
		bad = 1;
	if (fclose(to))
		bad = 1;
	return bad ? -1 : 0;
}

int tc_atomic_commit(struct tc_atomic_file *af, struct tc_err *err)
{
	int bad = 0, e = 0;

	if (fflush(af->fp) || ferror(af->fp)) {
		bad = 1;
		e = errno;
	}
	if (!bad && af->copy_out) {
		errno = 0;
		if (copy_into(af->fp, af->path)) {
			bad = 1;
			e = errno;
		}
	} else if (!bad && fsync(fileno(af->fp)) && errno != EINVAL) {
		bad = 1;
		e = errno;
	}
	if (fclose(af->fp) && !bad) {
		bad = 1;
		e = errno;
	}
	af->fp = NULL;
	if (!bad && !af->copy_out && rename(af->tmp, af->path)) {
		bad = 1;
		e = errno;
	}
	if (bad || af->copy_out)
		unlink(af->tmp);
	if (bad)
		tc_fail(err, "unable to write '%s': %s", af->path,
			e ? strerror(e) : "write error");
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	return bad ? -1 : 0;
}

void tc_atomic_abort(struct tc_atomic_file *af)
{
	if (af->fp)
		fclose(af->fp);
	if (af->tmp)
		unlink(af->tmp);
	free(af->path);
	free(af->tmp);
	af->fp = NULL;
	af->path = af->tmp = NULL;
}

FILE *tc_open_regular(const char *path, const char *kind, struct tc_err *err)
{
	struct stat st;
	const char *what;
	FILE *fp;
	int fd, fl;

	/* O_NONBLOCK: opening a FIFO that no one writes to returns at once */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		tc_fail(err, "unable to open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		tc_fail(err, "unable to read '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (S_ISDIR(st.st_mode)) {
			tc_fail(err, "'%s' is a directory, not a %s", path, kind);
			return NULL;
		}
		what = S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)" :
		       S_ISCHR(st.st_mode) ? "a character device" :
		       S_ISBLK(st.st_mode) ? "a block device" :
		       S_ISSOCK(st.st_mode) ? "a socket" : "not a regular file";
		tc_fail(err, "'%s' is %s, not a %s (tocalc reads input only from regular files)",
			path, what, kind);
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || !(fp = fdopen(fd, "rb"))) {
		tc_fail(err, "unable to open '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	return fp;
}

int tc_read_file(const char *path, char **buf, size_t *len, size_t max, struct tc_err *err)
{
	FILE *fp;
	char *b = NULL;
	size_t n = 0, cap = 0;

	fp = tc_open_regular(path, "file", err);
	if (!fp)
		return -1;
	for (;;) {
		size_t got;
		b = xgrow(b, &cap, n + 65536 + 1, 1);
		got = fread(b + n, 1, cap - n - 1, fp);
		n += got;
		if (max && n > max) {
			fclose(fp);
			free(b);
			return tc_fail(err, "'%s' is larger than %zu bytes", path, max);
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		free(b);
		return tc_fail(err, "unable to read '%s': %s", path, strerror(e));
	}
	fclose(fp);
	b[n] = '\0';
	if (n && b[n - 1] != '\n' && b[n - 1] != '\r') {	/* issue 19 item 6 */
		long line = 1;
		for (size_t i = 0; i < n; i++)
			line += b[i] == '\n';
		free(b);
		return tc_fail(err, "%s:%ld: the last line has no newline at its end: the file may be "
			       "truncated (a complete file ends with a newline)", path, line);
	}
	*buf = b;
	*len = n;
	return 0;
}

int tc_fd_reader_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct stat st;

	if (fstat(fd, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 0;
	/* the write end of a pipe without readers polls as POLLERR */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int tc_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tc_require_dir(const char *what, const char *path)
{
	struct stat st;

	if (tc_is_dir(path))
		return 0;
	if (stat(path, &st))
		return tc_usage_error("%s: '%s': %s", what, path, strerror(errno));
	return tc_usage_error("%s: '%s' is not a directory", what, path);
}

/* ------------------------------------------------------------------ */
/* did you mean                                                         */

#define SUGGEST_FLOOR 7	/* git's help.c SIMILARITY_FLOOR */
#define SUGGEST_MAX 5

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
** Optimal string alignment distance from `a` to `b` with git's weights
** (levenshtein.c as help.c calls it): a swap of two neighbours 0, a
** substitution 2, an insertion 1, a deletion 3.  Three rows of length
** |b|+1.
*/
static int osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *r0 = xcalloc(lb + 1, sizeof(int)), *r1 = xcalloc(lb + 1, sizeof(int));
	int *r2 = xcalloc(lb + 1, sizeof(int)), *t, d;

	for (size_t j = 0; j <= lb; j++)
		r1[j] = (int)j * 1;
	for (size_t i = 0; i < la; i++) {
		r2[0] = (int)(i + 1) * 3;
		for (size_t j = 0; j < lb; j++) {
			int best = r1[j] + 2 * (lower(a[i]) != lower(b[j]));
			if (i > 0 && j > 0 && lower(a[i - 1]) == lower(b[j]) &&
			    lower(a[i]) == lower(b[j - 1]) && best > r0[j - 1])
				best = r0[j - 1];
			if (best > r1[j + 1] + 3)
				best = r1[j + 1] + 3;
			if (best > r2[j] + 1)
				best = r2[j] + 1;
			r2[j + 1] = best;
		}
		t = r0;
		r0 = r1;
		r1 = r2;
		r2 = t;
	}
	d = r1[lb];
	free(r0);
	free(r1);
	free(r2);
	return d;
}

int tc_suggest_distance(const char *word, const char *cand)
{
	size_t lw = strlen(word);

	if (lw && strlen(cand) >= lw) {
		size_t i = 0;
		while (i < lw && lower(word[i]) == lower(cand[i]))
			i++;
		if (i == lw)
			return 0;
	}
	return osa_distance(word, cand);
}

size_t tc_suggest(const char *word, const char *const *cands, size_t n, const char *prefix,
		  char *buf, size_t size)
{
	int best = SUGGEST_FLOOR;
	size_t k = 0, used = 0;

	if (size)
		buf[0] = '\0';
	if (!word || !*word || !n || !size)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cands[i] && strcmp(cands[i], word)) {
			int d = tc_suggest_distance(word, cands[i]);
			if (d < best)
				best = d;
		}
	if (best >= SUGGEST_FLOOR)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cands[i] && strcmp(cands[i], word) && tc_suggest_distance(word, cands[i]) == best)
			k++;
	used = (size_t)snprintf(buf, size, " (did you mean %s", k > 1 ? "one of " : "");
	k = 0;
	for (size_t i = 0; i < n && k < SUGGEST_MAX; i++) {
		if (!cands[i] || !strcmp(cands[i], word) || tc_suggest_distance(word, cands[i]) != best)
			continue;
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s'%s%s'", k ? ", " : "",
						 prefix ? prefix : "", cands[i]);
		k++;
	}
	if (used < size)
		snprintf(buf + used, size - used, "?)");
	return k;
}

/* Howard Hinnant's days-from-civil and its inverse. */
long tc_days_of(long ymd)
{
	long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long tc_date_of_days(long z)
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	return (y + (m <= 2)) * 10000 + m * 100 + d;
}

int tc_is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tc_days_in_month(long y, long m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && tc_is_leap(y) ? 29 : d[m - 1];
}

double tc_year_of_date(long ymd, double day_frac)
{
	long y = ymd / 10000;
	long doy = tc_days_of(ymd) - tc_days_of(y * 10000 + 101);

	return (double)y + ((double)doy + day_frac) / (tc_is_leap(y) ? 366.0 : 365.0);
}

double tc_year_of_month(long yyyymm)
{
	return (double)(yyyymm / 100) + (double)(yyyymm % 100 - 1) / 12.0;
}

size_t tc_utf8_len(const unsigned char *s, size_t n, unsigned long *cp_out)
{
	unsigned char c = s[0];
	unsigned long cp;
	size_t len;

	if (c < 0x80) {
		len = 1;
		cp = c;
	} else if ((c & 0xE0) == 0xC0) {
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
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3Fu);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp_out)
		*cp_out = cp;
	return len;
}

size_t tc_utf8_text(const char *str, size_t n, int *ctrl)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	int dummy;

	if (!ctrl)
		ctrl = &dummy;
	while (i < n) {
		unsigned long cp;
		size_t k = tc_utf8_len(s + i, n - i, &cp);

		if (!k) {
			*ctrl = 0;
			return i;
		}
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) {
			*ctrl = 1;
			return i;
		}
		i += k;
	}
	return n;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	sb->buf = xgrow(sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (k < 0)
		tc_die("strbuf_addf: bad format");
	if ((size_t)k < sizeof(small)) {
		strbuf_add(sb, small, (size_t)k);
		return;
	}
	sb->buf = xgrow(sb->buf, &sb->cap, sb->len + (size_t)k + 1, 1);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)k;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *b = sb->buf ? sb->buf : xstrdup("");

	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return b;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
