"""Tree-sitter query rules: structure a regex cannot see.

A rule with ``query:`` instead of ``pattern:`` names the grammars it applies to
(``languages:``) and the capture that holds the value (``capture: value``);
an optional ``@key`` capture names what the value is assigned to.  Parsing is
the expensive part, so a file is parsed only when its language has query rules,
one of a rule's ``keywords`` occurs in it, and the rule's ``prefilter`` regex
matches (most files never are; the prefilters are one hyperscan database, and
on the pure-``re`` fallback the query runs only on the lines they matched).
Each grammar's parser and each compiled query are made once per process.

A captured value counts only when it is a literal: a string, or a
concatenation of strings (``"ab" "cd"``, ``"ab" + 'cd'``), without
interpolation.  Its *pieces* are the string contents without their quotes, so
a replacement keeps the quotes and the concatenation intact; the checks see the
pieces joined, as the program would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from tree_sitter import Node, Query, QueryCursor, QueryError, Tree

from ..model import Rule
from .checks import compile_check
from .engine import Engine
from .grammars import canonical, get_language, get_parser, language_for_path

MAX_PARSE_BYTES = 2_000_000   # minified bundles: the regex rules still see them
# History is report-only and large (every version of every file): it is not parsed,
# and its regex candidates keep their own confidence.  Parsing history blobs up to
# 64 KB took 10 of the 12 CPU seconds of a pallets/flask history scan (2,063 parses
# and their queries), and would take minutes on rails/rails.
MAX_PARSE_BYTES_HISTORY = 0

# A rule for typescript also runs on .tsx files (the tsx grammar is a superset).
_ALSO = {"typescript": ("tsx",), "javascript": ()}

# Nodes that hold one string literal, across the grammars we ship.
STRING_NODES = frozenset("""
    string string_literal interpreted_string_literal raw_string_literal template_string
    verbatim_string_literal raw_string encapsed_string interpolated_string_expression
    double_quote_scalar single_quote_scalar plain_scalar block_scalar string_scalar
    word text_block
""".split())
# Children a literal string may have; anything else (interpolation, expansion) makes it dynamic.
_LITERAL_PARTS = frozenset("""
    string_start string_end string_content string_fragment escape_sequence
    multiline_string_fragment interpreted_string_literal_content raw_string_literal_content
    string_literal_content string_scalar interpolation_start interpolation_end
    raw_string_start raw_string_end raw_string_content verbatim_string_literal_content
    interpolation_quote
""".split())
# Nodes that join literals: "a" "b", "a" + "b", ("a"), and one-element wrappers.
_CONCAT_NODES = frozenset("concatenated_string chained_string binary_expression binary_operator binary".split())
_WRAPPERS = frozenset("""
    parenthesized_expression expression_list literal_element flow_node block_node argument
    string_value
""".split())
_JOIN_OPERATORS = frozenset(("+", ".", "~"))
_QUOTES = re.compile(rb'^(?:[A-Za-z]{0,2}[@$]{0,2})("""|\'\'\'|"|\'|`)')


@dataclass(frozen=True)
class QueryMatch:
    """One literal a query rule captured: where its pieces are and what it is assigned to."""

    rule: Rule
    language: str
    key: str
    pieces: tuple[tuple[int, int], ...]   # byte spans of string contents (quotes kept outside)
    value: bytes                          # the pieces joined
    node_start: int                       # the whole captured value node, for overlap tests
    node_end: int


def inner_span(node: Node, data: bytes) -> tuple[int, int]:
    """The content of a string node without its quotes (or the node itself when unquoted)."""
    start, end = node.start_byte, node.end_byte
    if node.type == "block_scalar":        # YAML "|" or ">": content starts on the next line
        nl = data.find(b"\n", start, end)
        if nl < 0:
            return end, end
        body_start = nl + 1
        while body_start < end and data[body_start] in b" \t":
            body_start += 1
        while end > body_start and data[end - 1] in b"\r\n \t":
            end -= 1
        return body_start, end
    text = data[start:end]
    m = _QUOTES.match(text)
    if m and len(text) >= m.end() + len(m.group(1)) and text.endswith(m.group(1)):
        return start + m.end(), end - len(m.group(1))
    return start, end


