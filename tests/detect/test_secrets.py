"""The secrets detector: who decides a value when provider rules, query rules and the
generic regex rules all see it."""
from __future__ import annotations

from conftest import fake
from reposcrub.detect import Scanner
from reposcrub.detect.secrets import _SpanIndex
from reposcrub.model import ContentItem
from reposcrub.ruleset import RuleSet

SCANNER = Scanner(RuleSet.load(), b"test-key")
GH = fake("{{github:ghp}}", "secrets-gh")
RANDOM = fake("{{alnum:28}}", "secrets-random")


def found(path: str, text: str):
    return [(f.rule, f.value.decode(), f.confidence)
            for f in SCANNER.detect(ContentItem(path, text.encode())) if f.kind == "secret"]


def test_a_provider_token_is_named_by_its_provider_not_by_the_generic_rules():
    for path, text in (("a.py", f'GITHUB_TOKEN = "{GH}"'), (".env", f"GITHUB_TOKEN={GH}")):
        rules = {rule for rule, _, _ in found(path, text)}
        assert rules and not any(r.startswith("generic") for r in rules)


def test_the_query_decides_and_the_regex_does_not_report_the_same_value_again():
    assert found("a.py", f'api_key = "{RANDOM}"') == [("generic-query-python", RANDOM, "high")]


def test_without_a_grammar_the_regex_rules_decide():
    assert found("a.kt", f'val apiKey = "{RANDOM}"') == [("generic-credential-quoted", RANDOM, "high")]


def test_each_credential_of_a_file_is_reported_once():
    text = "".join(f'KEY_{i}_API_KEY="{fake("{{alnum:24}}", str(i))}"\n' for i in range(50))
    assert len(found("settings.env", text)) == 50


KEY32 = fake("{{alnum:32}}", "secrets-named")


def test_a_product_name_alone_finds_a_key_of_its_documented_length_at_low():
    """named.yaml: ChartMogul keys are 32 characters; one character off is not its key."""
    [(rule, value, conf)] = found("notes.txt", f"chartmogul {KEY32}")
    assert rule.startswith("named-service-key-32") and value == KEY32 and conf == "low"
    assert found("notes.txt", f"chartmogul {KEY32[:31]}") == []
    assert found("notes.txt", f"chartmogul {KEY32}x") == []


def test_a_generic_judgement_speaks_before_a_product_name():
    """Under a credential-named key the generic rules decide (and may say high); the
    named rule does not report the same value again."""
    for path, text in (("settings.env", f"CHARTMOGUL_API_KEY={KEY32}"), ("a.py", f'chartmogul_api_key = "{KEY32}"')):
        findings = found(path, text)
        assert len(findings) == 1 and findings[0][0].startswith("generic"), findings
        assert findings[0][2] in ("high", "medium")


def test_span_index_overlap():
    index = _SpanIndex([(10, 20), (30, 35), (12, 40)])
    assert index.overlaps(39, 45) and index.overlaps(0, 11) and index.overlaps(19, 21)
    assert not index.overlaps(0, 10) and not index.overlaps(40, 50)
    assert not _SpanIndex([]).overlaps(0, 100)
