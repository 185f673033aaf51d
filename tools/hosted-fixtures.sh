#!/bin/bash
# Expected-failure fixtures of the hosted target's checks: each fixture
# feeds a check a deliberate bug, and passes only when the check fails
# the way it must.  Prints "ok - hosted/fixture/NAME" or
# "not ok - hosted/fixture/NAME (why)"; exits 1 when one is not ok.
#
#   uaf BINARY
#       BINARY (the ASan build plus test/hosted/uaf_fixture.c) runs the
#       KTEST fixture.use_after_free: ASan must report the read and
#       tools/hosted-ktest.sh must count fixture.use_after_free as failed.
#   parity-hosted|parity-kernel SYMBOL EXPORTS HOST_PROVIDED UAPI OTHER_FRAME_O -- OBJ...
#       links a frame object from OBJ... without the object that defines
#       SYMBOL (as if its hosted / kernel half were missing) and runs
#       tools/check-parity.sh with it: the check must fail and name SYMBOL.
#   fault KIND BINARY REPORT FUNCTION
#       BINARY with "trellis.crash=KIND" (a deliberate bug in service code,
#       kernel/debug/crash.c) must stop with a sanitizer report matching
#       REPORT whose stack names FUNCTION.
set -uo pipefail

tmp=$(mktemp -d /tmp/hosted-fixtures.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

kind=$1
shift
case "$kind" in
uaf)
	name=hosted/fixture/use-after-free
	bash tools/hosted-ktest.sh fixture "$1" ktest=fixture.use_after_free >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		echo "not ok - $name (the harness passed a use-after-free)"
		sed 's/^/#   /' "$tmp/out"
		exit 1
	elif ! grep -q '^not ok - fixture/fixture.use_after_free (AddressSanitizer: ' "$tmp/out"; then
		echo "not ok - $name (ASan did not report it against the test)"
		sed 's/^/#   /' "$tmp/out"
		exit 1
	fi
	reported=$(sed -n 's/^not ok - fixture\/fixture.use_after_free (\(.*\))$/\1/p' "$tmp/out")
	echo "ok - $name (reported: $reported, counted as a failure)"
	;;
parity-hosted | parity-kernel)
	symbol=$1 exports=$2 provided=$3 uapi=$4 other=$5
	shift 5
	[ "$1" = -- ] && shift
	name=hosted/fixture/$kind
	keep=()
	dropped=""
	for obj in "$@"; do
		if nm -P --defined-only -g "$obj" | grep -q "^$symbol [TtDdBbRr] "; then
			dropped=$obj
		else
			keep+=("$obj")
		fi
	done
	if [ -z "$dropped" ]; then
		echo "not ok - $name (no object defines $symbol)"
		exit 1
	fi
	if ! { ld -r -o "$tmp/frame.all.o" "${keep[@]}" &&
		objcopy --keep-global-symbols="$exports" "$tmp/frame.all.o" "$tmp/frame.o"; }; then
		echo "not ok - $name (cannot link the fixture's frame object)"
		exit 1
	fi
	if [ "$kind" = parity-hosted ]; then
		bash tools/check-parity.sh "$exports" "$provided" "$other" "$tmp/frame.o" "$uapi" >"$tmp/out" 2>&1
	else
		bash tools/check-parity.sh "$exports" "$provided" "$tmp/frame.o" "$other" "$uapi" >"$tmp/out" 2>&1
	fi
	rc=$?
	half=${kind#parity-}
	if [ "$rc" = 0 ]; then
		echo "not ok - $name (parity passed without the $half half of $symbol)"
		sed 's/^/#   /' "$tmp/out"
		exit 1
	elif ! grep -q "^#   $symbol: no $half implementation$" "$tmp/out"; then
		echo "not ok - $name (parity failed but did not name $symbol)"
		sed 's/^/#   /' "$tmp/out"
		exit 1
	fi
	echo "ok - $name (without $(basename "$dropped" .c.o).c, parity fails naming $symbol)"
	;;
fault)
	crash=$1 binary=$2 headline=$3 function=$4
	name=hosted/fault/$crash
	timeout 60 "$binary" "trellis.crash=$crash" </dev/null >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" != 66 ]; then
		echo "not ok - $name (exit $rc, expected 66: a sanitizer report)"
		tail -n 20 "$tmp/out" | sed 's/^/#   /'
		exit 1
	elif ! grep -E -A 8 "$headline" "$tmp/out" | grep -q " in $function "; then
		echo "not ok - $name (no '$headline' report through $function)"
		tail -n 20 "$tmp/out" | sed 's/^/#   /'
		exit 1
	fi
	echo "ok - $name"
	;;
*)
	echo "usage: $0 uaf BINARY" >&2
	echo "       $0 parity-hosted|parity-kernel SYMBOL EXPORTS HOST_PROVIDED UAPI OTHER_FRAME_O -- OBJ..." >&2
	echo "       $0 fault KIND BINARY REPORT FUNCTION" >&2
	exit 2
	;;
esac
