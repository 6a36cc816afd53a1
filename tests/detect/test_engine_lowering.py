"""Case-insensitive rules run as lowercase patterns on lowered data: same spans, no IGNORECASE."""
from __future__ import annotations

import re

from reposcrub.detect.engine import Engine, _lowered_pattern, compile_rule
from reposcrub.model import Rule


def _rule(pattern: str, **kw) -> Rule:
    return Rule(id="t", kind="secret", name="t", pattern=pattern, ignore_case=True, **kw)


def test_letters_are_lowered_but_escapes_kept():
    assert _lowered_pattern(r"(?P<Val>API[_-]KEY)\S+\W[A-Z]") == r"(?P<val>api[_-]key)\S+\W[a-z]"
    assert _lowered_pattern(r"\x41PI") is None          # a letter spelled by code keeps IGNORECASE
    assert _lowered_pattern(r"[A-z]") is None


def test_lowered_rule_finds_the_same_spans_as_ignorecase():
    rule = _rule(r"(?:Api[_-]?Key|TOKEN)\s*=\s*([A-Za-z0-9]{8,})", group=1)
    data = b"API_KEY = AbCdEf123456\napikey=ZZZZzzzz9\nToKeN = short\n"
    reference = re.compile(rule.pattern.encode(), re.I | re.M)
    want = [m.span(1) for m in reference.finditer(data)]
    c = compile_rule(rule)
    assert c.lowered and not c.regex.flags & re.IGNORECASE
    for backend in ("re", None):
        hits = Engine([rule], backend=backend).scan(data)
        assert [(h.start, h.end) for h in hits] == want
        assert data[hits[0].start:hits[0].end] == b"AbCdEf123456"     # values keep their case
