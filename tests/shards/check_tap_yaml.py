#!/usr/bin/python3
"""The YAML blocks of a TAP report parse as YAML (python3-yaml) and carry, for
each failure, reason, explanation and evidence, and `report` when expected.
Control: a block with its indentation broken must not parse.
usage: check_tap_yaml.py TAP_FILE [--report PATH]"""
import sys

import yaml


def blocks(text):
    out, cur = [], None
    for line in text.splitlines():
        if line == "  ---":
            cur = []
        elif line == "  ..." and cur is not None:
            out.append("\n".join(l[2:] for l in cur))
            cur = None
        elif cur is not None:
            cur.append(line)
    return out


text = open(sys.argv[1], encoding="utf-8").read()
report = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--report" else None
failures = sum(1 for l in text.splitlines() if l.startswith("not ok "))
found = blocks(text)
docs = [yaml.safe_load(b) for b in found]
with_reason = [d for d in docs if "reason" in d]
assert len(with_reason) == failures, f"{len(with_reason)} failure blocks for {failures} failures"
for d in with_reason:
    assert isinstance(d["explanation"], str) and d["explanation"].strip(), d
    assert isinstance(d["evidence"], list), d
if report:
    assert all(d.get("report") == report for d in docs), docs
try:
    yaml.safe_load("reason: |\n    a\n  explanation: |2-\n   b\n")
    raise SystemExit("control: a broken block parsed")
except yaml.YAMLError:
    pass
print(f"ok: {len(docs)} YAML blocks, {failures} failures explained")
