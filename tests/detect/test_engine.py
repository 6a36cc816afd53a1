"""The engine finds with windows what a whole-blob regex finds, at a fraction of the cost."""
from __future__ import annotations

import random

import pytest

from reposcrub.detect import engine as engine_mod
from reposcrub.detect.engine import Engine, hyperscan
from reposcrub.examplegen import expand
from reposcrub.model import Rule
from reposcrub.ruleset import RuleSet

RULES = [r for r in RuleSet.load().rules if r.pattern]
needs_hyperscan = pytest.mark.skipif(hyperscan is None, reason="hyperscan not installed")


def whole_blob_hits(engine: Engine, data: bytes) -> set:
    """What a regex over the whole blob finds, for every rule: the reference."""
    return {(h.rule.id, h.start, h.end) for c in engine.compiled for h in engine.rule_hits(c, data)}


def spans(hits) -> set:
    return {(h.rule.id, h.start, h.end) for h in hits}


def noisy_blob(seed: int) -> bytes:
    """Every rule's examples, shuffled among code-like noise and long lines."""
    rng = random.Random(seed)
    parts = [expand(ex, f"{r.id}-{i}-{seed}") for r in RULES for i, ex in enumerate(r.examples)]
    noise = ["def f(x):\n    return x\n", "token = get_token()\n", "password_field = form.field\n",
             "x" * 3000 + "\n", "api_key:\n  " + "y" * 40 + "\n", "secret = '''\n", "\n" * 5]
    parts += [rng.choice(noise) for _ in range(len(parts) * 2)]
    rng.shuffle(parts)
    return "".join(parts).encode()


@needs_hyperscan
@pytest.mark.parametrize("seed", range(5))
def test_windows_find_what_the_whole_blob_regex_finds(seed):
    engine = Engine(RULES)
    data = noisy_blob(seed)
    found = engine.scan(data)
    assert spans(found) == whole_blob_hits(engine, data)
    assert len(found) == len(spans(found))          # no hit twice, even where windows touch


@needs_hyperscan
def test_a_blob_that_floods_hyperscan_takes_the_keyword_path(monkeypatch):
    engine = Engine(RULES)
    data = noisy_blob(7)
    expected = whole_blob_hits(engine, data)
    monkeypatch.setattr(engine_mod, "FLOOD", 3)
    assert engine.match_ends(data) is None
    assert spans(engine.scan(data)) == expected


@needs_hyperscan
def test_a_window_never_cuts_a_match_short():
    rule = Rule(id="t-word", kind="secret", name="t", pattern=r"\bkey_[a-z]{4,40}\b")
    engine = Engine([rule])
    data = b"key_abcdefgh " + b"key_" + b"x" * 60 + b" key_ok"
    assert spans(engine.scan(data)) == whole_blob_hits(engine, data) == {("t-word", 0, 12)}


@needs_hyperscan
def test_an_unbounded_rule_sees_back_to_the_start_of_its_line():
    rule = Rule(id="t-assign", kind="secret", name="t", pattern=r"\b[\w.-]*secret[\w.-]*\s*=\s*(\w{8,})",
                group=1)
    engine = Engine([rule])
    line = b"x" * 300 + b".the_secret_value = abcdefghijkl\n"
    data = b"filler\n" * 50 + line + b"secret=zyxwvutsr\n"
    assert spans(engine.scan(data)) == whole_blob_hits(engine, data)
    assert len(engine.scan(data)) == 2


def test_possible_ends_locate_every_match():
    engine = Engine(RULES)
    data = noisy_blob(3)
    ends = engine.possible_ends(data)
    if ends is None:                 # the re fallback cannot tell: callers look everywhere
        assert engine.backend == "re"
        return
    assert {h.match_end for h in engine.scan(data)} <= set(ends)


def test_the_re_fallback_finds_the_same(monkeypatch):
    data = noisy_blob(11)
    assert spans(Engine(RULES, backend="re").scan(data)) == spans(Engine(RULES).scan(data))


@pytest.mark.parametrize("pattern,opened", [
    (r"x{40,16384}", r"x{40,}"), (r"x{4,200}", r"x{4,200}"), (r"\{1,999}", r"\{1,999}"),
    (r"[{1,999}]", r"[{1,999}]"), (r"[]{1,999}]y{0,300}?", r"[]{1,999}]y{0,}?"),
    (r"[^]x]{2,5000}", r"[^]x]{2,}"), (r"(?:ab){0,1000}", r"(?:ab){0,}"),
])
def test_wide_repeats_are_opened_for_hyperscan_only_where_they_are_repeats(pattern, opened):
    assert engine_mod._open_wide_repeats(pattern) == opened


@needs_hyperscan
def test_wide_repeats_and_lookarounds_still_find_exactly_what_re_finds():
    rules = [Rule(id="t-block", kind="secret", name="t", pattern=r"BEGIN[\s\S]{10,20000}?END"),
             Rule(id="t-look", kind="secret", name="t", pattern=r"(?<![\w.])(\w+\.corp)(?![\w-])", group=1)]
    engine = Engine(rules)
    assert engine._prefilter == {1}                  # the lookaround rule, known without a trial compile
    data = b"x BEGIN" + b"a" * 50 + b"END y BEGIN short END gw.corp a.gw.corp gw.corp-x\n" * 3
    assert spans(engine.scan(data)) == whole_blob_hits(engine, data)
    assert {rid for rid, _, _ in spans(engine.scan(data))} == {"t-block", "t-look"}


