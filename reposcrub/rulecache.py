"""Parsed rule files, remembered by content: a scan starts without parsing YAML.

Parsing the ~300 built-in rules with libyaml took 40-50 ms of every run, a
tenth of a small repository's whole scan and more than a commit hook should
spend before it reads a byte.  The parsed form of each rule file is kept in
one JSON file in the user's cache directory (beside the compiled hyperscan
database), keyed by a hash of the file's text: an edited rule file is simply
a new key, so the cache can never serve a stale rule.  Only documents that
survive a JSON round trip unchanged are kept (a YAML date or a non-string key
would not), so what the cache gives back is exactly what the parser gave.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Optional

CACHE_VERSION = "1"     # bump when the parser's output for the same text may change
MAX_ENTRIES = 32        # parsed files kept (the built-in set is ~18): the whole cache is read at
                        # every start, so files edited away must not pile up in it (56 entries,
                        # most of them old versions of rule files being edited, took 6 ms to read)
MAX_TEXT = 1 << 20      # a bigger rule file is parsed each time, not copied into the cache
_MISSING = object()


class ParseCache:
    """text -> parsed document, in memory and in one JSON file."""

    def __init__(self, path: Optional[Path]):
        self.path = path
        self._entries: Optional[dict[str, Any]] = None
        self._dirty = False
        self._used: set[str] = set()      # keys this process asked for: kept first when pruning

    def get(self, text: str, parse) -> Any:
        """parse(text), or what it returned for the same text before."""
        if len(text) > MAX_TEXT:
            return parse(text)
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        entries = self._load()
        self._used.add(key)
        found = entries.get(key, _MISSING)
        if found is not _MISSING:
            return found
        doc = parse(text)
        if _json_exact(doc):
            entries[key] = doc
            self._dirty = True
        return doc

    def flush(self) -> None:
        """Write what was parsed since the last flush (once per load, not per file),
        keeping what this process used and then the newest of the rest."""
        if self._dirty and self._entries is not None:
            self._dirty = False
            others = [k for k in self._entries if k not in self._used]
            for k in others[:max(0, len(self._entries) - MAX_ENTRIES)]:   # the oldest go first
                del self._entries[k]
            self._save()

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None:
                try:
                    data = json.loads(self.path.read_bytes())
                    if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                        self._entries = dict(data.get("files") or {})
                except (OSError, ValueError):
                    pass            # no cache yet, or a damaged one: parse again
        return self._entries

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": self._entries}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass                    # a read-only home only costs the next run a parse


def _json_exact(doc: Any) -> bool:
    try:
        return json.loads(json.dumps(doc)) == doc
    except (TypeError, ValueError):
        return False


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reposcrub"


_CACHES: dict[Path, ParseCache] = {}


def rule_documents() -> ParseCache:
    """The cache for this process, bound to the current cache directory."""
    path = cache_dir() / "rules-parsed.json"
    if path not in _CACHES:
        _CACHES[path] = ParseCache(path)
    return _CACHES[path]
