"""Grammar loading: one place that knows which wheel parses which file."""
from __future__ import annotations

import pytest

from reposcrub.detect.grammars import (canonical, get_language, get_parser, known_languages,
                                       language_for_path)


@pytest.mark.parametrize("path,lang", [
    ("app/settings.py", "python"), ("web/x.tsx", "tsx"), ("src/Main.java", "java"),
    ("Gemfile", "ruby"), ("deploy/values.YML", "yaml"), ("a/b.cs", "c_sharp"),
    ("README.md", None), ("Makefile", None), ("noext", None),
])
def test_language_for_path(path, lang):
    assert language_for_path(path) == lang


@pytest.mark.parametrize("name", known_languages())
def test_every_shipped_grammar_parses(name):
    tree = get_parser(name).parse(b"x")
    assert tree.root_node is not None


def test_aliases_and_unknown_languages():
    assert canonical("JS") == "javascript" and canonical("c-sharp") == "c_sharp"
    assert get_language("cobol") is None and get_parser("cobol") is None


def test_parsers_are_cached():
    assert get_parser("python") is get_parser("py")
    assert get_language("javascript") is get_language("js")


@pytest.mark.parametrize("first_line,lang", [
    (b"#!/usr/bin/env python3\n", "python"), (b"#!/bin/sh\n", "bash"),
    (b"#!/usr/bin/env -S node --harmony\n", "javascript"), (b"#!/usr/bin/ruby -w\n", "ruby"),
    (b"#!/usr/bin/perl\n", None), (b"no shebang\n", None),
])
def test_extensionless_scripts_by_shebang(first_line, lang):
    assert language_for_path("bin/tool", first_line + b"x\n") == lang


def test_extension_wins_over_shebang():
    assert language_for_path("tool.rb", b"#!/bin/sh\n") == "ruby"
