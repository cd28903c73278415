#!/usr/bin/env bats
# tocalc among the tools of a terminal: --json of every command through jq,
# --csv of every command through a CSV parser (python3's csv module), plain
# output in pipes and at a terminal (a pseudo-terminal made by script(1)),
# --quiet, NO_COLOR, --version with the vintage of each dataset.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	# Run from the checkout so the fixture paths below are short and
	# space-free; no command here writes into it (report: --no-plots or
	# --out-dir in the test directory).
	cd "$ROOT"
	VSRR="$ROOT/../shared/data/20260214_VSRR_Provisional_Drug_Overdose_Death_Counts_US-extract.csv"

	# Every command and subcommand that prints a result document, with
	# arguments that succeed on the shipped datasets (one per line).
	DATA_CMDS='data list
data show overdose_annual
data show overdose_12mo --limit 5
data show sources --limit 3
data validate
data validate overdose_annual tariffs'
	CHECK_CMDS='check
check fentanyl-76k-2022
check od-fall-17pct synthetic-400k-decade
check --verdict roughly'
	TARIFF_CMDS='tariff --partner CN --rate 200
tariff --partner CN --rate 200 --as-of 2025-02-10
tariff --partner CN --add 10 --as-of 2025-03-03 --draws 200 --seed 3
tariff --partner MX --rate 25 --model smart
tariff --partner CA --rate 25 --model gsim --supply-elasticity 5
tariff --partner CN --rate 20 --imports-file tests/data/tariff/hs10_small.csv --product-rates tests/data/tariff/lists_small.csv
tariff sweep --partner CN --from 0 --to 50 --step 10
tariff run china-20
tariff run mexico-canada-25
tariff run china-200
tariff revenue-max --partner CN --elasticity 2'
	OVERDOSE_CMDS='overdose change --series all_drugs --from 2023-07 --to 2024-07
overdose change --series synthetic_opioids --from 2022 --to 2023
overdose sum --series synthetic_opioids --from 2014 --to 2023
overdose trend --from 2019 --to 2023
overdose trend --source vsrr --basis predicted --from 2022-01 --to 2024-12
overdose joinpoint --series all_drugs --measure rate --from 1999 --to 2017
overdose joinpoint --series synthetic_opioids --select bic --aapc 2013:2022
overdose events --max-joinpoints 3'
	OTHER_CMDS='plot --list
report --no-plots'
	ALL_CMDS="$DATA_CMDS
$CHECK_CMDS
$TARIFF_CMDS
$OVERDOSE_CMDS
$OTHER_CMDS"

	# CSV checker: tables separated by one empty line, each with a header of
	# unique snake_case keys and the header's field count on every row;
	# numbers without thousands separators.
	PY_CSV='
import csv, re, sys
rows = list(csv.reader(sys.stdin))
if not rows:
    sys.exit("no CSV at all")
tables, cur = [], []
for r in rows:
    if r == []:
        if not cur:
            sys.exit("two empty lines in a row, or a leading one")
        tables.append(cur); cur = []
    else:
        cur.append(r)
if not cur:
    sys.exit("trailing empty line")
tables.append(cur)
for k, t in enumerate(tables):
    head = t[0]
    if len(set(head)) != len(head):
        sys.exit("table %d: duplicate column keys %r" % (k, head))
    for key in head:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            sys.exit("table %d: column key %r is not snake_case" % (k, key))
    for i, r in enumerate(t[1:], 2):
        if len(r) != len(head):
            sys.exit("table %d row %d: %d fields, header has %d" % (k, i, len(r), len(head)))
        for f in r:
            if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", f):
                sys.exit("table %d row %d: thousands separator in %r" % (k, i, f))
print(len(tables))
'
	# CSV and JSON agree: `--csv --table NAME` is the JSON array NAME: its
	# keys in order, then the document's metadata (the scalar top-level
	# JSON values but "command") as constant columns; the same rows.
	PY_AGREE='
