"""The scanned repository is read-only: every command leaves it exactly as it was.

The repository is armed with every hook and config-driven command git knows
(hooks, fsmonitor, filters, pager, signature verifier); each would write a
marker file.  After scan, scrub and verify (HEAD and --worktree, every output
format) the whole directory, .git included, must hash to what it was, down to
file and directory mtimes, and no marker may exist.
"""
from __future__ import annotations

import os
import time

import pytest

from conftest import fake, git, run_cli
from craft import plant_tripwires, state


@pytest.fixture
def armed(repo, tmp_path):
    secret = fake("AKIA{{[A-Z2-7]:16}}", "readonly")
    repo.commit({"app.py": f"KEY = '{secret}'\n", "README.md": "hello\n"}, "first")
    repo.commit({"old.txt": f"token {secret}\n"}, "second")
    repo.commit({"old.txt": None}, "third")
    repo.branch("feature")
    repo.commit({"f.txt": "feature\n"}, "feature work")
    repo.checkout("main")
    git(repo.path, "tag", "-a", "v1", "-m", "release")
    git(repo.path, "worktree", "add", "-q", str(tmp_path / "linked"), "feature")
    # a dirty checkout: stale index stat info, an edit, an untracked file
    (repo.path / "README.md").write_text("hello, edited\n")
    (repo.path / "untracked.txt").write_text("new\n")
    old = time.time() - 3600
    os.utime(repo.path / "app.py", (old, old))
    marker = tmp_path / "MARKER"
    plant_tripwires(repo.path, marker)
    return repo, marker


COMMANDS = [
    ["scan", "{repo}", "--format", "json"],
    ["scan", "{repo}", "--format", "jsonl"],
    ["scan", "{repo}", "--format", "table"],
    ["scan", "{repo}", "--worktree", "--format", "json"],
    ["scan", "{linked}", "--format", "json"],
    ["scrub", "{repo}", "--out", "{out}/snap"],
    ["scrub", "{repo}", "--out", "{out}/snap.tar.gz"],
    ["scrub", "{repo}", "--out", "{out}/snap.zip"],
    ["scrub", "{repo}", "--out", "{out}/wt", "--worktree"],
    ["scrub", "{linked}", "--out", "{out}/linked", "--worktree"],
    ["verify", "{out}/snap"],
    ["verify", "{out}/snap.zip"],
    ["scan", "{repo}", "--staged", "--format", "json"],
    ["hook", "run", "app.py"],
]


def test_every_command_leaves_the_repository_untouched(armed, tmp_path):
    repo, marker = armed
    out = tmp_path / "out"
    out.mkdir()
    before = state(tmp_path / "repo"), state(tmp_path / "linked")
    for cmd in COMMANDS:
        args = [a.format(repo=repo.path, linked=tmp_path / "linked", out=out) for a in cmd]
        proc = run_cli(*args, cwd=repo.path if args[0] == "hook" else None)
        assert proc.returncode in (0, 1), (args, proc.stderr.decode())
        assert b"Traceback" not in proc.stderr
    after = state(tmp_path / "repo"), state(tmp_path / "linked")
    changed = {k for k in set(before[0]) | set(after[0]) if before[0].get(k) != after[0].get(k)}
    assert not changed, f"repository changed: {sorted(changed)}"
    assert before[1] == after[1], "linked worktree changed"
    assert not marker.exists(), f"git ran repository code: {marker.read_text()}"


def test_scan_from_inside_a_subfolder_changes_nothing(armed, tmp_path):
    repo, marker = armed
    sub = repo.path / "sub"
    sub.mkdir()
    before = state(tmp_path / "repo")
    proc = run_cli("scan", ".", "--format", "json", cwd=sub)
    assert proc.returncode == 1, proc.stderr.decode()
    assert state(tmp_path / "repo") == before
    assert not marker.exists()
