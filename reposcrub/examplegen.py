"""Expand example templates into fake secrets at test time.

Rule files never hold a literal credential (the repository must not trip a
scanner or a push check); they hold templates such as
``token = ghp_{{alnum:36}}`` which are expanded here with a seeded random
generator, so every run of ``rules test`` sees the same fake value.

Template fields, ``{{NAME:ARG}}``:
  alnum, upper, lower, digits, hex, HEX, b64, b64url, base32, upperdigits,
  lowerdigits, alpha          -> that many random characters of the set
  [chars]:N                   -> N random characters of a literal set
  github:PREFIX               -> a GitHub token with a valid CRC32 tail
  jwt                         -> a structurally valid (unsigned-looking) JWT
  pem:TYPE                    -> a PEM block "-----BEGIN TYPE-----" ... END
  openssh                     -> an OpenSSH private key block
  uuid                        -> a random UUID
  lit:TEXT                    -> TEXT itself (to split a marker a scanner greps for)
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import string
import zlib

ALPHABETS: dict[str, str] = {
    "alnum": string.ascii_letters + string.digits,
    "alpha": string.ascii_letters,
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "digits": string.digits,
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "b64": string.ascii_letters + string.digits + "+/",
    "b64url": string.ascii_letters + string.digits + "-_",
    "base32": string.ascii_uppercase + "234567",
    "upperdigits": string.ascii_uppercase + string.digits,
    "lowerdigits": string.ascii_lowercase + string.digits,
}

_FIELD = re.compile(r"\{\{(.*?)\}\}")
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(width, "0")


def github_token(prefix: str, rng: random.Random) -> str:
    """GitHub's documented shape: prefix_ + 30 random + base62(CRC32) in 6."""
    body = "".join(rng.choice(ALPHABETS["alnum"]) for _ in range(30))
    return f"{prefix}_{body}{base62(zlib.crc32(body.encode()), 6)}"


def _b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt(rng: random.Random) -> str:
    header = _b64u(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    sub = "".join(rng.choice(string.digits) for _ in range(10))
    payload = _b64u(json.dumps({"sub": sub, "name": "Example User", "iat": 1700000000}).encode())
    sig = _b64u(bytes(rng.getrandbits(8) for _ in range(32)))
    return f"{header}.{payload}.{sig}"


def pem(kind: str, rng: random.Random, lines: int = 12) -> str:
    body = "\n".join(
        base64.b64encode(bytes(rng.getrandbits(8) for _ in range(48))).decode()
        for _ in range(lines))
    dash = "-" * 5
    return f"{dash}BEGIN {kind}{dash}\n{body}\n{dash}END {kind}{dash}"


def openssh_key(rng: random.Random) -> str:
    raw = b"openssh-key-v1\x00" + bytes(rng.getrandbits(8) for _ in range(330))
    text = base64.b64encode(raw).decode()
    body = "\n".join(text[i:i + 70] for i in range(0, len(text), 70))
    dash = "-" * 5
    return f"{dash}BEGIN OPENSSH PRIVATE KEY{dash}\n{body}\n{dash}END OPENSSH PRIVATE KEY{dash}"


def charset(spec: str) -> str:
    """Expand a bracket-class body such as ``A-Z2-7`` into its characters."""
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _field(spec: str, rng: random.Random) -> str:
    name, _, arg = spec.partition(":")
    if name in ALPHABETS:
        return "".join(rng.choice(ALPHABETS[name]) for _ in range(int(arg)))
    if name.startswith("[") and name.endswith("]"):
        chars = charset(name[1:-1])
        return "".join(rng.choice(chars) for _ in range(int(arg)))
    if name == "github":
        return github_token(arg, rng)
    if name == "jwt":
        return jwt(rng)
    if name == "pem":
        return pem(arg, rng)
    if name == "openssh":
        return openssh_key(rng)
    if name == "uuid":
        h = "".join(rng.choice(ALPHABETS["hex"]) for _ in range(32))
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
    if name == "lit":
        return arg
    raise ValueError(f"unknown example field {{{{{spec}}}}}")


def expand(template: str, seed: str = "") -> str:
    """Expand every ``{{field}}`` of a template, deterministically for a seed."""
    rng = random.Random(hashlib.sha256((seed + "\0" + template).encode()).digest())
    return _FIELD.sub(lambda m: _field(m.group(1), rng), template)
