/*
** util.h: error reporting, exit codes and small allocation helpers
** shared by every tocalc module.
**
** Error convention (after git): a fallible function takes a
** `struct tc_err *` last, returns 0 on success and -1 on failure after
** filling the struct with tc_fail().  Only main() and the cmd_*
** functions print an error and choose the exit code.
*/
#ifndef TOCALC_COMMON_H
#define TOCALC_COMMON_H

#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>

/* Exit codes, documented in README.md, docs/guarantees.md and tocalc(1). */
enum tc_exit {
	TC_EXIT_OK = 0,		/* success */
	TC_EXIT_DATA = 1,	/* bad data or a failed computation */
	TC_EXIT_USAGE = 2,	/* bad command line */
	TC_EXIT_TOOL = 3	/* an external tool (gnuplot) failed or is missing */
};

#define TC_ERR_MSG_MAX 1024

struct tc_err {
	int code;			/* one of enum tc_exit, TC_EXIT_DATA by default */
	char msg[TC_ERR_MSG_MAX];	/* lowercase, no trailing full stop */
};

#if defined(__GNUC__)
#define TC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TC_NORETURN __attribute__((noreturn))
#else
#define TC_PRINTF(a, b)
#define TC_NORETURN
#endif

#define TC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Reset an error struct to "no error". */
void tc_err_init(struct tc_err *err);

/*
** Fill `err` (code TC_EXIT_DATA) with a formatted message and return -1,
** so callers write `return tc_fail(err, "unable to open '%s'", path);`.
** `err` may be NULL, in which case only -1 is returned.
*/
int tc_fail(struct tc_err *err, const char *fmt, ...) TC_PRINTF(2, 3);

/* Same as tc_fail() with an explicit exit code. */
int tc_failc(struct tc_err *err, int code, const char *fmt, ...) TC_PRINTF(3, 4);

/* Prefix an existing message: "<prefix>: <old message>". Returns -1. */
int tc_err_prefix(struct tc_err *err, const char *fmt, ...) TC_PRINTF(2, 3);

/*
** Print "tocalc: <msg>" to stderr and return err->code (never 0).
** These printers (and tc_warning, tc_die) write every non-printing byte
** of the message (C0 controls but newline and tab, DEL, C1 controls,
** bidirectional overrides, invalid UTF-8) as "\x1b"-style escapes, so a
** file name or flag value can never drive the terminal.
*/
int tc_report(const struct tc_err *err);

/* Print "tocalc: <msg>" to stderr; returns TC_EXIT_USAGE / TC_EXIT_DATA. */
int tc_usage_error(const char *fmt, ...) TC_PRINTF(1, 2);
int tc_error(const char *fmt, ...) TC_PRINTF(1, 2);
void tc_warning(const char *fmt, ...) TC_PRINTF(1, 2);
/*
** "tocalc: <msg>" on stderr, escaped like the others, for progress and
** notes ("figures written to DIR"): use it, not fprintf(stderr, ...), for
** any message that holds a file name or a flag value.
*/
void tc_message(const char *fmt, ...) TC_PRINTF(1, 2);
/* text on fp with the escapes above (for output code that writes to a given stream). */
void tc_put_escaped(FILE *fp, const char *text);

/* Allocation that dies with a message on out-of-memory (as git's xmalloc). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow an array to hold at least `need` elements of `size` bytes. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
TC_NORETURN void tc_die(const char *fmt, ...) TC_PRINTF(1, 2);

/*
** Strict number parsing in the C locale.  The whole string must be a
** finite number (no leading/trailing junk, no NaN or inf); "-0" reads
** as 0 and an underflow as 0 or a denormal.
** Return 0 on success, -1 otherwise.
*/
int tc_parse_double(const char *s, double *out);
int tc_parse_long(const char *s, long *out);

