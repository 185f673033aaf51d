#!/usr/bin/env python3
"""Where Trellis spends its time in one benchmark item: a sampling profiler
that works from outside the guest, through QEMU's GDB stub.

Boots Trellis with the benchmark initramfs (the harness's QEMU flags and
command line, BENCH_ONLY=ITEM) and a GDB stub on a local port.  While the
item runs (from the runner's "bench-list" line to the item's "bench ITEM"
line), every 1/--hz seconds the script stops the virtual machine, reads its
registers, walks the kernel's frame-pointer chain (the kernel is built
with -fno-omit-frame-pointer) and lets it go on.  It prints:

  * self: the function each sample stopped in (user mode is one bucket,
    "[user]"; the idle loop shows as the functions it halts in);
  * inclusive: the functions on the sampled stack (each counted once per
    sample), i.e. where the time goes below a system call's entry point;
  * with --callers FN, the callers of FN; with --annotate FN, the samples
    per offset in FN (read with objdump -d build/trellis.elf);
  * with --folded FILE, the stacks in the "folded" format of flame-graph
    tools (root first, separated by ';', then the count).

The stub stops the machine at any instruction (between translated blocks
under TCG), with interrupts off too, so unlike a profiler driven by a
guest timer interrupt it also sees the entry and exit paths.  While the
machine is stopped its virtual clock stops as well: the item's own figure
stays meaningful, slightly lowered by the lost translated-block chaining.

--start and --stop choose another window by console lines, e.g. the boot
(--start '' --stop '^bench-init').

Usage: tools/bench/profile.py ITEM [--ms 3000] [--hz 300] ...
(make build/trellis.elf build/bench/initramfs.cpio first.)
"""
import argparse
import bisect
import collections
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import harness  # noqa: E402  (QEMU flags and command line of the bench)

USER_END = 0x0000800000000000
# Assembly routines that do not set up a frame: the return address into
# their caller is at the stack pointer when they are sampled.
FRAMELESS = {'arch_copy_user', 'arch_fill_user', 'arch_strnlen_user',
             'arch_user_cmpxchg32', 'user_access_fault',
             'arch_return_to_kernel', 'arch_switch'}


class Symbols:
    """The kernel's function symbols (as tools/ksyms.sh selects them)."""

    def __init__(self, elf):
        out = subprocess.run(['nm', '-n', '--defined-only', elf],
                             capture_output=True, text=True,
                             check=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in 'tTwW' and \
                    not parts[2].startswith('.'):
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])
        self.end = self.addrs[-1] + 0x10000 if self.addrs else 0

    def lookup(self, addr):
        """(name, offset) of @addr, or (None, 0) outside the kernel."""
        if not self.addrs or addr < self.addrs[0] or addr >= self.end:
            return None, 0
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.names[i], addr - self.addrs[i]


