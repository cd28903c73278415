/*
** plot_run.c: run gnuplot.  The only place in tocalc that starts a
** process.
**
** gnuplot is started with posix_spawnp (no shell, and a missing gnuplot
** is a clean ENOENT rather than popen's "sh: not found" exit 127) as
** `gnuplot -d /dev/stdin`: -d skips ~/.gnuplot and the system gnuplotrc,
** and a script read as a file stops at its first error (on plain stdin
** gnuplot would report the error and carry on).  The child gets LC_ALL=C
** and none of the GNUPLOT_* variables, SIGPIPE back to its default, the
** script on a pipe, its stdout on the destination (a temporary file) and
** its stderr on an anonymous temporary file (a file, not a pipe, so a
** chatty child can never deadlock against our writes).
**
** gnuplot runs in its own process group, registered with the signal
** cleanup of util.c (a fatal signal to tocalc kills the group), and under
** a time limit (plot_run_set_timeout, `tocalc --gnuplot-timeout`, default
** PLOT_TIMEOUT_DEFAULT seconds): on expiry the group is killed (SIGKILL)
** and the run fails with TC_EXIT_TOOL.  An SVG is checked to be
** well-formed XML (out_xmlcheck.c) before it is written anywhere.
*/
#include "tocalc/plot.h"
#include "tocalc/out_xmlcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Largest plot we read back into memory (to check it and fix PDF dates). */
#define PLOT_OUTPUT_MAX ((size_t)1 << 30)
/* How much of gnuplot's stderr goes into an error message. */
#define STDERR_TAIL 700

/* Seconds gnuplot may run; 0 = no limit. */
static double plot_timeout = PLOT_TIMEOUT_DEFAULT;

void plot_run_set_timeout(double seconds)
{
	plot_timeout = seconds;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds until deadline for poll(): -1 without one, 0 when past. */
static int ms_left(double deadline)
{
	double left;

	if (deadline <= 0)
		return -1;
	left = (deadline - now_seconds()) * 1000.0;
	if (left <= 0)
		return 0;
	return left >= INT_MAX - 1 ? INT_MAX - 1 : (int)left + 1;
}

/*
** The child's environment: ours without locale and gnuplot settings,
** plus LC_ALL=C so numbers are read and printed with '.'.
*/
static char **child_env(void)
{
	static const char *const drop[] = {
		"LC_", "LANG=", "LANGUAGE=", "GNUPLOT_", "GNUTERM=", "GDFONTPATH=", "GNUHELP=",
		"FIT_LOG=", "FIT_SCRIPT="
	};
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		int skip = 0;
		for (size_t j = 0; j < TC_ARRAY_SIZE(drop) && !skip; j++)
			skip = !strncmp(environ[i], drop[j], strlen(drop[j]));
		if (!skip)
			env[k++] = environ[i];
	}
	env[k++] = (char *)"LC_ALL=C";
	env[k] = NULL;
	return env;
}

