"""Post-filter checks: each one keeps a real value and rejects the look-alike it exists for."""
from __future__ import annotations

import base64

from reposcrub.detect.checks import (base64_user_password, bech32_checksum, compile_check,
                                     key_body, no_sequence, not_code_reference)

from conftest import fake


def test_bech32_accepts_a_generated_age_key_and_rejects_a_typo():
    key = fake("{{age}}")
    assert bech32_checksum(key.encode())
    typo = key[:-3] + ("Q" if key[-3] != "Q" else "P") + key[-2:]
    assert not bech32_checksum(typo.encode())
    assert not bech32_checksum(b"AGE-SECRET-KEY-1")


def test_base64_user_password_needs_a_colon_and_a_real_password():
    assert base64_user_password(fake("{{basicauth}}").encode())
    assert not base64_user_password(base64.b64encode(b"justauser"))
    assert not base64_user_password(base64.b64encode(b"user:changeme"))
    assert not base64_user_password(b"not base64 at all!")


def test_key_body_wants_key_material_not_a_placeholder():
    assert key_body(fake("{{pem:RSA PRIVATE KEY}}").encode())
    assert key_body(fake("{{pemjson:PRIVATE KEY}}").encode())      # \\n-escaped in JSON
    assert key_body(fake("{{ppk}}").encode())
    dash = "-" * 5
    assert not key_body(f"{dash}BEGIN RSA PRIVATE KEY{dash}\n<paste your key here>\n"
                        f"{dash}END RSA PRIVATE KEY{dash}".encode())
    assert not key_body(f"{dash}BEGIN PRIVATE KEY{dash}\n{'A' * 200}\n{dash}END PRIVATE KEY{dash}".encode())


def test_no_sequence_rejects_counting_documentation_values():
    assert not no_sequence(b"abcdef.0123456789abcdef")
    assert no_sequence(fake("{{lowerdigits:6}}.{{lowerdigits:16}}").encode())


def test_not_code_reference():
    for ref in (b"previous_password", b'ENV["SMTP_PASSWORD"]', b"@password", b"$PASS",
                b"settings.mail.password", b"get_password()", b"SMTP_PASSWORD"):
        assert not not_code_reference(ref), ref
    for value in (fake("{{alnum:16}}").encode(), b"s3cr3t-Pa55", b"hunter2"):
        assert not_code_reference(value), value


def test_named_checks_compile():
    for name in ("bech32", "base64-user-password", "key-body", "no-sequence", "not-code-reference"):
        assert callable(compile_check(name))


def _jwt_with(payload: dict) -> bytes:
    import json
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=")
    return part({"alg": "HS256", "typ": "JWT"}) + b"." + part(payload) + b"." + fake("{{b64url:43}}").encode()


def test_jwt_claims_wants_a_subject_scope_or_lifetime_that_is_not_the_sample():
    from reposcrub.detect.checks import jwt_claims
    assert jwt_claims(fake("{{jwt}}").encode())
    assert jwt_claims(_jwt_with({"role": "service", "exp": 4102444800}))
    assert not jwt_claims(_jwt_with({"msg": "nothing to see"}))            # data, not a credential
    assert not jwt_claims(_jwt_with({"sub": "1234567890", "iat": 1516239022}))   # the docs' sample
    assert not jwt_claims(b"eyJhbGciOiJIUzI1NiJ9.not-base64!.sig")
