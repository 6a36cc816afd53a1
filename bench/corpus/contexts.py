"""Surroundings for a (name, value) pair: the files people actually leak credentials in.

Each context renders one file and says where the value sits in it, so recall can
be measured as "some finding covers the planted value".  Contexts differ in
what they can hold: a PEM block needs a multi-line literal (or JSON's \\n), an
unquoted reference (``os.environ["X"]``) only makes sense in code.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable, Optional

MARK = "\x00"     # where the value goes in a template (never in a real file)


@dataclass(frozen=True)
class Rendered:
    path: str
    text: str
    start: int        # the value's span in text (after escaping)
    end: int


@dataclass(frozen=True)
class Context:
    name: str
    path: str
    render: Callable[[str, str, bool], Optional[str]]   # (key, value, quoted) -> template with MARK
    code: bool = False          # can hold an unquoted expression as the value
    multiline: str = ""         # "raw" (literal newlines), "escaped" (\n), "indent" (YAML block), ""

    def __call__(self, key: str, value: str, quoted: bool = True) -> Optional[Rendered]:
        if "\n" in value and not self.multiline:
            return None
        if not quoted and not self.code:
            return None
        shown = value
        if "\n" in value and self.multiline == "escaped":
            shown = json.dumps(value)[1:-1]
        elif "\n" in value and self.multiline == "indent":
            shown = value.replace("\n", "\n    ")
        template = self.render(key, shown, quoted)
        if template is None:
            return None
        start = template.index(MARK)
        return Rendered(self.path, template.replace(MARK, shown), start, start + len(shown))


def ident(key: str) -> str:
    """A name usable as a variable (x-api-key -> x_api_key)."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", key)
    return out if not out[:1].isdigit() else "_" + out


