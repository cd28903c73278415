#!/usr/bin/env bats
# CLI tests of the overdose figures' selection (issue 15 item 4):
# `plot vsrr-12mo --state XX --indicator NAME --vintage V`.  The numbers are
# read by hand from the raw CDC files (lines quoted below) and compared
# with the datablock gnuplot would get (--script-only); no gnuplot needed.

load helpers

setup() {
	SHARED="$BATS_TEST_DIRNAME/../../../shared/data"
	V19="$SHARED/vsrr_2019_download.csv"
	FX="$BATS_TEST_DIRNAME/../data/vsrr"
	DS="$BATS_TEST_DIRNAME/../../datasets"
	D="$BATS_TEST_TMPDIR/d"
	mkdir -p "$D"
	cp -r "$DS"/. "$D"/
}

# block N < script: the points (x y) of the N-th series (0-based) of $DATA.
block() {
	awk -v want="$1" '
		/^\$DATA << / { on = 1; i = 0; blank = 0; next }
		on && /^TOCALC_DATA_END/ { exit }
		on && /^$/ { blank++; next }
		on { if (blank >= 2) i++; blank = 0; if (i == want) print $1, $2 }'
}

# The $TXT line holding a given text, or nothing.
txt_has() { sed -n '/^\$TXT << /,/^TOCALC_TEXT_END/p' | grep -F -- "$1"; }

# 2018-09-01 00:00 UTC, the x of the month 2018-09 on a time axis
SEP18=1535760000

@test "plot vsrr-12mo --state MD --indicator heroin: the fixture's numbers in the datablock" {
	# tests/data/vsrr/state_md_2019.csv: nine real rows of vsrr_2019_download.csv (lines
	# 2789-2791, 3059-3061, 3239-3241), e.g.
	#   MD,2018,September,...,Heroin (T40.1),388,...,*,392
	#   MD,2018,September,...,Number of Drug Overdose Deaths,2421,...,*,2448
	run T --data-dir "$D" data import-vsrr "$FX/state_md_2019.csv" --vintage 2019-04-24 --state MD \
		--indicator all_drugs --indicator synthetic_opioids --indicator heroin
	[ "$status" -eq 0 ]
	T --data-dir "$D" plot vsrr-12mo --state MD --indicator heroin --vintage 2019-04-24 \
		--script-only >"$BATS_TEST_TMPDIR/p.gp"
	P="$BATS_TEST_TMPDIR/p.gp"
	[ "$(block 0 <"$P" | grep "^$SEP18 ")" = "$SEP18 2421" ]	# all drugs, reported
	[ "$(block 1 <"$P" | grep "^$SEP18 ")" = "$SEP18 2448" ]	# all drugs, predicted
	[ "$(block 2 <"$P" | grep "^$SEP18 ")" = "$SEP18 388" ]	# heroin, reported
	[ "$(block 3 <"$P" | grep "^$SEP18 ")" = "$SEP18 392" ]	# heroin, predicted
	[ "$(block 2 <"$P" | wc -l)" -eq 3 ]			# July to September 2018
	txt_has "MD overdose deaths in the 12 months ending each month, 2018-07 to 2018-09" <"$P"
	txt_has "heroin, reported" <"$P"
	txt_has "jurisdiction MD, download of 2019-04-24" <"$P"
	txt_has "effective tariff on imports from China" <"$P"	# the national tariff panel stays
	! txt_has "synthetic opioids" <"$P"
}

