#!/usr/bin/env python3
"""Generates docs/frame-api.md, the contract of every exported frame
function, from the comments in frame/include/frame/*.h, and checks them.

Every symbol of frame/exports.txt must be a function declared in a frame
header with a comment (the comment right above it, or above the group of
declarations it belongs to, without a blank line between), unless it is
the image's entry point (the linker script's ENTRY) or a compiler-generated
reference owned by the frame in components.policy.  Every function a frame
header declares must be exported, unless it is an upcall (provided by the
services) or an inline function.  A function declared FR_DENIED (what a
rights dispatch selects for a handle that lacks the right, <frame/rights.h>)
must be named fr_denied_* and is neither exported nor documented.  From
each comment the page takes the context the function may be called in
("Context: ..."), what it returns ("Returns ...") and the errors it names
(-Exxx); the rights come from the declaration: the objects it reads
(const) or changes, the capability handles it takes (their type is the
right set, checked at compile time), and user addresses.

Usage: gen-frame-api.py [-o FILE] [--check FILE]
  -o FILE      write the page (default: standard output)
  --check FILE fail when FILE is not what would be generated
Exit status 1 when an export is undocumented or the page is stale.
"""

import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boundary  # noqa: E402

ROOT = boundary.ROOT


def flat(text):
    return " ".join(text.split())


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z@(\"-])", flat(text)) if s]


def contract(item, handles):
    """The fields of one function's contract, from its comment."""
    text = item.comment or ""
    body = text
    summary = ""
    m = re.match(r"^([\w\s/,]*?)\s+-\s+(.*)$", flat(text))
    if m and item.name.split("_")[0] in m.group(1) or (m and item.name in m.group(1)):
        body = m.group(2)
    sents = sentences(body)
    if sents:
        summary = sents[0]
    context = [s[len("Context:"):].strip() for s in sents if s.startswith("Context:")]
    # "Context: task context.  Returns ..." may share a sentence
    context = [re.split(r"\s+Returns?\b", c)[0] for c in context]
    returns = []
    for s in sents:
        for part in re.findall(r"(?:^|\s)((?:Returns?|Never returns)\b.*)$", s):
            returns.append(part.strip())
    errors = sorted(set(re.findall(r"-E[A-Z0-9]+", text)))
    decl = item.text
    if "FR_NORETURN" in decl and not any("never" in r.lower() for r in returns):
        returns.append("Never returns.")
    if not returns:
        head = decl.split(item.name)[0]
        if re.search(r"\bvoid\s*$", head.replace("FR_NORETURN", "")):
            returns.append("Nothing.")
    return {
        "summary": summary,
        "context": context,
        "returns": returns,
        "errors": errors,
        "rights": rights(decl, item.name, handles),
        "must_check": "FR_MUST_CHECK" in decl,
    }


def rights(decl, name, handles):
    """What the caller hands over: objects read or changed, capability
    handles (whose type is the right set), user addresses."""
    m = re.search(re.escape(name) + r"\s*\((.*)\)", decl)
    if not m:
        return []
    params = m.group(1)
    depth = 0
    parts, cur = [], ""
    for c in params:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    out = []
    for p in (x.strip() for x in parts):
        h = re.match(r"^(const\s+)?struct\s+(fr_\w+)\s*\*\s*(\w+)$", p)
        if h:
            out.append("%s @%s (struct %s)" % ("reads" if h.group(1) else "changes",
                                               h.group(3), h.group(2)))
            continue
        c = re.match(r"^(\w+)\s+(\w+)$", p)
        if c and c.group(1) in handles:
            out.append("handle @%s of type `%s` (%s)" % (c.group(2), c.group(1),
                                                       handles[c.group(1)]))
            continue
        o = re.match(r"^(\w+)\s*\*\s*(\w+)$", p)
        if o and o.group(1) in handles:
            out.append("gives a handle of type `%s` in @%s (%s)" % (o.group(1), o.group(2),
                                                                handles[o.group(1)]))
            continue
        u = re.match(r"^fr_uaddr_t\s+(\w+)$", p)
        if u:
            out.append("user address @%s (checked by the frame)" % u.group(1))
    return out


def handle_rights(headers):
    """{handle type: what its type grants} for the frame's handles."""
    out = {}
    for h in headers:
        for it in h.items:
            if it.kind != "handle":
                continue
            names = boundary.handle_types(it)
            if it.text.startswith("FR_HANDLE_PAIR") and len(names) == 2:
                out[names[0]] = "read-only; rights checked at compile time"
                out[names[1]] = "read-write; rights checked at compile time"
            else:
                for n in names:
                    out[n] = "rights checked at compile time"
    return out


