"""Files too big to hold: scanned in overlapping windows, rewritten as a stream.

A file over STREAM_OVER bytes is never read whole.  The scan reads it once
in windows of WINDOW bytes that overlap by OVERLAP on each side; a finding
belongs to the window in which it *starts*, so each is found once, and every
match shorter than OVERLAP (every rule's, since repetitions are capped:
detect/bounded.py) is seen whole in its window.  If the file needs edits, it
is read a second time and the replacements are spliced into the byte stream
on its way to the snapshot.  Peak memory is a few windows whatever the file
size (bench/memory.py measures it).

Two reads of a checkout file could see two different files; the second read
is hashed and must match the first, or the run stops (nothing is written).
UTF-16/32 files with a BOM are decoded on the fly, as small files are
(sources/textview.py); headers are only looked for in the first window.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Optional

from .model import ContentItem, Finding
from .redact import EDITING, Pseudonyms, Replacement, replacements
from .sources.gitrepo import GitRepo, InputError
from .sources.textview import WITH_BOM, Codec
from .sources.worktree import BINARY_SNIFF, open_beneath

STREAM_OVER = 16 << 20      # bigger files are streamed
WINDOW = 8 << 20            # bytes a window owns
OVERLAP = 1 << 16           # context before and after it
READ = 1 << 20              # one read from git or the disk
CONTEXT = 64                # bytes kept around a finding for its replacement's style

Opener = Callable[[], Iterator[bytes]]


@dataclass
class BigFile:
    """A file read as a stream; `open()` gives its bytes afresh each time."""

    open: Opener
    head: bytes = b""                      # its first bytes (binary sniff, archive magic)
    codec: Optional[Codec] = None          # scanned as UTF-8, written back in this encoding
    digest: Optional[str] = None           # of the first read: a second read must agree
    spans: list[tuple[Finding, Finding, bytes]] = field(default_factory=list)  # (absolute, local, context)

    @property
    def binary(self) -> bool:
        return self.codec is None and b"\0" in self.head[:BINARY_SNIFF]

    def scrubbed(self, names: Pseudonyms) -> Iterator[bytes]:
        """The file's bytes with every editing finding replaced, as a stream."""
        reps = []
        for absolute, local, context in self.spans:
            if absolute.action in EDITING:
                for r in replacements([local], names, context):
                    shift = absolute.start - local.start
                    reps.append(Replacement(r.start + shift, r.end + shift, r.text, r.keep_lines))
        stream = self._checked()
        if self.codec:
            stream = _encode(splice(_decode(stream, self.codec), reps), self.codec)
        else:
            stream = splice(stream, reps)
        return stream

    def plain(self) -> Iterator[bytes]:
        return self._checked()

    def _checked(self) -> Iterator[bytes]:
        h = hashlib.sha256()
        for chunk in self.open():
            h.update(chunk)
            yield chunk
        if self.digest is not None and h.hexdigest() != self.digest:
            raise InputError("a file changed while it was being read; nothing was written (run again)")


def blob_opener(repo: GitRepo, oid: str) -> Opener:
    """A blob's bytes from its own `git cat-file blob` (big blobs are rare)."""
    def chunks() -> Iterator[bytes]:
        errors = tempfile.TemporaryFile()
        proc = repo.popen(["cat-file", "blob", oid], stdout=subprocess.PIPE, stderr=errors)
        try:
            while chunk := proc.stdout.read(READ):
                yield chunk
            proc.stdout.close()
            repo.finish(proc, errors, f"cat-file (object {oid})")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            errors.close()
    return chunks


def file_opener(root: bytes, rel: str) -> Opener:
    """A checkout file's bytes, opened without following links (sources/worktree.py)."""
    def chunks() -> Iterator[bytes]:
        with os.fdopen(open_beneath(root, os.fsencode(rel)), "rb") as fh:
            while chunk := fh.read(READ):
                yield chunk
    return chunks


def scan_big(ctx, template: ContentItem, opener: Opener) -> tuple[BigFile, list[Finding]]:
    """Scan a big file window by window; findings carry offsets and lines of the whole file."""
    big = BigFile(opener)
    first = next(iter(opener()), b"")           # a peek: the BOM and the binary sniff
    big.head = first[:BINARY_SNIFF]
    big.codec = next((c for c in WITH_BOM if first.startswith(c.bom)), None)
    try:
        return big, _scan(ctx, template, big)
    except UnicodeDecodeError:                  # not really UTF-16 after all: scan the bytes
        big.codec, big.spans = None, []
        return big, _scan(ctx, template, big)


