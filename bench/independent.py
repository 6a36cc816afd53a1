"""Recall and false positives on credential examples written by *other* scanners' authors.

    python bench/independent.py                         # summary per source
    python bench/independent.py --misses 50             # missed examples (masked)
    python bench/independent.py --fps                   # every false positive
    python bench/independent.py --path settings.py      # scan each example as this file
    python bench/independent.py --kingfisher BIN        # the same corpus through Kingfisher, side by side

The examples are read at run time from local mirrors of the other projects
(bare repositories, read with `git show`); nothing of theirs is copied into
this repository, only their commit ids are printed.  This is the corpus the
accuracy issue names: we did not write it, so it checks what our own corpus
(bench/accuracy.py) cannot — whether our rules generalise past our own idea
of each format.

Sources:
  kingfisher  data/rules/*.yml: every rule's `examples` (positives) and
              `negative_examples` (negatives).
  gitleaks    cmd/generate/config/rules/*.go: the string literals of each
              rule's `tps` (positives) and `fps` (negatives) lists; values it
              draws at run time from a regex become one example each under
              `gitleaks-gen` (see corpus_gitleaks).

A positive is *found* when any secret finding is reported on the example (any
confidence: `scrub` redacts all three); *fails the build* when one is high or
medium.  A negative is a false positive when any secret finding is reported.
A finding suppressed as an example value (a token that counts up eight steps;
reposcrub/detect/plausibility.py) is neither redacted nor fails: it counts as
not found, on both sides.

With `--kingfisher BIN` every example is also written to a temporary
directory (one file each, named as `--path`) and scanned there by a Kingfisher
binary (`pip install kingfisher-bin` in a separate venv) with `--confidence
low --no-validate --no-dedup`, its built-in rules plus the mirrored source's
own rule files (stripped of live validation, in a temporary directory); an
example counts for Kingfisher as it does for us.  Kingfisher is scored on its own authors' examples too, so its recall on
that half is expected to be near 100%: read the gitleaks half for the fair
comparison.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reposcrub.detect import Scanner  # noqa: E402
from reposcrub.masking import mask  # noqa: E402
from reposcrub.model import ContentItem  # noqa: E402
from reposcrub.ruleset import RuleSet  # noqa: E402

MIRRORS = {
    "kingfisher": Path("/work/.mirror/mongodb+kingfisher/repo"),
    "gitleaks": Path("/work/.mirror/gitleaks+gitleaks/repo"),
    "trufflehog": Path("/work/.mirror/trufflesecurity+trufflehog/repo"),
}
FAILING = ("high", "medium")


@dataclass(frozen=True)
class Example:
    source: str      # kingfisher | gitleaks
    rule: str        # the other scanner's rule id (its family)
    text: str
    positive: bool


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, errors="replace").stdout


def files_under(repo: Path, folder: str, suffix: str) -> Iterator[tuple[str, str]]:
    for path in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", folder).splitlines():
        if path.endswith(suffix):
            yield path, git(repo, "show", f"HEAD:{path}")


def kingfisher_rule_files(repo: Path) -> Iterator[tuple[str, dict]]:
    """(path, parsed document) of each of Kingfisher's rule files that parses."""
    import yaml
    for path, text in files_under(repo, "data/rules", ".yml"):
        try:
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            continue
        if isinstance(doc, dict):
            yield path, doc


def corpus_kingfisher(repo: Path) -> Iterator[Example]:
    for path, doc in kingfisher_rule_files(repo):
        for rule in doc.get("rules") or []:
            rid = str(rule.get("id") or Path(path).stem)
            for ex in rule.get("examples") or []:
                yield Example("kingfisher", rid, str(ex), True)
            for ex in rule.get("negative_examples") or []:
                yield Example("kingfisher", rid, str(ex), False)


