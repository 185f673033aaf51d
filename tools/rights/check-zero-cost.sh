#!/bin/bash
# Rights in types cost nothing: the functions of zero-cost/handle.c (rights
# handles, _Generic dispatch, free weakenings) must compile to the same
# machine code as zero-cost/raw.c (the same functions on raw pointers),
# with the kernel's flags at -O2.  Each function is compared on its own
# (-ffunction-sections), as `objdump -dr` prints it with addresses and
# symbolic labels removed: the instruction bytes, the instructions and the
# relocations (raw.c calls functions of the same names) must be equal.
#
# Usage: check-zero-cost.sh OUTDIR CC CFLAGS...
#   CFLAGS: the services' compiler flags (the kernel's, with -I kernel).
# Prints "ok - check/rights/zero-cost/FUNCTION" or "not ok - ... (why)"
# with the differing code on "#   " lines, and check/rights/zero-cost/
# comparator: the same comparison tells raw.c at -O2 from raw.c at -O1.
# Exits 1 when a check fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -lt 3 ]; then
	echo "usage: $0 OUTDIR CC CFLAGS..." >&2
	exit 2
fi
out=$1 cc=$2
shift 2
mkdir -p "$out"
src=tools/rights/zero-cost
status=0
# no dependency files, no debug information: code only
flags=()
for f in "$@"; do
	case $f in -MMD | -MP | -g*) ;; *) flags+=("$f") ;; esac
done

# disasm OBJ DIR: one normalized listing per function in DIR/FUNCTION
disasm() {
	rm -rf "$2" && mkdir -p "$2"
	objdump -dr "$1" | awk -v dir="$2" '
		/^Disassembly of section \.text\./ {
			f = dir "/" substr($4, 7); sub(/:$/, "", f); next
		}
		/^Disassembly of section/ { f = ""; next }
		f == "" || /^[0-9a-f]+ <.*>:$/ || /^$/ { next }
		{
			sub(/^ *[0-9a-f]+:\t/, "")   # the address column
			gsub(/<[^>]*>/, "")          # symbolic labels
			sub(/[ \t]+$/, "")
			print > f
		}'
}

# compile NAME SRC EXTRA-FLAGS...: object $out/NAME.o, listings $out/NAME/
compile() {
	local name=$1 file=$2
	shift 2
	if ! LC_ALL=C $cc "${flags[@]}" "$@" -ffunction-sections -c "$file" \
		-o "$out/$name.o" 2>"$out/$name.log"; then
		echo "not ok - check/rights/zero-cost/build ($file does not compile)"
		sed 's/^/#   /' "$out/$name.log" | head -n 20
		exit 1
	fi
	disasm "$out/$name.o" "$out/$name"
}

compile handle "$src/handle.c"
compile raw "$src/raw.c"
compile raw-O1 "$src/raw.c" -O1

funcs=$( (ls "$out/handle"; ls "$out/raw") | sort -u)
for fn in $funcs; do
	check=check/rights/zero-cost/$fn
	if [ ! -f "$out/handle/$fn" ] || [ ! -f "$out/raw/$fn" ]; then
		echo "not ok - $check (only in $([ -f "$out/raw/$fn" ] && echo raw.c || echo handle.c))"
		status=1
	elif ! diff -u "$out/raw/$fn" "$out/handle/$fn" >"$out/$fn.diff"; then
		echo "not ok - $check (handle code differs from raw pointer code)"
		sed 's/^/#   /' "$out/$fn.diff" | head -n 30
		status=1
	else
		echo "ok - $check"
		echo "#   $fn: $(grep -c . "$out/handle/$fn") lines of objdump -dr, equal"
	fi
done

# The comparison must be able to fail: -O1 does not turn the tail call
# of zc_segment_pages into a jump.
check=check/rights/zero-cost/comparator
if diff -q "$out/raw/zc_segment_pages" "$out/raw-O1/zc_segment_pages" >/dev/null; then
	echo "not ok - $check (raw.c at -O1 and -O2 compare equal)"
	status=1
else
	echo "ok - $check"
fi
exit $status
