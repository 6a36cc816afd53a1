"""Generic credentials: is a value assigned to a credential-named key a secret, and how sure are we?

No provider rule names these values (``DB_PASSWORD=…``, ``"client_secret": "…"``),
so the decision rests on three pieces of evidence, weighed here once for the
regex rules and the tree-sitter query rules alike:

* the **key**: ``password``/``api_key``/``client_secret`` say credential
  strongly, ``token``/``auth``/``pass`` weakly, a last word ``key``/``pat``
  after a service name (``mapbox_key``, ``CIRCLECI_PAT``) only loosely (a
  random value there is ``low``), and a last word such as
  ``_url``, ``_file``, ``_name``, ``_length`` says the value is *about* a
  credential, not one;
* the **value**: a stop-list rejects what is plainly not a secret
  (placeholders, references, calls, paths, URLs, digests, ciphertext, numbers,
  type names, names and phrases, our own ``REDACTED-…`` markers), then its
  shape decides between random (high entropy, mixed classes), password-like,
  word-like, and opaque (a UUID or a password hash: a key or an id, only low);
* the **place**: tests, fixtures, docs and examples hold fake credentials by
  design, so nothing found there is more than ``low``.

``scan``/``verify`` fail on high and medium, ``scrub`` redacts all three: a
doubtful value costs a placeholder in a snapshot but never a failed build.
"""
from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Optional

from .checks import counts_up as _counts_up, is_placeholder, shannon_entropy
from .grammars import language_for_path

# -- the key ------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# Names that say credential on their own (matched inside the joined lowercase name).
_STRONG = ("password", "passwd", "passphrase", "pwd", "secret", "apikey", "accesskey",
           "privatekey", "secretkey", "authtoken", "accesstoken", "refreshtoken", "apitoken",
           "bearertoken", "authkey", "signingkey", "encryptionkey", "masterkey", "credential",
           "appkey", "passcode", "clientkey")
# Words that say credential only as whole words: "pass" in db_pass, not in "compass".
_WEAK = frozenset(("token", "auth", "pass", "pw", "creds", "cred"))
# A last word that makes the value a property *of* a credential, not the credential.
_NOT_VALUE = frozenset("""
    url urls uri uris endpoint endpoints path paths file files filename filepath dir directory
    name names id ids type types length len size count min max field fields label labels prompt
    hint placeholder param params prefix suffix regex regexp pattern format message msg text
    title policy expiry expires expiration expire ttl timeout lifetime age version mode method
    methods class provider helper command cmd hash hashed digest checksum sha enabled enable
    disabled required visible status state strength reset changed updated created at on by error
    errors valid validation validator validity callback column attribute attr var env variable
    store storage location ref reference source kind scope scopes audience issuer algorithm alg
    cipher index position offset host port user username login email mask char chars input box
    view button form page route controller handler manager factory generator verifier strategy
    cache template arn fingerprint salt rounds cost iterations header headers service option
    options flag flags dialog modal selector element widget icon color tab link action schema
    rule rules spec specs test tests example examples sample constraint constraints policy
    confirmation sent in too long short blank invalid mismatch missing
""".split())
# A first word that makes the whole name a flag, a question or an action.
_NOT_FIRST = frozenset("""
    is has use uses using no show hide enable disable require requires allow forgot reset
    should can will did must validate verify check get set fetch load read parse generate
    create make build find lookup compute encode decode encrypt decrypt rotate revoke num last
    min max with without the a an this that each any every which
    redacted
""".split())     # redacted: `REDACTED-api-key-1` is our own marker (a value) and a scrubbed name
# A name with one of these before its credential word describes a place or a count
# (`pathToSecret`, `vaultForTokens`); after it, the credential's owner (`token_for_github`).
_PREPOSITIONS = frozenset("to for of from into".split())
_CRED_TEXT = re.compile(r"pass|pwd|secret|token|key|auth|cred")
# Whole words that make a credential-looking name something else.
_NOT_CREDENTIAL = frozenset("csrf xsrf authenticity secretary public publishable".split())
# A last word that says credential only loosely: `mapbox_key`, `CIRCLECI_PAT`.  Most
# keys in code are no secret (cache, sort, primary keys), so only a random value
# under one counts, and only as low.
_LOOSE_LAST = frozenset(("key", "pat"))
# The word before `key` that names a key which is no secret (public by design, a
# name in a data structure, a keyboard key).
_NOT_SECRET_KEY = frozenset("""
    public publishable pub primary foreign sort partition cache cached hash lookup idempotency
    dedup dedupe dedupl routing shard row object i18n translation locale react list item field
    column table index unique composite natural lock group event metric search query cursor
    host map dict hot short shortcut music form bucket s3 blob file path redis memcache
    config setting settings env state meta label dom component node element record entry
    tree cluster sharding distribution bloom unity
""".split())


