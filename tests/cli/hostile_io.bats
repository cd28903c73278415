#!/usr/bin/env bats
# Hostile tests of the output side (issue 19; docs/guarantees.md, "Output
# files and processes"): planted symbolic links and shared directories,
# the mode of a replaced file, text that would break an SVG, terminal
# escapes in messages, a hanging gnuplot, signals during a plot, a reader
# that stops early, a missing TMPDIR and the longest file names.
#
# Cheap under valgrind (TOCALC_WRAP): a few runs per test; the one report
# run is skipped there (plot -o goes through the same tc_atomic_open).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	ROOT="$BATS_TEST_DIRNAME/../.."
	S="$ROOT/tests/data/plot/series.csv"
	V="$ROOT/tests/data/hostile/vsrr_small.csv"
	W="$BATS_TEST_TMPDIR"
}

plot_to() {
	T plot series --file "$S" --x year --y count "$@"
}

# A fake gnuplot first on PATH: it records its pid and that of a child it
# starts (so a test can see that the whole process group went), then hangs.
hanging_gnuplot() {
	mkdir -p "$W/fake"
	cat >"$W/fake/gnuplot" <<EOF
#!/bin/sh
echo \$\$ >"$W/gp.pid"
sleep 300 &
echo \$! >"$W/gpchild.pid"
wait
EOF
	chmod +x "$W/fake/gnuplot"
}

# alive PIDFILE: the process exists and is not a zombie
alive() {
	local s
	s=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null) || return 1
	[[ "$s" != Z* ]]
}

# The wrapper (valgrind) as an array with its full path, for runs under another PATH.
wrap_array() {
	WRAP=()
	if [ -n "$TOCALC_WRAP" ]; then
		read -r -a WRAP <<<"$TOCALC_WRAP"
		WRAP[0]=$(command -v "${WRAP[0]}")
	fi
}

@test "item 1: a planted symbolic link or a shared directory is refused, its target untouched" {
	printf 'secret\n' >"$W/victim"
	chmod 600 "$W/victim"
	ln -s "$W/victim" "$W/link.svg"
	run --separate-stderr plot_to -o "$W/link.svg"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"'$W/link.svg': it is a symbolic link"* ]]
	[ "$(cat "$W/victim")" = secret ]
	[ "$(stat -c %a "$W/victim")" = 600 ]
	[ -L "$W/link.svg" ]
	ln -s "$W/victim" "$W/link.csv"
	run --separate-stderr T data import-vsrr "$V" --vintage 2026-02-14 -o "$W/link.csv"
	[ "$status" -eq 1 ]
	[ "$(cat "$W/victim")" = secret ]
	# a dangling link: its target is never created
	ln -s "$W/created" "$W/dangling.svg"
	run --separate-stderr plot_to -o "$W/dangling.svg"
	[ "$status" -eq 1 ]
	[ ! -e "$W/created" ]
	# a directory every user can write, without the sticky bit
	mkdir "$W/shared"
	chmod 777 "$W/shared"
	run --separate-stderr plot_to -o "$W/shared/p.svg"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"writable by every user and not sticky"* ]]
	[ -z "$(ls -A "$W/shared")" ]
	chmod 1777 "$W/shared"
	run --separate-stderr plot_to -o "$W/shared/p.svg" --script-only
	[ "$status" -eq 0 ]
	# a directory of another user (only root can set one up)
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
		mkdir "$W/theirs"
		chown nobody "$W/theirs"
		run --separate-stderr plot_to -o "$W/theirs/p.svg"
		[ "$status" -eq 1 ]
		[[ "$stderr" == *"belongs to another user"* ]]
		[ -z "$(ls -A "$W/theirs")" ]
		# their link to a directory of ours (./tocalc-report -> /etc)
		mkdir "$W/mine"
		ln -s "$W/mine" "$W/theirlink"
		chown -h nobody "$W/theirlink"
		run --separate-stderr plot_to -o "$W/theirlink/p.svg"
		[ "$status" -eq 1 ]
		[[ "$stderr" == *"symbolic link owned by another user"* ]]
		[ -z "$(ls -A "$W/mine")" ]
	fi
	# the report's figures, in --out-dir (skipped under valgrind: same code as plot -o)
	if [ -z "$TOCALC_WRAP" ]; then
		mkdir "$W/rep"
		ln -s "$W/victim" "$W/rep/scenarios.svg"
		run --separate-stderr T report --quiet --out-dir "$W/rep"
		[ "$status" -eq 1 ]
		[[ "$stderr" == *"symbolic link"* ]]
		[ "$(cat "$W/victim")" = secret ]
	fi
}

