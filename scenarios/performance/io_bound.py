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
import sys
import threading
import time

from phases import in_processes, in_threads, phase


def task(wait, lock=None):
    if lock is None:
        time.sleep(wait)
        return
    with lock:
        time.sleep(wait)


def main():
    workers, wait = int(sys.argv[1]), float(sys.argv[2])
    lock = threading.Lock() if sys.argv[3:] == ["locked"] else None
    phase("serial", lambda: [task(wait) for _ in range(workers)])
    phase("threads", lambda: in_threads(task, (wait, lock), workers))
    phase("processes", lambda: in_processes(task, (wait,), workers))
    print("== done", flush=True)


if __name__ == "__main__":
    main()