/* The last STDERR_TAIL bytes of gnuplot's stderr, control characters made visible. */
static void read_stderr(FILE *fp, char *buf, size_t size)
{
	char tmp[64 * 1024];
	size_t n, start = 0, k = 0;

	buf[0] = '\0';
	if (fseek(fp, 0, SEEK_SET))
		return;
	n = fread(tmp, 1, sizeof(tmp), fp);
	while (n && (tmp[n - 1] == '\n' || tmp[n - 1] == ' ' || tmp[n - 1] == '\r'))
		n--;
	while (start < n && (tmp[start] == '\n' || tmp[start] == ' '))
		start++;
	if (n - start > STDERR_TAIL)
		start = n - STDERR_TAIL;
	for (size_t i = start; i < n && k + 1 < size; i++) {
		unsigned char c = (unsigned char)tmp[i];
		buf[k++] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	buf[k] = '\0';
}

/*
** Write all of buf to the non-blocking fd before deadline; EPIPE (child
** gone) and other errors return -1 with errno, the deadline passing -2.
*/
static int write_all(int fd, const char *buf, size_t len, double deadline)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd pf = { .fd = fd, .events = POLLOUT };
				int r = poll(&pf, 1, ms_left(deadline));
				if (r == 0)
					return -2;
				if (r < 0 && errno != EINTR)
					return -1;
				continue;
			}
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
** Is `prog` an executable file in a PATH directory?  posix_spawnp reports
** a missing program as ENOENT, but not under every spawn emulation (under
** valgrind the child just exits 127), so look first, the way execvp does.
*/
static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	const char *p;

	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; ) {
		size_t n = strcspn(p, ":");
		char buf[4096];
		struct stat st;

		if (n == 0)
			snprintf(buf, sizeof(buf), "%s", prog);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (!stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK))
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/*
** Spawn `argv` with `input` on its stdin, stdout on out_fd and stderr
** captured; wait for it.  Returns 0 when it exited with status 0.
*/
static int run_tool(char *const argv[], const char *input, size_t len, int out_fd,
		    struct tc_err *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, pipeset;
	struct sigaction ign, old;
	char **env = NULL;
	char msg[STDERR_TAIL + 64];
	FILE *errfp;
	int p[2] = { -1, -1 }, cout = -1, cerr = -1;
	int rc, status = 0, werr = 0, ret = -1, timed_out = 0;
	double deadline = plot_timeout > 0 ? now_seconds() + plot_timeout : 0;
	sigset_t blocked;
	long step_ns = 1000000;
	pid_t pid;

	if (!in_path(argv[0]))
		return tc_failc(err, TC_EXIT_TOOL, "gnuplot is not installed (no '%s' on PATH); "
				"install gnuplot-nox, or use --script-only", argv[0]);
	errfp = tmpfile();
	if (!errfp)
		return tc_failc(err, TC_EXIT_TOOL, "unable to create a temporary file for gnuplot: %s",
				strerror(errno));
	if (pipe(p)) {
		fclose(errfp);
		return tc_failc(err, TC_EXIT_TOOL, "unable to create a pipe for gnuplot: %s",
				strerror(errno));
	}
	/*
	** Every descriptor the child gets is first copied to a close-on-exec
	** descriptor >= 3, so dup2 onto 0/1/2 never meets itself and nothing
	** else leaks into gnuplot.
	*/
	{
		int in = fcntl(p[0], F_DUPFD_CLOEXEC, 3);
		int wr = fcntl(p[1], F_DUPFD_CLOEXEC, 3);
		close(p[0]);
		close(p[1]);
		p[0] = in;
		p[1] = wr;
	}
	cout = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
	cerr = fcntl(fileno(errfp), F_DUPFD_CLOEXEC, 3);
	if (p[0] < 0 || p[1] < 0 || cout < 0 || cerr < 0) {
		tc_failc(err, TC_EXIT_TOOL, "unable to set up gnuplot's input and output: %s",
			 strerror(errno));
		goto out_fds;
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_adddup2(&fa, cout, 1);
	posix_spawn_file_actions_adddup2(&fa, cerr, 2);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	/* main() ignores SIGPIPE; an ignored signal would stay ignored across exec. */
	posix_spawnattr_setsigdefault(&attr, &pipeset);
	posix_spawnattr_setsigmask(&attr, &none);
	/* its own process group, so a timeout or a signal can kill all it started */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETPGROUP);
	env = child_env();

	tc_cleanup_block(&blocked);	/* no signal between the spawn and the registration */
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
	if (!rc)
		tc_cleanup_child(pid);
	tc_cleanup_unblock(&blocked);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	close(p[0]);
	p[0] = -1;
	if (rc) {
		if (rc == ENOENT)
			tc_failc(err, TC_EXIT_TOOL, "gnuplot is not installed (no '%s' on PATH); "
				 "install gnuplot-nox, or use --script-only", argv[0]);
		else
			tc_failc(err, TC_EXIT_TOOL, "unable to run %s: %s", argv[0], strerror(rc));
		goto out_fds;
	}

	/* If gnuplot stops reading early, write() must fail with EPIPE, not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	rc = write_all(p[1], input, len, deadline);
	if (rc == -1)
		werr = errno;
	else if (rc == -2)
		timed_out = 1;
	close(p[1]);
	p[1] = -1;
	sigaction(SIGPIPE, &old, NULL);

	for (;;) {
		pid_t r;

		if (!timed_out && deadline > 0 && now_seconds() >= deadline)
			timed_out = 1;
		if (timed_out)
			kill(-pid, SIGKILL);	/* gnuplot and anything it started */
		r = waitpid(pid, &status, deadline > 0 && !timed_out ? WNOHANG : 0);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			tc_failc(err, TC_EXIT_TOOL, "unable to wait for %s: %s", argv[0], strerror(errno));
			kill(-pid, SIGKILL);
			tc_cleanup_child(0);
			goto out_fds;
		}
		if (r == 0) {
			struct timespec ts = { 0, step_ns };
			nanosleep(&ts, NULL);
			if (step_ns < 50000000)
				step_ns *= 2;
		}
	}
	tc_cleanup_child(0);

	read_stderr(errfp, msg, sizeof(msg));
	if (timed_out) {
		tc_failc(err, TC_EXIT_TOOL, "%s did not finish within %g seconds and was stopped "
			 "(tocalc --gnuplot-timeout SECONDS sets the limit, 0 for none)",
			 argv[0], plot_timeout);
	} else if (WIFSIGNALED(status)) {
		tc_failc(err, TC_EXIT_TOOL, "%s was killed by signal %d (%s)%s%s", argv[0],
			 WTERMSIG(status), strsignal(WTERMSIG(status)), *msg ? ":\n" : "", msg);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		tc_failc(err, TC_EXIT_TOOL, "%s failed (exit status %d)%s%s", argv[0],
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, *msg ? ":\n" : "", msg);
	} else if (werr) {
		/* exit 0 without reading the whole script: do not trust the output */
		tc_failc(err, TC_EXIT_TOOL, "%s stopped reading its script early (%s)%s%s", argv[0],
			 strerror(werr), *msg ? ":\n" : "", msg);
	} else {
		ret = 0;
	}

