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
# Then the same figures beside pandas read_csv (interpreter start and import
# subtracted) and `wc -l` on the same file as ratios (targets: stream >= 400 MB/s,
# load >= 300 MB/s), and the HS10 what-if on the real China 2024 file repeated
# to about 1.0 M rows (104 MB; built in the temporary directory, skipped when
# ../shared/data is absent) beside pandas and `wc -l` (targets: < 0.3 s, >= 4x pandas).
# Each of these figures is also printed as a BENCH row (bench/lib.sh) for the one
# table of `make bench`: stream and load in CPU time beside pandas's CPU time
# (import subtracted) and beside wc -l's wall time, the what-if likewise.
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh

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
	case $mode in stream) cpu_s=$3 ;; load) cpu_l=$3 ;; esac
done

# peers on the same file in the same run: pandas read_csv (import excluded)
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import pandas' >/dev/null 2>&1; then PY=$p; break; fi
done
# best_of CMD...: "wall cpu" in seconds, the best of $REPS runs of each (cpu =
# user + system of the process, from /usr/bin/time when present, else "-")
best_of() {
	i=0; best=; bestc=
	while [ $i -lt "$REPS" ]; do
		t0=$(date +%s%N)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>&1
			c=$(awk '{ printf "%d", ($1 + $2) * 1e6 }' "$tmp/cpu")
		else
			"$@" >/dev/null 2>&1; c=
		fi
		t1=$(date +%s%N)
		d=$(( (t1 - t0) / 1000 )); i=$((i + 1))
		if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
		if [ -n "$c" ] && { [ -z "$bestc" ] || [ "$c" -lt "$bestc" ]; }; then bestc=$c; fi
	done
	awk -v d="$best" -v c="${bestc:--}" 'BEGIN { printf "%.4f %s\n", d / 1e6, c == "-" ? "-" : sprintf("%.4f", c / 1e6) }'
}
pandas_time() {	# read_csv of $1 minus the interpreter start and the import: "wall cpu"
	[ -n "$PY" ] || { echo "- -"; return; }
	s=$(best_of "$PY" -c 'import pandas')
	p=$(best_of "$PY" -c 'import sys, pandas; pandas.read_csv(sys.argv[1], thousands=",")' "$1")
	echo "$p $s" | awk '{ printf "%.4f %s\n", $1 - $3, ($2 == "-" ? "-" : sprintf("%.4f", $2 - $4)) }'
}
set -- $(best_of wc -l "$csv")
best_wc=$1
set -- $(pandas_time "$csv")
best_pd=$1 cpu_pd=$2

echo
echo "Typed CSV beside its peers on the same file, same run (MB/s of wall time, best run):"
echo
echo "| reader        |    MB/s | target |   vs pandas |    vs wc -l |"
echo "|---------------|---------|--------|-------------|-------------|"
awk -v n="$bytes" -v s="$best_stream" -v l="$best_load" -v p="$best_pd" -v w="$best_wc" 'BEGIN {
	pm = (p == "-" || p <= 0) ? 0 : n / p / 1e6
	wm = n / w / 1e6
	printf "| tcsv stream   | %7.0f |  400 %s | %10s | %10.3fx |\n", n / s / 1e6,
		(n / s / 1e6 >= 400 ? "ok" : "NO"), pm ? sprintf("%.2fx", n / s / 1e6 / pm) : "-", n / s / 1e6 / wm
	printf "| tcsv load     | %7.0f |  300 %s | %10s | %10.3fx |\n", n / l / 1e6,
		(n / l / 1e6 >= 300 ? "ok" : "NO"), pm ? sprintf("%.2fx", n / l / 1e6 / pm) : "-", n / l / 1e6 / wm
	if (pm) printf "| pandas        | %7.0f |      - |      1.00x | %10.3fx |\n", pm, pm / wm
	printf "| wc -l         | %7.0f |      - |          - |     1.000x |\n", wm
}'
# the same in CPU time (steadier on a busy machine): tcsv's from the driver, pandas's from time(1)
awk -v n="$bytes" -v s="$cpu_s" -v l="$cpu_l" -v p="$cpu_pd" 'BEGIN {
	printf "\nin CPU time: tcsv stream %.0f MB/s, tcsv load %.0f MB/s", n / s / 1e6, n / l / 1e6
	if (p != "-" && p > 0) printf ", pandas read_csv %.0f MB/s (stream %.2fx, load %.2fx pandas)", n / p / 1e6, p / s, p / l
	printf "\n"
}'
# rows for the one table of `make bench` (CPU time: steadier on a busy machine;
# pandas's own CPU time minus the interpreter start and import; wc -l's wall time)
mbs() { awk -v n="$bytes" -v t="$1" 'BEGIN { if (t == "-" || t <= 0) print ""; else printf "%.0f", n / t / 1e6 }'; }
bench_row "csv stream, ${MB} MB 8 cols (cpu)" "$(mbs "$cpu_s")" "MB/s" "pandas read_csv" "$(mbs "$cpu_pd")" ">=400"
bench_row "csv stream, ${MB} MB 8 cols (cpu; wc -l wall)" "$(mbs "$cpu_s")" "MB/s" "wc -l" "$(mbs "$best_wc")" ""
bench_row "csv table load, ${MB} MB 8 cols (cpu)" "$(mbs "$cpu_l")" "MB/s" "pandas read_csv" "$(mbs "$cpu_pd")" ">=300"
bench_row "csv table load, ${MB} MB 8 cols (cpu; wc -l wall)" "$(mbs "$cpu_l")" "MB/s" "wc -l" "$(mbs "$best_wc")" ""

