"""Scan history on every core, merged as if one process had done it all.

Git inflating blobs and the engine reading them are the whole cost of a
history scan, and both scale with cores when the blob stream is dealt out in
small jobs to shared-nothing worker processes, each with its own
`git cat-file --batch` and its own engine.  Under fork (Linux) a worker
inherits the parent's compiled rules and starts in milliseconds; under spawn
it rebuilds them from the rule set (the hyperscan database comes from the
on-disk cache).  Jobs go to whichever worker is free, so a worker that drew
big blobs simply takes fewer jobs.

A worker sends back findings (values stay inside Finding.value; everything
printable is masked) and counts, never blob contents.  The parent files
results by job number, so the report is the same byte for byte whatever the
number of workers or the order they finish in.
"""
from __future__ import annotations

import bisect
import gc
import itertools
import multiprocessing
import os
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from .bigfiles import STREAM_OVER, blob_opener, scan_big
from .detect import Scanner
from .detect.lowsignal import low_signal
from .model import ContentItem, FileOutcome, Finding, Origin
from .sources import textview
from .sources.catfile import CatFile
from .sources.gitrepo import GitRepo, InputError
from .sources.history import HistoryBlob, commit_messages, message_item

JOB_BLOBS = 256            # blobs per job: small enough to balance, big enough to cost nothing to deal
JOBS_PER_WORKER = 8        # HEAD: jobs per worker, sized by bytes (see head_jobs)
MIN_JOB_BYTES = 64 << 10
MAX_JOB_BYTES = 4 << 20
PARALLEL_HEAD_BYTES = 8 << 20   # a smaller HEAD is scanned in this process (see head_on_workers)
IN_FLIGHT = 2              # jobs a worker holds: one scanning, one queued at its git
MESSAGE_BATCH = 1 << 20    # commit messages are matched a megabyte at a time
MESSAGE_SEP = b"\n\0\n"    # between messages in a batch: no rule's value spans it
Progress = Callable[[int, int], None]   # (blobs, bytes) done


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Job:
    seq: int
    blobs: list[HistoryBlob] = field(default_factory=list)   # (oid, path, commit)
    revs: Optional[list[str]] = None   # set: scan the messages of these commits instead
    origin: Origin = Origin.HISTORY    # HEAD: files of the snapshot (no filter, reasons per file)
    modes: Optional[list[str]] = None  # HEAD: each file's mode


@dataclass
class JobResult:
    seq: int
    listed: int = 0            # objects the job named (progress counts these)
    messages: bool = False
    head: bool = False         # a job of HEAD's files (dealt ahead of history's, reported apart)
    per_blob: list[int] = field(default_factory=list)   # HEAD: where each file's findings start
    findings: list[Finding] = field(default_factory=list)
    blobs: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)

    def key(self) -> tuple[bool, int]:
        return self.messages, self.seq   # blobs in stream order, then messages


@dataclass
class HistoryScan:
    """All jobs' results, in stream order."""

    findings: list[Finding] = field(default_factory=list)
    blobs: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)

    @classmethod
    def merge(cls, results: Iterable[JobResult]) -> "HistoryScan":
        out = cls()
        for r in sorted(results, key=JobResult.key):
            out.findings.extend(r.findings)
            out.blobs += r.blobs
            out.bytes += r.bytes
            out.missing.extend(r.missing)
            out.skipped.extend(r.skipped)
        return out


@dataclass
class WorkerSpec:
    """Everything a worker needs.  Pickled for spawn without the live scanner
    (hyperscan databases do not pickle); the worker rebuilds it."""

    git_dir: str
    ruleset: object
    key: bytes
    profile: object
    policy: object
    max_size: Optional[int]
    scanner: Optional[Scanner] = None

    @classmethod
    def from_context(cls, ctx) -> "WorkerSpec":
        return cls(str(ctx.repo.git_dir), ctx.ruleset, ctx.key, ctx.profile, ctx.policy,
                   ctx.profile.max_size, ctx.scanner)

    def __getstate__(self):
        return {**self.__dict__, "scanner": None}

    def worker(self) -> "BlobWorker":
        scanner = self.scanner or Scanner(self.ruleset, self.key, self.profile)
        return BlobWorker(scanner, self.policy, GitRepo(Path(self.git_dir), None), self.max_size)


