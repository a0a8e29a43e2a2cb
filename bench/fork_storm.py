"""A fork storm against untraced and strace, measured in the same run.

`fork_storm.c` (fork, child `_exit`, parent `waitpid`, N times) runs
untraced, under `proclab trace -q` and under `strace -f -qq -o /dev/null`
(always that command, so comparisons stay fixed), round-robin `--reps` times;
the medians of wall time are compared. Both targets must hold: proclab at most
1.4x untraced and at most 0.85x strace. The load average is printed with the
figures: on a loaded machine every ratio is noisier (bench/README.md).

Beside them, `ptrace_floor.c`, a tracer that restarts every stop at once and
records nothing: with fork events only (the fewest stops that see every
process) and with proclab's stops. They are the floor under any ptrace
tracer, and under proclab's stop set, on this machine today; they are shown,
not judged.
Exit status 1 when a target is missed, 2 when strace is missing.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_VS_UNTRACED = 1.4
MAX_VS_STRACE = 0.85


def timed(cmd):
    """Wall time and CPU time (user + system, the whole process tree) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proclab", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--cycles", type=int, default=2000)
    args = ap.parse_args()
    if shutil.which("strace") is None:
        print("fork storm: strace is not installed (apt-get install strace)", file=sys.stderr)
        return 2
    # The lab drops root to nobody: put the program where nobody can run it.
    tmp = tempfile.mkdtemp(prefix="proclab-bench-")
    os.chmod(tmp, 0o755)
    try:
        exe = os.path.join(tmp, "fork_storm")
        subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "fork_storm.c")], check=True)
        floor = os.path.join(tmp, "ptrace_floor")
        subprocess.run(["cc", "-O2", "-o", floor, os.path.join(HERE, "ptrace_floor.c")], check=True)
        storm = [exe, str(args.cycles)]
        cmds = {
            "untraced": storm,
            "proclab trace -q": [os.path.abspath(args.proclab), "trace", "-q", "--"] + storm,
            "strace -f -qq -o /dev/null": ["strace", "-f", "-qq", "-o", "/dev/null"] + storm,
            "floor: fork events (4/cycle)": [floor, "events"] + storm,
            "floor: proclab's stops (7)": [floor, "proclab"] + storm,
        }
        for cmd in cmds.values():
            timed(cmd)  # warm the page cache
        walls = {name: [] for name in cmds}
        cpus = {name: [] for name in cmds}
        for _ in range(args.reps):
            for name, cmd in cmds.items():
                wall, cpu = timed(cmd)
                walls[name].append(wall)
                cpus[name].append(cpu)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    med = {name: statistics.median(w) for name, w in walls.items()}
    base, ours, strace = med["untraced"], med["proclab trace -q"], med["strace -f -qq -o /dev/null"]
    print(f"fork storm: {args.cycles} fork/exit/wait cycles, medians of {args.reps}, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'':<30} {'wall':>8} {'cpu':>8} {'per cycle':>10} {'vs untraced':>12} {'vs strace':>10}")
    for name in cmds:
        m = med[name]
        print(f"{name:<30} {m:7.3f}s {statistics.median(cpus[name]):7.3f}s "
              f"{m / args.cycles * 1e6:8.0f}us {m / base:11.2f}x {m / strace:9.2f}x")
    vs_base, vs_strace = ours / base, ours / strace
    ok_base, ok_strace = vs_base <= MAX_VS_UNTRACED, vs_strace <= MAX_VS_STRACE
    print(f"proclab / untraced {vs_base:.2f}x (target <= {MAX_VS_UNTRACED}x) "
          f"{'ok' if ok_base else 'MISSED'}")
    print(f"proclab / strace -f {vs_strace:.2f}x (target <= {MAX_VS_STRACE}x) "
          f"{'ok' if ok_strace else 'MISSED'}")
    return 0 if ok_base and ok_strace else 1


if __name__ == "__main__":
    sys.exit(main())
