#!/usr/bin/env bats
# tocalc tariff rates: the effective tariff rate from the legal stack (issue 12).
# Expected values: Census 2024 duty over imports, the legal texts, and the
# tracker's USMCA shares recomputed here with awk, not with tocalc.

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	SHARED="$ROOT/../shared/data"
}

@test "rates --as-of: China 2024 within 2 points of Census duty over imports" {
	need_jq
	run T --json tariff rates --partner CN --as-of 2024-06-30
	[ "$status" -eq 0 ]
	# Census 2024: 46,661,215,871 / 429,425,828,419 = 10.866%; tolerance: test_rates.c
	jq -e '[.totals[] | select(.partner == "CN")][0].effective_pct
		| . > 8.866 and . < 12.866' <<<"$output"
}

@test "rates: an approximated layer is named in a note" {
	run T tariff rates --partner CN --as-of 2024-06-30
	[ "$status" -eq 0 ]
	[[ "$output" == *"note: approximated: CN layer s232_steel: "*"chapter approximation"* ]]
	run T tariff rates --partner ROW --as-of 2025-06-01
	[ "$status" -eq 0 ]
	[[ "$output" == *"note: approximated: ROW layer ieepa_reciprocal"* ]]
	# CSV has no place for notes: they go to stderr (not with --quiet), the CSV stays clean
	T --csv tariff rates --partner CN --from 2024-06-30 --to 2024-06-30 >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e"
	grep -q '^tocalc: note: approximated: CN layer s232_steel' "$BATS_TEST_TMPDIR/e"
	! grep -q note "$BATS_TEST_TMPDIR/o"
	T --quiet --csv tariff rates --partner CN --from 2024-06-30 --to 2024-06-30 2>"$BATS_TEST_TMPDIR/e" >/dev/null
	[ ! -s "$BATS_TEST_TMPDIR/e" ]
}

@test "rates: ROW pays the 10% reciprocal baseline from 2025-04-05 to the ruling" {
	run T --quiet --csv tariff rates --partner ROW --from 2025-04-04 --to 2025-04-05
	[ "$status" -eq 0 ]
	# the series, then the document's metadata as constant columns (one CSV, one table)
	[[ "${lines[0]}" == "date,ROW,"* ]]
	[[ "${lines[1]}" == "2025-04-04,0,"* ]]
	[[ "${lines[2]}" == "2025-04-05,10,"* ]]
	run T --quiet --csv tariff rates --partner ROW --from 2026-02-19 --to 2026-02-20
	[[ "${lines[1]}" == "2026-02-19,10,"* ]]
	[[ "${lines[2]}" == "2026-02-20,0,"* ]]
}

