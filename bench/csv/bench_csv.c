/*
** bench_csv.c: driver for bench/csv.sh (not a test).
**
**   bench_csv gen FILE BYTES     write a deterministic CSV of about BYTES bytes
**   bench_csv MODE FILE REPS     run MODE REPS times, print
**                                "best median best-cpu rows" (seconds; rows -1 for libcsv)
**
** MODE: libcsv  libcsv alone, NULL callbacks, 64 KiB fread chunks
**       hs10    tcsv_stream_file with the HS10 columns of src/data_hs10.c (a Census file)
**       stream  tcsv_stream_file with a counting callback (typed, validated)
**       load    tcsv_load_file + tcsv_table_release (whole typed table)
**
** Built by bench/csv.sh with -O2 against src/tcsv.c src/util.c -lcsv -lm.
*/
#include "tocalc/tcsv.h"

#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const regions[] = {
	"northeast", "midwest", "south", "west", "pacific", "mountain", "territories", "unknown",
	NULL
};

static const struct tcsv_col_spec cols[] = {
	{ "id", TCSV_INT, TCSV_NONNEG, NULL, 0, 0 },
	{ "date", TCSV_DATE, 0, NULL, 0, 0 },
	{ "month", TCSV_MONTH, 0, NULL, 0, 0 },
	{ "region", TCSV_ENUM, 0, regions, 0, 0 },
	{ "count", TCSV_INT, TCSV_OPTIONAL | TCSV_NONNEG | TCSV_THOUSANDS, NULL, 0, 0 },
	{ "rate", TCSV_REAL, TCSV_NONNEG, NULL, 0, 0 },
	{ "share", TCSV_REAL, TCSV_OPTIONAL, NULL, 0, 100 },
	{ "note", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema schema = { "bench", cols, TC_ARRAY_SIZE(cols), 0 };

/* The columns src/data_hs10.c reads from a Census HS10 file (its schema, copied). */
static const struct tcsv_col_spec hs10_cols[] = {
	{ "HS10", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "HS8", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "I_COMMODITY_SDESC", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "CTY_NAME", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "YEAR", TCSV_INT, 0, NULL, 1900, 2199 },
	{ "CON_VAL_YR", TCSV_REAL, TCSV_NONNEG, NULL, 0, 0 },
	{ "CAL_DUT_YR", TCSV_REAL, TCSV_NONNEG | TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema hs10_schema = {
	"hs10", hs10_cols, TC_ARRAY_SIZE(hs10_cols), TCSV_ALLOW_EXTRA
};

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const words[] = {
	"fentanyl", "tariff", "imports", "provisional", "final", "china", "mexico", "canada",
	"section", "rate", "deaths", "estimate", "revised", "source",
};

static int gen(const char *path, long long bytes)
{
	FILE *fp = fopen(path, "wb");
	long long written = 0;
	long id = 0;

	if (!fp) {
		perror(path);
		return 1;
	}
	written += fprintf(fp, "id,date,month,region,count,rate,share,note\n");
	while (written < bytes) {
		uint64_t r = next();
		int y = 1999 + (int)(r % 27), m = 1 + (int)((r >> 8) % 12), d = 1 + (int)((r >> 16) % 28);
		long cnt = (long)((r >> 24) % 200000);
		char count[32], share[32], note[96];
		if ((r >> 40) % 10 == 0)
			count[0] = '\0';	/* missing */
		else if (cnt >= 1000 && (r >> 44) % 3 == 0)
			snprintf(count, sizeof(count), "\"%ld,%03ld\"", cnt / 1000, cnt % 1000);
		else
			snprintf(count, sizeof(count), "%ld", cnt);
		if ((r >> 48) % 20 == 0)
			share[0] = '\0';
		else
			snprintf(share, sizeof(share), "%.2f", (double)((r >> 20) % 10000) / 100);
		switch ((r >> 52) % 4) {
		case 0:
			note[0] = '\0';
			break;
		case 1:
			snprintf(note, sizeof(note), "%s %s", words[(r >> 56) % 14], words[(r >> 60) % 14]);
			break;
		case 2:
			snprintf(note, sizeof(note), "\"%s, %s\"", words[(r >> 56) % 14],
				 words[(r >> 60) % 14]);
			break;
		default:
			snprintf(note, sizeof(note), "\"the \"\"%s\"\" figure, %s\"", words[(r >> 56) % 14],
				 words[(r >> 60) % 14]);
			break;
		}
		written += fprintf(fp, "%ld,%04d-%02d-%02d,%04d-%02d,%s,%s,%.6g,%s,%s\n", ++id, y, m,
				   d, y, m, regions[(r >> 32) % 8], count,
				   (double)((r >> 12) % 1000000) / 997.0, share, note);
	}
	if (fclose(fp)) {
		perror(path);
		return 1;
	}
	return 0;
}

static double now(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long counted;
static int count_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	(void)row;
	(void)ud;
	(void)err;
	counted++;
	return 0;
}

static long run_libcsv(const char *path)
{
	struct csv_parser p;
	char *buf = malloc(65536);
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp || !buf || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL)) {
		fprintf(stderr, "bench_csv: cannot open %s\n", path);
		exit(1);
	}
	while ((n = fread(buf, 1, 65536, fp)) > 0)
		if (csv_parse(&p, buf, n, NULL, NULL, NULL) != n) {
			fprintf(stderr, "bench_csv: libcsv: %s\n", csv_strerror(csv_error(&p)));
			exit(1);
		}
	csv_fini(&p, NULL, NULL, NULL);
	csv_free(&p);
	fclose(fp);
	free(buf);
	return -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double t[64], cpu[64];
	long rows = -1;
	int reps;

	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], atoll(argv[3]));
	if (argc != 4 || (reps = atoi(argv[3])) < 1 || reps > 64) {
		fprintf(stderr, "usage: bench_csv gen FILE BYTES | bench_csv libcsv|stream|load|hs10 FILE REPS\n");
		return 2;
	}
	for (int i = 0; i < reps; i++) {
		struct tc_err err;
		struct tcsv_table tab;
		double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		tc_err_init(&err);
		if (!strcmp(argv[1], "libcsv")) {
			rows = run_libcsv(argv[2]);
		} else if (!strcmp(argv[1], "stream") || !strcmp(argv[1], "hs10")) {
			counted = 0;
			if (tcsv_stream_file(argv[2], argv[1][0] == 'h' ? &hs10_schema : &schema,
					     count_row, NULL, &err)) {
				fprintf(stderr, "bench_csv: %s\n", err.msg);
				return 1;
			}
			rows = counted;
		} else if (!strcmp(argv[1], "load")) {
			if (tcsv_load_file(&tab, argv[2], &schema, &err)) {
				fprintf(stderr, "bench_csv: %s\n", err.msg);
				return 1;
			}
			rows = (long)tab.nrows;
			tcsv_table_release(&tab);
		} else {
			fprintf(stderr, "bench_csv: unknown mode '%s'\n", argv[1]);
			return 2;
		}
		t[i] = now(CLOCK_MONOTONIC) - t0;
		cpu[i] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	}
	qsort(t, (size_t)reps, sizeof(t[0]), cmp);
	qsort(cpu, (size_t)reps, sizeof(cpu[0]), cmp);
	printf("%.4f %.4f %.4f %ld\n", t[0], t[reps / 2], cpu[0], rows);
	return 0;
}
