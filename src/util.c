/*
** util.c: error funnel, allocation, strict number and date parsing,
** atomic file output.
*/
#include "tocalc/util.h"

#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define TC_CPU_AVX2() CPU_FEATURE_ACTIVE(AVX2)
#endif
#endif

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
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

/*
** Diagnostics never copy a non-printing byte to the terminal: C0 controls
** other than newline and tab, DEL, C1 controls (U+0080..U+009F), the
** bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069)
** and bytes that are not valid UTF-8 are written as \xHH, one per byte.
** Valid UTF-8 text is written as it is.
*/
/*
** A message goes out in one fwrite when it fits 4 KiB: stderr is
** unbuffered, and a byte-at-a-time escaper cost one write(2) per byte (and
** let two processes' messages interleave mid-line).  No allocation: the
** out-of-memory message itself comes through here.
*/
struct esc_sink {
	FILE *fp;
	size_t n;
	char buf[4096];
};

static void sink_add(struct esc_sink *k, const void *p, size_t n)
{
	if (k->n + n > sizeof(k->buf)) {
		fwrite(k->buf, 1, k->n, k->fp);
		k->n = 0;
		if (n > sizeof(k->buf)) {
			fwrite(p, 1, n, k->fp);
			return;
		}
	}
	memcpy(k->buf + k->n, p, n);
	k->n += n;
}

/* text escaped (the rules of util.h: controls, bad UTF-8, bidi overrides as \xNN). */
static void sink_escaped(struct esc_sink *k, const char *text)
{
	const unsigned char *s = (const unsigned char *)text, *run = s;
	size_t left = strlen(text);

	while (*s) {
		unsigned long cp = 0;
		size_t n = 1;
		int bad;

		if (*s < 0x80) {
			bad = (*s < 0x20 && *s != '\n' && *s != '\t') || *s == 0x7f;
		} else {
			n = tc_utf8_len(s, left, &cp);
			bad = !n || cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) ||
			      (cp >= 0x2066 && cp <= 0x2069);
			if (!n)
				n = 1;
		}
		if (bad) {
			sink_add(k, run, (size_t)(s - run));
			for (size_t i = 0; i < n; i++) {
				char x[5];
				snprintf(x, sizeof(x), "\\x%02x", s[i]);
				sink_add(k, x, 4);
			}
			run = s + n;
		}
		s += n;
		left -= n;
	}
	sink_add(k, run, (size_t)(s - run));
}

static void put_line(FILE *fp, const char *prefix, const char *text, const char *end)
{
	struct esc_sink k;

	k.fp = fp;
	k.n = 0;
	sink_add(&k, prefix, strlen(prefix));
	sink_escaped(&k, text);
	sink_add(&k, end, strlen(end));
	if (k.n)
		fwrite(k.buf, 1, k.n, fp);
}

void tc_put_escaped(FILE *fp, const char *text)
{
	put_line(fp, "", text, "");
}

int tc_report(const struct tc_err *err)
{
	put_line(stderr, "tocalc: ", err->msg[0] ? err->msg : "unknown error", "\n");
	return err->code ? err->code : TC_EXIT_DATA;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char small[1024], *buf = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n >= (int)sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (buf)
			vsnprintf(buf, (size_t)n + 1, fmt, ap);
		else
			buf = small;	/* the message stays truncated */
	}
	put_line(stderr, prefix, n < 0 ? "(unprintable message)" : buf, "\n");
	if (buf != small)
		free(buf);
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

void tc_message(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("tocalc: ", fmt, ap);
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

int tc_date_why(const char *s, char *why, size_t n)
{
	long ymd;
	int y, m, d;

	if (!tc_parse_date(s, &ymd))
		return 0;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) {
		snprintf(why, n, "expected a date YYYY-MM-DD");
		return TC_DATE_SHAPE;
	}
	if (y < 1900 || y > 2199)
		snprintf(why, n, "is out of the supported range of dates, 1900-01-01 to 2199-12-31");
	else if (m < 1 || m > 12)
		snprintf(why, n, "has no month %02d (expected YYYY-MM-DD, months 01 to 12)", m);
	else
		snprintf(why, n, "is not a day of the calendar (%04d-%02d has days 01 to %02d)", y, m,
			 tc_days_in_month(y, m));
	return TC_DATE_RANGE;
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

/* ------------------------------------------------------------------ */
/* cleanup on signals                                                  */

/*
** Temporary files being written and the process group of a running
** child (gnuplot).  On a fatal catchable signal the handler kills the
** child's group, removes the files (unlinkat relative to the directory
** opened by tc_atomic_open) and re-raises the signal with its default
** action, so the exit status still says "killed by signal".  Everything
** the handler touches is async-signal-safe.
*/
#define CLEANUP_SLOTS 16
static struct {
	volatile sig_atomic_t used;
	int dirfd;
	char name[NAME_MAX + 1];
} cleanup_tmp[CLEANUP_SLOTS];
static volatile sig_atomic_t cleanup_child;
static const int cleanup_sigs[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ,
	SIGVTALRM, SIGPROF, SIGPIPE
};

static void cleanup_now(int sig)
{
	int e = errno;
	pid_t child = (pid_t)cleanup_child;
	struct sigaction dfl;

	if (child > 0)
		kill(-child, SIGKILL);
	for (size_t i = 0; i < CLEANUP_SLOTS; i++)
		if (cleanup_tmp[i].used)
			unlinkat(cleanup_tmp[i].dirfd, cleanup_tmp[i].name, 0);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);	/* delivered when the handler returns */
	errno = e;
}

