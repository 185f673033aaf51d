#!/bin/bash
# Parity of the frame's two targets: every frame function declared in the
# public headers is exported (frame/exports.txt), and every exported symbol
# is defined by the kernel target's frame object and by the hosted
# target's (or, for a few, by the host C library: HOST_PROVIDED).  A frame
# function implemented in frame/core counts for both targets.
#
# Usage: check-parity.sh EXPORTS HOST_PROVIDED KERNEL_FRAME_O HOSTED_FRAME_O UAPI_DIR
#   *_FRAME_O are the linked frame objects services link against (after
#   objcopy kept only the exports global).
# Prints "ok - parity/CHECK" or "not ok - parity/CHECK (why)" with the
# offending symbols as "#   " lines; exits 1 when a check fails.
set -uo pipefail

if [ $# -ne 5 ]; then
	echo "usage: $0 EXPORTS HOST_PROVIDED KERNEL_FRAME_O HOSTED_FRAME_O UAPI_DIR" >&2
	exit 2
fi
exports_file=$1 host_provided_file=$2 kernel_obj=$3 hosted_obj=$4 uapi=$5
# Declared in a frame header but defined by the services.
service_entry_points="trellis_main"
# Functions that a rights dispatch selects for a handle without the right
# (FR_DENIED in <frame/rights.h>): declared to fail at compile time, never
# defined nor exported.
denied_prefix="fr_denied_"

tmp=$(mktemp -d /tmp/check-parity.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
status=0

# symbol names of a list file: one per line, '#' starts a comment
names() { sed 's/#.*//' "$1" | awk 'NF { print $1 }' | sort -u; }
defined() { nm -P --defined-only -g "$1" | awk '{ print $1 }' | sort -u; }

# report CHECK WHAT FILE: ok when FILE is empty, else not ok listing it
report() {
	local n
	n=$(grep -c . "$3")
	if [ "$n" = 0 ]; then
		echo "ok - parity/$1"
	else
		echo "not ok - parity/$1 ($n $2)"
		sed 's/^/#   /' "$3"
		status=1
	fi
}

for f in "$exports_file" "$host_provided_file" "$kernel_obj" "$hosted_obj"; do
	if [ ! -r "$f" ]; then
		echo "not ok - parity/inputs ($f is missing)"
		exit 1
	fi
done
names "$exports_file" >"$tmp/exports"
names "$host_provided_file" >"$tmp/host-provided"

# Functions the public headers declare, from gcc's -aux-info prototypes.
for h in frame/include/frame/*.h; do
	echo "#include <frame/$(basename "$h")>"
done >"$tmp/headers.c"
if ! gcc -std=gnu11 -ffreestanding -nostdinc -isystem "$(gcc -print-file-name=include)" \
	-I frame/include -I "$uapi" -aux-info "$tmp/headers.aux" \
	-c "$tmp/headers.c" -o "$tmp/headers.o" 2>"$tmp/gcc.err"; then
	echo "not ok - parity/exported (the frame headers do not compile)"
	sed 's/^/#   /' "$tmp/gcc.err"
	exit 1
fi
awk '$2 ~ /^frame\/include\// && $4 == "extern" {
	split($2, where, ":")
	if (match($0, /[A-Za-z_][A-Za-z0-9_]* \(/))
		print substr($0, RSTART, RLENGTH - 2), where[1]
}' "$tmp/headers.aux" | sort -u >"$tmp/declared"
for s in $service_entry_points; do
	sed -i "/^$s /d" "$tmp/declared"
done
sed -i "/^$denied_prefix/d" "$tmp/declared"
awk 'NR == FNR { exported[$1] = 1; next }
     !($1 in exported) { print $1 " (declared in " $2 ")" }' \
	"$tmp/exports" "$tmp/declared" >"$tmp/not-exported"
report exported "frame functions declared in frame/include but not in $exports_file" \
	"$tmp/not-exported"

defined "$kernel_obj" >"$tmp/kernel"
comm -23 "$tmp/exports" "$tmp/kernel" | sed 's/$/: no kernel implementation/' \
	>"$tmp/kernel-missing"
report kernel-half "exported symbols lack their kernel half" "$tmp/kernel-missing"

defined "$hosted_obj" >"$tmp/hosted"
comm -23 "$tmp/exports" "$tmp/hosted" | comm -23 - "$tmp/host-provided" |
	sed 's/$/: no hosted implementation/' >"$tmp/hosted-missing"
report hosted-half "exported symbols lack their hosted half" "$tmp/hosted-missing"

exit $status