@test "rates: Mexico's fentanyl layer reaches only non-USMCA goods (March 2025 share, recomputed)" {
	need_jq
	[ -d "$SHARED/tariff-tracker" ] || skip "../shared/data is absent"
	run T --json tariff rates --partner MX --as-of 2025-03-10
	[ "$status" -eq 0 ]
	got=$(jq '[.layers[] | select(.layer == "ieepa_fentanyl")][0].coverage' <<<"$output")
	# 1 - USMCA share of March 2025, 2024 HTS10 weights, carve-out lines left out
	want=$(awk -F, 'FNR == 1 { f++; next }
		f == 1 { if ($3 == "potash_mx") c[$1] = 1; next }
		f == 2 && $2 == "2010" { u[$1] = $3; next }
		f == 3 { v = $(NF-1); t += v; if (!(substr($1, 1, 8) in c)) n += v * (1 - u[$1]) }
		END { printf "%.4f", n / t }' \
		"$SHARED/tariff-tracker/fentanyl_carveout_products.csv" \
		"$SHARED/tariff-tracker/usmca_product_shares_2025_03.csv" \
		"$SHARED/us_imports_hs10_2024_mexico.csv")
	echo "tocalc $got, awk $want"
	[ "$(printf '%.4f' "$got")" = "$want" ]
}

# The potash dates (EO 14231 for Canada, EO 14232 for Mexico, both of
# 2025-03-06; CBP applies them from 12:01 a.m. EST 2025-03-07: sources.csv
# cbp-90fr11743, cbp-90fr11746). From 2025-03-04 to 2025-03-06 potash paid the
# general 25% with every other good (no USMCA exemption yet); Canada's energy
# lines paid 10%, all of them (energy share 0.305157, not the non-USMCA
# 0.095514). From 2025-03-07 non-USMCA potash and energy pay 10%. Statutory rates:
# fentanyl 25, energy 10, potash 10, Section 232 0 for both (lifted 2019-05-20),
# MFN 0.2484 (MX) and 0.1005 (CA) (tariffs.csv rows mfn-mx/ca-2017-01-01).
# Shares: datasets/tariff_coverage.csv, written by scripts/derive-coverage.py.
#   MX 2025-03-05: all goods 1.000000
#     0.2484 + 25 x 1.000000                                   = 25.2484
#   MX 2025-03-10: non-USMCA 0.491169, potash 0.000043 (March 2025)
#     0.2484 + 25 x 0.491169 + 10 x 0.000043
#       = 0.2484 + 12.279225 + 0.00043                         = 12.528055
#   CA 2025-03-05: all goods outside energy 0.694843, all energy lines 0.305157
#     0.1005 + 25 x 0.694843 + 10 x 0.305157
#       = 0.1005 + 17.371075 + 3.05157                         = 20.523145
#   CA 2025-03-10: non-USMCA 0.388578, energy 0.095514, potash 0.007361
#     0.1005 + 25 x 0.388578 + 10 x 0.095514 + 10 x 0.007361
#       = 0.1005 + 9.71445 + 0.95514 + 0.07361                 = 10.8437
# Before the fix potash was at 10% from 2025-03-04 and out of the all-goods
# share, and Canada's energy share on 2025-03-04..06 was the non-USMCA one:
# MX 25.2478 and CA 18.3163 on 2025-03-05.
@test "rates: Mexico's potash pays the general 25% to 2025-03-06, 10% from 2025-03-07 (hand-derived)" {
	need_jq
	run T --quiet --json tariff rates --partner MX --as-of 2025-03-05
	[ "$status" -eq 0 ]
	jq -e '[.totals[] | select(.partner == "MX")][0].effective_pct
		| (. * 10000 | round) == 252484' <<<"$output"
	jq -e '[.layers[] | select(.layer == "ieepa_fentanyl_mx_potash")] | length == 0' <<<"$output"
	run T --quiet --json tariff rates --partner MX --as-of 2025-03-10
	[ "$status" -eq 0 ]
	jq -e '[.totals[] | select(.partner == "MX")][0].effective_pct
		| (. * 10000 | round) == 125281' <<<"$output"
	jq -e '[.layers[] | select(.layer == "ieepa_fentanyl_mx_potash")][0]
		| .row == "ieepa-fent-mx-potash-2025-03-07" and .statutory_pct == 10' <<<"$output"
}

@test "rates: Canada's potash pays the general 25% to 2025-03-06, 10% from 2025-03-07, all its energy 10% (hand-derived)" {
	need_jq
	run T --quiet --json tariff rates --partner CA --as-of 2025-03-05
	[ "$status" -eq 0 ]
	jq -e '[.totals[] | select(.partner == "CA")][0].effective_pct
		| (. * 10000 | round) == 205231' <<<"$output"
	jq -e '[.layers[] | select(.layer == "ieepa_fentanyl_ca_potash")] | length == 0' <<<"$output"
	run T --quiet --json tariff rates --partner CA --as-of 2025-03-10
	[ "$status" -eq 0 ]
	jq -e '[.totals[] | select(.partner == "CA")][0].effective_pct
		| (. * 10000 | round) == 108437' <<<"$output"
	jq -e '[.layers[] | select(.layer == "ieepa_fentanyl_ca_potash")][0]
		| .row == "ieepa-fent-ca-potash-2025-03-07" and .statutory_pct == 10' <<<"$output"
}

@test "rates --monthly: one row per month, and the import-weighted all column" {
	run T --quiet --csv tariff rates --from 2025-01-01 --to 2025-12-31 --monthly
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "date,CN,MX,CA,ROW,all,"* ]]
	[ "${#lines[@]}" -eq 13 ]
	[[ "${lines[12]}" == 2025-12-01,* ]]
}

