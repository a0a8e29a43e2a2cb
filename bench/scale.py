"""The scale suite: how proclab's cost grows with the work it watches.

Every workload runs untraced, under `proclab trace -q` and, where the target
names it, under `strace -f -qq -o /dev/null` (always that command, so that
comparisons stay fixed), round-robin in one invocation; medians are compared.
The peak memory of proclab's own processes (PSS summed over the runner and
the lab, sampled) is reported beside each. The targets are issue 12's; each
prints `ok` or `MISSED`, and the exit status is 1 when any is missed.
bench/README.md describes the workloads, and `--svg FILE` draws cost against
size.

  python3 bench/scale.py --proclab build/proclab [--reps N] [--only NAME,...] [--svg FILE]
                         [--small]   (a tenth of each size: a quick look, no verdicts on size)

NAME: forkstorm, wide, chain, pool, signals, flood, events, suite.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import reliability  # measure(): peak PSS of proclab's processes
import scale_plot

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
STRACE = ["strace", "-f", "-qq", "-o", "/dev/null"]
KiB, MiB = 1024, 1024 * 1024


def verdict(ok):
    return "ok" if ok else "MISSED"


class Context:
    def __init__(self, proclab, tmp, reps, small):
        self.proclab, self.tmp, self.reps, self.small = proclab, tmp, reps, small
        self.series = {}  # plot: name -> [(size, proclab seconds, untraced seconds)]
        self.fixed = 0.0  # a lab's own start and end: `trace -- /bin/true` minus /bin/true
        self.exe = {}
        for name in ("fork_storm", "wide_tree", "deep_chain", "ping_pong", "writers", "lines"):
            self.exe[name] = os.path.join(tmp, name)
            subprocess.run(["cc", "-O2", "-o", self.exe[name], os.path.join(HERE, name + ".c")], check=True)

    def size(self, n):
        return max(1, n // 10) if self.small else n

    def trace(self, *flags):
        return [self.proclab, "trace", "-q", *flags, "--"]


def timed(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}")
    return time.perf_counter() - start


def compare(ctx, cmd, flags=(), strace=True, reps=None):
    """Medians of untraced, proclab and strace runs of cmd, round-robin, and
    the peak PSS of proclab's processes over one extra traced run."""
    reps = reps or ctx.reps
    runs = {"plain": [], "proclab": [], "strace": []}
    timed(cmd)  # warm the page cache
    for _ in range(reps):
        runs["plain"].append(timed(cmd))
        runs["proclab"].append(timed(ctx.trace(*flags) + cmd))
        if strace:
            runs["strace"].append(timed(STRACE + cmd))
    m = reliability.measure(ctx.trace(*flags) + cmd, ctx.proclab, ctx.tmp)
    out = {k: statistics.median(v) for k, v in runs.items() if v}
    out["pss"] = m.peak_pss
    return out


def show(name, r, target_text, ok):
    base = r["plain"]
    line = f"   {name:<40} untraced {base:7.3f}s  proclab {r['proclab']:7.3f}s ({r['proclab'] / base:4.2f}x)"
    if "strace" in r:
        line += f"  strace -f {r['strace']:7.3f}s ({r['strace'] / base:4.2f}x; proclab/strace {r['proclab'] / r['strace']:4.2f})"
    line += f"  peak {r['pss'] / MiB:5.1f} MiB"
    if target_text:
        line += f"  {target_text} {verdict(ok)}"
    print(line)


def linear(ctx, label, points):
    """Per-unit overhead at the largest size within 1.5x of the smallest's.
    A lab's fixed cost (its start and end) is taken out of both first: left
    in, it would make the small size look dear and hide a superlinear one.
    An overhead within 5% of the untraced run's own time is within what
    runs of it vary by, so up to that much per unit counts as no growth:
    where the kernel's own cost dominates (the deep chain) proclab's share
    can be nil at one size and not at the other."""
    (n0, r0), (n1, r1) = points[0], points[-1]
    per0 = max(r0["proclab"] - r0["plain"] - ctx.fixed, 0.0) / n0
    per1 = max(r1["proclab"] - r1["plain"] - ctx.fixed, 0.0) / n1
    noise = 0.05 * r1["plain"] / n1
    ok = per1 <= 1.5 * per0 + noise or ctx.small
    ratio = f"{per1 / per0:.2f}x" if per0 > 0 else "none at the small size"
    print(f"   {label}: proclab's cost per unit {per0 * 1e6:.1f} us at {n0}, {per1 * 1e6:.1f} us at {n1} "
          f"({ratio}; linear: <= 1.5x, give or take {noise * 1e6:.1f} us of the untraced run's noise) "
          f"{verdict(ok) if not ctx.small else '(--small: not judged)'}")
    return ok


