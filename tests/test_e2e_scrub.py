"""End to end, as a contractor runs it: a real repo with history, branches and tags."""
from __future__ import annotations

import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import RepoBuilder, fake, git, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "e2e-aws")
GH_OLD = fake("{{github:ghp}}", "e2e-gh")
GH_BRANCH = fake("{{github:gho}}", "e2e-gh-branch")
DB_PASS = fake("{{alnum:22}}", "e2e-db")
KEY = fake("{{pem:RSA PRIVATE KEY}}", "e2e-key")
PLANTED = [AWS, GH_OLD, GH_BRANCH, DB_PASS, KEY]


@pytest.fixture
def demo(repo: RepoBuilder) -> RepoBuilder:
    repo.commit({"README.md": "# demo\n", "src/app.py": "print('hello')\n",
                 "old/token.txt": f"token = {GH_OLD}\n"}, "init")
    repo.commit({"old/token.txt": None}, "remove token")
    repo.commit({"config/prod.env": f"AWS_ACCESS_KEY_ID={AWS}\nDB_PASSWORD={DB_PASS}\nDEBUG=false\n",
                 "deploy/id_rsa": KEY + "\n",
                 "data/logo.bin": bytes(range(256)) * 4,
                 "docs/latin1.txt": "caf\xe9 cr\xe8me\n".encode("latin-1")}, "config")
    repo.tag("v1")
    repo.branch("feature")
    repo.commit({"feature.py": f"GH = '{GH_BRANCH}'\n"}, "feature work")
    repo.checkout("main")
    return repo


def read_report(path: Path) -> dict:
    return json.loads(path.read_text())


def all_output_text(*paths: Path) -> bytes:
    out = b""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file():
                    out += f.read_bytes() + f.name.encode()
        elif p.exists():
            out += p.read_bytes()
    return out


def test_scrub_removes_head_secrets_and_reports_history(demo, tmp_path):
    dest = tmp_path / "share"
    res = run_cli("scrub", str(demo.path), "--out", str(dest), "-q")
    assert res.returncode == 0, res.stderr.decode()
    report_path = tmp_path / "share.report.json"
    blob = all_output_text(dest, report_path) + res.stdout + res.stderr
    for value in PLANTED:
        assert value.encode() not in blob
    assert not (dest / ".git").exists()
    # untouched files are byte-identical; the binary and Latin-1 files too
    for name in ("README.md", "src/app.py", "data/logo.bin", "docs/latin1.txt"):
        assert (dest / name).read_bytes() == (demo.path / name).read_bytes(), name
    env = (dest / "config/prod.env").read_text()
    assert env.count("\n") == 3 and "DEBUG=false" in env and "REDACTED-" in env
    assert not (dest / "deploy/id_rsa").exists()
    report = read_report(report_path)
    files = {f["path"]: f for f in report["files"]}
    assert files["deploy/id_rsa"]["status"] == "dropped" and files["deploy/id_rsa"]["reason"]
    assert files["config/prod.env"]["status"] == "modified"
    assert files["README.md"]["status"] == "kept"
    history = [f for f in report["findings"] if f["origin"] == "history"]
    by_path = {f["path"]: f for f in history}
    assert by_path["old/token.txt"]["commit"] == git(demo.path, "rev-list", "--max-parents=0", "HEAD").strip()
    assert by_path["feature.py"]["commit"] == git(demo.path, "rev-parse", "feature").strip()
    assert all(f["action"] == "report-only" for f in history)


def test_every_head_file_is_accounted_for(demo, tmp_path):
    dest = tmp_path / "out"
    assert run_cli("scrub", str(demo.path), "--out", str(dest), "-q").returncode == 0
    report = read_report(tmp_path / "out.report.json")
    tree = git(demo.path, "ls-tree", "-r", "--name-only", "HEAD").split("\n")
    listed = {f["path"] for f in report["files"]}
    assert {p for p in tree if p} == listed


@pytest.mark.parametrize("name", ["share.tar.gz", "share.zip"])
def test_archive_outputs_hold_the_same_files(demo, tmp_path, name):
    dest = tmp_path / name
    assert run_cli("scrub", str(demo.path), "--out", str(dest), "-q").returncode == 0
    if name.endswith(".zip"):
        with zipfile.ZipFile(dest) as zf:
            names = sorted(n.split("/", 1)[1] for n in zf.namelist() if not n.endswith("/"))
            data = b"".join(zf.read(n) for n in zf.namelist())
    else:
        with tarfile.open(dest) as tf:
            members = [m for m in tf.getmembers() if m.isfile()]
            assert all(m.isfile() or m.isdir() for m in tf.getmembers())
            names = sorted(m.name.split("/", 1)[1] for m in members)
            data = b"".join(tf.extractfile(m).read() for m in members)
    assert "config/prod.env" in names and "deploy/id_rsa" not in names
    for value in PLANTED:
        assert value.encode() not in data
    assert run_cli("verify", str(dest)).returncode == 0


