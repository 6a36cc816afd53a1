"""Turn bytes into findings: one engine pass, then each detector's own logic.

Every detector contributes regex rules to one shared Engine (all rules matched
in one pass) and turns the hits of its own kind into findings.  Adding a
detector is one module and one line in DETECTORS.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Iterable, Optional, Protocol

from ..model import ContentItem, Finding, Origin, Rule
from . import archives
from ..masking import fingerprint, mask
from ..ruleset import RuleSet
from .engine import Engine, Hit


class Detector(Protocol):
    kind: str
    # Origins whose items this detector never reports on (optional): content
    # from there is matched without its rules (headers ignore history).
    ignored_origins: tuple[Origin, ...] = ()

    def rules(self) -> list[Rule]:
        """Regex rules this detector wants matched by the shared engine."""

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        """Findings for one item, given the engine's hits of this detector's rules."""

    # Optional: `finds_without_hits(item) -> bool`, for a detector that may find
    # something where the engine hit nothing (a query on a parsed file).  Without
    # it, an item no rule hits is not shown to the detector at all.


def make_finding(item: ContentItem, rule: Rule, start: int, end: int, key: bytes,
                 confidence: Optional[str] = None) -> Finding:
    data = item.data
    value = data[start:end]
    line_start = data.rfind(b"\n", 0, start) + 1
    return Finding(
        rule=rule.id, kind=rule.kind, path=item.path, start=start, end=end, value=value,
        line=data.count(b"\n", 0, start) + 1, column=start - line_start + 1,
        origin=item.origin, commit=item.commit, blob=item.blob,
        confidence=confidence or rule.confidence,
        fingerprint=fingerprint(rule.id, value, key), preview=mask(value),
        placeholder=rule.placeholder or rule.id)


def is_generic(rule: Rule) -> bool:
    return rule.id.startswith("generic")


def is_fallback(rule: Rule) -> bool:
    """A rule that knows a value only by a product's name nearby (rules/secrets/named.yaml):
    it speaks for a value only where no other rule, generic ones included, does."""
    return rule.id.startswith("named-")


def dedupe_hits(hits: list[Hit]) -> list[Hit]:
    """One hit per span: a provider rule beats a generic rule on the same value,
    and a hit wholly inside a specific rule's hit is dropped.  On the same span,
    the rule that needed the least context wins: a token known by its own shape
    (ghp_…) names the value better than the URL or header it sits in; a generic
    rule declared low yields to the other generic rules.  A fallback hit survives
    a generic one on its span: the generic judgement comes later and may reject
    the value (detect/secrets.py then keeps the fallback)."""
    if len(hits) < 2:
        return list(hits)
    ranked = sorted(hits, key=_rank)
    kept: list[Hit] = []
    spans: dict[str, _Spans] = {}               # kind -> spans of provider and fallback hits
    generic_spans: dict[str, _Spans] = {}       # kind -> spans of generic hits
    for h in ranked:
        kind = h.rule.kind
        specific = spans.get(kind) or spans.setdefault(kind, _Spans())
        generic = generic_spans.get(kind) or generic_spans.setdefault(kind, _Spans())
        is_gen = is_generic(h.rule)
        if specific.covers(h.start, h.end) or is_gen and generic.covers(h.start, h.end):
            continue
        (generic if is_gen else specific).add(h.start, h.end)
        kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end, h.rule.id))


def _rank(h: Hit) -> tuple:
    """dedupe_hits' order: provider rules first, then generic ones, then fallbacks."""
    return (is_generic(h.rule) + 2 * is_fallback(h.rule), _proximity_only(h.rule), -(h.end - h.start),
            (h.match_end - h.match_start) - (h.end - h.start), h.start)


def _proximity_only(rule: Rule) -> bool:
    """A generic rule that only proposes low findings (a value near a credential
    word) yields to one that saw an assignment on the same span."""
    return is_generic(rule) and rule.confidence == "low"


class _Spans:
    """Kept spans of one kind, by start: "is [s, e) inside one?" looks only at
    spans that start late enough to reach e (a big file's hundreds of generic
    hits made the plain all-pairs test the slowest part of a history scan)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        floor = end - self.longest
        while i >= 0 and self.starts[i] >= floor:
            if self.ends[i] >= end:
                return True
            i -= 1
        return False

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start)


class Scanner:
    """The detect stage for one run: detectors + the one engine they share."""

    def __init__(self, ruleset: RuleSet, key: bytes, profile=None, detectors=None):
        from . import registry  # late: detectors import this module
        self.key = key
        self.detectors: list[Detector] = detectors or registry.build(ruleset, profile, key)
        rules: list[Rule] = []
        self._ignored: dict[Origin, set[str]] = defaultdict(set)     # origin -> rule ids
        for d in self.detectors:
            own = d.rules()
            for origin in getattr(d, "ignored_origins", ()):
                self._ignored[origin].update(r.id for r in own)
            rules.extend(own)
        self.engine = Engine(rules)
        self._hitless = [d for d in self.detectors if hasattr(d, "finds_without_hits")]
        self._kind_of = {r.id: r.kind for r in rules}
        self._engines: dict[Origin, Engine] = {}

    def engine_for(self, origin: Origin) -> Engine:
        """The engine for content from `origin`: without the rules of detectors
        that ignore it (made once, its database cached like the main one)."""
        if origin not in self._ignored:
            return self.engine
        if origin not in self._engines:
            self._engines[origin] = self.engine.without(self._ignored[origin])
        return self._engines[origin]

    def detect(self, item: ContentItem) -> list[Finding]:
        findings = self.detect_bytes(item)
        if archives.kind_of(item.data):    # members are content too (detect/archives.py)
            for member in archives.unpack(item).members:
                findings.extend(self.detect_bytes(member))
        return findings

    def detect_bytes(self, item: ContentItem) -> list[Finding]:
        """Findings in the item's own bytes (an archive's members not included)."""
        hits = dedupe_hits(self.engine_for(item.origin).scan(item.data))
        if not hits and not any(d.finds_without_hits(item) for d in self._hitless):
            return []                     # most blobs of a history
        by_kind: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            by_kind[h.rule.kind].append(h)
        findings: list[Finding] = []
        for d in self.detectors:
            findings.extend(d.detect(item, by_kind.get(d.kind, [])))
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return findings
