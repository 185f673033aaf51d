#!/bin/bash
# Usage: mkinitramfs.sh OUT.cpio REGRESS_DIR
# The default initramfs: /init is the hello-world program (what `make run`
# shows), and every regression program is under /test/NAME, so that
# "init=/test/NAME" runs one of them as PID 1; the files the program-loading
# tests execute (tools/mkexec-files.sh); Debian's static busybox as
# /bin/busybox, with /bin/sh.  The same archive boots Linux.
set -euo pipefail

if [ $# -ne 2 ] || [ ! -d "$2" ]; then
    echo "usage: $0 OUT.cpio REGRESS_DIR" >&2
    exit 2
fi
out=$1
regress=$2
here=$(cd "$(dirname "$0")" && pwd)

root=$(mktemp -d /tmp/trellis-initramfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/test" "$root/dev" "$root/proc" "$root/tmp"
for f in "$regress"/*; do
    case "$f" in *.expect) continue ;; esac
    [ -f "$f" ] && [ -x "$f" ] && cp "$f" "$root/test/"
done
cp "$regress/hello" "$root/init"
bash "$here/mkexec-files.sh" "$root" "$regress"
mkdir -p "$root/bin"
cp "${BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
bash "$here/mkcpio.sh" "$out" "$root"
