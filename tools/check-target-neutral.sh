#!/bin/bash
# Services compile unchanged for both targets: each service source,
# preprocessed with the kernel target's flags and with the hosted
# target's, must give the same text -- a service that tests a macro only
# one target defines (__SANITIZE_ADDRESS__, __PIE__, __SSE__,
# __code_model_kernel__, ...) differs.  And every KTEST runs in both
# targets: no *_test.c may live in a target's own directory.
#
# Usage: KERNEL_FLAGS='...' HOSTED_FLAGS='...' check-target-neutral.sh FILE...
# Prints "ok - hosted/CHECK" or "not ok - hosted/CHECK (why)"; exits 1 on
# a failure.
set -uo pipefail

tmp=$(mktemp -d /tmp/check-target-neutral.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
status=0

: >"$tmp/differ"
for f in "$@"; do
	# shellcheck disable=SC2086
	if ! { gcc $KERNEL_FLAGS -E -P "$f" -o "$tmp/k.i" 2>"$tmp/err" &&
		gcc $HOSTED_FLAGS -E -P "$f" -o "$tmp/h.i" 2>>"$tmp/err"; }; then
		echo "$f: does not preprocess: $(head -n 1 "$tmp/err")" >>"$tmp/differ"
		continue
	fi
	if ! cmp -s "$tmp/k.i" "$tmp/h.i"; then
		echo "$f: $(diff "$tmp/k.i" "$tmp/h.i" | grep -m 1 '^[<>]')" >>"$tmp/differ"
	fi
done
if [ -s "$tmp/differ" ]; then
	n=$(grep -c . "$tmp/differ")
	echo "not ok - hosted/services-target-neutral ($n service files differ between the targets)"
	sed 's/^/#   /' "$tmp/differ"
	status=1
else
	echo "ok - hosted/services-target-neutral ($# files)"
fi

find frame/arch frame/hosted -name '*_test.c' | sort >"$tmp/tests"
if [ -s "$tmp/tests" ]; then
	echo "not ok - hosted/ktests-in-both-targets (KTESTs in one target's directory)"
	sed 's/^/#   /' "$tmp/tests"
	status=1
else
	echo "ok - hosted/ktests-in-both-targets"
fi
exit $status
