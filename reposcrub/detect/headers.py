"""Proprietary notices: find the whole notice block and remove it, leaving the code as it was.

The rules in rules/headers.yaml only find notice *words*.  This detector keeps a
hit only when the syntax map says it is in a comment (or a Python module
docstring, or a LICENSE/NOTICE file), grows it to the comment block around it,
decides whether the block is the company's notice, and emits one finding per
removal whose replacement deletes those lines:

- a block with an open-source license (MIT, Apache, BSD, GPL, ...) is a third
  party's and stays, unless it names the profile's company: then the company's
  lines go (or the whole block, when no other holder is named);
- a block naming the company goes;
- otherwise it goes when a high/medium rule hit ("all rights reserved",
  "proprietary and confidential", ...); a bare copyright line never suffices,
  and other `low` hits ("internal use only") only at the top of the file.

Removal drops lines instead of blanking them (`Finding.keep_lines = False`): a
flattened snapshot has no line numbers to keep, and a file that opens with a
pile of empty lines shows where something was cut.  Within a larger comment
only the notice paragraphs go, so documentation beside them stays; a shebang,
encoding cookie or tool directive is never part of a block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Iterable, Optional

from ..model import ContentItem, Finding, Origin, Rule
from ..naming import caseless, split_words, term_pattern
from ..ruleset import RuleSet
from . import make_finding
from .engine import Hit
from .syntax import Docstring, Span, SyntaxMap, classify

SKIPPED_ORIGINS = (Origin.HISTORY, Origin.MESSAGE)   # not shipped: never worth a parse
OWNERSHIP_RULES = frozenset({"copyright-notice"})   # says who owns it, not that it is secret
RANK = {"high": 0, "medium": 1, "low": 2}

OPEN_LICENSE = re.compile(
    rb"(?i)permission is hereby granted|apache license|licensed under the apache|\bmit license"
    rb"|\bbsd[- ](?:style|[0-9]-clause)|\bbsd license|redistribution and use in source and binary"
    rb"|gnu (?:affero |lesser |library )?general public license|\b[al]?gpl-?v?[0-9]"
    rb"|mozilla public license|eclipse public license|\bisc license|permission to use, copy, modify"
    rb"|is free software|creative commons|\bthe unlicense\b|in the public domain"
    rb"|boost software license|zlib license|python software foundation license|artistic license"
    rb"|spdx-license-identifier:[ \t]*(?!licenseref-|proprietary|unlicensed)[a-z0-9]"
    rb"|\blicen[cs]e:[ \t]*(?:apache|mit|bsd|isc|mpl|[al]?gpl)(?![a-z])|\bapache[- ](?:license[- ])?(?:v(?:ersion)?[ .]?)?2\b")
LEGAL_WORDS = re.compile(
    rb"(?i)copyright|\(c\)|\xc2\xa9|all rights|licen[cs]|proprietary|confidential|prohibited"
    rb"|permission|warrant|liabilit|redistribut|trade secret|internal use|spdx-|written by"
    rb"|property of|unauthori[sz]ed|terms and conditions|agreement|\bauthors?\b")
DIRECTIVE = re.compile(
    rb"^(?:#!|<\?)|-\*-.*-\*-|\bvim?:|\bex:|coding[:=]|frozen_string_literal|\bencoding:|warn_indent"
    rb"|shareable_constant_value|\btyped:|go:build|\+build|go:generate|@ts-|@flow\b|eslint|jshint"
    rb"|prettier-ignore|istanbul|tslint|pylint:|noqa|type:\s*ignore|mypy:|shellcheck|fmt:\s*o"
    rb"|clang-format|NOLINT|rubocop:|@jsx|swiftlint|ktlint|@formatter|#(?:end)?region"
    rb"|^///[ \t]*<(?:reference|amd-module|amd-dependency)\b|^//[ \t]*(?:#|@)\s*source(?:Mapping)?URL="
    rb"|^#[ \t]*(?:syntax|escape|check)[ \t]*=|swift-tools-version|cython:|pyright:|isort:|nolint|@generated"
    rb"|Code generated .* DO NOT EDIT")
LICENSE_FILE = re.compile(
    r"(?i)^(?:licen[cs]e|copying|notice|copyright|eula)(?:[-_][\w.-]*)?(?:\.(?:txt|md|rst|markdown|adoc|text))?$")
FIRST_LINE_PROLOGUE = re.compile(rb"\A(?:<\?php\b|<\?xml[^\n]*\?>|<!DOCTYPE[^\n]*>|---[ \t]*\r?$)", re.M)

# Comment families: (opener at the comment's start, leader of each further line, closer at its end).
# Line comments have no closer: the opener is repeated as every line's leader.
_FAMILIES: list[tuple[re.Pattern, Optional[re.Pattern], Optional[re.Pattern]]] = [
    (re.compile(p), re.compile(l) if l is not None else None, re.compile(c) if c else None)
    for p, l, c in [
        (rb"/\*+!?", rb"[ \t]*\*+(?!/)", rb"\*+/\Z"),
        (rb"<!--+", None, rb"-*-->\Z"),
        (rb"--\[=*\[", None, rb"\]=*\]\Z"),
        (rb"\{-", None, rb"-\}\Z"),
        (rb"\(\*", rb"[ \t]*\*+(?!\))", rb"\*+\)\Z"),
        (rb"=begin\b", None, rb"=end\Z"),
        (rb"<#", None, rb"#>\Z"),
        (rb"//+[!/]?", rb"[ \t]*//+[!/]?", None),
        (rb"#+[!']?", rb"[ \t]*#+", None),
        (rb"--+", rb"[ \t]*--+", None),
        (rb";+", rb"[ \t]*;+", None),
        (rb"%+", rb"[ \t]*%+", None),
        (rb"(?i:rem)\b", rb"[ \t]*(?i:rem)\b", None),
        (rb"::", rb"[ \t]*::", None),
        (rb"'", rb"[ \t]*'", None),
        (rb"!+", rb"[ \t]*!+", None),
    ]
]
DECORATION = re.compile(rb"^[^A-Za-z0-9\x80-\xff]*$")   # "*****", "-----": a blank line in a comment


@dataclass(frozen=True)
class Line:
    """One line of a notice block: where it is and where its words are."""

    start: int           # first byte of the line
    end: int             # its "\n" (or the end of data)
    text_start: int      # the words, without comment leader/opener/closer
    text_end: int
    opener: bool = False   # holds a block comment's / docstring's opening delimiter
    closer: bool = False   # holds its closing delimiter
    mark: bytes = b""      # the comment's opening delimiter: `//` and `//!` lines are different texts
    seg: int = 0           # its segment of the block (see Block.segments)

    @property
    def blank(self) -> bool:
        return self.text_start >= self.text_end


@dataclass
class Block:
    start: int
    end: int
    lines: list[Line]
    own_line: bool = True
    stand_in: bytes = b""    # what replaces the whole block (`pass` for a function's only docstring)
    # (start, end) of each segment: a multi-line block comment, or a run of one-line
    # comments.  Delimiter-only lines (`/*`, ` */`) exist only at a segment's ends, so
    # cutting whole lines inside one segment never breaks a comment.
    segments: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.segments:
            self.segments = [(self.start, self.end)]


BOM = b"\xef\xbb\xbf"


def _line_start(data: bytes, pos: int) -> int:
    """Where pos's line begins; a UTF-8 byte-order mark stays outside the first line."""
    start = data.rfind(b"\n", 0, pos) + 1
    if start == 0 and pos >= 3 and data.startswith(BOM):
        return 3
    return start


