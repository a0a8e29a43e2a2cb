"""Reliability targets: proclab's memory under floods, steps and the loader in
linear time, and what a lab's private network costs at start.

Each target prints its figures and `ok` or `MISSED`; the exit status is 1 when
any target is missed. bench/README.md explains each one.

  python3 bench/reliability.py --proclab build/proclab [--only NAME[,NAME...]]

NAME: flood-memory, suite-memory, steps, loader, lab-start.
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
MiB = 1024 * 1024


# ------------------------------------------------------------------ helpers

def descendants(root):
    """root and every live descendant of it (by the ppid in /proc/PID/stat)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def is_proclab(pid, exe):
    try:
        return os.readlink(f"/proc/{pid}/exe").removesuffix(" (deleted)") == exe
    except OSError:
        return False


class Measured:
    def __init__(self, status, wall, peak_pss, maxrss, peak_procs):
        self.status, self.wall, self.peak_pss, self.maxrss, self.peak_procs = status, wall, peak_pss, maxrss, peak_procs


def measure(cmd, exe, cwd, period=0.05, timeout=600):
    """Runs cmd; samples the sum of PSS of every proclab process of its tree (whose
    /proc/PID/exe is `exe`) every `period` seconds. Returns the peak (bytes),
    wall time, exit status and wait4's ru_maxrss (bytes: the largest single
    process among proclab and the descendants it reaped)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    peak, peak_procs = 0, 0
    try:
        while True:
            # Has it exited? (WNOWAIT: leave it for wait4, which gives the rusage.)
            if os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                break
            if time.perf_counter() - start > timeout:
                p.kill()
                break
            procs = [pid for pid in descendants(p.pid) if is_proclab(pid, exe)]
            total = sum(pss_kib(pid) for pid in procs) * 1024
            if total > peak:
                peak, peak_procs = total, len(procs)
            time.sleep(period)
    finally:
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    return Measured(p.returncode, time.perf_counter() - start, peak, ru.ru_maxrss * 1024, peak_procs)


def verdict(ok):
    return "ok" if ok else "MISSED"


def flood_scenarios(folder, flood, n):
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        with open(os.path.join(folder, f"flood-{i}.yaml"), "w") as f:
            f.write(f"scenario: flood-{i}\n"
                    "description: four processes write 2-byte lines to stdout and stderr forever\n"
                    "timeout: 20s\n"
                    f"program: [{flood}]\n"
                    "roles: {main: main}\n"
                    "expect:\n"
                    "  - exit: {process: main, code: 0}\n")


# ------------------------------------------------------------------ targets

def flood_memory(ctx):
    """1. One run at the default caps: the PSS of proclab's processes ≤ 150 MiB."""
    out = os.path.join(ctx.tmp, "flood.json")
    m = measure([ctx.proclab, "trace", "-q", "--json", out, "--timeout", "20s", "--", ctx.flood], ctx.proclab, ctx.tmp)
    ok = m.peak_pss <= 150 * MiB
    size = os.path.getsize(out) if os.path.exists(out) else 0
    print(f"1. flood, one trace run: peak PSS of proclab's {m.peak_procs} processes {m.peak_pss / MiB:.1f} MiB "
          f"(<= 150 MiB) {verdict(ok)}; ru_maxrss {m.maxrss / MiB:.1f} MiB; ended in {m.wall:.1f}s "
          f"(--timeout 20s), status {m.status}, JSON {size / MiB:.1f} MiB")
    return ok


def suite_memory(ctx):
    """2. proclab run -j 2 of 24 flooding scenarios <= 1.25 x the peak for 8, and
    <= (jobs + 1) x 150 MiB; 2 scenarios shown for reference."""
    peaks = {}
    for n in (2, 8, 24):
        folder = os.path.join(ctx.tmp, f"suite-{n}")
        flood_scenarios(folder, ctx.flood, n)
        report = os.path.join(ctx.tmp, f"suite-{n}.json")
        m = measure([ctx.proclab, "run", folder, "-j", "2", "--report", f"json:{report}"], ctx.proclab, ctx.tmp)
        peaks[n] = m
        size = os.path.getsize(report) if os.path.exists(report) else 0
        print(f"   {n} scenarios: peak PSS {m.peak_pss / MiB:.1f} MiB over {m.peak_procs} proclab processes, "
              f"ru_maxrss {m.maxrss / MiB:.1f} MiB, {m.wall:.1f}s, status {m.status}, report {size / MiB:.1f} MiB")
    ratio = peaks[24].peak_pss / max(1, peaks[8].peak_pss)
    bound = 3 * 150 * MiB
    ok = ratio <= 1.25 and peaks[24].peak_pss <= bound and all(m.status == 1 for m in peaks.values())
    print(f"2. suite memory, 24 vs 8 flooding scenarios (-j 2): {peaks[24].peak_pss / MiB:.1f} / "
          f"{peaks[8].peak_pss / MiB:.1f} MiB = {ratio:.2f}x (<= 1.25x), and <= {bound / MiB:.0f} MiB "
          f"(2 scenarios: {peaks[2].peak_pss / MiB:.1f} MiB) {verdict(ok)}")
    return ok


