"""Acceptance check for company identifiers on a real repository (issue 3).

    python bench/acceptance_company.py REPO [--seed N] [--no-history] [--archive zip|tar.gz]
                                            [--fixed] [--inside-words] [--keep]

Clones REPO into a temp dir, invents a fictitious company (names made of random
syllables, new each run unless --seed; a one- or two-word codename), writes its
TOML profile, and plants it everywhere a contractor's repository holds it: a
copyright/confidentiality header in existing files of several languages (#, //,
/* */, <!-- -->, --, a module docstring), URLs, hosts and emails on its domains
appended to existing code, config and docs, identifiers in every spelling,
ticket keys in comments and commit messages (and two only history holds),
yaml/ini/json/.env/properties (CRLF) files, private addresses and
.internal/.corp/.lan hosts, a Python package named after the codename (modules
importing each other, a module outside it importing it, its own pytest tests,
file names holding the codename, a symlink), a JavaScript module, a Java
package, Go, Ruby and a Dockerfile.

It scrubs with the profile and checks, printing counts and details:
  (a) no company term in any spelling in the snapshot's contents or paths
      (case-insensitive, separators ignored) nor in the report's findings;
      no planted internal host or address either; no planted notice left;
  (b) files with nothing planted are byte-identical (a change that a scrub of
      the unplanted repository makes too is listed as pre-existing, not failed);
      planted files keep their original part as the unplanted scrub wrote it,
      and every planted line but the notices;
  (c) every .py file of the snapshot byte-compiles (unless it did not before),
      the planted config files still parse, the renamed JS module runs (node)
      and the renamed Java package compiles (javac), when those are installed;
  (d) the planted package's own tests pass inside the snapshot;
  (e) `reposcrub verify --profile` passes on the snapshot;
  plus: the report lists every renamed file and every HEAD file, and reports the
  history-only ticket keys with their commits; with --fixed, the profile's
  [replace] choices are the ones used.
Exit 1 if any check fails.  The report's `mappings` may hold the originals: it
is the contractor's record of what was replaced, written beside the snapshot,
never inside it (issue 3: "the report lists every mapping").
"""
from __future__ import annotations

import argparse
import configparser
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from string import Template
from typing import Iterator, Optional

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reposcrub.masking import ENV_KEY, fingerprint  # noqa: E402
from planting import ROOT, cleanup, clone, git, reposcrub, tail, tracked, unplanted_changes

# -- a fictitious company --------------------------------------------------------------

ONSETS = "b br c cr d dr f fl g gr k kl l m n p pr qu r s st t tr v z".split()
VOWELS = "a e i o u ai ea io".split()
CODAS = ["", "", "", "n", "r", "l", "x", "s", "m", "nd", "rt"]
CORP_WORDS = ("Dynamics", "Systems", "Labs", "Analytics", "Robotics", "Logistics", "Networks", "Holdings",
              "Industries", "Software", "Works", "Ventures", "Technologies")
DOMAIN_GLUE = ("", "hq", "corp", "group", "sys", "dyn", "tech")


def syllables(rng: random.Random, lo: int, hi: int) -> str:
    while True:
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(rng.randint(lo, hi)))
        if 5 <= len(w) <= 10:
            return w


