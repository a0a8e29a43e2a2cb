"""Runs a command and prints the kernel's figures for it: the CPU wait4
reports (user + system, with the children it reaped) and the wall time from
posix_spawn to wait4, as "cpu SECONDS wall SECONDS". bench/cpu_figures.py
runs it untraced, and under proclab to read the kernel's view of a traced run.

    rusage_of.py PROGRAM [ARG...]
"""
import os
import sys
import time


def measure(cmd):
    start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: status {status}")
    return usage.ru_utime + usage.ru_stime, wall


if __name__ == "__main__":
    cpu, wall = measure(sys.argv[1:])
    print(f"cpu {cpu:.6f} wall {wall:.6f}", flush=True)