def render(headers, exports, documented, notes):
    handles = handle_rights(headers)
    by_area = {}
    for h in headers:  # in header order
        for it in h.items:
            if documented.get(it.name) is it:
                by_area.setdefault(h.area, []).append(it)
    n = sum(len(v) for v in by_area.values())
    out = ["# The frame API",
           "",
           "Generated by `tools/gen-frame-api.py` from the comments in",
           "`frame/include/frame/*.h` (run `make frame-api` after changing them; `make",
           "checks` fails when this page is stale or an export has no comment).",
           "",
           "The contract of the %d exported functions that services may call, by area"
           % n,
           "(one header per area). For each: its declaration, then from its comment the",
           "context it may be called in, the rights it needs (the objects it reads or",
           "changes: `const` ones are read-only; the capability handles it takes, whose",
           "type is the right set, checked at compile time; the user addresses it",
           "takes), what it returns and the errors it names. Errors are negative Linux",
           "errno values; \"must check\" results are marked `warn_unused_result`. A",
           "context that the comment does not state is shown as *not stated*: the",
           "area's introduction then applies.",
           "",
           "| area | header | functions |",
           "|---|---|---|"]
    for h in headers:
        if h.area in by_area:
            out.append("| [%s](#%s) | `frame/%s.h` | %d |"
                       % (h.area, h.area, h.area, len(by_area[h.area])))
    if notes:
        out += ["", "Exports that services do not call: " +
                "; ".join("`%s` (%s)" % (k, v) for k, v in notes) + "."]
    for h in headers:
        items = by_area.get(h.area)
        if not items:
            continue
        out += ["", "## %s" % h.area, "", "`#include <frame/%s.h>`" % h.area, ""]
        out += [flat(p) for p in re.split(r"\n\s*\n", h.intro)] if h.intro else []
        for it in items:
            c = contract(it, handles)
            out += ["", "### %s" % it.name, "", "```c", it.text, "```", ""]
            if c["summary"]:
                out += [c["summary"], ""]
            out.append("- **Context:** %s" % ("; ".join(c["context"]) if c["context"]
                                              else "*not stated*"))
            out.append("- **Rights:** %s" % ("; ".join(c["rights"]) if c["rights"]
                                             else "no handle"))
            ret = " ".join(c["returns"]) if c["returns"] else "see the description"
            if c["must_check"]:
                ret += " (must check)"
            out.append("- **Returns:** %s" % ret)
            out.append("- **Errors:** %s" % (", ".join("`%s`" % e for e in c["errors"])
                                             if c["errors"] else "none"))
            full = flat(it.comment)
            if full and full != c["summary"]:
                out += ["", "> " + full]
    return "\n".join(out) + "\n"


def entry_symbol():
    for ld in sorted(__import__("glob").glob(os.path.join(ROOT, "frame", "arch", "*", "*.ld"))):
        with open(ld) as f:
            m = re.search(r"\bENTRY\s*\(\s*(\w+)\s*\)", f.read())
            if m:
                return m.group(1)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output")
    ap.add_argument("--check")
    a = ap.parse_args()

    headers = boundary.parse_frame_headers()
    exports = boundary.read_exports()
    policy = boundary.parse_policy()
    entry = entry_symbol()
    funcs = {}
    for h in headers:
        for it in h.items:
            if it.kind == "function":
                funcs.setdefault(it.name, it)

    problems, notes, documented = [], [], {}
    for name in exports:
        it = funcs.get(name)
        if it is None:
            if name == entry:
                notes.append((name, "the image's entry point"))
            elif policy.runtime_owner(name) == "frame":
                notes.append((name, "compiler-generated reference"))
            else:
                problems.append("%s: exported but declared in no frame header" % name)
            continue
        if not it.comment:
            problems.append("frame/include/frame/%s.h:%d: %s: exported without a comment"
                            % (it.header.area, it.line, name))
            continue
        documented[name] = it
    for h in headers:
        for it in h.items:
            if it.kind == "denied" and not it.name.startswith("fr_denied_"):
                problems.append("frame/include/frame/%s.h:%d: %s: declared FR_DENIED "
                                "but not named fr_denied_*" % (h.area, it.line, it.name))
            elif it.kind == "function" and it.name.startswith("fr_denied_"):
                problems.append("frame/include/frame/%s.h:%d: %s: named fr_denied_* "
                                "but not declared FR_DENIED" % (h.area, it.line, it.name))
    for name, it in sorted(funcs.items()):
        if name not in exports and name not in policy.upcalls:
            problems.append("frame/include/frame/%s.h:%d: %s: declared but not exported"
                            % (it.header.area, it.line, name))

    page = render(headers, exports, documented, notes)
    for p in problems:
        print("frame-api: " + p, file=sys.stderr)
    if a.check:
        try:
            with open(a.check) as f:
                current = f.read()
        except OSError:
            current = None
        if current != page:
            print("frame-api: %s is stale: run make frame-api" % a.check, file=sys.stderr)
            return 1
    elif a.output:
        with open(a.output, "w") as f:
            f.write(page)
    else:
        sys.stdout.write(page)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
