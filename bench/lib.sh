# bench/lib.sh: helpers shared by the bench/*.sh scripts; source it after
# `cd` to the top of the tree:   . bench/lib.sh
# (not a benchmark itself: scripts/bench.sh skips it).
#
# THE ROW FORMAT.  A benchmark script prints one line per figure on stdout,
# fields separated by one TAB:
#
#   BENCH <TAB> name <TAB> tocalc <TAB> unit <TAB> peer <TAB> peer_value <TAB> target
#
#   name        what is measured, with its input (free text, no TAB)
#   tocalc      tocalc's figure: a plain number in `unit` ("" when not measured)
#   unit        a time, "ms" or "s" (lower is better), or a rate ending in "/s"
#               ("M/s", "MB/s", "rows/s": higher is better)
#   peer        the peer tool, run on the same input in the same run ("" if none)
#   peer_value  the peer's figure in the same unit ("" if none)
#   target      the target in the same unit as an operator and a number,
#               "<1.5" or ">=400" ("" if none)
#
# bench_row prints one.  scripts/bench.sh (make bench) runs every
# bench/*.sh, passes their other lines through, and prints all the rows at
# the end as one table with a ratio column: peer_value / tocalc for a time,
# tocalc / peer_value for a rate, so above 1 tocalc is ahead of its peer
# and a regression shows as a falling ratio, not as a noisy absolute time.
# Any script can emit rows without this file: printf 'BENCH\t%s\t...\n'.

# bench_tmpdir: a temporary directory in $BENCH_TMP, removed at exit.
bench_tmpdir() {
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tocalc-bench.XXXXXX") || exit 1
	trap 'rm -rf "$BENCH_TMP"' EXIT INT TERM
}

# bench_find_python MODULE...: PY = the first python3 that imports every
# MODULE (e.g. numpy scipy), or "" when none does.
bench_find_python() {
	PY=
	_mods=$(echo "$*" | tr ' ' ',')
	for _p in python3 /usr/bin/python3; do
		if "$_p" -c "import $_mods" >/dev/null 2>&1; then
			PY=$_p
			return 0
		fi
	done
	return 1
}

# bench_time NAME RUNS CMD...: wall time of CMD (output discarded) over RUNS
# runs, "mean_ms min_ms" into $BENCH_TMP/NAME: bench/timeit.c (built here
# with cc) times each run from fork() to waitpid(), nothing else; without a
# C compiler, hyperfine; else a plain loop of date(1) calls, which also times
# starting the second date: about 1.5 ms more a run on the 2-core machine
# (/bin/true: 1.8 ms at best against 0.7-0.9 ms), so a millisecond figure
# from that fallback is too high.  (perf stat's elapsed time and its
# duration_time event read a few microseconds for some runs of /bin/true
# here, so perf is not used for wall time.)  A failing CMD leaves
# $BENCH_TMP/NAME empty.
bench_time() {
	_name=$1
	_runs=$2
	shift 2
	: >"$BENCH_TMP/$_name"
	if [ ! -x "$BENCH_TMP/timeit" ] && command -v "${CC:-cc}" >/dev/null 2>&1; then
		"${CC:-cc}" -O2 -o "$BENCH_TMP/timeit" bench/timeit.c >/dev/null 2>&1 || rm -f "$BENCH_TMP/timeit"
	fi
	if [ -x "$BENCH_TMP/timeit" ]; then
		"$BENCH_TMP/timeit" "$_runs" "$@" >"$BENCH_TMP/$_name" 2>/dev/null && return 0
		: >"$BENCH_TMP/$_name"
		return 1
	fi
	if command -v hyperfine >/dev/null 2>&1 && command -v jq >/dev/null 2>&1; then
		hyperfine -N --warmup 3 --runs "$_runs" --export-json "$BENCH_TMP/$_name.json" "$*" \
			>/dev/null 2>&1 &&
			jq -r '.results[0] | "\(.mean * 1000) \(.min * 1000)"' "$BENCH_TMP/$_name.json" \
				>"$BENCH_TMP/$_name" && return 0
	fi
	"$@" >/dev/null 2>&1 || return 1	# one warm-up run, which must succeed
	_min=
	_sum=0
	_i=0
	while [ $_i -lt "$_runs" ]; do
		_a=$(date +%s%N)
		"$@" >/dev/null 2>&1
		_b=$(date +%s%N)
		_d=$(((_b - _a) / 1000))
		_sum=$((_sum + _d))
		_i=$((_i + 1))
		if [ -z "$_min" ] || [ $_d -lt $_min ]; then _min=$_d; fi
	done
	awk -v s=$_sum -v n="$_runs" -v m="$_min" 'BEGIN { printf "%f %f\n", s / n / 1000, m / 1000 }' \
		>"$BENCH_TMP/$_name"
}

# bench_ms NAME: the mean of bench_time NAME in ms ("" when not measured);
# bench_min_ms NAME: its minimum.
bench_ms() {
	[ -s "$BENCH_TMP/$1" ] && awk '{ printf "%.3f", $1 }' "$BENCH_TMP/$1"
	return 0
}
bench_min_ms() {
	[ -s "$BENCH_TMP/$1" ] && awk '{ printf "%.3f", $2 }' "$BENCH_TMP/$1"
	return 0
}

# bench_row NAME TOCALC UNIT PEER PEER_VALUE TARGET: one row (see above).
bench_row() {
	printf 'BENCH\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}
