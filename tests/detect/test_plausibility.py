"""Plausibility: a provider rule's hit goes down when its value is plainly made up, or when
a rule that knows its value only by the words around it fires in a file of fakes."""
from __future__ import annotations

import pytest

from conftest import fake
from reposcrub.detect import Scanner
from reposcrub.detect.checks import compile_check
from reposcrub.detect.plausibility import EXAMPLE_VALUE, adjusted, anchored, example_value, lower, plainly_fake
from reposcrub.model import ContentItem, Rule
from reposcrub.ruleset import RuleSet

RULESET = RuleSet.load()
SCANNER = Scanner(RULESET, b"test-key")


def confidences(path: str, text: str, rule: str) -> list[str]:
    return [f.confidence for f in SCANNER.detect(ContentItem(path, text.encode())) if f.rule == rule]


# -- plainly fake values ---------------------------------------------------------

@pytest.mark.parametrize("value", [
    "abcdefghijklmnopqrstuvwxyz0123",        # the alphabet
    "dop_v1_" + "0123456789" * 4,            # counting digits
    "Xq7" + "Z" * 10 + "p2",                 # one character held down
    "ab12" * 8,                              # a short cycle
    "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",      # counting every other character
])
def test_made_up_values_are_plainly_fake(value):
    assert plainly_fake(value.encode())


@pytest.mark.parametrize("template", ["{{alnum:40}}", "{{hex:64}}", "{{b64url:93}}", "{{lowerdigits:32}}"])
def test_generated_values_are_not(template):
    assert not any(plainly_fake(fake(template, f"seed{i}").encode()) for i in range(50))


# -- which rules know their value by itself ----------------------------------------

@pytest.mark.parametrize("rule_id", ["aws-access-key-id", "github-token", "anthropic-api-key", "private-key",
                                     "slack-webhook"])          # a URL said so in the rule file
def test_prefixed_and_checksummed_rules_are_anchored(rule_id):
    assert anchored(RULESET.by_id(rule_id))


@pytest.mark.parametrize("rule_id", ["rails-secret-key-base", "mandrill-api-key", "connection-string-password",
                                     "aws-secret-access-key"])
def test_keyword_rules_are_not(rule_id):
    assert not anchored(RULESET.by_id(rule_id))


def test_a_case_insensitive_prefix_is_a_keyword_not_an_anchor():
    sensitive = Rule(id="t1", kind="secret", name="t", pattern=r"\b(tok_[a-z0-9]{20})\b", group=1)
    assert anchored(sensitive)
    assert not anchored(Rule(id="t2", kind="secret", name="t", pattern=r"\b((?i:tok_)[a-z0-9]{20})\b", group=1))
    assert not anchored(Rule(id="t3", kind="secret", name="t", pattern=r"\b(k_[a-z0-9]{20})\b", group=1))
    assert anchored(Rule(id="t4", kind="secret", name="t", pattern=r"(?:ab|cd)_(?:x1|y2)([a-z]{9})",
                         group=1, anchored=True))


def test_an_alternation_counts_its_shortest_branch():
    both = Rule(id="t5", kind="secret", name="t", pattern=r"\b((?:abcd|efgh)_[a-z0-9]{20})\b", group=1)
    short = Rule(id="t6", kind="secret", name="t", pattern=r"\b((?:abcd|ef)[a-z0-9]{20})\b", group=1)
    assert anchored(both) and not anchored(short)


# -- the adjustment ---------------------------------------------------------------

def test_lower_steps_down_and_stops_at_low():
    assert [lower(c) for c in ("high", "medium", "low")] == ["medium", "low", "low"]


def test_unanchored_rules_drop_one_level_in_tests_and_docs():
    rule = RULESET.by_id("rails-secret-key-base")
    value = fake("{{hex:128}}").encode()
    assert adjusted(rule, "medium", value, "config/credentials.yml") == "medium"
    assert adjusted(rule, "medium", value, "test/dummy/config/secrets.yml") == "low"
    assert adjusted(rule, "medium", value, "guides/source/command_line.md") == "low"
    assert adjusted(rule, "high", value, "spec/fixtures/app.yml") == "medium"


def test_anchored_rules_keep_their_confidence_anywhere():
    rule = RULESET.by_id("aws-access-key-id")
    value = fake("AKIA{{[A-Z2-7]:16}}").encode()
    for path in ("src/deploy.py", "tests/test_deploy.py", "docs/setup.md"):
        assert adjusted(rule, "high", value, path) == "high"


def test_a_plainly_fake_value_is_low_even_with_a_prefix():
    rule = RULESET.by_id("anthropic-api-key")
    assert adjusted(rule, "high", b"sk-ant-api03-" + b"abcdefghijklmnopqrstuvwxyz" * 3 + b"ABCDEFGHIJKLMNOAA",
                    "src/client.py") == "low"


def test_a_checksum_outweighs_a_fake_look():
    """A value whose checksum holds was issued (or built with care): it keeps its confidence."""
    rule = RULESET.by_id("github-token")
    assert adjusted(rule, "high", fake("{{github:ghp}}").encode(), "tests/test_api.py") == "high"


