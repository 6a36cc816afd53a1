"""Rule authoring: run a rule's own examples, lint rule files, describe a rule.

A rule is reviewable on its own because it carries its tests (examples that
must hit, negative examples that must not).  This module runs them the way a
scan would — through the shared engine, on both backends — and checks rule
files for the mistakes that only show up later: a duplicate id that silently
replaces another rule, a keyword prefilter that hides the pattern's own
example, nested repetition that makes the pure-``re`` fallback backtrack
exponentially.  Examples are fake (expanded from templates), so failures may
print them in full.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .detect import is_generic
from .detect.checks import compile_check
from .detect.engine import CompiledRule, Engine, compile_rule, group_span, hyperscan
from .examplegen import expand
from .model import ContentItem, Rule
from .ruleset import RuleSet, builtin_rule_files
from .regex_shapes import nested_repetition

BUILTIN_DIR = Path(__file__).parent / "rules"
GROUP_MEANING = {0: " (the whole match)", -1: " (the first group that matched, else the whole match)"}
MAX_SHOWN = 120          # characters of an example or a match shown in a failure


def display_source(source: str) -> str:
    """`builtin:secrets/core.yaml` for shipped rules, the path as given otherwise."""
    try:
        return "builtin:" + Path(source).resolve().relative_to(BUILTIN_DIR.resolve()).as_posix()
    except ValueError:
        return source


def is_builtin(rule: Rule) -> bool:
    return display_source(rule.source).startswith("builtin:")


def short(text: str, limit: int = MAX_SHOWN) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --------------------------------------------------------------------------- list
def rule_row(rule: Rule) -> dict:
    return {"id": rule.id, "kind": rule.kind, "name": rule.name,
            "type": "query" if rule.query else "regex", "confidence": rule.confidence,
            "source": display_source(rule.source)}


# --------------------------------------------------------------------------- test
@dataclass
class ExampleResult:
    """One example of one rule, run."""

    rule: Rule
    index: int                 # 1-based, within its list
    positive: bool
    template: str
    text: str                  # the expanded (fake) example
    ok: bool
    matched: list[str] = field(default_factory=list)   # values the rule found
    why: str = ""              # what went wrong, in words
    skipped: bool = False

    def to_dict(self) -> dict:
        return {"rule": self.rule.id, "source": display_source(self.rule.source),
                "example": self.index, "positive": self.positive, "template": self.template,
                "text": self.text, "ok": self.ok, "skipped": self.skipped,
                "matched": self.matched, "why": self.why}


class ExampleRunner:
    """Matches examples against rules the way a scan does.

    Regex rules go through one shared Engine on the configured backend and, when
    hyperscan is installed, through the pure-``re`` fallback too: an example
    that only one backend finds is a failure (usually a keyword missing from the
    prefilter).  Query rules go through the detectors that handle them.
    """

    def __init__(self, rules: Sequence[Rule], both_backends: bool = True):
        self.broken: dict[str, str] = {}
        good: list[Rule] = []
        for r in rules:
            try:
                if r.pattern:
                    compile_rule(r)
                    good.append(r)
                elif r.query:
                    from .detect.queries import QueryRunner
                    QueryRunner([r]).validate()      # every language it names, now
            except ValueError as exc:
                self.broken[r.id] = str(exc)
        self.engines = [Engine(good) if both_backends else Engine(good, backend="re")]
        if self.engines[0].backend != "re":
            self.engines.append(Engine(good, backend="re"))
        self.compiled = {c.rule.id: c for c in self.engines[0].compiled}

    def matches(self, rule: Rule, text: str, lang: Optional[str] = None) -> tuple[Optional[list[str]], str]:
        """Values the rule finds in text, or None (and why) when it cannot run."""
        if rule.id in self.broken:
            return None, self.broken[rule.id]
        if rule.query or is_generic(rule):
            return detector_matches(rule, text, lang)
        data = text.encode()
        found = []
        for engine in self.engines:
            found.append(sorted({(h.start, h.end) for h in engine.scan(data) if h.rule.id == rule.id}))
        if len(found) == 2 and found[0] != found[1]:
            hs, fallback = found
            return [data[s:e].decode("utf-8", "replace") for s, e in (hs or fallback)], (
                "the backends disagree: hyperscan found " + str(len(hs)) + ", the re fallback "
                + str(len(fallback)) + " (is a keyword missing from `keywords`?)")
        return [data[s:e].decode("utf-8", "replace") for s, e in found[0]], ""

    def why_missed(self, rule: Rule, text: str) -> str:
        """Explain a missed positive: no regex match, or a check rejected the value."""
        c = self.compiled.get(rule.id)
        if rule.query:
            return "the query captured no literal string, or the generic judgement rejected it"
        if c is None:
            return "no match"
        data = text.encode()
        low = data.lower()
        if c.keywords and not any(k in low for k in c.keywords):
            return "none of the keywords occurs in the example, so the prefilter skips it"
        for m in c.regex.finditer(c.subject(data)):
            start, end = group_span(m, rule.group)
            value = data[start:end] if start >= 0 else b""
            for spec, check in zip(rule.checks, c.checks):
                if not check(value):
                    return f"the regex matched {short(value.decode('utf-8', 'replace'))!r} but check {spec!r} rejected it"
            if is_generic(rule):
                from .detect.generic import candidate_at, judge
                verdict = judge(candidate_at("snippet", data, m.start(), start, end,
                                                 proximity=rule.confidence == "low"))
                return (f"the regex matched {short(value.decode('utf-8', 'replace'))!r} but the generic "
                        f"judgement rejected it: {verdict.reason}")
            return "the regex matched but the hit was dropped (empty capture group?)"
        return "the regex does not match"

    def run(self, rule: Rule, positive: bool, index: int, template: str) -> ExampleResult:
        try:
            text = expand(template, rule.id)
        except ValueError as exc:
            return ExampleResult(rule, index, positive, template, template, False, why=f"bad template: {exc}")
        found, why = self.matches(rule, text, getattr(template, "lang", None))
        if found is None:
            skipped = why.startswith("skipped")
            return ExampleResult(rule, index, positive, template, text, skipped, why=why, skipped=skipped)
        if why:
            return ExampleResult(rule, index, positive, template, text, False, found, why)
        if positive and not found:
            return ExampleResult(rule, index, positive, template, text, False, [], self.why_missed(rule, text))
        if not positive and found:
            return ExampleResult(rule, index, positive, template, text, False, found,
                                 "the rule matched its negative example")
        return ExampleResult(rule, index, positive, template, text, True, found)


@lru_cache(maxsize=64)
def _scanner_for(rule: Rule):
    """A scanner holding only this rule (built once per rule: a run tests every example)."""
    from .detect import Scanner
    return Scanner(RuleSet([rule]), b"rules-test")


def detector_matches(rule: Rule, text: str, lang: Optional[str] = None) -> tuple[Optional[list[str]], str]:
    """Run a rule on an example through the detectors, exactly as a scan runs it.

    For query rules (parsed as the example's ``lang`` or the rule's first
    language) and generic rules, whose regex only proposes candidates that
    the generic judgement then accepts or rejects (detect/generic.py)."""
    from .detect.examples import example_path
    from .model import Example
    scanner = _scanner_for(rule)
    item = ContentItem(example_path(rule, Example(text, lang)), text.encode())
    return sorted({f.value.decode("utf-8", "replace") for f in scanner.detect(item)
                   if f.rule == rule.id and not f.suppressed_by}), ""


@dataclass
class TestReport:
    results: list[ExampleResult]

    @property
    def failures(self) -> list[ExampleResult]:
        return [r for r in self.results if not r.ok]

    @property
    def skipped(self) -> list[ExampleResult]:
        return [r for r in self.results if r.skipped]

    @property
    def rules_failed(self) -> list[str]:
        return sorted({r.rule.id for r in self.failures})


def test_rules(rules: Sequence[Rule]) -> TestReport:
    runner = ExampleRunner(rules)
    results: list[ExampleResult] = []
    for rule in rules:
        for i, ex in enumerate(rule.examples, 1):
            results.append(runner.run(rule, True, i, ex))
        for i, ex in enumerate(rule.negative_examples, 1):
            results.append(runner.run(rule, False, i, ex))
    return TestReport(results)


test_rules.__test__ = False     # not a pytest test, despite the name
TestReport.__test__ = False


# --------------------------------------------------------------------------- lint
@dataclass(frozen=True)
class Problem:
    rule: str
    source: str
    code: str                  # duplicate-id, bad-pattern, negative-match, nested-repetition, ...
    message: str
    severity: str = "error"    # error | warning

    def to_dict(self) -> dict:
        return {"rule": self.rule, "source": self.source, "code": self.code,
                "severity": self.severity, "message": self.message}


def lint_rules(rules: Sequence[Rule]) -> list[Problem]:
    """Everything wrong with a list of rules as loaded (duplicates not yet merged)."""
    problems: list[Problem] = []
    problems += _duplicates(rules)
    merged = {r.id: r for r in rules}.values()     # the rules that would be in force
    runner = ExampleRunner(list(merged))
    for rule in merged:
        problems += _lint_one(rule, runner)
    return problems


def _duplicates(rules: Sequence[Rule]) -> list[Problem]:
    first: dict[str, Rule] = {}
    out = []
    for r in rules:
        prev = first.get(r.id)
        if prev is None:
            first[r.id] = r
            continue
        where = f"{display_source(prev.source)} and {display_source(r.source)}"
        if is_builtin(prev) and not is_builtin(r):
            out.append(Problem(r.id, display_source(r.source), "overrides-builtin",
                               f"replaces the built-in rule of the same id ({where})", "warning"))
        else:
            out.append(Problem(r.id, display_source(r.source), "duplicate-id",
                               f"id defined more than once ({where}); only the last one runs"))
    return out


def _lint_one(rule: Rule, runner: ExampleRunner) -> list[Problem]:
    src = display_source(rule.source)
    out: list[Problem] = []

    def add(code: str, msg: str, severity: str = "error") -> None:
        out.append(Problem(rule.id, src, code, msg, severity))

    if not rule.examples:
        add("no-examples", "no examples: nothing shows the rule finds what it is meant to")
    if not rule.negative_examples:
        add("no-negative-examples", "no negative examples: nothing shows what it must not flag", "warning")
    for spec in rule.checks:
        try:
            compile_check(spec)
        except ValueError as exc:
            add("bad-check", str(exc))
    shape = nested_repetition(rule.pattern or "") if rule.pattern else None
    if shape:      # the engine refuses to load it (detect/bounded.py), so nothing else can run
        add("nested-repetition", f"{shape}: exponential backtracking; a scan refuses this rule")
        return out
    if rule.id in runner.broken:
        add("bad-query" if rule.query else "bad-pattern", runner.broken[rule.id].split(": ", 1)[-1])
        return out
    if rule.query:
        return out                       # the rest is about regexes
    if hyperscan is not None and not _hyperscan_accepts(runner.compiled[rule.id]):
        add("not-hyperscan", "hyperscan cannot compile this pattern: it runs on the slower fallback path"
            + ("" if rule.keywords else " for every blob (it has no keywords)"), "warning")
    if not rule.keywords:
        add("no-keywords", "no keywords: the fallback engine runs the regex on every blob", "warning")
    for i, ex in enumerate(rule.examples, 1):
        text = _expand_or_none(ex, rule.id)
        if text is None:
            add("bad-template", f"example {i}: cannot expand {ex!r}")
        elif rule.keywords and not any(k.lower() in text.lower() for k in rule.keywords):
            add("keywords-miss-example", f"example {i} contains none of the keywords "
                f"{list(rule.keywords)}: the prefilter would skip it ({short(text)!r})")
    for i, ex in enumerate(rule.negative_examples, 1):
        res = runner.run(rule, False, i, ex)
        if not res.ok and res.matched:
            add("negative-match", f"negative example {i} {short(res.text)!r} is matched: "
                + ", ".join(repr(short(m, 60)) for m in res.matched))
    return out


def _expand_or_none(template: str, seed: str) -> Optional[str]:
    try:
        return expand(template, seed)
    except ValueError:
        return None


def _hyperscan_accepts(c: CompiledRule) -> bool:
    """As the engine decides: exact, or as a prefilter confirmed by Python's re."""
    from .detect.engine import _hs_accepts, _hs_expression, _hs_flags
    expr, flags = _hs_expression(c.rule), _hs_flags(c.rule)
    return _hs_accepts(expr, flags) or _hs_accepts(expr, flags | hyperscan.HS_FLAG_PREFILTER)


