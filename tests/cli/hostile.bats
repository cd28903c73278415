#!/usr/bin/env bats
# Hostile invocations of every command (issue 7; docs/guarantees.md):
# missing, unreadable, empty, binary, random and huge files; a directory
# where a file is expected; unwritable output paths; absurd numbers for
# every numeric flag; wrong flags and values; broken datasets; a closed
# stdout and a full disk.  Each must give a clear "tocalc: ..." message and
# a documented exit code (0 ok, 1 data, 2 usage, 3 tool), never a crash
# (status >= 128), a sanitizer or valgrind report, or a NaN/inf in the
# results, and an existing output file is never changed by a failed run.
#
# Under valgrind (TOCALC_WRAP set; every run costs seconds there) the tests
# run a sample: the huge files are 5 MB instead of 50 MB (HOSTILE_HUGE_MB
# overrides), and each loop over commands, flags or values takes every
# n-th item (pick), with offsets chosen so that together the tests still run
# every command and every flag under valgrind.  HOSTILE_FULL=1 runs all.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	HD="$ROOT/tests/data/hostile"
	HS10="$ROOT/tests/data/tariff/hs10_small.csv"
	LISTS="$ROOT/tests/data/tariff/lists_small.csv"
	W="$BATS_TEST_TMPDIR"
	SLOW=${TOCALC_WRAP:+1}
	[ "${HOSTILE_FULL:-}" != 1 ] || SLOW=
}

teardown() {
	if [ -f "$BATS_TEST_TMPDIR/cleanup" ]; then
		chmod -R u+rwx "$(cat "$BATS_TEST_TMPDIR/cleanup")"
		rm -rf "$(cat "$BATS_TEST_TMPDIR/cleanup")"
	fi
}

# ------------------------------------------------------------------ helpers

# The run ($status, $output = stdout, $stderr) is sane: no crash, no
# sanitizer or valgrind report, a "tocalc: " message on failure, and no
# NaN or infinity among the results on stdout (unless $1 is "script":
# gnuplot scripts write missing values as NaN by design).
sane() {
	if [ "$status" -ge 128 ] || [ "$status" -eq 99 ] || [ "$status" -gt 3 ]; then
		echo "crash or undocumented exit status $status"
		return 1
	fi
	if [[ "$stderr" == *"runtime error"* || "$stderr" == *"Sanitizer"* || "$stderr" == *"==ERROR"* ||
		"$stderr" == *"Invalid read"* || "$stderr" == *"definitely lost"* ]]; then
		echo "sanitizer or valgrind report"
		return 1
	fi
	if [ "$status" -ne 0 ] && [[ "$stderr" != *"tocalc: "* && "$stderr" != "usage: tocalc"* ]]; then
		echo "failure without a 'tocalc: ' message or the usage"
		return 1
	fi
	if [ "${1:-}" != script ] && grep -qiwE -- '[-+]?(nan|inf|infinity)' <<<"$output"; then
		echo "NaN or inf in the results"
		return 1
	fi
}

# expect CODE ARGS...: run tocalc ARGS; the exit status must be CODE and the run sane.
expect() {
	local want=$1
	shift
	run --separate-stderr T "$@"
	if [ "$status" -ne "$want" ] || ! sane; then
		echo "tocalc $*"
		echo "  exit $status, wanted $want"
		echo "  stdout: ${output:0:400}"
		echo "  stderr: ${stderr:0:400}"
		return 1
	fi
}

# expect_msg CODE TEXT ARGS...: as expect, and stderr contains TEXT.
expect_msg() {
	local want=$1 text=$2
	shift 2
	expect "$want" "$@" || return 1
	if [[ "$stderr" != *"$text"* ]]; then
		echo "tocalc $*: stderr lacks '$text': ${stderr:0:400}"
		return 1
	fi
}

# expect_any ARGS...: any documented status (0, 1 or 2); a failure names a flag or file.
expect_any() {
	run --separate-stderr T "$@"
	if ! sane || [ "$status" -gt 2 ]; then
		echo "tocalc $*"
		echo "  exit $status"
		echo "  stdout: ${output:0:400}"
		echo "  stderr: ${stderr:0:400}"
		return 1
	fi
}

# pick I STRIDE OFFSET: true for every item in a full run; under valgrind only
# for the items with I % STRIDE == OFFSET.
pick() { [ -z "$SLOW" ] || [ $(($1 % $2)) -eq "$3" ]; }

# guard FILE: create FILE with known contents; unchanged FILE: still those contents.
guard() { printf 'known contents %s\n' "$1" >"$1"; }
unchanged() {
	if [ "$(cat "$1")" != "known contents $1" ]; then
		echo "output file $1 was changed: $(head -c 200 "$1")"
		return 1
	fi
	if ls "$1".tmp.* >/dev/null 2>&1; then
		echo "temporary file left beside $1"
		return 1
	fi
}

