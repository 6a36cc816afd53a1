"""A rich progress bar on a terminal, silence in a pipe or with --quiet.

Progress lines show counts and sizes only: never a path's content or a value.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, Optional


class Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._task = None

    def advance(self, blobs: int = 1, nbytes: int = 0) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=blobs, mb=self._bar.tasks[0].fields["mb"] + nbytes / 1e6)

    @contextmanager
    def task(self, label: str, total: Optional[int]) -> Iterator["Progress"]:
        if not self.enabled:
            yield self
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                   TextColumn, TimeElapsedColumn, TimeRemainingColumn)
        from rich.console import Console
        bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("blobs"), TextColumn("{task.fields[mb]:.0f} MB"),
                           TextColumn("{task.speed:.0f}/s" if False else ""),
                           TimeElapsedColumn(), TimeRemainingColumn(),
                           console=Console(stderr=True), transient=True)
        with bar:
            self._bar, self._task = bar, bar.add_task(label, total=total, mb=0.0)
            try:
                yield self
            finally:
                self._bar = self._task = None


def progress_for(quiet: bool) -> Progress:
    return Progress(enabled=not quiet and sys.stderr.isatty())
