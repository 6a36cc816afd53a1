"""Header removal, tested with twins: tests/fixtures/headers/<case>/input beside expected.

Each case's input files go into a real git repository (one folder per case; cases that
share a profile.toml share a repository), `reposcrub scrub` runs on it as a user would,
and each case's folder of the snapshot must equal its `expected/` byte for byte.
Regenerate expectations only on purpose, and read the diff:

    REPOSCRUB_REGEN=1 pytest tests/detect/test_headers.py
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import RepoBuilder, run_cli
from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.model import ContentItem, Origin
from reposcrub.policy import Policy
from reposcrub.redact import Pseudonyms, rewrite
from reposcrub.ruleset import RuleSet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "headers"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input").is_dir())
REGEN = os.environ.get("REPOSCRUB_REGEN") == "1"


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def profile_of(case: str) -> Path | None:
    p = FIXTURES / case / "profile.toml"
    return p if p.exists() else None


def build_repo(cases: list[str], dest: Path) -> RepoBuilder:
    repo = RepoBuilder(dest)
    for case in cases:
        src = FIXTURES / case / "input"
        files = read_tree(src)
        repo.write({f"{case}/{name}": data for name, data in files.items()})
        for name in files:
            if os.access(src / name, os.X_OK):
                (dest / case / name).chmod(0o755)
                repo.write({f"{case}/{name}": files[name]})
    repo.commit({}, "import the cases")
    return repo


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory) -> dict[str, Path]:
    """Every case scrubbed: one CLI run per profile, each case in its own folder."""
    groups: dict[Path | None, list[str]] = {}
    for case in CASES:
        groups.setdefault(profile_of(case), []).append(case)
    out: dict[str, Path] = {}
    for profile, cases in groups.items():
        base = tmp_path_factory.mktemp("twins")
        repo = build_repo(cases, base / "repo")
        args = ["--profile", str(profile)] if profile else []
        res = run_cli("scrub", str(repo.path), "--out", str(base / "out"), "-q", "--no-history", *args)
        assert res.returncode == 0, res.stderr.decode()
        out.update({case: base / "out" / case for case in cases})
    return out


@pytest.mark.parametrize("case", CASES)
def test_snapshot_matches_expected(case, scrubbed):
    got = read_tree(scrubbed[case])
    expected_dir = FIXTURES / case / "expected"
    if REGEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(scrubbed[case], expected_dir)
        pytest.skip("expectations regenerated: review the diff")
    expected = read_tree(expected_dir)
    assert sorted(got) == sorted(expected), "files added or lost"
    for name in expected:
        assert got[name] == expected[name], f"{case}/{name} differs from expected"


@pytest.mark.parametrize("case", CASES)
def test_snapshot_still_parses(case, scrubbed):
    for name, data in read_tree(scrubbed[case]).items():
        if name.endswith(".py"):
            compile(data, name, "exec")
        elif name.endswith((".yaml", ".yml")):
            yaml.safe_load(data)
        elif name.endswith(".json"):
            json.loads(data)


def test_snapshots_verify_clean(scrubbed):
    for profile in {profile_of(case) for case in CASES}:
        case = next(c for c in CASES if profile_of(c) == profile)
        args = ["--profile", str(profile)] if profile else []
        res = run_cli("verify", str(scrubbed[case].parent), "--format", "json", *args)
        assert res.returncode == 0, res.stdout.decode()[:2000]


def test_third_party_open_source_headers_are_untouched(scrubbed):
    assert read_tree(scrubbed["third_party"]) == read_tree(FIXTURES / "third_party" / "input")


def test_the_company_goes_from_an_open_source_header_but_other_holders_stay(scrubbed):
    out = read_tree(scrubbed["profile_company"])
    text = b"".join(out.values()).lower()
    assert b"acme" not in text
    assert b"Copyright (c) 2015 Jane Doe" in out["src/mit_mixed.js"]
    assert b"Permission is hereby granted" in out["src/mit_mixed.js"]
    assert out["src/third.py"] == (FIXTURES / "profile_company/input/src/third.py").read_bytes()
    assert out["src/other.go"].startswith(b"// Copyright 2019 John Smith")


def test_report_counts_one_finding_per_notice_and_marks_files_modified(scrubbed):
    report = json.loads((scrubbed["python"].parent.parent / "out.report.json").read_text())
    headers = [f for f in report["findings"] if f["kind"] == "header"]
    by_path: dict[str, int] = {}
    for f in headers:
        assert f["action"] == "remove-header"
        if f["path"].startswith("python/"):
            by_path[f["path"]] = by_path.get(f["path"], 0) + 1
    assert by_path == {"python/tool.py": 2, "python/pkg/__init__.py": 1, "python/pkg/only_doc.py": 1,
                       "python/pkg/docfirst.py": 2}
    status = {f["path"]: f["status"] for f in report["files"]}
    assert status["python/pkg/plain.py"] == "kept" and status["python/tool.py"] == "modified"


# -- in-process: one file at a time ----------------------------------------------------

RULES = RuleSet.load()
PLAIN = Scanner(RULES, b"k", Profile())
ACME = Scanner(RULES, b"k", Profile(names=["Acme Widgets"], domains=["acmewidgets.com"]))


def scrub_text(path: str, text: str, scanner: Scanner = PLAIN, origin: Origin = Origin.HEAD):
    item = ContentItem(path, text.encode(), origin)
    findings = Policy().decide(item, scanner.detect(item))
    headers = [f for f in findings if f.kind == "header"]
    return rewrite(item.data, findings, Pseudonyms()).decode(), headers


@pytest.mark.parametrize("path,text", [
    ("a.py", "# Copyright 2019 John Smith\n\nX = 1\n"),                          # whose, not secret
    ("a.py", "FOOTER = 'Copyright 2021 Foo Inc. All rights reserved.'\n"),       # a string, not a notice
    ("a.html", "<footer>&copy; 2021 Foo Inc. All rights reserved.</footer>\n"),  # page text
    ("a.go", "// Copyright 2009 The Go Authors. All rights reserved.\n"
             "// Use of this source code is governed by a BSD-style\n"
             "// license that can be found in the LICENSE file.\npackage x\n"),
    ("a.py", "# Copyright 2018 The Authors. All rights reserved.\n"
             "# Licensed under the Apache License, Version 2.0\nX = 1\n"),
    ("a.c", "/* SPDX-License-Identifier: GPL-2.0-only */\n/* Copyright (C) 2010 Foo Inc. */\nint x;\n"),
    ("a.py", "import os\n\n\ndef _helper():\n    # For internal use only: use the public API.\n    return 1\n"),
    ("a.py", "x = 1  # Confidential: not a marking after code\n"),
    ("a.py", "# confidential clients authenticate with a secret\nX = 1\n"),
    ("a.ts", "// Parses the proprietary binary format of the old scanner\nexport {};\n"),
    ("notes.txt", "Copyright 2021 Foo Inc. All rights reserved.\n"),                # prose: no comment syntax
])
def test_what_stays(path, text):
    out, found = scrub_text(path, text)
    assert out == text and not found


def test_a_notice_goes_whole_and_is_one_finding():
    text = ("/*\n * Copyright (c) 2021 Foo Inc. All rights reserved.\n"
            " * Unauthorized copying of this file is strictly prohibited.\n */\n\nint x;\n")
    out, found = scrub_text("a.c", text)
    assert out == "int x;\n"
    [f] = found
    assert (f.rule, f.confidence, f.line, f.action.value) == ("copyright-notice", "high", 1, "remove-header")
    assert f.keep_lines is False and f.replacement == b""


def test_documentation_in_the_same_comment_stays():
    text = '"""Order routing.\n\nCopyright 2021 Foo Inc. All rights reserved.\n"""\nimport os\n'
    assert scrub_text("a.py", text)[0] == '"""Order routing.\n"""\nimport os\n'
    text = "// Copyright 2021 Foo Inc. All rights reserved.\n//\n// Routes orders.\nint x;\n"
    assert scrub_text("a.cpp", text)[0] == "// Routes orders.\nint x;\n"


def test_the_company_profile_decides_a_bare_copyright():
    text = "# Copyright 2021 ACME WIDGETS, Inc.\n\nX = 1\n"
    assert scrub_text("a.py", text)[0] == text
    out, [f] = scrub_text("a.py", text, ACME)
    assert out == "X = 1\n" and f.confidence == "high"
    mail = "# (c) 2021 ops@acmewidgets.com\nX = 1\n"
    assert scrub_text("a.py", mail, ACME)[0] == "X = 1\n"


def test_only_the_company_line_leaves_a_shared_open_source_header():
    text = ("# Copyright 2015 Jane Doe\n# Copyright 2021 AcmeWidgets Inc.\n#\n"
            "# Permission is hereby granted, free of charge, to any person.\nX = 1\n")
    out, found = scrub_text("a.py", text, ACME)
    assert out == ("# Copyright 2015 Jane Doe\n#\n"
                   "# Permission is hereby granted, free of charge, to any person.\nX = 1\n")
    assert len(found) == 1


def test_the_company_notice_goes_and_a_third_party_notice_beside_it_stays():
    """Found by bench/acceptance_company.py on requests: a company notice planted in a
    module docstring took the `:copyright: ... :license: Apache 2.0` lines with it."""
    doc = ('"""\nCopyright (c) 2021 Acme Widgets Inc. All rights reserved.\n'
           "Proprietary and confidential.\n\nAn HTTP library.\n\n"
           ':copyright: (c) 2017 by Jane Roe.\n:license: Apache 2.0, see LICENSE for more details.\n"""\nimport os\n')
    out, found = scrub_text("a.py", doc, ACME)
    assert out == ('"""\nAn HTTP library.\n\n:copyright: (c) 2017 by Jane Roe.\n'
                   ':license: Apache 2.0, see LICENSE for more details.\n"""\nimport os\n')
    assert len(found) == 1
    apache2 = doc.replace("Apache 2.0", "Apache2")                  # as requests spells it
    assert scrub_text("a.py", apache2, ACME)[0] == out.replace("Apache 2.0", "Apache2")
    comment = ("# Copyright 2021 Acme Widgets Inc. All rights reserved.\n# Proprietary and confidential.\n#\n"
               "# Portions copyright (c) 2015 Jane Roe, under the MIT license.\nX = 1\n")
    assert scrub_text("a.py", comment, ACME)[0] == \
        "# Portions copyright (c) 2015 Jane Roe, under the MIT license.\nX = 1\n"


