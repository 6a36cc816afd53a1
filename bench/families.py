"""The README's table of credential families, generated from the rules so it stays true.

    python bench/families.py            # print the table (markdown)
    python bench/families.py --write    # replace it in README.md (between the families markers)
    python bench/families.py --write --accuracy   # also re-measure the accuracy table

A family is one rule file; each row lists what its rules find, and how
(regex, or tree-sitter query with its languages).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reposcrub.ruleset import RuleSet  # noqa: E402

README = ROOT / "README.md"
BLOCKS = {"families": ("<!-- families:begin -->", "<!-- families:end -->"),
          "accuracy": ("<!-- accuracy:begin -->", "<!-- accuracy:end -->")}


def family_table() -> str:
    by_file = defaultdict(list)
    for r in RuleSet.load().rules:
        if r.kind == "secret":
            by_file[Path(r.source).stem].append(r)
    lines = [f"{sum(map(len, by_file.values()))} secret rules in {len(by_file)} families "
             "(`reposcrub rules list` shows them all):", "",
             "| family | rules | how | finds |", "|---|---:|---|---|"]
    for stem, rules in sorted(by_file.items()):
        names = "; ".join(_summary(rules))
        how = " + ".join(sorted({"tree-sitter" if r.query else "regex" for r in rules}))
        lines.append(f"| `{stem}` | {len(rules)} | {how} | {names} |")
    return "\n".join(lines)


def _summary(rules: list) -> list[str]:
    """Rule names, sorted; rules that differ only in a parenthesised detail (named.yaml's
    one rule per key length) are one entry with their count."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rules:
        groups[re.sub(r" \([^()]*\)$", "", r.name) if r.id.startswith("named-") else r.name].append(r.name)
    return [(name if len(full) == 1 else f"{name} ({len(full)} rules by key length)").replace("|", "/")
            for name, full in sorted(groups.items(), key=lambda kv: kv[0].lower())]


def replace_block(text: str, name: str, body: str) -> str:
    begin, end = BLOCKS[name]
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {begin} ... {end} block")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="update README.md in place")
    ap.add_argument("--accuracy", action="store_true", help="with --write: re-measure the accuracy table")
    args = ap.parse_args()
    table = family_table()
    if not args.write:
        print(table)
        return 0
    text = replace_block(README.read_text(), "families", table)
    if args.accuracy:
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "accuracy.py"), "--markdown"],
                             check=True, capture_output=True, text=True).stdout.strip()
        text = replace_block(text, "accuracy", out)
    README.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
