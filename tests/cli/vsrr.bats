#!/usr/bin/env bats
# CLI tests of VSRR vintages (issue 15): the strict importer on every CDC layout,
# damaged downloads, vintages side by side, revisions, states and drug classes.
# Expected numbers are read by hand from the raw files (grep lines quoted below).

load helpers

setup() {
	SHARED="$BATS_TEST_DIRNAME/../../../shared/data"
	V26="$SHARED/20260214_VSRR_Provisional_Drug_Overdose_Death_Counts_US-extract.csv"
	V17="$SHARED/vsrr_2017_download.csv"
	V19="$SHARED/vsrr_2019_download.csv"
	FX="$BATS_TEST_DIRNAME/../data/vsrr"
	DS="$BATS_TEST_DIRNAME/../../datasets"
	D="$BATS_TEST_TMPDIR/d"
	mkdir -p "$D"
	cp -r "$DS"/. "$D"/
}

sums() { (cd "$1" && find . -type f | sort | xargs sha256sum); }

need_shared() { [ -f "$V26" ] && [ -f "$V17" ] && [ -f "$V19" ] || skip "../shared/data is absent"; }

@test "import-vsrr reproduces the shipped vintage and overdose_12mo.csv from CDC's file" {
	need_shared
	rm -f "$D/vsrr/2026-02-14.csv" "$D/overdose_12mo.csv"
	run T --data-dir "$D" data import-vsrr "$V26"
	[ "$status" -eq 0 ]
	[[ "$output" == *"wrote 258 rows"*"2015-01 to 2025-09, 1 jurisdiction, 2 indicators"* ]]
	cmp "$D/vsrr/2026-02-14.csv" "$DS/vsrr/2026-02-14.csv"
	cmp "$D/overdose_12mo.csv" "$DS/overdose_12mo.csv"
}

@test "older layouts: the US count of May 2017 in the 2017, 2019 and 2026 downloads" {
	need_shared
	# vsrr_2017_download.csv:5366  US,United States,2017,May,...,Number of Drug Overdose Deaths,"66,324",...
	# vsrr_2019_download.csv:10155 US,2017,May,...,Number of Drug Overdose Deaths,68370,...,**,69991
	# 2026 extract line 30          "US","2017","May",...,"68,370",...,"**","69,303"
	run T data import-vsrr "$V17" --vintage 2017-12-16 --state US -o - --csv
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n2017-05,US,all_drugs,66324,,provisional,100,'* ]]
	[[ "$output" == *$'\n2017-05,US,heroin,15525,,provisional,'* ]]
	run T data import-vsrr "$V19" --vintage 2019-04-24 -o -
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n2017-05,US,all_drugs,68370,69991,provisional_complete,100,'* ]]
	run T data import-vsrr "$V26" -o -
	[[ "$output" == *$'\n2017-05,US,all_drugs,68370,69303,provisional_complete,100,'* ]]
}

@test "the small older layout: BOM, no Period, State Name as code, 99.5+" {
	run T data import-vsrr "$FX/layout_no_period.csv" --vintage 2015-03-02 -o -
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n2015-02,US,all_drugs,47725,,provisional_complete,99.5+,0.15,2015-03-02,cdc-vsrr'* ]]
	[[ "$output" == *$'\n2015-02,US,synthetic_opioids,6079,,provisional,99+,0.15,'* ]]
}

@test "revisions: May 2017 moved +2,046 (+3.08%) from the 2017 to the 2019 download" {
	# 68,370 - 66,324 = 2,046; 2,046 / 66,324 = 3.0849%
	# predicted 2019 -> 2026: 69,303 - 69,991 = -688; -688 / 69,991 = -0.983%
	run sh -c "$TOCALC_WRAP '$TOCALC' overdose revisions --from 2017-05 --to 2017-05 --json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.revisions[0].old_vintage == "2017-12-16" and .revisions[0].revision_reported == 2046 and (.revisions[0].revision_reported_pct * 100 | round) == 308'
	echo "$output" | jq -e '.revisions[1].new_vintage == "2026-02-14" and .revisions[1].revision_predicted == -688 and (.revisions[1].revision_predicted_pct * 100 | round) == -98'
}

