# The driver waits in pause() for a SIGUSR1 its conductor never sends: the
# conductor leaves at once.
import os
import signal

pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
signal.pause()
