"""RACE: every handler is installed after the fork, each process its own.

Between the fork and the signal.signal() calls, a Ctrl-C would kill the
driver (SIGINT still has its default action) and a Ctrl-\\ would kill both.
The window is a few milliseconds after the start; a person cannot press a key
in it, and neither does proclab: keys are paced until the program rests. So
this scores full marks, and the race is in the program, not in the grade."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


driver = os.getpid()
conductor = os.fork()
if conductor == 0:
    signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
    signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGUSR2), sys.exit(0)))
    while True:
        signal.pause()
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, depart)
signal.signal(signal.SIGUSR2, arrive)
os.waitpid(conductor, 0)
sys.exit(0)