/*
** Dates.  A date is stored as the integer yyyymmdd, a month as yyyymm.
** tc_parse_date accepts exactly "YYYY-MM-DD" with a valid calendar day
** in years 1900..2199; tc_parse_month accepts exactly "YYYY-MM".
*/
int tc_parse_date(const char *s, long *yyyymmdd);
int tc_parse_month(const char *s, long *yyyymm);
/*
** Why tc_parse_date refused s, for a message: TC_DATE_SHAPE when s is not
** shaped YYYY-MM-DD (why = "expected a date YYYY-MM-DD"), TC_DATE_RANGE
** when it is but names no supported day (why says which part: "is out of
** the supported range of dates, ...", "has no month 13 ...", "is not a day
** of the calendar (2025-02 has days 01 to 28)"), 0 when s is a date.  One
** rule for every date a user types: flags, scenario files.
*/
enum { TC_DATE_SHAPE = 1, TC_DATE_RANGE = 2 };
int tc_date_why(const char *s, char *why, size_t n);
/* Format into buf (at least 11 bytes); returns buf. */
char *tc_format_date(long yyyymmdd, char *buf);

/* Days since 1970-01-01 of a yyyymmdd date, and back (proleptic Gregorian). */
long tc_days_of(long yyyymmdd);
long tc_date_of_days(long days);
char *tc_format_month(long yyyymm, char *buf);
/* Months since year 0 (yyyymm -> y*12 + m - 1) and back. */
long tc_month_index(long yyyymm);
long tc_month_from_index(long idx);

/*
** Atomic output: write to a temporary file in the destination's
** directory, then rename over the destination only on success.
** tc_atomic_open returns a FILE* (NULL and err filled on failure);
** tc_atomic_commit flushes, fsyncs, checks for write errors and renames;
** tc_atomic_abort removes the temporary file.  Either commit or abort
** must be called exactly once; both free `af`.
** Safe in a directory others can write (docs/guarantees.md, "Output files
** and processes"): the directory is opened once and everything happens
** relative to it (openat, renameat); it must belong to us or root and not
** be writable by all without the sticky bit; a symbolic link as the final
** name is refused (except a link to a device, FIFO or socket in a
** directory only we or root can write: /dev/stdout); the temporary file
** is created with O_CREAT|O_EXCL|O_NOFOLLOW, named "<name>.tmp.XXXXXXXXXXXX"
** (".tocalc.tmp.XXXXXXXXXXXX" when that would exceed NAME_MAX), and is
** removed by a signal handler if a fatal signal arrives before commit.
** A replaced file keeps its mode (permission bits) and, where allowed, its
** owner and group; a new file gets 0666 & ~umask.  A replaced file's other
** hard links keep the old contents (the rename gives the name a new inode).
** A destination that exists and is not a regular file (/dev/null, a
** FIFO, a terminal) is never replaced: the output goes to an anonymous
** file in $TMPDIR and is copied into the destination on commit.  A block
** device is refused.  The temporary file is always a regular file,
** readable through fp.
*/
struct tc_atomic_file {
	FILE *fp;
	char *path;	/* the destination as given (for messages) */
	char *base;	/* its final name, in dirfd */
	char *tmp;	/* the temporary file's name in dirfd (NULL for copy_out) */
	int dirfd;	/* the destination's directory */
	int copy_out;	/* the destination is not a regular file: copy into it */
	int slot;	/* the temporary file's slot in the signal-cleanup registry */
};
int tc_atomic_open(struct tc_atomic_file *af, const char *path, struct tc_err *err);
int tc_atomic_commit(struct tc_atomic_file *af, struct tc_err *err);
void tc_atomic_abort(struct tc_atomic_file *af);

/*
** The running child (gnuplot) for the signal cleanup: its process group
** is killed (SIGKILL) when a fatal signal arrives; 0 when none runs.
** Block the cleanup signals (tc_cleanup_block) between starting the
** child and registering it, so no signal falls between the two.
*/
void tc_cleanup_child(pid_t pgid);
void tc_cleanup_block(sigset_t *old);
void tc_cleanup_unblock(const sigset_t *old);

/* 1 when path names a directory (following links). */
int tc_is_dir(const char *path);
/*
** 0 when path is a directory; otherwise a usage error saying why ("what:
** 'path': No such file or directory", "... Permission denied", or "what:
** 'path' is not a directory") and TC_EXIT_USAGE.
*/
int tc_require_dir(const char *what, const char *path);

/*
** 1 when fd is a pipe or socket whose reader has gone (`tocalc ... | head -1`):
** writes to it fail with EPIPE, which is not an error for a filter.
*/
int tc_fd_reader_gone(int fd);

