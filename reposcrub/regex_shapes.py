"""Read a regex's structure (Python's own parser) to judge how it will behave.

Hyperscan is linear whatever the pattern; the pure-``re`` fallback is a
backtracking engine, and one shape makes it exponential: a repetition whose
body can match the same text in more than one way — ``(a+)+``, ``(a*)*``,
``(\\w+\\s?)*``, ``(?:x|xy)*``.  A body with a mandatory character that the
inner repetition cannot consume (``([a-z]+\\.)*``) is safe: the separator pins
each round, so those are not reported.
"""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

try:  # Python 3.11+
    from re import _constants as sre_c, _parser as sre_p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse as sre_p  # type: ignore[no-redef]

MAXREPEAT = sre_c.MAXREPEAT
REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT)   # possessive repeats never backtrack: not here
ALL = frozenset(range(256))
LARGE = 8                # a bounded repeat this wide behaves like an unbounded one

_CATEGORIES: dict[Any, frozenset[int]] = {}


def _category(cat) -> frozenset[int]:
    if not _CATEGORIES:
        digit = frozenset(range(48, 58))
        word = digit | frozenset(range(65, 91)) | frozenset(range(97, 123)) | {95}
        space = frozenset(b" \t\n\r\f\v")
        for name, s in (("DIGIT", digit), ("WORD", word), ("SPACE", space)):
            _CATEGORIES[getattr(sre_c, "CATEGORY_" + name)] = s
            _CATEGORIES[getattr(sre_c, "CATEGORY_NOT_" + name)] = ALL - s
    return _CATEGORIES.get(cat, ALL)


def parse(pattern: str, flags: int = 0):
    return sre_p.parse(pattern, flags)


def _fold(chars: frozenset[int]) -> frozenset[int]:
    """Letters in both cases: patterns may run case-insensitively."""
    return chars | {c ^ 0x20 for c in chars if 65 <= c <= 90 or 97 <= c <= 122}


def char_set(op, av, fold: bool = True) -> Optional[frozenset[int]]:
    """The bytes one single-character item can match (both cases of letters unless
    fold is False); None if it is not a single-character item."""
    f = _fold if fold else frozenset
    if op is sre_c.LITERAL:
        return f(frozenset([av])) if av < 256 else frozenset()
    if op is sre_c.NOT_LITERAL:
        return ALL - f(frozenset([av]))
    if op is sre_c.ANY:
        return ALL - {10}
    if op is sre_c.IN:
        chars: set[int] = set()
        negate = False
        for iop, iav in av:
            if iop is sre_c.NEGATE:
                negate = True
            elif iop is sre_c.LITERAL:
                chars.add(iav)
            elif iop is sre_c.RANGE:
                chars.update(range(iav[0], min(iav[1], 255) + 1))
            elif iop is sre_c.CATEGORY:
                chars.update(_category(iav))
            else:
                chars.update(ALL)
        s = f(frozenset(c for c in chars if c < 256))
        return ALL - s if negate else s
    return None


def consumed(items) -> frozenset[int]:
    """Every byte a (sub)pattern can consume anywhere."""
    out: set[int] = set()
    for op, av in items:
        s = char_set(op, av)
        if s is not None:
            out |= s
        elif op is sre_c.SUBPATTERN:
            out |= consumed(av[-1])
        elif op in REPEATS or op is getattr(sre_c, "POSSESSIVE_REPEAT", None):
            out |= consumed(av[2])
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                out |= consumed(alt)
        elif op is getattr(sre_c, "ATOMIC_GROUP", None):
            out |= consumed(av)
        elif op is sre_c.GROUPREF:
            out |= ALL
    return frozenset(out)


def first_set(items) -> frozenset[int]:
    """Bytes that can start a match of a sequence (conservative: over-approximates)."""
    out: set[int] = set()
    for op, av in items:
        s = char_set(op, av)
        if s is not None:
            return frozenset(out | s)
        if op is sre_c.SUBPATTERN:
            out |= first_set(av[-1])
            if min_width(av[-1]) > 0:
                return frozenset(out)
        elif op in REPEATS:
            out |= first_set(av[2])
            if av[0] > 0 and min_width(av[2]) > 0:
                return frozenset(out)
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                out |= first_set(alt)
            if all(min_width(alt) > 0 for alt in av[1]):
                return frozenset(out)
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            continue
        else:
            return ALL
    return frozenset(out)


