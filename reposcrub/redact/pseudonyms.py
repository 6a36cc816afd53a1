"""Consistent placeholders: one value, one replacement, everywhere in a snapshot.

A secret seen twice (in two files, or in a file and a file name) gets the same
typed marker both times, so configuration that must agree still agrees.
"""
from __future__ import annotations

from collections import defaultdict


class Pseudonyms:
    def __init__(self) -> None:
        self._secret: dict[tuple[str, bytes], str] = {}
        self._counters: defaultdict[str, int] = defaultdict(int)
        self.mapping: dict[str, dict[bytes, str]] = defaultdict(dict)  # kind -> value -> replacement

    def secret(self, placeholder: str, value: bytes) -> str:
        """REDACTED-<type>-<n>: n counts distinct values of that type."""
        key = (placeholder, value)
        if key not in self._secret:
            self._counters[placeholder] += 1
            self._secret[key] = f"REDACTED-{placeholder}-{self._counters[placeholder]}"
            self.mapping["secret"][value] = self._secret[key]
        return self._secret[key]
