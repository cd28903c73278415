#!/usr/bin/env bats
# tocalc tariff gsim: the multi-region GSIM (docs/gsim.md).  Expected numbers
# come from the independent numpy/scipy peer bench/gsim/gsim.py on the same
# files, or from the closed form of the one-market case; errors are exact.

load helpers
bats_require_minimum_version 1.5.0

# near A B: |A - B| <= 1e-8 (1 + |B|)
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(a != "" && d <= 1e-8 * (1 + m)) }'; }

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	D="$ROOT/tests/data/gsim"
	EX="$ROOT/examples/gsim/francois-hall-us-jp.gsim"
}

@test "gsim: the linearised GSIM reproduces the world prices the GSIM spreadsheet reports" {
	# US-EU agreement: US +7.92%, JP -3.16%, EU +4.80%, RW -1.84% (docs/gsim.md)
	run T --quiet --csv tariff gsim "$ROOT/examples/gsim/francois-hall-us-eu.gsim"
	[ "$status" -eq 0 ]
	lin=$(printf '%s\n' "$output" | awk -F, 'NR > 1 && NR <= 5 { printf "%s=%.2f ", $1, $6 }')
	[ "$lin" = "US=7.92 JP=-3.16 EU=4.80 RW=-1.84 " ]
}

@test "gsim: the Francois-Hall example, as the numpy/scipy peer solves it" {
	need_jq
	run T --json tariff gsim "$EX"
	[ "$status" -eq 0 ]
	# bench/gsim/gsim.py: JP world price +12.5897180976%, US net welfare -50.1158170308
	jp=$(printf '%s' "$output" | jq -r '.regions[] | select(.region == "JP") | .world_price_change_pct')
	us=$(printf '%s' "$output" | jq -r '.regions[] | select(.region == "US") | .net_welfare')
	near "$jp" 12.5897180976
	near "$us" -50.1158170308
	[ "$(printf '%s' "$output" | jq '.flows | length')" -eq 14 ]
	# the sum of the peer's four net welfare figures
	near "$(printf '%s' "$output" | jq -r .world_net_welfare)" -22.1535840400
}

@test "gsim: the one-market case in separate CSV files equals the closed form" {
	files=(--regions "$D/regions.csv" --flows "$D/flows.csv" --tariff-before "$D/tariff_before.csv"
	       --tariff-after "$D/tariff_after.csv")
	run T --quiet --csv tariff gsim "${files[@]}"
	[ "$status" -eq 0 ]
	# P* = 1.25^(-2/5) - 1 = -8.5390%; q = 1.25^(-6/5) - 1 = -23.4918%; the exporter A column empty
	# (CSV keeps full precision: rounded here to the decimals of the hand derivation)
	output=$(echo "$output" | csv_round "- 3 3 3 4 4 4 3 3")
	[[ "$output" == *$'\nB,0.500,1.000,3.000,-8.5390,-10.0000,,100.000,69.975,'* ]]
	[[ "$output" == *$'\nA,2.000,4.000,inf,,,14.3263,'* ]]
	run T --quiet --csv --table flows tariff gsim "${files[@]}"
	[[ "$(echo "$output" | csv_round "- - 3 3 3 3 4")" == *$'\nB,A,0.000,25.000,100.000,69.975,-23.4918'* ]]
	# and the one-file form gives the same output
	run T --quiet --csv tariff gsim "$D/one-market.gsim"
	[[ "$(echo "$output" | csv_round "- 3 3 3 4 4 4 3 3")" == *$'\nB,0.500,1.000,3.000,-8.5390,-10.0000,,100.000,69.975,'* ]]
}

@test "gsim: bad input exits 1 with file:line:col and nothing on stdout" {
	run --separate-stderr T tariff gsim "$D/bad-shape.gsim"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "tocalc: $D/bad-shape.gsim:8: missing column 'B'" ]
	run --separate-stderr T tariff gsim "$D/bad-negative.gsim"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "tocalc: $D/bad-negative.gsim:10:2: column 'A': expected a non-negative number, got \"-100\"" ]
	run --separate-stderr T tariff gsim "$D/bad-notrade.gsim"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "tocalc: $D/bad-notrade.gsim:5:1: column 'region': region 'C' has no trade (its row and column in the flows are all zero)" ]
}

@test "gsim: an unsolvable system exits 1 with the reason and the region" {
	run --separate-stderr T tariff gsim "$D/bad-unsolvable.gsim"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "tocalc: $D/bad-unsolvable.gsim: gsim: the world price of 'B' is indeterminate: its export supply elasticity is 0 and no importer's demand for its goods responds to its price (demand and substitution elasticities 0); give one of them a positive value" ]
}

@test "gsim: usage errors exit 2; --help exits 0" {
	run T tariff gsim
	[ "$status" -eq 2 ]
	[ "$output" = "tocalc: tariff gsim: expected a GSIM FILE (docs/gsim.md)" ]
	run T tariff gsim "$EX" --flows "$D/flows.csv"
	[ "$status" -eq 2 ]
	run T tariff gsim --regions "$D/regions.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "tocalc: tariff gsim: --flows is missing (the four tables go together)" ]
	run T tariff gsim --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: tocalc tariff gsim FILE"* ]]
	run T tariff gsim "$D/does-not-exist.gsim"
	[ "$status" -eq 1 ]
}

@test "tariff run FILE.gsim is the multi-region GSIM, the same as tariff gsim FILE" {
	f="$BATS_TEST_DIRNAME/../../examples/gsim/francois-hall-us-eu.gsim"
	a=$(T tariff run "$f" --json | jq -c .regions)
	b=$(T tariff gsim "$f" --json | jq -c .regions)
	[ "$a" = "$b" ]
	# the published linearised world-price change of the US (+7.92%), next to the exact one
	[ "$(jq -r '.[] | select(.region == "US") | .world_price_change_linear_pct * 100 | round / 100' <<<"$a")" = "7.92" ]
}
