"""Hooks, as a contributor meets them: a real `git commit`/`git push` in a fresh repo."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, RepoBuilder, fake, git, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "hook-aws")
GH = fake("{{github:ghp}}", "hook-gh")


def attempt(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run git as the contributor would, keeping the exit code (the hook may refuse)."""
    env = dict(os.environ, GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@example.com",
               GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.com")
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def hooked(repo: RepoBuilder) -> RepoBuilder:
    repo.commit({"README.md": "# app\n"}, "init")
    out = run_cli("hook", "install", str(repo.path))
    assert out.returncode == 0, out.stderr.decode()
    return repo


def test_install_writes_an_executable_hook_that_calls_this_interpreter(hooked):
    hook = hooked.path / ".git/hooks/pre-commit"
    text = hook.read_text()
    assert hook.stat().st_mode & stat.S_IXUSR
    assert "-m reposcrub hook run --staged" in text
    assert str(ROOT) in text                      # the reposcrub that installed it
    again = run_cli("hook", "install", str(hooked.path))
    assert again.returncode == 0 and b"unchanged" in again.stdout


def test_install_never_replaces_someone_elses_hook_without_force(repo):
    repo.commit({"a.txt": "a\n"})
    hook = repo.path / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    out = run_cli("hook", "install", str(repo.path))
    assert out.returncode == 2 and b"already exists" in out.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    out = run_cli("hook", "install", "--force", str(repo.path))
    assert out.returncode == 0 and b"replaced" in out.stdout
    assert "reposcrub-hook" in hook.read_text()


def test_install_honours_core_hooks_path_and_installs_pre_push(repo):
    repo.commit({"a.txt": "a\n"})
    git(repo.path, "config", "core.hooksPath", ".githooks")
    out = run_cli("hook", "install", "--pre-commit", "--pre-push", str(repo.path))
    assert out.returncode == 0, out.stderr.decode()
    assert (repo.path / ".githooks/pre-commit").is_file()
    assert 'hook run --pre-push "$@"' in (repo.path / ".githooks/pre-push").read_text()


def test_install_into_a_bare_repository_is_refused(tmp_path):
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "b.git")], check=True)
    out = run_cli("hook", "install", str(tmp_path / "b.git"))
    assert out.returncode == 2 and b"bare repository" in out.stderr


def test_a_planted_secret_is_refused_and_the_same_commit_with_allow_goes_through(hooked):
    before = head(hooked.path)
    (hooked.path / "settings.py").write_text(f'AWS_KEY = "{AWS}"\n')
    git(hooked.path, "add", "settings.py")
    refused = attempt(hooked.path, "commit", "-m", "add settings")
    assert refused.returncode != 0
    assert head(hooked.path) == before                     # nothing was committed
    err = refused.stderr.decode()
    assert "commit blocked" in err and "settings.py:1:12" in err and "aws-access-key-id" in err
    assert AWS[:4] + "…" in err and AWS not in err         # where and what, masked
    assert "reposcrub:allow aws-access-key-id" in err and "--no-verify" in err and "baseline" in err

    (hooked.path / "settings.py").write_text(f'AWS_KEY = "{AWS}"  # reposcrub:allow\n')
    git(hooked.path, "add", "settings.py")
    allowed = attempt(hooked.path, "commit", "-m", "add settings")
    assert allowed.returncode == 0, allowed.stderr.decode()
    assert head(hooked.path) != before


def test_allow_naming_another_rule_does_not_allow(hooked):
    (hooked.path / "settings.py").write_text(f'AWS_KEY = "{AWS}"  # reposcrub:allow github-token\n')
    git(hooked.path, "add", "settings.py")
    assert attempt(hooked.path, "commit", "-m", "x").returncode != 0
    (hooked.path / "settings.py").write_text(f'AWS_KEY = "{AWS}"  # reposcrub:allow github-token,aws-access-key-id\n')
    git(hooked.path, "add", "settings.py")
    assert attempt(hooked.path, "commit", "-m", "x").returncode == 0


def test_the_hook_reads_the_staged_blob_not_the_working_tree(hooked):
    f = hooked.path / "app.py"
    f.write_text(f"TOKEN = '{GH}'\n")
    git(hooked.path, "add", "app.py")
    f.write_text("TOKEN = read_token()\n")                 # cleaned on disk, but not staged
    assert attempt(hooked.path, "commit", "-m", "x").returncode != 0
    git(hooked.path, "add", "app.py")
    f.write_text(f"TOKEN = '{GH}'\n")                       # dirty on disk, clean in the index
    assert attempt(hooked.path, "commit", "-m", "x").returncode == 0


@pytest.mark.parametrize("how", [["commit", "-a", "-m", "x"], ["commit", "-m", "x", "--", "tracked.py"]])
def test_commit_a_and_commit_path_use_gits_temporary_index(hooked, how):
    (hooked.path / "tracked.py").write_text("X = 1\n")
    git(hooked.path, "add", "tracked.py")
    assert attempt(hooked.path, "commit", "-m", "tracked").returncode == 0
    (hooked.path / "tracked.py").write_text(f"X = '{GH}'\n")   # modified, never `git add`ed
    out = attempt(hooked.path, *how)
    assert out.returncode != 0 and b"tracked.py:1" in out.stderr


