#!/bin/bash
# The static checks of the framekernel boundary, run by `make checks`
# (tools/checks.mk, which passes the build's variables in the environment).
# Prints one "ok - check/NAME" or "not ok - check/NAME (why)" line per check
# and per fixture, with the evidence of a failure on "#" lines after it;
# exits non-zero when anything failed.
#
#   check/safec/COMPONENT          safe-C rules on its sources (tools/safec/check.py),
#                                  once per build configuration (kernel, kernel-hosted)
#   check/safec/fixture/NAME       each fixture is rejected for its rule, good.c passes
#   check/exports                  the frame object's globals are frame/exports.txt
#   check/link/call-internal       a service calling a frame internal does not link
#   check/components/NAME          undefined symbols against the policy (tools/check-components.py)
#   check/components/fixture/NAME  policy fixtures rejected for their reason, "good" passes
#   check/rights/fixture/NAME      rights in types: each bad_*.c must fail to compile
#                                  with its readable message, good.c compile and
#                                  pass the safe-C rules (tools/rights/fixtures)
#   check/rights/zero-cost/FUNC    handle code equals raw-pointer code at -O2
#                                  (tools/rights/check-zero-cost.sh)
#   check/frame-api                every export documented, docs/frame-api.md current
#   check/tcb                      the TCB figures (printed on "# tcb:" lines)
#
# Environment: B, CC, LD, LDSCRIPT, KCFLAGS, SERVICE_CFLAGS, KERNEL_C,
# KERNEL_OBJ, LIBS_C, MINI_C (as in the Makefile) and HOSTED_SERVICE_CFLAGS
# (the hosted target's, if any).
set -uo pipefail
cd "$(dirname "$0")/.."

: "${B:?}" "${KCFLAGS:?}" "${SERVICE_CFLAGS:?}"
CC=${CC:-gcc}
LD=${LD:-ld}
OUT=$B/checks
mkdir -p "$OUT"
failed=0

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1 ($2)"
    failed=1
    if [ -n "${3:-}" ] && [ -s "$3" ]; then
        head -n 30 "$3" | sed 's/^/#   /'
    fi
}

# Compiler flags for objects the checks build themselves: no dependency
# files, which the Makefile would pick up.
FIXTURE_CFLAGS=$(echo " $KCFLAGS " | sed 's/ -MMD / /; s/ -MP / /')

# ---- safe C ------------------------------------------------------------------
safec() { # NAME LOG ARGS...
    local name=$1 log=$2
    shift 2
    python3 tools/safec/check.py "$@" >"$log" 2>&1
    case $? in
        0) ok "check/safec/$name" ;;
        1) not_ok "check/safec/$name" "$(wc -l <"$log") findings" "$log" ;;
        *) not_ok "check/safec/$name" "checker error" "$log" ;;
    esac
}

safec kernel "$OUT/safec-kernel.log" --cflags "$SERVICE_CFLAGS -I $B/kernel/syscall" \
    --own kernel --own "$B/kernel" --component kernel $KERNEL_C "$B/kernel/syscall/table.c"
# The services are built again for the hosted target: check them with
# those flags too (one run per build configuration).
if [ -n "${HOSTED_SERVICE_CFLAGS:-}" ]; then
    safec kernel-hosted "$OUT/safec-kernel-hosted.log" --cflags "$HOSTED_SERVICE_CFLAGS" \
        --own kernel --own "$B/kernel" --component kernel $KERNEL_C "$B/kernel/syscall/table.c"
fi
safec libs "$OUT/safec-libs.log" --cflags "$KCFLAGS" --own libs --component libs $LIBS_C
if [ -n "${MINI_C// /}" ]; then
    safec mini "$OUT/safec-mini.log" --cflags "$KCFLAGS" --own demo/mini --component mini $MINI_C
