"""Write the flattened snapshot: a directory, a .tar.gz or a .zip.

Everything is written under a temporary name beside DEST and renamed into
place only when complete, so an interrupted run leaves no DEST at all and a
half-written snapshot can never be mistaken for a finished one.  Members get
fixed owners and mtimes and are added in path order: the same repository
gives the same archive, byte for byte.
"""
from __future__ import annotations

import errno
import gzip
import io
import os
import shutil
import signal
import tarfile
import tempfile
import time
import zipfile
from contextlib import contextmanager
from glob import escape as glob_escape
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, Sequence

from ..sources.gitrepo import InputError
from .paths import unsafe_reason, utf8_name


class Refused(Exception):
    """This one file cannot be written (unsafe or clashing name): the caller
    reports it as dropped and carries on; nothing has been written for it."""


def snapshot_format(dest: Path) -> str:
    name = dest.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    if name.endswith(".zip"):
        return "zip"
    return "dir"


def safe_relpath(path: str) -> str:
    """Refuse anything that could land outside the snapshot root (the last
    line of defence: scrubbing already dropped such paths, with a reason)."""
    why = unsafe_reason(path)
    if why:
        raise Refused(why)
    return path


class SnapshotWriter:
    def __init__(self, dest: Path, force: bool = False, mtime: int = 0):
        self.dest = Path(dest)
        self.format = snapshot_format(self.dest)
        self.mtime = max(mtime, 315532800)  # zip cannot store dates before 1980
        if self.dest.exists() or self.dest.is_symlink():
            if not force:
                raise InputError(f"{dest}: already exists (use --force to replace it)")
        parent = self.dest.parent
        if not parent.is_dir():
            raise InputError(f"{parent}: output directory does not exist")
        self.tmp = parent / f".{self.dest.name}.reposcrub-tmp-{os.getpid()}"
        _unfinished.add(self)               # before the temp exists: abort_unfinished() sees it
        self._cleanup_tmp()
        _remove_orphans(parent, self.dest.name)
        self._dirs: set[str] = set()
        self._made: set[bytes] = set()      # directories made on disk (format "dir")
        self._names: set[str] = set()       # member paths written so far
        self._parents: set[str] = set()     # and the directories they imply
        if self.format == "dir":
            self.tmp.mkdir()
        elif self.format == "tar.gz":
            self._raw = open(self.tmp, "wb")
            self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0, filename="")
            self._tar = tarfile.open(fileobj=self._gz, mode="w", format=tarfile.PAX_FORMAT)
        else:
            self._zip = zipfile.ZipFile(self.tmp, "w", compression=zipfile.ZIP_DEFLATED)

    @property
    def root_name(self) -> str:
        name = self.dest.name
        for suf in (".tar.gz", ".tgz", ".zip"):
            if name.lower().endswith(suf):
                return name[: -len(suf)] or "snapshot"
        return name

    def add(self, path: str, data: bytes | Iterable[bytes], executable: bool = False) -> str:
        """Write one file; return the path it was written under (zip names
        must be UTF-8, so a non-UTF-8 name is %XX-escaped there).  Raises
        Refused, having written nothing, for a path that cannot be written."""
        safe_relpath(path)
        if self.format == "zip":
            path = utf8_name(path)
        if path in self._names or path in self._parents:
            raise Refused("another file was already written under this name")
        if any(d in self._names for d in _parents(path)):
            raise Refused("a parent directory has the name of a file already written")
        mode = 0o755 if executable else 0o644
        if self.format == "dir":
            self._write_file(path, data, mode)
        elif self.format == "tar.gz":
            self._tar_dirs(path)
            info = tarfile.TarInfo(f"{self.root_name}/{path}")
            info.mode, info.mtime = mode, self.mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if isinstance(data, (bytes, bytearray)):
                info.size = len(data)
                self._tar.addfile(info, io.BytesIO(data))
            else:   # a tar header needs the size first: spool the stream (unlinked, so never left over)
                with tempfile.TemporaryFile(dir=self.dest.parent) as spool:
                    for chunk in data:
                        spool.write(chunk)
                    info.size = spool.tell()
                    spool.seek(0)
                    self._tar.addfile(info, spool)
        else:
            info = zipfile.ZipInfo(f"{self.root_name}/{path}", time.gmtime(self.mtime)[:6])
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, (bytes, bytearray)):
                self._zip.writestr(info, data)
            else:
                with self._zip.open(info, "w", force_zip64=True) as fh:
                    for chunk in data:
                        fh.write(chunk)
        self._names.add(path)
        self._parents.update(_parents(path))
        return path

    def _write_file(self, path: str, data: bytes | Iterable[bytes], mode: int) -> None:
        full = os.path.join(os.fsencode(self.tmp), os.fsencode(path))
        try:
            parent = os.path.dirname(full)
            if parent not in self._made:            # two syscalls a file saved on a big tree
                os.makedirs(parent, exist_ok=True)
                self._made.add(parent)
            fd = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
        except FileExistsError:
            raise Refused("clashes with a file already written (names equal on this file system, "
                          "e.g. differing only in case)") from None
        except OSError as exc:
            if exc.errno in (errno.ENAMETOOLONG, errno.ENOTDIR, errno.EILSEQ, errno.EINVAL):
                raise Refused(f"cannot be written on this file system ({exc.strerror})") from None
            raise
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray)):
                fh.write(data)
            else:
                for chunk in data:
                    fh.write(chunk)
        os.utime(full, (self.mtime, self.mtime))

    def _tar_dirs(self, path: str) -> None:
        parts = PurePosixPath(path).parts[:-1]
        for i in range(0, len(parts) + 1):
            d = "/".join((self.root_name,) + parts[:i])
            if d not in self._dirs:
                self._dirs.add(d)
                info = tarfile.TarInfo(d)
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, self.mtime
                info.uname = info.gname = ""
                self._tar.addfile(info)

    def commit(self, also: Sequence[tuple[Path, Path]] = ()) -> None:
        """Finish the archive and move it into place (replacing DEST only with
        --force), together with `also` (staged temp -> final path, the report)."""
        if self.format == "tar.gz":
            self._tar.close()
            self._gz.close()
            self._raw.close()
        elif self.format == "zip":
            self._zip.close()
        else:
            self._fix_dir_mtimes()
        with _shielded():
            if self.dest.exists() or self.dest.is_symlink():
                old = self.dest.parent / f".{self.dest.name}.reposcrub-old-{os.getpid()}"
                os.replace(self.dest, old) if not self.dest.is_dir() or self.dest.is_symlink() else self.dest.rename(old)
                os.replace(self.tmp, self.dest)
                _remove(old)
            else:
                os.replace(self.tmp, self.dest)
            for tmp, final in also:
                os.replace(tmp, final)
            _unfinished.discard(self)

    def abort(self) -> None:
        with _shielded():
            for h in ("_tar", "_gz", "_raw", "_zip"):
                try:
                    getattr(self, h).close()
                except Exception:
                    pass
            self._cleanup_tmp()
            _unfinished.discard(self)

    def _fix_dir_mtimes(self) -> None:
        for root, dirs, _files in os.walk(self.tmp, topdown=False):
            for d in dirs:
                os.utime(os.path.join(root, d), (self.mtime, self.mtime), follow_symlinks=False)
        os.utime(self.tmp, (self.mtime, self.mtime))

    def _cleanup_tmp(self) -> None:
        if self.tmp.exists() or self.tmp.is_symlink():
            _remove(self.tmp)


def _remove_orphans(parent: Path, name: str) -> None:
    """Temporary output a killed run (SIGKILL, power loss) left beside this DEST:
    removed once the process that wrote it is gone."""
    for kind in ("tmp", "old"):
        for p in parent.glob(f".{glob_escape(name)}.reposcrub-{kind}-*"):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                _remove(p)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True          # exists, but not ours to signal
    return True


_unfinished: set[SnapshotWriter] = set()


def abort_unfinished() -> None:
    """Remove the temporary output of every writer that neither committed nor
    aborted: the command line calls this on its way out, whatever the reason
    (an interrupt may land between creating the temp and guarding it)."""
    for w in list(_unfinished):
        w.abort()


@contextmanager
def _shielded() -> Iterator[None]:
    """Hold off Ctrl-C and SIGTERM while a cleanup or the final renames run, so
    they are never left half done; the signal is delivered right after."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError, OSError):   # no sigmask on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        try:
            p.unlink()
        except OSError:
            pass
