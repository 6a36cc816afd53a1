"""The command line: thin wrappers that build a RunContext and hand results to sinks.

Exit codes: 0 ok / nothing found, 1 findings, 2 usage or input error.  Input
errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .sources.gitrepo import InputError

EXIT_FINDINGS, EXIT_ERROR = 1, 2
FORMATS = ["table", "json", "jsonl", "sarif"]


class Group(click.Group):
    """Turns expected failures into one clear line and exit 2."""

    def invoke(self, ctx):
        try:
            return self._invoke(ctx)
        finally:
            # a run that did not finish leaves no temporary output; a run that never
            # loaded the snapshot writer has none (and need not import tar and zip)
            snapshot = sys.modules.get(f"{__package__}.sinks.snapshot")
            if snapshot is not None:
                snapshot.abort_unfinished()

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"reposcrub: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("reposcrub: interrupted; nothing was written", err=True)
            sys.exit(130)
        except MemoryError:
            click.echo("reposcrub: error: out of memory", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as exc:
            click.echo(f"reposcrub: error: {exc.strerror or exc}"
                       + (f": {exc.filename}" if getattr(exc, "filename", None) else ""), err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: still one line, and no message that could quote input
            if os.environ.get("REPOSCRUB_DEBUG"):
                raise
            click.echo(f"reposcrub: internal error ({type(exc).__name__}); "
                       "rerun with REPOSCRUB_DEBUG=1 for the traceback", err=True)
            sys.exit(EXIT_ERROR)


def common(f):
    f = click.option("--profile", type=click.Path(dir_okay=False), help="Company profile (TOML).")(f)
    f = click.option("--rules", "rules", multiple=True, type=click.Path(),
                     help="Extra rule file or directory (repeatable).")(f)
    f = click.option("--disable", multiple=True, help="Disable a rule by id (repeatable).")(f)
    f = click.option("--max-size", type=int, default=None,
                     help="Skip blobs larger than this many bytes (reported). Default: no limit; "
                          "files over 16 MB are scanned and scrubbed as streams.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")(f)
    f = click.option("-v", "--verbose", is_flag=True, help="Say more about what is skipped.")(f)
    return f


def jobs_option(f):
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes for the history scan (default: all available cores).")(f)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="reposcrub")
def main() -> None:
    """Make a Git repository safe to hand to someone else."""
    signal.signal(signal.SIGTERM, _interrupted)   # clean up temp output as on Ctrl-C


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """The program (console script, `python -m reposcrub`): main(), then out without
    tearing the interpreter down -- freeing a history scan's objects one by one
    took 25 ms of a 1 s scan.  Output is flushed and atexit handlers run as on a
    normal exit; an error or Ctrl-C leaves the usual way.  (Call main() to run
    the command line inside a longer-lived process.)"""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass                # a closed pipe: nothing more can be said on it
    import atexit
    atexit._run_exitfuncs()
    os._exit(code)


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--no-history", is_flag=True, help="Scan HEAD only.")
@click.option("--worktree", is_flag=True, help="Scan the checkout as it is on disk instead of HEAD.")
@click.option("--staged", is_flag=True, help="Scan only the staged blobs (what `git commit` would record).")
@click.option("--since", metavar="REV", help="Scan only the commits on HEAD that REV does not have (CI).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--baseline-out", type=click.Path(dir_okay=False), help="Record the findings as a baseline here.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: table on a terminal, json otherwise).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@common
@jobs_option
def scan(path, no_history, worktree, staged, since, baseline, baseline_out, fmt, output,
         profile, rules, disable, max_size, quiet, verbose, jobs):
    """Find secrets and company identifiers in HEAD and in all history."""
    walk = None
    if not (no_history or staged or since):
        walk = _start_walk(path)       # git walks the history while the rules load
    try:
        _scan(path, no_history, worktree, staged, since, baseline, baseline_out, fmt, output, profile, rules,
              disable, max_size, quiet, verbose, jobs, walk)
    finally:
        if walk is not None:
            walk.close()


def _start_walk(path: str):
    """The history listing (sources/history.BlobStream), started before anything
    else: git's walk (0.1 s on flask) then runs on a core that start-up leaves idle."""
    from .sources.gitrepo import GitRepo
    from .sources.history import BlobStream
    return BlobStream(GitRepo.discover(path)).start()


