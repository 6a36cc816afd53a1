"""Independent fake credentials, written from each provider's documented token format.

These generators do not read our rule files: they encode what the provider
documents (prefix, length, alphabet, checksum) so the corpus can catch a rule
that is narrower than the real format.  Every value is built at run time from
a seeded generator; nothing here is a credential, and prefixes are written
apart from their bodies so no line of this file has a credential's shape.
"""
from __future__ import annotations

import base64
import json
import random
import string
import zlib
from typing import Callable

from reposcrub.examplegen import base62   # an encoding, not a format: shared

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = string.ascii_uppercase + "234567"
DASHES = "-" * 5


def pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# -- provider formats -----------------------------------------------------------------

def github(rng: random.Random) -> str:
    """ghp_/gho_/ghu_/ghs_/ghr_ + 30 base62 + CRC32 of those 30, base62, 6 wide."""
    body = pick(rng, ALNUM, 30)
    return "gh" + rng.choice("pousr") + "_" + body + base62(zlib.crc32(body.encode()), 6)


def github_fine_grained(rng: random.Random) -> str:
    return "github" + "_pat_" + pick(rng, ALNUM, 22) + "_" + pick(rng, ALNUM, 59)


def gitlab(rng: random.Random) -> str:
    return "gl" + "pat-" + pick(rng, ALNUM + "_-", 20)


def aws_key_id(rng: random.Random) -> str:
    return rng.choice(["AK", "AS"]) + "IA" + pick(rng, B32, 16)


def aws_secret(rng: random.Random) -> str:
    return pick(rng, B64, 40)


def slack_bot(rng: random.Random) -> str:
    return "xox" + "b-" + pick(rng, string.digits, 11) + "-" + pick(rng, string.digits, 13) + "-" + pick(rng, ALNUM, 24)


def slack_webhook(rng: random.Random) -> str:
    return ("https://hooks.slack.com/services/T" + pick(rng, UPPER_ALNUM, 8) + "/B"
            + pick(rng, UPPER_ALNUM, 10) + "/" + pick(rng, ALNUM, 24))


def stripe(rng: random.Random) -> str:
    return "sk" + "_live_" + pick(rng, ALNUM, 24 + rng.randrange(0, 76))


def google_api_key(rng: random.Random) -> str:
    return "AI" + "za" + pick(rng, ALNUM + "_-", 35)


def openai(rng: random.Random) -> str:
    return "sk-" + "proj-" + pick(rng, ALNUM + "_-", 40) + "T3Blbk" + "FJ" + pick(rng, ALNUM + "_-", 40)


def anthropic(rng: random.Random) -> str:
    return "sk-" + "ant-api03-" + pick(rng, ALNUM + "_-", 93) + "AA"


def npm(rng: random.Random) -> str:
    return "np" + "m_" + pick(rng, ALNUM, 36)


def pypi(rng: random.Random) -> str:
    return "pypi" + "-AgEIcHlwaS5vcmc" + pick(rng, B64URL, 70)


def sendgrid(rng: random.Random) -> str:
    return "SG" + "." + pick(rng, B64URL, 22) + "." + pick(rng, B64URL, 43)


def twilio(rng: random.Random) -> str:
    return "SK" + pick(rng, HEX, 32)


def shopify(rng: random.Random) -> str:
    return "shp" + rng.choice(["at", "ss", "ca", "pa"]) + "_" + pick(rng, "0123456789abcdefABCDEF", 32)


def digitalocean(rng: random.Random) -> str:
    return "do" + "p_v1_" + pick(rng, HEX, 64)


def telegram(rng: random.Random) -> str:
    return pick(rng, string.digits, 10) + ":AA" + pick(rng, ALNUM + "_-", 33)


def mailgun(rng: random.Random) -> str:
    return "key" + "-" + pick(rng, HEX, 32)


