"""Snapshot containment: nothing from outside the repository gets in, nothing
gets written outside DEST, and archives hold only files and directories under
one root.

Links are never followed on disk: a link resolving inside the tree to a
regular file becomes a copy of that file's scrubbed content, every other link
is dropped with a reason (policy: reposcrub/sources/links.py).
"""
from __future__ import annotations

import json
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import fake, git, run_cli
from craft import blob, commit, state, tree

FORMATS = ["snap", "snap.tar.gz", "snap.zip"]
OUTSIDE = "OUTSIDE-CONTENT-must-never-be-copied"


def members(dest: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry of a snapshot as (kind, content), whatever its format."""
    out: dict[str, tuple[str, bytes]] = {}
    if dest.is_dir():
        base = os.fsencode(dest)
        for dirpath, dirs, files in os.walk(base):
            for name in dirs + files:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, base).decode("utf-8", "surrogateescape")
                mode = os.lstat(full).st_mode
                kind = "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"
                out[rel] = (kind, open(full, "rb").read() if kind == "file" else b"")
    elif dest.name.endswith(".tar.gz"):
        with tarfile.open(dest) as tar:
            for m in tar.getmembers():
                kind = "dir" if m.isdir() else "file" if m.isreg() else "other"
                out[m.name] = (kind, tar.extractfile(m).read() if kind == "file" else b"")
    else:
        with zipfile.ZipFile(dest) as zf:
            for i in zf.infolist():
                kind = "dir" if i.is_dir() else "file" if stat.S_ISREG(i.external_attr >> 16) else "other"
                out[i.filename] = (kind, zf.read(i) if kind == "file" else b"")
    return out


def assert_archive_shape(dest: Path, found: dict[str, tuple[str, bytes]]) -> None:
    """Archives: regular files and directories only, all under one root, no '..' or absolute names."""
    if dest.is_dir():
        assert all(kind in ("file", "dir") for kind, _ in found.values())
        return
    roots = {name.split("/", 1)[0] for name in found}
    assert roots == {"snap"}, roots
    for name, (kind, _) in found.items():
        assert kind in ("file", "dir"), (name, kind)
        assert not name.startswith("/") and ".." not in name.split("/"), name


def report(dest: Path) -> dict:
    return json.loads(Path(f"{dest}.report.json").read_text())


def reasons(rep: dict) -> dict[str, tuple[str, str]]:
    return {f["path"]: (f["status"], f["reason"]) for f in rep["files"]}


@pytest.fixture
def linked_repo(repo, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(OUTSIDE + "\n")
    home_key = tmp_path / "home" / ".ssh" / "id_rsa"
    home_key.parent.mkdir(parents=True)
    home_key.write_text(OUTSIDE + " ssh\n")
    secret = fake("AKIA{{[A-Z2-7]:16}}", "links")
    repo.commit({"a.txt": "plain text\n", "config.env": f"AWS_KEY={secret}\n", "sub/x.txt": "x\n"})
    links = {"pw": "/etc/passwd", "ssh": str(home_key), "up": "../outside.txt",
             "sub/up2": "../../outside.txt", "ok": "a.txt", "chain": "ok", "sub/rel": "../a.txt",
             "via-dir": "sublink/x.txt", "sublink": "sub", "loop1": "loop2", "loop2": "loop1",
             "dangling": "nope.txt", "cfg": "config.env", "escape": "sub/../../outside.txt"}
    for name, target in links.items():
        (repo.path / name).parent.mkdir(exist_ok=True)
        os.symlink(target, repo.path / name)
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "links")
    return repo, secret


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("worktree", [False, True], ids=["head", "worktree"])
def test_links_never_bring_in_outside_files(linked_repo, tmp_path, fmt, worktree):
    repo, secret = linked_repo
    dest = tmp_path / "out" / fmt
    dest.parent.mkdir()
    proc = run_cli("scrub", str(repo.path), "--out", str(dest), *(["--worktree"] if worktree else []))
    assert proc.returncode == 0, proc.stderr.decode()
    found = members(dest)
    assert_archive_shape(dest, found)
    contents = {name.split("/", 1)[-1] if fmt != "snap" else name: data
                for name, (kind, data) in found.items() if kind == "file"}
    assert not any(OUTSIDE.encode() in data or b"root:" in data for data in contents.values())
    assert contents["ok"] == contents["chain"] == contents["sub/rel"] == b"plain text\n"
    assert contents["via-dir"] == b"x\n"
    assert secret.encode() not in contents["cfg"] and contents["cfg"] == contents["config.env"]
    why = reasons(report(dest))
    for name in ("pw", "ssh"):
        assert why[name] == ("dropped", "symlink to an absolute path (outside the repository): not followed")
    for name in ("up", "sub/up2", "escape"):
        assert why[name] == ("dropped", "symlink pointing outside the repository: not followed")
    assert why["sublink"][1] == "symlink to a directory: not copied"
    assert why["loop1"][1] == why["loop2"][1] == "symlink loop: not followed"
    assert why["dangling"][1] == "dangling symlink (target not in the tree)"
    assert why["ok"] == ("modified", "symlink to a file in the tree: written as a copy of its scrubbed content")


def test_worktree_never_reads_through_a_swapped_directory(repo, tmp_path):
    """A tracked directory replaced on disk by a link to somewhere else: the
    files git still lists under it must not be read through the link."""
    repo.commit({"conf/app.txt": "tracked\n", "top.txt": "top\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "app.txt").write_text(OUTSIDE + "\n")
    (repo.path / "conf" / "app.txt").unlink()
    (repo.path / "conf").rmdir()
    os.symlink(elsewhere, repo.path / "conf")
    dest = tmp_path / "snap"
    proc = run_cli("scrub", str(repo.path), "--out", str(dest), "--worktree")
    assert proc.returncode == 0, proc.stderr.decode()
    assert all(OUTSIDE.encode() not in data for _, data in members(dest).values())
    assert reasons(report(dest))["conf"][0] == "dropped"


LONG = "n" * 300


@pytest.fixture
def hostile_tree(repo):
    """A tree git's porcelain would never write: every name here is hostile."""
    repo.commit({"keep.txt": "keep\n"})
    r = repo.path
    x = blob(r, b"payload\n")
    leaf = tree(r, [("100644", "x", x)])
    deep = leaf
    for _ in range(30):                                          # a path of > 4095 bytes
        deep = tree(r, [("040000", "d" * 140, deep)])
    top = tree(r, [
        ("100644", "keep.txt", blob(r, b"keep\n")),
        ("040000", "..", leaf), ("040000", ".git", leaf), ("040000", ".GIT", leaf),
        ("100644", ".git. ", x), ("040000", "deep", deep),
        ("100644", "/etc", x), ("100644", "a/../../escape", x),  # slashes inside one name
        ("100644", "back\\..\\slash", x), ("100644", LONG, x), ("040000", "long", tree(r, [("100644", LONG, x)])),
        ("100644", "new\nline", x), ("100644", b"latin\xe9name", x),
        ("100644", "README", x), ("100644", "readme", blob(r, b"other\n")),
        ("100644", "dup", x), ("100644", "dup", blob(r, b"second\n")),   # the same name twice
        ("100644", "clash", x), ("040000", "clash", leaf),               # a file and a directory
    ])
    commit(r, top, "hostile", parent=git(r, "rev-parse", "HEAD").strip())
    return repo


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_names_stay_inside_dest_and_are_accounted_for(hostile_tree, tmp_path, fmt):
    r = hostile_tree.path
    outdir = tmp_path / "out" / "deeper"
    outdir.mkdir(parents=True)
    dest = outdir / fmt
    before = state(tmp_path)
    proc = run_cli("scrub", str(r), "--out", str(dest), "--no-history")
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    after = state(tmp_path)
    new = {k for k in after if k not in before}
    outside = {k for k in new if not k.startswith(f"out/deeper/{fmt}")}
    assert not outside, f"written outside DEST: {sorted(outside)}"

    found = members(dest)
    assert_archive_shape(dest, found)
    rel = {name.split("/", 1)[1] if fmt != "snap" else name for name, (kind, _) in found.items()
           if kind == "file"}
    assert {"keep.txt", "README", "readme", "new\nline"} <= rel
    assert not any(".." in p.split("/") or p.lower().startswith(".git") for p in rel)

    rep = report(dest)
    listed = git(r, "ls-tree", "-r", "-z", "--full-tree", "HEAD").split("\0")
    tree_paths = [line.split("\t", 1)[1] for line in listed if line]
    rows = [f["path"] for f in rep["files"]]
    shown = [p.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") for p in tree_paths]
    assert sorted(rows) == sorted(shown), "every tree entry has exactly one manifest row"
    assert len([f for f in rep["files"] if f["status"] != "dropped"]) == len(rel)
    dropped = {f["path"]: f["reason"] for f in rep["files"] if f["status"] == "dropped"}
    assert all(reason for reason in dropped.values())
    assert any("differ only in case" in n for n in rep["notes"])


def test_a_tree_git_cannot_read_is_one_line_and_no_dest(repo, tmp_path):
    repo.commit({"keep.txt": "keep\n"})
    r = repo.path
    commit(r, tree(r, [("100644", "", blob(r, b"x\n"))]), "empty name", parent=git(r, "rev-parse", "HEAD").strip())
    proc = run_cli("scrub", str(r), "--out", str(tmp_path / "snap"))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "empty filename" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_dest_that_contains_the_repository_is_refused(repo, tmp_path):
    repo.commit({"a.txt": "a\n"})
    before = state(tmp_path)
    proc = run_cli("scrub", str(repo.path), "--out", str(tmp_path), "--force")
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1 and "inside it" in proc.stderr.decode()
    assert state(tmp_path) == before


def test_file_names_cannot_inject_console_markup_or_terminal_controls(repo, tmp_path):
    (repo.path / "[").mkdir(parents=True)
    secret = f"k = {fake('AKIA{{[A-Z2-7]:16}}', 'markup')}\n"
    repo.commit({"[/bold]": secret, "x\x1b]0;pwned\x07\x1b[31mred": secret})
    os.symlink("/nowhere", repo.path / "l\x1b[2J")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "odd names")
    proc = run_cli("scan", str(repo.path), "--format", "table")
    assert proc.returncode == 1, proc.stderr.decode()
    assert "[/bold]" in proc.stdout.decode()
    scrub = run_cli("scrub", str(repo.path), "--out", str(tmp_path / "snap"))
    for out in (proc.stdout, proc.stderr, scrub.stdout, scrub.stderr):
        assert b"\x1b" not in out and b"\x07" not in out
    assert "l\\x1b[2J" in scrub.stdout.decode()