class BlobWorker:
    """Scans jobs in one process: its own cat-file, detection, policy."""

    def __init__(self, scanner: Scanner, policy, repo: GitRepo, max_size: Optional[int]):
        self.scanner, self.policy, self.repo, self.max_size = scanner, policy, repo, max_size
        self._cat: Optional[CatFile] = None

    def submit(self, job: Job) -> None:
        """Queue the job's objects at git, so it inflates them while we scan the previous job."""
        if job.blobs:
            if self._cat is None:
                held = min(self.max_size, STREAM_OVER) if self.max_size is not None else STREAM_OVER
                self._cat = CatFile(self.repo, held)      # bigger blobs are streamed (bigfiles.py)
            self._cat.request(oid for oid, _, _ in job.blobs)

    def finish(self, job: Job) -> JobResult:
        if job.revs is not None:
            return self._messages(job)
        head = job.origin is not Origin.HISTORY
        res = JobResult(job.seq, listed=len(job.blobs), head=head)
        for k, (oid, path, commit) in enumerate(job.blobs):
            if head:
                res.per_blob.append(len(res.findings))
            _, data, size, kind = self._cat.read()
            mode = job.modes[k] if job.modes else "100644"
            if data is None:
                if kind == "blob" and (self.max_size is None or size <= self.max_size):
                    res.blobs += 1      # too big to hold, not too big to scan: a stream (bigfiles.py)
                    res.bytes += size
                    item = ContentItem(path, b"", job.origin, oid, commit, mode)
                    res.findings.extend(scan_big(self, item, blob_opener(self.repo, oid))[1])
                elif head:
                    res.skipped.append(FileOutcome(path, "skipped", None, _head_skip(kind, size, self.max_size)))
                elif kind == "missing":
                    res.missing.append(oid)
                elif kind == "blob":
                    res.skipped.append(FileOutcome(path, "skipped", None,
                                                   f"history blob {oid[:12]} larger than the size limit ({size} bytes)"))
                continue            # (or a tree the listing could not tell from a blob)
            res.blobs += 1
            res.bytes += size
            text = textview.view(data)[0]     # UTF-16/32 scanned as text, as everywhere
            res.findings.extend(self._detect(ContentItem(path, text, job.origin, oid, commit, mode)))
        return res

    def _detect(self, item: ContentItem) -> list[Finding]:
        findings = self.policy.decide(item, self.scanner.detect(item))
        if findings and item.origin is Origin.HISTORY and low_signal(item.path, item.data):
            findings = [f for f in findings if not f.rule.startswith("generic")]
        return findings

    def _messages(self, job: Job) -> JobResult:
        res = JobResult(job.seq, messages=True)
        batch: list[tuple[str, bytes]] = []
        size = 0
        for msg in commit_messages(self.repo, job.revs):
            batch.append(msg)
            size += len(msg[1]) + len(MESSAGE_SEP)
            if size >= MESSAGE_BATCH:
                res.findings.extend(self._message_batch(batch))
                batch, size = [], 0
        res.findings.extend(self._message_batch(batch))
        return res

    def _message_batch(self, batch: list[tuple[str, bytes]]) -> Iterator[Finding]:
        """One engine pass over many (commit, message); full detection only for
        the messages in which some rule's match may end."""
        if not batch:
            return
        starts, pos = [], 0
        for _, message in batch:
            starts.append(pos)
            pos += len(message) + len(MESSAGE_SEP)
        ends = self.scanner.engine_for(Origin.MESSAGE).possible_ends(MESSAGE_SEP.join(m for _, m in batch))
        if ends is None:
            chosen = range(len(batch))
        else:
            chosen = sorted({bisect.bisect_right(starts, e - 1) - 1 for e in ends if e > 0})
        for k in chosen:
            item = message_item(*batch[k])
            yield from self.policy.decide(item, self.scanner.detect(item))

    def close(self) -> None:
        if self._cat is not None:
            self._cat.close()
            self._cat = None


def _head_skip(kind: str, size: int, max_size: Optional[int]) -> str:
    """Why a HEAD file was not read: the words scanning.head_files uses."""
    if kind == "missing":
        return "object missing from the repository"
    return f"larger than the size limit ({size} > {max_size} bytes)"


