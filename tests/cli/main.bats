#!/usr/bin/env bats
# CLI golden tests: global options, help, exit codes.
bats_require_minimum_version 1.5.0

load helpers

@test "--help lists every command and the exit codes" {
	run T --help
	[ "$status" -eq 0 ]
	for c in check data overdose plot report tariff; do
		[[ "$output" == *"   $c "* ]]
	done
	[[ "$output" == *"exit codes: 0 ok, 1 bad data"* ]]
}

@test "no command is a usage error (exit 2)" {
	run T
	[ "$status" -eq 2 ]
}

@test "unknown command: exit 2 and a clear message" {
	run T frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"'frobnicate' is not a tocalc command"* ]]
}

@test "unknown global option: exit 2" {
	run T --bogus data list
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--bogus'"* ]]
}

@test "help CMD and CMD --help print the same text" {
	run T help data
	[ "$status" -eq 0 ]
	a="$output"
	run T data --help
	[ "$status" -eq 0 ]
	[ "$a" = "$output" ]
	[[ "$a" == "usage: tocalc data"* ]]
}

@test "help of an unknown command: exit 2" {
	run T help nope
	[ "$status" -eq 2 ]
}

@test "--version prints the version and each dataset's vintage" {
	run T --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "tocalc "[0-9]* ]]
	[[ "$output" == *"overdose_12mo"*"vintage 2026-02-14"* ]]
}

@test "--data-dir that is not a directory: exit 2, saying why" {
	run T --data-dir /nonexistent data list
	[ "$status" -eq 2 ]
	[ "$output" = "tocalc: --data-dir: '/nonexistent': No such file or directory" ]
	run T data list --data-dir "$BATS_TEST_DIRNAME/main.bats"
	[ "$status" -eq 2 ]
	[ "$output" = "tocalc: --data-dir: '$BATS_TEST_DIRNAME/main.bats' is not a directory" ]
}

@test "TOCALC_DATA that is not a directory: exit 2" {
	TOCALC_DATA=/nonexistent run T data list
	[ "$status" -eq 2 ]
	[ "$output" = "tocalc: TOCALC_DATA: '/nonexistent': No such file or directory" ]
}

@test "unknown command option: exit 2 naming the option" {
	run T data list --frob
	[ "$status" -eq 2 ]
	[[ "$output" == *"data: unknown option '--frob'"* ]]
}

@test "a full disk is a write error (exit 1), not silence" {
	run sh -c "$TOCALC_WRAP '$TOCALC' data show overdose_12mo > /dev/full"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write"* ]]
}

@test "a closed stdout does not crash" {
	run sh -c "$TOCALC_WRAP '$TOCALC' data show overdose_12mo >&-"
	[ "$status" -le 1 ]
	[[ "$output" != *"Segmentation"* ]]
}

@test "a reader that stops early (| head -1) is not an error, however the race falls" {
	# the JSON is written in one go after the reader may already be gone
	local i
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		run --separate-stderr bash -c "'$TOCALC' tariff --partner CN --rate 200 --json | (head -c1 >/dev/null); exit \${PIPESTATUS[0]}"
		[ "$status" -eq 0 ] || { echo "run $i: exit $status: $stderr"; return 1; }
		[ -z "$stderr" ] || { echo "run $i: $stderr"; return 1; }
	done
}

@test "-q and -h work after the command as before it" {
	run --separate-stderr T overdose change --from 2022 --to 2023 -q
	[ "$status" -eq 0 ]
	run T overdose -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: tocalc overdose"* ]]
	run T overdose change --from 2022 --to 2023 -x
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '-x'"* ]]
}

@test "a binary moved away from its datasets: --data-dir works after the command too" {
	local d="$BATS_TEST_TMPDIR/bin" data
	data=$(cd "$BATS_TEST_DIRNAME/../../datasets" && pwd)
	mkdir -p "$d"
	cp "$TOCALC" "$d/tocalc"
	run env -u TOCALC_DATA "$d/tocalc" tariff --partner CN --rate 20
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot find the datasets directory"* ]]
	run env -u TOCALC_DATA "$d/tocalc" tariff --partner CN --rate 20 --data-dir "$data" --json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"tariff_change"'* ]]
	run env -u TOCALC_DATA "$d/tocalc" --data-dir "$data" tariff --partner CN --rate 20 --json
	[ "$status" -eq 0 ]
	run env -u TOCALC_DATA "$d/tocalc" --version
	[ "$status" -eq 0 ]
}

@test "did you mean: the nearest command, flag, subcommand, claim, dataset and series (git's rule)" {
	run T tarif
	[ "$status" -eq 2 ]
	[[ "$output" == *"'tarif' is not a tocalc command (did you mean 'tariff'?)"* ]]
	run T help tarif
	[ "$status" -eq 2 ]
	[[ "$output" == *"(did you mean 'tariff'?)"* ]]
	run T --jsn check
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--jsn' (did you mean '--json'?)"* ]]
	run T overdose trend --seires all_drugs
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--seires' (did you mean '--series'?)"* ]]
	run T overdose trnd
	[ "$status" -eq 2 ]
	[[ "$output" == *"(did you mean 'trend'?)"* ]]
	run T data shwo overdose_12mo
	[ "$status" -eq 2 ]
	[[ "$output" == *"(did you mean 'show'?)"* ]]
	run T check fentanyl-76k
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown claim 'fentanyl-76k' (did you mean 'fentanyl-76k-2022'?)"* ]]
	run T data show overdose
	[ "$status" -eq 2 ]
	[[ "$output" == *"(did you mean one of 'overdose_12mo', 'overdose_annual'?)"* ]]
	run T overdose trend --series all-drugs
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown series 'all-drugs' (did you mean 'all_drugs'?)"* ]]
	# nothing near: no hint
	run T xyzzyq
	[ "$status" -eq 2 ]
	[[ "$output" != *"did you mean"* ]]
}