def _file_start(data: bytes) -> int:
    return len(BOM) if data.startswith(BOM) else 0


def _line_end(data: bytes, pos: int) -> int:
    nl = data.find(b"\n", pos)
    return len(data) if nl < 0 else nl


def _is_blank_line(data: bytes, start: int) -> bool:
    return not data[start:_line_end(data, start)].strip()


def span_lines(data: bytes, start: int, end: int, body_start: int, body_end: int,
               leader: Optional[re.Pattern], multiline_delims: bool) -> list[Line]:
    """The lines of one comment (or docstring) [start, end) whose words lie in [body_start, body_end)."""
    lines: list[Line] = []
    pos = _line_start(data, start)
    first_line_end = _line_end(data, start)
    last_line_start = _line_start(data, max(start, end - 1))
    multi = multiline_delims and first_line_end < end
    while pos <= end:
        stop = _line_end(data, pos)
        ts, te = max(pos, body_start), min(stop, body_end)
        if pos > start and leader is not None and ts < te:
            m = leader.match(data, ts, te)
            if m:
                ts = m.end()
        while ts < te and data[ts] in b" \t\r":
            ts += 1
        while te > ts and data[te - 1] in b" \t\r":
            te -= 1
        if ts < te and DECORATION.match(data[ts:te]):
            ts = te
        lines.append(Line(pos, stop, ts, max(ts, te), opener=multi and pos <= start,
                          closer=multi and pos == last_line_start, mark=data[start:body_start]))
        if stop >= end or stop >= len(data):
            break
        pos = stop + 1
    return lines


