"""Every unique blob reachable from any ref, with the commit that introduced
it, and every commit message.

One walk, `rev-list --objects --reverse --in-commit-order --topo-order`, lists
every commit, parents before children, each followed by the objects it is
the first to reference, with their paths.  So each blob is listed once (a blob
present in a thousand commits is read and scanned once), and the commit line
before it names the commit that introduced it, with the path it had there:
attribution comes with the listing instead of costing a second walk.  Every
commit counts, so a blob that first appears in a merge, or on a branch that
dropped it again before merging, is found where it appeared.  The list
streams: the scan starts on the oldest blobs while git is still printing.
"""
from __future__ import annotations

import subprocess
import tempfile
from typing import Iterable, Iterator, Optional

from ..model import ContentItem, Origin
from .catfile import read_blobs
from .gitrepo import BOUNDED_PACK_MAPS, GitRepo
from .worktree import decode_path

HistoryBlob = tuple[str, str, Optional[str]]   # (oid, path, commit that introduced it)


class BlobStream:
    """Every blob reachable from revs, once, oldest first, as (oid, path, commit).

    rev-list prints trees and blobs alike; a tree is recognised by the entries
    listed under it right after it.  A tree that brings no new entry (a file
    was deleted from it) looks like a blob here; `git cat-file` then says it
    is a tree and the reader drops it, at the cost of one small object.
    Objects git knows of but does not have (a partial clone, a damaged
    repository) are collected in `missing` instead of stopping the walk."""

    def __init__(self, repo: GitRepo, revs: Iterable[str] = ("--all",)):
        self.repo = repo
        self.revs = list(revs)
        self.missing: list[str] = []
        self._proc: Optional[subprocess.Popen] = None
        self._errors = None

    def start(self) -> "BlobStream":
        """Set git walking now (it reads every commit before it prints the
        first blob), so the walk overlaps whatever the caller does next."""
        if self._proc is None:
            self._errors = tempfile.TemporaryFile()
            self._proc = self.repo.popen([*BOUNDED_PACK_MAPS, "rev-list", "--objects", "--reverse",
                                          "--in-commit-order", "--topo-order", "--missing=print",
                                          *self.revs], stdout=subprocess.PIPE, stderr=self._errors,
                                         bufsize=1 << 16)
        return self

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            self._errors.close()

    def __enter__(self) -> "BlobStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __iter__(self) -> Iterator[HistoryBlob]:
        proc = self.start()._proc
        commit: Optional[str] = None
        held: Optional[tuple[bytes, bytes]] = None     # (oid, path): a blob unless entries follow
        try:
            for line in proc.stdout:
                oid, sep, path = line.rstrip(b"\n").partition(b" ")
                if not sep:                             # a commit, or a missing object
                    if oid.startswith(b"?"):
                        self.missing.append(oid[1:].decode())
                        continue
                    if held:
                        yield held[0].decode(), decode_path(held[1]), commit
                    held, commit = None, oid.decode()
                    continue
                if held and not (len(path) > len(held[1]) and path[len(held[1])] == 47
                                 and path.startswith(held[1])):      # 47: "/"
                    yield held[0].decode(), decode_path(held[1]), commit
                held = (oid, path) if path else None    # the root tree has no path
            if held:
                yield held[0].decode(), decode_path(held[1]), commit
            self.repo.finish(proc, self._errors, "rev-list")   # a corrupt commit must not shorten history
        finally:
            self.close()


def commit_messages(repo: GitRepo, revs: Iterable[str] = ("--all",)) -> Iterator[tuple[str, bytes]]:
    """(commit, message) of every commit, read from the raw commit objects: `git log`
    stops printing a message at a NUL byte, which would hide whatever follows it.
    (Plain tuples: most messages hold nothing, and only those that may are made
    into items, see message_item.)"""
    errors = tempfile.TemporaryFile()
    proc = repo.popen(["rev-list", *revs], stdout=subprocess.PIPE, stderr=errors)
    ids = (line.strip().decode() for line in proc.stdout)
    for oid, raw, _size in read_blobs(repo, ids):
        if raw is not None:
            yield oid, raw.partition(b"\n\n")[2]
    repo.finish(proc, errors, "rev-list")


def message_item(commit: str, message: bytes) -> ContentItem:
    return ContentItem(f"<commit {commit[:12]} message>", message, Origin.MESSAGE, None, commit)


