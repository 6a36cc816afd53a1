"""History as a user sees it: what is skipped and why, what is missing, the progress bar."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, RepoBuilder, fake, git, run_cli

AWS = fake("AKIA{{[A-Z2-7]:16}}", "history-aws")
DB_PASS = fake("{{alnum:22}}", "history-db")


def scan_json(repo: Path, *args: str) -> tuple[int, dict]:
    res = run_cli("scan", str(repo), "-q", "--format", "json", *args)
    assert "Traceback" not in res.stderr.decode()
    return res.returncode, json.loads(res.stdout)


def history_rules(report: dict) -> set[tuple[str, str]]:
    return {(f["rule"], f["path"]) for f in report["findings"] if f["origin"] == "history"}


def test_a_missing_history_object_is_named_and_the_scan_goes_on(repo: RepoBuilder):
    repo.commit({"lost.env": "nothing to see\n", "keys.env": f"AWS_ACCESS_KEY_ID={AWS}\n"}, "add")
    lost = git(repo.path, "rev-parse", "HEAD:lost.env").strip()
    repo.commit({"lost.env": None, "keys.env": None, "README": "clean\n"}, "remove")
    (repo.path / ".git" / "objects" / lost[:2] / lost[2:]).unlink()   # as a partial clone lacks it
    code, report = scan_json(repo.path)
    assert code == 1
    assert report["missing_objects"] == [lost]
    assert report["summary"]["missing_objects"] == 1
    assert ("aws-access-key-id", "keys.env") in history_rules(report)


def test_the_size_cap_skips_big_history_blobs_and_says_so(repo: RepoBuilder):
    repo.commit({"big.env": f"AWS_ACCESS_KEY_ID={AWS}\n" + "#" * 4000 + "\n",
                 "small.env": f"AWS_ACCESS_KEY_ID={AWS}\n"}, "add")
    big = git(repo.path, "rev-parse", "HEAD:big.env").strip()
    repo.commit({"big.env": None, "small.env": None}, "remove")
    _, report = scan_json(repo.path, "--max-size", "1000")
    assert history_rules(report) == {("aws-access-key-id", "small.env")}
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    assert big[:12] in skipped["big.env"] and "size limit" in skipped["big.env"]


def test_binary_and_generated_history_blobs_keep_only_specific_findings(repo: RepoBuilder):
    generic = f'DB_PASSWORD="{DB_PASS}"\n'
    token = f"aws_access_key_id = {AWS}\n"
    repo.commit({"data.bin": b"\0\1\2" + generic.encode() + token.encode(),
                 "yarn.lock": generic + token,
                 "app.cfg": generic}, "add")
    repo.commit({"data.bin": None, "yarn.lock": None, "app.cfg": None}, "remove")
    _, report = scan_json(repo.path)
    found = history_rules(report)
    assert ("aws-access-key-id", "data.bin") in found and ("aws-access-key-id", "yarn.lock") in found
    generic_paths = {p for rule, p in found if rule.startswith("generic")}
    assert generic_paths == {"app.cfg"}


def test_no_progress_bar_in_a_pipe(repo: RepoBuilder):
    repo.commit({"a.txt": "a\n"}, "one")
    repo.commit({"a.txt": "b\n"}, "two")
    res = run_cli("scan", str(repo.path), "--format", "json")
    assert res.returncode == 0 and res.stderr == b""


def test_a_progress_bar_on_a_terminal(repo: RepoBuilder):
    for i in range(3):
        repo.commit({f"f{i}.txt": f"{i}\n" * 1000}, f"commit {i}")
    master, slave = os.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), REPOSCRUB_FINGERPRINT_KEY="test-key", TERM="xterm",
               COLUMNS="120")
    proc = subprocess.Popen([sys.executable, "-m", "reposcrub", "scan", str(repo.path), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:          # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert b"history" in seen and b"objects" in seen and b"MB/s" in seen


def test_a_head_only_scan_still_counts_every_ref(repo):
    """The ref count is taken by a git running beside the HEAD scan; it is the same count."""
    repo.commit({"a.txt": "one\n"}, "one")
    repo.branch("feature")
    repo.commit({"b.txt": "two\n"}, "two")
    repo.tag("v1")
    for args in (("--no-history",), ()):
        code, report = scan_json(repo.path, *args)
        assert code == 0
        assert report["source"]["refs_scanned"] == 3          # main, feature, v1