import csv, json, sys
doc = json.load(open(sys.argv[1]))
name = sys.argv[3]
rows = list(csv.reader(open(sys.argv[2], newline="")))
arr = doc[name]
meta = [k for k, v in doc.items() if k not in ("command", "notes") and not isinstance(v, (list, dict))]
keys = list(arr[0].keys()) if arr else None
if keys is not None:
    # data show is the dataset file itself: no metadata columns
    want = keys + ([] if doc["command"] == "data show" else [m for m in meta if m not in keys])
    if rows[0] != want:
        sys.exit("%s: header %r, expected %r" % (name, rows[0], want))
if len(arr) != len(rows) - 1:
    sys.exit("%s: rows differ: %d vs %d" % (name, len(arr), len(rows) - 1))
for r, o in zip(rows[1:], arr):
    for k, f in zip(rows[0], r):
        v = o[k] if k in o else doc[k]
        if v is None and f != "":
            sys.exit("%s: %s missing in JSON, %r in CSV" % (name, k, f))
        if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(float(f) - v) > 1e-6 * max(1, abs(v)) + 0.5 * 10 ** -len((f.split(".") + [""])[1]):
            sys.exit("%s: %s is %r in JSON, %r in CSV" % (name, k, v, f))
'
}

# One JSON object, a "command" string, every key snake_case.
json_ok() {
	local out
	out=$(T --json "$@") || { echo "exit $? from: tocalc --json $*"; return 1; }
	printf '%s' "$out" | jq -e -s 'length == 1 and (.[0] | type == "object")' >/dev/null ||
		{ echo "not one JSON object: tocalc --json $*"; return 1; }
	printf '%s' "$out" | jq -e '.command | type == "string"' >/dev/null ||
		{ echo "no \"command\": tocalc --json $*"; return 1; }
	printf '%s' "$out" | jq -e '[paths | .[] | strings] | all(test("^[a-z][a-z0-9_]*$"))' >/dev/null ||
		{ echo "a key is not snake_case: tocalc --json $*"; return 1; }
	# the one shape (man page, OUTPUT FORMATS): scalars, tables of flat rows, notes
	printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
keys = list(d)
if keys[0] != "command": sys.exit("command is not the first key")
if "notes" in d and keys[-1] != "notes": sys.exit("notes is not the last key")
scalar = (str, int, float, bool, type(None))
for k, v in d.items():
    if k == "notes":
        if not (isinstance(v, list) and all(isinstance(x, str) for x in v)): sys.exit("notes: not strings")
    elif isinstance(v, list):
        if not all(isinstance(r, dict) for r in v): sys.exit("%s: not an array of row objects" % k)
        if v and any(list(r) != list(v[0]) for r in v): sys.exit("%s: rows with different keys" % k)
        if any(not isinstance(x, scalar) for r in v for x in r.values()): sys.exit("%s: a nested value" % k)
    elif not isinstance(v, scalar):
        sys.exit("%s: metadata must be a scalar" % k)
' || { echo "not the documented shape: tocalc --json $*"; return 1; }
}

# Under valgrind or the sanitizers (TOCALC_WRAP), a sample of a command list:
# every fourth line, so the loops stay within CI's time budget.
sample() {
	if [ -n "${TOCALC_WRAP:-}" ]; then
		awk 'NR % 4 == 1' <<<"$1"
	else
		printf '%s\n' "$1"
	fi
}

each() {	# each FUNCTION LIST: run FUNCTION on the words of every line
	local fn=$1 line
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		# shellcheck disable=SC2086
		$fn $line || return 1
	done <<<"$2"
}

in_pty() {	# run a shell command line under a pseudo-terminal
	script -qec "$1" /dev/null </dev/null
}

need_pty() {
	[ -z "${TOCALC_WRAP:-}" ] || skip "terminal tests run in the plain build only"
	command -v script >/dev/null || skip "script(1) is missing"
	[ "$(script -qec 'test -t 1 && echo tty' /dev/null </dev/null | tr -d '\r')" = tty ] ||
		skip "no pseudo-terminal here"
}

