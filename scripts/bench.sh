#!/bin/sh
# Run every benchmark script bench/*.sh (each prints its own table beside its
# peer tool). Benchmarks are measurements, not tests: they never fail the build.
set -u
cd "$(dirname "$0")/.."
for b in bench/*.sh; do
	[ -f "$b" ] || continue
	echo "== $b =="
	sh "$b" || echo "(benchmark $b failed)"
	echo
done
