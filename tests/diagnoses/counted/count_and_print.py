# Each run adds a line to runs.log, so the test counts the labs it took. With
# --lose the line printed is lost in the buffer (os._exit).
import os
import sys

with open("runs.log", "a") as log:
    log.write("run\n")
print("到站了")
if sys.argv[1:] == ["--lose"]:
    os._exit(0)
