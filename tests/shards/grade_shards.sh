#!/bin/bash
# A class graded in 2 shards and merged gives the gradebook an unsharded
# grading of the same runs gives, file for file (grades.csv, results.json,
# summary.md, every feedback.md). Two gradings never make the same runs (times
# differ, and some submissions race), so the shards are given the unsharded
# grading's cache: they reuse its runs, and any difference is the merge's.
# Controls: a merge missing a shard is refused (status 2), and so is a merge
# against another suite.
# usage: grade_shards.sh PROCLAB SOURCE_DIR WORK_DIR
set -u
proclab=$1 src=$2 work=$3
suite=$src/tests/grading/dc-suite class=$src/tests/grading/dc-class
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

"$proclab" grade "$suite" "$class" --out "$work/whole" -j 2 >"$work/whole.log" 2>&1 ||
  fail "the unsharded grading failed: $(tail -5 "$work/whole.log")"
for i in 1 2; do
  mkdir -p "$work/shard$i" && cp -r "$work/whole/.cache" "$work/shard$i/"
  CI_NODE_INDEX=$i CI_NODE_TOTAL=2 "$proclab" grade "$suite" "$class" --shard auto \
    --out "$work/shard$i" -j 2 >"$work/shard$i.log" 2>&1 || fail "shard $i failed"
  test -f "$work/shard$i/shard.json" || fail "shard $i wrote no shard.json"
  grep -q "reused from a previous run, 0 to run" "$work/shard$i.log" ||
    fail "shard $i ran pairs again: $(grep reused "$work/shard$i.log")"
done
"$proclab" merge --grade "$suite" "$work/shard1" "$work/shard2" --out "$work/merged" ||
  fail "the merge failed"
diff -r -x .cache -x shard.json "$work/whole" "$work/merged" || fail "merged gradebook differs"
echo "ok: the merged gradebook equals the unsharded one"

"$proclab" merge --grade "$suite" "$work/shard1" --out "$work/x" 2>"$work/missing.err"
test $? -eq 2 && grep -q "missing shard 2 of 2" "$work/missing.err" ||
  fail "control: a missing shard was not refused: $(cat "$work/missing.err")"
cp -r "$suite" "$work/other-suite" && echo "# changed" >>"$work/other-suite/grade.yaml"
"$proclab" merge --grade "$work/other-suite" "$work/shard1" "$work/shard2" --out "$work/y" \
  2>"$work/other.err"
test $? -eq 2 && grep -q "another suite" "$work/other.err" ||
  fail "control: another suite was not refused: $(cat "$work/other.err")"
echo "ok: the controls were refused"