@test "damaged downloads: each refused with its reason, datasets unchanged" {
	before=$(sums "$D"); shipped=$(sums "$DS")
	run T --data-dir "$D" data import-vsrr "$FX/base.csv" --vintage 2015-04-01 -o "$BATS_TEST_TMPDIR/ok.csv"
	[ "$status" -eq 0 ]
	run T --data-dir "$D" data import-vsrr "$FX/renamed_indicator.csv" --vintage 2026-02-14
	[ "$status" -eq 1 ]
	[[ "$output" == *"renamed_indicator.csv: no rows for indicator 'synthetic_opioids' (CDC \"Synthetic opioids, excl. methadone (T40.4)\") in jurisdiction 'US'"* ]]
	run T --data-dir "$D" data import-vsrr "$FX/truncated.csv" --vintage 2026-02-14
	[ "$status" -eq 1 ]
	[[ "$output" == *"truncated.csv: US synthetic_opioids ends at 2015-02, the file at 2015-03"* ]]
	run T --data-dir "$D" data import-vsrr "$FX/missing_month.csv" --vintage 2026-02-14
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing_month.csv: US all_drugs has no row for 2015-02 (months missing)"* ]]
	run T --data-dir "$D" data import-vsrr "$FX/base.csv" --vintage 2015-03-31
	[ "$status" -eq 1 ]
	[[ "$output" == *"vintage 2015-03-31 is earlier than the data: the latest 12 month-ending period is 2015-03, published 2015-04-01 at the earliest"* ]]
	run T --data-dir "$D" data import-vsrr "$FX/base.csv" --vintage 2026-02-14 --source-id bogus-id
	[ "$status" -eq 2 ]
	[[ "$output" == *"--source-id: 'bogus-id' is not defined in sources.csv"* ]]
	[ "$(sums "$D")" = "$before" ]
	[ "$(sums "$DS")" = "$shipped" ]
}

@test "data validate fails on a source id sources.csv does not define (vintage files too)" {
	sed -i '2s/,cdc-vsrr$/,no-such-source/' "$D/vsrr/2026-02-14.csv"
	run T --data-dir "$D" data validate
	[ "$status" -eq 1 ]
	[[ "$output" == *"2026-02-14.csv:2:10: column 'source': source 'no-such-source' is not in sources.csv"* ]]
}

@test "states: the 2019 download, Ohio and West Virginia by hand, CDC flags carried" {
	need_shared
	# vsrr_2019_download.csv:7279  OH,2017,September,...,Number of Drug Overdose Deaths,5258,100,...,**,5287
	# vsrr_2019_download.csv:7291  OH,2018,September,...,4095,100,...,Underreported due to incomplete data.,*,4138
	# 4095 / 5258 - 1 = -22.12%;  WV 806 / 1006 - 1 = -19.88%;  AZ 2018-09 Percent Complete 99.5+
	run T --data-dir "$D" data import-vsrr "$V19" --vintage 2019-04-24 --all
	[ "$status" -eq 0 ]
	[[ "$output" == *"13320 rows"*"53 jurisdictions, 12 indicators"* ]]
	run sh -c "$TOCALC_WRAP '$TOCALC' --data-dir '$D' overdose states --vintage 2019-04-24 --json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.states[] | select(.state == "OH")][0] | .from_reported == 5258 and .to_reported == 4095 and (.percent_change * 100 | round) == -2212 and .incomplete == true'
	echo "$output" | jq -e '([.states[] | select(.state == "WV")][0].percent_change * 100 | round) == -1988'
	echo "$output" | jq -e '[.states[] | select(.state == "AZ")][0].percent_complete == "99.5+"'
	echo "$output" | jq -e '(.states | length) == 53 and ([.states[].percent_change] | . == (sort | reverse))'
	run T --data-dir "$D" overdose change --vintage 2019-04-24 --state OH --from 2017-09 --to 2018-09 --csv
	[ "$status" -eq 0 ]
	[[ "$(echo "$output" | csv_round "- - - - - - 2")" == *"reported,2017-09,5258,2018-09,4095,-1163,-22.12"* ]]
}

