# The conductor's line is lost: os._exit does not flush its buffer.
import os

pid = os.fork()
if pid == 0:
    print("到站了")
    os._exit(0)
os.waitpid(pid, 0)
