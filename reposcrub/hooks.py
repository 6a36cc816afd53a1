"""Git hooks: install one that runs reposcrub on what is committed or pushed,
and tell a blocked contributor what was found, where, and how to allow it.

`hook install` is the one command that writes into a repository, because the
user asked for exactly that: one file in the hooks directory (honouring
core.hooksPath), written atomically, never replacing a hook that is not ours
without --force.  The hook calls the Python interpreter that installed it
(`sys.executable -m reposcrub`), with that reposcrub on its path, so it works
in a GUI client or an IDE whose PATH has no virtualenv.
"""
from __future__ import annotations

import os
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import Optional, TextIO

import reposcrub

from .model import Action, RunResult
from .sinks.console import printable
from .sinks.report_json import text
from .sources.gitrepo import GitRepo, InputError

MARKER = "# reposcrub-hook v1"
HOOKS = {
    "pre-commit": "hook run --staged",
    "pre-push": 'hook run --pre-push "$@"',
}
DEFAULT_BASELINE = ".reposcrub-baseline.json"
DONE = {"commit": "committed", "push": "pushed"}
SHOWN = 20


def hooks_dir(repo: GitRepo) -> Path:
    """Where git looks for hooks: core.hooksPath (relative to the work tree) or .git/hooks."""
    raw = repo.run("rev-parse", "--git-path", "hooks").decode("utf-8", "surrogateescape").strip()
    path = Path(raw)
    if not path.is_absolute():
        path = (repo.work_tree or repo.git_dir) / path
    return path


def hook_script(kind: str, python: str = sys.executable, extra: str = "") -> str:
    package_parent = str(Path(reposcrub.__file__).resolve().parent.parent)
    return "\n".join([
        "#!/bin/sh",
        MARKER,
        f"# {kind}: scans only what is being {'committed' if kind == 'pre-commit' else 'pushed'} "
        "for secrets and company identifiers.",
        f"# Installed by `reposcrub hook install --{kind}`; delete this file to uninstall.",
        f"# Skip once: git {'commit' if kind == 'pre-commit' else 'push'} --no-verify",
        f"PY={shlex.quote(python)}",
        'if [ ! -x "$PY" ]; then',
        '    echo "reposcrub: $PY is gone, so nothing was checked; reinstall the hook with'
        f' \\`reposcrub hook install --{kind} --force\\` (or skip once with --no-verify)" >&2',
        "    exit 1",
        "fi",
        f"PYTHONPATH={shlex.quote(package_parent)}${{PYTHONPATH:+:$PYTHONPATH}}",
        "export PYTHONPATH",
        f'exec "$PY" -m reposcrub {HOOKS[kind]}{extra}',
        "",
    ])


def install(repo: GitRepo, kind: str, force: bool = False, baseline: Optional[str] = None) -> tuple[Path, str]:
    """Write the hook; returns its path and what happened (installed / replaced / unchanged)."""
    if kind not in HOOKS:
        raise InputError(f"unknown hook {kind!r}; choose one of {', '.join(HOOKS)}")
    extra = f" --baseline {shlex.quote(baseline)}" if baseline else ""
    script = hook_script(kind, extra=extra)
    target = hooks_dir(repo) / kind
    status = "installed"
    if target.exists() or target.is_symlink():
        current = _read(target)
        if current == script:
            return target, "unchanged"
        if not force:
            ours = MARKER in (current or "")
            raise InputError(f"{target}: a {kind} hook already exists"
                             + (" (an older reposcrub hook)" if ours else "")
                             + "; use --force to replace it")
        status = "replaced"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{kind}.reposcrub-tmp-{os.getpid()}")
    tmp.write_text(script, encoding="utf-8")
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)
    return target, status


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def print_blocked(result: RunResult, out: TextIO, action: str = "commit",
                  baseline_exists: bool = False) -> None:
    """What was found and where (masked), and the three ways to allow a false positive."""
    live = [f for f in result.findings if f.action is not Action.ALLOWED]
    kinds = Counter(f.kind for f in live)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    w = out.write
    w(f"reposcrub: {action} blocked: {summary} in what is being {DONE.get(action, action)}\n\n")
    for f in live[:SHOWN]:
        name = printable(text(f.path) or "")
        where = f"{name}:{f.line}:{f.column}" if f.line else f"{name} (its name)"
        commit = f"  (commit {f.commit[:10]})" if f.commit else ""
        w(f"  {where}  {f.rule}  {printable(f.preview)}{commit}\n")
    if len(live) > SHOWN:
        w(f"  … and {len(live) - SHOWN} more (reposcrub scan --staged --format json lists all)\n")
    first = live[0] if live else None
    rule = first.rule if first else "RULE_ID"
    w("\nIf a value is real: remove it, and rotate it if it was ever pushed or shared.\n")
    w("If it is a false positive, allow it in one of these ways:\n")
    w(f"  - a comment on the same line:   # reposcrub:allow {rule}\n")
    w("    (or `reposcrub:allow-next-line` on the line above; any comment syntax works)\n")
    if first:
        w(f"  - by fingerprint, in .reposcrub.toml:  [allowlist] fingerprints = [\"{first.fingerprint}\"]\n")
    keep = f"--baseline {DEFAULT_BASELINE} " if baseline_exists else ""
    scope = "--staged" if action == "commit" else "--since @{upstream}"
    w(f"  - accept everything found now:  reposcrub scan {scope} {keep}--baseline-out {DEFAULT_BASELINE}\n")
    w(f"    (the hook reads {DEFAULT_BASELINE} at the repository root when it exists)\n")
    w(f"To skip the check once: git {action} --no-verify\n")
