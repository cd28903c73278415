#!/bin/sh
# bench/csv.sh: throughput of the strict CSV layer (src/tcsv.c) on a generated
# file of about 100 MB, beside `wc -l` and libcsv alone on the same file.
# A benchmark, not a test: it prints a table and exits 0 (1 only if it cannot run).
#
#   bench/csv.sh                 ~100 MB, best of 5
#   BENCH_CSV_MB=20 BENCH_REPS=3 bench/csv.sh
#
# The file (8 columns: int, date, month, enum, int with quoted thousands
# separators and missing values, real, real with a range and missing values,
# text with quoted commas and doubled quotes) is written to a temporary directory
# ($TMPDIR or /tmp) and removed at exit.  The page cache is warmed first.
# Readers:
#   wc -l              coreutils, lines only (the floor)
#   libcsv alone       csv_parse with NULL callbacks, 64 KiB chunks (bench/csv/bench_csv.c)
#   tcsv stream        tcsv_stream_file + counting callback: typed, every check on
#   tcsv load          tcsv_load_file + tcsv_table_release: the whole typed table
# MB/s = 10^6 bytes per second of wall time, best run; "cpu s" is the process CPU
# time of the best run (less sensitive to a busy machine).
set -u
cd "$(dirname "$0")/.." || exit 1

MB=${BENCH_CSV_MB:-100}
REPS=${BENCH_REPS:-5}
CC=${CC:-cc}
out=${BENCH_BUILD:-build/bench}
mkdir -p "$out" || exit 1
bin=$out/bench_csv
if ! $CC -std=c11 -O2 -g -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-o "$bin" bench/csv/bench_csv.c src/tcsv.c src/util.c -lcsv -lm; then
	echo "bench/csv.sh: cannot build the driver" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tocalc-bench-csv.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
csv=$tmp/bench.csv
"$bin" gen "$csv" $((MB * 1000000)) || exit 1
bytes=$(wc -c <"$csv")
cat "$csv" >/dev/null

# best and median wall time of $REPS runs of a shell command
time_cmd() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$REPS" ]; do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk -v r="$REPS" '{ t[NR] = $1 / 1e6 }
		END { printf "%.4f %.4f - ", t[1], t[int(r / 2) + 1] }'
}

lines=$(wc -l <"$csv")
row() {	# label best median cpu rows
	awk -v l="$1" -v b="$2" -v m="$3" -v c="$4" -v r="$5" -v n="$bytes" 'BEGIN {
		printf "| %-14s | %8.3f | %8.0f | %8.3f | %8s | %9s |\n", l, b, n / b / 1e6, m, c, r }'
}

echo "bench/csv.sh: $bytes bytes, $lines lines, 8 columns; best of $REPS (wall clock)"
echo
echo "| reader         |   best s |     MB/s | median s |    cpu s |      rows |"
echo "|----------------|----------|----------|----------|----------|-----------|"
best_stream=0
best_load=0
# shellcheck disable=SC2046  # splitting the three numbers is the point
set -- $(time_cmd wc -l "$csv")
row "wc -l" "$1" "$2" "-" "$lines"
for mode in libcsv stream load; do
	res=$("$bin" "$mode" "$csv" "$REPS") || { echo "bench/csv.sh: $mode failed" >&2; exit 1; }
	# shellcheck disable=SC2086
	set -- $res
	case $mode in
	libcsv) label="libcsv alone"; rows=- ;;
	stream) label="tcsv stream"; rows=$4 ;;
	load) label="tcsv load"; rows=$4 ;;
	esac
	row "$label" "$1" "$2" "$3" "$rows"
	eval "best_$mode=$1"
done
echo
awk -v n="$bytes" -v s="$best_stream" -v l="$best_load" 'BEGIN {
	printf "typed load: %.0f MB/s streaming, %.0f MB/s into a table (target: 150 MB/s on one core): %s\n",
		n / s / 1e6, n / l / 1e6, (n / s / 1e6 >= 150 ? "met" : "NOT met") }'
exit 0
