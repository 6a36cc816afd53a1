"""Negatives from real, clean code: the HEAD of public repositories, read with git.

The repositories are mirrored bare (no work tree); files are streamed with one
`git cat-file --batch` and never copied anywhere.  Only commit ids are recorded.
These projects hold no live secrets, so every finding on them is a false one.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MIRRORS = {
    "pallets/flask": Path("/work/.mirror/pallets+flask/repo"),
    "rails/rails": Path("/work/.mirror/rails+rails/repo"),
    "psf/requests": Path("/work/.mirror/psf+requests/repo"),
}
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class RealFile:
    path: str
    data: bytes


def available() -> dict[str, Path]:
    return {name: p for name, p in MIRRORS.items() if (p / "HEAD").exists() or (p / ".git").exists()}


def head_commit(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def head_files(repo: Path) -> Iterator[RealFile]:
    """Every blob of HEAD under MAX_BYTES, in path order (binary files included: the scanner decides)."""
    listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "-z", "--long", "HEAD"],
                             check=True, capture_output=True).stdout
    entries = []
    for rec in listing.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, oid, size = meta.split()
        if kind == b"blob" and size != b"-" and int(size) <= MAX_BYTES:
            entries.append((path.decode("utf-8", "surrogateescape"), oid.decode()))
    proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        for path, oid in entries:
            proc.stdin.write(oid.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
            yield RealFile(path, data)
    finally:
        proc.stdin.close()
        proc.wait()