def min_width(items) -> int:
    try:
        return items.getwidth()[0]
    except AttributeError:
        return sre_p.SubPattern(sre_p.State(), list(items)).getwidth()[0]


def _quant(lo: int, hi) -> str:
    if (lo, hi) == (0, MAXREPEAT):
        return "*"
    if (lo, hi) == (1, MAXREPEAT):
        return "+"
    if (lo, hi) == (0, 1):
        return "?"
    return "{%d,%s}" % (lo, "" if hi == MAXREPEAT else hi)


def _wide(hi) -> bool:
    return hi == MAXREPEAT or hi >= LARGE


def _variable_repeats(items) -> Iterator[tuple[int, Any, Any]]:
    """(min, max, body) of every repetition inside items that can vary in length."""
    for op, av in items:
        if op in REPEATS:
            lo, hi, body = av
            if hi != lo and (hi == MAXREPEAT or hi >= 2):
                yield lo, hi, body
            yield from _variable_repeats(body)
        elif op is sre_c.SUBPATTERN:
            yield from _variable_repeats(av[-1])
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                yield from _variable_repeats(alt)


def _separators(body) -> list[frozenset[int]]:
    """Character sets of the mandatory single characters at a body's top level."""
    out = []
    for op, av in body:
        s = char_set(op, av)
        if s is not None:
            out.append(s)
        elif op is sre_c.SUBPATTERN:
            out.extend(_separators(av[-1]))
        elif op in REPEATS and av[0] >= 1:
            out.extend(_separators(av[2]))
    return out


def _outer_repeats(items) -> Iterator[tuple[int, Any, Any]]:
    for op, av in items:
        if op in REPEATS:
            yield av
            yield from _outer_repeats(av[2])
        elif op is sre_c.SUBPATTERN:
            yield from _outer_repeats(av[-1])
        elif op is sre_c.BRANCH:
            for alt in av[1]:
                yield from _outer_repeats(alt)
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            yield from _outer_repeats(av[1])


def _ambiguous_branch(body) -> bool:
    """Alternatives inside a repetition that can start with the same character."""
    for op, av in body:
        if op is sre_c.SUBPATTERN:
            if _ambiguous_branch(av[-1]):
                return True
        elif op is sre_c.BRANCH:
            firsts = [first_set(alt) for alt in av[1]]
            for i, a in enumerate(firsts):
                if any(a & b for b in firsts[i + 1:]):
                    return True
    return False


def nested_repetition(pattern: str, flags: int = 0) -> Optional[str]:
    """Describe the first exponential-backtracking shape in pattern, or None."""
    try:
        tree = parse(pattern, flags)
    except (re.error, OverflowError, RecursionError):
        return None
    for lo, hi, body in _outer_repeats(tree):
        if not _wide(hi):
            continue
        outer = _quant(lo, hi)
        separators = _separators(body)
        for ilo, ihi, ibody in _variable_repeats(body):
            chars = consumed(ibody)
            if any(not (sep & chars) for sep in separators):
                continue          # a mandatory separator pins each round
            return (f"nested repetition: a group repeated {outer} contains a part repeated "
                    f"{_quant(ilo, ihi)} that can match the same text in many ways")
        if _ambiguous_branch(body):
            return (f"ambiguous alternatives repeated {outer}: two alternatives can match "
                    f"the same text, so each round can be split in many ways")
    return None


def always_captures(pattern: str, group: int, flags: int = 0) -> bool:
    """True if every match of pattern has a non-empty `group` (it is on the
    mandatory path: not inside an alternative or an optional repeat)."""
    try:
        tree = parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return False

    def walk(items) -> bool:
        for op, av in items:
            if op is sre_c.SUBPATTERN:
                if av[0] == group:
                    return min_width(av[-1]) > 0
                if walk(av[-1]):
                    return True
            elif op in REPEATS and av[0] >= 1 and walk(av[2]):
                return True
        return False

    return walk(tree)
