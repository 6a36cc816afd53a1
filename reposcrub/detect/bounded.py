"""Regexes whose cost per starting position is bounded.

Python's `re` backtracks.  A rule such as `[\\w.-]*password[\\w.-]*=…` tried at
every position of a long minified line scans to the end of the line from each
one: quadratic in the line, hours on a few megabytes.  Every unbounded
repetition (`*`, `+`, `{n,}`) is therefore compiled as `{n,BOUND}`, so one
attempt reads at most a few times BOUND bytes and a whole scan stays linear
in the blob, on the hyperscan windows and on the pure-`re` fallback alike.
Only a match with more than BOUND characters in one repeated part is found
shorter (its start moves right; the captured value is the same unless the
value itself is over BOUND long, which no credential shape is).

Exponential shapes (`(a+)+`, ambiguous repeated alternatives) stay
exponential even within bounds: a rule with one is refused when it is loaded
(regex_shapes.nested_repetition, also run by `reposcrub rules lint`).
"""
from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _compiler as _sre_compile, _constants as _sre_c, _parser as _sre_parse  # type: ignore
except ImportError:  # pragma: no cover
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

BOUND = 512
_REPEATS = tuple(op for op in (getattr(_sre_c, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))
                 if op is not None)


def compile_bounded(pattern: bytes, flags: int, bound: int = BOUND) -> "re.Pattern[bytes]":
    """re.compile(pattern, flags), with every unbounded repetition capped at `bound`."""
    tree = _sre_parse.parse(pattern, flags)
    if not _cap(tree.data, bound):
        return re.compile(pattern, flags)          # nothing unbounded: the ordinary (cached) way
    return _sre_compile.compile(tree, flags)


def _cap(items: list, bound: int) -> bool:
    """Rewrite unbounded repeats in place; True if any was changed."""
    changed = False
    for i, (op, av) in enumerate(items):
        if op in _REPEATS:
            lo, hi, body = av
            changed |= _cap(_body(body), bound)
            if hi == _sre_c.MAXREPEAT:
                items[i] = (op, (lo, max(lo, bound), body))
                changed = True
        elif op is _sre_c.BRANCH:
            for alt in av[1]:
                changed |= _cap(_body(alt), bound)
        elif op is _sre_c.SUBPATTERN:
            changed |= _cap(_body(av[-1]), bound)
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            changed |= _cap(_body(av[1]), bound)
        elif getattr(_sre_c, "ATOMIC_GROUP", None) is op:
            changed |= _cap(_body(av), bound)
    return changed


def _body(sub: Any) -> list:
    return sub.data if hasattr(sub, "data") else sub
