"""A hyperscan miss must not become a leak: rules it misses go to the keyword path."""
from __future__ import annotations

from reposcrub.detect.engine import Engine, hyperscan
from reposcrub.model import Rule

import pytest

# A shape the bundled hyperscan misses once 30 bytes precede the match.
MISSED = Rule(id="test-missed", kind="secret", name="t", keywords=("fb_", "facebook"),
              pattern=r"(?i:facebook|\bfb_)\w{0,24}secret\s*=\s*(\w{8})", group=1,
              examples=("fb_secret = abcd1234",), negative_examples=("x",))


@pytest.mark.skipif(hyperscan is None, reason="needs hyperscan")
def test_rule_missed_by_hyperscan_is_still_found():
    engine = Engine([MISSED])
    text = b" " * 40 + b"fb_secret = abcd1234\n"
    assert [(h.start, h.end) for h in engine.scan(text)] == [(52, 60)]
    assert engine.scan(b"fb_secret = abcd1234") and len(engine.scan(b"fb_secret = abcd1234")) == 1


def test_engines_agree_on_the_padded_case():
    text = b" " * 40 + b"fb_secret = abcd1234\n"
    assert [(h.start, h.end) for h in Engine([MISSED], backend="re").scan(text)] == [(52, 60)]
