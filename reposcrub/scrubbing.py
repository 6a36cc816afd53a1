"""`reposcrub scrub`: write the sanitized, flattened snapshot of HEAD and its report.

Every HEAD entry ends up either in the snapshot or in the report's file list
with a reason; nothing is dropped silently.  The snapshot is written under a
temporary name and renamed into place only after the last file, and the
report is written only after that, so a failed run leaves neither.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .bigfiles import STREAM_OVER
from .context import RunContext
from .model import Action, FileOutcome, Finding, RunResult
from .progress import Progress
from .redact import EDITING, Pseudonyms, rewrite
from .company import Company
from .pathmask import mask_secret_paths
from .paths import plan_renames, scan_paths, words_in_paths
from .scanning import (HeadFile, RefCount, collapse, findings_on_workers, head_files, list_head,
                       scan_history)
from .sinks.paths import case_clashes, unsafe_reason
from .sinks.report_json import dumps, stage_atomic, text
from .sinks.snapshot import Refused, SnapshotWriter
from .sources.gitrepo import InputError
from .detect import archives
from .sources.filekind import LFS_REASON, is_lfs_pointer
from .sources.links import TreeLinks
from .sources.worktree import TreeEntry, as_item
from .masking import mask


def default_report_path(dest: Path) -> Path:
    return dest.parent / f"{dest.name}.report.json"


def _inside(path: Path, root: Optional[Path]) -> bool:
    if root is None:
        return False
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def check_outputs(ctx: RunContext, dest: Path, report: Path, force: bool) -> None:
    """Refuse, before any work, outputs that would write into the source or clobber."""
    for p in (dest, report):
        if _inside(p, ctx.repo.work_tree) or _inside(p, ctx.repo.git_dir):
            raise InputError(f"{p}: output must be outside the scanned repository (it is read-only)")
    if _inside(ctx.repo.work_tree or ctx.repo.git_dir, dest) or _inside(ctx.repo.git_dir, dest):
        raise InputError(f"{dest}: the scanned repository is inside it; choose another DEST")
    if _inside(report, dest) and not dest.name.endswith((".zip", ".tar.gz", ".tgz")):
        raise InputError(f"{report}: the report must not be written inside the snapshot")
    for p in (dest, report):
        if (p.exists() or p.is_symlink()) and not force:
            raise InputError(f"{p}: already exists (use --force to replace it)")


def outcome_for(hf: HeadFile, drop_archives: bool = False) -> tuple[FileOutcome, Optional[bytes]]:
    """What becomes of one HEAD entry, and the bytes to write (None: not written)."""
    e = hf.entry
    if hf.skip_reason:
        return FileOutcome(e.path, "dropped", None, hf.skip_reason), None
    unsafe = unsafe_reason(e.path)
    if unsafe:
        return FileOutcome(e.path, "dropped", None, unsafe), None
    live = [f for f in hf.findings if f.action is not Action.ALLOWED]
    drop = next((f for f in live if f.action is Action.DROP_FILE), None)
    if drop:
        return FileOutcome(e.path, "dropped", None, drop.reason or f"{drop.rule} file"), None
    editing = [f for f in live if f.action in EDITING]
    packed = archives.kind_of(hf.head)
    if packed and (editing or drop_archives):
        rules = ", ".join(sorted({f.rule for f in editing}))
        for f in editing:
            f.action = Action.DROP_FILE
        return FileOutcome(e.path, "dropped", None, f"archive ({packed}) holding {rules}" if editing
                           else f"archive ({packed}), dropped by --drop-archives"), None
    if editing and hf.binary:
        rules = ", ".join(sorted({f.rule for f in editing}))
        for f in editing:
            f.action = Action.DROP_FILE
        return FileOutcome(e.path, "dropped", None, f"binary file holding {rules}"), None
    if editing:
        return FileOutcome(e.path, "modified", None, f"{len(editing)} replacement(s)"), hf.data
    if packed and hf.big:
        why = f"archive ({packed}) larger than {STREAM_OVER >> 20} MB: members not scanned"
    elif packed:
        why = archives.describe(as_item(e, hf.data))
    elif hf.data is not None and is_lfs_pointer(hf.data):
        why = LFS_REASON
    else:
        why = "binary" if hf.binary else ""
    return FileOutcome(e.path, "kept", None, why), hf.data


def renamed(outcome: FileOutcome, to: str, note: str = "") -> FileOutcome:
    """A file written under a new name (its own name held something to replace)."""
    reasons = [outcome.reason] if outcome.status == "modified" else []
    reasons.append("path renamed" + (f" ({note})" if note else ""))
    return FileOutcome(outcome.path, "renamed", to, "; ".join(reasons))


def place(writer: SnapshotWriter, hf: HeadFile, names: Pseudonyms, to: Optional[str] = None,
          note: str = "", drop_archives: bool = False) -> FileOutcome:
    """Decide, rewrite and write one HEAD entry (under `to` when its name must
    change); return its manifest row."""
    outcome, data = outcome_for(hf, drop_archives)
    if outcome.status == "dropped":
        return outcome
    if hf.big is not None:          # streamed through, edits spliced in (bigfiles.py)
        content = hf.big.scrubbed(names) if outcome.status == "modified" else hf.big.plain()
    elif data is None:
        return outcome
    else:
        content = hf.encoded(rewrite(data, hf.findings, names) if outcome.status == "modified" else data)
    if to:
        outcome = renamed(outcome, to, note)
    want = outcome.to or outcome.path
    try:
        got = writer.add(want, content, executable=hf.entry.mode == "100755")
    except Refused as why:
        return FileOutcome(hf.entry.path, "dropped", None, str(why))
    if got != want:
        return FileOutcome(hf.entry.path, "renamed", got,
                           "; ".join(filter(None, [outcome.reason, "name is not UTF-8 (zip names must be)"])))
    return outcome


def copy_links(ctx: RunContext, writer: SnapshotWriter, links: list[HeadFile], entries: list[TreeEntry],
               result: RunResult, names: Pseudonyms, worktree: bool,
               renames: dict[str, tuple[str, str]]) -> None:
    """Symlinks become copies of the scrubbed file they point at inside the
    tree, or are dropped with a reason (policy in sources/links.py)."""
    if not links:
        return
    tree = TreeLinks(entries, {hf.entry.path: hf.data or b"" for hf in links})
    by_path = {e.path: e for e in entries}
    fates = {o.path: o for o in result.files}
    for hf in links:
        target = tree.resolve(hf.entry.path)
        fate = fates.get(target.path) if target.path else None
        if target.path is None or fate is None or fate.status == "dropped":
            why = target.reason or "symlink to a file that is not in the snapshot"
            result.files.append(FileOutcome(hf.entry.path, "dropped", None, why))
            continue
        scratch = RunResult(path=result.path, head=result.head)
        copy = next(head_files(ctx, scratch, worktree, entries=[by_path[target.path]]))
        copy = replace(copy, entry=replace(copy.entry, path=hf.entry.path))
        outcome = place(writer, copy, names, *renames.get(hf.entry.path, (None, "")),
                        drop_archives=ctx.profile.drop_archives)
        if outcome.status != "dropped":
            outcome = FileOutcome(outcome.path, "modified" if outcome.to is None else "renamed", outcome.to,
                                  "symlink to a file in the tree: written as a copy of its scrubbed content")
        result.files.append(outcome)


def run_scrub(ctx: RunContext, dest: Path, report: Optional[Path] = None, force: bool = False,
              worktree: bool = False, with_history: bool = True,
              progress: Optional[Progress] = None) -> RunResult:
    repo = ctx.repo
    report = report or default_report_path(dest)
    check_outputs(ctx, dest, report, force)
    head = repo.head()
    if head is None and not worktree:
        raise InputError(f"{repo.work_tree or repo.git_dir}: repository has no commits on HEAD: nothing to snapshot")
    result = RunResult(path=str(repo.work_tree or repo.git_dir), head=head, mode="scrub")
    refs = RefCount(repo)            # counted while HEAD is scanned and written
    result.notes.extend(ctx.notes)
    ctx.policy.honour_repo = False   # what only the repo allows is still redacted (see Policy)
    writer = SnapshotWriter(dest, force=force, mtime=repo.commit_time(head) if head else 0)
    head_findings: list[Finding] = []
    head_oids: set[str] = set()
    links: list[HeadFile] = []
    staged: Optional[Path] = None
    try:
        entries = list_head(ctx, result, worktree)
        paths = [e.path for e in entries]
        in_names = scan_paths(ctx, paths)
        names = Pseudonyms(Company.from_profile(ctx.profile), taken=words_in_paths(paths))
        renames = plan_renames(paths, in_names, names)
        known = None if worktree else findings_on_workers(ctx, entries)
        for hf in head_files(ctx, result, worktree, progress, entries, known):
            head_oids.add(hf.entry.oid)
            head_findings.extend(hf.findings)
            head_findings.extend(in_names.get(hf.entry.path, []))
            if hf.entry.is_symlink and not hf.skip_reason and not unsafe_reason(hf.entry.path):
                links.append(hf)      # copied once every file they may point at is known
                continue
            result.files.append(place(writer, hf, names, *renames.get(hf.entry.path, (None, "")),
                                      drop_archives=ctx.profile.drop_archives))
        copy_links(ctx, writer, links, entries, result, names, worktree, renames)
        past = scan_history(ctx, result, head_oids, progress) if with_history and head else []
        result.files.sort(key=lambda o: o.path.encode("utf-8", "surrogateescape"))
        for group in case_clashes(o.to or o.path for o in result.files if o.status != "dropped"):
            result.notes.append(f"{len(group)} paths differ only in case ({', '.join(map(text, group))}): "
                                "both kept; they overwrite each other on case-insensitive file systems")
        result.findings = head_findings + collapse(head_findings, past)
        result.mappings = {kind: {(mask(v) if kind == "secret" else v.decode("utf-8", "replace")): r
                                  for v, r in m.items()} for kind, m in names.mapping.items()}
        mask_secret_paths(ctx, result)
        result.refs_scanned = refs.result()
        staged = stage_atomic(report, dumps(result))
        writer.commit(also=[(staged, report)])    # snapshot and report appear together, or neither
    except BaseException:
        writer.abort()
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    finally:
        refs.close()
    return result
