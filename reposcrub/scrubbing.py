"""`reposcrub scrub`: write the sanitized, flattened snapshot of HEAD and its report.

Every HEAD entry ends up either in the snapshot or in the report's file list
with a reason; nothing is dropped silently.  The snapshot is written under a
temporary name and renamed into place only after the last file, and the
report is written only after that, so a failed run leaves neither.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .context import RunContext
from .model import Action, FileOutcome, Finding, RunResult
from .progress import Progress
from .redact import EDITING, Pseudonyms, rewrite
from .company import Company
from .paths import plan_renames, scan_paths, words_in_paths
from .scanning import HeadFile, collapse, head_files, list_head, scan_history
from .sinks.report_json import dumps, write_atomic
from .sinks.snapshot import SnapshotWriter
from .sources.gitrepo import InputError
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
    if _inside(report, dest) and not dest.name.endswith((".zip", ".tar.gz", ".tgz")):
        raise InputError(f"{report}: the report must not be written inside the snapshot")
    for p in (dest, report):
        if (p.exists() or p.is_symlink()) and not force:
            raise InputError(f"{p}: already exists (use --force to replace it)")


def outcome_for(hf: HeadFile) -> tuple[FileOutcome, Optional[bytes]]:
    """What becomes of one HEAD entry, and the bytes to write (None: not written)."""
    e = hf.entry
    if hf.skip_reason:
        return FileOutcome(e.path, "dropped", None, hf.skip_reason), None
    if e.is_symlink:
        return FileOutcome(e.path, "dropped", None, "symlink (not followed; links are not written)"), None
    live = [f for f in hf.findings if f.action is not Action.ALLOWED]
    drop = next((f for f in live if f.action is Action.DROP_FILE), None)
    if drop:
        return FileOutcome(e.path, "dropped", None, drop.reason or f"{drop.rule} file"), None
    editing = [f for f in live if f.action in EDITING]
    if editing and hf.binary:
        rules = ", ".join(sorted({f.rule for f in editing}))
        for f in editing:
            f.action = Action.DROP_FILE
        return FileOutcome(e.path, "dropped", None, f"binary file holding {rules}"), None
    if editing:
        return FileOutcome(e.path, "modified", None, f"{len(editing)} replacement(s)"), hf.data
    return FileOutcome(e.path, "kept", None, "binary" if hf.binary else ""), hf.data


def renamed(outcome: FileOutcome, to: str) -> FileOutcome:
    edits = f"{outcome.reason}; " if outcome.status == "modified" else ""
    return FileOutcome(outcome.path, "renamed", to, f"{edits}name held something to replace")


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
    result.refs_scanned = len(repo.refs())
    result.notes.extend(ctx.notes)
    ctx.policy.honour_repo = False   # what only the repo allows is still redacted (see Policy)
    writer = SnapshotWriter(dest, force=force, mtime=repo.commit_time(head) if head else 0)
    head_findings: list[Finding] = []
    head_oids: set[str] = set()
    try:
        entries = list_head(ctx, result, worktree)
        paths = [e.path for e in entries]
        in_names = scan_paths(ctx, paths)
        names = Pseudonyms(Company.from_profile(ctx.profile), taken=words_in_paths(paths))
        renames = plan_renames(paths, in_names, names)
        for hf in head_files(ctx, result, worktree, progress, entries):
            head_oids.add(hf.entry.oid)
            outcome, data = outcome_for(hf)
            if outcome.status == "modified":
                data = rewrite(data, hf.findings, names)
            if data is not None and hf.entry.path in renames:
                outcome = renamed(outcome, renames[hf.entry.path])
            if data is not None:
                writer.add(outcome.to or outcome.path, data, executable=hf.entry.mode == "100755")
            result.files.append(outcome)
            head_findings.extend(hf.findings)
            head_findings.extend(in_names.get(hf.entry.path, []))
        past = scan_history(ctx, result, head_oids, progress) if with_history and head else []
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    result.findings = head_findings + collapse(head_findings, past)
    result.mappings = {kind: {(mask(v) if kind == "secret" else v.decode("utf-8", "replace")): r
                              for v, r in m.items()} for kind, m in names.mapping.items()}
    write_atomic(report, dumps(result))
    return result
