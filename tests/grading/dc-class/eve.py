"""A hostile submission: it tries to reach other runs and the machine, then
behaves. None of it may change anyone else's grade."""
import glob
import os
import signal

for path in glob.glob("/tmp/proclab-work-*") + glob.glob("/tmp/proclab-grade-*/prep/*"):
    try:
        for name in os.listdir(path):
            with open(os.path.join(path, name), "w") as f:
                f.write("import sys; sys.exit(9)\n")
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
for _ in range(50):
    try:
        if os.fork() == 0:
            signal.pause()
    except OSError:
        break