def comment_lines(data: bytes, span: Span) -> list[Line]:
    start, end = span
    for opener, leader, closer in _FAMILIES:
        m = opener.match(data, start, end)
        if not m:
            continue
        body_end = end
        if closer is not None:
            c = closer.search(data, m.end(), end)
            body_end = c.start() if c else end
        return span_lines(data, start, end, m.end(), body_end, leader, closer is not None)
    return span_lines(data, start, end, start, end, None, False)


def docstring_lines(data: bytes, doc: Docstring) -> list[Line]:
    return span_lines(data, doc.start, doc.end, doc.body_start, doc.body_end, None, True)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines; a change of comment marker (`//` to `//!`) or of segment
    also ends one."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for ln in lines:
        if current and (ln.blank or ln.mark != current[-1].mark or ln.seg != current[-1].seg):
            out.append(current)
            current = []
        if not ln.blank:
            current.append(ln)
    if current:
        out.append(current)
    return out


def name_pattern(names: Iterable[str], domains: Iterable[str] = ()) -> Optional[re.Pattern]:
    """The company in the spellings a notice uses (`Acme Widgets`, `ACME-WIDGETS`,
    `AcmeWidgets`, `legal@acmewidgets.com`), spelled as the identifiers detector spells it."""
    alts = [term_pattern(split_words(n)) for n in names if split_words(n)]
    alts += [caseless(d.strip()) for d in domains if d.strip()]
    if not alts:
        return None
    alts.sort(key=len, reverse=True)
    return re.compile(("(?<![A-Za-z0-9])(?:" + "|".join(alts) + ")").encode())


