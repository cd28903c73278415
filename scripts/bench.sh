#!/bin/sh
# Run every benchmark script bench/*.sh and print one table at the end: each
# figure beside its peer's on the same input in the same run, and the ratio
# (peer / tocalc for a time, tocalc / peer for a rate: above 1, tocalc is
# ahead), so a regression shows as a ratio.  The rows are the scripts'
# "BENCH<TAB>..." lines (format: bench/lib.sh); their other lines pass
# through.  Benchmarks are measurements, not tests: they never fail the build.
# usage: scripts/bench.sh [bench/NAME.sh ...]   (default: every bench/*.sh)
set -u
cd "$(dirname "$0")/.." || exit 0
rows=$(mktemp "${TMPDIR:-/tmp}/tocalc-bench-rows.XXXXXX") || exit 0
trap 'rm -f "$rows" "$rows.out"' EXIT INT TERM
[ $# -gt 0 ] || set -- bench/*.sh
for b in "$@"; do
	[ -f "$b" ] || continue
	[ "$b" = bench/lib.sh ] && continue
	echo "== $b =="
	sh "$b" >"$rows.out" 2>&1 || echo "(benchmark $b failed)"
	grep -v "^BENCH	" "$rows.out"
	grep "^BENCH	" "$rows.out" | sed "s|^BENCH	|${b#bench/}	|" >>"$rows"
	echo
done
[ -s "$rows" ] || exit 0
echo "== the benchmark table: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) =="
awk -F '\t' '
function num(x) { return x ~ /^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/ }
function fmt(x) { if (!num(x)) return (x == "" ? "-" : x); x += 0
	return (x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : x >= 1 ? sprintf("%.2f", x) : sprintf("%.3g", x)) }
# "yes"/"no"; "-" without a target; "n/a" when the figure was not measured;
# "bad target" for a target that is not an operator and a number ("1", not "<1")
function meets(v, t,   op, n) {
	if (t == "") return "-"
	op = t; sub(/[-+0-9.eE]+$/, "", op); n = substr(t, length(op) + 1)
	if (op !~ /^(<|<=|>|>=)$/ || !num(n)) return "bad target"
	if (!num(v)) return "n/a"
	n += 0; v += 0
	if (op == "<") return v < n ? "yes" : "no"
	if (op == "<=") return v <= n ? "yes" : "no"
	if (op == ">") return v > n ? "yes" : "no"
	return v >= n ? "yes" : "no"
}
{
	n++; src[n] = $1; name[n] = $2; val[n] = $3; unit[n] = $4; peer[n] = $5; pv[n] = $6; tgt[n] = $7
	ratio[n] = "-"
	if (num($3) && num($6) && $3 + 0 > 0 && $6 + 0 > 0)
		ratio[n] = sprintf("%.2f", ($4 ~ /\/s$/) ? $3 / $6 : $6 / $3)
}
END {
	f = "%-12s %-48s %10s %-5s %-34s %10s %7s %-7s %s\n"
	printf f, "script", "benchmark", "tocalc", "unit", "peer", "peer_value", "ratio", "target", "meets"
	printf f, "------", "---------", "------", "----", "----", "----------", "-----", "------", "-----"
	for (i = 1; i <= n; i++)
		printf f, src[i], name[i], fmt(val[i]), unit[i], (peer[i] == "" ? "-" : peer[i]), fmt(pv[i]),
			ratio[i], (tgt[i] == "" ? "-" : tgt[i]), meets(val[i], tgt[i])
	print ""
	print "ratio: peer / tocalc for a time, tocalc / peer for a rate (above 1: tocalc is ahead)"
}' "$rows"
exit 0
