#!/usr/bin/env bats
# CLI golden tests of `tocalc data`.

load helpers

setup() {
	VSRR="$BATS_TEST_DIRNAME/../../../shared/data/20260214_VSRR_Provisional_Drug_Overdose_Death_Counts_US-extract.csv"
}

@test "data list: every dataset loads, with rows and period" {
	run T data list
	[ "$status" -eq 0 ]
	[[ "$output" == *"overdose_12mo"*"258"*"2015-01 to 2025-09"* ]]
	[[ "$output" == *"overdose_annual"*"ok"* ]]
}

@test "data validate: all datasets are valid" {
	run T data validate
	[ "$status" -eq 0 ]
	[[ "$output" != *"invalid"* ]]
}

@test "data validate of one unknown dataset: exit 2" {
	run T data validate nope
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown dataset 'nope'"* ]]
}

@test "data show: JSON is valid and carries the vintage" {
	run sh -c "$TOCALC_WRAP '$TOCALC' --json data show overdose_12mo | jq -e '.rows | length == 258 and .[0].vintage == \"2026-02-14\"'"
	[ "$status" -eq 0 ]
}

@test "data show --csv round-trips the dataset file byte for byte" {
	run sh -c "$TOCALC_WRAP '$TOCALC' data show overdose_12mo --csv | cmp - '$BATS_TEST_DIRNAME/../../datasets/overdose_12mo.csv'"
	[ "$status" -eq 0 ]
}

@test "data show: unknown dataset is a usage error" {
	run T data show nope
	[ "$status" -eq 2 ]
}

@test "data: missing subcommand is a usage error" {
	run T data
	[ "$status" -eq 2 ]
}

@test "import-vsrr -o reproduces datasets/vsrr/2026-02-14.csv from CDC's raw file" {
	[ -f "$VSRR" ] || skip "../shared/data is absent"
	out="$BATS_TEST_TMPDIR/o12.csv"
	run T data import-vsrr "$VSRR" -o "$out"
	[ "$status" -eq 0 ]
	cmp "$out" "$BATS_TEST_DIRNAME/../../datasets/vsrr/2026-02-14.csv"
}

@test "import-vsrr needs a vintage when the file name has none" {
	[ -f "$VSRR" ] || skip "../shared/data is absent"
	cp "$VSRR" "$BATS_TEST_TMPDIR/vsrr.csv"
	run T data import-vsrr "$BATS_TEST_TMPDIR/vsrr.csv" -o "$BATS_TEST_TMPDIR/x.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--vintage"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/x.csv" ]
}

@test "import-vsrr of a malformed file: exit 1, file:line:col message, output untouched" {
	printf 'old\n' > "$BATS_TEST_TMPDIR/keep.csv"
	cat > "$BATS_TEST_TMPDIR/20260101_bad.csv" <<'CSV'
"State","Year","Month","Period","Indicator","Data Value","Percent Complete","Percent Pending Investigation","State Name","Footnote","Footnote Symbol","Predicted Value"
"US","2015","January","12 month-ending","Number of Drug Overdose Deaths","47,523","100","0.1","United States","x","**","48,060"
"US","2015","February","12 month-ending","Number of Drug Overdose Deaths","n/a","100","0.1","United States","x","**","48,285"
CSV
	run T data import-vsrr "$BATS_TEST_TMPDIR/20260101_bad.csv" -o "$BATS_TEST_TMPDIR/keep.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"20260101_bad.csv:3:6: column 'Data Value': expected a number, got \"n/a\""* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/keep.csv")" = old ]
}

@test "import-vsrr: a gap in the months is an error" {
	cat > "$BATS_TEST_TMPDIR/20260101_gap.csv" <<'CSV'
"State","Year","Month","Period","Indicator","Data Value","Percent Complete","Percent Pending Investigation","State Name","Footnote","Footnote Symbol","Predicted Value"
"US","2015","January","12 month-ending","Number of Drug Overdose Deaths","47,523","100","0.1","United States","x","**","48,060"
"US","2015","March","12 month-ending","Number of Drug Overdose Deaths","47,600","100","0.1","United States","x","**","48,285"
CSV
	run T data import-vsrr "$BATS_TEST_TMPDIR/20260101_gap.csv" --indicator all_drugs -o -
	[ "$status" -eq 1 ]
	[[ "$output" == *"US all_drugs has no row for 2015-02"* ]]
}

@test "a dataset with a bad value names file, line, column and column name" {
	mkdir -p "$BATS_TEST_TMPDIR/d"
	cp "$BATS_TEST_DIRNAME"/../../datasets/*.csv "$BATS_TEST_TMPDIR/d/"
	sed -i '3s/^\([^,]*,[^,]*,\)[0-9]*/\1n\/a/' "$BATS_TEST_TMPDIR/d/overdose_12mo.csv"
	run T --data-dir "$BATS_TEST_TMPDIR/d" data validate overdose_12mo
	[ "$status" -eq 1 ]
	[[ "$output" == *"overdose_12mo.csv:3:3: column 'reported': expected an integer, got \"n/a\""* ]]
}

@test "TOCALC_DATA selects another data vintage" {
	mkdir -p "$BATS_TEST_TMPDIR/v"
	cp "$BATS_TEST_DIRNAME"/../../datasets/*.csv "$BATS_TEST_TMPDIR/v/"
	head -5 "$BATS_TEST_DIRNAME/../../datasets/overdose_12mo.csv" > "$BATS_TEST_TMPDIR/v/overdose_12mo.csv"
	TOCALC_DATA="$BATS_TEST_TMPDIR/v" run T data list
	[[ "$output" == *"overdose_12mo"*" 4 "* ]]
}
