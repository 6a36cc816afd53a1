"""Policy: who may allow a finding, and how it shows up (inline comments, allowlists, repo vs user)."""
from __future__ import annotations

import pytest

from conftest import fake
from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.model import Action, ContentItem, Origin
from reposcrub.policy import Policy, glob_to_regex
from reposcrub.ruleset import RuleSet

AWS = fake("AKIA{{[A-Z2-7]:16}}", "policy-aws")
SCANNER = Scanner(RuleSet.load(), b"test-key")


def decide(text: str, policy: Policy = None, path: str = "src/app.py", origin: Origin = Origin.HEAD):
    item = ContentItem(path, text.encode(), origin)
    findings = (policy or Policy()).decide(item, SCANNER.detect(item))
    assert findings, "the planted value should be found"
    return findings[0]


@pytest.mark.parametrize("line", [
    'key = "{v}"  # reposcrub:allow',                    # Python, shell, Ruby, YAML, TOML
    'const key = "{v}"; // reposcrub:allow',             # JS, Java, Go, C#, Rust
    'char *key = "{v}"; /* reposcrub:allow */',          # C
    '<meta key="{v}"> <!-- reposcrub:allow -->',          # HTML, XML, Markdown
    "SELECT '{v}'; -- reposcrub:allow",                  # SQL, Lua, Haskell
    'key={v} ; reposcrub:allow',                         # INI, Lisp, assembler
    "Key = \"{v}\" ' reposcrub:allow",                   # Visual Basic
    'key = "{v}" % reposcrub:allow',                     # TeX, Erlang
    'key = "{v}"  # reposcrub:allow aws-access-key-id',  # naming the rule
    'key = "{v}"  # reposcrub:allow jwt,aws-access-key-id -- a fixture',
    '<key>{v}</key><!-- reposcrub:allow aws-access-key-id-->',
])
def test_inline_allow_in_every_comment_style(line):
    f = decide(line.format(v=AWS) + "\n")
    assert f.action is Action.ALLOWED and f.suppressed_by == "inline" and f.repo_allowed == "inline"


@pytest.mark.parametrize("text", [
    'key = "{v}"  # reposcrub:allow jwt',               # another rule
    'key = "{v}"  # reposcrub:allowed',                 # not the marker
    'key = "{v}"  # reposcrub:allow-next-line',         # applies to the next line only
    '# reposcrub:allow\n\nkey = "{v}"',                 # not on the finding's line
    'key = "{v}"\n# reposcrub:allow',
])
def test_inline_allow_only_where_it_says(text):
    assert decide(text.format(v=AWS) + "\n").action is Action.REDACT


def test_allow_next_line_covers_the_line_below_only():
    f = decide(f'// reposcrub:allow-next-line aws-access-key-id\nconst k = "{AWS}";\n')
    assert f.action is Action.ALLOWED and f.suppressed_by == "inline"
    assert decide(f'// reposcrub:allow-next-line jwt\nconst k = "{AWS}";\n').action is Action.REDACT


@pytest.mark.parametrize("glob,path,hit", [
    ("tests/**", "tests/unit/fixtures/keys.py", True),
    ("tests/**", "src/tests.py", False),
    ("*.md", "docs/deep/README.md", True),
    ("fixtures/", "a/fixtures/x.json", True),
    ("docs/*.txt", "docs/a/b.txt", False),
    ("**/testdata/**", "pkg/testdata/k.pem", True),
    ("config/?.env", "config/a.env", True),
])
def test_glob_semantics(glob, path, hit):
    assert bool(glob_to_regex(glob).fullmatch(path)) is hit


def _profile(**kw) -> Profile:
    return Profile(source="profile.toml", **kw)


def test_user_allowlist_by_path_value_and_fingerprint():
    by_path = Policy.from_profile(_profile(allow_paths=["tests/**"]))
    assert decide(f"k = {AWS}\n", by_path, path="tests/t.py").suppressed_by == "allowlist:path"
    assert decide(f"k = {AWS}\n", by_path, path="src/t.py").action is Action.REDACT
    by_value = Policy.from_profile(_profile(allow_values=[AWS[:8]]))
    assert decide(f"k = {AWS}\n", by_value).suppressed_by == "allowlist:value"
    fp = decide(f"k = {AWS}\n").fingerprint
    by_fp = Policy.from_profile(_profile(allow_fingerprints=[fp]))
    f = decide(f"other = {AWS}\n", by_fp, path="elsewhere.cfg")
    assert f.suppressed_by == "allowlist:fingerprint" and f.repo_allowed is None


def test_a_bad_value_regex_is_an_input_error_naming_the_profile():
    from reposcrub.sources.gitrepo import InputError
    with pytest.raises(InputError, match=r"profile.toml: \[allowlist\] values: bad regex"):
        Policy.from_profile(_profile(allow_values=["(unclosed"]))


def test_the_repositorys_own_allowances_are_marked_and_not_honoured_for_a_snapshot():
    repo_prof = _profile(allow_paths=["**"], from_repo=True)
    scan = Policy.from_profile(repo_prof)
    f = decide(f"k = {AWS}\n", scan)
    assert f.action is Action.ALLOWED
    assert f.suppressed_by == f.repo_allowed == "repo-allowlist:path"
    snapshot = Policy.from_profile(repo_prof)
    snapshot.honour_repo = False
    f = decide(f"k = {AWS}  # reposcrub:allow\n", snapshot)
    assert f.action is Action.REDACT and f.suppressed_by is None and f.repo_allowed


def test_a_rule_the_repository_disables_still_runs_and_is_counted():
    f = decide(f"k = {AWS}\n", Policy.from_profile(_profile(disabled_rules=["aws-access-key-id"], from_repo=True)))
    assert f.suppressed_by == "repo-disabled-rule"


def test_history_findings_are_report_only_unless_allowed():
    assert decide(f"k = {AWS}\n", origin=Origin.HISTORY).action is Action.REPORT_ONLY
    assert decide(f"k = {AWS} # reposcrub:allow\n", origin=Origin.HISTORY).action is Action.ALLOWED
