"""Hypothesis strategies more than one test file draws from."""
from __future__ import annotations

from hypothesis import strategies as st

from reposcrub.redact.rewrite import Replacement

TEXTS = st.sampled_from([b"X", b"REDACTED-secret-1", b"", b"a\nb", b"example.com"])


@st.composite
def replacements(draw, n: int, longest: int = 50, texts=TEXTS) -> list[Replacement]:
    """Non-overlapping replacements, in order, of spans of a blob of n bytes."""
    reps, pos = [], 0
    while pos < n and draw(st.booleans()):
        a = draw(st.integers(pos, n))
        b = draw(st.integers(a, min(n, a + longest)))
        if b > a:
            reps.append(Replacement(a, b, draw(texts)))
        pos = b
    return reps
