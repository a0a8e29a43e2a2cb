"""BUG: the driver exits without waiting for the conductor.

The driver and the conductor: Ctrl-C tells the conductor to let the driver
depart, Ctrl-\\ to stop at the station; then both go home."""
import os
import signal
import sys

arrived = False


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    global arrived
    print("到站了", flush=True)
    arrived = True


def main():
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
    while not arrived:
        signal.pause()


main()
