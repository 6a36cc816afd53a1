"""Provider rules as a set: breadth, authoring conventions, and silence on clean code.

Each rule's own examples run in test_rule_examples.py; this file checks what
no single example can: that keywords really prefilter every match (the pure-re
engine depends on it), that hyperscan takes every rule natively, and that
ordinary code full of hashes, UUIDs and base64 raises nothing.
"""
from __future__ import annotations

import base64
import hashlib
import random
import sys
import uuid
from pathlib import Path

import pytest

from reposcrub.detect import is_generic
from reposcrub.detect.engine import Engine, compile_rule
from reposcrub.examplegen import expand
from reposcrub.ruleset import RuleSet

from conftest import ROOT, fake

RULES = [r for r in RuleSet.load().rules if r.pattern]
PROVIDER = [r for r in RULES if r.kind == "secret" and not is_generic(r)]
ENGINE = Engine(RULES)
SECRETS_DIR = Path(__file__).resolve().parents[2] / "reposcrub" / "rules" / "secrets"
# A Discord bot token holds no literal at all (base64 id . time . HMAC); its
# first segment's shape is narrow enough that the re fallback runs it unfiltered.
KEYWORDLESS = {"discord-bot-token"}


def test_at_least_150_credential_families():
    ids = {r.id for r in RuleSet.load().rules if r.kind == "secret"}
    assert len(ids) >= 150, f"only {len(ids)} secret rules"


@pytest.mark.parametrize("rule", PROVIDER, ids=lambda r: r.id)
def test_rule_follows_authoring_conventions(rule):
    assert len(rule.examples) >= 2 and len(rule.negative_examples) >= 2
    assert rule.placeholder, "a typed placeholder name, e.g. stripe-key"
    assert rule.name and rule.name != rule.id, "name says the family for the README table"
    assert rule.keywords or rule.id in KEYWORDLESS, "keywords are the pure-re engine's prefilter"
    assert all(k == k.lower() for k in rule.keywords), "keywords are compared lower-cased"
    assert rule.group >= 1, "group selects only the secret, not the key name or quotes"


@pytest.mark.parametrize("rule", [r for r in PROVIDER if r.keywords], ids=lambda r: r.id)
def test_keywords_cover_every_match(rule):
    """A match without any keyword would be invisible to REPOSCRUB_ENGINE=re."""
    for ex in rule.examples:
        data = expand(ex, rule.id).encode()
        for h in ENGINE.scan(data):
            if h.rule.id == rule.id:
                span = data[h.match_start:h.match_end].lower()
                assert any(k.encode() in span for k in rule.keywords), (rule.id, ex)


@pytest.mark.parametrize("rule", PROVIDER, ids=lambda r: r.id)
def test_every_repetition_is_bounded(rule):
    """The engine runs `re` on a window as long as the rule's longest match before
    each hyperscan report; an unbounded pattern gets a guessed window and may lose
    the start of a long token."""
    assert not compile_rule(rule).snap, "use {m,n}, not + or *"


def test_hyperscan_takes_every_provider_rule_natively():
    """A rule hyperscan rejects runs by keyword on every blob: slow on history."""
    hyperscan = pytest.importorskip("hyperscan")
    from reposcrub.detect.engine import _hs_accepts, _hs_expression, _hs_flags
    rejected = [r.id for r in PROVIDER if not _hs_accepts(_hs_expression(r), _hs_flags(r))]
    assert not rejected, rejected
    assert hyperscan  # imported for its side effect only


def test_both_engines_agree_on_every_example_in_every_file_context():
    """Hyperscan has missed matches of some case-insensitive alternations once the
    text before them is long enough (e.g. `(?i:facebook|\\bfb_)…` after 30 bytes),
    which short examples never show.  The corpus re-plants every example in 26
    file contexts; the native engine must find exactly what `re` finds there."""
    pytest.importorskip("hyperscan")
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus
    fallback = Engine(RULES, backend="re")
    secret_rules = [r for r in RuleSet.load().rules if r.kind == "secret"]
    differ = set()
    for sample in corpus.template_positives(secret_rules, "engines"):
        native = {(h.rule.id, h.start, h.end) for h in ENGINE.scan(sample.data)}
        plain = {(h.rule.id, h.start, h.end) for h in fallback.scan(sample.data)}
        differ |= {(rule, sample.context) for rule, _, _ in native ^ plain}
    assert not differ, sorted(differ)[:20]


def test_splunk_token_in_an_authorization_header():
    token = fake("{{uuid}}")
    text = f'curl -H "Authorization: Splunk {token}" https://splunk.example.org:8088/services/collector'
    hits = [h for h in ENGINE.scan(text.encode()) if h.rule.id == "splunk-hec-token"]
    assert [text.encode()[h.start:h.end] for h in hits] == [token.encode()]


@pytest.mark.parametrize("rule_id,template", [("github-token", "{{github:ghp}}"),
                                              ("age-secret-key", "{{age}}")])
def test_bad_checksum_is_found_at_low_confidence(rule_id, template):
    """No issued token fails its checksum, but fixtures do: still redacted, never a build failure."""
    good = fake(template)
    bad = good[:-1] + ("Q" if good[-1] != "Q" else "P")
    confidence = {h.rule.id: h.rule.confidence for h in ENGINE.scan(f"t={good}\n".encode())}
    assert confidence.get(rule_id) == "high"
    confidence = {h.rule.id: h.rule.confidence for h in ENGINE.scan(f"t={bad}\n".encode())}
    assert confidence.get(rule_id) == "low"