# ---------------------------------------------------------------- JSON

@test "--json of every data and check command is one JSON object (jq -e)" {
	each json_ok "$DATA_CMDS"
	each json_ok "$CHECK_CMDS"
}

@test "--json of every tariff command (what-if, product level, sweep, run, revenue-max) is one JSON object" {
	each json_ok "$TARIFF_CMDS"
}

@test "--json of every overdose command (change, sum, trend, joinpoint, events) is one JSON object" {
	each json_ok "$OVERDOSE_CMDS"
}

@test "--json of plot --list and report is one JSON object" {
	each json_ok "$OTHER_CMDS"
	run sh -c "$TOCALC_WRAP '$TOCALC' --json report --out-dir '$BATS_TEST_TMPDIR/p' --quiet | jq -e '.plots | length >= 5'"
	if command -v gnuplot >/dev/null; then
		[ "$status" -eq 0 ]
	fi
}

@test "--json and --csv of commands that write a file describe what they wrote" {
	local small="$ROOT/tests/data/hostile/vsrr_small.csv" o="$BATS_TEST_TMPDIR/w.csv"
	run sh -c "$TOCALC_WRAP '$TOCALC' data import-vsrr '$small' --vintage 2026-02-14 -o '$o' --json | jq -e '.written[0].rows == 6 and .written[0].vintage == \"2026-02-14\"'"
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 "$o" | wc -l)" -eq 6 ]
	run T data import-vsrr "$small" --vintage 2026-02-14 -o "$o" --csv
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "input,output,rows,raw_rows,vintage,source_id"* ]]
	command -v gnuplot >/dev/null || skip "gnuplot is missing"
	run sh -c "$TOCALC_WRAP '$TOCALC' plot series --file '$ROOT/tests/data/hostile/series.csv' --x year --y deaths -o '$BATS_TEST_TMPDIR/s.svg' --json | jq -e '.written[0].terminal == \"svg\" and .written[0].bytes > 1000'"
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/s.svg")" -gt 1000 ]
}

@test "--json, --format json, before or after the command: the same document" {
	for c in "data list" "check fentanyl-76k-2022" "tariff run china-20" "overdose trend --from 2019 --to 2023" "plot --list"; do
		a=$(T --json $c)
		b=$(T $c --json)
		d=$(T --format json $c)
		e=$(T $c --format=json)
		[ "$a" = "$b" ] && [ "$a" = "$d" ] && [ "$a" = "$e" ] || { echo "differs: $c"; false; }
	done
}

@test "JSON numbers are numbers and missing values are null, never \"\" or NaN" {
	T --json data show overdose_annual | jq -e '
		[.rows[] | select(.series == "synthetic_opioids" and .year == 2024)][0].rate == null and
		([.rows[].deaths | select(. != null) | type] | unique) == ["number"]'
	run sh -c "$TOCALC_WRAP '$TOCALC' --json check | grep -Ei 'nan|inf'"
	[ "$status" -ne 0 ]
}

@test "a failed command prints nothing on stdout, so a pipe into jq gets no half document" {
	for c in "check nope" "data show nope" "tariff --partner XX --rate 5" \
		"overdose change --from 1990 --to 2000" "plot nope -o x.svg" "tariff --partner CN"; do
		out=$(T --json $c 2>/dev/null) && { echo "exit 0: $c"; false; }
		[ -z "$out" ] || { echo "stdout not empty: $c"; false; }
	done
}

# ----------------------------------------------------------------- CSV

@test "--csv of every command parses: one field count per table, snake_case headers, no thousands separators" {
	csv_ok() {
		local out
		out=$(T --csv "$@") || { echo "exit $? from: tocalc --csv $*"; return 1; }
		printf '%s\n' "$out" | python3 -c "$PY_CSV" >/dev/null || { echo "in: tocalc --csv $*"; return 1; }
	}
	each csv_ok "$ALL_CMDS"
}

