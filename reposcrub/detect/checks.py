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
import urllib.parse
import zlib
from collections import Counter
from typing import Callable

from ..examplegen import BECH32, base62, bech32_hrp_expand, bech32_polymod
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


# Claims that say who a token speaks for, what it may do or until when (RFC 7519 and
# the usual custom ones); a token with none of them carries data, not a credential.
_AUTH_CLAIMS = frozenset("""iss sub aud exp nbf iat jti azp scope scp role roles permissions
    user user_id userid uid username email client_id cid tenant tid org org_id sid session
    session_id account account_id app_id appid api_key key ref type token_type grants""".split())


def jwt_claims(value: bytes) -> bool:
    """The payload names a subject, scope, audience or lifetime, and its values are not
    the documentation sample's (``"sub": "1234567890"``)."""
    payload = jwt_payload(value)
    if not isinstance(payload, dict) or not _AUTH_CLAIMS.intersection(k.lower() for k in payload):
        return False
    return not any(isinstance(v, str) and counts_up(v.encode()) for v in payload.values())


def jwt_payload(value: bytes) -> object:
    """The decoded JSON of a JWT's payload, or None."""
    try:
        return json.loads(_b64url(value.split(b".")[1]))
    except (ValueError, IndexError, binascii.Error, UnicodeDecodeError):
        return None


def _b64url(part: bytes) -> bytes:
    return base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))


def bech32_checksum(value: bytes) -> bool:
    """BIP-173 checksum (age identities): a typo or a made-up key fails it."""
    text = value.decode("ascii", "replace").lower()
    hrp, sep, data = text.rpartition("1")
    if not sep or not hrp or len(data) < 7 or any(c not in BECH32 for c in data):
        return False
    return bech32_polymod(bech32_hrp_expand(hrp) + [BECH32.index(c) for c in data]) == 1


def base64_user_password(value: bytes) -> bool:
    """Basic-auth and Docker `auth` values decode to printable `user:password`."""
    try:
        raw = base64.b64decode(value + b"=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    user, sep, password = raw.partition(b":")
    return bool(sep and password) and all(32 <= c < 127 for c in raw) \
        and not is_placeholder(password)


_ARMOUR_LINE = re.compile(rb"^[^\n]*(?:-----|----|: )[^\n]*$", re.M)
_ESCAPES = re.compile(rb"\\[nr]")
_B64 = re.compile(rb"[A-Za-z0-9+/=]")


def key_body(value: bytes) -> bool:
    """The block carries key material: enough base64 once armour and header
    lines (BEGIN/END, Proc-Type:, Comment:) are gone, and random-looking.
    Documentation blocks (`...`, `<paste your key here>`) fail."""
    body = _ARMOUR_LINE.sub(b"", _ESCAPES.sub(b"\n", value))
    material = b"".join(_B64.findall(body))
    return len(material) >= 64 and shannon_entropy(material) >= 4.5


def counts_up(value: bytes, run: int = 6) -> bool:
    """Documentation values count up (abcdef.0123456789abcdef); random ones almost never do."""
    up = 1
    for a, b in zip(value, value[1:]):
        up = up + 1 if b == a + 1 else 1
        if up >= run:
            return True
    return False


def no_sequence(value: bytes) -> bool:
    return not counts_up(value)


_CODE_REFERENCE = re.compile(
    rb"^(?:[@$&*%]|ENV\b|env\b)"                          # @ivar, $var, ENV[...]
    rb"|[()\[\]{}]"                                       # calls, indexing, templates
    rb"|^[a-z_][a-z0-9]*(?:_[a-z0-9]+)+$"                 # snake_case identifier
    rb"|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$"                  # CONSTANT_NAME
    rb"|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")              # attribute chain: config.smtp.password


def not_code_reference(value: bytes) -> bool:
    """A free-form password rule sees code too: `password = previous_password`,
    `ENV["X"]`, `@password`, `settings.mail.pass` name a value, they are not one."""
    return not _CODE_REFERENCE.search(value)


def not_stop_listed(value: bytes) -> bool:
    """The generic judgement's stop-list (references, templates, paths, type names,
    numbers...): a free-form password rule sees the same non-values."""
    from .generic import reject_reason   # generic builds on this module
    return reject_reason(value, quoted=True, code=False) is None


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
    "bech32": bech32_checksum,
    "key-body": key_body,
    "no-sequence": no_sequence,
    "not-code-reference": not_code_reference,
    "not-stop-listed": not_stop_listed,
    "base64-user-password": base64_user_password,
    "jwt-structure": jwt_structure,
    "jwt-claims": jwt_claims,
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
    if spec.startswith("url-decoded:"):       # judge what a URL's %-escapes stand for
        inner = compile_check(spec.split(":", 1)[1])
        return lambda v: inner(urllib.parse.unquote_to_bytes(v))
    if spec.startswith("min-length>="):
        n = int(spec.split(">=", 1)[1])
        return lambda v: len(v) >= n
    try:
        return NAMED[spec]
    except KeyError:
        raise ValueError(f"unknown check {spec!r}; known: entropy>=N, min-length>=N, not-match:REGEX, "
                         "not-contains:WORD,WORD, url-decoded:CHECK, "
                         + ", ".join(sorted(NAMED))) from None
