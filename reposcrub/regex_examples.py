"""Write example templates a regex matches, for rules that arrive without examples.

An imported rule (from a gitleaks config, say) has a pattern but no examples,
and a rule without examples is untested.  Walking the pattern's parse tree
gives a template: literal parts stay literal, a repeated character class
becomes a random field (`[A-Za-z0-9]{32}` -> `{{[0-9A-Za-z]:32}}`), so the
example is expanded into a fresh fake value at test time like every other
rule's and no credential-shaped literal is ever written down.  Callers keep
only the templates that, expanded, the rule really matches.
"""
from __future__ import annotations

import re
import string
from typing import Iterator, Optional

from .regex_shapes import ALL, MAXREPEAT, char_set, parse, sre_c

SAFE = frozenset(ord(c) for c in string.ascii_letters + string.digits + "+/=_-.")
PRINTABLE = frozenset(ord(c) for c in string.printable if c not in ":{}\\\t\n\r\x0b\x0c")
WIDE = 16           # a class this wide is "random text"; narrower ones are structure
SECRET_LEN = 24     # how long to make an open-ended random run


class _Stop(Exception):
    """The pattern holds something a template cannot reproduce (a back-reference)."""


def _class_text(chars: frozenset[int]) -> str:
    """A bracket body examplegen.charset understands: runs as a-z, '-' last."""
    cs = sorted(c for c in chars if c != ord("-"))
    out, i = [], 0
    while i < len(cs):
        j = i
        while j + 1 < len(cs) and cs[j + 1] == cs[j] + 1:
            j += 1
        out.append(chr(cs[i]) + ("-" + chr(cs[j]) if j - i >= 2 else "".join(chr(c) for c in cs[i + 1:j + 1])))
        i = j + 1
    return "".join(out) + ("-" if ord("-") in chars else "")


def _pick_set(chars: frozenset[int]) -> frozenset[int]:
    """The characters a field may use: readable ones, and none examplegen treats specially."""
    for pool in (SAFE, PRINTABLE):
        usable = chars & pool
        if usable:
            return usable
    return frozenset()


def _literal(c: int) -> str:
    ch = chr(c)
    if ch in "{}":
        return "{{lit:" + ch + "}}" if ch == "{" else ch
    return ch


class _Writer:
    """Turns a parse tree into template text, with one fixed choice per alternative."""

    def __init__(self, variant: int):
        self.variant = variant

    def items(self, items) -> str:
        return "".join(self.item(op, av) for op, av in items)

    def item(self, op, av) -> str:
        if op is sre_c.LITERAL:
            return _literal(av) if av < 128 else chr(av)
        chars = char_set(op, av, fold=False)
        if chars is not None:
            return self.run(chars, 1)
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            if len(body) == 1 and body[0][0] is sre_c.LITERAL:
                return self.item(*body[0]) * (lo if lo == hi or lo > 0 else self.variant)
            chars = char_set(*body[0], fold=False) if len(body) == 1 else None
            if chars is not None:
                return self.run(chars, self.count(lo, hi, chars))
            n = lo if lo > 0 else (1 if self.variant and hi != 0 else 0)
            return "".join(self.items(body) for _ in range(n))
        if op is sre_c.SUBPATTERN:
            return self.items(av[-1])
        if op is getattr(sre_c, "ATOMIC_GROUP", None):
            return self.items(av)
        if op is sre_c.BRANCH:
            alts = av[1]
            return self.items(alts[min(self.variant, len(alts) - 1)])
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            return ""
        raise _Stop(str(op))

    def count(self, lo: int, hi, chars: frozenset[int]) -> int:
        if lo == hi:
            return lo
        top = SECRET_LEN if hi == MAXREPEAT else hi
        random_text = len(chars) >= WIDE and not chars & {9, 10, 13, 32} and chars != ALL - {10}
        if random_text:
            return max(lo, min(top, SECRET_LEN))
        return lo if lo > 0 else (1 if self.variant else 0)

    def run(self, chars: frozenset[int], n: int) -> str:
        if n == 0:
            return ""
        usable = _pick_set(chars)
        if not usable:
            raise _Stop("empty class")
        if len(usable) == 1:
            return _literal(next(iter(usable))) * n
        if n == 1 and len(usable) < WIDE:
            return _literal(min(usable))           # structure, not randomness: keep it readable
        return "{{[" + _class_text(usable) + "]:" + str(n) + "}}"


def templates(pattern: str, flags: int = 0, variants: int = 2) -> Iterator[str]:
    """Candidate example templates for pattern, most literal first; unverified."""
    try:
        tree = parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return
    seen: set[str] = set()
    for v in range(variants):
        try:
            t = _Writer(v).items(tree)
        except _Stop:
            return
        if t and t not in seen:
            seen.add(t)
            yield t


def negative_from(template: str) -> Optional[str]:
    """A near miss: the template without its longest literal part (a token's prefix,
    a key name), which a rule should no longer match.  Callers verify it."""
    parts = re.split(r"(\{\{.*?\}\})", template)          # literal, field, literal, ...
    literal = [i for i in range(0, len(parts), 2) if parts[i].strip()]
    if not literal:
        return None
    longest = max(literal, key=lambda i: len(parts[i]))
    out = "".join(p for i, p in enumerate(parts) if i != longest)
    return out or None
