"""Tree-sitter grammars: which language a path is, and one cached parser per language.

Grammars come from the per-language wheels (``tree_sitter_python`` …), never
downloaded at run time.  Everything that parses (query rules, syntax
classification) goes through here so a grammar is loaded once per process and
a missing wheel only means "no grammar" (the caller falls back), never an
ImportError.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Optional

from tree_sitter import Language, Parser

# language name -> (module, function returning the grammar pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "java": ("tree_sitter_java", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "c_sharp": ("tree_sitter_c_sharp", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "bash": ("tree_sitter_bash", "language"),
    "yaml": ("tree_sitter_yaml", "language"),
    "json": ("tree_sitter_json", "language"),
    "toml": ("tree_sitter_toml", "language"),
    "html": ("tree_sitter_html", "language"),
}

# Names people write in rules for the same grammar.
ALIASES = {"js": "javascript", "ts": "typescript", "py": "python", "csharp": "c_sharp",
           "c-sharp": "c_sharp", "cs": "c_sharp", "rb": "ruby", "sh": "bash", "shell": "bash",
           "yml": "yaml", "c++": "cpp", "golang": "go"}

_EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".java": "java", ".go": "go", ".rs": "rust",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp",
    ".hh": "cpp", ".hxx": "cpp", ".cs": "c_sharp",
    ".rb": "ruby", ".rake": "ruby", ".gemspec": "ruby", ".php": "php",
    ".sh": "bash", ".bash": "bash", ".zsh": "bash",
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml",
    ".html": "html", ".htm": "html",
}
_FILENAMES: dict[str, str] = {
    "Rakefile": "ruby", "Gemfile": "ruby", "Guardfile": "ruby", "Vagrantfile": "ruby",
    "Pipfile": "toml", ".bashrc": "bash", ".bash_profile": "bash", ".profile": "bash",
    ".zshrc": "bash", "composer.lock": "json", "Cargo.lock": "toml",
}
_SHEBANG: dict[str, str] = {
    "python": "python", "python2": "python", "python3": "python",
    "node": "javascript", "nodejs": "javascript", "ruby": "ruby", "php": "php",
    "sh": "bash", "bash": "bash", "dash": "bash", "zsh": "bash", "ksh": "bash",
}


def path_for_language(name: str, stem: str = "snippet") -> str:
    """A file name that language_for_path maps back to the grammar (rule examples use it)."""
    lang = canonical(name)
    for ext, grammar in _EXTENSIONS.items():
        if grammar == lang:
            return stem + ext
    raise ValueError(f"unknown language {name!r}; known: {', '.join(_GRAMMARS)}")


def canonical(name: str) -> str:
    """The grammar name for a rule's language name (``js`` -> ``javascript``)."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


def known_languages() -> tuple[str, ...]:
    return tuple(_GRAMMARS)


def language_for_path(path: str, data: Optional[bytes] = None) -> Optional[str]:
    """The grammar for a file, by name then extension, then (given its bytes) by
    its `#!` line; None when we have none."""
    p = PurePosixPath(path)
    if p.name in _FILENAMES:
        return _FILENAMES[p.name]
    name = _EXTENSIONS.get(p.suffix.lower())
    if name or not data or not data.startswith(b"#!"):
        return name
    return _SHEBANG.get(shebang_interpreter(data))


def shebang_interpreter(data: bytes) -> str:
    """`#!/usr/bin/env -S python3 -u` -> "python3" (empty if there is none)."""
    end = data.find(b"\n")
    words = data[2:end if end >= 0 else len(data)].decode("latin-1").split()
    while words and (words[0].endswith("/env") or words[0].startswith("-")):
        words = words[1:]
    return words[0].rsplit("/", 1)[-1] if words else ""


def get_language(name: str) -> Optional[Language]:
    """The grammar, or None when its wheel is not installed (callers fall back)."""
    return _language(canonical(name))


def get_parser(name: str) -> Optional[Parser]:
    """One parser per language per process (parsers are reusable, not thread-safe)."""
    return _parser(canonical(name))


@lru_cache(maxsize=None)
def _language(name: str) -> Optional[Language]:
    spec = _GRAMMARS.get(name)
    if spec is None:
        return None
    module, func = spec
    try:
        return Language(getattr(importlib.import_module(module), func)())
    except (ImportError, AttributeError, ValueError):
        return None


@lru_cache(maxsize=None)
def _parser(name: str) -> Optional[Parser]:
    lang = _language(name)
    return Parser(lang) if lang is not None else None