class Stub:
    """The GDB remote protocol, as little of it as sampling needs."""

    def __init__(self, port, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.create_connection(('127.0.0.1', port), 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s.settimeout(timeout)
        self.buf = b''
        self.ack = True
        self.command('qSupported')
        if self.command('QStartNoAckMode') == 'OK':
            self.ack = False

    def send(self, data):
        cs = sum(data.encode()) & 0xff
        self.s.sendall(b'$%s#%02x' % (data.encode(), cs))

    def packet(self):
        """The next packet's payload; None when the stub went away."""
        while True:
            i = self.buf.find(b'$')
            j = self.buf.find(b'#', i + 1) if i >= 0 else -1
            if i >= 0 and j >= 0 and len(self.buf) >= j + 3:
                data = self.buf[i + 1:j].decode('latin-1')
                self.buf = self.buf[j + 3:]
                if self.ack:
                    self.s.sendall(b'+')
                return data
            try:
                chunk = self.s.recv(65536)
            except OSError:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def command(self, data):
        self.send(data)
        return self.packet()

    def stop(self):
        """Interrupt the machine; False when it is gone."""
        self.s.sendall(b'\x03')
        reply = self.packet()
        return reply is not None and reply[:1] in ('T', 'S')

    def go(self):
        self.send('c')

    def regs(self):
        """rax..r15, rip as integers (the first 17 registers of 'g')."""
        data = bytes.fromhex(self.command('g'))
        return struct.unpack_from('<17Q', data)

    def read(self, addr, length):
        reply = self.command('m%x,%x' % (addr, length))
        if not reply or reply.startswith('E'):
            return None
        return bytes.fromhex(reply)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def stack_of(stub, syms, regs, depth):
    """The sampled stack, innermost first: [(name, offset)], or None for a
    sample in user mode."""
    rip, rbp, rsp = regs[16], regs[6], regs[7]
    if rip < USER_END:
        return None
    name, off = syms.lookup(rip)
    stack = [(name or '?%x' % rip, off)]
    if name in FRAMELESS:
        raw = stub.read(rsp, 8)
        if raw:
            ret, = struct.unpack('<Q', raw)
            caller, coff = syms.lookup(ret - 1)
            if caller:
                stack.append((caller, coff + 1))
    for _ in range(depth):
        if rbp < USER_END or rbp & 7:
            break
        raw = stub.read(rbp, 16)
        if not raw:
            break
        nbp, ret = struct.unpack('<QQ', raw)
        caller, coff = syms.lookup(ret - 1)
        if not caller:
            break
        stack.append((caller, coff + 1))
        if nbp <= rbp:
            break
        rbp = nbp
    return stack


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('item', help='benchmark item (tools/bench/harness.py)')
    p.add_argument('--ms', type=int, default=3000,
                   help='BENCH_MS: the item runs about 2.5 times this')
    p.add_argument('--hz', type=float, default=300,
                   help='samples per second of host time')
    p.add_argument('--depth', type=int, default=24,
                   help='frames walked per sample')
    p.add_argument('--top', type=int, default=30)
    p.add_argument('--callers', action='append', default=[],
                   help='also print the callers of this function')
    p.add_argument('--annotate', action='append', default=[],
                   help='also print the samples per offset in this function')
    p.add_argument('--folded', help='write the stacks, folded, to this file')
    p.add_argument('--append', default='',
                   help='more words for the kernel command line')
    p.add_argument('--start', default=r'^bench-list',
                   help='sample from the console line matching this '
                   '(empty: from the start of the boot)')
    p.add_argument('--stop', default=None,
                   help='until the console line matching this (default: '
                   'the item\'s result line; "^bench-init" profiles the '
                   'boot)')
    p.add_argument('--smp', type=int, default=1)
    p.add_argument('--kernel', default=os.path.join(ROOT, 'build',
                                                    'trellis.elf'))
    p.add_argument('--initrd', default=os.path.join(ROOT, 'build', 'bench',
                                                    'initramfs.cpio'))
    p.add_argument('--timeout', type=int, default=300)
    p.add_argument('--verbose', action='store_true',
                   help='echo the console')
    p.add_argument('--qemu', default=os.environ.get('QEMU',
                                                    'qemu-system-x86_64'))
    args = p.parse_args()

    syms = Symbols(args.kernel)
    port = free_port()
    flags = list(harness.QEMU_FLAGS)
    flags[flags.index('-smp') + 1] = str(args.smp)
    append = '%s rdinit=/bench/run BENCH_MS=%d BENCH_ONLY=%s %s' % (
        harness.CMDLINE, args.ms, args.item, args.append)
    cmd = [args.qemu] + flags + ['-S', '-gdb', 'tcp:127.0.0.1:%d' % port,
                                 '-kernel', args.kernel, '-initrd',
                                 args.initrd, '-append', append.strip()]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    started, finished = threading.Event(), threading.Event()
    result = []
    result_re = re.compile(r'^bench %s ' % re.escape(args.item))
    start_re = re.compile(args.start) if args.start else None
    stop_re = re.compile(args.stop) if args.stop else result_re
    if not start_re:
        started.set()

    def console():
        for raw in proc.stdout:
            line = raw.decode('utf-8', 'replace').rstrip('\r\n')
            if args.verbose:
                print('| ' + line, file=sys.stderr, flush=True)
            if result_re.match(line):
                result.append(line)
            if start_re and start_re.search(line):
                started.set()
            elif started.is_set() and stop_re.search(line):
                finished.set()
            if line == 'bench-end':
                finished.set()
        finished.set()

    reader = threading.Thread(target=console, daemon=True)
    reader.start()
    selfc, incl = collections.Counter(), collections.Counter()
    callers = {f: collections.Counter() for f in args.callers}
    offsets = {f: collections.Counter() for f in args.annotate}
    folded = collections.Counter()
    total = user = 0
    t0 = None
    try:
        stub = Stub(port)
        stub.go()
        deadline = time.monotonic() + args.timeout
        if not started.wait(args.timeout):
            sys.exit('profile: no line matching %r' % args.start)
        t0 = time.monotonic()
        interval = 1.0 / args.hz
        while not finished.is_set() and time.monotonic() < deadline:
            time.sleep(interval)
            if not stub.stop():
                break
            regs = stub.regs()
            stack = stack_of(stub, syms, regs, args.depth)
            stub.go()
            total += 1
            if stack is None:
                user += 1
                selfc['[user]'] += 1
                incl['[user]'] += 1
                folded['[user]'] += 1
                continue
            selfc[stack[0][0]] += 1
            for name in set(n for n, _ in stack):
                incl[name] += 1
            folded[';'.join(n for n, _ in reversed(stack))] += 1
            for i, (name, off) in enumerate(stack):
                if name in callers and i + 1 < len(stack):
                    callers[name][stack[i + 1][0]] += 1
            if stack[0][0] in offsets:
                offsets[stack[0][0]][stack[0][1]] += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    elapsed = time.monotonic() - t0 if t0 else 0
    if not total:
        sys.exit('profile: no samples')

    def table(title, counter):
        print('%s:' % title)
        for name, n in counter.most_common(args.top):
            print('  %5.1f%% %6d  %s' % (100.0 * n / total, n, name))

    print('profile of %s: %d samples in %.1f s (%.0f/s), user mode %.1f%%' %
          (args.item, total, elapsed, total / elapsed if elapsed else 0,
           100.0 * user / total))
    for line in result:
        print(line)
    table('self', selfc)
    table('inclusive', incl)
    for f, c in callers.items():
        n = sum(c.values())
        print('callers of %s (%d samples under it):' % (f, n))
        for name, k in c.most_common(args.top):
            print('  %5.1f%% %6d  %s' % (100.0 * k / max(n, 1), k, name))
    for f, c in offsets.items():
        n = sum(c.values())
        print('samples in %s by offset (%d):' % (f, n))
        for off, k in sorted(c.items()):
            print('  +0x%-5x %6d' % (off, k))
    if args.folded:
        with open(args.folded, 'w') as out:
            for stack, n in folded.most_common():
                out.write('%s %d\n' % (stack, n))
    return 0


if __name__ == '__main__':
    sys.exit(main())
