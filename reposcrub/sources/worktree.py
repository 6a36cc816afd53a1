"""The files that go into a snapshot: the HEAD tree (or the checkout, --worktree).

Listing is separate from reading so the scrubber can account for every entry
(submodules, symlinks, too-large files) before a byte is read.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..model import ContentItem, Origin
from .catfile import read_blobs
from .gitrepo import GitRepo, InputError

BINARY_SNIFF = 8000


@dataclass(frozen=True)
class TreeEntry:
    path: str        # decoded with surrogateescape: any byte sequence survives
    mode: str        # 100644, 100755, 120000 (symlink), 160000 (submodule)
    oid: str
    size: int

    @property
    def is_symlink(self) -> bool:
        return self.mode == "120000"

    @property
    def is_submodule(self) -> bool:
        return self.mode == "160000"


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def list_tree(repo: GitRepo, rev: str) -> list[TreeEntry]:
    out = repo.run("ls-tree", "-r", "-z", "-l", "--full-tree", rev)
    entries = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, path = rec.partition(b"\t")
        mode, _type, oid, size = meta.split(None, 3)
        size = size.strip()          # '-' for a submodule, 'BAD' for a missing or corrupt blob
        entries.append(TreeEntry(decode_path(path), mode.decode(), oid.decode(),
                                 int(size) if size.isdigit() else 0 if size == b"-" else -1))
    return entries


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:BINARY_SNIFF]


def read_entries(repo: GitRepo, entries: list[TreeEntry], max_size: Optional[int],
                 origin: Origin = Origin.HEAD) -> Iterator[tuple[TreeEntry, Optional[bytes]]]:
    """Contents of regular-file and symlink entries in order; None where missing or too large."""
    wanted = [e for e in entries if not e.is_submodule]
    blobs = read_blobs(repo, (e.oid for e in wanted), max_size)
    for entry, (oid, data, _size) in zip(wanted, blobs):
        assert oid == entry.oid
        yield entry, data


def list_worktree(repo: GitRepo) -> list[TreeEntry]:
    """Tracked and untracked-not-ignored files as they are on disk (no index write)."""
    if repo.work_tree is None:
        raise InputError("--worktree needs a repository with a working tree (this one is bare)")
    out = repo.run("--work-tree", str(repo.work_tree), "ls-files", "-z", "--cached", "--others",
                   "--exclude-standard", "--deduplicate")
    entries = []
    root = os.fsencode(repo.work_tree)
    linked_dirs: dict[bytes, bool] = {}
    for raw in sorted(set(p for p in out.split(b"\0") if p)):
        if _under_a_link(root, raw, linked_dirs):
            continue            # git lists it, but on disk its directory is a link: not ours to read
        full = os.path.join(root, raw)
        try:
            st = os.lstat(full)
        except OSError:
            continue            # deleted in the checkout: not part of the snapshot
        if stat.S_ISLNK(st.st_mode):
            mode = "120000"
        elif stat.S_ISDIR(st.st_mode):
            mode = "160000"     # a nested repository / submodule checkout
        elif stat.S_ISREG(st.st_mode):
            mode = "100755" if st.st_mode & 0o111 else "100644"
        else:
            continue
        entries.append(TreeEntry(decode_path(raw), mode, "", st.st_size))
    return entries


def _under_a_link(root: bytes, rel: bytes, seen: dict[bytes, bool]) -> bool:
    """True when a parent directory of rel is, on disk, a symlink (or not a directory)."""
    parts = rel.split(b"/")[:-1]
    for i in range(1, len(parts) + 1):
        prefix = b"/".join(parts[:i])
        if prefix not in seen:
            try:
                seen[prefix] = not stat.S_ISDIR(os.lstat(os.path.join(root, prefix)).st_mode)
            except OSError:
                seen[prefix] = True
        if seen[prefix]:
            return True
    return False


def open_beneath(root: bytes, rel: bytes) -> int:
    """Open root/rel for reading without following a symlink at any step, so a
    directory swapped for a link between listing and reading cannot lead out."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        *dirs, name = rel.split(b"/")
        for d in dirs:
            nxt = os.open(d, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow, dir_fd=fd)
            os.close(fd)
            fd = nxt
        return os.open(name, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0), dir_fd=fd)
    finally:
        os.close(fd)


def read_worktree(repo: GitRepo, entries: Iterable[TreeEntry], max_size: Optional[int]
                  ) -> Iterator[tuple[TreeEntry, Optional[bytes]]]:
    root = os.fsencode(repo.work_tree)
    for e in entries:
        if e.is_submodule:
            continue
        full = os.path.join(root, os.fsencode(e.path))
        if e.is_symlink:
            yield e, os.fsencode(os.readlink(full))
        elif max_size is not None and e.size > max_size:
            yield e, None
        else:
            fd = open_beneath(root, os.fsencode(e.path))
            if not stat.S_ISREG(os.fstat(fd).st_mode):   # swapped for a fifo or device since listing
                os.close(fd)
                yield e, None
                continue
            with os.fdopen(fd, "rb") as fh:
                yield e, fh.read()


def as_item(entry: TreeEntry, data: bytes, origin: Origin = Origin.HEAD) -> ContentItem:
    return ContentItem(entry.path, data, origin, entry.oid or None, None, entry.mode)
