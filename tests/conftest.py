"""Shared test helpers: real git repositories built in temp dirs, and the CLI run as a user would.

Secrets in tests are generated (reposcrub.examplegen) so this repository never
holds a credential-shaped literal.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Mapping, Optional, Union

import pytest

from reposcrub.examplegen import expand

ROOT = Path(__file__).resolve().parents[1]
Content = Union[str, bytes, None]   # None deletes the file in that commit


def git(repo: Path, *args: str, input: Optional[bytes] = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
               GIT_AUTHOR_DATE="2024-01-01T00:00:00Z", GIT_COMMITTER_DATE="2024-01-01T00:00:00Z",
               GIT_CONFIG_NOSYSTEM="1")
    out = subprocess.run(["git", *args], cwd=repo, env=env, input=input, capture_output=True)
    if out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {out.stderr.decode()}")
    return out.stdout.decode("utf-8", "surrogateescape")


class RepoBuilder:
    """Build a repository commit by commit: `commit({"a.py": "...", "old.txt": None}, "msg")`."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", "main")

    def write(self, files: Mapping[str, Content]) -> None:
        for name, content in files.items():
            p = self.path / name
            if content is None:
                git(self.path, "rm", "-q", "--", name)
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content.encode() if isinstance(content, str) else content)
            git(self.path, "add", "--", name)

    def commit(self, files: Mapping[str, Content], message: str = "change") -> str:
        self.write(files)
        git(self.path, "commit", "-q", "--allow-empty", "-m", message)
        return git(self.path, "rev-parse", "HEAD").strip()

    def branch(self, name: str) -> None:
        git(self.path, "checkout", "-q", "-b", name)

    def checkout(self, name: str) -> None:
        git(self.path, "checkout", "-q", name)

    def tag(self, name: str) -> None:
        git(self.path, "tag", name)


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "repo")


def fake(template: str, seed: str = "test") -> str:
    """A fake secret from a template, e.g. fake("AKIA{{[A-Z2-7]:16}}")."""
    return expand(template, seed)


def run_cli(*args: str, cwd: Optional[Path] = None, env: Optional[dict] = None,
            input: Optional[bytes] = None) -> subprocess.CompletedProcess:
    """Run `reposcrub ARGS` in a child process, exactly as a user would."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.setdefault("REPOSCRUB_FINGERPRINT_KEY", "test-key")
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "reposcrub", *args], cwd=cwd, env=full_env,
                          capture_output=True, input=input)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep the user's real config/cache out of tests (fingerprint key, rule DB cache)."""
    home = tmp_path_factory.getbasetemp() / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("REPOSCRUB_FINGERPRINT_KEY", "test-key")
