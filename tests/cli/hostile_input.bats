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
