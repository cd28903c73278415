# tests/cli/helpers.bash: helpers shared by the CLI suites (`load helpers`).
# T runs tocalc as the suites do: $TOCALC_WRAP (e.g. valgrind) then $TOCALC.

: "${TOCALC:=$BATS_TEST_DIRNAME/../../tocalc}"

T() { $TOCALC_WRAP "$TOCALC" "$@"; }

need_gnuplot() {
	command -v gnuplot >/dev/null 2>&1 || skip "gnuplot not installed"
}

need_jq() {
	command -v jq >/dev/null 2>&1 || skip "jq not installed"
}

# Run tocalc with PATH=$1 (the wrapper, e.g. valgrind, found beforehand).
T_path() {
	local p=$1 w=()
	shift
	if [ -n "$TOCALC_WRAP" ]; then
		read -r -a w <<<"$TOCALC_WRAP"
		w[0]=$(command -v "${w[0]}")
	fi
	PATH="$p" "${w[@]}" "$TOCALC" "$@"
}