# The HS10 what-if on about 1.0 M rows: the real China 2024 Census file
# (../shared/data, never committed) repeated, beside pandas read_csv and wc -l.
HS10=../shared/data/us_imports_hs10_2024_china.csv
TOCALC=${TOCALC:-./tocalc}
if [ -f "$HS10" ] && [ -x "$TOCALC" ]; then
	big=$tmp/hs10.csv
	head -n 1 "$HS10" >"$big"
	rows=$(($(wc -l <"$HS10") - 1))
	k=0
	while [ $((k * rows)) -lt 1000000 ]; do tail -n +2 "$HS10" >>"$big"; k=$((k + 1)); done
	hb=$(wc -c <"$big")
	cat "$big" >/dev/null
	set -- $(best_of "$TOCALC" tariff --partner CN --rate 20 --imports-file "$big")
	t_c=$1 c_c=$2
	set -- $(pandas_time "$big")
	t_pd=$1 c_pd=$2
	set -- $(best_of wc -l "$big")
	t_wc=$1
	echo
	echo "HS10 what-if: tocalc tariff --partner CN --rate 20 --imports-file F,"
	echo "F = the China 2024 file repeated $k times: $((k * rows)) rows, $hb bytes; best of $REPS"
	echo
	echo "| reader                         |   best s |    MB/s | tocalc speed-up |"
	echo "|--------------------------------|----------|---------|-----------------|"
	awk -v n="$hb" -v c="$t_c" -v p="$t_pd" -v w="$t_wc" 'BEGIN {
		printf "| tocalc tariff (end to end)     | %8.3f | %7.0f |           1.00x |\n", c, n / c / 1e6
		if (p != "-") printf "| pandas read_csv (no import)    | %8.3f | %7.0f | %14.2fx |\n", p, n / p / 1e6, p / c
		printf "| wc -l                          | %8.3f | %7.0f | %14.3fx |\n", w, n / w / 1e6, w / c
		printf "\ntargets: under 0.3 s: %s; at least 4x pandas: %s\n", (c < 0.3 ? "met" : "NOT met"),
			(p == "-" ? "no pandas" : (p / c >= 4 ? "met" : "NOT met"))
	}'
	awk -v c="$c_c" -v p="$c_pd" 'BEGIN { if (c != "-") {
		printf "in CPU time: tocalc %.3f s", c
		if (p != "-") printf ", pandas read_csv %.3f s (%.2fx)", p, p / c
		printf "\n" } }'
	# the row in CPU time on both sides (wall when time(1) is absent)
	hw=cpu; hc=$c_c; hp=$c_pd
	if [ "$hc" = "-" ]; then hw=wall; hc=$t_c; hp=$t_pd; fi
	[ "$hp" = "-" ] && hp=
	bench_row "HS10 what-if, $((k * rows)) rows $hb B ($hw)" "$hc" "s" "pandas read_csv" "$hp" "<0.3"
	bench_row "HS10 what-if, $((k * rows)) rows $hb B ($hw; wc -l wall)" "$hc" "s" "wc -l" "$t_wc" ""
else
	echo
	echo "HS10 what-if: $HS10 or $TOCALC absent: skipped"
fi
exit 0