fi
for man in comps/*/manifest; do
    [ -f "$man" ] || continue
    dir=$(dirname "$man")
    name=$(awk '$1 == "name" { print $2 }' "$man")
    safec "comps/$name" "$OUT/safec-$name.log" \
        --cflags "$KCFLAGS $(python3 tools/boundary.py cflags "$name")" \
        --own "$dir" --component "$name" $(find "$dir" -name '*.c' | sort)
done

# Fixtures: each bad_*.c names the rule it breaks ("expect: RULE"); the
# checker must reject it with that rule.  good.c must pass.  One run checks
# every fixture as a component of its own.
python3 tools/safec/check.py --each --cflags "$SERVICE_CFLAGS" --own tools/safec/fixtures \
    --uses "frame:* libs" tools/safec/fixtures/*.c >"$OUT/fixtures.log" 2>&1
rm -f "$OUT"/fixture-*.log
awk -v out="$OUT" '/^== / { n = $2; sub(/.*\//, "", n); sub(/\.c$/, "", n);
    f = out "/fixture-" n ".log"; printf "" > f; next } f { print >> f }' "$OUT/fixtures.log"
for f in tools/safec/fixtures/*.c; do
    name=$(basename "$f" .c)
    log=$OUT/fixture-$name.log
    expect=$(sed -n 's/.*expect: \([a-z-]*\).*/\1/p' "$f" | head -n 1)
    if [ ! -f "$log" ]; then
        not_ok "check/safec/fixture/$name" "not checked" "$OUT/fixtures.log"
    elif [ -z "$expect" ]; then
        if [ ! -s "$log" ]; then
            ok "check/safec/fixture/$name"
        else
            not_ok "check/safec/fixture/$name" "clean fixture rejected" "$log"
        fi
    elif grep -q "^[^:]*:[0-9]*: $expect: " "$log"; then
        ok "check/safec/fixture/$name"
    elif [ ! -s "$log" ]; then
        not_ok "check/safec/fixture/$name" "accepted, but it breaks rule $expect"
    else
        not_ok "check/safec/fixture/$name" "not rejected for rule $expect" "$log"
    fi
done

# ---- frame exports at link time -----------------------------------------------
# A frame-internal function (global in the frame's objects, not exported):
# calling it from a service must fail at link time.  (check/exports, the
# frame object's globals against frame/exports.txt, comes with the
# component checks below.)
log=$OUT/link.log
internal=$(nm -P -g --defined-only "$B/frame.all.o" 2>/dev/null | awk '$2 == "T" { print $1 }' |
    grep -vxF -f <(sed 's/#.*//' frame/exports.txt) | sort | head -n 1)
if [ -z "$internal" ]; then
    not_ok "check/link/call-internal" "no frame internal found in $B/frame.all.o"
elif ! $CC $FIXTURE_CFLAGS -DFRAME_INTERNAL="$internal" -c tools/fixtures/link/call_internal.c \
        -o "$OUT/call_internal.o" >"$log" 2>&1; then
    not_ok "check/link/call-internal" "fixture does not compile" "$log"
elif $LD -n --no-warn-rwx-segments -T "$LDSCRIPT" -o "$OUT/call_internal.elf" "$B/frame.o" \
        $KERNEL_OBJ "$B/libs.a" "$OUT/call_internal.o" >"$log" 2>&1; then
    not_ok "check/link/call-internal" "a call to the frame internal $internal linked"
elif grep -q "undefined reference to \`$internal'" "$log"; then
    ok "check/link/call-internal"
else
    not_ok "check/link/call-internal" "link failed, but not on $internal" "$log"
fi
rm -f "$OUT/call_internal.elf"