def test_a_token_in_a_url_or_header_is_named_by_its_provider():
    """The same span is a connection-string password and a GitHub token: the rule
    that knows the value by its own shape names it."""
    from reposcrub.detect import dedupe_hits
    token = fake("{{github:ghs}}")
    for text in (f"https://x-access-token:{token}@github.com/o/r.git",
                 f"Authorization: Bearer {token}"):
        kept = dedupe_hits(ENGINE.scan(text.encode()))
        assert [(h.rule.id, text.encode()[h.start:h.end]) for h in kept
                if h.rule.kind == "secret" and not is_generic(h.rule)] == [("github-token", token.encode())]


def test_placeholder_values_are_not_findings():
    for text in ("aws_secret_access_key = REPLACE_ME_WITH_YOUR_SECRET_KEY_HERE00",
                 "SLACK_BOT_TOKEN=xoxb-your-bot-token",
                 "STRIPE_SECRET_KEY=sk_test_XXXXXXXXXXXXXXXXXXXXXXXX",
                 "OPENAI_API_KEY=sk-...",
                 "password = os.environ['DB_PASSWORD']"):
        hits = [h.rule.id for h in ENGINE.scan(text.encode()) if not is_generic(h.rule)]
        assert not hits, (text, hits)


def _clean_snippets() -> dict[str, str]:
    """Ordinary code that is full of credential-shaped noise but holds no credential."""
    rng = random.Random(7)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(3000))).decode()
    digest = lambda s, algo="sha256": hashlib.new(algo, s.encode()).hexdigest()   # noqa: E731
    sri = lambda s: base64.b64encode(hashlib.sha384(s.encode()).digest()).decode()  # noqa: E731
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(8)]
    return {
        "uuids.py": "\n".join(f'ROW_{i} = {{"id": "{u}", "tenant": "{ids[-1]}"}}' for i, u in enumerate(ids)),
        "changelog.md": "\n".join(f"- {digest(str(i), 'sha1')} fix flaky test {i} (#{1000 + i})"
                                  for i in range(40)),
        "image.css": f".logo {{ background: url(data:image/png;base64,{png}); }}",
        "lorem.txt": ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
                      "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, "
                      "quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo.\n") * 20,
        "bundle.min.js": ('!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?'
                          'module.exports=t():"function"==typeof define&&define.amd?define(t):'
                          '(e="undefined"!=typeof globalThis?globalThis:e||self).Lib=t()}(this,'
                          'function(){"use strict";var e=function(e,t){return e.tokenize(t)},'
                          'n={secretKeyPrefix:"sk_",authHeader:"Authorization",apiKeyParam:"key"};'
                          'return{parse:e,config:n}});'),
        "index.html": "\n".join(
            f'<script src="https://cdn.example.org/lib{i}.js" integrity="sha384-{sri(str(i))}" '
            'crossorigin="anonymous"></script>' for i in range(10)),
        "package-lock.json": "\n".join(
            f'"node_modules/pkg{i}": {{"version": "1.{i}.0", "resolved": "https://registry.npmjs.org/'
            f'pkg{i}/-/pkg{i}-1.{i}.0.tgz", "integrity": "sha512-'
            f'{base64.b64encode(hashlib.sha512(str(i).encode()).digest()).decode()}"}},'
            for i in range(20)),
        "go.sum": "\n".join(
            f"github.com/org/mod{i} v1.{i}.0 h1:{base64.b64encode(hashlib.sha256(str(i).encode()).digest()).decode()}"
            for i in range(20)),
        "requirements.txt": "\n".join(f"pkg{i}==1.{i} --hash=sha256:{digest(str(i))}" for i in range(20)),
        "Dockerfile": "\n".join(f"FROM registry.example.org/base{i}@sha256:{digest('img' + str(i))}"
                                for i in range(5)),
        "auth.py": ("def login(user, password):\n    token = issue_token(user)\n"
                    "    headers = {'Authorization': f'Bearer {token}'}\n"
                    "    return requests.post(AUTH_URL, headers=headers, auth=(user, password))\n"),
        "ids.go": "\n".join(f'const Build{i} = "{digest(str(i), "md5")}"' for i in range(20)),
    }


@pytest.mark.parametrize("name,text", sorted(_clean_snippets().items()))
def test_clean_code_has_no_provider_findings(name, text):
    hits = [(h.rule.id, text[h.start:h.start + 12]) for h in ENGINE.scan(text.encode())
            if not is_generic(h.rule)]
    assert not hits, f"{name}: {hits}"


def test_rule_files_hold_no_generated_value():
    """Rule files hold templates only: a literal token would trip every push check."""
    for path in SECRETS_DIR.glob("*.yaml"):
        data = path.read_bytes()
        for hit in ENGINE.scan(data):
            if b"{{" in data[hit.start:hit.end]:
                continue                      # a template such as '{{alnum:16}}'
            if hit.rule.kind == "secret" and hit.rule.confidence == "high":
                pytest.fail(f"{path.name}: {hit.rule.id} matches the rule file itself")
