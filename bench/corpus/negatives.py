"""Values under credential names that are not credentials: the generic stop-list, as data.

Each category is one decision of reposcrub/detect/generic.py; the corpus puts
its values under credential-looking names in every file context, so a change
that starts flagging (say) environment references shows up as a false-positive
rate, not as a surprise in someone's CI.
"""
from __future__ import annotations

import random
import uuid
from typing import Callable, Optional

from .values import ALNUM, B64, HEX, pick

Maker = Callable[[random.Random], tuple[str, bool]]     # -> (value, quoted)
NAMES = ("password", "api_key", "client_secret", "auth_token", "DB_PASSWORD", "secretKey", "token")


def _one_of(*choices: str, quoted: bool = True) -> Maker:
    return lambda rng: (rng.choice(choices), quoted)


def _in_tests(path: str) -> str:
    return "tests/fixtures/" + path.rsplit("/", 1)[-1]


STOP_LIST: dict[str, tuple[Maker, tuple[str, ...], Optional[Callable[[str], str]]]] = {
    "placeholder": (_one_of("changeme", "<your-api-key>", "YOUR_API_KEY_HERE", "xxxxxxxxxxxxxxxx",
                            "********", "replace-me", "your-secret-here", "<password>", "TODO",
                            "insert-token-here", "dummy-password", "example-secret-value",
                            "sk_test_xxxxxxxxxxxxxxxxxxxx", "put_your_key_here"), NAMES, None),
    "env-reference": (_one_of("${DB_PASSWORD}", "$API_KEY", "%CLIENT_SECRET%", "${{ secrets.TOKEN }}",
                              "${env:AUTH_TOKEN}", "$(cat /run/secrets/token)", "${SECRET_KEY:-}"),
                      NAMES, None),
    "template-reference": (_one_of("{{ db_password }}", "{{ .Values.apiKey }}", "<%= ENV['TOKEN'] %>",
                                   "#{secret}", "%(password)s", "{password}", "@PASSWORD@",
                                   "__API_KEY__", "((vault-token))"), NAMES, None),
    "code-reference": (_one_of('os.environ["DB_PASSWORD"]', "get_password()", "config.secret_key",
                               "self._token", "settings.API_KEY", "process.env.API_KEY",
                               'System.getenv("TOKEN")', 'ENV.fetch("SECRET")', "creds.password",
                               "vault.read(path)", "request.form['password']", "None",
                               quoted=False), NAMES, None),
    "file-path": (_one_of("/run/secrets/db_password", "./certs/client-key.pem", "~/.ssh/id_ed25519",
                          "C:\\secrets\\token.txt", "secrets/api_key.txt", "/etc/app/credentials.json",
                          "../keys/signing.key"), NAMES, None),
    "url": (_one_of("https://vault.example.com/v1/secret/data/app", "https://oauth2.googleapis.com/token",
                    "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                    "http://localhost:8200"), ("token_url", "auth_endpoint", "password_reset_url", "secret"),
            None),
    "uuid": (lambda rng: (str(uuid.UUID(int=rng.getrandbits(128), version=4)), True),
             ("api_key", "client_secret", "token"), None),
    "digest": (lambda rng: (rng.choice(["sha256:" + pick(rng, HEX, 64), "sha512-" + pick(rng, B64, 86) + "==",
                                        "sha1:" + pick(rng, HEX, 40)]), True),
               ("secret", "token", "password_hash", "secret_checksum"), None),
    "boolean-number": (_one_of("true", "false", "0", "3600", "null", "~", "1.5", "30m", "None"),
                       ("password_required", "token_ttl", "auth", "secret", "password", "api_key"), None),
    "type-name": (_one_of("string", "str", "String", "SecureString", "password", "text", "bytes",
                          "char[]"), ("password", "token", "secret", "api_key"), None),
    "type-expression": (_one_of("Optional[str]", "String.class", "new SecureString()", "str | None",
                                quoted=False), ("password", "token", "api_key"), None),
    "redacted-marker": (_one_of("REDACTED-secret-1", "REDACTED-aws-access-key-2", "REDACTED-password-7",
                                "[REDACTED]", "<redacted>"), NAMES, None),
    "name-not-credential": (lambda rng: (pick(rng, ALNUM, 20), True),
                            ("token_type", "password_field", "secret_name", "auth_method", "api_key_header",
                             "tokenizer", "password_min_length", "csrf_token", "key_id"), None),
    "identifier-value": (_one_of("action_dispatch.secret_key_base", "DB_PASSWORD", "x-api-key",
                                 "user_password", "api-token", "SECRET_KEY_BASE", "_app_session"),
                         NAMES, None),
    "test-fixture": (_one_of("secret", "password123", "test-token", "foobar", "hunter2", "letmein",
                             "P@ssw0rd", "testing", "s3cr3t", "abc123"), NAMES, _in_tests),
}
