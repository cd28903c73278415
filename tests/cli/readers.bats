#!/usr/bin/env bats
# CLI tests of the readers (issue 19 items 5, 6 and 8; docs/guarantees.md
# "Input files"): a file whose last line has no newline is refused in every
# reader; a FIFO, device or directory in place of a data file is refused at
# once (never a hang), --version included; --imports-file filters the
# Census rows by country and year.  Each test runs a few invocations.

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	FX="$ROOT/tests/data/tariff"
	RD="$ROOT/tests/data/readers"
	SHARED="$ROOT/../shared/data"
	W="$BATS_TEST_TMPDIR"
}

# ---------------------------------------------------------------- item 6

@test "a file cut mid-number (no final newline) is refused, naming its last line" {
	# the hand-made case of the issue: 50123 cut to 50
	printf 'HS10,HS8,HS6,I_COMMODITY_SDESC,CTY_CODE,CTY_NAME,YEAR,CON_VAL_YR,CAL_DUT_YR\n0106199120,01061991,010619,"DOGS, LIVE",5700,CHINA,2024,17300,50' >"$W/cut.csv"
	run T tariff --partner CN --rate 20 --imports-file "$W/cut.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cut.csv:2: the last line has no newline at its end: the file may be truncated"* ]]
	# the same file with its newline is read
	printf '\n' >>"$W/cut.csv"
	run T tariff --partner CN --rate 20 --imports-file "$W/cut.csv"
	[ "$status" -eq 0 ]
}

@test "no final newline: refused in a dataset and in a VSRR import (nothing written)" {
	cp -r "$ROOT/datasets" "$W/d"
	printf '%s' "$(cat "$W/d/trade.csv")" >"$W/d/trade.csv"	# drops the final newline
	run T --data-dir "$W/d" data validate trade
	[ "$status" -eq 1 ]
	[[ "$output" == *"trade.csv:"*": the last line has no newline at its end"* ]]
	head -c -1 "$ROOT/tests/data/hostile/vsrr_small.csv" >"$W/v.csv"
	run T data import-vsrr "$W/v.csv" --vintage 2026-02-14 -o "$W/out.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"v.csv:"*": the last line has no newline at its end"* ]]
	[ ! -e "$W/out.csv" ]
}

