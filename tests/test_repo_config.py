"""A repository's own config may add rules and allowances, but cannot quietly hide a secret."""
from __future__ import annotations

import json

import yaml

from conftest import RepoBuilder, fake, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "repo-config-aws")
GH = fake("{{github:ghp}}", "repo-config-gh")
TEAM = fake("zzteam_{{lowerdigits:24}}", "repo-config-team")
TEAM_RULE = {"id": "zz-team-token", "name": "Team token", "keywords": ["zzteam_"],
             "pattern": r"\b(zzteam_[a-z0-9]{24})\b", "group": 1,
             "examples": ["t = zzteam_{{lowerdigits:24}}"], "negative_examples": ["zzteam_short"]}


def report_of(out) -> dict:
    assert out.returncode in (0, 1), out.stderr.decode()
    return json.loads(out.stdout)


def hostile(repo: RepoBuilder) -> RepoBuilder:
    repo.commit({
        ".reposcrub.toml": 'disabled_rules = ["github-token"]\n[allowlist]\npaths = ["config/**"]\n',
        "config/prod.env": f"AWS_ACCESS_KEY_ID={AWS}\n",
        "app.py": f"TOKEN = '{GH}'\n",
        "notes.md": f"key {AWS} <!-- reposcrub:allow -->\n",
    }, "a repo that allows its own secrets")
    return repo


def test_scan_honours_the_repos_allowances_but_counts_and_lists_them(repo):
    hostile(repo)
    out = run_cli("scan", str(repo.path), "--format", "json")
    report = report_of(out)
    assert out.returncode == 0                                  # the repo's choice, in its own scan
    s = report["summary"]
    assert s["findings"] == 0 and s["suppressed"] == 3 and s["suppressed_by_repo"] == 3
    assert s["suppressed_by"] == {"inline": 1, "repo-allowlist:path": 1, "repo-disabled-rule": 1}
    listed = {(f["path"], f["repo_allowed"]) for f in report["repo_suppressions"]}
    assert listed == {("config/prod.env", "repo-allowlist:path"), ("app.py", "repo-disabled-rule"),
                      ("notes.md", "inline")}
    assert AWS not in out.stdout.decode() and GH not in out.stdout.decode()


def test_the_console_summary_says_the_repo_suppressed_findings(repo):
    hostile(repo)
    out = run_cli("scan", str(repo.path), "--format", "table")
    assert b"suppressed: 3 (3 by the repository's own config" in out.stdout


def test_scrub_redacts_what_only_the_repo_allows(repo, tmp_path):
    hostile(repo)
    dest = tmp_path / "share"
    out = run_cli("scrub", str(repo.path), "--out", str(dest))
    assert out.returncode == 0, out.stderr.decode()
    snapshot = b"".join(p.read_bytes() for p in dest.rglob("*") if p.is_file())
    assert AWS.encode() not in snapshot and GH.encode() not in snapshot
    report = json.loads((tmp_path / "share.report.json").read_text())
    assert report["summary"]["suppressed"] == 0
    assert len(report["repo_suppressions"]) == 3
    assert all(f["action"] == "redact" for f in report["repo_suppressions"])
    assert b"redacted anyway" in out.stdout


def test_scrub_keeps_what_the_users_own_profile_allows(repo, tmp_path):
    repo.commit({"tests/fixture.py": f"FAKE = '{GH}'\n"})
    prof = tmp_path / "mine.toml"
    prof.write_text('[allowlist]\npaths = ["tests/**"]\n')
    dest = tmp_path / "share"
    assert run_cli("scrub", str(repo.path), "--out", str(dest), "--profile", str(prof)).returncode == 0
    assert (dest / "tests/fixture.py").read_text() == f"FAKE = '{GH}'\n"


def test_repo_rules_add_detection_but_cannot_replace_a_builtin(repo, tmp_path):
    weak_aws = {"id": "aws-access-key-id", "name": "neutered", "pattern": "never-matches-anything",
                "keywords": ["never"], "examples": ["never-matches-anything"], "negative_examples": ["x"]}
    repo.commit({".reposcrub.toml": 'rules = ["rules/team.yaml", "../outside.yaml"]\n',
                 "rules/team.yaml": yaml.safe_dump([TEAM_RULE, weak_aws]),
                 "svc.env": f"TEAM={TEAM}\nAWS={AWS}\n"})
    report = report_of(run_cli("scan", str(repo.path), "--format", "json"))
    assert {f["rule"] for f in report["findings"]} == {"zz-team-token", "aws-access-key-id"}
    notes = " ".join(report["notes"])
    assert "rule aws-access-key-id ignored" in notes
    assert "../outside.yaml ignored" in notes or "outside.yaml ignored" in notes


def test_user_rules_dir_and_disable(repo, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "team.yaml").write_text(yaml.safe_dump([TEAM_RULE]))
    repo.commit({"svc.env": f"TEAM={TEAM}\nAWS={AWS}\n"})
    found = lambda *a: {f["rule"] for f in report_of(run_cli("scan", str(repo.path), "--format", "json", *a))["findings"]}
    assert found() == {"aws-access-key-id"}
    assert found("--rules", str(rules)) == {"aws-access-key-id", "zz-team-token"}
    assert found("--rules", str(rules), "--disable", "aws-access-key-id") == {"zz-team-token"}
    prof = tmp_path / "p.toml"
    prof.write_text(f'rules = ["{rules}"]\ndisabled_rules = ["zz-team-token"]\n')
    assert found("--profile", str(prof)) == {"aws-access-key-id"}


def test_a_snapshot_report_never_uses_the_repos_own_fingerprint_key(repo, tmp_path):
    """The key would travel inside the snapshot, letting its reader test password guesses."""
    repo.commit({".reposcrub.toml": '[report]\nfingerprint_key = "known-to-everyone"\n',
                 "a.env": f"AWS={AWS}\n"})
    scan = report_of(run_cli("scan", str(repo.path), "--format", "json", env={"REPOSCRUB_FINGERPRINT_KEY": "mine"}))
    assert run_cli("scrub", str(repo.path), "--out", str(tmp_path / "s"),
                   env={"REPOSCRUB_FINGERPRINT_KEY": "mine"}).returncode == 0
    scrub = json.loads((tmp_path / "s.report.json").read_text())
    fp = lambda r: {f["fingerprint"] for f in r["findings"]}   # noqa: E731
    assert fp(scan) != fp(scrub)
    from reposcrub.masking import fingerprint
    assert fp(scrub) == {fingerprint("aws-access-key-id", AWS.encode(), b"mine")}
    assert any("fingerprint_key is not used" in n for n in scrub["notes"])