MAX_PIECES = 64      # a longer "concatenation" is generated code, not a credential


def literal_pieces(node: Node) -> Optional[list[Node]]:
    """The string nodes a value is made of, in order, or None when any part is not a
    literal.  Iterative: a hostile file's thousand-deep "a" + "a" + … must not
    exhaust Python's stack."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        kind = n.type
        if kind in _WRAPPERS:
            named = n.named_children
            if len(named) != 1:
                return None
            stack.append(named[0])
        elif kind in _CONCAT_NODES:
            if any(not c.is_named and c.type not in _JOIN_OPERATORS for c in n.children):
                return None
            stack.extend(reversed([c for c in n.named_children if c.type != "comment"]))
        elif kind in STRING_NODES:
            if any(c.type not in _LITERAL_PARTS for c in n.named_children):
                return None      # "…${x}…", f"{x}", "#{x}": built at run time
            out.append(n)
            if len(out) > MAX_PIECES:
                return None
        else:
            return None
    return out or None


@dataclass
class _Compiled:
    rule: Rule
    keywords: tuple[bytes, ...]
    checks: tuple
    prefilter: Optional["re.Pattern[bytes]"]
    queries: dict[str, Optional[Query]]   # grammar -> compiled query (None: not compiled yet)

    def ranges(self, low: bytes) -> Optional[list[tuple[int, int]]]:
        """Byte ranges to query ([] = skip this file; None = the whole file)."""
        if self.keywords and not any(k in low for k in self.keywords):
            return []
        if self.prefilter is None:
            return None
        out: list[tuple[int, int]] = []
        for m in self.prefilter.finditer(low):
            start = low.rfind(b"\n", 0, m.start()) + 1
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], m.end()))
            else:
                out.append((start, m.end()))
        return out


def _compile_prefilter(rule: Rule) -> Optional["re.Pattern[bytes]"]:
    if not rule.prefilter:
        return None
    try:
        return re.compile(rule.prefilter.encode(), re.MULTILINE)
    except (re.error, UnicodeEncodeError) as exc:
        raise ValueError(f"rule {rule.id}: prefilter does not compile: {exc}") from None


class QueryRunner:
    """All query rules of a run, compiled on first use, run only on candidate files."""

    def __init__(self, rules: list[Rule]):
        self._rules: list[_Compiled] = []
        self._by_grammar: dict[str, list[_Compiled]] = {}
        self._prefilters: Optional[Engine] = None
        for r in rules:
            if not r.query:
                continue
            c = _Compiled(r, tuple(k.lower().encode() for k in r.keywords),
                          tuple(compile_check(x) for x in r.checks), _compile_prefilter(r), {})
            self._rules.append(c)
            for grammar in grammars_of(r):
                self._by_grammar.setdefault(grammar, []).append(c)

    @property
    def rules(self) -> list[Rule]:
        return [c.rule for c in self._rules]

    def grammar_for(self, path: str, data: Optional[bytes] = None) -> Optional[str]:
        lang = language_for_path(path, data)
        return lang if lang in self._by_grammar else None

    def validate(self) -> None:
        """Compile every query for every language now; ValueError names the bad rule."""
        for grammar, rules in self._by_grammar.items():
            for c in rules:
                self._query(c, grammar)

    def _query(self, c: _Compiled, grammar: str) -> Query:
        q = c.queries.get(grammar)
        if q is None:
            lang = get_language(grammar)
            if lang is None:
                raise ValueError(f"rule {c.rule.id}: no grammar installed for {grammar}")
            try:
                q = Query(lang, c.rule.query)
            except QueryError as exc:
                raise ValueError(f"rule {c.rule.id}: query does not compile for {grammar}: {exc}") from None
            if c.rule.capture not in {q.capture_name(i) for i in range(q.capture_count)}:
                raise ValueError(f"rule {c.rule.id}: query has no @{c.rule.capture} capture")
            c.queries[grammar] = q
        return q

    def _prefilter_engine(self) -> Engine:
        """The prefilters as one native database (made on first use, cached like the main one).
        They keep their rule's source: a built-in prefilter's Python regex is then compiled
        only if the `re` path ever runs it (each history worker compiled all 22 for nothing)."""
        if self._prefilters is None:
            self._prefilters = Engine([Rule(id=c.rule.id, kind=c.rule.kind, name=c.rule.name,
                                            pattern=c.rule.prefilter, keywords=c.rule.keywords,
                                            ignore_case=True, source=c.rule.source)
                                       for c in self._rules if c.rule.prefilter])
        return self._prefilters

    def parse(self, path: str, data: bytes, limit: int = MAX_PARSE_BYTES
              ) -> tuple[Optional[str], Optional[Tree], list]:
        """The tree of a candidate file and the (rule, ranges) to run on it (no tree: nothing to run).

        With hyperscan one native scan says which prefilters match at all, and the
        query runs on the whole tree (cheap); without it, Python's re finds the
        lines the query runs on."""
        grammar = self.grammar_for(path, data)
        if grammar is None or len(data) > limit:
            return grammar, None, []
        low: Optional[bytes] = None        # lowered only if a rule needs it (a copy of the file)
        engine = self._prefilter_engine()
        native = engine.backend == "hyperscan"
        passed = {engine.compiled[i].rule.id for i in engine.candidates(data)} if native else set()
        todo = []
        for c in self._by_grammar[grammar]:
            if native and c.prefilter is not None:
                ranges = None if c.rule.id in passed else []
            else:
                low = data.lower() if low is None else low
                ranges = c.ranges(low)
            if ranges is None or ranges:
                todo.append((c, ranges))
        if not todo:
            return grammar, None, []
        parser = get_parser(grammar)
        return grammar, parser.parse(data) if parser else None, todo

    def scan(self, path: str, data: bytes, limit: int = MAX_PARSE_BYTES
             ) -> tuple[list[QueryMatch], Optional[Tree]]:
        if len(data) > limit:          # history: not even the grammar lookup (once per blob)
            return [], None
        grammar, tree, todo = self.parse(path, data, limit)
        if tree is None:
            return [], None
        out: list[QueryMatch] = []
        for c, ranges in todo:
            out.extend(self._matches(c, grammar, tree, data, ranges))
        return out, tree

    def _matches(self, c: _Compiled, grammar: str, tree: Tree, data: bytes,
                 ranges: Optional[list[tuple[int, int]]]) -> Iterator[QueryMatch]:
        seen: set[tuple[int, int]] = set()
        cursor = QueryCursor(self._query(c, grammar))
        for start, end in ranges or [(0, len(data))]:
            cursor.set_byte_range(start, end)
            for _, caps in cursor.matches(tree.root_node):
                for node in caps.get(c.rule.capture, ()):
                    if (node.start_byte, node.end_byte) in seen:
                        continue
                    seen.add((node.start_byte, node.end_byte))
                    m = self._literal(c, grammar, node, caps.get("key", ()), data)
                    if m is not None:
                        yield m

    @staticmethod
    def _literal(c: _Compiled, grammar: str, node: Node, keys, data: bytes) -> Optional[QueryMatch]:
        parts = literal_pieces(node)
        if not parts:
            return None
        kept = [(p, inner_span(p, data)) for p in parts]
        kept = [(p, s) for p, s in kept if s[1] > s[0]]
        if not kept:
            return None
        parts, spans = [p for p, _ in kept], tuple(s for _, s in kept)
        # the value as the program sees it: a YAML block's lines without their indentation
        value = b"".join(b"\n".join(line.strip() for line in data[s:e].split(b"\n"))
                         if p.type == "block_scalar" else data[s:e] for p, (s, e) in zip(parts, spans))
        if not all(check(value) for check in c.checks):
            return None
        key = ""
        if keys:
            ks, ke = inner_span(keys[0], data)
            key = data[ks:ke].decode("utf-8", "replace")
        return QueryMatch(c.rule, grammar, key, spans, value, node.start_byte, node.end_byte)


def grammars_of(rule: Rule) -> list[str]:
    out: list[str] = []
    for name in rule.languages:
        g = canonical(name)
        out.append(g)
        out.extend(_ALSO.get(g, ()))
    return out
