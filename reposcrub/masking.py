"""Keep secret values out of every output: masked previews and keyed fingerprints.

A fingerprint identifies a (rule, value) pair so baselines survive line moves
and match between tree and history scans.  It is an HMAC, not a plain hash,
so a report in someone else's hands cannot be used to confirm a guess of a
weak password; the key is the team's (env or profile) or, by default, the
user's own (a random key kept in the user's config directory).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV_KEY = "REPOSCRUB_FINGERPRINT_KEY"


def mask(value: bytes) -> str:
    """Show at most a quarter of the value at each end: enough to recognise, too
    little to use.  Short values show almost nothing."""
    text = value.decode("utf-8", "replace").replace("\n", "\\n").replace("\r", "\\r")
    n = len(text)
    if n <= 4:
        return "…"
    head, tail = min(4, n // 4), min(4, n // 5)
    return text[:head] + "…" + (text[n - tail:] if tail else "")


def _key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "reposcrub" / "fingerprint.key"


def load_key(explicit: str | None = None) -> bytes:
    """The fingerprint key: explicit (profile) > env > per-user key file."""
    if explicit:
        return explicit.encode()
    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].encode()
    path = _key_file()
    try:
        return path.read_bytes().strip()
    except OSError:
        pass
    key = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:
        return path.read_bytes().strip()
    except OSError:
        pass  # an unwritable home: fingerprints are stable for this run only
    return key


def fingerprint(rule_id: str, value: bytes, key: bytes) -> str:
    return hmac.new(key, rule_id.encode() + b"\0" + value, hashlib.sha256).hexdigest()[:32]
