"""Archives inside a repository (.zip, .jar, .war, .tar.gz, …): their members are content too.

A compressed member hides its bytes from every rule, so a `.jar` holding an
`application.properties` with a password would leave in the snapshot
untouched.  Members of zip-family and tar archives are therefore read (in
memory, within fixed limits, so a zip bomb costs at most the limits) and
scanned like files; a finding in a member cannot be rewritten in place, so
the archive is dropped from the snapshot and the finding reported with the
member's path (`lib/app.jar!/application.properties`).  What cannot be read
(encrypted, unsupported compression, over the limits, nested deeper than
MAX_DEPTH) is said in the report; `scrub --drop-archives` drops every archive.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..model import ContentItem

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 32 << 20          # one member, uncompressed
MAX_TOTAL_BYTES = 256 << 20          # all members of one archive (nested ones included)
MAX_DEPTH = 2                        # a .jar inside a .war is read; a third level is not

MAGIC = ((b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"),
         (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"),
         (b"\x28\xb5\x2f\xfd", "zstd"))


_MAGICS = tuple(m for m, _ in MAGIC)


def kind_of(data: bytes) -> Optional[str]:
    """The archive or compression format of data, from its magic bytes, or None."""
    if not data.startswith(_MAGICS):     # every blob asks: one test for all the magics
        return "tar" if len(data) > 262 and data[257:262] == b"ustar" else None
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if len(data) > 262 and data[257:262] == b"ustar":
        return "tar"
    return None


@dataclass
class Unpacked:
    """What reading an archive's members gave: the members, and what was not read."""

    members: list[ContentItem] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)      # why some content was not scanned
    budget: int = MAX_TOTAL_BYTES


def unpack(item: ContentItem, depth: int = 1, state: Optional[Unpacked] = None) -> Unpacked:
    """Members of an archive item as content items named `archive!/member`."""
    state = state or Unpacked()
    kind = kind_of(item.data)
    first = len(state.members)
    try:
        if kind == "zip":
            _zip_members(item, state)
        elif kind in ("gzip", "bzip2", "xz", "tar"):
            _tar_members(item, kind, state)
        elif kind:
            state.unread.append(f"{kind} archives are not read")
    except Exception as exc:   # hostile bytes: any failure means "not read", never a crash
        state.unread.append(f"unreadable {kind} ({type(exc).__name__})")
    nested = [m for m in state.members[first:] if kind_of(m.data)]
    if depth >= MAX_DEPTH and nested:
        state.unread.append(f"{len(nested)} nested archive(s) deeper than {MAX_DEPTH} levels not read")
    elif nested:
        for m in nested:
            unpack(m, depth + 1, state)
    return state


def _take(state: Unpacked, item: ContentItem, name: str, size: int, read) -> None:
    if len(state.members) >= MAX_MEMBERS:
        raise _Limit(f"more than {MAX_MEMBERS} members")
    if size > MAX_MEMBER_BYTES or size > state.budget:
        state.unread.append(f"member larger than the archive limits ({size} bytes)")
        return
    data = read()
    if len(data) > MAX_MEMBER_BYTES or len(data) > state.budget:
        state.unread.append(f"member larger than the archive limits ({len(data)} bytes)")
        return
    state.budget -= len(data)
    state.members.append(ContentItem(f"{item.path}!/{name}", data, item.origin, item.blob,
                                     item.commit, item.mode))


class _Limit(Exception):
    pass


def _zip_members(item: ContentItem, state: Unpacked) -> None:
    import zipfile          # (here: every scan imports this module, few meet an archive)
    listed = _zip_entry_count(item.data)
    if listed is None or listed > MAX_MEMBERS:   # its directory alone could take gigabytes to load
        state.unread.append(f"more than {MAX_MEMBERS} members" if listed else "no readable zip directory")
        return
    with zipfile.ZipFile(io.BytesIO(item.data)) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                state.unread.append("encrypted member(s)")
                continue
            try:
                _take(state, item, info.filename, info.file_size,
                      lambda: _read_capped(zf.open(info), MAX_MEMBER_BYTES))
            except _Limit as why:
                state.unread.append(str(why))
                return
            except (NotImplementedError, RuntimeError, zipfile.BadZipFile, EOFError, OSError) as exc:
                state.unread.append(f"unreadable member ({type(exc).__name__})")


def _zip_entry_count(data: bytes) -> Optional[int]:
    """The entry count the zip's end record claims, read before zipfile loads
    the whole directory; None without an end record, a huge number for zip64."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    return MAX_MEMBERS + 1 if count == 0xFFFF else count


def _tar_members(item: ContentItem, kind: str, state: Unpacked) -> None:
    import tarfile
    try:
        tar = tarfile.open(fileobj=io.BytesIO(item.data), mode="r:*")
    except tarfile.ReadError:
        if kind == "tar":
            raise
        _single_stream(item, kind, state)     # a lone compressed file (.gz, .bz2, .xz)
        return
    with tar:
        for m in tar:
            if not m.isfile():
                continue
            try:
                _take(state, item, m.name, m.size, lambda: _read_capped(tar.extractfile(m), MAX_MEMBER_BYTES))
            except _Limit as why:
                state.unread.append(str(why))
                return


def _single_stream(item: ContentItem, kind: str, state: Unpacked) -> None:
    import bz2
    import gzip
    import lzma
    opener = {"gzip": gzip.GzipFile, "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}[kind]
    name = item.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "data"
    _take(state, item, name, 0, lambda: _read_capped(opener(fileobj=io.BytesIO(item.data)), MAX_MEMBER_BYTES))


def describe(item: ContentItem) -> str:
    """The manifest reason for an archive kept in the snapshot."""
    got = unpack(item)
    why = sorted(set(got.unread))
    return (f"archive ({kind_of(item.data)}): {len(got.members)} member(s) scanned"
            + (f"; not scanned: {', '.join(why)}" if why else ""))


def _read_capped(fh, cap: int) -> bytes:
    """Read at most cap + 1 bytes: a member lying about its size cannot make us read more."""
    with fh:
        return fh.read(cap + 1)
