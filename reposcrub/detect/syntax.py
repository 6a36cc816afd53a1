"""What a byte of a source file is: comment, string literal, identifier, code or prose.

Detectors ask this to decide *how* to replace a match (a header comment is
removed whole; a name in an identifier keeps its case style; a name in a string
may keep its spelling) and to cut false positives (a notice word in code is not
a notice).  Three backends, best first:

- tree-sitter, for the languages whose grammar wheel we ship (detect/grammars.py);
- pygments lexers, for every other language pygments knows by file name
  (SQL, Lua, Perl, Kotlin, CSS, Makefile, Dockerfile, INI, XML, ...);
- `#`-line comments, for the small config formats nobody lexes (.gitignore, .env).

Everything is lazy: `classify()` costs nothing until a question is asked, the
parse happens once per blob, and only files that have a candidate finding ever
ask — never every file of a repository.  All offsets are byte offsets into the
blob's bytes (pygments works on str; its character offsets are converted).
"""
from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import PurePosixPath
from typing import Optional

from .grammars import get_language, get_parser, language_for_path

Span = tuple[int, int]
PYGMENTS_MAX_BYTES = 2 * 1024 * 1024   # regex lexers slow down badly beyond this


class Kind(str, Enum):
    COMMENT = "comment"
    STRING = "string"          # a string literal (a docstring too)
    IDENTIFIER = "identifier"
    CODE = "code"              # keywords, operators, numbers, whitespace between them
    TEXT = "text"              # prose (Markdown, plain text) or a format we cannot read


@dataclass(frozen=True)
class Docstring:
    """A string literal standing alone as a statement (Python's docstrings)."""

    start: int          # the whole statement
    end: int
    body_start: int     # between the quotes
    body_end: int
    module: bool        # the module's own docstring (removing it keeps the module valid)
    sole: bool = False  # the only statement of its body: removing it needs a `pass`


class SyntaxMap:
    """Answers for one blob.  Subclasses fill in the backend; this one knows nothing."""

    engine: Optional[str] = None      # "tree-sitter" | "pygments" | "lines" | None
    language: Optional[str] = None

    def __init__(self, data: bytes):
        self.data = data

    def kind_at(self, offset: int, end: Optional[int] = None) -> Kind:
        """The kind of the innermost construct holding [offset, end) (end defaults to offset+1)."""
        return Kind.TEXT

    def comments(self) -> list[Span]:
        """Every comment, in order; a run of `//` lines is one span per line."""
        return []

    def comment_at(self, offset: int) -> Optional[Span]:
        return _containing(self.comments(), offset)

    def strings(self) -> list[Span]:
        return []

    def identifier_at(self, offset: int) -> Optional[Span]:
        """The whole identifier token holding offset, or None."""
        return None

    def docstring_at(self, offset: int) -> Optional[Docstring]:
        return None

    @property
    def syntax_tree(self):
        """The tree-sitter Tree when that is the backend (others may query it: one parse
        per blob), else None."""
        return None


def _containing(spans: list[Span], offset: int) -> Optional[Span]:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return None


# -- tree-sitter ----------------------------------------------------------------

STRING_NODES = frozenset({
    "string", "template_string", "string_literal", "raw_string_literal", "char_literal",
    "character_literal", "rune_literal", "interpreted_string_literal", "text_block",
    "verbatim_string_literal", "interpolated_string_expression", "encapsed_string", "heredoc",
    "nowdoc", "heredoc_body", "raw_string", "ansi_c_string", "translated_string",
    "double_quote_scalar", "single_quote_scalar", "block_scalar", "plain_scalar",
    "system_lib_string", "concatenated_string", "quoted_attribute_value", "attribute_value",
    "regex", "regex_pattern",
})
MARKUP_TEXT_NODES = frozenset({"text", "raw_text"})   # html (and php's inline html)
INTERPOLATION_NODES = frozenset({
    "interpolation", "template_substitution", "string_interpolation", "simple_expansion",
    "expansion", "command_substitution", "embedded_expression",
})
IDENTIFIER_NODES = frozenset({
    "constant", "name", "variable_name", "bare_key", "tag_name", "attribute_name",
    "instance_variable", "class_variable", "global_variable",
})


def _is_identifier(node_type: str) -> bool:
    return node_type.endswith("identifier") or node_type in IDENTIFIER_NODES


