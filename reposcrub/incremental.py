"""Scan only what changes: the staged blobs, a list of files, or new commits.

Hooks and CI run on every commit and push, so they must cost what the change
costs, not what the repository costs: a pre-commit hook reads the staged blobs
(one `git cat-file --batch`), a pre-push hook or `scan --since REV` reads the
blobs new commits introduce (`rev-list --objects NEW --not OLD`) and their
messages.  Detection and policy are the same as a full scan.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from .bigfiles import STREAM_OVER, blob_opener, scan_big
from .context import RunContext
from .model import ContentItem, FileOutcome, Origin, RunResult
from .paths import scan_paths
from .progress import Progress
from .scanning import scan_history
from .sources.catfile import read_blobs
from .sources.gitrepo import InputError
from .sources.staged import staged_entries

ZERO = "0" * 40


def _new_result(ctx: RunContext, mode: str) -> RunResult:
    repo = ctx.repo
    result = RunResult(path=str(repo.work_tree or repo.git_dir) if repo else ".", mode=mode,
                       head=repo.head() if repo else None)
    result.notes.extend(ctx.notes)
    return result


def _scan_item(ctx: RunContext, result: RunResult, item: ContentItem) -> None:
    result.blobs_scanned += 1
    result.bytes_scanned += len(item.data)
    result.findings.extend(ctx.policy.decide(item, ctx.scanner.detect(item)))


def run_staged(ctx: RunContext) -> RunResult:
    """Findings in what `git commit` would record now."""
    result = _new_result(ctx, "staged")
    entries = staged_entries(ctx.repo)
    held = min(ctx.profile.max_size, STREAM_OVER)
    for entry, (oid, data, size) in zip(entries, read_blobs(ctx.repo, [e.oid for e in entries], held)):
        if data is None and held < size <= ctx.profile.max_size:      # too big to hold: a stream
            item = ContentItem(entry.path, b"", Origin.STAGED, oid, None, entry.mode)
            result.blobs_scanned += 1
            result.bytes_scanned += size
            result.findings.extend(scan_big(ctx, item, blob_opener(ctx.repo, oid))[1])
            continue
        if data is None:
            result.skipped.append(FileOutcome(entry.path, "skipped", None,
                                              "object missing" if size < 0 else
                                              f"larger than the size limit ({size} bytes)"))
            continue
        _scan_item(ctx, result, ContentItem(entry.path, data, Origin.STAGED, oid, None, entry.mode))
    _scan_names(ctx, result, [e.path for e in entries], Origin.STAGED)
    return result


def _scan_names(ctx: RunContext, result: RunResult, paths: list[str], origin: Origin) -> None:
    """A new file's name is committed too (a codename in a folder, a token as a name)."""
    for found in scan_paths(ctx, paths, origin).values():
        result.findings.extend(found)


def run_files(ctx: RunContext, files: Sequence[str]) -> RunResult:
    """Findings in the given files as they are on disk (the pre-commit framework
    passes staged file names, with unstaged changes stashed away)."""
    result = _new_result(ctx, "files")
    root = ctx.repo.work_tree if ctx.repo and ctx.repo.work_tree else Path.cwd()
    for name in files:
        path = Path(name)
        try:
            st = os.lstat(path)
        except OSError:
            result.skipped.append(FileOutcome(name, "skipped", None, "no such file"))
            continue
        if stat.S_ISLNK(st.st_mode):
            data = os.fsencode(os.readlink(path))
        elif not stat.S_ISREG(st.st_mode):
            result.skipped.append(FileOutcome(name, "skipped", None, "not a regular file"))
            continue
        elif st.st_size > ctx.profile.max_size:
            result.skipped.append(FileOutcome(name, "skipped", None,
                                              f"larger than the size limit ({st.st_size} bytes)"))
            continue
        elif st.st_size > STREAM_OVER:
            item = ContentItem(_relative(path, root), b"", Origin.WORKTREE)
            result.blobs_scanned += 1
            result.bytes_scanned += st.st_size
            result.findings.extend(scan_big(ctx, item, lambda p=path: _chunks(p))[1])
            continue
        else:
            data = path.read_bytes()
        _scan_item(ctx, result, ContentItem(_relative(path, root), data, Origin.WORKTREE))
    _scan_names(ctx, result, [_relative(Path(f), root) for f in files], Origin.WORKTREE)
    return result


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run_range(ctx: RunContext, new: Iterable[str], old: Iterable[str],
              progress: Optional[Progress] = None, mode: str = "range") -> RunResult:
    """Findings in blobs and messages of commits reachable from `new` but not from `old`."""
    result = _new_result(ctx, mode)
    new = list(new)
    if not new:
        return result
    revs = [*new, "--not", *old]
    result.refs_scanned = len(new)
    result.findings = scan_history(ctx, result, set(), progress, revs=revs)
    return result


def since_revs(ctx: RunContext, since: str) -> tuple[list[str], list[str]]:
    """`--since REV`: the commits on HEAD that REV does not have."""
    head = ctx.repo.head()
    if head is None:
        raise InputError("--since needs a repository with commits on HEAD")
    return [head], [ctx.repo.resolve(since)]


def push_revs(ctx: RunContext, remote: str, lines: Iterable[str]) -> tuple[list[str], list[str]]:
    """What a push sends, from the lines git gives a pre-push hook on stdin:
    `<local ref> <local sha> <remote ref> <remote sha>`."""
    new: list[str] = []
    old: list[str] = []
    for line in lines:
        parts = line.split()
        if len(parts) != 4:
            continue
        _lref, lsha, _rref, rsha = parts
        if lsha == ZERO:                 # deleting a remote branch sends nothing
            continue
        new.append(lsha)
        if rsha != ZERO and _has_commit(ctx, rsha):
            old.append(rsha)
    if new and remote:
        old.append(f"--remotes={remote}")   # whatever the remote is known to have already
    return new, old


def _has_commit(ctx: RunContext, sha: str) -> bool:
    return bool(ctx.repo.run("rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}", check=False).strip())