@test "rates: usage errors exit 2" {
	run T tariff rates --from 2025-01-01
	[ "$status" -eq 2 ]; [[ "$output" == *"--from and --to go together"* ]]
	run T tariff rates --partner XX
	[ "$status" -eq 2 ]; [[ "$output" == *"unknown partner 'XX'"* ]]
	run T tariff rates --as-of 2010-01-01
	[ "$status" -eq 2 ]; [[ "$output" == *"--as-of"*"outside the tariff timeline"* ]]
}

@test "data validate: overlapping layer, share outside [0, 1], unknown source: file:line:col, exit 1" {
	cp -r "$ROOT/datasets" "$BATS_TEST_TMPDIR/d"
	echo 'dup,2025-06-01,day,,ALL,ieepa_reciprocal,x,IEEPA,20,all_goods,in_effect,eo-14257,' \
		>>"$BATS_TEST_TMPDIR/d/tariffs.csv"
	n=$(wc -l <"$BATS_TEST_TMPDIR/d/tariffs.csv")
	run T --data-dir "$BATS_TEST_TMPDIR/d" data validate tariffs
	[ "$status" -eq 1 ]; [[ "$output" == *"tariffs.csv:$n:2: column 'effective': layer 'ieepa_reciprocal' for ALL overlaps"* ]]
	cp "$ROOT/datasets/tariffs.csv" "$BATS_TEST_TMPDIR/d/tariffs.csv"
	sed -i '3s/,0\.[0-9]*,\([01]\),/,1.5,\1,/' "$BATS_TEST_TMPDIR/d/tariff_coverage.csv"
	run T --data-dir "$BATS_TEST_TMPDIR/d" data validate tariff_coverage
	[ "$status" -eq 1 ]; [[ "$output" == *"tariff_coverage.csv:3:7: column 'share'"* ]]
	cp "$ROOT/datasets/tariff_coverage.csv" "$BATS_TEST_TMPDIR/d/tariff_coverage.csv"
	sed -i '4s/,census-hs10-2024;/,no-such-source;/' "$BATS_TEST_TMPDIR/d/tariff_coverage.csv"
	run T --data-dir "$BATS_TEST_TMPDIR/d" data validate tariff_coverage
	[ "$status" -eq 1 ]; [[ "$output" == *"tariff_coverage.csv:4:11: column 'source': source 'no-such-source' is not in sources.csv"* ]]
}

@test "tariff_coverage.csv is re-derived byte for byte from ../shared/data" {
	[ -d "$SHARED/tariff-tracker" ] || skip "../shared/data is absent"
	command -v python3 >/dev/null || skip "python3 not installed"
	python3 "$ROOT/scripts/derive-coverage.py" "$SHARED" >"$BATS_TEST_TMPDIR/cov.csv"
	cmp "$BATS_TEST_TMPDIR/cov.csv" "$ROOT/datasets/tariff_coverage.csv"
}

@test "plot effective-rates: the China steps are the rates of 'tariff rates'; events marked; no file names" {
	run T plot effective-rates --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\nChina\n'* && "$output" == *$'\nIEEPA ruling\n'* ]]
	[[ "$output" != *".csv"* ]]
	# the first series (China): at 2025-04-10 (epoch 1744243200) the rate of 'tariff rates'
	want=$(T --csv tariff rates --partner CN --from 2025-04-10 --to 2025-04-10 | tail -1 | csv_round "- 4" | cut -d, -f2)
	got=$(printf '%s\n' "$output" | awk '/^\$DATA << /{on=1;next} /^TOCALC_DATA_END$/{on=0} on' |
		awk 'BEGIN{RS=""} NR==1' | awk '$1 == 1744243200 { printf "%.4f", $2 }')
	echo "plot $got, rates $want"
	[ -n "$got" ] && [ "$got" = "$want" ]
	need_gnuplot
	run T plot effective-rates -o "$BATS_TEST_TMPDIR/e.svg"
	[ "$status" -eq 0 ]
	head -c 5 "$BATS_TEST_TMPDIR/e.svg" | grep -q '<?xml'
}
