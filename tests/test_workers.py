"""HEAD and history on several worker processes: the same report, byte for byte, as on one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import fake, git, run_cli

AWS_OLD = fake("AKIA{{[A-Z2-7]:16}}", "workers-aws-old")
GH_MSG = fake("{{github:ghp}}", "workers-gh-msg")
GH_LATE = fake("{{github:gho}}", "workers-gh-late")
AWS_HEAD = fake("AKIA{{[A-Z2-7]:16}}", "workers-aws-head")
MANY = 700       # history-only blobs: several jobs for every worker


def commit_files(root: Path, files: dict[str, str | bytes], message: str) -> None:
    """Write files (text or bytes) and commit them, making the repository on first use."""
    if not (root / ".git").exists():
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "-b", "main")
    for name, content in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> Path:
    """Hundreds of history-only blobs, secrets early and late in the walk, one in a message."""
    root = tmp_path_factory.mktemp("busy") / "repo"
    files = {f"gen/{i // 100}/f{i}.txt": f"value {i}\n" for i in range(MANY)}
    files["gen/0/f7.txt"] = f"aws_access_key_id = {AWS_OLD}\n"
    commit_files(root, files, "many files")
    files = {name: text + "changed\n" for name, text in files.items()}
    files["gen/6/f650.txt"] = f"token: {GH_LATE}\n"
    commit_files(root, files, f"change them all; the CI token was {GH_MSG}")
    files = {name: "final\n" + name + "\n" for name in files}
    files["gen/5/f555.txt"] = f"AWS_ACCESS_KEY_ID={AWS_HEAD}\n"
    commit_files(root, files, "final")
    return root


def scan_report(repo: Path, out: Path, *args: str, env=None, expect: int = 1) -> bytes:
    res = run_cli("scan", str(repo), "-q", "--format", "json", "-o", str(out), *args, env=env)
    assert res.returncode == expect, res.stderr.decode()
    assert res.stderr == b""
    return out.read_bytes()


def test_report_is_the_same_with_one_or_several_workers(busy, tmp_path):
    one = scan_report(busy, tmp_path / "one.json", "--jobs", "1")
    two = scan_report(busy, tmp_path / "two.json", "--jobs", "2")
    three = scan_report(busy, tmp_path / "three.json", "--jobs", "3")
    assert one == two == three
    report = json.loads(one)
    assert report["source"]["blobs_scanned"] == 3 * MANY
    found = {(f["rule"], f["origin"]) for f in report["findings"]}
    assert ("aws-access-key-id", "head") in found
    assert ("aws-access-key-id", "history") in found
    assert ("github-token", "history") in found
    assert ("github-token", "message") in found


def test_spawned_workers_rebuild_the_engine_and_agree(busy, tmp_path):
    forked = scan_report(busy, tmp_path / "fork.json", "--jobs", "2")
    spawned = scan_report(busy, tmp_path / "spawn.json", "--jobs", "2",
                          env={"REPOSCRUB_START_METHOD": "spawn"})
    assert forked == spawned


def test_history_findings_carry_the_commit_that_introduced_them(busy, tmp_path):
    report = json.loads(scan_report(busy, tmp_path / "r.json"))
    commits = git(busy, "rev-list", "--reverse", "HEAD").split()
    by_rule = {f["rule"]: f for f in report["findings"] if f["origin"] == "history"}
    assert by_rule["aws-access-key-id"]["commit"] == commits[0]
    assert by_rule["aws-access-key-id"]["path"] == "gen/0/f7.txt"
    assert by_rule["github-token"]["commit"] == commits[1]
    assert by_rule["github-token"]["path"] == "gen/6/f650.txt"
    for f in report["findings"]:
        assert GH_MSG not in json.dumps(f) and AWS_OLD not in json.dumps(f)


def test_head_files_git_cannot_read_are_skipped_alike_on_workers(tmp_path):
    root = tmp_path / "repo"
    commit_files(root, {f"f{i}.txt": f"file {i}\n" for i in range(MANY)}, "many")
    lost = git(root, "rev-parse", "HEAD:f123.txt").strip()
    (root / ".git" / "objects" / lost[:2] / lost[2:]).unlink()
    one = scan_report(root, tmp_path / "one.json", "--jobs", "1", expect=0)
    two = scan_report(root, tmp_path / "two.json", "--jobs", "2", expect=0,
                      env={"REPOSCRUB_PARALLEL_HEAD_BYTES": "0"})     # a small HEAD, on the workers all the same
    assert one == two
    assert json.loads(two)["skipped"] == [{"path": "f123.txt", "status": "skipped", "to": None,
                                           "reason": "object missing from the repository"}]


def test_an_interrupted_pass_leaves_no_worker_behind(busy):
    from reposcrub import workers
    from reposcrub.context import RunContext
    from reposcrub.sources.history import BlobStream

    ctx = RunContext.build(str(busy))
    blobs = list(BlobStream(ctx.repo))
    pool = workers.Pool(workers.WorkerSpec.from_context(ctx), 2)
    started: list = []

    def interrupted():
        yield workers.Job(1, blobs[:100])
        started.extend(pool._procs)
        raise KeyboardInterrupt                  # Ctrl-C while the jobs are dealt

    with pytest.raises(KeyboardInterrupt):
        with pool:
            pool.run(interrupted(), parallel=True)
    assert len(started) == 2 and not any(p.is_alive() for p in started)


def test_a_corrupt_history_blob_on_a_worker_is_one_clear_error(tmp_path):
    from craft import corrupt
    root = tmp_path / "repo"
    commit_files(root, {f"f{i}.txt": f"old {i}\n" for i in range(MANY)}, "old")
    victim = git(root, "rev-parse", "HEAD:f456.txt").strip()
    commit_files(root, {f"f{i}.txt": f"new {i}\n" for i in range(MANY)}, "new")
    corrupt(root, victim)
    res = run_cli("scan", str(root), "-q", "--jobs", "2")
    err = res.stderr.decode()
    assert res.returncode == 2 and err.count("\n") == 1 and victim in err, err
    assert "Traceback" not in err


def test_head_on_workers_reports_what_one_process_does(tmp_path):
    """HEAD jobs are dealt biggest first; findings still come back in path order."""
    root = tmp_path / "repo"
    files = {f"src/{i:03d}.txt": f"line {i}\n" * (1 + (i * 37) % 900) for i in range(300)}
    files["src/010.txt"] = f"AWS_ACCESS_KEY_ID={AWS_HEAD}\n"
    files["src/290.txt"] = "x = 1\n" * 5000 + f"token: {GH_LATE}\n"
    commit_files(root, files, "head")
    one = scan_report(root, tmp_path / "one.json", "--no-history", "--jobs", "1")
    two = scan_report(root, tmp_path / "two.json", "--no-history", "--jobs", "2",
                      env={"REPOSCRUB_PARALLEL_HEAD_BYTES": "0"})
    assert one == two
    assert [f["path"] for f in json.loads(two)["findings"]] == ["src/010.txt", "src/290.txt"]


def test_head_jobs_cover_every_file_once_in_path_runs_biggest_first():
    from reposcrub import workers
    from reposcrub.sources.worktree import TreeEntry
    entries = [TreeEntry(f"f{i:04d}", "100644", f"{i:040x}", 100 + (i % 7) * 5000) for i in range(1000)]
    entries.append(TreeEntry("sub", "160000", "0" * 40, 0))        # a submodule: no job
    jobs = workers.head_jobs(entries, workers=2)
    assert len(jobs) >= 2 * workers.JOBS_PER_WORKER - 1
    in_order = sorted(jobs, key=lambda j: j.seq)
    assert [b[1] for j in in_order for b in j.blobs] == [e.path for e in entries[:-1]]
    weights = [sum(entries[int(b[1][1:])].size for b in j.blobs) for j in jobs]
    assert weights == sorted(weights, reverse=True)
    assert all(len(j.blobs) <= workers.JOB_BLOBS for j in jobs)


def test_one_pass_lists_heads_skipped_files_before_historys(tmp_path):
    """HEAD and history share one pass of the workers; the report reads as if they ran in turn."""
    root = tmp_path / "repo"
    commit_files(root, {"old/big.txt": "o" * 5000, **{f"f{i}.txt": f"v {i}\n" for i in range(600)}}, "old")
    git(root, "rm", "-q", "old/big.txt")
    commit_files(root, {"zz/big.txt": "n" * 6000}, "new")
    reports = [json.loads(scan_report(root, tmp_path / f"{j}.json", "--max-size", "4000", "--jobs", j, expect=0))
               for j in ("1", "2")]
    assert reports[0] == reports[1]
    assert [s["path"] for s in reports[1]["skipped"]] == ["zz/big.txt", "old/big.txt"]


def test_scrub_with_findings_from_workers_writes_what_one_process_writes(tmp_path):
    """scrub finds on the workers and writes here: same snapshot, same report.  An
    archive's members and two files with the same blob keep their findings apart."""
    import io
    import zipfile
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("conf/app.env", f"AWS_ACCESS_KEY_ID={AWS_OLD}\n")
    root = tmp_path / "repo"
    files = {f"src/{i:03d}.txt": f"line {i}\n" * (1 + (i * 37) % 900) for i in range(200)}
    files["a/settings.env"] = files["b/settings.env"] = f"AWS_ACCESS_KEY_ID={AWS_HEAD}\n"
    files["c/token.txt"] = f"token: {GH_LATE}\n"
    commit_files(root, {**files, "bundle.zip": archive.getvalue()}, "head")
    outs = {}
    for name, args, env in (("one", ["--jobs", "1"], None),
                            ("two", ["--jobs", "2"], {"REPOSCRUB_PARALLEL_HEAD_BYTES": "0"})):
        res = run_cli("scrub", str(root), "--no-history", "-q", "--out", str(tmp_path / name), *args, env=env)
        assert res.returncode == 0, res.stderr.decode()
        tree = {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / name).rglob("*")) if p.is_file()}
        outs[name] = (tree, (tmp_path / f"{name}.report.json").read_text())
    assert outs["one"] == outs["two"]
    tree, report = outs["two"]
    assert AWS_HEAD.encode() not in tree["a/settings.env"] and AWS_HEAD.encode() not in tree["b/settings.env"]
    paths = {f["path"] for f in json.loads(report)["findings"]}
    assert {"a/settings.env", "b/settings.env", "c/token.txt"} <= paths
    assert any(p.startswith("bundle.zip!/") for p in paths), paths
