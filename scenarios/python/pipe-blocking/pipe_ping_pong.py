"""A pipe between parent and child: read() blocks until the other end writes;
a duplex pair of pipes makes a ping-pong."""
import os
import time

if __name__ == "__main__":
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(to_child_w)
        os.close(to_parent_r)
        for _ in range(3):
            msg = os.read(to_child_r, 100).decode()  # blocks until the parent writes
            print(f"child got {msg}", flush=True)
            os.write(to_parent_w, b"pong")
        os._exit(0)
    os.close(to_child_r)
    os.close(to_parent_w)
    for i in range(3):
        time.sleep(0.3)  # the child sits blocked in read() meanwhile
        os.write(to_child_w, f"ping {i}".encode())
        print(f"parent got {os.read(to_parent_r, 100).decode()}", flush=True)
    os.waitpid(pid, 0)
