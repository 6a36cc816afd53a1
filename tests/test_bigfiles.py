"""Files too big to hold are scanned and scrubbed as streams, not dropped.

The window and splice machinery is checked against the in-memory rewriter on
random inputs (hypothesis); end to end, a file just over the streaming
threshold carries secrets on both sides of every window boundary, in HEAD and
in history, into every snapshot format.  Peak memory on a ~200 MB file is
measured by bench/memory.py, not here.
"""
from __future__ import annotations

import hashlib
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import fake, git, run_cli
from strategies import replacements
from reposcrub.bigfiles import OVERLAP, STREAM_OVER, WINDOW, BigFile, splice, windows
from reposcrub.redact.rewrite import apply
from reposcrub.sources.gitrepo import InputError


def cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    return [data[a:b] for a, b in zip([0] + points, points + [len(data)])]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=3000).map(lambda b: b.replace(b"\x00", b"\n")),
       cuts=st.lists(st.integers(0, 3000), max_size=12),
       size=st.integers(1, 300), overlap=st.integers(0, 60))
def test_windows_own_every_byte_once_and_know_their_lines(data, cuts, size, overlap):
    owned = []
    for start, window, lo, hi, lines, line_start in windows(cut(data, cuts), size, overlap):
        assert window == data[start:start + len(window)]
        assert lines == data.count(b"\n", 0, start)
        assert line_start == data.rfind(b"\n", 0, start) + 1
        assert lo >= min(overlap, start) and len(window) >= min(hi + overlap, len(data) - start)
        owned.extend(range(start + lo, min(start + hi, len(data))))
    assert owned == list(range(len(data)))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(min_size=1, max_size=2000).flatmap(
    lambda d: st.tuples(st.just(d), replacements(len(d), 50), st.lists(st.integers(0, len(d)), max_size=10))))
def test_splicing_a_stream_equals_rewriting_the_whole(data):
    blob, reps, cuts = data
    assert b"".join(splice(cut(blob, cuts), reps)) == apply(blob, reps)


def test_a_file_that_changes_between_reads_stops_the_run():
    digest = hashlib.sha256(b"first version").hexdigest()
    changed = BigFile(lambda: iter([b"second ", b"version"]), digest=digest)
    with pytest.raises(InputError, match="changed while"):
        b"".join(changed.plain())
    same = BigFile(lambda: iter([b"first ", b"version"]), digest=digest)
    assert b"".join(same.plain()) == b"first version"


# -- end to end ---------------------------------------------------------------

