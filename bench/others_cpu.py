#!/usr/bin/env python3
"""Prints the CPU time (clock ticks) charged so far to every process that is not PID or one of its
descendants: utime + stime + cutime + cstime of each, from /proc/N/stat. The difference of two calls is
what everything else on the machine used in between (a process that exits moves its time into its
parent's cutime, so it is still counted). scripts/bench uses it to say how quiet the machine was.
Usage: others_cpu.py PID"""
import os
import sys

me = int(sys.argv[1])
procs = {}
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        with open(f"/proc/{entry}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:  # gone meanwhile
        continue
    procs[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))


def ours(pid):
    for _ in range(64):
        if pid == me:
            return True
        if pid <= 1 or pid not in procs:
            return False
        pid = procs[pid][0]
    return False


print(sum(ticks for pid, (_, ticks) in procs.items() if not ours(pid)))
