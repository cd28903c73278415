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

# csv_round SPEC: the CSV on stdin with number fields rounded as a table
# would show them, for comparison with figures derived by hand to so many
# decimals (CSV itself keeps full precision).  SPEC gives, column by
# column, the decimals or '-' (as written); columns beyond it stay as written.
csv_round() {
	awk -F, -v OFS=, -v spec="$1" 'BEGIN { n = split(spec, d, " ") }
	{
		for (i = 1; i <= NF && i <= n; i++)
			if (d[i] != "-" && $i ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) {
				$i = sprintf("%." d[i] "f", $i)
				if ($i ~ /^-[0.]+$/)
					$i = substr($i, 2)
			}
		print
	}'
}
