#!/usr/bin/env python3
"""The size of Trellis's trusted computing base, for `make tcb`.

Prints three figures and, with --output, writes them with their
definitions to a Markdown page (docs/tcb.md):

- the frame's share of the code: lines of code (cloc's "code" column) in
  frame/ over those in frame/ plus the services (kernel/, comps/, libs/).
  The hosted target (frame/hosted/) is a test vehicle, not part of the
  kernel's TCB, and unit tests (*_test.c) are not code that runs in a
  normal boot, so neither is counted; the demonstration kernel (demo/) is
  a separate program.  libs/ is counted with the services because it is
  unprivileged code the safe-C rules apply to, although the frame links it
  too: the page also gives the share with libs counted in the TCB.
- asm sites: instructions written in the frame's .S files (each source
  line that holds an instruction, not a label, directive or comment), plus
  asm statements in the frame's C code (each asm/__asm__ keyword outside
  comments and strings).  Services have none: the safe-C checker forbids
  them.
- exported frame functions: the frame/exports.txt symbols that the frame
  object defines as functions (nm type T), and how many of them are API
  declared in the frame headers.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boundary  # noqa: E402

ROOT = boundary.ROOT
CODE_EXT = (".c", ".h", ".S")


def files_under(*dirs, exclude=()):
    out = []
    for d in dirs:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, d)):
            rel = os.path.relpath(dirpath, ROOT)
            dirnames[:] = sorted(x for x in dirnames
                                 if not any(os.path.join(rel, x).startswith(e) for e in exclude))
            for f in sorted(filenames):
                if f.endswith(CODE_EXT) and not f.endswith("_test.c"):
                    out.append(os.path.join(rel, f))
    return out


def cloc(files):
    """{file: (language, code lines)} as counted by cloc."""
    if not files:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".list") as lst:
        lst.write("\n".join(files) + "\n")
        lst.flush()
        p = subprocess.run(["cloc", "--quiet", "--json", "--by-file", "--skip-uniqueness",
                            "--list-file=" + lst.name], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("tcb: cloc failed: " + p.stderr.strip())
    data = json.loads(p.stdout) if p.stdout.strip() else {}
    return {f: (v["language"], v["code"]) for f, v in data.items()
            if isinstance(v, dict) and "language" in v}


def strip_c(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def asm_instructions(path):
    """Instruction lines of a .S file."""
    n = 0
    with open(os.path.join(ROOT, path)) as f:
        text = strip_c(f.read())
    for line in text.split("\n"):
        line = re.sub(r"#.*$", "", line) if not line.lstrip().startswith("#") else ""
        for stmt in line.split(";"):
            stmt = stmt.strip()
            while True:  # labels before an instruction
                m = re.match(r"^[A-Za-z0-9_.$]+:\s*(.*)$", stmt)
                if not m:
                    break
                stmt = m.group(1)
            if stmt and not stmt.startswith(".") and re.match(r"^[a-z]", stmt):
                n += 1
    return n


def asm_statements(path):
    """asm statements of a C file or header (preprocessor lines aside)."""
    with open(os.path.join(ROOT, path)) as f:
        text = strip_c(f.read())
    text = re.sub(r"^\s*#\s*include[^\n]*", "", text, flags=re.M)
    return len(re.findall(r"\b(?:asm|__asm__|__asm)\b", text))


def exported_functions(frame_obj, exports):
    """(exported functions, of them declared in the frame headers)."""
    areas = boundary.frame_function_areas()
    api = [e for e in exports if e in areas]
    if frame_obj and os.path.exists(frame_obj):
        p = subprocess.run(["nm", "-P", "-g", "--defined-only", frame_obj],
                           capture_output=True, text=True)
        funcs = {ln.split()[0] for ln in p.stdout.splitlines()
                 if len(ln.split()) >= 2 and ln.split()[1] == "T"}
        return len(funcs & set(exports)), len(api)
    return len(api), len(api)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frame-obj", help="the linked frame object (build/frame.o)")
    ap.add_argument("--output", help="write the Markdown page here")
    a = ap.parse_args()

    frame = files_under("frame", exclude=("frame/hosted",))
    services = {d: files_under(d) for d in ("kernel", "comps", "libs")}
    counts = cloc(frame + [f for fs in services.values() for f in fs])

    def code(files):
        return sum(counts.get(f, ("", 0))[1] for f in files)

    frame_lines = code(frame)
    svc_lines = {d: code(fs) for d, fs in services.items()}
    total = frame_lines + sum(svc_lines.values())
    ratio = 100.0 * frame_lines / total if total else 0.0
    with_libs = 100.0 * (frame_lines + svc_lines["libs"]) / total if total else 0.0

    s_files = [f for f in frame if f.endswith(".S")]
    c_files = [f for f in frame if f.endswith((".c", ".h"))]
    insns = {f: asm_instructions(f) for f in s_files}
    stmts = {f: asm_statements(f) for f in c_files}
    asm_total = sum(insns.values()) + sum(stmts.values())

    exports = boundary.read_exports()
    nfuncs, napi = exported_functions(a.frame_obj, exports)

    lines = [
        "tcb: frame %d / (frame + services) %d lines of code = %.1f%%"
        % (frame_lines, total, ratio),
        "tcb: %d asm sites in the frame (%d instructions in .S files, %d asm statements in C)"
        % (asm_total, sum(insns.values()), sum(stmts.values())),
        "tcb: %d exported frame functions (%d of them API in the frame headers; %d exports)"
        % (nfuncs, napi, len(exports)),
    ]
    print("\n".join(lines))

    if a.output:
        by_dir = {}
        for f in frame:
            d = "/".join(f.split("/")[:3]) if f.startswith("frame/arch") else "/".join(f.split("/")[:2])
            by_dir.setdefault(d, []).append(f)
        rows = ["| %s | %d |" % (d, code(fs)) for d, fs in sorted(by_dir.items())]
        rows += ["| %s/ | %d |" % (d, n) for d, n in svc_lines.items()]
        page = """# Trusted computing base

