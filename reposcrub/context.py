"""What one run needs, built once from the command line: repo, profile, rules, scanner, policy."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .config import Profile, discover_profile
from .detect import Scanner
from .masking import load_key
from .policy import Policy
from .ruleset import RuleError, RuleSet
from .sources.gitrepo import GitRepo, InputError


@dataclass
class RunContext:
    repo: Optional[GitRepo]
    profile: Profile
    ruleset: RuleSet
    key: bytes
    scanner: Scanner
    policy: Policy

    @classmethod
    def build(cls, path: Optional[str], profile: Optional[str] = None,
              rules: Iterable[str] = (), disable: Iterable[str] = (),
              repo: Optional[GitRepo] = None, max_size: Optional[int] = None) -> "RunContext":
        if repo is None and path is not None:
            repo = GitRepo.discover(path)
        root = repo.work_tree if repo else None
        prof = discover_profile(profile, root)
        if max_size is not None:
            prof.max_size = max_size
        extra = [Path(p) for p in [*prof.rules, *rules]]
        for p in extra:
            if not p.exists():
                raise InputError(f"{p}: rule file or directory not found")
        try:
            ruleset = RuleSet.load(extra, disabled=[*prof.disabled_rules, *disable])
        except RuleError as exc:
            raise InputError(str(exc)) from None
        key = load_key(prof.fingerprint_key)
        try:
            scanner = Scanner(ruleset, key, prof)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        policy = Policy(allowed_fingerprints=set(prof.allow_fingerprints))
        return cls(repo, prof, ruleset, key, scanner, policy)
