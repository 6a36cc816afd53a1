"""File names are scanned like contents and renamed with the same mapping."""
from __future__ import annotations

from types import SimpleNamespace

from conftest import fake

from reposcrub.company import Company
from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.paths import plan_renames, scan_paths, words_in_paths
from reposcrub.policy import Policy
from reposcrub.redact import Pseudonyms, rewrite
from reposcrub.ruleset import RuleSet

PROFILE = Profile(names=["Acme Widgets"], codenames=["Roadrunner"], domains=["acmewidgets.com"])


def ctx(profile: Profile = PROFILE) -> SimpleNamespace:
    return SimpleNamespace(scanner=Scanner(RuleSet.load(), b"k", profile), policy=Policy())


def test_every_component_is_renamed_in_the_style_of_each_name():
    paths = ["roadrunner/__init__.py", "roadrunner/acme_widgets_client.py", "src/RoadrunnerApp.java",
             "java/com/acmewidgets/Main.java", "docs/acmewidgets.com.md", "README.md",
             "hosts/db01.acme.internal.yaml", "net/10.20.30.40.conf"]
    c = ctx()
    found = scan_paths(c, paths)
    assert "README.md" not in found
    assert all(f.line == 0 and f.reason.startswith("in the file name") for fs in found.values() for f in fs)
    names = Pseudonyms(Company.from_profile(PROFILE), words_in_paths(paths))
    plan = {p: new for p, (new, _) in plan_renames(paths, found, names).items()}
    assert plan == {
        "roadrunner/__init__.py": "project1/__init__.py",
        "roadrunner/acme_widgets_client.py": "project1/example_corp_client.py",
        "src/RoadrunnerApp.java": "src/Project1App.java",
        "java/com/acmewidgets/Main.java": "java/com/example/Main.java",
        "docs/acmewidgets.com.md": "docs/example.com.md",
        "hosts/db01.acme.internal.yaml": "hosts/db01.host-1.example.yaml",
        "net/10.20.30.40.conf": "net/192.0.2.40.conf",
    }
    # the same mapping renames the imports
    item = b"from roadrunner.acme_widgets_client import X\n"
    from reposcrub.model import ContentItem
    ci = ContentItem("x.py", item)
    assert rewrite(item, c.policy.decide(ci, c.scanner.detect(ci)), names) == \
        b"from project1.example_corp_client import X\n"


def test_a_secret_in_a_file_name_is_redacted_there_too():
    token = fake("{{github:ghp}}", "path-token")
    paths = [f"tokens/{token}.txt"]
    c = ctx(Profile())
    found = scan_paths(c, paths)
    new, _ = plan_renames(paths, found, Pseudonyms())[paths[0]]
    assert token not in new and "REDACTED-" in new


def test_renames_never_land_two_files_on_one_path():
    paths = ["lib/roadrunner.py", "lib/project1.py"]
    c = ctx()
    # "project1" is taken in the tree, so the codename gets Project2: no collision to begin with
    names = Pseudonyms(Company.from_profile(PROFILE), words_in_paths(paths))
    assert plan_renames(paths, scan_paths(c, paths), names) == {"lib/roadrunner.py": ("lib/project2.py", "")}
    # a fixed choice can collide: the later file gets a suffix instead of overwriting
    fixed = Profile(codenames=["Roadrunner"], replace={"Roadrunner": "Project1"})
    names = Pseudonyms(Company.from_profile(fixed), words_in_paths(paths))
    assert plan_renames(paths, scan_paths(ctx(fixed), paths), names) == \
        {"lib/roadrunner.py": ("lib/project1-2.py", "lib/project1.py was taken")}


def test_a_newline_in_a_file_name_does_not_confuse_offsets():
    paths = ["a\nroadrunner.txt", "b/roadrunner.txt"]
    found = scan_paths(ctx(), paths)
    assert [f.start for f in found["a\nroadrunner.txt"]] == [2]
    assert [f.start for f in found["b/roadrunner.txt"]] == [2]
