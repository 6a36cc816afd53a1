"""Rewrite JSON (Jupyter notebooks, .json files) so it stays valid JSON.

In JSON every value worth replacing sits inside a string literal, and a
placeholder is plain text, so most replacements are safe as they are.  Two
are not: a span that crosses a literal's closing quote (a private key printed
in a notebook output is a list of one-line strings, and the key's pattern
runs across the `",\\n    "` between them), and a span that ends inside an
escape (`…secret\\"`).  Such spans are cut to their parts inside string
literals, widened to whole escapes: the first part gets the placeholder, the
others become empty, and the JSON punctuation between them stays.  The
result is parsed again; should it still not be JSON, the plain rewrite is
used (it is leak-free; validity is the lesser promise).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Optional

from .rewrite import Replacement, apply

STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def rewrite_json(data: bytes, reps: list[Replacement]) -> Optional[bytes]:
    """data rewritten with reps, still valid JSON; None when data is not JSON."""
    if not _is_json(data):
        return None
    literals = [(m.start() + 1, m.end() - 1) for m in STRING.finditer(data)]
    out = apply(data, [p for r in reps for p in _fit(data, r, literals)])
    return out if _is_json(out) else apply(data, reps)


def _is_json(data: bytes) -> bool:
    if data.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(data)
        return True
    except (ValueError, RecursionError):
        return False


def _fit(data: bytes, r: Replacement, literals: list[tuple[int, int]]) -> list[Replacement]:
    """r cut to the string-literal contents it covers (whole escapes only)."""
    starts = [s for s, _ in literals]
    i = max(bisect_right(starts, r.start) - 1, 0)
    pieces: list[tuple[int, int]] = []
    while i < len(literals) and literals[i][0] < r.end:
        lo, hi = literals[i]
        a, b = max(lo, r.start), min(hi, r.end)
        if a < b:
            pieces.append(_whole_escapes(data, lo, a, b))
        i += 1
    if not pieces:
        return [r]                       # not inside a string: leave it to the validity check
    text = _escape(r.text)
    return [Replacement(a, b, text if n == 0 else b"", r.keep_lines) for n, (a, b) in enumerate(pieces)]


def _whole_escapes(data: bytes, lo: int, a: int, b: int) -> tuple[int, int]:
    """Widen [a, b) inside the literal starting at lo so no escape is cut in two."""
    pos = data.find(b"\\", lo, b)
    while pos != -1:
        end = pos + (6 if data[pos + 1:pos + 2] == b"u" else 2)
        if pos < a < end:
            a = pos
        if pos < b < end:
            b = end
        pos = data.find(b"\\", end, b)
    return a, b


def _escape(text: bytes) -> bytes:
    """A replacement as JSON string content (placeholders rarely need it)."""
    return json.dumps(text.decode("utf-8", "replace"), ensure_ascii=False)[1:-1].encode("utf-8")
