"""CPU-bound Python for bench/cpu_figures.py: WORKERS forked processes,
each summing N squares.   cpu_procs.py N WORKERS"""
import multiprocessing
import sys


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


if __name__ == "__main__":
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    ctx = multiprocessing.get_context("fork")  # pinned: 3.14 changed the default
    procs = [ctx.Process(target=work, args=(n,)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
