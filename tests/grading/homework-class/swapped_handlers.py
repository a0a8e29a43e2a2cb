"""BUG: swapped handlers. The driver's SIGUSR1 handler prints 到站了 and its
SIGUSR2 handler prints 发车了, so after Ctrl-C the driver announces the
arrival, and after Ctrl-\\ the departure."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, arrive)
signal.signal(signal.SIGUSR2, depart)
driver = os.getpid()
conductor = os.fork()
if conductor == 0:
    signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
    signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGUSR2), sys.exit(0)))
    while True:
        signal.pause()
os.waitpid(conductor, 0)
sys.exit(0)
