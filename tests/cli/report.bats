#!/usr/bin/env bats
# tocalc report: the three tables (and data, plots), --json/--csv, the figures
# (the same bytes as tocalc plot), the self-contained HTML page (checked as text
# and in headless chromium), hostile text, a missing gnuplot, the default output
# directory, usage and data errors.

bats_require_minimum_version 1.5.0

FIGS="overdose-deaths vsrr-12mo tariff-laffer scenarios claims"

setup_file() {
	export TOCALC
	# One full run shared by the tests that only read its output.
	R="$BATS_FILE_TMPDIR/run"
	mkdir -p "$R"
	if command -v gnuplot >/dev/null 2>&1; then
		$TOCALC_WRAP "$TOCALC" report --out-dir "$R/plots" --html "$R/report.html" \
			>"$R/table.out" 2>"$R/table.err"
		echo $? >"$R/table.rc"
		$TOCALC_WRAP "$TOCALC" report --json --quiet --out-dir "$R/plots-json" \
			>"$R/report.json" 2>"$R/json.err"
		echo $? >"$R/json.rc"
	fi
}

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	W="$BATS_TEST_TMPDIR"
	R="$BATS_FILE_TMPDIR/run"
}

scenario_names() {
	for f in "$ROOT"/scenarios/*.scn; do
		basename "$f" .scn
	done
}

@test "report prints the scenarios, the trends and the claims, and says where the figures went" {
	need_gnuplot
	[ "$(cat "$R/table.rc")" -eq 0 ]
	out=$(cat "$R/table.out")
	[[ "$out" == *"Document scenarios"* ]]
	[[ "$out" == *"Overdose trends: joinpoint regression of final deaths"* ]]
	[[ "$out" == *"Claims and verdicts"* ]]
	[[ "$out" == *"Data vintages"* ]]
	for s in $(scenario_names); do
		grep -q "^$s " "$R/table.out"
	done
	grep -Eq '^all_drugs +aapc +- +1999 +2024 ' "$R/table.out"
	grep -Eq '^synthetic_opioids +aapc +- +1999 +2024 ' "$R/table.out"
	for id in $(cut -d, -f1 "$ROOT/datasets/claims.csv" | tail -n +2); do
		grep -q "^$id " "$R/table.out"
	done
	[ "$(grep -c ' written$' "$R/table.out")" -eq 5 ]
	# where the files went: on stderr, not mixed into the tables
	grep -q "5 figures written to $R/plots/" "$R/table.err"
	grep -q "HTML page written to $R/report.html" "$R/table.err"
	! grep -q "written to" "$R/table.out"
}

@test "report --json: valid JSON with every table" {
	need_gnuplot
	need_jq
	[ "$(cat "$R/json.rc")" -eq 0 ]
	[ ! -s "$R/json.err" ]		# --quiet
	jq -e . "$R/report.json" >/dev/null
	n=$(ls "$ROOT"/scenarios/*.scn | wc -l)
	jq -e --argjson n "$n" '.command == "report" and (.scenarios | length) == $n' "$R/report.json"
	jq -e '.scenarios | all(.imports_after > 0 and .cost_per_household > 0 and (.title | length) > 0)' \
		"$R/report.json"
	jq -e '[.trends[] | select(.statistic == "aapc" and .segment == null)] | length == 2' "$R/report.json"
	jq -e '[.trends[] | select(.statistic == "apc")] | all(.segment | type == "number")' "$R/report.json"
	jq -e '(.claims | length) == 20 and all(.claims[]; .verdict != null)' "$R/report.json"
	jq -e '(.plots | length) == 5 and all(.plots[]; .status == "written" and .bytes > 10000)' \
		"$R/report.json"
	jq -e '.data | map(.dataset) | index("overdose_annual.csv") != null' "$R/report.json"
	jq -e '.vsrr_vintage | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")' "$R/report.json"
}

@test "report --csv: one table per document, --table picks it" {
	run T report --csv --no-plots --quiet
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == dataset,rows,first,last,used,* ]]
	[[ "$output" != *$'\n\n'* ]]
	run T report --csv --no-plots --quiet --table scenarios
	[[ "${lines[0]}" == scenario,title,as_of,tariff_change,imports_before,* ]]
	run T report --csv --no-plots --quiet --table trends
	[[ "${lines[0]}" == series,statistic,segment,from,to,apc,apc_lower,apc_upper,p_value,* ]]
	[[ "$output" == *$'\nall_drugs,aapc,,1999,2024,'* ]]
	run T report --csv --no-plots --quiet --table claims
	[[ "${lines[0]}" == id,document,quote,claimed,computed,series,difference,tolerance,verdict,* ]]
}

@test "the scenarios are those of 'tocalc tariff run NAME'" {
	need_jq
	T report --json --no-plots >"$W/r.json"
	for s in $(scenario_names); do
		T tariff run "$s" --json >"$W/t.json"
		for m in imports_after revenue_after revenue_change deadweight_loss cost_per_household; do
			want=$(jq --arg m "$m" '.results[] | select(.metric == $m) | .value' "$W/t.json")
			got=$(jq --arg s "$s" --arg m "$m" '.scenarios[] | select(.scenario == $s) | .[$m]' "$W/r.json")
			# the report rounds to whole units
			jq -n -e --argjson a "$want" --argjson b "$got" '($a - $b) | fabs <= 0.51' >/dev/null ||
				{ echo "$s $m: tariff run $want, report $got"; false; }
		done
	done
	# the one with draws has its Monte Carlo interval around the point value
	jq -e '.scenarios[] | select(.scenario == "china-200") |
		.cost_per_household_p5 < .cost_per_household and .cost_per_household < .cost_per_household_p95' \
		"$W/r.json"
}

@test "trends: contiguous segments 1999-2024, CIs around the APCs, AAPC among them" {
	need_jq
	T report --json --no-plots >"$W/r.json"
	for s in all_drugs synthetic_opioids; do
		jq -e --arg s "$s" '[.trends[] | select(.series == $s and .statistic == "apc")] as $g |
			($g | length) >= 1 and $g[0].from == 1999 and $g[-1].to == 2024 and
			all(range(1; $g | length); $g[.].from == $g[. - 1].to) and
			all($g[]; .apc_lower <= .apc and .apc <= .apc_upper and .p_value >= 0 and .p_value <= 1)' \
			"$W/r.json"
		jq -e --arg s "$s" '[.trends[] | select(.series == $s)] as $g |
			($g | map(select(.statistic == "apc") | .apc)) as $apc |
			($g[] | select(.statistic == "aapc")) as $a |
			$a.from == 1999 and $a.to == 2024 and $a.apc >= ($apc | min) and $a.apc <= ($apc | max) and
			$a.apc_lower <= $a.apc and $a.apc <= $a.apc_upper and $a.p_value == null' "$W/r.json"
	done
	# final NCHS data: all drugs grew on average over 1999-2024 (16,849 to 79,384: +6.4% a year)
	jq -e '.trends[] | select(.series == "all_drugs" and .statistic == "aapc") | .apc > 4 and .apc < 9' \
		"$W/r.json"
}

@test "trends: the joinpoints of 'tocalc overdose joinpoint SERIES' (same defaults, same seed)" {
	need_jq
	run T overdose joinpoint --series all_drugs --json
	[ "$status" -eq 0 ] || skip "tocalc overdose joinpoint is not available in this build"
	T report --json --no-plots >"$W/r.json"
	for s in all_drugs synthetic_opioids; do
		T overdose joinpoint --series "$s" --json >"$W/o.json"
		k=$(jq '.selected_joinpoints' "$W/o.json")
		n=$(jq --arg s "$s" '[.trends[] | select(.series == $s and .statistic == "apc")] | length' \
			"$W/r.json")
		[ "$k" -eq $((n - 1)) ] || { echo "$s: overdose joinpoint $k, report $((n - 1))"; false; }
		a=$(jq '.aapc[0].aapc' "$W/o.json")
		b=$(jq --arg s "$s" '.trends[] | select(.series == $s and .statistic == "aapc") | .apc' "$W/r.json")
		jq -n -e --argjson a "$a" --argjson b "$b" '($a - $b) | fabs <= 0.005' >/dev/null
	done
}

@test "claims: the verdicts of 'tocalc check'" {
	need_jq
	T report --json --no-plots >"$W/r.json"
	T check --json >"$W/c.json"
	diff <(jq -c '[.claims[] | [.id, .verdict, .computed]]' "$W/c.json") \
		<(jq -c '[.claims[] | [.id, .verdict, .computed]]' "$W/r.json")
}

@test "the figures are byte for byte those of 'tocalc plot NAME -o FILE'" {
	need_gnuplot
	for f in $FIGS; do
		T plot "$f" -o "$W/$f.svg"
		cmp "$R/plots/$f.svg" "$W/$f.svg"
		cmp "$R/plots/$f.svg" "$R/plots-json/$f.svg"
	done
	[ "$(ls -A "$R/plots" | wc -l)" -eq 5 ]	# nothing else, no temporary files
}

@test "report --html: one self-contained page, every figure inline, nothing external" {
	need_gnuplot
	h="$R/report.html"
	head -c 16 "$h" | grep -q '<!DOCTYPE html>'
	[ "$(grep -o '<svg' "$h" | wc -l)" -eq 5 ]
	for f in $FIGS; do
		grep -q "<figure id=\"fig-$f\">" "$h"
		# the inline figure is the SVG file without its XML prolog (ids prefixed)
		grep -q "Redraw it with <code>tocalc plot $f -o $f.svg</code>" "$h"
	done
	for t in data scenarios trends claims; do
		grep -q "<table id=\"table-$t\">" "$h"
	done
	# no URL but the SVG namespaces; nothing that loads or runs
	[ -z "$(grep -o 'http[^"]*' "$h" | grep -v -x -e 'http://www.w3.org/2000/svg' \
		-e 'http://www.w3.org/1999/xlink')" ]
	! grep -Eqi '<(script|link|img|iframe|object|embed)[ >]|@import|src=|url\([^#]' "$h"
	! grep -q '<?xml' "$h"
	# every id once
	[ -z "$(grep -Eo " id=(\"[^\"]*\"|'[^']*')" "$h" | sort | uniq -d)" ]
	# the vintages and the units are on the page
	grep -q 'CDC VSRR download of ' "$h"
	grep -q 'USD million of the base year' "$h"
}

@test "report --html: the same bytes on every run; written atomically" {
	need_gnuplot
	T report --quiet --out-dir "$W/p" --html "$W/a.html" >/dev/null
	cmp "$R/report.html" "$W/a.html"
	[ "$(ls -A "$W" | sort | tr '\n' ' ')" = "a.html p " ]	# no temporary file left
}

@test "report --html: chromium shows every figure and every table (headless browser)" {
	need_gnuplot
	run "$BATS_TEST_DIRNAME/../browser/run.sh" "$R/report.html" "$W/browser"
	if [ "$status" -eq 77 ]; then
		skip "chromium not installed"
	fi
	echo "$output"
	[ "$status" -eq 0 ]
	[ -s "$W/browser/report.png" ]
	[ "$(od -An -tx1 -N4 "$W/browser/report.png" | tr -d ' ')" = 89504e47 ]
	[ "$(grep -o '<svg' "$W/browser/report.dom.html" | wc -l)" -eq 5 ]
}

@test "hostile text in a scenario file is escaped on the page and never reaches gnuplot" {
	need_gnuplot
	mkdir "$W/scn"
	cp "$ROOT"/scenarios/*.scn "$W/scn/"
	sed -e 's/^name china-10$/name hostile/' \
		-e "s|^title .*|title </td><script>alert(1)</script> \\& \"q\" \`touch PWNED\` \"; system(\"touch PWNED\"); x=\"|" \
		"$ROOT/scenarios/china-10.scn" >"$W/scn/zz-hostile.scn"
	cd "$W"
	run T report --quiet --scenarios "$W/scn" --out-dir "$W/p" --html "$W/h.html"
	[ "$status" -eq 0 ]
	! grep -q '<script' "$W/h.html"
	grep -q '&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; `touch PWNED`' "$W/h.html"
	[ ! -e "$W/PWNED" ]
	grep -q '>hostile</text>' "$W/p/scenarios.svg"	# the name is a tic label of the figure
	[ "$(grep -o '<svg' "$W/h.html" | wc -l)" -eq 5 ]
}

@test "gnuplot missing: the tables are printed, exit 3, a clear message, no page" {
	printf 'previous page\n' >"$W/keep.html"
	run --separate-stderr T_path /nonexistent report --out-dir "$W/p" --html "$W/keep.html"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Document scenarios"* ]]
	[[ "$output" == *"Claims and verdicts"* ]]
	[[ "$output" == *"overdose-deaths"*"not made"* ]]
	[[ "$stderr" == *"the figures were not made: gnuplot is not installed"* ]]
	[[ "$stderr" == *"'$W/keep.html' not written"* ]]
	[ "$(cat "$W/keep.html")" = "previous page" ]
	[ -z "$(ls -A "$W/p")" ]
	# --no-plots needs no gnuplot
	run T_path /nonexistent report --no-plots
	[ "$status" -eq 0 ]
	[[ "$output" == *"not asked for"* ]]
}

@test "default output directory: plots/ of a checkout, otherwise ./tocalc-report" {
	need_gnuplot
	# a checkout: datasets/, scenarios/, a Makefile and plots/ beside the binary
	mkdir -p "$W/co/plots" "$W/elsewhere"
	cp "$TOCALC" "$W/co/tocalc"
	ln -s "$(cd "$ROOT" && pwd)/datasets" "$W/co/datasets"
	ln -s "$(cd "$ROOT" && pwd)/scenarios" "$W/co/scenarios"
	touch "$W/co/Makefile"
	cd "$W/elsewhere"
	run --separate-stderr $TOCALC_WRAP "$W/co/tocalc" report
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"5 figures written to $(cd "$W/co" && pwd -P)/plots/"* ]]
	for f in $FIGS; do
		[ -s "$W/co/plots/$f.svg" ]
	done
	[ -z "$(ls -A "$W/elsewhere")" ]
	# not a checkout (an install has no Makefile): ./tocalc-report
	rm "$W/co/Makefile"
	run --separate-stderr $TOCALC_WRAP "$W/co/tocalc" report --quiet
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	for f in $FIGS; do
		cmp "$W/co/plots/$f.svg" "$W/elsewhere/tocalc-report/$f.svg"
	done
}

@test "report: usage errors exit 2" {
	run T report extra
	[ "$status" -eq 2 ]
	[[ "$output" == *"unexpected argument 'extra'"* ]]
	run T report --no-plots --html x.html
	[ "$status" -eq 2 ]
	[[ "$output" == *"--no-plots and --html"* ]]
	run T report --scenarios "$W/none"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--scenarios: '$W/none': No such file or directory"* ]]
	run T report --bogus
	[ "$status" -eq 2 ]
	run T report --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: tocalc report"* ]]
	[ ! -e x.html ]
}

@test "report: bad data exits 1 with file and line, and prints no table" {
	mkdir "$W/data"
	cp "$ROOT"/datasets/*.csv "$W/data/"
	sed -i 's/^2005,all_drugs,29813,/2005,all_drugs,n\/a,/' "$W/data/overdose_annual.csv"
	run --separate-stderr T report --no-plots --data-dir "$W/data"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"overdose_annual.csv:"*"deaths"* ]]
	# an empty scenario directory is an error too
	mkdir "$W/empty"
	run T report --no-plots --scenarios "$W/empty"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no scenario files (*.scn) in '$W/empty'"* ]]
}

@test "report follows the data: another vintage, other numbers" {
	need_jq
	mkdir "$W/data"
	cp "$ROOT"/datasets/*.csv "$W/data/"
	# 2022 synthetic-opioid deaths above 76,000: the claim now holds
	sed -i 's/^2022,synthetic_opioids,73838,/2022,synthetic_opioids,76500,/' "$W/data/overdose_annual.csv"
	T report --json --no-plots --data-dir "$W/data" >"$W/r.json"
	jq -e '.claims[] | select(.id == "fentanyl-76k-2022") | .verdict == "holds"' "$W/r.json"
}

@test "report --html: laid out at 1280 and 390 px in headless chromium, nothing overflows" {
	need_gnuplot
	# 1280: figures fill the column, text at least 9 px; 390: the page is no wider
	# than the phone, tables and figures scroll in their own box (figures at their
	# drawn size: source line 8 px), no arrow split over two lines
	run "$BATS_TEST_DIRNAME/../browser/layout.sh" "$R/report.html" "$W/lay" 1280
	[ "$status" -eq 77 ] && skip "chromium not installed"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -s "$W/lay/layout-1280.png" ]
	MIN_TEXT_PX=8 run "$BATS_TEST_DIRNAME/../browser/layout.sh" "$R/report.html" "$W/lay" 390
	echo "$output"
	[ "$status" -eq 0 ]
	[ -s "$W/lay/layout-390.png" ]
}

@test "report --html: units in the scenario headers, arrows that cannot wrap, sources without file names" {
	need_gnuplot
	grep -q '<th scope="col">imports before, USD million</th>' "$R/report.html"
	grep -q '<th scope="col">cost per household, USD</th>' "$R/report.html"
	grep -q '<span class="chg">CN ieepa_fentanyl 10%&#160;&#8594;&#160;20% (effective 22.88%&#160;&#8594;&#160;32.88%)</span>' "$R/report.html"
	! grep -q 'class="src">Source: [^<]*\.csv' "$R/report.html"
}

@test "report: the 3rd figure fails: no figure and no page is replaced, nothing left behind" {
	need_gnuplot
	real=$(command -v gnuplot)
	mkdir -p "$W/fake" "$W/p"
	# a gnuplot that fails on its 3rd call and is the real one otherwise
	cat >"$W/fake/gnuplot" <<FAKE
#!/bin/sh
n=\$(cat "$W/calls" 2>/dev/null || echo 0)
n=\$((n + 1))
echo "\$n" >"$W/calls"
if [ "\$n" -eq 3 ]; then
	cat >/dev/null
	echo "fake gnuplot: failing on call 3" >&2
	exit 1
fi
exec "$real" "\$@"
FAKE
	chmod +x "$W/fake/gnuplot"
	for f in $FIGS; do
		printf 'old %s\n' "$f" >"$W/p/$f.svg"
	done
	printf 'old page\n' >"$W/r.html"
	run --separate-stderr T_path "$W/fake:$PATH" report --out-dir "$W/p" --html "$W/r.html"
	[ "$status" -eq 3 ]
	[ "$(cat "$W/calls")" -eq 3 ]
	[[ "$stderr" == *"the figures were not made"*"failing on call 3"* ]]
	[[ "$stderr" == *"'$W/r.html' not written"* ]]
	# every old file as it was, and nothing else in the directory
	for f in $FIGS; do
		[ "$(cat "$W/p/$f.svg")" = "old $f" ]
	done
	[ "$(cat "$W/r.html")" = "old page" ]
	[ "$(ls -A "$W/p" | wc -l)" -eq 5 ]
	[ "$(ls -A "$W" | grep -c 'tmp')" -eq 0 ]
	# the plots table says so: no figure written
	[[ "$output" != *"written"* ]]
}
