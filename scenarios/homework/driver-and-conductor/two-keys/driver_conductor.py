"""Reference solution, 2 keys: the driver is the parent, the conductor its child.

Ctrl-C: the conductor tells the driver to depart (SIGUSR1), the driver prints
发车了. Ctrl-\\: the conductor tells the driver to stop (SIGUSR2) and goes
home; the driver prints 到站了, reaps the conductor and exits 0. Both ignore
SIGINT and SIGQUIT, except for the conductor's own handlers."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


def main():
    # Everything is installed before the fork, so no key can find a process
    # without its disposition.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, depart)
    signal.signal(signal.SIGUSR2, arrive)
    driver = os.getpid()
    conductor = os.fork()
    if conductor == 0:
        signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
        signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGUSR2), sys.exit(0)))
        while True:
            signal.pause()
    # Waiting for the conductor is all the driver does: the handlers run
    # while it waits, and there is no flag to test, so no wakeup can be lost
    # between a test and a pause().
    os.waitpid(conductor, 0)
    sys.exit(0)


main()
