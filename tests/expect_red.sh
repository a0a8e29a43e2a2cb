#!/bin/sh
# A negative control of a shipped lesson: proclab run with the given
# arguments must fail (status 1) and its output must match every pattern
# (grep -E), so the lesson turns red the way it predicts.
# Usage: expect_red.sh PROCLAB PATTERN... -- RUN-ARGUMENTS...
set -u
proclab=$1
shift
patterns=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  patterns="$patterns$1
"
  shift
done
[ "${1:-}" = "--" ] || { echo "usage: expect_red.sh PROCLAB PATTERN... -- RUN-ARGUMENTS..."; exit 2; }
shift
out=$("$proclab" run "$@" 2>&1)
status=$?
echo "$out"
fail=0
[ "$status" = 1 ] || { echo "control: expected status 1, got $status"; fail=1; }
printf '%s' "$patterns" | while IFS= read -r pattern; do
  echo "$out" | grep -Eq -- "$pattern" || { echo "control: no line matched: $pattern"; exit 1; }
done || fail=1
exit $fail
