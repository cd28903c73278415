#!/usr/bin/env bats
# The layer rule of docs/hacking.md: no file of src/ includes a header of a
# higher layer (tests/layers.sh), and, where the objects of this build are
# at hand, none uses a symbol defined in a higher layer.  Reads files only:
# no tocalc run, cheap under valgrind.

setup() {
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
}

@test "layers: every include keeps to the layer order of docs/hacking.md" {
	run "$ROOT/tests/layers.sh"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "layers: no object file calls into a higher layer" {
	command -v nm >/dev/null || skip "nm (binutils) is missing"
	obj=
	[ -n "${TOCALC:-}" ] && obj="$(dirname "$TOCALC")/obj"
	[ -d "$obj" ] || obj="$ROOT/build/default/obj"
	ls "$obj"/*.o >/dev/null 2>&1 || skip "no object files next to \$TOCALC or in build/default/obj"
	run "$ROOT/tests/layers.sh" "$obj"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "layers: the check catches a higher-layer include" {
	tmp="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tmp/src" "$tmp/include/tocalc" "$tmp/docs" "$tmp/tests"
	cp "$ROOT/tests/layers.sh" "$tmp/tests/"
	cp "$ROOT/docs/hacking.md" "$tmp/docs/"
	cp "$ROOT"/src/*.c "$ROOT"/src/*.h "$tmp/src/"
	cp "$ROOT"/include/tocalc/*.h "$tmp/include/tocalc/"
	printf '#include "tocalc/cmd.h"\n' >>"$tmp/src/util.c"
	run "$tmp/tests/layers.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"util.c (layer 7) includes cmd.h (layer 2, higher)"* ]]
}

@test "start-up: no libgcc CPU-model constructor (CPUID at every start; one check, tc_cpu_has_avx2)" {
	command -v nm >/dev/null || skip "nm is not installed"
	bin=$(command -v "$TOCALC" || echo "$TOCALC")
	[ -f "$bin" ] || skip "no binary file to read"
	run nm "$bin"
	[ "$status" -eq 0 ] || skip "nm cannot read $bin"
	[[ "$output" != *"__cpu_indicator_init"* ]]
	# every AVX2 choice goes through util.c's check
	run grep -ln "__builtin_cpu_supports" "$ROOT"/src/*.c
	[ "$output" = "$ROOT/src/util.c" ]
}
