"""`reposcrub scan`: find everything in HEAD (or the checkout) and in history.

The HEAD pass and the history pass share one scanner; history blobs that are
also in HEAD are not read twice, and findings that repeat a HEAD value or
repeat one another are reported once.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from .bigfiles import STREAM_OVER, BigFile, blob_opener, file_opener, scan_big
from .context import RunContext
from .model import Action, ContentItem, FileOutcome, Finding, Origin, RunResult
from .pathmask import mask_secret_paths
from .paths import scan_paths
from .progress import Progress
from . import workers
from .sources import history, textview
from .sources.textview import Codec
from .sources.worktree import (TreeEntry, as_item, is_binary, list_tree, list_worktree,
                               read_entries, read_worktree)


@dataclass
class HeadFile:
    entry: TreeEntry
    data: Optional[bytes]            # None: not read (submodule, too large, missing)
    findings: list[Finding]
    skip_reason: str = ""
    codec: Optional[Codec] = None    # data is the UTF-8 view of a UTF-16/32 file (sources/textview.py)
    big: Optional[BigFile] = None    # too big to hold: read as a stream (bigfiles.py); data is None

    @property
    def binary(self) -> bool:
        if self.big is not None:
            return self.big.binary
        return self.data is not None and self.codec is None and is_binary(self.data)

    @property
    def head(self) -> bytes:
        """The file's first bytes (magic numbers), whether it is held or streamed."""
        return self.big.head if self.big is not None else (self.data or b"")

    def encoded(self, data: bytes) -> bytes:
        """Bytes to write for (rewritten) data: back in the file's own encoding."""
        return self.codec.from_view(data) if self.codec else data


def list_head(ctx: RunContext, result: RunResult, worktree: bool = False) -> list[TreeEntry]:
    """Every entry of HEAD (or the checkout) in path order, not read yet."""
    entries = list_worktree(ctx.repo) if worktree else list_tree(ctx.repo, result.head)
    entries.sort(key=lambda e: e.path.encode("utf-8", "surrogateescape"))
    return entries


def head_files(ctx: RunContext, result: RunResult, worktree: bool = False,
               progress: Optional[Progress] = None,
               entries: Optional[list[TreeEntry]] = None,
               known: Optional[dict[str, list[Finding]]] = None) -> Iterator[HeadFile]:
    """Every entry of HEAD (or the checkout) in path order, scanned (`known`:
    findings the workers already made for some paths, see findings_on_workers)."""
    repo = ctx.repo
    if entries is None:
        entries = list_head(ctx, result, worktree)
    held = min(ctx.profile.max_size, STREAM_OVER)      # bigger files are streamed, never held
    if worktree:
        reader = read_worktree(repo, entries, held)
    else:
        reader = read_entries(repo, entries, held)
    contents = dict()
    origin = Origin.WORKTREE if worktree else Origin.HEAD
    it = iter(reader)
    for entry in entries:
        if entry.is_submodule:
            yield HeadFile(entry, None, [], "submodule (not followed)")
            continue
        e, data = next(it)
        if data is None and held < e.size <= ctx.profile.max_size and not e.is_symlink:
            opener = (file_opener(os.fsencode(repo.work_tree), e.path) if worktree
                      else blob_opener(repo, e.oid))
            big, findings = scan_big(ctx, as_item(e, b"", origin), opener)
            result.blobs_scanned += 1
            result.bytes_scanned += e.size
            if progress:
                progress.advance(1, e.size)
            yield HeadFile(e, None, findings, big=big)
            continue
        if data is None:
            reason = (f"larger than the size limit ({e.size} > {ctx.profile.max_size} bytes)"
                      if e.size > ctx.profile.max_size else "object missing from the repository")
            yield HeadFile(e, None, [], reason)
            continue
        size = len(data)
        data, codec = textview.view(data)
        item = as_item(e, data, origin)
        findings = known.get(e.path) if known is not None else None
        if findings is None:
            findings = ctx.policy.decide(item, ctx.scanner.detect(item))
        result.blobs_scanned += 1
        result.bytes_scanned += size
        if progress:
            progress.advance(1, size)
        yield HeadFile(e, data, findings, codec=codec)
    del contents


