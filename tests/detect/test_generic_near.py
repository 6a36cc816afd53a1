"""Values written *near* a credential word rather than assigned to a credential name.

People write `mapbox_key = v`, `svc SECRET v`, `svcKEY-v`, `CIRCLECI_PAT v`: the
generic-credential-near/-fused rules find them, and the judgement keeps them at
`low` (scrub redacts them, scan does not fail on them).  Each acceptance has a
rejection beside it that real code writes the same way.  Values are generated
(tests/conftest.py::fake) or plainly not credentials.
"""
from __future__ import annotations

import pytest

from conftest import fake
from reposcrub.detect import Scanner
from reposcrub.detect.generic import Candidate, is_sequence, judge, key_strength, reject_reason
from reposcrub.model import ContentItem
from reposcrub.ruleset import RuleSet

SCANNER = Scanner(RuleSet.load(), b"test-key")
RANDOM = fake("{{alnum:32}}", "near")
HEX = fake("{{hex:40}}", "near")
UUID = fake("{{uuid}}", "near")
COUNTING = "1234567890abcdef" * 2            # how samples write a key


def found(path: str, text: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.value.decode(), f.confidence)
            for f in SCANNER.detect(ContentItem(path, text.encode())) if f.kind == "secret"]


# -- the name ---------------------------------------------------------------------

@pytest.mark.parametrize("key,strength", [
    ("mapbox_key", "loose"), ("geocoderKey", "loose"), ("WEATHER_KEY", "loose"),
    ("scrapingantKEY", "loose"), ("CIRCLECI_PAT", "loose"), ("svc-key-", "loose"),
    ("protocolsSECRETkey", "strong"), ("client_secrets", "strong"),   # a plural is still the word
    ("key", None),                                  # alone: a map key, a crypto parameter
    ("cache_key", None), ("primary_key", None), ("sort_key", None), ("idempotency_key", None),
    ("foreign_key", None), ("PRIMARY_KEY", None), ("the_key", None),
    ("public_key", None), ("publicToken", None),    # public by design
    ("master-keying", None), ("passwordless", None),  # the strong word runs on into another
    ("key_id", None), ("api_key_id", None),
    ("keyVaultToStoreSecrets", None), ("pathToSecret", None),   # a place or a count, named
    ("numberOfTokens", None), ("token_for_github", "weak"),       # ...unlike the token's owner
    ("GEOCODERKEY", "loose"), ("mapboxkey", "loose"),  # a service and `key` fused in one word
    ("monkey", None), ("hotkey", None), ("pubkey", None), ("sortkey", None),
])
def test_how_strongly_a_name_says_credential(key, strength):
    assert key_strength(key) == strength


def test_a_lone_key_says_credential_only_right_by_its_value():
    """`key = v` in code is a map key or a crypto parameter; `Using Key=v` in a log is not."""
    assert key_strength("Key") is None
    assert key_strength("Key", near=True) == "loose"
    assert key_strength("PRIMARY_KEY", near=True) is None


# -- the value ---------------------------------------------------------------------

@pytest.mark.parametrize("value,sequence", [
    (COUNTING, True), ("abcdefghijklmnopqrstuvwxyz123456", True),
    ("ZYXWVUTSRQPONMLKJIHGFEDC", True),              # counting down
    ("12345678901234567890123456789012", True),
    ("abcdef12345", False), ("123456", False), (RANDOM, False),
])
def test_what_counts_as_a_sequence(value, sequence):
    assert is_sequence(value.encode()) == sequence


@pytest.mark.parametrize("value,reason", [
    ("jjwt-jackson-0.11.2", "a package and its version"),
    ("lodash@4.17.21", "a package and its version"),
    ("$BASE_URL/classroom/#/forgot_password", "a variable reference or template"),
    ("3600", "a number or a duration"),
    ("a correct horse battery", "a phrase"),
])
def test_stop_list_additions(value, reason):
    assert reject_reason(value.encode(), quoted=False, code=False) == reason