# ------------------------------------------------------------------ workloads

def forkstorm(ctx):
    """Fork storm, 1,000 and 10,000 cycles: <= 1.4x untraced and <= 0.85x strace -f; linear."""
    print("fork storm (fork, _exit, waitpid in C)")
    points, ok = [], True
    for n in (ctx.size(1000), ctx.size(10000)):
        r = compare(ctx, [ctx.exe["fork_storm"], str(n)])
        good = r["proclab"] <= 1.4 * r["plain"] and r["proclab"] <= 0.85 * r["strace"]
        show(f"{n} cycles", r, "<= 1.4x untraced and <= 0.85x strace", good)
        ok &= good
        points.append((n, r))
    ctx.series["fork storm (cycles)"] = [(n, r["proclab"], r["plain"]) for n, r in points]
    return linear(ctx, "fork storm", points) and ok


def alive(ctx, exe, label, series, sizes):
    points = []
    for n in (ctx.size(sizes[0]), ctx.size(sizes[1])):
        cap = str(n + 64)
        r = compare(ctx, [exe, str(n)], flags=("--max-processes", cap, "--max-tasks", cap), strace=False,
                    reps=max(1, ctx.reps // 2))
        show(f"{n} processes alive at once", r, "", True)
        points.append((n, r))
    ctx.series[series] = [(n, r["proclab"], r["plain"]) for n, r in points]
    return linear(ctx, label, points)


def wide(ctx):
    """10,000 processes alive at once as a wide tree (cap raised): linear."""
    print("wide tree: one parent, N children alive at once")
    return alive(ctx, ctx.exe["wide_tree"], "wide tree", "wide tree (processes)", (1000, 10000))


def chain(ctx):
    """A deep chain (cap raised), 500 and 1,000 deep: proclab's cost per process linear.
    Not 10,000: the kernel's own fork is quadratic in the depth (each fork
    clones every ancestor's anon_vma links; bench/README.md), so 3,000 deep
    took 105 s untraced here; the wide tree has the 10,000."""
    print("deep chain: each process forks the next and waits for it")
    return alive(ctx, ctx.exe["deep_chain"], "deep chain", "deep chain (processes)", (500, 1000))


def pool(ctx):
    """A Python multiprocessing Pool, 4,000 and 40,000 tasks: <= 1.05x untraced.
    At 4,000 tasks (0.1 s) 5% is 5 ms, about a lab's whole start (printed
    first): it held only once the program's child moved itself into the
    run's cgroup (bench/README.md, "A lab's start")."""
    print("Python Pool (4 workers, chunksize 1)")
    shutil.copy(os.path.join(HERE, "pool_work.py"), ctx.tmp)
    ok = True
    for n in (ctx.size(4000), ctx.size(40000)):
        # strace -f takes 12x a Pool: beside the small one only.
        r = compare(ctx, [PYTHON, os.path.join(ctx.tmp, "pool_work.py"), str(n)], strace=n < 10000)
        good = r["proclab"] <= 1.05 * r["plain"]
        show(f"{n} tasks", r, "<= 1.05x untraced", good)
        ok &= good
    return ok


def signals(ctx):
    """100,000 SIGUSR1 round trips, none coalesced: <= 0.8x strace -f."""
    n = ctx.size(100000)
    print(f"signal storm: {n} SIGUSR1 round trips between two processes")
    # Four events a round trip (each signal sent and delivered): past the
    # default cap of 250,000, which would end the run.
    flags = ("--max-events", str(4 * n + 1000), "--max-event-memory", "1GiB")
    r = compare(ctx, [ctx.exe["ping_pong"], str(n)], flags=flags, reps=max(1, ctx.reps // 2))
    ok = r["proclab"] <= 0.8 * r["strace"]
    show(f"{n} round trips", r, "<= 0.8x strace", ok)
    return ok


def flood(ctx):
    """100 MB through 8 writers: memory bounded by the caps, not the output (<= 150 MiB)."""
    mb = ctx.size(100)
    print(f"output flood: {mb} MB in 4 KiB lines through 8 writers")
    r = compare(ctx, [ctx.exe["writers"], "8", str(mb)], strace=False)
    ok = r["pss"] <= 150 * MiB
    show(f"{mb} MB", r, "peak <= 150 MiB", ok)
    return ok


def events(ctx):
    """A 250,000-event timeline: under 1 KiB of proclab memory per event;
    JSON write and read times and bytes per event; linear in events."""
    print("events: one output line per write, as many events")
    ok, points = True, []
    base = reliability.measure(ctx.trace() + ["/bin/true"], ctx.proclab, ctx.tmp).peak_pss
    for n in (ctx.size(50000), ctx.size(250000)):
        flags = ("--max-events", str(n + 1000), "--max-event-memory", "1GiB", "--output-cap", "64MiB")
        cmd = [ctx.exe["lines"], str(n)]
        r = compare(ctx, cmd, flags=flags, strace=False, reps=max(1, ctx.reps // 2))
        js = os.path.join(ctx.tmp, f"events-{n}.json")
        with_json = statistics.median(timed(ctx.trace(*flags, "--json", js) + cmd) for _ in range(3))
        size = os.path.getsize(js)
        page = os.path.join(ctx.tmp, f"events-{n}.html")
        read = statistics.median(timed([ctx.proclab, "report", "html", js, "-o", page]) for _ in range(3))
        per_event = (r["pss"] - base) / n
        good = per_event < KiB
        show(f"{n} events", r, f"{per_event:.0f} B/event over a bare lab's {base / MiB:.1f} MiB (< 1 KiB)", good)
        print(f"      JSON: written in {max(0.0, with_json - r['proclab']):.2f}s more than without it, "
              f"{size / MiB:.1f} MiB ({size / n:.0f} B/event); read and drawn by `report html` in {read:.2f}s")
        ok &= good
        points.append((n, r))
    ctx.series["output events"] = [(n, r["proclab"], r["plain"]) for n, r in points]
    return linear(ctx, "events", points) and ok


def suite(ctx):
    """proclab run of 1,000 generated scenarios, -j 2: under 30 s."""
    n = ctx.size(1000)
    folder = os.path.join(ctx.tmp, "suite")
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        with open(os.path.join(folder, f"s{i:04}.yaml"), "w") as f:
            f.write(f"scenario: trivial-{i}\ndescription: /bin/true exits 0\nprogram: [/bin/true]\n"
                    "roles: {main: main}\nexpect:\n  - exit: {process: main, code: 0}\n")
    print(f"suite: proclab run of {n} trivial scenarios, -j 2")
    m = reliability.measure([ctx.proclab, "run", folder, "-j", "2"], ctx.proclab, ctx.tmp)
    own = statistics.median(timed(["/bin/true"]) for _ in range(20))
    limit = 30.0 * n / 1000
    ok = m.status == 0 and m.wall < limit
    print(f"   {n} scenarios in {m.wall:.1f}s ({n / m.wall:.0f}/s; {2 * m.wall / n * 1e3:.1f} ms each per job "
          f"beyond /bin/true's own {own * 1e3:.1f} ms), status {m.status}, peak {m.peak_pss / MiB:.1f} MiB "
          f"(< {limit:.0f}s) {verdict(ok)}")
    return ok


WORKLOADS = {"forkstorm": forkstorm, "wide": wide, "chain": chain, "pool": pool, "signals": signals,
             "flood": flood, "events": events, "suite": suite}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proclab", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--svg", default=os.path.join(HERE, "out", "scale.svg"))
    ap.add_argument("--small", action="store_true")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n]
    for n in names:
        if n not in WORKLOADS:
            ap.error(f"unknown workload {n!r}; known: {', '.join(WORKLOADS)}")
    tmp = tempfile.mkdtemp(prefix="proclab-scale-")
    os.chmod(tmp, 0o755)  # the lab drops root to nobody
    start, missed = time.perf_counter(), []
    try:
        ctx = Context(os.path.realpath(args.proclab), tmp, args.reps, args.small)
        bare = [timed(["/bin/true"]) for _ in range(10)]
        traced = [timed(ctx.trace() + ["/bin/true"]) for _ in range(10)]
        ctx.fixed = max(0.0, statistics.median(traced) - statistics.median(bare))
        print(f"a lab's fixed cost: trace -- /bin/true {ctx.fixed * 1e3:.1f} ms beyond /bin/true (median of 10)")
        for n in names:
            if not WORKLOADS[n](ctx):
                missed.append(n)
            sys.stdout.flush()
        if ctx.series:
            os.makedirs(os.path.dirname(os.path.abspath(args.svg)), exist_ok=True)
            with open(args.svg, "w") as f:
                f.write(scale_plot.svg(ctx.series, ctx.fixed))
            print(f"plot: {args.svg}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"scale: {len(names) - len(missed)}/{len(names)} workloads met their targets in "
          f"{time.perf_counter() - start:.0f}s" + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
