"""What one run needs, built once from the command line: repo, profile, rules, scanner, policy."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .config import Profile, discover_profile
from .detect import Scanner
from .masking import load_key
from .policy import Policy
from .repo_config import add_repo_rules, head_profile
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
    notes: list[str] = field(default_factory=list)   # said in the report (e.g. repo config refused)
    jobs: int = 0                                     # history scan workers; 0: every available core

    @classmethod
    def build(cls, path: Optional[str], profile: Optional[str] = None,
              rules: Iterable[str] = (), disable: Iterable[str] = (),
              repo: Optional[GitRepo] = None, max_size: Optional[int] = None,
              snapshot: bool = False, jobs: Optional[int] = None) -> "RunContext":
        if repo is None and path is not None:
            repo = GitRepo.discover(path)
        root = repo.work_tree if repo else None
        prof = discover_profile(profile, root)
        if not profile and repo is not None and root is None:
            prof = head_profile(repo) or prof           # a bare repository: its HEAD tree
        if max_size is not None:
            prof.max_size = max_size
        trusted = not prof.from_repo                    # see repo_config: what a repo may do
        extra = [Path(p) for p in [*(prof.rules if trusted else []), *rules]]
        for p in extra:
            if not p.exists():
                raise InputError(f"{p}: rule file or directory not found")
        try:
            ruleset = RuleSet.load(extra, disabled=[*(prof.disabled_rules if trusted else []), *disable])
        except RuleError as exc:
            raise InputError(str(exc)) from None
        notes: list[str] = []
        if not trusted:
            ruleset = add_repo_rules(ruleset, prof, root, notes)
        own_key = prof.fingerprint_key
        if snapshot and not trusted and own_key:
            own_key = None   # it would travel in the snapshot and make the report's fingerprints guessable
            notes.append(f"{prof.source}: its fingerprint_key is not used for a snapshot's report")
        key = load_key(own_key)
        try:
            scanner = Scanner(ruleset, key, prof)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        policy = Policy.from_profile(prof)
        if repo is not None and repo.is_shallow():
            notes.append("shallow clone: history older than the clone's depth is not in the repository "
                         "and was not scanned")
        return cls(repo, prof, ruleset, key, scanner, policy, notes, jobs or 0)
