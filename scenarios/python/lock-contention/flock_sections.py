"""Four processes take turns in a critical section guarded by an flock(2)
lock on a file. Each prints 'enter' once it holds the lock and 'leave'
just before it lets go, and how long it waited for the lock and held it.

Usage: flock_sections.py [lock|nolock]. 'nolock' is the negative control:
the same program without the lock, whose sections overlap."""
import fcntl
import os
import sys
import time

WORKERS = 4
ROUNDS = 3
HOLD = 0.03  # seconds inside the section


def worker(path, use_lock):
    with open(path, "a") as f:
        for _ in range(ROUNDS):
            asked = time.monotonic()
            if use_lock:
                fcntl.flock(f, fcntl.LOCK_EX)
            got = time.monotonic()
            print(f"enter {os.getpid()}", flush=True)
            print(f"waited {got - asked:.6f}", flush=True)
            time.sleep(HOLD)
            print(f"held {time.monotonic() - got:.6f}", flush=True)
            print(f"leave {os.getpid()}", flush=True)
            if use_lock:
                fcntl.flock(f, fcntl.LOCK_UN)
            time.sleep(0.005)  # outside: let another take its turn


if __name__ == "__main__":
    use_lock = (sys.argv[1] if len(sys.argv) > 1 else "lock") == "lock"
    # TMPDIR is the run's own folder (removed after it): no lock file is
    # left in the lesson's folder.
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "sections.lock")
    children = []
    for _ in range(WORKERS):
        pid = os.fork()
        if pid == 0:
            worker(path, use_lock)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    print("done", flush=True)
