"""A Pool of 3 workers given 9 tasks of 200 ms: never more than 3 run at once,
each worker takes several tasks in turn, and the whole takes about 3 rounds."""
import multiprocessing
import os
import time


def task(i):
    time.sleep(0.2)
    print(f"task {i} done by {os.getpid()}", flush=True)
    return i * i


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool(3) as pool:
        results = pool.map(task, range(9), chunksize=1)
    print("results", results)
