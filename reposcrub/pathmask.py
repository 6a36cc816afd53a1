"""A secret used as a file name must not reach the report through its path.

The snapshot renames such a file (paths.py), but the report and the console
name files by their original paths, and history findings carry the path a
blob once had.  Before a result is shown or written, every path it names is
scanned (one engine pass over all of them, as paths.py does for HEAD) and
each secret found in one is replaced by its masked preview wherever it
appears in a path or a note.
"""
from __future__ import annotations

from .context import RunContext
from .masking import mask
from .model import RunResult
from .paths import scan_paths


def mask_secret_paths(ctx: RunContext, result: RunResult) -> None:
    rows = result.files + result.skipped
    paths = {f.path for f in result.findings} | {o.path for o in rows} | {o.to for o in rows if o.to}
    found = scan_paths(ctx, sorted(paths))
    values = {f.value.decode("utf-8", "surrogateescape") for fs in found.values() for f in fs
              if f.kind == "secret"}
    if not values:
        return
    order = sorted(values, key=len, reverse=True)

    def masked(text: str) -> str:
        for v in order:
            if v in text:
                text = text.replace(v, mask(v.encode("utf-8", "surrogateescape")))
        return text

    for f in result.findings:
        f.path = masked(f.path)
    for o in rows:
        o.path = masked(o.path)
        o.to = masked(o.to) if o.to else o.to
    result.notes = [masked(n) for n in result.notes]
