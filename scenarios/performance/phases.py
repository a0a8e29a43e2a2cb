"""The phases the timing lessons share: the same work done by WORKERS threads
or WORKERS processes, and a phase announced on stdout ("== NAME") with the
wall time it took. gil_cpu.py and io_bound.py import it (Python puts the
script's own folder first on sys.path)."""
import multiprocessing
import threading
import time


def in_threads(target, args, workers):
    threads = [threading.Thread(target=target, args=args) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(target, args, workers):
    # The start method is pinned: Python 3.14 changed the default on Linux.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=args) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def phase(name, run):
    print(f"== {name}", flush=True)
    start = time.perf_counter()
    run()
    print(f"{name} took {time.perf_counter() - start:.2f}s", flush=True)
