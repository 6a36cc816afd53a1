"""Nothing lost, nothing half-written.

Every HEAD entry is in the snapshot or in the report with a reason; a run
that fails (a corrupt object, Ctrl-C, SIGTERM) leaves no DEST, no report and
no temporary file behind; an existing DEST is replaced only with --force.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, fake, git, run_cli
from craft import bulk_commit, corrupt, object_path

FORMATS = ["snap", "snap.tar.gz", "snap.zip"]


def leftovers(parent: Path) -> list[str]:
    """Everything in parent except the repository itself."""
    return sorted(p.name for p in parent.iterdir() if p.name != "repo")


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err)
    assert err.count("\n") == 1 and err.startswith("reposcrub: error: "), err
    assert "Traceback" not in err
    return err


@pytest.fixture
def many(repo):
    """Forty files, so a failure can strike in the middle of writing."""
    bulk_commit(repo.path, {f"src/f{i:02}.txt": f"file {i}\n".encode() * 50 for i in range(40)})
    return repo


def test_manifest_accounts_for_every_tree_entry(repo, tmp_path):
    sub = tmp_path / "lib"
    git(tmp_path, "init", "-q", str(sub))
    git(sub, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "x")
    repo.commit({"a.txt": "a\n", "empty": "", "bin.dat": bytes(range(256)) * 4,
                 "deploy/id_rsa": fake("{{pem:RSA PRIVATE KEY}}", "lost") + "\n",
                 "conf.env": f"KEY={fake('AKIA{{[A-Z2-7]:16}}', 'lost')}\n"})
    os.symlink("a.txt", repo.path / "link")
    os.symlink("/etc/hostname", repo.path / "out")
    git(repo.path, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/lib")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "more")
    dest = tmp_path / "snap"
    proc = run_cli("scrub", str(repo.path), "--out", str(dest))
    assert proc.returncode == 0, proc.stderr.decode()
    rep = json.loads(Path(f"{dest}.report.json").read_text())
    tree = [line.split("\t", 1)[1] for line in git(repo.path, "ls-tree", "-r", "-z", "HEAD").split("\0") if line]
    rows = {f["path"]: f for f in rep["files"]}
    assert sorted(rows) == sorted(tree) and len(rep["files"]) == len(tree)
    on_disk = {str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()}
    for path, row in rows.items():
        if row["status"] == "dropped":
            assert row["reason"] and path not in on_disk, row
        else:
            assert (row["to"] or path) in on_disk, row
    assert rows["vendor/lib"]["reason"].startswith("submodule")
    assert rows["deploy/id_rsa"]["status"] == "dropped"


@pytest.mark.parametrize("fmt", FORMATS)
def test_corrupt_blob_midway_leaves_nothing(many, tmp_path, fmt):
    victim = git(many.path, "rev-parse", "HEAD:src/f20.txt").strip()
    corrupt(many.path, victim)
    proc = run_cli("scrub", str(many.path), "--out", str(tmp_path / fmt))
    assert victim in one_line_error(proc)
    assert leftovers(tmp_path) == []


def test_corrupt_tree_is_named_and_leaves_nothing(many, tmp_path):
    victim = git(many.path, "rev-parse", "HEAD:src").strip()
    corrupt(many.path, victim)
    for args in (["scan", str(many.path)], ["scrub", str(many.path), "--out", str(tmp_path / "snap")]):
        assert victim in one_line_error(run_cli(*args))
    assert leftovers(tmp_path) == []


def test_corrupt_history_blob_is_named(many, tmp_path):
    many.commit({"old.txt": "only in history\n"}, "add")
    victim = git(many.path, "rev-parse", "HEAD:old.txt").strip()
    many.commit({"old.txt": None}, "remove")
    corrupt(many.path, victim)
    assert victim in one_line_error(run_cli("scan", str(many.path)))
    assert victim in one_line_error(run_cli("scrub", str(many.path), "--out", str(tmp_path / "snap")))
    assert leftovers(tmp_path) == []


def test_corrupt_history_commit_is_an_error_not_a_shorter_history(many, tmp_path):
    first = git(many.path, "rev-parse", "HEAD").strip()
    many.commit({"b.txt": "b\n"}, "second")
    many.commit({"c.txt": "c\n"}, "third")
    corrupt(many.path, first)
    proc = run_cli("scan", str(many.path))
    assert first in one_line_error(proc)


def test_missing_head_blob_is_dropped_and_reported(many, tmp_path):
    victim = git(many.path, "rev-parse", "HEAD:src/f07.txt").strip()
    object_path(many.path, victim).unlink()
    dest = tmp_path / "snap"
    proc = run_cli("scrub", str(many.path), "--out", str(dest))
    assert proc.returncode == 0, proc.stderr.decode()
    rows = {f["path"]: f for f in json.loads(Path(f"{dest}.report.json").read_text())["files"]}
    assert rows["src/f07.txt"] == {"path": "src/f07.txt", "status": "dropped", "to": None,
                                   "reason": "object missing from the repository"}
    assert not (dest / "src" / "f07.txt").exists() and (dest / "src" / "f08.txt").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("fmt", ["snap", "snap.tar.gz"])
def test_interrupted_run_leaves_nothing(repo, tmp_path, sig, fmt):
    """Signal the process as soon as its temporary output exists."""
    bulk_commit(repo.path, {f"d{i // 100}/f{i}.txt": f"line {i}\n".encode() * 200 for i in range(800)})
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "reposcrub", "scrub", str(repo.path), "--out",
                             str(out / fmt), "--no-history"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(out.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert b"Traceback" not in err
    assert b"interrupted" in err or err.startswith(b"reposcrub: error:"), err
    assert list(out.iterdir()) == []


def test_force_replaces_a_link_at_dest_not_what_it_points_to(repo, tmp_path):
    repo.commit({"a.txt": "new\n"})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "mine.txt").write_text("keep me\n")
    (tmp_path / "snap").symlink_to(precious)
    proc = run_cli("scrub", str(repo.path), "--out", str(tmp_path / "snap"), "--force")
    assert proc.returncode == 0, proc.stderr.decode()
    assert (precious / "mine.txt").read_text() == "keep me\n" and sorted(p.name for p in precious.iterdir()) == ["mine.txt"]
    assert not (tmp_path / "snap").is_symlink() and (tmp_path / "snap" / "a.txt").exists()


def test_a_killed_runs_leftovers_are_removed_by_the_next_run(repo, tmp_path):
    repo.commit({"a.txt": "a\n"})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    (tmp_path / f".snap.reposcrub-tmp-{dead}").mkdir()
    (tmp_path / f".snap.reposcrub-tmp-{dead}" / "half.txt").write_text("half\n")
    (tmp_path / f".snap.reposcrub-tmp-{os.getpid()}").mkdir()        # a live process's: kept
    proc = run_cli("scrub", str(repo.path), "--out", str(tmp_path / "snap"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert leftovers(tmp_path) == [f".snap.reposcrub-tmp-{os.getpid()}", "snap", "snap.report.json"]


@pytest.mark.parametrize("existing", ["dir", "file", "report"])
def test_existing_output_is_never_replaced_without_force(repo, tmp_path, existing):
    repo.commit({"a.txt": "new\n"})
    dest = tmp_path / "snap"
    if existing == "dir":
        dest.mkdir()
        (dest / "mine.txt").write_text("precious\n")
    elif existing == "file":
        dest.write_text("precious\n")
    else:
        Path(f"{dest}.report.json").write_text("precious\n")
    before = leftovers(tmp_path)
    err = one_line_error(run_cli("scrub", str(repo.path), "--out", str(dest)))
    assert "--force" in err
    assert leftovers(tmp_path) == before
    precious = dest / "mine.txt" if existing == "dir" else dest if existing == "file" else Path(f"{dest}.report.json")
    assert precious.read_text() == "precious\n"

    proc = run_cli("scrub", str(repo.path), "--out", str(dest), "--force")
    assert proc.returncode == 0, proc.stderr.decode()
    assert (dest / "a.txt").read_text() == "new\n" and not (dest / "mine.txt").exists()
    assert leftovers(tmp_path) == ["snap", "snap.report.json"]
