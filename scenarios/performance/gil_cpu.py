"""The course's timing table as phases of one program: the same CPU-bound
work done serially, by threads, then by processes, each phase announced on
stdout ("== serial", "== threads", "== processes", "== done").

    gil_cpu.py N WORKERS [swap]

Each worker sums N squares. With "swap" the threads phase uses processes
and the processes phase threads: the lesson's negative control.
"""
import multiprocessing
import sys
import threading
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def in_threads(n, workers):
    threads = [threading.Thread(target=work, args=(n,)) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(n, workers):
    # The start method is pinned: Python 3.14 changed the default on Linux.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=work, args=(n,)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def phase(name, run):
    print(f"== {name}", flush=True)
    start = time.perf_counter()
    run()
    print(f"{name} took {time.perf_counter() - start:.2f}s", flush=True)


def main():
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    swap = len(sys.argv) > 3 and sys.argv[3] == "swap"
    phase("serial", lambda: [work(n) for _ in range(workers)])
    phase("threads", lambda: (in_processes if swap else in_threads)(n, workers))
    phase("processes", lambda: (in_threads if swap else in_processes)(n, workers))
    print("== done", flush=True)


if __name__ == "__main__":
    main()
