"""Generic credentials end to end: planted in every format, scrubbed, still valid, and a
scrubbed snapshot scrubbed again changes nothing (our REDACTED markers are never findings)."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from conftest import RepoBuilder, fake, run_cli

S = {name: fake("{{alnum:24}}", name) for name in
     ("py", "py2", "js", "yaml", "json", "env", "ini", "xml", "tf", "docker", "go", "rb", "java", "cs")}
HUMAN = "Copper" + "Harbor" + "#" + "4417"

FILES = {
    "app/settings.py": f'import os\n\nSECRET_KEY = "{S["py"]}"\nAUTH_TOKEN = ("{S["py2"][:12]}"\n              "{S["py2"][12:]}")\n'
                       'DB_PASSWORD = os.environ["DB_PASSWORD"]\n',
    "web/config.js": f"module.exports = {{ apiKey: '{S['js']}', tokenUrl: 'https://auth.example.com/token' }};\n",
    "deploy/values.yaml": f"db:\n  user: app\n  password: {S['yaml']}\n  port: 5432\n",
    "config/prod.json": json.dumps({"client_id": "web", "client_secret": S["json"]}, indent=2) + "\n",
    ".env": f"APP_ENV=production\nSMTP_PASSWORD={HUMAN}\nSENTRY_AUTH_TOKEN={S['env']}\n",
    "setup.cfg": f"[upload]\nrepository = internal\npassword = {S['ini']}\n",
    "pom-settings.xml": f"<settings><server><id>r</id><password>{S['xml']}</password></server></settings>\n",
    "infra/main.tf": f'resource "db" "main" {{\n  password = "{S["tf"]}"\n}}\n',
    "Dockerfile": f"FROM alpine\nENV API_TOKEN {S['docker']}\n",
    "cmd/main.go": f'package main\n\nvar cfg = Config{{Host: "db", ClientSecret: "{S["go"]}"}}\n',
    "config/initializers/keys.rb": f'Rails.application.config.secret_key_base = "{S["rb"]}"\n',
    "src/Main.java": f'class Main {{ private static final String API_KEY = "{S["java"]}"; }}\n',
    "src/Secrets.cs": f'class Secrets {{ public const string ClientSecret = "{S["cs"]}"; }}\n',
    "tests/test_login.py": 'def test_login(client):\n    client.login(password="secret")\n',
    "README.md": "Set `DB_PASSWORD` in your environment; the token is read from `API_TOKEN`.\n",
}


def _scrub(src: Path, out: Path) -> dict:
    r = run_cli("scrub", str(src), "--out", str(out), "--no-history", "-q")
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(Path(f"{out}.report.json").read_text())


def test_every_format_is_scrubbed_and_still_parses(repo: RepoBuilder, tmp_path: Path):
    repo.commit(FILES, "config everywhere")
    report = _scrub(repo.path, tmp_path / "snap")
    snap = tmp_path / "snap"
    text = {p: (snap / p).read_text() for p in FILES}
    for value in [*S.values(), S["py2"][:12], S["py2"][12:], HUMAN]:
        assert not any(value in t for t in text.values()), "a planted credential survived"
    ast.parse(text["app/settings.py"])
    assert 'os.environ["DB_PASSWORD"]' in text["app/settings.py"]     # a reference is left alone
    assert yaml.safe_load(text["deploy/values.yaml"])["db"]["port"] == 5432
    assert json.loads(text["config/prod.json"])["client_id"] == "web"
    for untouched in ("tests/test_login.py", "README.md"):
        assert text[untouched] == FILES[untouched]
    generic = [f for f in report["findings"] if f["rule"].startswith("generic")]
    assert {f["confidence"] for f in generic} <= {"high", "medium"}
    assert all(f["preview"] not in FILES[f["path"]] or "…" in f["preview"] for f in generic)


def test_scrubbing_a_scrubbed_snapshot_changes_nothing(repo: RepoBuilder, tmp_path: Path):
    repo.commit(FILES, "config everywhere")
    _scrub(repo.path, tmp_path / "once")
    again = RepoBuilder(tmp_path / "again")
    again.commit({p: (tmp_path / "once" / p).read_bytes() for p in FILES}, "scrubbed")
    report = _scrub(again.path, tmp_path / "twice")
    assert [f for f in report["findings"] if f["kind"] == "secret"] == []
    for p in FILES:
        assert (tmp_path / "twice" / p).read_bytes() == (tmp_path / "once" / p).read_bytes()
    assert run_cli("verify", str(tmp_path / "once"), "-q").returncode == 0


NEAR = {name: fake("{{alnum:32}}", "near-" + name) for name in ("log", "notes", "fused", "ts")}
NEAR_FILES = {
    "logs/deploy.log": f"[INFO] sending request to the weather API\n[DEBUG] Using Key={NEAR['log']}\n",
    "ops/notes.txt": f"weatherapi SECRET {NEAR['notes']}\nmapsKEY-{NEAR['fused']}\n",
    "web/env.ts": f'export const mapbox_key: string = "{NEAR["ts"]}";\n',
}


def test_values_near_a_credential_word_are_redacted_but_do_not_fail_a_scan(repo: RepoBuilder, tmp_path: Path):
    """Found only next to a credential word: low, so `scan` passes and `scrub` still redacts."""
    repo.commit(NEAR_FILES, "notes")
    scan = run_cli("scan", str(repo.path), "--no-history", "--format", "json")
    assert scan.returncode == 0, scan.stderr.decode()
    found = [f for f in json.loads(scan.stdout)["findings"] if f["kind"] == "secret"]
    assert len(found) == len(NEAR) and {f["confidence"] for f in found} == {"low"}
    _scrub(repo.path, tmp_path / "snap")
    for p in NEAR_FILES:
        text = (tmp_path / "snap" / p).read_text()
        assert not any(v in text for v in NEAR.values())
    assert run_cli("verify", str(tmp_path / "snap"), "-q").returncode == 0
