"""Baselines: today's findings, recorded so that tomorrow only new ones are reported.

A baseline holds fingerprints (keyed hashes of rule and value, see masking),
never values: it can be committed beside the code.  Because a fingerprint does
not depend on the line, the path or the scan mode, moving a baselined line or
finding the same value in history still matches.  A JSON report written by
`reposcrub scan --format json` is accepted as a baseline too.

Fingerprints are keyed: a baseline shared by a team needs a shared key
(`[report] fingerprint_key` in the profile or REPOSCRUB_FINGERPRINT_KEY).  With
another key nothing matches, and every finding is reported again — the safe
way to fail.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .model import Action, Finding
from .sinks.report_json import text, write_atomic
from .sources.gitrepo import InputError

FORMAT = "reposcrub-baseline"
VERSION = 1


def load_baseline(path: Path) -> set[str]:
    """The fingerprints a baseline (or a JSON report) records."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: baseline not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: baseline is not JSON: {exc}") from None
    rows = raw.get("findings") if isinstance(raw, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("fingerprint"), str)
                                             for r in rows):
        raise InputError(f"{path}: not a reposcrub baseline or JSON report (no findings[].fingerprint)")
    return {r["fingerprint"] for r in rows}


def baseline_rows(findings: Iterable[Finding]) -> list[dict]:
    """One row per fingerprint: the findings that would fail a scan, plus those the
    current baseline already covers (so rewriting a baseline keeps them)."""
    rows: dict[str, dict] = {}
    for f in findings:
        if f.action is Action.ALLOWED and f.suppressed_by != "baseline":
            continue
        rows.setdefault(f.fingerprint, {"fingerprint": f.fingerprint, "rule": f.rule, "path": text(f.path),
                                        "line": f.line, "commit": f.commit, "preview": f.preview})
    return sorted(rows.values(), key=lambda r: (r["path"] or "", r["line"], r["rule"], r["fingerprint"]))


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    rows = baseline_rows(findings)
    doc = {"format": FORMAT, "version": VERSION,
           "note": "Fingerprints of accepted findings (keyed hashes; no values). "
                   "`reposcrub scan --baseline THIS` reports only findings not listed here.",
           "findings": rows}
    write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return len(rows)