Generated by `make tcb` (tools/tcb.py); the numbers change with the code.

| figure | value |
|---|---|
| frame / (frame + services), lines of code | %d / %d = **%.1f%%** |
| the same with libs/ counted in the TCB | %.1f%% |
| asm sites in the frame | **%d** (%d instructions in .S files, %d asm statements in C) |
| exported frame functions | **%d** of %d exports; %d of them are API declared in the frame headers |

## Lines of code by directory

Counted by cloc (Debian package `cloc`), "code" lines only: no blank or
comment lines.

| directory | code lines |
|---|---|
%s

## Definitions

- **Frame**: `frame/` without `frame/hosted/` (the hosted target is a test
  vehicle that runs the same services over Linux, not part of the kernel)
  and without unit tests (`*_test.c`). The linker script is not counted
  (cloc does not know its language).
- **Services**: `kernel/`, `comps/` and `libs/`, without unit tests. `libs/`
  is counted here because it is unprivileged code that obeys the safe-C
  rules, although the frame links it too; the second row counts it in the
  TCB instead. The demonstration kernel (`demo/`) is a separate program.
- **asm sites**: every source line of a frame `.S` file that holds an
  instruction (labels, directives, comments and preprocessor lines are not
  counted; a macro body counts once, as written), plus every `asm` /
  `__asm__` statement in the frame's C files and headers (outside comments
  and strings). The services have none: `tools/safec/check.py` rejects them.
- **Exported frame functions**: the symbols of `frame/exports.txt` that the
  linked frame object defines as functions (nm type `T`). Those declared in
  a frame header are the API services call (see `docs/frame-api.md`); the
  others are the boot entry point and the stack protector's failure
  handler. The remaining exports are data (the stack protector's guard).

## asm sites by file

| file | sites |
|---|---|
%s
""" % (frame_lines, total, ratio, with_libs, asm_total, sum(insns.values()),
            sum(stmts.values()), nfuncs, len(exports), napi, "\n".join(rows),
            "\n".join("| %s | %d |" % (f, n) for f, n in sorted({**insns, **stmts}.items()) if n))
        with open(a.output, "w") as f:
            f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
