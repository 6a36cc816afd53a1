"""Every unique blob reachable from any ref, and every commit message.

Blobs are enumerated once (`rev-list --objects --all`, blobs only), so a blob
present in a thousand commits is read and scanned once.  Which commit first
introduced a blob is worked out afterwards, and only for blobs that had a
finding: that walk is the expensive part of history, so most scans skip it.
"""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from ..model import ContentItem, Origin
from .gitrepo import GitRepo
from .worktree import decode_path


@dataclass
class BlobList:
    paths: dict[str, str] = field(default_factory=dict)   # oid -> a path it lives at
    missing: list[str] = field(default_factory=list)      # promised but absent (partial clone)


def reachable_blobs(repo: GitRepo, revs: Iterable[str] = ("--all",)) -> BlobList:
    errors = tempfile.TemporaryFile()
    proc = repo.popen(["rev-list", "--objects", "--filter=object:type=blob", "--missing=print",
                       *revs], stdout=subprocess.PIPE, stderr=errors)
    out = BlobList()
    for line in proc.stdout:
        line = line.rstrip(b"\n")
        if line.startswith(b"?"):
            out.missing.append(line[1:].decode())
            continue
        oid, sep, path = line.partition(b" ")
        if sep:                       # commits carry no path; blobs always do
            out.paths.setdefault(oid.decode(), decode_path(path))
    repo.finish(proc, errors, "rev-list")
    out.missing.sort()
    return out


def commit_messages(repo: GitRepo, revs: Iterable[str] = ("--all",)) -> Iterator[ContentItem]:
    errors = tempfile.TemporaryFile()
    proc = repo.popen(["log", "-z", "--format=%H%n%B", *revs], stdout=subprocess.PIPE, stderr=errors)
    buf = b""
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        buf += chunk
        *records, buf = buf.split(b"\0")
        for rec in records:
            yield _message(rec)
    if buf.strip():
        yield _message(buf)
    repo.finish(proc, errors, "log")


def _message(rec: bytes) -> ContentItem:
    sha, _, body = rec.lstrip(b"\n").partition(b"\n")
    return ContentItem(f"<commit {sha.decode()[:12]} message>", body, Origin.MESSAGE,
                       None, sha.decode())


def first_commits(repo: GitRepo, blobs: dict[str, str], revs: Iterable[str] = ("--all",),
                  chunk: int = 400) -> dict[str, tuple[str, str]]:
    """oid -> (first commit that added it, path) for the given blobs.

    Limited to the paths the blobs are known under, so git prunes every other
    tree instead of diffing whole commits."""
    found: dict[str, tuple[str, str]] = {}
    items = sorted(blobs.items(), key=lambda kv: kv[1])
    for i in range(0, len(items), chunk):
        part = dict(items[i:i + chunk])
        paths = sorted(set(part.values()))
        out = repo.run("log", "--reverse", "-m", "--no-renames", "--raw", "--no-abbrev",
                       "--format=%x00%H", *revs, "--", *[":(literal)" + p for p in paths], check=False)
        commit: Optional[str] = None
        for line in out.split(b"\n"):
            if line.startswith(b"\0"):
                commit = line[1:].decode()
            elif line.startswith(b":") and commit:
                meta, _, path = line.partition(b"\t")
                new = meta.split()[3].decode()
                if new in part and new not in found:
                    found[new] = (commit, decode_path(path))
    return found
