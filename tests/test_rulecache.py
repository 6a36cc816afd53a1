"""Rule files are parsed once: later runs read the parsed form from the cache, never a stale one."""
from __future__ import annotations

import json
from pathlib import Path

from reposcrub import rulecache
from reposcrub.rulecache import ParseCache
from reposcrub.ruleset import RuleSet, load_paths, parse_yaml

RULE = """\
- id: acme-build-token
  kind: secret
  pattern: 'acmebuild_[a-z0-9]{20}'
  keywords: [acmebuild_]
"""


def counting_parser(calls: list[str]):
    def parse(text: str):
        calls.append(text)
        return parse_yaml(text)
    return parse


def test_the_same_text_is_parsed_once_across_processes(tmp_path):
    calls: list[str] = []
    first = ParseCache(tmp_path / "rules.json")
    doc = first.get(RULE, counting_parser(calls))
    first.flush()
    again = ParseCache(tmp_path / "rules.json")          # a later run: a fresh process
    assert again.get(RULE, counting_parser(calls)) == doc
    assert len(calls) == 1


def test_an_edited_rule_file_is_parsed_again(tmp_path):
    calls: list[str] = []
    cache = ParseCache(tmp_path / "rules.json")
    cache.get(RULE, counting_parser(calls))
    cache.flush()
    edited = RULE.replace("{20}", "{24}")
    doc = ParseCache(tmp_path / "rules.json").get(edited, counting_parser(calls))
    assert doc[0]["pattern"] == "acmebuild_[a-z0-9]{24}"
    assert len(calls) == 2


def test_a_document_json_would_change_is_not_kept(tmp_path):
    dated = "- id: x\n  kind: secret\n  pattern: 'x'\n  description: 2024-01-01\n"
    calls: list[str] = []
    cache = ParseCache(tmp_path / "rules.json")
    doc = cache.get(dated, counting_parser(calls))
    cache.flush()
    assert not isinstance(doc[0]["description"], str)   # YAML made it a date
    assert ParseCache(tmp_path / "rules.json").get(dated, counting_parser(calls)) == doc
    assert len(calls) == 2


def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text("{not json")
    calls: list[str] = []
    cache = ParseCache(path)
    assert cache.get(RULE, counting_parser(calls))[0]["id"] == "acme-build-token"
    cache.flush()
    assert json.loads(path.read_text())["version"] == rulecache.CACHE_VERSION


def test_rules_from_the_cache_equal_rules_parsed_fresh(tmp_path, monkeypatch):
    rules_file = tmp_path / "extra.yaml"
    rules_file.write_text(RULE)
    fresh = RuleSet.load([rules_file]).rules              # the test's own cache dir starts empty
    rulecache._CACHES.clear()                             # as a new process would
    monkeypatch.setattr("reposcrub.ruleset.parse_yaml", _must_not_parse)
    assert RuleSet.load([rules_file]).rules == fresh
    assert load_paths([rules_file])[0].id == "acme-build-token"


def test_a_read_only_cache_directory_costs_only_the_parse(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    cache = ParseCache(blocked / "rules.json")             # its parent is a file: cannot be written
    assert cache.get(RULE, parse_yaml)[0]["id"] == "acme-build-token"
    cache.flush()                                          # no error


def _must_not_parse(text: str):
    raise AssertionError("parsed again although the text is in the cache")


def test_files_edited_away_do_not_pile_up_but_the_current_ones_stay(tmp_path, monkeypatch):
    monkeypatch.setattr(rulecache, "MAX_ENTRIES", 3)
    path = tmp_path / "rules.json"
    for n in range(6):                                     # six edits, one run each
        cache = ParseCache(path)
        cache.get(RULE.replace("{20}", "{%d}" % (20 + n)), parse_yaml)
        cache.flush()
    current = ParseCache(path)
    current.get(RULE, parse_yaml)                          # this run uses the oldest text again...
    current.get(RULE.replace("{20}", "{25}"), parse_yaml)
    current.flush()
    kept = json.loads(path.read_text())["files"]
    assert len(kept) == 3
    calls: list[str] = []
    again = ParseCache(path)
    again.get(RULE, counting_parser(calls))                # ...so it is kept
    again.get(RULE.replace("{20}", "{25}"), counting_parser(calls))
    assert calls == []
