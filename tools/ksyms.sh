#!/bin/bash
# Emits an assembly file with the kernel's function symbols, sorted by
# address, for symbolized backtraces.  Usage: ksyms.sh KERNEL.elf OUT.S
set -euo pipefail
nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { print $1, $3 }' > "$2.list"
count=$(wc -l < "$2.list")
{
	echo "	.section .note.GNU-stack, \"\", @progbits"
	echo "	.section .ksyms, \"a\""
	echo "	.balign 8"
	echo "	.quad 0x4b53594d53, $count"
	awk 'BEGIN { off = 0 } { printf "\t.quad 0x%s\n\t.long %d, 0\n", $1, off; off += length($2) + 1 }' "$2.list"
	awk '{ printf "\t.asciz \"%s\"\n", $2 }' "$2.list"
} > "$2"
rm -f "$2.list"