def test_a_baseline_at_the_repo_root_lets_known_findings_through(hooked):
    (hooked.path / "legacy.py").write_text(f"KEY = '{AWS}'\n")
    git(hooked.path, "add", "legacy.py")
    out = run_cli("scan", "--staged", "--baseline-out", str(hooked.path / ".reposcrub-baseline.json"),
                  cwd=hooked.path)
    assert out.returncode == 1 and b"baseline of 1 finding" in out.stderr
    git(hooked.path, "add", ".reposcrub-baseline.json")
    assert attempt(hooked.path, "commit", "-m", "legacy").returncode == 0
    (hooked.path / "new.py").write_text(f"T = '{GH}'\n")     # a new secret is still refused
    git(hooked.path, "add", "new.py")
    out = attempt(hooked.path, "commit", "-m", "new")
    assert out.returncode != 0 and b"new.py" in out.stderr and b"legacy.py" not in out.stderr


@pytest.fixture
def pushed(tmp_path) -> RepoBuilder:
    """A clone whose remote already has a commit holding a secret, with the pre-push hook."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo = RepoBuilder(tmp_path / "work")
    repo.commit({"old.py": f"KEY = '{AWS}'\n"}, "old secret, already on the remote")
    git(repo.path, "remote", "add", "origin", str(remote))
    git(repo.path, "push", "-q", "origin", "main")
    assert run_cli("hook", "install", "--pre-push", str(repo.path)).returncode == 0
    return repo


def test_pre_push_scans_only_the_commits_being_pushed(pushed):
    repo = pushed
    repo.commit({"clean.py": "print('ok')\n"}, "clean")
    ok = attempt(repo.path, "push", "-q", "origin", "main")
    assert ok.returncode == 0, ok.stderr.decode()           # the old secret is not this push's
    repo.commit({"leak.py": f"T = '{GH}'\n"}, "leak")
    repo.commit({"leak.py": None}, "remove leak")           # gone from the tip, not from the push
    refused = attempt(repo.path, "push", "-q", "origin", "main")
    assert refused.returncode != 0
    err = refused.stderr.decode()
    assert "push blocked" in err and "leak.py" in err and "old.py" not in err and GH not in err


def test_hook_run_with_file_names_as_the_pre_commit_framework_calls_it(repo):
    repo.commit({"a.py": "A = 1\n"})
    (repo.path / "b.py").write_text(f"B = '{GH}'\n")
    (repo.path / "c.py").write_text("C = 3\n")
    out = run_cli("hook", "run", "b.py", "c.py", cwd=repo.path)
    assert out.returncode == 1 and b"b.py:1:6" in out.stderr
    assert run_cli("hook", "run", "c.py", "a.py", cwd=repo.path).returncode == 0


def test_pre_commit_hooks_yaml_points_at_hook_run():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert by_id["reposcrub"]["entry"] == "reposcrub hook run"
    assert by_id["reposcrub"]["pass_filenames"] is True
    assert by_id["reposcrub-staged"]["entry"] == "reposcrub hook run --staged"
    for h in hooks:
        assert {"id", "name", "entry", "language"} <= set(h)


def test_the_very_first_commit_of_a_fresh_repo_is_checked(repo):
    assert run_cli("hook", "install", str(repo.path)).returncode == 0
    (repo.path / "init.py").write_text(f"KEY = '{AWS}'\n")
    git(repo.path, "add", "init.py")
    refused = attempt(repo.path, "commit", "-m", "first")
    assert refused.returncode != 0 and b"init.py:1:8" in refused.stderr
    assert attempt(repo.path, "rev-parse", "--verify", "-q", "HEAD").returncode != 0   # still unborn


def test_pushing_a_new_branch_scans_only_what_the_remote_lacks(pushed):
    repo = pushed
    repo.branch("topic")
    repo.commit({"topic.py": "print('clean')\n"}, "clean topic")
    ok = attempt(repo.path, "push", "-q", "origin", "topic")
    assert ok.returncode == 0, ok.stderr.decode()
    repo.branch("leaky")
    repo.commit({"leak.md": f"token {GH}\n"}, "leaky topic")
    refused = attempt(repo.path, "push", "-q", "origin", "leaky")
    assert refused.returncode != 0 and b"leak.md" in refused.stderr and b"old.py" not in refused.stderr
    assert attempt(repo.path, "push", "-q", "--delete", "origin", "topic").returncode == 0  # deleting sends nothing


def test_a_hook_whose_python_is_gone_blocks_and_says_how_to_fix_it(hooked):
    hook = hooked.path / ".git/hooks/pre-commit"
    lines = hook.read_text().splitlines()
    hook.write_text("\n".join("PY=/nonexistent/python" if l.startswith("PY=") else l for l in lines) + "\n")
    (hooked.path / "a.txt").write_text("harmless\n")
    git(hooked.path, "add", "a.txt")
    out = attempt(hooked.path, "commit", "-m", "x")
    assert out.returncode != 0
    assert b"/nonexistent/python is gone" in out.stderr and b"hook install --pre-commit --force" in out.stderr


def test_a_codename_in_a_new_file_name_is_blocked_and_named_as_such(hooked, tmp_path):
    (hooked.path / ".reposcrub.toml").write_text('[company]\ncodenames = ["Roadrunner"]\n')
    (hooked.path / "roadrunner_client.py").write_text("X = 1\n")
    git(hooked.path, "add", "roadrunner_client.py")
    out = attempt(hooked.path, "commit", "-m", "x")
    assert out.returncode != 0 and b"roadrunner_client.py (its name)" in out.stderr


def test_a_hostile_file_name_cannot_drive_the_terminal(repo):
    repo.commit({"a.txt": "a\n"})
    name = "evil\x1b[2Jname.py"
    (repo.path / name).write_text(f"K = '{AWS}'\n")
    git(repo.path, "add", name)
    out = run_cli("hook", "run", "--staged", cwd=repo.path)
    assert out.returncode == 1
    assert b"\x1b" not in out.stderr and b"evil\\x1b[2Jname.py:1:6" in out.stderr
