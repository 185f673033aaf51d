#!/usr/bin/env python3
"""The harness behind `make bench` and `make bench-smoke`.

Boots the Debian Linux kernel and Trellis under QEMU with the same settings
and the same initramfs (tools/bench/build.sh: the programs of test/bench/,
with /bench/run as PID 1), several rounds, alternating which kernel goes
first, and compares the medians:

  * every benchmark item that /bench/run lists (microseconds per operation
    or MB/s, measured in the guest with CLOCK_MONOTONIC);
  * boot time, measured on the host from QEMU's start: to PID 1's first
    output ("bench-init", the first thing /bench/run does), and to the
    prompt of an interactive shell (rdinit=/bin/sh -i);
  * the kernel image: the file that is booted, and its size in memory
    (the PT_LOAD segments of the ELF; Linux's bzImage is unpacked);
  * memory in use after boot: the guest's RAM less sysinfo's free RAM,
    read by PID 1 before anything else runs.

Each ratio is oriented so that above 1 means Trellis is better: Linux /
Trellis for times, sizes and memory, Trellis / Linux for bandwidths.

Full mode writes docs/bench/results.json, results.md and ratios.png (with
gnuplot) and prints the table.  Smoke mode (--smoke) boots each kernel once
with a tiny measurement time and prints "ok - bench/..." / "not ok - ..."
lines for tools/test.sh: every item must give a well-formed result on both
kernels (an "unsupported" one is accepted from Trellis only); nothing is
asserted about the figures.
"""
import argparse
import datetime
import glob
import json
import lzma
import os
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MEM_MIB = 512
QEMU_FLAGS = ['-m', '%dM' % MEM_MIB, '-smp', '1', '-nic', 'none',
              '-no-reboot', '-display', 'none', '-monitor', 'none',
              '-serial', 'stdio',
              '-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
# One command line for both kernels: Trellis takes console=, quiet and
# panic= as its own, as Linux does.
CMDLINE = 'console=ttyS0 quiet panic=-1'

# What each item measures, for the tables (items not listed here still
# appear, under their own name).
DESCRIPTIONS = {
    'null_syscall': 'null system call (getppid)',
    'ctx_switch_2p': 'context switch, 2 processes over pipes',
    'pipe_latency': 'pipe round trip, 1 byte',
    'pipe_bandwidth': 'pipe bandwidth, 64 KiB writes',
    'unix_latency': 'unix socket round trip, 1 byte',
    'unix_bandwidth': 'unix socket bandwidth, 64 KiB writes',
    'tcp_latency': 'TCP loopback round trip, 1 byte',
    'tcp_bandwidth': 'TCP loopback bandwidth, 64 KiB writes',
    'fork_exit': 'fork + exit + wait',
    'fork_execve': 'fork + execve + exit + wait',
    'fork_sh': 'fork + execve /bin/sh -c + wait',
    'page_fault_anon': 'anonymous page fault (first write)',
    'mmap_anon_1m': 'mmap + touch + munmap, 1 MiB anonymous',
    'mmap_file_1m': 'mmap + touch + munmap, 1 MiB tmpfs file',
    'open_close': 'open + close (tmpfs)',
    'stat': 'stat (tmpfs)',
    'fstat': 'fstat (tmpfs)',
    'read_4k': 'read 4 KiB (tmpfs, pread)',
    'write_4k': 'write 4 KiB (tmpfs, pwrite)',
    'file_create': 'create an empty file (tmpfs)',
    'file_delete': 'delete an empty file (tmpfs)',
    'sig_install': 'signal handler install (sigaction)',
    'sig_deliver': 'signal delivery to a handler (kill self)',
    'select_100fd': 'select on 100 fds (tmpfs file)',
    'poll_100fd': 'poll on 100 fds (tmpfs file)',
    'boot_to_init': 'boot to PID 1\'s first output (host clock)',
    'boot_to_shell': 'boot to the shell prompt (host clock)',
    'kernel_memory_image': 'kernel image in memory (PT_LOAD segments)',
    'kernel_file': 'kernel file booted',
    'mem_used_after_boot': 'memory in use after boot (RAM - free)',
}

RE_VALUE = re.compile(r'^bench (\S+) ([0-9.eE+-]+) (us|MB/s)$')
RE_UNSUP = re.compile(r'^bench (\S+) unsupported (.*)$')


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- booting ---------------------------------------------------------------

class Boot:
    """One QEMU run: the console lines with the host time (seconds after
    QEMU was started) at which each was complete."""

    def __init__(self, lines, status, timed_out, elapsed):
        self.lines = lines          # [(seconds, text)]
        self.status = status
        self.timed_out = timed_out
        self.elapsed = elapsed

    def first(self, pred):
        for t, line in self.lines:
            if pred(line):
                return t, line
        return None, None

    def text(self):
        return '\n'.join(line for _, line in self.lines)


def boot(qemu, kernel, initrd, append, timeout, stop=None, idle=None):
    """Boot @kernel with @initrd and the command line @append; stop at
    power-off, at @timeout seconds, after @idle seconds without output, or
    once the partial output matches the regular expression @stop (then
    QEMU is killed)."""
    cmd = [qemu] + QEMU_FLAGS + ['-kernel', kernel, '-initrd', initrd,
                                 '-append', append]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = proc.stdout.fileno()
    lines, partial, timed_out = [], b'', False
    stop_re = re.compile(stop) if stop else None
    last = start
    while True:
        now = time.monotonic()
        left = timeout - (now - start)
        if left <= 0 or (idle and now - last > idle):
            timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        last = time.monotonic()
        now = last - start
        if not chunk:
            break
        partial += chunk
        while b'\n' in partial:
            raw, partial = partial.split(b'\n', 1)
            lines.append((now, raw.decode('utf-8', 'replace').rstrip('\r')))
        if stop_re and stop_re.search(partial.decode('utf-8', 'replace')):
            lines.append((now, partial.decode('utf-8', 'replace')))
            partial = b''
            break
    if proc.poll() is None:
        proc.kill()
    status = proc.wait()
    if partial:
        lines.append((time.monotonic() - start,
                      partial.decode('utf-8', 'replace').rstrip('\r')))
    return Boot(lines, status, timed_out, time.monotonic() - start)


def parse_bench(b):
    """The results of a benchmark boot: {'items': [names], 'values':
    {name: (value, unit)}, 'unsupported': {name: why}, 'info': {...},
    'init': seconds or None, 'end': bool, 'clock': {'start'|'end':
    (host seconds, guest seconds)}}."""
    r = {'items': [], 'values': {}, 'unsupported': {}, 'info': {},
         'init': None, 'end': False}
    r['init'], _ = b.first(lambda l: l == 'bench-init')
    r['clock'] = {}
    for t, line in b.lines:
        m = re.match(r'^info clock_(start|end)_ns (\d+)$', line)
        if m:
            r['clock'][m.group(1)] = (t, int(m.group(2)) / 1e9)
        m = RE_VALUE.match(line)
        if m:
            r['values'][m.group(1)] = (float(m.group(2)), m.group(3))
            continue
        m = RE_UNSUP.match(line)
        if m:
            r['unsupported'][m.group(1)] = m.group(2)
            continue
        if line.startswith('bench-list'):
            r['items'] = line.split()[1:]
        elif line.startswith('info '):
            parts = line.split(None, 2)
            if len(parts) == 3:
                r['info'][parts[1]] = parts[2]
        elif line == 'bench-end':
            r['end'] = True
    return r


# ---- kernel images ---------------------------------------------------------

def elf_load_size(data):
    """Sum of the memory sizes of the PT_LOAD segments of an ELF64 image."""
    if data[:4] != b'\x7fELF' or data[4] != 2:
        return None
    phoff, = struct.unpack_from('<Q', data, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', data, 0x36)
    total = 0
    for i in range(phnum):
        off = phoff + i * phentsize
        ptype, = struct.unpack_from('<I', data, off)
        memsz, = struct.unpack_from('<Q', data, off + 0x28)
        if ptype == 1:
            total += memsz
    return total


def bzimage_vmlinux(data):
    """The ELF image inside a bzImage (x86 boot protocol >= 2.08: the
    payload's offset and length are in the setup header), or None."""
    if data[0x202:0x206] != b'HdrS':
        return None
    setup_sects = data[0x1f1] or 4
    off, length = struct.unpack_from('<II', data, 0x248)
    payload = data[(setup_sects + 1) * 512 + off:][:length]
    try:
        if payload[:6] == b'\xfd7zXZ\x00':
            return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(
                payload)
        if payload[:2] == b'\x1f\x8b':
            import zlib
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(payload)
    except (lzma.LZMAError, ValueError, EOFError):
        return None
    return None


def kernel_sizes(path):
    data = open(path, 'rb').read()
    elf = data if data[:4] == b'\x7fELF' else bzimage_vmlinux(data)
    return len(data), elf_load_size(elf) if elf else None


# ---- statistics and output -------------------------------------------------

def median(xs):
    return statistics.median(xs) if xs else None


def ratio(lower_is_better, linux, trellis):
    if linux is None or trellis is None or linux <= 0 or trellis <= 0:
        return None
    return linux / trellis if lower_is_better else trellis / linux


def fmt(v):
    if v is None:
        return '-'
    if v >= 100:
        return '%.0f' % v
    if v >= 10:
        return '%.1f' % v
    if v >= 1:
        return '%.2f' % v
    return '%.3f' % v


def host_cpu():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def git_describe():
    try:
        return subprocess.run(['git', '-C', ROOT, 'describe', '--always',
                               '--dirty'], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def build_items(order, samples, unsupported, units):
    """One row per item: medians, samples, ratio, or why it is missing."""
    rows = []
    for name in order:
        unit = units.get(name, 'us')
        lower = unit != 'MB/s'
        row = {'name': name, 'description': DESCRIPTIONS.get(name, name),
               'unit': unit, 'better': 'lower' if lower else 'higher'}
        for k in ('linux', 'trellis'):
            xs = samples[k].get(name, [])
            side = {'samples': xs, 'median': median(xs),
                    'min': min(xs) if xs else None,
                    'max': max(xs) if xs else None}
            if not xs:
                why = unsupported[k].get(name)
                side['unsupported'] = why or 'no result'
            row[k] = side
        row['ratio'] = ratio(lower, row['linux']['median'],
                             row['trellis']['median'])
        rows.append(row)
    return rows


def print_table(rows, out=sys.stdout):
    w = max(len(r['name']) for r in rows)
    print('%-*s %7s %12s %12s %8s' % (w, 'item', 'unit', 'linux',
                                      'trellis', 'ratio'), file=out)
    for r in rows:
        t = r['trellis']
        tv = fmt(t['median']) if t['median'] is not None else 'unsupported'
        lv = fmt(r['linux']['median']) \
            if r['linux']['median'] is not None else 'n/a'
        print('%-*s %7s %12s %12s %8s' % (w, r['name'], r['unit'], lv, tv,
                                          fmt(r['ratio'])), file=out)


def write_markdown(path, meta, rows, chart):
    L = []
    L.append('# Trellis against Linux: `make bench`')
    L.append('')
    L.append('Generated by `make bench` (tools/bench/harness.py); do not '
             'edit by hand.')
    L.append('')
    L.append('- date: %s' % meta['date'])
    L.append('- host CPU: %s (%d cores, shared)' % (meta['host_cpu'],
                                                     meta['host_cpus']))
    L.append('- QEMU: %s, TCG (no KVM), `%s`' % (meta['qemu_version'],
                                               ' '.join(meta['qemu_flags'])))
    L.append('- Linux: %s (%s)' % (meta['linux']['image'],
                                   meta['linux'].get('version', '?')))
    L.append('- Trellis: %s (commit %s)' % (meta['trellis']['image'],
                                            meta['trellis']['commit']))
    L.append('- %d boots per kernel, alternating; in each boot an item is '
             'the median of 3 measurements of about %d ms (after '
             'calibration); the table gives the median over the boots' % (
                 meta['rounds'], meta['bench_ms'] // 2))
    L.append('- guest CLOCK_MONOTONIC against the host clock over a '
             'benchmark boot (1 = exact): Linux %s, Trellis %s' % (
                 fmt(meta['linux'].get('clock_rate')),
                 fmt(meta['trellis'].get('clock_rate'))))
    L.append('')
    L.append('Ratio: above 1 means Trellis is better (Linux / Trellis for '
             'times, sizes and memory; Trellis / Linux for bandwidths).')
    L.append('')
    if chart:
        L.append('![ratios](%s)' % os.path.basename(chart))
        L.append('')
    L.append('| item | what | unit | Linux | Trellis | ratio |')
    L.append('| --- | --- | --- | ---: | ---: | ---: |')
    for r in rows:
        t = r['trellis']
        tv = fmt(t['median']) if t['median'] is not None \
            else 'unsupported (%s)' % t.get('unsupported', '?')
        lv = fmt(r['linux']['median']) if r['linux']['median'] is not None \
            else 'n/a (%s)' % r['linux'].get('unsupported', '?')
        L.append('| %s | %s | %s | %s | %s | %s |' % (
            r['name'], r['description'], r['unit'], lv, tv,
            fmt(r['ratio'])))
    L.append('')
    worst = sorted((r for r in rows if r['ratio'] is not None),
                   key=lambda r: r['ratio'])[:3]
    if worst:
        L.append('Worst ratios: ' + ', '.join(
            '%s (%s)' % (r['name'], fmt(r['ratio'])) for r in worst) + '.')
        L.append('')
    with open(path, 'w') as f:
        f.write('\n'.join(L))


def write_chart(path, rows, gnuplot='gnuplot'):
    """A horizontal bar per item with a ratio, on a log scale around 1."""
    have = [r for r in rows if r['ratio'] is not None]
    if not have or not shutil.which(gnuplot):
        return False
    with tempfile.NamedTemporaryFile('w', suffix='.dat', delete=False) as f:
        for i, r in enumerate(reversed(have)):
            v = r['ratio']
            f.write('%d "%s" %g %g %g %d\n' % (i, r['name'], v, min(v, 1.0),
                                               max(v, 1.0),
                                               1 if v >= 1 else 0))
        data = f.name
    height = max(400, 28 * len(have) + 120)
    try:
        subprocess.run([gnuplot, '-e', 'datafile="%s"; outfile="%s"; '
                        'height=%d' % (data, path, height),
                        os.path.join(HERE, 'chart.gp')], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        log('bench: gnuplot failed: %s' % e)
        return False
    finally:
        os.unlink(data)
    return True


# ---- the two modes ---------------------------------------------------------

def run_rounds(args, kernels):
    """Boot both kernels args.rounds times each, alternating which goes
    first; return the samples {kernel: {item: [values]}}, the reasons for
    unsupported items, the units, the item order, info, and the boots that
    did not complete.

    A benchmark boot that stops before "bench-end" (a hang, a panic) is
    blamed on the first item without a result: that item is dropped for
    that kernel, and the kernel is booted again for the items left."""
    samples = {k: {} for k in kernels}
    unsupported = {k: {} for k in kernels}
    units, order, info, failures = {}, [], {k: {} for k in kernels}, []
    rates = {k: [] for k in kernels}
    dropped = {k: [] for k in kernels}
    base_only = {k: args.only for k in kernels}
    env = 'BENCH_MS=%d BENCH_TIMEOUT=%d' % (args.ms, args.item_timeout)
    idle = args.item_timeout + 40

    def add(k, name, v):
        samples[k].setdefault(name, []).append(v)

    for rnd in range(args.rounds):
        names = list(kernels) if rnd % 2 == 0 else list(kernels)[::-1]
        for k in names:
            only = base_only[k]
            first = True
            while True:
                log('bench: round %d/%d, %s: benchmarks%s' % (
                    rnd + 1, args.rounds, k, '' if first else
                    ' (again, without %s)' % ', '.join(dropped[k])))
                append = '%s rdinit=/bench/run %s' % (CMDLINE, env)
                if only:
                    append += ' BENCH_ONLY=%s' % only
                b = boot(args.qemu, kernels[k], args.initrd, append,
                         args.timeout, idle=idle)
                r = parse_bench(b)
                for name in r['items']:
                    if name not in order:
                        order.append(name)
                for name, (v, unit) in r['values'].items():
                    add(k, name, v)
                    units[name] = unit
                for name, why in r['unsupported'].items():
                    unsupported[k][name] = why
                if first:
                    if r['init'] is not None:
                        add(k, 'boot_to_init', r['init'] * 1000)
                    if 'mem_free_kib' in r['info']:
                        add(k, 'mem_used_after_boot',
                            MEM_MIB * 1024 - int(r['info']['mem_free_kib']))
                    info[k].update(r['info'])
                c = r['clock']
                if 'start' in c and 'end' in c and \
                        c['end'][0] > c['start'][0]:
                    rates[k].append((c['end'][1] - c['start'][1]) /
                                    (c['end'][0] - c['start'][0]))
                first = False
                if r['end'] and r['init'] is not None:
                    break
                failures.append((k, 'benchmarks', b))
                left = [n for n in r['items'] if n not in r['values'] and
                        n not in r['unsupported']]
                if not left:
                    break
                why = 'no result (%s)' % ('timeout' if b.timed_out else
                                          'qemu exit %d' % b.status)
                unsupported[k][left[0]] = why
                dropped[k].append(left[0])
                if not left[1:]:
                    break
                only = ','.join(left[1:])
            if dropped[k]:
                # later rounds run without the items that stopped a boot
                base_only[k] = ','.join(
                    n for n in (args.only.split(',') if args.only else order)
                    if n not in dropped[k])
            if args.shell:
                log('bench: round %d/%d, %s: boot to the shell prompt' % (
                    rnd + 1, args.rounds, k))
                s = boot(args.qemu, kernels[k], args.initrd,
                         '%s rdinit=/bin/sh -i' % CMDLINE, args.timeout,
                         stop=r'# $|# \x1b', idle=idle)
                t, _ = s.first(lambda l: re.search(r'# ($|\x1b)', l))
                if t is not None:
                    add(k, 'boot_to_shell', t * 1000)
                else:
                    unsupported[k]['boot_to_shell'] = 'no prompt'
                    failures.append((k, 'shell', s))
    units.update({'boot_to_init': 'ms', 'boot_to_shell': 'ms',
                  'mem_used_after_boot': 'KiB'})
    extra = ['boot_to_init'] + (['boot_to_shell'] if args.shell else []) + \
        ['mem_used_after_boot']
    for k in kernels:
        info[k]['clock_rate'] = median(rates[k])
    return samples, unsupported, units, order + extra, info, failures


def smoke(args, kernels):
    """Each kernel once; every item must give a well-formed line."""
    samples, unsupported, units, order, info, failures = run_rounds(
        args, kernels)
    bad = 0
    fail_kernels = {k for k, _, _ in failures}
    for k in kernels:
        for name in order:
            test = 'bench/%s/%s' % (k, name)
            xs = samples[k].get(name)
            if xs and min(xs) <= 0:
                print('not ok - %s (value %g: not positive)' % (test,
                                                                min(xs)))
                bad += 1
            elif xs:
                print('ok - %s' % test)
            elif k == 'trellis' and name in unsupported[k] and \
                    not unsupported[k][name].startswith('no result') and \
                    'trellis' not in fail_kernels:
                print('ok - %s' % test)
                print('# %s unsupported: %s' % (test, unsupported[k][name]))
            else:
                print('not ok - %s (%s)' % (
                    test, unsupported[k].get(name, 'no result')))
                bad += 1
    for k, what, b in failures:
        print('not ok - bench/%s/%s-boot (%s)' % (
            k, what, 'timeout' if b.timed_out else
            'qemu exit %d, no bench-end' % b.status))
        for _, line in b.lines[-15:]:
            print('#   ' + line)
        bad += 1
    # the outputs are produced as in the full mode, in a scratch directory
    with tempfile.TemporaryDirectory() as d:
        ok = report(args, kernels, samples, unsupported, units, order, info,
                    d, quiet=True)
        if ok:
            print('ok - bench/outputs')
        else:
            print('not ok - bench/outputs (results.json, results.md or '
                  'ratios.png missing)')
            bad += 1
    return 1 if bad else 0


def report(args, kernels, samples, unsupported, units, order, info, outdir,
           quiet=False):
    for k in kernels:
        size_file, size_mem = kernel_sizes(kernels[k])
        samples[k]['kernel_file'] = [size_file / 1024]
        if size_mem:
            samples[k]['kernel_memory_image'] = [size_mem / 1024]
    units['kernel_file'] = units['kernel_memory_image'] = 'KiB'
    order = order + ['kernel_memory_image', 'kernel_file']
    rows = build_items(order, samples, unsupported, units)
    qemu_version = subprocess.run([args.qemu, '--version'],
                                  capture_output=True, text=True
                                  ).stdout.splitlines()[0]
    meta = {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime(
            '%Y-%m-%d %H:%M UTC'),
        'host_cpu': host_cpu(),
        'host_cpus': os.cpu_count(),
        'qemu_version': qemu_version,
        'qemu_flags': QEMU_FLAGS,
        'cmdline': CMDLINE,
        'rounds': args.rounds,
        'bench_ms': args.ms,
        'linux': {'image': kernels['linux'],
                  'version': info['linux'].get('uname', '?'),
                  'clock_rate': info['linux'].get('clock_rate'),
                  'guest_info': info['linux']},
        'trellis': {'image': os.path.relpath(kernels['trellis'], ROOT),
                    'commit': git_describe(),
                    'version': info['trellis'].get('uname', '?'),
                    'clock_rate': info['trellis'].get('clock_rate'),
                    'guest_info': info['trellis']},
    }
    os.makedirs(outdir, exist_ok=True)
    chart = os.path.join(outdir, 'ratios.png')
    have_chart = write_chart(chart, rows, args.gnuplot)
    with open(os.path.join(outdir, 'results.json'), 'w') as f:
        json.dump({'meta': meta, 'items': rows}, f, indent=1)
        f.write('\n')
    write_markdown(os.path.join(outdir, 'results.md'), meta, rows,
                   chart if have_chart else None)
    if not quiet:
        print_table(rows)
        worst = sorted((r for r in rows if r['ratio'] is not None),
                       key=lambda r: r['ratio'])[:3]
        print('worst ratios: ' + ', '.join('%s %s' % (r['name'],
                                                      fmt(r['ratio']))
                                           for r in worst))
        print('guest clock / host clock: linux %s, trellis %s' % (
            fmt(meta['linux'].get('clock_rate')),
            fmt(meta['trellis'].get('clock_rate'))))
        print('results in %s' % outdir)
    return have_chart and all(os.path.exists(os.path.join(outdir, f))
                              for f in ('results.json', 'results.md'))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--smoke', action='store_true',
                   help='each kernel once, tiny measurements, ok/not ok')
    p.add_argument('--rounds', type=int, default=None)
    p.add_argument('--ms', type=int, default=None,
                   help='target time of one measurement in the guest')
    p.add_argument('--only', default='',
                   help='comma-separated items to run')
    p.add_argument('--no-shell', dest='shell', action='store_false',
                   help='skip the boots to the shell prompt')
    p.add_argument('--trellis', default=os.path.join(ROOT, 'build',
                                                     'trellis.elf'))
    p.add_argument('--linux', default=None)
    p.add_argument('--initrd', default=os.path.join(ROOT, 'build', 'bench',
                                                    'initramfs.cpio'))
    p.add_argument('--out', default=os.path.join(ROOT, 'docs', 'bench'))
    p.add_argument('--timeout', type=int, default=None,
                   help='seconds per boot')
    p.add_argument('--item-timeout', type=int, default=None,
                   help='seconds after which the guest kills an item')
    p.add_argument('--qemu', default=os.environ.get('QEMU',
                                                    'qemu-system-x86_64'))
    p.add_argument('--gnuplot', default='gnuplot')
    args = p.parse_args()
    if args.rounds is None:
        args.rounds = 1 if args.smoke else 7
    if args.ms is None:
        args.ms = 2 if args.smoke else 400
    if args.timeout is None:
        args.timeout = 120 if args.smoke else 300
    if args.item_timeout is None:
        args.item_timeout = 20 if args.smoke else 60
    linux = args.linux or (sorted(glob.glob('/boot/vmlinuz-*'),
                                  key=lambda s: [int(x) if x.isdigit() else x
                                                 for x in re.split(r'(\d+)',
                                                                   s)])
                           or [None])[-1]
    if not linux or not os.path.exists(linux):
        log('bench: no Linux kernel image (/boot/vmlinuz-*; --linux)')
        return 2
    for f in (args.trellis, args.initrd):
        if not os.path.exists(f):
            log('bench: %s is missing (make bench builds it)' % f)
            return 2
    kernels = {'linux': linux, 'trellis': args.trellis}
    if args.smoke:
        return smoke(args, kernels)
    start = time.monotonic()
    samples, unsupported, units, order, info, failures = run_rounds(
        args, kernels)
    for k, what, b in failures:
        log('bench: %s %s boot did not complete (%s); last lines:' % (
            k, what, 'timeout' if b.timed_out else 'qemu exit %d' % b.status))
        for _, line in b.lines[-10:]:
            log('    ' + line)
    report(args, kernels, samples, unsupported, units, order, info, args.out)
    log('bench: %.0f s' % (time.monotonic() - start))
    return 0


if __name__ == '__main__':
    sys.exit(main())
