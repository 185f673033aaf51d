#!/bin/bash
# Usage: mkinitramfs.sh OUT.cpio REGRESS_DIR
# The default initramfs: the interactive system of `make run` (/init is
# busybox's init with rootfs/'s inittab, a shell on the serial console;
# every busybox applet linked to /bin/busybox), and every regression
# program under /test/NAME, so that "init=/test/NAME" runs one of them as
# PID 1 (/test/hello is the hello-world program); the files the
# program-loading tests execute (tools/mkexec-files.sh).  The same archive
# boots Linux.
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
bash "$here/mkexec-files.sh" "$root" "$regress"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/root"
cp "${BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
# the applets, where busybox would install them
"$root/bin/busybox" --list-full | while IFS= read -r applet; do
    [ -e "$root/$applet" ] || [ -L "$root/$applet" ] ||
        ln -s /bin/busybox "$root/$applet"
done
# the system's files (rootfs/README.md describes them)
(cd "$here/../rootfs" && find . -mindepth 1 ! -name README.md -printf '%P\n' |
    cpio -pdm --quiet "$root")
ln -s sbin/init "$root/init"
bash "$here/mkcpio.sh" "$out" "$root"