@test "item 2: a replaced file keeps its mode; its other hard links keep the old contents" {
	need_gnuplot
	printf 'old\n' >"$W/p.svg"
	chmod 600 "$W/p.svg"
	ln "$W/p.svg" "$W/hard.svg"
	run --separate-stderr plot_to -o "$W/p.svg"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$W/p.svg")" = 600 ]
	grep -q '</svg>' "$W/p.svg"
	[ "$(cat "$W/hard.svg")" = old ]
	[ "$(stat -c %h "$W/p.svg")" = 1 ]
	chmod 444 "$W/p.svg"
	# as root, the owner and group are kept too (fchown; others keep what they may)
	local owner
	owner=$(stat -c %U:%G "$W/p.svg")
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
		chown nobody:"$(id -gn nobody)" "$W/p.svg"
		owner=$(stat -c %U:%G "$W/p.svg")
	fi
	run --separate-stderr plot_to -o "$W/p.svg" --title again
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$W/p.svg")" = 444 ]
	[ "$(stat -c %U:%G "$W/p.svg")" = "$owner" ]
	grep -q 'again' "$W/p.svg"
	# a new file: 0666 & ~umask
	(umask 027 && plot_to -o "$W/new.svg")
	[ "$(stat -c %a "$W/new.svg")" = 640 ]
}

@test "item 3: text that would make the SVG invalid XML is refused, nothing written" {
	need_gnuplot
	for t in ']]>' '&#x3c' '&#xFFFF;'; do
		printf 'known\n' >"$W/x.svg"
		run --separate-stderr plot_to -o "$W/x.svg" --title "a $t b"
		[ "$status" -eq 1 ] || { echo "title '$t': exit $status"; false; }
		[[ "$stderr" == *"not be a valid SVG file"* ]]
		[ "$(cat "$W/x.svg")" = known ]
		[ -z "$(ls "$W" | grep '\.tmp\.')" ]
	done
	# markup characters gnuplot escapes itself still work
	run --separate-stderr plot_to -o "$W/ok.svg" --title 'a < b & c > d "e"'
	[ "$status" -eq 0 ]
}

@test "item 4: non-printing bytes in messages are escaped, UTF-8 text kept" {
	run --separate-stderr T --data-dir $'\e]0;pwned\a\e[31mdir' version
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'\x1b]0;pwned\x07\x1b[31mdir'* ]]
	! grep -q $'\e' <<<"$stderr"
	run --separate-stderr T plot series --file $'caf\xc3\xa9-\xc2\x9b-\xff-\r.csv' --x year --y count -o "$W/x.svg"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *$'caf\xc3\xa9-\\xc2\\x9b-\\xff-\\x0d.csv'* ]]
	! grep -q $'\r' <<<"$stderr"
}

@test "item 9: --gnuplot-timeout stops a hanging gnuplot and its process group, exit 3" {
	hanging_gnuplot
	wrap_array
	printf 'known\n' >"$W/x.svg"
	run --separate-stderr env PATH="$W/fake:$PATH" "${WRAP[@]}" "$TOCALC" --gnuplot-timeout 1 \
		plot series --file "$S" --x year --y count -o "$W/x.svg"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"did not finish within 1 seconds"* ]]
	[ "$(cat "$W/x.svg")" = known ]
	[ -z "$(ls "$W" | grep '\.tmp\.')" ]
	! alive "$W/gp.pid"
	! alive "$W/gpchild.pid"
	run --separate-stderr T --gnuplot-timeout -1 plot --list
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--gnuplot-timeout"* ]]
}

