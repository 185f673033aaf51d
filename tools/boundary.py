#!/usr/bin/env python3
"""The framekernel boundary as data, shared by the build's checkers.

- frame/exports.txt: the symbols the frame exports;
- frame/include/frame/*.h: the frame's public API, one header per area; each
  declaration with the comment that documents it (parse_frame_headers);
- components.policy: who may use whom, the owners of compiler-generated
  references, and the frame's calls into the services (parse_policy);
- the manifests of the components: kernel/manifest, demo/mini/manifest and
  comps/<name>/manifest (parse_manifest, find_components).

The formats are described in comps/README.md.
"""

import fnmatch
import glob
import os
import re

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
FRAME_INCLUDE = os.path.join(ROOT, "frame", "include", "frame")


class BoundaryError(Exception):
    """A malformed policy, manifest or exports file."""


def read_exports(path=None):
    """The symbols of frame/exports.txt, in file order."""
    path = path or os.path.join(ROOT, "frame", "exports.txt")
    names = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names


# ---- frame public headers ----------------------------------------------------

class Item:
    """One top-level declaration of a frame header."""

    def __init__(self, kind, name, text, line, comment, header):
        # function, inline, macro, type, typedef, variable; "handle" for
        # FR_HANDLE/FR_HANDLE_PAIR (names: every handle type declared) and
        # "denied" for a function declared FR_DENIED (<frame/rights.h>)
        self.kind = kind
        self.name = name
        self.text = text  # the declaration, comments removed, one line
        self.line = line
        self.comment = comment  # the documenting comment's text, or None
        self.header = header


class Header:
    def __init__(self, path):
        self.path = path
        self.area = os.path.basename(path)[:-2]
        self.intro = ""
        self.items = []


def _comment_text(lines):
    """The text of a /* */ comment without its markers and stars."""
    out = []
    for ln in lines:
        ln = ln.strip()
        ln = re.sub(r"^/\*+", "", ln)
        ln = re.sub(r"\*+/$", "", ln)
        ln = re.sub(r"^\*(?!/)", "", ln)
        out.append(ln.strip())
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _strip_comments(code):
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    return re.sub(r"//[^\n]*", " ", code)


def handle_types(item):
    """The handle types an FR_HANDLE/FR_HANDLE_PAIR item declares."""
    m = re.match(r"^FR_HANDLE(_PAIR)?\s*\((.*)\)\s*;?$", item.text)
    if not m:
        return []
    args = [a.strip() for a in m.group(2).split(",")]
    return args[:2] if m.group(1) else args[:1]


def _classify(code):
    """(kind, name) of one top-level declaration, comments removed."""
    flat = " ".join(code.split())
    m = re.match(r"^FR_HANDLE(?:_PAIR)?\s*\(\s*(\w+)", flat)
    if m:
        return "handle", m.group(1)
    if re.search(r"\bFR_DENIED\s*\(", flat):
        m = re.match(r"^[^(]*?(\w+)\s*\(", flat)
        return "denied", m.group(1) if m else None
    flat = re.sub(r"__attribute__\s*\(\(.*?\)\)", " ", flat)
    if flat.startswith("typedef"):
        m = re.search(r"\(\s*\*\s*(\w+)\s*\)", flat)
        if not m:
            m = re.search(r"(\w+)\s*(\[[^]]*\])?\s*;$", flat)
        return "typedef", m.group(1) if m else None
    head = flat.split("{", 1)[0]
    if re.match(r"(struct|union|enum)\s+\w*\s*$", head.strip()) or \
            re.match(r"(struct|union|enum)\s+\w+\s*;$", flat):
        m = re.match(r"(struct|union|enum)\s+(\w+)", flat)
        return "type", m.group(2) if m else None
    depth = 0
    for i, c in enumerate(head):
        if c == "(" and depth == 0:
            m = re.search(r"(\w+)\s*$", head[:i])
            if m:
                kind = "inline" if "{" in flat else "function"
                return kind, m.group(1)
            break
    m = re.search(r"(\w+)\s*(\[[^]]*\])?\s*(=.*)?;$", flat)
    return "variable", m.group(1) if m else None


def parse_frame_header(path):
    """The items of one frame header, each with its documenting comment.

    A comment documents the declarations that follow it up to the next
    blank line or comment, so that one comment may cover a group
    ("fr_page_get / fr_page_put - ...").  The header's first comment is the
    area's introduction.
    """
    hdr = Header(path)
    with open(path) as f:
        lines = f.read().split("\n")
    i, n = 0, len(lines)
    comment = None  # the comment in force for the current group
    first = True
    while i < n:
        ln = lines[i]
        s = ln.strip()
        if not s:
            comment = None
            i += 1
            continue
        if s.startswith("/*"):
            start = i
            while "*/" not in lines[i]:
                i += 1
            text = _comment_text(lines[start:i + 1])
            if first:
                hdr.intro = text
                first = False
            else:
                comment = text
            i += 1
            continue
        first = False
        if s.startswith("#"):
            start = i
            while lines[i].rstrip().endswith("\\") and i + 1 < n:
                i += 1
            m = re.match(r"#\s*define\s+(\w+)", s)
            if m and not m.group(1).startswith("FRAME_"):
                text = " ".join(" ".join(lines[start:i + 1]).replace("\\", " ").split())
                hdr.items.append(Item("macro", m.group(1), text, start + 1, comment, hdr))
            i += 1
            continue
        # a declaration: up to a ';' or a closing '}' at depth 0
        start = i
        buf = []
        depth = 0
        while i < n:
            code = _strip_comments(lines[i])
            buf.append(code)
            depth += code.count("{") - code.count("}")
            if depth == 0 and (code.rstrip().endswith(";") or
                               (code.rstrip().endswith("}") and "{" in "".join(buf))):
                break
            i += 1
        code = "\n".join(buf)
        kind, name = _classify(code)
        if name:
            text = " ".join(code.split())
            if kind == "inline":
                text = text.split("{", 1)[0].strip()
            hdr.items.append(Item(kind, name, text, start + 1, comment, hdr))
        i += 1
    return hdr


