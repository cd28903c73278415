#!/bin/sh
# scripts/fuzz.sh: build and run every libFuzzer harness tests/fuzz/fuzz_*.c.
#
# usage: scripts/fuzz.sh [SECONDS] [NAME...]   fuzz each harness for SECONDS (default 30)
#        scripts/fuzz.sh --runs N [NAME...]    fuzz each harness for N executions
#        scripts/fuzz.sh --replay [NAME...]    run each harness once over its seed corpus
#                                              and regressions (no fuzzing; a quick check)
# NAME selects harnesses (fuzz_NAME.c); default: all.  `make fuzz FUZZ_SECONDS=N`
# runs `scripts/fuzz.sh N`.
#
# Conventions (for anyone adding a harness):
#   tests/fuzz/fuzz_<name>.c      the harness: defines LLVMFuzzerTestOneInput() and
#                                 calls abort() when an invariant breaks.
#   first line of the harness     may declare the sources it links, relative to the top:
#                                     /* fuzz-sources: src/tcsv.c src/util.c */
#                                 Without that line: every src/*.c except src/main.c.
#   tests/fuzz/corpus/<name>/     seed inputs (committed, small; read-only for the run).
#   tests/fuzz/fuzz_<name>.dict   optional libFuzzer dictionary, passed as -dict=.
#   tests/fuzz/regressions/<name>/ inputs that once crashed (committed).  Replayed before
#                                 every fuzzing run, by --replay, and ideally by the
#                                 module's unit test (tests/unit/test_tcsv.c #includes
#                                 fuzz_tcsv.c and replays both directories).
#   $FUZZ_BUILD/<name>            the binary; $FUZZ_BUILD/corpus/<name>/ the growing corpus;
#                                 $FUZZ_BUILD/crashes/<name>/ crash-*, leak-*, timeout-*
#                                 artifacts: fix the bug, then copy the input into
#                                 tests/fuzz/regressions/<name>/.
#
# Build: $CLANG -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
#        -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE <sources>
#        -lcsv -ljansson -lgsl -lgslcblas -lm
#
# Environment: CLANG (default clang-14), FUZZ_BUILD (default build/fuzz),
#   FUZZ_JOBS (parallel fuzzing processes per harness, sharing the corpus; default 1;
#   with --runs N each process runs N executions),
#   FUZZ_FLAGS (extra libFuzzer flags, e.g. -max_len=16384).
# Output: libFuzzer's log per harness in $FUZZ_BUILD/<name>.log and a summary table.
# Exit status: 0 when every harness ran clean, 1 on a crash or build failure, 2 on usage.
set -u

CLANG=${CLANG:-clang-14}
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_JOBS=${FUZZ_JOBS:-1}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11"
CPPFLAGS="-Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
LIBS="-lcsv -ljansson -lgsl -lgslcblas -lm"

mode="time"
seconds=30
runs=0
case "${1:-}" in
--replay) mode=replay; shift ;;
--runs) mode=runs; runs=${2:?"--runs needs a number"}; shift 2 ;;
-h|--help) sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
'') ;;
*[!0-9]*) ;;
*) seconds=$1; shift ;;
esac

cd "$(dirname "$0")/.." || exit 2
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz.sh: $CLANG not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 2
fi

