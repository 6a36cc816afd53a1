"""`reposcrub hook install|run`: reposcrub where contributors already work, in git hooks.

`install` writes the hook; `run` is what the hook (or the pre-commit
framework, which passes file names) calls.  Exit codes: 0 nothing found,
1 blocked, 2 bad input.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .sources.gitrepo import InputError

EXIT_FINDINGS = 1


@click.group("hook")
def hook_group() -> None:
    """Git hooks: block commits and pushes that add secrets."""


@hook_group.command("install")
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--pre-commit", "pre_commit", is_flag=True, help="Scan the staged changes before each commit (default).")
@click.option("--pre-push", "pre_push", is_flag=True, help="Scan the commits being pushed.")
@click.option("--force", is_flag=True, help="Replace an existing hook of the same name.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Baseline the hook passes to every run (default: .reposcrub-baseline.json if present).")
def install_cmd(path, pre_commit, pre_push, force, baseline):
    """Install a git hook into the repository at PATH (the one command that writes into a repo)."""
    from .hooks import install
    from .sources.gitrepo import GitRepo
    repo = GitRepo.discover(path)
    if repo.work_tree is None:
        raise InputError(f"{path}: a bare repository runs no commit hooks; install into a clone")
    kinds = [k for k, on in (("pre-commit", pre_commit), ("pre-push", pre_push)) if on] or ["pre-commit"]
    for kind in kinds:
        target, status = install(repo, kind, force=force, baseline=baseline)
        click.echo(f"reposcrub: {kind} hook {status}: {target}")


@hook_group.command("run")
@click.argument("args", nargs=-1, type=click.Path())
@click.option("--staged", is_flag=True, help="Scan the staged blobs (default when no FILES are given).")
@click.option("--pre-push", "pre_push", is_flag=True,
              help="Git's pre-push hook: ARGS are the remote name and URL, the refs come on stdin.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--profile", type=click.Path(dir_okay=False), help="Company profile (TOML).")
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Extra rule file or directory.")
@click.option("--disable", multiple=True, help="Disable a rule by id (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Say what was scanned even when nothing is found.")
def run_cmd(args, staged, pre_push, baseline, profile, rules, disable, verbose):
    """Scan what is being committed (staged blobs, or the FILES the pre-commit
    framework passes) or pushed; exit 1 and say how to allow a false positive."""
    from .baseline import load_baseline
    from .context import RunContext
    from .hooks import DEFAULT_BASELINE, print_blocked
    from .incremental import push_revs, run_files, run_range, run_staged
    from .scanning import failing
    ctx = RunContext.build(".", profile, rules, disable)
    root = ctx.repo.work_tree or Path(".")
    default = root / DEFAULT_BASELINE
    if baseline:
        ctx.policy.allowed_fingerprints |= load_baseline(Path(baseline))
    elif default.is_file() and not default.is_symlink():
        ctx.policy.repo_baseline |= load_baseline(default)
    if pre_push:
        new, old = push_revs(ctx, args[0] if args else "", sys.stdin.read().splitlines())
        result, action = run_range(ctx, new, old, mode="pre-push"), "push"
    elif args and not staged:
        result, action = run_files(ctx, args), "commit"
    else:
        result, action = run_staged(ctx), "commit"
    if failing(result.findings):
        print_blocked(result, sys.stderr, action, baseline_exists=default.is_file())
        sys.exit(EXIT_FINDINGS)
    if verbose:
        click.echo(f"reposcrub: {result.blobs_scanned} blob(s) scanned, nothing to block", err=True)