def test_a_labelled_token_is_no_phrase():
    """`{svc AQAAABAAA <random>}` reads like words, but one word is a token."""
    assert reject_reason(f"{{svc AQAAABAAA {RANDOM}}}".encode(), quoted=True, code=False) is None


def test_a_string_code_fills_in_is_no_value():
    assert reject_reason(b"VS%0.fCOMNTOOLS", quoted=True, code=True, after=b'" % vers') \
        == "a format string (filled in by code)"
    assert reject_reason(b"{}-{}-" + HEX.encode(), quoted=True, code=True, after=b'".format(') \
        == "a format string (filled in by code)"


@pytest.mark.parametrize("key,value,path,confidence", [
    ("client_secret", COUNTING, "app/settings.py", "low"),   # a sample, or a lazy secret
    ("token", COUNTING, "app/settings.py", "low"),
    ("mapbox_key", COUNTING, "app/settings.py", "low"),
    ("client_secret", "abcdef123456", "app/settings.py", None),   # too short to be more than a count
    ("client_secret", "9" + "31" * 10, "app/settings.py", "low"),   # 21 digits: a numeric key
    ("client_secret", "3600", "app/settings.py", None),
    ("mapbox_key", RANDOM, "app/settings.py", "low"),
    ("mapbox_key", "Summer2024!x", "app/settings.py", None),  # a loose name needs a random value
    ("mapbox_key", UUID, "app/settings.py", "low"),           # a key or an id: low when the name says whose
    ("client_secret", UUID, "docs/setup.md", "low"),          # docs hold real keys by mistake too
    ("client_secret", UUID, "tests/test_api.py", None),       # tests hold ids by design
    ("NPM_TOKEN", UUID, "app/settings.py", "low"),            # many services issue UUID tokens
    ("kontent_key", UUID, "app/settings.py", "low"),
    ("token", UUID, "app/settings.py", None),                 # whose? a request id as likely
    ("page_token", UUID, "app/settings.py", None),            # an id by its name
    ("idempotency_key", UUID, "app/settings.py", None),
    ("DocumentKey", UUID, "docs/guide.md", None),
])
def test_confidence(key, value, path, confidence):
    assert judge(Candidate(key, value.encode(), path)).confidence == confidence


@pytest.mark.parametrize("qualifier,confidence", [
    ("opsgenie", "low"), ("String", None), ("const", None), ("page", None), ("", None),
])
def test_the_word_before_a_lone_token_says_whose(qualifier, confidence):
    """`opsgenie token = <uuid>`; `String token = <uuid>` is a declaration, not a service."""
    c = Candidate("token", UUID.encode(), "app/config.txt", qualifier=qualifier)
    assert judge(c).confidence == confidence


def test_a_value_only_near_the_word_needs_a_random_shape_and_is_never_above_low():
    c = Candidate("client_secret", RANDOM.encode(), "app/settings.py", proximity=True)
    assert judge(c).confidence == "low"
    assert judge(Candidate("client_secret", RANDOM.encode(), "app/settings.py")).confidence == "high"
    assert judge(Candidate("client_secret", b"Summer2024!x", "app/config.txt", proximity=True)).confidence is None


# -- the rules, as a scan sees them ---------------------------------------------------

