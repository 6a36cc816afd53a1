"""All regex rules matched in one pass over each blob.

Hyperscan compiles every rule into one database and tells, in a single scan,
which rules can match a blob at all; only those rules' Python regexes then run
to extract capture groups and apply checks.  Most blobs hit no rule, so the
per-blob cost is one native scan.  Without hyperscan the fallback uses each
rule's literal keywords as a prefilter (``bytes in`` is memchr-fast) and runs
the regex only where a keyword occurs.

Patterns are bytes, ASCII mode: Unicode-aware classes make engines crawl.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..model import Rule
from .checks import compile_check

try:  # the native engine is optional: its wheel does not exist everywhere
    import hyperscan  # type: ignore
except ImportError:  # pragma: no cover - exercised by REPOSCRUB_ENGINE=re
    hyperscan = None


@dataclass(frozen=True)
class Hit:
    """A rule's match in a blob: the span of the part that will be replaced."""

    rule: Rule
    start: int
    end: int
    match_start: int
    match_end: int


@dataclass
class CompiledRule:
    rule: Rule
    regex: "re.Pattern[bytes]"
    keywords: tuple[bytes, ...]
    checks: tuple[Callable[[bytes], bool], ...]
    lowered: bool = False      # regex is matched on data.lower() (see _lowered_pattern)

    def subject(self, data: bytes, low: Optional[bytes] = None) -> bytes:
        """What `regex` runs on: the data, or its lowercase twin (same offsets)."""
        if not self.lowered:
            return data
        return low if low is not None else data.lower()


def _lowered_pattern(pattern: str) -> Optional[str]:
    """A case-insensitive pattern as a lowercase one, to run on lowered data.

    Python's re is ~6x slower with IGNORECASE on alternations of words; ASCII
    lowering keeps every offset, so spans found on data.lower() are spans of
    data.  Escapes (\\S, \\W, \\B, \\A, \\Z) are kept; patterns that spell a
    letter by code (\\x41) or span cases in one range (A-z) keep IGNORECASE."""
    if "\\x" in pattern or "A-z" in pattern or "\\N" in pattern:
        return None
    return re.sub(r"\\.|\(\?P|[A-Z]", lambda m: m.group(0) if len(m.group(0)) > 1 else m.group(0).lower(), pattern)


def compile_rule(rule: Rule) -> CompiledRule:
    """Compile one regex rule; raises ValueError naming the rule when it is bad."""
    flags = re.MULTILINE
    pattern = rule.pattern
    lowered = _lowered_pattern(pattern) if rule.ignore_case else None
    if lowered is not None:
        pattern = lowered
    elif rule.ignore_case:
        flags |= re.IGNORECASE
    if rule.multiline:
        flags |= re.DOTALL
    try:
        regex = re.compile(pattern.encode(), flags)
    except (re.error, UnicodeEncodeError) as exc:
        raise ValueError(f"rule {rule.id}: pattern does not compile: {exc}") from None
    if rule.group > regex.groups:
        raise ValueError(f"rule {rule.id}: group {rule.group} but pattern has {regex.groups}")
    checks = tuple(compile_check(c) for c in rule.checks)
    keywords = tuple(k.lower().encode() for k in rule.keywords)
    return CompiledRule(rule, regex, keywords, checks, lowered is not None)


def _hs_flags(rule: Rule) -> int:
    f = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    if rule.ignore_case:
        f |= hyperscan.HS_FLAG_CASELESS
    if rule.multiline:
        f |= hyperscan.HS_FLAG_DOTALL
    return f