# Every invocation that reads a user file, with FILE where the file goes.
FILE_CMDS=(
	"data import-vsrr FILE --vintage 2026-02-14 -o OUT"
	"tariff --partner CN --rate 20 --imports-file FILE"
	"tariff --partner CN --rate 20 --imports-file HS10 --product-rates FILE"
	"tariff run FILE"
	"overdose change --file FILE --x year --y deaths --from 2000 --to 2001"
	"overdose sum --file FILE --x year --y deaths --from 2000 --to 2001"
	"overdose trend --file FILE --x year --y deaths"
	"overdose joinpoint --file FILE --x year --y deaths --permutations 9"
	"overdose events --file FILE --x year --y deaths --permutations 9"
	"plot series --file FILE --x year --y deaths -o OUT.svg"
	"plot series --file FILE --x year --y deaths --script-only"
)

# each_file_cmd CODE TEXT FILE [OFFSET]: every FILE_CMDS invocation with FILE
# exits CODE with TEXT in its message; the output file OUT is never touched.
# Under valgrind the commands with index % 6 == OFFSET.
each_file_cmd() {
	local code=$1 text=$2 file=$3 off=${4:-0} c args i=-1
	for c in "${FILE_CMDS[@]}"; do
		i=$((i + 1))
		pick $i 6 "$off" || continue
		guard "$W/out.csv"
		guard "$W/out.csv.svg"
		c=${c//HS10/$HS10}
		c=${c//OUT/$W/out.csv}
		read -r -a args <<<"$c"
		args=("${args[@]/#FILE/$file}")
		expect_msg "$code" "$text" "${args[@]}" || return 1
		unchanged "$W/out.csv" || return 1
		unchanged "$W/out.csv.svg" || return 1
	done
}

# ---------------------------------------------------------------- input files

@test "a missing file: every command exits 1 and names it" {
	each_file_cmd 1 "'$W/nope.csv'" "$W/nope.csv"
}

@test "a directory where a file is expected: exit 1, 'is a directory'" {
	mkdir "$W/adir"
	each_file_cmd 1 "is a directory" "$W/adir" 1
}

@test "an empty file: exit 1 naming the file" {
	: >"$W/empty.csv"
	each_file_cmd 1 "$W/empty.csv" "$W/empty.csv" 2
}

@test "a binary file (/bin/ls): exit 1 naming the file" {
	each_file_cmd 1 "/bin/ls" /bin/ls 3
}

@test "random bytes: exit 1 naming the file" {
	each_file_cmd 1 "$HD/random.bin" "$HD/random.bin" 4
}

@test "an embedded NUL byte: exit 1 naming the file" {
	each_file_cmd 1 "$HD/nul.csv" "$HD/nul.csv" 5
}

@test "an unreadable file: exit 1 'Permission denied'" {
	local run_as=()
	# a directory user nobody can traverse (the bats temporary directory is private)
	W=$(mktemp -d /tmp/tocalc-hostile.XXXXXX)
	chmod 755 "$W"
	echo "$W" >"$BATS_TEST_TMPDIR/cleanup"
	cp "$HD/series.csv" "$W/secret.csv"
	chmod 000 "$W/secret.csv"
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || skip "root reads any file and setpriv is missing"
		run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		# nobody must be able to run tocalc from here
		"${run_as[@]}" test -x "$TOCALC" -a -r "$ROOT/datasets/trade.csv" ||
			skip "user nobody cannot reach $TOCALC"
	fi
	T() { "${run_as[@]}" $TOCALC_WRAP "$TOCALC" "$@"; }
	expect_msg 1 "Permission denied" overdose trend --file "$W/secret.csv" --x year --y deaths
	expect_msg 1 "Permission denied" tariff run "$W/secret.csv"
	expect_msg 1 "Permission denied" tariff --partner CN --rate 20 --imports-file "$W/secret.csv"
	expect_msg 1 "Permission denied" data import-vsrr "$W/secret.csv" --vintage 2026-02-14 -o -
	expect_msg 1 "Permission denied" plot series --file "$W/secret.csv" --x year --y deaths --script-only
	# an unreadable dataset in --data-dir
	cp -r "$ROOT/datasets" "$W/dd"
	chmod 755 "$W/dd"
	chmod 000 "$W/dd/trade.csv"
	expect_msg 1 "Permission denied" --data-dir "$W/dd" tariff --partner CN --rate 20
	expect_msg 1 "Permission denied" --data-dir "$W/dd" data validate
	# an unwritable output directory: the old file stays
	mkdir "$W/ro"
	guard "$W/ro/o.csv"
	chmod 755 "$W/ro"
	chmod 644 "$W/ro/o.csv"
	expect_msg 1 "unable to write" data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o "$W/ro/o.csv"
	unchanged "$W/ro/o.csv"
}

@test "a huge file (50 MB; 5 MB under valgrind): clear errors or streamed results" {
	local mb=${HOSTILE_HUGE_MB:-${SLOW:+5}}
	mb=${mb:-50}
	# one 50 MB line: an oversized field, not 50 MB of memory per row
	head -c $((mb * 1024 * 1024)) /dev/zero | tr '\0' 'x' >"$W/line.csv"
	each_file_cmd 1 "$W/line.csv" "$W/line.csv" 0
	# 50 MB of valid Census HS10 lines: streamed, totals finite
	awk -v n=$((mb * 29000)) 'BEGIN { print "HS10,HS8,I_COMMODITY_SDESC,CTY_NAME,YEAR,CON_VAL_YR,CAL_DUT_YR"
		for (i = 0; i < n; i++) { c = 1 + i % 97
			printf "%02d%08d,%02d%06d,\"PRODUCT %d, NESOI\",CHINA,2024,%d,%d\n", c, i, c, int(i / 100), i, 1 + i % 99991, i % 997 } }' >"$W/hs10.csv"
	expect 0 tariff --partner CN --base-rate 0 --rate 20 --imports-file "$W/hs10.csv" --json
	# 50 MB of raw VSRR rows of other states: read to the end, then "no US rows"
	awk -v n=$((mb * 8000)) 'BEGIN { print "State,Year,Month,Period,Indicator,Data Value,Percent Complete,Percent Pending Investigation,Footnote Symbol,Predicted Value"
		for (i = 0; i < n; i++)
			printf "%s,2020,May,12 month-ending,Number of Drug Overdose Deaths,\"1,234\",100,0.5,*,\"1,300\"\n", i % 2 ? "OH" : "WV" }' >"$W/vsrr.csv"
	expect_msg 1 "no US 12 month-ending rows" data import-vsrr "$W/vsrr.csv" --vintage 2026-02-14 -o "$W/o.csv"
	[ ! -e "$W/o.csv" ]
	# a scenario file above the 1 MiB limit
	expect_msg 1 "larger than" tariff run "$W/vsrr.csv"
}