# --------------------------------------------------------------------------- explain
def explain(rule: Rule) -> list[tuple[str, str]]:
    """The rule as (label, text) pairs, examples expanded beside their templates."""
    rows = [("id", rule.id), ("name", rule.name), ("kind", rule.kind),
            ("confidence", rule.confidence), ("source", display_source(rule.source))]
    if rule.description:
        rows.append(("description", rule.description.strip()))
    if rule.query:
        rows += [("query", rule.query.strip()), ("languages", ", ".join(rule.languages)),
                 ("capture", rule.capture)]
    else:
        flags = [n for n, on in (("ignore-case", rule.ignore_case), ("dot-all", rule.multiline)) if on]
        rows += [("pattern", rule.pattern or ""), ("group", str(rule.group) + GROUP_MEANING.get(
            rule.group, " (only this group is replaced)"))]
        if flags:
            rows.append(("flags", ", ".join(flags)))
    rows.append(("keywords", ", ".join(rule.keywords) or "(none: the regex runs on every blob)"))
    rows.append(("checks", ", ".join(rule.checks) or "(none)"))
    rows.append(("placeholder", f"REDACTED-{rule.placeholder or rule.id}-N"))
    if rule.drop_file:
        rows.append(("drop-file", "a file that is essentially this value is dropped from the snapshot"))
    for label, examples in (("example", rule.examples), ("negative", rule.negative_examples)):
        for ex in examples:
            text = _expand_or_none(ex, rule.id)
            rows.append((label, short(ex) + ("" if text in (None, ex) else f"\n  → {short(text)}")))
    return rows


# --------------------------------------------------------------------------- loading
def load_rules(paths: Iterable[Path] = (), builtin: bool = True) -> list[Rule]:
    """Rules as written, duplicates kept (lint needs to see them)."""
    from .ruleset import load_paths
    files = builtin_rule_files() if builtin else []
    return load_paths(files) + load_paths(paths)


def find_rule(rules: Sequence[Rule], rule_id: str) -> Optional[Rule]:
    found = [r for r in rules if r.id == rule_id]
    return found[-1] if found else None


def close_ids(rules: Sequence[Rule], rule_id: str) -> list[str]:
    import difflib
    return difflib.get_close_matches(rule_id, sorted({r.id for r in rules}), n=3, cutoff=0.5)

