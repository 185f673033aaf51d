#!/bin/bash
# Runs trellis-hosted (the hosted target) and turns its output into test
# lines: "ok - NAME/suite.test" or "not ok - NAME/suite.test (why)" for
# each KTEST, then "ok - NAME/complete" when the run ended cleanly with
# its summary.  Any sanitizer report (ASan, UBSan, TSan, LSan) is a
# failure, charged to the KTEST that was running (the runner prints
# "# suite.test" before each one) and to NAME/complete.  Exits 1 when a
# line was "not ok".
#
# Usage: hosted-ktest.sh NAME BINARY [ARGS...]    e.g.
#        hosted-ktest.sh hosted/asan build/hosted/asan/trellis-hosted ktest=heap.
# Environment: TIMEOUT (seconds, default 120), LOG (keep the output there).
set -uo pipefail

name=$1
shift
TIMEOUT=${TIMEOUT:-120}
log=${LOG:-$(mktemp /tmp/hosted-ktest.XXXXXX)}
[ -n "${LOG:-}" ] || trap 'rm -f "$log"' EXIT

start=${EPOCHREALTIME/./}
timeout "$TIMEOUT" "$@" </dev/null >"$log" 2>&1
rc=$?
elapsed_ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))

sanitizer_re='ERROR: AddressSanitizer|WARNING: ThreadSanitizer|ERROR: ThreadSanitizer'
sanitizer_re+='|runtime error:|ERROR: LeakSanitizer|ERROR: UndefinedBehaviorSanitizer'
report=$(grep -E -m 1 "$sanitizer_re" "$log" | sed 's/^==[0-9]*==//; s/^ *//')
kind=""
if [ -n "$report" ]; then
	case "$report" in
	*"runtime error:"*)
		kind="UndefinedBehaviorSanitizer: $(echo "$report" | sed 's/.*runtime error: //' | cut -c1-70)" ;;
	*)
		kind=$(echo "$report" | sed 's/^[A-Z]*: //; s/ (pid=.*//; s/ on .*//; s/ at pc .*//') ;;
	esac
fi

failed=0
running=""
pending_checks=()
while IFS= read -r line; do
	case "$line" in
	"#   "*)
		pending_checks+=("$line")
		;;
	"# "*)
		running=${line#\# }
		pending_checks=()
		;;
	"ok "[0-9]*" - "*)
		echo "ok - $name/${line#* - }"
		running=""
		;;
	"not ok "[0-9]*" - "*)
		echo "not ok - $name/${line#* - } (failed checks)"
		[ ${#pending_checks[@]} = 0 ] || printf '%s\n' "${pending_checks[@]}"
		failed=1
		running=""
		;;
	esac
done < <(grep -E '^(ok|not ok) [0-9]+ - |^# [A-Za-z0-9_]+\.[A-Za-z0-9_]+$|^#   ' "$log")

# The sanitizer report's head (what and where), else the log's tail.
show_log() {
	if [ -n "$report" ]; then
		grep -E -m 1 -A 24 "$sanitizer_re" "$log"
	else
		grep -v -E '^(ok|not ok) [0-9]+ - |^# [A-Za-z0-9_]+\.[A-Za-z0-9_]+$' "$log" |
			tail -n 30
	fi | sed 's/^/#   /'
}

if [ -n "$running" ]; then
	echo "not ok - $name/$running (${kind:-did not finish: exit $rc})"
	failed=1
fi
if [ -n "$report" ]; then
	echo "not ok - $name/complete ($kind; exit $rc)"
	show_log
	failed=1
elif [ "$rc" = 124 ]; then
	echo "not ok - $name/complete (timeout after ${TIMEOUT}s)"
	show_log
	failed=1
elif ! grep -q '^# ktest: [0-9]* passed, [0-9]* failed$' "$log"; then
	echo "not ok - $name/complete (no summary: crash or panic, exit $rc)"
	show_log
	failed=1
elif grep -q 'KERNEL PANIC' "$log"; then
	echo "not ok - $name/complete (kernel panic)"
	show_log
	failed=1
elif grep -q '^# ktest: [0-9]* passed, 0 failed$' "$log" && [ "$rc" != 0 ]; then
	echo "not ok - $name/complete (all passed but exit $rc, expected 0)"
	show_log
	failed=1
else
	echo "ok - $name/complete"
fi
printf '# %s: %d.%03d s\n' "$name" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
exit $failed
