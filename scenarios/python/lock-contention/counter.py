"""Four processes add 1 to a shared counter 5000 times each. With the lock
the total is exact; without it, updates are lost.

An increment is three steps: read the value, add one, write it back. The
os.sched_yield() between reading and writing stands for the moment the
scheduler may switch to another process — with it, that happens on every
increment instead of once in a while, so the lesson shows on every run."""
import multiprocessing
import os
import sys

PER_WORKER = 5000
WORKERS = 4


def add(counter, lock, use_lock):
    for _ in range(PER_WORKER):
        if use_lock:
            with lock:
                value = counter.value
                os.sched_yield()
                counter.value = value + 1
        else:
            value = counter.value
            os.sched_yield()
            counter.value = value + 1


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    use_lock = sys.argv[1] == "with-lock"
    counter = multiprocessing.Value("i", 0, lock=False)  # a bare shared int
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=add, args=(counter, lock, use_lock)) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    expected = PER_WORKER * WORKERS
    print(f"final {counter.value} of {expected}")
    print(f"lost {expected - counter.value} updates")
