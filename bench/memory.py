"""Peak memory of reposcrub on inputs too big to hold: the budget in the README.

Runs the CLI as a child process and samples, every 50 ms, the memory of its
whole process tree (reposcrub, its history workers, the git processes they
drive) as PSS, which shares pages mapped by several processes among them
(git's pack file, the workers' copy-on-write pages), so the sum is memory
really used; the largest single resident set is shown beside it.

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
BUDGET_MB = 1024                           # PSS of the whole process tree, README "input-policy"
RAILS = Path("/work/.mirror/rails+rails/repo")
BIG_MB = 200


def tree_memory(pid: int) -> tuple[int, int, list[tuple[int, str]]]:
    """(sum of PSS, largest RSS, [(PSS, command)]) in KB over pid and its descendants.

    PSS splits pages shared between processes (git's mmapped pack, the
    workers' copy-on-write pages) among them, so the sum is real memory."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    todo, total, biggest, rows = [pid], 0, 0, []
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        pss, rss = _smaps(p)
        total += pss
        biggest = max(biggest, rss)
        rows.append((pss, _command(p)))
    return total, biggest, rows


def _smaps(pid: int) -> tuple[int, int]:
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            args = fh.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in args if a and not a.startswith(b"-")]
    if words and words[0].endswith("git"):
        return "git " + next((w for w in words[1:] if not w.startswith(("/", "-")) and "=" not in w), "")
    return "reposcrub" if any("reposcrub" in w for w in words) else (words[0] if words else "?")


def measure(label: str, args: list[str]) -> tuple[float, float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("REPOSCRUB_FINGERPRINT_KEY", "bench")
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "reposcrub", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_sum = peak_one = 0
    at_peak: list[tuple[int, str]] = []
    while proc.poll() is None:
        total, one, rows = tree_memory(proc.pid)
        if total > peak_sum:
            peak_sum, at_peak = total, rows
        peak_one = max(peak_one, one)
        time.sleep(0.05)
    err = proc.stderr.read().decode()
    secs = time.monotonic() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{label}: exit {proc.returncode}: {err.strip()}")
    print(f"{label:<34} {secs:7.1f} s   peak memory (PSS, all processes) {peak_sum / 1024:6.0f} MB   "
          f"largest process RSS {peak_one / 1024:6.0f} MB", flush=True)
    print("    at the peak: " + ", ".join(f"{cmd} {pss / 1024:.0f}" for pss, cmd in sorted(at_peak, reverse=True)
                                        if pss > 1024), flush=True)
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
