"""Measures proclab's tracing overhead against untraced runs and strace -f.

Each workload runs untraced, under `proclab trace`, and under `strace -f`,
interleaved round-robin so that machine noise hits all three alike; the
median wall time of each is reported with its ratio to the untraced median.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def build_fork_storm(tmp):
    exe = os.path.join(tmp, "fork_storm")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "fork_storm.c")], check=True)
    return exe


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proclab", required=True)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    # The lab drops root to nobody: put the workloads where nobody can read them.
    tmp = tempfile.mkdtemp(prefix="proclab-bench-")
    os.chmod(tmp, 0o755)
    shutil.copy(os.path.join(HERE, "pool_work.py"), tmp)
    storm = build_fork_storm(tmp)
    python = "/usr/bin/python3"
    workloads = [
        ("fork storm (1000 fork/exit/wait in C)", [storm, "1000"], 2.5),
        ("multiprocessing Pool (4 workers, 4000 tasks)", [python, os.path.join(tmp, "pool_work.py")], 1.5),
    ]
    have_strace = shutil.which("strace") is not None
    proclab = [os.path.abspath(args.proclab), "trace", "-q", "--"]
    missed = False
    print(f"{'workload':<46} {'untraced':>9} {'proclab':>9} {'ratio':>6} {'strace -f':>10} {'ratio':>6}  target")
    for name, cmd, target in workloads:
        runs = {"plain": [], "proclab": [], "strace": []}
        timed(cmd)  # warm the page cache
        for _ in range(args.reps):
            runs["plain"].append(timed(cmd))
            runs["proclab"].append(timed(proclab + cmd))
            if have_strace:
                runs["strace"].append(timed(["strace", "-f", "-qq", "-o", "/dev/null"] + cmd))
        base = statistics.median(runs["plain"])
        ours = statistics.median(runs["proclab"])
        ratio = ours / base
        strace = statistics.median(runs["strace"]) if have_strace else float("nan")
        ok = ratio <= target
        missed |= not ok
        print(f"{name:<46} {base:8.3f}s {ours:8.3f}s {ratio:5.2f}x {strace:9.3f}s {strace / base:5.2f}x"
              f"  <= {target}x {'ok' if ok else 'MISSED'}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
