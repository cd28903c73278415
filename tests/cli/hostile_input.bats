#!/usr/bin/env bats
# Hostile input and messages (issue 19, items 7 and 14; docs/guarantees.md,
# "Input and messages"): nothing read from a file or a flag is silently
# skipped, wrapped or rounded, and every bad input is named with its file,
# line, column or parameter.  Each test is a few invocations: cheap under
# valgrind (TOCALC_WRAP).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	W="$BATS_TEST_TMPDIR"
	HDR='"State","Year","Month","Period","Indicator","Data Value","Percent Complete","Percent Pending Investigation","State Name","Footnote","Footnote Symbol","Predicted Value"'
}

# A raw VSRR file of the US, all_drugs, Jan-Mar 2015; $1 the jurisdiction
# of the first row, $2 of the last, $3 the Data Value of the middle row.
vsrr3() {
	printf '%s\n' "$HDR"
	printf '"%s","2015","January","12 month-ending","Number of Drug Overdose Deaths","47,523","100","0.1","United States","x","**",""\n' "$1"
	printf '"US","2015","February","12 month-ending","Number of Drug Overdose Deaths","%s","100","0.1","United States","x","**",""\n' "$3"
	printf '"%s","2015","March","12 month-ending","Number of Drug Overdose Deaths","47,900","100","0.1","United States","x","**",""\n' "$2"
}

@test "import-vsrr: 'US ' and 'us' are the US, never a silently dropped month" {
	vsrr3 'US ' 'us' '47,700' > "$W/20260101_v.csv"
	run --separate-stderr T data import-vsrr "$W/20260101_v.csv" --indicator all_drugs -o -
	[ "$status" -eq 0 ]
	# three months: 2015-01 (from "US ") to 2015-03 (from "us")
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == 2015-01,US,all_drugs,47523,* ]]
	[[ "${lines[3]}" == 2015-03,US,all_drugs,47900,* ]]
}

@test "import-vsrr: a jurisdiction that is not a code is an error at file:line:col" {
	vsrr3 'US' 'U.S.' '47,700' > "$W/20260101_v.csv"
	run T data import-vsrr "$W/20260101_v.csv" --indicator all_drugs -o -
	[ "$status" -eq 1 ]
	[[ "$output" == *"20260101_v.csv:4:1: column 'State': expected a 2-letter jurisdiction code, got \"U.S.\""* ]]
}

@test "import-vsrr: rows not kept are counted and reported" {
	{ vsrr3 US US 47,700
	  printf '"OH","2015","January","12 month-ending","Number of Drug Overdose Deaths","3,000","100","0","Ohio","x","**",""\n'
	  printf '"US","2015","January","3 month-ending","Number of Drug Overdose Deaths","12,000","100","0","United States","x","**",""\n'
	} > "$W/20260101_v.csv"
	run T data import-vsrr "$W/20260101_v.csv" --indicator all_drugs -o "$W/out.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"wrote 3 rows (of 5 raw rows; not kept: 1 other periods, 1 other jurisdictions)"* ]]
}

@test "import-vsrr: a count written 47.000 is refused as ambiguous, 47,000 is 47000" {
	vsrr3 US US '47.000' > "$W/20260101_v.csv"
	run T data import-vsrr "$W/20260101_v.csv" --indicator all_drugs -o -
	[ "$status" -eq 1 ]
	[[ "$output" == *"20260101_v.csv:3:6: column 'Data Value': \"47.000\" is ambiguous"* ]]
	vsrr3 US US '47,000' > "$W/20260101_v.csv"
	run --separate-stderr T data import-vsrr "$W/20260101_v.csv" --indicator all_drugs -o -
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" == 2015-02,US,all_drugs,47000,* ]]
}

