"""`reposcrub rules …`: list, test, lint and explain rules; import gitleaks configs.

The logic lives in rule_tools (and gitleaks_import); this module only parses
options and prints.  Exit codes follow the rest of the CLI: 0 all good, 1 a
failing example or a lint error, 2 bad input.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, Optional

import click

from .sources.gitrepo import InputError

EXIT_PROBLEMS = 1


def _rule_options(f):
    f = click.option("--rules", "rules", multiple=True, type=click.Path(),
                     help="Extra rule file or directory (repeatable).")(f)
    f = click.option("--profile", type=click.Path(dir_okay=False),
                     help="Profile whose `rules = [...]` and `disabled_rules` apply "
                          "(default: the current repository's own config, if any).")(f)
    f = click.option("--no-builtin", is_flag=True, help="Only the rule files given, not the shipped rules.")(f)
    return f


def _extra_paths(paths: Iterable[str], rules: Iterable[str], profile: Optional[str]) -> tuple[list[Path], list[str]]:
    """Rule files from arguments, --rules and the profile; and the disabled ids."""
    from .config import Profile, discover_profile
    prof = Profile()
    if profile:
        prof = discover_profile(profile, None)
    else:
        try:
            from .sources.gitrepo import GitRepo
            repo = GitRepo.discover(".")
            prof = discover_profile(None, repo.work_tree)
        except InputError:
            pass                     # not in a repository: the shipped rules only
    extra = [Path(p) for p in [*prof.rules, *rules, *paths]]
    for p in extra:
        if not p.exists():
            raise InputError(f"{p}: rule file or directory not found")
    return extra, prof.disabled_rules


def _load(paths, rules, profile, no_builtin, disable=()) -> list:
    from .rule_tools import load_rules
    from .ruleset import RuleError
    extra, disabled = _extra_paths(paths, rules, profile)
    try:
        loaded = load_rules(extra, builtin=not no_builtin)
    except RuleError as exc:
        raise InputError(str(exc)) from None
    off = set(disabled) | set(disable)
    return [r for r in loaded if r.id not in off]


def _in_force(loaded: list) -> list:
    """A later file overrides an earlier rule of the same id, as in a scan."""
    return list({r.id: r for r in loaded}.values())


@click.group("rules")
def rules_group() -> None:
    """Rule authoring: list, test, lint and explain rules; import gitleaks configs."""


@rules_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--disable", multiple=True, help="Leave out a rule by id (repeatable).")
@_rule_options
def list_cmd(fmt, disable, rules, profile, no_builtin):
    """The rules in force: id, kind, name and the file each comes from."""
    from .rule_tools import rule_row
    rows = [rule_row(r) for r in _in_force(_load((), rules, profile, no_builtin, disable))]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    widths = {k: max([len(k)] + [len(str(r[k])) for r in rows]) for k in ("id", "kind", "type")}
    click.echo(f"{'id':<{widths['id']}}  {'kind':<{widths['kind']}}  {'type':<{widths['type']}}  name  [source]")
    for r in rows:
        click.echo(f"{r['id']:<{widths['id']}}  {r['kind']:<{widths['kind']}}  {r['type']:<{widths['type']}}  "
                   f"{r['name']}  [{r['source']}]")
    click.echo(f"{len(rows)} rule(s)", err=True)


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@_rule_options
def test_cmd(paths, fmt, verbose, rules, profile, no_builtin):
    """Run every rule's examples and negative examples (plus rule files in PATHS)."""
    from .rule_tools import test_rules
    in_force = _in_force(_load(paths, rules, profile, no_builtin))
    report = test_rules(in_force)
    if fmt == "json":
        click.echo(json.dumps({"rules": len(in_force), "examples": len(report.results),
                               "failed": len(report.failures), "skipped": len(report.skipped),
                               "results": [r.to_dict() for r in report.results
                                           if verbose or not r.ok or r.skipped]}, indent=2))
    else:
        _print_test(report, verbose, len(in_force))
    sys.exit(EXIT_PROBLEMS if report.failures else 0)


def _print_test(report, verbose: bool, n_rules: int) -> None:
    from .rule_tools import display_source, short
    for r in report.results:
        kind = "example" if r.positive else "negative example"
        if r.skipped:
            click.echo(f"SKIP {r.rule.id} {kind} {r.index}: {r.why}")
        elif not r.ok:
            click.echo(f"FAIL {r.rule.id} ({display_source(r.rule.source)}) {kind} {r.index}")
            click.echo(f"  template: {short(r.template)!r}")
            if r.text != r.template:
                click.echo(f"  text:     {short(r.text)!r}")
            if r.matched:
                click.echo("  matched:  " + ", ".join(repr(short(m, 80)) for m in r.matched))
            click.echo(f"  why:      {r.why}")
        elif verbose:
            click.echo(f"ok   {r.rule.id} {kind} {r.index}")
    failed = report.rules_failed
    click.echo(f"{n_rules} rule(s), {len(report.results)} example(s): "
               f"{len(report.results) - len(report.failures) - len(report.skipped)} passed, "
               f"{len(report.failures)} failed" + (f" (rules: {', '.join(failed)})" if failed else "")
               + f", {len(report.skipped)} skipped")