static void cleanup_install(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	for (size_t i = 0; i < TC_ARRAY_SIZE(cleanup_sigs); i++) {
		struct sigaction sa, old;

		/* a signal the caller ignores (nohup, `&` in a script) stays ignored */
		if (sigaction(cleanup_sigs[i], NULL, &old) || old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cleanup_now;
		sigfillset(&sa.sa_mask);
		sigaction(cleanup_sigs[i], &sa, NULL);
	}
}

void tc_cleanup_block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < TC_ARRAY_SIZE(cleanup_sigs); i++)
		sigaddset(&set, cleanup_sigs[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void tc_cleanup_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

void tc_cleanup_child(pid_t pgid)
{
	if (pgid > 0)
		cleanup_install();
	cleanup_child = pgid;
}

static int cleanup_add(int dirfd, const char *name)
{
	cleanup_install();
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		if (!cleanup_tmp[i].used) {
			cleanup_tmp[i].dirfd = dirfd;
			snprintf(cleanup_tmp[i].name, sizeof(cleanup_tmp[i].name), "%s", name);
			cleanup_tmp[i].used = 1;
			return i;
		}
	}
	return -1;	/* more than CLEANUP_SLOTS at once: not cleaned on a signal */
}

static void cleanup_del(int slot)
{
	if (slot >= 0)
		cleanup_tmp[slot].used = 0;
}

/* ------------------------------------------------------------------ */
/* atomic file output                                                  */

/* Suffix of a temporary file: 12 characters of [A-Za-z0-9]. */
static void tmp_suffix(char *out, size_t n)
{
	static const char set[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long long counter;
	unsigned char rnd[16];
	struct timespec ts;
	unsigned long long x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = ((unsigned long long)ts.tv_nsec << 20) ^ (unsigned long long)ts.tv_sec ^
	    ((unsigned long long)getpid() << 40) ^ (++counter * 0x9e3779b97f4a7c15ull);
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	for (size_t i = 0; i < n; i++) {
		x ^= rnd[i % sizeof(rnd)];
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		out[i] = set[(x >> 33) % (sizeof(set) - 1)];
	}
	out[n] = '\0';
}

/*
** A directory we may create files in: owned by us or by root, and not
** writable by all users unless sticky (the rules of ssh's and install's
** checks).  Another user who can write there could swap names under us.
*/
static int dir_trusted(int dirfd, const char *dir, int strict, struct tc_err *err)
{
	struct stat st;

	if (fstat(dirfd, &st))
		return tc_fail(err, "unable to write into '%s': %s", dir, strerror(errno));
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return tc_fail(err, "refusing to write into '%s': the directory belongs to another "
			       "user (uid %lu), who could replace the files written there",
			       dir, (unsigned long)st.st_uid);
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return tc_fail(err, "refusing to write into '%s': the directory is writable by "
			       "every user and not sticky (chmod o-w or +t)", dir);
	if (strict && (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -1;
	return 0;
}

/*
** No directory on the way is a symbolic link owned by another user (but
** root): one planted in a shared place (./tocalc-report -> /etc) would
** take the output elsewhere.  The rule of Linux's fs.protected_symlinks,
** applied to every directory, not only sticky ones.
*/
static int dir_links_trusted(const char *dir, struct tc_err *err)
{
	char *p = xstrdup(dir);
	size_t n = strlen(p);
	int rc = 0;

	for (size_t i = 1; i <= n && !rc; i++) {
		struct stat st;
		char c = p[i];

		if (c != '/' && c != '\0')
			continue;
		p[i] = '\0';
		if (!lstat(p, &st) && S_ISLNK(st.st_mode) && st.st_uid != geteuid() && st.st_uid != 0)
			rc = tc_fail(err, "refusing to write into '%s': '%s' is a symbolic link owned by "
				     "another user (uid %lu)", dir, p, (unsigned long)st.st_uid);
		p[i] = c;
	}
	free(p);
	return rc;
}

/* Split path into its directory ("." when none) and final name. */
static int split_path(const char *path, char **dir, char **base, struct tc_err *err)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;

	if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
		return tc_fail(err, "'%s' is a directory", path);
	if (strlen(b) > NAME_MAX)
		return tc_fail(err, "unable to write '%s': %s", path, strerror(ENAMETOOLONG));
	*base = xstrdup(b);
	if (!slash)
		*dir = xstrdup(".");
	else if (slash == path)
		*dir = xstrdup("/");
	else
		*dir = xstrndup(path, (size_t)(slash - path));
	return 0;
}

/*
** Output bound for a device, FIFO or socket: built in an anonymous file in
** $TMPDIR (created and unlinked at once, so nothing is ever left there).
*/
static int anon_tmp(struct tc_atomic_file *af, struct tc_err *err)
{
	const char *d = getenv("TMPDIR");
	char *name;
	size_t n;
	int fd;

	if (!d || !*d)
		d = "/tmp";
	n = strlen(d) + 32;
	name = xmalloc(n);
	snprintf(name, n, "%s/tocalc.tmp.XXXXXX", d);
	fd = mkstemp(name);
	if (fd < 0) {
		int e = errno;
		free(name);
		return tc_fail(err, "unable to write '%s': cannot create a temporary file in "
			       "%s'%s': %s", af->path, getenv("TMPDIR") && *getenv("TMPDIR") ?
			       "TMPDIR " : "", d, strerror(e));
	}
	unlink(name);
	free(name);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	af->fp = fdopen(fd, "w+");
	if (!af->fp) {
		close(fd);
		return tc_fail(err, "unable to write '%s': %s", af->path, strerror(errno));
	}
	return 0;
}

/*
** The temporary file, beside the destination in dirfd: "<name>.tmp.XXXXXXXXXXXX",
** or ".tocalc.tmp.XXXXXXXXXXXX" when that would be longer than NAME_MAX.
** Created with O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file or link.
*/
static int dir_tmp(struct tc_atomic_file *af, const struct stat *old, struct tc_err *err)
{
	char suffix[13];
	size_t n = strlen(af->base) + 32;
	int fd = -1, e = 0;

	af->tmp = xmalloc(n);
	for (int tries = 0; tries < 100; tries++) {
		tmp_suffix(suffix, 12);
		if (strlen(af->base) + 5 + 12 <= NAME_MAX)
			snprintf(af->tmp, n, "%s.tmp.%s", af->base, suffix);
		else
			snprintf(af->tmp, n, ".tocalc.tmp.%s", suffix);
		fd = openat(af->dirfd, af->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		free(af->tmp);
		af->tmp = NULL;
		return tc_fail(err, "unable to write '%s': %s", af->path, strerror(e));
	}
	af->slot = cleanup_add(af->dirfd, af->tmp);
	if (old) {
		/* the replacement keeps the old file's owner (when allowed) and mode */
		if (fchown(fd, old->st_uid, old->st_gid) && errno != EPERM)
			e = errno;
		if (!e && fchmod(fd, old->st_mode & 0777))
			e = errno;
	} else {
		mode_t um = umask(0);
		umask(um);
		if (fchmod(fd, 0666 & ~um))
			e = errno;
	}
	if (!e && !(af->fp = fdopen(fd, "w+")))
		e = errno;
	if (e) {
		close(fd);
		unlinkat(af->dirfd, af->tmp, 0);
		cleanup_del(af->slot);
		free(af->tmp);
		af->tmp = NULL;
		return tc_fail(err, "unable to write '%s': %s", af->path, strerror(e));
	}
	return 0;
}

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: "my descriptor N". */
static int fd_name(const char *path)
{
	const char *p = NULL;

	if (!strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/stderr"))
		return 1;
	if (!strncmp(path, "/dev/fd/", 8))
		p = path + 8;
	else if (!strncmp(path, "/proc/self/fd/", 14))
		p = path + 14;
	return p && *p && strspn(p, "0123456789") == strlen(p);
}

static void atomic_free(struct tc_atomic_file *af)
{
	if (af->dirfd >= 0)
		close(af->dirfd);
	free(af->path);
	free(af->base);
	free(af->tmp);
	af->path = af->base = af->tmp = NULL;
	af->dirfd = -1;
	af->fp = NULL;
}

int tc_atomic_open(struct tc_atomic_file *af, const char *path, struct tc_err *err)
{
	struct stat st, tst;
	char *dir = NULL;
	int rc = -1;

	memset(af, 0, sizeof(*af));
	af->dirfd = -1;
	af->slot = -1;
	if (!*path)
		return tc_failc(err, TC_EXIT_USAGE, "empty output file name");
	if (split_path(path, &dir, &af->base, err))
		return -1;
	af->path = xstrdup(path);
	af->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (af->dirfd < 0) {
		tc_fail(err, "unable to write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (dir_trusted(af->dirfd, dir, 0, err) || dir_links_trusted(dir, err))
		goto out;
	if (fstatat(af->dirfd, af->base, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno != ENOENT) {
			tc_fail(err, "unable to write '%s': %s", path, strerror(errno));
			goto out;
		}
		rc = dir_tmp(af, NULL, err);
	} else if (S_ISDIR(st.st_mode)) {
		tc_fail(err, "'%s' is a directory", path);
	} else if (S_ISREG(st.st_mode)) {
		rc = dir_tmp(af, &st, err);
	} else if (S_ISLNK(st.st_mode)) {
		/*
		** Never written through: a link planted by someone else would make
		** us replace its target.  The exceptions are written into, never
		** replaced: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N (our
		** own descriptors), and a link to a device, FIFO or socket in a
		** directory only we or root can write.
		*/
		if (!fstatat(af->dirfd, af->base, &tst, 0) && !S_ISDIR(tst.st_mode) &&
		    !S_ISBLK(tst.st_mode) && (fd_name(path) ||
		    ((S_ISCHR(tst.st_mode) || S_ISFIFO(tst.st_mode) || S_ISSOCK(tst.st_mode)) &&
		     !dir_trusted(af->dirfd, dir, 1, NULL)))) {
			af->copy_out = 2;
			rc = anon_tmp(af, err);
		} else {
			tc_fail(err, "refusing to write '%s': it is a symbolic link (tocalc never writes "
				"through a link; remove it or name its target)", path);
		}
	} else if (S_ISBLK(st.st_mode)) {
		tc_fail(err, "refusing to write '%s': it is a block device", path);
	} else {
		/* a device, FIFO or socket: never replace it, write into it */
		af->copy_out = 1;
		rc = anon_tmp(af, err);
	}
out:
	free(dir);
	if (rc)
		atomic_free(af);
	return rc;
}

/* Copy the finished temporary file into a non-regular destination. */
static int copy_into(struct tc_atomic_file *af)
{
	char buf[65536];
	struct stat st;
	FILE *to;
	size_t n;
	int bad = 0, fd;

	if (fseek(af->fp, 0, SEEK_SET))
		return -1;
	/* through a link to our own descriptor: append, as the shell's >> and > do */
	if (af->copy_out == 2)
		fd = openat(af->dirfd, af->base, O_WRONLY | O_APPEND | O_CLOEXEC);
	else
		fd = openat(af->dirfd, af->base, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || (S_ISREG(st.st_mode) && af->copy_out == 1) || S_ISBLK(st.st_mode) ||
	    S_ISDIR(st.st_mode)) {
		/* swapped for a file since tc_atomic_open: refuse, do not write */
		close(fd);
		errno = EEXIST;
		return -1;
	}
	to = fdopen(fd, "w");
	if (!to) {
		close(fd);
		return -1;
	}
	while (!bad && (n = fread(buf, 1, sizeof(buf), af->fp)) > 0)
		bad = fwrite(buf, 1, n, to) != n;
	if (ferror(af->fp))
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
		if (copy_into(af)) {
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
	/* renameat replaces the name itself, even if it became a link meanwhile */
	if (!bad && af->tmp && renameat(af->dirfd, af->tmp, af->dirfd, af->base)) {
		bad = 1;
		e = errno;
	}
	if (af->tmp) {
		if (bad)
			unlinkat(af->dirfd, af->tmp, 0);
		else
			fsync(af->dirfd);	/* the rename itself reaches the disk */
		cleanup_del(af->slot);
	}
	if (bad)
		tc_fail(err, "unable to write '%s': %s", af->path,
			e ? strerror(e) : "write error");
	atomic_free(af);
	return bad ? -1 : 0;
}

void tc_atomic_abort(struct tc_atomic_file *af)
{
	if (af->fp)
		fclose(af->fp);
	af->fp = NULL;
	if (af->tmp) {
		unlinkat(af->dirfd, af->tmp, 0);
		cleanup_del(af->slot);
	}
	atomic_free(af);
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

int tc_cpu_has_avx2(void)
{
#if defined(TC_CPU_AVX2)
	return TC_CPU_AVX2() != 0;
#elif defined(__x86_64__) && defined(__GNUC__)
	return __builtin_cpu_supports("avx2");	/* a C library without <sys/platform/x86.h> */
#else
	return 0;
#endif
}
