#!/usr/bin/env bats
# tocalc plot: recipes, terminals, --script-only, hostile text, a missing or
# failing gnuplot, atomic output and byte-identical reruns.

load helpers

setup() {
	D="$BATS_TEST_DIRNAME/../data/plot"
	W="$BATS_TEST_TMPDIR"
	M="$W/PWNED"		# created only if injected text ever runs
}

# A fake gnuplot (body $1) first on PATH.
fake_gnuplot() {
	mkdir -p "$W/fake"
	printf '#!/bin/sh\n%s\n' "$1" >"$W/fake/gnuplot"
	chmod +x "$W/fake/gnuplot"
}

series() {
	T plot series --file "$D/series.csv" --x year --y count "$@"
}

@test "plot --list lists the recipes" {
	run T plot --list
	[ "$status" -eq 0 ]
	[[ "$output" == *"series"*"any CSV file as a line plot"* ]]
	run T plot --list --json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"name": "series"'* ]]
}

@test "plot: usage errors exit 2 with a clear message" {
	run T plot
	[ "$status" -eq 2 ]
	[[ "$output" == *"which recipe?"* ]]
	run T plot nosuch -o x.svg
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown recipe 'nosuch'"* ]]
	run series
	[ "$status" -eq 2 ]
	[[ "$output" == *"no output file"* ]]
	run series -o "$W/x.jpg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot tell the format of"* ]]
	run series -o "$W/x.svg" --terminal postscript
	[ "$status" -eq 2 ]
	[[ "$output" == *"--terminal: expected svg, png or pdf"* ]]
	run T plot series --file "$D/series.csv" --x year -o "$W/x.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--file, --x and --y are required"* ]]
	run series -o "$W/x.svg" --width 5
	[ "$status" -eq 2 ]
	[ ! -e "$W/x.svg" ]
}

@test "plot series --script-only: golden script, no gnuplot needed" {
	cd "$BATS_TEST_DIRNAME/../.."	# the golden names the file relative to the checkout
	run T_path /nonexistent plot series --file tests/data/plot/series.csv --x year --y count \
		--title 'Test series' --script-only -o plots/series.svg
	[ "$status" -eq 0 ]
	diff -u "$D/series_cli.gp" <(printf '%s\n' "$output")
}

@test "plot series --script-only without -o: no set output, a comment to redirect" {
	run series --script-only
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\nset output'* ]]
	[[ "$output" == *"the plot goes to standard output, so redirect it"* ]]
	run series --script-only -o plot.gp
	[ "$status" -eq 2 ]
	[[ "$output" == *"with --script-only, -o names the plot the script will make"* ]]
}

@test "the script from --script-only runs by hand and gives the same plot" {
	need_gnuplot
	cd "$W"
	run series -o a.svg
	[ "$status" -eq 0 ]
	series --script-only -o b.svg >b.gp
	gnuplot -d b.gp
	cmp a.svg b.svg
}

@test "svg, png and pdf: right format, identical bytes when run twice" {
	need_gnuplot
	for ext in svg png pdf; do
		run series -o "$W/a.$ext"
		[ "$status" -eq 0 ]
		sleep 1		# pdf creation dates have a one-second resolution
		run series -o "$W/b.$ext"
		[ "$status" -eq 0 ]
		cmp "$W/a.$ext" "$W/b.$ext"
	done
	head -c 5 "$W/a.svg" | grep -q '<?xml'
	head -c 4 "$W/a.png" | grep -q 'PNG'
	head -c 5 "$W/a.pdf" | grep -q '%PDF-'
	grep -a -q 'CreationDate (D:19700101000000Z)' "$W/a.pdf"
	[ "$(ls -A "$W" | wc -l)" -eq 6 ]	# no temporary files left
}

@test "--terminal overrides the extension; -o - writes the plot to stdout" {
	need_gnuplot
	run series -o "$W/plot.out" --terminal pdf
	[ "$status" -eq 0 ]
	head -c 5 "$W/plot.out" | grep -q '%PDF-'
	series -o - >"$W/stdout.svg"
	series -o "$W/file.svg"
	cmp "$W/stdout.svg" "$W/file.svg"
}

@test "months on x: a time axis" {
	need_gnuplot
	run T plot series --file "$D/series_month.csv" --x month --y rate --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *"set xtics time"* ]]
	[[ "$output" == *$'\n1546300800 0\n'* ]]	# 2019-01-01 UTC
	run T plot series --file "$D/series_month.csv" --x month --y rate -o "$W/m.svg"
	[ "$status" -eq 0 ]
	grep -q '2020-01' "$W/m.svg"
}

@test "control: the hostile strings do run when pasted into a command (the marker works)" {
	need_gnuplot
	cd "$W"
	printf '%s\n' 'set terminal svg' 'set title "x"; system("touch PWNED"); x=""' 'plot x' >unsafe.gp
	gnuplot -d unsafe.gp >/dev/null 2>&1 || true
	[ -e PWNED ]
	rm PWNED
	printf '%s\n' 'set terminal svg' 'set title "`touch PWNED`"' 'plot x' >unsafe.gp
	gnuplot -d unsafe.gp >/dev/null 2>&1 || true
	[ -e PWNED ]
}