@test "every shipped dataset and CSV fixture ends with a newline" {
	cd "$ROOT"
	bad=
	for f in datasets/*.csv datasets/*/*.csv tests/data/*/*.csv tests/data/*/*/*.csv; do
		[ -f "$f" ] && [ -s "$f" ] || continue
		case $f in tests/data/bad/no_final_newline.csv) continue ;; esac
		[ -z "$(tail -c 1 "$f")" ] || bad="$bad $f"
	done
	[ -z "$bad" ] || { echo "no final newline:$bad"; return 1; }
}

# ---------------------------------------------------------------- item 8

@test "a FIFO as a dataset: every command and --version return at once" {
	cp -r "$ROOT/datasets" "$W/d"
	rm "$W/d/tariffs.csv"
	mkfifo "$W/d/tariffs.csv"
	run timeout 60 $TOCALC_WRAP "$TOCALC" --data-dir "$W/d" --version
	[ "$status" -eq 0 ]
	[[ "$output" == *"tariffs "*"does not load"* ]]
	run timeout 60 $TOCALC_WRAP "$TOCALC" --data-dir "$W/d" tariff --partner CN --rate 20
	[ "$status" -eq 1 ]
	[[ "$output" == *"tariffs.csv' is a FIFO (named pipe), not a CSV file"* ]]
}

@test "a FIFO, a device or a directory as an input file is refused (exit 1), never read" {
	mkfifo "$W/fifo.csv"
	run timeout 20 $TOCALC_WRAP "$TOCALC" tariff --partner CN --rate 20 --imports-file "$W/fifo.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"fifo.csv' is a FIFO (named pipe), not a CSV file (tocalc reads input only from regular files)"* ]]
	run T tariff --partner CN --rate 20 --imports-file /dev/zero
	[ "$status" -eq 1 ]
	[[ "$output" == *"'/dev/zero' is a character device, not a CSV file"* ]]
	run T tariff --partner CN --rate 20 --imports-file "$W"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is a directory, not a CSV file"* ]]
	mkfifo "$W/s.scn"
	run timeout 20 $TOCALC_WRAP "$TOCALC" tariff run "$W/s.scn"
	[ "$status" -eq 1 ]
	[[ "$output" == *"s.scn' is a FIFO (named pipe), not a file"* ]]
}

# ---------------------------------------------------------------- item 5

@test "--imports-file keeps the partner's rows: CHINA 1,017,300 of a CHINA+MEXICO file, MEXICO reported as skipped" {
	need_jq
	# the fixture by hand: CHINA 17,300 + 1,000,000; MEXICO 500,000
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_cn_mx.csv" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "1017300" ]
	[ "$(jq -r .lines <<<"$output")" = "2" ]
	[ "$(jq -r .lines_skipped <<<"$output")" = "1" ]
	[ "$(jq -r .imports_skipped_usd <<<"$output")" = "500000" ]
	[ "$(jq -r .skipped <<<"$output")" = "MEXICO 2024: 1 line, USD 500000" ]
	run T tariff --partner MX --rate 20 --imports-file "$RD/hs10_cn_mx.csv" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "500000" ]
	# the note on stderr in the table output
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_cn_mx.csv"
	[[ "$output" == *"note: 1 line of other countries or years skipped (USD 500000): MEXICO 2024: 1 line, USD 500000"* ]]
}

@test "--imports-file: a file of another country is refused unless --any-country" {
	need_jq
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_mexico.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"hs10_mexico.csv: column 'CTY_NAME': no row of CHINA (the file holds MEXICO): give the file's partner with --partner, or use every row with --any-country"* ]]
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_mexico.csv" --any-country --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "750000" ]
	run T tariff --partner CN --rate 20 --any-country
	[ "$status" -eq 2 ]
	[[ "$output" == *"--any-country needs --imports-file"* ]]
}

@test "--imports-file: several years are refused with their list; --year picks one" {
	need_jq
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_two_years.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"hs10_two_years.csv: column 'YEAR': the file holds rows of several years (2023, 2024): choose one with --year"* ]]
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_two_years.csv" --year 2023 --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "40000" ]
	[ "$(jq -r .year <<<"$output")" = "2023" ]
	[ "$(jq -r .skipped <<<"$output")" = "CHINA 2024: 2 lines, USD 1017300" ]
	run T tariff --partner CN --rate 20 --imports-file "$RD/hs10_two_years.csv" --year 2022
	[ "$status" -eq 1 ]
	[[ "$output" == *"column 'YEAR': no row of CHINA for 2022 (the file holds 2023, 2024)"* ]]
}

@test "--product-rates (China's Section 301 lists) is refused for another partner" {
	run T tariff --partner MX --rate 20 --imports-file "$RD/hs10_cn_mx.csv" --product-rates "$FX/lists_small.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--product-rates: the Section 301 lists apply to China only (--partner CN)"* ]]
}

@test "real Census files: China and Mexico together give each partner its own total (awk)" {
	need_jq
	cn="$SHARED/us_imports_hs10_2024_china.csv" mx="$SHARED/us_imports_hs10_2024_mexico.csv"
	[ -f "$cn" ] && [ -f "$mx" ] || skip "../shared/data is absent"
	{ cat "$cn"; tail -n +2 "$mx"; } >"$W/both.csv"
	# independent totals: CON_VAL_YR is the second-last field (descriptions may hold commas)
	want_cn=$(awk -F, 'NR > 1 { s += $(NF - 1) } END { printf "%.0f", s }' "$cn")
	want_mx=$(awk -F, 'NR > 1 { s += $(NF - 1) } END { printf "%.0f", s }' "$mx")
	run T tariff --partner CN --rate 20 --imports-file "$W/both.csv" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "$want_cn" ]
	[ "$(jq -r .imports_skipped_usd <<<"$output")" = "$want_mx" ]
	run T tariff --partner MX --rate 20 --imports-file "$W/both.csv" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .imports_usd <<<"$output")" = "$want_mx" ]
	run T tariff --partner MX --rate 20 --imports-file "$cn"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no row of MEXICO (the file holds CHINA)"* ]]
}

@test "no final newline: a scenario file is refused too (tc_read_file)" {
	printf 'tocalc-scenario 1\npartner CN rate 20' >"$W/s.scn"
	run T tariff run "$W/s.scn"
	[ "$status" -eq 1 ]
	[[ "$output" == *"s.scn:2: the last line has no newline at its end: the file may be truncated"* ]]
	printf '\n' >>"$W/s.scn"
	run T tariff run "$W/s.scn"
	[ "$status" -eq 0 ]
}
