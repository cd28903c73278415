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
	run timeout 20 "$TOCALC" --data-dir "$W/d" --version
	[ "$status" -eq 0 ]
	[[ "$output" == *"tariffs "*"does not load"* ]]
	run timeout 20 "$TOCALC" --data-dir "$W/d" tariff --partner CN --rate 20
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