@test "plot vsrr-12mo --state OH on the real 2019 download (--all): Ohio by hand" {
	[ -f "$V19" ] || skip "../shared/data is absent"
	# vsrr_2019_download.csv:7291  OH,2018,September,...,Number of Drug Overdose Deaths,4095,...,*,4138
	# vsrr_2019_download.csv:2791  MD,2018,September,...,Heroin (T40.1),388,...,*,392
	# Ohio has no synthetic opioid rows in this download: all drugs only, said in the source line
	run T --data-dir "$D" data import-vsrr "$V19" --vintage 2019-04-24 --all
	[ "$status" -eq 0 ]
	T --data-dir "$D" plot vsrr-12mo --state OH --vintage 2019-04-24 --script-only >"$BATS_TEST_TMPDIR/p.gp"
	P="$BATS_TEST_TMPDIR/p.gp"
	[ "$(block 0 <"$P" | grep "^$SEP18 ")" = "$SEP18 4095" ]
	[ "$(block 1 <"$P" | grep "^$SEP18 ")" = "$SEP18 4138" ]
	txt_has "OH overdose deaths" <"$P"
	txt_has "no synthetic opioid counts for this jurisdiction" <"$P"
	T --data-dir "$D" plot vsrr-12mo --state MD --indicator heroin --vintage 2019-04-24 \
		--script-only >"$P"
	[ "$(block 2 <"$P" | grep "^$SEP18 ")" = "$SEP18 388" ]
	[ "$(block 3 <"$P" | grep "^$SEP18 ")" = "$SEP18 392" ]
}

@test "plot vsrr-12mo --state: a vintage without the state's synthetic rows draws all drugs only; a broken one fails" {
	# a hand-made vintage (the numbers are placeholders, not data): OH has
	# all-drug rows and no synthetic-opioid rows, as CDC's 2019 download
	H="period,state,indicator,reported,predicted,data_status,percent_complete,percent_pending,vintage,source"
	{
		echo "$H"
		echo "2018-07,OH,all_drugs,4001,4100,provisional_complete,100,0.1,2019-04-24,cdc-vsrr-2019-copy"
		echo "2018-08,OH,all_drugs,4050,4120,provisional_complete,100,0.1,2019-04-24,cdc-vsrr-2019-copy"
		echo "2018-09,OH,all_drugs,4095,4138,provisional_complete,100,0.1,2019-04-24,cdc-vsrr-2019-copy"
	} >"$D/vsrr/2019-04-24.csv"
	T --data-dir "$D" plot vsrr-12mo --state OH --vintage 2019-04-24 --script-only >"$BATS_TEST_TMPDIR/p.gp"
	P="$BATS_TEST_TMPDIR/p.gp"
	[ "$(block 0 <"$P" | grep "^$SEP18 ")" = "$SEP18 4095" ]
	txt_has "no synthetic opioid counts for this jurisdiction" <"$P"
	# --indicator asked for by name: its absence is an error (exit 1), never silently dropped
	run T --data-dir "$D" plot vsrr-12mo --state OH --indicator synthetic_opioids --vintage 2019-04-24 --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"no rows for OH synthetic_opioids"* ]]
	# the same state with a broken count is an error, not a missing series
	sed -i 's/^2018-08,OH,all_drugs,4050/2018-08,OH,all_drugs,n\/a/' "$D/vsrr/2019-04-24.csv"
	run T --data-dir "$D" plot vsrr-12mo --state OH --vintage 2019-04-24 --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"2019-04-24.csv:3:"*"reported"* ]]
}

@test "plot vsrr-12mo --indicator heroin on the shipped 2019 vintage: the US heroin count" {
	# vsrr_2019_download.csv:9901  US,2018,September,...,Heroin (T40.1),14830,...,*,15415
	T plot vsrr-12mo --indicator heroin --vintage 2019-04-24 --script-only >"$BATS_TEST_TMPDIR/p.gp"
	P="$BATS_TEST_TMPDIR/p.gp"
	[ "$(block 2 <"$P" | grep "^$SEP18 ")" = "$SEP18 14830" ]
	[ "$(block 3 <"$P" | grep "^$SEP18 ")" = "$SEP18 15415" ]
	txt_has "US overdose deaths" <"$P"
	txt_has "download of 2019-04-24" <"$P"
	# the 2017 download has no predicted values: no legend entry for an empty line
	T plot vsrr-12mo --vintage 2017-12-16 --script-only >"$P"
	txt_has "all drugs, reported" <"$P"
	! txt_has "predicted" <"$P"
}

