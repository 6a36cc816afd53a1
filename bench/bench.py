#!/usr/bin/env python3
"""How fast is reposcrub on this repository, next to git itself?

    python bench/bench.py PATH/TO/REPO [--repeat 3] [--jobs N] [--skip-history]

Runs, side by side on the same machine:

  floor           git cat-file --batch-all-objects --batch   (every object, inflated once)
  floor/unordered the same with --unordered (pack order: what a scan can get)
  copy            git archive HEAD | tar -x                  (what writing HEAD costs)
  scan HEAD       reposcrub scan --no-history
  scan history    reposcrub scan                              (HEAD and every reachable blob)
  scrub HEAD      reposcrub scrub --no-history --out TMP      (the snapshot)

and prints for each the wall time (median of --repeat rounds, and the best;
each round runs every command once, so a change in load hits all alike),
MB/s, the ratio to the floor (the median of each round's ratio), CPU time
(user + system, every process), and memory, from one more round in which
/proc is polled every 50 ms (timed runs are not watched: the poller's /proc
walks took ~6% of a 2-core history scan's wall, and next to nothing of the
single-process floor's), split by who holds it: `own RSS` is the peak resident size (VmHWM) of
the largest reposcrub process (the CLI or a history worker), `own PSS` the
peak of all reposcrub processes together and `git PSS` that of the git
processes they drive (proportional set size, so pages several processes
share, such as a worker's copy-on-write pages or git's mapped pack, count
once).  The load average is shown before each command: on a shared machine,
numbers taken under load are not numbers.  Nothing is written into the
repository.

reposcrub runs as an installed package does: from compiled bytecode (pip
compiles it at install).  The bench writes that bytecode under its own
temporary directory (PYTHONPYCACHEPREFIX), whatever PYTHONDONTWRITEBYTECODE
says, so start-up is not measured compiling 60 modules from source.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    wall: float
    cpu: float
    own_rss_mb: float       # the largest reposcrub process at its peak (VmHWM)
    own_pss_mb: float       # all reposcrub processes at once
    git_pss_mb: float       # all git processes at once
    returncode: int


@dataclass
class Result:
    name: str
    command: str
    mb: float                        # what the command reads, for MB/s
    runs: list[Run] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    memory: Optional[Run] = None     # the watched run (memory columns)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)


@dataclass
class TreeMemory:
    """One look at a process tree's memory, split into reposcrub's and git's (KB)."""

    own_pss: int = 0
    git_pss: int = 0
    hwm: dict[int, tuple[str, int]] = field(default_factory=dict)   # pid -> (command, peak RSS)


def tree_memory(root: int) -> TreeMemory:
    """PSS of root and all its descendants now, by command, and each one's
    peak RSS so far (Linux /proc; nothing elsewhere).  reposcrub's own are the
    Python processes (the CLI, its workers), git's those named git; others
    (the shell and tar of `copy`) count for neither."""
    children: dict[int, list[int]] = {}
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return TreeMemory()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    out, todo = TreeMemory(), [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        status = _proc_fields(f"/proc/{pid}/status", (b"Name:", b"VmHWM:"))
        pss = _proc_fields(f"/proc/{pid}/smaps_rollup", (b"Pss:",)).get(b"Pss:")
        if pss is None or b"Name:" not in status:
            continue
        name = status[b"Name:"]
        if name.startswith(b"git"):
            out.git_pss += int(pss)
        elif name.startswith(b"python"):
            out.own_pss += int(pss)
            out.hwm[pid] = (name.decode(errors="replace"), int(status.get(b"VmHWM:", b"0")))
    return out


def _proc_fields(path: str, keys: tuple[bytes, ...]) -> dict[bytes, bytes]:
    """The first word after each of `keys` in a /proc file ({} if it is gone)."""
    found: dict[bytes, bytes] = {}
    try:
        with open(path, "rb") as fh:
            for line in fh:
                for k in keys:
                    if line.startswith(k):
                        found[k] = line.split()[1]
                if len(found) == len(keys):
                    break
    except (OSError, IndexError):
        pass
    return found


def measure(argv: list[str], env: dict[str, str], shell: bool = False, watch: bool = True) -> Run:
    """One run: wall, CPU and (with `watch`) memory polled from /proc."""
    own_pss = git_pss = 0
    hwm: dict[int, tuple[str, int]] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, shell=shell, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    done = threading.Event()

    def poll() -> None:
        nonlocal own_pss, git_pss
        while not done.wait(0.05):
            now = tree_memory(proc.pid)
            own_pss, git_pss = max(own_pss, now.own_pss), max(git_pss, now.git_pss)
            hwm.update(now.hwm)

    watcher = threading.Thread(target=poll, daemon=True)
    if watch:
        watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if watch:
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    own_rss = max((kb for _, kb in hwm.values()), default=0)
    if not own_rss and argv[0] == sys.executable:
        own_rss = usage.ru_maxrss          # over before the first look: the command at its peak
    return Run(wall, usage.ru_utime + usage.ru_stime, own_rss / 1024, own_pss / 1024, git_pss / 1024,
               proc.returncode)


def git_out(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir(repo)), *args], check=True,
                          capture_output=True).stdout


