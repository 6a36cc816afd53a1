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


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    """One test per rule (not per example: thousands of tiny tests cost more in
    pytest than in the scanner); every failure of the rule is listed."""
    assert rule.examples, f"{rule.id} has no examples"
    assert rule.negative_examples, f"{rule.id} has no negative examples"
    missed = [ex for ex in rule.examples if not example_findings(SCANNER, rule, ex)]
    matched = [ex for ex in rule.negative_examples if example_findings(SCANNER, rule, ex)]
    assert not missed, f"{rule.id} missed its example(s) {missed!r}"
    assert not matched, f"{rule.id} matched its negative example(s) {matched!r}"


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
