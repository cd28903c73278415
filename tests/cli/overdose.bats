#!/usr/bin/env bats
# CLI tests of `tocalc overdose`.  Expected numbers are published figures
# (../shared/reference) or hand-checked on the synthetic fixtures in
# tests/data/overdose (see its README.md).

load helpers

setup() {
	FIX="$BATS_TEST_DIRNAME/../data/overdose"
	DATA="$BATS_TEST_DIRNAME/../../datasets"
}

# value of the row with .basis == $1 in .change of a JSON document on stdin
pct() { jq -r --arg b "$1" '.change[] | select(.basis == $b) | .percent_change * 100 | round / 100'; }

@test "overdose --help covers every subcommand and flag" {
	run T overdose --help
	[ "$status" -eq 0 ]
	for w in change sum trend joinpoint events --series --measure --source --basis --file --x --y \
		--allow-uneven --from --to --level --min-joinpoints --max-joinpoints --select --method \
		--permutations --seed --alpha --min-obs-end --min-obs-between --aapc --exhaustive; do
		[[ "$output" == *"$w"* ]] || { echo "missing $w"; return 1; }
	done
}

@test "change: published VSRR V1 release figures, +26.8% reported and +28.8% predicted" {
	run T --data-dir "$FIX" overdose change --from 2019-09 --to 2020-09 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pct reported)" = "26.83" ]
	[ "$(echo "$output" | pct predicted)" = "28.84" ]
	[ "$(echo "$output" | jq -r .vintage)" = "2021-01-10" ]
	[ "$(echo "$output" | jq -r .source)" = "vsrr" ]
}

@test "change: V1 from a user file on a numeric axis" {
	run T overdose change --file "$FIX/vsrr_v1.csv" --x release_period --y reported --from 2019.75 --to 2020.75 --csv
	[ "$status" -eq 0 ]
	[[ "$(echo "$output" | csv_round "- - - - - - 2")" == *",26.83,"* ]]
}

@test "change: shipped VSRR, claim od-fall-17pct (Jul 2023 -> Jul 2024, all drugs)" {
	[ -f "$DATA/overdose_12mo.csv" ] || skip "datasets/overdose_12mo.csv not present"
	run T overdose change --series all_drugs --from 2023-07 --to 2024-07 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pct predicted)" = "-16.02" ]
	[ "$(echo "$output" | pct reported)" = "-16.33" ]
	echo "$output" | jq -e '.change[0].from_value == 111382 and .change[0].to_value == 93190'
}

@test "change: shipped VSRR, claim synthetic-fall-19pct (Jun 2023 -> Jun 2024)" {
	[ -f "$DATA/overdose_12mo.csv" ] || skip "datasets/overdose_12mo.csv not present"
	run T overdose change --series synthetic_opioids --from 2023-06 --to 2024-06 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pct reported)" = "-18.51" ]
	[ "$(echo "$output" | pct predicted)" = "-18.09" ]
}

@test "change: shipped VSRR keeps the Sep 2019 reported count of the V1 release (68,757)" {
	[ -f "$DATA/overdose_12mo.csv" ] || skip "datasets/overdose_12mo.csv not present"
	run T overdose change --from 2019-09 --to 2020-09 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.change[] | select(.basis == "reported") | .from_value == 68757'
}

@test "change: final annual rate 2019 -> 2020 is +31.0% (NCHS db491)" {
	run T overdose change --measure rate --from 2019 --to 2020 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.change[0].percent_change * 10 | round / 10')" = "31" ]
	echo "$output" | jq -e '.change[0].from_value == 21.6 and .change[0].to_value == 28.3'
}

@test "change: fixture table output, 2010 -> 2012 is +21%" {
	run T --data-dir "$FIX" overdose change --from 2010 --to 2012
	[ "$status" -eq 0 ]
	[[ "$output" == *"1000"*"1210"*"21.00"* ]]
}

@test "change: a missing value is an error naming the period" {
	run T --data-dir "$FIX" overdose change --measure rate --from 2012 --to 2013
	[ "$status" -eq 1 ]
	[[ "$output" == *"2013"*"missing"* ]]
}

@test "sum: synthetic opioids, ten 12-month windows to Oct 2024 (claim synthetic-400k-decade)" {
	[ -f "$DATA/overdose_12mo.csv" ] || skip "datasets/overdose_12mo.csv not present"
	run T overdose sum --series synthetic_opioids --from 2015-10 --to 2024-10 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.total_reported == 446212 and .total_predicted == 451934 and .period_count == 10'
	[ "$(echo "$output" | jq -r .covers)" = "2014-11..2024-10" ]
}

@test "sum: final synthetic-opioid deaths 2014-2023 are 404,428" {
	run T overdose sum --series synthetic_opioids --from 2014 --to 2023 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.total == 404428'
}

