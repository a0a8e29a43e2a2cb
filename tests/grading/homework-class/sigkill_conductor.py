"""BUG: wrong exit order by SIGKILL. The conductor never goes home by
itself; after 到站了 the driver kills it with SIGKILL, reaps it and exits.
The conductor should exit on its own and the driver only wait for it."""
import os
import signal
import sys

conductor = 0


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)
    os.kill(conductor, signal.SIGKILL)


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, depart)
signal.signal(signal.SIGUSR2, arrive)
driver = os.getpid()
conductor = os.fork()
if conductor == 0:
    signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
    signal.signal(signal.SIGQUIT, lambda s, f: os.kill(driver, signal.SIGUSR2))
    while True:
        signal.pause()
os.waitpid(conductor, 0)
sys.exit(0)
