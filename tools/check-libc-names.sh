#!/bin/bash
# In the hosted target the services link against the host C library, so a
# service (or libs/) function with a C-library name would silently replace
# the library's own (DESIGN.md §7: no service defines a libc name).  Lists
# the global symbols the objects define that libc.so also defines.
#
# Usage: check-libc-names.sh OBJ...     Prints "ok - hosted/libc-names" or
# "not ok - hosted/libc-names (why)" with the names; exits 1 on a clash.
set -uo pipefail

libc=$(gcc -print-file-name=libc.so.6)
tmp=$(mktemp -d /tmp/check-libc-names.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ ! -r "$libc" ]; then
	echo "not ok - hosted/libc-names (no libc.so.6 found)"
	exit 1
fi
nm -D --defined-only "$libc" | awk '{ sub(/@.*/, "", $NF); print $NF }' |
	sort -u >"$tmp/libc"
nm -P --defined-only -g "$@" 2>/dev/null | awk 'NF >= 2 && $1 !~ /:$/ { print $1 }' |
	sort -u >"$tmp/ours"
comm -12 "$tmp/libc" "$tmp/ours" >"$tmp/clash"
if [ -s "$tmp/clash" ]; then
	echo "not ok - hosted/libc-names ($(grep -c . "$tmp/clash") service symbols have C-library names)"
	sed 's/^/#   /' "$tmp/clash"
	exit 1
fi
echo "ok - hosted/libc-names"
