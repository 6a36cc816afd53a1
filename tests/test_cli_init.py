"""`reposcrub init`: a starter profile that loads, explains itself, and never clobbers."""
from __future__ import annotations

import tomllib

from conftest import RepoBuilder, git, run_cli


def test_writes_a_commented_profile_that_loads_and_scans(tmp_path):
    target = tmp_path / "acme.toml"
    res = run_cli("init", str(target), "--name", "Acme Widgets", "--domain", "acmewidgets.com",
                  "--codename", "Roadrunner", "--ticket-prefix", "ACME", "--repo", str(tmp_path))
    assert res.returncode == 0, res.stderr.decode()
    text = target.read_text()
    assert text.count("\n#") > 20                       # every field is explained where it is
    company = tomllib.loads(text)["company"]
    assert company["names"] == ["Acme Widgets"] and company["domains"] == ["acmewidgets.com"]
    assert company["codenames"] == ["Roadrunner"] and company["ticket_prefixes"] == ["ACME"]
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit({"a.py": "class AcmeWidgetsClient: pass\n"})
    scan = run_cli("scan", str(repo.path), "--profile", str(target), "--format", "json", "--no-history")
    assert scan.returncode == 1 and b"company-name" in scan.stdout


def test_default_name_in_a_directory_and_no_overwrite_without_force(tmp_path):
    assert run_cli("init", str(tmp_path), "--repo", str(tmp_path)).returncode == 0
    target = tmp_path / ".reposcrub.toml"
    assert target.is_file()
    target.write_text("# mine\n")
    res = run_cli("init", str(tmp_path), "--repo", str(tmp_path))
    assert res.returncode == 2 and b"--force" in res.stderr and target.read_text() == "# mine\n"
    assert run_cli("init", str(target), "--force", "--repo", str(tmp_path)).returncode == 0
    assert "[company]" in target.read_text()


def test_suggests_the_company_domains_commits_were_made_from(tmp_path):
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit({"a.txt": "a\n"})
    git(repo.path, "-c", "user.name=J", "-c", "user.email=jane@acmewidgets.com",
        "commit", "-q", "--allow-empty", "--author", "Jane <jane@acmewidgets.com>", "-m", "x")
    target = tmp_path / "p.toml"
    assert run_cli("init", str(target), "--repo", str(repo.path)).returncode == 0
    text = target.read_text()
    assert "#   acmewidgets.com  (1 commit)" in text
    assert "gmail.com" not in text and "example.com  (" not in text   # public or reserved: not the company's


def test_a_bad_value_is_one_line_and_nothing_is_written(tmp_path):
    target = tmp_path / "p.toml"
    res = run_cli("init", str(target), "--domain", "not a domain", "--repo", str(tmp_path))
    assert res.returncode == 2 and b"not a domain" in res.stderr and b"Traceback" not in res.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []
