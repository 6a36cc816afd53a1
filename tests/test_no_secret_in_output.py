"""No secret in any output.

Every secret rule's examples are planted in HEAD, again (other values) in
history only, in commit messages and in a file name; then every command a
user runs — scan in each format to stdout and to a file, scrub to each
snapshot format, verify — runs with --verbose, and every byte it produced
(stdout, stderr, reports, snapshot contents, archives unpacked) is searched
for every planted value.  None may appear: the report shows masked previews,
the snapshot placeholders.
"""
from __future__ import annotations

import gzip
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import git, run_cli
from reposcrub.detect.examples import example_path
from reposcrub.examplegen import expand
from reposcrub.model import Example
from reposcrub.rule_tools import ExampleRunner
from reposcrub.ruleset import RuleSet

SECRET_RULES = [r for r in RuleSet.load().rules if r.kind == "secret"]
RUNNER = ExampleRunner(SECRET_RULES, both_backends=False)


def planted(seed: str) -> list[tuple[str, str, list[str]]]:
    """(file path, file text, the values in it a scan must find) for every example."""
    out = []
    for rule in SECRET_RULES:
        for i, ex in enumerate(rule.examples):
            text = expand(ex, f"{seed}-{rule.id}-{i}")
            values, why = RUNNER.matches(rule, text, getattr(ex, "lang", None))
            if values and not why:
                name = example_path(rule, Example(text, getattr(ex, "lang", None)))
                out.append((f"{rule.id}/{i}/{name}", text + "\n", values))
    return out


def needles(values: list[str]) -> set[bytes]:
    """A value, and each long line of a multi-line one (a key's body lines)."""
    out = set()
    for v in values:
        out.add(v.encode())
        out.update(line.strip().encode() for line in v.splitlines() if len(line.strip()) >= 20)
    return out


def unpacked(path: Path) -> list[bytes]:
    """Every byte an output holds: a directory's files, an archive's members."""
    if path.is_dir():
        return [p.read_bytes() for p in path.rglob("*") if p.is_file()] + [str(p).encode() for p in path.rglob("*")]
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as tar:
            return [gzip.decompress(path.read_bytes())] + [
                tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            return [zf.read(i) for i in zf.infolist()] + [i.filename.encode() for i in zf.infolist()]
    return [path.read_bytes()]


@pytest.fixture(scope="module")
def planted_repo(tmp_path_factory):
    from conftest import RepoBuilder
    repo = RepoBuilder(tmp_path_factory.mktemp("leak") / "repo")
    head, past = planted("head"), planted("past")
    assert len(head) >= len(SECRET_RULES), "most secret rules have a usable example"
    repo.commit({path: text for path, text, _ in past}, "old config")
    repo.commit({path: None for path, _, _ in past}, "remove old config")
    token = next(v for p, _, vals in head for v in vals if p.startswith("github-token"))
    repo.commit({path: text for path, text, _ in head} | {f"backup-{token}.txt": "x\n"},
                f"config\n\nrotated {past[0][2][0]} for now")
    values = needles([v for _, _, vals in head + past for v in vals])
    return repo, values


def test_no_planted_value_in_any_output(planted_repo, tmp_path):
    repo, values = planted_repo
    out = tmp_path / "out"
    out.mkdir()
    runs = []
    for fmt, to_file in (("table", False), ("json", True), ("jsonl", False), ("sarif", True)):
        where = ["-o", str(out / f"scan.{fmt}")] if to_file else []
        runs.append(run_cli("scan", str(repo.path), "--format", fmt, "--verbose", *where))
    for dest, fmt in (("snap", "table"), ("snap.tar.gz", "json"), ("snap.zip", "sarif")):
        runs.append(run_cli("scrub", str(repo.path), "--out", str(out / dest), "--verbose"))
        runs.append(run_cli("verify", str(out / dest), "--verbose", "--format", fmt))
    runs.append(run_cli("scrub", str(repo.path), "--out", str(out / "wt"), "--worktree", "--verbose"))
    for proc in runs:
        assert proc.returncode in (0, 1), proc.stderr.decode()
        assert b"Traceback" not in proc.stderr
    assert any(p.returncode == 1 for p in runs), "the scans found the planted values"
    blobs = [b for p in runs for b in (p.stdout, p.stderr)]
    for p in sorted(out.iterdir()):
        blobs.extend(unpacked(p))
    leaks = sorted({v.decode()[:12] + "…" for v in values for b in blobs if v in b})
    assert not leaks, f"{len(leaks)} planted value(s) leaked, starting {leaks[:5]}"


def test_error_messages_do_not_quote_input(planted_repo, tmp_path):
    """A failing run (bad profile, unreadable report path) names the problem, not the content."""
    repo, values = planted_repo
    bad = tmp_path / "profile.toml"
    bad.write_text("[company\nnames = " + next(iter(values)).decode()[:40] + "\n")
    runs = [run_cli("scan", str(repo.path), "--profile", str(bad)),
            run_cli("scrub", str(repo.path), "--out", str(tmp_path / "missing" / "snap"))]
    for proc in runs:
        assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1
    assert not any(v in p.stderr + p.stdout for v in values for p in runs)
