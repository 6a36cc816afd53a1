"""Read a written snapshot back (directory, .tar.gz or .zip) for `verify`.

Files are handed out as openers, not bytes, so a huge file is scanned as a
stream (bigfiles.py) like it was when it was written."""
from __future__ import annotations

import os
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..sinks.snapshot import snapshot_format
from .gitrepo import InputError

READ = 1 << 20


@dataclass(frozen=True)
class SnapshotFile:
    path: str                                  # relative to the snapshot root
    size: int
    open: Callable[[], Iterator[bytes]]        # its bytes, in chunks, afresh each call

    def read(self) -> bytes:
        return b"".join(self.open())


def snapshot_files(dest: Path) -> Iterator[SnapshotFile]:
    if not dest.exists():
        raise InputError(f"{dest}: no such snapshot")
    fmt = snapshot_format(dest) if not dest.is_dir() else "dir"
    if fmt == "dir":
        yield from _dir_files(dest)
    elif fmt == "tar.gz":
        try:
            with tarfile.open(dest, "r:gz") as tar:
                for m in tar:
                    if m.isfile():
                        yield SnapshotFile(m.name.split("/", 1)[-1], m.size,
                                           lambda m=m: _chunks(tar.extractfile(m)))
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise InputError(f"{dest}: not a readable .tar.gz ({exc})") from None
    else:
        try:
            with zipfile.ZipFile(dest) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        yield SnapshotFile(info.filename.split("/", 1)[-1], info.file_size,
                                           lambda info=info: _chunks(zf.open(info)))
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{dest}: not a readable .zip ({exc})") from None


def _dir_files(root: Path) -> Iterator[SnapshotFile]:
    base = os.fsencode(root)
    for dirpath, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                continue
            rel = os.path.relpath(full, base).decode("utf-8", "surrogateescape")
            opener = lambda full=full: _chunks(open(os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb"))
            yield SnapshotFile(rel, os.path.getsize(full), opener)


def _chunks(fh) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(READ):
            yield chunk
