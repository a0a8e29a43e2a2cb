"""CORRECT, the other way round: the conductor is the parent and the driver
its child. The homework allows it ("a parent and a child process represent
the driver and the conductor"), so it must earn full marks.

Ctrl-C: the conductor tells the driver to depart (SIGUSR1). Ctrl-\\: it tells
the driver to stop (SIGUSR2); the driver prints 到站了 and exits, and the
conductor, its parent, reaps it and exits 0."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)
    sys.exit(0)


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, depart)
signal.signal(signal.SIGUSR2, arrive)
driver = os.fork()
if driver == 0:
    while True:
        signal.pause()
signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
signal.signal(signal.SIGQUIT, lambda s, f: os.kill(driver, signal.SIGUSR2))
os.waitpid(driver, 0)
sys.exit(0)
