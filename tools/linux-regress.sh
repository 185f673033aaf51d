#!/bin/bash
# Usage: linux-regress.sh BINDIR
#
# Linux side of the differential regression harness. Every executable
# BINDIR/NAME (with its expected exit status in BINDIR/NAME.expect, default 0)
# is run inside a real Linux kernel (the newest /boot/vmlinuz-*) under QEMU
# with two CPUs,
# from a busybox initramfs. Prints "ok - linux/NAME" or
# "not ok - linux/NAME (exit X, expected Y)" per test; exits 0 if all passed.
#
# Environment: KERNEL (kernel image), QEMU (binary), QEMU_TIMEOUT (seconds,
# default 1500), TEST_TIMEOUT (seconds per test inside the guest, default 600),
# KEEP_LOG=1 (keep the console log and print its path), TESTS (only the
# programs whose name is listed).
set -uo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 BINDIR" >&2
    exit 2
fi
bindir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

QEMU=${QEMU:-qemu-system-x86_64}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-1500}
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
BUSYBOX=${BUSYBOX:-/bin/busybox}

kernel=${KERNEL:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
    echo "linux-regress: no readable kernel image (/boot/vmlinuz-*; set KERNEL=)" >&2
    exit 2
fi
if [ ! -x "$BUSYBOX" ]; then
    echo "linux-regress: $BUSYBOX not found (install busybox-static)" >&2
    exit 2
fi
command -v "$QEMU" >/dev/null || { echo "linux-regress: $QEMU not found" >&2; exit 2; }

# Collect the tests: executable regular files that are not .expect files.
tests=()
all=()
for f in "$bindir"/*; do
    name=$(basename "$f")
    case "$name" in *.expect) continue ;; esac
    [ -f "$f" ] && [ -x "$f" ] || continue
    case "$name" in
        *[!A-Za-z0-9_.+-]*) echo "linux-regress: skipping odd file name '$name'" >&2; continue ;;
    esac
    all+=("$name")
    [ -z "${TESTS:-}" ] || [[ " $TESTS " == *" $name "* ]] || continue
    tests+=("$name")
done
if [ ${#tests[@]} -eq 0 ]; then
    echo "linux-regress: no test binaries in $bindir" >&2
    exit 2
fi

tmp=$(mktemp -d /tmp/linux-regress.XXXXXX)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

root=$tmp/root
mkdir -p "$root"/{bin,test,dev,proc,tmp}
cp "$BUSYBOX" "$root/bin/busybox"
for applet in sh mount timeout poweroff sync; do
    ln -s busybox "$root/bin/$applet"
done
for name in "${all[@]}"; do  # all of them: tests run each other
    cp "$bindir/$name" "$root/test/$name"
done
# what the program-loading tests execute, as in Trellis's initramfs; they
# also run the helpers exec_target and exec_argv
for name in exec_target exec_argv; do
    [ -x "$bindir/$name" ] && cp "$bindir/$name" "$root/test/$name"
done
bash "$here/mkexec-files.sh" "$root" "$bindir" ||
    { echo "linux-regress: mkexec-files failed" >&2; exit 2; }

# The guest prints each output line of a test as "REGRESS-OUT NAME: line",
# then "REGRESS NAME STATUS".
cat > "$root/init" <<INIT
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t proc proc /proc 2>/dev/null
echo
echo REGRESS-BEGIN
for name in ${tests[*]}; do
    if [ -c /dev/null ]; then
        timeout $TEST_TIMEOUT /test/\$name >/tmp/out 2>&1 </dev/null
    else
        timeout $TEST_TIMEOUT /test/\$name >/tmp/out 2>&1
    fi
    st=\$?
    while IFS= read -r line || [ -n "\$line" ]; do
        echo "REGRESS-OUT \$name: \$line"
    done </tmp/out
    echo "REGRESS \$name \$st"
done
echo REGRESS-END
sync
poweroff -f
INIT
chmod 755 "$root/init"

"$here/mkcpio.sh" "$tmp/initrd.cpio" "$root" || { echo "linux-regress: mkcpio failed" >&2; exit 2; }

log=$tmp/console.log
start=$(date +%s)
timeout "$QEMU_TIMEOUT" "$QEMU" -m 512M -smp 2 -nic none -nographic -monitor none -no-reboot \
    -kernel "$kernel" -initrd "$tmp/initrd.cpio" \
    -append 'console=ttyS0 quiet panic=-1' </dev/null >"$log" 2>&1
qrc=$?
elapsed=$(( $(date +%s) - start ))

tr -d '\r' <"$log" >"$tmp/clean.log"
clean=$tmp/clean.log

fail=0
missing=0
for name in "${tests[@]}"; do
    expect=0
    if [ -f "$bindir/$name.expect" ]; then
        expect=$(tr -d '[:space:]' <"$bindir/$name.expect")
        [ -n "$expect" ] || expect=0
    fi
    got=$(sed -n "s/^REGRESS $name \\([0-9][0-9]*\\)\$/\\1/p" "$clean" | tail -n 1)
    if [ -z "$got" ]; then
        echo "not ok - linux/$name (exit missing, expected $expect)"
        fail=1
        missing=1
    elif [ "$got" = "$expect" ]; then
        echo "ok - linux/$name"
    else
        echo "not ok - linux/$name (exit $got, expected $expect)"
        sed -n "s/^REGRESS-OUT $name: /#   /p" "$clean"
        fail=1
    fi
done

if [ "$missing" = 1 ] || ! grep -q '^REGRESS-END$' "$clean"; then
    if [ "$qrc" = 124 ]; then
        echo "# qemu timed out after ${QEMU_TIMEOUT}s; last console lines:"
    else
        echo "# guest did not finish (qemu exit $qrc); last console lines:"
    fi
    grep -v '^REGRESS' "$clean" | tail -n 20 | sed 's/^/#   /'
    fail=1
fi

if [ "${KEEP_LOG:-0}" = 1 ]; then
    cp "$log" "${bindir}/linux-console.log"
    echo "# console log kept in $bindir/linux-console.log (${elapsed}s)"
fi
exit "$fail"
