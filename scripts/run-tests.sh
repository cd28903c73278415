#!/bin/sh
# Run the unit tests (cmocka) and the CLI tests (bats) of one build variant.
# usage: scripts/run-tests.sh [--unit-only|--cli-only] BUILD_DIR TOCALC_BINARY
# TOCALC_WRAP (e.g. a valgrind command line) wraps every program run.
set -u
mode=all
case "${1:-}" in --unit-only|--cli-only) mode=$1; shift ;; esac
build=$1
bin=$2
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
export TOCALC="$bin"
export TOCALC_WRAP="${TOCALC_WRAP:-}"
export LC_ALL=C
fail=0; passed=0; failed=0; cli_ok=0; cli_failed=0; cli_skipped=0
start=$(date +%s)
if [ "$mode" != --cli-only ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		if $TOCALC_WRAP "$t" >"$t.log" 2>&1; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1)); fail=1
			echo "FAILED: $t (log follows)"; cat "$t.log"
		fi
	done
	echo "unit: $passed test programs passed, $failed failed"
fi
if [ "$mode" != --unit-only ]; then
	if ls tests/cli/*.bats >/dev/null 2>&1; then
		bats --formatter tap tests/cli >"$build/cli.tap" 2>&1; rc=$?
		cat "$build/cli.tap"
		cli_ok=$(grep -c '^ok ' "$build/cli.tap"); cli_failed=$(grep -c '^not ok ' "$build/cli.tap")
		cli_skipped=$(grep -c '^ok .* # skip' "$build/cli.tap")
		echo "cli: $cli_ok tests passed ($cli_skipped skipped), $cli_failed failed"
		[ $rc -eq 0 ] || fail=1
	fi
fi
secs=$(( $(date +%s) - start ))
summary="unit $passed/$((passed + failed)) programs, cli $cli_ok/$((cli_ok + cli_failed)) tests ($cli_skipped skipped), $((secs / 60))m$((secs % 60))s${TOCALC_WRAP:+, under ${TOCALC_WRAP%% *}}"
if [ $fail -eq 0 ]; then echo "ALL TESTS PASSED: $summary"; else echo "SOME TESTS FAILED: $summary"; fi
exit $fail