@test "a large series (1,000,000 points): trend works, plot --script-only works" {
	[ -z "$SLOW" ] || skip "slow under valgrind (covered by the 10-point series)"
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1000000; i++) printf "%d,%d\n", 1000 + i, 1000 + i % 977 }' >"$W/big.csv"
	expect 0 overdose trend --file "$W/big.csv" --x x --y y --allow-uneven --json
	run --separate-stderr T plot series --file "$W/big.csv" --x x --y y --script-only
	[ "$status" -eq 0 ] && sane script
}

@test "joinpoint on a 1,000-point file finishes or refuses within 60 s" {
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1000; i++) printf "%d,%d\n", i, 1000 + i % 977 }' >"$W/k.csv"
	run timeout 60 $TOCALC_WRAP "$TOCALC" overdose joinpoint --file "$W/k.csv" --x x --y y
	[ "$status" -ne 124 ]
}

@test "joinpoint limits: 400 points for the permutation test, 1,000 for BIC; beyond, exit 2 saying what to do" {
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1001; i++) printf "%d,%.4f\n", i, 1000 * exp(0.001 * i + (i > 200 ? 0.003 * (i - 200) : 0)) }' >"$W/k.csv"
	head -402 "$W/k.csv" >"$W/k401.csv"
	head -401 "$W/k.csv" >"$W/k400.csv"
	expect_msg 2 "--select bic" overdose joinpoint --file "$W/k401.csv" --x x --y y
	expect_msg 2 "1001 points is more than the 1000" overdose joinpoint --file "$W/k.csv" --x x --y y --select bic
	[ -z "$SLOW" ] || return 0
	run --separate-stderr T overdose joinpoint --file "$W/k400.csv" --x x --y y --select bic --max-joinpoints 2 --json
	[ "$status" -eq 0 ]
	# ln y bends at x = 200 from slope 0.001 to 0.004: one joinpoint at 200,
	# APCs 100 (e^0.001 - 1) = 0.100050 and 100 (e^0.004 - 1) = 0.400801
	[[ "$output" == *'"selected_joinpoints": 1'* ]]
	[[ "$output" == *'"x": 200'* ]]
	[[ "$output" == *'"apc": 0.100050'* ]]
	[[ "$output" == *'"apc": 0.400801'* ]]
}