def test_a_notice_goes_from_an_erb_template():
    """Found by bench/acceptance_company.py on rails: no lexer for `.html.erb`, no comment, no removal."""
    text = "<!--\n  Copyright 2021 Foo Inc. All rights reserved.\n-->\n\n<p><%= yield %></p>\n"
    assert scrub_text("views/layout.html.erb", text)[0] == "<p><%= yield %></p>\n"


def test_internal_use_only_counts_at_the_top_of_a_file():
    assert scrub_text("a.py", "#!/usr/bin/env python\n# Internal use only.\nX = 1\n")[0] == \
        "#!/usr/bin/env python\nX = 1\n"


def test_directives_are_never_part_of_a_notice():
    text = ("#!/usr/bin/env ruby\n# frozen_string_literal: true\n"
            "# Copyright 2021 Foo Inc. All rights reserved.\nputs 1\n")
    assert scrub_text("a.rb", text)[0] == "#!/usr/bin/env ruby\n# frozen_string_literal: true\nputs 1\n"
    go = "//go:build linux\n// Copyright 2021 Foo Inc. All rights reserved.\n\npackage x\n"
    assert scrub_text("a.go", go)[0] == "//go:build linux\n\npackage x\n"


def test_a_function_docstring_that_was_all_notice_becomes_pass():
    text = 'def f():\n    """Proprietary and confidential."""\n'
    out = scrub_text("a.py", text)[0]
    assert out == "def f():\n    pass\n"
    compile(out, "a.py", "exec")


