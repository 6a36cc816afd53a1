"""`scan --staged` and `scan --since REV`: only what changes is read, with the full scan's rules and policy."""
from __future__ import annotations

import json

from conftest import RepoBuilder, fake, git, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "incr-aws")
GH = fake("{{github:ghp}}", "incr-gh")
MSG = fake("{{github:gho}}", "incr-msg")


def findings(out) -> set[tuple[str, str]]:
    assert out.returncode in (0, 1), out.stderr.decode()
    return {(f["path"], f["origin"]) for f in json.loads(out.stdout)["findings"] if f["action"] != "allowed"}


def test_since_scans_new_commits_and_their_messages_only(repo: RepoBuilder):
    repo.commit({"old.env": f"AWS={AWS}\n"}, "old")
    base = git(repo.path, "rev-parse", "HEAD").strip()
    repo.commit({"new.py": f"T = '{GH}'\n"}, "new")
    repo.commit({"new.py": "T = load()\n"}, f"rotate (old value was {MSG})")
    out = run_cli("scan", str(repo.path), "--since", base, "--format", "json")
    report = json.loads(out.stdout)
    assert out.returncode == 1
    assert {f["path"].split(" ")[0] for f in report["findings"]} == {"new.py", "<commit"}
    assert report["source"]["blobs_scanned"] == 2           # the two versions of new.py, nothing else
    assert run_cli("scan", str(repo.path), "--since", "HEAD", "--format", "json").returncode == 0


def test_since_an_unknown_revision_is_an_input_error(repo: RepoBuilder):
    repo.commit({"a.txt": "a\n"})
    out = run_cli("scan", str(repo.path), "--since", "no-such-branch")
    assert out.returncode == 2 and out.stderr.strip() == b"reposcrub: error: no-such-branch: no such revision"


def test_staged_reads_the_index_and_skips_deletions_and_submodules(repo: RepoBuilder):
    repo.commit({"keep.txt": "k\n", "gone.env": f"AWS={AWS}\n"})
    git(repo.path, "rm", "-q", "gone.env")
    (repo.path / "staged.py").write_text(f"T = '{GH}'\n")
    git(repo.path, "add", "staged.py")
    (repo.path / "unstaged.py").write_text(f"T = '{GH}'\n")
    out = run_cli("scan", "--staged", "--format", "json", cwd=repo.path)
    report = json.loads(out.stdout)
    assert findings(out) == {("staged.py", "staged")}
    assert report["source"]["blobs_scanned"] == 1
    clean = run_cli("scan", "--staged", "--format", "sarif", cwd=repo.path / "..")  # not a repo
    assert clean.returncode == 2


def test_staged_file_names_are_scanned_too(repo: RepoBuilder, tmp_path):
    prof = tmp_path / "p.toml"
    prof.write_text('[company]\ncodenames = ["Roadrunner"]\n')
    repo.commit({"a.txt": "a\n"})
    (repo.path / "roadrunner").mkdir()
    (repo.path / "roadrunner/main.py").write_text("print('hi')\n")
    git(repo.path, "add", "roadrunner/main.py")
    out = run_cli("scan", "--staged", "--profile", str(prof), "--format", "json", cwd=repo.path)
    assert out.returncode == 1
    assert [f["path"] for f in json.loads(out.stdout)["findings"]] == ["roadrunner/main.py"]
