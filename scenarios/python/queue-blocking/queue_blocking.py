"""A bounded queue (maxsize 2) between a fast producer and a slow consumer:
put() blocks while the queue is full, get() blocks while it is empty."""
import multiprocessing
import time


def consumer(q):
    time.sleep(0.5)  # start late: the producer fills the queue and blocks
    while True:
        item = q.get()
        if item is None:
            break
        print(f"got {item}", flush=True)
        time.sleep(0.1)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    q = multiprocessing.Queue(maxsize=2)
    c = multiprocessing.Process(target=consumer, args=(q,))
    c.start()
    for i in range(5):
        t0 = time.monotonic()
        q.put(i)
        waited = time.monotonic() - t0
        # put(2) waits for the consumer, which starts 0.5s late; an unblocked put
        # can take tens of ms on a loaded machine (the feeder thread starts).
        print(f"put {i}" + (" after waiting" if waited > 0.25 else ""), flush=True)
    q.put(None)
    c.join()