class HeadersDetector:
    kind = "header"
    ignored_origins = SKIPPED_ORIGINS

    def __init__(self, ruleset: RuleSet, key: bytes, profile=None):
        self._rules = [r for r in ruleset.of_kind("header") if r.pattern]
        self.key = key
        self.company = name_pattern([*profile.names, *profile.codenames], profile.domains) \
            if profile is not None else None

    def rules(self) -> list[Rule]:
        return self._rules

    # -- the cheap gate: most files with a hit never get parsed -----------------
    def _worth_parsing(self, item: ContentItem, hits: list[Hit]) -> bool:
        """False when no block can go, decided without a parse: nothing but copyright
        lines, or every other hit inside an open-source license header (the usual
        `Copyright The Go Authors. All rights reserved.` + BSD line), and no company."""
        if not hits or item.origin in SKIPPED_ORIGINS or b"\0" in item.data[:8192]:
            return False
        if self.company is not None and self.company.search(item.data) is not None:
            return True
        telling = [h for h in hits if h.rule.id not in OWNERSHIP_RULES]
        return not all(_in_open_license_lines(item.data, _probe(h)) for h in telling)

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        if not self._worth_parsing(item, hits):
            return []
        data = item.data
        if LICENSE_FILE.match(PurePosixPath(item.path).name):   # the whole file is the notice
            smap = SyntaxMap(data)
            blocks = [Block(0, len(data), span_lines(data, 0, len(data), 0, len(data), None, False))]
        else:
            smap = classify(item.path, _parse_window(data, hits))
            blocks = self._blocks(data, smap, hits)
        findings = []
        for block in blocks:
            inside = [h for h in hits if block.start <= _probe(h) < block.end]
            if inside:
                findings.extend(self._block_findings(item, block, inside, smap))
        return findings

    # -- from hits to blocks --------------------------------------------------------
    def _blocks(self, data: bytes, smap: SyntaxMap, hits: list[Hit]) -> list[Block]:
        blocks: dict[int, Block] = {}
        for h in hits:
            at = _probe(h)
            if any(b.start <= at < b.end for b in blocks.values()):
                continue
            doc = smap.docstring_at(at)
            if doc is not None:
                if _is_own_line(data, doc.start, doc.end):
                    stand_in = b"pass" if doc.sole and not doc.module else b""
                    blocks[doc.start] = Block(doc.start, doc.end, docstring_lines(data, doc),
                                              stand_in=stand_in)
                continue
            span = smap.comment_at(at)
            if span is None or _is_directive(data, span):
                continue
            block = _comment_block(data, smap, span)
            blocks[block.start] = block
        return [blocks[k] for k in sorted(blocks)]

    def _block_findings(self, item: ContentItem, block: Block, hits: list[Hit],
                        smap: SyntaxMap) -> list[Finding]:
        data = item.data
        plan = self._plan(data, block, hits, smap)
        if plan is None:
            return []
        units, remove, lines_only = plan
        company = self._names_company(data, block.lines)
        first = min(hits, key=lambda h: h.start)           # the rule that opens the notice
        confidence = "high" if company else min((h.rule.confidence for h in hits), key=RANK.get)
        out = []
        for start, end, text in _removals(data, block, units, remove, lines_only):
            f = make_finding(item, first.rule, start, end, self.key, confidence)
            f.replacement = text
            f.keep_lines = False
            f.reason = "proprietary notice"
            out.append(f)
        return out

    def _names_company(self, data: bytes, lines: list[Line]) -> bool:
        return self.company is not None and any(
            self.company.search(data[ln.text_start:ln.text_end]) for ln in lines)

    def _plan(self, data: bytes, block: Block, hits: list[Hit], smap: SyntaxMap):
        """(units, which units go, whether units are single lines) or None: the block stays."""
        text = b"\n".join(data[ln.text_start:ln.text_end] for ln in block.lines)
        company = self._names_company(data, block.lines)
        if OPEN_LICENSE.search(text):
            return self._company_lines(data, block, hits) if company else None
        weak_only = all(h.rule.confidence == "low" for h in hits)
        ownership_only = all(h.rule.id in OWNERSHIP_RULES for h in hits)
        if not company and weak_only and (ownership_only or not _at_top(data, block, smap)):
            return None
        units = paragraphs(block.lines)
        split = False
        if _attached_to_code(data, block):
            n = len(units)
            units = _split_trailing_prose(data, units, hits)
            split = len(units) > n
        remove = [self._is_notice(data, u, hits) for u in units]
        if split and self._documents(data, units[-1]):
            remove[-1] = False
        return units, remove, False

    def _documents(self, data: bytes, unit: list[Line]) -> bool:
        """The prose split off a notice's end documents the code below, even when it names
        the company or codename ("Deploys Roadrunner to staging."): the identifiers detector
        renames those names.  Only the company's name alone ("Acme Widgets Inc.") is the notice's."""
        text = b" ".join(data[ln.text_start:ln.text_end] for ln in unit)
        if self.company is not None:
            text = self.company.sub(b" ", text)
        return len(text.split()) >= 3

    def _is_notice(self, data: bytes, unit: list[Line], hits: list[Hit]) -> bool:
        return _holds_hit(unit, hits) or any(
            LEGAL_WORDS.search(data[ln.text_start:ln.text_end]) for ln in unit) or (
            self._names_company(data, unit))

    def _company_lines(self, data: bytes, block: Block, hits: list[Hit]):
        """An open-source block naming the company: all of it when the company is the only
        holder.  Else the others' notices must stay: the company's paragraphs go (with a
        proprietary paragraph that names no one), and where one paragraph names the company
        beside another holder, only its lines naming the company (then every cut is whole
        lines, so the blank lines between the others' paragraphs stay)."""
        paras = paragraphs(block.lines)
        named = [[self._names_company(data, [ln]) for ln in p] for p in paras]
        held = [any(not n and _holds_hit([ln], hits, OWNERSHIP_RULES) for ln, n in zip(p, ns))
                for p, ns in zip(paras, named)]                 # another holder's copyright line
        if not any(held):
            return paras, [True] * len(paras), False
        goes = [any(ns) or (not h and self._proprietary(data, p, hits)) for p, ns, h in zip(paras, named, held)]
        mixed = [any(ns) and h for ns, h in zip(named, held)]
        if not any(mixed):
            return paras, goes, False
        units = [[ln] for p in paras for ln in p]
        remove = [n if m else g for ns, m, g in zip(named, mixed, goes) for n in ns]
        return units, remove, True

    def _proprietary(self, data: bytes, para: list[Line], hits: list[Hit]) -> bool:
        """A notice paragraph of its own that is no open-source license ("Proprietary and confidential.")."""
        text = b"\n".join(data[ln.text_start:ln.text_end] for ln in para)
        telling = [h for h in hits if h.rule.id not in OWNERSHIP_RULES]
        return _holds_hit(para, telling) and not OPEN_LICENSE.search(text)