def boundary_positions(size: int) -> list[int]:
    """Just before, on and after each window edge, and the overlap's edges."""
    out = [10]
    for k in range(1, size // WINDOW + 1):
        edge = k * WINDOW
        out += [edge - 30, edge - 1, edge + 7, edge + OVERLAP - 10]
    return [p for p in out if p < size - 100]


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory):
    from conftest import RepoBuilder
    repo = RepoBuilder(tmp_path_factory.mktemp("big") / "repo")
    line = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n"
    size = STREAM_OVER + WINDOW // 2
    body = bytearray(line * (size // len(line)))
    secrets = []
    for n, pos in enumerate(sorted(boundary_positions(len(body)), reverse=True)):
        secret = fake("AKIA{{[A-Z2-7]:16}}", f"big-{n}")
        secrets.append(secret)
        body[pos:pos] = f"key={secret}\n".encode()
    old = fake("AKIA{{[A-Z2-7]:16}}", "big-history")
    repo.commit({"data/old.log": bytes(body) + f"key={old}\n".encode()}, "history")
    repo.commit({"data/old.log": None, "data/huge.txt": bytes(body), "small.txt": "small\n"}, "head")
    return repo, bytes(body), secrets, old


def expected(body: bytes, secrets: list[str]) -> bytes:
    order = sorted(secrets, key=lambda s: body.index(s.encode()))
    for n, secret in enumerate(order, 1):
        body = body.replace(secret.encode(), f"REDACTED-aws-access-key-{n}".encode())
    return body


@pytest.mark.parametrize("fmt", ["snap", "snap.tar.gz", "snap.zip"])
def test_a_big_file_is_scrubbed_as_a_stream_in_every_format(big_repo, tmp_path, fmt):
    repo, body, secrets, old = big_repo
    dest = tmp_path / fmt
    proc = run_cli("scrub", str(repo.path), "--out", str(dest))
    assert proc.returncode == 0, proc.stderr.decode()
    if fmt == "snap":
        out = (dest / "data" / "huge.txt").read_bytes()
    elif fmt == "snap.tar.gz":
        out = tarfile.open(dest).extractfile("snap/data/huge.txt").read()
    else:
        out = zipfile.ZipFile(dest).read("snap/data/huge.txt")
    assert out == expected(body, secrets)
    rep = json.loads(Path(f"{dest}.report.json").read_text())
    head = [f for f in rep["findings"] if f["path"] == "data/huge.txt"]
    assert len(head) == len(secrets)
    by_tail = {s[-4:]: s for s in secrets}
    assert len(by_tail) == len(secrets)
    for f in head:                          # line and column in the whole file, not in a window
        at = body.index(by_tail[f["preview"][-4:]].encode())
        assert (f["line"], f["column"]) == (body.count(b"\n", 0, at) + 1, at - body.rfind(b"\n", 0, at))
    assert any(f["path"] == "data/old.log" and f["commit"] for f in rep["findings"])   # history, streamed
    assert run_cli("verify", str(dest)).returncode == 0


def test_scan_streams_big_files_in_head_and_history(big_repo):
    repo, body, secrets, old = big_repo
    proc = run_cli("scan", str(repo.path), "--format", "json")
    assert proc.returncode == 1, proc.stderr.decode()
    rep = json.loads(proc.stdout)
    assert rep["skipped"] == []
    assert len([f for f in rep["findings"] if f["path"] == "data/huge.txt"]) == len(secrets)
    assert [f["preview"] for f in rep["findings"] if f["path"] == "data/old.log"] == [f"{old[:4]}…{old[-4:]}"]


def test_a_big_binary_with_a_secret_is_dropped_and_a_clean_one_kept(repo, tmp_path):
    clean = bytes(range(256)) * ((STREAM_OVER // 256) + 10)
    dirty = bytearray(clean)
    dirty[STREAM_OVER:STREAM_OVER] = f" key={fake('AKIA{{[A-Z2-7]:16}}', 'bigbin')} ".encode()
    repo.commit({"clean.bin": clean, "dirty.bin": bytes(dirty)})
    dest = tmp_path / "snap"
    proc = run_cli("scrub", str(repo.path), "--out", str(dest), "--no-history")
    assert proc.returncode == 0, proc.stderr.decode()
    assert (dest / "clean.bin").read_bytes() == clean
    assert not (dest / "dirty.bin").exists()


def test_max_size_still_skips_and_reports(repo, tmp_path):
    repo.commit({"a.txt": "x" * 5000 + "\n", "b.txt": "small\n"})
    dest = tmp_path / "snap"
    proc = run_cli("scrub", str(repo.path), "--out", str(dest), "--max-size", "1000")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = {f["path"]: f for f in json.loads(Path(f"{dest}.report.json").read_text())["files"]}
    assert rows["a.txt"]["status"] == "dropped" and "size limit" in rows["a.txt"]["reason"]
    assert git(repo.path, "rev-parse", "HEAD")                 # (the repository is untouched)


def test_hooks_stream_big_staged_files_too(repo, tmp_path):
    secret = fake("AKIA{{[A-Z2-7]:16}}", "staged-big")
    repo.commit({"a.txt": "a\n"})
    big = b"filler line\n" * (STREAM_OVER // 12 + 1000) + f"key={secret}\n".encode()
    (repo.path / "dump.sql").write_bytes(big)
    git(repo.path, "add", "dump.sql")
    proc = run_cli("scan", str(repo.path), "--staged", "--format", "json")
    assert proc.returncode == 1, proc.stderr.decode()
    assert [f["path"] for f in json.loads(proc.stdout)["findings"]] == ["dump.sql"]
    hook = run_cli("hook", "run", "dump.sql", cwd=repo.path)     # the pre-commit framework's way
    assert hook.returncode == 1 and b"dump.sql" in hook.stderr, hook.stderr.decode()
