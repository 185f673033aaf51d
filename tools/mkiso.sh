#!/bin/bash
# Usage: mkiso.sh OUT.iso KERNEL.elf INITRAMFS.cpio [CMDLINE]
# A GRUB rescue ISO (BIOS) that boots the kernel with multiboot2 and passes
# the initramfs as a module, with the same command line as `make run`.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 OUT.iso KERNEL.elf INITRAMFS.cpio [CMDLINE]" >&2
    exit 2
fi
out=$1
kernel=$2
initrd=$3
cmdline=${4:-console=ttyS0}

dir=$(mktemp -d /tmp/trellis-iso.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/trellis.elf"
cp "$initrd" "$dir/boot/initramfs.cpio"
cat > "$dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_output serial console
set timeout=0
set default=0
menuentry "Trellis" {
    multiboot2 /boot/trellis.elf $cmdline
    module2 /boot/initramfs.cpio initramfs
    boot
}
CFG
grub-mkrescue -o "$out" "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
