"""Header removal, tested with twins: tests/fixtures/headers/<case>/input beside expected.

Each case's input files become a real git repository, `reposcrub scrub` runs on it as a
user would (with the case's profile.toml, if any), and the snapshot must equal
`expected/` byte for byte.  Regenerate expectations only on purpose, and read the diff:

    REPOSCRUB_REGEN=1 pytest tests/detect/test_headers.py
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import RepoBuilder, run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "headers"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input").is_dir())
REGEN = os.environ.get("REPOSCRUB_REGEN") == "1"


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_repo(case: str, dest: Path) -> RepoBuilder:
    repo = RepoBuilder(dest)
    src = FIXTURES / case / "input"
    repo.write({name: data for name, data in read_tree(src).items()})
    for name in read_tree(src):
        if os.access(src / name, os.X_OK):
            (dest / name).chmod(0o755)
    repo.commit({}, f"import {case}")
    return repo


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory) -> dict[str, Path]:
    """Every case scrubbed once (a module fixture: one CLI run per case)."""
    out: dict[str, Path] = {}
    for case in CASES:
        base = tmp_path_factory.mktemp(case)
        repo = build_repo(case, base / "repo")
        profile = FIXTURES / case / "profile.toml"
        args = ["--profile", str(profile)] if profile.exists() else []
        res = run_cli("scrub", str(repo.path), "--out", str(base / "out"), "-q", "--no-history", *args)
        assert res.returncode == 0, res.stderr.decode()
        out[case] = base / "out"
    return out


@pytest.mark.parametrize("case", CASES)
def test_snapshot_matches_expected(case, scrubbed):
    got = read_tree(scrubbed[case])
    expected_dir = FIXTURES / case / "expected"
    if REGEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(scrubbed[case], expected_dir)
        pytest.skip("expectations regenerated: review the diff")
    expected = read_tree(expected_dir)
    assert sorted(got) == sorted(expected), "files added or lost"
    for name in expected:
        assert got[name] == expected[name], f"{case}/{name} differs from expected"


@pytest.mark.parametrize("case", CASES)
def test_snapshot_still_parses(case, scrubbed):
    for name, data in read_tree(scrubbed[case]).items():
        if name.endswith(".py"):
            compile(data, name, "exec")
        elif name.endswith((".yaml", ".yml")):
            yaml.safe_load(data)
        elif name.endswith(".json"):
            json.loads(data)


@pytest.mark.parametrize("case", CASES)
def test_snapshot_verifies_clean(case, scrubbed):
    profile = FIXTURES / case / "profile.toml"
    args = ["--profile", str(profile)] if profile.exists() else []
    res = run_cli("verify", str(scrubbed[case]), "--format", "json", *args)
    assert res.returncode == 0, res.stdout.decode()[:2000]


def test_third_party_open_source_headers_are_untouched(scrubbed):
    assert read_tree(scrubbed["third_party"]) == read_tree(FIXTURES / "third_party" / "input")


def test_the_company_goes_from_an_open_source_header_but_other_holders_stay(scrubbed):
    out = read_tree(scrubbed["profile_company"])
    text = b"".join(out.values()).lower()
    assert b"acme" not in text
    assert b"Copyright (c) 2015 Jane Doe" in out["src/mit_mixed.js"]
    assert b"Permission is hereby granted" in out["src/mit_mixed.js"]
    assert out["src/third.py"] == (FIXTURES / "profile_company/input/src/third.py").read_bytes()
    assert out["src/other.go"].startswith(b"// Copyright 2019 John Smith")


def test_report_counts_one_finding_per_notice_and_marks_files_modified(scrubbed, tmp_path):
    report = json.loads((scrubbed["python"].parent / "out.report.json").read_text())
    headers = [f for f in report["findings"] if f["kind"] == "header"]
    by_path: dict[str, int] = {}
    for f in headers:
        assert f["action"] == "remove-header"
        by_path[f["path"]] = by_path.get(f["path"], 0) + 1
    assert by_path == {"tool.py": 2, "pkg/__init__.py": 1, "pkg/only_doc.py": 1, "pkg/docfirst.py": 2}
    status = {f["path"]: f["status"] for f in report["files"]}
    assert status["pkg/plain.py"] == "kept" and status["tool.py"] == "modified"
