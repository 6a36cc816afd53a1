"""Every rule's examples are tests: positives must hit that rule, negatives must not.

Examples run through the whole detect stage (engine, tree-sitter query rules,
the generic judgement), exactly as a scan sees a file.
"""
from __future__ import annotations

import pytest

from reposcrub.detect import Scanner
from reposcrub.detect.engine import Engine
from reposcrub.detect.examples import example_findings
from reposcrub.examplegen import expand
from reposcrub.ruleset import RuleSet

RULESET = RuleSet.load()
RULES = RULESET.rules
REGEX_RULES = [r for r in RULES if r.pattern]
SCANNER = Scanner(RULESET, b"test-key")
ENGINE = Engine(REGEX_RULES)


def _label(x) -> str:
    return getattr(x, "id", "")[:40]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples(rule):
    assert rule.examples, f"{rule.id} has no examples"
    assert rule.negative_examples, f"{rule.id} has no negative examples"


@pytest.mark.parametrize("rule,example", [(r, e) for r in RULES for e in r.examples], ids=_label)
def test_positive_example_matches(rule, example):
    assert example_findings(SCANNER, rule, example), f"{rule.id} missed its example {example!r}"


@pytest.mark.parametrize("rule,example", [(r, e) for r in RULES for e in r.negative_examples], ids=_label)
def test_negative_example_does_not_match(rule, example):
    found = example_findings(SCANNER, rule, example)
    assert not found, f"{rule.id} matched its negative example {example!r}: {found}"


def test_query_rules_compile_for_every_language():
    for d in SCANNER.detectors:
        if hasattr(d, "queries"):
            d.queries.validate()


def test_fallback_engine_agrees_with_hyperscan():
    fallback = Engine(REGEX_RULES, backend="re")
    for rule in REGEX_RULES:
        for ex in rule.examples:
            text = expand(ex, rule.id).encode()
            assert {(h.rule.id, h.start, h.end) for h in fallback.scan(text)} == \
                   {(h.rule.id, h.start, h.end) for h in ENGINE.scan(text)}, rule.id