def jwt(rng: random.Random) -> str:
    header = _b64u(json.dumps({"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
    payload = _b64u(json.dumps({"sub": pick(rng, string.digits, 8), "iat": 1700000000 + rng.randrange(10 ** 6),
                                "scope": "read write"}).encode())
    return f"{header}.{payload}.{_b64u(bytes(rng.getrandbits(8) for _ in range(32)))}"


def pem_private_key(rng: random.Random) -> str:
    kind = rng.choice(["RSA ", "EC ", "", "OPENSSH ", "DSA "])
    lines = [_b64(bytes(rng.getrandbits(8) for _ in range(48))) for _ in range(rng.randrange(8, 20))]
    head = f"{DASHES}BEGIN {kind}PRIVATE KEY{DASHES}"
    tail = f"{DASHES}END {kind}PRIVATE KEY{DASHES}"
    return "\n".join([head, *lines, tail])


def azure_storage_connection(rng: random.Random) -> str:
    return ("DefaultEndpointsProtocol=https;AccountName=" + pick(rng, string.ascii_lowercase, 10)
            + ";AccountKey=" + _b64(bytes(rng.getrandbits(8) for _ in range(64)))
            + ";EndpointSuffix=core.windows.net")


def postgres_url(rng: random.Random) -> str:
    scheme = rng.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp"])
    return f"{scheme}://{rng.choice(['app', 'svc_api', 'admin'])}:{pick(rng, ALNUM, 20)}@db-{pick(rng, LOWER_ALNUM, 6)}.example.com:5432/main"


def docker_auth(rng: random.Random) -> str:
    user = rng.choice(["ci", "deploy", "robot"])
    return _b64(f"{user}:{pick(rng, ALNUM, 24)}".encode())


# -- generic credentials (no provider) ------------------------------------------------

WORDS = ["river", "maple", "falcon", "copper", "winter", "summer", "orange", "silver", "garden",
         "rocket", "thunder", "marble", "harbor", "canyon", "velvet", "lantern"]


def random_secret(rng: random.Random) -> str:
    alphabet, n = rng.choice([(ALNUM, rng.randrange(16, 48)), (HEX, rng.choice([32, 40, 64])),
                              (B64, rng.randrange(24, 64)), (B64URL, rng.randrange(20, 50)),
                              (ALNUM + "!@#%^&*-_", rng.randrange(16, 32))])
    return pick(rng, alphabet, n)


def human_password(rng: random.Random) -> str:
    """What people type: Words, digits, a symbol (Maple2023!, copper-Harbor#77)."""
    a, b = rng.sample(WORDS, 2)
    digits = pick(rng, string.digits, rng.randrange(2, 5))
    sym = rng.choice("!@#$%&*?")
    return rng.choice([f"{a.title()}{digits}{sym}", f"{a}-{b.title()}{sym}{digits}",
                       f"{sym}{a.title()}{b}{digits}", f"{a.title()}{sym}{b.title()}{digits}"])


def short_random(rng: random.Random) -> str:
    return pick(rng, ALNUM, rng.randrange(10, 16))


# family -> (generator, names a person would assign it to)
PROVIDERS: dict[str, tuple[Callable[[random.Random], str], tuple[str, ...]]] = {
    "github": (github, ("GITHUB_TOKEN", "gh_token", "token")),
    "github-fine-grained": (github_fine_grained, ("GITHUB_PAT", "token")),
    "gitlab": (gitlab, ("GITLAB_TOKEN", "private_token")),
    "aws-access-key-id": (aws_key_id, ("aws_access_key_id", "AWS_ACCESS_KEY_ID", "accessKeyId")),
    "aws-secret-access-key": (aws_secret, ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey")),
    "slack-bot-token": (slack_bot, ("SLACK_BOT_TOKEN", "slack_token")),
    "slack-webhook": (slack_webhook, ("SLACK_WEBHOOK_URL", "webhook")),
    "stripe": (stripe, ("STRIPE_SECRET_KEY", "stripe_api_key")),
    "google-api-key": (google_api_key, ("GOOGLE_API_KEY", "apiKey")),
    "openai": (openai, ("OPENAI_API_KEY", "openai_key")),
    "anthropic": (anthropic, ("ANTHROPIC_API_KEY", "api_key")),
    "npm": (npm, ("NPM_TOKEN", "_authToken")),
    "pypi": (pypi, ("PYPI_TOKEN", "password")),
    "sendgrid": (sendgrid, ("SENDGRID_API_KEY", "sendgrid_key")),
    "twilio": (twilio, ("TWILIO_API_KEY", "twilio_sid_key")),
    "shopify": (shopify, ("SHOPIFY_ACCESS_TOKEN", "shopify_token")),
    "digitalocean": (digitalocean, ("DIGITALOCEAN_TOKEN", "do_token")),
    "telegram": (telegram, ("TELEGRAM_BOT_TOKEN", "bot_token")),
    "mailgun": (mailgun, ("MAILGUN_API_KEY", "mailgun_key")),
    "jwt": (jwt, ("JWT", "access_token", "id_token")),
    "private-key": (pem_private_key, ("PRIVATE_KEY", "private_key")),
    "azure-storage": (azure_storage_connection, ("AZURE_STORAGE_CONNECTION_STRING", "connection_string")),
    "connection-url": (postgres_url, ("DATABASE_URL", "db_url")),
    "docker-auth": (docker_auth, ("auth",)),
}

# Formats with nothing distinctive: found only by the name they are assigned to.
NEEDS_A_NAME = frozenset({"aws-secret-access-key", "docker-auth"})

GENERIC: dict[str, tuple[Callable[[random.Random], str], tuple[str, ...]]] = {
    "generic-random": (random_secret, ("client_secret", "api_key", "SECRET_KEY", "auth_token",
                                       "db_password", "apiKey", "clientSecret", "ACCESS_TOKEN",
                                       "private_key_passphrase", "encryption_key", "x-api-key",
                                       "signing_secret", "webhook_secret", "token", "passwd")),
    "generic-human-password": (human_password, ("password", "DB_PASSWORD", "smtp_password",
                                                "admin_pass", "mysql_root_password", "pwd",
                                                "keystorePassword", "redis_password")),
    "generic-short": (short_random, ("password", "api_token", "secret")),
}
