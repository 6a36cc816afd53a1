"""Convert a gitleaks TOML configuration into reposcrub rule YAML.

Teams have years of gitleaks rules; this turns each one into a reposcrub rule,
says what changed on the way, and names every rule it could not convert and
why.  The conversion never makes a rule quieter than it was: whatever cannot
be expressed here (a path condition, an allowlist by path or commit, an AND
allowlist) is dropped from the *allowing* side, so the converted rule reports
at least what gitleaks reported.

Gitleaks patterns are Go RE2; reposcrub's are Python `re` (and hyperscan).
The dialects mostly agree; the differences handled here:
  (?i) / (?-i) / (?s) part-way through a pattern  -> scoped (?i:...) groups
  \\z (end of text)                                -> \\Z
  (?<name>...) (Go 1.22)                           -> (?P<name>...)
  [[:alpha:]] and other POSIX classes              -> ASCII ranges
  \\Q...\\E (quoted text)                           -> escaped literal
  \\x{41}                                          -> \\x41
  x{,3} (a literal in RE2, a repeat in Python)     -> x\\{,3}
and refused, with the reason: Unicode classes (\\p{Greek}), the ungreedy flag
(?U), and what RE2 itself rejects (look-arounds, back-references, possessive
quantifiers, atomic groups), which a working gitleaks config cannot contain.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .model import Rule
from .regex_shapes import always_captures
from .ruleset import builtin_rule_files, load_paths, rule_from_dict
from .sources.gitrepo import InputError

POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": " \\t",
         "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
         "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v", "upper": "A-Z",
         "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f"}
NOT_RE2 = "not RE2 syntax (gitleaks itself would reject this pattern)"


class Unconvertible(ValueError):
    """A pattern or rule with no faithful reposcrub equivalent; the message says why."""


# --------------------------------------------------------------------------- regex
@dataclass
class Translation:
    pattern: str
    ignore_case: bool = False
    anchors: bool = False            # uses ^ or $ (lines here, the whole text in gitleaks)


def translate(go: str) -> Translation:
    """An RE2 pattern as a Python one (see the module docstring for the differences)."""
    out: list[str] = []
    extra_closers = [0]               # per open group: scoped-flag groups to close with it
    ignore_case = anchors = False
    i, n = 0, len(go)
    while i < n:
        c = go[i]
        if c == "\\":
            text, i = _escape(go, i)
            out.append(text)
            continue
        if c == "[":
            text, i = _char_class(go, i)
            out.append(text)
            continue
        if c == "(":
            if go.startswith("(?", i):
                m = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])").match(go, i)
                if m:
                    on, off, end = m.group(1), m.group(2) or "", m.group(3)
                    if "U" in on + off:
                        raise Unconvertible("the ungreedy flag (?U) has no Python equivalent")
                    flags = on + (f"-{off}" if off else "")
                    if end == ":":
                        out.append(f"(?{flags}:")
                        extra_closers.append(0)
                    elif i == 0 and flags == "i":
                        ignore_case = True        # the common case: the whole pattern
                    else:
                        out.append(f"(?{flags}:")  # RE2: until the end of the enclosing group
                        extra_closers[-1] += 1
                    i = m.end()
                    continue
                if go.startswith("(?P<", i) or go.startswith("(?<", i) and not go.startswith(("(?<=", "(?<!"), i):
                    m = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>").match(go, i)
                    if not m:
                        raise Unconvertible(f"bad group name at {go[i:i + 12]!r}")
                    out.append(f"(?P<{m.group(1)}>")
                    extra_closers.append(0)
                    i = m.end()
                    continue
                what = {"(?=": "look-ahead", "(?!": "negative look-ahead", "(?<=": "look-behind",
                        "(?<!": "negative look-behind", "(?>": "atomic group", "(?P=": "back-reference",
                        "(?#": "comment group"}
                for start, name in what.items():
                    if go.startswith(start, i):
                        raise Unconvertible(f"{name} {start}…): {NOT_RE2}")
                raise Unconvertible(f"unknown group syntax at {go[i:i + 8]!r}")
            out.append("(")
            extra_closers.append(0)
            i += 1
            continue
        if c == ")":
            if len(extra_closers) > 1:
                out.append(")" * extra_closers.pop())
            out.append(")")
            i += 1
            continue
        if go.startswith("+", i + 1) and (c in "*+?" or c == "}" and _ends_repeat(out)):
            raise Unconvertible(f"possessive quantifier {c}+: {NOT_RE2}")
        if c in "^$":
            anchors = True
        if c == "{" and go.startswith("{,", i):
            out.append("\\{")                 # RE2 reads x{,3} literally; Python as x{0,3}
            i += 1
            continue
        out.append(c)
        i += 1
    out.append(")" * extra_closers[0])
    pattern = "".join(out)
    return Translation(pattern, ignore_case, anchors)


def _ends_repeat(out: list[str]) -> bool:
    return bool(re.search(r"\{\d+(,\d*)?$", "".join(out)[-12:]))


def _escape(go: str, i: int) -> tuple[str, int]:
    """One backslash sequence at go[i]; returns its Python text and the next index."""
    if i + 1 >= len(go):
        raise Unconvertible("pattern ends with a lone backslash")
    c = go[i + 1]
    if c == "Q":
        end = go.find("\\E", i + 2)
        literal = go[i + 2:] if end < 0 else go[i + 2:end]
        return re.escape(literal), (len(go) if end < 0 else end + 2)
    if c == "z":
        return "\\Z", i + 2
    if c in "pP":
        m = re.compile(r"\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])").match(go, i)
        name = m.group(0) if m else go[i:i + 2]
        raise Unconvertible(f"Unicode class {name} has no equivalent in Python's re on bytes")
    if c == "x" and go.startswith("{", i + 2):
        end = go.find("}", i + 3)
        code = int(go[i + 3:end] or "0", 16) if end > 0 and re.fullmatch(r"[0-9A-Fa-f]+", go[i + 3:end]) else -1
        if code < 0:
            raise Unconvertible(f"bad hex escape {go[i:end + 1]!r}")
        if code > 0x7F:
            raise Unconvertible(f"\\x{{{go[i + 3:end]}}} is not an ASCII character (patterns match bytes)")
        return f"\\x{code:02x}", end + 1
    if c == "C":
        return "[\\x00-\\xff]", i + 2
    if c == "Z":
        raise Unconvertible(f"\\Z: {NOT_RE2}")
    if c in "123456789":
        raise Unconvertible(f"back-reference \\{c}: {NOT_RE2}")
    if c == "k" and go.startswith("<", i + 2):
        raise Unconvertible(f"back-reference \\k<…>: {NOT_RE2}")
    return go[i:i + 2], i + 2


def _char_class(go: str, i: int) -> tuple[str, int]:
    """A bracket expression; POSIX classes become ASCII ranges."""
    out = ["["]
    j = i + 1
    if go.startswith("^", j):
        out.append("^")
        j += 1
    if go.startswith("]", j):
        out.append("\\]")
        j += 1
    while j < len(go) and go[j] != "]":
        m = re.compile(r"\[:(\^?)([a-z]+):\]").match(go, j)
        if m:
            if m.group(2) not in POSIX:
                raise Unconvertible(f"unknown POSIX class [:{m.group(2)}:]")
            if m.group(1):
                raise Unconvertible(f"negated POSIX class [:^{m.group(2)}:] inside a bracket expression")
            out.append(POSIX[m.group(2)])
            j = m.end()
            continue
        if go[j] == "\\":
            if go.startswith(("\\p", "\\P"), j):
                raise Unconvertible(f"Unicode class {go[j:j + 3]}… has no equivalent in Python's re on bytes")
            if go.startswith("\\x{", j):
                text, j = _escape(go, j)
                out.append(text)
                continue
            out.append(go[j:j + 2])
            j += 2
            continue
        if go[j] == "[":
            out.append("\\[")            # a literal [ inside a class (Python warns otherwise)
            j += 1
            continue
        out.append(go[j])
        j += 1
    if j >= len(go):
        raise Unconvertible("unterminated character class")
    out.append("]")
    return "".join(out), j + 1


# --------------------------------------------------------------------------- rules
@dataclass
class Converted:
    rule: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    anchored: bool = False


@dataclass
class Skipped:
    id: str
    reason: str


@dataclass
class ImportResult:
    converted: list[Converted] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)       # about the config as a whole
    profile_values: list[str] = field(default_factory=list)   # global allowlist regexes, translated

    @property
    def rules(self) -> list[dict[str, Any]]:
        return [c.rule for c in self.converted]


def _allowlists(raw: dict) -> list[dict]:
    out = []
    if isinstance(raw.get("allowlist"), dict):
        out.append(raw["allowlist"])
    out += [a for a in raw.get("allowlists") or [] if isinstance(a, dict)]
    return out


def _allowlist_checks(allow: dict, group: int, where: str, notes: list[str]) -> list[str]:
    """The value checks an allowlist becomes; what cannot be expressed is dropped (reported)."""
    has_paths = bool(allow.get("paths") or allow.get("commits"))
    if str(allow.get("condition", "OR")).upper() == "AND" and has_paths and (allow.get("regexes") or allow.get("stopwords")):
        notes.append(f"{where}: an AND allowlist with paths/commits cannot be expressed; dropped "
                     "(the rule may report more than in gitleaks)")
        return []
    if allow.get("paths"):
        notes.append(f"{where}: allowlist paths dropped (use [allowlist] paths in the profile)")
    if allow.get("commits"):
        notes.append(f"{where}: allowlist commits dropped (use a baseline)")
    checks: list[str] = []
    target = str(allow.get("regexTarget") or "secret")
    regexes = [str(r) for r in allow.get("regexes") or []]
    if regexes and (target == "line" or (target == "match" and group != 0)):
        notes.append(f"{where}: allowlist regexes tested against the {target} dropped "
                     "(reposcrub tests the secret only)")
        regexes = []
    for rx in regexes:
        try:
            t = translate(rx)
            checks.append("not-match:" + (f"(?i){t.pattern}" if t.ignore_case else t.pattern))
        except Unconvertible as exc:
            notes.append(f"{where}: allowlist regex {rx!r} dropped: {exc}")
    words = [str(w).lower() for w in allow.get("stopwords") or [] if str(w)]
    plain = [w for w in words if "," not in w]
    if plain:
        checks.append("not-contains:" + ",".join(plain))
    checks += [f"not-contains:{w}" for w in words if "," in w]
    return checks


def convert_rule(raw: dict, taken: set[str], global_checks: dict[Optional[str], list[str]]) -> Converted:
    rid = str(raw.get("id") or "").strip()
    if not rid:
        raise Unconvertible("the rule has no id")
    if raw.get("skipReport"):
        raise Unconvertible("skipReport: only a component of composite rules, never reported by itself")
    regex = raw.get("regex")
    if not regex:
        if raw.get("path"):
            raise Unconvertible("a path-only rule (it flags file names, not contents): reposcrub rules "
                                "match contents (key files are found by what they hold)")
        raise Unconvertible("no regex")
    t = translate(str(regex))
    notes: list[str] = []
    groups = re.compile(t.pattern).groups
    if raw.get("secretGroup"):
        group = int(raw["secretGroup"])
        if group > groups:
            raise Unconvertible(f"secretGroup {group} but the pattern has {groups} group(s)")
    elif groups == 0:
        group = 0
    elif always_captures(t.pattern, 1, re.IGNORECASE if t.ignore_case else 0):
        group = 1
    else:
        group = -1          # as gitleaks: the first group that matched, else the whole match
    if raw.get("path"):
        notes.append("path condition dropped: the rule now runs on every file")
    if raw.get("required"):
        notes.append("composite rule: its required companion rules are dropped; the primary "
                     "match is reported alone")
    checks: list[str] = []
    if float(raw.get("entropy") or 0) > 0:
        checks.append(f"entropy>={float(raw['entropy']):g}")
    for k, allow in enumerate(_allowlists(raw)):
        checks += _allowlist_checks(allow, group, f"allowlist {k + 1}", notes)
    checks += global_checks.get(None, []) + global_checks.get(rid, [])
    new_id = rid
    if rid in taken:
        new_id = f"gitleaks-{rid}"
        notes.append(f"renamed from {rid}: reposcrub already has a rule of that id")
    description = str(raw.get("description") or "").strip()
    tags = [str(x) for x in raw.get("tags") or []]
    rule: dict[str, Any] = {
        "id": new_id, "kind": "secret", "name": description or rid,
        "description": f"Imported from gitleaks rule {rid}." + (f" Tags: {', '.join(tags)}." if tags else ""),
        "pattern": t.pattern, "group": group,
        "keywords": [str(k).lower() for k in raw.get("keywords") or []],
        "checks": checks, "confidence": "high" if raw.get("keywords") else "medium",
    }
    if rule["keywords"]:
        rule["require_keywords"] = True     # in gitleaks a rule runs only where a keyword occurs
    if t.ignore_case:
        rule["ignore_case"] = True
    return Converted(rule, notes, t.anchors)


def import_config(path: Path) -> ImportResult:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    result = ImportResult()
    extend = raw.get("extend") or {}
    if extend.get("useDefault"):
        result.notes.append("[extend] useDefault: gitleaks' default rules are not imported; "
                            "reposcrub's built-in rules cover the common providers")
    if extend.get("path"):
        result.notes.append(f"[extend] path {extend['path']!r}: import that file too")
    if extend.get("disabledRules"):
        result.notes.append("[extend] disabledRules apply to gitleaks' defaults; use --disable "
                            "or disabled_rules for reposcrub's own")
    global_checks = _global_allowlists(raw, result)
    taken = {r.id for r in load_paths(builtin_rule_files())}
    rules = raw.get("rules") or []
    if not isinstance(rules, list):
        raise InputError(f"{path}: [[rules]] must be an array of tables")
    for i, r in enumerate(rules):
        rid = str(r.get("id") or f"rule #{i + 1}") if isinstance(r, dict) else f"rule #{i + 1}"
        try:
            if not isinstance(r, dict):
                raise Unconvertible("not a table")
            conv = convert_rule(r, taken, global_checks)
            _check_compiles(conv.rule)
        except (Unconvertible, re.error, ValueError) as exc:
            result.skipped.append(Skipped(rid, str(exc)))
            continue
        taken.add(conv.rule["id"])
        add_examples(conv)
        result.converted.append(conv)
    anchored = sum(c.anchored for c in result.converted)
    if anchored:
        result.notes.append(f"{anchored} rule(s) use ^ or $: here they match at every line (in gitleaks, "
                            "at the start and end of the scanned text unless (?m)), so they can only find more")
    return result


def _global_allowlists(raw: dict, result: ImportResult) -> dict[Optional[str], list[str]]:
    """Global allowlists become checks on every imported rule (or on their targetRules);
    their regexes are offered for the profile too, to cover reposcrub's own rules."""
    checks: dict[Optional[str], list[str]] = {}
    for k, allow in enumerate(_allowlists(raw)):
        notes: list[str] = []
        targets = [str(t) for t in allow.get("targetRules") or []] or [None]
        made = _allowlist_checks(allow, 0, f"global allowlist {k + 1}", notes)
        for t in targets:
            checks.setdefault(t, []).extend(made)
        result.notes += notes
        if targets == [None]:
            result.profile_values += [c.split(":", 1)[1] for c in made if c.startswith("not-match:")]
    return checks


