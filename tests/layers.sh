#!/bin/sh
# tests/layers.sh: the layer rule of docs/hacking.md ("no file calls into a
# layer above it"), checked two ways:
#   includes  a file of src/ or include/tocalc/ includes only headers of its
#             own layer or a lower one;
#   calls     with an object directory (OBJDIR, e.g. build/default/obj), no
#             object file uses a function or variable defined in a file of a
#             higher layer (nm), which catches what a header shared by two
#             layers hides.
# The layers and the module names in each are read from one place, the
# block between "<!-- layers:begin -->" and "<!-- layers:end -->" in
# docs/hacking.md, a line per layer:  N name pattern...  (N = 1 is the top).
# A file belongs to the layer of the pattern that matches its base name
# without .c/.h; exact names win over globs.
#
# ALLOW lists today's known violations, each with the issue item that
# removes it; delete an entry once its fix is merged.  An entry that no
# longer matches a violation is an error too, so the list cannot rot.
#
# usage: tests/layers.sh [OBJDIR]   exit 0 clean, 1 violations, 2 setup
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
objdir=${1:-}
doc=$root/docs/hacking.md

# "FROM -> TO   why": FROM a file name, TO a header (includes) or a
# module name (calls).
ALLOW='
'

table=$(sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$doc" |
	grep -E '^[[:space:]]*[0-9]+[[:space:]]')
if [ -z "$table" ]; then
	echo "layers.sh: no layer table in $doc" >&2
	exit 2
fi

# Edges "FROM TO KIND DETAIL", one a line.
edges() {
	for f in "$root"/src/*.c "$root"/src/*.h "$root"/include/tocalc/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r inc; do
			echo "$(basename "$f") $(basename "$inc") include -"
		done
	done
	[ -n "$objdir" ] || return 0
	defs=$(mktemp) || exit 2
	for o in "$objdir"/*.o; do
		m=$(basename "$o" .o)
		[ -f "$root/src/$m.c" ] || continue     # a stale object
		nm -g --defined-only "$o" | awk -v m="$m" 'NF == 3 { print $3, m }'
	done | sort -k1,1 >"$defs"
	for o in "$objdir"/*.o; do
		m=$(basename "$o" .o)
		[ -f "$root/src/$m.c" ] || continue
		nm -u "$o" | awk -v m="$m" '{ print $NF, m }'
	done | sort -k1,1 | join - "$defs" | awk '{ print $2 ".c", $3, "call", $1 }'
	rm -f "$defs"
}

calls=0; [ -n "$objdir" ] && calls=1
edges | awk -v T="$table" -v A="$ALLOW" -v calls=$calls '
function layer(s,   i, p) {
	sub(/\.[ch]$/, "", s)
	for (i = 1; i <= np; i++) if (pat[i] == s) return lay[i]
	for (i = 1; i <= np; i++) {
		p = pat[i]
		if (!index(p, "*")) continue
		gsub(/\*/, ".*", p)
		if (s ~ ("^" p "$")) return lay[i]
	}
	return ""
}
BEGIN {
	n = split(T, L, "\n")
	for (i = 1; i <= n; i++) {
		m = split(L[i], w, " ")
		for (j = 3; j <= m; j++) { pat[++np] = w[j]; lay[np] = w[1] + 0 }
	}
	n = split(A, L, "\n")
	for (i = 1; i <= n; i++)
		if (split(L[i], w, " ") >= 3 && w[2] == "->") allow[w[1] " " w[3]] = 0
}
{
	from = $1; to = $2; kind = $3; what = $4
	lf = layer(from); lt = layer(to)
	if (lf == "") { if (!(from in bad)) print "layers: " from ": in no layer of docs/hacking.md"; bad[from]; fail = 1; next }
	if (lt == "") { if (!(to in bad)) print "layers: " to " (used by " from "): in no layer of docs/hacking.md"; bad[to]; fail = 1; next }
	if (lt >= lf) next
	if ((from " " to) in allow) { allow[from " " to]++; next }
	if (kind == "include")
		print "layers: " from " (layer " lf ") includes " to " (layer " lt ", higher)"
	else
		print "layers: " from " (layer " lf ") uses " what " of " to ".c (layer " lt ", higher)"
	fail = 1
}
END {
	for (k in allow) {
		split(k, w, " ")
		if (allow[k] == 0 && (w[2] ~ /\.h$/ || calls))
			{ print "layers: allow-list entry \"" w[1] " -> " w[2] "\" matches nothing: delete it from tests/layers.sh"; fail = 1 }
	}
	if (!fail) print "layers: every file keeps to its layer"
	exit fail
}'
