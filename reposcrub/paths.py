"""File names are content too: scan every path once, and rename what must go.

All paths of a tree are scanned as one blob (one engine pass, the same rules
as file contents), so a codename in a folder name, a host in a file name or
a token used as a file name is found like any other.  Renaming uses the
snapshot's one `Pseudonyms`, so the folder `roadrunner/` and the line
`import roadrunner` become `project1/` and `import project1` alike.
"""
from __future__ import annotations

from bisect import bisect_right
from pathlib import PurePosixPath
from typing import Iterable

from .context import RunContext
from .model import FILE_NAMES, ContentItem, Finding, Origin
from .naming import split_words
from .redact import Pseudonyms, rewrite

def _raw(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


def scan_paths(ctx: RunContext, paths: Iterable[str], origin: Origin = Origin.HEAD) -> dict[str, list[Finding]]:
    """Findings in the paths themselves, by path, with offsets into the path.

    A finding in a name has line 0 and its column counted in the path."""
    starts: list[tuple[int, str]] = []
    parts: list[bytes] = []
    odd: list[str] = []
    pos = 0
    for p in paths:
        raw = _raw(p)
        if b"\n" in raw:            # a newline in a file name: scanned on its own
            odd.append(p)
            continue
        starts.append((pos, p))
        parts.append(raw)
        pos += len(raw) + 1
    joined = b"\n".join(parts)
    out: dict[str, list[Finding]] = {}
    if joined:
        _collect(ctx, joined, starts, origin, out)
    for p in odd:
        _collect(ctx, _raw(p), [(0, p)], origin, out)
    return out


def _collect(ctx: RunContext, data: bytes, starts: list[tuple[int, str]], origin: Origin,
             out: dict[str, list[Finding]]) -> None:
    offsets = [s for s, _ in starts]
    for f in ctx.scanner.detect(ContentItem(FILE_NAMES, data, origin)):
        i = bisect_right(offsets, f.start) - 1
        base, path = starts[i]
        raw = _raw(path)
        if f.end > base + len(raw):
            continue                       # spans two names: not in either
        f.start, f.end = f.start - base, f.end - base
        f.path, f.line, f.column = path, 0, f.start + 1
        f.reason = f"in the file name{': ' + f.reason if f.reason else ''}"
        out.setdefault(path, []).extend(ctx.policy.decide(ContentItem(path, raw, origin), [f]))


def words_in_paths(paths: Iterable[str]) -> set[str]:
    """Every name already used in the tree, so a chosen replacement cannot collide with one."""
    words: set[str] = set()
    for p in paths:
        for part in PurePosixPath(p).parts:
            stem = part.split(".")[0]
            words.add(stem)
            words.update(split_words(stem))
    return words


def plan_renames(paths: list[str], findings: dict[str, list[Finding]],
                 names: Pseudonyms) -> dict[str, tuple[str, str]]:
    """Original path -> (new path, note), for every path that changes; never two paths onto one."""
    planned: dict[str, str] = {}
    for p in paths:
        fs = findings.get(p)
        if fs:
            new = rewrite(_raw(p), fs, names).decode("utf-8", "surrogateescape")
            if new != p:
                planned[p] = new
    taken = {p for p in paths if p not in planned}
    out: dict[str, tuple[str, str]] = {}
    for p, new in planned.items():
        final, n = new, 1
        while final in taken:
            n += 1
            pp = PurePosixPath(new)
            final = str(pp.with_name(f"{pp.stem}-{n}{pp.suffix}"))
        taken.add(final)
        out[p] = (final, f"{new} was taken" if final != new else "")
    return out
