"""Decide what to do with each finding: redact, replace, drop the file, or only report.

Detectors say what a value is; policy says what happens to it, given where it
was found (HEAD vs history), the user's allowances, and the kind of file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from .model import Action, ContentItem, Finding, Origin

KEY_FILE_NAMES = re.compile(
    r"(?i)(^id_(rsa|dsa|ecdsa|ed25519)$|\.(pem|key|p8|ppk|pkcs8|der|p12|pfx|jks|keystore|asc|gpg)$)")
INLINE_ALLOW = re.compile(rb"reposcrub:allow(?:[ \t]+([A-Za-z0-9_.,-]+))?")
REPORT_ONLY_ORIGINS = (Origin.HISTORY, Origin.MESSAGE)


@dataclass
class Policy:
    """The allowances of one run (inline comments always apply)."""

    allowed_fingerprints: set[str] = field(default_factory=set)

    def decide(self, item: ContentItem, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            f.action = self._action(item, f)
            out.append(f)
        return out

    def _action(self, item: ContentItem, f: Finding) -> Action:
        if f.fingerprint in self.allowed_fingerprints:
            f.suppressed_by = "baseline"
            return Action.ALLOWED
        if inline_allowed(item.data, f):
            f.suppressed_by = "inline"
            return Action.ALLOWED
        if item.origin in REPORT_ONLY_ORIGINS:
            return Action.REPORT_ONLY
        if f.kind == "secret" and f.rule == "private-key" and is_key_file(item, f):
            f.reason = "private key"
            return Action.DROP_FILE
        if f.kind == "header":
            return Action.REMOVE_HEADER
        if f.kind in ("identifier", "host"):
            return Action.REPLACE
        return Action.REDACT


def inline_allowed(data: bytes, f: Finding) -> bool:
    """`reposcrub:allow` (optionally naming rule ids) on the finding's line."""
    line_start = data.rfind(b"\n", 0, f.start) + 1
    line_end = data.find(b"\n", f.end)
    line = data[line_start: len(data) if line_end < 0 else line_end]
    m = INLINE_ALLOW.search(line)
    if not m:
        return False
    ids = m.group(1)
    return ids is None or f.rule.encode() in ids.split(b",")


def is_key_file(item: ContentItem, f: Finding) -> bool:
    """A file that is essentially the key (id_rsa, *.pem) is dropped, not edited."""
    name = PurePosixPath(item.path).name
    if KEY_FILE_NAMES.search(name):
        return True
    return (f.end - f.start) >= 0.6 * len(item.data.strip())
