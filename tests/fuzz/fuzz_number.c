/* fuzz-sources: src/tcsv.c src/util.c */
/*
** fuzz_number.c: libFuzzer harness comparing the strict CSV layer's number
** parser (tcsv_parse_number, with its exact fast path) with strtod.
**
** The first byte picks the flags (bit 0: thousands separators allowed,
** bit 1: integer column, bit 2: the byte path, bit 3: digits right after
** the field for the word path); the rest is the field.  Whenever the strict
** parser accepts a field, strtod must read the same text (separators
** removed) whole and give the same double bit for bit (memcmp), and an
** integer column's value must be an integer.  Any difference calls
** abort().  Seeds: tests/fuzz/corpus/number/, dictionary fuzz_number.dict.
**
** Run: scripts/fuzz.sh 60 number
*/
#include "tocalc/tcsv.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char field[256], plain[256], *e;
	unsigned flags = 0;
	size_t len, bo = 0;
	double got, want;
	int fast;

	if (size < 1 || size > sizeof(field))
		return 0;
	if (data[0] & 1)
		flags |= TCSV_THOUSANDS;
	if (data[0] & 2)
		flags |= TCSV_NUM_INTEGER;
	if (data[0] & 4)
		flags |= TCSV_NUM_UNPADDED;
	if (data[0] & 8)
		flags |= TCSV_NUM_PAD_DIGITS;
	len = size - 1;
	memcpy(field, data + 1, len);
	field[len] = '\0';
	if (tcsv_parse_number(field, len, flags, &got, &fast))
		return 0;
	for (size_t k = 0; k < len; k++) {
		if (field[k] == ',' && !(flags & TCSV_THOUSANDS))
			abort();	/* a separator accepted where none is allowed */
		if (field[k] != ',')
			plain[bo++] = field[k];
	}
	plain[bo] = '\0';
	want = strtod(plain, &e);
	if (*e || !isfinite(got) || memcmp(&got, &want, sizeof(got)))
		abort();
	if ((flags & TCSV_NUM_INTEGER) && got != floor(got))
		abort();
	return 0;
}
