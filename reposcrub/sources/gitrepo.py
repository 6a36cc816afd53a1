"""Find a repository and talk to git without ever writing to it.

Every git call goes through `GitRepo.run`/`popen`, which pin the options that
keep the source read-only and inert: no optional locks (no index refresh),
no fsmonitor hook, no lazy fetch of missing objects, no pager, no prompts,
no signature verifier (tests/test_readonly_source.py arms every hook and command).
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

SAFE_CONFIG = ("-c", "safe.directory=*", "-c", "core.fsmonitor=false",
               "-c", "core.untrackedCache=false", "-c", "gc.auto=0",
               "-c", "maintenance.auto=false", "-c", "log.showSignature=false",
               "-c", "core.pager=cat")
# For the commands that read a whole history: map the pack in 64 MB windows,
# at most 256 MB at a time, instead of all of it (a 400 MB pack made rev-list's
# resident size 620 MB on rails/rails; 350 MB this way, for 3% more CPU:
# 32 MB windows saved 40 MB more for 15%).
BOUNDED_PACK_MAPS = ("-c", "core.packedGitWindowSize=64m", "-c", "core.packedGitLimit=256m")


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1",
               GIT_PAGER="cat", PAGER="cat", LC_ALL="C", GIT_CONFIG_NOSYSTEM="1",
               GIT_ASKPASS="true", SSH_ASKPASS="true")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


class InputError(Exception):
    """Bad input: reported as one line, exit code 2."""


@dataclass
class GitRepo:
    git_dir: Path
    work_tree: Optional[Path]      # None for a bare repository
    shallow: Optional[bool] = None   # known from discover (one git call less), else asked

    @classmethod
    def discover(cls, path: str | os.PathLike) -> "GitRepo":
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file or directory")
        if not p.is_dir():
            raise InputError(f"{path}: not a directory")
        try:
            out = subprocess.run(
                ["git", *SAFE_CONFIG, "-C", str(p), "rev-parse", "--absolute-git-dir",
                 "--is-bare-repository", "--show-toplevel", "--is-shallow-repository"],
                capture_output=True, env=git_env(), check=False)
        except FileNotFoundError:
            raise InputError("git is not installed or not on PATH") from None
        lines = out.stdout.decode("utf-8", "surrogateescape").splitlines()
        if out.returncode != 0 or len(lines) < 2:
            # a bare repo prints no toplevel and rev-parse may fail on --show-toplevel
            out2 = subprocess.run(["git", *SAFE_CONFIG, "-C", str(p), "rev-parse",
                                   "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository"],
                                  capture_output=True, env=git_env(), check=False)
            lines = out2.stdout.decode("utf-8", "surrogateescape").splitlines()
            if out2.returncode != 0 or len(lines) < 2:
                msg = (out.stderr or out2.stderr).decode("utf-8", "replace").strip().splitlines()
                raise InputError(f"{path}: not a git repository"
                                 + (f" ({msg[-1]})" if msg and "not a git" not in msg[-1] else ""))
        git_dir = Path(lines[0])
        bare = lines[1] == "true"
        work = Path(lines[2]) if (not bare and len(lines) > 3) else None
        return cls(git_dir, work, lines[-1] == "true")      # the last line answers --is-shallow-repository

    def cmd(self, *args: str) -> list[str]:
        return ["git", *SAFE_CONFIG, "--git-dir", str(self.git_dir), *args]

    def run(self, *args: str, check: bool = True, input: bytes | None = None,
            env: dict[str, str] | None = None) -> bytes:
        """`env` adds variables git must see (a hook's GIT_INDEX_FILE), never removes safety."""
        proc = subprocess.run(self.cmd(*args), capture_output=True, env={**git_env(), **(env or {})}, input=input)
        if check and proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            verb = args[2] if args[0] == "--work-tree" and len(args) > 2 else args[0]
            raise InputError(f"git {verb} failed: {err[-1] if err else 'exit ' + str(proc.returncode)}")
        return proc.stdout

    def popen(self, args: Sequence[str], **kw) -> subprocess.Popen:
        return subprocess.Popen(self.cmd(*args), env=git_env(), **kw)

    def finish(self, proc: subprocess.Popen, errors, what: str) -> None:
        """A streamed git command must end well, or what it printed is not the
        whole answer (a corrupt commit would silently shorten history)."""
        if proc.wait() != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"git {what} failed: {lines[-1] if lines else 'exit ' + str(proc.returncode)}")

    def head(self) -> Optional[str]:
        out = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
        return out.decode() or None

    def resolve(self, rev: str) -> str:
        out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
        if not out:
            raise InputError(f"{rev}: no such revision")
        return out.decode()

    def refs(self) -> list[str]:
        out = self.run("for-each-ref", "--format=%(refname)", check=False)
        return [l for l in out.decode("utf-8", "surrogateescape").splitlines() if l]

    def commit_time(self, rev: str) -> int:
        out = self.run("show", "-s", "--format=%ct", rev, check=False).strip()
        return int(out or 0)

    def is_shallow(self) -> bool:
        if self.shallow is None:
            self.shallow = self.run("rev-parse", "--is-shallow-repository", check=False).strip() == b"true"
        return self.shallow
