#!/usr/bin/env python3
"""Safe-C checker: the rules the services (kernel/, comps/, libs/, demo/mini/)
obey so that only the frame does unsafe things.

It reads the compiler's view of each file -- the JSON AST and include tree
of clang-14, run with the build's own flags -- and reports, one line each,
"file:line: RULE: message" for:

  asm                inline asm, file-scope asm, asm labels
  volatile           a volatile-qualified declaration, cast or type name
  int-to-pointer     a conversion from an integer to a pointer
  pointer-cast       a cast between unrelated object-pointer types, a
                     void * converted (implicitly or not) to a typed pointer,
                     a byte view of a capability, a function-pointer cast
  capability-union   a union that holds a capability type
  capability-member  a capability's private member read or written, or a
                     capability built from an initializer list
  private-include    a frame-private header (frame/core, frame/arch, ...)
                     or another component's private header, directly or
                     through another header, or any header outside the
                     component's include roots
  foreign-call       a call to (or use of) a function or global that is
                     neither the component's own, the frame's public API
                     in an area the component may use, libs/, nor the
                     public API of a component it may use

Code spelled in a frame public header (frame/include/frame/*.h: a frame
macro or inline function) is trusted by the first six rules; the same
construct written in a service is not.  Capability types are the structs
marked FR_CAPABILITY (an annotate attribute that only the checker's
compiler sees), in the frame headers or through <frame/rights.h>'s
FR_HANDLE in a service header: a service-declared one is owned by the
file that declares it and the file of the same name (cred.h and cred.c),
the only service code that may touch its member.  The arms of a _Generic
that it does not select are not evaluated and not checked.  A
component's grants come from its manifest and components.policy (see
comps/README.md).

Usage: check.py --cflags "FLAGS" --own DIR... (--component NAME | --uses
"frame:* libs") [--each] FILE.c...   Exit status 0 when clean, 1 on
findings, 2 when a file could not be analysed.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import boundary  # noqa: E402

ROOT = boundary.ROOT
FRAME_DIR = os.path.join(ROOT, "frame")
FRAME_PUBLIC = boundary.FRAME_INCLUDE
LIBS_PUBLIC = os.path.join(ROOT, "libs", "include")
COMPS_DIR = os.path.join(ROOT, "comps")
CLANG = os.environ.get("SAFEC_CLANG", "clang-14")

# Compiler builtins a service may call: they compute, they do not reach
# memory or the machine behind the frame's back.
SAFE_BUILTINS = {
    "__builtin_expect", "__builtin_unreachable", "__builtin_constant_p",
    "__builtin_trap", "__builtin_va_start", "__builtin_va_end",
    "__builtin_va_copy", "__builtin_object_size",
    "__builtin_add_overflow", "__builtin_sub_overflow",
    "__builtin_mul_overflow",
    "__builtin_clz", "__builtin_clzl", "__builtin_clzll",
    "__builtin_ctz", "__builtin_ctzl", "__builtin_ctzll",
    "__builtin_popcount", "__builtin_popcountl", "__builtin_popcountll",
    "__builtin_ffs", "__builtin_ffsl", "__builtin_ffsll",
    "__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64",
}

# Build flags that only matter to code generation and that clang-14 does
# not accept (or accepts only under another name).
DROP_FLAGS = re.compile(r"^(-ftrivial-auto-var-init=.*|-Werror.*|-MMD|-MP|-MD|-g.*|-c)$")

CHAR_TYPES = {"char", "signed char", "unsigned char"}
QUALIFIERS = {"const", "volatile", "restrict", "__restrict", "__restrict__"}
DECL_KINDS = {"VarDecl", "FieldDecl", "ParmVarDecl", "TypedefDecl", "FunctionDecl"}


def clang_args(cflags):
    """The build's flags, minus code-generation-only ones, for clang."""
    out = []
    words = shlex.split(cflags)
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("-MF", "-MT", "-MQ", "-o"):
            i += 2
            continue
        if not DROP_FLAGS.match(w):
            out.append(w)
        i += 1
    return out


