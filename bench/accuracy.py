"""Recall and false-positive rate of the secret rules on our own corpus.

    python bench/accuracy.py                 # summary tables + false findings on real code
    python bench/accuracy.py --by-rule       # one row per rule / generator
    python bench/accuracy.py --misses 20     # show missed positives (fake values, masked anyway)
    python bench/accuracy.py --markdown      # the README `accuracy` section
    python bench/accuracy.py --no-real       # skip the mirrored repositories

Positives are generated (bench/corpus): every rule's example templates with a
fresh seed, as written and moved into 26 file contexts, plus values from
independent format generators in the same contexts.  A positive is *found*
when a secret finding overlaps the planted value; *fails the build* when that
finding is high or medium (what `scan`/`verify` fail on).  Negatives are every
rule's negative examples, the generic stop-list in every context, and the HEAD
of pallets/flask and rails/rails (read with git; only commit ids are recorded).
A negative is a false positive when any finding is reported on it (except a
generic finding on a provider's negative example: see counts_against); the rate
that matters for CI is the high/medium one.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import Sample, negatives, positives, realcode  # noqa: E402
from reposcrub.detect import Scanner  # noqa: E402
from reposcrub.model import ContentItem, Finding  # noqa: E402
from reposcrub.ruleset import RuleSet  # noqa: E402

FAILING = ("high", "medium")


@dataclass
class Tally:
    n: int = 0
    found: int = 0          # positives: any confidence / negatives: any finding
    failing: int = 0        # at high or medium
    examples: list = field(default_factory=list)

    def add(self, hit: bool, fail: bool, note=None) -> None:
        self.n += 1
        self.found += hit
        self.failing += fail
        if note is not None and len(self.examples) < 50:
            self.examples.append(note)


def pct(a: int, n: int) -> str:
    return f"{100.0 * a / n:5.1f}%" if n else "    –"


def secret_findings(scanner: Scanner, path: str, data: bytes) -> list[Finding]:
    return [f for f in scanner.detect(ContentItem(path, data))
            if f.kind == "secret" and not f.suppressed_by]     # an example value is left in place


def family_group(s: Sample, rules_by_id: dict) -> str:
    """Rows of the summary: the rule file a template came from, or the generator."""
    if s.source in ("template", "rule-negative"):
        rule = rules_by_id.get(s.family)
        return Path(rule.source).stem if rule else s.family
    return s.family


def measure_positives(scanner, samples, rules_by_id, by_rule: bool):
    rows: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for s in samples:
        fs = secret_findings(scanner, s.path, s.data)
        lo, hi = s.span
        over = [f for f in fs if f.start < hi and lo < f.end]
        fail = any(f.confidence in FAILING for f in over)
        key = (s.source, s.family if by_rule else family_group(s, rules_by_id))
        rows[key].add(bool(over), fail, None if over else s)
    return rows


def counts_against(s: Sample, f: Finding) -> bool:
    """A provider's negative example is often a wrong-length token under its real name
    (`COHERE_API_KEY=` + 20 characters): not that provider's key, but still a random
    value under a credential name, which the generic rules rightly report."""
    return not (s.source == "rule-negative" and not s.family.startswith("generic")
                and f.rule.startswith("generic"))


def measure_negatives(scanner, samples, rules_by_id, by_rule: bool):
    rows: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for s in samples:
        fs = [f for f in secret_findings(scanner, s.path, s.data) if counts_against(s, f)]
        fail = [f for f in fs if f.confidence in FAILING]
        key = (s.source, s.family if by_rule else family_group(s, rules_by_id))
        rows[key].add(bool(fs), bool(fail), (s, fail) if fail else None)
    return rows


def measure_real(scanner, name: str, repo: Path):
    files, by_conf, flagged, flagged_fail = 0, Counter(), 0, 0
    false: list[tuple[str, Finding]] = []
    t0 = time.time()
    for rf in realcode.head_files(repo):
        files += 1
        fs = secret_findings(scanner, rf.path, rf.data)
        by_conf.update(f.confidence for f in fs)
        flagged += bool(fs)
        flagged_fail += any(f.confidence in FAILING for f in fs)
        false.extend((rf.path, f) for f in fs)
    return {"repo": name, "commit": realcode.head_commit(repo), "files": files, "flagged": flagged,
            "flagged_failing": flagged_fail, "by_confidence": by_conf, "false": false,
            "seconds": time.time() - t0}


def print_rows(title: str, rows, positive: bool) -> None:
    print(f"\n{title}")
    head = ("found", "fails build") if positive else ("FP any", "FP high/med")
    print(f"  {'source':14} {'family':36} {'n':>5} {head[0]:>8} {head[1]:>12}")
    tot: dict[str, Tally] = defaultdict(Tally)
    for (source, fam), t in sorted(rows.items()):
        print(f"  {source:14} {fam[:36]:36} {t.n:5d} {pct(t.found, t.n):>8} {pct(t.failing, t.n):>12}")
        agg = tot[source]
        agg.n += t.n
        agg.found += t.found
        agg.failing += t.failing
    for source, t in sorted(tot.items()):
        print(f"  {source:14} {'ALL':36} {t.n:5d} {pct(t.found, t.n):>8} {pct(t.failing, t.n):>12}")


def totals(rows) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for (source, _), t in rows.items():
        out[source].n += t.n
        out[source].found += t.found
        out[source].failing += t.failing
    return out


def markdown(pos, neg, real, seed: str) -> str:
    p, n = totals(pos), totals(neg)
    lines = ["| corpus | samples | found (any confidence) | found at high/medium |",
             "|---|---:|---:|---:|"]
    for source, label in (("template", "positives: rule examples in 26 file contexts"),
                          ("independent", "positives: independent format generators")):
        t = p.get(source, Tally())
        lines.append(f"| {label} | {t.n} | {pct(t.found, t.n).strip()} | {pct(t.failing, t.n).strip()} |")
    lines += ["", "| negatives | samples | false positive (any) | false positive at high/medium |",
              "|---|---:|---:|---:|"]
    for source, label in (("rule-negative", "every rule's negative examples"),
                          ("stop-list", "generic stop-list values under credential names")):
        t = n.get(source, Tally())
        lines.append(f"| {label} | {t.n} | {pct(t.found, t.n).strip()} | {pct(t.failing, t.n).strip()} |")
    for r in real:
        c = r["by_confidence"]
        lines.append(f"| {r['repo']} HEAD `{r['commit'][:12]}` ({r['files']} files) | {r['files']} | "
                     f"{pct(r['flagged'], r['files']).strip()} ({sum(c.values())} findings: "
                     f"{c.get('high', 0)} high, {c.get('medium', 0)} medium, {c.get('low', 0)} low) | "
                     f"{pct(r['flagged_failing'], r['files']).strip()} |")
    lines += ["", "| family | positives | found | at high/medium | negative examples | FP at high/medium |",
              "|---|---:|---:|---:|---:|---:|"]
    fams = sorted({fam for (source, fam) in pos if source == "template"})
    for fam in fams:
        t, nt = pos[("template", fam)], neg.get(("rule-negative", fam), Tally())
        lines.append(f"| `{fam}` (rule examples) | {t.n} | {pct(t.found, t.n).strip()} | "
                     f"{pct(t.failing, t.n).strip()} | {nt.n} | {pct(nt.failing, nt.n).strip()} |")
    for label, group in (("provider formats", "provider"), ("generic credentials", "generic")):
        t = Tally()
        for (source, fam), x in pos.items():
            if source == "independent" and (fam.startswith("generic")) == (group == "generic"):
                t.n, t.found, t.failing = t.n + x.n, t.found + x.found, t.failing + x.failing
        lines.append(f"| {label} (independent generators) | {t.n} | {pct(t.found, t.n).strip()} | "
                     f"{pct(t.failing, t.n).strip()} | | |")
    lines.append("")
    lines.append(f"Measured with `python bench/accuracy.py --markdown` (seed `{seed}`); false positives "
                 "on real code are counted per file.")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default="accuracy-1")
    ap.add_argument("--by-rule", action="store_true", help="one row per rule/generator")
    ap.add_argument("--misses", type=int, default=0, help="show this many missed positives")
    ap.add_argument("--no-real", action="store_true", help="skip the mirrored repositories")
    ap.add_argument("--all-real", action="store_true", help="list low-confidence false findings too")
    ap.add_argument("--markdown", action="store_true", help="print the README accuracy section")
    args = ap.parse_args()

    ruleset = RuleSet.load()
    rules = [r for r in ruleset.rules if r.kind == "secret"]
    by_id = {r.id: r for r in rules}
    scanner = Scanner(ruleset, b"accuracy")
    t0 = time.time()
    pos = measure_positives(scanner, positives(rules, args.seed), by_id, args.by_rule)
    neg = measure_negatives(scanner, negatives(rules, args.seed), by_id, args.by_rule)
    t_gen = time.time() - t0
    real = [] if args.no_real else [measure_real(scanner, name, p) for name, p in realcode.available().items()]

    if args.markdown:
        print(markdown(pos, neg, real, args.seed))
        return 0
    print(f"{len(rules)} secret rules; corpus built and scanned in {t_gen:.1f}s")
    print_rows("POSITIVES (recall)", pos, True)
    print_rows("NEGATIVES (false positives)", neg, False)
    for (source, fam), t in sorted(neg.items()):
        for s, fs in t.examples[:3]:
            print(f"    FP {fam} [{s.context}] {s.path}: " + ", ".join(f"{f.rule}/{f.confidence} {f.preview}" for f in fs))
    if args.misses:
        shown = 0
        print("\nMISSED POSITIVES")
        for (source, fam), t in sorted(pos.items()):
            for s in t.examples:
                if shown >= args.misses:
                    break
                shown += 1
                line_start = s.data.rfind(b"\n", 0, s.span[0]) + 1
                line_end = s.data.find(b"\n", s.span[1])
                from reposcrub.masking import mask
                line = (s.data[line_start:s.span[0]] + mask(s.data[s.span[0]:s.span[1]]).encode()
                        + s.data[s.span[1]:line_end if line_end >= 0 else None])
                print(f"  {source}/{fam} [{s.context}] {s.path}: {line.decode('utf-8', 'replace')[:140]}")
    for r in real:
        c = r["by_confidence"]
        print(f"\nREAL CODE {r['repo']} HEAD {r['commit']}: {r['files']} files in {r['seconds']:.1f}s, "
              f"{r['flagged']} flagged ({pct(r['flagged'], r['files']).strip()}), "
              f"{r['flagged_failing']} at high/medium; findings: {dict(c)}")
        for path, f in r["false"]:
            if f.confidence in FAILING or args.all_real:
                print(f"    {f.confidence:6} {f.rule:32} {path}:{f.line}  {f.preview}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
