"""The redact stage: findings + pseudonyms -> replacements -> new bytes."""
from __future__ import annotations

from typing import Iterable

from ..model import Action, Finding
from .jsonsafe import rewrite_json
from .pseudonyms import Pseudonyms
from .rewrite import Replacement, apply

EDITING = (Action.REDACT, Action.REPLACE, Action.REMOVE_HEADER)


def replacements(findings: Iterable[Finding], names: Pseudonyms, data: bytes = b"") -> list[Replacement]:
    """data: the bytes the findings are in (a replacement may follow its neighbours' style)."""
    out = []
    for f in findings:
        if f.action not in EDITING:
            continue
        if f.replacement is not None:
            text = f.replacement
        else:
            text = names.replacement(f, data).encode()
        out.append(Replacement(f.start, f.end, text, f.keep_lines))
    return out


def rewrite(data: bytes, findings: Iterable[Finding], names: Pseudonyms) -> bytes:
    reps = replacements(findings, names, data)
    as_json = rewrite_json(data, reps) if reps else None   # a notebook stays a notebook
    return as_json if as_json is not None else apply(data, reps)


__all__ = ["Pseudonyms", "Replacement", "replacements", "rewrite", "EDITING"]