@test "value: a year is final NCHS data, a month the VSRR count with its vintage" {
	run sh -c "$TOCALC_WRAP '$TOCALC' overdose value --at 2022 --json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.value[0].value == 107941 and .value[0].status == "final"'
	run sh -c "$TOCALC_WRAP '$TOCALC' overdose value --at 2023-07 --json"
	echo "$output" | jq -e '.value[0].status == "provisional_complete" and .value[0].vintage == "2026-02-14" and .value[0].sources == "cdc-vsrr"'
	run sh -c "$TOCALC_WRAP '$TOCALC' overdose value --at 2006 --json"
	echo "$output" | jq -e '.value[0].value == 34425 and .value[0].secondary == true'
	[[ "$output" == *"secondary source only"* ]]
	run T overdose change --from 2023/07 --to 2024-07
	[ "$status" -eq 2 ]
	[[ "$output" == *"takes YYYY-MM, such as 2023-07"* ]]
	run T overdose change --from 2023/07 --to 2024
	[ "$status" -eq 2 ]
	[[ "$output" == *"takes YYYY, such as 2022; a month YYYY-MM"* ]]
}

@test "data show --where/--columns, data sources --secondary" {
	run T --quiet data show overdose_12mo --where period=2023-07 --where series=all_drugs --columns period,reported,predicted --csv
	[ "$status" -eq 0 ]
	[ "$output" = $'period,reported,predicted\n2023-07,111382,112911' ]
	run T data show overdose_12mo --where nope=1
	[ "$status" -eq 2 ]
	run T data sources --secondary --csv
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "id,kind,title,publisher,url,accessed" ]]
	[[ "$output" != *",primary,"* ]]
}

@test "the 12 month-ending file never says final" {
	run T data show overdose_12mo --where data_status=final
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 of 258 rows match"* ]]
}

@test "revisions -o draws the series as each vintage gave it" {
	need_gnuplot
	run T overdose revisions --from 2015-01 --to 2018-09 -o "$BATS_TEST_TMPDIR/rev.svg"
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/rev.svg")" -gt 5000 ]
	grep -q "vintage 2017-12-16, reported" "$BATS_TEST_TMPDIR/rev.svg"
	grep -q "vintage 2019-04-24, predicted" "$BATS_TEST_TMPDIR/rev.svg"
	run T overdose value --at 2022 -o "$BATS_TEST_TMPDIR/x.svg"
	[ "$status" -eq 2 ]
}

@test "data show vsrr/VINTAGE --where: one drug class of a kept vintage" {
	# vsrr_2019_download.csv: US,2018,September,12 month-ending,Heroin (T40.1),14830,...,15415
	run T --quiet data show vsrr/2019-04-24 --where indicator=heroin --where period=2018-09 --columns period,reported,predicted --csv
	[ "$status" -eq 0 ]
	[ "$output" = $'period,reported,predicted\n2018-09,14830,15415' ]
	run T data show vsrr/2099-01-01
	[ "$status" -eq 1 ]
}

@test "revisions: a broken vintage file is an error naming it, not skipped" {
	sed -i 's/^2015-02,US,all_drugs,[0-9]*,/2015-02,US,all_drugs,n\/a,/' "$D/vsrr/2019-04-24.csv"
	grep -q '^2015-02,US,all_drugs,n/a,' "$D/vsrr/2019-04-24.csv"
	run T --data-dir "$D" overdose revisions
	[ "$status" -eq 1 ]
	[[ "$output" == *"2019-04-24.csv:"*": column 'reported': expected a number, got \"n/a\""* ]]
}
