"""The company profile and run settings (TOML), found where people expect them.

`--profile FILE`, else `.reposcrub.toml` at the repository root, else
`[tool.reposcrub]` in its pyproject.toml.  The profile is data about the
company (names, domains, codenames); rules stay in rule files.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .sources.gitrepo import InputError

DEFAULT_MAX_SIZE = 1 << 62     # no limit: files too big to hold are streamed (bigfiles.py)


@dataclass
class Profile:
    names: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    codenames: list[str] = field(default_factory=list)
    ticket_prefixes: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    replace: dict[str, str] = field(default_factory=dict)
    inside_words: bool = False                                # also rename a term inside a longer word
    rules: list[str] = field(default_factory=list)            # extra rule files/dirs
    disabled_rules: list[str] = field(default_factory=list)
    allow_paths: list[str] = field(default_factory=list)      # globs
    allow_values: list[str] = field(default_factory=list)     # regexes
    allow_fingerprints: list[str] = field(default_factory=list)
    fingerprint_key: Optional[str] = None
    max_size: int = DEFAULT_MAX_SIZE
    drop_archives: bool = False                               # scrub --drop-archives
    source: Optional[str] = None                              # where it was read from
    from_repo: bool = False                                   # the scanned repo's own config

    @property
    def has_company(self) -> bool:
        return bool(self.names or self.domains or self.codenames or self.ticket_prefixes or self.emails)


def _list(d: dict, key: str) -> list[str]:
    v = d.get(key) or []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InputError(f"profile: {key} must be a list of strings")
    return list(v)


def profile_from_dict(raw: dict[str, Any], source: str, base: Optional[Path], from_repo: bool = False) -> Profile:
    company = raw.get("company", {}) or {}
    allow = raw.get("allowlist", {}) or {}
    scan = raw.get("scan", {}) or {}
    replace = raw.get("replace", {}) or {}
    if not isinstance(replace, dict) or not all(isinstance(v, str) for v in replace.values()):
        raise InputError("profile: [replace] maps strings to strings")
    inside = company.get("inside_words", False)
    if not isinstance(inside, bool):
        raise InputError("profile: [company] inside_words must be true or false")
    rules = [str((base / r).resolve()) if base and not Path(r).is_absolute() else r for r in _list(raw, "rules")]
    return Profile(
        names=_list(company, "names"), domains=_list(company, "domains"),
        codenames=_list(company, "codenames"), ticket_prefixes=_list(company, "ticket_prefixes"),
        emails=_list(company, "emails"), replace=dict(replace), inside_words=inside, rules=rules,
        disabled_rules=_list(raw, "disabled_rules") + _list(raw, "disable"),
        allow_paths=_list(allow, "paths"), allow_values=_list(allow, "values"),
        allow_fingerprints=_list(allow, "fingerprints"),
        fingerprint_key=(raw.get("report", {}) or {}).get("fingerprint_key"),
        max_size=int(scan.get("max_size", DEFAULT_MAX_SIZE)), source=source, from_repo=from_repo)


def profile_from_text(text: str, source: str, base: Optional[Path], from_repo: bool = False,
                      pyproject: bool = False) -> Optional[Profile]:
    """A profile from TOML text (a HEAD-tree blob); None for a pyproject without [tool.reposcrub]."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML: {exc}") from None
    if pyproject:
        raw = (raw.get("tool", {}) or {}).get("reposcrub")
        if raw is None:
            return None
    return profile_from_dict(raw, source, base, from_repo)


def load_profile(path: Path, from_repo: bool = False) -> Profile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: profile not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read profile: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        raw = (raw.get("tool", {}) or {}).get("reposcrub")
        if raw is None:
            raise InputError(f"{path}: no [tool.reposcrub] table")
    return profile_from_dict(raw, str(path), path.parent, from_repo)


def discover_profile(explicit: Optional[str], repo_root: Optional[Path]) -> Profile:
    if explicit:
        return load_profile(Path(explicit))
    if repo_root is not None:
        own = repo_root / ".reposcrub.toml"
        if own.is_file() and not own.is_symlink():
            return load_profile(own, from_repo=True)
        py = repo_root / "pyproject.toml"
        if py.is_file() and not py.is_symlink():
            try:
                if "tool" in (raw := tomllib.loads(py.read_text(encoding="utf-8"))) and "reposcrub" in raw["tool"]:
                    return load_profile(py, from_repo=True)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                pass
    return Profile()
