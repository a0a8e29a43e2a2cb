"""The course's timing table as phases of one program: the same CPU-bound
work done serially, by threads, then by processes, each phase announced on
stdout ("== serial", "== threads", "== processes", "== done").

    gil_cpu.py N WORKERS [swap]

Each worker sums N squares. With "swap" the threads phase uses processes
and the processes phase threads: the lesson's negative control.
"""
import sys

from phases import in_processes, in_threads, phase


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def main():
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    swap = len(sys.argv) > 3 and sys.argv[3] == "swap"
    phase("serial", lambda: [work(n) for _ in range(workers)])
    phase("threads", lambda: (in_processes if swap else in_threads)(work, (n,), workers))
    phase("processes", lambda: (in_threads if swap else in_processes)(work, (n,), workers))
    print("== done", flush=True)


if __name__ == "__main__":
    main()
