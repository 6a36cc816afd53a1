"""Symbolic links, resolved inside the tree and never on disk.

A snapshot holds only regular files and directories, so a link cannot be
written as a link.  The policy:

* a link that resolves, through the tree's own entries (other links
  included), to a regular file of the same tree is written as a copy of that
  file's *scrubbed* content;
* every other link — absolute, leaving the tree (`../..`), dangling, to a
  directory, to a submodule, or a loop — is dropped and reported.

Resolution is lexical over the list of tree entries, like `realpath` on a
file system made only of the tree: nothing outside the repository is ever
looked at, so a link to `/etc/passwd` or `~/.ssh/id_rsa` cannot bring that
file's bytes into the snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from .worktree import TreeEntry

MAX_HOPS = 40   # the same limit as Linux's path resolution (ELOOP)


@dataclass(frozen=True)
class LinkTarget:
    path: Optional[str]     # the regular file the link ends at, or None
    reason: str             # why not, when path is None


class TreeLinks:
    """Resolve links against one tree's entries (HEAD, or the checkout with --worktree)."""

    def __init__(self, entries: Iterable[TreeEntry], targets: dict[str, bytes]):
        self.modes: dict[str, str] = {}
        self.dirs: set[str] = set()
        for e in entries:
            self.modes[e.path] = e.mode
            parts = e.path.split("/")
            for i in range(1, len(parts)):
                self.dirs.add("/".join(parts[:i]))
        self.targets = {p: t.decode("utf-8", "surrogateescape") for p, t in targets.items()}

    def resolve(self, link: str) -> LinkTarget:
        hops = 0
        done: list[str] = link.split("/")[:-1]
        todo = self._target_parts(link)
        if todo is None:
            return LinkTarget(None, "symlink to an absolute path (outside the repository): not followed")
        while todo:
            part = todo.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if not done:
                    return LinkTarget(None, "symlink pointing outside the repository: not followed")
                done.pop()
                continue
            done.append(part)
            here = "/".join(done)
            mode = self.modes.get(here)
            if mode == "120000":
                hops += 1
                if hops > MAX_HOPS:
                    return LinkTarget(None, "symlink loop: not followed")
                done.pop()
                nxt = self._target_parts(here)
                if nxt is None:
                    return LinkTarget(None, "symlink chain ending at an absolute path: not followed")
                todo = nxt + todo
            elif mode is not None and todo and any(p not in ("", ".") for p in todo):
                return LinkTarget(None, "dangling symlink (a file used as a directory)")
        final = "/".join(done)
        mode = self.modes.get(final)
        if mode in ("100644", "100755"):
            return LinkTarget(final, "")
        if mode == "160000":
            return LinkTarget(None, "symlink to a submodule: not followed")
        if final in self.dirs or final == "":
            return LinkTarget(None, "symlink to a directory: not copied")
        return LinkTarget(None, "dangling symlink (target not in the tree)")

    def _target_parts(self, link: str) -> Optional[list[str]]:
        target = self.targets.get(link, "")
        if target.startswith("/"):
            return None
        return target.split("/")