@test "a broken dataset in --data-dir: every command that reads it exits 1 naming it" {
	local f kind c args
	# dataset -> the commands that read it
	declare -A uses=(
		[claims]="data validate|check|plot claims --script-only"
		[events]="data validate|overdose events --permutations 9"
		[overdose_12mo]="data validate|check|overdose change --from 2023-07 --to 2024-07|plot vsrr-12mo --script-only"
		[overdose_annual]="data validate|check|overdose change --from 2020 --to 2021|plot overdose-deaths --script-only"
		[parameters]="data validate|tariff --partner CN --rate 20|tariff sweep --partner CN --step 50|plot tariff-laffer --script-only"
		[sources]="data validate"
		[tariffs]="data validate|check|tariff run china-20|plot scenarios --script-only"
		[trade]="data validate|tariff --partner CN --rate 20|tariff revenue-max --partner CN --elasticity 2"
	)
	for f in "${!uses[@]}"; do
		for kind in empty binary dir; do
			[ -z "$SLOW" ] || [ "$kind" = binary ] || continue
			rm -rf "$W/dd"
			cp -r "$ROOT/datasets" "$W/dd"
			rm -f "$W/dd/$f.csv"
			case $kind in
			empty) : >"$W/dd/$f.csv" ;;
			binary) head -c 3000 /bin/ls >"$W/dd/$f.csv" ;;
			dir) mkdir "$W/dd/$f.csv" ;;
			esac
			expect_msg 1 "$f.csv" --data-dir "$W/dd" data show "$f" || return 1
			[ -n "$SLOW" ] || expect_msg 1 "$f.csv" --data-dir "$W/dd" data list || return 1
			IFS='|' read -r -a cmds <<<"${uses[$f]}"
			for c in "${cmds[@]}"; do
				# under valgrind 'data validate' runs once, for sources
				[ -z "$SLOW" ] || [ "$c" != "data validate" ] || [ "$f" = sources ] || continue
				read -r -a args <<<"$c"
				expect_msg 1 "$f.csv" --data-dir "$W/dd" "${args[@]}" || return 1
			done
		done
	done
	# report reads them all
	[ -n "$SLOW" ] && return 0
	: >"$W/dd/trade.csv"
	expect_msg 1 "trade.csv" --data-dir "$W/dd" report --no-plots
}

@test "--data-dir and --scenarios that are not directories: exit 2" {
	expect_msg 2 "not a directory" --data-dir "$HD/series.csv" data list
	expect_msg 2 "'/nonexistent': No such file or directory" data list --data-dir /nonexistent
	TOCALC_DATA=/nonexistent expect_msg 2 "TOCALC_DATA" data list
	expect_any plot scenarios --scenarios "$HD/series.csv" --script-only
	[ "$status" -ne 0 ]
	expect_any plot scenarios --scenarios /nonexistent --script-only
	[ "$status" -ne 0 ]
	mkdir "$W/noscn"
	expect_any plot scenarios --scenarios "$W/noscn" --script-only
	[ "$status" -ne 0 ]
}

@test "hostile scenario files: exit 1 naming file:line" {
	printf 'tocalc-scenario 1\npartner CN rate 20 imports 1e308\n' >"$W/a.scn"
	expect_msg 1 "$W/a.scn:2:" tariff run "$W/a.scn"
	printf 'tocalc-scenario 1\npartner CN rate nan\n' >"$W/b.scn"
	expect_msg 1 "$W/b.scn:2:" tariff run "$W/b.scn"
	printf 'tocalc-scenario 1\nelasticity -0\npartner CN rate 20\n' >"$W/c.scn"
	expect_msg 1 "$W/c.scn:2:" tariff run "$W/c.scn"
	printf 'tocalc-scenario 1\npartner CN rate 20\x07\n' >"$W/d.scn"
	expect_msg 1 "$W/d.scn:2:" tariff run "$W/d.scn"
	printf 'tocalc-scenario 1\npartner CN rate 1e400\n' >"$W/e.scn"
	expect_msg 1 "$W/e.scn:2:" tariff run "$W/e.scn"
	# extreme but valid: finite results or a clear error, never inf
	# a cut of the 125% reciprocal layer with an absurd elasticity overflows: a clear error
	printf 'tocalc-scenario 1\nas-of 2025-04-10\nelasticity 100000\npartner CN layer ieepa_reciprocal 0 imports 1000\n' >"$W/f.scn"
	expect_msg 1 "not a finite number" tariff run "$W/f.scn"
	printf 'tocalc-scenario 1\nelasticity 4.9e-324\nsubstitution 1e308\npartner CN base-rate 0 rate 10000 imports 1e9\npartner MX base imports 4.9e-324\n' >"$W/g.scn"
	expect_any tariff run "$W/g.scn" --json
}

# ---------------------------------------------------------------- output paths

