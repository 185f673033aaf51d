#!/usr/bin/env python3
"""Component policy check on object files.

For one component (kernel/, demo/mini/, comps/<name>/, or "frame" and
"libs"), compares the undefined symbols of its objects (nm -P) with what
its manifest and components.policy allow:

- a frame export, in a frame area (frame/include/frame/AREA.h) that the
  component uses and is granted;
- a symbol of libs/, when it uses and is granted "libs";
- a symbol another component lists under "provides", when it uses and is
  granted that component;
- a compiler-generated reference whose owner components.policy declares
  ("runtime"), and that owner defines it in this build;
- for the frame only: its upcalls into the services ("upcall") and the
  symbols its linker script defines.

It also checks that every manifest "uses" is granted, that every
"provides" is defined, and that no component defines a frame export or a
libs symbol.  Objects are found under the build directory at the
component's own path (build/kernel/**/*.o for kernel/).

"exports" checks instead that the frame object's global symbols are
exactly those of frame/exports.txt.

Usage: check-components.py --build B [--policy P] [--manifest M]...
       [--frame frame.o] [--libs libs.a] NAME...
Prints one line per problem, "NAME: problem"; exit status 0 when none, 1
otherwise, 2 on a usage or input error.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boundary  # noqa: E402

UNDEFINED = {"U", "w", "v"}


def nm(paths):
    """(defined globals, undefined) of the objects or archives @paths."""
    defined, undefined = set(), set()
    if not paths:
        return defined, undefined
    p = subprocess.run(["nm", "-P", "-g"] + list(paths), capture_output=True, text=True)
    if p.returncode != 0:
        raise boundary.BoundaryError("nm failed: " + p.stderr.strip())
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) < 2 or len(f[1]) != 1 or line.endswith(":"):
            continue
        (undefined if f[1] in UNDEFINED else defined).add(f[0])
    return defined, undefined - defined


def linker_script_symbols(path):
    """Symbols a linker script assigns (NAME = ...; PROVIDE(NAME = ...))."""
    syms = set()
    try:
        with open(path) as f:
            text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    except OSError:
        return syms
    for m in re.finditer(r"(?:PROVIDE(?:_HIDDEN)?\s*\(\s*)?\b([A-Za-z_][A-Za-z0-9_]*)\s*=[^=]", text):
        syms.add(m.group(1))
    return syms


def objects_of(build, man):
    rel = os.path.relpath(man.dir, boundary.ROOT)
    return sorted(glob.glob(os.path.join(build, rel, "**", "*.o"), recursive=True))


class World:
    """Everything a reference may resolve to in this build."""

    def __init__(self, a):
        self.policy = boundary.parse_policy(a.policy)
        manifests = [boundary.parse_manifest(m) for m in a.manifest] if a.manifest \
            else boundary.find_components()
        self.manifests = {m.name: m for m in manifests}
        self.build = a.build
        self.frame_obj = a.frame or os.path.join(a.build, "frame.o")
        self.libs_obj = a.libs or os.path.join(a.build, "libs.a")
        self.ld_symbols = linker_script_symbols(a.ldscript)
        self.exports = set(boundary.read_exports(a.exports))
        self.areas = boundary.frame_function_areas()
        self.frame_defs, self.frame_undef = nm([self.frame_obj])
        self.libs_defs, self.libs_undef = nm([self.libs_obj])
        self.defs = {}
        self.undef = {}
        for name, m in self.manifests.items():
            objs = objects_of(self.build, m)
            self.defs[name], self.undef[name] = nm(objs)
            self.defs[name + ".objects"] = objs

    def runtime_ok(self, sym):
        """None if @sym is a compiler-generated reference with a present
        owner; a reason if its owner is missing; False if not runtime."""
        owner = self.policy.runtime_owner(sym)
        if owner is None:
            return False
        if owner == "frame":
            return None if sym in self.frame_defs else \
                "%s: its owner, the frame, does not define it" % sym
        if owner == "libs":
            return None if sym in self.libs_defs else \
                "%s: its owner, libs, does not define it" % sym
        if owner in self.manifests:
            return None if sym in self.defs.get(owner, ()) else \
                "%s: its owner, component %s, does not define it" % (sym, owner)
        return None  # provided outside this tree (the host toolchain)


def check_component(w, name):
    man = w.manifests[name]
    problems = []
    comps_dir = os.path.join(boundary.ROOT, "comps")
    if os.path.dirname(man.dir) == comps_dir and os.path.basename(man.dir) != name:
        problems.append("manifest name %s differs from its directory comps/%s"
                        % (name, os.path.basename(man.dir)))
    granted = w.policy.granted(name)
    if granted is None:
        return ["%s is not in %s: no grant at all" % (name, w.policy.path)]
    for u in man.uses:
        if u not in granted:
            problems.append("manifest uses %s, which %s does not grant" %
                            (u, os.path.relpath(w.policy.path, boundary.ROOT)))
        elif not (u.startswith("frame:") or u == "libs" or u in w.manifests):
            problems.append("manifest uses %s, which is no component" % u)
    uses = set(boundary.effective_uses(man, w.policy))
    objs = w.defs[name + ".objects"]
    if not objs:
        return problems + ["no objects under %s: not built" %
                           os.path.join(w.build, os.path.relpath(man.dir, boundary.ROOT))]
    defs, undef = w.defs[name], w.undef[name]
    for p in sorted(man.provides - defs):
        problems.append("provides %s but does not define it" % p)
    upcalls = {s for s, owners in w.policy.upcalls.items() if name in owners}
    for s in sorted(defs):
        if s in w.exports and s not in upcalls:
            problems.append("defines %s, a frame export" % s)
        elif s in w.libs_defs:
            problems.append("defines %s, a libs symbol" % s)
    owners_of = {}
    for other, m in w.manifests.items():
        if other != name:
            for s in w.defs[other]:
                owners_of.setdefault(s, []).append(other)
    for s in sorted(undef):
        why = reference_verdict(w, name, s, uses, owners_of)
        if why:
            problems.append(why)
    return problems


def reference_verdict(w, name, s, uses, owners_of):
    rt = w.runtime_ok(s)
    if rt is None:
        return None
    if rt:
        return "compiler-generated reference " + rt
    if s in w.frame_defs and s in w.exports:
        area = w.areas.get(s)
        if area is None:
            return "%s: a frame export that is not a frame API function" % s
        if not boundary.server_allows_frame_area(uses, area):
            return "%s: frame area '%s' is not in the uses granted to %s" % (s, area, name)
        return None
    if s in w.libs_defs:
        return None if "libs" in uses else "%s: libs is not in the uses granted to %s" % (s, name)
    for other in owners_of.get(s, []):
        if other not in uses:
            return "%s: defined by component %s, which is not in the uses granted to %s" % (
                s, other, name)
        if s not in w.manifests[other].provides:
            return "%s: internal to component %s (not in its provides)" % (s, other)
        return None
    return "%s: undefined, and no owner: not a frame export, libs, a component's API " \
        "or a declared compiler-generated reference" % s


def check_frame(w):
    problems = []
    granted = w.policy.granted("frame") or set()
    for s in sorted(w.frame_undef):
        if w.runtime_ok(s) is None:
            continue
        if s in w.libs_defs and "libs" in granted:
            continue
        if s in w.policy.upcalls or s in w.ld_symbols:
            continue
        problems.append("%s: the frame refers to it, but it is neither libs, "
                        "a declared upcall nor a runtime symbol" % s)
    return problems


def check_exports(w):
    """The frame object's only globals are frame/exports.txt's."""
    problems = []
    for s in sorted(w.frame_defs - w.exports):
        problems.append("%s: global in the frame object but not in frame/exports.txt" % s)
    for s in sorted(w.exports - w.frame_defs):
        problems.append("%s: listed in frame/exports.txt but not defined by the frame" % s)
    return problems


def check_libs(w):
    problems = []
    granted = w.policy.granted("libs") or set()
    for s in sorted(w.libs_undef):
        rt = w.runtime_ok(s)
        if rt is None:
            continue
        if s in w.frame_defs and s in w.exports and any(u.startswith("frame:") for u in granted):
            continue
        problems.append("%s: libs refer to it, but libs may use nothing outside libs"
                        " (except declared compiler-generated references)" % s)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--policy", default=os.path.join(boundary.ROOT, "components.policy"))
    ap.add_argument("--exports", default=os.path.join(boundary.ROOT, "frame", "exports.txt"))
    ap.add_argument("--manifest", action="append", default=[],
                    help="a manifest (default: kernel, demo/mini and comps/*)")
    ap.add_argument("--frame")
    ap.add_argument("--libs")
    ap.add_argument("--ldscript", default=os.path.join(boundary.ROOT, "frame", "arch",
                                                       "x86_64", "kernel.ld"))
    ap.add_argument("names", nargs="+", metavar="NAME",
                    help="a component's name, 'frame', 'libs' or 'exports'")
    a = ap.parse_args()
    status = 0
    try:
        w = World(a)
        for name in a.names:
            if name == "frame":
                problems = check_frame(w)
            elif name == "exports":
                problems = check_exports(w)
            elif name == "libs":
                problems = check_libs(w)
            elif name in w.manifests:
                problems = check_component(w, name)
            else:
                problems = ["unknown component"]
            for p in problems:
                print("%s: %s" % (name, p))
            if problems:
                status = 1
    except (boundary.BoundaryError, OSError) as e:
        print(str(e), file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
