#!/bin/bash
# The test runner behind `make test`.  Each test prints "ok - NAME" or
# "not ok - NAME (why)"; the last line is "N passed, N failed" and the exit
# status is non-zero when anything failed.  Every QEMU run has a timeout and
# its console is checked for a kernel panic; logs of failures are shown.
#
#   check/...        static checks of the framekernel boundary: safe C,
#                    frame exports, component policy, rights in types,
#                    frame API contract, TCB figures (tools/checks.mk)
#   KTESTs           the unit tests inside the kernel (boot with "ktest")
#   trellis/NAME     each regression program as PID 1 on Trellis
#   trellis-smp2/NAME  the same with two CPUs
#   linux/NAME       the same programs on the Debian Linux kernel (oracle)
#   boot/...         PID 1's arguments and reboot(2) power-off, against Linux;
#                    the time fallbacks (notsc, nolapic_timer)
#   interactive/...  a scripted session on the system `make run` boots
#                    (tools/interactive.exp: shell, /proc, vi, ^C, job
#                    control, a busy background job, poweroff)
#   fault/KIND       a deliberate kernel fault prints a symbolized backtrace
#   demo/mini        the minimal kernel runs its user program
#   iso/boot         the GRUB ISO boots like `-kernel`
#   hosted/...       the hosted target: KTESTs under ASan+UBSan and TSan,
#                    frame parity, expected-failure fixtures (hosted.mk)
#   smp/...          several CPUs: the KTESTs with -smp 2, regression
#                    programs with -smp 4, one CPU without ACPI tables
#   bench/...        every benchmark once on both kernels, well-formed
#                    results only (tools/bench/harness.py --smoke)
#
# Environment: B (build dir), ONLY (run only the groups whose name is listed,
# e.g. ONLY="ktest trellis"), TESTS (run only the regression programs whose
# name is listed, on both kernels), TIMEOUT (seconds per boot, default 60; a
# "// timeout: N" line in a program raises it),
# SMP (CPUs of every Trellis boot but the smp group's own, default 1),
# SMP_TESTS (the regression programs the smp group boots with -smp 4).
set -uo pipefail

B=${B:-build}
ONLY=${ONLY:-}
export TESTS=${TESTS:-}
TIMEOUT=${TIMEOUT:-60}
SMP=${SMP:-1}
SMP_TESTS=${SMP_TESTS:-hello threads futex_threads fork_wait mm_mprotect leak_cycles epoll_pipes pingpong_cpus}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=(-m 512M -smp "$SMP" -nic none -no-reboot -display none -monitor none -serial stdio
            -device isa-debug-exit,iobase=0xf4,iosize=4)

passed=0
failed=0
logdir=$(mktemp -d /tmp/trellis-test.XXXXXX)
trap 'rm -rf "$logdir"' EXIT

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() {
    echo "not ok - $1 ($2)"
    failed=$((failed + 1))
    if [ -n "${3:-}" ] && [ -f "$3" ]; then
        tail -n 25 "$3" | sed 's/^/#   /'
    fi
}
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# boot LOG KERNEL INITRD APPEND [QEMU FLAGS...] -> QEMU's exit status;
# console in LOG.
# With isa-debug-exit, a guest power-off with code C exits QEMU with 2C+1.
boot() {
    local log=$1 kernel=$2 initrd=$3 append=$4
    timeout "$TIMEOUT" "$QEMU" "${QEMU_FLAGS[@]}" "${@:5}" -kernel "$kernel" \
        -initrd "$initrd" -append "console=ttyS0 $append" </dev/null 2>&1 |
        tr -d '\r' >"$log"
    return "${PIPESTATUS[0]}"
}

# The status a console log reports for PID 1, as a shell would ($?), or "".
init_status() {
    local s
    s=$(sed -n 's/^\(trellis\|mini\): init exited with status \([0-9]*\)$/\2/p' "$1" | tail -n 1)
    if [ -z "$s" ]; then
        s=$(sed -n 's/^trellis: init killed by signal \([0-9]*\)$/\1/p' "$1" | tail -n 1)
        [ -n "$s" ] && s=$((128 + s))
    fi
    echo "$s"
}

