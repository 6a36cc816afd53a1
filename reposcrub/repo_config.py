"""What the scanned repository's own configuration may do, and where it is read from.

A repository's `.reposcrub.toml` (or `[tool.reposcrub]`) is written by whoever
controls the repository, which is not necessarily whoever runs reposcrub.  It
may add rules and allowances, but it may not quietly weaken the scan: its rules
cannot replace a built-in or user rule of the same id, its rule files must live
inside the repository, and the rules it disables still run (their findings are
muted and counted, see policy.Policy) instead of being switched off.

A bare repository has no files on disk; its config is read from the HEAD tree.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .config import Profile, profile_from_text
from .ruleset import RuleError, RuleSet, load_paths
from .sources.gitrepo import GitRepo

CONFIG_NAMES = (".reposcrub.toml", "pyproject.toml")


def head_profile(repo: GitRepo) -> Optional[Profile]:
    """The repository's own config from its HEAD tree (bare repositories)."""
    listing = repo.run("ls-tree", "-z", "HEAD", "--", *CONFIG_NAMES, check=False)   # one git for all names
    files = {rec.split(b"\t", 1)[1] for rec in listing.split(b"\0")
             if rec.startswith(b"100") and b"\t" in rec}           # not absent, a symlink or a submodule
    for name in CONFIG_NAMES:
        if name.encode() not in files:
            continue
        raw = repo.run("cat-file", "blob", f"HEAD:{name}", check=False)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        prof = profile_from_text(text, f"HEAD:{name}", None, from_repo=True, pyproject=name == "pyproject.toml")
        if prof is not None:
            return prof
    return None


def add_repo_rules(ruleset: RuleSet, prof: Profile, root: Optional[Path], notes: list[str]) -> RuleSet:
    """Add the rules a repository's own config names, refusing what would weaken the scan."""
    files: list[Path] = []
    for r in prof.rules:
        p = Path(r)
        if root is None or not _inside(p, root):
            notes.append(f"{prof.source}: rule path {r} ignored: a repository's config may only "
                         f"name rule files inside the repository")
        elif not p.exists():
            notes.append(f"{prof.source}: rule path {r} not found; ignored")
        else:
            files.append(p)
    if not files:
        return ruleset
    try:
        extra = load_paths(files)
    except RuleError as exc:
        notes.append(f"{prof.source}: its rules were not loaded: {exc}")
        return ruleset
    known = {r.id for r in ruleset.rules}
    for rule in extra:
        if rule.id in known:
            notes.append(f"{rule.source}: rule {rule.id} ignored: a repository's config cannot "
                         f"replace a rule of the same id")
            continue
        known.add(rule.id)
        ruleset.rules.append(rule)
    return ruleset


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