WHOLE_PARSE_MAX = 1024 * 1024     # larger files: parse only up to a margin past the last hit
WINDOW_MARGIN = 64 * 1024


def _parse_window(data: bytes, hits: list[Hit]) -> bytes:
    """What to parse: the whole file, or for a big one the part up to its last hit plus a
    margin (notices sit near the top; a 40 MB generated file needs no full parse).  Offsets
    into the window are offsets into the file."""
    if len(data) <= WHOLE_PARSE_MAX:
        return data
    end = max(h.end for h in hits) + WINDOW_MARGIN
    nl = data.find(b"\n", end, end + WINDOW_MARGIN)
    return data[:nl + 1 if nl >= 0 else end]


COMMENT_MARK = re.compile(rb"[ \t]*(?:#+|//+|\*+|--+|;+|%+)")
NEAR_LINES = 40


def _in_open_license_lines(data: bytes, pos: int) -> bool:
    """Is pos on a line-comment run (lines opening with the same marker, `//`, `#`, ` *`)
    that names an open-source license?  Such a run lies inside the real comment block,
    so the block is open source too and stays; no parse needed to know it."""
    start = _line_start(data, pos)
    m = COMMENT_MARK.match(data, start, _line_end(data, start))
    if not m or not data[m.start():m.end()].strip():
        return False
    mark = data[start:m.end()]
    lo = hi = start
    for _ in range(NEAR_LINES):
        if lo == 0:
            break
        prev = _line_start(data, lo - 1)
        if not data.startswith(mark, prev):
            break
        lo = prev
    for _ in range(NEAR_LINES):
        nxt = _line_end(data, hi) + 1
        if nxt >= len(data) or not data.startswith(mark, nxt):
            break
        hi = nxt
    return OPEN_LICENSE.search(data, lo, _line_end(data, hi)) is not None


def _probe(h: Hit) -> int:
    """A byte of the hit inside the notice (a line-anchored hit starts before the comment)."""
    return h.end - 1


def _holds_hit(unit: list[Line], hits: list[Hit], rule_ids: Optional[frozenset] = None) -> bool:
    return any(ln.start <= _probe(h) <= ln.end and (rule_ids is None or h.rule.id in rule_ids)
               for ln in unit for h in hits)


def _attached_to_code(data: bytes, block: Block) -> bool:
    """Code on the very next line: the comment's last words document that code."""
    nxt = _line_end(data, block.end) + 1
    return nxt < len(data) and not _is_blank_line(data, nxt) and block.own_line