# make_group PREFIX TARGET: run `make TARGET`, which prints "ok - NAME" /
# "not ok - NAME (why)" lines, and count them; a failure of the make that
# prints none counts as one failure, PREFIX/build.
make_group() {
    local prefix=$1 target=$2 log=$logdir/$2.log rc line rest why
    make -s --no-print-directory B="$B" "$target" >"$log" 2>&1
    rc=$?
    while IFS= read -r line; do
        case "$line" in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*)
                rest=${line#not ok - }
                why=${rest#* (}
                not_ok "${rest%% (*}" "${why%)}" ;;
            "#"*) echo "$line" ;;
        esac
    done <"$log"
    if [ "$rc" != 0 ] && ! grep -q '^not ok - ' "$log"; then
        not_ok "$prefix/build" "make $target failed (exit $rc)" "$log"
    fi
}

panicked() { grep -q 'KERNEL PANIC' "$1"; }

# ---- static checks of the framekernel boundary (tools/checks.mk) ----------
# Safe-C rules on the services' sources, the frame's exports at link time,
# the component policy on the objects, the frame API contract, each with
# fixtures that must be rejected; the TCB figures as "#" lines.  `make
# checks` prints "ok - NAME" / "not ok - NAME (why)" lines; a failure that
# prints none is one failure.
if want checks; then
    make_group check checks
fi
# ---- end of the static checks -------------------------------------------------

# ---- KTESTs in the kernel -------------------------------------------------
# ktest_group PREFIX LOG: the TAP lines of a KTEST boot's LOG as tests
# PREFIX/suite.name, and PREFIX/complete for the run itself; $rc is
# QEMU's exit status.
ktest_group() {
    local prefix=$1 log=$2 line
    while IFS= read -r line; do
        case "$line" in
            "ok "*) ok "$prefix/${line#* - }" ;;
            "not ok "*) not_ok "$prefix/${line#* - }" "failed" ;;
            "#   "*) echo "$line" ;;
        esac
    done < <(grep -E '^(ok|not ok) [0-9]+ - |^#   ' "$log")
    if ! grep -q '^# ktest: [0-9]* passed, [0-9]* failed$' "$log"; then
        not_ok "$prefix/complete" "no summary: hang or panic (qemu exit $rc)" "$log"
    elif panicked "$log"; then
        not_ok "$prefix/complete" "kernel panic" "$log"
    elif grep -q '^# ktest: [0-9]* passed, 0 failed$' "$log" && [ "$rc" != 1 ]; then
        not_ok "$prefix/complete" "all passed but qemu exit $rc, expected 1" "$log"
    else
        ok "$prefix/complete"
    fi
}

if want ktest; then
    log=$logdir/ktest.log
    boot "$log" "$B/trellis.elf" "$B/initramfs.cpio" "ktest"
    rc=$?
    ktest_group ktest "$log"
fi

# ---- regression programs on Trellis ---------------------------------------
# program_timeout NAME: the seconds a boot of program NAME may take:
# "// timeout: N" in its source gives a long program more than TIMEOUT.
program_timeout() {
    local limit
    limit=$(sed -n 's|^// timeout: \([0-9]*\)$|\1|p' \
            "test/regression/${1#glibc_}.c" 2>/dev/null | head -n 1)
    echo "${limit:-$TIMEOUT}"
}

