"""A conductor-as-parent submission whose driver (the child) prints "arrived"
instead of 到站了: its failed step must name processes by the roles every
assignment shares, never by the first assignment's (which would call the
child "conductor" while the judge, choosing assignment 2, calls it the driver)."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("arrived", flush=True)
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
