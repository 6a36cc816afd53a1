"""The generated accuracy corpus (bench/corpus) as a test: recall and false positives
must not regress.  `python bench/accuracy.py` prints the same numbers per family."""
from __future__ import annotations

import sys
from collections import Counter

import pytest

from conftest import ROOT
from reposcrub.detect import Scanner
from reposcrub.model import ContentItem
from reposcrub.ruleset import RuleSet

sys.path.insert(0, str(ROOT / "bench"))
import accuracy  # noqa: E402
import corpus  # noqa: E402
from corpus import contexts, values  # noqa: E402

RULESET = RuleSet.load()
RULES = [r for r in RULESET.rules if r.kind == "secret"]
SCANNER = Scanner(RULESET, b"test-key")


def _secrets(sample):
    return [f for f in SCANNER.detect(ContentItem(sample.path, sample.data))
            if f.kind == "secret" and not f.suppressed_by]


def _found(sample, levels=("high", "medium", "low")):
    lo, hi = sample.span
    return any(f.start < hi and lo < f.end and f.confidence in levels for f in _secrets(sample))


def test_every_secret_rule_contributes_positives():
    families = {s.family for s in corpus.template_positives(RULES, "t")}
    assert {r.id for r in RULES if r.examples} <= families


def test_template_positives_are_found_in_every_context():
    samples = list(corpus.template_positives(RULES, "test"))
    missed = [s for s in samples if not _found(s)]
    assert len(missed) <= 0.02 * len(samples), [(s.family, s.context) for s in missed[:10]]
    confident = {r.id for r in RULES if r.confidence != "low"}
    quiet = [s for s in samples if s.family in confident and not _found(s, ("high", "medium"))]
    assert len(quiet) <= 0.03 * len(samples), [(s.family, s.context) for s in quiet[:10]]


def test_generic_values_from_independent_generators_fail_the_build():
    samples = [s for s in corpus.independent_positives("test", per_family=2) if s.family in values.GENERIC]
    missed = Counter(s.family for s in samples if not _found(s, ("high", "medium")))
    assert sum(missed.values()) <= 0.05 * len(samples), missed


def test_stop_list_values_are_never_high_or_medium():
    flagged = []
    for s in corpus.stop_list_negatives("test"):
        bad = [f for f in _secrets(s) if f.confidence in ("high", "medium")]
        if bad:
            flagged.append((s.family, s.context, bad[0].rule))
    assert not flagged, flagged


def test_rule_negative_examples_never_fail_the_build():
    flagged = []
    for s in corpus.rule_negatives(RULES, "test"):
        if any(f.confidence in ("high", "medium") and accuracy.counts_against(s, f) for f in _secrets(s)):
            flagged.append(s.family)
    assert not flagged, flagged


@pytest.mark.parametrize("ctx", contexts.CONTEXTS, ids=lambda c: c.name)
def test_context_reports_where_the_value_is(ctx):
    r = ctx("api_key", "planted-value-123")
    assert r is not None and r.text[r.start:r.end] == "planted-value-123"