# trellis_programs GROUP CPUS: every regression program as PID 1, with CPUS.
trellis_programs() {
    local group=$1 cpus=$2 bin name expect log rc got
    for bin in "$B"/regress/*; do
        case "$bin" in *.expect|*/.stamp) continue ;; esac
        [ -x "$bin" ] || continue
        name=$(basename "$bin")
        [ -z "$TESTS" ] || [[ " $TESTS " == *" $name "* ]] || continue
        expect=$(cat "$bin.expect" 2>/dev/null || echo 0)
        log=$logdir/$group-$name.log
        TIMEOUT=$(program_timeout "$name") boot "$log" "$B/trellis.elf" "$B/initramfs.cpio" \
            "init=/test/$name" -smp "$cpus"
        rc=$?
        got=$(init_status "$log")
        if panicked "$log"; then
            not_ok "$group/$name" "kernel panic" "$log"
        elif [ -z "$got" ]; then
            not_ok "$group/$name" "no exit status: hang or crash (qemu exit $rc)" "$log"
        elif [ "$got" != "$expect" ]; then
            not_ok "$group/$name" "exit $got, expected $expect" "$log"
        elif [ "$rc" != $(( ((got & 255) * 2 + 1) & 255 )) ]; then
            not_ok "$group/$name" "qemu exit $rc does not carry status $got" "$log"
        else
            ok "$group/$name"
        fi
    done
}
want trellis && trellis_programs trellis "$SMP"
# the same programs with two CPUs (issue 7: -smp 1 and -smp 2)
want trellis-smp2 && [ "$SMP" != 2 ] && trellis_programs trellis-smp2 2

# ---- the same programs on Linux --------------------------------------------
if want linux; then
    while IFS= read -r line; do
        case "$line" in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) not_ok "${line#not ok - }" "wrong test: fails on Linux" ;;
            "#"*) echo "$line" ;;
        esac
    done < <(bash tools/linux-regress.sh "$B/regress" 2>&1)
fi

# ---- PID 1 from the command line, and power-off, on both kernels -----------
# The same initramfs and command line boot Linux and Trellis; what PID 1
# receives must be the same.
if want boot; then
    linux_kernel=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
    # boot_both NAME APPEND: console logs in $logdir/NAME.{trellis,linux}
    boot_both() {
        boot "$logdir/$1.trellis" "$B/trellis.elf" "$B/initramfs.cpio" "$2"
        trellis_rc=$?
        boot "$logdir/$1.linux" "$linux_kernel" "$B/initramfs.cpio" "quiet panic=-1 $2"
        linux_rc=$?
    }
    boot_both args "rdinit=/test/echo_args alpha beta -v GREETING=hi"
    grep -E '^(argv|envp)' "$logdir/args.trellis" >"$logdir/args.t"
    grep -E '^(argv|envp)' "$logdir/args.linux" >"$logdir/args.l"
    if ! grep -q '^argv\[3\]=-v$' "$logdir/args.l"; then
        not_ok "boot/init-args" "wrong test: Linux did not pass the arguments" "$logdir/args.linux"
    elif ! diff -u "$logdir/args.l" "$logdir/args.t" >"$logdir/args.diff"; then
        not_ok "boot/init-args" "PID 1's argv/envp differ from Linux's" "$logdir/args.diff"
    else
        ok "boot/init-args"
    fi

    boot_both poweroff "rdinit=/test/reboot poweroff"
    if ! grep -q '^powering off$' "$logdir/poweroff.linux" || [ "$linux_rc" != 0 ] ||
        grep -q 'Kernel panic' "$logdir/poweroff.linux"; then
        not_ok "boot/reboot-poweroff" "wrong test: Linux did not power off (qemu exit $linux_rc)" "$logdir/poweroff.linux"
    elif ! grep -q '^powering off$' "$logdir/poweroff.trellis" || [ "$trellis_rc" != 1 ] ||
        grep -q 'FAIL\|init exited\|KERNEL PANIC' "$logdir/poweroff.trellis"; then
        not_ok "boot/reboot-poweroff" "reboot(POWER_OFF) did not power off (qemu exit $trellis_rc)" "$logdir/poweroff.trellis"
    else
        ok "boot/reboot-poweroff"
    fi
fi

