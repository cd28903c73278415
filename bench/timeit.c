/*
** bench/timeit.c: wall time of a command, for bench_time in bench/lib.sh.
**
**   timeit RUNS CMD [ARG...]
**
** Runs CMD once to warm up (it must exit 0), then RUNS times, each from
** just before fork() to the return of waitpid() (CLOCK_MONOTONIC), with
** standard output and error on /dev/null; prints "mean_ms min_ms".
** Exit 1 when a run fails or cannot start.  The shell loop it replaces
** timed the start of a second date(1) process with every run (about
** 1.5 ms more on the project's machine), and perf stat's elapsed time
** read a few microseconds for some runs of /bin/true.
*/
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One run: its wall time in ms, or -1 when it fails. */
static double run(char **argv, int devnull)
{
	double t0 = now_ms(), t1;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(devnull, 1);
		dup2(devnull, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	t1 = now_ms();
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t1 - t0 : -1;
}

int main(int argc, char **argv)
{
	long runs = argc > 2 ? atol(argv[1]) : 0;
	double sum = 0, min = 0;
	int devnull = open("/dev/null", O_WRONLY);

	if (runs < 1 || devnull < 0) {
		fprintf(stderr, "usage: timeit RUNS CMD [ARG...]\n");
		return 2;
	}
	if (run(argv + 2, devnull) < 0)
		return 1;
	for (long i = 0; i < runs; i++) {
		double t = run(argv + 2, devnull);
		if (t < 0)
			return 1;
		sum += t;
		if (i == 0 || t < min)
			min = t;
	}
	printf("%f %f\n", sum / (double)runs, min);
	return 0;
}