def include_dirs(args):
    dirs = []
    for i, w in enumerate(args):
        if w in ("-I", "-isystem", "-idirafter", "-iquote") and i + 1 < len(args):
            dirs.append(args[i + 1])
        elif re.match(r"^-(I|isystem)\S", w):
            dirs.append(w[2:] if w.startswith("-I") else w[len("-isystem"):])
    return dirs


def system_roots(args):
    """Directories of headers that are neither the frame's nor a service's:
    the compiler's own headers and the Linux UAPI headers, reached through
    the build's symlinks (build/uapi/linux -> /usr/include/linux)."""
    roots = set()
    for d in include_dirs(args):
        real = os.path.realpath(d)
        if not under(real, ROOT):
            roots.add(real)
        if os.path.isdir(real):
            for e in os.listdir(real):
                path = os.path.join(real, e)
                if os.path.islink(path):
                    r = os.path.realpath(path)
                    if not under(r, ROOT):
                        roots.add(r)
    return sorted(roots)


def under(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")


# ---- one translation unit ----------------------------------------------------

class Ctx:
    """What every worker needs to know, picklable."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def null_constant(expr):
    """Whether @expr is a null pointer constant such as NULL, ((void *)0)."""
    for _ in range(16):
        k = expr.get("kind")
        if k in ("ParenExpr", "ImplicitCastExpr", "CStyleCastExpr") and expr.get("inner"):
            if expr.get("castKind") == "NullToPointer":
                return True
            if k != "ParenExpr" and expr.get("castKind") not in ("NoOp", "BitCast"):
                return False
            expr = expr["inner"][0]
        elif k == "IntegerLiteral":
            return expr.get("value") == "0"
        else:
            return False
    return False


class Record:
    def __init__(self, rid, name, tag, where, checked, owner):
        self.id = rid
        self.name = name
        self.tag = tag
        self.where = where
        self.checked = checked
        # a capability declared by a service (a header and its .c file of
        # the same name, e.g. kernel/security/cred.{h,c}): the path
        # without extension of the file it was declared in; None when the
        # frame declared it
        self.owner = owner
        self.fields = []  # (name, type string)
        self.nested = []  # ids of records defined inside
        self.capability = False


class TU:
    """One translation unit: a walk over its AST that collects findings and
    the facts the component-wide rules need."""

    def __init__(self, path, ctx):
        self.path = path
        self.ctx = ctx
        self.last_file = None
        self.last_line = None
        self.classes = {}
        self.texts = {}
        self.findings = []
        self.typedefs = {}  # name -> (underlying type string, record id or None)
        self.records = {}
        self.field_record = {}
        self.decls = {}  # name -> [(real file, defined, implicit)]
        self.defs = set()  # (name, real file) of definitions
        self.global_vars = set()  # ids of file-scope and extern variables
        self.uses = []  # (name, where)
        self.members = []  # (field id, field name, where)
        self.inits = []  # (type, where)
        self.casts = []  # (source type, destination type, where, implicit)

    # -- locations.  The dump omits "file" and "line" when they did not
    # change since the previous location it wrote, so every location is
    # read, in dump order, and the last ones are carried forward.
    def _bare(self, d):
        if not d or "offset" not in d:
            return None
        if "file" in d:
            self.last_file = d["file"]
        if "line" in d:
            self.last_line = d["line"]
        return (self.last_file, self.last_line, d["offset"], d.get("tokLen", 0))

    def _loc(self, d):
        """(spelling, expansion) of a location, each (file, line, offset,
        token length), or None."""
        if not d:
            return None
        if "spellingLoc" in d or "expansionLoc" in d:
            s = self._bare(d.get("spellingLoc"))
            e = self._bare(d.get("expansionLoc"))
            s, e = s or e, e or s
            return (s, e) if s else None
        b = self._bare(d)
        return (b, b) if b else None

    def classify(self, f):
        """own, frame-public, frame, system or other (another service's)."""
        c = self.classes.get(f)
        if c is None:
            if f is None or f.startswith("<"):
                c = "other"
            else:
                r = os.path.realpath(f)
                if any(under(r, d) for d in self.ctx.own):
                    c = "own"
                elif under(r, FRAME_PUBLIC):
                    c = "frame-public"
                elif under(r, FRAME_DIR):
                    c = "frame"
                elif any(under(r, d) for d in self.ctx.system_roots):
                    c = "system"
                else:
                    c = "other"
            self.classes[f] = c
        return c

    def in_service(self, where):
        """Expanded in service code (the component's or another's)."""
        return bool(where) and self.classify(where[1][0]) in ("own", "other")

    def untrusted(self, where):
        """Written by a service: expanded in service code and not spelled in
        a frame public header (a frame macro or inline function)."""
        return self.in_service(where) and self.classify(where[0][0]) != "frame-public"

    def owner_of(self, where):
        """The owner of a record declared at @where: the declaring service
        file without its extension, or None for the frame (and others)."""
        if not where or not self.in_service(where) or not where[1][0]:
            return None
        return os.path.splitext(os.path.realpath(where[1][0]))[0]

    def by_owner(self, rid, where):
        """Whether the construct at @where is spelled in the owner of the
        service-declared capability @rid (its header or its .c file)."""
        r = self.records.get(rid)
        f = where[0][0] if where else None
        return bool(r and r.owner and f and
                    os.path.splitext(os.path.realpath(f))[0] == r.owner)

    def owner_label(self, rid):
        r = self.records.get(rid)
        if r and r.owner:
            return "its owner (%s.h and .c)" % rel(r.owner)
        return "the frame"

    def find(self, rule, where, msg):
        self.findings.append((rule, where, msg))

    def text(self, f):
        t = self.texts.get(f)
        if t is None:
            try:
                with open(os.path.join(ROOT, f), "rb") as fh:
                    t = fh.read().decode("utf-8", "replace")
            except OSError:
                t = ""
            self.texts[f] = t
        return t

    # -- the walk
    def run(self, ast):
        self.walk(ast, None, True)
        self.post()

    def walk(self, node, parent, live):
        """Visit @node and its children.  The arms of a _Generic that it
        does not select are never evaluated (a rights dispatch names the
        FR_DENIED function there): they are walked only for their
        locations, which later nodes may carry forward, and not visited."""
        kind = node.get("kind", "")
        loc = self._loc(node["loc"]) if "loc" in node else None
        rng = node.get("range")
        begin = self._loc(rng.get("begin")) if rng else None
        end = self._loc(rng.get("end")) if rng else None
        where = loc if loc and kind.endswith("Decl") else (begin or loc)
        if live:
            self.visit(node, kind, where, parent, begin, end)
        for key, val in node.items():
            if key in ("loc", "range"):
                continue
            children = val if isinstance(val, list) else [val] if isinstance(val, dict) else []
            for child in children:
                if not isinstance(child, dict):
                    continue
                if "associationKind" in child:  # one arm of a _Generic
                    arm_live = live and bool(child.get("selected"))
                    for sub in child.get("inner", []):
                        if isinstance(sub, dict) and "kind" in sub:
                            self.walk(sub, node, arm_live)
                elif "kind" in child and \
                        ("range" in child or "inner" in child or "loc" in child):
                    self.walk(child, node, live)

    def visit(self, node, kind, where, parent, begin, end):
        typ = node.get("type") if isinstance(node.get("type"), dict) else {}
        qual = typ.get("qualType", "")
        pkind = parent.get("kind") if parent else None

        if kind in ("GCCAsmStmt", "MSAsmStmt") and self.untrusted(where):
            self.find("asm", where, "inline asm statement")
        elif kind == "FileScopeAsmDecl" and self.untrusted(where):
            self.find("asm", where, "file-scope asm")
        elif kind == "AsmLabelAttr" and self.untrusted(where):
            self.find("asm", where, "asm label (renames a symbol)")
        elif kind == "AnnotateAttr" and pkind == "RecordDecl" and begin and end:
            # the dump does not carry the annotation's string: read it
            (f, _, off, _), (ef, _, eoff, elen) = begin[0], end[0]
            if f == ef and "fr_capability" in self.text(f)[off:eoff + elen + 1]:
                self.records[parent["id"]].capability = True

        if kind in DECL_KINDS and self.untrusted(where):
            t = qual.split("(")[0] if kind == "FunctionDecl" else qual
            if re.search(r"\bvolatile\b", t):
                self.find("volatile", where, "'%s' declared with volatile type '%s'"
                          % (node.get("name", ""), qual))
        if kind in ("CStyleCastExpr", "CompoundLiteralExpr") and \
                re.search(r"\bvolatile\b", qual) and self.untrusted(where):
            self.find("volatile", where, "volatile type '%s' in an expression" % qual)
        if kind == "UnaryExprOrTypeTraitExpr" and self.untrusted(where) and \
                re.search(r"\bvolatile\b", node.get("argType", {}).get("qualType", "")):
            self.find("volatile", where, "volatile type in sizeof/alignof")

        if kind in ("ImplicitCastExpr", "CStyleCastExpr"):
            ck = node.get("castKind")
            src = node["inner"][0].get("type", {}) if node.get("inner") else {}
            if ck == "IntegralToPointer" and self.untrusted(where):
                self.find("int-to-pointer", where, "integer '%s' converted to pointer '%s'"
                          % (src.get("qualType", "?"), qual))
            elif ck in ("BitCast", "LValueBitCast") and self.untrusted(where) and \
                    not null_constant(node["inner"][0]):
                self.casts.append((src, typ, where, kind == "ImplicitCastExpr"))
        elif kind == "DeclRefExpr":
            ref = node.get("referencedDecl", {})
            rk = ref.get("kind")
            if (rk == "FunctionDecl" or (rk == "VarDecl" and ref.get("id") in self.global_vars)) \
                    and self.in_service(where):
                self.uses.append((ref.get("name", ""), where))
        elif kind == "MemberExpr":
            self.members.append((node.get("referencedMemberDecl"), node.get("name", ""), where))
        elif kind == "InitListExpr":
            if node.get("inner") and self.untrusted(where):
                self.inits.append((typ, where))
        elif kind == "FieldDecl" and pkind == "RecordDecl":
            self.records[parent["id"]].fields.append((node.get("name", ""), qual))
            self.field_record[node["id"]] = parent["id"]
        elif kind == "RecordDecl":
            self.records[node["id"]] = Record(node["id"], node.get("name", ""),
                                              node.get("tagUsed", "struct"), where,
                                              self.untrusted(where), self.owner_of(where))
            if pkind == "RecordDecl":
                self.records[parent["id"]].nested.append(node["id"])
        elif kind == "TypedefDecl":
            rid = None
            stack = list(node.get("inner", []))
            while stack:
                t = stack.pop(0)
                if t.get("kind") == "RecordType":
                    rid = t.get("decl", {}).get("id")
                    break
                if t.get("kind") in ("ElaboratedType", "ParenType"):
                    stack.extend(t.get("inner", []))
            self.typedefs[node.get("name")] = (qual, rid)

        if kind == "FunctionDecl" or (kind == "VarDecl" and
                                      (pkind == "TranslationUnitDecl" or
                                       node.get("storageClass") == "extern")):
            name = node.get("name", "")
            file = os.path.realpath(where[1][0]) if where and where[1][0] else None
            if kind == "VarDecl":
                self.global_vars.add(node["id"])
                defined = node.get("storageClass") != "extern"
            else:
                defined = any(c.get("kind") == "CompoundStmt" for c in node.get("inner", []))
            self.decls.setdefault(name, []).append((file, defined, bool(node.get("isImplicit"))))
            if defined and file:
                self.defs.add((name, file))

    # -- after the walk, when every type is known
    def strip(self, t):
        return " ".join(w for w in t.split() if w not in QUALIFIERS)

    def resolve(self, t):
        """A type without qualifiers and typedefs; records as "record#ID"."""
        t = self.strip(t)
        for _ in range(32):
            if t not in self.typedefs:
                break
            ut, rid = self.typedefs[t]
            if rid is not None:
                return "record#" + rid
            t = self.strip(ut)
        m = re.match(r"^(struct|union) (\w+)$", t)
        if m:
            for r in self.records.values():
                if r.name == m.group(2) and r.tag == m.group(1):
                    return "record#" + r.id
        return t

    def names_of(self, rids):
        """Every spelling of the records @rids: "struct x" and typedef names."""
        names = {}
        for rid in rids:
            r = self.records[rid]
            if r.name:
                names["%s %s" % (r.tag, r.name)] = rid
        for _ in range(32):
            added = False
            for tname, (ut, rid) in self.typedefs.items():
                if tname in names:
                    continue
                if rid in rids:
                    names[tname] = rid
                    added = True
                elif self.strip(ut) in names:
                    names[tname] = names[self.strip(ut)]
                    added = True
            if not added:
                break
        return names

    @staticmethod
    def mentions(t, names):
        for w in re.findall(r"(?:struct|union)\s+\w+|\w+", t):
            w = " ".join(w.split())
            if w in names:
                return w
        return None

    def post(self):
        caps = {rid for rid, r in self.records.items() if r.capability}
        cap_names = self.names_of(caps)

        # records that hold a capability, directly or nested
        holders = set(caps)
        for _ in range(64):
            names = self.names_of(holders)
            more = {r.id for r in self.records.values() if r.id not in holders and
                    (any(self.mentions(ft, names) for _, ft in r.fields) or
                     any(n in holders for n in r.nested))}
            if not more:
                break
            holders |= more
        holder_names = self.names_of(holders)

        def union_hit(r, depth=0):
            for fname, ft in r.fields:
                m = self.mentions(ft, holder_names)
                if m:
                    return fname, m
            for nid in r.nested:
                if nid in self.records and depth < 16:
                    hit = union_hit(self.records[nid], depth + 1)
                    if hit:
                        return hit
            return None

        for r in self.records.values():
            if r.tag == "union" and r.checked:
                hit = union_hit(r)
                if hit:
                    self.find("capability-union", r.where,
                              "union %s holds capability type %s (member '%s')"
                              % (r.name or "(anonymous)", hit[1], hit[0]))

        for fid, fname, where in self.members:
            rid = self.field_record.get(fid)
            if rid in caps and self.untrusted(where) and not self.by_owner(rid, where):
                self.find("capability-member", where,
                          "private member '%s' of capability type %s used outside %s"
                          % (fname, self.label(rid, cap_names), self.owner_label(rid)))

        for typ, where in self.inits:
            for t in (typ.get("qualType", ""), typ.get("desugaredQualType", "")):
                r = self.resolve(t)
                if r.startswith("record#") and r[7:] in caps and \
                        not self.by_owner(r[7:], where):
                    self.find("capability-member", where,
                              "capability type %s built from its members outside %s"
                              % (self.label(r[7:], cap_names), self.owner_label(r[7:])))
                    break

        for src, dst, where, implicit in self.casts:
            msg = self.pointer_cast(src, dst, implicit, caps)
            if msg:
                self.find("pointer-cast", where, msg)

    @staticmethod
    def label(rid, names):
        best = [n for n, r in names.items() if r == rid]
        plain = [n for n in best if not n.startswith(("struct ", "union "))]
        return (plain or best or ["(capability)"])[0]

    def pointee(self, t):
        """(pointee, is a function) of a pointer type string, or (None, _)."""
        t = re.sub(r"__attribute__\(\(.*?\)\)", "", t).strip()
        words = t.split()
        while words and words[-1] in QUALIFIERS:
            words.pop()
        t = " ".join(words)
        if t.endswith("*"):
            return t[:-1].strip(), False
        m = re.match(r"^(.*)\(\*\)\s*(\(.*\))$", t)
        if m:
            return m.group(1).strip() + " " + m.group(2), True
        m = re.match(r"^(.*)\(\*\)\s*(\[.*\])$", t)
        if m:
            return m.group(1).strip() + " " + m.group(2), False
        return None, False

    def pointer_cast(self, src, dst, implicit, caps):
        st = src.get("desugaredQualType", src.get("qualType", ""))
        dt = dst.get("desugaredQualType", dst.get("qualType", ""))
        ps, fs = self.pointee(st)
        pd, fd = self.pointee(dt)
        if ps is None or pd is None:
            return None
        rs, rd = self.resolve(ps), self.resolve(pd)
        how = "implicit conversion" if implicit else "cast"
        shown_s = src.get("qualType", st)
        shown_d = dst.get("qualType", dt)
        if fs or fd:
            if rs != rd:
                return "%s between function-pointer types '%s' and '%s'" % (how, shown_s, shown_d)
            return None
        if rs == rd or rd == "void":
            return None
        if rs == "void":
            if rd in CHAR_TYPES:
                return None  # a byte view of untyped memory (memcpy and friends)
            return ("%s of '%s' to '%s': use a typed frame helper (FR_NEW, FR_TASK_DATA, FR_TASK_CREATE, ...)"
                    % (how, shown_s, shown_d))
        if rd in CHAR_TYPES:
            if rs.startswith("record#") and rs[7:] in caps:
                return "%s of capability pointer '%s' to a byte view '%s'" % (how, shown_s, shown_d)
            return None
        return "%s between unrelated pointer types '%s' and '%s'" % (how, shown_s, shown_d)


def parse_includes(stderr):
    """The -H include tree: [(depth, printed path)]."""
    out = []
    for line in stderr.splitlines():
        m = re.match(r"^(\.+) (.+)$", line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


def analyse(path, ctx):
    """Findings and symbol facts of one file, or an error string."""
    args = list(ctx.args)
    for _ in range(16):
        cmd = [CLANG] + args + ["-fsyntax-only", "-w", "-H", "-Xclang", "-ast-dump=json", path]
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True)
        stderr = p.stderr.decode("utf-8", "replace")
        # a code-generation flag only gcc knows: drop it and try again
        bad = re.findall(r"error: (?:unknown argument|unsupported option)[:]? '([^']+)'",
                         stderr)
        bad += re.findall(r"error: unsupported argument '[^']*' to option '([^']+)'", stderr)
        def dropped(x):
            return not x.startswith(("-I", "-D", "-U", "-std")) and \
                any(x == b or (b.endswith("=") and x.startswith(b)) for b in bad)
        if p.returncode == 0 or not any(dropped(x) for x in args):
            break
        args = [x for x in args if not dropped(x)]
    if p.returncode != 0:
        # a forbidden header that does not even compile outside the frame
        # is still reported as what it is
        inc = include_findings(path, parse_includes(stderr), ctx)
        if inc:
            return {"findings": inc, "uses": [], "defs": []}
        errs = [ln for ln in stderr.splitlines() if not re.match(r"^\.+ ", ln)]
        return {"error": "%s: clang failed:\n%s" % (path, "\n".join(errs[:20]))}
    tu = TU(path, ctx)
    tu.run(json.loads(p.stdout))
    out = [finding(rule, where, msg) for rule, where, msg in tu.findings]
    out.extend(include_findings(path, parse_includes(stderr), ctx))
    uses = [(name, use_location(where), tu.decls.get(name, [])) for name, where in tu.uses]
    return {"findings": out, "uses": uses, "defs": sorted(tu.defs)}


def rel(f):
    if f is None:
        return "?"
    r = os.path.realpath(os.path.join(ROOT, f)) if not f.startswith("<") else f
    return os.path.relpath(r, ROOT) if under(r, ROOT) else f


def finding(rule, where, msg):
    """A finding at the place the construct is written (its spelling)."""
    (sf, sl, _, _), (ef, el, _, _) = where
    if (rel(sf), sl) != (rel(ef), el):
        msg += " (in a macro expanded at %s:%s)" % (rel(ef), el)
    return ("%s:%s" % (rel(sf), sl), rule, msg)


def use_location(where):
    """A use is reported where the service wrote it (its expansion)."""
    (sf, sl, _, _), (ef, el, _, _) = where
    return "%s:%s" % (rel(ef), el)


def include_line(includer, target_real, args):
    """The line of @includer that includes @target_real (1 if not found)."""
    try:
        with open(os.path.join(ROOT, includer)) as f:
            lines = f.read().split("\n")
    except OSError:
        return 1
    dirs = [os.path.dirname(os.path.join(ROOT, includer))] + \
        [os.path.join(ROOT, d) for d in include_dirs(args)]
    for num, ln in enumerate(lines, 1):
        m = re.match(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', ln)
        if m:
            for d in dirs:
                if os.path.realpath(os.path.join(d, m.group(1))) == target_real:
                    return num
    return 1


def include_findings(path, tree, ctx):
    """private-include: headers outside what the component may include."""
    out = []
    stack = [path]
    skip_below = None
    for depth, printed in tree:
        del stack[depth:]
        stack.append(printed)
        if skip_below is not None:
            if depth > skip_below:
                continue
            skip_below = None
        real = os.path.realpath(os.path.join(ROOT, printed))
        why = include_verdict(real, ctx)
        if not why:
            continue
        includer = stack[-2]
        line = include_line(includer, real, ctx.args)
        msg = "%s: %s" % (rel(real), why)
        if len(stack) > 2:
            msg += " (reached through %s)" % " -> ".join(rel(s) for s in stack[1:-1])
        out.append(("%s:%d" % (rel(includer), line), "private-include", msg))
        skip_below = depth
    return out


def include_verdict(real, ctx):
    if any(under(real, r) for r in ctx.system_roots):
        return None
    if any(under(real, r) for r in ctx.own):
        return None
    if under(real, FRAME_PUBLIC):
        return None if ctx.frame_granted else "frame header, but the component may not use the frame"
    if under(real, FRAME_DIR):
        return "frame-private header"
    if under(real, LIBS_PUBLIC):
        return None if "libs" in ctx.uses else "libs header, but the component may not use libs"
    if under(real, COMPS_DIR):
        comp = os.path.relpath(real, COMPS_DIR).split("/")[0]
        man = ctx.comps.get(comp)
        if man is None:
            return "header of comps/%s, which has no manifest" % comp
        if comp not in ctx.uses:
            return "header of component %s, which this component may not use" % comp
        if not man["headers"] or not under(real, man["headers"]):
            return "private header of component %s (not in its public headers)" % comp
        return None
    return "outside the component's include roots"


# ---- the component as a whole --------------------------------------------------

def use_verdict(name, decls, ctx, own_defs):
    """None when a use of @name is allowed, else why not."""
    if name in own_defs:
        return None
    real = [d for d in decls if not d[2]]
    if not real:
        if name in SAFE_BUILTINS:
            return None
        if name.startswith("__builtin_") or name.startswith("__atomic_") or \
                name.startswith("__sync_"):
            return "compiler builtin %s is not allowed in services" % name
        return "%s is declared nowhere the component may use" % name
    frame_decl = [d for d in real if d[0] and under(d[0], FRAME_PUBLIC)]
    if frame_decl:
        area = os.path.basename(frame_decl[0][0])[:-2]
        inline = any(d[1] for d in frame_decl)
        if not inline and name not in ctx.exports:
            return "%s is declared in frame/%s.h but not exported by the frame" % (name, area)
        if not boundary.server_allows_frame_area(ctx.uses, area) and \
                not (area == "types" and ctx.frame_granted):
            return "%s is frame API of area '%s', not granted to this component" % (name, area)
        return None
    if any(d[0] and under(d[0], LIBS_PUBLIC) for d in real):
        return None if "libs" in ctx.uses else "%s is in libs/, not granted to this component" % name
    for d in real:
        if d[0] and under(d[0], COMPS_DIR):
            comp = os.path.relpath(d[0], COMPS_DIR).split("/")[0]
            man = ctx.comps.get(comp)
            if man is None or comp not in ctx.uses:
                return "%s belongs to component %s, which this component may not use" % (name, comp)
            if name not in man["provides"]:
                return "%s is not in the public API (provides) of component %s" % (name, comp)
            return None
    return ("%s is neither the component's own, the frame's public API, libs/ "
            "nor an allowed component's" % name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cflags", required=True, help="the build's compiler flags")
    ap.add_argument("--own", action="append", default=[],
                    help="a directory of the component's own sources and headers")
    ap.add_argument("--component", help="the component's name in components.policy")
    ap.add_argument("--uses", help="what the component may use, instead of --component")
    ap.add_argument("--policy", default=os.path.join(ROOT, "components.policy"))
    ap.add_argument("--exports", default=os.path.join(ROOT, "frame", "exports.txt"))
    ap.add_argument("--each", action="store_true",
                    help="check every file as a component of its own, each "
                    "report after a line '== FILE'")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    policy = boundary.parse_policy(a.policy)
    manifests = {}
    for m in boundary.find_components():
        manifests[m.name] = m
    if a.uses is not None:
        uses = set(a.uses.split())
    elif a.component in manifests:
        uses = set(boundary.effective_uses(manifests[a.component], policy))
    elif a.component and policy.granted(a.component) is not None:
        uses = set(policy.granted(a.component))
    else:
        sys.exit("check.py: unknown component %s (no manifest, no grant)" % a.component)
    comps = {}
    for name, m in manifests.items():
        if os.path.dirname(m.dir) == COMPS_DIR:
            comps[os.path.basename(m.dir)] = {
                "headers": os.path.join(m.dir, m.headers) if m.headers else None,
                "provides": m.provides}
    args = clang_args(a.cflags)
    ctx = Ctx(args=args, system_roots=system_roots(args),
              own=[os.path.realpath(d) for d in a.own], uses=uses,
              frame_granted=any(u.startswith("frame:") for u in uses),
              exports=set(boundary.read_exports(a.exports)), comps=comps)

    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        results = list(pool.map(analyse, a.files, [ctx] * len(a.files)))

    if not a.each:
        return report(results, ctx)
    # --each: every file is a component of its own (the checker's fixtures)
    status = 0
    for path, r in zip(a.files, results):
        print("== %s" % path)
        sys.stdout.flush()
        status = max(status, report([r], ctx))
    return status


def report(results, ctx):
    """Print the findings of one component's files; its exit status."""
    errors = [r["error"] for r in results if "error" in r]
    own_defs = set()
    for r in results:
        for name, f in r.get("defs", []):
            if any(under(f, d) for d in ctx.own):
                own_defs.add(name)
    lines = set()
    for r in results:
        for loc, rule, msg in r.get("findings", []):
            lines.add((loc, rule, msg))
        for name, loc, decls in r.get("uses", []):
            why = use_verdict(name, decls, ctx, own_defs)
            if why:
                lines.add((loc, "foreign-call", why))

    def key(x):
        f, _, ln = x[0].rpartition(":")
        return (f, int(ln) if ln.isdigit() else 0, x[1], x[2])

    for loc, rule, msg in sorted(lines, key=key):
        print("%s: %s: %s" % (loc, rule, msg))
    for e in errors:
        print(e)
    sys.stdout.flush()
    if errors:
        return 2
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