# -- example values: suppressed, not just lowered -----------------------------------

GITLAB = RULESET.by_id("gitlab-pat")
JWT = RULESET.by_id("jwt")


@pytest.mark.parametrize("value", [
    "glpat-abcdefghij0123456789",            # eight steps and more
    "glpat-" + "Q" * 20,                     # one key held down
    "glpat-a1b2c3d4e5f6g7h8i9j0",            # every other character counts
    "glpat-" + "x7Kq" * 5,                   # a short cycle
])
def test_a_token_that_counts_eight_steps_is_an_example(value):
    assert example_value(GITLAB, value.encode())


def test_six_steps_only_lower_it():
    """`…abcdef…` in hex happens about once in thirty thousand real tokens: low, still redacted."""
    value = b"glpat-Xq9abcdefZr27WpLm4Tn"
    assert plainly_fake(value) and not example_value(GITLAB, value)
    assert adjusted(GITLAB, "high", value, "src/ci.py") == "low"


@pytest.mark.parametrize("template", ["glpat-{{alnum:20}}", "glpat-{{hex:40}}", "glpat-{{lowerdigits:20}}"])
def test_generated_tokens_are_never_examples(template):
    assert not any(example_value(GITLAB, fake(template, f"seed{i}").encode()) for i in range(200))


def test_the_jwt_documentation_sample_is_an_example_and_a_real_subject_is_not():
    import base64, json

    def jwt(claims: dict) -> bytes:
        part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=")
        return part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims) + b"." + fake("{{b64url:43}}").encode()

    assert example_value(JWT, jwt({"sub": "1234567890", "name": "John Doe", "iat": 1516239022}))
    assert not example_value(JWT, jwt({"sub": "u-83kq7", "exp": 1900000000}))


def test_a_checksum_proves_a_token_issued_whatever_it_looks_like():
    assert not example_value(RULESET.by_id("github-token"), fake("{{github:ghp}}").encode())


def test_an_example_is_reported_as_suppressed_and_a_real_token_beside_it_is_not():
    real = fake("glpat-{{alnum:20}}", "real")
    text = f"GITLAB_TOKEN=glpat-abcdefghij0123456789\nCI_TOKEN={real}\n"
    found = {f.value.decode(): f for f in SCANNER.detect(ContentItem("src/ci.py", text.encode()))
             if f.rule == "gitlab-pat"}
    assert found["glpat-abcdefghij0123456789"].suppressed_by == EXAMPLE_VALUE
    assert found[real].suppressed_by is None


def test_a_counting_password_is_a_weak_password_not_an_example():
    """Only machine-made formats are judged: people do pick `abcdefgh12345678`."""
    text = 'DB_PASSWORD = "abcdefghQ12345678"\n'
    found = [f for f in SCANNER.detect(ContentItem("config/settings.py", text.encode())) if f.kind == "secret"]
    assert found and not any(f.suppressed_by for f in found)


# -- end to end through the detect stage --------------------------------------------

def test_rails_dummy_app_secrets_are_low_and_a_real_app_s_are_not():
    text = f"production:\n  secret_key_base: {fake('{{hex:128}}', 'skb')}\n"
    assert confidences("config/secrets.yml", text, "rails-secret-key-base") == ["medium"]
    assert confidences("test/dummy/config/secrets.yml", text, "rails-secret-key-base") == ["low"]


def test_a_real_token_in_a_test_file_still_fails_the_scan():
    text = f'KEY = "{fake("AKIA{{[A-Z2-7]:16}}", "aws-in-test")}"\n'
    assert confidences("tests/test_upload.py", text, "aws-access-key-id") == ["high"]


def test_percent_escapes_do_not_make_a_url_password_look_random():
    """`one+two%3F` is `one+two?` (an escaped phrase); its digits came from the escape."""
    escaped = 'url = "https://alice:' + "one+two" + "%3F" + '@example.org/"\n'
    assert confidences("app/urls.py", escaped, "connection-string-password") == ["low"]
    real = f'url = "https://alice:{fake("{{alnum:18}}", "url-pw")}@example.org/"\n'
    assert confidences("app/urls.py", real, "connection-string-password") == ["high"]


def test_url_decoded_check_judges_the_decoded_bytes():
    mixed = compile_check("url-decoded:mixed")
    assert not mixed(b"pass%20pass") and mixed(b"Pa%40ss")
    assert compile_check("mixed")(b"pass%20pass")      # what it was fooled by


def test_a_format_that_repeats_by_design_is_not_fake_for_it():
    """Dropbox long-lived tokens hold ten A's in the middle: the repeat is the format's."""
    token = fake("{{alnum:11}}", "dbx") + "A" * 10 + fake("{{b64url:43}}", "dbx2")
    text = f'DROPBOX_TOKEN="{token}"\n'
    rule = RULESET.by_id("dropbox-long-lived-token")
    assert confidences("app/settings.py", text, rule.id) == [rule.confidence] != ["low"]
