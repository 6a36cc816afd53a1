"""Rules cannot hang a scan.

Unbounded repetitions are compiled with a cap (detect/bounded.py), so a broad
rule tried at every position of a long line costs a bounded amount per
position: these inputs take minutes with the plain (quadratic) patterns and a second or two
here.  There is no timing assert: a regression shows as a test that does not
finish.  Exponential shapes are refused when the rule is loaded.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest import fake, run_cli
from reposcrub.detect.bounded import BOUND, compile_bounded
from reposcrub.detect.engine import Engine
from reposcrub.model import Rule
from reposcrub.ruleset import RuleSet

BUILTIN = [r for r in RuleSet.load().rules if r.pattern]
# word characters broken by dots: a word boundary at every other byte, and one
# long run of [\w.-] for the greedy prefix of credential-name rules to chew on
HOSTILE = b"a." * 100_000


@pytest.mark.parametrize("backend", ["re", "hyperscan"])
def test_a_long_line_of_near_matches_completes_and_finds_the_real_one(backend):
    engine = Engine(BUILTIN, backend=backend)
    value = fake("{{alnum:24}}", "bounded")
    data = HOSTILE + b"password" + HOSTILE[:2000] + f' password = "{value}"\n'.encode() + HOSTILE
    hits = engine.scan(data)
    assert any(data[h.start:h.end] == value.encode() for h in hits)


def test_a_keywordless_user_rule_on_the_fallback_completes():
    rule = Rule(id="zz-broad", kind="secret", name="broad", pattern=r"[a-z.]*=([A-Za-z0-9]{12,})", group=1)
    engine = Engine([rule], backend="re")
    data = HOSTILE + b"=Abcdef123456789\n" + HOSTILE
    assert [data[h.start:h.end] for h in engine.scan(data)] == [b"Abcdef123456789"]


def test_bounded_patterns_match_what_the_plain_ones_match_on_ordinary_text():
    text = b"user: alice\nmy_api_token = Zx9Qw8Er7Ty6\n" + b"- " * 300 + b"\n"
    for pattern in (rb"[\w.-]*token[\w.-]*\s*=\s*(\S+)", rb"(?:ab)*c?", rb"[a-z]{3,}", rb"^[a-z_]+:"):
        plain = [m.span() for m in re.finditer(pattern, text, re.M)]
        bounded = [m.span() for m in compile_bounded(pattern, re.M).finditer(text)]
        assert bounded == plain, pattern
    runs = [m.span() for m in compile_bounded(rb"y+", 0).finditer(b"y" * 600)]
    assert runs == [(0, BOUND), (BOUND, 600)]        # only an over-long run is found in pieces


def test_an_exponential_user_rule_is_refused_with_one_line(repo, tmp_path):
    repo.commit({"a.txt": "a" * 40 + "\n"})
    rules = tmp_path / "bad.yaml"
    rules.write_text("- id: zz-catastrophic\n  kind: secret\n  keywords: [a]\n"
                     "  pattern: '(a+)+b'\n  examples: ['ab']\n  negative_examples: ['a']\n")
    proc = run_cli("scan", str(repo.path), "--rules", str(rules), env={"REPOSCRUB_ENGINE": "re"})
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1, err
    assert "zz-catastrophic" in err and "nested repetition" in err


def test_minified_hostile_file_scans_end_to_end_on_the_fallback(repo):
    value = fake("{{alnum:24}}", "e2e")
    repo.commit({"vendor/app.min.js": HOSTILE.decode() + f';var password="{value}";' + HOSTILE.decode()})
    proc = run_cli("scan", str(repo.path), "--format", "json", env={"REPOSCRUB_ENGINE": "re"})
    assert proc.returncode == 1, proc.stderr.decode()
    assert any(f["path"] == "vendor/app.min.js" for f in json.loads(proc.stdout)["findings"])
