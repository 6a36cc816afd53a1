"""Every rule's examples are tests: positives must hit that rule, negatives must not."""
from __future__ import annotations

import pytest

from reposcrub.detect.engine import Engine
from reposcrub.examplegen import expand
from reposcrub.ruleset import RuleSet

RULES = [r for r in RuleSet.load().rules if r.pattern]
ENGINE = Engine(RULES)


def _hits(rule_id: str, text: str):
    return [h for h in ENGINE.scan(text.encode()) if h.rule.id == rule_id]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples(rule):
    assert rule.examples, f"{rule.id} has no examples"
    assert rule.negative_examples, f"{rule.id} has no negative examples"


@pytest.mark.parametrize("rule,example", [(r, e) for r in RULES for e in r.examples],
                         ids=lambda x: getattr(x, "id", "")[:40])
def test_positive_example_matches(rule, example):
    text = expand(example, rule.id)
    assert _hits(rule.id, text), f"{rule.id} missed its example {example!r}"


@pytest.mark.parametrize("rule,example", [(r, e) for r in RULES for e in r.negative_examples],
                         ids=lambda x: getattr(x, "id", "")[:40])
def test_negative_example_does_not_match(rule, example):
    text = expand(example, rule.id)
    assert not _hits(rule.id, text), f"{rule.id} matched its negative example {example!r}"


def test_fallback_engine_agrees_with_hyperscan():
    fallback = Engine(RULES, backend="re")
    for rule in RULES:
        for ex in rule.examples:
            text = expand(ex, rule.id).encode()
            assert {(h.rule.id, h.start, h.end) for h in fallback.scan(text)} == \
                   {(h.rule.id, h.start, h.end) for h in ENGINE.scan(text)}, rule.id