@test "hostile titles and labels render literally and run nothing" {
	need_gnuplot
	hostile=(
		"\`touch $M\`"
		"\"; system(\"touch $M\"); x=\""
		"'; system('touch $M'); x='"
		"@macro"
		"trailing backslash \\"
		"set output \"|touch $M\""
		"TOCALC_TEXT_END"
		"TOCALC_DATA_END"
		"EOD"
		"! touch $M"
		"100% %s %n"
		"</text><script>x</script>"
	)
	for h in "${hostile[@]}"; do
		run series --title "$h" --xlabel "$h" --ylabel "$h" -o "$W/h.svg"
		[ "$status" -eq 0 ]
		[ ! -e "$M" ]
		[ -s "$W/h.svg" ]
	done
	run series --title "</text><script>x</script>" -o "$W/h.svg"
	grep -q '&lt;/text>&lt;script>x&lt;/script>' "$W/h.svg"
	if grep -q '<script>' "$W/h.svg"; then false; fi
	run series --title "set output \"|touch $M\"" -o "$W/h.svg"
	grep -qF "set output &quot;|touch $M&quot;" "$W/h.svg" || grep -qF "set output \"|touch $M\"" "$W/h.svg"
	[ ! -e "$M" ]
}

@test "a newline or other control character in text is refused (exit 2), nothing written" {
	run series --title $'two\nsystem("touch '"$M"'")' -o "$W/n.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--title: control character 0x0a at byte 4 is not allowed in plot text"* ]]
	[ ! -e "$W/n.svg" ]
	[ ! -e "$M" ]
	run series --ylabel $'a\rb' -o "$W/n.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--ylabel: control character 0x0d"* ]]
	run series --xlabel $'bad \xff byte' -o "$W/n.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--xlabel: invalid UTF-8"* ]]
}

@test "hostile file and column names: data, never commands" {
	need_gnuplot
	cd "$W"		# gnuplot runs here too, so a relative PWNED would appear here
	f="a\`touch PWNED\`b\"; system(\"touch PWNED\") @m \\.csv"
	printf '%s\n' '"year","count `touch PWNED` ""; system(""touch PWNED"")"' 2010,1 2011,2 >"$f"
	col='count `touch PWNED` "; system("touch PWNED")'
	run T plot series --file "$f" --x year --y "$col" --source "$f" -o "out \`touch PWNED\` '|x.svg"
	[ "$status" -eq 0 ]
	[ -s "out \`touch PWNED\` '|x.svg" ]
	grep -qF 'a`touch PWNED`b&quot;; system(&quot;touch PWNED&quot;) @m \.csv' "out \`touch PWNED\` '|x.svg" ||
		grep -qF 'a`touch PWNED`b"; system("touch PWNED") @m \.csv' "out \`touch PWNED\` '|x.svg"
	[ ! -e PWNED ]
	# --script-only with an unsafe output name: the name is not in the script
	run T plot series --file "$f" --x year --y "$col" --script-only -o "o'|touch PWNED.svg"
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\nset output'* ]]
	[[ "$output" != *"o'|touch"* ]]
	printf '%s\n' "$output" >s.gp
	gnuplot -d s.gp >s.svg
	[ -s s.svg ]
	[ ! -e PWNED ]
}

@test "gnuplot missing: exit 3 and a clear message; --script-only still works" {
	run T_path /nonexistent plot series --file "$D/series.csv" --x year --y count -o "$W/x.svg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"gnuplot is not installed"* ]]
	[ ! -e "$W/x.svg" ]
	[ "$(ls -A "$W" | wc -l)" -eq 0 ]
	run T_path /nonexistent plot series --file "$D/series.csv" --x year --y count --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *'$DATA << TOCALC_DATA_END'* ]]
}

@test "gnuplot killed mid-run: exit 3, the previous plot is intact" {
	printf 'previous plot\n' >"$W/keep.svg"
	fake_gnuplot 'echo "<?xml partial"; echo "about to die" >&2; kill -9 $$'
	run T_path "$W/fake:$PATH" plot series --file "$D/series.csv" --x year --y count -o "$W/keep.svg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"gnuplot was killed by signal 9"* ]]
	[[ "$output" == *"about to die"* ]]
	[ "$(cat "$W/keep.svg")" = "previous plot" ]
	[ "$(ls -A "$W" | grep -c keep)" -eq 1 ]	# no temporary file left
}