@test "--seed beyond 32 bits (or 0) is refused with the range, not wrapped" {
	# gsl_rng_set(mt19937) keeps 32 bits: 4294967297 would be seed 1, and 0 would be 4357
	for s in 4294967297 0 -1; do
		run T tariff --partner CN --rate 20 --draws 10 --seed "$s"
		[ "$status" -eq 2 ]
		[[ "$output" == *"--seed: expected a seed from 1 to 4294967295"*"got '$s'"* ]]
	done
	run T overdose joinpoint --max-joinpoints 0 --seed 4294967296
	[ "$status" -eq 2 ]
	[[ "$output" == *"--seed: expected a seed from 1 to 4294967295"* ]]
	sed 's/^seed 1$/seed 4294967297/' "$ROOT/scenarios/china-200.scn" >"$W/s.scn"
	grep -q '^seed 4294967297$' "$W/s.scn"
	run T tariff run "$W/s.scn"
	[ "$status" -ne 0 ]
	[[ "$output" == *"s.scn:"*"'seed': expected a seed from 1 to 4294967295"* ]]
	# the largest seed is taken
	run T tariff --partner CN --rate 20 --draws 10 --seed 4294967295
	[ "$status" -eq 0 ]
}

@test "CSV keeps full precision: a p-value of 9e-11 is not 0.0000" {
	need_jq
	run --separate-stderr T overdose joinpoint --from 1999 --to 2015 --max-joinpoints 0 --csv
	[ "$status" -eq 0 ]
	p=$(echo "$output" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "p_value") c = i } NR == 2 { print $c }')
	run --separate-stderr T overdose joinpoint --from 1999 --to 2015 --max-joinpoints 0 --json
	j=$(echo "$output" | jq -r '.segments[0].p_value')
	echo "csv $p json $j"
	# the same double as JSON (jansson's own %.17g), and not rounded away
	awk -v a="$p" -v b="$j" 'BEGIN { exit !(a + 0 == b + 0 && a + 0 > 0 && a + 0 < 1e-6) }'
}