_GO_LIST = re.compile(r"\b(tps|fps)\s*:?=\s*(?:append\(\s*\w+\s*,)?\s*\[\]string\s*\{", re.S)
_GO_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`')
_GO_FUNC = re.compile(r"^func\s+(\w+)", re.M)


def _go_unquote(s: str) -> str:
    try:
        return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return s


def _block(text: str, start: int) -> str:
    """The body of a `{ ... }` list starting at `start` (just after its `{`), strings skipped."""
    depth, i = 1, start
    while i < len(text) and depth:
        m = _GO_STRING.match(text, i)
        if m:
            i = m.end()
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def corpus_gitleaks(repo: Path) -> Iterator[Example]:
    """Literal list items as written; items gitleaks generates at run time
    (`utils.GenerateSampleSecret(s)(name, secrets.NewSecret(regex))`) become one example
    each, a value drawn from that regex under `<name>_api_token = "..."` (source
    `gitleaks-gen`, kept apart because the value is ours to draw, the format theirs)."""
    rng = random.Random(1234)
    for path, text in files_under(repo, "cmd/generate/config/rules", ".go"):
        if path.endswith("_test.go"):
            continue
        funcs = [(m.start(), m.group(1)) for m in _GO_FUNC.finditer(text)]
        for m in _GO_LIST.finditer(text):
            name = next((f for pos, f in reversed(funcs) if pos < m.start()), Path(path).stem)
            for value, source in _gitleaks_items(_split_items(_block(text, m.end())), rng):
                yield Example(source, f"{Path(path).stem}.{name}", value, m.group(1) == "tps")
        for m in _GO_CALL_ASSIGN.finditer(text):
            name = next((f for pos, f in reversed(funcs) if pos < m.start()), Path(path).stem)
            call = _call_at(text, m.start(2))
            for value, source in _gitleaks_items([call], rng):
                yield Example(source, f"{Path(path).stem}.{name}", value, m.group(1) == "tps")


_GO_CALL_ASSIGN = re.compile(r"\b(tps|fps)\s*:?=\s*(?:append\(\s*\w+\s*,\s*)?(utils\.GenerateSampleSecrets?\()")
_GITLEAKS_CLASSES = {   # gitleaks' helpers in cmd/generate/config/utils/patterns.go
    "Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}", "AlphaNumeric": "[a-z0-9]{%s}",
    "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}", "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
    "AlphaNumericExtendedLong": "[a-z0-9/=_+\\-]{%s}",
}


def _call_at(text: str, start: int) -> str:
    """The call expression starting at `start`, up to its closing parenthesis."""
    depth, i = 0, start
    while i < len(text):
        m = _GO_STRING.match(text, i)
        if m:
            i = m.end()
            continue
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return text[start:]


def _gitleaks_items(items: list[str], rng: random.Random) -> Iterator[tuple[str, str]]:
    for item in items:
        item = item.strip().rstrip(".").strip()
        lit = _GO_STRING.fullmatch(item)
        if lit:
            value = _go_unquote(lit.group(1)) if lit.group(1) is not None else lit.group(2)
            if value.strip():
                yield value, "gitleaks"
            continue
        m = re.fullmatch(r"utils\.GenerateSampleSecrets?\((.*)\)", item, re.S)
        if not m:
            continue
        args = _split_items(m.group(1))
        if len(args) != 2:
            continue
        ident = _go_expr(args[0], {})
        secret = _gitleaks_value(args[1], rng)
        if ident is not None and secret:
            yield f'{ident}_api_token = "{secret}"', "gitleaks-gen"


def _gitleaks_value(expr: str, rng: random.Random) -> str | None:
    """A value for a gitleaks secret expression: literals, `+`, `secrets.NewSecret(regex)`."""
    def piece(part: str) -> str | None:
        m = re.fullmatch(r"secrets\.NewSecret\((.*)\)", part, re.S)
        if not m:
            return _go_expr(part, {})
        pattern = _gitleaks_pattern(m.group(1))
        return draw(pattern, rng) if pattern else None
    return _concat(expr, piece)


def _gitleaks_pattern(expr: str) -> str | None:
    def piece(part: str) -> str | None:
        m = re.fullmatch(r"utils\.(\w+)\(\s*\"?(\w*)\"?\s*\)", part)
        if m and m.group(1) in _GITLEAKS_CLASSES:
            return _GITLEAKS_CLASSES[m.group(1)] % m.group(2)
        if m and m.group(1) == "Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        return _go_expr(part, {})
    return _concat(expr, piece)


def draw(pattern: str, rng: random.Random) -> str | None:
    """A random string matching a simple regex (classes, repeats, groups, alternation)."""
    from re import _constants as c, _parser as sre
    try:
        tree = sre.parse(pattern)
    except (re.error, OverflowError):
        return None
    printable = [chr(i) for i in range(33, 127)]

    def chars(items) -> list[str]:
        pool: list[str] = []
        negate = False
        for op, av in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                pool.append(chr(av))
            elif op is c.RANGE:
                pool.extend(chr(x) for x in range(av[0], av[1] + 1))
            elif op is c.CATEGORY:
                pool.extend({c.CATEGORY_DIGIT: "0123456789",
                             c.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
                             c.CATEGORY_SPACE: " "}.get(av, ""))
        if negate:
            pool = [x for x in printable if x not in pool]
        return pool or ["x"]

    def gen(seq) -> str:
        out = []
        for op, av in seq:
            if op is c.LITERAL:
                out.append(chr(av))
            elif op is c.NOT_LITERAL:
                out.append(rng.choice([x for x in printable if ord(x) != av]))
            elif op is c.ANY:
                out.append(rng.choice(printable))
            elif op is c.IN:
                out.append(rng.choice(chars(av)))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
                lo, hi, sub = av
                hi = lo + 4 if hi is c.MAXREPEAT else min(hi, lo + 4) if hi - lo > 4 else hi
                out.extend(gen(sub) for _ in range(rng.randint(lo, hi)))
            elif op is c.SUBPATTERN:
                out.append(gen(av[-1]))
            elif op is c.BRANCH:
                out.append(gen(rng.choice(av[1])))
            elif op in (c.AT, c.GROUPREF, c.ASSERT, c.ASSERT_NOT):
                continue
            else:
                raise ValueError(op)
        return "".join(out)

    try:
        return gen(tree)
    except (ValueError, IndexError):
        return None


def _split_items(body: str) -> list[str]:
    """Top-level comma-separated items of a Go list body, comments dropped."""
    items, depth, cur, i = [], 0, [], 0
    while i < len(body):
        m = _GO_STRING.match(body, i)
        if m:
            cur.append(m.group(0))
            i = m.end()
            continue
        c = body[i]
        if body.startswith("//", i):
            j = body.find("\n", i)
            i = len(body) if j < 0 else j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        items.append("".join(cur))
    return items


_GO_ASSIGN = re.compile(r"^\s*(?:const\s+|var\s+)?(\w+)\s*:?=\s*", re.M)
_TH_CASE = re.compile(r"\binput:\s*")
_TH_WANT = re.compile(r"\s*want:\s*")


def _go_expr(expr: str, names: dict[str, str]) -> str | None:
    """The value of a small Go string expression: literals, names bound to literals in the
    same file, `+`, and `fmt.Sprintf` with `%s`/`%v`; None for anything else."""
    expr = expr.strip()
    lit = _GO_STRING.fullmatch(expr)
    if lit:
        return _go_unquote(lit.group(1)) if lit.group(1) is not None else lit.group(2)
    if re.fullmatch(r"\w+", expr):
        return names.get(expr)
    m = re.fullmatch(r"fmt\.Sprintf\((.*)\)", expr, re.S)
    if m:
        parts = [_go_expr(a, names) for a in _split_items(m.group(1))]
        if not parts or any(p is None for p in parts) or re.search(r"%[^sv%]", parts[0]):
            return None
        args = iter(parts[1:])
        try:
            return re.sub(r"%[sv%]", lambda x: "%" if x.group(0) == "%%" else next(args), parts[0])
        except StopIteration:
            return None
    if len(_split_top(expr, "+")) > 1:
        return _concat(expr, lambda x: _go_expr(x, names))
    return None


def _split_top(expr: str, sep: str) -> list[str]:
    """The pieces of `expr` between top-level `sep`s (unsplit if a string literal holds sep)."""
    return _split_items(expr.replace(sep, ",")) if sep not in "".join(
        m.group(0) for m in _GO_STRING.finditer(expr)) else [expr]


def _concat(expr: str, value_of) -> str | None:
    """`a + b + …`: each piece's value, joined; None when any piece has none."""
    values = [value_of(part.strip()) for part in _split_top(expr.strip(), "+")]
    return None if any(v is None for v in values) else "".join(values)


def corpus_trufflehog(repo: Path) -> Iterator[Example]:
    """Each detector's pattern tests: a case whose `want` lists a value is a positive, one
    whose `want` is empty or nil a negative.  Inputs built from literals, names bound to
    literals and `fmt.Sprintf` are evaluated; anything else is skipped."""
    for path, text in files_under(repo, "pkg/detectors", "_test.go"):
        if "integration" in path:
            continue
        names: dict[str, str] = {}
        for m in _GO_ASSIGN.finditer(text):
            lit = _GO_STRING.match(text, m.end())
            if lit:
                names.setdefault(m.group(1), _go_expr(lit.group(0), names) or "")
        for m in _TH_CASE.finditer(text):
            items = _split_items(text[m.end():m.end() + 20000].split("\n\t\t}", 1)[0])
            if not items:
                continue
            value = _go_expr(items[0], names)
            want = next((i for i in items[1:] if i.strip().startswith("want:")), None)
            if value is None or want is None or not value.strip():
                continue
            want = _TH_WANT.sub("", want, count=1).strip()
            positive = not (want in ("nil", "[]string{}", "[]string{ }") or want.endswith("{}"))
            yield Example("trufflehog", Path(path).parent.name, value, positive)


SOURCES = {"kingfisher": corpus_kingfisher, "gitleaks": corpus_gitleaks, "trufflehog": corpus_trufflehog}


@dataclass
class Tally:
    n: int = 0
    hit: int = 0
    failing: int = 0


def pct(a: int, n: int) -> str:
    return f"{100.0 * a / n:5.1f}%" if n else "    –"


def masked(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """The example with every long run of token characters masked: misses are printed, and
    a missed example may be a real-looking credential."""
    return re.sub(r"[A-Za-z0-9_+/=\-]{12,}", lambda m: mask(m.group(0).encode()), text)


def kingfisher_rules_from_mirror(repo: Path, dest: Path) -> None:
    """The mirror's own rule files, minus their live-validation blocks: the PyPI binary
    ships only its imported rule sets and refuses the mirror's files as written."""
    import yaml
    for path, doc in kingfisher_rule_files(repo):
        for rule in doc.get("rules") or []:
            for k in ("validation", "revocation", "depends_on_rule"):
                rule.pop(k, None)
        (dest / Path(path).name).write_text(yaml.safe_dump(doc, sort_keys=False))


def kingfisher_verdicts(binary: str, examples: list[Example], name: str) -> list[list[tuple[str, str]]]:
    """(rule id, confidence) of each finding per example, from one Kingfisher run over all of them,
    with its built-in rules plus the rules of the mirrored Kingfisher source."""
    with tempfile.TemporaryDirectory(prefix="independent-kf-") as tmp, \
            tempfile.TemporaryDirectory(prefix="independent-kf-rules-") as rules:
        extra: list[str] = []
        if (MIRRORS["kingfisher"] / "HEAD").exists():
            kingfisher_rules_from_mirror(MIRRORS["kingfisher"], Path(rules))
            extra = ["--rules-path", rules, "--rule", "all"]
        for i, ex in enumerate(examples):
            d = Path(tmp, str(i))
            d.mkdir()
            (d / name).write_text(ex.text)
        out = subprocess.run([binary, "scan", tmp, *extra, "--no-validate", "--no-dedup", "-c", "low",
                              "-f", "json", "--no-update-check"], capture_output=True, text=True).stdout
        doc = json.JSONDecoder().raw_decode(out)[0]      # a summary object follows the report
        hits: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for f in doc.get("findings", []):
            rel = Path(f["finding"]["path"]).relative_to(tmp)
            hits[int(rel.parts[0])].append((f["rule"]["id"], f["finding"].get("confidence", "low")))
    return [hits[i] for i in range(len(examples))]


def is_generic(rule_id: str) -> bool:
    return "generic" in rule_id.lower()


KINDS = ("positive", "negative", "negative*")


def tally(verdicts: list[tuple[Example, list[tuple[str, str]]]]) -> dict[tuple[str, str], Tally]:
    """Rows per source and kind.  `negative*` is the sanitizer's reading of a negative: an
    example the other scanner wrote as "not provider X's token" (a wrong length, a key too far
    from its keyword) still holds a random value under a credential name, which a generic
    rule rightly redacts; so there a generic finding is not counted against us.  Negatives
    of the other scanner's own generic rules count in full in both rows."""
    out: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for ex, fs in verdicts:
        rows = [("positive", fs)] if ex.positive else [
            ("negative", fs),
            ("negative*", fs if is_generic(ex.rule) else [f for f in fs if not is_generic(f[0])])]
        for kind, got in rows:
            for source in (ex.source, "ALL"):
                t = out[(source, kind)]
                t.n += 1
                t.hit += bool(got)
                t.failing += any(conf in FAILING for _, conf in got)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", default="notes.txt",
                    help="file name each example is scanned as (a neutral one: `example.txt` or a test path "
                         "rightly lowers confidence)")
    ap.add_argument("--source", choices=sorted(SOURCES), action="append", help="only these sources")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed positives")
    ap.add_argument("--fps", action="store_true", help="print every false positive")
    ap.add_argument("--kingfisher", metavar="BIN", help="also score this Kingfisher binary on the same corpus")
    ap.add_argument("--unmasked", action="store_true",
                    help="print examples as written (they are the other projects' public fakes)")
    args = ap.parse_args()

    scanner = Scanner(RuleSet.load(), b"independent")
    show = (lambda t: t) if args.unmasked else masked
    fams: dict[tuple[str, str], Tally] = defaultdict(Tally)
    misses: list[Example] = []
    fps: list[tuple[Example, list]] = []
    examples: list[Example] = []
    ours: list[tuple[Example, list[tuple[str, str]]]] = []
    for name in args.source or sorted(SOURCES):
        repo = MIRRORS[name]
        if not (repo / "HEAD").exists():
            print(f"{name}: no mirror at {repo}; skipped")
            continue
        print(f"{name} {git(repo, 'rev-parse', 'HEAD').strip()}")
        examples.extend(SOURCES[name](repo))
    for ex in examples:
        fs = [f for f in scanner.detect(ContentItem(args.path, ex.text.encode()))
              if f.kind == "secret" and not f.suppressed_by]
        ours.append((ex, [(f.rule, f.confidence) for f in fs]))
        if ex.positive:
            ft = fams[(ex.source, ex.rule)]
            ft.n += 1
            ft.hit += bool(fs)
            if not fs:
                misses.append(ex)
        elif fs:
            fps.append((ex, fs))

    tables = {"reposcrub": tally(ours)}
    if args.kingfisher:
        kf = kingfisher_verdicts(args.kingfisher, examples, Path(args.path).name)
        tables["kingfisher"] = tally(list(zip(examples, kf)))
    print(f"\nscanned as {args.path!r}; positives: found (any confidence) / at high+medium; "
          "negatives: false positive (any) / at high+medium")
    head = "".join(f" {tool + ' any':>16} {'high/med':>9}" for tool in tables)
    print(f"  {'source':12} {'kind':9} {'n':>6}{head}")
    for key in sorted(tables["reposcrub"], key=lambda k: (k[0] == "ALL", k[0], KINDS.index(k[1]))):
        source, kind = key
        t0 = tables["reposcrub"][key]
        cells = "".join(f" {pct(t.hit, t.n):>16} {pct(t.failing, t.n):>9}"
                        for t in (tab[key] for tab in tables.values()))
        print(f"  {source:12} {kind:9} {t0.n:6d}{cells}")
    print("  negative*: generic findings on another scanner's provider-specific negatives not counted "
          "(see tally)")
    fam_found = sum(1 for t in fams.values() if t.hit)
    print(f"  families with at least one example found: {fam_found} of {len(fams)}")
    if args.misses:
        print("\nMISSED POSITIVES")
        for ex in misses[:args.misses]:
            print(f"  {ex.source}/{ex.rule}: {show(ex.text)[:160]!r}")
    if args.fps:
        print("\nFALSE POSITIVES")
        for ex, fs in fps:
            print(f"  {ex.source}/{ex.rule}: {show(ex.text)[:120]!r} -> "
                  + ", ".join(f"{f.rule}/{f.confidence}" for f in fs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
