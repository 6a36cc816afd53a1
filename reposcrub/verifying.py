"""`reposcrub verify`: rescan what scrub wrote, trusting nothing it claimed."""
from __future__ import annotations

from pathlib import Path

from .context import RunContext
from .model import Origin, RunResult
from .paths import scan_paths
from .sources.snapshot import snapshot_items


def run_verify(ctx: RunContext, dest: Path) -> RunResult:
    result = RunResult(path=str(dest), mode="verify")
    paths = []
    for item in snapshot_items(dest, ctx.profile.max_size):
        paths.append(item.path)
        result.blobs_scanned += 1
        result.bytes_scanned += len(item.data)
        result.findings.extend(ctx.policy.decide(item, ctx.scanner.detect(item)))
    for found in scan_paths(ctx, paths, Origin.SNAPSHOT).values():   # file names are checked too
        result.findings.extend(found)
    return result
