#!/usr/bin/python3
"""Checks a Trace Event Format file against the format's documented fields
(Debian 12 packages no TEF parser): every event has ph, name and pid; every
event but metadata an integer ts and a tid; X a dur >= 0; flows pair up (s
then f with bp "e") and both ends lie inside a slice of their track. Also
that the tracks are what proclab promises: one per process (`--processes N`)
and the arrows counted (`--forks N`, `--signals N`).
Control: the same checks reject the file with one flow end removed.
usage: check_tef.py FILE [--processes N] [--forks N] [--signals N]"""
import copy
import json
import sys


def problems(doc):
    out = []
    events = doc.get("traceEvents")
    if not isinstance(events, list):
        return ["no traceEvents"]
    slices = {}
    for e in events:
        if not e.get("ph") or "name" not in e or "pid" not in e:
            out.append(f"bare event {e}")
            continue
        if e["ph"] == "M":
            continue
        if not isinstance(e.get("ts"), int) or "tid" not in e:
            out.append(f"no ts/tid {e}")
        if e["ph"] == "X":
            if not isinstance(e.get("dur"), int) or e["dur"] < 0:
                out.append(f"bad dur {e}")
            slices.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"]))
    balance = {}
    for e in events:
        if e.get("ph") not in ("s", "f"):
            continue
        balance[e["id"]] = balance.get(e["id"], 0) + (1 if e["ph"] == "s" else -1)
        if e["ph"] == "f" and e.get("bp") != "e":
            out.append(f"f without bp e {e}")
        if not any(a <= e["ts"] <= b for a, b in slices.get((e["pid"], e["tid"]), [])):
            out.append(f"flow end outside a slice {e}")
    out += [f"unpaired flow {i}" for i, b in balance.items() if b]
    return out


doc = json.load(open(sys.argv[1]))
found = problems(doc)
args = dict(zip(sys.argv[2::2], map(int, sys.argv[3::2])))
events = doc["traceEvents"]
tracks = [e for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
processes = [e for e in events if e["ph"] == "X" and e.get("cat") == "process"]
counts = {"--processes": len(processes),
          "--forks": sum(1 for e in events if e["ph"] == "s" and e["cat"] == "fork"),
          "--signals": sum(1 for e in events if e["ph"] == "s" and e["cat"] == "signal")}
for flag, want in args.items():
    if counts[flag] != want:
        found.append(f"{flag}: {counts[flag]}, expected {want}")
if len(processes) > len(tracks):
    found.append("fewer tracks than processes")
broken = copy.deepcopy(doc)
broken["traceEvents"] = [e for e in events if e["ph"] != "f"]
if not problems(broken):
    found.append("control: a document without flow ends passed")
print("\n".join(found) if found else f"ok: {len(events)} events, {len(tracks)} tracks, {counts}")
sys.exit(1 if found else 0)