@test "plot: a bad state, indicator or vintage, and overdose-deaths --state, are refused" {
	run T plot vsrr-12mo --state Ohio --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"--state: expected a 2-letter code"*"got 'Ohio'"* ]]
	run T plot vsrr-12mo --indicator fentanyl --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"--indicator: unknown indicator 'fentanyl'"* ]]
	run T plot vsrr-12mo --indicator percent_drugs_specified --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a count of overdose deaths"* ]]
	run T plot vsrr-12mo --vintage 2001-01-01 --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"no VSRR vintage 2001-01-01"* ]]
	run T plot vsrr-12mo --state OH --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"no rows for OH all_drugs"* ]]
	run T plot overdose-deaths --state OH --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"the final annual series is national"*"tocalc plot vsrr-12mo --state XX"* ]]
	run T plot overdose-deaths --indicator heroin --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"tocalc plot vsrr-12mo --indicator NAME"* ]]
	run T plot claims --vintage 2019-04-24 --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--vintage' does not apply"* ]]
}

@test "plot claims: a claim citing a secondary source is marked, its publisher named (sources.csv kind)" {
	# sources.csv: vsrr-release-2024-12 (the source of od-fall-17pct) is KESQ, kind secondary;
	# tariff-10-china cites no secondary source
	T plot claims --script-only >"$BATS_TEST_TMPDIR/p.gp"
	P="$BATS_TEST_TMPDIR/p.gp"
	txt_has "od-fall-17pct †" <"$P"
	txt_has "tariff-10-china" <"$P"
	! txt_has "tariff-10-china †" <"$P"
	txt_has "† Secondary sources (no primary publication found): " <"$P" | grep -F "KESQ"
	# the mark follows the kind: made primary, the claim is no longer marked
	sed -i '/^vsrr-release-2024-12,/s/,secondary$/,primary/' "$D/sources.csv"
	T --data-dir "$D" plot claims --script-only >"$P"
	! txt_has "od-fall-17pct †" <"$P"
	txt_has "od-fall-24pct-sep2024 †" <"$P"
	! txt_has "KESQ" <"$P"
}

@test "plot series --joinpoint: a size refusal has one prefix and advice this command can follow" {
	# 401 and 1001 points: one over each limit of jp_options (400 with the permutation
	# test, 1000 in all); plot series has neither --select nor --from/--to
	awk 'BEGIN { print "x,y"; for (i = 0; i < 401; i++) printf "%d,%.4f\n", i, 1000 * exp(0.001 * i) }' >"$BATS_TEST_TMPDIR/a.csv"
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1001; i++) printf "%d,%.4f\n", i, 1000 * exp(0.001 * i) }' >"$BATS_TEST_TMPDIR/b.csv"
	for f in a b; do
		run T plot series --file "$BATS_TEST_TMPDIR/$f.csv" --x x --y y --joinpoint --script-only
		[ "$status" -eq 2 ]
		[[ "$output" == "tocalc: plot series --joinpoint: "*" points is more than the "* ]]
		[[ "$output" != *"joinpoint: joinpoint"* ]]
		[[ "$output" == *"tocalc overdose joinpoint --file F --x COL --y COL"* ]]
		[[ "$output" != *"use --select bic"* && "$output" != *"a shorter --from/--to range"* ]]
	done
	[[ "$output" == *"--from P --to P"* ]]
	# a value <= 0: the advice names the command that has --model, not a flag plot series lacks
	printf 'x,y\n1,5\n2,0\n3,4\n4,6\n5,7\n6,8\n' >"$BATS_TEST_TMPDIR/z.csv"
	run T plot series --file "$BATS_TEST_TMPDIR/z.csv" --x x --y y --joinpoint --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == "tocalc: plot series --joinpoint: value 2 of the plotted column is 0;"*"--model linear')" ]]
}
