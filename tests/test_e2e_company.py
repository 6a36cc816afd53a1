"""End to end, as the security team checks a scrub: a fictitious company planted
everywhere, scrubbed with its profile, then searched for in every spelling.

The snapshot must hold no company term in any spelling (contents and paths),
files with nothing planted must be byte-identical, every Python file must
compile, and the planted package, renamed, must still pass its own tests.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RepoBuilder, run_cli

PROFILE = """
[company]
names = ["Globex Systems", "Globex"]
domains = ["globexsys.com", "globex.corp"]
codenames = ["Nightjar"]
ticket_prefixes = ["GLX"]
"""

HEADER = ("# Copyright (c) 2023 Globex Systems Inc. All rights reserved.\n"
          "# Proprietary and confidential. Unauthorized copying of this file is strictly prohibited.\n")

PLANTED = {
    "nightjar/__init__.py": HEADER + '"""Nightjar: the pricing engine of Globex Systems."""\n'
                            "from nightjar.core import GLOBEX_API, GlobexSystemsClient, price\n\n"
                            '__all__ = ["GLOBEX_API", "GlobexSystemsClient", "price"]\n',
    "nightjar/core.py": HEADER + "import os\n\n"
                        'GLOBEX_API = "https://api.globexsys.com/v1"\n'
                        'NIGHTJAR_DB = "db01.globex.corp"\n'
                        'CACHE_HOST = os.environ.get("CACHE_HOST", "10.42.7.19")\n'
                        'SUPPORT = "jane.doe@globexsys.com"\n\n\n'
                        "class GlobexSystemsClient:\n"
                        '    """Talks to the Globex pricing API (GLX-1234)."""\n\n'
                        "    def __init__(self, base: str = GLOBEX_API):\n"
                        "        self.base = base\n\n"
                        "    def get_globex_systems_url(self, path: str) -> str:\n"
                        '        return f"{self.base}/{path}"\n\n\n'
                        "def price(qty: int) -> int:\n"
                        "    globexSystems = GlobexSystemsClient()\n"
                        '    assert globexSystems.get_globex_systems_url("x").endswith("/x")\n'
                        "    return qty * 3\n",
    "nightjar/nightjar_utils.py": "from nightjar import core\n\n\n"
                                  "def double(qty: int) -> int:\n    return core.price(qty) * 2\n",
    "tests/test_nightjar.py": "import nightjar\nfrom nightjar.core import GlobexSystemsClient, price\n"
                              "from nightjar.nightjar_utils import double\n\n\n"
                              "def test_price():\n    assert price(2) == 6\n    assert double(1) == 6\n"
                              "    assert nightjar.price is price\n\n\n"
                              "def test_client_url():\n"
                              '    assert GlobexSystemsClient().get_globex_systems_url("a").startswith("https://")\n',
    "app/main.py": "import nightjar.core as njcore\nfrom nightjar import price\n\n"
                   "GLOBEX_SYSTEMS_URL = njcore.GLOBEX_API\n"
                   "GLOBEXSYSTEMS_MODE = 'globex-systems'\n\n"
                   "if __name__ == '__main__':\n    print(price(1), GLOBEX_SYSTEMS_URL)\n",
    "web/nightjar-client.js": "// Client for the Globex Nightjar API\n"
                              "export const NIGHTJAR_URL = 'https://nightjar.globexsys.com';\n"
                              "export function ping() { return 'globex-systems:' + NIGHTJAR_URL.length; }\n",
    "web/index.mjs": "import { ping } from './nightjar-client.js';\n"
                     "// GLX-1234: wire the Globex dashboard\n"
                     "console.log(ping());\n",
    "web/package.json": '{"name": "@globex/nightjar-web", "type": "module", "author": "ops@globexsys.com"}\n',
    "config/settings.yaml": "api: https://api.globexsys.com\n"
                            "db:\n  host: db01.globex.corp\n  replica: 172.16.9.4\n"
                            "git: git@git.globex.corp:pricing/nightjar.git\n"
                            "build: https://ci.pricing.internal/job/nightjar\n"
                            "owner: ops@globexsys.com\n",
    "deploy/globex-systems.env": "GLOBEXSYSTEMS_REGION=eu\nNIGHTJAR_HOST=nightjar.lan\n",
    "CHANGELOG.md": "## 1.2.0\n- GLX-1234: Globex Systems pricing (Nightjar)\n- glx-77: fix for GlobexSystems, Globex.Systems\n",
    "java/com/globexsys/nightjar/Pricing.java": "package com.globexsys.nightjar;\n\n"
                                                'public class Pricing { String owner = "Globex.Systems"; }\n',
}

UNTOUCHED = {
    "docs/guide.md": "# Guide\n\nVersion 1.2.3.4; DNS 8.8.8.8; tests bind 127.0.0.1 and ::1; "
                     "cloud metadata 169.254.169.254; see threading.local.\n",
    "src/util.py": 'VERSION = "10.1.2.3"\n\n\ndef add(a, b):\n    return a + b\n',
    "data/blob.bin": bytes(range(256)) * 8,
    "vendor/left_pad.py": "# MIT License\n#\n# Copyright (c) 2015 Jane Roe\n#\n"
                          "# Permission is hereby granted, free of charge, to any person obtaining a copy\n"
                          "# of this software, to deal in the Software without restriction.\n\n"
                          "def left_pad(s, n):\n    return s.rjust(n)\n",
    "pytest.ini": "[pytest]\ntestpaths = tests\n",
}

TERMS = ["globex", "nightjar", "globexsys"]
SEPARATORS = re.compile(rb"[\s_.\-/:@'\"]+")


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory):
    root = tmp_path_factory.mktemp("company")
    repo = RepoBuilder(root / "repo")
    repo.commit({"old/notes.txt": "Nightjar prototype ran on 10.9.8.7 (GLX-12)\n"}, "GLX-12: Nightjar prototype")
    repo.commit({"old/notes.txt": None, **PLANTED, **UNTOUCHED}, "Globex Systems pricing engine")
    profile = root / "globex.toml"
    profile.write_text(PROFILE)
    dest = root / "share"
    res = run_cli("scrub", str(repo.path), "--out", str(dest), "--profile", str(profile), "-q")
    assert res.returncode == 0, res.stderr.decode()
    report = json.loads((root / "share.report.json").read_text())
    return repo, dest, report, profile


def _files(dest: Path) -> list[Path]:
    return sorted(p for p in dest.rglob("*") if p.is_file())


def test_no_company_term_in_any_spelling_in_contents_or_paths(scrubbed):
    _, dest, _, _ = scrubbed
    for f in _files(dest):
        rel = f.relative_to(dest).as_posix().encode()
        for blob in (rel, f.read_bytes()):
            squashed = SEPARATORS.sub(b"", blob.lower())
            for term in TERMS:
                assert term.encode() not in squashed, f"{rel!r} still holds {term!r}"
            assert not re.search(rb"glx-?[0-9]", blob.lower()), rel
            for host in (b"10.42.7.19", b"172.16.9.4", b"globex.corp", b"pricing.internal", b"nightjar.lan"):
                assert host not in blob, (rel, host)


def test_files_with_nothing_planted_are_byte_identical(scrubbed):
    repo, dest, report, _ = scrubbed
    for name in UNTOUCHED:
        assert (dest / name).read_bytes() == (repo.path / name).read_bytes(), name
    kept = {f["path"] for f in report["files"] if f["status"] == "kept"}
    assert set(UNTOUCHED) <= kept


def test_every_python_file_compiles(scrubbed):
    _, dest, _, _ = scrubbed
    pys = [f for f in _files(dest) if f.suffix == ".py"]
    assert len(pys) >= 7
    for f in pys:
        compile(f.read_bytes(), str(f), "exec")


def test_the_renamed_package_still_passes_its_own_tests(scrubbed):
    _, dest, _, _ = scrubbed
    assert (dest / "project1" / "__init__.py").is_file() and not (dest / "nightjar").exists()
    assert (dest / "tests" / "test_project1.py").is_file()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=dest, env=env,
                         capture_output=True)
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert b"2 passed" in res.stdout
    main = subprocess.run([sys.executable, "app/main.py"], cwd=dest, env=dict(env, PYTHONPATH=str(dest)),
                          capture_output=True)
    assert main.returncode == 0 and main.stdout.startswith(b"3 https://api.example"), main.stderr


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_renamed_javascript_module_still_imports(scrubbed):
    _, dest, _, _ = scrubbed
    assert (dest / "web" / "project1-client.js").is_file()
    res = subprocess.run(["node", "web/index.mjs"], cwd=dest, capture_output=True)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.startswith(b"example-corp:")


def test_the_report_lists_every_mapping_and_every_renamed_file(scrubbed):
    _, _, report, _ = scrubbed
    ids = report["mappings"]["identifier"]
    assert ids["Nightjar"] == "Project1" and ids["nightjar"] == "project1"
    assert ids["GlobexSystemsClient"[:13]] == "ExampleCorp"
    assert ids["globexsys.com"] == "example.com"
    users = {ids["jane.doe@globexsys.com"], ids["ops@globexsys.com"]}
    assert users == {"user-1@example.com", "user-2@example.com"}
    assert ids["GLX-1234"] == "TICKET-1"
    hosts = report["mappings"]["host"]
    assert hosts["10.42.7.19"].endswith(".19") and hosts["pricing.internal"].endswith(".example")
    renamed = {f["path"]: f["to"] for f in report["files"] if f["status"] == "renamed"}
    assert renamed["nightjar/core.py"] == "project1/core.py"
    assert renamed["nightjar/nightjar_utils.py"] == "project1/project1_utils.py"
    assert renamed["java/com/globexsys/nightjar/Pricing.java"] == "java/com/example/project1/Pricing.java"
    assert renamed["deploy/globex-systems.env"] == "deploy/example-corp.env"
    history = [f for f in report["findings"] if f["origin"] != "head"]
    assert history and all(f["action"] == "report-only" for f in history)


def test_verify_with_the_profile_passes_on_the_snapshot_and_fails_on_the_source(scrubbed):
    repo, dest, _, profile = scrubbed
    assert run_cli("verify", str(dest), "--profile", str(profile)).returncode == 0
    src = dest.parent / "unscrubbed"
    shutil.copytree(repo.path, src, ignore=shutil.ignore_patterns(".git"))
    res = run_cli("verify", str(src), "--profile", str(profile), "--format", "json")
    assert res.returncode == 1
    paths = {f["path"] for f in json.loads(res.stdout)["findings"] if f["line"] == 0}
    assert "nightjar/core.py" in paths      # file names are checked too


def test_archives_carry_the_renamed_paths(scrubbed, tmp_path):
    import zipfile
    repo, _, _, profile = scrubbed
    dest = tmp_path / "share.zip"
    res = run_cli("scrub", str(repo.path), "--out", str(dest), "--profile", str(profile), "--no-history", "-q")
    assert res.returncode == 0, res.stderr.decode()
    with zipfile.ZipFile(dest) as zf:
        names = [n.split("/", 1)[1] for n in zf.namelist() if not n.endswith("/")]
    assert "project1/core.py" in names and "java/com/example/project1/Pricing.java" in names
    assert not [n for n in names if any(t in SEPARATORS.sub(b"", n.lower().encode()).decode() for t in TERMS)]