def _split_trailing_prose(data: bytes, units: list[list[Line]], hits: list[Hit]) -> list[list[Line]]:
    """`// Copyright …\n// Package foo routes orders.\npackage foo`: the last paragraph's
    lines after its last notice line are the doc comment of the code below; keep them."""
    last = units[-1]
    notice = [i for i, ln in enumerate(last)
              if _holds_hit([ln], hits) or LEGAL_WORDS.search(data[ln.text_start:ln.text_end])]
    if not notice or notice[-1] == len(last) - 1:
        return units
    tail = last[notice[-1] + 1:]
    if len(b" ".join(data[ln.text_start:ln.text_end] for ln in tail).split()) < 3:
        return units
    return units[:-1] + [last[:notice[-1] + 1], tail]


def _starts_line(data: bytes, pos: int) -> bool:
    return not data[_line_start(data, pos):pos].strip()


def _is_own_line(data: bytes, start: int, end: int) -> bool:
    return _starts_line(data, start) and not data[end:_line_end(data, end)].strip()


def _is_directive(data: bytes, span: Span) -> bool:
    """A one-line comment that tells a tool something (shebang, coding cookie, lint pragma)."""
    text = data[span[0]:span[1]]
    return b"\n" not in text and DIRECTIVE.search(text) is not None


def _comment_before(data: bytes, smap: SyntaxMap, pos: int) -> Optional[Span]:
    """The comment ending the line before the one `pos` opens, if that line ends in one."""
    q = pos
    while q > 0 and data[q - 1] in b" \t":
        q -= 1
    if q == 0 or data[q - 1] != 0x0A:
        return None
    q -= 1
    while q > 0 and data[q - 1] in b" \t\r":
        q -= 1
    span = smap.comment_at(q - 1) if q > 0 else None
    return span if span is not None and span[1] == q else None


def _comment_after(data: bytes, smap: SyntaxMap, end: int) -> Optional[Span]:
    """The comment opening the line after the one `end` closes, if that line opens with one."""
    q = end
    while q < len(data) and data[q] in b" \t\r":
        q += 1
    if q >= len(data) or data[q] != 0x0A:
        return None
    q += 1
    while q < len(data) and data[q] in b" \t":
        q += 1
    span = smap.comment_at(q) if q < len(data) else None
    return span if span is not None and span[0] == q else None


def _comment_block(data: bytes, smap: SyntaxMap, seed: Span) -> Block:
    """The run of own-line comments on consecutive lines around `seed`.  Neighbours are
    found by looking at the lines next to it, never by listing every comment of the file."""
    if not _starts_line(data, seed[0]):
        return Block(seed[0], seed[1], comment_lines(data, seed), own_line=False)
    run = [seed]
    while not _is_directive(data, run[0]):
        prev = _comment_before(data, smap, run[0][0])
        if prev is None or not _starts_line(data, prev[0]) or _is_directive(data, prev):
            break
        run.insert(0, prev)
    while not _is_directive(data, run[-1]):
        nxt = _comment_after(data, smap, run[-1][1])
        if nxt is None or _is_directive(data, nxt):
            break
        run.append(nxt)
    lines: list[Line] = []
    segments: list[Span] = []
    for c in run:
        multi = b"\n" in data[c[0]:c[1]]
        if multi or not segments or segments[-1][2]:
            segments.append([c[0], c[1], multi])
        segments[-1][1] = c[1]
        lines.extend(replace(ln, seg=len(segments) - 1) for ln in comment_lines(data, c))
    start, end = run[0][0], run[-1][1]
    return Block(start, end, lines, own_line=_is_own_line(data, start, end),
                 segments=[(s, e) for s, e, _ in segments])


def _at_top(data: bytes, block: Block, smap: SyntaxMap) -> bool:
    """Nothing but comments, blank space and a prologue line (`<?php`) before the block."""
    pos = block.start
    while True:
        while pos > 0 and data[pos - 1] in b" \t\r\n":
            pos -= 1
        if pos <= _file_start(data):
            return True
        span = smap.comment_at(pos - 1)
        if span is None:
            m = FIRST_LINE_PROLOGUE.match(data)
            return m is not None and m.end() >= pos
        pos = span[0]