@test "sum: fixture 2010-2012 is 3,310; windows must not overlap; rates cannot be summed" {
	run T --data-dir "$FIX" overdose sum --from 2010 --to 2012 --csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"2012,1210"* ]]
	run T --data-dir "$FIX" overdose sum --from 2010 --to 2012 --json
	echo "$output" | jq -e '.total == 3310'
	run T --data-dir "$FIX" overdose sum --from 2019-01 --to 2020-03
	[ "$status" -eq 2 ]
	[[ "$output" == *"whole number of years"* ]]
	run T --data-dir "$FIX" overdose sum --measure rate --from 2010 --to 2012
	[ "$status" -eq 2 ]
}

@test "trend: fixture synthetic opioids double every year: APC 100%" {
	run T --data-dir "$FIX" overdose trend --series synthetic_opioids --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.trend[0].apc - 100 | fabs) < 1e-9 and .trend[0].points == 6'
	echo "$output" | jq -e '.trend[0].p_value == null or .trend[0].p_value < 1e-6'
}

@test "trend: user file doubling: APC 100% per unit of x" {
	run T overdose trend --file "$FIX/series_ok.csv" --x year --y value --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.trend[0].apc - 100 | fabs) < 1e-9'
}

@test "trend: zero under a log model is an error naming x" {
	run T overdose trend --file "$FIX/series_zero.csv" --x year --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"2002"*"> 0"* ]]
}

@test "trend: missing value in range is an error, outside it is fine" {
	run T overdose trend --file "$FIX/series_missing.csv" --x year --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"2002"*"missing"* ]]
	run T overdose trend --file "$FIX/series_missing.csv" --x year --y value --from 2003 --to 2004
	[ "$status" -eq 1 ]
	[[ "$output" == *"at least 3"* ]]
}

@test "joinpoint: NCHS db329, rate 1999-2017: joinpoints 2006 and 2014, APCs 10, 3, 16" {
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --max-joinpoints 3 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e .
	echo "$output" | jq -e '.selected_joinpoints == 2'
	[ "$(echo "$output" | jq -r '[.joinpoints[].location] | join(" ")')" = "2006 2014" ]
	[ "$(echo "$output" | jq -r '[.segments[].apc | round] | map(tostring) | join(" ")')" = "10 3 16" ]
	echo "$output" | jq -e '.segments[0] | has("lower_endpoint", "upper_endpoint", "apc", "apc_lower", "apc_upper", "test_statistic", "p_value")'
	echo "$output" | jq -e '[.. | numbers | select(isnan)] | length == 0'
}

@test "joinpoint: NCHS db273, 1999-2015 with k = 2: 2006, 2013; APCs 10, 3, 9" {
	run T overdose joinpoint --measure rate --from 1999 --to 2015 --min-joinpoints 2 --max-joinpoints 2 --csv
	[ "$status" -eq 0 ]
	output=$(echo "$output" | csv_round "- - - 2 2 2")
	[[ "$output" == *"1,1999,2006,9.83,8.76,10.91,"* ]]
	[[ "$output" == *"2,2006,2013,2.52,1.55,3.50,"* ]]
	[[ "$output" == *"3,2013,2015,9.46,4.91,14.20,"* ]]
}

@test "joinpoint: NCHS db294, 1999-2016 by BIC: 2006, 2014; APCs 10, 3, 18" {
	run T overdose joinpoint --measure rate --from 1999 --to 2016 --max-joinpoints 3 --select bic --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.segments[].apc | round] | map(tostring) | join(" ")')" = "10 3 18" ]
	echo "$output" | jq -e '.models | length == 4 and ([.[] | select(.selected)] | length == 1)'
	echo "$output" | jq -e '.tests == null'
}

@test "joinpoint: same seed, same output; --exhaustive gives the same answer" {
	run T overdose joinpoint --measure rate --from 1999 --to 2015 --max-joinpoints 3 --permutations 199 --seed 5 --json
	[ "$status" -eq 0 ]
	a="$output"
	run T overdose joinpoint --measure rate --from 1999 --to 2015 --max-joinpoints 3 --permutations 199 --seed 5 --json
	[ "$output" = "$a" ]
	run T overdose joinpoint --measure rate --from 1999 --to 2015 --max-joinpoints 3 --permutations 199 --seed 5 --json --exhaustive
	[ "$status" -eq 0 ]
	# same decisions and counts; the statistic itself may differ in the last digits
	[ "$(echo "$output" | jq -c '.tests | map(del(.statistic))')" = "$(echo "$a" | jq -c '.tests | map(del(.statistic))')" ]
	[ "$(echo "$output" | jq -c '[.segments[] | .apc * 1e6 | round]')" = "$(echo "$a" | jq -c '[.segments[] | .apc * 1e6 | round]')" ]
}

@test "joinpoint: AAPC over any range, and --aapc errors" {
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --min-joinpoints 2 --max-joinpoints 2 --aapc 1999:2017 --aapc 2007:2013 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.aapc[0].aapc * 100 | round) == 761 and .aapc[0].ci == "normal"'
	echo "$output" | jq -e '.aapc[1].ci == "t" and .aapc[1].aapc == .segments[1].apc'
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --aapc 2017:1999
	[ "$status" -eq 2 ]
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --aapc 1999
	[ "$status" -eq 2 ]
}

