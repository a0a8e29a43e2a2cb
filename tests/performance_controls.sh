#!/bin/sh
# The negative controls of the shipped performance lessons: each turns the
# lesson red the way it predicts. Usage: performance_controls.sh PROCLAB SCENARIOS_DIR
set -u
proclab=$1
dir=$2
fail=0
# gil-cpu-bound with the phases swapped: "threads" done by processes exceeds
# 1.3, "processes" done by threads stays under 0.7 per CPU.
out=$("$proclab" run --program "/usr/bin/python3 $dir/gil_cpu.py 30000000 2 swap" \
  "$dir/gil-cpu-bound.yaml" 2>&1)
status=$?
echo "$out"
[ "$status" = 1 ] || { echo "control: expected status 1, got $status"; fail=1; }
echo "$out" | grep -q "more than 1.30" || { echo "control: the threads check did not turn red"; fail=1; }
echo "$out" | grep -q "less than 0.7 \* cpus" || { echo "control: the processes check did not turn red"; fail=1; }
exit $fail