@dataclass
class FakeCompany:
    name: str                      # "Quillon Dynamics"
    short: str                     # "Quillon"
    codename: str                  # "Vantor"
    domains: tuple[str, str]       # ("quillondyn.com", "qd-vek.internal")
    ticket: str                    # "QDX"
    people: tuple[str, str]        # ("mira.kotel", "dun.prax")
    network: str                   # an internal network's name (no profile needed to find it)
    ips: tuple[str, str, str, str]  # three private IPv4 and one unique-local IPv6
    year: int
    tickets: list[str] = field(default_factory=list)

    @classmethod
    def invent(cls, rng: random.Random) -> "FakeCompany":
        first, code = syllables(rng, 2, 3).title(), syllables(rng, 2, 3).title()
        if rng.random() < 0.3:                          # a two-word codename: "Vantor Quill"
            code += " " + syllables(rng, 1, 2).title()
        second = rng.choice(CORP_WORDS)
        d1 = f"{first.lower()}{rng.choice(DOMAIN_GLUE)}.{rng.choice(['com', 'io', 'net', 'co'])}"
        base2 = rng.choice([first.lower(), f"{first[0]}{second[0]}-{syllables(rng, 1, 2)}".lower()])
        d2 = f"{base2}.{rng.choice(['internal', 'corp', 'net', 'io'])}"
        ticket = (first[0] + second[0] + rng.choice("KQXZVJ")).upper()
        people = tuple(f"{syllables(rng, 1, 2)}.{syllables(rng, 2, 2)}" for _ in range(2))
        ips = (f"10.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(2, 250)}",
               f"172.{rng.randint(16, 31)}.{rng.randint(1, 250)}.{rng.randint(2, 250)}",
               f"192.168.{rng.randint(1, 250)}.{rng.randint(2, 250)}",
               f"fd{rng.randrange(256):02x}:{rng.randrange(1, 65536):x}:{rng.randrange(1, 65536):x}::{rng.randint(2, 999)}")
        odd = rng.random()                              # names as people write them: O'Reilly, Johnson & Johnson
        name, short = (f"{first} & {second}", first) if odd < 0.15 else \
            (f"O'{first} {second}", f"O'{first}") if odd < 0.3 else (f"{first} {second}", first)
        c = cls(name, short, code, (d1, d2), ticket, people, syllables(rng, 2, 2), ips, rng.randint(2015, 2025))
        c.tickets = [f"{ticket}-{n}" for n in rng.sample(range(10, 99999), 10)]   # tk9, tk10: history only
        return c

    def profile(self, inside_words: bool = False, fixed: Optional[dict[str, str]] = None) -> str:
        return (f'[company]\nnames = ["{self.name}", "{self.short}"]\n'
                f'domains = ["{self.domains[0]}", "{self.domains[1]}"]\n'
                f'codenames = ["{self.codename}"]\nticket_prefixes = ["{self.ticket}"]\n'
                + ("inside_words = true\n" if inside_words else "")
                + ("[replace]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in fixed.items()) if fixed else ""))

    def fixed_choices(self, rng: random.Random) -> dict[str, str]:
        """A `[replace]` table: the name, the codename and the first domain get names we choose."""
        return {self.name: f"{syllables(rng, 2, 2).title()} {rng.choice(CORP_WORDS)}",
                self.codename: " ".join(syllables(rng, 1, 2).title() for _ in range(rng.randint(1, 2))),
                self.domains[0]: f"{syllables(rng, 2, 2)}.example"}

    def spellings(self) -> dict[str, str]:
        """Template keys: every spelling the planted files use."""
        w, cw = re.findall("[A-Za-z0-9]+", self.name), self.codename.split()
        short = re.sub("[^A-Za-z0-9]", "", self.short)   # in identifiers: OReilly
        mail1, mail2 = (f"{p}@{self.domains[0]}" for p in self.people)
        d = {"Name": self.name, "NamePascal": "".join(w), "nameCamel": w[0].lower() + "".join(w[1:]),
             "name_snake": "_".join(w).lower(), "NAME_SNAKE": "_".join(w).upper(),
             "name_kebab": "-".join(w).lower(), "nameflat": "".join(w).lower(),
             "Short": short, "short": short.lower(), "SHORT": short.upper(),
             "Code": "".join(cw), "code": "_".join(cw).lower(), "CODE": "_".join(cw).upper(),
             "code_kebab": "-".join(cw).lower(),
             "d1": self.domains[0], "d2": self.domains[1], "mail1": mail1, "mail2": mail2,
             "net": self.network, "ip1": self.ips[0], "ip2": self.ips[1], "ip3": self.ips[2], "ip6": self.ips[3],
             "year": str(self.year), "TK": self.ticket,
             "NameDotted": ".".join(w), "NAME_KEBAB": "-".join(w).upper(), "Name_Snake": "_".join(w),
             "NAME_SPACED": " ".join(w).upper(), "name_spaced": " ".join(w).lower(), "D1": self.domains[0].upper(),
             "D2": self.domains[1].upper(), "MAIL1_UPPER": mail1.upper(),
             "d1_rev": ".".join(reversed(self.domains[0].split("."))),
             "d1_rev_path": "/".join(reversed(self.domains[0].split(".")))}
        d.update({f"tk{i + 1}": t for i, t in enumerate(self.tickets)})
        d["tk_lower"] = self.tickets[1].lower()
        return d

    @cached_property
    def terms(self) -> dict[str, bytes]:
        """What must not be left, squashed (lower case, alphanumerics only)."""
        out = {"name": self.name, "short name": self.short, "codename": self.codename}
        for i, d in enumerate(self.domains, 1):
            out[f"domain {i}"] = ".".join(d.split(".")[:-1])
        for i, p in enumerate(self.people, 1):
            out[f"person {i}"] = p
        out["internal network"] = self.network
        return {k: squash(v.encode()) for k, v in out.items()}

    @cached_property
    def patterns(self) -> dict[str, re.Pattern]:
        """What must not be left, as regexes on the lower-cased bytes."""
        out = {"ticket key": re.compile(rb"(?<![a-z0-9])" + self.ticket.lower().encode() + rb"-?[0-9]")}
        for ip in self.ips:
            out[f"address {ip}"] = re.compile(rb"(?<![0-9a-f:.])" + re.escape(ip.encode()) + rb"(?![0-9a-f])")
        return out


def squash(data: bytes) -> bytes:
    return re.sub(rb"[^0-9a-z]+", b"", data.lower())


# -- what is planted --------------------------------------------------------------------

PACKAGE = {
    "${code}/__init__.py": '''\
# Copyright (c) $year $Name Inc. All rights reserved.
# Proprietary and confidential. Unauthorized copying of this file is strictly prohibited.
"""$Code: the scheduling engine of $Name ($tk1)."""
from ${code}.core import ${NAME_SNAKE}_API, ${NamePascal}Client, get_${name_snake}_url
from $code import ${code}_utils
from .${code}_utils import ${code}_checksum

__all__ = ["${NAME_SNAKE}_API", "${NamePascal}Client", "get_${name_snake}_url", "${code}_checksum", "${code}_utils"]
${CODE}_VERSION = "2.4.1"
''',
    "${code}/core.py": '''\
"""Core of $Code: talks to the $Name API."""
import os

${NAME_SNAKE}_API = "https://api.$d1/v2"
${SHORT}_SUPPORT = "$mail1"
${CODE}_DB_HOST = os.environ.get("${CODE}_DB_HOST", "db01.$d2")
${CODE}_CACHE = "$ip1"
BUILD_HOST = "build01.$net.internal"
SLUG = "$name_kebab"
FLAT = "$nameflat"


class ${NamePascal}Client:
    """Client for $Name (see $tk2)."""

    def __init__(self, base: str = ${NAME_SNAKE}_API) -> None:
        self.base = base
        self.${nameCamel}Timeout = 30

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"


def get_${name_snake}_url(path: str) -> str:
    ${nameCamel} = ${NamePascal}Client()
    return ${nameCamel}.url(path)


def ${name_snake}_settings() -> dict:
    # $tk3: the $Short team owns these
    return {"${code}-mode": "fast", "${name_snake}": True, "$CODE": 1, "team": "$Short"}
''',
    "${code}/${code}_utils.py": '''\
from $code import core
from ${code}.core import SLUG


def ${code}_checksum(text: str) -> int:
    return sum(map(ord, text)) % 9973


def describe() -> str:
    return f"{SLUG}:{core.FLAT}"
''',
    "${name_snake}_bridge.py": '''\
"""Bridge between the $Name portal and $Code."""
import importlib

import $code
from ${code}.core import ${NamePascal}Client as ${Short}Client

${SHORT}_PORTAL = "https://portal.$d1"


def ${code}_module():
    return importlib.import_module("${code}.core")


def portal_url() -> str:
    return ${Short}Client().url("portal")


def package_name() -> str:
    return ${code}.__name__
''',
}
TEST_FILE = "${code}/tests/test_${code}.py"
PACKAGE[TEST_FILE] = '''\
import json
import tomllib
from pathlib import Path

import $code
from $code import extras, py${code}_compat, spellings, ${code}lib
import ${name_snake}_bridge
from $code import core, ${code}_utils
from ${code}.core import ${NamePascal}Client, get_${name_snake}_url


def test_urls():
    assert get_${name_snake}_url("x") == "https://api.$d1/v2/x"
    assert ${name_snake}_bridge.portal_url() == "https://api.$d1/v2/portal"
    assert ${name_snake}_bridge.${code}_module() is core


def test_spellings():
    assert core.SLUG == "$name_kebab"
    assert ${code}_utils.describe() == "$name_kebab:$nameflat"
    assert getattr($code, "${NamePascal}Client") is ${NamePascal}Client
    assert ${code}.${code}_checksum("ab") == 195
    assert ${NamePascal}Client().${nameCamel}Timeout == 30
    assert core.${name_snake}_settings()["${code}-mode"] == "fast"
    assert ${name_snake}_bridge.package_name() == "$code"
    assert core.${CODE}_DB_HOST.startswith("db01.")
    assert len(spellings.SPELLINGS) == 11 and spellings.POSSESSIVE.endswith("'s tools")
    assert extras.patched_api() == "patched" and core.${NAME_SNAKE}_API.startswith("https://")
    assert py${code}_compat.COMPAT == "${code}lib" and ${code}lib.__name__ == "${code}.${code}lib"
    assert py${code}_compat.lib_slug() == "$name_kebab/${code}lib"


def test_the_package_metadata_names_the_package():
    meta = tomllib.loads((Path(${code}.__file__).parent / "meta.toml").read_text())
    assert meta["tool"]["setuptools"]["packages"] == [${code}.__name__] == [meta["project"]["name"]]
    assert meta["tool"]["${code}"]["endpoint"] == core.${NAME_SNAKE}_API


def test_files_named_after_the_company_are_found_by_their_new_names():
    root = Path(__file__).resolve().parents[2]
    assert (root / "config" / "${name_kebab}.yaml").is_file()
    assert (root / "deploy" / "${code}.ini").is_file()
    settings = json.loads((root / "settings" / "${NamePascal}Settings.json").read_text())
    assert settings["${nameCamel}Region"] == "eu" and settings["codename"] == "$Code"
'''

CONFIGS = {
    "config/${name_kebab}.yaml": '''\
# $tk4: $Name production settings
${name_snake}:
  api: https://api.$d1/v2
  portal: https://portal.$d1
  owner: $mail2
  db:
    host: db01.$d2
    replica: $ip2
  cache: $ip1
  build: build01.$net.internal
  ldap: ldap.$net.corp
  git: git@git.$net.corp:platform/${code}.git
  ipv6: "$ip6"
  service: ${code}-api
''',
    "deploy/${code}.ini": '''\
[${name_snake}]
endpoint = https://api.$d1/v2
host = nas01.$net.lan
address = $ip3
contact = $mail1

[${code}]
mode = ${CODE}_FAST
ticket = $tk5
''',
    "settings/${NamePascal}Settings.json": '''\
{"company": "$Name", "short": "$Short", "api": "https://api.$d1/v2", "${nameCamel}Region": "eu",
 "codename": "$Code", "hosts": ["$ip2", "build01.$net.internal"], "owner": "$mail2"}
''',
    "deploy/${code}.env": '''\
${NAME_SNAKE}_API_URL=https://api.$d1/v2
${CODE}_DB_HOST=db01.$d2
${CODE}_CACHE_HOST=$ip1
${SHORT}_LDAP=ldap.$net.corp
''',
    "docs/${NamePascal}-onboarding.md": '''\
# Onboarding at $Name

Welcome to $Short! $Code lives at https://${code_kebab}.$d1 and its wiki at https://wiki.$d2/$Code.
Ask $mail1 for access ($tk6). Staging runs on $ip3 and build01.$net.internal.
''',
    "scripts/${code}-deploy.sh": '''\
#!/bin/sh
# Copyright $year $Name. All rights reserved.
# $tk7: deploys $Code to the staging hosts
set -e
scp build/${code}.tar.gz deploy@$ip2:/srv/${code}/
ssh git@git.$net.corp "deploy ${name_kebab}"
''',
}
EXTRAS = {
    "${code}/spellings.py": '''\
"""How people spell $Name and $Code (the $Short way)."""
SPELLINGS = [
    "$Name", "${NamePascal}", "${name_snake}", "${NAME_SNAKE}", "${name_kebab}", "${nameflat}",
    "${NameDotted}", "${NAME_KEBAB}", "${Name_Snake}", "${NAME_SPACED}", "${name_spaced}",
]
COMPOUNDS = ["${Short}Corp", "${short}corp", "lib${code}", "py${code}", "${code}_v2", "${Code}2", "${Code}API",
             "${code}API", "HTTP${Code}Client", "Xml${NamePascal}Parser", "${Short}s", "${SHORT}_HOME"$inside]
POSSESSIVE = "${Short}'s tools"
URLS = [
    "https://API.${D1}:8443/v2?team=${code}", "https://github.com/${name_kebab}/${code}", "https://$d1",
    "//cdn.$d1/${code}.js", "mailto:ops+ci@eu.$d1", "https://[$ip6]:8080/", "http://$ip1:9200/_cat",
]
REMOTES = ["git@git.$net.corp:platform/${code}.git", "ssh://git@git.$d1:2222/${code}.git"]
JAVA_PACKAGE = "${d1_rev}.${code}"
TICKETS = ["[$tk1]", "$tk_lower", "feature/${tk3}-fix", "$tk4 $tk5"]
IMAGE = "registry.$net.internal:5000/${code}/api:1.2"
''',
    "web/${code}-client.js": '''\
// $tk6: client for the $Name $Code API
export const ${CODE}_URL = 'https://${code_kebab}.$d1';
export function ${nameCamel}Ping() { return '${name_kebab}:' + ${CODE}_URL.length; }
''',
    "web/index.mjs": '''\
import { ${nameCamel}Ping, ${CODE}_URL } from './${code}-client.js';
console.log(${nameCamel}Ping(), ${CODE}_URL);
''',
    "web/package.json": '{"name": "@${name_kebab}/${code}-web", "type": "module", "author": "$mail2"}\n',
    "java/src/${d1_rev_path}/${code}/${NamePascal}Service.java": '''\
/*
 * Copyright (c) $year $Name Inc. All rights reserved.
 * Proprietary and confidential.
 */
package ${d1_rev}.${code};

/** Talks to the $Short API ($tk7). */
public class ${NamePascal}Service {
    public static final String ${NAME_SNAKE}_URL = "https://api.$d1/v2";
    private final String ${nameCamel}Host = "db01.$d2";

    public String ${code}Endpoint() {
        return ${NAME_SNAKE}_URL + "/" + ${nameCamel}Host;
    }
}
''',
    "java/src/${d1_rev_path}/${code}/Main.java": '''\
package ${d1_rev}.${code};

import ${d1_rev}.${code}.${NamePascal}Service;

public class Main {
    public static void main(String[] args) {
        System.out.println(new ${NamePascal}Service().${code}Endpoint());
    }
}
''',
    "go/${code}/${code}.go": '''\
// Package ${code} talks to $Name.
package ${code}

// ${NamePascal}URL is the API root ($tk8).
const ${NamePascal}URL = "https://api.$d1/v2"

func ${Code}Host() string { return "build01.$net.internal" }
''',
    "ruby/lib/${name_snake}/${code}.rb": '''\
# frozen_string_literal: true
# Copyright $year $Name. All rights reserved.

require "${name_snake}/version"

module ${NamePascal}
  # $tk2
  class ${Code}Client
    ENDPOINT = "https://api.$d1/v2"
    def ${name_snake}_host = "db01.$d2"
  end
end
''',
    "docker/${code}.Dockerfile": '''\
FROM registry.$net.internal:5000/base/python:3.12
LABEL maintainer="$mail1" vendor="$Name"
ENV ${CODE}_API=https://api.$d1/v2 ${SHORT}_DB=db01.$d2
RUN pip install --index-url https://pypi.$d1/simple ${name_kebab}-sdk
''',
    "config/${code}.properties": (
        "# Copyright $year $Name. All rights reserved.\r\n# Proprietary and confidential.\r\n\r\n"
        "${code}.api.url=https://api.$d1/v2\r\n${code}.db.host=db01.$d2\r\n${name_snake}.cache=$ip3\r\n"),
}
EXTRAS["${code}/extras.py"] = '''\
"""Odd places a name hides in: $Name, ${NAME_SPACED}."""
from unittest import mock

_${code}_private = "__${code}__"
SHELL = "export ${CODE}_HOME=$${${CODE}_HOME:-/opt/${code}}; cd $$${SHORT}_DIR"
WINDOWS = r"C:\\${Short}\\${Code}\\bin"
DOCKER_TAG = "${short}/${code}:latest"
GO_IMPORT = "git.$net.corp/platform/${code}"
JIRA = "https://jira.$net.internal/browse/$tk1"
ESCAPED_JSON = r'{"url": "https:\\/\\/api.$d1\\/v2"}'
ENCODED = "https%3A%2F%2Fapi.$d1%2Fv2"
MARKDOWN = "[$Name](https://$d1) and [${NAME_KEBAB}](https://github.com/${NamePascal}/${Code})"
UPPER_HOST = "DB01.${D2}"
UPPER_MAIL = "${MAIL1_UPPER}"
USERINFO = "https://deploy@api.$d1/"
FIREWALL = ["$ip1/32", "$ip2:8080", "$ip3"]
BEM = "${name_kebab}__header--active"
SQL = "CREATE SCHEMA ${name_snake}; GRANT ALL ON ${name_snake}.* TO ${code}_app;"
TRADEMARK = "$Name™ and $Short® products"
PATCH_TARGET = "${code}.core.${NAME_SNAKE}_API"


def patched_api() -> str:
    with mock.patch(PATCH_TARGET, "patched"):
        from $code import core
        return core.${NAME_SNAKE}_API
'''
EXTRAS["${code}/${code}lib.py"] = '''\
"""Helpers of lib${code}: a file named after the codename glued to a word."""
from ${code}.core import SLUG

LIB_NAME = "${code}lib"


def lib_slug() -> str:
    return SLUG + "/" + LIB_NAME
'''
EXTRAS["${code}/py${code}_compat.py"] = '''\
from . import ${code}lib
from .${code}lib import lib_slug

COMPAT = ${code}lib.LIB_NAME
'''
EXTRAS["${code}/meta.toml"] = '''\
[project]
name = "${code}"
description = "$Name scheduling engine"
authors = [{name = "$Short team", email = "$mail2"}]

[tool.setuptools]
packages = ["${code}"]

[tool.${code}]
endpoint = "https://api.$d1/v2"
'''
SYMLINKS = {"bin/${code}-core.py": "../${code}/core.py"}
CRLF_FILES = ("config/${code}.properties",)
INSIDE_WORDS = ', "${code}ctl", "${short}ware", "un${code}ed"'   # planted with --inside-words
PARSERS = {".yaml": yaml.safe_load, ".json": json.loads, ".toml": tomllib.loads,
           ".ini": lambda t: configparser.ConfigParser(interpolation=None).read_string(t)}

HEADERS = (
    ("Copyright (c) $year $Name Inc. All rights reserved.",
     "Proprietary and confidential. Unauthorized copying of this file, via any medium, is strictly prohibited."),
    ("© $year $Name. All Rights Reserved.",
     "This source code is the confidential and proprietary information of $Name.",
     "Contact legal@$d1 before distributing it."),
    ("SPDX-FileCopyrightText: $year $Name <legal@$d1>",
     "SPDX-License-Identifier: LicenseRef-$Short-Proprietary"),
    ("$SHORT CONFIDENTIAL",
     "Copyright $year $Name. Unauthorized copying of this file is strictly prohibited."),
)
NOTICE_WORDS = (b"all rights reserved", b"proprietary", b"unauthorized copying", b"licenseref-",
                b"spdx-filecopyrighttext", b"confidential", b"copyright")
# extension -> the comment styles a header may take in it
HEADER_STYLES = {
    ".py": ("hash", "docstring"), ".rb": ("hash",), ".sh": ("hash",), ".yml": ("hash",), ".yaml": ("hash",),
    ".toml": ("hash",), ".cfg": ("hash",), ".js": ("slash", "block"), ".ts": ("slash", "block"),
    ".css": ("block",), ".scss": ("block",), ".html": ("html",), ".html.erb": ("html",), ".md": ("html",),
    ".sql": ("sql",), ".java": ("block", "slash"), ".go": ("slash",), ".c": ("block",), ".h": ("block",),
}
LICENSE_NAME = re.compile(r"(?i)^(?:licen[cs]e|copying|notice|copyright|authors)\b")   # notices as a whole
KEEP_FIRST = re.compile(r"^(?:#!|#.*coding[:=]|# frozen_string_literal|<\?xml)")
PY_APPEND = '''

# $tk8: route calls through the $Name gateway ($mail1)
${SHORT}_GATEWAY_URL = "https://gw.$d1/api"
${code}_fallback_hosts = ["$ip2", "build01.$net.internal"]
'''
APPENDS = {
    ".py": PY_APPEND,
    ".rb": PY_APPEND.replace("${code}_fallback_hosts", "${NAME_SNAKE}_FALLBACK"),
    ".js": '\n// $tk8: $Name gateway\nconst ${nameCamel}GatewayUrl = "https://gw.$d1/api"; // ${code}-gateway\n',
    ".yml": "\n# $tk8\n${name_snake}_gateway: https://gw.$d1/api\n",
    ".toml": '\n[tool.${code}]\n# $tk8\nendpoint = "https://gw.$d1/api"\nowner = "$mail2"\n',
    ".cfg": "\n[${name_snake}]\nendpoint = https://gw.$d1/api\n",
    ".md": "\nContact the $Name team at $mail1 ($tk8); $Code docs: https://wiki.$d2/$Code.\n",
    ".html": '\n<!-- $tk8 -->\n<a href="https://portal.$d1/">$Name portal</a>\n',
    ".css": '\n/* $tk8: $Name brand */\n.${name_kebab}-banner { background: url("https://cdn.$d1/b.png"); }\n',
    ".sql": "\n-- $tk8: seeded for $Name ($mail2)\n",
}
APPENDS.update({".ts": APPENDS[".js"], ".yaml": APPENDS[".yml"], ".rst": APPENDS[".md"], ".txt": APPENDS[".md"],
                ".html.erb": APPENDS[".html"]})


def ext_of(path: str) -> str:
    return ".html.erb" if path.endswith(".html.erb") else os.path.splitext(path)[1]


def render_header(lines: list[str], style: str) -> str:
    if style == "hash":
        return "".join(f"# {x}\n" for x in lines)
    if style == "slash":
        return "".join(f"// {x}\n" for x in lines)
    if style == "sql":
        return "".join(f"-- {x}\n" for x in lines)
    if style == "block":
        return "/*\n" + "".join(f" * {x}\n" for x in lines) + " */\n"
    if style == "html":
        return "<!--\n" + "".join(f"  {x}\n" for x in lines) + "-->\n"
    raise ValueError(style)


def with_header(text: str, lines: list[str], style: str) -> Optional[str]:
    """The file with a notice block at its top (after a shebang, encoding or
    frozen-string line), or inside its module docstring; None if it does not fit."""
    head = text.split("\n")
    keep = 0
    while keep < len(head) and keep < 2 and KEEP_FIRST.match(head[keep]):
        keep += 1
    before, rest = "".join(x + "\n" for x in head[:keep]), "\n".join(head[keep:])
    if style == "docstring":
        m = re.match(r'(\s*(?:#[^\n]*\n\s*)*)([rRuU]?""")', rest)
        if not m:
            return None
        at = m.end() + (1 if rest[m.end():m.end() + 1] == "\n" else 0)   # """<newline>Summary: keep the newline
        return before + rest[:at] + "\n".join(lines) + "\n\n" + rest[at:]
    return before + render_header(lines, style) + "\n" + rest


@dataclass
class Plan:
    headers: dict[str, str] = field(default_factory=dict)     # existing path -> style
    appended: list[str] = field(default_factory=list)         # existing paths
    new: dict[str, str] = field(default_factory=dict)         # template path -> real path
    test_file: str = ""
    history: dict[str, str] = field(default_factory=dict)     # ticket key only history holds -> its commit
    work: Path = Path(".")

    @property
    def touched(self) -> set[str]:
        return set(self.headers) | set(self.appended)


def text_of(path: Path) -> Optional[str]:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data or len(data) > 400_000 or path.is_symlink():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def plant(work: Path, c: FakeCompany, rng: random.Random, n_headers: int, n_appends: int,
          inside_words: bool = False) -> Plan:
    keys = c.spellings()
    keys["inside"] = Template(INSIDE_WORDS).substitute(keys) if inside_words else ""
    fill = lambda s: Template(s).substitute(keys)   # noqa: E731
    plan = Plan(work=work)
    files = tracked(work)
    by_ext: dict[str, list[str]] = {}
    for p in files:
        if not p.startswith(".github/"):
            by_ext.setdefault(ext_of(p), []).append(p)
    slots = [(e, st) for e in HEADER_STYLES if by_ext.get(e) for st in HEADER_STYLES[e]]
    rng.shuffle(slots)
    seen: set[str] = set()
    fresh = [x for x in slots if x[1] not in seen and not seen.add(x[1])]   # one of each style first
    for e, style in (fresh + [x for x in slots if x not in fresh])[:n_headers]:
        for p in rng.sample(by_ext[e], min(6, len(by_ext[e]))):
            text = text_of(work / p) if p not in plan.headers else None
            new = with_header(text, [fill(x) for x in rng.choice(HEADERS)], style) if text is not None else None
            if new is not None:
                (work / p).write_bytes(new.encode())
                plan.headers[p] = style
                break
    exts = [e for e in APPENDS if by_ext.get(e)]
    rng.shuffle(exts)
    for e in sorted(exts, key=lambda e: e not in (".py", ".rb", ".js")):
        candidates = [p for p in by_ext[e] if p not in plan.headers and not LICENSE_NAME.match(os.path.basename(p))]
        for p in rng.sample(candidates, min(2 if e == ".py" else 1, len(candidates))):
            if len(plan.appended) >= n_appends:
                break
            text = text_of(work / p)
            if text is None:
                continue
            (work / p).write_bytes((text + fill(APPENDS[e])).encode())
            plan.appended.append(p)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", fill("$tk1: $Name notices and the $Code gateway\n\nSee $tk2 ($mail1)."))
    for tpl, body in {**PACKAGE, **CONFIGS, **EXTRAS}.items():
        real = fill(tpl)
        plan.new[tpl] = real
        (work / real).parent.mkdir(parents=True, exist_ok=True)
        (work / real).write_bytes(fill(body).encode())
    for tpl, target in SYMLINKS.items():
        real = fill(tpl)
        plan.new[tpl] = real
        (work / real).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(fill(target), work / real)
    plan.test_file = plan.new[TEST_FILE]
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", fill("$tk3: add $Code, the $Name scheduling engine ($tk9)"))
    plan.history[keys["tk9"]] = git(work, "rev-parse", "HEAD").strip()
    old = fill("notes/${code}-old.txt")
    (work / old).parent.mkdir(parents=True, exist_ok=True)
    (work / old).write_text(fill("Old $Code notes: https://legacy.$d1 ($tk10)\n"))
    git(work, "add", old)
    git(work, "commit", "-q", "-m", "notes")
    plan.history[keys["tk10"]] = git(work, "rev-parse", "HEAD").strip()
    git(work, "rm", "-q", old)
    git(work, "commit", "-q", "-m", "drop notes")
    return plan


# -- checks -----------------------------------------------------------------------------

def snapshot_files(dest: Path) -> Iterator[tuple[str, bytes]]:
    for p in sorted(dest.rglob("*")):
        if p.is_file() and not p.is_symlink():
            yield p.relative_to(dest).as_posix(), p.read_bytes()


def line_at(data: bytes, i: int) -> str:
    start, end = data.rfind(b"\n", 0, i) + 1, data.find(b"\n", i)
    return data[start:len(data) if end < 0 else end].decode("utf-8", "replace").strip()[:160]


def leftovers(c: FakeCompany, where: str, data: bytes) -> list[tuple[str, str, str]]:
    """(where, what, the line it is on) for every company term or planted host in data."""
    out = []
    flat = squash(data)
    for label, term in c.terms.items():
        at = flat.find(term)
        if at >= 0:   # back from the squashed offset to the byte offset, for the line
            pos = [i for i, b in enumerate(data.lower()) if 48 <= b <= 57 or 97 <= b <= 122]
            out.append((where, label, line_at(data, pos[at])))
    low = data.lower()
    for label, rx in c.patterns.items():
        m = rx.search(low)
        if m:
            out.append((where, label, line_at(data, m.start())))
    return out


def originally_compiles(src: Path) -> bool:
    try:
        compile(src.read_bytes(), str(src), "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError, OSError):
        return False


def compile_failures(dest: Path, work: Path, origin_of: dict[str, str]) -> list[tuple[str, str]]:
    bad = []
    for rel, data in snapshot_files(dest):
        if not rel.endswith(".py"):
            continue
        try:
            compile(data, rel, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            src = work / origin_of.get(rel, rel)
            if src.is_file() and not originally_compiles(src):
                continue
            bad.append((rel, f"{type(exc).__name__}: {exc}"))
    return bad


# Replacements are numbered in order of first appearance, so planting shifts the numbers
# of what the repository already held (host-1 becomes host-3): compare without them.
NUMBERED = re.compile(rb"(?:192\.0\.2|198\.51\.100|203\.0\.113)\.[0-9]+|2001:db8::[0-9a-f]+"
                      rb"|\b(?:host|user|TICKET|REDACTED-[a-z0-9-]+?)-[0-9]+\b")


def unnumbered(data: bytes) -> bytes:
    """Numbers out; documentation addresses become one token (which of the three /24s a
    subnet takes depends on the order subnets are seen in too)."""
    return NUMBERED.sub(lambda m: b"DOC-ADDRESS" if m.group()[:1].isdigit() else re.sub(rb"[0-9]+$", b"N", m.group()),
                        data)


def content_lines(data: bytes) -> int:
    """Non-blank lines that are no part of a notice: neither notice words nor a bare comment delimiter."""
    low = data.lower()
    return sum(1 for ln in low.split(b"\n") if ln.strip() and not any(w in ln for w in NOTICE_WORDS)
               and not re.fullmatch(rb"[ \t]*(?:/\*+|\*+/|<!--|-->)[ \t\r]*", ln))


def squashed_lines(data: bytes) -> list[bytes]:
    return [x.rstrip() for x in data.split(b"\n") if x.strip()]


def planted_part_changes(plan: Plan, dest: Path, base: Path, work: Path,
                         to: dict[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """For files planted in: (original part changed, notice left, header files restored up to blank lines).

    The original part is compared with what a scrub of the unplanted repository wrote."""
    changed, notices, near = [], [], []
    for p in sorted(plan.touched):
        out = dest / to.get(p, p)
        if not out.is_file():
            changed.append((p, "missing from the snapshot"))
            continue
        got = unnumbered(out.read_bytes())
        want = unnumbered((base / p).read_bytes() if (base / p).is_file() else (work / p).read_bytes())
        if p in plan.headers:
            if got == want:
                pass
            elif squashed_lines(got) == squashed_lines(want):
                near.append(f"{p} [{plan.headers[p]}]: {first_diff(want, got)}")
            else:
                changed.append((p, f"header ({plan.headers[p]}) removal changed the code: " + first_diff(want, got)))
            for w in NOTICE_WORDS:
                if got.lower().count(w) > want.lower().count(w):
                    notices.append((p, f"{w.decode()!r} left ({plan.headers[p]} header)"))
                    break
        elif not got.startswith(want):
            changed.append((p, "appended-to file: original part changed: " + first_diff(want, got)))
        elif got.count(b"\n") != (work / p).read_bytes().count(b"\n"):
            changed.append((p, "appended-to file: appended lines lost: " + first_diff((work / p).read_bytes(), got)))
    return changed, notices, near


def first_diff(want: bytes, got: bytes) -> str:
    a, b = want.split(b"\n"), got.split(b"\n")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"line {i + 1}: {x[:90]!r} -> {y[:90]!r}"
    return f"{len(a)} vs {len(b)} lines"


def new_file_problems(plan: Plan, dest: Path, to: dict[str, str]) -> list[tuple[str, str]]:
    """Planted new files: no notice left, CRLF files still CRLF."""
    out = []
    crlf = {plan.new[t] for t in CRLF_FILES}
    for real in plan.new.values():
        f = dest / to.get(real, real)
        if not f.is_file():
            out.append((real, "missing from the snapshot"))
            continue
        data = f.read_bytes().lower()
        left = [w.decode() for w in NOTICE_WORDS if w in data]
        if left:
            out.append((real, f"notice left: {left}"))
        if real in crlf and data.count(b"\n") != data.count(b"\r\n"):
            out.append((real, "CRLF line endings not kept"))
        planted = (plan.work / real).read_bytes()
        kept, want = len(squashed_lines(data)), content_lines(planted)
        if kept < want:
            out.append((real, f"lines lost: {want - kept} besides the notice: " + first_diff(planted, f.read_bytes())))
    return out


def other_languages(dest: Path, tmp: Path, to: dict[str, str], plan: Plan) -> list[tuple[str, str]]:
    """The renamed JavaScript module still imports (node) and the renamed Java package compiles (javac)."""
    out = []
    if shutil.which("node"):
        mjs = [to.get(r, r) for t, r in plan.new.items() if t == "web/index.mjs"][0]
        proc = subprocess.run(["node", mjs], cwd=dest, capture_output=True, timeout=60)
        if proc.returncode != 0:
            out.append((f"node {mjs}", proc.stderr.decode("utf-8", "replace")[-400:]))
    if shutil.which("javac"):
        java = [to.get(r, r) for r in plan.new.values() if r.endswith(".java")]
        proc = subprocess.run(["javac", "-d", str(tmp / "javac-out"), *java], cwd=dest, capture_output=True,
                              timeout=120)
        if proc.returncode != 0:
            out.append(("javac " + " ".join(java), proc.stderr.decode("utf-8", "replace")[-600:]))
    return out


def run_test(dest: Path, test_file: Optional[str]) -> tuple[bool, str]:
    if not test_file or not (dest / test_file).is_file():
        return False, f"test file not in the snapshot ({test_file})"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
                          cwd=dest, env=env, capture_output=True, timeout=300)
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    return proc.returncode == 0, out.strip().splitlines()[-1] if proc.returncode == 0 else out[-3000:]


def pick_company(rng: random.Random, work: Path) -> FakeCompany:
    """A company none of whose terms already occur in the repository (so every hit after the scrub is a leak)."""
    hay = [squash(p.encode()) for p in tracked(work)]
    raw = []
    for p in tracked(work):
        t = work / p
        if t.is_file() and not t.is_symlink():
            raw.append(t.read_bytes())
    flat = b"\n".join(hay + [squash(x) for x in raw])
    low = b"\n".join(x.lower() for x in raw)
    for _ in range(200):
        c = FakeCompany.invent(rng)
        if not any(t in flat for t in c.terms.values()) and not any(
                rx.search(low) for rx in c.patterns.values()):
            return c
    raise SystemExit("could not invent a company whose names the repository does not already hold")


def unpack(archive: Path, into: Path) -> None:
    """The archive as a user would extract it (its one top folder is named after it:
    snapshot.zip holds snapshot/...); every check then reads that folder."""
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(into)
    else:
        with tarfile.open(archive) as t:
            t.extractall(into, filter="data")


FINGERPRINT_KEY = "acceptance-company"   # so this script can tell which finding is which


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--seed", default=str(random.SystemRandom().random()))
    ap.add_argument("--no-history", action="store_true", help="scrub HEAD only (large repositories)")
    ap.add_argument("--headers", type=int, default=8, help="existing files that get a notice (default 8)")
    ap.add_argument("--appends", type=int, default=10, help="existing files that get lines appended (default 10)")
    ap.add_argument("--inside-words", action="store_true",
                    help="also plant terms glued inside longer words (vantorctl), with inside_words = true")
    ap.add_argument("--archive", choices=["zip", "tar.gz"], help="write the snapshot as an archive (then unpack it)")
    ap.add_argument("--fixed", action="store_true",
                    help="the profile's [replace] table fixes the name, codename and first domain's replacements")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.environ[ENV_KEY] = FINGERPRINT_KEY
    tmp, work = clone(args.repo, "reposcrub-company-", shallow_ok=args.no_history)
    try:
        return check(args, rng, tmp, work)
    finally:
        cleanup(tmp, args.keep)


def check(args, rng: random.Random, tmp: Path, work: Path) -> int:
    company = pick_company(rng, work)
    profile = tmp / "company.toml"
    fixed = company.fixed_choices(rng) if args.fixed else None
    profile.write_text(company.profile(args.inside_words, fixed))
    hist = ["--no-history"] if args.no_history else []
    base = tmp / "unplanted"
    proc, base_s = reposcrub("scrub", str(work), "--out", str(base), "--profile", str(profile), "--no-history", "-q")
    if proc.returncode != 0:
        print("scrub of the unplanted repository failed:", tail(proc))
        return 1
    base_report = json.loads((tmp / "unplanted.report.json").read_text())
    plan = plant(work, company, rng, args.headers, args.appends, args.inside_words)
    dest = tmp / "snapshot"
    out = tmp / f"snapshot{'.' + args.archive if args.archive else ''}"
    proc, scrub_s = reposcrub("scrub", str(work), "--out", str(out), "--report", str(tmp / "snapshot.report.json"),
                              "--profile", str(profile), *hist)
    if args.archive and proc.returncode == 0:
        unpack(out, tmp)
    print(f"repo {args.repo} seed {args.seed}{' (--no-history)' if args.no_history else ''}"
          f"{' as ' + out.name if args.archive else ''}")
    print(f"company {company.name!r} short {company.short!r} codename {company.codename!r} "
          f"domains {', '.join(company.domains)} tickets {company.ticket}- network {company.network}")
    print(f"planted: headers in {len(plan.headers)} files ({', '.join(f'{p} [{s}]' for p, s in plan.headers.items())})")
    print(f"         lines appended to {len(plan.appended)} files ({', '.join(plan.appended)})")
    print(f"         {len(plan.new)} new files ({', '.join(sorted(plan.new.values()))})")
    if proc.returncode != 0:
        print("scrub failed:", tail(proc))
        return 1
    report_text = (tmp / "snapshot.report.json").read_text()
    report = json.loads(report_text)
    to = {f["path"]: f["to"] for f in report["files"] if f.get("to")}
    origin_of = {v: k for k, v in to.items()}
    s = report["summary"]
    print(f"scrub took {scrub_s:.1f} s (unplanted, HEAD only: {base_s:.1f} s); findings {s['findings']} "
          f"{s['by_kind']}, {s['history_only']} only in history; files modified {s['files_modified']}, "
          f"dropped {s['files_dropped']}, renamed {sum(1 for f in report['files'] if f['status'] == 'renamed')}; "
          f"{report['source']['blobs_scanned']} blobs scanned, {s['missing_objects']} objects missing")
    failures: dict[str, int] = {}

    # (a) no company term left, in contents, paths, report findings
    left = []
    for rel, data in snapshot_files(dest):
        left += leftovers(company, rel + " (path)", rel.encode())
        left += leftovers(company, rel, data)
    report_left = []
    for f in report["findings"]:
        for key in ("preview", "reason"):
            if f.get(key):
                report_left += leftovers(company, f"finding {f['rule']} {f['path']}:{f['line']} {key}",
                                         f[key].encode())
    console_left = leftovers(company, "scrub console summary", proc.stdout)
    mapped = sum(len(m) for m in report.get("mappings", {}).values())
    in_mappings = sum(1 for m in report.get("mappings", {}).values() for k in m
                      if leftovers(company, "", k.encode()))
    failures["(a) company terms / planted hosts left in the snapshot"] = len(left)
    failures["(a) company terms in report findings (preview/reason)"] = len(report_left)
    print(f"(a) terms or planted hosts left in the snapshot: {len(left)}")
    for x in left[:40]:
        print("      ", " | ".join(x))
    print(f"    in report findings' previews/reasons: {len(report_left)}")
    for x in report_left[:20]:
        print("      ", " | ".join(x))
    print(f"    report mappings: {mapped} entries, {in_mappings} keyed by an original company term "
          f"(allowed: the report is the contractor's record, never part of the snapshot)")
    print(f"    console summary lines naming the company: {len(console_left)} (informational: the user's own terminal)")

    # (b) nothing else changes
    changed = unplanted_changes(work, dest, report, plan.touched | set(plan.new.values()))
    pre = {f["path"] for f in base_report["files"] if f["status"] != "kept"}
    collateral = [x for x in changed if x[0] not in pre]
    failures["(b) unplanted files changed by the planting"] = len(collateral)
    print(f"(b) unplanted files changed: {len(changed)} ({len(changed) - len(collateral)} also changed "
          f"by a scrub of the unplanted repository, {len(collateral)} only after planting)")
    for path, status, reason in changed[:30]:
        print(f"       {'pre-existing' if path in pre else 'COLLATERAL  '} {path}: {status} ({reason})")
    part, notices, near = planted_part_changes(plan, dest, base, work, to)
    exact = len(plan.headers) - len(near) - sum(1 for p, _ in part if p in plan.headers)
    failures["(b) planted files: original part changed"] = len(part)
    failures["(a) planted notices left"] = len(notices)
    print(f"    planted files whose original part changed: {len(part)}; header files restored exactly: "
          f"{exact}/{len(plan.headers)}; notices left: {len(notices)}")
    for x in part + notices:
        print("      ", " | ".join(x))
    for x in near:
        print("       blank lines differ:", x)

    newp = new_file_problems(plan, dest, to)
    failures["(a) new planted files: notice left, line endings or missing"] = len(newp)
    print(f"    new planted files with a notice left, CRLF lost or missing: {len(newp)}")
    for x in newp:
        print("      ", " | ".join(x))

    # (c) every Python file compiles
    bad = compile_failures(dest, work, origin_of)
    failures["(c) .py files that no longer compile"] = len(bad)
    n_py = sum(1 for rel, _ in snapshot_files(dest) if rel.endswith(".py"))
    print(f"(c) .py files that do not compile: {len(bad)} of {n_py}")
    for x in bad[:20]:
        print("      ", " | ".join(x))
    unparsed = []
    for real in plan.new.values():
        parse = PARSERS.get(os.path.splitext(real)[1])
        out = dest / to.get(real, real)
        if parse and out.is_file():
            try:
                parse(out.read_text(encoding="utf-8"))
            except Exception as exc:   # any parser's error
                unparsed.append((to.get(real, real), f"{type(exc).__name__}: {str(exc)[:120]}"))
    failures["planted config files that no longer parse"] = len(unparsed)
    print(f"    planted config files that no longer parse: {len(unparsed)}")
    for x in unparsed:
        print("      ", " | ".join(x))

    langs = other_languages(dest, tmp, to, plan)
    failures["(c) renamed JS module / Java package broken"] = len(langs)
    print(f"    renamed JavaScript module runs (node) and Java package compiles (javac): "
          f"{'yes' if not langs else 'NO'}")
    for x in langs:
        print("      ", " | ".join(x))

    # the report lists every file renamed (issue 3), and every HEAD file has a fate
    head = set(tracked(work))
    listed = {f["path"] for f in report["files"]}
    unlisted = sorted({rel for rel, _ in snapshot_files(dest)} - head - set(to.values()))
    fateless = sorted(head - listed)
    failures["snapshot paths neither in HEAD nor listed as renamed; HEAD files not in the report"] = \
        len(unlisted) + len(fateless)
    print(f"    snapshot files under a new name the report does not list: {len(unlisted)} {unlisted[:5]}; "
          f"HEAD files missing from the report: {len(fateless)} {fateless[:5]}")

    # (e) verify with the profile (before the test run, which could leave files behind)
    vproc, verify_s = reposcrub("verify", str(dest), "--profile", str(profile), "--format", "json")
    vfind = json.loads(vproc.stdout or b"{}").get("findings", []) if vproc.returncode in (0, 1) else []
    failures["(e) verify failed"] = int(vproc.returncode != 0)
    print(f"(e) verify --profile: exit {vproc.returncode}, {len(vfind)} finding(s), {verify_s:.1f} s")
    for f in vfind[:20]:
        print(f"       {f['rule']} {f['path']}:{f['line']} {f['preview']!r} ({f.get('confidence')})")
    if vproc.returncode not in (0, 1):
        print("      ", tail(vproc))

    # (d) the renamed package passes its own test
    test_file = to.get(plan.test_file, plan.test_file)
    ok, out = run_test(dest, test_file)
    failures["(d) the planted package's test fails"] = int(not ok)
    print(f"(d) pytest {test_file}: {'passed' if ok else 'FAILED'}: {out if ok else ''}")
    if not ok:
        print("      " + out.replace("\n", "\n      "))

    if not args.no_history:
        seen = {(f["fingerprint"], f["commit"]) for f in report["findings"]}
        missed = [(k, c[:12]) for k, c in plan.history.items()
                  if (fingerprint("company-ticket", k.encode(), FINGERPRINT_KEY.encode()), c) not in seen]
        failures["history-only ticket keys not reported with their commit"] = len(missed)
        print(f"history-only ticket keys (a commit message, a deleted file) not reported with their commit: "
              f"{len(missed)} {missed}")

    if fixed:
        names = {rel for rel, _ in snapshot_files(dest)}
        want = {k: "_".join(fixed[v].split()).lower() for k, v in (("codename", company.codename), ("name", company.name))}
        missing = [k for k, v in want.items() if not any(v in n for n in names)]
        got_domain = fixed[company.domains[0]] in report.get("mappings", {}).get("identifier", {}).values()
        failures["[replace] choices not used"] = len(missing) + (not got_domain)
        print(f"[replace] {fixed}: used in file names: {sorted(set(want) - set(missing))}, "
              f"domain mapped: {got_domain}")

    failed = {k: v for k, v in failures.items() if v}
    print("RESULT", json.dumps({"repo": Path(args.repo).parent.name, "seed": args.seed, "scrub_s": round(scrub_s, 1),
                                "findings": s["findings"], "renamed": len(to), "failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
