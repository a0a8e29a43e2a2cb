"""More tasks than workers: a Pool of WORKERS processes given TASKS tasks.

    pool_queue.py WORKERS TASKS WAIT [unpooled]

Each task prints "start I", waits WAIT seconds, prints "end I". The pool
runs WORKERS tasks at a time; the others wait in its queue until a worker is
free. With "unpooled" every task gets a process of its own, all started at
once: nothing queues, and TASKS run at a time. That is the lesson's negative
control.
"""
import multiprocessing
import sys
import time


def task(i, wait):
    print(f"start {i}", flush=True)
    time.sleep(wait)
    print(f"end {i}", flush=True)
    return i


def main():
    workers, tasks, wait = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    # The start method is pinned: Python 3.14 changed the default on Linux.
    ctx = multiprocessing.get_context("fork")
    if sys.argv[4:] == ["unpooled"]:
        procs = [ctx.Process(target=task, args=(i, wait)) for i in range(1, tasks + 1)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    else:
        with ctx.Pool(workers) as pool:
            pool.starmap(task, [(i, wait) for i in range(1, tasks + 1)], chunksize=1)
    print("all done", flush=True)


if __name__ == "__main__":
    main()
