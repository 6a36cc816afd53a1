"""What is about to be committed: the blobs the index holds for changed paths.

One `git diff --cached --raw` names every added or modified path with the
blob id the index holds for it, so a pre-commit hook reads exactly the staged
bytes (not the working tree, which may differ) and nothing unchanged.  Inside
a hook git may point GIT_INDEX_FILE at a temporary index (`git commit -a`,
`git commit PATH`); that index is the one being committed, so it is honoured.
"""
from __future__ import annotations

import os
from typing import Optional

from .gitrepo import GitRepo
from .worktree import TreeEntry, decode_path

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def index_env() -> dict[str, str]:
    """The index git is committing, made absolute (hooks run at the work tree root)."""
    index = os.environ.get("GIT_INDEX_FILE")
    return {"GIT_INDEX_FILE": os.path.abspath(index)} if index else {}


def staged_entries(repo: GitRepo) -> list[TreeEntry]:
    """Paths added, copied, modified or retyped in the index, with their staged blob ids."""
    base: Optional[str] = repo.head() or EMPTY_TREE
    out = repo.run("diff-index", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev",
                   "--diff-filter=ACMRT", base, env=index_env())
    fields = out.split(b"\0")
    entries: list[TreeEntry] = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        if not meta.startswith(b":"):
            continue
        _old_mode, new_mode, _old, new_oid, _status = meta[1:].split(b" ", 4)
        mode = new_mode.decode()
        if mode == "160000":            # a submodule commit: nothing of ours to read
            continue
        entries.append(TreeEntry(decode_path(path), mode, new_oid.decode(), 0))
    entries.sort(key=lambda e: e.path.encode("utf-8", "surrogateescape"))
    return entries