def git_dir(repo: Path) -> Path:
    out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return Path(out)


def repo_sizes(repo: Path) -> dict[str, float]:
    """Object counts and sizes (all objects, blobs) and HEAD's files."""
    counts: dict[str, list[int]] = {}
    for line in git_out(repo, "cat-file", "--batch-all-objects", "--unordered",
                        "--batch-check=%(objecttype) %(objectsize)").split(b"\n"):
        if line:
            kind, size = line.split()
            c = counts.setdefault(kind.decode(), [0, 0])
            c[0] += 1
            c[1] += int(size)
    head_files = head_bytes = 0
    for rec in git_out(repo, "ls-tree", "-r", "-l", "-z", "HEAD").split(b"\0"):
        if rec and rec.split()[1] == b"blob":
            head_files += 1
            head_bytes += int(rec.split()[3])
    return {"objects": sum(c[0] for c in counts.values()),
            "object_mb": sum(c[1] for c in counts.values()) / 1e6,
            "blobs": counts.get("blob", [0, 0])[0], "blob_mb": counts.get("blob", [0, 0])[1] / 1e6,
            "head_files": head_files, "head_mb": head_bytes / 1e6}


def reposcrub_argv() -> list[str]:
    return [sys.executable, "-m", "reposcrub"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs per command (median and best shown)")
    ap.add_argument("--jobs", type=int, default=None, help="reposcrub --jobs (default: its own default)")
    ap.add_argument("--skip-history", action="store_true", help="leave out the history scan")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args()
    repo = args.repo.resolve()
    gd = str(git_dir(repo))
    sizes = repo_sizes(repo)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    tmp = Path(tempfile.mkdtemp(prefix="reposcrub-bench-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONPYCACHEPREFIX=str(tmp / "pycache"))   # bytecode, as an installed package has
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        report = tmp / "report.json"
        subprocess.run([*reposcrub_argv(), "scan", str(repo), "--no-history", "-q", "-o", str(report)],
                       env=env, capture_output=True)   # warm: rule database and bytecode compiled and cached
        commands = [
            ("floor", ["git", "--git-dir", gd, "cat-file", "--batch-all-objects", "--batch"], sizes["object_mb"]),
            ("floor/unordered", ["git", "--git-dir", gd, "cat-file", "--batch-all-objects", "--batch",
                                 "--unordered"], sizes["object_mb"]),
            ("copy", f"git --git-dir '{gd}' archive HEAD | tar -x -C '{tmp}/copy'", sizes["head_mb"]),
            ("scan HEAD", [*reposcrub_argv(), "scan", str(repo), "--no-history", "-q", *jobs,
                           "-o", str(report)], sizes["head_mb"]),
        ]
        if not args.skip_history:
            commands.append(("scan history", [*reposcrub_argv(), "scan", str(repo), "-q", *jobs,
                                              "-o", str(tmp / "history.json")], sizes["blob_mb"]))
        commands.append(("scrub HEAD", [*reposcrub_argv(), "scrub", str(repo), "--no-history", "-q",
                                        *jobs, "--out", str(tmp / "snap")], sizes["head_mb"]))
        results = [Result(name, argv if isinstance(argv, str) else " ".join(argv), mb)
                   for name, argv, mb in commands]
        for round_ in range(args.repeat + 1):  # rounds, not runs in a row: load drifts on a shared machine
            watch = round_ == args.repeat      # the last round measures memory, not time
            for res, (name, argv, _) in zip(results, commands):
                for leftover in (tmp / "copy", tmp / "snap", tmp / "snap.report.json"):
                    shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)
                (tmp / "copy").mkdir()
                run = measure(argv if isinstance(argv, list) else ["sh", "-c", argv], env, watch=watch)
                if watch:
                    res.memory = run
                    continue
                res.load.append(os.getloadavg()[0])
                res.runs.append(run)
                print(f"  round {round_ + 1}: {name:16s} {res.runs[-1].wall:8.2f} s", file=sys.stderr)
        scanned = json.loads((tmp / "history.json").read_text())["source"] if not args.skip_history else {}
        print_table(repo, sizes, results, scanned, args)
        if args.json:
            args.json.write_text(json.dumps({"repo": str(repo), "cores": len(os.sched_getaffinity(0)),
                                             "sizes": sizes, "history": scanned,
                                             "results": [{**asdict(r), "wall_median": r.wall}
                                                         for r in results]}, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def print_table(repo: Path, sizes: dict, results: list[Result], scanned: dict, args) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{repo}  ({cores} cores, {args.repeat} run(s) each, median wall)")
    print(f"  objects {sizes['objects']:,} ({sizes['object_mb']:,.0f} MB), blobs {sizes['blobs']:,} "
          f"({sizes['blob_mb']:,.0f} MB), HEAD {sizes['head_files']:,} files ({sizes['head_mb']:,.1f} MB)")
    if scanned:
        print(f"  history scan read {scanned.get('blobs_scanned', 0):,} blobs "
              f"({scanned.get('bytes_scanned', 0) / 1e6:,.0f} MB), {scanned.get('refs_scanned', 0):,} refs")
    floor = next(r for r in results if r.name == "floor")
    print(f"\n  {'command':16s} {'wall s':>8s} {'best s':>8s} {'MB/s':>8s} {'x floor':>8s} {'cpu s':>7s}"
          f" {'own RSS':>8s} {'own PSS':>8s} {'git PSS':>8s} {'load':>5s}")
    for r in results:
        cpu = statistics.median(x.cpu for x in r.runs)
        watched = [r.memory] if r.memory else r.runs
        own = max(x.own_rss_mb for x in watched)
        own_pss = max(x.own_pss_mb for x in watched)
        git_pss = max(x.git_pss_mb for x in watched)
        bad = "" if all(x.returncode in (0, 1) for x in r.runs) else "  (failed)"
        ratio = statistics.median(x.wall / f.wall for x, f in zip(r.runs, floor.runs))  # same round, same load
        print(f"  {r.name:16s} {r.wall:8.2f} {r.best:8.2f} {r.mb / r.wall:8.0f} {ratio:8.2f}"
              f" {cpu:7.1f} {_mb(own):>8s} {_mb(own_pss):>8s} {_mb(git_pss):>8s} {max(r.load):5.1f}{bad}")
    print("\n  own RSS: the largest reposcrub process at its peak; own PSS / git PSS: all of\n"
          "  reposcrub's processes / all git processes at their busiest moment, shared pages once\n"
          "  (memory from one more, watched run of each command; the timed runs are not watched)")


def _mb(value: float) -> str:
    return f"{value:.0f}MB" if value else "-"

if __name__ == "__main__":
    sys.exit(main())
