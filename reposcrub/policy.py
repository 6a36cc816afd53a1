"""Decide what to do with each finding: redact, replace, drop the file, or only report.

Detectors say what a value is; policy says what happens to it, given where it
was found (HEAD vs history), the user's allowances, and the kind of file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable, Optional

from .model import Action, ContentItem, Finding, Origin
from .sources.gitrepo import InputError

KEY_FILE_NAMES = re.compile(
    r"(?i)(^id_(rsa|dsa|ecdsa|ed25519)$|\.(pem|key|p8|ppk|pkcs8|der|p12|pfx|jks|keystore|asc|gpg)$)")
_ID = rb"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?"     # so `id-->` ends before `-->`
_IDS = rb"(?:[ \t]+(" + _ID + rb"(?:," + _ID + rb")*))?"
INLINE_ALLOW = re.compile(rb"reposcrub:allow(?![-\w])" + _IDS)
NEXT_LINE_ALLOW = re.compile(rb"reposcrub:allow-next-line(?![-\w])" + _IDS)
REPORT_ONLY_ORIGINS = (Origin.HISTORY, Origin.MESSAGE)


REPO_LABELS = ("inline", "repo-")   # suppressions the scanned repository controls


def glob_to_regex(glob: str) -> "re.Pattern[str]":
    """A gitignore-style glob: `*` within a segment, `**` across, `?` one character;
    a pattern without a slash matches a file or directory name at any depth."""
    g = glob.strip().lstrip("/") if "/" in glob.strip().rstrip("/") else "**/" + glob.strip()
    out, i = [], 0
    while i < len(g):
        if g.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif g.startswith("**", i):
            out.append(".*")
            i += 2
        elif g[i] == "*":
            out.append("[^/]*")
            i += 1
        elif g[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(g[i]))
            i += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?", re.DOTALL)


@dataclass
class Allowlist:
    """Paths (globs), values (regexes) and fingerprints one party chose to allow."""

    paths: list["re.Pattern[str]"] = field(default_factory=list)
    values: list["re.Pattern[bytes]"] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)
    disabled_rules: set[str] = field(default_factory=set)

    @classmethod
    def from_profile(cls, prof, muted_rules: bool = False) -> "Allowlist":
        values = []
        for v in prof.allow_values:
            try:
                values.append(re.compile(v.encode()))
            except (re.error, UnicodeEncodeError) as exc:
                raise InputError(f"{prof.source}: [allowlist] values: bad regex {v!r}: {exc}") from None
        return cls([glob_to_regex(p) for p in prof.allow_paths], values, set(prof.allow_fingerprints),
                   set(prof.disabled_rules) if muted_rules else set())

    def match(self, f: Finding) -> Optional[str]:
        """Which entry allows f ("path", "value", "fingerprint", "disabled-rule"), if any."""
        if f.fingerprint in self.fingerprints:
            return "fingerprint"
        if f.rule in self.disabled_rules:
            return "disabled-rule"
        if any(p.fullmatch(f.path) for p in self.paths):
            return "path"
        if any(v.search(f.value) for v in self.values):
            return "value"
        return None


@dataclass
class Policy:
    """The allowances of one run.

    Two parties can allow a finding: the user running reposcrub (their
    `--profile`, `--baseline`) and the scanned repository itself (its own
    `.reposcrub.toml`, inline `reposcrub:allow` comments).  A scan honours both
    but counts and lists the repository's separately; a snapshot
    (`honour_repo = False`) still redacts what only the repository allowed —
    the repository says "fine to keep here", never "fine to hand out".
    """

    allowed_fingerprints: set[str] = field(default_factory=set)   # the baseline
    repo_baseline: set[str] = field(default_factory=set)          # one the repo holds (hooks)
    user: Allowlist = field(default_factory=Allowlist)
    repo: Allowlist = field(default_factory=Allowlist)
    honour_repo: bool = True

    @classmethod
    def from_profile(cls, prof) -> "Policy":
        allow = Allowlist.from_profile(prof, muted_rules=prof.from_repo)
        return cls(user=Allowlist() if prof.from_repo else allow, repo=allow if prof.from_repo else Allowlist())

    def decide(self, item: ContentItem, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            f.action = self._action(item, f)
            out.append(f)
        return out

    def suppression(self, item: ContentItem, f: Finding) -> Optional[str]:
        """The label of what allows f, trusted allowances first."""
        if f.fingerprint in self.allowed_fingerprints:
            return "baseline"
        entry = self.user.match(f)
        if entry:
            return "allowlist:" + entry
        if f.fingerprint in self.repo_baseline:
            return "repo-baseline"
        entry = self.repo.match(f)
        if entry:
            return "repo-allowlist:" + entry if entry != "disabled-rule" else "repo-disabled-rule"
        if inline_allowed(item.data, f):
            return "inline"
        return None

    def _action(self, item: ContentItem, f: Finding) -> Action:
        label = self.suppression(item, f) or f.suppressed_by   # a detector's own (example-value)
        if label and is_repo_label(label):
            f.repo_allowed = label
        if label and (self.honour_repo or not is_repo_label(label)):
            f.suppressed_by = label
            return Action.ALLOWED
        if item.origin in REPORT_ONLY_ORIGINS:
            return Action.REPORT_ONLY
        if f.kind == "secret" and f.rule == "private-key" and is_key_file(item, f):
            f.reason = "private key"
            return Action.DROP_FILE
        if f.kind == "header":
            return Action.REMOVE_HEADER
        if f.kind in ("identifier", "host"):   # a low-confidence name (inside a word) is only reported
            return Action.REPORT_ONLY if f.confidence == "low" else Action.REPLACE
        return Action.REDACT


def is_repo_label(label: str) -> bool:
    return label.startswith(REPO_LABELS)


def inline_allowed(data: bytes, f: Finding) -> bool:
    """`reposcrub:allow [RULE_ID,...]` on the finding's line, or
    `reposcrub:allow-next-line [RULE_ID,...]` on the line above it."""
    line_start = data.rfind(b"\n", 0, f.start) + 1
    line_end = data.find(b"\n", f.end)
    line = data[line_start: len(data) if line_end < 0 else line_end]
    prev = b""
    if line_start:
        prev = data[data.rfind(b"\n", 0, line_start - 1) + 1: line_start - 1]
    return (_names_rule(INLINE_ALLOW.finditer(line), f.rule)
            or _names_rule(NEXT_LINE_ALLOW.finditer(prev), f.rule))


def _names_rule(matches, rule_id: str) -> bool:
    for m in matches:
        ids = m.group(1)
        if ids is None or rule_id.encode() in ids.split(b","):
            return True
    return False


def is_key_file(item: ContentItem, f: Finding) -> bool:
    """A file that is essentially the key (id_rsa, *.pem) is dropped, not edited."""
    name = PurePosixPath(item.path).name
    if KEY_FILE_NAMES.search(name):
        return True
    return (f.end - f.start) >= 0.6 * len(item.data.strip())