def _hs_expression(rule: Rule) -> bytes:
    # Hyperscan has no named groups; plain groups are fine (it ignores captures).
    return re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(", rule.pattern).encode()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reposcrub"


class Engine:
    """Match a fixed list of regex rules against blobs, one native pass each."""

    def __init__(self, rules: Sequence[Rule], backend: Optional[str] = None):
        self.compiled = [compile_rule(r) for r in rules if r.pattern]
        want = backend or os.environ.get("REPOSCRUB_ENGINE", "auto")
        self.backend = "hyperscan" if (hyperscan is not None and want != "re") else "re"
        self._db = None
        self._always: list[int] = []   # rules hyperscan could not take: run by keyword
        self._gated = {i for i, c in enumerate(self.compiled) if c.rule.require_keywords and c.keywords}
        if self.backend == "hyperscan" and self.compiled:
            self._db = self._load_or_compile()

    # -- hyperscan database -------------------------------------------------
    def _key(self) -> str:
        h = hashlib.sha256(hyperscan.__version__.encode() if hasattr(hyperscan, "__version__") else b"")
        for c in self.compiled:
            h.update(_hs_expression(c.rule) + b"\0" + str(_hs_flags(c.rule)).encode() + b"\1")
        return h.hexdigest()[:32]

    def _load_or_compile(self):
        path = _cache_dir() / f"hsdb-{self._key()}.bin"
        try:
            blob = path.read_bytes()
            meta, db_bytes = blob.split(b"\n", 1)
            self._always = [int(x) for x in meta.split(b",") if x]
            db = hyperscan.loadb(db_bytes, hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)   # a loaded database comes without one
            return db
        except (OSError, ValueError, hyperscan.error):
            self._always = []
        db = self._compile()
        if db is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(",".join(map(str, self._always)).encode() + b"\n" + hyperscan.dumpb(db))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home only costs the next run a compile
        return db

    def _compile(self):
        exprs = [_hs_expression(c.rule) for c in self.compiled]
        flags = [_hs_flags(c.rule) for c in self.compiled]
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:  # the common case: every rule is hyperscan-clean, one compile
            db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
            return db
        except Exception:
            return self._compile_one_by_one()

    def _compile_one_by_one(self):
        ids, exprs, flags = [], [], []
        for i, c in enumerate(self.compiled):
            expr, fl = _hs_expression(c.rule), _hs_flags(c.rule)
            if not _hs_accepts(expr, fl):
                if _hs_accepts(expr, fl | hyperscan.HS_FLAG_PREFILTER):
                    fl |= hyperscan.HS_FLAG_PREFILTER
                else:
                    self._always.append(i)
                    continue
            ids.append(i)
            exprs.append(expr)
            flags.append(fl)
        if not exprs:
            return None
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=flags)
        return db

    # -- matching -------------------------------------------------------------
    def candidates(self, data: bytes) -> list[int]:
        """Indices of rules that may match somewhere in data."""
        if self.backend == "hyperscan":
            found: list[int] = []
            if data and self._db is not None:
                self._db.scan(data, match_event_handler=_collect, context=found)
            low = data.lower() if self._always or (found and self._gated) else b""
            if self._always:
                found.extend(i for i in self._always if self._keyword_hit(i, low))
            if self._gated:    # rules whose keywords are a condition, not a speed-up (imported rules)
                found = [i for i in found if i not in self._gated or self._keyword_hit(i, low)]
            return sorted(set(found))
        low = data.lower()
        return [i for i in range(len(self.compiled)) if self._keyword_hit(i, low)]

    def _keyword_hit(self, i: int, low: bytes) -> bool:
        kws = self.compiled[i].keywords
        return not kws or any(k in low for k in kws)

    def scan(self, data: bytes) -> list[Hit]:
        hits: list[Hit] = []
        low: Optional[bytes] = None
        for i in self.candidates(data):
            c = self.compiled[i]
            if c.lowered and low is None:
                low = data.lower()
            hits.extend(self.rule_hits(c, data, low))
        return hits

    @staticmethod
    def rule_hits(c: CompiledRule, data: bytes, low: Optional[bytes] = None) -> list[Hit]:
        out = []
        for m in c.regex.finditer(c.subject(data, low)):
            start, end = group_span(m, c.rule.group)
            if start < 0 or end <= start:
                continue
            value = data[start:end]
            if all(check(value) for check in c.checks):
                out.append(Hit(c.rule, start, end, m.start(), m.end()))
        return out


def group_span(m: "re.Match[bytes]", group: int) -> tuple[int, int]:
    """The span a rule replaces: its group, or with group -1 the first group that
    matched something, else the whole match (gitleaks' rule for imported rules)."""
    if group >= 0:
        return m.span(group)
    for i in range(1, m.re.groups + 1):
        start, end = m.span(i)
        if end > start:
            return start, end
    return m.span(0)


def _collect(rule_id, _from, _to, _flags, context):
    context.append(rule_id)


def _hs_accepts(expr: bytes, flags: int) -> bool:
    try:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[expr], ids=[0], elements=1, flags=[flags])
        return True
    except Exception:
        return False
