#!/usr/bin/env bats
# Numbers never depend on the user's locale: reading and printing stay
# '.'-decimal under a ','-decimal locale such as de_DE.UTF-8.

setup() {
	: "${TOCALC:=$BATS_TEST_DIRNAME/../../tocalc}"
	if ! locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
		if [ "$(id -u)" = 0 ] && command -v locale-gen >/dev/null; then
			sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
			locale-gen >/dev/null 2>&1 || true
		fi
	fi
	locale -a 2>/dev/null | grep -qi '^de_DE.utf8$' || skip "de_DE.UTF-8 locale not installable here"
}

@test "printf itself uses ',' under de_DE (the test is meaningful)" {
	run env LC_ALL=de_DE.UTF-8 locale decimal_point
	[ "$output" = "," ]
}

@test "data show prints '.' decimals under LC_ALL=de_DE.UTF-8" {
	a=$(LC_ALL=C $TOCALC_WRAP "$TOCALC" data show overdose_12mo --csv)
	b=$(LC_ALL=de_DE.UTF-8 $TOCALC_WRAP "$TOCALC" data show overdose_12mo --csv)
	[ "$a" = "$b" ]
	[[ "$b" == *"0.14317835599"* ]]
}

@test "JSON is identical under LC_ALL=de_DE.UTF-8" {
	a=$(LC_ALL=C $TOCALC_WRAP "$TOCALC" --json data show overdose_12mo)
	b=$(LC_ALL=de_DE.UTF-8 $TOCALC_WRAP "$TOCALC" --json data show overdose_12mo)
	[ "$a" = "$b" ]
}
