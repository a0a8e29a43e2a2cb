"""fork vs spawn: which processes run the main module's top level.

    start_method.py fork|spawn

The course's program prints "Initialize" at the top of its module, then
starts one worker. Under "fork" the worker is a copy of the parent made after
that line, so only the parent prints it. Under "spawn" the worker is a fresh
interpreter (fork, then exec of python) that imports the main module again
(as __mp_main__) to find the worker's function, and prints the line too. The
start method is pinned: Python 3.14 changed the default on Linux from fork to
forkserver.
"""
import multiprocessing
import os
import sys

print(f"Initialize in {os.getpid()}", flush=True)


def work():
    print(f"worker {os.getpid()} working", flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    worker = ctx.Process(target=work)
    worker.start()
    worker.join()
    print(f"done with exit code {worker.exitcode}", flush=True)
