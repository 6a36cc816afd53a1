"""Importing a gitleaks configuration: RE2 dialect, allowlists, reports, and the rules really run."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import RepoBuilder, fake, run_cli
from reposcrub.gitleaks_import import Unconvertible, translate

CONFIG = Path(__file__).parent / "fixtures/gitleaks/platform-team.toml"


@pytest.mark.parametrize("go,python,ignore_case", [
    (r"(?i)token", "token", True),
    (r"(?i)abc(?-i)DEF", "abc(?-i:DEF)", True),             # flags part-way: scoped to the group's end
    (r"x(?i)y(z)w", "x(?i:y(z)w)", False),
    (r"a(b(?s)c.)d", "a(b(?s:c.))d", False),
    (r"end\z", r"end\Z", False),
    (r"(?<tok>[a-z]+)", r"(?P<tok>[a-z]+)", False),
    (r"[[:alpha:][:digit:]_]+", "[A-Za-z0-9_]+", False),
    (r"\Qa.b*c\E+", r"a\.b\*c+", False),
    (r"\x{41}", r"\x41", False),
    (r"a{,3}", r"a\{,3}", False),                           # a literal in RE2
    (r"[^]a]", r"[^\]a]", False),
])
def test_translate_re2_to_python(go, python, ignore_case):
    t = translate(go)
    assert (t.pattern, t.ignore_case) == (python, ignore_case)
    re.compile(t.pattern)


@pytest.mark.parametrize("go,why", [
    (r"\p{Greek}+", "Unicode class"),
    (r"(?U)a+", "ungreedy"),
    (r"a(?=b)", "look-ahead"),
    (r"(?<=a)b", "look-behind"),
    (r"a*+", "possessive"),
    (r"a{2}+", "possessive"),
    (r"(a)\1", "back-reference"),
    (r"\x{2603}", "not an ASCII character"),
    (r"[a-z", "unterminated"),
])
def test_translate_refuses_what_has_no_equivalent_and_says_why(go, why):
    with pytest.raises(Unconvertible, match=why):
        translate(go)


def test_anchors_are_noted_because_they_mean_lines_here():
    assert translate(r"^key=\w+$").anchors and not translate(r"[^a]\$").anchors


@pytest.fixture
def imported(tmp_path):
    out = tmp_path / "team-rules.yaml"
    res = run_cli("rules", "import-gitleaks", str(CONFIG), "-o", str(out))
    return res, out, yaml.safe_load(out.read_text())


def test_import_converts_what_it_can_and_names_each_rule_it_cannot(imported):
    res, out, rules = imported
    err = res.stderr.decode()
    assert res.returncode == 1                   # some rules were left out; the rest is written
    assert "converted 7 of 12 gitleaks rule(s)" in err
    for rid, why in (("key-files", "path-only rule"), ("greek-passphrase", r"Unicode class \p{Greek}"),
                     ("lazy-everything", "ungreedy flag"), ("lookahead-key", "look-ahead"),
                     ("unfinished", "no regex")):
        assert re.search(rf"^    {rid}: .*{re.escape(why)}", err, re.M), (rid, err)
    assert {r["id"] for r in rules} == {"acme-deploy-token", "acme-ci-secret", "legacy-session", "partner-key",
                                       "quoted-header", "scoped-password", "gitleaks-aws-access-key-id"}
    assert "scoped-password: path condition dropped" in err
    assert "quoted-header: allowlist 1: an AND allowlist with paths/commits cannot be expressed" in err
    assert "gitleaks-aws-access-key-id: renamed from aws-access-key-id" in err
    assert "useDefault" in err and "global allowlist 1: allowlist paths dropped" in err
    assert 'values = ["EXAMPLE"]' in err


def test_import_keeps_keywords_entropy_groups_and_allowlists(imported):
    _, _, rules = imported
    by_id = {r["id"]: r for r in rules}
    ci = by_id["acme-ci-secret"]
    assert ci["group"] == 1 and ci["ignore_case"] is True and ci["require_keywords"] is True
    assert ci["keywords"] == ["ci_secret", "ci-secret", "cisecret"]
    assert ci["checks"] == ["entropy>=3.5", "not-match:^0+$", "not-contains:notreal",
                            "not-match:EXAMPLE", "not-contains:dummy"]
    assert by_id["legacy-session"]["pattern"] == r"sessionid(?-i:=([A-F0-9]{24})\Z)"
    assert by_id["partner-key"]["pattern"] == "partner_key=(?P<key>[0-9A-Fa-f]{20,40})"
    assert by_id["quoted-header"]["checks"] == ["not-match:EXAMPLE", "not-contains:dummy"]
    assert by_id["acme-deploy-token"]["description"].endswith("Tags: internal, deploy.")


def test_imported_rules_carry_examples_that_pass_rules_test_and_lint(imported):
    _, out, rules = imported
    assert all(r.get("examples") for r in rules)
    assert "{{" in rules[0]["examples"][0]          # templates, never a literal value
    test = run_cli("rules", "test", "--no-builtin", str(out))
    assert test.returncode == 0, test.stdout.decode()
    assert b"0 failed" in test.stdout
    lint = run_cli("rules", "lint", str(out), "--format", "json")
    errors = [p for p in json.loads(lint.stdout)["problems"] if p["severity"] == "error"]
    assert lint.returncode == 0 and not errors, errors


def test_imported_rules_run_in_a_scan(imported, repo: RepoBuilder):
    _, out, _ = imported
    token = fake("acmedt_{{alnum:32}}", "gl-deploy")
    ci = fake("{{lowerdigits:40}}", "gl-ci")
    stop = fake("{{lowerdigits:10}}notreal{{lowerdigits:23}}", "gl-stop")
    pw = fake("{{alnum:20}}", "gl-pw")
    repo.commit({"deploy.sh": f"export TOKEN={token}\n",
                 "ci.yml": f"CI_SECRET: {ci}\n",
                 "ci-test.yml": f"ci_secret = {stop}\n",           # allowed by the rule's stopword
                 "app/settings.py": f'internal_pw = "{pw}"\n'})     # path condition dropped: found anywhere
    res = run_cli("scan", str(repo.path), "--no-history", "--rules", str(out), "--format", "json")
    found = {(f["path"], f["rule"]) for f in json.loads(res.stdout)["findings"]}
    assert ("deploy.sh", "acme-deploy-token") in found
    assert ("ci.yml", "acme-ci-secret") in found
    assert ("app/settings.py", "scoped-password") in found
    assert not any(path == "ci-test.yml" for path, _ in found)
    assert res.returncode == 1


def test_a_broken_config_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]\nid = 'x'\n")
    res = run_cli("rules", "import-gitleaks", str(bad))
    assert res.returncode == 2 and b"not valid TOML" in res.stderr


def test_allowlist_checks_reject_matching_values_only():
    from reposcrub.detect.checks import compile_check
    not_match = compile_check("not-match:^0+$")
    assert not_match(b"0000") is False and not_match(b"0a00") is True
    stop = compile_check("not-contains:dummy,notreal")
    assert stop(b"xxDUMMYxx") is False and stop(b"abc") is True
    with pytest.raises(ValueError, match="bad regex"):
        compile_check("not-match:(")


def test_imported_keywords_are_a_condition_on_both_engines():
    """In gitleaks a rule runs only where a keyword occurs; hyperscan alone would not know."""
    from reposcrub.detect.engine import Engine
    from reposcrub.model import Rule
    hex40 = fake("{{hex:40}}", "gl-hex").encode()
    rule = Rule(id="zz-gated", kind="secret", name="gated", pattern=r"\b([0-9a-f]{40})\b",
                keywords=("zzsvc_",), require_keywords=True, group=1)
    for backend in ("re", None):
        engine = Engine([rule], backend=backend)
        assert not engine.scan(b"commit " + hex40), backend
        assert engine.scan(b"zzsvc_token = " + hex40), backend


def test_group_minus_one_takes_the_first_group_that_matched():
    from reposcrub.detect.engine import Engine
    from reposcrub.model import Rule
    rule = Rule(id="zz-first", kind="secret", name="first", pattern=r"a=(\d{4})|b=([a-z]{4})|c=\w{4}", group=-1)
    engine = Engine([rule], backend="re")
    text = b"a=1234 b=wxyz c=q1q1"
    assert [text[h.start:h.end] for h in engine.scan(text)] == [b"1234", b"wxyz", b"c=q1q1"]


def test_secret_group_defaults_like_gitleaks(tmp_path):
    from reposcrub.gitleaks_import import convert_rule
    one = convert_rule({"id": "a", "regex": r"key=(\w{8})"}, set(), {})
    nested = convert_rule({"id": "b", "regex": r"(k=(\w+)|x)"}, set(), {})
    either = convert_rule({"id": "c", "regex": r"a=(\d+)|b=(\w+)"}, set(), {})
    optional = convert_rule({"id": "d", "regex": r"k(=(\w+))?"}, set(), {})
    assert [r.rule["group"] for r in (one, nested, either, optional)] == [1, 1, -1, -1]