def test_block_comment_delimiters_survive_a_partial_cut():
    assert scrub_text("a.c", "/* Docs.\n *\n * Copyright 2021 Foo. All rights reserved. */\nint x;\n")[0] == \
        "/* Docs. */\nint x;\n"
    assert scrub_text("a.js", "let a = 1; /* All rights reserved, Foo. */ let b = 2;\n")[0] == \
        "let a = 1; let b = 2;\n"


def test_history_blobs_are_not_parsed_for_headers():
    _, found = scrub_text("a.py", "# All rights reserved.\n", origin=Origin.HISTORY)
    assert not found


def test_files_with_only_copyright_hits_are_never_parsed(monkeypatch):
    import reposcrub.detect.headers as headers
    monkeypatch.setattr(headers, "classify", lambda *a: pytest.fail("parsed a file it need not parse"))
    out, found = scrub_text("a.py", "# Copyright 2019 John Smith\nX = 1\n")
    assert not found


def test_open_source_headers_are_recognised_without_a_parse(monkeypatch):
    import reposcrub.detect.headers as headers
    monkeypatch.setattr(headers, "classify", lambda *a: pytest.fail("parsed an open-source header"))
    text = ("// Copyright 2009 The Go Authors. All rights reserved.\n"
            "// Use of this source code is governed by a BSD-style\n"
            "// license that can be found in the LICENSE file.\n\npackage x\n")
    assert scrub_text("a.go", text) == (text, [])