def test_an_engine_without_some_rules_finds_the_rest_alike():
    engine = Engine(RULES)
    data = noisy_blob(5)
    every = engine.scan(data)
    headers = {r.id for r in RULES if r.kind == "header"}
    assert any(h.rule.kind == "header" for h in every)
    assert spans(engine.without(headers).scan(data)) == {s for s in spans(every) if s[0] not in headers}


def test_a_detector_that_ignores_history_costs_no_regex_there(monkeypatch):
    from reposcrub.detect import Scanner
    from reposcrub.model import ContentItem, Origin
    scanner = Scanner(RuleSet.load(), b"k")
    ran: set[str] = set()
    real = Engine.window_hits

    def spy(c, data, ends, memo=None):
        ran.add(c.rule.kind)
        return real(c, data, ends, memo)

    monkeypatch.setattr(Engine, "window_hits", staticmethod(spy))
    data = b"# Copyright 2020 Example Corp. All rights reserved.\n# Confidential - do not distribute\n"
    scanner.detect(ContentItem("a.py", data, Origin.HISTORY))
    assert "header" not in ran
    scanner.detect(ContentItem("a.py", data, Origin.HEAD))
    assert "header" in ran


@needs_hyperscan
def test_remembered_windows_never_change_an_answer():
    rule = Rule(id="t-key", kind="secret", name="t", pattern=r"\bkey_[a-z]{4}\b")
    line_start, glued = b"A\nkey_abcd\n", b"Akey_abcd\n"       # same window bytes, different byte before
    for order in ((line_start, glued), (glued, line_start)):
        engine = Engine([rule])
        first = [spans(engine.scan(d)) for d in order]
        again = [spans(engine.scan(d)) for d in order]
        fresh = [whole_blob_hits(engine, d) for d in order]
        assert first == again == fresh
    assert whole_blob_hits(Engine([rule]), line_start) == {("t-key", 2, 10)}
    assert whole_blob_hits(Engine([rule]), glued) == set()


@needs_hyperscan
def test_remembered_windows_of_a_lookbehind_rule_see_as_far_back_as_it_looks():
    """Two bytes of lookbehind: windows that differ only there must not share an answer."""
    rule = Rule(id="t-host", kind="host", name="t", group=1,
                pattern=r"(?:(?<=//)|(?<=: ))([a-z]{2}\.corp)\b")   # windows start at the name
    engine = Engine([rule])
    assert engine.compiled[0].look_back == 2
    pad = b"x" * 80                                           # windows start well inside the blob
    blobs = [pad + b"//gw.corp\n", pad + b"x/gw.corp\n", pad + b": gw.corp\n", pad + b"x gw.corp\n"]
    for order in (blobs, blobs[::-1]):
        engine = Engine([rule])
        assert [spans(engine.scan(d)) for d in order] == [whole_blob_hits(engine, d) for d in order]
    assert [bool(whole_blob_hits(engine, d)) for d in blobs] == [True, False, True, False]


def test_look_back_adds_up_nested_lookbehinds_and_gives_up_on_no_bound():
    from reposcrub.detect.engine import compile_rule
    def look(pattern):
        return compile_rule(Rule(id="t", kind="secret", name="t", pattern=pattern)).look_back
    assert look(r"\bkey_\w+") == 0
    assert look(r"(?<![\w.])x(?=\d)") == 1
    assert look(r"(?<=a(?<=bc))x") == 3
    assert look(r"(?=(?<=abcd))x") == 4


@needs_hyperscan
def test_rules_that_share_an_id_keep_their_own_remembered_windows():
    same = [Rule(id="company", kind="identifier", name="t", pattern=r"(Ac)me", group=1),
            Rule(id="company", kind="identifier", name="t", pattern=r"Ac(me)", group=1)]
    engine = Engine(same)                # one window, the same bytes, two different answers
    assert sorted((h.start, h.end) for h in engine.scan(b"Acme\n")) == [(0, 2), (2, 4)]


def test_a_remembered_window_keeps_the_confidence_its_confirm_check_gave():
    rule = Rule(id="url-password", kind="secret", name="t", keywords=("://",), group=1,
                pattern=r"[a-z]+://[a-z]+:([^\s/@]{3,64})@[a-z.]+", confirm=("mixed",))
    blob = b"DATABASE_URL=postgres://app:plainword@db.example.com\n"
    engine = Engine([rule])
    first, again = engine.scan(blob), engine.scan(blob)        # the second is served from memory
    assert [h.rule.confidence for h in first] == [h.rule.confidence for h in again] == ["low"]


def test_the_database_cache_keeps_only_the_recently_used(tmp_path):
    """A rule edit or a profile compiles a new database; old ones must not pile up."""
    import os

    from reposcrub.detect.engine import prune_databases
    for i in range(12):
        f = tmp_path / f"hsdb-{i:02d}.bin"
        f.write_bytes(b"x")
        os.utime(f, (1000 + i, 1000 + i))
    (tmp_path / "rules-parsed.json").write_text("{}")
    prune_databases(tmp_path, keep=8)
    assert sorted(p.name for p in tmp_path.glob("hsdb-*.bin")) == [f"hsdb-{i:02d}.bin" for i in range(4, 12)]
    assert (tmp_path / "rules-parsed.json").exists()
