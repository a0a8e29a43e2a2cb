#!/usr/bin/python3
"""A 10,000-event trace drawn as a page in headless Chromium: target under 2 s.

Makes a synthetic trace (300 processes over 30 s, each forking, printing,
signalled and reaped: about 10,000 events), turns it into a page with
`proclab report html`, opens it and reads how long the page took from the
start of navigation until its script finished drawing (the script marks
<body data-ready>). Also reports how long proclab took to write the page, and
the page's size. The median of --reps loads counts.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "browser"))
import cdp  # noqa: E402

TARGET_S = 2.0


def synthetic_trace(processes=300, seconds=30, lines=25):
    """About 10,000 events: every process is forked, prints, gets signals, exits, is reaped."""
    events, procs = [], []
    span = seconds * 1_000_000
    main = 2
    events.append({"type": "spawn", "pid": main, "ppid": 1, "argv": ["python3", "pool.py"],
                   "name": "python3", "t_us": 1000})
    for k in range(processes - 1):
        pid = 3 + k
        parent = main if k < 20 else 3 + (k % 20)
        born = 2000 + k * (span // 3) // processes
        died = born + span // 2 + (k * 7919) % (span // 3)
        events.append({"type": "fork", "pid": pid, "parent": parent, "thread": False,
                       "via": "fork", "t_us": born})
        for n in range(lines):
            events.append({"type": "output", "pid": pid, "stream": "stdout",
                           "text": "worker %d: task %d done\n" % (pid, n),
                           "t_us": born + (n + 1) * (died - born) // (lines + 2)})
        for n, sig in enumerate(("SIGUSR1", "SIGUSR2", "SIGTERM")):
            t = born + (n + 1) * (died - born) // 5
            events.append({"type": "signal_sent", "sig": sig, "from": main, "to": pid,
                           "via": "kill", "t_us": t})
            events.append({"type": "signal_delivered", "sig": sig, "pid": pid, "from": main,
                           "outcome": "killed" if sig == "SIGTERM" else "handled", "t_us": t + 40})
        events.append({"type": "exit", "pid": pid, "signal": "SIGTERM", "core": False,
                       "t_us": died})
        events.append({"type": "reap", "pid": pid, "by": parent, "t_us": died + 500})
    events.append({"type": "exit", "pid": main, "code": 0, "t_us": span})
    events.append({"type": "reap", "pid": main, "by": 1, "t_us": span + 100})
    events.sort(key=lambda e: e["t_us"])
    return {"proclab_trace": 1, "command": ["python3", "pool.py"], "main_pid": main,
            "end_us": span + 200, "lab": {"pid": 1, "pid_namespace": True},
            "summary": {"end_us": span + 200}, "processes": procs, "events": events}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proclab", required=True)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="proclab-bench-html-")
    trace = synthetic_trace()
    path = os.path.join(tmp, "big.trace.json")
    with open(path, "w") as f:
        json.dump(trace, f)
    page = os.path.join(tmp, "big.html")
    t = time.monotonic()
    subprocess.run([args.proclab, "report", "html", path, "-o", page], check=True)
    write_s = time.monotonic() - t
    loads = []
    with cdp.Browser() as b:
        for _ in range(args.reps):
            b.open(page)
            took = b.js("new Promise(r => { const w = () => document.body.dataset.ready ? "
                        "r(performance.now()) : setTimeout(w, 5); w(); })")
            loads.append(took / 1000)
        drawn = b.js("document.querySelectorAll('#timeline .mk').length")
        lanes = b.js("document.querySelectorAll('#timeline .lane-label').length")
    median = statistics.median(loads)
    print("html page of %d events, %d lanes: proclab wrote it in %.2fs (%.1f MB); Chromium drew it "
          "in %.2fs median of %d (%s), %d marks after merging crowded ones; target < %.1fs: %s"
          % (len(trace["events"]), lanes, write_s, os.path.getsize(page) / 1e6, median, len(loads),
             ", ".join("%.2f" % x for x in loads), drawn, TARGET_S,
             "ok" if median < TARGET_S else "MISSED"))
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