@test "item 11: SIGINT, SIGTERM or SIGHUP during a plot removes the temporary file and gnuplot" {
	hanging_gnuplot
	wrap_array
	# a background job of a script starts with SIGINT ignored, and a run under
	# nohup with SIGHUP ignored (tocalc keeps an ignored signal ignored): env
	# --default-signal gives them back, as a terminal has them
	local dflt=()
	env --default-signal=INT,TERM,HUP true 2>/dev/null && dflt=(env --default-signal=INT,TERM,HUP)
	for sig in INT TERM HUP; do
		[ "$sig" = TERM ] || [ ${#dflt[@]} -gt 0 ] || continue
		rm -f "$W/gp.pid" "$W/gpchild.pid"
		mkdir -p "$W/out"
		(PATH="$W/fake:$PATH" exec "${dflt[@]}" "${WRAP[@]}" "$TOCALC" plot series --file "$S" --x year \
			--y count -o "$W/out/x.svg" 2>"$W/err") &
		local pid=$! i=0
		while [ ! -s "$W/gpchild.pid" ] && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -s "$W/gpchild.pid" ]
		ls "$W/out" | grep -q '^x\.svg\.tmp\.'	# the test sees a temporary file to clean
		kill -s "$sig" "$pid"
		local st=0
		wait "$pid" || st=$?
		[ "$st" -ge 128 ] || { echo "$sig: exit $st"; false; }
		[ -z "$TOCALC_WRAP" ] && { [ "$st" -eq $((128 + $(kill -l "$sig"))) ] || false; }
		[ -z "$(ls -A "$W/out")" ] || { echo "$sig: left $(ls "$W/out")"; false; }
		sleep 0.2
		! alive "$W/gp.pid"
		! alive "$W/gpchild.pid"
	done
}

@test "item 13: a reader that stops early (plot -o -, --script-only | head) is not an error" {
	need_gnuplot
	for args in "-o - --terminal svg" "--script-only"; do
		run --separate-stderr bash -c '{ sleep 0.3; '"${TOCALC_WRAP:+$TOCALC_WRAP }"'"$0" plot series --file "$1" --x year --y count '"$args"'; echo $? >"$2"; } | true' \
			"$TOCALC" "$S" "$W/st"
		[ "$(cat "$W/st")" -eq 0 ] || { echo "$args: exit $(cat "$W/st"): $stderr"; false; }
		[[ "$stderr" != *"Broken pipe"* ]]
	done
}

@test "item 14: a missing TMPDIR is named; output names up to NAME_MAX bytes are written" {
	run --separate-stderr env TMPDIR="$W/nope" "$TOCALC" data import-vsrr "$V" --vintage 2026-02-14 -o /dev/null
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"TMPDIR '$W/nope'"* ]]
	local n245 n255
	n245=$(printf 'a%.0s' $(seq 241)).csv
	n255=$(printf 'b%.0s' $(seq 251)).csv
	run --separate-stderr T data import-vsrr "$V" --vintage 2026-02-14 -o "$W/$n245"
	[ "$status" -eq 0 ]
	[ -s "$W/$n245" ]
	run --separate-stderr T data import-vsrr "$V" --vintage 2026-02-14 -o "$W/$n255"
	[ "$status" -eq 0 ]
	[ -s "$W/$n255" ]
	run --separate-stderr T data import-vsrr "$V" --vintage 2026-02-14 -o "$W/c$n255"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"File name too long"* ]]
	[ -z "$(ls "$W" | grep '\.tmp\.')" ]
}

@test "an error message leaves in one write(2), escapes included (stderr is unbuffered)" {
	command -v strace >/dev/null || skip "strace is not installed"
	[ -z "${TOCALC_WRAP:-}" ] || skip "strace of a wrapped binary counts the wrapper's writes"
	# LeakSanitizer cannot run under ptrace: off for this one run of a sanitized build
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" run strace -qq -f -e trace=write -o "$W/trace" "$TOCALC" tariff --partner "$(printf 'X\001Y')" --rate 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown partner 'X\x01Y'"* ]]
	[ "$(grep -c '^[0-9]* *write(2,' "$W/trace")" -eq 1 ]
}
