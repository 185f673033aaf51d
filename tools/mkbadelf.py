#!/usr/bin/env python3
"""Usage: mkbadelf.py GOOD TINY OUTDIR

Write corrupt variants of the good static (non-PIE) x86-64 program GOOD,
and a few of TINY (see tiny_mutations), into OUTDIR, one file per kind of damage, for test/regression/exec_corrupt.c:
truncated headers, program headers past the end of the file, huge or
overflowing sizes, misaligned or overlapping segments, wrong class, data
encoding or machine, entry points outside the segments, broken PT_INTERP
headers.  Every file is mode 0755.  Segments are found by their role (the
first PT_LOAD, the executable one, the writable one), not by index, so any
static musl program linked by GNU ld will do.

The expected outcome of each file (an errno from execve, or the signal that
kills the new program) is in exec_corrupt.c, learned from Linux.
"""
import os
import struct
import sys

PT_NULL, PT_LOAD, PT_INTERP, PT_GNU_STACK = 0, 1, 3, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
E_TYPE, E_MACHINE, E_ENTRY, E_PHOFF, E_PHENTSIZE, E_PHNUM = 16, 18, 24, 32, 54, 56
P_TYPE, P_FLAGS, P_OFFSET, P_VADDR, P_FILESZ, P_MEMSZ, P_ALIGN = 0, 4, 8, 16, 32, 40, 48


class Elf:
    def __init__(self, data):
        self.b = bytearray(data)
        (ident, self.type, self.machine, _, self.entry, self.phoff, _, _, _,
         self.phentsize, self.phnum, _, _, _) = EHDR.unpack_from(self.b, 0)
        assert ident[:4] == b"\x7fELF" and ident[4] == 2 and self.phentsize == 56
        self.ph = [list(PHDR.unpack_from(self.b, self.phoff + 56 * i))
                   for i in range(self.phnum)]

    def put(self, fmt, off, value):
        struct.pack_into("<" + fmt, self.b, off, value)

    def phdr_off(self, i):
        return self.phoff + 56 * i

    def set_ph(self, i, field, value):
        fmt = "I" if field in (P_TYPE, P_FLAGS) else "Q"
        self.put(fmt, self.phdr_off(i) + field, value)

    def find(self, pred):
        for i, p in enumerate(self.ph):
            if pred(p):
                return i
        raise SystemExit("mkbadelf: the good program lacks a segment")

    def first_load(self):
        return self.find(lambda p: p[0] == PT_LOAD)

    def text(self):
        return self.find(lambda p: p[0] == PT_LOAD and p[1] & PF_X)

    def data(self):
        return self.find(lambda p: p[0] == PT_LOAD and p[1] & PF_W)

    def rodata(self):
        return self.find(lambda p: p[0] == PT_LOAD and p[1] == PF_R and
                         p[2] != 0)

    def stack(self):
        return self.find(lambda p: p[0] == PT_GNU_STACK)

    def append(self, blob):
        """Append @blob at an 8-byte aligned end; return its offset."""
        while len(self.b) % 8:
            self.b.append(0)
        off = len(self.b)
        self.b += blob
        return off

    def interp(self, path, nul=True, filesz=None, offset=None):
        """Turn PT_GNU_STACK into a PT_INTERP naming @path."""
        blob = path + (b"\0" if nul else b"")
        off = self.append(blob)
        i = self.stack()
        self.set_ph(i, P_TYPE, PT_INTERP)
        self.set_ph(i, P_FLAGS, PF_R)
        self.set_ph(i, P_OFFSET, off if offset is None else offset)
        self.set_ph(i, P_FILESZ, len(blob) if filesz is None else filesz)
        self.set_ph(i, P_MEMSZ, len(blob) if filesz is None else filesz)
        self.set_ph(i, P_ALIGN, 1)