@test "unwritable output paths: exit 1 or 2, nothing written" {
	local p
	mkdir "$W/outdir"
	for p in "$W/missing/dir/out" /proc/version "$W/outdir"; do
		expect_msg 1 "$p" data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o "$p" || return 1
		expect_msg 1 "$p" plot series --file "$HD/series.csv" --x year --y deaths --terminal svg -o "$p" || return 1
	done
	expect 2 data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o ""
	expect 2 plot series --file "$HD/series.csv" --x year --y deaths -o ""
	[ ! -e "$W/missing" ]
	[ -z "$(ls -A "$W/outdir")" ]
	grep -q "Linux" /proc/version
}

@test "report: unwritable --html and --out-dir exit 1, no file changed" {
	command -v gnuplot >/dev/null 2>&1 || skip "gnuplot not installed"
	[ -z "$SLOW" ] || skip "report under valgrind: see the closed-stdout and broken-dataset tests"
	guard "$W/keep.html"
	expect_any report --quiet --out-dir "$W/missing/a/b" --html "$W/x/y/z.html" --no-plots
	[ "$status" -ne 0 ]
	expect_any report --quiet --out-dir /proc/version --html "$W/r.html"
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	[ ! -e "$W/r.html" ]
	expect_any report --quiet --out-dir "$W/plots" --html /proc/version
	[ "$status" -eq 1 ]
	# a failed report (a broken dataset) leaves the old page alone
	cp -r "$ROOT/datasets" "$W/dd"
	: >"$W/dd/claims.csv"
	expect 1 --data-dir "$W/dd" report --quiet --out-dir "$W/plots2" --html "$W/keep.html"
	unchanged "$W/keep.html"
}

@test "failed runs never change an existing output file" {
	guard "$W/o.csv"
	expect 1 data import-vsrr "$HD/random.bin" --vintage 2026-02-14 -o "$W/o.csv"
	unchanged "$W/o.csv"
	expect 1 data import-vsrr "$HD/series.csv" --vintage 2026-02-14 -o "$W/o.csv"
	unchanged "$W/o.csv"
	expect 2 data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-30 -o "$W/o.csv"
	unchanged "$W/o.csv"
	guard "$W/p.svg"
	expect 1 plot series --file "$HD/nul.csv" --x year --y deaths -o "$W/p.svg"
	unchanged "$W/p.svg"
	expect 2 plot series --file "$HD/series.csv" --x year --y deaths --width 1e308 -o "$W/p.svg"
	unchanged "$W/p.svg"
	# gnuplot missing: exit 3, the old plot stays
	local w=()
	[ -z "$TOCALC_WRAP" ] || { read -r -a w <<<"$TOCALC_WRAP"; w[0]=$(command -v "${w[0]}"); }
	run --separate-stderr env PATH=/nonexistent "${w[@]}" "$TOCALC" plot series --file "$HD/series.csv" --x year --y deaths -o "$W/p.svg"
	[ "$status" -eq 3 ] && sane
	[[ "$stderr" == *"gnuplot"* ]]
	unchanged "$W/p.svg"
}

@test "device and FIFO outputs are written into, never replaced; symbolic links refused" {
	expect 0 data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o /dev/null
	[ -c /dev/null ]
	expect_msg 1 "No space left" data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o /dev/full
	[ -c /dev/full ]
	mkfifo "$W/fifo"
	cat "$W/fifo" >"$W/fifo.out" &
	expect 0 data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o "$W/fifo"
	wait
	[ -p "$W/fifo" ]
	[ "$(head -1 "$W/fifo.out")" = "period,state,indicator,reported,predicted,data_status,percent_complete,percent_pending,vintage,source" ]
	echo old >"$W/target.csv"
	ln -s "$W/target.csv" "$W/link.csv"
	expect_msg 1 "symbolic link" data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o "$W/link.csv"
	[ -L "$W/link.csv" ]
	[ "$(cat "$W/target.csv")" = old ]	# issue 19 item 1 (tests/cli/hostile_io.bats)
	ln -s "$W/nothing.csv" "$W/dangling.csv"
	expect_msg 1 "symbolic link" data import-vsrr "$HD/vsrr_small.csv" --vintage 2026-02-14 -o "$W/dangling.csv"
	[ ! -e "$W/nothing.csv" ]
}

# ------------------------------------------------------------ absurd numbers

NONNUM=(nan inf -inf 1e400 -1e400 "" " 5" "5 " 0x10 1,5 1e 12abc)
EXTREME=(1e308 -1e308 -0 4.9e-324 0 -1 1e-12 99999999999999999999)

