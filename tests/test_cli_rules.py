"""`reposcrub rules list|test|lint|explain`, run as a security team would while writing rules."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import run_cli

GOOD = {
    "id": "zz-demo-token", "name": "Demo service token", "kind": "secret",
    "keywords": ["zzdemo_"], "pattern": r"\b(zzdemo_[a-z0-9]{24})\b", "group": 1,
    "checks": ["entropy>=3.0"],
    "examples": ["DEMO_TOKEN=zzdemo_{{lowerdigits:24}}"],
    "negative_examples": ["zzdemo_{{lowerdigits:10}}"],
}


def write_rules(path: Path, *rules: dict) -> Path:
    path.write_text(yaml.safe_dump(list(rules), sort_keys=False), encoding="utf-8")
    return path


def test_shipped_rules_pass_their_own_tests_and_lint():
    test = run_cli("rules", "test")
    assert test.returncode == 0, test.stdout.decode()
    assert b"0 failed" in test.stdout
    lint = run_cli("rules", "lint")
    assert lint.returncode == 0, lint.stdout.decode()


def test_list_shows_custom_rules_with_their_source_and_honours_disable(tmp_path):
    f = write_rules(tmp_path / "team.yaml", GOOD)
    out = run_cli("rules", "list", "--rules", str(f), "--format", "json")
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows["zz-demo-token"] == {"id": "zz-demo-token", "kind": "secret", "name": "Demo service token",
                                     "type": "regex", "confidence": "high", "source": str(f)}
    assert rows["aws-access-key-id"]["source"] == "builtin:secrets/cloud.yaml"
    out = run_cli("rules", "list", "--rules", str(f), "--disable", "zz-demo-token", "--format", "json")
    assert "zz-demo-token" not in {r["id"] for r in json.loads(out.stdout)}
    table = run_cli("rules", "list", "--rules", str(f)).stdout.decode()
    assert "zz-demo-token" in table and "Demo service token" in table


def test_a_negative_example_that_matches_names_rule_example_and_match(tmp_path):
    bad = dict(GOOD, negative_examples=["zzdemo_{{lowerdigits:24}}"])
    f = write_rules(tmp_path / "team.yaml", bad)
    out = run_cli("rules", "test", str(f))
    text = out.stdout.decode()
    assert out.returncode == 1
    assert "FAIL zz-demo-token" in text and "negative example 1" in text
    assert "template: 'zzdemo_{{lowerdigits:24}}'" in text
    assert "matched:  'zzdemo_" in text          # examples are fake: shown in full
    assert "(rules: zz-demo-token)" in text


def test_a_missed_example_says_why(tmp_path):
    low_entropy = dict(GOOD, id="zz-entropy", examples=["zzdemo_aaaaaaaaaaaaaaaaaaaaaaab"])
    no_keyword = dict(GOOD, id="zz-keyword", keywords=["elsewhere"])
    f = write_rules(tmp_path / "team.yaml", low_entropy, no_keyword)
    out = run_cli("rules", "test", "--no-builtin", str(f), "--format", "json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    why = {r["rule"]: r["why"] for r in report["results"] if not r["ok"]}
    assert "check 'entropy>=3.0' rejected it" in why["zz-entropy"]
    assert "keyword" in why["zz-keyword"]
    assert report["rules"] == 2 and report["failed"] == 2


def test_lint_reports_each_kind_of_mistake(tmp_path):
    rules = [
        GOOD,
        dict(GOOD, name="the same id again"),
        dict(GOOD, id="zz-broken", pattern=r"(zzdemo_[a-z"),
        dict(GOOD, id="zz-nested", pattern=r"zzdemo_((?:[a-z0-9]+-?)+)", examples=["zzdemo_ab-cd"],
             negative_examples=["nothing here"], checks=[]),
        dict(GOOD, id="zz-negative", negative_examples=["zzdemo_{{lowerdigits:24}}"]),
        dict(GOOD, id="zz-keywords", keywords=["zz_other"]),
        dict(GOOD, id="zz-bare", examples=[], negative_examples=[]),
        dict(GOOD, id="zz-check", checks=["entropy>=3.0", "no-such-check"]),
    ]
    f = write_rules(tmp_path / "team.yaml", *rules)
    out = run_cli("rules", "lint", "--no-builtin", str(f), "--format", "json")
    assert out.returncode == 1
    found = {(p["rule"], p["code"]) for p in json.loads(out.stdout)["problems"]}
    assert {("zz-demo-token", "duplicate-id"), ("zz-broken", "bad-pattern"),
            ("zz-nested", "nested-repetition"), ("zz-negative", "negative-match"),
            ("zz-keywords", "keywords-miss-example"), ("zz-bare", "no-examples"),
            ("zz-bare", "no-negative-examples"), ("zz-check", "bad-check")} <= found
    assert not any(rule == "zz-demo-token" and code != "duplicate-id" for rule, code in found)


def test_lint_warns_when_a_team_rule_overrides_a_builtin(tmp_path):
    builtin = yaml.safe_load((Path(__file__).parents[1] / "reposcrub/rules/secrets/core.yaml").read_text())
    jwt = next(r for r in builtin if r["id"] == "jwt")
    f = write_rules(tmp_path / "override.yaml", dict(jwt, name="our JWT"))
    out = run_cli("rules", "lint", str(f), "--format", "json")
    problems = json.loads(out.stdout)["problems"]
    assert {"rule": "jwt", "code": "overrides-builtin", "severity": "warning"}.items() <= problems[0].items()
    assert out.returncode == 0
    assert run_cli("rules", "lint", str(f), "--strict").returncode == 1


def test_lint_reports_an_unreadable_rule_file_and_keeps_going(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  pattern: a\n  colour: red\n")
    out = run_cli("rules", "lint", "--no-builtin", str(broken), str(write_rules(tmp_path / "ok.yaml", GOOD)))
    assert out.returncode == 1
    assert b"bad-rule-file" in out.stdout and b"unknown field(s) colour" in out.stdout


def test_explain_shows_pattern_keywords_checks_and_expanded_examples(tmp_path):
    f = write_rules(tmp_path / "team.yaml", GOOD)
    out = run_cli("rules", "explain", "zz-demo-token", "--rules", str(f)).stdout.decode()
    assert r"\b(zzdemo_[a-z0-9]{24})\b" in out
    assert "keywords     zzdemo_" in out and "entropy>=3.0" in out
    assert "DEMO_TOKEN=zzdemo_{{lowerdigits:24}}" in out and "→ DEMO_TOKEN=zzdemo_" in out
    js = json.loads(run_cli("rules", "explain", "zz-demo-token", "--rules", str(f), "--format", "json").stdout)
    assert js["example"][0].startswith("DEMO_TOKEN=") and js["kind"] == "secret"


def test_explain_an_unknown_rule_is_an_input_error_with_a_suggestion():
    out = run_cli("rules", "explain", "jwtt")
    assert out.returncode == 2
    assert out.stderr.decode().strip() == "reposcrub: error: jwtt: no such rule (did you mean jwt?)"


def test_missing_rule_path_is_an_input_error(tmp_path):
    out = run_cli("rules", "test", str(tmp_path / "nope.yaml"))
    assert out.returncode == 2 and b"rule file or directory not found" in out.stderr


def test_profile_rules_and_disabled_rules_apply_to_rule_commands(tmp_path):
    write_rules(tmp_path / "team.yaml", GOOD)
    prof = tmp_path / "profile.toml"
    prof.write_text('rules = ["team.yaml"]\ndisabled_rules = ["jwt"]\n')
    ids = {r["id"] for r in json.loads(run_cli("rules", "list", "--profile", str(prof), "--format", "json").stdout)}
    assert "zz-demo-token" in ids and "jwt" not in ids


def test_the_readme_rule_passes_test_and_lint(tmp_path):
    import re
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = re.search(r"```yaml\n(- id: acme-deploy-token.*?)```", readme, re.S)
    assert block, "the rules section shows an example rule"
    f = tmp_path / "readme.yaml"
    f.write_text(block.group(1))
    assert run_cli("rules", "test", "--no-builtin", str(f)).returncode == 0
    assert run_cli("rules", "lint", "--no-builtin", str(f), "--strict").returncode == 0


QUERY = {
    "id": "zz-query-demo", "kind": "secret", "name": "Demo query rule", "languages": ["python"],
    "keywords": ["zzsecret"],
    "query": '(assignment left: (identifier) @key right: (string) @value (#match? @key "zzsecret"))',
    "examples": ['zzsecret = "{{alnum:20}}"', {"lang": "python", "text": 'zzsecret = """{{alnum:16}}1aA"""'}],
    "negative_examples": ['# zzsecret = "{{alnum:20}}"', "zzsecret = make_secret()"],
}


def test_query_rules_run_their_examples_and_a_broken_query_is_reported(tmp_path):
    good = write_rules(tmp_path / "q.yaml", QUERY)
    out = run_cli("rules", "test", "--no-builtin", str(good), "--format", "json")
    assert out.returncode == 0, out.stdout.decode()
    assert json.loads(out.stdout)["examples"] == 4
    leaky = write_rules(tmp_path / "leaky.yaml", dict(QUERY, negative_examples=['zzsecret = "{{alnum:20}}"']))
    out = run_cli("rules", "test", "--no-builtin", str(leaky))
    assert out.returncode == 1 and b"FAIL zz-query-demo" in out.stdout and b"negative example 1" in out.stdout
    broken = write_rules(tmp_path / "broken.yaml", dict(QUERY, query="(assignment left: (nosuchnode) @value)"))
    out = run_cli("rules", "test", "--no-builtin", str(broken))
    assert out.returncode == 1 and b"query does not compile for python" in out.stdout
    lint = run_cli("rules", "lint", "--no-builtin", str(broken), "--format", "json")
    assert lint.returncode == 1
    assert {(p["rule"], p["code"]) for p in json.loads(lint.stdout)["problems"]} == {("zz-query-demo", "bad-query")}
