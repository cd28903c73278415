/*
** golden.h: file helpers shared by the unit tests that compare output with
** golden files (test_plot.c, test_recipes.c).  Header-only; include after
** <cmocka.h>.  read_all returns a NUL-terminated buffer the caller frees, or
** NULL when the file cannot be opened.  check_golden(dir, name, got, len)
** fails the test when dir/name differs from got; TOCALC_UPDATE_GOLDEN=1
** rewrites the file instead (review the diff before committing it).
*/
#ifndef TOCALC_TESTS_GOLDEN_H
#define TOCALC_TESTS_GOLDEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *b;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	b[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return b;
}

static void write_all(const char *path, const char *b, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(b, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void check_golden(const char *dir, const char *name, const char *got, size_t len)
{
	char path[512];
	char *want;
	size_t wlen = 0, i = 0;

	snprintf(path, sizeof(path), "%s%s", dir, name);
	if (getenv("TOCALC_UPDATE_GOLDEN")) {
		write_all(path, got, len);
		return;
	}
	want = read_all(path, &wlen);
	if (!want)
		fail_msg("missing golden file %s", path);
	if (wlen != len || memcmp(want, got, len)) {
		while (i < len && i < wlen && want[i] == got[i])
			i++;
		fprintf(stderr, "output differs from %s at byte %zu; got:\n%.*s\n", path, i,
			(int)(len < 4096 ? len : 4096), got);
		free(want);
		fail_msg("golden mismatch: %s (regenerate with TOCALC_UPDATE_GOLDEN=1 and review)", name);
	}
	free(want);
}

#endif
