"""The human view: a rich table of findings and a one-screen summary.

Paths, previews and reasons come from the repository, so they go through
`shown()`: a file named `[/bold]` must print as itself, not as rich markup
(which would crash the run or restyle the output)."""
from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..model import Action, RunResult
from .report_json import text


def printable(s: str) -> str:
    """No terminal control sequence from a file name or a message reaches the
    terminal (a name can hold ESC ]0;… to retitle it, ESC [2J to clear it)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)


def shown(s: str | None) -> str:
    """Repository-controlled text made safe to print: readable bytes, no control
    characters, no markup."""
    return escape(printable(text(s) or ""))


def print_findings(r: RunResult, console: Console, limit: int = 200) -> None:
    live = [f for f in r.findings if f.action is not Action.ALLOWED]
    if not live:
        console.print(f"[green]No findings[/green] in {r.blobs_scanned} blobs "
                      f"({r.bytes_scanned / 1e6:.1f} MB).")
        return
    table = Table(title=f"{len(live)} finding(s)", show_lines=False)
    for col in ("kind", "rule", "confidence", "where", "commit", "preview", "action"):
        table.add_column(col, overflow="fold")
    for f in live[:limit]:
        table.add_row(f.kind, shown(f.rule), f.confidence, f"{shown(f.path)}:{f.line}:{f.column}",
                      (f.commit or "")[:10], shown(f.preview), f.action.value)
    console.print(table)
    if len(live) > limit:
        console.print(f"… and {len(live) - limit} more (use --format json for all).")


def print_summary(r: RunResult, console: Console, dest: str = "", report: str = "") -> None:
    live = [f for f in r.findings if f.action is not Action.ALLOWED]
    kinds = Counter(f.kind for f in live)
    status = Counter(o.status for o in r.files)
    console.print(f"[bold]reposcrub {r.mode}[/bold] {shown(r.path)} @ {(r.head or '-')[:12]}")
    console.print(f"  scanned {r.blobs_scanned} blobs, {r.bytes_scanned / 1e6:.1f} MB, {r.refs_scanned} refs")
    if kinds:
        console.print("  findings: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                      + f" ({sum(1 for f in live if f.commit)} only in history)")
    else:
        console.print("  findings: none")
    suppressed = [f for f in r.findings if f.action is Action.ALLOWED]
    if suppressed:
        by_repo = sum(1 for f in suppressed if f.repo_allowed)
        console.print(f"  suppressed: {len(suppressed)}" + (
            f" ({by_repo} by the repository's own config or inline comments; listed in the report)"
            if by_repo else ""))
    overruled = sum(1 for f in r.findings if f.repo_allowed and f.action is not Action.ALLOWED)
    if overruled:
        console.print(f"  {overruled} value(s) the repository allows itself were redacted anyway "
                      f"(a snapshot only honours your own --profile allowlist)")
    if r.files:
        console.print("  files: " + ", ".join(f"{n} {s}" for s, n in sorted(status.items())))
        for o in r.files:
            if o.status in ("dropped", "renamed"):
                console.print(f"    {o.status}: {shown(o.path)}" + (f" -> {shown(o.to)}" if o.to else "")
                              + (f" ({shown(o.reason)})" if o.reason else ""))
    if r.missing_objects:
        console.print(f"  [yellow]{len(r.missing_objects)} object(s) missing from the repository[/yellow] "
                      f"(listed in the report)")
    for n in r.notes:
        console.print(f"  note: {shown(n)}")
    if dest:
        console.print(f"  snapshot: {shown(dest)}")
    if report:
        console.print(f"  report:   {shown(report)}")
