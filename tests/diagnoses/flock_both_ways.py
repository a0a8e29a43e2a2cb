# Two workers take the same two file locks in opposite orders: each ends up
# holding one and waiting for the other's. The parent waits for both.
import fcntl
import os
import time


def worker(first, second):
    folder = os.environ["TMPDIR"]
    a = open(os.path.join(folder, first), "w")
    b = open(os.path.join(folder, second), "w")
    fcntl.flock(a, fcntl.LOCK_EX)
    time.sleep(0.3)  # both hold their first lock
    fcntl.flock(b, fcntl.LOCK_EX)
    os._exit(0)


children = []
for first, second in (("a.lock", "b.lock"), ("b.lock", "a.lock")):
    pid = os.fork()
    if pid == 0:
        worker(first, second)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
