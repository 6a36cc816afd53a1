"""Build a realistic demo repository for `make demo`: several languages, branches,
tags, secrets in HEAD and secrets that only live in history.

Every secret is generated here from templates (reposcrub.examplegen), so this
file holds none.  Usage: python examples/make_demo_repo.py DEST
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reposcrub.examplegen import expand  # noqa: E402

AWS = expand("AKIA{{[A-Z2-7]:16}}", "demo-aws")
AWS_SECRET = expand("{{b64:40}}", "demo-aws-secret").replace("+", "x").replace("/", "y")
GITHUB_OLD = expand("{{github:ghp}}", "demo-gh")
STRIPE = expand("sk_{{lit:live}}_{{alnum:24}}", "demo-stripe")
SLACK_HOOK = expand("https://hooks.slack.com/services/T{{upperdigits:8}}/B{{upperdigits:8}}/{{alnum:24}}", "demo-slack")
DB_PASS = expand("{{alnum:20}}", "demo-db")
KEY = expand("{{pem:RSA PRIVATE KEY}}", "demo-key")

COMMITS: list[tuple[str, dict[str, str | None]]] = [
    ("Initial import of the Roadrunner service (ACME-101)", {
        "README.md": "# Roadrunner\n\nOrder routing service of Acme Widgets.\n"
                     "Docs: https://wiki.acmewidgets.com/roadrunner\n",
        "LICENSE.txt": "Copyright (c) 2024 Acme Widgets Inc. All rights reserved.\n"
                       "Proprietary and confidential.\n",
        "roadrunner/__init__.py": "# Copyright (c) 2024 Acme Widgets Inc. All rights reserved.\n"
                                  "# Proprietary and confidential. Unauthorized copying of this file is strictly prohibited.\n"
                                  '"""Route orders to the cheapest warehouse."""\n'
                                  "from .routing import route\n\n__all__ = [\"route\"]\n",
        "roadrunner/routing.py": "import os\n\nWAREHOUSE_API = \"https://api.acmewidgets.com/v2\"\n"
                                 "INVENTORY_HOST = \"10.20.30.40\"\n\n\n"
                                 "def route(order: dict) -> str:\n"
                                 "    \"\"\"Pick a warehouse for an order.\"\"\"\n"
                                 "    return \"north\" if order.get(\"qty\", 0) > 10 else \"south\"\n",
        "tests/test_routing.py": "from roadrunner import route\n\n\n"
                                 "def test_small_orders_go_south():\n    assert route({\"qty\": 1}) == \"south\"\n",
        "web/app.js": "// Frontend for the Acme order desk\n"
                      "const API = 'https://orders.acme.internal/api';\n"
                      "export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n",
        "deploy/settings.yaml": f"database:\n  host: db01.acme.internal\n  user: roadrunner\n  password: \"{DB_PASS}\"\n",
        "docs/notes.txt": "Nothing secret here: just notes on the routing heuristics.\n",
    }),
    ("Add deploy credentials (ACME-102)", {
        "deploy/.env": f"AWS_ACCESS_KEY_ID={AWS}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\nSTRIPE_KEY={STRIPE}\n",
        "scripts/release.sh": f"#!/bin/sh\n# publish a release\nGITHUB_TOKEN={GITHUB_OLD}\n"
                              "git push origin --tags\n",
    }),
    ("Remove token from release script, use env instead", {
        "scripts/release.sh": "#!/bin/sh\n# publish a release\n: \"${GITHUB_TOKEN:?set GITHUB_TOKEN}\"\n"
                              "git push origin --tags\n",
    }),
    ("Add ops key and alerting", {
        "deploy/id_rsa": KEY + "\n",
        "ops/alerts.py": f"SLACK_WEBHOOK = \"{SLACK_HOOK}\"\n\n\ndef alert(msg: str) -> dict:\n"
                         "    return {\"text\": msg}\n",
        "go/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"roadrunner worker\")\n}\n",
    }),
]


def git(cwd: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Demo Dev", GIT_AUTHOR_EMAIL="dev@acmewidgets.com",
               GIT_COMMITTER_NAME="Demo Dev", GIT_COMMITTER_EMAIL="dev@acmewidgets.com",
               GIT_AUTHOR_DATE="2024-03-01T12:00:00Z", GIT_COMMITTER_DATE="2024-03-01T12:00:00Z",
               GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def build(dest: Path) -> None:
    if dest.exists():
        sys.exit(f"{dest}: already exists")
    dest.mkdir(parents=True)
    git(dest, "init", "-q", "-b", "main")
    for message, files in COMMITS:
        for name, content in files.items():
            path = dest / name
            if content is None:
                git(dest, "rm", "-q", name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            if name.endswith(".sh"):
                path.chmod(0o755)
            git(dest, "add", name)
        git(dest, "commit", "-q", "-m", message)
    git(dest, "tag", "v1.0")
    git(dest, "checkout", "-q", "-b", "experiment")
    (dest / "experiment.py").write_text(f"TOKEN = \"{expand('xoxb-{{digits:11}}-{{digits:12}}-{{alnum:24}}', 'demo-slack-bot')}\"\n")
    git(dest, "add", "experiment.py")
    git(dest, "commit", "-q", "-m", "Try the Slack bot (ACME-140)")
    git(dest, "checkout", "-q", "main")
    print(f"demo repository written to {dest}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_demo_repo.py DEST")
    build(Path(sys.argv[1]))
