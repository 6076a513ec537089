#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the raw results scripts/bench collected in its work folder.

Usage: report.py WORK_DIR OUTPUT

Inputs (all written by scripts/bench): facts (key=value lines), probes.json, zkserver.json and entry.json
(hyperfine --export-json), runs/NAME.runs (bench/runstat: wall_us user_us sys_us maxrss_kib status per
run, and minor page faults), e2e.tsv (setup, arm, microseconds to ready). Targets are the ones of issue 6; each is shown with
its measured value and met/missed, and a missed one with the reason the numbers give.
"""
import json
import math
import statistics
import sys
from pathlib import Path

work = Path(sys.argv[1])
output = Path(sys.argv[2])

facts = {}
for line in (work / "facts").read_text().splitlines():
    key, _, value = line.partition("=")
    facts[key] = value
quick = facts.get("mode") == "quick"
probes_only = facts.get("scope") == "probes"  # scripts/bench --probes-only: sections 1 and 2 only

# "MB" in the targets is read as MiB (2^20 bytes), the unit the kernel, ps and top report memory in; the
# decimal value (10^6 bytes) is shown beside it, and a verdict that the other reading would flip says so.
MIB = 1024 * 1024
MB = 1_000_000


def hyperfine(name):
    return {r["command"]: r for r in json.loads((work / name).read_text())["results"]}


def runs(name):
    rows = []
    for line in (work / "runs" / f"{name}.runs").read_text().splitlines():
        wall, user, sys_, rss, status, *rest = (int(x) for x in line.split())
        rows.append({"wall": wall, "cpu": user + sys_, "rss": rss, "status": status, "faults": rest[0] if rest else 0})
    return rows


def median(xs):
    return statistics.median(xs)


def stdev(xs):
    return statistics.stdev(xs) if len(xs) > 1 else 0.0


def ms(seconds, digits=2):
    return f"{seconds * 1000:.{digits}f} ms"


def us_ms(us, digits=2):
    return f"{us / 1000:.{digits}f} ms"


def kib_mb(kib):
    return f"{kib / 1024:.2f} MiB ({kib * 1024 / MB:.2f} MB)"


def size_target(text, nbytes, limit_mb, why, shown=None):
    ok = nbytes <= limit_mb * MIB
    shown = shown or f"{nbytes / MIB:.2f} MiB ({nbytes / MB:.2f} MB)"
    if ok != (nbytes <= limit_mb * MB):
        shown += f"; {'missed' if ok else 'met'} if MB means 10^6 bytes"
    target(text, shown, ok, why)


def ratio(a, b):
    return a / b if b else math.inf


def x(value):
    return f"{value:.2f}x"


def verdict(ok):
    return "**met**" if ok else "**missed**"


out = []
w = out.append
targets = []  # (target, measured, ok, why-if-missed)


def target(text, measured, ok, why=""):
    targets.append((text, measured, ok, why))


# ---------------------------------------------------------------------------------------------- data
probe_wall = hyperfine("probes.json")
zkserver_wall = hyperfine("zkserver.json")["zkserver"]
probe_names = ["true", "floor", "live", "ready", "shell", "zkserver"]
labels = {
    "true": "`true` (process-spawn floor)",
    "floor": "C floor: static ruok client (`bench/ruok_floor.c`)",
    "live": "`zkagent live` (ruok)",
    "ready": "`zkagent ready` (srvr, checks Mode)",
    "shell": "shell probe: `$(echo ruok | nc 127.0.0.1 PORT)` == imok (`bench/shell_probe.sh`)",
    "zkserver": "`zkServer.sh status` (ZooKeeper package; a JVM)",
}
wall = {n: (zkserver_wall if n == "zkserver" else probe_wall[n]) for n in probe_names}
rs = {n: runs(n) for n in probe_names}
memory = {}
for n in ("floor", "live", "ready"):
    memory[n] = dict(f.split("=") for f in facts.get(f"probes.memory.{n}", "").split())
cpu_med = {n: median([r["cpu"] for r in rs[n]]) for n in probe_names}  # microseconds
rss_max = {n: max(r["rss"] for r in rs[n]) for n in probe_names}  # KiB
wrong = {n: sum(1 for r in rs[n] if r["status"] != 0) for n in probe_names}
for n in ("true", "floor", "live", "ready"):  # page faults per run (median): what a probe's startup costs most
    facts[f"probes.faults.{n}"] = f"{median([r['faults'] for r in rs[n]]):.0f}"
wall_med = {n: wall[n]["median"] for n in probe_names}  # seconds

entry = {} if probes_only else hyperfine("entry.json")

e2e = {}
for line in ([] if probes_only else (work / "e2e.tsv").read_text().splitlines()):
    setup, arm, us = line.split("\t")
    e2e.setdefault((setup, arm), []).append(int(us) / 1e6)

http_ids = facts.get("http.runs", "").split()


def wrk(id_):
    fields = facts[f"http.{id_}.wrk"].split()[1:]
    return {k: float(v) for k, v in (f.split("=") for f in fields)}


http = {}
for id_ in http_ids:
    d = wrk(id_)
    for key in ("connections", "elapsed_ms", "agent_cpu_us", "zk_4lw_all", "zk_4lw_cmd", "agent_4lw_all",
                "agent_4lw_cmd", "rejected", "evicted", "rss_peak_kib", "rss_kib"):
        d[key] = int(facts[f"http.{id_}.{key}"])
    d["route"] = facts[f"http.{id_}.route"]
    d["header"] = facts[f"http.{id_}.header"]
    d["command"] = facts[f"http.{id_}.command"]
    d["errors"] = int(d["connect_errors"] + d["read_errors"] + d["write_errors"] + d["timeouts"])
    window_s = int(facts["http.cache_window_ms"]) / 1000
    d["windows"] = math.floor(d["elapsed_ms"] / 1000 / window_s) + 1  # windows the run can touch
    d["cpu_per_req_us"] = d["agent_cpu_us"] / d["requests"] if d["requests"] else math.inf
    http[id_] = d

# ------------------------------------------------------------------------------------------- targets
spawn_cpu = cpu_med["true"]
spawn_wall = wall_med["true"]
for probe in ("live", "ready"):
    r = ratio(wall_med["shell"], wall_med[probe])
    goal = wall_med["shell"] / 3
    if goal < wall_med["floor"]:
        why = (f"3x less than the shell probe ({ms(wall_med['shell'])}) is {ms(goal)}, less than the C floor takes "
               f"({ms(wall_med['floor'])}: connect, send, read, nothing else; `true` alone {ms(spawn_wall)}): no exec "
               "probe can meet it on this machine, where starting a process is a large part of any probe")
    else:
        why = (f"3x less than the shell probe is {ms(goal)}; zkagent adds {ms(wall_med[probe] - spawn_wall)} to a "
               f"process spawn (`true`: {ms(spawn_wall)}), the C floor {ms(wall_med['floor'] - spawn_wall)}. The floor "
               f"itself is {x(ratio(wall_med['shell'], wall_med['floor']))} faster than the shell probe, so the target "
               f"leaves zkagent {(goal - wall_med['floor']) * 1e6:.0f} µs over the floor; it takes "
               f"{(wall_med[probe] - wall_med['floor']) * 1e6:.0f} µs (its event loop, the deadline timer, judging the reply)")
    target(f"`zkagent {probe}`: at least 3x less wall time than the shell probe",
           f"{x(r)} ({ms(wall_med['shell'])} / {ms(wall_med[probe])})", r >= 3, why)
for probe in ("live", "ready"):
    r = ratio(cpu_med["shell"], cpu_med[probe])
    goal = cpu_med["shell"] / 5
    if goal < cpu_med["floor"]:
        why = (f"5x less than the shell probe ({us_ms(cpu_med['shell'])}) is {us_ms(goal)}, less than the C floor "
               f"costs ({us_ms(cpu_med['floor'])}; `true` alone {us_ms(spawn_cpu)}, the kernel's work to create, "
               "exec and tear down a process): no exec probe can meet it on this machine")
    else:
        why = (f"5x less than the shell probe is {us_ms(goal)}; zkagent adds {us_ms(cpu_med[probe] - spawn_cpu)} "
               f"to a process spawn (`true`: {us_ms(spawn_cpu)}), the C floor {us_ms(cpu_med['floor'] - spawn_cpu)}")
    target(f"`zkagent {probe}`: at least 5x less CPU (user+sys) than the shell probe",
           f"{x(r)} ({us_ms(cpu_med['shell'])} / {us_ms(cpu_med[probe])})", r >= 5, why)
FLOOR_TARGET = 1.15  # issue 12: in every run of scripts/bench (issue 6 asked for 1.3x)
for probe in ("live", "ready"):
    r = ratio(wall_med[probe], wall_med["floor"])
    target(f"`zkagent {probe}`: wall time within {FLOOR_TARGET}x of the static C floor (issue 12; the stripped "
           "binary that ships)",
           f"{x(r)} ({ms(wall_med[probe])} / {ms(wall_med['floor'])})", r <= FLOOR_TARGET,
           f"zkagent adds {ms(wall_med[probe] - wall_med['floor'])} to the floor ({FLOOR_TARGET}x allows "
           f"{ms(wall_med['floor'] * (FLOOR_TARGET - 1))}): a larger static binary to map (page faults: "
           f"{facts.get(f'probes.faults.{probe}', '?')} against the floor's {facts.get('probes.faults.floor', '?')}), "
           "the settings resolved from the environment to find zoo.cfg, an Asio event loop with one deadline, a "
           "verdict line")
for probe in ("live", "ready"):
    mem = memory.get(probe, {})
    size_target(f"`zkagent {probe}`: peak RSS at most 3 MB", rss_max[probe] * 1024, 3,
                f"peak RSS counts the pages of the binary's file that the kernel maps in (it maps 64 KiB around "
                f"each page a run touches, when they are in the page cache: shared, clean, nothing allocated); "
                f"a snapshot of a run waiting for its reply holds {mem.get('RssFile:', '?')} KiB of such file pages and "
                f"{mem.get('RssAnon:', '?')} KiB of its own memory (section 1)")
for probe in ("live", "ready"):
    n = len(rs[probe])
    target(f"`zkagent {probe}`: zero wrong verdicts in 10,000 runs against a healthy server",
           f"{wrong[probe]} in {n:,} runs", wrong[probe] == 0 and n >= 10_000,
           "fewer than 10,000 runs (--quick)" if n < 10_000 else "see the correctness table")

cheapest = min(("floor", "live", "ready", "shell", "zkserver"), key=lambda n: cpu_med[n])
kubelet = http.get("readyz-1-close")
if kubelet:
    r = ratio(cpu_med[cheapest], kubelet["cpu_per_req_us"])
    target("an `httpGet` on `/readyz` costs the pod far less CPU than any exec probe (read as: at least 10x "
           "less than the cheapest exec probe measured)",
           f"{kubelet['cpu_per_req_us']:.1f} µs per request (a new connection each, as the kubelet does) vs "
           f"{us_ms(cpu_med[cheapest])} for the cheapest exec probe ({cheapest}): {x(r)}", r >= 10,
           "the agent's CPU per request is not far below a process spawn")

cfg = entry["config_fresh"]["median"] if entry else 0
same = entry["config_same"]["median"] if entry else 0
overhead = entry["start_stub"]["median"] - entry["true"]["median"] if entry else 0
if entry:
    target("`zkagent config` (tutorial's 3-member settings, fresh folders, files fsynced) under 5 ms median",
           ms(cfg), cfg < 0.005,
           f"the same command with the files already right (nothing written) takes {ms(same)}: the rest, "
           f"{ms(cfg - same)}, is writing five files and two folders with fsync on this disk ({facts['machine.tmp_fs']})")
    target("start-to-exec overhead (`zkagent start` with a java that exits at once, minus `true`) under 5 ms",
           ms(overhead), overhead < 0.005,
           f"`start` writes the config first (`config` alone: {ms(cfg)}, of which the fsynced writes "
           f"{ms(cfg - same)}), then finds java and ZooKeeper's jars and spawns")

h64 = http.get("readyz-64")
if h64:
    target("HTTP: at least 20,000 requests/s on `/readyz` with 64 connections, the agent on one core",
           f"{h64['rps']:,.0f} req/s", h64["rps"] >= 20_000, "see the HTTP table")
    target("HTTP: p99 under 5 ms (`/readyz`, 64 connections)", us_ms(h64["p99_us"]), h64["p99_us"] < 5000,
           "see the HTTP table")
runs_1000 = {d["route"]: d for d in http.values() if d["connections"] == 1000 and not d["header"]}
if runs_1000:
    big = max(runs_1000.values(), key=lambda d: d["rss_peak_kib"])
    page = big["bytes"] / big["requests"] if big["requests"] else 0
    target("HTTP: agent RSS under 10 MB at 1000 connections (peak of each route's run)",
           ", ".join(f"`{r}` {d['rss_peak_kib'] / 1024:.2f} MiB" for r, d in runs_1000.items()),
           all(d["rss_peak_kib"] * 1024 < 10 * MIB for d in runs_1000.values()),
           f"`{big['route']}` peaks at {kib_mb(big['rss_peak_kib'])}: each of its responses is about "
           f"{page / 1000:.0f} kB, rendered anew for every request and held by its connection until written, and "
           "up to 256 connections are served at once (256 x that), while the allocator keeps the freed heap")
over = [(i, d) for i, d in http.items() if d["zk_4lw_cmd"] > d["windows"]]
worst = max(http.values(), key=lambda d: d["zk_4lw_cmd"] / d["windows"]) if http else None
if worst:
    target("HTTP: at most one four-letter-word connection per cache window (counted in ZooKeeper's log)",
           f"worst run: {worst['zk_4lw_cmd']} `{worst['command']}` connections over "
           f"{worst['elapsed_ms'] / 1000:.1f} s = {worst['windows']} windows of "
           f"{int(facts['http.cache_window_ms'])} ms", not over, "see the HTTP table")

stripped = int(facts.get("size.stripped", 0))
if not probes_only:
    size_target("binary: at most 4 MB stripped", stripped, 4,
                "the static binary carries glibc, libstdc++, Boost.Program_options, Asio, c-ares and spdlog/fmt",
                f"{stripped:,} bytes = {stripped / MIB:.2f} MiB ({stripped / MB:.2f} MB)")

# -------------------------------------------------------------------------------------------- report
w("# Benchmarks")
w("")
if quick:
    w("> **QUICK RUN** (`scripts/bench --quick`): every benchmark ran with tiny counts to check the script works.")
    w("> These numbers mean nothing; the real ones come from a full `scripts/bench` on an idle machine.")
    w("")
w(f"zkagent against what users run today, measured side by side in one run of `scripts/bench` on "
  f"{facts['date']}, on the machine below. zkagent {facts['zkagent.version'].split()[-1]} "
  f"(commit {facts['zkagent.commit']}), ZooKeeper {facts.get('zookeeper.version', '?')}, {facts['tool.java']}. "
  "Regenerate with `scripts/bench` (a few minutes; `scripts/bench --quick` only checks that it works).")
w("")
w("## Machine")
w("")
mem_gib = int(facts["machine.memory_kib"]) / 1024 / 1024
w("| CPU | cores | kernel | memory | OS | virtualization |")
w("|---|---|---|---|---|---|")
w(f"| {facts['machine.cpu']} | {facts['machine.cores']} | {facts['machine.kernel']} | {mem_gib:.1f} GiB | "
  f"{facts['machine.os']} | {facts['machine.hypervisor'] or 'none seen'} |")
w("")
w(f"Quiet? Before the run the machine was {facts['machine.busy_before']}% busy (sampled for a few seconds). During the run, "
  f"processes other than the benchmark's used {facts['machine.others_pct']}% of the machine's CPU time and the "
  f"hypervisor took {facts['machine.steal_pct']}% (steal). Load average before: {facts['machine.load_before']}; "
  f"after: {facts['machine.load_after']} (this one includes the benchmark's own JVMs).")
w("")
w("| benchmark | duration | CPU time of other processes (share of the machine) |")
w("|---|---|---|")
for key, title in (("probes", "1+2. exec probes"), ("http", "5. HTTP endpoint"), ("entry", "3. entrypoint"),
                   ("e2e", "4. end-to-end start")):
    if f"stage.{key}.seconds" in facts:
        w(f"| {title} | {facts[f'stage.{key}.seconds']} s | {facts[f'stage.{key}.others_pct']}% |")
w("")
w(f"Tools: {facts['tool.hyperfine']}, {facts['tool.wrk']}, {facts['tool.gcc']}, {facts['tool.nc']}, "
  f"{facts['tool.bash']}. The work folder is on {facts['machine.tmp_fs']}.")
w("")

w("## Targets")
w("")
w("| target (issue 6) | measured | result |")
w("|---|---|---|")
for text, measured, ok, _ in targets:
    w(f"| {text} | {measured} | {verdict(ok)} |")
w("")
missed = [(t, why) for t, _, ok, why in targets if not ok]
if missed:
    w("Why the missed ones are missed:")
    w("")
    for text, why in missed:
        w(f"- {text}: {why}.")
    w("")

# 1. exec probes
w("## 1. Exec probe cost")
w("")
w(f"Against a healthy standalone ZooKeeper on 127.0.0.1:{facts['probes.zk_port']}, started by `zkagent start`. "
  "Wall time from hyperfine (`-N`: no shell in between; each command's runs in a block, after warm-up runs; "
  "`-i`: a run that fails counts too, as it does for the kubelet, so the shell probe's wrong verdicts of section 2 "
  "are in its times). "
  "CPU (user+sys) and peak RSS from `bench/runstat`, which runs the probes in turn, round after round (so a "
  "drift of the machine hits all alike), and reads each run's `wait4` rusage: it covers the probe and every "
  "process it waited for (bash's subshell and nc), and peak RSS is the largest single process of that tree; page "
  "faults are the minor faults of that tree (`ru_minflt`). "
  f"`zkServer.sh status` starts a JVM (~{ms(wall_med['zkserver'], 0)}): it runs {len(rs['zkserver'])} times "
  f"({zkserver_wall['times'].__len__()} for hyperfine), not 10,000.")
w("")
w("| probe | wall median | wall mean ± σ | wall min … max | hyperfine runs | CPU median | CPU mean ± σ | "
  "peak RSS (max) | page faults (median) | alternating runs | wrong verdicts |")
w("|---|---|---|---|---|---|---|---|---|---|---|")
for n in probe_names:
    h = wall[n]
    cpus = [r["cpu"] for r in rs[n]]
    w(f"| {labels[n]} | {ms(h['median'])} | {ms(h['mean'])} ± {ms(h['stddev'] or 0)} | "
      f"{ms(h['min'])} … {ms(h['max'])} | {len(h['times'])} | {us_ms(median(cpus))} | "
      f"{us_ms(statistics.mean(cpus))} ± {us_ms(stdev(cpus))} | {kib_mb(rss_max[n])} | "
      f"{median([r['faults'] for r in rs[n]]):.0f} | {len(cpus):,} | "
      f"{'—' if n == 'true' else f'{wrong[n]:,}'} |")
w("")
w("What the peak RSS is made of: a snapshot of each probe while it waits for a reply from a server that never "
  "answers (`/proc/PID/status`, `smaps_rollup`). File pages are the executable's, mapped from the page cache and "
  "shared with every other process running it (the agent itself, in a zkagent pod); anonymous pages are the "
  "probe's own.")
w("")
w("| probe | RSS | file-backed | anonymous | private (clean + dirty) |")
w("|---|---|---|---|---|")
for n in ("floor", "live", "ready"):
    m = memory[n]
    if m:
        f_, a_ = int(m.get("RssFile:", 0)), int(m.get("RssAnon:", 0))
        priv = int(m.get("Private_Clean:", 0)) + int(m.get("Private_Dirty:", 0))
        w(f"| {labels[n]} | {f_ + a_:,} KiB | {f_:,} KiB | {a_:,} KiB | {priv:,} KiB |")
w("")
w("Ratios (medians; above 1: zkagent is cheaper):")
w("")
w("| ratio | `zkagent live` | `zkagent ready` |")
w("|---|---|---|")
for label, key, num in (("shell probe / zkagent, wall", "wall", "shell"), ("shell probe / zkagent, CPU", "cpu", "shell"),
                        ("zkServer.sh status / zkagent, wall", "wall", "zkserver"),
                        ("zkServer.sh status / zkagent, CPU", "cpu", "zkserver")):
    src = wall_med if key == "wall" else cpu_med
    w(f"| {label} | {x(ratio(src[num], src['live']))} | {x(ratio(src[num], src['ready']))} |")
for label, key in (("zkagent / C floor, wall", "wall"), ("zkagent / C floor, CPU", "cpu")):
    src = wall_med if key == "wall" else cpu_med
    w(f"| {label} | {x(ratio(src['live'], src['floor']))} | {x(ratio(src['ready'], src['floor']))} |")
w(f"| zkagent minus `true` (what the probe adds to a process spawn), wall | "
  f"{ms(wall_med['live'] - spawn_wall)} | {ms(wall_med['ready'] - spawn_wall)} |")
w(f"| zkagent minus `true`, CPU | {us_ms(cpu_med['live'] - spawn_cpu)} | {us_ms(cpu_med['ready'] - spawn_cpu)} |")
w("")
w(f"For scale: the shell probe minus `true` is {ms(wall_med['shell'] - spawn_wall)} of wall and "
  f"{us_ms(cpu_med['shell'] - spawn_cpu)} of CPU. In a pod, the kubelet's exec through the container runtime "
  "(runc) adds its own cost to every exec probe, the same for all of them; it is not measured here.")
w("")

# 2. correctness
w("## 2. Probe correctness under repetition")
w("")
w("Every run above went against the same healthy server, so every non-zero exit is a wrong verdict.")
w("")
w("| probe | runs | wrong verdicts | rate |")
w("|---|---|---|---|")
for n in probe_names[1:]:
    total = len(rs[n])
    w(f"| {labels[n]} | {total:,} | {wrong[n]:,} | {100 * wrong[n] / total:.2f}% |")
w("")
w("The shell probe's failures are the reset `echo ruok | nc` provokes: ZooKeeper reads four bytes and closes with "
  "the newline unread, the kernel answers the unread byte with a reset, and nc loses `imok`. zkagent sends "
  "exactly the four letters and reads to EOF.")
w("")

if probes_only:
    w("Sections 3 to 6 (entrypoint, end-to-end start, HTTP endpoint, sizes) were not run: `scripts/bench --probes-only`.")
    w("")
else:
    # 3. entrypoint
    w("## 3. Entrypoint cost")
    w("")
    w("The Kubernetes tutorial's `start-zookeeper` flags (3 members; folders moved to a temporary folder; "
      "`--hostname=zk-0 --domain=zk-hs.default.svc.cluster.local` stand for the pod's identity): "
      f"`{facts['entry.flags'].strip()}`. Fresh folders are removed before each run (outside the timing), so every "
      "run parses, validates, renders and writes zoo.cfg, the logging configs, java.env and myid, each by "
      "temporary file, fsync, rename and folder fsync. `start` runs with `--java=true`: a java that exits at once, "
      "so the measured time is zkagent's work up to the JVM's exec plus `true` itself"
      + (f" (with `{facts['entry.dns_flags']}`: the pod's own name cannot resolve on this machine, so `start` does "
         "not wait for it; in a pod that costs one DNS lookup more)" if facts.get("entry.dns_flags") else "") + ".")
    w("")
    entry_labels = {
        "true": "`true`",
        "config_fresh": "`zkagent config`, fresh folders",
        "config_same": "`zkagent config`, files already right (nothing written)",
        "start_stub": "`zkagent start --java=true` (supervised), fresh folders",
        "exec_stub": "`zkagent start --java=true --exec`, fresh folders",
    }
    w("| command | median | mean ± σ | min … max | CPU user+sys (mean) | runs | minus `true` (median) |")
    w("|---|---|---|---|---|---|---|")
    for n, label in entry_labels.items():
        h = entry[n]
        w(f"| {label} | {ms(h['median'])} | {ms(h['mean'])} ± {ms(h['stddev'] or 0)} | {ms(h['min'])} … {ms(h['max'])} | "
          f"{ms(h['user'] + h['system'])} | {len(h['times'])} | "
          f"{'—' if n == 'true' else ms(h['median'] - entry['true']['median'])} |")
    w("")

    # 4. end to end
    w("## 4. End-to-end start to ready")
    w("")
    w("From launching `zkagent start` (or the JVM command directly) to `zkagent ready` passing on every member (polled "
      "every 10 ms), with empty data folders each time; the arms alternate round by round. The direct arm runs the "
      "exact command zkagent runs (recorded with a stand-in java), with the config files zkagent wrote for it, so the "
      "difference is zkagent's own cost: writing the config, finding java and ZooKeeper, spawning and supervising.")
    w("")
    w(f"The JVM command (standalone; DIR is the member's folder): `{facts['e2e.java']} {facts['e2e.command'].strip()}`")
    w("")
    w("| setup | started by | median | mean ± σ | min … max | runs |")
    w("|---|---|---|---|---|---|")
    for setup, title in (("standalone", "standalone"), ("ensemble", "3-member ensemble (all serving)")):
        for arm, arm_title in (("agent", "`zkagent start`"), ("direct", "the JVM command directly")):
            xs = e2e[(setup, arm)]
            w(f"| {title} | {arm_title} | {ms(median(xs), 0)} | {ms(statistics.mean(xs), 0)} ± {ms(stdev(xs), 0)} | "
              f"{ms(min(xs), 0)} … {ms(max(xs), 0)} | {len(xs)} |")
    w("")
    w("| setup | zkagent's overhead (median difference) | ratio |")
    w("|---|---|---|")
    for setup in ("standalone", "ensemble"):
        a, d = median(e2e[(setup, "agent")]), median(e2e[(setup, "direct")])
        w(f"| {setup} | {ms(a - d, 1)} | {x(ratio(a, d))} |")
    w("")
    w("The JVM's start (and, for the ensemble, the leader election) varies from round to round by far more than "
      "zkagent's own work, so the difference of medians is mostly that noise: compare it with the spreads. zkagent's "
      f"own share is measured directly in section 3: {ms(overhead)} from `zkagent start` to the JVM's exec.")
    w("")

    # 5. HTTP
    w("## 5. HTTP endpoint")
    w("")
    w(f"wrk (1 thread) for {facts['http.seconds']} s per run against the endpoint of `zkagent start --health-port`, "
      f"with the cache window at {facts['http.cache_window_ms']} ms (the default). Pinning: {facts['http.pinning']} "
      "(`taskset`), so the agent has exactly one core. Keep-alive unless the run says `Connection: close` (a new "
      "TCP connection per request, as the kubelet's `httpGet` does). The agent accepts 256 connections at once and "
      "closes the rest at once: at 1000 connections wrk keeps reconnecting the rejected ones (its errors, and "
      "'rejected'; 'evicted': idle keep-alive connections the agent closed at the limit to make room, "
      "`zkagent_http_connections_evicted_total`). RSS is the agent process's (supervisor and endpoint thread; the JVM "
      "is another process): peak "
      "(VmHWM, reset before each run) and at the end. CPU per request: the agent's CPU time (all its threads, "
      "`/proc/PID/task/*/sched`) over the run divided by the requests. Four-letter words: connections ZooKeeper "
      "logged (`Processing srvr command`) during the run, for the route's command; the agent's own counter "
      "(`zkagent_fourletter_connections_total`, before and after, all commands, including the `mntr` of the "
      "scrape that reads it) beside it; the limit is one per cache window the run spans.")
    w("")
    w("| route | connections | req/s | p50 | p99 | max | errors | non-2xx | rejected | bytes per response | "
      "evicted | agent RSS peak / end | agent CPU per request | 4lw to ZooKeeper: route's / agent counter | windows |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for id_, d in http.items():
        conns = f"{d['connections']}" + (", `Connection: close`" if d["header"] else "")
        w(f"| `{d['route']}` | {conns} | {d['rps']:,.0f} | {us_ms(d['p50_us'], 3)} | {us_ms(d['p99_us'], 3)} | "
          f"{us_ms(d['max_us'], 1)} | {d['errors']:,} | {int(d['status_errors']):,} | {d['rejected']:,} | {d['evicted']:,} | "
          f"{(d['bytes'] / d['requests'] if d['requests'] else 0):,.0f} | "
          f"{d['rss_peak_kib'] / 1024:.2f} / {d['rss_kib'] / 1024:.2f} MiB | {d['cpu_per_req_us']:.2f} µs | "
          f"{d['zk_4lw_cmd']} / {d['agent_4lw_all']} | {d['windows']} |")
    w("")
    w(f"The agent's RSS while idle, before the runs: {int(facts['http.agent_rss_idle_kib']) / 1024:.2f} MiB; "
      f"after all runs: {int(facts['http.agent_rss_end_kib']) / 1024:.2f} MiB.")
    w("")
    w("CPU per probe: an `httpGet` on `/readyz` against an exec probe (the exec probe's whole process, from the table "
      "in section 1):")
    w("")
    w("| probe | CPU per probe | exec probe / this |")
    w("|---|---|---|")
    for id_, label in (("readyz-1-close", "`httpGet /readyz`, new connection per request, one at a time (kubelet)"),
                       ("readyz-64-close", "`httpGet /readyz`, new connection per request, 64 at once"),
                       ("readyz-64", "`httpGet /readyz`, keep-alive, 64 connections")):
        if id_ in http:
            c = http[id_]["cpu_per_req_us"]
            w(f"| {label} | {c:.1f} µs | `ready`: {x(ratio(cpu_med['ready'], c))}, floor: {x(ratio(cpu_med['floor'], c))} |")
    for n in ("floor", "live", "ready", "shell", "zkserver"):
        w(f"| {labels[n]} | {cpu_med[n]:.0f} µs | |")
    w("")
    w("The agent's side only: the kubelet's own HTTP client costs it CPU too (outside the pod), as `runc exec` does "
      "for exec probes.")
    w("")

    # 6. sizes
    w("## 6. Size")
    w("")
    w("| artifact | size |")
    w("|---|---|")
    w(f"| zkagent, static, as built | {int(facts['size.binary']):,} bytes ({int(facts['size.binary']) / MB:.2f} MB) |")
    w(f"| zkagent, static, stripped (`strip`) | {stripped:,} bytes ({stripped / MB:.2f} MB) |")
    w(f"| the C floor probe, static, for scale | {int(facts['size.floor']):,} bytes |")
    if facts.get("size.image"):
        image = int(facts["size.image"])
        w(f"| container image `zkagent:latest` (`docker image inspect`, created {facts['size.image_created']}) | "
          f"{image:,} bytes ({image / MB:.0f} MB) |")
        if facts.get("size.image_base"):
            base_name, base_size = facts["size.image_base"].rsplit(" ", 1)
            w(f"| its base image `{base_name}` | {int(base_size):,} bytes ({int(base_size) / MB:.0f} MB) |")
    else:
        w(f"| container image `zkagent:latest` | {facts.get('size.image_note') or 'not measured'} |")
    w("")
    w("The image is mostly the Java runtime and ZooKeeper's jars (see README, Container image).")
    w("")


output.write_text("\n".join(out))
