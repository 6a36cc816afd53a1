"""One hit per span, decided as the plain all-pairs rule says, however many hits there are."""
from __future__ import annotations

from hypothesis import given, strategies as st

from reposcrub.detect import dedupe_hits, is_generic
from reposcrub.detect.engine import Hit
from reposcrub.model import Rule

RULES = [Rule(id=i, kind=k, name=i, pattern="x") for i, k in
         (("aws", "secret"), ("generic-a", "secret"), ("generic-b", "secret"), ("host", "host"))]


def all_pairs(hits: list[Hit]) -> list[Hit]:
    """The rule as first written: quadratic, obviously right."""
    ranked = sorted(hits, key=lambda h: (is_generic(h.rule), -(h.end - h.start), h.start))
    kept: list[Hit] = []
    for h in ranked:
        if not any(k.start <= h.start and h.end <= k.end and k.rule.kind == h.rule.kind for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end, h.rule.id))


hit = st.builds(lambda rule, start, length: Hit(rule, start, start + length, start, start + length),
                st.sampled_from(RULES), st.integers(0, 300), st.integers(1, 120))


@given(st.lists(hit, max_size=60))
def test_dedupe_agrees_with_the_all_pairs_rule(hits):
    assert dedupe_hits(hits) == all_pairs(hits)


def test_a_generic_hit_inside_a_provider_hit_goes():
    aws, generic, host = RULES[0], RULES[1], RULES[3]
    hits = [Hit(generic, 5, 10, 0, 10), Hit(aws, 0, 20, 0, 20), Hit(host, 6, 9, 6, 9)]
    assert [h.rule.id for h in dedupe_hits(hits)] == ["aws", "host"]


def test_a_fallback_hit_waits_for_the_generic_judgement_but_not_inside_a_provider_hit():
    """A product-name rule (named-…) keeps its hit beside a generic hit on the same span
    (detect/secrets.py reports it only if the generic judgement rejects the value), and
    loses to a provider rule whose hit covers it."""
    aws, generic = RULES[0], RULES[1]
    named = Rule(id="named-service-key-32", kind="secret", name="named", pattern="x", confidence="low")
    same = [Hit(generic, 5, 37, 0, 37), Hit(named, 5, 37, 0, 37)]
    assert sorted(h.rule.id for h in dedupe_hits(same)) == ["generic-a", "named-service-key-32"]
    inside = [Hit(named, 5, 37, 0, 37), Hit(aws, 0, 40, 0, 40)]
    assert [h.rule.id for h in dedupe_hits(inside)] == ["aws"]