harnesses=
if [ $# -gt 0 ]; then
	for n in "$@"; do
		[ -f "tests/fuzz/fuzz_$n.c" ] || { echo "fuzz.sh: no tests/fuzz/fuzz_$n.c" >&2; exit 2; }
		harnesses="$harnesses tests/fuzz/fuzz_$n.c"
	done
else
	harnesses=$(ls tests/fuzz/fuzz_*.c 2>/dev/null)
fi
if [ -z "$harnesses" ]; then
	echo "fuzz.sh: no harnesses in tests/fuzz/" >&2
	exit 0
fi

mkdir -p "$FUZZ_BUILD"
status=0
summary=$FUZZ_BUILD/summary.txt
printf '%-16s %-8s %14s %10s %10s\n' harness result executions seconds exec/s >"$summary"

for h in $harnesses; do
	name=$(basename "$h" .c)
	name=${name#fuzz_}
	bin=$FUZZ_BUILD/fuzz_$name
	log=$FUZZ_BUILD/$name.log
	# sources: the first line's "fuzz-sources:" list, else every src/*.c but main.c
	srcs=$(sed -n '1s|^/\* *fuzz-sources: *\(.*[^ ]\) *\*/ *$|\1|p' "$h")
	if [ -z "$srcs" ]; then
		for f in src/*.c; do
			[ "$f" = src/main.c ] || srcs="$srcs $f"
		done
	fi
	echo "== $name: $CLANG ... $h $srcs"
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS $CPPFLAGS -o "$bin" "$h" $srcs $LIBS; then
		printf '%-16s %-8s %14s %10s %10s\n' "$name" "no-build" - - - >>"$summary"
		status=1
		continue
	fi
	corpus=$FUZZ_BUILD/corpus/$name
	crashes=$FUZZ_BUILD/crashes/$name
	seeds=tests/fuzz/corpus/$name
	regs=tests/fuzz/regressions/$name
	mkdir -p "$corpus" "$crashes"
	dirs=
	[ -d "$regs" ] && dirs="$dirs $regs"
	[ -d "$seeds" ] && dirs="$dirs $seeds"

	# regressions and seeds first: each must run clean
	start=$(date +%s)
	# shellcheck disable=SC2086
	if ! "$bin" -runs=0 -artifact_prefix="$crashes/" $dirs >"$log.replay" 2>&1; then
		echo "fuzz.sh: $name: a regression or seed input fails (see $log.replay)" >&2
		tail -30 "$log.replay" >&2
		printf '%-16s %-8s %14s %10s %10s\n' "$name" "REPLAY" - - - >>"$summary"
		status=1
		continue
	fi
	if [ $mode = replay ]; then
		n=$(grep -o 'Done [0-9]* runs' "$log.replay" | tail -1 | tr -dc 0-9)
		printf '%-16s %-8s %14s %10s %10s\n' "$name" replay "${n:-?}" \
			$(( $(date +%s) - start )) - >>"$summary"
		continue
	fi

	if [ $mode = runs ]; then
		limit="-runs=$runs"
	else
		limit="-max_total_time=$seconds"
	fi
	dict=
	[ -f "tests/fuzz/fuzz_$name.dict" ] && dict="-dict=tests/fuzz/fuzz_$name.dict"
	echo "== $name: fuzzing ($limit, $FUZZ_JOBS process(es)) $dict"
	start=$(date +%s)
	# FUZZ_JOBS independent processes sharing the corpus directory (libFuzzer
	# reloads it), each with its own log; this is much faster than -fork mode.
	rm -f "$log".[0-9]*
	j=1
	pids=
	while [ $j -le "$FUZZ_JOBS" ]; do
		# shellcheck disable=SC2086
		"$bin" $limit $dict -print_final_stats=1 -artifact_prefix="$crashes/" $FUZZ_FLAGS \
			"$corpus" $dirs >"$log.$j" 2>&1 &
		pids="$pids $!"
		j=$((j + 1))
	done
	rc=0
	for p in $pids; do
		wait "$p" || rc=1
	done
	secs=$(( $(date +%s) - start ))
	cat "$log".[0-9]* >"$log"
	# executions: the sum over the processes (final stats are printed on a crash too)
	n=$(awk '/^stat::number_of_executed_units:/ { s += $2 } END { print s + 0 }' "$log")
	if [ $rc -eq 0 ] && ! grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|runtime error' "$log"; then
		result=ok
	else
		result=CRASH
		status=1
		echo "fuzz.sh: $name crashed; artifacts in $crashes/ (log: $log)" >&2
		grep -m1 -A25 'ERROR:\|runtime error\|invariant failed' "$log" >&2
	fi
	printf '%-16s %-8s %14s %10s %10s\n' "$name" "$result" "$n" "$secs" \
		"$([ "$secs" -gt 0 ] && echo $((n / secs)) || echo -)" >>"$summary"
done

echo
cat "$summary"
exit $status