# ---- the time fallbacks: the tick count as the clock, the PIT as the tick --
# Without a TSC clock ("notsc") the vDSO makes system calls and the local
# APIC timers tick periodically; without APIC timers ("nolapic_timer") the
# PIT is the boot CPU's tick and timer events come at ticks.  The programs
# check values and lower bounds only, so they pass in every mode.
if want boot; then
    while read -r params prog want_line; do
        name=time-fallback-${params// /-}
        log=$logdir/$name.log
        boot "$log" "$B/trellis.elf" "$B/initramfs.cpio" "$params init=/test/$prog"
        rc=$?
        if panicked "$log"; then
            not_ok "boot/$name" "kernel panic" "$log"
        elif ! grep -q "$want_line" "$log"; then
            not_ok "boot/$name" "no '$want_line' line" "$log"
        elif [ "$(init_status "$log")" != 0 ]; then
            not_ok "boot/$name" "$prog failed (qemu exit $rc)" "$log"
        else
            ok "boot/$name"
        fi
    done <<'FALLBACKS'
notsc time_vdso ^tsc: not used (notsc)
nolapic_timer time_sleep ^timer: the PIT's 100 Hz tick
FALLBACKS
fi

# ---- a corrupt initramfs: an error on the console, never a panic ----------
# An archive whose /init is followed by a broken header still runs /init
# (what came before the damage is unpacked); pure junk leaves no /init.
if want boot; then
    mkdir -p "$logdir/cpio-root"
    cp "$B/regress/hello" "$logdir/cpio-root/init"
    bash tools/mkcpio.sh "$logdir/good.cpio" "$logdir/cpio-root" >/dev/null
    # drop the trailer (the last entry) and append a broken header
    python3 - "$logdir/good.cpio" "$logdir/tail.cpio" "$logdir/junk.cpio" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
cut = data.rfind(b'070701')  # the TRAILER!!! entry
open(sys.argv[2], 'wb').write(data[:cut] + b'070701' + b'Z' * 200)
open(sys.argv[3], 'wb').write(b'not an archive at all\n' * 50)
PY
    boot "$logdir/cpio-tail.log" "$B/trellis.elf" "$logdir/tail.cpio" ""
    rc=$?
    if ! grep -q 'initramfs: corrupt archive' "$logdir/cpio-tail.log" ||
        ! grep -q '^hello, world' "$logdir/cpio-tail.log" || [ "$rc" != 1 ]; then
        not_ok "boot/corrupt-initramfs-tail" "no error line, or /init did not run (qemu exit $rc)" "$logdir/cpio-tail.log"
    else
        ok "boot/corrupt-initramfs-tail"
    fi
    boot "$logdir/cpio-junk.log" "$B/trellis.elf" "$logdir/junk.cpio" ""
    rc=$?
    if ! grep -q 'initramfs: corrupt archive' "$logdir/cpio-junk.log" ||
        ! grep -q 'cannot run /init: error 2' "$logdir/cpio-junk.log" ||
        grep -q 'KERNEL PANIC' "$logdir/cpio-junk.log"; then
        not_ok "boot/corrupt-initramfs-junk" "no clear error for a junk archive (qemu exit $rc)" "$logdir/cpio-junk.log"
    else
        ok "boot/corrupt-initramfs-junk"
    fi
fi

# ---- the interactive system of `make run` -----------------------------------
# tools/interactive.exp types at the serial console of `make run` as a user
# would and checks the answers; it prints "ok - interactive/NAME" lines.
# Everything is built first, so that its timeouts only count the guest.
if want interactive; then
    log=$logdir/interactive.log
    make -s --no-print-directory B="$B" all "$B/initramfs.cpio" >"$logdir/interactive-build.log" 2>&1 ||
        not_ok "interactive/build" "make all failed" "$logdir/interactive-build.log"
    # in its own session, so that a QEMU left behind can be ended
    setsid timeout 1200 expect tools/interactive.exp "$log.raw" \
        make -s --no-print-directory B="$B" run >"$logdir/interactive.out" 2>&1
    tr -d '\r' <"$log.raw" >"$log" 2>/dev/null
    seen=0
    while IFS= read -r line; do
        case "$line" in
            "ok - "*) ok "${line#ok - }"; seen=1 ;;
            "not ok - "*)
                rest=${line#not ok - }
                why=${rest#* (}
                not_ok "${rest%% (*}" "${why%)}" "$log"; seen=1 ;;
        esac
    done <"$logdir/interactive.out"
    if [ "$seen" = 0 ]; then
        not_ok "interactive/session" "the script reported nothing" "$logdir/interactive.out"
    fi
    if panicked "$log"; then
        not_ok "interactive/panic" "kernel panic" "$log"
    fi
fi

# ---- a fault in kernel code prints a symbolized backtrace ------------------
if want fault; then
    # kind, the report's headline, symbols that must be in the backtrace
    while read -r kind headline symbols; do
        log=$logdir/fault-$kind.log
        boot "$log" "$B/trellis.elf" "$B/initramfs.cpio" "trellis.crash=$kind"
        rc=$?
        if ! grep -q "KERNEL PANIC: $headline" "$log"; then
            not_ok "fault/$kind" "no '$headline' report (qemu exit $rc)" "$log"
        elif missing=$(for sym in $symbols; do
                    sed -n '/^Backtrace:/,/end Kernel panic/p' "$log" |
                        grep -q "\] $sym[.+]" || echo "$sym"
                done) && [ -n "$missing" ]; then
            not_ok "fault/$kind" "backtrace lacks $(echo $missing)" "$log"
        elif [ "$kind" = stack ] && ! grep -q '^kernel stack overflow in task' "$log"; then
            not_ok "fault/$kind" "overflow into the guard page not named" "$log"
        elif [ "$rc" != 7 ]; then
            not_ok "fault/$kind" "qemu exit $rc, expected 7 (power-off code 3)" "$log"
        else
            ok "fault/$kind"
        fi
    done <<'FAULTS'
pagefault page.fault crash_write_record trellis_main fr_arch_start
stack double.fault crash_recurse
FAULTS
fi

# ---- the minimal kernel of the demonstration -------------------------------
if want demo; then
    log=$logdir/mini.log
    boot "$log" "$B/mini.elf" "$B/demo/initramfs.cpio" ""
    rc=$?
    if panicked "$log"; then
        not_ok "demo/mini" "kernel panic" "$log"
    elif ! grep -q '^hello from user mode$' "$log"; then
        not_ok "demo/mini" "user program output missing (qemu exit $rc)" "$log"
    elif [ "$(init_status "$log")" != 0 ] || [ "$rc" != 1 ]; then
        not_ok "demo/mini" "exit status '$(init_status "$log")', qemu exit $rc" "$log"
    else
        ok "demo/mini"
    fi
fi

# ---- the GRUB ISO -----------------------------------------------------------
# It boots the interactive system: its shell must come up and power off
# (tools/interactive.exp with QUICK=1).
if want iso; then
    log=$logdir/iso.log
    QUICK=1 BOOT_TIMEOUT=$((TIMEOUT * 3)) setsid expect tools/interactive.exp "$log.raw" \
        "$QEMU" "${QEMU_FLAGS[@]}" -cdrom "$B/trellis.iso" >"$logdir/iso.out" 2>&1
    tr -d '\r' <"$log.raw" 2>/dev/null | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$log"
    if ! grep -q '^Trellis booting (multiboot2)' "$log"; then
        not_ok "iso/boot" "not booted through multiboot2" "$log"
    elif ! grep -q '^ok - interactive/prompt$' "$logdir/iso.out" ||
        ! grep -q '^ok - interactive/poweroff$' "$logdir/iso.out"; then
        not_ok "iso/boot" "/init from the module did not reach the shell and power off" "$log"
    else
        ok "iso/boot"
    fi
fi

# ---- several CPUs -------------------------------------------------------------
# Every CPU QEMU gives must start and answer (the smp.* KTESTs check in
# each CPU, cross-CPU calls and TLB shootdown); all KTESTs pass with two
# CPUs; regression programs run with four (their tasks stay on CPU 0 for
# now, the others idle and take shootdowns); without ACPI tables the
# kernel runs on the boot CPU alone, with a log line.
if want smp; then
    # smp_boot CPUS LOG KERNEL INITRD APPEND [QEMU FLAGS...]
    smp_boot() {
        local cpus=$1 log=$2 kernel=$3 initrd=$4 append=$5
        shift 5
        timeout "$TIMEOUT" "$QEMU" "${QEMU_FLAGS[@]}" -smp "$cpus" "$@" \
            -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 $append" \
            </dev/null 2>&1 | tr -d '\r' >"$log"
        return "${PIPESTATUS[0]}"
    }
    # cpus_online LOG: the number of CPUs the kernel reports running
    cpus_online() { sed -n 's/^smp: \([0-9]*\) CPUs* online$/\1/p' "$1" | tail -n 1; }

    log=$logdir/smp-ktest.log
    smp_boot 2 "$log" "$B/trellis.elf" "$B/initramfs.cpio" "ktest"
    rc=$?
    ktest_group smp2/ktest "$log"
    if [ "$(cpus_online "$log")" != 2 ] || ! grep -q '^# smp: 2 CPUs running$' "$log"; then
        not_ok "smp2/cpus-online" "not 2 CPUs online" "$log"
    else
        ok "smp2/cpus-online"
    fi

    log=$logdir/smp4-ktest.log
    smp_boot 4 "$log" "$B/trellis.elf" "$B/initramfs.cpio" "ktest=smp"
    rc=$?
    ktest_group smp4/ktest "$log"
    if [ "$(cpus_online "$log")" != 4 ]; then
        not_ok "smp4/cpus-online" "not 4 CPUs online" "$log"
    else
        ok "smp4/cpus-online"
    fi

    for name in $SMP_TESTS; do
        bin=$B/regress/$name
        [ -x "$bin" ] || { not_ok "smp4/$name" "no program $bin"; continue; }
        expect=$(cat "$bin.expect" 2>/dev/null || echo 0)
        log=$logdir/smp4-$name.log
        TIMEOUT=$(program_timeout "$name") smp_boot 4 "$log" "$B/trellis.elf" "$B/initramfs.cpio" "init=/test/$name"
        rc=$?
        got=$(init_status "$log")
        if panicked "$log"; then
            not_ok "smp4/$name" "kernel panic" "$log"
        elif [ "$(cpus_online "$log")" != 4 ]; then
            not_ok "smp4/$name" "not 4 CPUs online" "$log"
        elif [ "$got" != "$expect" ]; then
            not_ok "smp4/$name" "exit '$got', expected $expect (qemu exit $rc)" "$log"
        else
            ok "smp4/$name"
        fi
    done

    log=$logdir/smp-noacpi.log
    smp_boot 2 "$log" "$B/trellis.elf" "$B/initramfs.cpio" "ktest=smp" -machine acpi=off
    rc=$?
    ktest_group smp-noacpi/ktest "$log"
    if ! grep -q '^smp: no ACPI tables: one CPU$' "$log" || [ "$(cpus_online "$log")" != 1 ]; then
        not_ok "smp-noacpi/one-cpu" "no log line, or not one CPU" "$log"
    else
        ok "smp-noacpi/one-cpu"
    fi
fi

# ---- the hosted target (frame/hosted/hosted.mk, docs/hosted.md) -----------
# KTESTs as a Linux process under ASan+UBSan, the task, lock and SMP KTESTs under
# TSan on two CPU threads, frame parity, and fixtures that must be caught.
# `make hosted-test` prints the same "ok - NAME" / "not ok - NAME (why)"
# lines; a build failure that prints none is one failure.
if want hosted; then
    make_group hosted hosted-test
fi
# ---- end of the hosted target ------------------------------------------------

# ---- benchmarks, each once on both kernels (tools/bench/harness.py) -------
# `make bench-smoke` boots Linux and Trellis once with tiny measurements and
# prints "ok - bench/KERNEL/ITEM" for each item that gave a well-formed
# result ("unsupported" is accepted from Trellis, with a "#" line); no
# figure is checked: `make bench` is the measurement.
if want bench; then
    make_group bench bench-smoke
fi
# ---- end of the benchmarks -----------------------------------------------------

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
