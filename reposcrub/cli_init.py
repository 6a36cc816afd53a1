"""`reposcrub init`: write a commented starter profile.

The profile is the one thing reposcrub cannot guess, so the starter explains
every field where it is, and, run inside a repository, lists the email
domains its commits were made from: usually the company's own domains.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from string import Template
from typing import Optional

import click

from .company import Company
from .config import load_profile
from .sources.gitrepo import GitRepo, InputError

DEFAULT_NAME = ".reposcrub.toml"
# Where anyone can have an address: a commit from there says nothing about the company.
PUBLIC_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
    "web.de", "mail.ru", "yandex.ru", "qq.com", "163.com", "fastmail.com", "hey.com",
    "users.noreply.github.com", "noreply.github.com", "github.com", "example.com", "localhost",
})


def _toml_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def commit_domains(path: str, limit: int = 5000) -> list[tuple[str, int]]:
    """Email domains of recent commit authors and committers, most frequent first."""
    try:
        repo = GitRepo.discover(path)
        out = repo.run("log", "--all", f"--max-count={limit}", "--format=%ae %ce", check=False)
    except (InputError, OSError):
        return []
    counts: Counter[str] = Counter()
    for line in out.decode("utf-8", "replace").splitlines():
        domains = {a.rpartition("@")[2].lower() for a in line.split() if "@" in a}
        counts.update(d for d in domains if "." in d and d not in PUBLIC_MAIL)
    return counts.most_common(10)


def render(names=(), domains=(), codenames=(), tickets=(), seen: Optional[list[tuple[str, int]]] = None) -> str:
    suggestions = ""
    if seen:
        lines = [f"#   {d}  ({n} commit{'s' if n != 1 else ''})" for d, n in seen]
        suggestions = ("\n# Commits in this repository were made from these email domains; add the\n"
                       "# company's own to `domains` below:\n" + "\n".join(lines) + "\n")
    from importlib import resources      # here, not at import: every command loads this module
    template = Template(resources.files("reposcrub").joinpath("data/profile.toml").read_text(encoding="utf-8"))
    return template.substitute(names=_toml_list(names), domains=_toml_list(domains),
                               codenames=_toml_list(codenames), ticket_prefixes=_toml_list(tickets),
                               suggestions=suggestions)


@click.command("init")
@click.argument("path", default=DEFAULT_NAME, type=click.Path())
@click.option("--name", "names", multiple=True, help="A company or product name (repeatable).")
@click.option("--domain", "domains", multiple=True, help="A company domain (repeatable).")
@click.option("--codename", "codenames", multiple=True, help="A project codename (repeatable).")
@click.option("--ticket-prefix", "tickets", multiple=True, help="An issue key prefix such as ACME (repeatable).")
@click.option("--repo", default=".", type=click.Path(file_okay=False),
              help="Repository whose commit email domains are suggested (default: the current one).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def init_cmd(path, names, domains, codenames, tickets, repo, force):
    """Write a commented starter profile to PATH (default .reposcrub.toml; a directory gets one inside)."""
    target = Path(path)
    if target.is_dir():
        target = target / DEFAULT_NAME
    if (target.exists() or target.is_symlink()) and not force:
        raise InputError(f"{target}: already exists (use --force to replace it)")
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: directory does not exist")
    text = render(names, domains, codenames, tickets, commit_domains(repo))
    tmp = target.parent / f".{target.name}.reposcrub-tmp-{os.getpid()}"
    tmp.write_text(text, encoding="utf-8")
    try:
        Company.from_profile(load_profile(tmp))   # what we write must load, --name values included
    except InputError:
        tmp.unlink()
        raise
    os.replace(tmp, target)
    click.echo(f"reposcrub: wrote {target}; fill in [company], then: reposcrub scan --profile {target}")
