"""Secrets: provider tokens, private keys, connection strings, credential assignments.

Provider rules are regex rules (rules/secrets/*.yaml) run by the shared engine;
their hits become findings as they are.  Generic rules (ids ``generic…``) only
propose candidates: a value assigned to a credential-named key, found by a
regex or, where a grammar parses the file, by a tree-sitter query
(reposcrub/detect/queries.py).  reposcrub/detect/generic.py judges each one and
gives it its confidence.  In a file a query has parsed cleanly the query is the
authority; a regex candidate it did not capture (a credential in a comment, in
a docstring) is kept, but only as ``low`` -- as is one on a line that starts as
a comment where nothing was parsed.  A generic rule declared ``confidence: low``
finds a value only *near* a credential word (``svc SECRET v``, ``svcKEY-v``):
what it proposes is never above low.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

from ..model import ContentItem, Finding, Origin, Rule
from ..ruleset import RuleSet
from . import is_fallback, is_generic, make_finding
from .engine import Hit
from .generic import Candidate, judge, judge_at
from .plausibility import EXAMPLE_VALUE, adjusted, example_value
from .queries import MAX_PARSE_BYTES, MAX_PARSE_BYTES_HISTORY, QueryRunner

_DATA_LANGUAGES = ("yaml", "json", "toml")


class SecretsDetector:
    kind = "secret"

    def __init__(self, ruleset: RuleSet, key: bytes):
        secret = ruleset.of_kind("secret")
        self._rules = [r for r in secret if r.pattern]
        self.queries = QueryRunner([r for r in secret if r.query])
        self.key = key

    def rules(self) -> list[Rule]:
        return self._rules

    def finds_without_hits(self, item: ContentItem) -> bool:
        """A query may find a value no regex rule hit, in a file small enough to parse."""
        return len(item.data) <= _parse_limit(item)

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        if not hits and not self.finds_without_hits(item):
            return                            # no candidate, and no query runs on it (most of history)
        limit = _parse_limit(item)
        taken: list[tuple[int, int]] = []
        said: list[tuple[int, int]] = []      # spans a generic or query finding was reported on
        for h in hits:
            if not is_generic(h.rule) and not is_fallback(h.rule):
                taken.append((h.start, h.end))
                value = item.data[h.start:h.end]
                f = make_finding(item, h.rule, h.start, h.end, self.key,
                                 adjusted(h.rule, h.rule.confidence, value, item.path))
                if example_value(h.rule, value):
                    f.suppressed_by = EXAMPLE_VALUE
                yield f
        matches, tree = self.queries.scan(item.path, item.data, limit)
        for m in matches:
            if _overlaps(taken, m.node_start, m.node_end):
                continue
            taken.append((m.node_start, m.node_end))   # the query has decided this value
            verdict = judge(Candidate(m.key, m.value, item.path, quoted=True,
                                      code=m.language not in _DATA_LANGUAGES))
            if verdict.confidence:
                said.append((m.node_start, m.node_end))
                for start, end in m.pieces:
                    yield make_finding(item, m.rule, start, end, self.key, verdict.confidence)
        decided = _SpanIndex(taken)
        for h in hits:
            if not is_generic(h.rule) or decided.overlaps(h.start, h.end):
                continue
            verdict = judge_at(item.path, item.data, h.match_start, h.start, h.end,
                               proximity=h.rule.confidence == "low")
            if verdict.confidence:
                quiet = _parsed_cleanly(tree, h.start, h.end) or _commented_line(item.data, h.match_start)
                conf = "low" if quiet else verdict.confidence
                said.append((h.start, h.end))
                yield make_finding(item, h.rule, h.start, h.end, self.key, conf)
        said_index = _SpanIndex(said)
        for h in hits:      # a fallback rule speaks only where no other rule did
            if is_fallback(h.rule) and not said_index.overlaps(h.start, h.end):
                yield make_finding(item, h.rule, h.start, h.end, self.key)


def _parse_limit(item: ContentItem) -> int:
    return MAX_PARSE_BYTES_HISTORY if item.origin in (Origin.HISTORY, Origin.MESSAGE) else MAX_PARSE_BYTES


_COMMENT_LINE = re.compile(
    rb"[ \t]*(?:#(?![ \t]*(?:define|undef|if|ifdef|ifndef|elif|else|endif|include|pragma|region)\b|!)"
    rb"|//|/\*|\*|--(?=\s)|;|%|<!--|REM\b|rem\b)")     # "--password x" is an option, "-- x" SQL


def _commented_line(data: bytes, pos: int) -> bool:
    """Without a parse (history, formats without a grammar): the line starts as a comment
    (`# DB_PASSWORD=…`, `// apiKey: …`), so the value is kept at low like a parsed comment."""
    return _COMMENT_LINE.match(data, data.rfind(b"\n", 0, pos) + 1) is not None


def _parsed_cleanly(tree, start: int, end: int) -> bool:
    """The query had its say here: the file parsed, and not into an error around this
    span (a template's `{% if %}` breaks one statement, not the whole file's authority)."""
    if tree is None:
        return False
    node = tree.root_node.descendant_for_byte_range(start, end)
    while node is not None:
        if node.is_error or node.is_missing:
            return False
        node = node.parent
    return True


class _SpanIndex:
    """Does [start, end) overlap a decided span?  Sorted once, so a file with
    thousands of candidates is not checked all-pairs."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []          # the furthest end among spans[:i+1]
        for _, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.reach[i] > start


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
