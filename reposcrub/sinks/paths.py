"""Which tree paths a snapshot may hold, and under what name.

A Git tree is just data: a hostile one can name an entry `..`, `/etc/passwd`,
`.git/hooks/post-checkout` or `a\\b`, and `git add` is not there to refuse.
Every path is checked here before anything is written; a path that could
land outside the snapshot root, or that a common file system or archive tool
would misread, is dropped and reported — never "fixed" into something that
might collide with a real file.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

NAME_MAX = 255      # bytes in one path component (ext4, APFS, NTFS)
PATH_MAX = 4095     # bytes in a whole path (Linux)


def unsafe_reason(path: str) -> Optional[str]:
    """Why this tree path must not be written, or None when it is safe.

    `path` is '/'-separated and surrogate-escaped (any byte survives)."""
    if not path:
        return "unsafe path: empty name"
    raw = path.encode("utf-8", "surrogateescape")
    if b"\0" in raw:
        return "unsafe path: NUL byte in name"
    if path.startswith("/"):
        return "unsafe path: absolute"
    if len(raw) > PATH_MAX:
        return f"path longer than {PATH_MAX} bytes (cannot be extracted on common file systems)"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return "unsafe path: empty, '.' or '..' component"
        if _is_git_dir(part):
            return "unsafe path: a .git component (would be read as repository metadata)"
        if "\\" in part:
            return "unsafe path: backslash in a name (a directory separator on Windows)"
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return f"file name longer than {NAME_MAX} bytes (cannot be extracted on common file systems)"
    return None


def _is_git_dir(part: str) -> bool:
    """`.git` in any case and with the trailing dots/spaces Windows ignores, or its 8.3 alias."""
    low = part.lower().rstrip(". ")
    return low == ".git" or low == "git~1"


def utf8_name(path: str) -> str:
    """The path as valid UTF-8 (zip stores UTF-8 names): each undecodable byte
    becomes %XX.  Should that name already be taken, the writer refuses the
    second file (reported), it never overwrites the first."""
    out = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:          # a surrogate-escaped raw byte
            out.append(f"%{code - 0xDC00:02X}")
        else:
            out.append(ch)
    return "".join(out)


def case_clashes(paths: Iterable[str]) -> list[list[str]]:
    """Groups of paths that differ only in case (they overwrite each other on
    macOS and Windows): the snapshot keeps both, the report says so."""
    groups: dict[str, list[str]] = defaultdict(list)
    for p in paths:
        groups[p.casefold()].append(p)
    return [sorted(g) for g in groups.values() if len(set(g)) > 1]
