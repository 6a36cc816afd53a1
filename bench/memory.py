"""Peak memory of reposcrub on inputs too big to hold: the budget in the README.

Runs the CLI as a child process and samples, every 50 ms, the resident set
of its whole process tree (reposcrub, its history workers, the git processes
they drive), and reports the peak sum beside the peak of the largest single
process.

    python bench/memory.py big      # a generated repo with a ~200 MB text file: scan and scrub
    python bench/memory.py rails    # the whole history of the rails mirror (~6 GB of blobs)
    python bench/memory.py all

Exits 1 when a run goes over BUDGET_MB (the figure stated in the README).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BUDGET_MB = 1024                           # the whole process tree, README "input-policy"
RAILS = Path("/work/.mirror/rails+rails/repo")
BIG_MB = 200


def tree_rss(pid: int) -> tuple[int, int]:
    """(sum, max) resident KB over pid and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    todo, total, biggest = [pid], 0, 0
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        biggest = max(biggest, rss.get(p, 0))
        todo.extend(children.get(p, []))
    return total, biggest


def measure(label: str, args: list[str]) -> tuple[float, float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("REPOSCRUB_FINGERPRINT_KEY", "bench")
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "reposcrub", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_sum = peak_one = 0
    while proc.poll() is None:
        total, one = tree_rss(proc.pid)
        peak_sum, peak_one = max(peak_sum, total), max(peak_one, one)
        time.sleep(0.05)
    err = proc.stderr.read().decode()
    secs = time.monotonic() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{label}: exit {proc.returncode}: {err.strip()}")
    print(f"{label:<34} {secs:7.1f} s   peak tree RSS {peak_sum / 1024:7.0f} MB   "
          f"largest process {peak_one / 1024:6.0f} MB", flush=True)
    return secs, peak_sum / 1024, peak_one / 1024


def make_big_repo(where: Path) -> Path:
    """One commit holding a ~200 MB text file with a few fake secrets spread through it."""
    from reposcrub.examplegen import expand
    repo = where / "big"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    line = b"lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n"
    n = BIG_MB * 1_000_000 // len(line)
    with open(repo / "huge.log", "wb") as fh:
        for i in range(n):
            fh.write(line)
            if i % (n // 8) == 7:
                fh.write(f"aws_key = {expand('AKIA{{[A-Z2-7]:16}}', str(i))}\n".encode())
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com",
               GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "big"], check=True, env=env)
    return repo


def bench_big() -> list[float]:
    with tempfile.TemporaryDirectory(prefix="reposcrub-mem-") as tmp:
        repo = make_big_repo(Path(tmp))
        peaks = [measure("scan, 200 MB file", ["scan", str(repo), "--format", "json", "-q"])[1]]
        for out in ("snap", "snap.tar.gz", "snap.zip"):
            peaks.append(measure(f"scrub -> {out}, 200 MB file",
                                 ["scrub", str(repo), "--out", str(Path(tmp) / out), "-q"])[1])
            shutil.rmtree(Path(tmp) / out, ignore_errors=True)
        return peaks


def bench_rails() -> list[float]:
    if not RAILS.exists():
        print(f"skipped: {RAILS} is not there")
        return []
    head = subprocess.run(["git", "-C", str(RAILS), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    print(f"rails mirror at {head.strip()[:12]}")
    with tempfile.TemporaryDirectory(prefix="reposcrub-mem-") as tmp:
        return [measure("scan rails, all history", ["scan", str(RAILS), "--format", "json", "-q",
                                                     "-o", str(Path(tmp) / "report.json")])[1]]


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "all"
    peaks = (bench_big() if what in ("big", "all") else []) + (bench_rails() if what in ("rails", "all") else [])
    worst = max(peaks, default=0)
    print(f"worst peak {worst:.0f} MB; budget {BUDGET_MB} MB: {'ok' if worst <= BUDGET_MB else 'OVER'}")
    return 0 if worst <= BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