def test_archives_are_deterministic(demo, tmp_path):
    a, b = tmp_path / "1" / "s.tar.gz", tmp_path / "2" / "s.tar.gz"
    for dest in (a, b):
        dest.parent.mkdir()
        assert run_cli("scrub", str(demo.path), "--out", str(dest), "-q", "--no-history").returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_verify_fails_on_the_original_and_passes_on_the_snapshot(demo, tmp_path):
    dest = tmp_path / "snap"
    assert run_cli("scrub", str(demo.path), "--out", str(dest), "-q").returncode == 0
    assert run_cli("verify", str(dest)).returncode == 0
    unsafe = tmp_path / "unsafe"
    unsafe.mkdir()
    (unsafe / "leak.env").write_text(f"AWS_ACCESS_KEY_ID={AWS}\n")
    res = run_cli("verify", str(unsafe), "--format", "json")
    assert res.returncode == 1
    assert AWS.encode() not in res.stdout


def test_scan_exit_codes_and_json_contract(demo, tmp_path):
    res = run_cli("scan", str(demo.path), "--format", "json")
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert report["tool"]["name"] == "reposcrub"
    assert report["source"]["head"] == git(demo.path, "rev-parse", "HEAD").strip()
    assert report["source"]["refs_scanned"] == 3      # main, feature, tag v1
    f = report["findings"][0]
    for key in ("rule", "kind", "path", "line", "column", "commit", "blob", "preview", "fingerprint", "action"):
        assert key in f
    for value in PLANTED:
        assert value.encode() not in res.stdout
    clean = RepoBuilder(tmp_path / "clean")
    clean.commit({"a.txt": "nothing to see\n"})
    assert run_cli("scan", str(clean.path)).returncode == 0


def test_no_history_limits_scan_to_head(demo):
    res = run_cli("scan", str(demo.path), "--no-history", "--format", "json")
    report = json.loads(res.stdout)
    assert all(f["origin"] == "head" and f["commit"] is None for f in report["findings"])


def test_jsonl_is_one_finding_per_line(demo):
    res = run_cli("scan", str(demo.path), "--format", "jsonl")
    lines = res.stdout.decode().splitlines()
    assert lines and all(json.loads(l)["fingerprint"] for l in lines)


def test_fingerprints_match_between_head_and_history(repo, tmp_path):
    repo.commit({"a.env": f"AWS_ACCESS_KEY_ID={AWS}\n"}, "add")
    repo.commit({"a.env": None, "b/moved.env": f"\n\nKEY={AWS}\n"}, "move")
    head = json.loads(run_cli("scan", str(repo.path), "--no-history", "--format", "json").stdout)
    rules = {f["rule"]: f["fingerprint"] for f in head["findings"]}
    again = json.loads(run_cli("scan", str(repo.path), "--no-history", "--format", "json").stdout)
    assert {f["rule"]: f["fingerprint"] for f in again["findings"]} == rules
    assert "aws-access-key-id" in rules


def test_path_inside_a_subfolder_and_bare_repos(demo, tmp_path):
    sub = run_cli("scan", str(demo.path / "src"), "--no-history", "--format", "json")
    assert json.loads(sub.stdout)["source"]["path"] == str(demo.path)
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(demo.path), str(bare))
    res = run_cli("scrub", str(bare), "--out", str(tmp_path / "from-bare"), "-q")
    assert res.returncode == 0, res.stderr.decode()
    assert (tmp_path / "from-bare" / "README.md").exists()


def test_many_refs(repo):
    repo.commit({"a.txt": "x\n"})
    for i in range(300):
        git(repo.path, "branch", f"b{i}")
    report = json.loads(run_cli("scan", str(repo.path), "--format", "json").stdout)
    assert report["source"]["refs_scanned"] == 301


def test_bad_input_is_one_line_and_exit_2(tmp_path, demo):
    cases = [("scan", str(tmp_path / "nope")), ("scan", str(tmp_path)),
             ("scrub", str(demo.path), "--out", str(demo.path / "inside"))]
    for args in cases:
        res = run_cli(*args)
        assert res.returncode == 2, args
        err = res.stderr.decode()
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    dest = tmp_path / "exists"
    dest.mkdir()
    res = run_cli("scrub", str(demo.path), "--out", str(dest))
    assert res.returncode == 2 and "--force" in res.stderr.decode()
    assert run_cli("scrub", str(demo.path), "--out", str(dest), "--force", "-q").returncode == 0
    assert (dest / "README.md").exists()


def test_an_example_token_stays_in_place_and_is_listed_as_suppressed(repo, tmp_path):
    """A test that checks a token format keeps its made-up token (it counts eight steps, so
    no issuer made it); a real token in the same file is still redacted."""
    example = "glpat-" + "abcdefghij" + "0123456789"
    real = fake("glpat-{{alnum:20}}", "e2e-glpat")
    repo.commit({"tests/test_tokens.py": f"EXAMPLE = '{example}'\nassert looks_like(EXAMPLE)\n",
                 "ci/deploy.env": f"GITLAB_TOKEN={real}\n"})
    dest = tmp_path / "snap"
    assert run_cli("scrub", str(repo.path), "--out", str(dest), "-q").returncode == 0
    assert (dest / "tests/test_tokens.py").read_bytes() == f"EXAMPLE = '{example}'\nassert looks_like(EXAMPLE)\n".encode()
    assert real.encode() not in (dest / "ci/deploy.env").read_bytes()
    summary = read_report(tmp_path / "snap.report.json")["summary"]
    assert summary["suppressed_by"] == {"example-value": 1}

    repo.commit({"ci/deploy.env": None})
    res = run_cli("scan", str(repo.path), "--no-history", "--format", "json")
    assert res.returncode == 0                   # an example alone fails nothing
    assert [f["suppressed_by"] for f in json.loads(res.stdout)["findings"]] == ["example-value"]
