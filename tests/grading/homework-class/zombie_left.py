"""BUG: a zombie is left. The driver never waits for the conductor: it polls
a flag, and once it has arrived it lingers a moment and exits. The conductor,
which exited first, stays a zombie until the driver is gone, and is then
reaped by whoever adopts it, not by the driver."""
import os
import signal
import sys
import time

arrived = False


def depart(sig, frame):
    print("发车了", flush=True)


def arrive(sig, frame):
    global arrived
    print("到站了", flush=True)
    arrived = True


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
    time.sleep(0.1)
time.sleep(0.5)
sys.exit(0)
