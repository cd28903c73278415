#!/usr/bin/env bats
# CLI tests of the Joinpoint 5 features of `tocalc overdose joinpoint`:
# weights, AR(1), empirical CIs, comparisons, the comparability-ratio jump,
# the linear model, by-group runs and the stability report.  Expected
# numbers come from R (tests/data/joinpoint/reference.R) or are properties
# (equal fits, p = 1); one invocation per test, information criteria where
# the selection does not matter, so the suite stays cheap under valgrind.

load helpers

setup() {
	JD="$BATS_TEST_DIRNAME/../data/joinpoint"
	F=(--file "$JD/rate_deaths.csv" --x year)
}

r2() { jq -r "$1 * 100 | round / 100"; }

@test "joinpoint help lists the new flags" {
	run T overdose --help
	[ "$status" -eq 0 ]
	for w in --model --weights --se --ar1 --empirical-ci --resamples --compare --jump --jump-ratio \
		--group --stability --stability-seeds mbic; do
		[[ "$output" == *"$w"* ]] || { echo "missing $w"; return 1; }
	done
}

@test "--se: weighted fit, SE = rate/sqrt(deaths): APCs of R lm(weights = deaths)" {
	need_jq
	run T overdose joinpoint "${F[@]}" --y rate --se se --min-joinpoints 2 --max-joinpoints 2 --select bic --json
	[ "$status" -eq 0 ]
	# R: slopes 0.0913895568101, 0.0294616560053, 0.145869398581 -> 100 (e^b - 1)
	[ "$(echo "$output" | r2 '.segments[0].apc')" = "9.57" ]
	[ "$(echo "$output" | r2 '.segments[1].apc')" = "2.99" ]
	[ "$(echo "$output" | r2 '.segments[2].apc')" = "15.7" ]
	[ "$(echo "$output" | jq -r '.weights')" = "se" ]
}

@test "--se: a standard error of 0 is an error naming the file and column (exit 1)" {
	run T overdose joinpoint --file "$JD/bad_se.csv" --x year --y rate --se se --select bic
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad_se.csv"*"column 'se'"*"2004"* ]]
}

@test "--ar1 0 gives the independent-error fit" {
	need_jq
	a=$(T overdose joinpoint "${F[@]}" --y rate --select bic --json | jq -c '[.segments[] | .apc, .apc_lower, .apc_upper]')
	run T overdose joinpoint "${F[@]}" --y rate --select bic --ar1 0 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '[.segments[] | .apc, .apc_lower, .apc_upper]')" = "$a" ]
	[ "$(echo "$output" | jq -r '.errors')" = "ar1" ]
}

@test "--ar1 out of (-1, 1) is a usage error" {
	run T overdose joinpoint "${F[@]}" --y rate --ar1 1
	[ "$status" -eq 2 ]
}

@test "--empirical-ci: quantile bounds for APCs, joinpoints and AAPC beside the parametric ones" {
	need_jq
	run T overdose joinpoint "${F[@]}" --y rate --min-joinpoints 2 --max-joinpoints 2 --select bic \
		--empirical-ci --resamples 999 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.empirical_ci | length')" = "6" ]
	# independent resampling (empirical.py): joinpoint 1 between 2005 and 2007
	[ "$(echo "$output" | jq -r '.empirical_ci[3] | "\(.empirical_lower) \(.empirical_upper)"')" = "2005 2007" ]
	echo "$output" | jq -e '.empirical_ci[0] | .empirical_lower < .estimate and .estimate < .empirical_upper'
}

@test "--compare: a series against itself is coincident and parallel (p = 1)" {
	need_jq
	run T overdose joinpoint "${F[@]}" --y rate --compare rate --select bic --permutations 99 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.comparison[].p_value] | join(" ")')" = "1 1" ]
}

@test "--jump outside the analysed range is a usage error; --jump-ratio needs --jump" {
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --select bic --jump 1999 --jump-ratio 1.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"outside the analysed range"* ]]
	run T overdose joinpoint --measure rate --from 1999 --to 2017 --select bic --jump-ratio 1.1
	[ "$status" -eq 2 ]
}

@test "--jump without a ratio: the estimated step of R lm (ratio 0.9911 at 2010)" {
	need_jq
	run T overdose joinpoint "${F[@]}" --y rate --min-joinpoints 2 --max-joinpoints 2 --select bic --jump 2010 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.jump[0].estimate * 10000 | round / 10000')" = "0.9911" ]
}

@test "--model linear: slopes of R lm on the grid (0.7786, 0.3827, 2.5658)" {
	need_jq
	run T overdose joinpoint "${F[@]}" --y rate --model linear --min-joinpoints 2 --max-joinpoints 2 --select bic --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.segments[].slope * 10000 | round / 10000] | join(" ")')" = "0.7786 0.3827 2.5658" ]
}

@test "--group: every group fitted alike, one table; B = 1.5 A has A's APCs" {
	need_jq
	run T overdose joinpoint --file "$JD/groups.csv" --x year --y rate --group group --select bic --max-joinpoints 3 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.group_count')" = "2" ]
	a=$(echo "$output" | jq -c '[.groups[] | select(.group == "A") | .apc * 100 | round]')
	b=$(echo "$output" | jq -c '[.groups[] | select(.group == "B") | .apc * 100 | round]')
	[ "$a" = "[969,290,1593]" ]
	[ -n "$a" ] && [ "$a" = "$b" ]
}

@test "--group: a one-point group is an error with its line (exit 1)" {
	run T overdose joinpoint --file "$JD/groups_one_point.csv" --x year --y rate --group group --select bic
	[ "$status" -eq 1 ]
	[[ "$output" == *"groups_one_point.csv:21"*"group 'C' has 1 point"* ]]
}

@test "--stability: one sharp bend, every method and seed agrees" {
	need_jq
	run T overdose joinpoint --file "$JD/bend.csv" --x x --y y --max-joinpoints 2 --permutations 99 --stability --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.stability_modal_joinpoints')" = "1" ]
	[ "$(echo "$output" | jq -r '.stability_runs')" = "$(echo "$output" | jq -r '.stability_runs_with_identical_joinpoints')" ]
	[ "$(echo "$output" | jq -r '[.stability[].locations] | unique | join(",")')" = "10" ]
}

@test "--weights poisson on counts equals --se with SE = sqrt(count)" {
	need_jq
	a=$(T overdose joinpoint "${F[@]}" --y deaths --weights poisson --select bic --json |
		jq -c '[.segments[] | .apc, .apc_lower] | map(. * 1e6 | round)')
	run T overdose joinpoint "${F[@]}" --y deaths --se deaths_se --select bic --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '[.segments[] | .apc, .apc_lower] | map(. * 1e6 | round)')" = "$a" ]
	[ "$(echo "$a" | jq 'length')" -ge 2 ]
}
