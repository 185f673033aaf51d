#!/bin/bash
# Usage: mkexec-files.sh ROOT REGRESS_DIR
# The files the program-loading regression tests execute, added under ROOT
# (an initramfs tree) by both initramfs builders (mkinitramfs.sh for
# Trellis, linux-regress.sh for Linux), so that both kernels see the same:
#   /test/bad/NAME   corrupt variants of /test/exec_target (mkbadelf.py),
#                    for exec_corrupt
#   /test/exec/...   "#!" scripts, files without an execute bit, symlinks
#                    and a static-PIE program, for exec_script and exec_at
#   /test/busybox/   shell scripts and Linux's output of them, for
#                    busybox_files
# REGRESS_DIR holds the built regression programs (exec_target, exec_argv).
set -euo pipefail

if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
    echo "usage: $0 ROOT REGRESS_DIR" >&2
    exit 2
fi
root=$1
regress=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../test/regression

mkdir -p "$root/test/bad" "$root/test/exec"
tmp=$(mktemp -d /tmp/mkexec-files.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# a program without libc: exit(42), 8 bytes of .data, a page-crossing .bss
printf '%s\n' '	.globl _start' '	.text' '_start:	mov $60, %eax' \
    '	mov $42, %edi' '	syscall' '	.data' '	.quad 1' '	.bss' \
    '	.zero 8192' >"$tmp/tiny.S"
${CC:-gcc} -nostdlib -static -no-pie -o "$tmp/tiny" "$tmp/tiny.S"
python3 "$here/mkbadelf.py" "$regress/exec_target" "$tmp/tiny" "$root/test/bad"

x=$root/test/exec
# script NAME MODE TEXT: a file with exactly TEXT (printf format) in it
script() {
    printf "$3" >"$x/$1"
    chmod "$2" "$x/$1"
}
long() { printf "%${1}s" "" | tr ' ' "$2"; }

# The interpreter line: name, one optional argument (the rest of the line),
# spaces and tabs around them, a line longer than Linux's 256-byte buffer.
script s_plain 755 '#!/test/exec_argv\necho not for the interpreter\n'
script s_arg 755 '#!/test/exec_argv one\n'
script s_spaces 755 '#!  /test/exec_argv   one two \t three \t \n'
script s_tabs 755 '#!\t/test/exec_argv\targ\t\n'
script s_noeol 755 '#!/test/exec_argv x'
script s_crlf 755 '#!/test/exec_argv\r\n'
script s_relative 755 '#!test/exec_argv\n'
script s_via_link 755 '#!/test/exec/link_argv\n'
script s_empty 755 '#!\n'
script s_blank 755 '#! \t \n'
script s_bare 755 '#!'
script s_long_arg 755 "#!/test/exec_argv $(long 300 a)\n"
script s_exact 755 "#!/test/exec_argv $(long 237 b)\n"
script s_long_name 755 "#!/$(long 300 x)\n"
script s_missing 755 '#!/test/exec/no-such-interpreter\n'
script s_interp_nonexec 755 '#!/test/exec/nonexec_elf\n'
script s_interp_dir 755 '#!/test\n'
script s_interp_garbage 755 '#!/test/exec/garbage\n'
script s_nonexec 644 '#!/test/exec_argv\n'
script garbage 755 'hello, world\n'
script hash_only 755 '#\n'
# Nested interpreters: n1 -> n2 -> ... -> n5 -> exec_argv is five scripts
# (Linux's limit); n0 adds a sixth.
script n0 755 '#!/test/exec/n1 a0\n'
for i in 1 2 3 4; do
    script "n$i" 755 "#!/test/exec/n$((i + 1)) a$i\n"
done
script n5 755 '#!/test/exec_argv a5\n'
# A script whose interpreter is busybox's shell.
script sh_exit7 755 '#!/bin/busybox sh\nexit 7\n'

# Execute permission: root may run a file with any execute bit.
cp "$regress/exec_target" "$x/nonexec_elf"
chmod 644 "$x/nonexec_elf"
cp "$regress/exec_target" "$x/other_exec"
chmod 001 "$x/other_exec"

# Symbolic links; l1 -> l2 -> ... -> l40 -> exec_target is 40 links
# (Linux's MAXSYMLINKS), l0 adds one more.
ln -sfn ../exec_argv "$x/link_argv"
ln -sfn ../exec_target "$x/link_target"
ln -sfn /test/exec_target "$x/link_abs"
ln -sfn .. "$x/link_dir"
ln -sfn link_loop "$x/link_loop"
ln -sfn no-such-file "$x/link_dangling"
ln -sfn ../exec_target "$x/l40"
for i in $(seq 39 -1 0); do
    ln -sfn "l$((i + 1))" "$x/l$i"
done

# The same program as a static PIE (ET_DYN without PT_INTERP), linked by
# hand: musl-gcc's specs know no -static-pie.
# musl's start files and libc are next to the specs musl-gcc uses.
specs=$(grep -o '[^" ]*musl-gcc\.specs' "$(command -v "${MUSL_CC:-musl-gcc}")" |
    head -n 1)
musl=$(dirname "${specs:-/usr/lib/x86_64-linux-musl/musl-gcc.specs}")
${MUSL_CC:-musl-gcc} -fPIE -O2 -Wall -Werror -c -o "$tmp/pie.o" \
    "$src/exec_target.c"
${CC:-gcc} -nostdlib -static-pie -o "$x/pie_target" "$musl/rcrt1.o" \
    "$musl/crti.o" "$(${CC:-gcc} -print-file-name=crtbeginS.o)" "$tmp/pie.o" \
    "$musl/libc.a" "$(${CC:-gcc} -print-libgcc-file-name)" \
    "$(${CC:-gcc} -print-file-name=crtendS.o)" "$musl/crtn.o"

# The busybox shell scripts and their expected output (Linux's), for
# busybox_files: test/busybox/*.sh and *.out as /test/busybox/.
mkdir -p "$root/test/busybox"
cp "$here/../test/busybox/"*.sh "$here/../test/busybox/"*.out "$root/test/busybox/"
