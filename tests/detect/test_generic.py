"""The generic judgement: each decision of the stop-list, the name and the place, one example each.

Values are generated (tests/conftest.py::fake) or plainly not credentials.
"""
from __future__ import annotations

import pytest

from conftest import fake
from reposcrub.detect.generic import (Candidate, candidate_at, is_word_like, judge, key_strength,
                                      path_context, reject_reason, value_shape)

RANDOM = fake("{{alnum:32}}", "generic")
HUMAN = "Maple" + "2023" + "!x"          # what a person types


@pytest.mark.parametrize("key,strength", [
    ("DB_PASSWORD", "strong"), ("clientSecret", "strong"), ("x-api-key", "strong"),
    ("AWS_SECRET_ACCESS_KEY", "strong"), ("secret_key_base", "strong"), ("passphrase", "strong"),
    ("secret_id", "strong"),                        # an AppRole secret_id is the secret half
    ("token", "weak"), ("github_token", "weak"), ("db_pass", "weak"), ("auth", "weak"),
    ("password_file", None), ("token_url", None), ("api_key_id", None), ("password_length", None),
    ("token_type", None), ("secret_name", None), ("password_digest", None),
    ("csrf_token", None), ("authenticity_token", None), ("is_password", None), ("get_token", None),
    ("tokenizer", None), ("tokens", None), ("author", None), ("compass", None), ("key", None),
    ("admin/passwords", None),                      # a route, not a name
    ("REDACTED-api-key-1", None),                   # our own marker: a scrubbed value, not a name
])
def test_key_strength(key, strength):
    assert key_strength(key) == strength


@pytest.mark.parametrize("value,quoted,code,reason", [
    ("changeme", True, False, "a placeholder"),
    ("<your-api-key>", True, False, "a variable reference or template"),
    ("xxxxxxxxxxxx", True, False, "a placeholder"),
    ("492f...", True, False, "a placeholder"),
    ("${DB_PASSWORD}", True, False, "a variable reference or template"),
    ("$DB_PASSWORD", False, False, "a variable reference or template"),
    ("%APP_TOKEN%", False, False, "a variable reference or template"),
    ("{{ vault_password }}", True, False, "a variable reference or template"),
    ("%(password)s", True, False, "a variable reference or template"),
    ("#{ENV['X']}", True, True, "a variable reference or template"),
    ("<%= ENV[", True, False, "a variable reference or template"),   # cut short by a nested quote
    ("REDACTED-secret-1", True, False, "a redaction marker"),
    ("get_password", False, True, "a name, call or attribute in code"),
    ("settings.SECRET_KEY", False, True, "a name, call or attribute in code"),
    ("/run/secrets/db_password", True, False, "a file path"),
    ("certs/client.pem", True, False, "a file path"),
    ("https://login.microsoftonline.com/common/oauth2/token", True, False, "a URL without credentials"),
    ("ENC[AES256_GCM,data:" + "Zm9v" * 8 + ",type:str]", True, False, "an encrypted value (ciphertext is safe to share)"),
    ("$ANSIBLE_VAULT;1.1;AES256", True, False, "an encrypted value (ciphertext is safe to share)"),
    ("abcdef0123456789abcdef0123456789", True, False, "a counting sequence (abcdef, 123456)"),
    ("sha256:" + "ab" * 32, True, False, "a content digest"),
    ("boolean", False, False, "a type name or keyword"),
    ("3600", False, False, "a number or a duration"),
    ("15.minutes", False, False, "a number or a duration"),
    ("2b1f325", True, False, "an abbreviated hex digest"),
    ("SecureString", False, False, "a type name or keyword"),
    ("varchar", True, False, "a type name or keyword"),
    ("action_dispatch.secret_key_base", True, False, "a name (an identifier, an environment variable, a key path)"),
    ("DB_PASSWORD", True, False, "a name (an identifier, an environment variable, a key path)"),
    ("in the sauce", True, False, "a phrase"),
    ("!ENV", False, False, "a YAML tag"),
    ("--password-stdin", False, False, "a command-line option"),
])
def test_each_stop_list_decision(value, quoted, code, reason):
    assert reject_reason(value.encode(), quoted, code) == reason


def test_an_unquoted_word_is_a_value_outside_code():
    assert reject_reason(RANDOM.encode(), quoted=False, code=False) is None
    assert reject_reason(b"get_password", quoted=False, code=False, after=b"()") == "a function call or an index"


@pytest.mark.parametrize("value,shape", [
    (RANDOM, "random"), (fake("{{hex:64}}", "g"), "random"), (fake("{{b64:40}}", "g"), "random"),
    (HUMAN, "password"), (fake("{{alnum:10}}", "g"), "password"),
    ("secret", "word"), ("hunter2", "word"), ("Password1", "word"), ("SuperSecret2024", "word"),
    ("my-app-secret-key", "word"), ("development", "word"),
    ("6f1b0c3e-9a4d-4c1e-8f2a-3b5d7e9f1a2c", "opaque"), ("$2b$12$" + "R9h/cIPz0gi.URNNX3kh2O", "opaque"),
    ("cGFzc3dvcmQ=", "word"),                          # base64 of "password": judged as what it encodes
])
def test_value_shape(value, shape):
    assert value_shape(value.encode()) == shape


