#!/usr/bin/python3
"""Runs a command and samples the summed RSS of it and all its descendants every 0.2 s; prints the
peak (for training with helper processes or threads, where one process's VmHWM is not the whole).
Usage: python3 bench/peak-rss-tree.py <command...>   (QUIET=1 hides the command's stdout)"""
import os, subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL if os.environ.get('QUIET') else None)
peak = 0; peak_n = 0
def tree(root):
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                st = open(f'/proc/{d}/stat').read(); ppid = int(st.rsplit(')', 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except Exception: pass
    out, todo = [], [root]
    while todo:
        x = todo.pop(); out.append(x); todo += kids.get(x, [])
    return out
while p.poll() is None:
    tot = 0; n = 0
    for pid in tree(p.pid):
        try:
            for line in open(f'/proc/{pid}/status'):
                if line.startswith('VmRSS:'): tot += int(line.split()[1]); n += 1
        except Exception: pass
    if tot > peak: peak, peak_n = tot, n
    time.sleep(0.2)
print(f'peak summed RSS {peak/1024:.0f} MiB over {peak_n} processes; exit {p.returncode}', file=sys.stderr)
