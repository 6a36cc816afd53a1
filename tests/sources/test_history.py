"""Listing history's blobs, each once, with the commit that introduced it."""
from __future__ import annotations

from pathlib import Path

from conftest import RepoBuilder, git
from reposcrub.sources.gitrepo import GitRepo
from reposcrub.sources.history import BlobStream


def blob_id(repo: RepoBuilder, rev: str, path: str) -> str:
    return git(repo.path, "rev-parse", f"{rev}:{path}").strip()


def open_repo(repo: RepoBuilder) -> GitRepo:
    return GitRepo.discover(repo.path)


def introduced(repo: RepoBuilder, *revs: str) -> dict[str, tuple[str, str]]:
    """oid -> (commit that introduced it, its path there), as the stream says."""
    return {oid: (commit, path) for oid, path, commit in BlobStream(open_repo(repo), revs or ("--all",))}


def test_stream_lists_each_blob_once(repo):
    repo.commit({"a.txt": "same\n", "b.txt": "same\n", "c.txt": "one\n"}, "first")
    git(repo.path, "tag", "-a", "v1", "-m", "an annotated tag")
    repo.commit({"c.txt": "two\n"}, "second")
    stream = BlobStream(open_repo(repo))
    oids = [oid for oid, _, _ in stream]
    assert len(oids) == len(set(oids))
    kinds = dict(zip(oids, git(repo.path, "cat-file", "--batch-check=%(objecttype)",
                               input="\n".join(oids).encode()).split()))
    blobs = {oid for oid, kind in kinds.items() if kind == "blob"}
    assert len(blobs) == 3                               # "same" once
    assert set(kinds.values()) <= {"blob", "tag"}        # a tag object is named too; the reader drops it
    assert stream.missing == []


def test_stream_names_missing_objects_and_goes_on(repo):
    repo.commit({"gone.txt": "to be lost\n", "kept.txt": "kept\n"}, "first")
    repo.commit({"gone.txt": None}, "remove")
    lost = blob_id(repo, "HEAD~1", "gone.txt")
    (repo.path / ".git" / "objects" / lost[:2] / lost[2:]).unlink()
    stream = BlobStream(open_repo(repo))
    listed = {oid for oid, _, _ in stream}
    assert stream.missing == [lost]
    assert lost not in listed and blob_id(repo, "HEAD", "kept.txt") in listed


def test_first_commit_of_a_blob_added_in_a_merge(repo):
    repo.commit({"base.txt": "base\n"}, "base")
    repo.branch("side")
    repo.commit({"side.txt": "side\n"}, "side work")
    repo.checkout("main")
    repo.commit({"main.txt": "main\n"}, "main work")
    git(repo.path, "merge", "-q", "--no-ff", "--no-commit", "side")
    repo.write({"evil.txt": "only in the merge\n"})
    git(repo.path, "commit", "-q", "-m", "merge with an extra file")
    merge = git(repo.path, "rev-parse", "HEAD").strip()
    evil = blob_id(repo, "HEAD", "evil.txt")
    assert introduced(repo)[evil] == (merge, "evil.txt")


def test_first_commit_on_a_branch_that_removed_it_before_merging(repo):
    repo.commit({"base.txt": "base\n"}, "base")
    repo.branch("feature")
    added = repo.commit({"tmp/creds.txt": "short-lived\n"}, "add")
    repo.commit({"tmp/creds.txt": None}, "remove again")
    repo.checkout("main")
    repo.commit({"main.txt": "main\n"}, "main work")
    git(repo.path, "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    git(repo.path, "branch", "-D", "feature")        # only the merge keeps it reachable
    blob = blob_id(repo, added, "tmp/creds.txt")
    assert introduced(repo)[blob] == (added, "tmp/creds.txt")


def test_first_commit_is_the_oldest_and_names_the_path_it_had_there(repo):
    first = repo.commit({"old/name.txt": "content\n"}, "add")
    repo.commit({"old/name.txt": None, "new/name.txt": "content\n"}, "move")
    repo.commit({"other.txt": "x\n"}, "later")
    blob = blob_id(repo, "HEAD", "new/name.txt")
    assert introduced(repo)[blob] == (first, "old/name.txt")


def test_first_commits_within_a_range(repo):
    repo.commit({"a.txt": "a\n"}, "old")
    base = git(repo.path, "rev-parse", "HEAD").strip()
    repo.commit({"b.txt": "b\n"}, "new 1")
    second = repo.commit({"c.txt": "c\n", "a.txt": "a2\n"}, "new 2")
    blob = blob_id(repo, "HEAD", "c.txt")
    found = introduced(repo, "HEAD", "--not", base)
    assert found[blob] == (second, "c.txt")
    assert blob_id(repo, base, "a.txt") not in found


def test_a_tree_without_new_entries_may_be_listed_but_every_blob_is(repo):
    repo.commit({"dir/a.txt": "a\n", "dir/b.txt": "b\n", "top.txt": "t\n"}, "first")
    repo.commit({"dir/b.txt": None}, "delete one: dir gets a new tree with no new entry")
    blobs = {git(repo.path, "rev-parse", f"HEAD~1:{p}").strip() for p in ("dir/a.txt", "dir/b.txt", "top.txt")}
    listed = introduced(repo)
    assert blobs <= set(listed)
    extra = set(listed) - blobs
    kinds = git(repo.path, "cat-file", "--batch-check=%(objecttype)", input="\n".join(extra).encode())
    assert set(kinds.split()) <= {"tree"}