# numbers FLAG ARGS...: FLAG with every non-number exits 2 naming the flag
# or quoting the value; with every extreme number it exits 0 (finite
# results) or 1/2 with such a message.
NUMCALLS=0
numbers() {
	local flag=$1 v i=-1 n=$NUMCALLS
	shift
	NUMCALLS=$((NUMCALLS + 1))
	# under valgrind one value per flag: a non-number or an extreme in turn
	for v in "${NONNUM[@]}"; do
		i=$((i + 1))
		pick $((i + n * 5)) $((2 * ${#NONNUM[@]})) 0 || continue
		# 'inf' is the documented infinite export-supply elasticity
		[ "$flag $v" != "--supply-elasticity inf" ] || continue
		# the four model parameters take a comma list (a sensitivity grid): 1,5 is two values
		case "$flag $v" in
		"--elasticity 1,5" | "--supply-elasticity 1,5" | "--substitution 1,5" | "--pass-through 1,5")
			continue ;;
		esac
		expect 2 "$@" "$flag" "$v" || return 1
		named "$flag" "$v" "$@" || return 1
	done
	i=-1
	for v in "${EXTREME[@]}"; do
		i=$((i + 1))
		pick $((i + n * 3)) $((2 * ${#EXTREME[@]})) 1 || continue
		expect_any "$@" "$flag" "$v" || return 1
		[ "$status" -eq 0 ] || named "$flag" "$v" "$@" || return 1
	done
}

# named FLAG VALUE ARGS...: the message of the last run names FLAG or quotes VALUE.
named() {
	local flag=$1 v=$2
	shift 2
	if [[ "$stderr" != *"$flag"* && "$stderr" != *"'$v'"* && "$stderr" != *"\"$v\""* ]]; then
		echo "tocalc $* $flag '$v': the message names neither the flag nor the value: $stderr"
		return 1
	fi
}

@test "absurd numbers: tariff what-if flags" {
	local f
	numbers --rate tariff --partner CN
	numbers --add tariff --partner CN
	for f in --base-rate --imports-value --row-imports --elasticity --supply-elasticity \
		--substitution --pass-through --year; do
		numbers "$f" tariff --partner CN --rate 20 || return 1
	done
	numbers --draws tariff --partner CN --rate 20
	numbers --seed tariff --partner CN --rate 20 --draws 10
	numbers --top tariff --partner CN --rate 20 --imports-file "$HS10"
}

@test "absurd numbers: tariff sweep, run and revenue-max flags" {
	numbers --from tariff sweep --partner CN --step 100
	numbers --to tariff sweep --partner CN --step 100
	numbers --step tariff sweep --partner CN
	numbers --elasticity tariff run "$HD/tiny.scn"
	numbers --draws tariff run "$HD/tiny.scn"
	numbers --elasticity tariff revenue-max --partner CN
	numbers --substitution tariff revenue-max --partner CN --elasticity 2
}

@test "absurd numbers: overdose flags" {
	local f
	numbers --level overdose trend
	for f in --min-joinpoints --max-joinpoints --seed --alpha --min-obs-end --min-obs-between --level; do
		numbers "$f" overdose joinpoint --permutations 19 || return 1
	done
	numbers --permutations overdose joinpoint
	numbers --alpha overdose events --permutations 19
	numbers --from overdose trend
	numbers --to overdose sum --from 2010
	numbers --from overdose change --to 2020
	numbers --aapc overdose joinpoint --permutations 19
}

@test "absurd numbers: plot, data and a user file" {
	numbers --width plot series --file "$HD/series.csv" --x year --y deaths --script-only
	numbers --height plot series --file "$HD/series.csv" --x year --y deaths --script-only
	numbers --limit data show trade
	# numbers inside a user file
	printf 'year,deaths\n1999,1e308\n2000,1e308\n2001,1e308\n2002,4.9e-324\n2003,1\n' >"$W/x.csv"
	expect_any overdose trend --file "$W/x.csv" --x year --y deaths --json
	expect_any overdose change --file "$W/x.csv" --x year --y deaths --from 1999 --to 2002 --json
	expect_any overdose sum --file "$W/x.csv" --x year --y deaths --from 1999 --to 2001 --json
	expect_any overdose joinpoint --file "$W/x.csv" --x year --y deaths --permutations 9 --json
	printf 'year,deaths\n1999,-0\n2000,nan\n2001,inf\n' >"$W/y.csv"
	expect 1 overdose trend --file "$W/y.csv" --x year --y deaths
	printf 'HS10,HS8,I_COMMODITY_SDESC,CTY_NAME,YEAR,CON_VAL_YR,CAL_DUT_YR\n0101010101,01010101,A,CHINA,2024,1e308,\n0202020202,02020202,B,CHINA,2024,1e308,1e308\n' >"$W/h.csv"
	expect_any tariff --partner CN --rate 20 --imports-file "$W/h.csv" --json
}

@test "absurd dates: --as-of, --vintage, --from/--to" {
	local d i=-1
	for d in 2025-02-30 1899-12-31 2200-01-01 2025-1-1 2025-03-04T00:00 "" 20250304 -2025-03-04; do
		i=$((i + 1))
		pick $i 4 0 || continue
		expect_msg 2 "--as-of" tariff --partner CN --rate 20 --as-of "$d" || return 1
		expect_msg 2 "--vintage" data import-vsrr "$HD/vsrr_small.csv" --vintage "$d" -o - || return 1
	done
	expect_msg 2 "--as-of" tariff --partner CN --rate 20 --as-of 1900-01-01
	for d in 1899 2200 2023-13 2023-00 0000-01 "" 99999; do
		i=$((i + 1))
		pick $i 4 0 || continue
		expect_any overdose change --from "$d" --to 2020 || return 1
		[ "$status" -ne 0 ] || return 1
	done
}

# ------------------------------------------------------- wrong flags and values

@test "unknown flags, missing values and stray arguments: exit 2 for every command" {
	local c args i=-1
	for c in "data list" "data show trade" "data validate" "data import-vsrr $HD/vsrr_small.csv" \
		"check" "tariff --partner CN --rate 20" "tariff sweep --partner CN" "tariff run $HD/tiny.scn" \
		"tariff revenue-max --partner CN" "overdose change --from 2020 --to 2021" "overdose sum --from 2020 --to 2021" \
		"overdose trend" "overdose joinpoint" "overdose events" "plot --list" "plot claims --script-only" \
		"report --no-plots"; do
		read -r -a args <<<"$c"
		i=$((i + 1))
		# under valgrind one of the five per command, in turn
		! pick $i 5 0 || expect_msg 2 "--bogus" "${args[@]}" --bogus || return 1
		! pick $i 5 1 || expect_msg 2 "-Z" "${args[@]}" -Z || return 1
		! pick $i 5 2 || expect_msg 2 "needs a value" "${args[@]}" --format || return 1
		! pick $i 5 3 || expect_msg 2 "--format" "${args[@]}" --format yaml || return 1
		! pick $i 5 4 || expect 2 "${args[@]}" --data-dir || return 1
	done
	[ -z "$SLOW" ] || return 0	# the single cases below are cheap argument checks
	expect 2 data list extra
	expect 2 data nosuch
	expect 2 data show
	expect 2 data show nosuch
	expect 2 data import-vsrr
	expect 2 tariff
	expect 2 tariff --partner CN
	expect 2 tariff --partner CN --rate 20 --add 5
	expect 2 tariff --partner CN --rate 20 stray
	expect 2 tariff sweep --partner CN --from 50 --to 10
	expect 2 tariff run
	expect 2 overdose
	expect 2 overdose nosuch
	expect 2 overdose change --from 2020
	expect 2 overdose trend --file "$HD/series.csv"
	expect 2 plot
	expect 2 plot nosuch -o "$W/x.svg"
	expect 2 plot series --file "$HD/series.csv" --x year -o "$W/x.svg"
	expect 2 check --verdict maybe
	expect 2 check no-such-claim
	expect 2 help nosuch
	expect 2 --bogus
	expect 2 nosuch
	expect 2 --format
	expect 2 --data-dir
}

@test "wrong enumerated values name the flag: exit 2" {
	expect_msg 2 "--partner" tariff --partner XX --rate 20
	expect_msg 2 "--partner" tariff --partner JP --rate 20
	expect_msg 2 "--model" tariff --partner CN --rate 20 --model linear
	expect_msg 2 "heroin" overdose trend --series heroin
	expect_msg 2 "weight" overdose trend --measure weight
	expect_msg 2 "wonder" overdose trend --source wonder
	expect_msg 2 "guessed" overdose trend --source vsrr --basis guessed
	expect_msg 2 "aic" overdose joinpoint --select aic
	expect_msg 2 "magic" overdose joinpoint --method magic
	expect_msg 2 "gif" plot claims --terminal gif -o "$W/x.gif"
	expect_msg 2 "2001" overdose joinpoint --aapc 2001
}

# ------------------------------------------------- closed stdout and full disk

# Every command that prints, as one string each.
PRINTING=(
	"--version" "help tariff" "data list" "data show trade" "data validate"
	"data import-vsrr HD/vsrr_small.csv --vintage 2026-02-14 -o -"
	"check" "check od-fall-17pct --json"
	"tariff --partner CN --rate 20" "tariff --partner CN --rate 20 --json --draws 100"
	"tariff sweep --partner CN --step 50 --csv" "tariff run china-20" "tariff revenue-max --partner CN --elasticity 2"
	"tariff --partner CN --rate 20 --imports-file HS10 --product-rates LISTS"
	"overdose change --from 2022 --to 2023" "overdose sum --from 2014 --to 2023 --csv"
	"overdose trend --json" "overdose joinpoint --permutations 99" "overdose events --permutations 99"
	"plot --list" "plot claims --script-only" "plot series --file HD/series.csv --x year --y deaths --script-only"
	"report --no-plots"
)

printing() {
	local c=$1
	c=${c//HS10/$HS10}
	c=${c//LISTS/$LISTS}
	c=${c//HD/$HD}
	printf '%s' "$c"
}

@test "a full disk (>/dev/full): every printing command exits 1 with a message" {
	local c i=-1
	for c in "${PRINTING[@]}"; do
		i=$((i + 1))
		pick $i 2 0 || continue	# under valgrind half; the other half below
		run --separate-stderr bash -c "$TOCALC_WRAP \"\$0\" $(printing "$c") >/dev/full" "$TOCALC"
		if [ "$status" -ne 1 ] || ! sane || [[ "$stderr" != *"tocalc: "*"standard output"* && "$stderr" != *"tocalc: "*"No space left"* ]]; then
			echo "tocalc $c >/dev/full: exit $status: $stderr"
			return 1
		fi
	done
}

@test "a closed stdout (>&-): every printing command exits 1 with a message" {
	local c i=-1
	for c in "${PRINTING[@]}"; do
		i=$((i + 1))
		pick $i 2 1 || continue
		run --separate-stderr bash -c "$TOCALC_WRAP \"\$0\" $(printing "$c") >&-" "$TOCALC"
		if [ "$status" -ne 1 ] || ! sane || [[ "$stderr" != *"tocalc: "*"standard output"* ]]; then
			echo "tocalc $c >&-: exit $status: $stderr"
			return 1
		fi
	done
}

@test "a closed stdout does not stop commands that write only files, nor leak into them" {
	run --separate-stderr bash -c "$TOCALC_WRAP \"\$0\" data import-vsrr \"\$1\" --vintage 2026-02-14 -o \"\$2\" >&-" \
		"$TOCALC" "$HD/vsrr_small.csv" "$W/o.csv"
	[ "$status" -eq 0 ] && sane
	[ "$(head -1 "$W/o.csv")" = "period,state,indicator,reported,predicted,data_status,percent_complete,percent_pending,vintage,source" ]
	[ "$(wc -l <"$W/o.csv")" -eq 7 ]
	command -v gnuplot >/dev/null 2>&1 || skip "gnuplot not installed"
	run --separate-stderr bash -c "$TOCALC_WRAP \"\$0\" plot series --file \"\$1\" --x year --y deaths -o \"\$2\" >&- <&- 2>/dev/null" \
		"$TOCALC" "$HD/series.csv" "$W/p.svg"
	[ "$status" -eq 0 ]
	head -c 200 "$W/p.svg" | grep -q "<svg"
	! grep -q "tocalc" "$W/p.svg" || ! grep -q "^year" "$W/p.svg"
}

@test "a closed stderr or stdin changes nothing" {
	local close_err="2>&-"
	# valgrind itself cannot start without its stderr (exit 127)
	[ -z "$TOCALC_WRAP" ] || close_err=
	run bash -c "$TOCALC_WRAP \"\$0\" tariff --partner CN --rate 20 --json $close_err <&-" "$TOCALC"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"command": "tariff"'* ]]
	run bash -c "$TOCALC_WRAP \"\$0\" tariff --partner XX --rate 20 $close_err" "$TOCALC"
	[ "$status" -eq 2 ]
}

@test "an overflowing percent change or CI bound is an error, never inf or a silent null" {
	printf 'year,deaths\n1999,4.9e-324\n2000,1e308\n2001,5\n' >"$W/pc.csv"
	run --separate-stderr T overdose change --file "$W/pc.csv" --x year --y deaths --from 1999 --to 2000 --json
	[ "$status" -eq 1 ] || [[ "$output" != *'"percent_change": null'* ]]
	run --separate-stderr T overdose trend --file "$W/pc.csv" --x year --y deaths --json
	[ "$status" -eq 1 ] || [[ "$output" != *'"apc_upper": null'* ]]
	# ln y swings by 1,381 every 0.001: an APC of e^(10^6): joinpoint used to print null
	printf 'x,y\n0,1e-300\n0.001,1e300\n0.002,1e-300\n0.003,1e300\n0.004,1e-300\n0.005,1e300\n' >"$W/jp.csv"
	expect_msg 1 "too steep to report" overdose joinpoint --file "$W/jp.csv" --x x --y y --select bic --max-joinpoints 0
	expect_msg 1 "too steep to report" overdose trend --file "$W/jp.csv" --x x --y y
}
