"""Hostile repositories, built with git plumbing where porcelain would refuse.

`git add` will not record a path named `..`, a name with a slash in it or a
500-byte file name; a hostile repository can hold all of them, so these
helpers write tree and commit objects directly.  `state(...)` fingerprints a
whole directory (contents, modes, mtimes, directory mtimes) so a test can
prove reposcrub left a repository exactly as it found it.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable, Optional, Union

from conftest import git

Name = Union[str, bytes]


def blob(repo: Path, data: bytes) -> str:
    """Store bytes as a blob; return its id."""
    return git(repo, "hash-object", "-w", "--stdin", input=data).strip()


def tree(repo: Path, entries: Iterable[tuple[str, Name, str]]) -> str:
    """A tree object from (mode, name, oid) rows, written byte for byte.

    `--literally` skips git's own checks, so names git would refuse (`..`,
    `a/b`, `/etc`, `.git`) are stored as given: that is the point."""
    raw = b""
    for mode, name, oid in entries:
        name_b = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
        raw += mode.encode() + b" " + name_b + b"\0" + bytes.fromhex(oid)
    return git(repo, "hash-object", "-w", "-t", "tree", "--literally", "--stdin", input=raw).strip()


def commit(repo: Path, tree_oid: str, message: str = "crafted", parent: Optional[str] = None,
           branch: str = "main") -> str:
    """Commit a tree and point `branch` (and so HEAD, on main) at it."""
    args = ["commit-tree", tree_oid, "-m", message] + (["-p", parent] if parent else [])
    oid = git(repo, *args).strip()
    git(repo, "update-ref", f"refs/heads/{branch}", oid)
    return oid


def bulk_commit(repo: Path, files: dict[str, bytes], message: str = "bulk") -> str:
    """Many files in one commit with one `git add` (RepoBuilder adds file by file)."""
    for name, data in files.items():
        p = repo / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def object_path(repo: Path, oid: str) -> Path:
    """Where a loose object lives (the repository must not be packed)."""
    return repo / ".git" / "objects" / oid[:2] / oid[2:]


def corrupt(repo: Path, oid: str) -> None:
    """Overwrite a loose object with garbage that still looks like a zlib file."""
    p = object_path(repo, oid)
    os.chmod(p, 0o644)
    p.write_bytes(b"\x78\x01" + b"\xde\xad\xbe\xef" * 8)


def state(root: Path) -> dict[str, tuple]:
    """Everything observable about a directory tree without changing it: every
    entry's type, mode, size, mtime and content hash, directories included (a
    lock file created and removed again still changes its directory's mtime)."""
    out: dict[str, tuple] = {}
    base = os.fsencode(root)
    for dirpath, dirs, files in os.walk(base, followlinks=False):
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, base).decode("utf-8", "surrogateescape")
            if stat.S_ISREG(st.st_mode):
                with open(full, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                digest = os.readlink(full).decode("utf-8", "surrogateescape")
            else:
                digest = ""
            out[rel] = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_size, st.st_mtime_ns, digest)
    top = os.lstat(root)
    out["."] = (stat.S_IFMT(top.st_mode), top.st_mode, top.st_mtime_ns)
    return out


HOOKS = ("pre-commit", "post-checkout", "post-merge", "pre-push", "post-rewrite", "post-index-change",
         "reference-transaction", "fsmonitor-watchman", "pre-auto-gc", "post-commit", "prepare-commit-msg")


def plant_tripwires(repo: Path, marker: Path) -> None:
    """Every way a repository can make git run its own code, each appending to
    `marker`: hooks, an fsmonitor hook, clean/smudge/textconv filters, an
    external diff, a pager, a signature verifier, an ssh command."""
    script = repo.parent / "tripwire.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 0\n")
    script.chmod(0o755)
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in HOOKS:
        h = hooks / name
        h.write_text(f"#!/bin/sh\necho \"hook {name}\" >> '{marker}'\n")
        h.chmod(0o755)
    for key, value in [("core.fsmonitor", str(script)), ("core.pager", str(script)),
                       ("pager.log", str(script)), ("diff.external", str(script)),
                       ("filter.trip.clean", str(script)), ("filter.trip.smudge", str(script)),
                       ("filter.trip.process", str(script)), ("diff.trip.textconv", str(script)),
                       ("log.showSignature", "true"), ("gpg.program", str(script)),
                       ("core.sshCommand", str(script)), ("core.askPass", str(script)),
                       ("core.untrackedCache", "true"), ("index.version", "4")]:
        git(repo, "config", key, value)
    attrs = repo / ".git" / "info" / "attributes"
    attrs.parent.mkdir(exist_ok=True)
    attrs.write_text("* filter=trip diff=trip\n")