def test_random_tokens_are_rarely_word_like():
    tokens = [fake("{{alnum:24}}", str(i)).encode() for i in range(300)]
    assert sum(map(is_word_like, tokens)) <= 3


@pytest.mark.parametrize("path,place", [
    ("tests/test_login.py", "test"), ("spec/models/user_spec.rb", "test"), ("src/app.test.ts", "test"),
    ("app/src/test/java/AppTest.java", "test"), ("pkg/auth/auth_test.go", "test"),
    ("docs/configuration.md", "doc"), ("README.md", "doc"), ("config/app.yml.example", "doc"),
    ("config/settings.sample.py", "doc"), ("example.env", "doc"), ("notes.txt", "code"),
    ("src/example_client.py", "code"), (".env", "secrets"), (".env.production", "secrets"), ("config/credentials.yml", "secrets"),
    ("app/settings.py", "code"),
])
def test_path_context(path, place):
    assert path_context(path) == place


@pytest.mark.parametrize("key,value,path,confidence", [
    ("client_secret", RANDOM, "app/settings.py", "high"),
    ("token", RANDOM, "app/settings.py", "medium"),
    ("password", HUMAN, "app/settings.py", "medium"),
    ("db_pass", HUMAN, ".env", "medium"),                 # a secrets file lifts a weak name
    ("db_pass", HUMAN, "app/settings.py", "low"),
    ("password", "postgres", "docker-compose.yml", "low"),
    ("client_secret", RANDOM, "tests/test_api.py", "low"),    # tests hold fake keys by design
    ("password", "secret", "test/fixtures/users.yml", None),  # a test fixture: not even low
    ("token", "kerberos", "app/settings.py", None),           # a word under a weak name
    ("password_file", RANDOM, "app/settings.py", None),
    ("heroku_api_key", "6f1b0c3e-9a4d-4c1e-8f2a-3b5d7e9f1a2c", "app/settings.py", "low"),   # a key or an id
    ("token", "6f1b0c3e-9a4d-4c1e-8f2a-3b5d7e9f1a2c", "app/settings.py", None),
])
def test_confidence_by_evidence(key, value, path, confidence):
    assert judge(Candidate(key, value.encode(), path)).confidence == confidence


def test_scrubbing_again_finds_nothing_new_after_a_marker():
    """`'svc': 'REDACTED-api-key-1',` then a quoted phrase on the next line: the marker
    names no credential, so the phrase is not its value (found by hypothesis)."""
    data = "'svc': 'REDACTED-api-key-1',\n' \u00f1and\u00fa '\n".encode()
    start = data.index(b"' ") + 1
    verdict = judge(candidate_at("app/settings.py", data, 0, start, data.index(b" '\n") + 1))
    assert verdict.confidence is None


def test_candidate_reads_the_whole_name_left_of_the_match():
    data = b'export DB_PASSWORD="' + RANDOM.encode() + b'"\n'
    start = data.index(RANDOM.encode())
    c = candidate_at(".env", data, data.index(b"PASSWORD"), start, start + len(RANDOM))
    assert c.key == "DB_PASSWORD" and c.quoted and not c.code


def test_an_extensionless_script_is_code_by_its_shebang():
    data = b'#!/usr/bin/env ruby\nENV["RAILS_TEST_PWD"] = Dir.pwd\n'
    start = data.index(b"Dir.pwd")
    c = candidate_at("bin/test", data, data.index(b"PWD"), start, start + 7)
    assert c.code and judge(c).confidence is None


def test_a_remembered_verdict_is_the_one_judge_would_give():
    """judge_at remembers by the bytes candidate_at reads: the same assignment under a
    longer name, after a comment mark, in a test file or in a script is judged anew."""
    from reposcrub.detect.generic import judge_at
    value = RANDOM.encode()
    lines = [b"PASSWORD=" + value, b"DB_PASSWORD=" + value, b"# PASSWORD=" + value,
             b"svc PASSWORD=" + value, b"PASSWORD=" + value + b"(x)"]
    cases = [(path, b"\n" * n + line + b"\n") for path in ("app.env", "tests/app.env", "bin/run")
             for line in lines for n in (0, 3)] + [("bin/run", b"#!/bin/sh\nPASSWORD=" + value + b"\n")]
    for _ in range(2):                               # the second round is served from memory
        for path, data in cases:
            at, start = data.index(b"PASSWORD"), data.index(value)
            for near in (False, True):
                want = judge(candidate_at(path, data, at, start, start + len(value), near))
                assert judge_at(path, data, at, start, start + len(value), near) == want


def test_candidate_takes_the_credential_name_of_a_key_value_pair():
    data = b'<add key="StripeApiKey" value="' + RANDOM.encode() + b'" />'
    start = data.index(RANDOM.encode())
    c = candidate_at("Web.config", data, data.index(b"key="), start, start + len(RANDOM))
    assert c.key == "StripeApiKey"
