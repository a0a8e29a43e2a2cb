"""Reference solution, 3 keys: the driver is the parent, the conductor its child.

Ctrl-C: the conductor tells the driver to depart (SIGUSR1), the driver prints
发车了. Ctrl-Z: nobody stops; the driver tells the conductor to let the
passengers off (SIGUSR1), the conductor prints 请下车. Ctrl-\\: the conductor
tells the driver to stop (SIGUSR2) and goes home; the driver prints 到站了,
reaps the conductor and exits 0."""
import os
import signal
import sys


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    print("到站了", flush=True)


def get_off(sig, frame):
    print("请下车", flush=True)


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)
    signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, depart)
    signal.signal(signal.SIGUSR2, arrive)
    driver = os.getpid()
    conductor = os.fork()
    if conductor == 0:
        signal.signal(signal.SIGUSR1, get_off)
        signal.signal(signal.SIGINT, lambda s, f: os.kill(driver, signal.SIGUSR1))
        signal.signal(signal.SIGQUIT, lambda s, f: (os.kill(driver, signal.SIGUSR2), sys.exit(0)))
        while True:
            signal.pause()
    signal.signal(signal.SIGTSTP, lambda s, f: os.kill(conductor, signal.SIGUSR1))
    # The driver only waits: its handlers run while it waits.
    os.waitpid(conductor, 0)
    sys.exit(0)


main()