@test "--csv --table NAME is the --json table NAME: same keys, same order, same rows, metadata as columns" {
	agree() {
		local tab
		T --json "$@" >"$BATS_TEST_TMPDIR/j" || { echo "exit $? from: tocalc --json $*"; return 1; }
		for tab in $(jq -r 'to_entries[] | select(.value | type == "array" and (length == 0 or (.[0] | type == "object"))) | .key' "$BATS_TEST_TMPDIR/j"); do
			T --csv --quiet --table "$tab" "$@" >"$BATS_TEST_TMPDIR/c" &&
				python3 -c "$PY_AGREE" "$BATS_TEST_TMPDIR/j" "$BATS_TEST_TMPDIR/c" "$tab" ||
				{ echo "in: tocalc --table $tab $*"; return 1; }
		done
	}
	each agree "$(sample "$ALL_CMDS")"
}

@test "--csv is one table: sqlite3 .import and Python's csv module read every command's output, same row count" {
	command -v sqlite3 >/dev/null || skip "sqlite3 is not installed (CI installs it)"
	imp() {
		local db="$BATS_TEST_TMPDIR/t.db" n
		rm -f "$db"
		T --csv --quiet "$@" >"$BATS_TEST_TMPDIR/c" || { echo "exit $? from: tocalc --csv $*"; return 1; }
		sqlite3 -bail "$db" ".import --csv $BATS_TEST_TMPDIR/c t" || { echo "sqlite3 refused: tocalc --csv $*"; return 1; }
		n=$(sqlite3 "$db" "select count(*) from t")
		[ "$n" -eq "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline=""))))-1)' "$BATS_TEST_TMPDIR/c")" ] ||
			{ echo "row count differs: tocalc --csv $*"; return 1; }
	}
	each imp "$(sample "$ALL_CMDS")"
}

@test "--csv: --table picks a table, an unknown one is a usage error with a suggestion" {
	run T --csv tariff sweep --partner CN --step 100 --table revenue_mx
	[ "$status" -eq 2 ]
	[[ "$output" == *"'revenue_mx' is not a table of 'tariff sweep' (did you mean 'revenue_max'?)"* ]]
	run T --csv --quiet tariff sweep --partner CN --step 100
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == rate_pct,* ]]
	[[ "$output" != *"revenue_max"* || "$output" != *$'\n\n'* ]]
	run T --json tariff sweep --partner CN --step 100 --table sweep
	[ "$status" -eq 2 ]
}

@test "--json with --csv (or --format) is a usage error, in either place" {
	run T --json --csv check
	[ "$status" -eq 2 ]
	[[ "$output" == *"give one of --json, --csv and --format"* ]]
	run T check --csv --json
	[ "$status" -eq 2 ]
	run T --csv check --format json
	[ "$status" -eq 2 ]
	run T --csv check --csv --quiet
	[ "$status" -eq 0 ]
}

@test "notes go to stderr in table and CSV output, --quiet drops them, --json keeps them in .notes" {
	run --separate-stderr T check
	[ "$status" -eq 0 ]
	[[ "$output" != *"note:"* ]]
	[[ "$stderr" == *"tocalc: note: "*" claims: "* ]]
	run --separate-stderr T check --quiet
	[ -z "$stderr" ]
	run --separate-stderr T --csv tariff sweep --partner CN --step 100
	[[ "$output" != *"note:"* ]]
	[[ "$stderr" == *"tocalc: note:"* ]]
	run --separate-stderr T --json tariff sweep --partner CN --step 100
	[ -z "$stderr" ]
	jq -e '.notes | length > 0' <<<"$output" >/dev/null
}

@test "--csv of data show reads back as the dataset file: same fields, numbers of the same value" {
	for d in overdose_annual overdose_12mo tariffs trade parameters; do
		T --csv data show "$d" | python3 -c '
import csv, sys
a = list(csv.reader(sys.stdin))
b = list(csv.reader(open(sys.argv[1], newline="")))
def same(x, y):
    if x == y:
        return True
    try:
        return float(x) == float(y)
    except ValueError:
        return False
bad = [(i, x, y) for i, (ra, rb) in enumerate(zip(a, b), 1) for x, y in zip(ra, rb) if not same(x, y)]
if len(a) != len(b) or bad:
    sys.exit("%s: %d vs %d rows; first differences %r" % (sys.argv[1], len(a), len(b), bad[:3]))' "datasets/$d.csv"
	done
}

