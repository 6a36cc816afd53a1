"""Broken repositories: each gives a result or one clear line, never a traceback.

For every kind of damage, scan, scrub and scan --worktree must exit 0/1 with a
result or 2 with one line on stderr; a failed scrub leaves no DEST; no output
shows the planted secret; the repository is left exactly as it was.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import fake, git, run_cli
from craft import corrupt, state

SECRET = fake("AKIA{{[A-Z2-7]:16}}", "broken")


def _bad_head(r: Path) -> None:
    (r / ".git" / "HEAD").write_text("garbage\n")


def _bad_config(r: Path) -> None:
    with open(r / ".git" / "config", "a") as fh:
        fh.write("[core\nbroken")


def _ref_to_nothing(r: Path) -> None:
    (r / ".git" / "refs" / "heads" / "ghost").write_text("12" * 20 + "\n")


def _gitfile_elsewhere(r: Path) -> None:
    import shutil
    shutil.rmtree(r / ".git")
    (r / ".git").write_text("gitdir: /etc\n")


def _tags_on_a_tree_and_a_blob(r: Path) -> None:
    git(r, "tag", "treetag", "HEAD^{tree}")
    git(r, "tag", "blobtag", "HEAD:a.txt")


def _corrupt_pack(r: Path) -> None:
    git(r, "repack", "-a", "-d", "-q")
    git(r, "prune-packed")
    pack = next((r / ".git" / "objects" / "pack").glob("*.pack"))
    pack.chmod(0o644)
    with open(pack, "r+b") as fh:
        fh.seek(200)
        fh.write(b"\xde\xad\xbe\xef")


def _missing_history_tree(r: Path) -> None:
    tree = git(r, "rev-parse", "HEAD~1^{tree}").strip()
    (r / ".git" / "objects" / tree[:2] / tree[2:]).unlink()


def _corrupt_history_tree(r: Path) -> None:
    corrupt(r, git(r, "rev-parse", "HEAD~1^{tree}").strip())


def _odd_ref_name(r: Path) -> None:
    with open(os.fsencode(r / ".git" / "refs" / "heads") + b"/we\xff\x1bird", "w") as fh:   # not UTF-8
        fh.write(git(r, "rev-parse", "HEAD"))


def _huge_message(r: Path) -> None:
    (r.parent / "msg").write_text("x" * 3_000_000 + f"\nkey={SECRET}\n")
    git(r, "commit", "-q", "--allow-empty", "-F", str(r.parent / "msg"))


def _junk_index(r: Path) -> None:
    (r / ".git" / "index").write_bytes(b"junk")


DAMAGE = [_bad_head, _bad_config, _ref_to_nothing, _gitfile_elsewhere, _tags_on_a_tree_and_a_blob,
          _corrupt_pack, _missing_history_tree, _corrupt_history_tree, _odd_ref_name, _huge_message, _junk_index]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__.strip("_"))
def test_damaged_repository(repo, tmp_path, damage):
    repo.commit({"a.txt": "a\n", "s.env": f"key={SECRET}\n"}, "one")
    repo.commit({"b.txt": "b\n"}, "two")
    damage(repo.path)
    before = state(repo.path)
    for args in (["scan", str(repo.path), "--format", "json"],
                 ["scan", str(repo.path), "--worktree", "--format", "table"],
                 ["scrub", str(repo.path), "--out", str(tmp_path / "snap")]):
        proc = run_cli(*args)
        err = proc.stderr.decode()
        assert "Traceback" not in err
        assert proc.returncode in (0, 1, 2), err
        if proc.returncode == 2:
            assert err.count("\n") == 1 and err.startswith("reposcrub: error: "), err
            assert not (tmp_path / "snap").exists() and not (tmp_path / "snap.report.json").exists()
        outputs = [proc.stdout, proc.stderr]
        if (tmp_path / "snap.report.json").exists():
            outputs.append((tmp_path / "snap.report.json").read_bytes())
            outputs += [p.read_bytes() for p in (tmp_path / "snap").rglob("*") if p.is_file()]
        assert not any(SECRET.encode() in out for out in outputs)
    assert state(repo.path) == before
    assert sorted(os.listdir(tmp_path)) in (["repo"], ["msg", "repo"], ["repo", "snap", "snap.report.json"],
                                            ["msg", "repo", "snap", "snap.report.json"])
