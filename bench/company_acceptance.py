"""Acceptance check for company identifiers on a real repository, as issue 3 will check it.

    python bench/company_acceptance.py /work/.mirror/pallets+flask/repo [--seed N]

Clones REPO into a temp dir and plants a fictitious company with a name made up
for this run (unless --seed): a proprietary header and identifiers in every
spelling appended to existing files, internal hosts, URLs and emails in a config
file, a pure-Python package named after the codename with its own test and an
importer, a JavaScript module and its importer.  Then runs `reposcrub scrub`
with the company's profile and prints:
  * company terms left in the snapshot, in contents or paths, in any spelling
    (case-insensitive, separators ignored)                         -- must be 0
  * files that had nothing planted but differ from HEAD, and how many of them
    because of a company term                                        -- must be 0
    (the others hold the repository's own private addresses or secrets)
  * Python files that no longer compile                             -- must be 0
  * the planted package's own tests, run inside the snapshot        -- must pass
  * the planted JavaScript importer, run with node (when installed) -- must pass
Exit 1 if any of these fails.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, GIT_AUTHOR_NAME="Plant", GIT_AUTHOR_EMAIL="plant@example.com",
           GIT_COMMITTER_NAME="Plant", GIT_COMMITTER_EMAIL="plant@example.com")
SYLLABLES = ["zor", "vex", "qui", "ntar", "bel", "dra", "mox", "ily", "tes", "kra", "lun", "pho", "rix", "gal"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True,
                          capture_output=True).stdout.decode("utf-8", "surrogateescape")


def made_up(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def company(rng: random.Random, repo: Path) -> dict:
    """A company whose words occur nowhere in the repository yet."""
    while True:
        first, second, code = made_up(rng, 2), made_up(rng, 2), made_up(rng, 3)
        words = [first.lower(), second.lower(), code.lower()]
        if not any(subprocess.run(["git", "grep", "-qi", w], cwd=repo).returncode == 0 for w in words):
            ticket = (first[:2] + second[:1]).upper()
            return {"name": f"{first} {second}", "first": first, "second": second, "code": code,
                    "domain": f"{first}{second}.io".lower(), "internal": f"{first.lower()}.corp", "ticket": ticket}


def spellings(c: dict) -> list[str]:
    a, b = c["first"], c["second"]
    return [f"{a} {b}", f"{a}{b}", f"{a.lower()}{b}", f"{a.lower()}_{b.lower()}", f"{a.upper()}_{b.upper()}",
            f"{a.lower()}-{b.lower()}", f"{a.lower()}{b.lower()}", f"{a.upper()}{b.upper()}", f"{a}.{b}"]


def plant(repo: Path, c: dict) -> set[str]:
    """Write the company into the clone and commit; returns the paths planted in."""
    code, low = c["code"], c["code"].lower()
    pyname = f"{c['first']}{c['second']}"
    snake = f"{c['first'].lower()}_{c['second'].lower()}"
    files: dict[str, str] = {
        f"{low}/__init__.py": (f"# Copyright (c) 2024 {c['name']} Inc. All rights reserved.\n"
                               f"# Proprietary and confidential.\n"
                               f'"""{code}: internal tooling of {c["name"]} ({c["ticket"]}-1234)."""\n'
                               f"from {low}.core import {pyname}Client, get_{snake}_url\n"),
        f"{low}/core.py": (f'{snake.upper()}_URL = "https://api.{c["domain"]}/v1"\n'
                           f'{code.upper()}_DB = "db01.{c["internal"]}"\n'
                           f'CACHE = "10.77.3.21"\nOWNER = "jane.doe@{c["domain"]}"\n\n\n'
                           f"class {pyname}Client:\n    def __init__(self, base={snake.upper()}_URL):\n"
                           f"        self.base = base\n\n\n"
                           f"def get_{snake}_url(path):\n    return {snake.upper()}_URL + '/' + path\n"),
        f"{low}/{low}_utils.py": f"from {low} import core\n\n\ndef twice(p):\n    return core.get_{snake}_url(p) * 2\n",
        f"{low}_tests/test_{low}.py": (f"import {low}\nfrom {low}.{low}_utils import twice\n\n\n"
                                       f"def test_{low}():\n    assert {low}.get_{snake}_url('x').endswith('/x')\n"
                                       f"    assert twice('a').endswith('/v1/a')\n"
                                       f"    assert {low}.{pyname}Client().base.startswith('https://')\n"),
        f"web/{low}-client.mjs": (f"export const URL = 'https://{low}.{c['domain']}';\n"
                                  f"export function who() {{ return '{c['first'].lower()}-{c['second'].lower()}'; }}\n"),
        f"web/{low}-main.mjs": f"import {{ who }} from './{low}-client.mjs';\nconsole.log(who());\n",
        f"config/{low}.yaml": (f"api: https://api.{c['domain']}\ndb: db01.{c['internal']}\n"
                               f"replica: 172.20.9.4\nremote: git@git.{c['internal']}:tools/{low}.git\n"
                               f"owner: ops@{c['domain']}\nticket: {c['ticket']}-77\n"),
    }
    for rel, text in files.items():
        p = repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    touched = set(files)
    readme = next((p for p in ("README.md", "README.rst", "README") if (repo / p).is_file()), None)
    if readme:
        with open(repo / readme, "a") as fh:
            fh.write("\n" + " / ".join(spellings(c)) + f" ({c['ticket']}-42)\n")
        touched.add(readme)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{c['ticket']}-1: {c['name']} {code}")
    return touched


def leaks(dest: Path, c: dict) -> list[str]:
    keys = [f"{c['first']}{c['second']}".lower(), c["first"].lower(), c["code"].lower()]
    squash = re.compile(rb"[\s_.\-/:@'\"]+")
    out = []
    for f in sorted(p for p in dest.rglob("*") if p.is_file()):
        rel = f.relative_to(dest).as_posix()
        for blob in (rel.encode(), f.read_bytes()):
            low = squash.sub(b"", blob.lower())
            out += [f"{rel}: {k}" for k in keys if k.encode() in low]
            if re.search(rf"(?<![a-z0-9]){c['ticket'].lower()}-[0-9]".encode(), blob.lower()):
                out.append(f"{rel}: ticket key")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--seed", default=None)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        work = tmp_p / "repo"
        git(tmp_p, "clone", "-q", args.repo, str(work))
        c = company(rng, work)
        before = {p: (work / p).read_bytes() for p in git(work, "ls-files", "-z").split("\0")
                  if p and (work / p).is_file() and not (work / p).is_symlink()}
        touched = plant(work, c)
        profile = tmp_p / "company.toml"
        profile.write_text(f'[company]\nnames = ["{c["name"]}", "{c["first"]}"]\n'
                           f'domains = ["{c["domain"]}", "{c["internal"]}"]\ncodenames = ["{c["code"]}"]\n'
                           f'ticket_prefixes = ["{c["ticket"]}"]\n')
        dest = tmp_p / "share"
        t0 = time.time()
        res = subprocess.run([sys.executable, "-m", "reposcrub", "scrub", str(work), "--out", str(dest),
                              "--profile", str(profile), "--no-history", "-q"],
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True)
        took = time.time() - t0
        if res.returncode != 0:
            print(res.stderr.decode())
            return 1
        report = json.loads((tmp_p / "share.report.json").read_text())
        moved = {f["path"]: f["to"] for f in report["files"] if f.get("to")}
        left = leaks(dest, c)
        changed = [p for p, data in before.items() if p not in touched
                   and (not (dest / moved.get(p, p)).is_file() or (dest / moved.get(p, p)).read_bytes() != data)]
        broken = []
        for f in dest.rglob("*.py"):
            try:
                compile(f.read_bytes(), str(f), "exec")
            except SyntaxError as exc:
                broken.append(f"{f.relative_to(dest)}: {exc}")
        low = c["code"].lower()
        new_tests = moved.get(f"{low}_tests/test_{low}.py", "")
        ini = tmp_p / "pytest.ini"         # the repository's own pytest config may need its plugins
        ini.write_text("[pytest]\n")
        test = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(dest),
                               "-c", str(ini), new_tests], cwd=dest, capture_output=True,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(dest)})
        node = shutil.which("node")
        js = subprocess.run([node, moved.get(f"web/{low}-main.mjs", "")], cwd=dest, capture_output=True) if node else None
        print(f"company: {c['name']} / {c['code']} / {c['domain']} / {c['ticket']}-  "
              f"scrub took {took:.1f}s, {len(before)} files in HEAD")
        print(f"renamed: {len(moved)}  mappings: {sum(len(v) for v in report['mappings'].values())}")
        print(f"company terms left in the snapshot: {len(left)}")
        for line in left[:20]:
            print("   ", line)
        kinds: dict[str, set[str]] = {}
        for f in report["findings"]:
            if f["origin"] == "head" and f["action"] in ("replace", "redact", "remove-header"):
                kinds.setdefault(f["path"], set()).add(f["kind"])
        by_company = [p for p in changed if "identifier" in kinds.get(p, set())]
        print(f"unplanted files changed: {len(changed)} (by a company term: {len(by_company)}; the rest hold "
              "the repository's own hosts and secrets)")
        for p in changed[:20]:
            print("   ", p, ", ".join(sorted(kinds.get(p, {"?"}))))
        print(f"python files that do not compile: {len(broken)}")
        print(f"planted package's tests in the snapshot: {'pass' if test.returncode == 0 else 'FAIL'}")
        if test.returncode:
            print(test.stdout.decode()[-2000:], test.stderr.decode()[-2000:])
        if js is not None:
            print(f"planted JS module imports: {'pass' if js.returncode == 0 else 'FAIL ' + js.stderr.decode()[:300]}")
        ok = not left and not by_company and not broken and test.returncode == 0 and (js is None or js.returncode == 0)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
