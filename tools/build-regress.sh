#!/bin/bash
# Usage: build-regress.sh OUTDIR
# Build every test/regression/*.c as a static musl binary OUTDIR/<name> and
# write OUTDIR/<name>.expect with the expected exit status: the N of a
# "// expect-exit: N" line in the source, or 0. A "// also-glibc" line also
# builds it with glibc as OUTDIR/glibc_<name>. Up-to-date outputs are kept.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

srcdir=$(cd "$(dirname "$0")/../test/regression" && pwd)
out=$1
mkdir -p "$out"

# The Linux UAPI headers (linux/, asm/, asm-generic/) and nothing else of the
# host's, after musl's own: tests use Linux's constants, not retyped ones.
uapi=$out/.uapi
mkdir -p "$uapi"
ln -sfn /usr/include/linux "$uapi/linux"
ln -sfn /usr/include/asm-generic "$uapi/asm-generic"
ln -sfn "/usr/include/$(gcc -dumpmachine)/asm" "$uapi/asm"

CC=${MUSL_CC:-musl-gcc}
CFLAGS=(-static -O2 -Wall -Werror -idirafter "$uapi")

shopt -s nullglob
srcs=("$srcdir"/*.c)
if [ ${#srcs[@]} -eq 0 ]; then
    echo "build-regress: no sources in $srcdir" >&2
    exit 1
fi

built=0
for src in "${srcs[@]}"; do
    name=$(basename "$src" .c)
    bin="$out/$name"
    exp="$out/$name.expect"

    if [ ! -e "$bin" ] || [ "$src" -nt "$bin" ]; then
        if ! "$CC" "${CFLAGS[@]}" -o "$bin.tmp" "$src"; then
            rm -f "$bin.tmp"
            echo "build-regress: failed to build $name" >&2
            exit 1
        fi
        mv -f "$bin.tmp" "$bin"
        built=$((built + 1))
    fi

    if [ ! -e "$exp" ] || [ "$src" -nt "$exp" ]; then
        status=$(sed -n 's|^[[:space:]]*//[[:space:]]*expect-exit:[[:space:]]*\([0-9][0-9]*\)[[:space:]]*$|\1|p' "$src" | head -n 1)
        echo "${status:-0}" > "$exp"
    fi

    # "// also-glibc": the same program linked statically with glibc too,
    # as glibc_NAME (its start-up, TLS and signal trampolines differ)
    if grep -q '^// also-glibc$' "$src"; then
        gbin="$out/glibc_$name"
        if [ ! -e "$gbin" ] || [ "$src" -nt "$gbin" ]; then
            if ! gcc -static -O2 -pthread -Wall -Werror -o "$gbin.tmp" "$src"; then
                rm -f "$gbin.tmp"
                echo "build-regress: failed to build glibc_$name" >&2
                exit 1
            fi
            mv -f "$gbin.tmp" "$gbin"
            built=$((built + 1))
        fi
        cp -f "$exp" "$out/glibc_$name.expect"
    fi
done
echo "build-regress: $built of ${#srcs[@]} rebuilt in $out"
