"""What the acceptance checks share: a throwaway clone to plant in, git as the
planter, the reposcrub run, and the comparison of files nothing was planted in.

The mirrors under /work/.mirror are read-only; every check clones one into a
temp dir (`--no-local`, so the clone owns its objects) and plants there.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, GIT_AUTHOR_NAME="Plant", GIT_AUTHOR_EMAIL="plant@example.com",
           GIT_COMMITTER_NAME="Plant", GIT_COMMITTER_EMAIL="plant@example.com", GIT_CONFIG_NOSYSTEM="1")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True,
                          capture_output=True).stdout.decode("utf-8", "surrogateescape")


def clone(repo: str, prefix: str, shallow_ok: bool = False) -> tuple[Path, Path]:
    """(temp dir, the clone inside it).  A mirror missing some history objects (a
    partial clone: large blobs left out) cannot be cloned whole; then, if the caller
    needs no history, a clone of HEAD alone (--depth 1), else one that borrows the
    mirror's objects (--shared; what is written still goes to the clone)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    work = tmp / "repo"
    try:
        git(tmp, "clone", "-q", "--no-local", repo, str(work))
    except subprocess.CalledProcessError:
        subprocess.run(["rm", "-rf", str(work)])
        how = ["--no-local", "--depth", "1", "file://" + str(Path(repo).resolve())] if shallow_ok else ["--shared", repo]
        print(f"note: {repo} cannot be cloned whole (missing objects); cloned with {how[0:-1]}")
        git(tmp, "clone", "-q", *how, str(work))
    return tmp, work


def tracked(work: Path) -> list[str]:
    """HEAD's files, as git names them (no quoting: -z)."""
    return [p for p in git(work, "ls-files", "-z").split("\0") if p]


def reposcrub(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run this checkout's reposcrub as a user would; (process, seconds)."""
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-m", "reposcrub", *args], capture_output=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return proc, time.time() - t0


def unplanted_changes(work: Path, dest: Path, report: dict, planted: Iterable[str]) -> list[tuple[str, str, str]]:
    """HEAD files with nothing planted that are not byte-identical at the same
    path in the snapshot: (path, status in the report, its reason)."""
    skip = set(planted)
    files = {f["path"]: f for f in report["files"]}
    changed = []
    for path in tracked(work):
        if path in skip:
            continue
        src = work / path
        if src.is_symlink() or not src.is_file():
            continue
        entry = files.get(path)
        out = dest / path
        if not out.is_file() or out.read_bytes() != src.read_bytes():
            changed.append((path, entry["status"] if entry else "missing", entry["reason"] if entry else ""))
    return changed


def cleanup(tmp: Path, keep: bool) -> None:
    if keep:
        print("kept", tmp)
    else:
        subprocess.run(["rm", "-rf", str(tmp)])


def tail(proc: subprocess.CompletedProcess, n: int = 2000) -> str:
    return (proc.stderr or b"").decode("utf-8", "replace")[-n:]


