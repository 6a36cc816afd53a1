"""Read a written snapshot back (directory, .tar.gz or .zip) for `verify`."""
from __future__ import annotations

import os
import tarfile
import zipfile
from pathlib import Path
from typing import Iterator

from ..model import ContentItem, Origin
from ..sinks.snapshot import snapshot_format
from .gitrepo import InputError
from .textview import view


def snapshot_items(dest: Path, max_size: int) -> Iterator[ContentItem]:
    if not dest.exists():
        raise InputError(f"{dest}: no such snapshot")
    fmt = snapshot_format(dest) if not dest.is_dir() else "dir"
    if fmt == "dir":
        yield from _dir_items(dest, max_size)
    elif fmt == "tar.gz":
        try:
            with tarfile.open(dest, "r:gz") as tar:
                for m in tar:
                    if m.isfile() and m.size <= max_size:
                        yield ContentItem(m.name.split("/", 1)[-1], view(tar.extractfile(m).read())[0],
                                          Origin.SNAPSHOT)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise InputError(f"{dest}: not a readable .tar.gz ({exc})") from None
    else:
        try:
            with zipfile.ZipFile(dest) as zf:
                for info in zf.infolist():
                    if not info.is_dir() and info.file_size <= max_size:
                        yield ContentItem(info.filename.split("/", 1)[-1], view(zf.read(info))[0], Origin.SNAPSHOT)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{dest}: not a readable .zip ({exc})") from None


def _dir_items(root: Path, max_size: int) -> Iterator[ContentItem]:
    base = os.fsencode(root)
    for dirpath, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            if os.path.islink(full) or os.path.getsize(full) > max_size:
                continue
            rel = os.path.relpath(full, base).decode("utf-8", "surrogateescape")
            with open(full, "rb") as fh:
                yield ContentItem(rel, view(fh.read())[0], Origin.SNAPSHOT)