def scan_history(ctx: RunContext, result: RunResult, head_oids: set[str],
                 progress: Optional[Progress] = None, revs: Iterable[str] = ("--all",),
                 pool: Optional[workers.Pool] = None,
                 stream: Optional[history.BlobStream] = None) -> list[Finding]:
    """Findings in blobs only history holds, and in commit messages, each with
    the commit that introduced it, oldest first.

    The blobs stream from one `rev-list` walk (which also names each blob's
    first commit; pass it started to overlap its walk with the HEAD pass) to
    worker processes (reposcrub/workers.py)."""
    if pool is None:
        with new_pool(ctx) as own:
            return scan_history(ctx, result, head_oids, progress, revs, own, stream)
    return _history_pass(ctx, result, head_oids, progress, revs, pool, stream)[0]


def scan_head_and_history(ctx: RunContext, result: RunResult, entries: list[TreeEntry],
                          progress: Optional[Progress], pool: workers.Pool, stream: history.BlobStream
                          ) -> tuple[list[Finding], list[Finding]]:
    """scan_head and then scan_history, as one pass of the workers: (HEAD's
    findings, history's); skipped files are listed HEAD's first, as if the
    passes had run one after the other."""
    mark = len(result.skipped)
    past, head = _history_pass(ctx, result, {e.oid for e in entries}, progress, ["--all"], pool, stream,
                               workers.head_jobs(entries, pool.n))
    found, skipped = _head_outcome(result, entries, head)
    result.skipped[mark:mark] = skipped
    return found, past


def _history_pass(ctx: RunContext, result: RunResult, head_oids: set[str], progress: Optional[Progress],
                  revs: Iterable[str], pool: workers.Pool, stream: Optional[history.BlobStream],
                  head_jobs: list[workers.Job] = ()) -> tuple[list[Finding], workers.HistoryScan]:
    revs = list(revs)
    stream = stream or history.BlobStream(ctx.repo, revs)
    todo = (b for b in stream if b[0] not in head_oids)
    with (progress.task("history", None) if progress else _null()) as bar:
        scanned, head = workers.scan_history_blobs(
            pool, todo, revs, advance=bar.advance if bar else None,
            on_start=bar.start if bar else None, on_listed=bar.set_total if bar else None,
            head_jobs=head_jobs)
    result.blobs_scanned += scanned.blobs
    result.bytes_scanned += scanned.bytes
    result.skipped.extend(scanned.skipped)
    result.missing_objects = sorted(set(result.missing_objects) | set(stream.missing) | set(scanned.missing))
    return scanned.findings, head


def new_pool(ctx: RunContext, history: bool = True) -> workers.Pool:
    if history:
        ctx.scanner.engine_for(Origin.HISTORY)   # made before the workers fork, so they share it
    return workers.Pool(workers.WorkerSpec.from_context(ctx), ctx.jobs or workers.default_jobs())


def scan_head(ctx: RunContext, result: RunResult, entries: list[TreeEntry], pool: workers.Pool
              ) -> tuple[list[Finding], list[FileOutcome]]:
    """HEAD's findings and skipped files, in path order, like head_files but on
    the workers when HEAD is big enough to be worth them (the contents stay
    there: a scan needs only the findings)."""
    jobs = workers.head_jobs(entries, pool.n)
    return _head_outcome(result, entries, pool.run(jobs, len(jobs) > 1 and workers.head_on_workers(entries)))


def findings_on_workers(ctx: RunContext, entries: list[TreeEntry]) -> Optional[dict[str, list[Finding]]]:
    """Findings of HEAD's files held in memory, made on the workers, by path;
    None when HEAD is too small to be worth them.  For scrub, which needs
    every file's bytes in this process to write them: the workers find, this
    process rereads the blobs (cheap next to detection) and writes."""
    held = min(ctx.profile.max_size, STREAM_OVER)
    small = [e for e in entries if not e.is_submodule and 0 <= e.size <= held]
    n = ctx.jobs or workers.default_jobs()
    if n < 2 or not workers.head_on_workers(small):
        return None
    jobs = workers.head_jobs(small, n)
    with new_pool(ctx, history=False) as pool:
        return dict(workers.findings_by_file(jobs, pool.results(jobs, parallel=True)))


