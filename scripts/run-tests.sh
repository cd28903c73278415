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
fail=0; passed=0; failed=0
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
		n=$(grep -c '^ok ' "$build/cli.tap"); nf=$(grep -c '^not ok ' "$build/cli.tap")
		echo "cli: $((n)) tests passed, $nf failed"
		[ $rc -eq 0 ] || fail=1
	fi
fi
if [ $fail -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit $fail
