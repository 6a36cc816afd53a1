"""A rich progress bar on a terminal, silence in a pipe or with --quiet.

Progress lines show counts and sizes only: never a path's content or a value.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, Optional


class Bar:
    """One task's bar: objects done (of how many, once known), MB, MB/s, ETA.

    It appears only on `start()`: the history scan starts it after forking its
    workers, because a fork while the bar's refresh thread runs is unsafe."""

    def __init__(self, label: str, total: Optional[int]):
        self.label, self.total = label, total
        self._rich = None
        self._task = None
        self._mb = 0.0

    def start(self) -> None:
        if self._rich is not None:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                   ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn)
        from rich.text import Text

        class Throughput(ProgressColumn):
            def render(self, task) -> Text:
                mb, secs = task.fields.get("mb", 0.0), task.elapsed or 0.0
                return Text(f"{mb:,.0f} MB  {mb / secs if secs else 0:,.0f} MB/s")

        self._rich = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("objects"), Throughput(), TimeElapsedColumn(),
                                  TextColumn("ETA"), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        self._rich.start()
        self._task = self._rich.add_task(self.label, total=self.total, mb=0.0)

    def advance(self, blobs: int = 1, nbytes: int = 0) -> None:
        if self._rich is not None:
            self._mb += nbytes / 1e6
            self._rich.update(self._task, advance=blobs, mb=self._mb)

    def set_total(self, total: int) -> None:
        """The total becomes known when git has listed every blob."""
        self.total = total
        if self._rich is not None:
            self._rich.update(self._task, total=total)

    def stop(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None


class Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar: Optional[Bar] = None

    def advance(self, blobs: int = 1, nbytes: int = 0) -> None:
        if self._bar is not None:
            self._bar.advance(blobs, nbytes)

    @contextmanager
    def task(self, label: str, total: Optional[int]) -> Iterator[Optional[Bar]]:
        """A bar for one task (None when disabled); call its start() to show it."""
        if not self.enabled:
            yield None
            return
        self._bar = Bar(label, total)
        try:
            yield self._bar
        finally:
            self._bar.stop()
            self._bar = None


def progress_for(quiet: bool) -> Progress:
    return Progress(enabled=not quiet and sys.stderr.isatty())
