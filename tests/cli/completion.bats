#!/usr/bin/env bats
# Bash completion: commands, flags (read from `tocalc help CMD`), dataset,
# series and claim names.

setup() {
	: "${TOCALC:=$BATS_TEST_DIRNAME/../../tocalc}"
	[ -z "${TOCALC_WRAP:-}" ] || skip "completion is tested in the plain build only"
	bindir="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$bindir"
	ln -sf "$TOCALC" "$bindir/tocalc"
	export PATH="$bindir:$PATH"
	source "$BATS_TEST_DIRNAME/../../scripts/tocalc.bash-completion"
}

complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_tocalc
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "completes command names" {
	run complete_words tocalc ov
	[ "$output" = overdose ]
}

@test "completes data subcommands and dataset names" {
	run complete_words tocalc data va
	[ "$output" = validate ]
	run complete_words tocalc data show overdose_
	[[ "$output" == *overdose_12mo* && "$output" == *overdose_annual* ]]
}

@test "completes a command's flags from its help text" {
	run complete_words tocalc data --li
	[ "$output" = "--limit" ]
}

@test "completes series names and claim ids" {
	run complete_words tocalc overdose change --series syn
	[ "$output" = synthetic_opioids ]
	run complete_words tocalc check fentanyl-76
	[ "$output" = fentanyl-76k-2022 ]
}

@test "completes --indicator with the short names the program knows" {
	run complete_words tocalc plot vsrr-12mo --indicator her
	[ "$output" = heroin ]
	run complete_words tocalc overdose change --indicator natural_semi
	[[ "$output" == *natural_semisynthetic* && "$output" == *natural_semisynthetic_methadone* ]]
}