def steps(ctx):
    """3. A 4000-cycle fork loop in a scenario: one sleep step costs ≤ 1.5× (median of 3)."""
    storm = os.path.join(ctx.tmp, "fork_storm")
    subprocess.run(["cc", "-O2", "-o", storm, os.path.join(HERE, "fork_storm.c")], check=True)
    files = {}
    for name, extra in (("plain", ""), ("step", "steps:\n  - sleep: 10ms\n")):
        path = os.path.join(ctx.tmp, f"forks-{name}.yaml")
        with open(path, "w") as f:
            f.write(f"scenario: forks-{name}\n"
                    "description: 4000 cycles of fork, _exit, waitpid\n"
                    "timeout: 120s\n"
                    f"program: [{storm}, '4000']\n"
                    "roles: {main: main}\n"
                    f"{extra}"
                    "expect:\n"
                    "  - exit: {process: main, code: 0}\n")
        files[name] = path
    times = {"plain": [], "step": []}
    statuses = set()
    for _ in range(3):
        for name, path in files.items():
            start = time.perf_counter()
            r = subprocess.run([ctx.proclab, "run", "-j", "1", "--", path], cwd=ctx.tmp,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
            statuses.add(r.returncode)
    plain, step = statistics.median(times["plain"]), statistics.median(times["step"])
    ratio = step / plain
    ok = ratio <= 1.5 and statuses == {0}
    print(f"3. steps: 4000 fork/exit/wait cycles in a scenario: {plain:.2f}s without steps, {step:.2f}s with one "
          f"sleep step = {ratio:.2f}x (<= 1.5x) {verdict(ok)}"
          + ("" if statuses == {0} else f" (statuses {sorted(statuses)}: the runs should pass)"))
    return ok


def big_scenario(path, target_bytes):
    """A valid scenario of about target_bytes: actors made of long print actions, and
    output expectations. Under the reader's 200000-action limit."""
    text = "x" * 200
    with open(path, "w") as f:
        f.write("scenario: big\ndescription: a 10 MB scenario, for the loader\ntimeout: 10s\nactors:\n")
        f.write("  main: [exit: 0]\n")
        i = 0
        while f.tell() < target_bytes * 0.9:
            f.write(f"  w{i}:\n")
            for j in range(40):
                f.write(f"    - print: \"{text} {i}.{j}\"\n")
            i += 1
        f.write("expect:\n")
        j = 0
        while f.tell() < target_bytes:
            f.write(f"  - output: {{match: \"^{text}-{j}$\", by: main, count: {{max: 1}}}}\n")
            j += 1
    return os.path.getsize(path)


def many_expectations(path, target_bytes):
    """A scenario of about target_bytes that is nearly all short `output`
    expectations: the loader's most expensive bytes (about 11 document nodes
    and one Expectation per 80-byte line)."""
    with open(path, "w") as f:
        f.write("scenario: expectations\ndescription: a 10 MB scenario of expectations\n"
                "timeout: 10s\nactors:\n  main: [exit: 0]\nexpect:\n")
        j = 0
        while f.tell() < target_bytes:
            f.write(f"  - output: {{match: \"^{'x' * 20}-{j}$\", by: main, count: {{max: 1}}}}\n")
            j += 1
    return os.path.getsize(path)


def many_actors(path, n):
    with open(path, "w") as f:
        f.write("scenario: many-actors\ndescription: 40,000 actors, for the loader\nactors:\n")
        for i in range(n):
            f.write(f"  a{i}: [exit: 0]\n" if i else "  a0: [fork: a1, wait: a1]\n")
    return os.path.getsize(path)


def check_run(ctx, path):
    """(median wall of 3, largest ru_maxrss, statuses) of `proclab check path`."""
    walls, rss, statuses = [], 0, set()
    for _ in range(3):
        start = time.perf_counter()
        p = subprocess.Popen([ctx.proclab, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        walls.append(time.perf_counter() - start)
        rss = max(rss, ru.ru_maxrss * 1024)
        statuses.add(p.returncode)
        if p.returncode != 0:
            print(f"   proclab check {path}: status {p.returncode}: {p.stderr.read().decode(errors='replace')[:500]}")
        p.stderr.close()
    return statuses, statistics.median(walls), rss


def loader(ctx):
    """4. 10 MB scenarios (long actors, or expectations only) check in < 2 s and < 20× their size;
    40,000 actors in < 2 s."""
    big = os.path.join(ctx.tmp, "big.yaml")
    size = big_scenario(big, 10 * 1000 * 1000)
    statuses, wall, rss = check_run(ctx, big)
    ok1 = statuses == {0} and wall < 2 and rss < 20 * size
    print(f"4. loader: a {size / 1e6:.1f} MB scenario: proclab check {wall:.2f}s (< 2s), ru_maxrss {rss / MiB:.1f} MiB "
          f"= {rss / size:.1f}x its size (< 20x), status {sorted(statuses)} {verdict(ok1)}")
    dense = os.path.join(ctx.tmp, "expectations.yaml")
    dsize = many_expectations(dense, 10 * 1000 * 1000)
    statuses, wall, rss = check_run(ctx, dense)
    ok3 = statuses == {0} and wall < 2 and rss < 20 * dsize
    print(f"   a {dsize / 1e6:.1f} MB scenario of output expectations only: proclab check {wall:.2f}s (< 2s), "
          f"ru_maxrss {rss / MiB:.1f} MiB = {rss / dsize:.1f}x its size (< 20x), status {sorted(statuses)} "
          f"{verdict(ok3)}")
    actors = os.path.join(ctx.tmp, "actors.yaml")
    asize = many_actors(actors, 40000)
    statuses, wall, rss = check_run(ctx, actors)
    ok2 = statuses == {0} and wall < 2
    print(f"   40,000 actors ({asize / 1e6:.1f} MB): proclab check {wall:.2f}s (< 2s), ru_maxrss {rss / MiB:.1f} MiB, "
          f"status {sorted(statuses)} {verdict(ok2)}")
    return ok1 and ok2 and ok3


def lab_start(ctx):
    """5. trace -- /bin/true with the default private network ≤ 1.5 × with --network host + 5 ms."""
    runs = {"loopback": [], "host": []}
    cmds = {"loopback": [ctx.proclab, "trace", "--", "/bin/true"],
            "host": [ctx.proclab, "trace", "--network", "host", "--", "/bin/true"]}
    for cmd in cmds.values():  # warm up
        subprocess.run(cmd, cwd=ctx.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    statuses = set()
    for _ in range(20):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            r = subprocess.run(cmd, cwd=ctx.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs[name].append(time.perf_counter() - start)
            statuses.add(r.returncode)
    own, host = statistics.median(runs["loopback"]) * 1e3, statistics.median(runs["host"]) * 1e3
    limit = 1.5 * host + 5
    ok = own <= limit and statuses == {0}
    print(f"5. lab start: trace -- /bin/true {own:.1f} ms (own network, median of 20) vs {host:.1f} ms "
          f"(--network host): +{own - host:.1f} ms (<= 1.5 x {host:.1f} + 5 = {limit:.1f} ms) {verdict(ok)}"
          + ("" if statuses == {0} else f" (statuses {sorted(statuses)})"))
    return ok


TARGETS = {"flood-memory": flood_memory, "suite-memory": suite_memory, "steps": steps, "loader": loader,
           "lab-start": lab_start}


class Context:
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proclab", required=True)
    ap.add_argument("--only", default=",".join(TARGETS), help="comma-separated: " + ", ".join(TARGETS))
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n]
    for n in names:
        if n not in TARGETS:
            ap.error(f"unknown target {n!r}; known: {', '.join(TARGETS)}")
    ctx = Context()
    ctx.proclab = os.path.realpath(args.proclab)
    # The lab drops root to nobody: put the programs where nobody can read them.
    ctx.tmp = tempfile.mkdtemp(prefix="bench-proclab-")
    os.chmod(ctx.tmp, 0o755)
    missed = []
    start = time.perf_counter()
    try:
        ctx.flood = os.path.join(ctx.tmp, "flood")
        subprocess.run(["cc", "-O2", "-o", ctx.flood, os.path.join(HERE, "flood.c")], check=True)
        for n in names:
            if not TARGETS[n](ctx):
                missed.append(n)
            sys.stdout.flush()
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    print(f"reliability: {len(names) - len(missed)}/{len(names)} targets met in {time.perf_counter() - start:.0f}s"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