def camel(key: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", key) if p]
    return "".join(p[:1].upper() + p[1:].lower() for p in parts) or "Value"


def _q(value: str, quoted: bool, q: str = '"') -> str:
    return f"{q}{MARK}{q}" if quoted else MARK


def _py(key, value, quoted):
    if "\n" in value:
        return f'import os\n\n{ident(key)} = """{MARK}"""\n'
    return f'import os\n\nDEBUG = False\n{ident(key)} = {_q(value, quoted)}\nTIMEOUT = 30\n'


def _py_dict(key, value, quoted):
    return f'SETTINGS = {{\n    "host": "db.example.com",\n    "{key}": {_q(value, quoted)},\n}}\n'


def _py_kwarg(key, value, quoted):
    return f'client = Client(\n    endpoint="https://api.example.com",\n    {ident(key)}={_q(value, quoted, chr(39))},\n)\n'


def _js(key, value, quoted):
    if "\n" in value:
        return f"export const {ident(key)} = `{MARK}`;\n"
    return f"const {ident(key)} = {_q(value, quoted, chr(39))};\nmodule.exports = {{ {ident(key)} }};\n"


def _js_object(key, value, quoted):
    return f'module.exports = {{\n  port: 8080,\n  "{key}": {_q(value, quoted)},\n}};\n'


def _ts(key, value, quoted):
    return f"export const {ident(key)}: string = {_q(value, quoted)};\n"


def _go(key, value, quoted):
    if "\n" in value:
        return f"package config\n\nconst {camel(key)} = `{MARK}`\n"
    return f'package config\n\nvar cfg = Config{{\n\tHost: "db",\n\t{camel(key)}: {_q(value, quoted)},\n}}\n'


def _java(key, value, quoted):
    return (f"package app;\n\npublic class Settings {{\n"
            f"    private static final String {ident(key).upper()} = {_q(value, quoted)};\n}}\n")


def _ruby(key, value, quoted):
    return f"Rails.application.configure do\n  config.{ident(key).lower()} = {_q(value, quoted)}\nend\n"


def _ruby_hash(key, value, quoted):
    return f"CLIENT = Api::Client.new(host: \"api\", {ident(key).lower()}: {_q(value, quoted, chr(39))})\n"


def _csharp(key, value, quoted):
    return (f"namespace App {{\n    public static class Secrets {{\n"
            f"        public const string {camel(key)} = {_q(value, quoted)};\n    }}\n}}\n")


def _php(key, value, quoted):
    return f"<?php\nreturn [\n    'debug' => false,\n    '{key}' => {_q(value, quoted, chr(39))},\n];\n"


def _yaml(key, value, quoted):
    if "\n" in value:
        return f"production:\n  {key}: |\n    {MARK}\n"
    return f"production:\n  adapter: postgresql\n  {key}: {MARK}\n  pool: 5\n"


def _yaml_quoted(key, value, quoted):
    return f"services:\n  api:\n    environment:\n      {key}: \"{MARK}\"\n"


def _json(key, value, quoted):
    return f'{{\n  "name": "api",\n  "credentials": {{\n    "{key}": "{MARK}"\n  }}\n}}\n'


def _env(key, value, quoted):
    return f"APP_ENV=production\n{ident(key).upper()}={MARK}\n"


def _ini(key, value, quoted):
    return f"[database]\nhost = db.example.com\n{key} = {MARK}\n"


def _properties(key, value, quoted):
    return f"spring.datasource.url=jdbc:postgresql://db/app\napp.{key}={MARK}\n"


def _toml(key, value, quoted):
    return f'[service]\nname = "api"\n{ident(key)} = "{MARK}"\n'


def _xml(key, value, quoted):
    tag = ident(key)
    return f"<settings>\n  <server>\n    <id>main</id>\n    <{tag}>{MARK}</{tag}>\n  </server>\n</settings>\n"


def _webconfig(key, value, quoted):
    return f'<configuration>\n  <appSettings>\n    <add key="{camel(key)}" value="{MARK}" />\n  </appSettings>\n</configuration>\n'


def _dockerfile(key, value, quoted):
    return f"FROM python:3.12-slim\nENV {ident(key).upper()}={MARK}\nCMD [\"python\", \"app.py\"]\n"


def _shell(key, value, quoted):
    return f'#!/bin/sh\nset -e\nexport {ident(key).upper()}="{MARK}"\n./deploy --env prod\n'


def _actions(key, value, quoted):
    return (f"name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
            f"    env:\n      {ident(key).upper()}: {MARK}\n    steps:\n      - run: make deploy\n")


def _terraform(key, value, quoted):
    if "\n" in value:
        return f'resource "app_config" "main" {{\n  {ident(key)} = <<EOT\n{MARK}\nEOT\n}}\n'
    return f'resource "app_config" "main" {{\n  name = "api"\n  {ident(key)} = "{MARK}"\n}}\n'


def _concat(key, value, quoted):
    """A literal split over two lines: what a regex cannot see whole."""
    if not quoted or len(value) < 16 or "\n" in value or '"' in value or "\\" in value:
        return None
    return f'{ident(key)} = (\n    "{MARK}"\n)\n'


CONTEXTS: list[Context] = [
    Context("python", "app/settings.py", _py, code=True, multiline="raw"),
    Context("python-dict", "app/config.py", _py_dict, code=True),
    Context("python-kwarg", "app/client.py", _py_kwarg, code=True),
    Context("javascript", "src/config.js", _js, code=True, multiline="raw"),
    Context("javascript-object", "config/default.js", _js_object, code=True),
    Context("typescript", "src/env.ts", _ts, code=True),
    Context("go", "internal/config/config.go", _go, code=True, multiline="raw"),
    Context("java", "src/main/java/app/Settings.java", _java, code=True),
    Context("ruby", "config/environments/production.rb", _ruby, code=True),
    Context("ruby-hash", "lib/client.rb", _ruby_hash, code=True),
    Context("csharp", "src/App/Secrets.cs", _csharp, code=True),
    Context("php", "config/services.php", _php, code=True),
    Context("yaml", "config/database.yml", _yaml, multiline="indent"),
    Context("yaml-quoted", "docker-compose.yml", _yaml_quoted),
    Context("json", "config/production.json", _json, multiline="escaped"),
    Context("env", ".env", _env),
    Context("ini", "setup.cfg", _ini),
    Context("properties", "src/main/resources/application.properties", _properties),
    Context("toml", "config.toml", _toml),
    Context("xml", "settings.xml", _xml),
    Context("web-config", "Web.config", _webconfig),
    Context("dockerfile", "Dockerfile", _dockerfile),
    Context("shell", "scripts/deploy.sh", _shell),
    Context("github-actions", ".github/workflows/deploy.yml", _actions),
    Context("terraform", "infra/main.tf", _terraform, multiline="raw"),
    Context("python-concat", "app/keys.py", _concat, code=True),
]


def bare_line(value: str) -> Optional[Rendered]:
    """The value alone in prose: only a rule that knows the format can find it."""
    if "\n" in value:
        return Rendered("notes/id_key", value + "\n", 0, len(value))
    text = f"2024-05-01 deploy ok, used {MARK} for the upload\n"
    start = text.index(MARK)
    return Rendered("notes/deploy.log", text.replace(MARK, value), start, start + len(value))