# ---- components -----------------------------------------------------------------
# One run checks the frame object's globals against frame/exports.txt, the
# frame's references, libs' and every component's; its lines are "NAME:
# problem".
names=(exports frame libs)
for man in kernel/manifest demo/mini/manifest comps/*/manifest; do
    [ -f "$man" ] && names+=("$(awk '$1 == "name" { print $2 }' "$man")")
done
log=$OUT/components.log
python3 tools/check-components.py --build "$B" "${names[@]}" >"$log" 2>&1
rc=$?
for name in "${names[@]}"; do
    check=check/components/$name
    [ "$name" = exports ] && check=check/exports
    grep "^$name: " "$log" >"$OUT/components-$name.log"
    if [ "$rc" -gt 1 ]; then
        not_ok "$check" "checker error" "$log"
    elif [ -s "$OUT/components-$name.log" ]; then
        not_ok "$check" "$(wc -l <"$OUT/components-$name.log") problems" \
            "$OUT/components-$name.log"
    else
        ok "$check"
    fi
done

# Fixtures: each is built like a component and checked against the
# fixtures' policy; a manifest's "# expect:" line names the rejection.
FIX=tools/fixtures/components
fixture_manifests=()
fixture_names=()
for man in "$FIX"/*/manifest; do
    fixture_manifests+=(--manifest "$man")
    name=$(awk '$1 == "name" { print $2 }' "$man")
    [ "$name" = fixlib ] || fixture_names+=("$name")
    dir=$(dirname "$man")
    mkdir -p "$B/$dir"
    rm -f "$B/$dir"/*.o
    for src in "$dir"/*.c; do
        $CC $FIXTURE_CFLAGS -I "$FIX/fixlib/include" -c "$src" \
            -o "$B/$dir/$(basename "$src").o" >"$OUT/build-$name.log" 2>&1 ||
            not_ok "check/components/fixture/$name" "does not compile" "$OUT/build-$name.log"
    done
done
log=$OUT/components-fixtures.log
python3 tools/check-components.py --build "$B" --policy "$FIX/policy" \
    "${fixture_manifests[@]}" "${fixture_names[@]}" >"$log" 2>&1
rc=$?
for name in "${fixture_names[@]}"; do
    flog=$OUT/components-fixture-$name.log
    grep "^$name: " "$log" >"$flog"
    expect=$(sed -n 's/^# expect: //p' "$FIX/$name/manifest")
    if [ "$rc" -gt 1 ]; then
        not_ok "check/components/fixture/$name" "checker error" "$log"
    elif [ -z "$expect" ]; then
        if [ ! -s "$flog" ]; then
            ok "check/components/fixture/$name"
        else
            not_ok "check/components/fixture/$name" "clean fixture rejected" "$flog"
        fi
    elif grep -qE "$expect" "$flog"; then
        ok "check/components/fixture/$name"
    elif [ ! -s "$flog" ]; then
        not_ok "check/components/fixture/$name" "accepted, expected: $expect"
    else
        not_ok "check/components/fixture/$name" "not rejected as expected: $expect" "$flog"
    fi
done

# ---- rights in types -------------------------------------------------------------
# Each tools/rights/fixtures/bad_*.c uses a handle without the right and
# must fail to compile with the message of its "expect:" line (the
# compiler's, in the C locale); good.c uses every handle rightly and must
# compile and pass the safe-C rules.  The fixtures are services: the
# credentials fixtures include kernel/security/cred.h, and good.c is
# checked with cred.c, whose functions it calls.
RIGHTS_CFLAGS=$(echo " $SERVICE_CFLAGS " | sed 's/ -MMD / /; s/ -MP / /')
for f in tools/rights/fixtures/*.c; do
    name=$(basename "$f" .c)
    log=$OUT/rights-$name.log
    expect=$(sed -n 's/.*expect: //p' "$f" | head -n 1)
    if LC_ALL=C $CC $RIGHTS_CFLAGS -c "$f" -o "$OUT/rights-$name.o" >"$log" 2>&1; then
        if [ -n "$expect" ]; then
            not_ok "check/rights/fixture/$name" "compiled, but it must fail with: $expect"
        elif ! python3 tools/safec/check.py --cflags "$SERVICE_CFLAGS" \
                --own tools/rights/fixtures --own kernel/security --uses "frame:* libs" \
                "$f" kernel/security/cred.c >"$log" 2>&1; then
            not_ok "check/rights/fixture/$name" "clean fixture breaks the safe-C rules" "$log"
        else
            ok "check/rights/fixture/$name"
        fi
    elif [ -z "$expect" ]; then
        not_ok "check/rights/fixture/$name" "clean fixture does not compile" "$log"
    elif grep -qF -- "$expect" "$log"; then
        ok "check/rights/fixture/$name"
        grep -m 1 -F -- "$expect" "$log" | sed 's/^.*error: /#   error: /'
    else
        not_ok "check/rights/fixture/$name" "failed, but not with: $expect" "$log"
    fi
done
rm -f "$OUT"/rights-*.o
bash tools/rights/check-zero-cost.sh "$OUT/zero-cost" "$CC" $SERVICE_CFLAGS || failed=1

# ---- the frame API contract -------------------------------------------------------
log=$OUT/frame-api.log
if python3 tools/gen-frame-api.py --check docs/frame-api.md >"$log" 2>&1; then
    ok "check/frame-api"
else
    not_ok "check/frame-api" "$(tail -n 1 "$log" | sed 's/^frame-api: //')" "$log"
fi

# ---- the TCB figures -------------------------------------------------------------
log=$OUT/tcb.log
if python3 tools/tcb.py --frame-obj "$B/frame.o" >"$log" 2>&1; then
    ok "check/tcb"
    sed 's/^/# /' "$log"
else
    not_ok "check/tcb" "tools/tcb.py failed" "$log"
fi

exit $failed