# ------------------------------------------------------ pipes and terminals

@test "tables in a pipe are plain text: no escape sequence, no carriage return, a final newline" {
	plain() {
		T "$@" >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" || { echo "exit $?: tocalc $*"; return 1; }
		if LC_ALL=C grep -q $'[\033\r]' "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/e"; then
			echo "escape or CR in: tocalc $*"; return 1
		fi
		[ -z "$(tail -c 1 "$BATS_TEST_TMPDIR/o")" ] || { echo "no final newline: tocalc $*"; return 1; }
	}
	each plain "$ALL_CMDS"
	each plain "--help
--version
help tariff"
}

@test "tables group the digits of a column alike; a year stays a year" {
	run T --quiet tariff run mexico-canada-25
	[ "$status" -eq 0 ]
	# China's revenue change (four digits) sits in a column of five-digit numbers: grouped like them
	[[ "$output" =~ $'\n'CN\ +[0-9]{3},[0-9]{3}\.[0-9]\ +[0-9]{3},[0-9]{3}\.[0-9]\ +[0-9]{3},[0-9]{3}\.[0-9]\ +[0-9],[0-9]{3}\.[0-9]\  ]]
	run T check
	# a computed year among counts is not grouped
	[[ "$output" == *"od-first-decline-since-2018"*" 2023  first later fall"* ]]
	run T overdose joinpoint --from 1999 --to 2017
	[[ "$output" == *"      1  1999   2006 "* ]]
	# CSV and JSON never group (and CSV keeps full precision: any number of decimals)
	run T --csv --table revenue tariff run mexico-canada-25
	[[ "$output" =~ $'\n'CN,[0-9]+(\.[0-9]+)?,[0-9]+(\.[0-9]+)?,[0-9]+(\.[0-9]+)?,[0-9]{4}(\.[0-9]+)?, ]]
}

@test "at a terminal stdout carries no escape sequence, with or without NO_COLOR" {
	need_pty
	for nc in "" "NO_COLOR=1"; do
		while IFS= read -r c; do
			out=$(in_pty "env $nc '$TOCALC' $c 2>/dev/null")
			if printf '%s' "$out" | LC_ALL=C grep -q $'\033'; then
				echo "escape sequence at a terminal ($nc): tocalc $c"; false
			fi
		done <<<"$ALL_CMDS"
	done
}

@test "at a terminal a table is the same as in a pipe (aligned the same, no extras)" {
	need_pty
	for c in "data list" "check" "tariff run china-20" "overdose change --series all_drugs --from 2023-07 --to 2024-07"; do
		a=$("$TOCALC" $c)
		b=$(in_pty "'$TOCALC' $c 2>/dev/null" | tr -d '\r')
		[ "$a" = "$b" ] || { echo "differs at a terminal: $c"; false; }
	done
}

@test "at a terminal the stderr notes of report carry no escape sequence" {
	need_pty
	command -v gnuplot >/dev/null || skip "gnuplot is missing"
	out=$(in_pty "NO_COLOR=1 '$TOCALC' report --out-dir '$BATS_TEST_TMPDIR/p' >/dev/null")
	[[ "$out" == *"figures written to"* ]]
	! printf '%s' "$out" | LC_ALL=C grep -q $'\033'
}

@test "at a terminal the joinpoint permutation tests show a progress bar; --quiet removes it" {
	need_pty
	out=$(in_pty "'$TOCALC' overdose joinpoint --permutations 999 >/dev/null")
	[[ "$out" == *"permutation tests ["*"100%"* ]]
	out=$(in_pty "'$TOCALC' --quiet overdose joinpoint --permutations 999 >/dev/null")
	[ -z "$out" ]
	out=$(in_pty "'$TOCALC' overdose joinpoint --permutations 999 --quiet >/dev/null")
	[ -z "$out" ]
}

