"""The JSON report (contract in DESIGN.md) and its one-finding-per-line twin.

Values never appear here: findings carry a masked preview and a keyed
fingerprint; mappings of secrets are keyed by the masked original.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from .. import __version__
from ..model import Action, FileOutcome, Finding, RunResult


def text(s: str | None) -> str | None:
    """Paths may hold any bytes (surrogate-escaped); JSON gets them readable, never a crash."""
    if s is None:
        return None
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def finding_dict(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "kind": f.kind, "path": text(f.path), "line": f.line,
            "column": f.column, "commit": f.commit, "blob": f.blob, "preview": f.preview,
            "fingerprint": f.fingerprint, "confidence": f.confidence, "action": f.action.value,
            "origin": f.origin.value, **({"suppressed_by": f.suppressed_by} if f.suppressed_by else {}),
            **({"repo_allowed": f.repo_allowed} if f.repo_allowed else {})}


def file_dict(o: FileOutcome) -> dict[str, Any]:
    return {"path": text(o.path), "status": o.status, "to": text(o.to), "reason": o.reason}


def active(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.action is not Action.ALLOWED]


def to_dict(r: RunResult) -> dict[str, Any]:
    live = active(r.findings)
    statuses = Counter(o.status for o in r.files)
    return {
        "tool": {"name": "reposcrub", "version": __version__},
        "source": {"path": text(r.path), "head": r.head, "refs_scanned": r.refs_scanned,
                   "blobs_scanned": r.blobs_scanned, "bytes_scanned": r.bytes_scanned},
        "summary": {"findings": len(live), "by_kind": dict(sorted(Counter(f.kind for f in live).items())),
                    "by_confidence": dict(sorted(Counter(f.confidence for f in live).items())),
                    "history_only": sum(1 for f in live if f.commit is not None),
                    "suppressed": len(r.findings) - len(live),
                    "suppressed_by": dict(sorted(Counter(f.suppressed_by for f in r.findings
                                                         if f.action is Action.ALLOWED).items())),
                    "suppressed_by_repo": sum(1 for f in r.findings
                                              if f.repo_allowed and f.action is Action.ALLOWED),
                    "files_modified": statuses.get("modified", 0) + statuses.get("renamed", 0),
                    "files_dropped": statuses.get("dropped", 0),
                    "missing_objects": len(r.missing_objects)},
        "findings": [finding_dict(f) for f in r.findings],
        "files": [file_dict(o) for o in r.files],
        # What the scanned repository itself allowed (its config, inline comments), listed
        # apart so a repository cannot hide a secret from whoever reads this report.
        "repo_suppressions": [finding_dict(f) for f in r.findings if f.repo_allowed],
        "mappings": {k: dict(sorted(v.items())) for k, v in sorted(r.mappings.items())},
        "missing_objects": r.missing_objects,
        "skipped": [file_dict(o) for o in r.skipped],
        "notes": r.notes,
    }


def dumps(r: RunResult) -> str:
    return json.dumps(to_dict(r), indent=2, ensure_ascii=False) + "\n"


def dumps_jsonl(r: RunResult) -> str:
    return "".join(json.dumps(finding_dict(f), ensure_ascii=False) + "\n" for f in r.findings)


def stage_atomic(path: Path, content: str) -> Path:
    """Write content beside path under a temporary name; the caller renames it
    into place (os.replace) once everything else is ready."""
    tmp = path.parent / f".{path.name}.reposcrub-tmp-{os.getpid()}"
    try:
        tmp.write_text(content, encoding="utf-8")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, content: str, force: bool = True) -> None:
    tmp = stage_atomic(path, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