def parse_frame_headers(incdir=FRAME_INCLUDE):
    return [parse_frame_header(p) for p in sorted(glob.glob(os.path.join(incdir, "*.h")))]


def frame_function_areas(headers=None):
    """{function name: area} for every function declared in a frame header."""
    areas = {}
    for h in headers if headers is not None else parse_frame_headers():
        for it in h.items:
            if it.kind in ("function", "inline"):
                areas.setdefault(it.name, h.area)
    return areas


# ---- components.policy ------------------------------------------------------

class Policy:
    def __init__(self):
        self.grants = {}  # client -> set of servers ("frame:AREA", "libs", component)
        self.runtime = []  # (symbol pattern, owner)
        self.upcalls = {}  # symbol -> set of components that may provide it
        self.path = None

    def granted(self, client):
        return self.grants.get(client)

    def runtime_owner(self, sym):
        for pat, owner in self.runtime:
            if fnmatch.fnmatchcase(sym, pat):
                return owner
        return None


def parse_policy(path=None):
    path = path or os.path.join(ROOT, "components.policy")
    pol = Policy()
    pol.path = path
    with open(path) as f:
        for num, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            where = "%s:%d" % (path, num)
            if words[0] == "grant" and len(words) >= 2:
                pol.grants.setdefault(words[1], set()).update(words[2:])
            elif words[0] in ("runtime", "upcall") and "=" in words:
                eq = words.index("=")
                syms, owners = words[1:eq], words[eq + 1:]
                if not syms or not owners:
                    raise BoundaryError("%s: '%s' needs SYMBOL... = OWNER" % (where, words[0]))
                for s in syms:
                    if words[0] == "runtime":
                        pol.runtime.append((s, owners[0]))
                    else:
                        pol.upcalls.setdefault(s, set()).update(owners)
            else:
                raise BoundaryError("%s: unknown policy line: %s" % (where, line.strip()))
    return pol


# ---- manifests ---------------------------------------------------------------

class Manifest:
    def __init__(self, path):
        self.path = path
        self.dir = os.path.dirname(path)
        self.name = None
        self.provides = set()
        self.uses = []
        self.headers = None  # public header directory, relative to dir
        self.comments = []


MANIFEST_KEYS = ("name", "provides", "uses", "headers")


def parse_manifest(path):
    man = Manifest(path)
    with open(path) as f:
        for num, line in enumerate(f, 1):
            if line.lstrip().startswith("#"):
                man.comments.append(line.strip()[1:].strip())
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            key, vals = words[0], words[1:]
            if key not in MANIFEST_KEYS:
                raise BoundaryError("%s:%d: unknown manifest key '%s'" % (path, num, key))
            if key == "name":
                man.name = vals[0] if vals else None
            elif key == "provides":
                man.provides.update(vals)
            elif key == "uses":
                man.uses.extend(vals)
            elif key == "headers":
                man.headers = vals[0] if vals else None
    if not man.name:
        raise BoundaryError("%s: no 'name'" % path)
    return man


def find_components(root=ROOT):
    """Manifests of the kernel, the demonstration kernel and comps/*."""
    paths = [os.path.join(root, "kernel", "manifest"),
             os.path.join(root, "demo", "mini", "manifest")]
    paths += sorted(glob.glob(os.path.join(root, "comps", "*", "manifest")))
    return [parse_manifest(p) for p in paths if os.path.exists(p)]


def server_allows_frame_area(servers, area):
    return "frame:*" in servers or ("frame:" + area) in servers


def effective_uses(man, policy):
    """What a component may use: its manifest's uses that the policy grants."""
    granted = policy.granted(man.name) or set()
    return [u for u in man.uses if u in granted]


if __name__ == "__main__":
    import sys
    # tools/boundary.py cflags NAME: the include flags of component NAME
    if len(sys.argv) == 3 and sys.argv[1] == "cflags":
        mans = {m.name: m for m in find_components()}
        man = mans[sys.argv[2]]
        flags = ["-I", os.path.relpath(man.dir, ROOT)]
        if man.headers:
            flags += ["-I", os.path.relpath(os.path.join(man.dir, man.headers), ROOT)]
        for u in effective_uses(man, parse_policy()):
            dep = mans.get(u)
            if dep and dep.headers:
                flags += ["-I", os.path.relpath(os.path.join(dep.dir, dep.headers), ROOT)]
        print(" ".join(flags))
    else:
        sys.exit("usage: boundary.py cflags COMPONENT")
