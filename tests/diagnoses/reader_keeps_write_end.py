# The reader reads the pipe until end-of-file, which never comes: it kept its
# own copy of the write end, and so did the writer, which waits for it.
import os

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    while os.read(r, 100):
        pass
    os._exit(0)
os.write(w, b"hello\n")
os.waitpid(pid, 0)
