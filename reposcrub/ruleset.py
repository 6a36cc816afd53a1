"""Load rules from YAML: the shipped ones, then any the user adds.

Rules are data so a security team can review one without reading code; this
module only parses and validates them, it never matches anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .model import Example, Rule
from .rulecache import rule_documents

KINDS = ("secret", "host", "header", "identifier")
CONFIDENCES = ("high", "medium", "low")
_FIELDS = set(Rule.__dataclass_fields__) - {"source"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names file and rule."""


def builtin_rule_files() -> list[Path]:
    return sorted((Path(__file__).parent / "rules").rglob("*.yaml"))


def rule_from_dict(raw: dict, source: str) -> Rule:
    if not isinstance(raw, dict) or "id" not in raw:
        raise RuleError(f"{source}: every rule needs an id")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise RuleError(f"{source}: rule {raw['id']}: unknown field(s) {', '.join(sorted(unknown))}")
    if bool(raw.get("pattern")) == bool(raw.get("query")):
        raise RuleError(f"{source}: rule {raw['id']}: give exactly one of pattern or query")
    kind = raw.get("kind", "secret")
    if kind not in KINDS:
        raise RuleError(f"{source}: rule {raw['id']}: kind must be one of {', '.join(KINDS)}")
    conf = raw.get("confidence", "high")
    if conf not in CONFIDENCES:
        raise RuleError(f"{source}: rule {raw['id']}: confidence must be one of {', '.join(CONFIDENCES)}")
    if not isinstance(raw.get("anchored", False), bool):
        raise RuleError(f"{source}: rule {raw['id']}: anchored must be true or false")
    if raw.get("query") and not raw.get("languages"):
        raise RuleError(f"{source}: rule {raw['id']}: a query rule needs languages")
    if raw.get("prefilter") and not raw.get("query"):
        raise RuleError(f"{source}: rule {raw['id']}: prefilter is for query rules (a regex rule's pattern is its own)")
    data = dict(raw)
    for key in ("keywords", "checks", "confirm", "languages"):
        data[key] = tuple(str(x) for x in (raw.get(key) or ()))
    for key in ("examples", "negative_examples"):
        data[key] = tuple(example_from(x, source, raw["id"]) for x in (raw.get(key) or ()))
    data.setdefault("name", raw["id"])
    data["kind"] = kind
    return Rule(source=source, **data)


def example_from(raw, source: str, rule_id: str) -> Example:
    """An example is a string, or ``{lang: NAME, text: STRING}`` for a query rule's grammar."""
    if isinstance(raw, dict):
        if set(raw) - {"lang", "text"} or "text" not in raw:
            raise RuleError(f"{source}: rule {rule_id}: an example mapping has lang and text")
        return Example(str(raw["text"]), str(raw["lang"]) if raw.get("lang") else None)
    return Example(str(raw))


class _Unparsable(ValueError):
    """The YAML parser's error, under a name that needs no yaml import."""


def parse_yaml(text: str):
    """One YAML document, with libyaml's safe loader when present (imported
    only here: a run whose rule files are all in the parse cache needs none)."""
    import yaml
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise _Unparsable(str(exc)) from None


def load_file(path: Path) -> list[Rule]:
    try:
        raw = rule_documents().get(path.read_text(encoding="utf-8"), parse_yaml)
    except (OSError, _Unparsable, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {str(exc).splitlines()[0]}") from None
    if raw is None:
        return []
    if isinstance(raw, dict) and "rules" in raw:
        raw = raw["rules"]
    if not isinstance(raw, list):
        raise RuleError(f"{path}: a rule file is a YAML list of rules")
    return [rule_from_dict(r, str(path)) for r in raw]


def load_paths(paths: Iterable[Path]) -> list[Rule]:
    rules: list[Rule] = []
    for p in paths:
        files = sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml")) if p.is_dir() else [p]
        for f in files:
            rules.extend(load_file(f))
    rule_documents().flush()
    return rules


@dataclass
class RuleSet:
    """The rules in force for one run, in a stable order."""

    rules: list[Rule] = field(default_factory=list)

    @classmethod
    def load(cls, extra: Iterable[Path] = (), disabled: Iterable[str] = (),
             builtin: bool = True) -> "RuleSet":
        rules = load_paths(builtin_rule_files()) if builtin else []
        rules += load_paths(extra)
        off = set(disabled)
        seen: dict[str, Rule] = {}
        for r in rules:
            if r.id in off:
                continue
            seen[r.id] = r        # a later file may override a built-in rule by id
        return cls(list(seen.values()))

    def by_id(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]