# -- the byte spans to delete -----------------------------------------------------------

def _removals(data: bytes, block: Block, units: list[list[Line]], remove: list[bool],
              lines_only: bool) -> list[tuple[int, int, bytes]]:
    """(start, end, replacement) of each cut."""
    if not any(remove):
        return []
    if all(remove) and not lines_only:
        if block.stand_in:
            return [(block.start, block.end, block.stand_in)]
        return [(*_whole_block(data, block), b"")]
    out: list[tuple[int, int, bytes]] = []
    for seg, (seg_start, seg_end) in enumerate(block.segments):
        mine = [i for i, u in enumerate(units) if u[0].seg == seg]
        seg_units, seg_remove = [units[i] for i in mine], [remove[i] for i in mine]
        if not any(seg_remove):
            continue
        if all(seg_remove) and not lines_only:
            out.append((*_whole_segment(data, seg_start, seg_end), b""))
            continue
        out.extend((*span, b"") for span in _runs(data, seg_units, seg_remove, lines_only))
    return out


def _runs(data: bytes, units: list[list[Line]], remove: list[bool], lines_only: bool) -> list[Span]:
    """The cuts for the removed units of one segment, each run of them at once."""
    out: list[Span] = []
    i = 0
    while i < len(units):
        if not remove[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(units) and remove[j + 1]:
            j += 1
        first, last = units[i][0], units[j][-1]
        before = units[i - 1][-1] if i > 0 else None
        after = units[j + 1][0] if j + 1 < len(units) else None
        out.append(_run_span(data, first, last, before, after, lines_only))
        i = j + 1
    return out


def _whole_segment(data: bytes, start: int, end: int) -> Span:
    """A whole comment (or run of comments) inside a block that keeps others: its lines,
    or only its bytes when code shares its last line."""
    le = _line_end(data, end)
    if data[end:le].strip():
        while end < le and data[end] in b" \t":
            end += 1
        return (start, end)
    return (_line_start(data, start), min(le + 1, len(data)))


def _run_span(data: bytes, first: Line, last: Line, before: Optional[Line], after: Optional[Line],
              lines_only: bool) -> Span:
    """Delete the lines first..last of a comment that keeps other words: whole lines
    where that keeps the comment's delimiters, else only the words between them."""
    if first.opener or last.closer:
        if after is not None and not last.closer:
            return (first.text_start, after.text_start)       # `/* NOTICE\n *\n * Docs` -> `/* Docs`
        if before is not None and not first.opener:
            return (before.text_end, last.text_end)           # `Docs\n *\n * NOTICE */` -> `Docs */`
        return (first.text_start, last.text_end)
    if lines_only:
        return (first.start, min(last.end + 1, len(data)))
    if after is not None:
        return (first.start, after.start)                     # the blank lines after the run go too
    assert before is not None
    return (before.end, last.end)                             # ... or the ones before it, at the end


def _whole_block(data: bytes, block: Block) -> Span:
    """Delete the whole block: its lines when it stands on its own, with the blank
    lines that would otherwise pile up at the top (or bottom) of the file."""
    ls, le = _line_start(data, block.start), _line_end(data, block.end)
    before, after = data[ls:block.start], data[block.end:le]
    if before.strip() and not after.strip():          # a trailing comment after code
        s = block.start
        while s > ls and data[s - 1] in b" \t":
            s -= 1
        return (s, block.end)
    if after.strip():                                  # code follows on the same line
        e = block.end
        while e < le and data[e] in b" \t":
            e += 1
        return (block.start, e)
    s, e = ls, min(le + 1, len(data))
    top = _file_start(data)
    if s <= top or _is_blank_line(data, _line_start(data, s - 1)):
        while e < len(data) and _is_blank_line(data, e):
            e = min(_line_end(data, e) + 1, len(data))
    if e >= len(data):
        while s > top and _is_blank_line(data, _line_start(data, s - 1)):
            s = _line_start(data, s - 1)
    return (s, e)