@test "joinpoint: hudson finds a joinpoint between observations" {
	f="$BATS_TEST_TMPDIR/h.csv"
	awk 'BEGIN { print "x,y"; for (i = 0; i < 16; i++) { x = 2000 + i; v = 1 + 0.2 * i; if (x > 2006.5) v -= 0.3 * (x - 2006.5); printf "%d,%.15g\n", x, exp(v) } }' > "$f"
	run T overdose joinpoint --file "$f" --x x --y y --method hudson --min-joinpoints 1 --max-joinpoints 1 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.joinpoints[0].x - 2006.5 | fabs) < 1e-6'
	[ "$(echo "$output" | jq -r .method)" = "hudson" ]
}

@test "joinpoint: too few points for the requested joinpoints: exit 1" {
	run T overdose joinpoint --from 2015 --to 2020 --max-joinpoints 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"too few"* ]]
}

@test "joinpoint: VSRR monthly series runs with 5 joinpoints" {
	[ -f "$DATA/overdose_12mo.csv" ] || skip "datasets/overdose_12mo.csv not present"
	run T overdose joinpoint --source vsrr --series synthetic_opioids --max-joinpoints 5 --permutations 499 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.points == 129 and .max_joinpoints == 5 and (.segments | length) == .selected_joinpoints + 1'
	echo "$output" | jq -e '.joinpoints[0].location | test("^[0-9]{4}-[0-9]{2}$")'
}

@test "events: APC before and after each date, and the note on cause" {
	run T --data-dir "$FIX" overdose events --series synthetic_opioids --select bic --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e .
	echo "$output" | jq -e '.events | length == 1'
	echo "$output" | jq -e '.events[0].id == "fixture-mid-2012" and (.events[0].apc_before - 100 | fabs) < 1e-6'
	echo "$output" | jq -e '[.notes[] | select(test("not evidence of cause"))] | length == 1'
	echo "$output" | jq -e '[.notes[] | select(test("outside the analysed range"))] | length == 1'
}

@test "events: shipped data" {
	[ -f "$DATA/events.csv" ] || skip "datasets/events.csv not present"
	run T overdose events --series synthetic_opioids --select bic --csv --table events
	[ "$status" -eq 0 ]
	[[ "$output" == *"china-fentanyl-class-effective"* ]]
}

@test "file errors: unsorted, duplicate and gap name the line" {
	run T overdose trend --file "$FIX/series_unsorted.csv" --x year --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"series_unsorted.csv:4:"*"sorted"* ]]
	run T overdose trend --file "$FIX/series_duplicate.csv" --x year --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"duplicate"* ]]
	run T overdose trend --file "$FIX/series_gap.csv" --x year --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"gap"* ]]
	run T overdose trend --file "$FIX/series_month_gap.csv" --x month --y value
	[ "$status" -eq 1 ]
	[[ "$output" == *"2020-02 is followed by 2020-04"* ]]
}

@test "usage errors exit 2" {
	run T overdose
	[ "$status" -eq 2 ]
	run T overdose frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown subcommand"* ]]
	run T overdose change --series heroin --from 2019 --to 2020
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown series 'heroin'"* ]]
	run T overdose change --from 2019
	[ "$status" -eq 2 ]
	run T overdose change --from 2019-13 --to 2020-01
	[ "$status" -eq 2 ]
	run T overdose trend --permutations 10
	[ "$status" -eq 2 ]
	run T overdose joinpoint --select aic
	[ "$status" -eq 2 ]
	run T overdose joinpoint --max-joinpoints 99
	[ "$status" -eq 2 ]
	run T overdose trend --source vsrr --measure rate
	[ "$status" -eq 2 ]
	run T overdose trend --file "$FIX/series_ok.csv" --x year
	[ "$status" -eq 2 ]
	run T overdose trend --file "$FIX/series_ok.csv" --x year --y value --series all_drugs
	[ "$status" -eq 2 ]
	run T overdose change --from 2020 --to 2019
	[ "$status" -eq 2 ]
}

@test "unknown period: exit 1 naming the coverage" {
	run T overdose change --from 1990 --to 2020
	[ "$status" -eq 1 ]
	[[ "$output" == *"no data for 1990"* ]]
}

@test "every subcommand: --json is valid JSON, --csv has a header" {
	for sub in "change --from 2010 --to 2015" "sum --from 2010 --to 2015" "trend" "joinpoint --select wbic" "events --select bic3"; do
		run T --data-dir "$FIX" overdose $sub --json
		[ "$status" -eq 0 ] || { echo "$sub: $output"; return 1; }
		echo "$output" | jq -e . >/dev/null
		run T --data-dir "$FIX" overdose $sub --csv
		[ "$status" -eq 0 ]
	done
}

@test "subcommands: the table idiom of cmd_dispatch.c words unknown ones like 'data' does" {
	run T overdose valu
	[ "$status" -eq 2 ]
	[[ "$output" == *"overdose: unknown subcommand 'valu' (did you mean 'value'?); expected change, sum, trend, joinpoint, events, value, revisions or states"* ]]
	run T data lst
	[ "$status" -eq 2 ]
	[[ "$output" == *"data: unknown subcommand 'lst'"*"; expected "* ]]
}
