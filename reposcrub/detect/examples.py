"""Run a rule's examples through the real detectors, as a scan would see them.

Used by the test suite and by `reposcrub rules test`: an example passes when
the full detect stage (engine, query rules, generic judgement) reports a
finding of *that* rule on it, and a negative example passes when it does not.
A query rule's example is parsed with its own ``lang`` or the rule's first
language; a regex rule's example is a file without extension.
"""
from __future__ import annotations

from typing import Optional

from ..examplegen import expand
from ..model import ContentItem, Finding, Rule
from .grammars import path_for_language


def example_path(rule: Rule, example: str) -> str:
    lang: Optional[str] = getattr(example, "lang", None) or (rule.languages[0] if rule.languages else None)
    return path_for_language(lang) if lang else "snippet"


def example_item(rule: Rule, example: str) -> ContentItem:
    """The example expanded (seeded by the rule id, so stable) in a file named for its language."""
    return ContentItem(example_path(rule, example), expand(example, rule.id).encode())


def example_findings(scanner, rule: Rule, example: str) -> list[Finding]:
    """The findings of `rule` (only) on one example; `scanner` is a detect.Scanner."""
    return [f for f in scanner.detect(example_item(rule, example)) if f.rule == rule.id]
