# Writes its result where the scenarios look for it, or misbehaves as asked:
#   --forget   writes nothing
#   --litter   also leaves a FIFO in /tmp and a file in /dev/shm
#   --link     makes out.txt a symbolic link to /etc/shadow
import os
import sys
import tempfile

args = sys.argv[1:]
if "--link" in args:
    os.symlink("/etc/shadow", "out.txt")
elif "--forget" not in args:
    with open("out.txt", "w") as f:
        f.write("counting\ntotal 4000\n")
    os.makedirs("logs", exist_ok=True)
    for name in ("a.log", "b.log"):
        with open(os.path.join("logs", name), "w") as f:
            f.write("finished\n")
if "--litter" in args:
    # Names no other run can have: the test removes them by what the trace says.
    fifo = tempfile.mktemp(prefix="proclab-test-fifo-", dir="/tmp")
    os.mkfifo(fifo)
    fd, _ = tempfile.mkstemp(prefix="proclab-test-shm-", dir="/dev/shm")
    os.write(fd, b"x" * 64)
    os.close(fd)
print("done")