def key_words(key: str) -> list[str]:
    """``DB_PASSWORD`` -> [db, password]; ``clientSecret`` -> [client, secret]."""
    return [w.lower() for w in _WORDS.findall(key)]


def key_strength(key: str, near: bool = False) -> Optional[str]:
    """'strong', 'weak', 'loose' or None (the name does not say credential).  `near`:
    the value stands right by the name (``Using Key=v``, ``svc KEY v``), where even a
    lone ``key`` says credential loosely; assigned in code, it is a map key."""
    if "/" in key or " " in key.strip():    # a route or a sentence, not a name
        return None
    words = key_words(key)
    if words[-2:] == ["secret", "id"]:      # an AppRole secret_id is the secret half
        return "strong"
    if not words or words[-1] in _NOT_VALUE or _NOT_CREDENTIAL.intersection(words):
        return None
    if len(words) > 1 and words[0] in _NOT_FIRST:
        return None
    last = max((i for i, w in enumerate(words) if _CRED_TEXT.search(w)), default=0)
    if _PREPOSITIONS.intersection(words[:last]):
        return None             # keyVaultToStoreSecrets, numberOfTokens: a name for a place or a count
    if _says_strongly(words):
        return "strong"
    if _WEAK.intersection(words) or words[-1].endswith("token"):
        return "weak"
    if words[-1] in _LOOSE_LAST and (words[-2] not in _NOT_SECRET_KEY if len(words) > 1 else near):
        return "loose"          # `key` alone is a map key, a crypto parameter, a keyboard key
    if _fused_key(words[-1]):
        return "loose"          # GEOCODERKEY, mapboxkey: a service and `key` in one word
    return None


def _fused_key(word: str) -> bool:
    """``geocoderkey``: a word that ends in `key` after a service name, not an English
    word (monkey, hotkey) or a key that is no secret (pubkey, sortkey)."""
    if not word.endswith("key") or len(word) < 7:
        return False
    head = word[:-3]
    return head not in _NOT_SECRET_KEY and head not in _KEY_WORDS


def _says_strongly(words: list[str]) -> bool:
    """A strong credential word in the joined name (``clientSecret``, ``APIKEY``,
    ``protocolsSECRETkey``) that ends where a word ends, or before a plural s:
    ``master-keying`` and ``passwordless`` name something else."""
    joined = "".join(words)
    ends, n = set(), 0
    for w in words:
        n += len(w)
        ends.add(n)
    for name in _STRONG:
        at = joined.find(name)
        while at >= 0:
            end = at + len(name)
            if end in ends or (end + 1 in ends and joined[end] == "s"):
                return True
            at = joined.find(name, at + 1)
    return False


# Words that end in `key` and name no secret.
_KEY_WORDS = frozenset("""
    mon tur hoc don whis jock lac hot turn latch pub pass foreign primary sort hash map
    lookup cache partition shard row dict tree node unique compos event search query group
""".split())


# -- the value ------------------------------------------------------------------

_UUID = re.compile(rb"(?i)^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$")
_CIPHERTEXT = re.compile(rb"^(?:ENC\[|ENC\(|\$ANSIBLE_VAULT;|vault:v\d+:|\{cipher\}|-----BEGIN PGP MESSAGE|AgA[A-Za-z0-9+/]{200})")
_PASSWORD_HASH = re.compile(rb"^(?:\$(?:2[abxy]?|argon2(?:id|i|d)?|scrypt|pbkdf2[-\w]*|[156])\$|\{(?:SSHA|SHA|SMD5|CRYPT)\})")
_DIGEST_PREFIX = re.compile(rb"(?i)^(?:sha(?:1|224|256|384|512)|md5|blake2b?)[-:=]")
_NUMBER = re.compile(rb"^[-+]?(?:\d[\d_,]*)(?:\.\d+)?(?:e[-+]?\d+)?[a-z]{0,2}$", re.I)
# 16+ digits is no count or duration: a numeric key, a PIN, a card-like number.
_LONG_DIGITS = re.compile(rb"^\d{16,}$")
# jjwt-jackson-0.11.2, lodash@4.17.21, requests==2.31.0
_PACKAGE_VERSION = re.compile(rb"^[A-Za-z][\w.-]*?(?:[-:@]|==)v?\d+(?:\.\d+){1,3}(?:[-+.][A-Za-z0-9.]+)?$")
_URL = re.compile(rb"^[a-z][a-z0-9+.-]{1,15}://", re.I)
_URL_CREDS = re.compile(rb"^[a-z][a-z0-9+.-]{1,15}://[^/\s:@]+:[^/\s@]+@", re.I)
_PATH = re.compile(rb"^(?:[a-zA-Z]:\\|\\\\|~/|\.{1,2}/|/)[\w\\/.@ ~+-]*$")
_FILE_EXT = re.compile(rb"(?i)\.(?:pem|key|crt|cer|der|p8|p12|pfx|jks|keystore|json|ya?ml|toml|"
                       rb"ini|cfg|conf|txt|env|gpg|asc|pub|properties|xml|sh|py|rb|js|ts|enc|"
                       rb"age|db|sqlite|log|html?)$")