@test "claims.csv: a layer or date the tariff timeline lacks fails validate, check and report with exit 1 and claims.csv:line:col" {
	mkdir -p "$W/d"
	cp -r "$ROOT"/datasets/* "$W/d/"
	sed -i '2s/,ieepa_fentanyl,/,no_such_layer,/' "$W/d/claims.csv"
	grep -q no_such_layer "$W/d/claims.csv"
	run T --data-dir "$W/d" data validate claims
	[ "$status" -eq 1 ]
	[[ "$output" == *"claims.csv:2:12: claim 'fentanyl-tariff-20': column 'layer': no layer 'no_such_layer' for CN"* ]]
	run T --quiet --data-dir "$W/d" check
	[ "$status" -eq 1 ]
	[[ "$output" == *"claims.csv:2:12:"* ]]
	run T --quiet --data-dir "$W/d" report --no-plots
	[ "$status" -eq 1 ]
	[[ "$output" == *"claims.csv:2:12:"* && "$output" != *".scn"* ]]
	# a date outside the timeline, and 'to' before 'from'
	cp "$ROOT/datasets/claims.csv" "$W/d/claims.csv"
	sed -i '2s/,2025-03-04,2026-02-20,/,1990-03-04,2026-02-20,/' "$W/d/claims.csv"
	run T --data-dir "$W/d" data validate claims
	[ "$status" -eq 1 ]
	[[ "$output" == *"claims.csv:2:13: claim 'fentanyl-tariff-20': column 'from': 1990-03-04 is outside the tariff timeline"* ]]
	cp "$ROOT/datasets/claims.csv" "$W/d/claims.csv"
	sed -i '2s/,2025-03-04,2026-02-20,/,2025-03-04,2024-02-20,/' "$W/d/claims.csv"
	run T --data-dir "$W/d" data validate claims
	[ "$status" -eq 1 ]
	[[ "$output" == *"claims.csv:2:14: claim 'fentanyl-tariff-20': column 'to': 2024-02-20 is before 'from' 2025-03-04"* ]]
}

@test "parameters.csv: us_households of 0.5 fails validate, tariff and report with exit 1, the line and the parameter" {
	mkdir -p "$W/d"
	cp -r "$ROOT"/datasets/* "$W/d/"
	sed -i 's/^us_households,132737146,/us_households,0.5,/' "$W/d/parameters.csv"
	line=$(grep -n '^us_households,0.5,' "$W/d/parameters.csv" | cut -d: -f1)
	[ -n "$line" ]
	msg="parameters.csv:$line:2: column 'value': parameter 'us_households': expected a whole number of households, at least 1"
	run T --data-dir "$W/d" data validate parameters
	[ "$status" -eq 1 ]; [[ "$output" == *"$msg"* ]]
	run T --quiet --data-dir "$W/d" tariff --partner CN --rate 20
	[ "$status" -eq 1 ]; [[ "$output" == *"$msg"* ]]
	run T --quiet --data-dir "$W/d" report --no-plots
	[ "$status" -eq 1 ]; [[ "$output" == *"$msg"* && "$output" != *".scn"* ]]
	# another out-of-range parameter: a share above 1
	cp "$ROOT/datasets/parameters.csv" "$W/d/parameters.csv"
	sed -i 's/^pass_through_border,1.0,/pass_through_border,1.5,/' "$W/d/parameters.csv"
	run T --data-dir "$W/d" data validate parameters
	[ "$status" -eq 1 ]
	[[ "$output" == *"parameters.csv:"*":2: column 'value': parameter 'pass_through_border': expected a share in [0, 1], got 1.5"* ]]
}

@test "--as-of 9999-12-31 is out of the supported range (said so), 2025-02-30 not a calendar day" {
	run T tariff --partner CN --rate 20 --as-of 9999-12-31
	[ "$status" -eq 2 ]
	[[ "$output" == *"--as-of: '9999-12-31' is out of the supported range of dates, 1900-01-01 to 2199-12-31"* ]]
	run T tariff rates --partner CN --as-of 2025-02-30
	[ "$status" -eq 2 ]
	[[ "$output" == *"--as-of: '2025-02-30' is not a day of the calendar (2025-02 has days 01 to 28)"* ]]
	# the same rule for --vintage and a scenario file's as-of (one explainer, util.c)
	run T overdose value --vintage 2024-02-30
	[ "$status" -eq 2 ]
	[[ "$output" == *"--vintage: '2024-02-30' is not a day of the calendar (2024-02 has days 01 to 29)"* ]]
	run T overdose value --vintage 2025-13-01
	[ "$status" -eq 2 ]
	[[ "$output" == *"--vintage: '2025-13-01' has no month 13"* ]]
	printf 'tocalc-scenario 1\nname leap\nas-of 2025-02-29\npartner CN rate 20\n' >"$BATS_TEST_TMPDIR/leap.scn"
	run T tariff run "$BATS_TEST_TMPDIR/leap.scn"
	[ "$status" -eq 1 ]
	[[ "$output" == *"leap.scn:3: 'as-of': '2025-02-29' is not a day of the calendar (2025-02 has days 01 to 28)"* ]]
	printf 'tocalc-scenario 1\nname far\nas-of 2200-01-01\npartner CN rate 20\n' >"$BATS_TEST_TMPDIR/far.scn"
	run T tariff run "$BATS_TEST_TMPDIR/far.scn"
	[ "$status" -eq 1 ]
	[[ "$output" == *"far.scn:3: 'as-of': '2200-01-01' is out of the supported range of dates"* ]]
}

@test "POSIXLY_CORRECT=1: options after a positional argument still work" {
	POSIXLY_CORRECT=1 run --separate-stderr T data validate overdose_12mo --json
	[ "$status" -eq 0 ]
	[[ "$output" == "{"* ]]
	POSIXLY_CORRECT=1 run --separate-stderr T tariff run china-200 --csv --table partners
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == partner,* ]]
	# '--' still ends the options
	POSIXLY_CORRECT=1 run T data validate -- --json
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown dataset '--json'"* ]]
}

@test "--file - reads standard input, once per command" {
	F="$ROOT/tests/data/overdose/vsrr_v1.csv"
	args=(--x release_period --y reported --from 2019.75 --to 2020.75 --csv)
	run --separate-stderr T overdose change --file "$F" "${args[@]}"
	[ "$status" -eq 0 ]
	want=$(echo "$output" | cut -d, -f1-8)
	run --separate-stderr sh -c '"$@" <"$0"' "$F" $TOCALC_WRAP "$TOCALC" overdose change --file - "${args[@]}"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d, -f1-8)" = "$want" ]
	G="$ROOT/tests/data/gsim"
	run sh -c '"$@" <"$0"' "$G/regions.csv" $TOCALC_WRAP "$TOCALC" tariff gsim --regions - --flows - \
		--tariff-before "$G/tariff_before.csv" --tariff-after "$G/tariff_after.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--flows -: standard input is already the input of --regions"* ]]
}
