#!/usr/bin/env bats
# The figures: every recipe renders (svg, png, pdf), --script-only without
# gnuplot, `make plots` (scripts/make-plots.sh) and plots/MANIFEST, reruns give
# the same bytes, the committed plots/ match a fresh run, the README gallery.

bats_require_minimum_version 1.5.0

FIGS="overdose-deaths vsrr-12mo tariff-laffer scenarios claims"

load helpers

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	W="$BATS_TEST_TMPDIR"
}

# scripts/make-plots.sh with this tocalc (the script itself runs no wrapper).
make_plots() {
	TOCALC="$TOCALC" "$ROOT/scripts/make-plots.sh" "$@"
}

# The data lines of a MANIFEST: file<TAB>sha256<TAB>command.
manifest_rows() {
	grep -v '^#' "$1"
}

@test "plot --list lists all seven recipes" {
	run T plot --list --csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" = \
		"overdose-deaths vsrr-12mo tariff-laffer scenarios claims effective-rates series " ]
	run T plot --list
	[ "$status" -eq 0 ]
	for f in $FIGS series; do
		[[ "$output" == *"$f"* ]]
	done
	run T plot --help
	for f in $FIGS; do
		[[ "$output" == *"  $f"* ]]
	done
}

@test "every recipe renders as svg; png and pdf have their magic bytes" {
	need_gnuplot
	for f in $FIGS; do
		run T plot "$f" -o "$W/$f.svg"
		[ "$status" -eq 0 ]
		head -c 5 "$W/$f.svg" | grep -q '<?xml'
		tail -c 20 "$W/$f.svg" | grep -q '</svg>'
		run T plot "$f" -o "$W/$f.png"
		[ "$status" -eq 0 ]
		[ "$(od -An -tx1 -N8 "$W/$f.png" | tr -d ' \n')" = 89504e470d0a1a0a ]
		run T plot "$f" -o "$W/$f.pdf"
		[ "$status" -eq 0 ]
		head -c 5 "$W/$f.pdf" | grep -q '%PDF-'
		grep -a -q 'CreationDate (D:19700101000000Z)' "$W/$f.pdf"
	done
	T plot series --file "$ROOT/tests/data/plot/series.csv" --x year --y count -o "$W/series.svg"
	head -c 5 "$W/series.svg" | grep -q '<?xml'
	[ "$(ls -A "$W" | wc -l)" -eq 16 ]	# no temporary files
}

@test "every recipe: --script-only without gnuplot; its text only in \$TXT" {
	for f in $FIGS; do
		run T_path /nonexistent plot "$f" --script-only
		[ "$status" -eq 0 ]
		[[ "$output" == *'$TXT << TOCALC_TEXT_END'* ]]
		[[ "$output" == *'$DATA << TOCALC_DATA_END'* ]]
		# after the datablocks, no quoted text but the fixed formats, colours and fonts
		printf '%s\n' "$output" | sed -n '/^TOCALC_DATA_END$/,$p' |
			grep -o "'[^']*'" | sort -u >"$W/q.txt"
		! grep -Ev "^'(NaN|%\.0f|%\.0f%%|%Y-%m|%Y-%m-%d|#[0-9a-f]{6}|,8|)'$" "$W/q.txt"
	done
	# the recipe's flags: --scenarios only for scenarios
	run T plot claims --scenarios "$W" --script-only
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--scenarios' does not apply"* ]]
	run T plot scenarios --scenarios "$W/none" --script-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"$W/none"* ]]
	# --title overrides a recipe's title
	run T plot claims --title 'My `title`' --script-only
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\nMy `title`\n'* ]]
}

# Block N (0-based) of the $DATA datablock of a script.
data_block() {
	awk '/^\$DATA << /{on=1;next} /^TOCALC_DATA_END$/{on=0} on' | awk -v n="$1" 'BEGIN{RS=""} NR==n+1'
}

@test "tariff-laffer draws the sweep of the headline scenario's layer, and its revenue maximum" {
	command -v jq >/dev/null 2>&1 || skip "jq not installed"
	T plot tariff-laffer --script-only >"$W/l.gp"
	# china-200: the fentanyl layer of CN on 2025-02-10, 2024 imports, CN, MX, CA and ROW modelled
	T tariff run china-200 --draws 0 --json >"$W/run.json"
	args="--partner CN --layer ieepa_fentanyl --as-of 2025-02-10 --year 2024"
	T tariff sweep $args --json >"$W/s.json"
	want=$(jq -r '.revenue_max[0].rate_pct' "$W/run.json")
	# blocks: revenue band, revenue (USD bn), its maximum (when there is one), imports band, imports
	ib=3; [ "$want" = "null" ] || ib=4
	data_block "$ib" <"$W/l.gp" >"$W/imports.txt"
	data_block 1 <"$W/l.gp" >"$W/revenue.txt"
	[ "$(wc -l <"$W/revenue.txt")" -eq "$(jq '.sweep | length' "$W/s.json")" ]
	jq -r '.sweep[] | "\(.rate_pct) \(.revenue_total) \(.imports_partner)"' "$W/s.json" >"$W/sweep.txt"
	paste -d' ' "$W/revenue.txt" "$W/imports.txt" "$W/sweep.txt" | awk '
		function abs(v) { return v < 0 ? -v : v }
		{ # rate, revenue bn, rate, imports bn, sweep: rate, revenue m, imports m (1 decimal)
		  if ($1 != $5 || $3 != $5 || abs($2 * 1000 - $6) > 0.051 || abs($4 * 1000 - $7) > 0.051) {
			print "differs at " $5 "%: " $0; bad = 1 } }
		END { exit bad }'
	# the figure's maximum is the one 'tariff run china-200' reports
	want=$(jq -r '.revenue_max[0].rate_pct' "$W/run.json")
	if [ "$want" = "null" ]; then
		! grep -q "maximum: USD" "$W/l.gp"
	else
		grep -q "billion at $(printf '%.0f' "$want")%" "$W/l.gp"
	fi
	# the band at a rate is the Monte Carlo of 'tocalc tariff' at that rate (1000 draws, seed 1)
	grep -q '^90% band: 5th-95th percentile of 1000 draws (seed 1)$' "$W/l.gp"
	T tariff $args --rate 200 --draws 1000 --seed 1 --json >"$W/t.json"
	band=$(data_block 0 <"$W/l.gp" | awk '$1 == 200 { printf "%.6f %.6f\n", $2 * 1000, $3 * 1000 }')
	want=$(jq -r '.results[] | select(.metric == "revenue_after") | "\(.p5) \(.p95)"' "$W/t.json")
	echo "$band / $want" | awk '{ exit ($1 - $4 < 0.06 && $4 - $1 < 0.06 && $2 - $5 < 0.06 && $5 - $2 < 0.06) ? 0 : 1 }'
}

