"""The few data types every pipeline stage agrees on.

Stages pass these and nothing else, so a stage can be replaced without the
others noticing (sources -> detect -> policy -> redact -> sinks).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Optional


class Origin(str, Enum):
    """Where a content item came from; decides what a finding can do."""

    HEAD = "head"            # a file of the HEAD tree: will be in the snapshot
    WORKTREE = "worktree"    # an uncommitted file on disk (--worktree)
    HISTORY = "history"      # a blob only reachable from history: report only
    MESSAGE = "message"      # a commit message: report only
    SNAPSHOT = "snapshot"    # a file of a written snapshot (verify)
    STAGED = "staged"        # a blob in the index, about to be committed (hooks)


class Action(str, Enum):
    REDACT = "redact"
    REPLACE = "replace"
    REMOVE_HEADER = "remove-header"
    DROP_FILE = "drop-file"
    REPORT_ONLY = "report-only"
    ALLOWED = "allowed"


FILE_NAMES = "<file names>"   # the path of the item that holds a tree's file names (reposcrub/paths.py)


@dataclass(frozen=True)
class ContentItem:
    """One blob of bytes to scan, with what we know of where it lives."""

    path: str
    data: bytes
    origin: Origin = Origin.HEAD
    blob: Optional[str] = None
    commit: Optional[str] = None
    mode: str = "100644"


class Example(str):
    """A rule example's text; ``lang`` names the grammar a query rule's example is parsed
    with (rule files write ``{lang: python, text: "..."}``).  A plain ``str`` elsewhere."""

    lang: Optional[str] = None

    def __new__(cls, text: str, lang: Optional[str] = None) -> "Example":
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj


@dataclass(frozen=True)
class Rule:
    """A detection rule, loaded from YAML (see reposcrub/rules/)."""

    id: str
    kind: str                      # secret | host | header | identifier
    name: str
    pattern: Optional[str] = None  # a Python/hyperscan-compatible regex (bytes)
    query: Optional[str] = None    # a tree-sitter query instead of a regex
    languages: tuple[str, ...] = ()
    capture: str = "value"
    prefilter: Optional[str] = None  # query rules: a regex (lowercase, matched on the lowered
                                     # file) that must match for the file to be parsed
    keywords: tuple[str, ...] = ()
    require_keywords: bool = False  # keywords are a condition on both engines (gitleaks' meaning)
    group: int = 0
    checks: tuple[str, ...] = ()
    confirm: tuple[str, ...] = ()  # checks that, when they fail, lower a hit to low confidence
    confidence: str = "high"       # high | medium | low
    placeholder: Optional[str] = None  # the typed marker name; defaults to id
    drop_file: bool = False        # a whole-file credential (a private key file)
    in_place: bool = False         # a credential only where it stands (command line, header,
                                   # file format): corpora do not re-plant it under another name
    multiline: bool = False
    window: int = 0                # bytes of context before a hit the regex may need
    examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    description: str = ""
    source: str = ""               # the file the rule came from
    ignore_case: bool = False
    anchored: Optional[bool] = None  # the value is known by itself (prefix, URL, checksum),
                                     # not by the words around it; None: inferred (detect/plausibility.py)


@dataclass
class Finding:
    """One detected value. `value` never leaves the process in full."""

    rule: str
    kind: str
    path: str
    start: int
    end: int
    value: bytes = field(repr=False)
    line: int = 0
    column: int = 0
    origin: Origin = Origin.HEAD
    commit: Optional[str] = None
    blob: Optional[str] = None
    confidence: str = "high"
    action: Action = Action.REDACT
    fingerprint: str = ""
    preview: str = ""
    placeholder: Optional[str] = None
    reason: str = ""
    suppressed_by: Optional[str] = None   # allowlist/baseline/inline that muted it
    repo_allowed: Optional[str] = None    # the scanned repo's own allowance (honoured or not)
    replacement: Optional[bytes] = field(default=None, repr=False)  # set by a detector that knows better
    keep_lines: bool = True   # False: the replacement may drop lines (a removed header block)
    context: str = ""         # comment | string | identifier | code | text, where a detector asked

    def __repr__(self) -> str:  # never print the value, even in a debugger dump
        return (f"Finding(rule={self.rule!r}, path={self.path!r}, line={self.line}, "
                f"col={self.column}, preview={self.preview!r}, action={self.action.value!r})")


@dataclass
class FileOutcome:
    """What became of one input file in a snapshot (the manifest row)."""

    path: str
    status: str                   # kept | modified | dropped | renamed | skipped
    to: Optional[str] = None
    reason: str = ""


@dataclass
class RunResult:
    """Everything a run learned, handed to the sinks (report, console)."""

    path: str
    head: Optional[str] = None
    refs_scanned: int = 0
    blobs_scanned: int = 0
    bytes_scanned: int = 0
    findings: list[Finding] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> original -> replacement
    missing_objects: list[str] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)           # history blobs not scanned
    notes: list[str] = field(default_factory=list)
    mode: str = "scan"
