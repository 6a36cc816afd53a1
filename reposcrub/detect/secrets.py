"""Secrets: provider tokens, private keys, connection strings, credential assignments.

All of it is regex rules from rules/secrets/*.yaml run by the shared engine;
this detector only turns their hits into findings.
"""
from __future__ import annotations

from typing import Iterable

from ..model import ContentItem, Finding, Rule
from ..ruleset import RuleSet
from . import make_finding
from .engine import Hit


class SecretsDetector:
    kind = "secret"

    def __init__(self, ruleset: RuleSet, key: bytes):
        self._rules = [r for r in ruleset.of_kind("secret") if r.pattern]
        self.key = key

    def rules(self) -> list[Rule]:
        return self._rules

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        for h in hits:
            yield make_finding(item, h.rule, h.start, h.end, self.key)
