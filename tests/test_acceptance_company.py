"""bench/acceptance_company.py, run as the security team runs it, on a tiny repository.

The real check runs on flask, requests and rails (minutes each); this one plants the
same company, in every form, into a few files of eight languages, so a change that
breaks the check itself, or that lets any planted form through, fails here first.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from conftest import ROOT, RepoBuilder

FILES = {
    "src/app/main.py": '"""The app."""\nimport os\n\n\ndef run():\n    return os.getcwd()\n',
    "run.sh": "#!/bin/sh\necho hi\n",
    "web/index.html": "<html><body>hi</body></html>\n",
    "web/site.css": "body { color: red; }\n",
    "web/app.js": "let x = 1;\n",
    "docs/schema.sql": "CREATE TABLE t (id int);\n",
    "conf.yaml": "name: x\n",
    "README.md": "# Title\n\nText.\n",
    "pyproject.toml": "[tool.x]\na = 1\n",
}


def test_a_planted_company_is_gone_and_the_code_still_works(tmp_path):
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit(FILES, "init")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "acceptance_company.py"), str(repo.path),
                          "--seed", "9", "--headers", "4", "--appends", "4"],
                         capture_output=True, env=env, timeout=120)
    out = res.stdout.decode()
    assert res.returncode == 0, out + res.stderr.decode()
    assert "planted: headers in 4 files" in out and "lines appended to 4 files" in out
    assert "company \"O'" in out              # seed 9 invents an O'Name: written with an apostrophe
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    assert result["failed"] == {} and result["renamed"] >= 20
    assert "passed: 4 passed" in out          # the renamed package's own tests, inside the snapshot


def test_the_check_finds_a_term_in_any_spelling_and_a_planted_host():
    """The check itself must see a leak, or a passing run means nothing."""
    sys.path.insert(0, str(ROOT / "bench"))
    from acceptance_company import FakeCompany, leftovers
    c = FakeCompany.invent(random.Random("7"))
    first, second = c.name.split()
    for spelling in (f"{first}{second}Client", f"get_{first}_{second}_url".lower(), f"{first}-{second}".upper(),
                     f"{first}. {second}", c.codename.upper().replace(" ", "__")):
        found = leftovers(c, "f.py", f"x = 1\ny = '{spelling}'\n".encode())
        assert found and all(label in ("name", "short name", "codename", "domain 1", "domain 2")
                             and spelling in line for _, label, line in found)
    assert [x[1] for x in leftovers(c, "f", f"see {c.tickets[0].lower()} on {c.ips[0]}".encode())] == \
        ["ticket key", f"address {c.ips[0]}"]
    assert leftovers(c, "f", f"v = '1{c.ips[0]}'".encode()) == []   # 110.x is not 10.x
