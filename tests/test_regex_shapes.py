"""Shapes that make the backtracking fallback engine exponential are told apart from safe ones."""
from __future__ import annotations

import pytest

from reposcrub.regex_shapes import nested_repetition
from reposcrub.ruleset import RuleSet


@pytest.mark.parametrize("pattern", [
    r"(a+)+", r"(a*)*", r"(\w+\s?)*", r"^(\d+)*$", r"(?:a+b?){1,}c", r"(\w+){2,20}",
    r'"(?:[^"]|\\")*"',                 # two alternatives both start with a backslash
    r"(?:[a-z0-9]+[-_]?)+@",            # the usual e-mail local-part blunder
])
def test_catastrophic_shapes_are_reported(pattern):
    assert nested_repetition(pattern)


@pytest.mark.parametrize("pattern", [
    r"([a-z]+\.)*",                     # a mandatory separator pins each round
    r"(?:[A-Za-z0-9+/]{4})*",           # fixed-length body
    r"(\s*,\s*\w+)*",
    r'"(?:\\.|[^"\\])*"',               # the correct way to write a quoted string
    r"(?:\w+\.){1,3}",                  # bounded and small
    r"[a-z]+[0-9]*",                    # no nesting at all
    r"(?>(a+))+",                       # atomic groups never backtrack
])
def test_safe_shapes_are_not_reported(pattern):
    assert nested_repetition(pattern) is None


def test_a_pattern_that_does_not_parse_is_left_to_the_compiler():
    assert nested_repetition(r"(unclosed") is None


def test_shipped_rules_have_no_catastrophic_shape():
    for rule in RuleSet.load().rules:
        if rule.pattern:
            assert nested_repetition(rule.pattern) is None, rule.id
