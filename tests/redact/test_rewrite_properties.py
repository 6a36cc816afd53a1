"""Properties of the rewriter and of the scrub pipeline on one file (hypothesis).

For random files made of harmless lines with secrets and company identifiers
planted between them:
  * no planted value survives;
  * scrubbing the output again changes nothing (idempotent);
  * a code file keeps its number of lines;
  * every line that held nothing to replace is byte-identical, at the same line.
And for the rewriter alone: bytes outside the replaced spans are kept, in order.
"""
from __future__ import annotations

import os
import re
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st

from reposcrub.company import Company
from reposcrub.context import RunContext
from reposcrub.examplegen import expand
from reposcrub.model import ContentItem, Origin
from reposcrub.redact import Pseudonyms, rewrite
from reposcrub.redact.rewrite import apply
from reposcrub.rule_tools import ExampleRunner
from reposcrub.ruleset import RuleSet
from reposcrub.scanning import HeadFile
from reposcrub.scrubbing import outcome_for
from reposcrub.sources.worktree import TreeEntry
from strategies import replacements

SECRET_RULES = [r for r in RuleSet.load().rules
                if r.kind == "secret" and r.pattern and not r.id.startswith("generic")]
RUNNER = ExampleRunner(SECRET_RULES, both_backends=False)
IDENTIFIERS = ["AcmeWidgetsClient", "acme_widgets", "ACME_WIDGETS_URL", "acme-widgets",
               "https://api.acmewidgets.com/v1", "ops@acmewidgets.com", "Roadrunner", "roadrunner_jobs"]

WORDS = ["def", "return", "value", "items", "count", "+", "-", "(", ")", ":", "0", "1", "42", "name",
         "data", "for", "in", "if", "else", "#", "'", '"', "[", "]", ",", "lambda", "ñandú", "日本", "\t"]
filler_line = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


def context_with_profile() -> RunContext:
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as fh:
        fh.write('[company]\nnames = ["Acme Widgets"]\ncodenames = ["Roadrunner"]\ndomains = ["acmewidgets.com"]\n')
    try:
        return RunContext.build(None, profile=fh.name)
    finally:
        os.unlink(fh.name)


CTX = context_with_profile()


@st.composite
def secret_line(draw) -> tuple[str, list[str]]:
    """An example line of some secret rule, freshly expanded, and the values in it."""
    rule = draw(st.sampled_from(SECRET_RULES))
    example = draw(st.sampled_from(rule.examples))
    text = expand(example, f"prop-{draw(st.integers(0, 10**9))}")
    values, _ = RUNNER.matches(rule, text)
    return text, values or []


@st.composite
def planted_file(draw):
    """(path, bytes, planted values, indices of planted lines) for one random file."""
    lines: list[str] = []
    values: list[str] = []
    planted: set[int] = set()
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["filler", "filler", "secret", "identifier"]))
        if kind == "filler":
            lines.append(draw(filler_line))
            continue
        if kind == "secret":
            text, found = draw(secret_line())
            values += found
        else:
            text = f"{draw(filler_line)} {draw(st.sampled_from(IDENTIFIERS))} {draw(filler_line)}"
        planted.update(range(len(lines), len(lines) + text.count("\n") + 1))
        lines.extend(text.split("\n"))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    path = draw(st.sampled_from(["app/settings.py", "deploy/config.yaml", "src/main.js", "notes.txt"]))
    return path, (eol.join(lines) + eol).encode(), values, planted


def scrub_one(path: str, data: bytes, names: Pseudonyms) -> tuple[str, bytes]:
    """The scrub pipeline for one HEAD file: detect, decide, rewrite."""
    item = ContentItem(path, data, Origin.HEAD)
    findings = CTX.policy.decide(item, CTX.scanner.detect(item))
    hf = HeadFile(TreeEntry(path, "100644", "", len(data)), data, findings)
    outcome, out = outcome_for(hf)
    if outcome.status == "modified":
        out = rewrite(out, hf.findings, names)
    return outcome.status, out


def names() -> Pseudonyms:
    return Pseudonyms(Company.from_profile(CTX.profile))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_file())
def test_scrubbing_a_file_removes_what_was_planted_and_nothing_else(case):
    path, data, values, planted = case
    pseudonyms = names()
    status, out = scrub_one(path, data, pseudonyms)
    if status == "dropped":                    # a file that is mostly a private key
        assert any(v.startswith("-----BEGIN") for v in values)
        return
    for v in values:
        assert v.encode() not in out
        for line in v.splitlines()[1:-1]:      # the body of a key block too
            assert line.encode() not in out
    assert b"acme" not in out.lower() and b"roadrunner" not in out.lower()
    assert out.count(b"\n") == data.count(b"\n")
    eol = b"\r\n" if b"\r\n" in data else b"\n"
    before, after = data.split(eol), out.split(eol)
    assert len(before) == len(after)
    for i, line in enumerate(before):
        if i not in planted:
            assert after[i] == line, f"untouched line {i} changed"
    again = scrub_one(path, out, pseudonyms)
    assert again == (again[0], out), "scrubbing the scrubbed file changed it"
    assert scrub_one(path, out, names())[1] == out


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400).map(lambda b: b.replace(b"\r", b"")).flatmap(
    lambda d: st.tuples(st.just(d), replacements(len(d), 30), st.booleans())))
def test_the_rewriter_keeps_every_byte_outside_the_spans_and_the_line_count(case):
    data, reps, crlf = case
    if crlf:
        data = data.replace(b"\n", b"\r\n")
        reps = [r for r in reps if r.end <= len(data)]
    out = apply(data, reps)
    pieces, pos = [], 0
    for r in sorted(reps, key=lambda r: r.start):
        pieces.append(re.escape(data[pos:r.start]))
        pos = r.end
    pieces.append(re.escape(data[pos:]))
    assert re.fullmatch(b"(.*?)".join(pieces), out, re.S), "bytes outside the spans moved or changed"
    if all(r.text.count(b"\n") <= data.count(b"\n", r.start, r.end) for r in reps):
        assert out.count(b"\n") == data.count(b"\n")
