#!/usr/bin/env bats
# Every diagnostic is escaped (issue 17 item 3; docs/guarantees.md): the
# progress lines and notes that print a file name or dataset text go
# through tc_message / tc_put_escaped (util.c), so ESC and the other
# non-printing bytes reach the terminal as "\x1b"-style text.  One path a
# test: report (figures, page, failed stage), data import-vsrr, overdose
# revisions -o, and a note of out.c.
#
# Cheap under valgrind (TOCALC_WRAP): a few runs per test; the report runs
# (thousands of permutations) are skipped there, as in hostile_io.bats.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	W="$BATS_TEST_TMPDIR"
	E=$'\e[31m'
}

# no raw ESC or U+202E in $stderr
clean() {
	! grep -q $'\e' <<<"$stderr"
	! grep -q $'\xe2\x80\xae' <<<"$stderr"
}

@test "report: figures written, page written and a failed stage name the paths escaped" {
	[ -z "${TOCALC_WRAP:-}" ] || skip "report under valgrind: same printer as the runs below"
	need_gnuplot
	run --separate-stderr T report --out-dir "$W/fig${E}s" --html "$W/page${E}.html"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"figures written to $W/fig\\x1b[31ms/"* ]]
	[[ "$stderr" == *"HTML page written to $W/page\\x1b[31m.html"* ]]
	clean
	mkdir -p "$W/st${E}/overdose-deaths.svg"
	run --separate-stderr T report --out-dir "$W/st${E}"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"report: '$W/st\\x1b[31m/overdose-deaths.svg' is a directory; no figure was replaced"* ]]
	clean
}

@test "data import-vsrr: the output file name is escaped" {
	run --separate-stderr T data import-vsrr "$ROOT/tests/data/hostile/vsrr_small.csv" \
		-o "$W/v${E}.csv" --vintage 2020-01-01
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"to '$W/v\\x1b[31m.csv', vintage 2020-01-01"* ]]
	clean
}

@test "overdose revisions -o: the figure's name is escaped" {
	need_gnuplot
	run --separate-stderr T overdose revisions --from 2017-01 --to 2017-03 -o "$W/r${E}.svg"
	[ "$status" -eq 0 ]
	[ -s "$W/r${E}.svg" ]
	[[ "$stderr" == *"figure written to '$W/r\\x1b[31m.svg'"* ]]
	clean
}

@test "notes: dataset text with a bidirectional override is escaped" {
	mkdir "$W/d"
	cp -r "$ROOT/datasets/." "$W/d/"
	sed -i '2s/,$/,a \xe2\x80\xaeton note/' "$W/d/overdose_annual.csv"
	run --separate-stderr T --data-dir "$W/d" overdose value --at 1999
	[ "$status" -eq 0 ]
	[[ "$stderr" == *'tocalc: note: dataset note: a \xe2\x80\xaeton note'* ]]
	clean
}
