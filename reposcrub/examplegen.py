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
  pemjson:TYPE                -> a PEM block as a JSON string body (newlines as \\n)
  pemb64:TYPE                 -> a PEM block, base64-encoded (kubeconfig client-key-data)
  ppk                         -> a PuTTY private key file (version 3)
  age                         -> an age secret key with a valid bech32 checksum
  basicauth                   -> base64("user:password") as in Authorization/Docker auths
  discord                     -> a Discord bot token (base64 user id . time . hmac)
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


def ppk_file(rng: random.Random) -> str:
    """PuTTY's text key format: headers, public and private base64 lines, a MAC."""
    def lines(n: int) -> str:
        text = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode()
        return "\n".join(text[i:i + 64] for i in range(0, len(text), 64))
    public, private = lines(51), lines(120)
    mac = "".join(rng.choice(ALPHABETS["hex"]) for _ in range(64))
    return ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\n"
            f"Public-Lines: {public.count(chr(10)) + 1}\n{public}\n"
            f"Private-Lines: {private.count(chr(10)) + 1}\n{private}\nPrivate-MAC: {mac}")


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values: list[int]) -> int:
    """BIP-173 checksum arithmetic; shared with the bech32 check."""
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def age_key(rng: random.Random) -> str:
    """age's X25519 identity: bech32 with hrp "age-secret-key-", upper-cased."""
    hrp = "age-secret-key-"
    bits = "".join(f"{rng.getrandbits(8):08b}" for _ in range(32)) + "0000"
    data = [int(bits[i:i + 5], 2) for i in range(0, len(bits), 5)]
    poly = bech32_polymod(bech32_hrp_expand(hrp) + data + [0] * 6) ^ 1
    check = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(BECH32[d] for d in data + check)).upper()


def discord_token(rng: random.Random) -> str:
    """base64(user id) . base64(timestamp) . HMAC, as Discord issues bot tokens."""
    uid = str(rng.randrange(10 ** 17, 10 ** 19)).encode()
    stamp = _b64u(bytes(rng.getrandbits(8) for _ in range(4)))
    return f"{_b64u(uid)}.{stamp}.{_b64u(bytes(rng.getrandbits(8) for _ in range(28)))}"


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
    if name == "pemjson":
        return pem(arg, rng).replace("\n", "\\n") + "\\n"
    if name == "pemb64":
        return base64.b64encode(pem(arg, rng).encode()).decode()
    if name == "ppk":
        return ppk_file(rng)
    if name == "age":
        return age_key(rng)
    if name == "basicauth":
        user = "".join(rng.choice(ALPHABETS["lower"]) for _ in range(6))
        pw = "".join(rng.choice(ALPHABETS["alnum"]) for _ in range(16))
        return base64.b64encode(f"{user}:{pw}".encode()).decode()
    if name == "discord":
        return discord_token(rng)
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
