"""Post-filters run on candidate values only (never on whole files).

A rule names its checks as strings (``entropy>=3.5``, ``github-crc32``); this
keeps rules data while the logic lives here, tested once.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections import Counter
from typing import Callable

from ..examplegen import base62
from .addresses import is_identifying as private_ip

Check = Callable[[bytes], bool]


def shannon_entropy(value: bytes) -> float:
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


# Values that say "no real secret here": placeholders, references, redactions.
_PLACEHOLDER = re.compile(
    rb"(?ix)^(?:"
    rb"[\s\"'`]*$"                                  # empty / quotes only
    rb"|.*redacted.*"                               # our own (and others') redactions
    rb"|.*(?:changeme|change[_-]?me|placeholder|dummy|example|sample|your[_-]?|insert[_-]?|replace[_-]?me|todo|fixme|fake|notreal|not[_-]a[_-]|do[_-]?not[_-]?use|demo[_-]?key|secret[_-]?here|here[_-]?secret).*"
    rb"|(.)\1{5,}.*|.*(.)\2{7,}.*"                  # xxxxxx, 00000000, ********
    rb"|.*(?:x{4,}|X{4,}|\*{3,}|\.\.\.|\xe2\x80\xa6).*"     # sk_live_xxxx, abc***, 492f..., 492f…
    rb"|\$\{[^}]*\}.*|\$\([^)]*\).*|\$[A-Za-z_][A-Za-z0-9_]*"   # ${VAR} $(cmd) $VAR
    rb"|\{\{.*\}\}|<%.*%>|<[^<>]{1,60}>|%\([^)]*\)s|%[sd]"      # templates, <password>
    rb"|\#\{[^}]*\}.*|\{[A-Za-z_][\w.]*\}"                  # #{ruby}, {python_format}
    rb"|process\.env.*|os\.environ.*|env\(.*|getenv.*"
    rb"|(?:none|null|nil|undefined|true|false|password|secret|token|pass|passwd|test|testing|admin|root|string|str|value|abc123|123456|1234567890|qwerty|letmein|[*.]+)"
    rb")$")


def is_placeholder(value: bytes) -> bool:
    """True for values that are obviously not a credential."""
    return bool(_PLACEHOLDER.match(value.strip()))


def _entropy_at_least(limit: float) -> Check:
    return lambda v: shannon_entropy(v) >= limit


def github_crc32(value: bytes) -> bool:
    """The last 6 characters of a new-style GitHub token are base62(CRC32(body))."""
    text = value.decode("ascii", "replace")
    _, _, rest = text.partition("_")
    if len(rest) < 7:
        return False
    body, tail = rest[:-6], rest[-6:]
    return base62(zlib.crc32(body.encode()), 6) == tail


def jwt_structure(value: bytes) -> bool:
    """Header and payload decode to JSON objects; the header names an alg."""
    parts = value.split(b".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(_b64url(parts[0]))
        json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and ("alg" in header or "typ" in header)


def _b64url(part: bytes) -> bytes:
    return base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))


def has_digit(value: bytes) -> bool:
    return any(48 <= c <= 57 for c in value)


def mixed_case_or_digit(value: bytes) -> bool:
    """Random tokens mix classes; English words and identifiers rarely do all three."""
    classes = sum((any(c.isupper() for c in value.decode("latin-1")),
                   any(c.islower() for c in value.decode("latin-1")),
                   has_digit(value)))
    return classes >= 2


def not_placeholder(value: bytes) -> bool:
    return not is_placeholder(value)


def credential_shape(value: bytes) -> bool:
    """Could be a real credential: not a placeholder, reference, word or fixture
    (the generic judgement's value tests).  As a rule's `confirm` check it keeps a
    connection URL whose password is a word in the report, but only at low confidence."""
    from .generic import credential_shaped   # generic builds on this module
    return credential_shaped(value)


NAMED: dict[str, Check] = {
    "credential-shape": credential_shape,
    "github-crc32": github_crc32,
    "jwt-structure": jwt_structure,
    "has-digit": has_digit,
    "mixed": mixed_case_or_digit,
    "not-placeholder": not_placeholder,
    "private-ip": lambda v: private_ip(v.decode("ascii", "replace")),
}


def compile_check(spec: str) -> Check:
    spec = spec.strip()
    if spec.startswith("entropy>="):
        return _entropy_at_least(float(spec.split(">=", 1)[1]))
    if spec.startswith("not-match:"):         # an allowlist regex on the value (imported rules)
        try:
            rx = re.compile(spec.split(":", 1)[1].encode())
        except re.error as exc:
            raise ValueError(f"check {spec!r}: bad regex: {exc}") from None
        return lambda v: rx.search(v) is None
    if spec.startswith("not-contains:"):      # stop-words, case-insensitive
        words = tuple(w.strip().lower().encode() for w in spec.split(":", 1)[1].split(",") if w.strip())
        return lambda v: not any(w in v.lower() for w in words)
    if spec.startswith("min-length>="):
        n = int(spec.split(">=", 1)[1])
        return lambda v: len(v) >= n
    try:
        return NAMED[spec]
    except KeyError:
        raise ValueError(f"unknown check {spec!r}; known: entropy>=N, min-length>=N, not-match:REGEX, "
                         "not-contains:WORD,WORD, "
                         + ", ".join(sorted(NAMED))) from None