@lru_cache(maxsize=None)
def _comment_query(language: str):
    """One query capturing every comment node kind the grammar has."""
    import tree_sitter
    lang = get_language(language)
    kinds = sorted({lang.node_kind_for_id(i) for i in range(lang.node_kind_count)
                    if lang.node_kind_is_named(i) and lang.node_kind_is_visible(i)
                    and (lang.node_kind_for_id(i) or "").endswith("comment")})
    if not kinds:
        return None
    return tree_sitter.Query(lang, "[" + " ".join(f"({k})" for k in kinds) + "] @c")


def _outermost(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if out and s[1] <= out[-1][1]:
            continue            # nested (Rust's doc_comment inside line_comment)
        out.append(s)
    return out


def _trim_newline(data: bytes, start: int, end: int) -> Span:
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    return (start, end)


class TreeSitterMap(SyntaxMap):
    engine = "tree-sitter"

    def __init__(self, data: bytes, language: str):
        super().__init__(data)
        self.language = language
        self.markup = language in ("html", "php")

    @cached_property
    def tree(self):
        return get_parser(self.language).parse(self.data)

    @property
    def syntax_tree(self):
        return self.tree

    def _node(self, start: int, end: Optional[int] = None):
        end = start + 1 if end is None else end
        return self.tree.root_node.descendant_for_byte_range(start, max(start, end))

    def kind_at(self, offset: int, end: Optional[int] = None) -> Kind:
        node = self._node(offset, end)
        while node is not None:
            t = node.type
            if t.endswith("comment"):
                return Kind.COMMENT
            if node.is_named and _is_identifier(t):
                return Kind.IDENTIFIER
            if t in INTERPOLATION_NODES:
                return Kind.CODE
            if t in STRING_NODES or (self.markup and t in MARKUP_TEXT_NODES):
                return Kind.STRING
            node = node.parent
        return Kind.CODE

    @cached_property
    def _comments(self) -> list[Span]:
        query = _comment_query(self.language)
        if query is None:
            return []
        import tree_sitter
        nodes = tree_sitter.QueryCursor(query).captures(self.tree.root_node).get("c", [])
        return _outermost([_trim_newline(self.data, n.start_byte, n.end_byte) for n in nodes])

    def comments(self) -> list[Span]:
        return self._comments

    def comment_at(self, offset: int) -> Optional[Span]:
        """By walking up from the byte's node: no need to list every comment of the file."""
        if not 0 <= offset < len(self.data):
            return None
        node, found = self._node(offset), None
        while node is not None:
            if node.type.endswith("comment"):
                found = node            # keep climbing: the outermost comment wins
            node = node.parent
        if found is None:
            return None
        span = _trim_newline(self.data, found.start_byte, found.end_byte)
        return span if span[0] <= offset < span[1] else None

    @cached_property
    def _strings(self) -> list[Span]:
        found: list[Span] = []
        stack = [self.tree.root_node]
        while stack:   # an explicit stack: deep trees must not hit the recursion limit
            node = stack.pop()
            if node.type in STRING_NODES:
                found.append((node.start_byte, node.end_byte))
                continue
            stack.extend(reversed(node.children))
        return _outermost(found)

    def strings(self) -> list[Span]:
        return self._strings

    def identifier_at(self, offset: int) -> Optional[Span]:
        node = self._node(offset)
        while node is not None and node.start_byte <= offset:
            if node.is_named and _is_identifier(node.type):
                return (node.start_byte, node.end_byte)
            if node.end_byte - node.start_byte > 256:
                return None
            node = node.parent
        return None

    def docstring_at(self, offset: int) -> Optional[Docstring]:
        if self.language != "python":
            return None
        node = self._node(offset)
        while node is not None and node.type != "string":
            node = node.parent
        if node is None:
            return None
        stmt = node.parent
        if stmt is None or stmt.type != "expression_statement" or stmt.named_child_count != 1:
            return None
        body = stmt.parent
        first = next((c for c in body.named_children if c.type != "comment"), None) if body else None
        if first is None or first.id != stmt.id:
            return None
        parts = {c.type: c for c in node.children}
        if "string_start" not in parts or "string_end" not in parts:
            return None
        sole = sum(1 for c in body.named_children if c.type != "comment") == 1
        return Docstring(stmt.start_byte, stmt.end_byte, parts["string_start"].end_byte,
                         parts["string_end"].start_byte, body.type == "module", sole)


# -- pygments ---------------------------------------------------------------------

PROSE_LEXERS = frozenset({"text", "markdown", "md", "rst", "restructuredtext", "tex", "latex"})
MARKDOWN_COMMENT = re.compile(rb"<!--.*?-->", re.S)


# ERB templates are named after the language inside (`show.html.erb`, `app.js.erb`), which
# pygments does not match by file name: the delegating lexer for that language.  Others
# (`database.yml.erb`) stay without syntax, as before: plain ERB would call their text code.
ERB_LEXERS = {"html": "html+erb", "htm": "html+erb", "xml": "xml+erb", "js": "js+erb", "css": "css+erb"}


def _pygments_lexer(path: str, data: bytes):
    """The lexer pygments picks for this file name (its code breaks ties), or None."""
    from pygments.lexers import find_lexer_class_for_filename, get_lexer_by_name, guess_lexer
    from pygments.util import ClassNotFound
    name = PurePosixPath(path).name
    sample = data[:4096].decode("utf-8", "replace")
    try:
        cls = find_lexer_class_for_filename(name, sample)
    except ClassNotFound:
        cls = None
    if cls is not None:
        return cls(stripnl=False, stripall=False, ensurenl=False)
    erb = ERB_LEXERS.get(PurePosixPath(name[:-4]).suffix.lstrip(".").lower()) if name.endswith(".erb") else None
    if erb:
        return get_lexer_by_name(erb, stripnl=False, stripall=False, ensurenl=False)
    if data.startswith(b"#!"):
        try:
            return guess_lexer(sample.split("\n", 1)[0] + "\n", stripnl=False, ensurenl=False)
        except ClassNotFound:
            return None
    return None


def _token_kind(ttype, prose: bool) -> Kind:
    from pygments.token import Comment, Name, String
    if ttype in Comment and ttype not in Comment.Preproc:
        return Kind.COMMENT
    if prose:
        return Kind.TEXT
    if ttype in String and ttype not in String.Interpol:
        return Kind.STRING
    if ttype in Name:
        return Kind.IDENTIFIER
    return Kind.CODE


class TokenMap(SyntaxMap):
    """Sorted, disjoint (start, end, kind) intervals: pygments tokens or comment lines."""

    def __init__(self, data: bytes, language: str, engine: str, intervals: list[tuple[int, int, Kind]],
                 default: Kind):
        super().__init__(data)
        self.language, self.engine, self.default = language, engine, default
        self.intervals = intervals
        self.starts = [iv[0] for iv in intervals]

    def _at(self, offset: int) -> Optional[tuple[int, int, Kind]]:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.intervals[i][0] <= offset < self.intervals[i][1]:
            return self.intervals[i]
        return None

    def kind_at(self, offset: int, end: Optional[int] = None) -> Kind:
        iv = self._at(offset)
        if iv is None:
            return self.default
        if end is not None and end > iv[1] and iv[2] is Kind.IDENTIFIER:
            return self.default   # a span running past one name is not an identifier
        return iv[2]

    def _of(self, kind: Kind) -> list[Span]:
        return [(s, e) for s, e, k in self.intervals if k is kind]

    @cached_property
    def _comments(self) -> list[Span]:
        return self._of(Kind.COMMENT)

    def comments(self) -> list[Span]:
        return self._comments

    def strings(self) -> list[Span]:
        return self._of(Kind.STRING)

    def identifier_at(self, offset: int) -> Optional[Span]:
        iv = self._at(offset)
        return (iv[0], iv[1]) if iv is not None and iv[2] is Kind.IDENTIFIER else None


_NAME_EDGE = b"<>/=:@\"' \t\r\n"


def _pygments_intervals(data: bytes, lexer, prose: bool) -> list[tuple[int, int, Kind]]:
    """Lex, convert char offsets to byte offsets, and merge runs of one kind."""
    from pygments.token import Comment
    text = data.decode("utf-8", "surrogateescape")
    ascii_only = len(text) == len(data)
    out: list[tuple[int, int, Kind]] = []
    byte_pos = char_pos = 0
    line_comment_open = False
    for index, ttype, value in lexer.get_tokens_unprocessed(text):
        if not value:
            continue
        if index != char_pos:   # a lexer that skips or revisits text: recompute the byte offset
            byte_pos = index if ascii_only else len(text[:index].encode("utf-8", "surrogateescape"))
            char_pos = index
        size = len(value) if ascii_only else len(value.encode("utf-8", "surrogateescape"))
        start, end = byte_pos, byte_pos + size
        byte_pos, char_pos = end, char_pos + len(value)
        kind = _token_kind(ttype, prose)
        if kind is Kind.COMMENT:
            start, end = _trim_newline(data, start, end)
        elif kind is Kind.IDENTIFIER:
            while start < end and data[start] in _NAME_EDGE:
                start += 1
            while end > start and data[end - 1] in _NAME_EDGE:
                end -= 1
        if start >= end:
            continue
        joinable = out and out[-1][1] == start and out[-1][2] is kind and kind is not Kind.IDENTIFIER
        if joinable and kind is Kind.COMMENT and (line_comment_open or ttype in Comment.Single):
            joinable = False   # each line comment is its own span, as with tree-sitter
        if joinable:
            out[-1] = (out[-1][0], end, kind)
        else:
            out.append((start, end, kind))
        if kind is Kind.COMMENT:
            line_comment_open = ttype in Comment.Single or value.endswith("\n")
    return out


# -- `#` lines ----------------------------------------------------------------------

HASH_COMMENT_FILES = re.compile(
    r"^(\.(git|docker|npm|hg|eslint|prettier|helm|gcloud|vscode)ignore|\.gitattributes|\.gitmodules"
    r"|\.env(\..+)?|.+\.env|CODEOWNERS|Procfile|requirements.*\.txt|constraints.*\.txt"
    r"|\.flake8|\.coveragerc|\.pylintrc|\.npmrc|\.yarnrc|\.htaccess)$")
HASH_LINE = re.compile(rb"^[ \t]*#[^\r\n]*", re.M)


def _hash_line_intervals(data: bytes) -> list[tuple[int, int, Kind]]:
    return [(m.start(), m.end(), Kind.COMMENT) for m in HASH_LINE.finditer(data)]


# -- entry point ----------------------------------------------------------------------

def _build(path: str, data: bytes) -> SyntaxMap:
    ts_lang = language_for_path(path, data)
    if ts_lang is not None and get_parser(ts_lang) is not None:
        return TreeSitterMap(data, ts_lang)
    name = PurePosixPath(path).name
    if HASH_COMMENT_FILES.match(name):
        return TokenMap(data, "hash-comments", "lines", _hash_line_intervals(data), Kind.TEXT)
    if len(data) > PYGMENTS_MAX_BYTES or b"\0" in data[:8192]:
        return SyntaxMap(data)
    try:
        lexer = _pygments_lexer(path, data)
        if lexer is None:
            return SyntaxMap(data)
        alias = lexer.aliases[0] if lexer.aliases else lexer.name.lower()
        prose = alias in PROSE_LEXERS
        if alias in ("markdown", "md"):   # pygments does not see HTML comments in Markdown
            intervals = [(m.start(), m.end(), Kind.COMMENT) for m in MARKDOWN_COMMENT.finditer(data)]
        else:
            intervals = _pygments_intervals(data, lexer, prose)
    except Exception:   # a third-party lexer choking on odd input: we just know nothing
        return SyntaxMap(data)
    return TokenMap(data, alias, "pygments", intervals, Kind.TEXT if prose else Kind.CODE)


class _LazyMap(SyntaxMap):
    """Defers choosing a backend (and lexing) to the first question."""

    def __init__(self, path: str, data: bytes):
        super().__init__(data)
        self.path = path

    @cached_property
    def _real(self) -> SyntaxMap:
        return _build(self.path, self.data)

    @property
    def engine(self) -> Optional[str]:  # type: ignore[override]
        return self._real.engine

    @property
    def language(self) -> Optional[str]:  # type: ignore[override]
        return self._real.language

    def kind_at(self, offset: int, end: Optional[int] = None) -> Kind:
        return self._real.kind_at(offset, end)

    def comments(self) -> list[Span]:
        return self._real.comments()

    def comment_at(self, offset: int) -> Optional[Span]:
        return self._real.comment_at(offset)

    def strings(self) -> list[Span]:
        return self._real.strings()

    def identifier_at(self, offset: int) -> Optional[Span]:
        return self._real.identifier_at(offset)

    def docstring_at(self, offset: int) -> Optional[Docstring]:
        return self._real.docstring_at(offset)

    @property
    def syntax_tree(self):
        return self._real.syntax_tree


_CACHE: "OrderedDict[tuple[str, bytes], SyntaxMap]" = OrderedDict()
_CACHE_SIZE = 8


def classify(path: str, data: bytes) -> SyntaxMap:
    """The syntax map of one blob; several detectors asking about the same blob share
    one parse (a small LRU: detectors ask about the blob being scanned right now)."""
    key = (path, data)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    smap = _LazyMap(path, data)
    _CACHE[key] = smap
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return smap

