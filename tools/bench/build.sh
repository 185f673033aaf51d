#!/bin/bash
# Usage: build.sh OUTDIR
# Build the benchmark programs of test/bench/ (static musl) into
# OUTDIR/bin and pack OUTDIR/initramfs.cpio: /bench/NAME for each program
# (/bench/run is PID 1 with rdinit=/bench/run), Debian's static busybox as
# /bin/busybox with /bin/sh, and empty /tmp, /dev and /proc.  The same
# archive boots Linux and Trellis.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../test/bench" && pwd)
out=$1
mkdir -p "$out/bin"

# Linux's UAPI headers after musl's own, as for the regression programs.
uapi=$out/.uapi
mkdir -p "$uapi"
ln -sfn /usr/include/linux "$uapi/linux"
ln -sfn /usr/include/asm-generic "$uapi/asm-generic"
ln -sfn "/usr/include/$(gcc -dumpmachine)/asm" "$uapi/asm"

CC=${MUSL_CC:-musl-gcc}
for c in "$src"/*.c; do
    name=$(basename "$c" .c)
    bin=$out/bin/$name
    if [ ! -e "$bin" ] || [ "$c" -nt "$bin" ] || [ "$src/bench.h" -nt "$bin" ]; then
        "$CC" -static -O2 -Wall -Werror -idirafter "$uapi" -o "$bin.tmp" "$c"
        mv -f "$bin.tmp" "$bin"
    fi
done

root=$(mktemp -d /tmp/trellis-bench-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bench" "$root/bin" "$root/tmp" "$root/dev" "$root/proc"
cp "$out"/bin/* "$root/bench/"
cp "${BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
bash "$here/../mkcpio.sh" "$out/initramfs.cpio" "$root"
echo "bench: $(ls "$out/bin" | wc -l) programs in $out/initramfs.cpio"
