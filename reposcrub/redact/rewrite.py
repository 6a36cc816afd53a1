"""Apply replacements to a file's bytes in one pass.

Spans are applied right to left so earlier offsets stay valid; overlapping
spans are merged (the union is replaced once).  A replacement keeps the number
of line breaks of what it replaces, so line numbers and line-based syntax
(YAML, .env, Makefiles) survive -- except one made with `keep_lines=False`: a
removed header block drops its lines (detect/headers.py says why).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    text: bytes
    keep_lines: bool = True


def merge(reps: list[Replacement]) -> list[Replacement]:
    out: list[Replacement] = []
    for r in sorted(reps, key=lambda r: (r.start, -r.end)):
        if out and r.start < out[-1].end:
            last = out[-1]
            if r.end > last.end:   # partial overlap: widen, keep the first text
                out[-1] = Replacement(last.start, r.end, last.text, last.keep_lines)
            continue
        out.append(r)
    return out


def apply(data: bytes, reps: list[Replacement]) -> bytes:
    parts: list[bytes] = []
    pos = len(data)
    for r in reversed(merge(reps)):
        text = r.text
        if r.keep_lines:
            missing = data.count(b"\n", r.start, r.end) - text.count(b"\n")
            if missing > 0:   # in the file's own line ending: a CRLF file stays CRLF
                text += (b"\r\n" if data.find(b"\r\n", r.start, r.end) >= 0 else b"\n") * missing
        parts.append(data[r.end:pos])
        parts.append(text)
        pos = r.start
    parts.append(data[:pos])
    return b"".join(reversed(parts))
