#!/usr/bin/env bats
# make install into a temporary DESTDIR; the installed binary finds its
# datasets with no flag, from another directory; make uninstall removes
# exactly what install added.

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
}

@test "make install / uninstall with DESTDIR and PREFIX" {
	[ -z "${TOCALC_WRAP:-}" ] || skip "install is tested in the plain build only"
	d="$BATS_TEST_TMPDIR/dest"
	run make -C "$ROOT" --no-print-directory install PREFIX=/opt/tc DESTDIR="$d"
	[ "$status" -eq 0 ]
	[ -x "$d/opt/tc/bin/tocalc" ]
	[ -f "$d/opt/tc/share/tocalc/datasets/overdose_annual.csv" ]
	[ -f "$d/opt/tc/share/tocalc/datasets/README.md" ]
	# the installed binary, run from elsewhere, finds share/tocalc/datasets beside it
	cd "$BATS_TEST_TMPDIR"
	run "$d/opt/tc/bin/tocalc" data validate
	[ "$status" -eq 0 ]
	run "$d/opt/tc/bin/tocalc" --version
	[[ "$output" == *"/opt/tc/share/tocalc/datasets"* ]]
	run make -C "$ROOT" --no-print-directory uninstall PREFIX=/opt/tc DESTDIR="$d"
	[ "$status" -eq 0 ]
	[ -z "$(find "$d" -type f)" ]
}
