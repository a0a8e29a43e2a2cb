"""BUG: wrong signals. The conductor tells the driver with SIGTERM and SIGHUP
instead of SIGUSR1 and SIGUSR2. The lines are printed, but not because of
the signals the homework asks for."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, depart)
signal.signal(signal.SIGHUP, arrive)
driver = os.getpid()
conductor = os.fork()
if conductor == 0:
    signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGTERM))
    signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGHUP), sys.exit(0)))
    while True:
        signal.pause()
os.waitpid(conductor, 0)
sys.exit(0)