@test "every recipe: the same bytes on every run" {
	need_gnuplot
	for f in $FIGS; do
		T plot "$f" -o "$W/a-$f.svg"
		T plot "$f" -o "$W/b-$f.svg"
		cmp "$W/a-$f.svg" "$W/b-$f.svg"
	done
}

@test "make plots: every figure and a MANIFEST (file, sha256, command); twice, the same bytes" {
	need_gnuplot
	run make_plots "$W/p"
	[ "$status" -eq 0 ]
	[ "$(manifest_rows "$W/p/MANIFEST" | cut -f1 | tr '\n' ' ')" = \
		"overdose-deaths.svg vsrr-12mo.svg tariff-laffer.svg scenarios.svg claims.svg effective-rates.svg " ]
	grep -qx "# gnuplot: $(gnuplot --version)" "$W/p/MANIFEST"
	[ "$(ls -A "$W/p" | wc -l)" -eq 7 ]	# 6 figures and MANIFEST, no temporary files
	cp -r "$W/p" "$W/first"
	run make_plots "$W/p"
	[ "$status" -eq 0 ]
	diff -r "$W/first" "$W/p"
	# every sha256 is right, and every command makes exactly that file
	while IFS=$'\t' read -r file sum cmd; do
		[ "$(sha256sum "$W/p/$file" | cut -d' ' -f1)" = "$sum" ]
		[ "$cmd" = "tocalc plot ${file%.svg} -o $W/p/$file" ]
		rm "$W/p/$file"
		T ${cmd#tocalc }
		[ "$(sha256sum "$W/p/$file" | cut -d' ' -f1)" = "$sum" ]
	done < <(manifest_rows "$W/p/MANIFEST")
}

@test "the committed plots/ match a fresh run" {
	need_gnuplot
	[ -f "$ROOT/plots/MANIFEST" ] || skip "no plots/MANIFEST yet (run make plots)"
	want=$(sed -n 's/^# gnuplot: //p' "$ROOT/plots/MANIFEST")
	have=$(gnuplot --version)
	[ "$want" = "$have" ] || skip "plots/ were made with $want, this is $have"
	run make_plots "$W/fresh"
	[ "$status" -eq 0 ]
	diff <(manifest_rows "$ROOT/plots/MANIFEST" | cut -f1,2) <(manifest_rows "$W/fresh/MANIFEST" | cut -f1,2)
	while IFS=$'\t' read -r file sum cmd; do
		cmp "$ROOT/plots/$file" "$W/fresh/$file"
		[ "$(sha256sum "$ROOT/plots/$file" | cut -d' ' -f1)" = "$sum" ]
		[ "$cmd" = "tocalc plot ${file%.svg} -o plots/$file" ]
	done < <(manifest_rows "$ROOT/plots/MANIFEST")
	# nothing in plots/ that the MANIFEST does not list
	[ "$(ls "$ROOT/plots" | grep -v '^MANIFEST$' | sort)" = \
		"$(manifest_rows "$ROOT/plots/MANIFEST" | cut -f1 | sort)" ]
}

@test "report writes the figures of make plots" {
	need_gnuplot
	make_plots "$W/p" >/dev/null
	T report --quiet --out-dir "$W/r" >/dev/null
	for f in $FIGS; do
		cmp "$W/p/$f.svg" "$W/r/$f.svg"
	done
}

@test "make plots without gnuplot: exit 3, a clear message, nothing written" {
	mkdir -p "$W/bin"
	for t in sh sha256sum awk cut mkdir mv rm printf dirname cat; do
		p=$(command -v "$t") && ln -s "$p" "$W/bin/$t"
	done
	run env PATH="$W/bin" TOCALC="$TOCALC" "$ROOT/scripts/make-plots.sh" "$W/p"
	[ "$status" -eq 3 ]
	[[ "$output" == *"gnuplot is not installed"* ]]
	[ ! -e "$W/p" ]
}

@test "the README gallery shows every figure with a caption" {
	g="$ROOT/docs/gallery.md"
	[ -f "$g" ]
	for f in $FIGS; do
		# an image of the committed file, then its caption and the command that draws it
		grep -q "^!\[[^]]\+\](plots/$f.svg)$" "$g"
		grep -A2 "(plots/$f.svg)" "$g" | tail -1 | grep -q "^\*[A-Z].*\* \`tocalc plot $f\`$"
	done
	if grep -q '(plots/overdose-deaths.svg)' "$ROOT/README.md"; then
		for f in $FIGS; do
			grep -q "(plots/$f.svg)" "$ROOT/README.md"
		done
	fi
}