out_fds:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	if (cout >= 0)
		close(cout);
	if (cerr >= 0)
		close(cerr);
	fclose(errfp);
	return ret;
}

static int run_gnuplot(const char *script, size_t len, int out_fd, struct tc_err *err)
{
	static char arg0[] = "gnuplot", arg1[] = "-d", arg2[] = "/dev/stdin";
	char *const argv[] = { arg0, arg1, arg2, NULL };

	return run_tool(argv, script, len, out_fd, err);
}

/* Read all of fd (from offset 0) into a new buffer. */
static int read_fd(int fd, char **buf, size_t *len, struct tc_err *err)
{
	struct stat st;
	size_t n, got = 0;
	char *b;

	if (fstat(fd, &st))
		return tc_failc(err, TC_EXIT_TOOL, "unable to read gnuplot's output: %s", strerror(errno));
	if ((unsigned long long)st.st_size > PLOT_OUTPUT_MAX)
		return tc_failc(err, TC_EXIT_TOOL, "gnuplot's output is larger than %zu bytes",
				PLOT_OUTPUT_MAX);
	n = (size_t)st.st_size;
	b = xmalloc(n + 1);
	while (got < n) {
		ssize_t r = pread(fd, b + got, n - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(b);
			return tc_failc(err, TC_EXIT_TOOL, "unable to read gnuplot's output: %s",
					r < 0 ? strerror(errno) : "short read");
		}
		got += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static const char *find_mem(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
			return hay + i;
	return NULL;
}

/*
** cairo writes the time of the run into the PDF information dictionary
** (/CreationDate (D:20261123233033Z), and ignores SOURCE_DATE_EPOCH).
** Replace every such date with a constant of the same length, so the
** xref offsets stay right and the bytes are the same on every run.
*/
static void pdf_fix_dates(char *b, size_t n)
{
	static const char *const keys[] = { "/CreationDate (", "/ModDate (" };

	for (size_t k = 0; k < TC_ARRAY_SIZE(keys); k++) {
		size_t off = 0;
		const char *hit;

		while ((hit = find_mem(b + off, n - off, keys[k]))) {
			char *v = (char *)hit + strlen(keys[k]);
			char *end = v;
			size_t len;

			while ((size_t)(end - b) < n && *end != ')' && end - v < 40)
				end++;
			off = (size_t)(end - b);
			if ((size_t)(end - b) >= n || *end != ')')
				continue;
			len = (size_t)(end - v);
			if (len < 16 || memcmp(v, "D:", 2))
				continue;
			/* D:YYYYMMDDHHmmSS then a zone: "Z", "+HH'mm" or "+HH'mm'" */
			if (len == 17)
				memcpy(v, "D:19700101000000Z", 17);
			else if (len == 22)
				memcpy(v, "D:19700101000000+00'00", 22);
			else if (len == 23)
				memcpy(v, "D:19700101000000+00'00'", 23);
			else if (len == 16)
				memcpy(v, "D:19700101000000", 16);
		}
	}
}

/* Is this a complete file of the terminal's type? */
static int check_output(enum plot_term term, const char *b, size_t n, struct tc_err *err)
{
	static const char png_magic[] = "\x89PNG\r\n\x1a\n";
	static const char png_iend[] = "IEND\xae\x42\x60\x82";
	const char *tail;
	size_t tn;

	if (n == 0)
		return tc_failc(err, TC_EXIT_TOOL, "gnuplot produced no output");
	tn = n < 64 ? n : 64;
	tail = b + n - tn;
	switch (term) {
	case PLOT_TERM_SVG: {
		char why[160];
		if (n < 5 || memcmp(b, "<?xml", 5) || !find_mem(tail, tn, "</svg>"))
			return tc_failc(err, TC_EXIT_TOOL, "gnuplot's output is not a complete SVG file");
		/* gnuplot copies "]]>", "&#x3c" or "&#xFFFF;" in a text into the SVG as they are */
		if (out_xml_check(b, n, why, sizeof(why)))
			return tc_fail(err, "the plot would not be a valid SVG file (%s): a title, "
				       "label or other text holds a sequence SVG cannot carry, such "
				       "as \"]]>\" or \"&#...\"; nothing was written", why);
		break;
	}
	case PLOT_TERM_PNG:
		if (n < 16 || memcmp(b, png_magic, 8) || memcmp(b + n - 8, png_iend, 8))
			return tc_failc(err, TC_EXIT_TOOL, "gnuplot's output is not a complete PNG file");
		break;
	case PLOT_TERM_PDF:
		if (n < 5 || memcmp(b, "%PDF-", 5) || !find_mem(tail, tn, "%%EOF"))
			return tc_failc(err, TC_EXIT_TOOL, "gnuplot's output is not a complete PDF file");
		break;
	}
	return 0;
}

/* Check gnuplot's output in fd and make it reproducible; return the bytes if buf is given. */
static int finish_output(int fd, enum plot_term term, char **buf, size_t *len,
			 struct tc_err *err)
{
	char *b = NULL;
	size_t n = 0;

	if (read_fd(fd, &b, &n, err))
		return -1;
	if (check_output(term, b, n, err)) {
		free(b);
		return -1;
	}
	if (term == PLOT_TERM_PDF) {
		pdf_fix_dates(b, n);
		if (!buf) {
			size_t done = 0;
			while (done < n) {
				ssize_t w = pwrite(fd, b + done, n - done, (off_t)done);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					free(b);
					return tc_failc(err, TC_EXIT_TOOL, "unable to write the plot: %s",
							w < 0 ? strerror(errno) : "short write");
				}
				done += (size_t)w;
			}
		}
	}
	if (buf) {
		*buf = b;
		*len = n;
	} else {
		free(b);
	}
	return 0;
}

int plot_run_file(const char *script, size_t len, enum plot_term term,
		  const char *path, struct tc_err *err)
{
	struct tc_atomic_file af;

	if (tc_atomic_open(&af, path, err))
		return -1;
	if (run_gnuplot(script, len, fileno(af.fp), err) ||
	    finish_output(fileno(af.fp), term, NULL, NULL, err)) {
		tc_atomic_abort(&af);	/* the previous plot, if any, is untouched */
		return -1;
	}
	return tc_atomic_commit(&af, err);
}

int plot_run_buffer(const char *script, size_t len, enum plot_term term,
		    char **out, size_t *outlen, struct tc_err *err)
{
	FILE *fp = tmpfile();
	int rc;

	*out = NULL;
	*outlen = 0;
	if (!fp)
		return tc_failc(err, TC_EXIT_TOOL, "unable to create a temporary file: %s",
				strerror(errno));
	rc = run_gnuplot(script, len, fileno(fp), err);
	if (!rc)
		rc = finish_output(fileno(fp), term, out, outlen, err);
	fclose(fp);
	return rc;
}

/*
** A write to stdout failed because its reader has gone (`| head`): not an
** error for a filter (git does the same); main() stays silent about it.
*/
static int reader_gone(void)
{
	return errno == EPIPE || tc_fd_reader_gone(fileno(stdout));
}

int plot_render(const struct plot_desc *d, enum plot_term term, const char *path,
		int script_only, struct tc_err *err)
{
	char *script, *out;
	size_t len, n;
	int rc;

	if (script_only) {
		if (plot_script_build(d, term, path ? path : "-", &script, &len, err))
			return -1;
		rc = 0;
		if ((fwrite(script, 1, len, stdout) != len || fflush(stdout)) && !reader_gone())
			rc = tc_fail(err, "unable to write the script to standard output: %s",
				     strerror(errno));
		free(script);
		return rc;
	}
	if (!path)
		return tc_failc(err, TC_EXIT_USAGE, "no output file given");
	if (plot_script_build(d, term, NULL, &script, &len, err))
		return -1;
	if (strcmp(path, "-")) {
		rc = plot_run_file(script, len, term, path, err);
		free(script);
		return rc;
	}
	rc = plot_run_buffer(script, len, term, &out, &n, err);
	free(script);
	if (rc)
		return -1;
	if ((fwrite(out, 1, n, stdout) != n || fflush(stdout)) && !reader_gone())
		rc = tc_fail(err, "unable to write the plot to standard output: %s", strerror(errno));
	free(out);
	return rc;
}