def _scan(ctx, template: ContentItem, big: BigFile) -> list[Finding]:
    h = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for chunk in big.open():
            h.update(chunk)
            yield chunk

    view = _decode(hashed(), big.codec) if big.codec else hashed()
    found: list[Finding] = []
    for start, window, own_lo, own_hi, lines, line_start in windows(view):
        item = replace(template, data=window)
        for f in ctx.policy.decide(item, ctx.scanner.detect(item)):
            if not own_lo <= f.start < own_hi or (f.kind == "header" and start > 0):
                continue
            lo, hi = max(0, f.start - CONTEXT), min(len(window), f.end + CONTEXT)
            local = replace(f, start=f.start - lo, end=f.end - lo)
            if window.rfind(b"\n", 0, f.start) < 0:
                f.column = start + f.start - line_start + 1
            f.line += lines
            f.start, f.end = f.start + start, f.end + start
            big.spans.append((f, local, window[lo:hi]))
            found.append(f)
    big.digest = h.hexdigest()
    return found


def windows(chunks: Iterable[bytes], size: int = WINDOW, overlap: int = OVERLAP
            ) -> Iterator[tuple[int, bytes, int, int, int, int]]:
    """(window's offset, window, own region start, own region end, newlines
    before the window, offset where the window's first line starts)."""
    buf = bytearray()
    base = 0                # offset of buf[0]
    own = 0                 # start of the next region a window owns
    lines = 0               # newlines before base
    line_start = 0          # offset just after the last newline before base
    done = False
    it = iter(chunks)
    while True:
        while not done and len(buf) < own - base + size + overlap:
            chunk = next(it, None)
            if chunk is None:
                done = True
                break
            buf += chunk
        lo = max(0, own - overlap - base)
        hi = min(len(buf), own - base + size + overlap)
        nl = buf.rfind(b"\n", 0, lo)
        first_line = base + nl + 1 if nl >= 0 else line_start
        own_lo = own - base - lo
        yield base + lo, bytes(buf[lo:hi]), own_lo, own_lo + size, lines + buf.count(b"\n", 0, lo), first_line
        own += size
        if done and own - base >= len(buf):
            return
        drop = max(0, own - overlap - base)
        if drop:
            lines += buf.count(b"\n", 0, drop)
            nl = buf.rfind(b"\n", 0, drop)
            if nl >= 0:
                line_start = base + nl + 1
            del buf[:drop]
            base += drop


def splice(chunks: Iterable[bytes], reps: list[Replacement]) -> Iterator[bytes]:
    """The stream with each replacement's span swapped for its text, keeping
    the span's line count (and CRLF) as redact/rewrite.py does."""
    from .redact.rewrite import merge
    todo = merge(reps)
    pos = 0                  # offset of the next byte to come in
    k = 0
    newlines, crlf, prev_cr = 0, False, False
    for chunk in chunks:
        out = []
        i = 0
        n = len(chunk)
        while i < n:
            if k < len(todo) and pos + i >= todo[k].start:
                r = todo[k]
                take = min(n, r.end - pos) - i               # bytes of the span in this chunk
                part = chunk[i:i + take]
                newlines += part.count(b"\n")
                crlf = crlf or b"\r\n" in part or (prev_cr and part[:1] == b"\n")
                prev_cr = part[-1:] == b"\r" if part else prev_cr
                i += take
                if pos + i >= r.end:                         # the span is over: emit its text
                    text = r.text
                    missing = newlines - text.count(b"\n") if r.keep_lines else 0
                    out.append(text + (b"\r\n" if crlf else b"\n") * max(0, missing))
                    newlines, crlf, prev_cr = 0, False, False
                    k += 1
                continue
            stop = min(n, todo[k].start - pos) if k < len(todo) else n
            out.append(chunk[i:stop])
            i = stop
        pos += n
        if out:
            yield b"".join(out)


def _decode(chunks: Iterable[bytes], codec: Codec) -> Iterator[bytes]:
    dec = codecs.getincrementaldecoder(codec.name)()
    skip = len(codec.bom)
    for chunk in chunks:
        if skip:
            cut = min(skip, len(chunk))
            chunk, skip = chunk[cut:], skip - cut
        yield dec.decode(chunk).encode("utf-8")
    yield dec.decode(b"", final=True).encode("utf-8")


def _encode(chunks: Iterable[bytes], codec: Codec) -> Iterator[bytes]:
    dec = codecs.getincrementaldecoder("utf-8")()
    enc = codecs.getincrementalencoder(codec.name)()
    yield codec.bom
    for chunk in chunks:
        yield enc.encode(dec.decode(chunk))
    yield enc.encode(dec.decode(b"", final=True), final=True)
