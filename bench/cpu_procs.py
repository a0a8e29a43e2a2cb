"""CPU-bound Python for bench/cpu_figures.py: WORKERS forked processes,
each summing N squares.   cpu_procs.py N WORKERS
Prints "start" before the work and "self cpu SECONDS wall SECONDS" after
it: the CPU of this process and the children it joined, and the monotonic
clock across the work, read in the process."""
import multiprocessing
import resource
import sys
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


if __name__ == "__main__":
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    ctx = multiprocessing.get_context("fork")  # pinned: 3.14 changed the default
    print("start", flush=True)
    wall, used = time.perf_counter(), cpu()
    procs = [ctx.Process(target=work, args=(n,)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f"self cpu {cpu() - used:.6f} wall {time.perf_counter() - wall:.6f}", flush=True)
