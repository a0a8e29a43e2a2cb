#!/bin/bash
# `--repeat 20` over 4 shards merges into 20 runs of the scenario, attempts
# 0…19 each once, and the console counts them all ("coin passed K/20").
# tests/shards/flaky/coin.yaml fails at random one time in three.
# Control: shards given another --repeat are refused.
# usage: repeat_shards.sh PROCLAB SOURCE_DIR WORK_DIR
set -u
proclab=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
for i in 0 1 2 3; do
  JOB_COMPLETION_INDEX=$i "$proclab" run "$src/tests/shards/flaky" --repeat 20 --shard auto \
    --shards 4 --report json:shard-$i.json -j 2 >/dev/null 2>shard-$i.err
  test $? -le 1 || fail "shard $i: $(cat shard-$i.err)"
  grep -q "shard $((i + 1)) of 4 (JOB_COMPLETION_INDEX=$i of 4): 5 of 20 runs" shard-$i.err ||
    fail "shard $i: $(cat shard-$i.err)"
done
"$proclab" merge shard-*.json --report console --report json:merged.json >console.txt
test $? -le 1 || fail "merge failed"
passed=$(/usr/bin/python3 - <<'PY'
import json
runs = json.load(open("merged.json"))["runs"]
assert [r["attempt"] for r in runs] == list(range(20)), [r["attempt"] for r in runs]
assert all(r["scenario"] == "coin" and r["path"] == "coin.yaml" for r in runs)
print(sum(r["passed"] for r in runs))
PY
) || fail "merged runs are not attempts 0…19 of coin"
grep -q "^20 runs: $passed passed, $((20 - passed)) failed" console.txt || fail "$(tail -3 console.txt)"
if [ "$passed" -gt 0 ] && [ "$passed" -lt 20 ]; then
  grep -q "coin passed $passed/20" console.txt || fail "no flaky line: $(tail -5 console.txt)"
fi
echo "ok: 4 shards of --repeat 20 merged: coin passed $passed/20"
"$proclab" run "$src/tests/shards/flaky" --repeat 4 --shard 1/4 --report json:other.json \
  >/dev/null 2>&1
"$proclab" merge shard-0.json shard-1.json shard-2.json other.json 2>err.txt >/dev/null
test $? -eq 2 && grep -q -- "--repeat" err.txt || fail "control: $(cat err.txt)"
echo "ok: shards of another --repeat were refused"