_REFERENCE = re.compile(
    rb"^(?:"
    rb"\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][\w.]*|\$\{\{.*\}\}|%[A-Za-z_][\w.]*%|@[A-Za-z_]\w*@"
    rb"|\{\{.*\}\}|\{%.*%\}|<%.*%>|#\{.*\}|%\([^)]*\)[sdr]|%[sdr]|\{[\w.]*\}|\{\d+\}"
    rb"|__[A-Z0-9_]+__|<[^<>]{1,60}>|\[[A-Z0-9_ -]{3,60}\]|\(\(.*\)\)"
    rb")$", re.S)
_CONTAINS_REFERENCE = re.compile(rb"\$\{[^}]*\}|\{\{[^}]*\}\}|<%[^%]*%>|#\{[^}]*\}|\$\([^)]*\)|^\$[A-Za-z_]\w*[/:]")
# "VS%0.fTOOLS" % version, "{}-{}".format(a, b): a string code fills in
_FORMATTED = re.compile(rb"""^["'`][ \t]*(?:%[ \t]*[\w(]|\.format\()""")
# settings.CLIENT_SECRET, Rails.application.secret_key_base: where the value lives
_ATTRIBUTE_PATH = re.compile(rb"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
# A template cut short by a nested quote ('<%= ENV['X'] %>' seen from the first quote).
_REFERENCE_OPENERS = (b"<%", b"{{", b"${", b"#{", b"{%", b"$(", b"%(")
# An unquoted name in code: a variable, attribute, constant, call or index.
_CODE_NAME = re.compile(rb"^[@$]{0,2}[A-Za-z_][\w]*(?:(?:\.|::|->|\?\.)[A-Za-z_]\w*)*(?:\[[^\]]*\])?[!?]?$")
_TYPE_NAMES = frozenset(b"""
    str string bytes text int integer bool boolean char varchar object any none null nil undefined
    true false yes no on off optional required secure securestring password secret token
    datetime date uuid json number float double long short array list dict map hash symbol
    void unknown never buffer credential credentials passwd pass pwd key apikey api_key
    hidden masked sensitive encrypted redacted private public readonly static final const
    include omit same-origin
""".split())
# Values people write in tests, docs and tutorials; real only on someone's laptop.
_FIXTURE_WORDS = frozenset(b"""
    secret secrets password passwd pass pwd test testing tester tests foo bar baz qux quux foobar
    foobarbaz example sample dummy fake mock mocked stub demo default admin root guest user users
    hunter2 letmein qwerty abc abc123 abcdef abcdefg abcdefgh 123456 12345678 123456789
    1234567890 password1 password123 passw0rd p4ssw0rd p@ssw0rd p@ssword secret123 secret1
    mysecret mypassword mypass mytoken my_secret my_password supersecret super_secret topsecret
    changeit changeme s3cr3t s3cret sekret welcome welcome1 iloveyou trustno1 opensesame
    postgres mysql redis rabbitmq guest123 root123 admin123 administrator pa55word pa55w0rd
    development production staging local localhost none
""".split())
_VOWELS = set(b"aeiouyAEIOUY")


COUNTING = "a counting sequence (abcdef, 123456)"


def reject_reason(value: bytes, quoted: bool, code: bool, after: bytes = b"",
                  sequences: bool = False) -> Optional[str]:
    """Why this value is plainly not a secret (the stop-list), or None.  With
    `sequences`, a value that counts up (``1234567890abcdef…``) is not rejected
    here: the judgement weighs it (see is_sequence)."""
    v = value.strip()
    low = v.lower()
    if len(v) < 4:
        return "too short"
    if low.startswith(b"redacted-") or b"redacted" in low:
        return "a redaction marker"
    if _REFERENCE.match(v) or _CONTAINS_REFERENCE.search(v) or v.startswith(_REFERENCE_OPENERS):
        return "a variable reference or template"
    if is_placeholder(v):
        return "a placeholder"
    if not quoted and code and (after.lstrip()[:1] in (b"(", b"[", b".") or _CODE_NAME.match(v)):
        return "a name, call or attribute in code"
    if not quoted and after[:1] in (b"(", b"["):
        return "a function call or an index"
    if quoted and _FORMATTED.match(after):
        return "a format string (filled in by code)"
    if low in _TYPE_NAMES or low.strip(b":?[]!") in _TYPE_NAMES:
        return "a type name or keyword"
    if _URL.match(v) and not _URL_CREDS.match(v):
        return "a URL without credentials"
    if _is_path(v):
        return "a file path"
    if re.match(rb"^pk_(?:live|test)_", v):
        return "a publishable key (public by design)"
    if _CIPHERTEXT.match(v):
        return "an encrypted value (ciphertext is safe to share)"
    if not sequences and _counts_up(v):
        return COUNTING
    if _DIGEST_PREFIX.match(v):
        return "a content digest"
    if (_NUMBER.match(v) and not _LONG_DIGITS.match(v)) or re.match(rb"^\d+(?:\.\d+)?\.[a-z_]+$", v):
        return "a number or a duration"
    if _PACKAGE_VERSION.match(v):
        return "a package and its version"
    if re.fullmatch(rb"[0-9a-f]{6,12}", low) and _has_digit(v):
        return "an abbreviated hex digest"
    if _is_identifier(v) or _ATTRIBUTE_PATH.match(v) and is_word_like(v):
        return "a name (an identifier, an environment variable, a key path)"
    if b" " in v.strip() and (is_word_like(v) or _is_prose(v)) and not _holds_token(v):
        return "a phrase"
    if v.startswith(b"!") and re.match(rb"^![A-Za-z_]\w*$", v):
        return "a YAML tag"
    if v.startswith(b"-") and re.match(rb"^--?[a-z][\w-]*$", v):
        return "a command-line option"
    return None


def _holds_token(v: bytes) -> bool:
    """One of the words is a long random token (``{svc AQAAABAAA <40 random>}``):
    a value written with a label, not a sentence."""
    words = (w.strip(b"{}()[]'\"") for w in v.split())
    return any(len(w) >= 20 and reject_reason(w, quoted=True, code=False) is None
               and value_shape(w) == "random" for w in words)


def _is_prose(v: bytes) -> bool:
    """Several words with spaces, mostly letters: a message, not a secret."""
    letters = sum(1 for c in v if 65 <= c <= 90 or 97 <= c <= 122)
    return v.count(b" ") >= 2 and letters >= 0.7 * (len(v) - v.count(b" "))


def _is_identifier(v: bytes) -> bool:
    """snake_case / kebab-case / dotted.names / ENV_NAMES of two or more words, no digits
    inside: the *name* of a secret (``action_dispatch.secret_key``), not a secret."""
    pieces = [p for p in re.split(rb"[-_.:]+", v) if p]
    if len(pieces) < 2 or not re.fullmatch(rb"[-_.:]?[A-Za-z][A-Za-z0-9_.:-]*", v):
        return False
    if not (v.lower() == v or v.upper() == v):
        return False
    return all(re.fullmatch(rb"[A-Za-z]+\d{0,2}", p) and (set(p) & _VOWELS or len(p) <= 3) for p in pieces)


def _is_path(v: bytes) -> bool:
    v = v.rstrip(b":,")             # `PASS: gdb.ada/assign_1.exp: …` in a test log
    if _PATH.match(v) and (b"/" in v[1:] or b"\\" in v or v.startswith((b"~/", b"./", b"../"))):
        return True
    if _FILE_EXT.search(v) and re.match(rb"^[\w./\\-]+$", v):
        return True
    parts = v.split(b"/")
    # word/word/word.ext: a relative path, not base64 (which mixes cases and digits inside words)
    return (len(parts) >= 2 and all(re.match(rb"^[a-z0-9_.+-]{1,40}$", p) for p in parts if p)
            and any(len(w) >= 4 and is_word_like(w) for w in re.split(rb"[-_./]", v)) and b"=" not in v
            and (shannon_entropy(v) < 4.0 and b"+" not in v or _NAMED_FILE.search(v) is not None))


# the last part is a name of words with an extension: `set-inferior-tty.exp`, `align-c++.exp`
_NAMED_FILE = re.compile(rb"/[a-z][a-z0-9]+(?:[-_][a-z0-9+]+)*\.[a-z]{1,5}$")


_CAMEL = re.compile(rb"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_word_like(v: bytes) -> bool:
    """Made of pronounceable words (``SuperSecret2024``, ``my-app-key``): a human wrote it.

    Random tokens break into many short runs without vowels (``mUc3m00Rs``);
    words break into a few runs of two or more letters that each hold a vowel.
    """
    pieces = [p for p in re.split(rb"[-_. /:@!#&*+=,;~?()\\]+", v) if p]
    if not pieces or not any(c.isalpha() for c in v.decode("latin-1")):
        return False
    runs = [r for p in pieces for r in _CAMEL.findall(p)]
    if sum(len(r) for r in runs) != sum(len(p) for p in pieces):
        return False                     # other characters inside a piece
    alpha = [r for r in runs if r[:1].isalpha()]
    digits = [r for r in runs if r[:1].isdigit()]
    if len(digits) > 2 or any(len(d) > 4 for d in digits) and len(digits) > 1:
        return False
    for r in alpha:
        abbreviation = r.isupper() and len(r) <= 4
        if not abbreviation and (len(r) < 2 or not set(r) & _VOWELS):
            return False
    camel_runs = max(len(_CAMEL.findall(p)) for p in pieces)
    return camel_runs <= 4


def char_classes(v: bytes) -> int:
    text = v.decode("latin-1")
    return sum((any(c.islower() for c in text), any(c.isupper() for c in text),
                any(c.isdigit() for c in text), any(not c.isalnum() for c in text)))


def value_shape(value: bytes) -> str:
    """'random', 'password', 'word' or 'opaque' (a UUID, a password hash, 16+ digits:
    maybe a key, maybe an id) for a value the stop-list let through."""
    v = value.strip()
    if _UUID.match(v) or _PASSWORD_HASH.match(v) or _LONG_DIGITS.match(v):
        return "opaque"
    text = _base64_text(v)
    if text is not None:           # Kubernetes `data:` values: judge what they encode
        return value_shape(text)
    low = v.lower()
    if low in _FIXTURE_WORDS or low.rstrip(b"!.0123456789") in _FIXTURE_WORDS:
        return "word"
    ent = shannon_entropy(v)
    hexy = re.fullmatch(rb"[0-9a-fA-F]+", v) is not None
    if len(v) >= 16 and not is_word_like(v) and (
            (hexy and len(v) >= 24 and ent >= 3.0) or (ent >= 3.5 and char_classes(v) >= 2)):
        return "random"
    if len(v) >= 12 and not is_word_like(v) and ent >= 3.3 and char_classes(v) >= 3:
        return "random"                # a generated password: gXK9pzTpQnQStM
    if is_word_like(v):
        # Summer2024! is a human password; my-app-key or SuperSecret is a name
        return "password" if len(v) >= 8 and char_classes(v) >= 3 and _has_digit(v) else "word"
    if len(v) >= 6 and (char_classes(v) >= 2 or ent >= 3.0):
        return "password"
    return "word"


def is_sequence(value: bytes) -> bool:
    """A long value that counts up or down (``abcdef1234567890abcdef…``, ``ZYXWV…``):
    how documentation writes a token, and how a lazy developer makes one.  Under a
    credential name it is reported at low: a false redaction costs a placeholder, a
    miss a leak.  Short ones (``abcdef``, ``123456``) stay rejected."""
    v = value.strip()
    if len(v) < 12 or not (_counts_up(v) or _counts_up(bytes(255 - c for c in v))):
        return False
    return char_classes(v) >= 2 or len(v) >= 16


def _base64_text(v: bytes) -> Optional[bytes]:
    """The printable text a base64 value encodes (``cGFzc3dvcmQ=`` -> ``password``), or None."""
    if len(v) < 8 or len(v) % 4 or not re.fullmatch(rb"[A-Za-z0-9+/]+={0,2}", v):
        return None
    try:
        raw = base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) >= 4 and all(32 <= c < 127 for c in raw) else None


def _has_digit(v: bytes) -> bool:
    return any(48 <= c <= 57 for c in v)


def credential_shaped(value: bytes) -> bool:
    """A value that could be a real credential wherever it was found (see checks.credential_shape)."""
    return reject_reason(value, quoted=True, code=False) is None and value_shape(value) != "word"


# -- the place ------------------------------------------------------------------

_TEST_DIRS = frozenset("""test tests spec specs __tests__ __mocks__ testing testdata test_data
    fixtures fixture mocks mock e2e cypress dummy stubs stub testutils testhelpers""".split())
_DOC_DIRS = frozenset("docs doc guides guide examples example samples sample demo demos tutorial tutorials".split())
_DOC_EXT = (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".ipynb", ".html", ".htm",
            ".example", ".sample", ".dist", ".template", ".tmpl", ".tt", ".tpl", ".j2", ".erb")
# config.example.yml, settings.sample.py, example.env: a template to copy, not the real file
_SAMPLE_FILE = re.compile(r"(?i)(^|[._-])(example|sample|template|dist)(\.|$)")
_TEST_FILE = re.compile(r"(?i)(^test_|_test\.|\.test\.|_spec\.|\.spec\.|tests?\.[a-z]+$|^conftest\.py$|"
                        r"(Test|Tests|Spec|IT)\.(java|kt|cs|scala|groovy|swift)$|_test$|fake|mock|stub)")
_SECRET_FILE = re.compile(r"(?i)(^\.env(\..+)?$|^\.?(secrets?|credentials?)(\.[a-z]+)?$|\.env$|"
                          r"^\.?(npmrc|pypirc|netrc|pgpass|git-credentials)$|^application(-\w+)?\.(properties|ya?ml)$|"
                          r"^(settings|config)[._-]?(prod|production|live)\.[a-z]+$)")


def path_context(path: str) -> str:
    """'test', 'doc', 'secrets' or 'code': where fake values are expected, or real ones."""
    p = PurePosixPath(path.lower())
    parts = set(p.parts[:-1])
    name = PurePosixPath(path).name
    if parts & _TEST_DIRS or _TEST_FILE.search(name):
        return "test"
    if parts & _DOC_DIRS or name.lower().endswith(_DOC_EXT) or _SAMPLE_FILE.search(name):
        return "doc"
    if _SECRET_FILE.search(name):
        return "secrets"
    return "code"


# -- the verdict ------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A value found assigned to a name, with what we know of its surroundings."""

    key: str                # the name the value is assigned to (may be empty when unknown)
    value: bytes            # the literal, without its quotes
    path: str
    quoted: bool = True     # it was a string literal (unquoted words in code are names)
    code: bool = False      # the file is source code
    after: bytes = b""      # what follows the value ("(" says a call)
    listed: bool = False    # name and value are neighbours in a list or call ("password", "x")
    proximity: bool = False  # found only near a credential word (``svc SECRET v``, ``svcKEY-v``): low at most
    after_word: bool = False  # the name stands alone after a word on its line (``Using Key=v``)
    qualifier: str = ""     # that word (``interseller token = …``): whose token it is


@dataclass(frozen=True)
class Verdict:
    confidence: Optional[str]   # None: not a credential
    reason: str


_TABLE = {  # (key strength, value shape) -> confidence
    ("strong", "random"): "high", ("weak", "random"): "medium",
    ("strong", "password"): "medium", ("weak", "password"): "low",
    ("strong", "word"): "low", ("weak", "word"): None,
    ("strong", "opaque"): "low", ("weak", "opaque"): None,
    ("loose", "random"): "low", ("loose", "password"): None,
    ("loose", "word"): None, ("loose", "opaque"): None,
}
# Shapes a value found only near a credential word (not assigned to it) may have.
_PROXIMITY_SHAPES = ("random", "sequence", "opaque")


@functools.lru_cache(maxsize=8192)   # history meets the same line in every version of a file
def judge(c: Candidate) -> Verdict:
    """The confidence for one candidate, or None with the reason it is not a credential."""
    strength = key_strength(c.key, c.after_word) if c.key else "weak"
    if strength is None:
        return Verdict(None, "the name does not say credential")
    why = reject_reason(c.value, c.quoted, c.code, c.after, sequences=True)
    if why:
        return Verdict(None, why)
    if _repeats_name(c.key, c.value):
        return Verdict(None, "the name itself (#define SN_authData \"id-authData\")")
    sequence = is_sequence(c.value)
    if not sequence and _counts_up(c.value.strip()):
        return Verdict(None, COUNTING)      # too short or too plain to be a lazy secret: abcdef, 123456
    shape = "sequence" if sequence else value_shape(c.value)
    if c.listed and shape in ("word", "opaque"):
        return Verdict(None, "a list of names (\"password\", \"passwd\", …)")
    if c.proximity and shape not in _PROXIMITY_SHAPES:
        return Verdict(None, f"a {shape} value next to a credential word, not assigned to it")
    if c.proximity and shape == "random":
        why = _near_but_not_secret(c.value.strip())
        if why:
            return Verdict(None, why)
    if shape == "sequence":
        return Verdict("low", f"{strength} name, a value that counts up (a sample, or a lazy secret)")
    conf = _TABLE[(strength, shape)]
    if conf is None and shape == "opaque" and _names_a_service(key_words(c.key), c.qualifier):
        conf = "low"        # `opsgenie_token = <uuid>`: many services issue UUID tokens
    if conf is None:
        return Verdict(None, f"a {shape} value under a {strength} name")
    place = path_context(c.path)
    if place in ("test", "doc"):
        if shape == "word" or (shape == "opaque" and place == "test"):
            return Verdict(None, f"a test fixture (a {shape} value in {place} files)")
        return Verdict("low", f"{strength} name, {shape} value, in {place} files")
    if place == "secrets" and conf == "low" and shape == "password":
        conf = "medium"
    if c.proximity:
        return Verdict("low", f"{strength} name, {shape} value next to it (not assigned)")
    return Verdict(conf, f"{strength} name, {shape} value")


def _repeats_name(key: str, value: bytes) -> bool:
    """The value spells its own name (``SN_id_authData = "id-authData"``): a constant
    naming a thing; a secret never appears in its own variable's name."""
    v = re.sub(rb"[^a-z0-9]", b"", value.lower())
    return len(v) >= 8 and v in re.sub(r"[^a-z0-9]", "", key.lower()).encode()


_FINGERPRINT = re.compile(rb"^(?:[0-9A-F]{40}|0x[0-9A-Fa-f]{8,40})$")


def _near_but_not_secret(v: bytes) -> Optional[str]:
    """Only next to a credential word, some random-looking values are plainly something
    else: a PGP fingerprint or key id (`signing key 1988…BE03`, `key: 0x7EC2…`), or a
    name made of words (`key: gnutls_x509_crt_verify_data2`)."""
    if _FINGERPRINT.match(v):
        return "a key fingerprint or key id (public)"
    pieces = [p for p in re.split(rb"[_.\-]+", v) if p]
    if len(pieces) >= 2 and max(map(len, pieces)) <= 12 \
            and 2 * sum(1 for p in pieces if len(p) >= 3 and is_word_like(p)) >= len(pieces):
        return "a name made of words (an identifier in code)"
    return None


# A word before `token`/`key` that makes a UUID under it an id, not a secret.
_ID_QUALIFIERS = frozenset("""
    page next prev previous continuation sync request client idempotency cursor session
    correlation trace device instance tenant user account project app installation invite
    invitation reset confirmation verification unsubscribe upload download share state nonce
    order transaction job task run build message event item object record entity resource
    document doc folder view report post comment article product customer
""".split()) | _NOT_SECRET_KEY
# Words of code that stand before a name without qualifying it.
_CODE_WORDS = frozenset("""
    string str const let var val final static private public protected internal def local my
    our export readonly char auto set declare dim new return global bytes
""".split())


def _names_a_service(words: list[str], qualifier: str) -> bool:
    """A UUID under a token or key name counts (low) when the name says whose:
    ``NPM_TOKEN``, ``kontent_key``, ``opsgenie token = …`` -- not ``token``,
    ``page_token``, ``String token``."""
    if len(words) > 1:
        return words[-2] not in _ID_QUALIFIERS
    q = qualifier.lower()
    return bool(q) and q not in _ID_QUALIFIERS and q not in _CODE_WORDS and q not in _NOT_FIRST


# -- reading a candidate out of a regex hit ------------------------------------------

_NAME = re.compile(rb"[A-Za-z_$@][\w.$@-]*")
_CRED_WORD = re.compile(rb"(?i)pass|pwd|secret|token|key|auth|cred|[_-]pat(?![a-z])")
_QUOTES = b"\"'`"
_CODE_EXT = frozenset("""
    .py .pyi .js .mjs .cjs .jsx .ts .tsx .mts .cts .java .kt .kts .scala .groovy .go .rs .c .h
    .cc .cpp .cxx .hpp .cs .vb .fs .rb .rake .php .swift .m .mm .dart .lua .pl .pm .r .jl .ex
    .exs .erl .clj .cljs .elm .hs .ml .vue .svelte .coffee .gradle
""".split())


def is_code_path(path: str, data: Optional[bytes] = None) -> bool:
    """Source code, where an unquoted word after '=' is a name, not a value (an
    extensionless script counts by its #! line)."""
    by_name = _code_by_name(path)
    if by_name is not None:
        return by_name
    if not data or not data.startswith(b"#!"):
        return False          # no name, no #! line: no language (docs, .txt, .cfg)
    return language_for_path(path, data) not in _NOT_CODE


_NOT_CODE = (None, "bash", "yaml", "json", "toml", "html")


@functools.lru_cache(maxsize=4096)   # asked once per candidate: history asks about the same paths a lot
def _code_by_name(path: str) -> Optional[bool]:
    """What the name says (None: only a #! line can tell)."""
    p = PurePosixPath(path)
    if p.suffix.lower() in _CODE_EXT or p.name in ("Rakefile", "Gemfile", "Jenkinsfile"):
        return True
    lang = language_for_path(path)
    return None if lang is None else lang not in _NOT_CODE


# The characters a name is walked left over: (latin-1) letters and digits, and _.-$@.
# One regex search instead of a Python step per character (once per candidate).
_NAME_RUN = re.compile(b"[" + b"".join(re.escape(bytes([c])) for c in range(256)
                                       if chr(c).isalnum() or c in b"_.-$@") + rb"]+\Z")


_PREVIOUS_WORD = re.compile(rb"([A-Za-z][A-Za-z0-9]*)[ \t]{1,4}\Z")
_LOOK_LEFT = 80       # how far before a match candidate_at looks for the start of the name
_LOOK_RIGHT = 8       # and after the value (Candidate.after)
_JUDGED: dict = {}    # judge_at's memo
JUDGED_MEMO = 20_000  # verdicts remembered before the memo starts afresh


def judge_at(path: str, data: bytes, match_start: int, start: int, end: int,
             proximity: bool = False) -> Verdict:
    """judge(candidate_at(...)), remembered by all that candidate_at reads: the path,
    whether the file is code, and the bytes from _LOOK_LEFT before the match to
    _LOOK_RIGHT after the value.  History meets the same assignment in every version
    of a file (flask: 13,000 candidates, 1,600 distinct); each is read once."""
    base = max(0, match_start - _LOOK_LEFT)
    key = (path, is_code_path(path, data), data[base:end + _LOOK_RIGHT],
           match_start - base, start - base, end - base, proximity)
    verdict = _JUDGED.get(key)
    if verdict is None:
        verdict = judge(candidate_at(path, data, match_start, start, end, proximity))
        if len(_JUDGED) >= JUDGED_MEMO:
            _JUDGED.clear()
        _JUDGED[key] = verdict
    return verdict


def candidate_at(path: str, data: bytes, match_start: int, start: int, end: int,
                 proximity: bool = False) -> Candidate:
    """The name and surroundings of a value a regex rule captured at data[start:end].

    Rules start matching at the credential word; the name may begin earlier
    (``DB_PASSWORD``), so we walk left to its first character.  Of the names
    between there and the value, the last one holding a credential word is
    the key (``<add key="DbPassword" value="…">`` -> ``DbPassword``).  A
    `proximity` hit's lone word takes the word before it: ``PRIMARY KEY``.
    """
    run = _NAME_RUN.search(data, max(0, match_start - _LOOK_LEFT), match_start)
    left = run.start() if run else match_start
    names = [m.group(0) for m in _NAME.finditer(data, left, start)]
    key = next((n for n in reversed(names) if _CRED_WORD.search(n)), names[-1] if names else b"")
    after_word, qualifier = False, b""
    if left == match_start:
        # the word stands alone (`svc KEY v`, `PRIMARY KEY v`): the word before says whose
        prev = _PREVIOUS_WORD.search(data, max(0, left - _LOOK_LEFT // 2), left)
        if prev and proximity and prev.group(1).lower().decode() not in _NOT_FIRST:
            key = prev.group(1) + b"_" + key
        elif prev:
            qualifier = prev.group(1)
        after_word = proximity and prev is not None   # `Using Key=v`, not `key = v` opening a line
    quote = data[start - 1:start] if start > 0 and data[start - 1] in _QUOTES else b""
    quoted = bool(quote) and data[end:end + 1] == quote
    code = is_code_path(path, data)
    value = data[start:end]
    if quote == b"`" and not code and re.search(rb"\s", value):
        quoted = False       # `cat token.txt`: a shell command substitution, not a literal
        value = b"$(" + value + b")"
    between = data[match_start:start]
    listed = b"," in between and not re.search(rb"[:=]", between)
    return Candidate(key=key.decode("utf-8", "replace"), value=value, path=path,
                     quoted=quoted, code=code, after=data[end:end + _LOOK_RIGHT], listed=listed,
                     proximity=proximity, after_word=after_word,
                     qualifier=qualifier.decode("ascii", "replace"))
