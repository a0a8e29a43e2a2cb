"""A multiprocessing Pool workload: 4 workers, argv[1] (default 4000) small
tasks sent one at a time (chunksize=1), so the run is dominated by the Pool's
own pipes and locks."""
import multiprocessing
import sys


def work(n):
    return sum(i * i for i in range(n % 300 + 100))


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
        total = sum(pool.map(work, range(tasks), chunksize=1))
    print(total)
