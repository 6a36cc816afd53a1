"""Odd content and odd repositories, end to end through the CLI.

Each test plants a secret where a naive scanner would not look (UTF-16 text,
a notebook output, a jar member, a CRLF file…) and checks three things: the
secret is gone from the snapshot, everything else is as it was, and the
report says what happened to the file.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from conftest import fake, git, run_cli


def aws(seed: str) -> str:
    return fake("AKIA{{[A-Z2-7]:16}}", seed)


def scrub(repo_path: Path, dest: Path, *extra: str) -> dict:
    proc = run_cli("scrub", str(repo_path), "--out", str(dest), *extra)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    return json.loads(Path(f"{dest}.report.json").read_text())


def rows(report: dict) -> dict[str, dict]:
    return {f["path"]: f for f in report["files"]}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-16-le-nobom"])
def test_utf16_and_utf32_text_is_scanned_and_written_back_in_its_encoding(repo, tmp_path, encoding):
    secret = aws(encoding)
    text = f"[settings]\r\nname = demo ÄÖÜ\r\nkey = {secret}\r\n"
    codec = {"utf-16-be": "utf-16-be", "utf-16-le-nobom": "utf-16-le"}.get(encoding, encoding)
    raw = text.encode(codec)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    repo.commit({"app.ini": raw, "same.ini": "unchanged\n".encode(codec)})
    rep = scrub(repo.path, tmp_path / "snap")
    out = (tmp_path / "snap" / "app.ini").read_bytes()
    assert out[:4] == raw[:4], "BOM and byte order kept"
    decoded = (out[2:] if encoding == "utf-16-be" else out).decode(codec)
    assert secret not in decoded and "REDACTED-aws-access-key" in decoded
    assert decoded.replace(decoded.split("key = ")[1], "") == text.replace(text.split("key = ")[1], "")
    assert (tmp_path / "snap" / "same.ini").read_bytes() == "unchanged\n".encode(codec)
    assert rows(rep)["app.ini"]["status"] == "modified"
    proc = run_cli("verify", str(tmp_path / "snap"))
    assert proc.returncode == 0, proc.stdout.decode()


def test_latin1_and_crlf_files_change_only_where_the_secret_was(repo, tmp_path):
    secret = aws("latin")
    latin = f"# café configuration\r\nKEY={secret}\r\nnaïve = true\r\n".encode("latin-1")
    key = fake("{{pem:RSA PRIVATE KEY}}", "crlf").replace("\n", "\r\n")
    crlf = ("line one\r\n" * 200 + f"embedded = '''{key}'''\r\n" + "after\r\n" * 3).encode()
    repo.commit({"latin.txt": latin, "notes.txt": crlf})
    scrub(repo.path, tmp_path / "snap")
    out = (tmp_path / "snap" / "latin.txt").read_bytes()
    assert out == latin.replace(secret.encode(), b"REDACTED-aws-access-key-1")
    notes = (tmp_path / "snap" / "notes.txt").read_bytes()
    assert b"PRIVATE KEY" not in notes
    assert notes.count(b"\n") == crlf.count(b"\n") and notes.count(b"\r\n") == notes.count(b"\n")


def test_minified_one_line_file(repo, tmp_path):
    secret = aws("minified")
    line = "".join(f"var a{i}=function(b){{return b+{i}}};" for i in range(20000))
    blob = line[:200000] + f'var k="{secret}";' + line[200000:]
    repo.commit({"app.min.js": blob})
    scrub(repo.path, tmp_path / "snap")
    out = (tmp_path / "snap" / "app.min.js").read_text()
    assert secret not in out and out.count("\n") == 0
    assert out == blob.replace(secret, "REDACTED-aws-access-key-1")


def test_binary_files_are_kept_byte_for_byte_or_dropped_when_they_hold_a_secret(repo, tmp_path):
    clean = bytes(range(256)) * 64
    dirty = b"\x00\x01BIN" + f" key={aws('bin')} ".encode() + bytes(200)
    repo.commit({"logo.png": clean, "blob.bin": dirty})
    rep = scrub(repo.path, tmp_path / "snap")
    assert (tmp_path / "snap" / "logo.png").read_bytes() == clean
    assert not (tmp_path / "snap" / "blob.bin").exists()
    assert rows(rep)["blob.bin"]["status"] == "dropped" and "binary" in rows(rep)["blob.bin"]["reason"]


def test_lfs_pointers_are_kept_and_reported(repo, tmp_path):
    pointer = ("version https://git-lfs.github.com/spec/v1\n"
               f"oid sha256:{'ab' * 32}\nsize 123456789\n")
    repo.commit({"data/model.bin": pointer})
    rep = scrub(repo.path, tmp_path / "snap")
    assert (tmp_path / "snap" / "data" / "model.bin").read_text() == pointer
    row = rows(rep)["data/model.bin"]
    assert row["status"] == "kept" and "LFS pointer" in row["reason"]


def notebook(secret: str, token: str, key: str) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"Line {i}\n" for i in range(80)]},
             {"cell_type": "code", "execution_count": 1, "metadata": {"credentials": {"api_token": token}},
              "source": ["import boto3\n", f"KEY = '{secret}'\n"],
              "outputs": [{"output_type": "stream", "name": "stdout",
                           "text": [line + "\n" for line in key.splitlines()]},
                          {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                           "data": {"text/plain": [f"'{secret}'"]}}]}]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def test_notebook_secrets_in_source_outputs_and_metadata_are_redacted_and_json_stays_valid(repo, tmp_path):
    secret, token = aws("nb"), fake("{{alnum:32}}", "nb-token")
    key = fake("{{pem:RSA PRIVATE KEY}}", "nb-key")
    original = notebook(secret, token, key)
    repo.commit({"analysis.ipynb": original})
    rep = scrub(repo.path, tmp_path / "snap")
    out = (tmp_path / "snap" / "analysis.ipynb").read_text()
    doc = json.loads(out)                                     # still valid JSON
    assert [c["cell_type"] for c in doc["cells"]] == ["markdown", "code"]
    for value in (secret, token, *key.splitlines()[1:-1]):
        assert value not in out
    assert "PRIVATE KEY" not in out
    assert out.count("\n") == original.count("\n")
    assert doc["cells"][0] == json.loads(original)["cells"][0]
    assert rows(rep)["analysis.ipynb"]["status"] == "modified"


def jar(members: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_archives_are_scanned_inside_and_dropped_when_a_member_holds_a_secret(repo, tmp_path):
    secret = aws("jar")
    clean = jar({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n", "App.class": "\x00\x01class"})
    inner = jar({"application.properties": f"aws.key={secret}\n"})
    dirty = jar({"WEB-INF/lib/inner.jar": inner, "index.html": "<html/>"})
    repo.commit({"lib/clean.jar": clean, "deploy/app.war": dirty})
    rep = scrub(repo.path, tmp_path / "snap")
    assert (tmp_path / "snap" / "lib" / "clean.jar").read_bytes() == clean
    assert not (tmp_path / "snap" / "deploy" / "app.war").exists()
    r = rows(rep)
    assert r["deploy/app.war"]["status"] == "dropped" and "aws-access-key-id" in r["deploy/app.war"]["reason"]
    assert r["lib/clean.jar"]["status"] == "kept" and r["lib/clean.jar"]["reason"].startswith("archive (zip)")
    found = [f for f in rep["findings"] if f["rule"] == "aws-access-key-id"]
    assert found and found[0]["path"] == "deploy/app.war!/WEB-INF/lib/inner.jar!/application.properties"

    rep = scrub(repo.path, tmp_path / "snap2", "--drop-archives")
    assert rows(rep)["lib/clean.jar"]["status"] == "dropped"
    assert "--drop-archives" in rows(rep)["lib/clean.jar"]["reason"]


def test_a_zip_bomb_costs_only_the_limits(repo, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("huge.txt", b"\0" * (200 << 20))              # 200 MB of zeros, 200 KB packed
    repo.commit({"bomb.zip": buf.getvalue()})
    rep = scrub(repo.path, tmp_path / "snap")
    assert "not scanned" in rows(rep)["bomb.zip"]["reason"]


def test_submodules_are_reported_not_followed(repo, tmp_path):
    sub = tmp_path / "dep"
    git(tmp_path, "init", "-q", "-b", "main", str(sub))
    (sub / "creds.txt").write_text(f"key={aws('sub')}\n")
    git(sub, "add", "-A")
    git(sub, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "dep")
    repo.commit({"a.txt": "a\n"})
    git(repo.path, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/dep")
    git(repo.path, "commit", "-q", "-m", "sub")
    for mode in ([], ["--worktree"]):
        rep = scrub(repo.path, tmp_path / f"snap{len(mode)}", *mode)
        assert rows(rep)["vendor/dep"]["reason"].startswith("submodule")
        assert not (tmp_path / f"snap{len(mode)}" / "vendor" / "dep").exists()
        assert all("creds" not in f["path"] for f in rep["findings"])


# -- odd repositories -----------------------------------------------------

def test_empty_repository(tmp_path):
    git(tmp_path, "init", "-q", "empty")
    scan = run_cli("scan", str(tmp_path / "empty"), "--format", "json")
    assert scan.returncode == 0, scan.stderr.decode()
    assert "no commits" in " ".join(json.loads(scan.stdout)["notes"])
    proc = run_cli("scrub", str(tmp_path / "empty"), "--out", str(tmp_path / "snap"))
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1
    assert not (tmp_path / "snap").exists()


def test_unborn_branch_still_scans_the_other_branches_history(repo, tmp_path):
    secret = aws("unborn")
    repo.commit({"old.txt": f"k={secret}\n"})
    git(repo.path, "checkout", "-q", "--orphan", "fresh")
    scan = run_cli("scan", str(repo.path), "--format", "json")
    assert scan.returncode == 1
    assert any(f["commit"] for f in json.loads(scan.stdout)["findings"])


def test_shallow_clone_detached_head_and_bare(repo, tmp_path):
    secret = aws("shallow")
    repo.commit({"a.txt": f"k={secret}\n"})
    repo.commit({"a.txt": "clean\n", "b.txt": "b\n"})
    url = f"file://{repo.path}"
    git(tmp_path, "clone", "-q", "--depth", "1", url, "shallow")
    git(tmp_path, "clone", "-q", "--bare", str(repo.path), "bare.git")
    git(repo.path, "checkout", "-q", "--detach", "HEAD~1")
    shallow = json.loads(run_cli("scan", str(tmp_path / "shallow"), "--format", "json").stdout)
    assert shallow["findings"] == []                           # the old commit is not in the clone
    assert any(n.startswith("shallow clone") for n in shallow["notes"])
    detached = run_cli("scan", str(repo.path), "--no-history", "--format", "json")
    assert detached.returncode == 1
    assert [f["path"] for f in json.loads(detached.stdout)["findings"]] == ["a.txt"]
    rep = scrub(tmp_path / "bare.git", tmp_path / "snap")
    assert (tmp_path / "snap" / "b.txt").exists()
    assert any(f["commit"] for f in rep["findings"])            # history-only, reported


def test_linked_worktree_and_a_subfolder_are_the_whole_repository(repo, tmp_path):
    repo.commit({"a.txt": "a\n", "sub/dir/b.txt": "b\n"})
    repo.branch("feature")
    repo.commit({"c.txt": "c\n"})
    repo.checkout("main")
    git(repo.path, "worktree", "add", "-q", str(tmp_path / "linked"), "feature")
    rep = scrub(tmp_path / "linked", tmp_path / "snap1")
    assert {r["path"] for r in rep["files"]} == {"a.txt", "c.txt", "sub/dir/b.txt"}
    proc = run_cli("scrub", ".", "--out", str(tmp_path / "snap2"), cwd=repo.path / "sub" / "dir")
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "snap2" / "a.txt").exists() and (tmp_path / "snap2" / "sub" / "dir" / "b.txt").exists()


def test_not_a_repository_is_one_line(tmp_path):
    for args in (["scan", str(tmp_path)], ["scrub", str(tmp_path), "--out", str(tmp_path / "x")],
                 ["scan", str(tmp_path / "nope")], ["verify", str(tmp_path / "nope")]):
        proc = run_cli(*args)
        assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1, (args, proc.stderr)


def test_a_nul_in_a_commit_message_does_not_hide_what_follows(repo, tmp_path):
    """git log stops printing a message at a NUL; the raw commit object does not."""
    repo.commit({"a.txt": "a\n"})
    secret = aws("nul-message")
    r = repo.path
    raw = (f"tree {git(r, 'rev-parse', 'HEAD^{tree}').strip()}\nparent {git(r, 'rev-parse', 'HEAD').strip()}\n"
           "author t <t@example.com> 1 +0000\ncommitter t <t@example.com> 1 +0000\n\n"
           "harmless title\0\xff hidden: ").encode("latin-1") + f"key={secret}\n".encode()
    oid = git(r, "hash-object", "-w", "-t", "commit", "--literally", "--stdin", input=raw).strip()
    git(r, "update-ref", "refs/heads/main", oid)
    rep = json.loads(run_cli("scan", str(r), "--format", "json").stdout)
    assert [(f["commit"], f["rule"]) for f in rep["findings"]] == [(oid, "aws-access-key-id")]
