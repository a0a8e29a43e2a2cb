"""A multiprocessing Pool workload: 4 workers, 4000 small tasks sent one at a
time (chunksize=1), so the run is dominated by the Pool's own pipes and locks."""
import multiprocessing


def work(n):
    return sum(i * i for i in range(n % 300 + 100))


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        total = sum(pool.map(work, range(4000), chunksize=1))
    print(total)
