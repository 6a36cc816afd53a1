"""One cat-file process, fed and read in turns by a worker (no thread)."""
from __future__ import annotations

import pytest

from conftest import git
from reposcrub.sources.catfile import CatFile
from reposcrub.sources.gitrepo import GitRepo


@pytest.fixture
def objects(repo):
    repo.commit({"small.txt": "small\n", "big.txt": "x" * 5000 + "\n", "dir/inner.txt": "inner\n"})
    ids = {p: git(repo.path, "rev-parse", f"HEAD:{p}").strip() for p in ("small.txt", "big.txt", "dir")}
    return GitRepo.discover(repo.path), ids


def test_replies_come_in_request_order_across_batches(objects):
    repo, ids = objects
    cat = CatFile(repo)
    try:
        cat.request([ids["small.txt"], ids["big.txt"]])
        cat.request([ids["small.txt"]])              # asked before the first batch is read
        replies = [cat.read() for _ in range(3)]
    finally:
        cat.close()
    assert [(oid, data, kind) for oid, data, _, kind in replies] == [
        (ids["small.txt"], b"small\n", "blob"), (ids["big.txt"], b"x" * 5000 + b"\n", "blob"),
        (ids["small.txt"], b"small\n", "blob")]


def test_too_large_missing_and_non_blob_objects_come_back_without_data(objects):
    repo, ids = objects
    absent = "0123456789abcdef0123456789abcdef01234567"
    cat = CatFile(repo, max_size=100)
    try:
        cat.request([ids["big.txt"], absent, ids["dir"], ids["small.txt"]])
        replies = [cat.read() for _ in range(4)]
    finally:
        cat.close()
    assert [(data, size, kind) for _, data, size, kind in replies] == [
        (None, 5001, "blob"), (None, -1, "missing"), (None, replies[2][2], "tree"),
        (b"small\n", 6, "blob")]


def test_more_requests_in_flight_than_the_pipe_holds_are_refused(objects):
    repo, ids = objects
    cat = CatFile(repo)
    try:
        with pytest.raises(ValueError):
            cat.request([ids["small.txt"]] * (CatFile.MAX_IN_FLIGHT + 1))
    finally:
        cat.close()