@test "gnuplot fails: exit 3 with its stderr; partial output is never installed" {
	printf 'previous plot\n' >"$W/keep.svg"
	fake_gnuplot 'cat >/dev/null; echo "<?xml version"; echo "\"/dev/stdin\" line 9: invalid command" >&2; exit 1'
	run T_path "$W/fake:$PATH" plot series --file "$D/series.csv" --x year --y count -o "$W/keep.svg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"gnuplot failed (exit status 1)"*"line 9: invalid command"* ]]
	[ "$(cat "$W/keep.svg")" = "previous plot" ]
	fake_gnuplot 'cat >/dev/null; echo "not a plot"'
	run T_path "$W/fake:$PATH" plot series --file "$D/series.csv" --x year --y count -o "$W/keep.svg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not a complete SVG file"* ]]
	[ "$(cat "$W/keep.svg")" = "previous plot" ]
}

@test "gnuplot gets LC_ALL=C, -d and the script on stdin" {
	fake_gnuplot 'echo "$LC_ALL|$LANG|$*" >&2; exit 1'
	run env LANG=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 bash -c \
		'PATH="$0:$PATH" $TOCALC_WRAP "$TOCALC" plot series --file "$1" --x year --y count -o "$2"' \
		"$W/fake" "$D/series.csv" "$W/x.svg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"C||-d /dev/stdin"* ]]
}

@test "plot series: data problems exit 1 with file and line" {
	printf 'year,count\n2010,1\n2011,x\n' >"$W/bad.csv"
	run T plot series --file "$W/bad.csv" --x year --y count --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.csv:3"* ]]
	printf 'year,count\n2010,1\n2010-05,2\n' >"$W/mixed.csv"
	run T plot series --file "$W/mixed.csv" --x year --y count --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"mixed.csv:3: column 'year': expected a number like the rows above, got '2010-05'"* ]]
	printf 'year,count\n2010,1\n2011,2\n2010,3\n' >"$W/dup.csv"
	run T plot series --file "$W/dup.csv" --x year --y count --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"dup.csv:4: column 'year': the same x value as line 2"* ]]
	printf 'year,count\n2010,\n2011,\n' >"$W/empty.csv"
	run T plot series --file "$W/empty.csv" --x year --y count --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"every y value is missing"* ]]
	run T plot series --file "$D/series.csv" --x year --y nosuch --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"nosuch"* ]]
	run T plot series --file "$W/none.csv" --x year --y count --script-only
	[ "$status" -eq 1 ]
}

@test "plot series sorts by x" {
	printf 'year,count\n2012,3\n2010,1\n2011,2\n' >"$W/unsorted.csv"
	run T plot series --file "$W/unsorted.csv" --x year --y count --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n2010 1\n2011 2\n2012 3\nTOCALC_DATA_END'* ]]
}

@test "plot series --joinpoint: the fit and its joinpoints, the same on every run" {
	printf 'year,v\n' >"$W/jp.csv"
	for i in $(seq 0 19); do
		if [ "$i" -lt 10 ]; then v=$((100 + 10 * i)); else v=$((190 + 40 * (i - 9))); fi
		printf '%d,%d\n' $((2000 + i)) "$v" >>"$W/jp.csv"
	done
	run T plot series --file "$W/jp.csv" --x year --y v --joinpoint --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\njoinpoint fit ('*' joinpoint'* ]]
	[[ "$output" == *"set arrow "*" from 2009, graph 0"* ]]	# where the slope changes
	a="$output"
	run T plot series --file "$W/jp.csv" --x year --y v --joinpoint --script-only
	[ "$output" = "$a" ]
	printf 'year,v\n2000,1\n2001,0\n2002,3\n2003,4\n' >"$W/zero.csv"
	run T plot series --file "$W/zero.csv" --x year --y v --joinpoint --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"joinpoint"*"needs values > 0"* ]]
}

@test "plot series: no file name or path in the figure; --source writes the source line" {
	run T plot series --file "$D/series.csv" --x year --y count --script-only
	[ "$status" -eq 0 ]
	[[ "$output" != *"series.csv"* && "$output" != *"$D"* ]]
	run T plot series --file "$D/series.csv" --x year --y count --script-only \
		--source 'Source: CDC NCHS, final data'
	[[ "$output" == *$'\nSource: CDC NCHS, final data\n'* ]]
	run T plot series --file "$D/series.csv" --x year --y count --script-only \
		--source $'two\nlines'
	[ "$status" -eq 2 ]
}

@test "one default size: a recipe and plot series are both 960x600 PNGs" {
	need_gnuplot
	T plot claims -o "$W/c.png"
	T plot series --file "$D/series.csv" --x year --y count -o "$W/s.png"
	for f in "$W/c.png" "$W/s.png"; do
		# PNG IHDR: width and height, big-endian, at bytes 16..23
		[ "$(od -An -tu1 -j16 -N8 "$f" | tr -s ' ' | sed 's/^ //')" = "0 0 3 192 0 0 2 88" ]
	done
	T plot --help | grep -q 'default 960x600'
}

@test "did you mean: a mistyped recipe or flag is a usage error with a suggestion" {
	run T plot claim -o "$W/x.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown recipe 'claim' (did you mean 'claims'?)"* ]]
	run T plot claims --titel x -o "$W/x.svg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--titel' (did you mean '--title'?)"* ]]
}
