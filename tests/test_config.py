"""Where the profile comes from: --profile, else .reposcrub.toml, else [tool.reposcrub] in pyproject.toml."""
from __future__ import annotations

import subprocess

import pytest

from conftest import RepoBuilder, git
from reposcrub.config import discover_profile
from reposcrub.context import RunContext
from reposcrub.sources.gitrepo import InputError

OWN = '[company]\nnames = ["From Dotfile"]\n'
PYPROJECT = '[project]\nname = "x"\n\n[tool.reposcrub.company]\nnames = ["From Pyproject"]\n'


def test_explicit_profile_wins_and_is_trusted(repo: RepoBuilder, tmp_path):
    repo.commit({".reposcrub.toml": OWN, "pyproject.toml": PYPROJECT})
    mine = tmp_path / "mine.toml"
    mine.write_text('[company]\nnames = ["Mine"]\n')
    prof = discover_profile(str(mine), repo.path)
    assert prof.names == ["Mine"] and prof.from_repo is False and prof.source == str(mine)


def test_dotfile_before_pyproject_and_both_are_the_repos_own(repo: RepoBuilder):
    repo.commit({".reposcrub.toml": OWN, "pyproject.toml": PYPROJECT})
    prof = discover_profile(None, repo.path)
    assert prof.names == ["From Dotfile"] and prof.from_repo
    repo.commit({".reposcrub.toml": None})
    prof = discover_profile(None, repo.path)
    assert prof.names == ["From Pyproject"] and prof.from_repo


def test_pyproject_without_a_reposcrub_table_means_no_profile(repo: RepoBuilder):
    repo.commit({"pyproject.toml": '[project]\nname = "x"\n'})
    prof = discover_profile(None, repo.path)
    assert prof.source is None and not prof.has_company


def test_a_symlinked_config_is_not_followed(repo: RepoBuilder, tmp_path):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(OWN)
    (repo.path / ".reposcrub.toml").symlink_to(outside)
    assert discover_profile(None, repo.path).source is None


def test_a_broken_repo_config_is_an_input_error(repo: RepoBuilder):
    repo.commit({".reposcrub.toml": "[company\n"})
    with pytest.raises(InputError, match="not valid TOML"):
        discover_profile(None, repo.path)


def test_the_checkout_is_read_not_head(repo: RepoBuilder):
    """Editing the config takes effect at once, before it is committed."""
    repo.commit({".reposcrub.toml": OWN})
    (repo.path / ".reposcrub.toml").write_text('[company]\nnames = ["Edited"]\n')
    assert RunContext.build(str(repo.path)).profile.names == ["Edited"]


def test_a_bare_repository_reads_its_config_from_the_head_tree(repo: RepoBuilder, tmp_path):
    repo.commit({"pyproject.toml": PYPROJECT})
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    prof = RunContext.build(str(bare)).profile
    assert prof.names == ["From Pyproject"] and prof.from_repo and prof.source == "HEAD:pyproject.toml"


def test_a_bare_repository_ignores_a_symlink_in_place_of_its_config(repo: RepoBuilder, tmp_path):
    (repo.path / ".reposcrub.toml").symlink_to("/etc/hostname")
    git(repo.path, "add", ".reposcrub.toml")
    git(repo.path, "commit", "-q", "-m", "link")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    assert RunContext.build(str(bare)).profile.source is None