def mutations(good):
    """Yield (name, bytes) for every corrupt variant of @good."""
    def m(fn):
        e = Elf(good)
        fn(e)
        return bytes(e.b)

    text_off = Elf(good).ph[Elf(good).text()][2]
    yield "ok", good
    # Truncated files: Linux reads the first 256 bytes (zero padded) and
    # then the program headers.
    yield "empty", b""
    yield "trunc_magic", good[:4]
    yield "trunc_ehdr", good[:40]
    yield "trunc_phdrs", good[:64 + 56 * 2 + 20]
    # the pages of the text segment are past the end of the file
    yield "trunc_text", good[:text_off]
    # the page of .data and the start of .bss is past the end of the file
    data_off = Elf(good).ph[Elf(good).data()][2]
    yield "trunc_data", good[:data_off & ~0xFFF]
    # The ELF header.
    yield "bad_magic", m(lambda e: e.put("B", 1, ord("F")))
    yield "class32", m(lambda e: e.put("B", 4, 1))
    yield "class_none", m(lambda e: e.put("B", 4, 0))
    yield "data_msb", m(lambda e: e.put("B", 5, 2))
    yield "version0", m(lambda e: (e.put("B", 6, 0), e.put("I", 20, 0)))
    yield "type_rel", m(lambda e: e.put("H", E_TYPE, 1))
    yield "type_core", m(lambda e: e.put("H", E_TYPE, 4))
    yield "machine_arm64", m(lambda e: e.put("H", E_MACHINE, 183))
    yield "machine_none", m(lambda e: e.put("H", E_MACHINE, 0))
    # The program header table.
    yield "phentsize_32", m(lambda e: e.put("H", E_PHENTSIZE, 32))
    yield "phentsize_64", m(lambda e: e.put("H", E_PHENTSIZE, 64))
    yield "phnum_0", m(lambda e: e.put("H", E_PHNUM, 0))
    yield "phnum_74", m(lambda e: e.put("H", E_PHNUM, 74))
    yield "phnum_max", m(lambda e: e.put("H", E_PHNUM, 0xFFFF))
    yield "phoff_eof", m(lambda e: e.put("Q", E_PHOFF, len(good)))
    yield "phoff_straddle", m(lambda e: e.put("Q", E_PHOFF, len(good) - 100))
    yield "phoff_huge", m(lambda e: e.put("Q", E_PHOFF, 1 << 63))
    yield "phoff_wrap", m(lambda e: e.put("Q", E_PHOFF, (1 << 64) - 64))
    # Segments.
    yield "memsz_huge", m(lambda e: e.set_ph(e.data(), P_MEMSZ, 0x7FFF00000000))
    yield "memsz_wrap", m(lambda e: e.set_ph(e.data(), P_MEMSZ, (1 << 64) - 0x1000))
    yield "filesz_gt_memsz", m(lambda e: e.set_ph(
        e.data(), P_FILESZ, e.ph[e.data()][5] + 0x1000))
    yield "filesz_huge", m(lambda e: e.set_ph(e.text(), P_FILESZ, 1 << 40))
    yield "offset_huge", m(lambda e: e.set_ph(
        e.text(), P_OFFSET, (1 << 62) + (e.ph[e.text()][2] & 0xFFF)))
    yield "misaligned", m(lambda e: e.set_ph(
        e.text(), P_OFFSET, e.ph[e.text()][2] + 0x10))
    # the read-only data segment lands on the text pages and replaces them
    yield "overlap", m(lambda e: e.set_ph(
        e.rodata(), P_VADDR, e.ph[e.text()][3]))
    yield "vaddr_kernel", m(lambda e: e.set_ph(
        e.text(), P_VADDR, 0xFFFFFFFF80000000 + (e.ph[e.text()][3] & 0xFFF)))
    yield "vaddr_wrap", m(lambda e: e.set_ph(
        e.text(), P_VADDR, 0xFFFFFFFFFFFFF000 + (e.ph[e.text()][3] & 0xFFF)))
    yield "vaddr_top", m(lambda e: e.set_ph(
        e.data(), P_VADDR, 0x7FFFFFFFF000 - 0x1000 + (e.ph[e.data()][3] & 0xFFF)))
    yield "text_noexec", m(lambda e: e.set_ph(e.text(), P_FLAGS, PF_R))
    yield "bss_readonly", m(lambda e: e.set_ph(e.data(), P_FLAGS, PF_R))
    yield "no_load", m(lambda e: [e.set_ph(i, P_TYPE, PT_NULL)
                                  for i, p in enumerate(e.ph) if p[0] == PT_LOAD])
    yield "align_zero", m(lambda e: [e.set_ph(i, P_ALIGN, 0)
                                     for i, p in enumerate(e.ph) if p[0] == PT_LOAD])
    yield "stack_exec", m(lambda e: e.set_ph(e.stack(), P_FLAGS, PF_R | PF_W | PF_X))
    yield "unknown_type", m(lambda e: e.set_ph(e.stack(), P_TYPE, 0x12345678))
    # The entry point.
    yield "entry_unmapped", m(lambda e: e.put("Q", E_ENTRY, 0x10000000))
    yield "entry_kernel", m(lambda e: e.put("Q", E_ENTRY, 0xFFFFFFFF81000000))
    yield "entry_zero", m(lambda e: e.put("Q", E_ENTRY, 0))
    # PT_INTERP: Linux checks it, opens the interpreter and reads its
    # header before the point of no return.
    yield "interp_missing", m(lambda e: e.interp(b"/test/bad/no-such-interp"))
    yield "interp_short", m(lambda e: e.interp(b"", filesz=1))
    yield "interp_huge", m(lambda e: e.interp(b"/x", filesz=4097))
    yield "interp_nonul", m(lambda e: e.interp(b"/test/exec_target", nul=False))
    yield "interp_eof", m(lambda e: e.interp(b"/x", offset=len(good) + 4096))
    yield "interp_tiny", m(lambda e: e.interp(b"/test/exec/garbage"))
    yield "interp_notelf", m(lambda e: e.interp(b"/test/exec/s_long_arg"))
    yield "interp_nonexec", m(lambda e: e.interp(b"/test/exec/nonexec_elf"))
    yield "interp_dir", m(lambda e: e.interp(b"/test"))


def tiny_mutations(tiny):
    """Variants of a program without libc that only exits with 42, whose
    writable segment holds 8 bytes of .data and a page-crossing .bss: what
    Linux does when it cannot zero the rest of the last file page."""
    def m(fn):
        e = Elf(tiny)
        fn(e)
        return bytes(e.b)

    data_off = Elf(tiny).ph[Elf(tiny).data()][2]
    yield "tiny_ok", tiny
    # the page of the end of .data is past the end of the file
    yield "tiny_trunc", tiny[:data_off]
    # that page is read-only
    yield "tiny_bss_ro", m(lambda e: e.set_ph(e.data(), P_FLAGS, PF_R))


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mkbadelf.py GOOD TINY OUTDIR")
    with open(sys.argv[1], "rb") as f:
        good = f.read()
    with open(sys.argv[2], "rb") as f:
        tiny = f.read()
    os.makedirs(sys.argv[3], exist_ok=True)
    for name, data in list(mutations(good)) + list(tiny_mutations(tiny)):
        path = os.path.join(sys.argv[3], name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)


if __name__ == "__main__":
    main()
