"""The bytes a detector sees for a file, and the way back to the file's own encoding.

Most files are scanned as they are.  Rules are ASCII, so they match inside
UTF-8, Latin-1, Shift-JIS or any other ASCII-compatible text, and every
replacement is ASCII too: rewriting the bytes in place keeps the encoding,
and every byte outside a replaced span stays as it was.

UTF-16 and UTF-32 are not ASCII-compatible: each ASCII character carries NUL
bytes, so no rule matches and the file looks binary.  A file that opens with
a UTF-16/32 byte-order mark (or, without one, is plainly UTF-16 text: NULs in
every other byte) and decodes cleanly is scanned as UTF-8, and what is
written is encoded back, BOM and byte order included.  Only encodings that
round-trip exactly are taken, so a kept file is byte-identical.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Optional

SNIFF = 4096


@dataclass(frozen=True)
class Codec:
    """How a non-ASCII-compatible text file is turned into UTF-8 and back."""

    name: str            # the Python codec of the body, e.g. 'utf-16-le'
    bom: bytes           # written back first (empty for a BOM-less file)

    def to_view(self, raw: bytes) -> bytes:
        return raw[len(self.bom):].decode(self.name).encode("utf-8")

    def from_view(self, view: bytes) -> bytes:
        return self.bom + view.decode("utf-8").encode(self.name)


WITH_BOM = (Codec("utf-32-le", codecs.BOM_UTF32_LE), Codec("utf-32-be", codecs.BOM_UTF32_BE),
            Codec("utf-16-le", codecs.BOM_UTF16_LE), Codec("utf-16-be", codecs.BOM_UTF16_BE))


_BOMS = tuple(c.bom for c in WITH_BOM)


def sniff(raw: bytes) -> Optional[Codec]:
    """The codec a file needs to be scanned as text, or None: scan the bytes as they are."""
    if not raw.startswith(_BOMS):        # most files: no BOM (one test, not four)
        guess = _bomless_utf16(raw)
        return guess if guess and _round_trips(guess, raw) else None
    for codec in WITH_BOM:
        if raw.startswith(codec.bom):
            return codec if _round_trips(codec, raw) else None
    guess = _bomless_utf16(raw)
    if guess and _round_trips(guess, raw):
        return guess
    return None


def view(raw: bytes) -> tuple[bytes, Optional[Codec]]:
    """(the bytes to scan, the codec to write them back with, or None)."""
    codec = sniff(raw)
    return (codec.to_view(raw), codec) if codec else (raw, None)


def _round_trips(codec: Codec, raw: bytes) -> bool:
    try:
        return codec.from_view(codec.to_view(raw)) == raw
    except UnicodeError:
        return False


def _bomless_utf16(raw: bytes) -> Optional[Codec]:
    """Plain ASCII-range text saved as UTF-16 without a BOM: one byte of each
    pair is NUL nearly everywhere, the other almost never."""
    if len(raw) % 2 or len(raw) < 16 or raw.find(b"\0", 0, SNIFF) < 0:
        return None                     # (tested before copying the head: most files stop here)
    head = raw[:SNIFF]
    even, odd = head[0::2], head[1::2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            return Codec(name, b"")
    return None