def _head_outcome(result: RunResult, entries: list[TreeEntry], scanned: workers.HistoryScan
                  ) -> tuple[list[Finding], list[FileOutcome]]:
    result.blobs_scanned += scanned.blobs
    result.bytes_scanned += scanned.bytes
    skipped = [FileOutcome(e.path, "skipped", None, "submodule (not followed)") for e in entries if e.is_submodule]
    order = {e.path: i for i, e in enumerate(entries)}
    return scanned.findings, sorted(skipped + scanned.skipped, key=lambda o: order[o.path])


def collapse(head: list[Finding], past: list[Finding]) -> list[Finding]:
    """History repeats itself: report a history value once per path, and not at
    all when HEAD still holds it (the HEAD finding covers it)."""
    in_head = {f.fingerprint for f in head}
    seen: set[tuple[str, str]] = set()
    out = []
    for f in past:
        key = (f.fingerprint, f.path)
        if f.fingerprint in in_head or key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def run_scan(ctx: RunContext, with_history: bool = True, worktree: bool = False,
             progress: Optional[Progress] = None, walk: Optional[history.BlobStream] = None) -> RunResult:
    """`walk`: the history listing, if the caller started it already (cli.scan does,
    before the rules load)."""
    repo = ctx.repo
    result = RunResult(path=str(repo.work_tree or repo.git_dir), head=repo.head(), mode="scan")
    refs = RefCount(repo)
    if with_history:
        result.refs_scanned = refs.result()
    result.notes.extend(ctx.notes)
    head_findings: list[Finding] = []
    head_oids: set[str] = set()
    walk = walk or history.BlobStream(ctx.repo)
    if with_history and result.refs_scanned:
        walk.start()                       # git walks the commits while we scan HEAD
    with refs, new_pool(ctx, with_history) as pool, walk:
        past: list[Finding] = []
        history_next = with_history and result.refs_scanned > 0
        if result.head or worktree:
            entries = list_head(ctx, result, worktree)
            if worktree:
                for hf in head_files(ctx, result, worktree, progress, entries):
                    head_findings.extend(hf.findings)
                    if hf.skip_reason:
                        result.skipped.append(FileOutcome(hf.entry.path, "skipped", None, hf.skip_reason))
            elif history_next:                 # one pass: HEAD's jobs first, then history's
                found, past = scan_head_and_history(ctx, result, entries, progress, pool, walk)
                head_findings.extend(found)
                history_next = False
            else:
                found, skipped = scan_head(ctx, result, entries, pool)
                head_findings.extend(found)
                result.skipped.extend(skipped)
            head_oids = {e.oid for e in entries}
            for found in scan_paths(ctx, [e.path for e in entries]).values():
                head_findings.extend(found)
        else:
            result.notes.append("repository has no commits on HEAD")
        if history_next:
            past = scan_history(ctx, result, head_oids, progress, pool=pool, stream=walk)
        past = collapse(head_findings, past)
        result.refs_scanned = refs.result()
    result.findings = head_findings + past
    mask_secret_paths(ctx, result)
    return result


class RefCount:
    """How many refs the repository has, counted by a git started now and read
    when wanted: a HEAD scan reports it, and on a mirror with 50,000 refs
    counting them took 35 ms that can pass while HEAD is scanned."""

    def __init__(self, repo) -> None:
        self._proc = repo.popen(["for-each-ref", "--format=%(refname)"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        self._count: Optional[int] = None

    def result(self) -> int:
        if self._count is None:
            out = self._proc.stdout
            self._count = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 16), b""))
            self._proc.wait()
        return self._count

    def __enter__(self) -> "RefCount":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.stdout.close()
        self._proc.wait()


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


def failing(findings: Iterable[Finding], levels: tuple[str, ...] = ("high", "medium")) -> list[Finding]:
    return [f for f in findings if f.action is not Action.ALLOWED and f.confidence in levels]
