#!/bin/bash
# Usage: mkcpio.sh OUT.cpio DIR
# Pack DIR into an uncompressed newc cpio archive, owned by root:root,
# with a deterministic (sorted) file order.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 OUT.cpio DIR" >&2
    exit 2
fi

out=$1
dir=$2
[ -d "$dir" ] || { echo "mkcpio: $dir is not a directory" >&2; exit 2; }

case "$out" in
    /*) ;;
    *) out="$PWD/$out" ;;
esac

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT

(
    cd "$dir"
    find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --quiet > "$tmp"
)
mv -f "$tmp" "$out"
trap - EXIT