@pytest.mark.parametrize("text,value", [
    (f"mapbox_key = {RANDOM}", RANDOM),
    (f'"geocoderKey": "{RANDOM}",', RANDOM),
    (f"weatherapi SECRET {RANDOM}", RANDOM),
    (f"weatherapi ACCESS TOKEN {RANDOM}", RANDOM),
    (f"#define IO_KEY       \"{RANDOM}\"", RANDOM),          # aligned columns
    (f'"{{\\"svcSecretKey\\":\\"{RANDOM}\\"}}"', RANDOM),    # JSON inside a string
    (f"CIRCLECI_PAT = {RANDOM}", RANDOM),
    (f"weatherapiKEY-{HEX}", HEX),
    (f"svc-secret-key-{HEX}", HEX),
    (f"svc.PRIVATE.TOKEN-{HEX}", HEX),
    (f"svc_token:{RANDOM}", RANDOM),
    (f"[DEBUG] Using Key={RANDOM}", RANDOM),            # a log line
    (f'export const mapbox_key: string = "{RANDOM}";', RANDOM),   # a typed constant
    (f"GEOCODERKEY={RANDOM}", RANDOM),
    (f"<mapbox_key>{RANDOM}</mapbox_key>", RANDOM),
    (f'export const CIRCLECI_PAT: string = "{RANDOM}";', RANDOM),
    (f"svc token - '{RANDOM}'", RANDOM),
    (f"| weatherapi key | {RANDOM} |", RANDOM),        # a table in the docs
])
def test_near_a_credential_word_is_found_at_low(text, value):
    assert [(v, c) for _, v, c in found("notes.txt", text)] == [(value, "low")]


@pytest.mark.parametrize("text", [
    "token = self.get_token()",
    "secret_key = SECRET_KEY",
    "password: ${DB_PASSWORD}",
    'api_key=os.environ["API_KEY"]',
    "key = hashlib.sha256(payload).hexdigest()",
    f"cache_key = {HEX}",
    f"cache-key-{HEX}",
    f'"key": "{HEX}"',                               # a key alone: a map key, a commit id
    '"integrity": "sha512-' + fake("{{b64:86}}", "near") + '=="',
    f"image: app@sha256:{fake('{{hex:64}}', 'near')}",
    "integer PRIMARY KEY AUTOINCREMENT/i",
    "secret_keyword_regex=cl_key_or_pass,",
    "notes = \"Maven - io.jsonwebtoken:jjwt-jackson-0.11.2\"",
    '<span class="token keyword">def</span>',
    ".token-punctuation-operator { color: #a1b2c3 }",
    "the secret ingredient is patience and 12 more",
    "weatherapi SECRET Summer2024!x",
    f"public_key: {fake('{{b64:44}}', 'near')}",
    "monkey = " + RANDOM,
    f"key = {RANDOM}",                                # a lone key assigned: a map key
    f'toolskey = "VS%0.fCOMNTOOLS{HEX}" % version',
    "<key>CFBundleIdentifier</key>",
    '#define SN_id_smime_ct_authData         "id-smime-ct-authData"',     # the name itself
    "  * Add new upstream signing key 19882D92DDA4C400C22C0D56CC2AF4472167BE03",  # a fingerprint
    "    + Add file (GnuPG key: 0x7EC2DBB6F4DBF434).",
    "     doit:124: rsa pss key: gnutls_x509_crt_verify_data2",
    "    fuzz/gnutls_private_key_parser_fuzzer.in/" + HEX,            # a path
    "    gnutls_x509_privkey_import_pkcs8: fixed memory leak",
    "PASS: gdb.base/set-inferior-tty.exp: command=tty",          # a test log names test files
    "PASS: gdb.arch/amd64-byte.exp: at fourth",
    f"<primaryKey>{RANDOM}</primaryKey>",
])
def test_real_code_near_a_credential_word_is_not_reported(text):
    assert found("notes.txt", text) == []


def test_an_assignment_seen_by_another_rule_keeps_its_confidence():
    """The near rule yields on the same span: its findings never demote another rule's."""
    assert found("notes.txt", f"DB_PASSWORD={RANDOM}") == [("generic-credential-bare", RANDOM, "high")]
    assert found("Dockerfile", f"ENV DB_PASSWORD {RANDOM}") == [("generic-credential-docker-env", RANDOM, "high")]
    assert found("run.sh", f"mytool --token {RANDOM}")[0][2] in ("high", "medium")