def chunked(blobs: Iterable[HistoryBlob], size: int = JOB_BLOBS) -> Iterator[list[HistoryBlob]]:
    chunk: list[HistoryBlob] = []
    for b in blobs:
        chunk.append(b)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Pool:
    """Worker processes alive across the passes of one run (HEAD, then history),
    forked on the first pass that is worth it; a small pass runs right here."""

    def __init__(self, spec: WorkerSpec, n: int):
        self.spec, self.n = spec, n
        self._procs: list = []
        self._conns: list = []

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, kind, *exc) -> None:
        self.close(abort=kind is not None)

    def run(self, jobs: Iterable[Job], parallel: bool, advance: Optional[Progress] = None,
            on_start: Optional[Callable[[], None]] = None) -> HistoryScan:
        """Every job's result, merged in job order.  `on_start` runs once the
        workers exist (a progress bar's thread must not be alive at a fork)."""
        return HistoryScan.merge(self.results(jobs, parallel, advance, on_start))

    def results(self, jobs: Iterable[Job], parallel: bool, advance: Optional[Progress] = None,
                on_start: Optional[Callable[[], None]] = None) -> list[JobResult]:
        """Every job's result, in the order they came (run() merges them)."""
        if parallel and self.n > 1 and not self._conns:
            self._start()
        if on_start:
            on_start()
        if self._conns and parallel:
            return _deal(iter(jobs), self._conns, advance)
        return _scan_inline(self.spec, jobs, advance)

    def _start(self) -> None:
        """Fork the workers with everything made so far frozen out of the garbage
        collector's sight (gc.freeze): a worker's collections then never walk, and
        so never copy, the pages of the rules and engine it inherits."""
        ctx = multiprocessing.get_context(_start_method())
        gc.freeze()
        try:
            for _ in range(self.n):
                parent, child = ctx.Pipe()
                p = ctx.Process(target=_worker_main, args=(child, self.spec), daemon=True)
                p.start()
                child.close()
                self._procs.append(p)
                self._conns.append(parent)
        except BaseException:
            self.close(abort=True)
            raise
        finally:
            gc.unfreeze()             # (this process collects as before)

    def close(self, abort: bool = False) -> None:
        """Let the workers finish and exit; on an error or Ctrl-C, stop them now."""
        for c in self._conns:
            try:
                c.send(None)
            except (OSError, ValueError):
                pass
        for p in self._procs:
            p.join(timeout=0 if abort else 5)
            if p.is_alive():
                p.kill()
                p.join()
        for c in self._conns:
            c.close()
        self._procs, self._conns = [], []


