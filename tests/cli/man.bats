#!/usr/bin/env bats
# The manual page docs/tocalc.1: lint-clean, renders, and agrees with the
# program: every command of `tocalc --help` has a section, every long flag
# of `tocalc help CMD` is described, the recipes, datasets, scenarios and
# exit codes are the program's, and the read-only examples run.

load helpers

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	MAN="$ROOT/docs/tocalc.1"
	commands() { T --help | sed -n '/^commands:/,/^$/s/^   \([a-z][a-z-]*\) .*/\1/p'; }
}

need_mandoc() {
	command -v mandoc >/dev/null || skip "mandoc is missing (Debian package mandoc)"
}

# The page as text (mandoc, else groff through man), one copy per test.
rendered() {
	if command -v mandoc >/dev/null; then
		mandoc -T ascii "$MAN" | col -b
	else
		MANWIDTH=80 man -l "$MAN" 2>/dev/null | col -b
	fi
}

@test "the man page exists and mandoc -T lint finds nothing (warnings or worse)" {
	need_mandoc
	[ -f "$MAN" ]
	run mandoc -T lint -W warning "$MAN"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "mandoc -T lint: no style messages either (cross-reference lookups aside)" {
	need_mandoc
	run sh -c "mandoc -T lint -W style '$MAN' 2>&1 | grep -v 'mandoc.db'"
	[ -z "$output" ]
}

@test "the man page renders: mandoc -T ascii, and man -l through groff without warnings" {
	need_mandoc
	run bash -c "set -o pipefail; mandoc -T ascii '$MAN' | col -b"
	[ "$status" -eq 0 ]
	[[ "$output" == *"NAME"*"tocalc"*"SYNOPSIS"*"COMMANDS"*"ENVIRONMENT"*"FILES"*"EXIT STATUS"*"EXAMPLES"*"SEE ALSO"* ]]
	if command -v man >/dev/null && command -v groff >/dev/null; then
		run sh -c "MANWIDTH=80 man -l '$MAN' 2>&1 >/dev/null"
		[ -z "$output" ]
		run sh -c "groff -mdoc -ww -z '$MAN' 2>&1"
		[ -z "$output" ]
	fi
}

@test "every command of 'tocalc --help' has a section (.Ss) in the man page" {
	n=0
	for c in $(commands); do
		grep -q "^\.Ss $c\$" "$MAN" || { echo "no section for '$c'"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 6 ]
	grep -q '^\.Ss help$' "$MAN"
}

@test "every long flag of 'tocalc help CMD' is in the man page, for every command" {
	text=$(rendered)
	for c in $(commands); do
		for f in $(T help "$c" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
			# as a flag: followed by a space, comma, bracket, parenthesis or the end of a line
			printf '%s\n' "$text" | grep -qE -- "(^|[^a-z-])$f([] ,).:|=]|\$)" ||
				{ echo "'tocalc help $c' has $f; the man page does not"; false; }
		done
	done
}

@test "every long flag of 'tocalc --help' is in the man page OPTIONS" {
	opts=$(rendered | sed -n '/^OPTIONS/,/^COMMANDS/p')
	for f in $(T --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		printf '%s\n' "$opts" | grep -q -- "$f" || { echo "OPTIONS lacks $f"; false; }
	done
}

@test "every subcommand named in the help texts is in the man page" {
	text=$(rendered)
	for s in list show validate import-vsrr sweep run revenue-max change sum trend joinpoint events; do
		printf '%s\n' "$text" | grep -qw -- "$s" || { echo "no '$s'"; false; }
	done
	# and the help texts still name them (the list above is not stale)
	T help data | grep -q import-vsrr
	T help tariff | grep -q revenue-max
	T help overdose | grep -q 'overdose events'
}

@test "the plot recipes, datasets and shipped scenarios of the man page are the program's" {
	for r in $(T --csv plot --list | tail -n +2 | cut -d, -f1); do
		grep -q "^\.It Cm $r\$" "$MAN" || { echo "recipe $r is not described"; false; }
	done
	for d in $(T --csv data list | tail -n +2 | cut -d, -f1); do
		grep -q "\.Pa $d\.csv" "$MAN" || { echo "dataset $d.csv is not in FILES"; false; }
	done
	for s in "$ROOT"/scenarios/*.scn; do
		s=$(basename "$s" .scn)
		grep -qw -- "$s" "$MAN" || { echo "scenario $s is not in FILES"; false; }
	done
}

@test "the exit codes of the man page are those of 'tocalc --help'" {
	T --help | grep -q 'exit codes: 0 ok, 1 bad data or failed computation, 2 usage error,'
	T --help | grep -q '3 external tool'
	section=$(rendered | sed -n '/^EXIT STATUS/,/^EXAMPLES/p')
	for k in 0 1 2 3; do
		printf '%s\n' "$section" | grep -qE "^ +$k[[:space:]]" || { echo "exit $k missing"; false; }
	done
	[[ "$section" == *"Usage error"* && "$section" == *"gnuplot"* ]]
}

@test "the environment section names TOCALC_DATA, NO_COLOR and the locale variables" {
	section=$(rendered | sed -n '/^ENVIRONMENT/,/^FILES/p')
	for v in TOCALC_DATA NO_COLOR LC_ALL PATH; do
		[[ "$section" == *"$v"* ]] || { echo "no $v"; false; }
	done
	# TOCALC_DATA is what the program reads
	grep -q 'getenv("TOCALC_DATA")' "$ROOT/src/main.c"
}

@test "the read-only examples of the man page run and exit 0" {
	# the lines starting with 'tocalc' in EXAMPLES, continuation lines joined;
	# those that write files, pipe or redirect are left out
	ex=$(sed -n '/^\.Sh EXAMPLES/,/^\.Sh SEE ALSO/p' "$MAN" |
		sed -e 's/^\.Dl //' | sed -e ':a' -e '/\\e$/{N;s/\\e\n */ /;ba' -e '}' |
		grep '^tocalc ' | grep -v -e ' -o ' -e '--html' -e 'import-vsrr' -e '[|>]' | sed 's/ *#.*//')
	n=0
	while IFS= read -r line; do
		# shellcheck disable=SC2086
		$TOCALC_WRAP "$TOCALC" ${line#tocalc } >/dev/null || { echo "failed: $line"; false; }
		n=$((n + 1))
	done <<<"$ex"
	[ "$n" -ge 8 ]
}

@test "make install puts the man page in man1 and man finds it there" {
	[ -z "${TOCALC_WRAP:-}" ] || skip "install is tested in the plain build only"
	d="$BATS_TEST_TMPDIR/dest"
	run make -C "$ROOT" --no-print-directory install PREFIX=/usr DESTDIR="$d"
	[ "$status" -eq 0 ]
	cmp "$MAN" "$d/usr/share/man/man1/tocalc.1"
	if command -v man >/dev/null; then
		run sh -c "MANWIDTH=80 man -M '$d/usr/share/man' tocalc 2>/dev/null | col -b | head -5"
		[[ "$output" == *"TOCALC(1)"* ]]
	fi
}