def _check_compiles(rule: dict) -> None:
    from .detect.engine import compile_rule
    compile_rule(rule_from_dict(dict(rule, examples=[], negative_examples=[]), "<gitleaks>"))


def add_examples(conv: Converted) -> None:
    """Examples written from the pattern, kept only when the rule really matches them;
    a negative only when the regex and checks reject it without help from the keywords
    (hyperscan does not use them)."""
    from dataclasses import replace
    from .regex_examples import negative_from, templates
    from .rule_tools import ExampleRunner
    rule = rule_from_dict(dict(conv.rule, examples=[], negative_examples=[]), "<gitleaks>")
    bare = replace(rule, keywords=())
    runner, bare_runner = ExampleRunner([rule], both_backends=False), ExampleRunner([bare], both_backends=False)
    flags = re.IGNORECASE if rule.ignore_case else 0
    kw = next((k for k in rule.keywords if "{" not in k and "}" not in k), "")
    positives, negatives = [], []
    for t in templates(rule.pattern, flags):
        # the prefilter needs a keyword in the text: add one beside the value if the pattern has none
        found = next((c for c in ((t, f"{kw} = {t}", f"{kw}: {t}") if kw else (t,))
                      if runner.run(rule, True, 1, c).ok), None)
        if found is None:
            continue
        positives.append(found)
        neg = negative_from(t)
        if neg and neg not in negatives and bare_runner.run(bare, False, 1, neg).ok:
            negatives.append(neg)
    if positives:
        conv.rule["examples"] = positives
    else:
        conv.notes.append("no example could be written from the pattern: add one (rules lint will ask)")
    if negatives:
        conv.rule["negative_examples"] = negatives[:1]


def to_yaml(result: ImportResult, source: str) -> str:
    import yaml
    head = [f"# Rules imported from the gitleaks config {source} by `reposcrub rules import-gitleaks`.",
            "# Examples are templates written from each pattern (expanded into fake values at test time).",
            "# Check them with: reposcrub rules test THIS_FILE && reposcrub rules lint THIS_FILE", ""]
    body = yaml.safe_dump(result.rules, sort_keys=False, allow_unicode=True, width=100) if result.rules else "[]\n"
    return "\n".join(head) + body


def loaded_rules(text: str) -> list[Rule]:
    """The YAML as reposcrub will load it (used to double-check the output)."""
    import yaml
    return [rule_from_dict(r, "<import>") for r in yaml.safe_load(text) or []]
