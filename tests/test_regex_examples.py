"""Example templates written from a pattern: the pattern matches them once expanded."""
from __future__ import annotations

import re

import pytest

from reposcrub.examplegen import expand
from reposcrub.regex_examples import negative_from, templates


@pytest.mark.parametrize("pattern", [
    r"\b(zzdemo_[a-z0-9]{24})\b",
    r"(?:key|token)\s*[:=]\s*['\"]?([A-Za-z0-9+/]{40})['\"]?",
    r"ocid[123]\.[a-z1-9A-Z]*\.oc\d\.[a-z1-9A-Z]+",
    r"x-api-key:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}",
    r"(?:^|\s)pw=([^\s\"']{12,})",
    r"curly\{[a-z]{3}\}",
])
def test_every_template_expands_to_a_match(pattern):
    found = list(templates(pattern))
    assert found
    for t in found:
        assert re.search(pattern, expand(t, "seed")), t


def test_random_runs_become_fields_and_literals_stay_literal():
    t = next(templates(r"\btok_[A-Za-z0-9]{32}\b"))
    assert t == "tok_{{[0-9A-Za-z]:32}}"
    assert expand(t, "a") != expand(t, "b")        # a fresh fake value per seed


def test_back_references_cannot_be_templated():
    assert list(templates(r"(['\"])[a-z]{10}\1")) == []


def test_negative_drops_the_longest_literal():
    assert negative_from("tok_{{[a-z]:32}}") == "{{[a-z]:32}}"
    assert negative_from("{{[a-z]:32}}") is None