@rules_group.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@_rule_options
def lint_cmd(paths, fmt, strict, rules, profile, no_builtin):
    """Find rule mistakes: duplicate ids, bad or catastrophic patterns, keywords
    that hide the rule's own examples, negative examples that match, no examples."""
    from .rule_tools import Problem, lint_rules
    from .ruleset import RuleError, builtin_rule_files, load_file
    extra, disabled = _extra_paths(paths, rules, profile)
    files = (builtin_rule_files() if not no_builtin else []) + _rule_files(extra)
    loaded, problems = [], []
    for f in files:
        try:
            loaded.extend(load_file(f))
        except RuleError as exc:
            problems.append(Problem("-", str(f), "bad-rule-file", str(exc)))
    loaded = [r for r in loaded if r.id not in set(disabled)]
    problems += lint_rules(loaded)
    errors = [p for p in problems if p.severity == "error" or strict]
    if fmt == "json":
        click.echo(json.dumps({"rules": len(_in_force(loaded)), "errors": len(errors),
                               "problems": [p.to_dict() for p in problems]}, indent=2))
    else:
        for p in problems:
            click.echo(f"{p.severity.upper():7} {p.rule} [{p.code}] {p.message}  ({p.source})")
        click.echo(f"{len(_in_force(loaded))} rule(s): {len(errors)} error(s), "
                   f"{len(problems) - len(errors)} warning(s)")
    sys.exit(EXIT_PROBLEMS if errors else 0)


def _rule_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += (sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))) if p.is_dir() else [p]
    return out


@rules_group.command("explain")
@click.argument("rule_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_rule_options
def explain_cmd(rule_id, fmt, rules, profile, no_builtin):
    """Show one rule: pattern or query, keywords, checks, examples (expanded)."""
    from .rule_tools import close_ids, explain, find_rule
    loaded = _load((), rules, profile, no_builtin)
    rule = find_rule(loaded, rule_id)
    if rule is None:
        near = close_ids(loaded, rule_id)
        raise InputError(f"{rule_id}: no such rule" + (f" (did you mean {', '.join(near)}?)" if near else
                                                        "; `reposcrub rules list` shows them all"))
    rows = explain(rule)
    if fmt == "json":
        out: dict = {}
        for k, v in rows:
            out.setdefault(k, []).append(v) if k in ("example", "negative") else out.__setitem__(k, v)
        click.echo(json.dumps(out, indent=2))
        return
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        lines = v.splitlines() or [""]
        click.echo(f"{k:<{width}}  {lines[0]}")
        for line in lines[1:]:
            click.echo(f"{'':<{width}}  {line}")


@rules_group.command("import-gitleaks")
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the rule YAML here (default: stdout).")
def import_gitleaks_cmd(config, output):
    """Convert a gitleaks TOML config into reposcrub rule YAML.

    Says what changed in each rule and names every rule it could not convert,
    with the reason; exit 1 when some rule was left out (the rest is still written)."""
    from .gitleaks_import import import_config, loaded_rules, to_yaml
    from .sinks.report_json import write_atomic
    result = import_config(Path(config))
    text = to_yaml(result, Path(config).name)
    loaded_rules(text)                     # what we write must load as it will be loaded
    if output:
        write_atomic(Path(output), text)
    else:
        click.echo(text, nl=False)
    total = len(result.converted) + len(result.skipped)
    say = lambda s: click.echo(s, err=True)   # noqa: E731
    say(f"reposcrub: converted {len(result.converted)} of {total} gitleaks rule(s)"
        + (f" into {output}" if output else ""))
    changed = [(c.rule["id"], n) for c in result.converted for n in c.notes]
    if changed:
        say("  changed on the way:")
        for rid, note in changed:
            say(f"    {rid}: {note}")
    if result.skipped:
        say("  not converted:")
        for s in result.skipped:
            say(f"    {s.id}: {s.reason}")
    for note in result.notes:
        say(f"  note: {note}")
    if result.profile_values:
        say("  the global allowlist's regexes also suit your profile (they then cover reposcrub's own rules):")
        say("    [allowlist]")
        say("    values = [" + ", ".join(json.dumps(v) for v in result.profile_values) + "]")
    if output:
        say(f"  check them: reposcrub rules test --no-builtin {output} && reposcrub rules lint {output}")
    sys.exit(EXIT_PROBLEMS if result.skipped else 0)