/*
** Open a data file for reading, never blocking: opened with O_NONBLOCK,
** refused unless it is a regular file (a FIFO, device, socket or directory
** gets "'path' is a FIFO (named pipe), not a <kind> ...", exit 1), then
** O_NONBLOCK is cleared.  Returns a stream the caller fcloses, or NULL with
** err filled.  Every reader of data files opens them through this.
*/
FILE *tc_open_regular(const char *path, const char *kind, struct tc_err *err);

/*
** Read a whole file into a NUL-terminated buffer the caller frees (opened
** with tc_open_regular).  A non-empty file whose last byte is not a newline
** (or a CR) is refused as possibly truncated: "path:N: the last line has no
** newline at its end: ...".
*/
int tc_read_file(const char *path, char **buf, size_t *len, size_t max, struct tc_err *err);

/*
** "Did you mean": the candidates nearest to a mistyped word, chosen as
** git's help.c chooses commands: a weighted Damerau-Levenshtein distance
** (swap of two neighbours 0, substitution 2, insertion 1, deletion 3;
** compared without case), a candidate that starts with the word counts as
** distance 0, and nothing is suggested at distance 7 or more.
** tc_suggest writes into buf (at least 1 byte) either "" or a hint to
** append to a message: " (did you mean 'tariff'?)" or, for a tie, " (did
** you mean one of 'overdose_12mo', 'overdose_annual'?)" (at most 5, in
** candidate order; a truncated hint still ends inside buf).  `prefix` ("--" for flags) is written before each
** candidate; it is not compared.  Returns the number suggested.
*/
size_t tc_suggest(const char *word, const char *const *cands, size_t n, const char *prefix,
		  char *buf, size_t size);
/* The distance tc_suggest uses (exposed for tests). */
int tc_suggest_distance(const char *word, const char *cand);

/*
** Calendar rules, one home (proleptic Gregorian).  The one decimal-year
** rule: a date is its year plus the days since 1 January over the days of
** that year, tc_year_of_date(d, 0) (2020-07-02 -> 2020 + 183/366);
** day_frac places it inside its day (0.5: the middle).  A month is its year
** plus (m - 1) / 12, the start of the month on a 12-month year
** (2020-07 -> 2020.5).  tc_days_in_month returns 0 for a month not 1..12.
*/
int tc_is_leap(long year);
int tc_days_in_month(long year, long month);
double tc_year_of_date(long yyyymmdd, double day_frac);
double tc_year_of_month(long yyyymm);

/*
** Strict UTF-8, one home.  tc_utf8_len: the length (1..4) of the valid
** UTF-8 sequence at s (n bytes available) and its code point in *cp (may
** be NULL), or 0 for an invalid one: a stray continuation byte, a
** truncated sequence, an overlong form, a surrogate, beyond U+10FFFF.
** tc_utf8_text: the text rule of every input (CSV fields, scenario files):
** valid UTF-8 without control characters (C0 but tab, DEL, C1).  Returns
** n when all n bytes are text, else the offset of the first bad byte, with
** *ctrl (may be NULL) set to 1 for a control character, 0 for bad UTF-8.
*/
size_t tc_utf8_len(const unsigned char *s, size_t n, unsigned long *cp);
size_t tc_utf8_text(const char *s, size_t n, int *ctrl);

/*
** Does the processor have AVX2 with its registers enabled by the OS?  Reads
** what glibc's loader found at start-up (CPU_FEATURE_ACTIVE); libgcc's
** __builtin_cpu_supports would link a constructor that runs CPUID at every
** start of every command, a trap to the hypervisor on a virtual machine
** (issue 18).  0 off x86-64.  The one home of this check: the joinpoint
** grid, the Monte Carlo scan and model_fastmath pick their AVX2 code by it.
*/
int tc_cpu_has_avx2(void);

/*
** A growing string, one home (after git's strbuf): zero-initialise
** (struct strbuf sb = STRBUF_INIT), append, then strbuf_detach() hands the
** NUL-terminated buffer to the caller (who frees it; never NULL) or
** strbuf_release() frees it.  buf is NULL until the first append.
*/
struct strbuf {
	char *buf;
	size_t len, cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) TC_PRINTF(2, 3);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_release(struct strbuf *sb);

#endif