def test_a_proprietary_block_after_an_open_source_one_still_goes():
    text = ("// Copyright 2009 The Go Authors. All rights reserved.\n"
            "// Use of this source code is governed by a BSD-style license.\n\n"
            "// Modifications: Copyright 2021 Foo Inc. All rights reserved. Proprietary and confidential.\n"
            "\npackage x\n")
    out, found = scrub_text("a.go", text)
    assert out == text.replace("// Modifications: Copyright 2021 Foo Inc. All rights reserved. "
                               "Proprietary and confidential.\n\n", "")
    assert len(found) == 1


def test_a_doc_comment_right_after_the_notice_stays_with_its_code():
    text = "// Copyright 2021 Foo Inc. All rights reserved.\n// Package foo routes orders.\npackage foo\n"
    assert scrub_text("a.go", text)[0] == "// Package foo routes orders.\npackage foo\n"
    text = "# Proprietary and confidential.\n# Builds the report.\ndef build():\n    pass\n"
    assert scrub_text("a.py", text)[0] == "# Builds the report.\ndef build():\n    pass\n"
    short = "// Copyright (c) 2021 All rights reserved\n// Foo Inc.\npackage foo\n"
    assert scrub_text("a.go", short)[0] == "package foo\n"


def test_a_doc_comment_naming_the_codename_stays_under_a_company_notice():
    """Found by bench/acceptance_company.py: naming the company made the doc line a notice too.
    It stays, and the identifiers detector renames the codename in it (Pseudonyms() here keeps it)."""
    roadrunner = Scanner(RULES, b"k", Profile(names=["Acme Widgets"], codenames=["Roadrunner"]))
    text = "#!/bin/sh\n# Copyright 2020 Acme Widgets. All rights reserved.\n# Deploys Roadrunner to staging.\nset -e\n"
    assert scrub_text("deploy.sh", text, roadrunner)[0] == "#!/bin/sh\n# Deploys Roadrunner to staging.\nset -e\n"
    holder = "// Copyright (c) 2021 All rights reserved\n// Acme Widgets Inc.\npackage foo\n"   # the holder's line
    assert scrub_text("a.go", holder, ACME)[0] == "package foo\n"


@pytest.mark.parametrize("path,directive", [
    ("Dockerfile", "# syntax=docker/dockerfile:1"),
    ("Package.swift", "// swift-tools-version:5.9"),
    ("gen.go", "// Code generated by protoc-gen-go. DO NOT EDIT."),
    ("a.pyx", "# cython: language_level=3"),
])
def test_tool_directives_stay_on_their_line(path, directive):
    text = f"{directive}\n# Copyright 2021 Foo Inc. All rights reserved.\nX = 1\n"
    if not path.endswith((".pyx", "Dockerfile")):
        text = text.replace("# Copyright", "// Copyright")
    out, found = scrub_text(path, text)
    assert out.startswith(directive + "\n") and "Copyright" not in out and found


