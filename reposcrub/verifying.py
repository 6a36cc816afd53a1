"""`reposcrub verify`: rescan what scrub wrote, trusting nothing it claimed."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .bigfiles import STREAM_OVER, scan_big
from .context import RunContext
from .model import ContentItem, FileOutcome, Origin, RunResult
from .pathmask import mask_secret_paths
from .paths import scan_paths
from .sources.snapshot import snapshot_files
from .sources.textview import view


def run_verify(ctx: RunContext, dest: Path) -> RunResult:
    result = RunResult(path=str(dest), mode="verify")
    paths = []
    for f in snapshot_files(dest):
        paths.append(f.path)
        if f.size > ctx.profile.max_size:
            result.skipped.append(FileOutcome(f.path, "skipped", None,
                                              f"larger than the size limit ({f.size} bytes)"))
            continue
        result.blobs_scanned += 1
        result.bytes_scanned += f.size
        item = ContentItem(f.path, b"", Origin.SNAPSHOT)
        if f.size > STREAM_OVER:
            result.findings.extend(scan_big(ctx, item, f.open)[1])
        else:
            item = replace(item, data=view(f.read())[0])
            result.findings.extend(ctx.policy.decide(item, ctx.scanner.detect(item)))
    for found in scan_paths(ctx, paths, Origin.SNAPSHOT).values():   # file names are checked too
        result.findings.extend(found)
    mask_secret_paths(ctx, result)
    return result