@test "at a terminal no output carries an escape sequence, progress bar included (NO_COLOR, TERM=dumb)" {
	need_pty
	# The bar is redrawn with a carriage return and cleared with spaces
	# (tc_progress_done, src/cmd_common.c): ESC [ K would show as garbage
	# on a TERM=dumb terminal and is not needed.
	out=$(in_pty "NO_COLOR=1 TERM=dumb '$TOCALC' overdose joinpoint --permutations 999")
	[[ "$out" == *"segments of the selected model"* ]]
	if printf '%s' "$out" | LC_ALL=C grep -q $'\033'; then
		printf '%s' "$out" | LC_ALL=C grep -ao $'.\033\\[[0-9;]*[A-Za-z]' | od -c | head -3
		false
	fi
}

# ---------------------------------------------------------------- --quiet

@test "--quiet: nothing on stderr on success, for every command" {
	while IFS= read -r c; do
		err=$(T --quiet $c 2>&1 >/dev/null) || { echo "failed: $c"; false; }
		[ -z "$err" ] || { echo "stderr with --quiet: tocalc $c: $err"; false; }
	done <<<"$ALL_CMDS"
}

@test "--quiet silences the notes of report and import-vsrr; without it they are there" {
	command -v gnuplot >/dev/null || skip "gnuplot is missing"
	run sh -c "$TOCALC_WRAP '$TOCALC' report --out-dir '$BATS_TEST_TMPDIR/a' --html '$BATS_TEST_TMPDIR/a.html' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[[ "$output" == *"figures written to"* ]]
	for q in "--quiet report" "report --quiet"; do
		run sh -c "$TOCALC_WRAP '$TOCALC' $q --out-dir '$BATS_TEST_TMPDIR/b' --html '$BATS_TEST_TMPDIR/b.html' 2>&1 >/dev/null"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
	[ -f "$BATS_TEST_TMPDIR/b.html" ]
	[ -f "$VSRR" ] || skip "../shared/data is absent"
	run sh -c "$TOCALC_WRAP '$TOCALC' data import-vsrr '$VSRR' -o '$BATS_TEST_TMPDIR/o.csv' 2>&1 >/dev/null"
	[[ "$output" == *"wrote 258 rows"* ]]
	run sh -c "$TOCALC_WRAP '$TOCALC' --quiet data import-vsrr '$VSRR' -o '$BATS_TEST_TMPDIR/o.csv' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--quiet keeps the error messages" {
	run T --quiet check nope
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown claim 'nope'"* ]]
}

# --------------------------------------------------------------- --version

@test "--version prints the version and each dataset with its rows, period and vintage" {
	run T --version
	[ "$status" -eq 0 ]
	v=$(sed -n 's/^#define TOCALC_VERSION "\(.*\)"$/\1/p' "$ROOT/include/tocalc/version.h")
	[ "${lines[0]}" = "tocalc $v" ]
	[ "${lines[1]}" = "datasets: $ROOT/datasets" ]
	# every dataset of 'data list', with its row count and period
	while IFS=, read -r name rows period _; do
		[[ "$output" == *"  $name "*"$rows rows, $period"* ]] || { echo "missing: $name $rows $period"; false; }
	done < <(T --csv data list | tail -n +2)
	# the VSRR download date is the vintage column of the data
	vint=$(T --csv data show overdose_12mo | python3 -c 'import csv,sys; print(max(r["vintage"] for r in csv.DictReader(sys.stdin)))')
	[[ "$output" == *"overdose_12mo"*"vintage $vint (CDC VSRR download), provisional from 2024-01"* ]]
	[[ "$output" == *"overdose_annual"*"final NCHS 1999-2023, final CDC WONDER 2024"* ]]
}

@test "--version follows --data-dir and TOCALC_DATA: another vintage shows" {
	d="$BATS_TEST_TMPDIR/newer"
	cp -r "$ROOT/datasets" "$d"
	sed -i 's/,2026-02-14,/,2026-03-14,/' "$d/overdose_12mo.csv"
	run T --data-dir "$d" --version
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "datasets: $d" ]
	[[ "$output" == *"vintage 2026-03-14 (CDC VSRR download)"* ]]
	TOCALC_DATA="$d" run T --version
	[[ "$output" == *"vintage 2026-03-14"* ]]
}