def test_a_big_file_is_parsed_only_near_its_notice(monkeypatch):
    import reposcrub.detect.headers as headers
    seen = []
    real = headers.classify
    monkeypatch.setattr(headers, "classify", lambda path, data: seen.append(len(data)) or real(path, data))
    body = "".join(f"x{i} = {i}  # plain comment\n" for i in range(120_000))
    text = "# Copyright 2021 Foo Inc. All rights reserved.\n" + body
    out, [f] = scrub_text("big.py", text)
    assert out == body and seen and seen[0] < 200_000 < len(text)


def test_a_byte_order_mark_stays_first_and_the_block_is_still_one():
    text = "\ufeff// Copyright 2021 Foo Inc. All rights reserved.\n// Proprietary.\n\nint x;\n"
    out, found = scrub_text("a.c", text)
    assert out == "\ufeffint x;\n" and len(found) == 1


@pytest.mark.parametrize("name,is_license", [
    ("LICENSE", True), ("LICENSE.txt", True), ("licence.md", True), ("LICENSE-APACHE", True),
    ("COPYING", True), ("NOTICE.rst", True), ("copying.py", False), ("notice.js", False),
])
def test_license_files_are_notices_through_and_through(name, is_license):
    text = "Copyright 2021 Foo Inc. All rights reserved.\nProprietary and confidential.\n"
    out, _ = scrub_text(name, text)
    assert (out == "") is is_license


# -- properties: whatever the mix of notices, comments and code ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STYLES = {  # extension: (line comment, (block opener, interior leader, closer)), code lines
    "py": ("#", None, ["x = 1", "def f():\n    return 2", "s = 'All rights reserved'", "import os"]),
    "js": ("//", ("/*", " *", " */"), ["let x = 1;", "const s = 'Confidential';", "function f() {}"]),
    "go": ("//", ("/*", "", "*/"), ["package x", "var s = \"All rights reserved\"", "func f() {}"]),
    "sql": ("--", ("/*", "", "*/"), ["SELECT 1;", "CREATE TABLE t (id INT);"]),
    "rb": ("#", ("=begin", "", "=end"), ["x = 1", "s = 'All rights reserved'"]),
    "html": (None, ("<!--", "", "-->"), ["<p>hi</p>", "<div>All rights reserved</div>"]),
    "lua": ("--", ("--[[", "", "]]"), ["local x = 1", "return {}"]),
}
NOTICE_WORDS = ["Copyright (c) 2021 Foo Inc.", "All rights reserved.", "Proprietary and confidential.",
                "CONFIDENTIAL", "Unauthorized copying of this file is strictly prohibited.",
                "Licensed under the MIT License.", "This module routes orders.", "", "Internal use only.",
                "SPDX-License-Identifier: LicenseRef-Foo", "Written by Jane"]


@st.composite
def source_files(draw):
    ext = draw(st.sampled_from(sorted(STYLES)))
    line, block, code = STYLES[ext]
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["code", "line", "block", "blank"]))
        words = draw(st.lists(st.sampled_from(NOTICE_WORDS), min_size=1, max_size=4))
        if kind == "code":
            parts.append(draw(st.sampled_from(code)))
        elif kind == "blank":
            parts.append("")
        elif kind == "line" and line or not block:
            parts.append("\n".join(f"{line} {w}".rstrip() for w in words))
        else:
            opener, leader, closer = block
            parts.append("\n".join([opener] + [f"{leader} {w}".rstrip() for w in words] + [closer]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return ext, newline.join(parts) + newline, [c for c in code if c in parts]


@settings(max_examples=80, deadline=None)
@given(source_files())
def test_after_a_scrub_no_notice_is_left_and_no_code_is_lost(sample):
    ext, text, code = sample
    out, _ = scrub_text(f"f.{ext}", text)
    again, left = scrub_text(f"f.{ext}", out)
    assert not left and again == out
    for line in code:
        assert out.count(line) == text.count(line)
    if ext == "py":
        compile(out, "f.py", "exec")


def test_documentation_in_any_script_is_documentation_not_decoration():
    text = "# Copyright 2021 Foo Inc. All rights reserved.\n#\n# 注文を倉庫に振り分ける。\n#\n# ----------\nX = 1\n"
    assert scrub_text("a.py", text)[0] == "# 注文を倉庫に振り分ける。\n#\n# ----------\nX = 1\n"