def head_jobs(entries: list, workers: int = 1) -> list[Job]:
    """HEAD's files (TreeEntry, submodules left out) as jobs of consecutive
    paths (so results in job order are in path order), about equal in bytes,
    some JOBS_PER_WORKER for each worker, and listed biggest first: the
    workers finish together instead of one waiting on a last heavy job
    (rails' HEAD in 256-file jobs left one worker idle for 0.3 s of 1.0)."""
    files = [e for e in entries if not e.is_submodule]
    total = sum(max(e.size, 0) for e in files)
    budget = min(max(total // (workers * JOBS_PER_WORKER), MIN_JOB_BYTES), MAX_JOB_BYTES)
    parts: list[list] = [[]]
    size = 0
    for e in files:
        if parts[-1] and (size >= budget or len(parts[-1]) >= JOB_BLOBS):
            parts.append([])
            size = 0
        parts[-1].append(e)
        size += max(e.size, 0)
    jobs = [Job(seq, [(e.oid, e.path, None) for e in part], origin=Origin.HEAD, modes=[e.mode for e in part])
            for seq, part in enumerate((p for p in parts if p), 1)]
    weight = {j.seq: sum(max(e.size, 0) for e in part) for j, part in zip(jobs, parts)}
    return sorted(jobs, key=lambda j: -weight[j.seq])


def findings_by_file(jobs: list[Job], results: list[JobResult]) -> Iterator[tuple[str, list[Finding]]]:
    """(path, findings) of every file of HEAD jobs, an archive's members'
    findings with the archive's, told apart by position rather than by path."""
    by_seq = {r.seq: r for r in results}
    for job in jobs:
        res = by_seq[job.seq]
        bounds = [*res.per_blob, len(res.findings)]
        for k, (_, path, _) in enumerate(job.blobs):
            yield path, res.findings[bounds[k]:bounds[k + 1]]


def head_on_workers(entries: list) -> bool:
    """Is HEAD big enough to be worth the workers?  Below PARALLEL_HEAD_BYTES
    starting them (and each one's first use of the engine) costs about what
    it saves: flask's 1.8 MB HEAD took 0.21 CPU s in one process, 0.25 on two.
    REPOSCRUB_PARALLEL_HEAD_BYTES moves the line (tests set 0 to have every
    HEAD on the workers)."""
    line = int(os.environ.get("REPOSCRUB_PARALLEL_HEAD_BYTES", PARALLEL_HEAD_BYTES))
    return sum(max(e.size, 0) for e in entries if not e.is_submodule) >= line


def scan_history_blobs(pool: Pool, blobs: Iterable[HistoryBlob], revs: list[str],
                       advance: Optional[Progress] = None,
                       on_start: Optional[Callable[[], None]] = None,
                       on_listed: Optional[Callable[[int], None]] = None,
                       head_jobs: Sequence[Job] = ()) -> tuple[HistoryScan, HistoryScan]:
    """Scan every (oid, path, commit) of `blobs` and the messages of `revs'`
    commits; (history, HEAD).

    `head_jobs` (head_jobs()) are dealt first in the same pass: HEAD's files
    go to the workers while git is still walking the history, and no worker
    waits at the end of HEAD for another to finish its last job.
    `on_listed(n)` runs once the stream has ended and its length is known."""
    chunks = chunked(blobs)
    first: list[list[HistoryBlob]] = []
    if len(head_jobs) < 2:       # one job or less is not worth a process: look at what comes
        first = [c for c in (next(chunks, None), next(chunks, None)) if c]
    jobs = itertools.chain(head_jobs, _jobs(first, chunks, revs, on_listed))
    results = pool.results(jobs, len(first) + len(head_jobs) > 1, advance, on_start)
    return (HistoryScan.merge(r for r in results if not r.head),
            HistoryScan.merge(r for r in results if r.head))


def _jobs(head, chunks, revs, on_listed) -> Iterator[Job]:
    """The messages job first (the longest single job), then the blob jobs."""
    yield Job(0, revs=list(revs))
    count = 0
    for seq, chunk in enumerate(itertools.chain(head, chunks), 1):
        yield Job(seq, chunk)
        count += len(chunk)
    if on_listed:
        on_listed(count)


def _scan_inline(spec: WorkerSpec, jobs: Iterable[Job], advance) -> list[JobResult]:
    worker = spec.worker()
    results: list[JobResult] = []
    try:
        pending: Optional[Job] = None
        for job in jobs:
            worker.submit(job)
            if pending is not None:
                results.append(_done(worker.finish(pending), advance))
            pending = job
        if pending is not None:
            results.append(_done(worker.finish(pending), advance))
    finally:
        worker.close()
    return results


def _done(res: JobResult, advance: Optional[Progress]) -> JobResult:
    if advance and not res.messages and not res.head:
        advance(res.listed, res.bytes)
    return res


def _start_method() -> str:
    want = os.environ.get("REPOSCRUB_START_METHOD")
    if want:
        return want
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _deal(jobs: Iterator[Job], conns: list, advance) -> list[JobResult]:
    """Keep every worker IN_FLIGHT jobs deep; collect results as they come."""
    results: list[JobResult] = []
    held = {c: 0 for c in conns}
    more = True
    while True:
        for c in conns:
            while more and held[c] < IN_FLIGHT:
                job = next(jobs, None)
                if job is None:
                    more = False
                    for each in conns:
                        each.send(_FLUSH)    # finish what you hold
                    break
                c.send(job)
                held[c] += 1
        busy = [c for c in conns if held[c]]
        if not busy:
            return results
        for c in wait(busy):
            try:
                msg = c.recv()
            except EOFError:
                raise InputError("a history scan worker died unexpectedly") from None
            if isinstance(msg, str):
                raise InputError(msg)
            held[c] -= 1
            results.append(_done(msg, advance))


_FLUSH = "flush"          # to a worker: finish the job you hold (the pass is over); None: exit


def _worker_main(conn, spec: WorkerSpec) -> None:
    """A worker's life: receive jobs, queue each at git before scanning the one
    before it, send results; a flush finishes the held job (the pass is over),
    None ends the worker.  Ctrl-C is the parent's to handle."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = None
    try:
        worker = spec.worker()
        pending: Optional[Job] = None
        while True:
            job = conn.recv()
            if isinstance(job, Job):
                worker.submit(job)
            if pending is not None:
                conn.send(worker.finish(pending))
                pending = None
            if job is None:
                break
            if isinstance(job, Job):
                pending = job
    except InputError as exc:
        _say(conn, str(exc))
    except (EOFError, BrokenPipeError):
        pass                      # the parent is gone: nothing to report to
    except BaseException as exc:  # a bug: tell the parent rather than hang it
        _say(conn, f"history scan worker failed: {type(exc).__name__}: {exc}")
    finally:
        if worker is not None:
            worker.close()


def _say(conn, message: str) -> None:
    try:
        conn.send(message)
    except (OSError, ValueError):
        pass
