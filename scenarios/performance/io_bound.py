"""IO-bound work done serially, by threads, then by processes, each phase
announced on stdout ("== serial", "== threads", "== processes", "== done").

    io_bound.py WORKERS WAIT [locked]

Each task waits WAIT seconds, as a program waits for a disk or a server (a
sleep stands in for the I/O: no file is shared, so no race). A thread that
waits releases the GIL, so threads overlap their waits although only one
runs Python at a time. With "locked" the threads hold one lock across their
wait, as code that keeps a lock around its I/O does: the waits no longer
overlap. That is the lesson's negative control.
"""
import multiprocessing
import sys
import threading
import time


def task(wait, lock=None):
    if lock is None:
        time.sleep(wait)
        return
    with lock:
        time.sleep(wait)


def in_threads(workers, wait, lock):
    threads = [threading.Thread(target=task, args=(wait, lock)) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(workers, wait):
    # The start method is pinned: Python 3.14 changed the default on Linux.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=task, args=(wait,)) for _ in range(workers)]
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
    workers, wait = int(sys.argv[1]), float(sys.argv[2])
    lock = threading.Lock() if sys.argv[3:] == ["locked"] else None
    phase("serial", lambda: [task(wait) for _ in range(workers)])
    phase("threads", lambda: in_threads(workers, wait, lock))
    phase("processes", lambda: in_processes(workers, wait))
    print("== done", flush=True)


if __name__ == "__main__":
    main()
