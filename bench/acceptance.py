"""Acceptance check on a real repository: plant fresh fake secrets, scrub, look for leaks.

    python bench/acceptance.py /work/.mirror/pallets+flask/repo [--seed N]

Clones REPO into a temp dir, plants one generated value per secret rule
example (new random values each run unless --seed) -- half appended to
existing text files in HEAD, half committed and then deleted so they live
only in history -- runs `reposcrub scrub`, and prints:
  * planted values found in the snapshot or the report (must be 0),
  * history-only values missing from the report or attributed to the wrong commit (must be 0),
  * files that had nothing planted but differ from HEAD (must be 0).
Exit 1 if any of these is non-zero.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from planting import ROOT, cleanup, clone, git, reposcrub, tail, tracked, unplanted_changes

sys.path.insert(0, str(ROOT))

from reposcrub.detect.engine import Engine  # noqa: E402
from reposcrub.examplegen import expand  # noqa: E402
from reposcrub.ruleset import RuleSet  # noqa: E402


def planted_values(seed: str) -> list[tuple[str, str, bytes]]:
    """(rule id, example line, the value the rule must replace) for every secret example."""
    rules = [r for r in RuleSet.load().rules if r.kind == "secret" and r.pattern]
    engine = Engine(rules)
    out = []
    for r in rules:
        for i, ex in enumerate(r.examples):
            if not isinstance(ex, str):
                continue
            text = expand(ex, f"{seed}-{r.id}-{i}")
            hits = [h for h in engine.scan(text.encode()) if h.rule.id == r.id]
            if hits:
                out.append((r.id, text, text.encode()[hits[0].start:hits[0].end]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--seed", default=str(random.SystemRandom().random()))
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp, work = clone(args.repo, "reposcrub-accept-")
    values = planted_values(args.seed)
    rng.shuffle(values)
    head_part, hist_part = values[: len(values) // 2], values[len(values) // 2:]
    text_files = [p for p in tracked(work)
                  if p.endswith((".py", ".md", ".rst", ".txt", ".cfg", ".toml", ".yml", ".yaml", ".rb", ".js"))]
    touched: set[str] = set()
    where: dict[bytes, str] = {}
    for rule_id, line, value in head_part:
        target = rng.choice(text_files)
        where[value] = target
        with open(work / target, "a", encoding="utf-8") as fh:
            fh.write("\n" + line + "\n")
        touched.add(target)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "plant HEAD secrets")
    hist_commits: dict[bytes, str] = {}
    for n, (rule_id, line, value) in enumerate(hist_part):
        name = f"tmp_plant/{rng.randrange(10**6)}_{n}.cfg"
        (work / "tmp_plant").mkdir(exist_ok=True)
        (work / name).write_text(line + "\n")
        git(work, "add", name)
        git(work, "commit", "-q", "-m", f"add {n}")
        hist_commits[value] = git(work, "rev-parse", "HEAD").strip()
        git(work, "rm", "-q", name)
        git(work, "commit", "-q", "-m", f"remove {n}")
    dest = tmp / "snapshot"
    proc, elapsed = reposcrub("scrub", str(work), "--out", str(dest), "-q")
    if proc.returncode != 0:
        print("scrub failed:", tail(proc))
        return 1
    report_text = (tmp / "snapshot.report.json").read_bytes()
    report = json.loads(report_text)
    snapshot = b"".join(p.read_bytes() + p.name.encode() for p in sorted(dest.rglob("*")) if p.is_file())
    leaked = [(rid, line, v) for rid, line, v in values
              if v in snapshot or v in report_text or v in proc.stdout + proc.stderr]
    leaks = [rid for rid, _, _ in leaked]
    hist = {(f["blob"], f["commit"]) for f in report["findings"] if f["origin"] == "history"}
    hist_by_commit = {c for _, c in hist}
    missed = [rid for rid, _, v in hist_part if hist_commits[v] not in hist_by_commit]
    changed = unplanted_changes(work, dest, report, touched)
    print(f"repo {args.repo} seed {args.seed}")
    print(f"planted {len(head_part)} in HEAD ({len(touched)} files), {len(hist_part)} only in history")
    print(f"scrub took {elapsed:.1f} s; findings {report['summary']['findings']}")
    print(f"leaked values: {len(leaks)} {sorted(set(leaks))[:20]}")
    for rid, line, v in leaked:   # fake values: printing them is the point of a leak report
        print(f"    {rid} in {where.get(v, 'history')}: {line!r}")
    print(f"history-only values not reported with their commit: {len(missed)} {sorted(set(missed))[:20]}")
    print(f"untouched files changed or lost: {len(changed)}")
    for c in changed[:20]:
        print("   ", *c)
    cleanup(tmp, args.keep)
    return 1 if leaks or missed or changed else 0


if __name__ == "__main__":
    sys.exit(main())
