"""BUG: a crash at start. A typo (sigal for signal) raises NameError before
the fork, so there is never a conductor; the feedback quotes the traceback."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, sigal.SIG_IGN)
signal.signal(signal.SIGUSR1, depart)
signal.signal(signal.SIGUSR2, arrive)
driver = os.getpid()
conductor = os.fork()
if conductor == 0:
    signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
    signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGUSR2), sys.exit(0)))
    while True:
        signal.pause()
os.waitpid(conductor, 0)
sys.exit(0)
