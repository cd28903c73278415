#!/usr/bin/env bats
# CLI golden tests: global options, help, exit codes.

setup() {
	: "${TOCALC:=$BATS_TEST_DIRNAME/../../tocalc}"
	T() { $TOCALC_WRAP "$TOCALC" "$@"; }
}

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

@test "--data-dir that is not a directory: exit 2" {
	run T --data-dir /nonexistent data list
	[ "$status" -eq 2 ]
	[[ "$output" == *"'/nonexistent' is not a directory"* ]]
}

@test "TOCALC_DATA that is not a directory: exit 2" {
	TOCALC_DATA=/nonexistent run T data list
	[ "$status" -eq 2 ]
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