@test "--version names a dataset that does not load and still exits 0" {
	d="$BATS_TEST_TMPDIR/broken"
	cp -r "$ROOT/datasets" "$d"
	printf 'not,a,trade,file\n' >"$d/trade.csv"
	run T --data-dir "$d" --version
	[ "$status" -eq 0 ]
	[[ "$output" == *"trade"*"does not load"* ]]
	[[ "$output" == *"overdose_annual  52 rows"* ]]
}

# ------------------------------------------------------------------ README

@test "README: every output pasted after '\$ tocalc ...' is what the current build prints" {
	[ -z "${TOCALC_WRAP:-}" ] || skip "README outputs are checked in the plain build only"
	bindir="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$bindir" "$BATS_TEST_TMPDIR/run"
	ln -sf "$TOCALC" "$bindir/tocalc"
	# Paths are shown as an installed tocalc prints them.
	PATH="$bindir:$PATH" python3 - "$ROOT/README.md" "$ROOT" "$BATS_TEST_TMPDIR/run" <<'PY'
import subprocess, sys
readme, root, run = sys.argv[1:4]
blocks, cmd, exp = [], None, []
for line in open(readme, encoding="utf-8").read().split("\n"):
    if line.startswith("    $ "):
        if cmd:
            blocks.append((cmd, exp))
        cmd, exp = line[6:], []
    elif cmd is not None and (line.startswith("    ") or line == ""):
        exp.append(line[4:])
    else:
        if cmd:
            blocks.append((cmd, exp))
        cmd, exp = None, []
if cmd:
    blocks.append((cmd, exp))
bad, n = [], 0
for cmd, exp in blocks:
    if not cmd.startswith("tocalc"):
        continue
    n += 1
    p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=run, capture_output=True, text=True)
    fix = lambda s: s.replace(root + "/", "/usr/local/share/tocalc/")
    out, err = fix(p.stdout).split("\n"), fix(p.stderr).split("\n")
    if p.returncode != 0:
        bad.append("%s: exit %d" % (cmd, p.returncode))
        continue
    i = 0
    for e in exp:
        if e.strip() in ("", "…") or e in err:
            continue
        while i < len(out) and out[i] != e:
            i += 1
        if i == len(out):
            bad.append("%s:\n  README: %r\n  not printed (or not in this order)" % (cmd, e))
            break
        i += 1
if n < 10:
    bad.append("only %d commands found in README" % n)
if bad:
    sys.exit("\n".join(bad))
PY
}

@test "README: the gallery is docs/gallery.md, its images exist, its doc links resolve" {
	if [ -f "$ROOT/docs/gallery.md" ]; then
		python3 - "$ROOT/README.md" "$ROOT/docs/gallery.md" <<'PY'
import sys
readme, gallery = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
sys.exit(0 if gallery.strip() in readme else "README's Gallery section is not docs/gallery.md")
PY
	fi
	grep -q '^## Gallery' "$ROOT/README.md"
	for img in $(grep -o '](plots/[^)]*)' "$ROOT/README.md" | sed 's/^](//; s/)$//'); do
		[ -f "$ROOT/$img" ] || { echo "missing image $img"; false; }
	done
	for doc in $(grep -o '](\(docs\|datasets\)/[^)]*)' "$ROOT/README.md" | sed 's/^](//; s/)$//'); do
		[ -f "$ROOT/$doc" ] || { echo "broken link $doc"; false; }
	done
}