def _scan(path, no_history, worktree, staged, since, baseline, baseline_out, fmt, output,
          profile, rules, disable, max_size, quiet, verbose, jobs, walk) -> None:
    from .context import RunContext
    from .progress import progress_for
    from .scanning import failing, run_scan
    ctx = RunContext.build(path, profile, rules, disable, max_size=max_size, jobs=jobs,
                           repo=walk.repo if walk else None)
    if baseline:
        from .baseline import load_baseline
        ctx.policy.allowed_fingerprints |= load_baseline(Path(baseline))
    if staged:
        from .incremental import run_staged
        result = run_staged(ctx)
    elif since:
        from .incremental import run_range, since_revs
        result = run_range(ctx, *since_revs(ctx, since), progress=progress_for(quiet), mode="since")
    else:
        result = run_scan(ctx, with_history=not no_history, worktree=worktree, progress=progress_for(quiet),
                          walk=walk)
    fmt = fmt or ("table" if sys.stdout.isatty() and not output else "json")
    emit(result, fmt, output, quiet, verbose, ctx.ruleset.rules)
    if baseline_out:
        from .baseline import write_baseline
        n = write_baseline(Path(baseline_out), result.findings)
        click.echo(f"reposcrub: baseline of {n} finding(s) written to {baseline_out}", err=True)
    sys.exit(EXIT_FINDINGS if failing(result.findings) else 0)


def emit(result, fmt: str, output: Optional[str], quiet: bool, verbose: bool, rules=()) -> None:
    from .sinks import report_json      # each format imports only its own sink (rich: 15 ms)
    if fmt == "table":
        from rich.console import Console
        from .sinks import console as con
        c = Console(file=open(output, "w", encoding="utf-8") if output else sys.stdout)
        con.print_findings(result, c)
        if not quiet:
            con.print_summary(result, c)
        return
    if fmt == "sarif":
        from .sinks import report_sarif
        text = report_sarif.dumps(result, rules)
    else:
        text = {"json": report_json.dumps, "jsonl": report_json.dumps_jsonl}[fmt](result)
    if output:
        report_json.write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--out", "dest", required=True, type=click.Path(), help="DEST directory, *.tar.gz or *.zip.")
@click.option("--report", type=click.Path(dir_okay=False), help="Report path (default DEST.report.json).")
@click.option("--worktree", is_flag=True, help="Snapshot the checkout as it is on disk instead of HEAD.")
@click.option("--no-history", is_flag=True, help="Do not scan history for the report.")
@click.option("--force", is_flag=True, help="Replace an existing DEST / report.")
@click.option("--drop-archives", is_flag=True,
              help="Leave every archive (.zip, .jar, .tar.gz, …) out of the snapshot (reported).")
@common
@jobs_option
def scrub(path, dest, report, worktree, no_history, force, drop_archives, profile, rules, disable, max_size,
          quiet, verbose, jobs):
    """Write a sanitized, flattened snapshot of HEAD and a report beside it."""
    from rich.console import Console
    from .context import RunContext
    from .progress import progress_for
    from .scrubbing import default_report_path, run_scrub
    from .sinks import console as con
    ctx = RunContext.build(path, profile, rules, disable, max_size=max_size, snapshot=True, jobs=jobs)
    ctx.profile.drop_archives = drop_archives
    dest_p = Path(dest)
    report_p = Path(report) if report else default_report_path(dest_p)
    result = run_scrub(ctx, dest_p, report_p, force=force, worktree=worktree,
                       with_history=not no_history, progress=progress_for(quiet))
    if not quiet:
        con.print_summary(result, Console(), str(dest_p), str(report_p))


@main.command()
@click.argument("dest", type=click.Path(exists=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False))
@common
def verify(dest, fmt, output, profile, rules, disable, max_size, quiet, verbose):
    """Rescan a written snapshot; exit 1 if anything is left."""
    from .context import RunContext
    from .scanning import failing
    from .verifying import run_verify
    ctx = RunContext.build(None, profile, rules, disable, max_size=max_size)
    result = run_verify(ctx, Path(dest))
    fmt = fmt or ("table" if sys.stdout.isatty() and not output else "json")
    emit(result, fmt, output, quiet, verbose, ctx.ruleset.rules)
    sys.exit(EXIT_FINDINGS if failing(result.findings) else 0)


from .cli_hook import hook_group  # noqa: E402  (command groups, one line each)
from .cli_init import init_cmd  # noqa: E402
from .cli_rules import rules_group  # noqa: E402
main.add_command(init_cmd)
main.add_command(rules_group)
main.add_command(hook_group)


if __name__ == "__main__":  # pragma: no cover
    run()
