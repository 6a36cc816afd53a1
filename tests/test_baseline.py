"""Baselines: record today's findings, report only new ones; stable across runs and line moves."""
from __future__ import annotations

import json

from conftest import RepoBuilder, fake, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "baseline-aws")
GH = fake("{{github:ghp}}", "baseline-gh")
NEW = fake("{{github:gho}}", "baseline-new")


def scan(repo: RepoBuilder, *args: str):
    out = run_cli("scan", str(repo.path), "--format", "json", *args)
    assert out.returncode in (0, 1), out.stderr.decode()
    return out.returncode, json.loads(out.stdout)


def test_baseline_round_trip_survives_line_moves_renames_and_history(repo, tmp_path):
    repo.commit({"conf/app.ini": f"key = {AWS}\n", "old.txt": f"t = {GH}\n"}, "legacy secrets")
    repo.commit({"old.txt": None}, "gone from HEAD, still in history")
    base = tmp_path / "baseline.json"
    code, report = scan(repo, "--baseline-out", str(base))
    assert code == 1 and report["summary"]["findings"] == 2
    recorded = json.loads(base.read_text())
    assert recorded["format"] == "reposcrub-baseline"
    assert {r["rule"] for r in recorded["findings"]} == {"aws-access-key-id", "github-token"}
    assert AWS not in base.read_text() and GH not in base.read_text()       # fingerprints, never values

    # the same findings elsewhere: lines above, another file name, another commit
    repo.commit({"conf/app.ini": None, "settings/app.ini": f"# moved\n\n[aws]\nkey = {AWS}\n"}, "move")
    code, report = scan(repo, "--baseline", str(base))
    assert code == 0, report["findings"]
    assert report["summary"]["findings"] == 0
    assert report["summary"]["suppressed_by"] == {"baseline": 2}
    assert report["summary"]["suppressed_by_repo"] == 0

    repo.commit({"new.py": f"T = '{NEW}'\n"}, "a new secret")
    code, report = scan(repo, "--baseline", str(base))
    live = [f for f in report["findings"] if f["action"] != "allowed"]
    assert code == 1 and [(f["path"], f["rule"]) for f in live] == [("new.py", "github-token")]


def test_fingerprints_are_stable_across_runs_and_keyed(repo, tmp_path):
    repo.commit({"a.env": f"AWS={AWS}\n"})
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    scan(repo, "--baseline-out", str(a))
    scan(repo, "--baseline-out", str(b))
    assert a.read_bytes() == b.read_bytes()
    out = run_cli("scan", str(repo.path), "--baseline-out", str(c), env={"REPOSCRUB_FINGERPRINT_KEY": "other"})
    assert out.returncode == 1
    assert json.loads(a.read_text())["findings"][0]["fingerprint"] != json.loads(c.read_text())["findings"][0]["fingerprint"]


def test_rewriting_a_baseline_keeps_what_it_already_held(repo, tmp_path):
    repo.commit({"a.env": f"AWS={AWS}\n"})
    base = tmp_path / "b.json"
    scan(repo, "--baseline-out", str(base))
    repo.commit({"b.env": f"GH={GH}\n"})
    code, _ = scan(repo, "--baseline", str(base), "--baseline-out", str(base))
    assert code == 1
    assert len(json.loads(base.read_text())["findings"]) == 2
    assert scan(repo, "--baseline", str(base))[0] == 0


def test_a_json_report_works_as_a_baseline(repo, tmp_path):
    repo.commit({"a.env": f"AWS={AWS}\n"})
    report = tmp_path / "report.json"
    run_cli("scan", str(repo.path), "--format", "json", "-o", str(report))
    assert scan(repo, "--baseline", str(report))[0] == 0


def test_a_bad_baseline_is_one_line_and_exit_2(repo, tmp_path):
    repo.commit({"a.txt": "a\n"})
    for content, msg in (("not json", b"baseline is not JSON"), ('{"findings": [{}]}', b"not a reposcrub baseline")):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        out = run_cli("scan", str(repo.path), "--baseline", str(bad))
        assert out.returncode == 2 and msg in out.stderr and len(out.stderr.splitlines()) == 1
    out = run_cli("scan", str(repo.path), "--baseline", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and b"baseline not found" in out.stderr
