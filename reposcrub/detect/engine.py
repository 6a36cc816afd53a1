"""All regex rules matched in one pass over each blob.

Hyperscan compiles every rule into one database and reports, in a single
native scan, where each rule's matches *end*.  Python's ``re`` then runs only
for the rules that matched, and only on a small window before each reported
end (a rule's longest possible match, from its parsed pattern), to extract
capture groups and apply checks.  Most blobs hit no rule, so the per-blob cost
is one native scan; a blob full of candidates costs a few short regex runs
instead of a backtracking search over the whole blob (which is what made a
broad rule such as ``\\b[\\w.-]*password…`` cost seconds on a real history).

Rules hyperscan takes only as a prefilter (lookarounds, back-references) get
windows too: in prefilter mode it reports a superset of the true match ends.
Rules it cannot take at all run ``re`` on the whole blob wherever one of
their keywords occurs.  Without hyperscan the fallback
uses each rule's literal keywords as the prefilter (``bytes in`` is
memchr-fast) and runs the regex on the whole blob where a keyword occurs.

Patterns are bytes, ASCII mode: Unicode-aware classes make engines crawl.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, NamedTuple, Optional, Sequence

from ..model import Rule
from ..regex_shapes import nested_repetition
from .bounded import compile_bounded
from .checks import compile_check

try:  # the native engine is optional: its wheel does not exist everywhere
    import hyperscan  # type: ignore
except ImportError:  # pragma: no cover - exercised by REPOSCRUB_ENGINE=re
    hyperscan = None

try:  # Python 3.11+
    from re import _constants as _sre_c, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_EXACT_REACH = 1 << 16   # a longer (or unbounded) pattern gets a line-snapped window
DEFAULT_REACH = 256         # how far back an unbounded pattern's match may start (rule.window overrides)
SNAP = 256                  # how far further back a window may move to start at a line
FLOOD = 1_000_000           # reports in one blob beyond which a blob takes the keyword path
WIDE_REPEAT = 256           # a bounded repeat this wide is opened for hyperscan (see _hs_expression)
MEMO_WINDOWS = 50_000       # windows remembered per engine before the memo starts afresh
CACHE_VERSION = b"5"        # bump when the meaning of the cached database changes (or _hs_expression)


class Hit(NamedTuple):
    """A rule's match in a blob: the span of the part that will be replaced.
    (A tuple: a history scan makes tens of thousands, and a frozen dataclass
    costs three times as much to build.)"""

    rule: Rule
    start: int
    end: int
    match_start: int
    match_end: int


@dataclass
class CompiledRule:
    """A rule ready to match.  Its Python regex is compiled on first use: of ~300
    rules a repository meets a few, and compiling all of them at every start
    cost more than a small scan (rules from outside the package are compiled,
    and so checked, at once: see compile_rule)."""

    rule: Rule
    pattern: str                    # what `re` runs (lowercased for lowered rules)
    flags: int
    keywords: tuple[bytes, ...]
    checks: tuple[Callable[[bytes], bool], ...]
    lowered: bool = False           # regex is matched on data.lower() (see _lowered_pattern)
    confirms: tuple[Callable[[bytes], bool], ...] = ()
    unconfirmed: Optional[Rule] = None   # the rule as reported when a confirm check fails

    @functools.cached_property
    def regex(self) -> "re.Pattern[bytes]":
        return _compile_checked(self.rule, self.pattern, self.flags)

    @functools.cached_property
    def _extent(self) -> tuple[int, bool]:
        return _reach(self.pattern, self.flags, self.rule.window)

    @functools.cached_property
    def look_back(self) -> Optional[int]:
        """How many bytes before a match its lookbehinds may read (None: no bound known)."""
        try:
            return _look_back(_sre_parse.parse(self.pattern, self.flags).data)
        except Exception:  # pragma: no cover - compile_rule already parsed it
            return None

    @property
    def reach(self) -> int:
        """No match is longer than this (unless `snap`)."""
        return self._extent[0]

    @property
    def snap(self) -> bool:
        """`reach` is a guess: windows start at a line start."""
        return self._extent[1]

    def subject(self, data: bytes, low: Optional[bytes] = None) -> bytes:
        """What `regex` runs on: the data, or its lowercase twin (same offsets)."""
        if not self.lowered:
            return data
        return low if low is not None else data.lower()


def _lowered_pattern(pattern: str) -> Optional[str]:
    """A case-insensitive pattern as a lowercase one, to run on lowered data.

    Python's re is ~6x slower with IGNORECASE on alternations of words; ASCII
    lowering keeps every offset, so spans found on data.lower() are spans of
    data.  Escapes (\\S, \\W, \\B, \\A, \\Z) are kept; patterns that spell a
    letter by code (\\x41) or span cases in one range (A-z) keep IGNORECASE."""
    if "\\x" in pattern or "A-z" in pattern or "\\N" in pattern:
        return None
    return re.sub(r"\\.|\(\?P|[A-Z]", lambda m: m.group(0) if len(m.group(0)) > 1 else m.group(0).lower(), pattern)


def compile_rule(rule: Rule, lazy: bool = False) -> CompiledRule:
    """Compile one regex rule; raises ValueError naming the rule when it is bad
    (with `lazy`, only when its regex is first used: for rules the test suite
    has already compiled, the built-in ones)."""
    flags = re.MULTILINE
    pattern = rule.pattern
    lowered = _lowered_pattern(pattern) if rule.ignore_case else None
    if lowered is not None:
        pattern = lowered
    elif rule.ignore_case:
        flags |= re.IGNORECASE
    if rule.multiline:
        flags |= re.DOTALL
    checks = tuple(compile_check(c) for c in rule.checks)
    keywords = tuple(k.lower().encode() for k in rule.keywords)
    confirms = tuple(compile_check(c) for c in rule.confirm)
    # A value that fails a confirming check (a bad checksum) is no issued token,
    # but fixtures and docs are full of them: still found, only at low confidence.
    unconfirmed = replace(rule, confidence="low") if confirms else None
    compiled = CompiledRule(rule, pattern, flags, keywords, checks, lowered is not None, confirms, unconfirmed)
    if not lazy:
        compiled.regex
    return compiled


def _compile_checked(rule: Rule, pattern: str, flags: int) -> "re.Pattern[bytes]":
    try:
        regex = compile_bounded(pattern.encode(), flags)     # linear per blob (detect/bounded.py)
    except (re.error, UnicodeEncodeError, OverflowError, RecursionError) as exc:
        raise ValueError(f"rule {rule.id}: pattern does not compile: {exc}") from None
    shape = nested_repetition(pattern, flags)
    if shape:
        raise ValueError(f"rule {rule.id}: {shape}; it could hang the scan (rewrite it without the nesting)")
    if rule.group > regex.groups:
        raise ValueError(f"rule {rule.id}: group {rule.group} but pattern has {regex.groups}")
    return regex


def _builtin(rule: Rule) -> bool:
    return bool(rule.source) and _builtin_source(rule.source)


@functools.lru_cache(maxsize=None)
def _builtin_source(source: str) -> bool:
    """Is this rule file one of ours?  (Once per file, not per rule: resolving
    ~300 paths took 15 ms of every start.)"""
    return Path(source).resolve().is_relative_to(_BUILTIN_RULES)


_BUILTIN_RULES = Path(__file__).resolve().parents[1] / "rules"


def _reach(pattern: str, flags: int, window: int) -> tuple[int, bool]:
    """The longest match the pattern allows, or a window guess when unbounded."""
    try:
        longest = _sre_parse.parse(pattern, flags).getwidth()[1]
    except Exception:  # pragma: no cover - compile_rule already parsed it
        longest = MAX_EXACT_REACH + 1
    if longest <= MAX_EXACT_REACH:
        return int(longest), False
    return max(window, DEFAULT_REACH), True


def _hs_flags(rule: Rule) -> int:
    # Every match end is reported (no SINGLEMATCH): the ends place the regex windows.
    f = hyperscan.HS_FLAG_MULTILINE
    if rule.ignore_case:
        f |= hyperscan.HS_FLAG_CASELESS
    if rule.multiline:
        f |= hyperscan.HS_FLAG_DOTALL
    return f


def _hs_expression(rule: Rule) -> bytes:
    """The rule as hyperscan compiles it: named groups made plain (it ignores
    captures) and wide bounded repeats opened (`{40,16384}` -> `{40,}`).  Both
    keep every true match end among the reported ones, which is all the windows
    need; the wide repeats cost seconds of compile each (2 s for private-key)."""
    return _hs_pattern(rule.pattern)


@functools.lru_cache(maxsize=4096)
def _hs_pattern(pattern: str) -> bytes:
    """(Once per pattern and process: a compile and the check of its misses both ask.)"""
    text = re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(", pattern)
    return _open_wide_repeats(text).encode()


def _open_wide_repeats(pattern: str, wide: int = WIDE_REPEAT) -> str:
    """`{m,n}` with n >= wide becomes `{m,}`, outside character classes and escapes."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":          # a leading ] is a member, not the end
                out.append("]")
                i += 1
            continue
        elif ch == "{":
            m = _REPEAT.match(pattern, i)
            if m and int(m.group(2)) >= wide:
                out.append("{%s,}" % m.group(1))
                i = m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


_REPEAT = re.compile(r"\{(\d+),(\d+)\}")


def _loose_only(rule: Rule) -> bool:
    """Lookarounds and back-references: hyperscan takes these only as a prefilter
    (known up front, so the common compile is one call instead of one per rule)."""
    try:
        tree = _sre_parse.parse(rule.pattern)
    except Exception:  # pragma: no cover - compile_rule already parsed it
        return False
    return _has_op(tree.data, _LOOSE_OPS)


def _look_back(items) -> Optional[int]:
    """The furthest a parsed pattern's lookbehinds read before the position they
    stand at (nested ones add up); None if some width is not fixed."""
    need = 0
    for op, av in items:
        if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            direction, sub = av
            inner = _look_back(sub.data)
            if inner is None:
                return None
            if direction < 0:
                lo, hi = sub.getwidth()
                if lo != hi or hi > MAX_EXACT_REACH:
                    return None
                inner += hi
            need = max(need, inner)
            continue
        for sub in _subpatterns(av):
            inner = _look_back(sub)
            if inner is None:
                return None
            need = max(need, inner)
    return need


def _has_op(items, ops) -> bool:
    for op, av in items:
        if op in ops:
            return True
        for sub in _subpatterns(av):
            if _has_op(sub, ops):
                return True
    return False


def _subpatterns(av):
    """The nested item lists of one parsed item's argument."""
    if isinstance(av, _sre_parse.SubPattern):
        yield av.data
    elif isinstance(av, (list, tuple)):
        for x in av:
            if isinstance(x, _sre_parse.SubPattern):
                yield x.data
            elif isinstance(x, (list, tuple)):
                yield from _subpatterns(x)


_LOOSE_OPS = frozenset(getattr(_sre_c, n) for n in ("ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS")
                       if hasattr(_sre_c, n))


KEEP_DATABASES = 8


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def prune_databases(folder: Path, keep: int = KEEP_DATABASES) -> None:
    """Every rule edit or profile compiles a new database (2 MB each); only the
    most recently used few are kept, so the cache cannot grow without bound."""
    def used(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(folder.glob("hsdb-*.bin"), key=used, reverse=True)[keep:]:
        try:
            old.unlink()
        except OSError:
            pass


def _cache_dir() -> Path:
    from ..rulecache import cache_dir
    return cache_dir()


class Engine:
    """Match a fixed list of regex rules against blobs, one native pass each."""

    def __init__(self, rules: Sequence[Rule], backend: Optional[str] = None,
                 compiled: Optional[list[CompiledRule]] = None):
        self.compiled = compiled if compiled is not None else [compile_rule(r, lazy=_builtin(r))
                                                               for r in rules if r.pattern]
        want = backend or os.environ.get("REPOSCRUB_ENGINE", "auto")
        self.backend = "hyperscan" if (hyperscan is not None and want != "re") else "re"
        self._db = None
        self._always: list[int] = []        # rules hyperscan could not take: run by keyword
        self._prefilter: set[int] = set()   # rules hyperscan takes loosely (a superset of their ends)
        # rules whose keywords are a condition, not a speed-up (imported rules)
        self._gated = {i for i, c in enumerate(self.compiled) if c.rule.require_keywords and c.keywords}
        if self.backend == "hyperscan" and self.compiled:
            self._db = self._load_or_compile()
        self._always_set = frozenset(self._always)
        self._memo: dict = {}              # window bytes -> hits (see window_hits)

    def without(self, rule_ids: set[str]) -> "Engine":
        """This engine minus some rules (a smaller database, the same compiled
        regexes): for content whose detectors ignore those rules' hits."""
        keep = [c for c in self.compiled if c.rule.id not in rule_ids]
        return Engine([c.rule for c in keep], self.backend, compiled=keep)

    # -- hyperscan database -------------------------------------------------
    def _key(self) -> str:
        """The cache key: the rules' own patterns (what _hs_expression makes of them is
        fixed by CACHE_VERSION; rewriting 400 patterns took 17 ms of every start)."""
        h = hashlib.sha256(CACHE_VERSION + str(getattr(hyperscan, "__version__", "")).encode())
        for c in self.compiled:
            h.update(c.rule.pattern.encode() + b"\0" + str(_hs_flags(c.rule)).encode() + b"\1")
        return h.hexdigest()[:32]

    def _load_or_compile(self):
        path = _cache_dir() / f"hsdb-{self._key()}.bin"
        try:
            blob = path.read_bytes()
            always, prefilter, db_bytes = blob.split(b"\n", 2)
            self._always = [int(x) for x in always.split(b",") if x]
            self._prefilter = {int(x) for x in prefilter.split(b",") if x}
            db = hyperscan.loadb(db_bytes, hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)   # a loaded database comes without one
            _touch(path)
            return db
        except (OSError, ValueError, hyperscan.error):
            self._always, self._prefilter = [], set()
        db = self._compile()
        if db is None:
            return None
        self._distrust_misses(db)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            meta = b"\n".join(",".join(map(str, sorted(s))).encode() for s in (self._always, self._prefilter))
            tmp.write_bytes(meta + b"\n" + hyperscan.dumpb(db))
            os.replace(tmp, path)
            prune_databases(path.parent)
        except OSError:
            pass  # a read-only home only costs the next run a compile
        return db

    def _distrust_misses(self, db) -> None:
        """Hyperscan 5.4 (as bundled) can miss a match: a caseless alternation
        such as `(?i:facebook|\\bfb_)\\w{0,24}secret` finds nothing once 30
        bytes precede it.  A miss is a leak, so every rule's own examples are
        run through the compiled database behind a few prefixes; a rule whose
        example `re` matches but hyperscan does not is taken off hyperscan's
        word and run by its keywords instead (the fallback path)."""
        from ..examplegen import expand
        always = set(self._always)
        for i, c in enumerate(self.compiled):
            if i in always:
                continue
            for ex in c.rule.examples:
                if not isinstance(ex, str):
                    continue
                text = expand(ex, c.rule.id).encode()
                if any(i not in _hs_ends(db, pad + text) and self.rule_hits(c, pad + text)
                       for pad in _PADS):
                    self._always.append(i)
                    break

    def _compile(self):
        exprs = [_hs_expression(c.rule) for c in self.compiled]
        loose = {i for i, c in enumerate(self.compiled) if _loose_only(c.rule)}
        flags = [_hs_flags(c.rule) | (hyperscan.HS_FLAG_PREFILTER if i in loose else 0)
                 for i, c in enumerate(self.compiled)]
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:  # the common case: every rule compiles as expected, one call
            db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
            self._prefilter = loose
            return db
        except Exception:
            return self._compile_one_by_one()

    def _compile_one_by_one(self):
        ids, exprs, flags = [], [], []
        for i, c in enumerate(self.compiled):
            expr, fl = _hs_expression(c.rule), _hs_flags(c.rule)
            if not _hs_accepts(expr, fl):
                if _hs_accepts(expr, fl | hyperscan.HS_FLAG_PREFILTER):
                    fl |= hyperscan.HS_FLAG_PREFILTER
                    self._prefilter.add(i)
                else:
                    self._always.append(i)
                    continue
            ids.append(i)
            exprs.append(expr)
            flags.append(fl)
        if not exprs:
            return None
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=flags)
        return db

    # -- matching -------------------------------------------------------------
    def match_ends(self, data: bytes) -> Optional[dict[int, list[int]]]:
        """Rule index -> ascending end offsets of its hyperscan matches (prefilter
        rules: of their loose form).  None when hyperscan is not in use, or when
        a blob floods it with reports (then the keyword path takes the blob)."""
        if self.backend != "hyperscan":
            return None
        reports: list[tuple[int, int]] = []
        if data and self._db is not None:
            try:
                self._db.scan(data, match_event_handler=_collect, context=reports)
            except hyperscan.ScanTerminated:
                return None
        ends: dict[int, list[int]] = {}
        for i, end in reports:
            ends.setdefault(i, []).append(end)
        for found in ends.values():
            found.sort()              # (hyperscan reports in end order; window_hits relies on it)
        if ends and self._gated and not self._gated.isdisjoint(ends):
            low = data.lower()
            for i in self._gated.intersection(ends):
                if not self._keyword_hit(i, low):
                    del ends[i]
        return ends

    def possible_ends(self, data: bytes) -> Optional[list[int]]:
        """Offsets where some rule's match may end, ascending; None when any
        offset may (no hyperscan, a flood, or a keyword-only rule that fires).
        Lets a caller scan many small items as one buffer and look closer only
        at the items that hold one of these offsets."""
        ends = self.match_ends(data)
        if ends is None or self._keyword_candidates(data, self._always):
            return None
        return sorted({e for found in ends.values() for e in found})

    def candidates(self, data: bytes) -> list[int]:
        """Indices of rules that may match somewhere in data."""
        ends = self.match_ends(data)
        if ends is None:
            return self._keyword_candidates(data, range(len(self.compiled)))
        return sorted(set(ends) | set(self._keyword_candidates(data, self._always)))

    def _keyword_candidates(self, data: bytes, which) -> list[int]:
        if not which:
            return []
        low = data.lower()
        return [i for i in which if self._keyword_hit(i, low)]

    def _keyword_hit(self, i: int, low: bytes) -> bool:
        kws = self.compiled[i].keywords
        return not kws or any(k in low for k in kws)

    def scan(self, data: bytes) -> list[Hit]:
        ends = self.match_ends(data)
        if ends is None:        # no hyperscan, or a flood: keywords pick the rules
            return self._whole(data, self._keyword_candidates(data, range(len(self.compiled))))
        if not ends and not self._always:
            return []
        hits: list[Hit] = []
        for i in sorted(ends):
            if i in self._always_set:      # distrusted: the keyword path below runs it
                continue
            c = self.compiled[i]
            memo = None if c.look_back is None else self._memo   # an unknown lookbehind may see anything
            hits.extend(self.window_hits(c, data, ends[i], memo))
        return hits + self._whole(data, self._keyword_candidates(data, self._always))

    def _whole(self, data: bytes, which: Sequence[int]) -> list[Hit]:
        """Hits of the given rules, each regex run over the whole blob."""
        hits: list[Hit] = []
        low: Optional[bytes] = None
        for i in which:
            c = self.compiled[i]
            if c.lowered and low is None:
                low = data.lower()
            hits.extend(self.rule_hits(c, data, low))
        return hits

    @staticmethod
    def rule_hits(c: CompiledRule, data: bytes, low: Optional[bytes] = None,
                  pos: int = 0, endpos: Optional[int] = None) -> list[Hit]:
        """The rule's hits between pos and endpos (what lies before pos still
        counts as context: ``\\b`` and ``^`` see it)."""
        endpos = len(data) if endpos is None else endpos
        offset = 0
        if not c.lowered:
            subject = data
        elif low is not None:
            subject = low
        else:   # lower just the window, one byte of context before it
            offset = max(0, pos - 1)
            subject, pos, endpos = data[offset:endpos].lower(), pos - offset, endpos - offset
        out = []
        for m in c.regex.finditer(subject, pos, endpos):
            start, end = group_span(m, c.rule.group)
            if start < 0 or end <= start:
                continue
            start, end = start + offset, end + offset
            value = data[start:end]
            if all(check(value) for check in c.checks):
                confirmed = all(check(value) for check in c.confirms)
                rule = c.rule if confirmed else c.unconfirmed
                out.append(Hit(rule, start, end, m.start() + offset, m.end() + offset))
        return out

    @staticmethod
    def window_hits(c: CompiledRule, data: bytes, ends: Sequence[int],
                    memo: Optional[dict] = None) -> list[Hit]:
        """The rule's hits, found by running its regex only on windows that start
        `reach` bytes before a reported match end and stop at the end of its line.

        Every match re finds ends at an offset hyperscan reported, so nothing
        outside the windows can match; running on to the line's end lets
        ``\\b`` and ``$`` see what follows, as they would in the whole blob.
        Overlapping windows are merged.

        With `memo` (rules whose lookbehinds have a fixed width), a window's hits are kept
        by its bytes: history meets the same lines in every version of a file.
        A window's hits depend on its bytes, the byte before it (``\\b``,
        ``^``) and as many more as the rule's lookbehinds read (look_back), and
        at its end on whether the blob ends there or hyperscan saw a match end
        there (the regex never sees past the window: it ends the subject); all
        of that is in the key, so the memo never changes an answer."""
        n = len(data)
        out: list[Hit] = []
        reach, snap = c.reach, c.snap
        windows: list[list[int]] = []
        last = -1                                      # the end of the last window
        i, count = 0, len(ends)
        while i < count:
            e = ends[i]
            lo = max(0, e - reach)
            if snap and lo and lo > last:
                nl = data.rfind(b"\n", max(0, lo - SNAP), lo)
                lo = nl + 1 if nl >= 0 else lo
            nl = data.find(b"\n", e, e + SNAP)         # end at the line's end: `$` and lookaheads
            hi = nl + 1 if nl >= 0 else min(n, e + SNAP)   # see what they would in the whole blob
            if lo <= last:
                windows[-1][1] = hi                    # overlaps the last window: extend it
            else:
                windows.append([lo, hi])
            last = hi
            i = bisect.bisect_left(ends, hi, i + 1)    # the ends before hi are inside it already
        for lo, hi in windows:
            key = None
            if memo is not None:
                before = min(lo, 1 + c.look_back)
                key = (id(c), data[lo - before:hi], before, hi == n, _among(ends, hi))   # ids can repeat
                known = memo.get(key)
                if known is not None:
                    out.extend(Hit(rule, lo + s, lo + e, lo + ms, lo + me) for rule, s, e, ms, me in known)
                    continue
            found = [h for h in Engine.rule_hits(c, data, None, lo, hi)
                     # a match cut short by the window's end is not one hyperscan saw
                     if h.match_end < hi or h.match_end == n or _among(ends, h.match_end)]
            out.extend(found)
            if key is not None:
                if len(memo) >= MEMO_WINDOWS:
                    memo.clear()
                memo[key] = tuple((h.rule, h.start - lo, h.end - lo, h.match_start - lo, h.match_end - lo)
                                  for h in found)     # h.rule: a failed confirm check means low
        return out


def _among(ends: Sequence[int], x: int) -> bool:
    """Is x one of the (ascending) ends?"""
    i = bisect.bisect_left(ends, x)
    return i < len(ends) and ends[i] == x


def group_span(m: "re.Match[bytes]", group: int) -> tuple[int, int]:
    """The span a rule replaces: its group, or with group -1 the first group that
    matched something, else the whole match (gitleaks' rule for imported rules)."""
    if group >= 0:
        return m.span(group)
    for i in range(1, m.re.groups + 1):
        start, end = m.span(i)
        if end > start:
            return start, end
    return m.span(0)


def _collect(rule_id, _from, to, _flags, context):
    context.append((rule_id, to))
    if len(context) > FLOOD:
        return True
    return None


_PADS = (b"", b" " * 31, b"x" * 40 + b" ", b"key = 1\n" * 12 + b"    ", b"\t" * 200)


def _hs_ends(db, data: bytes) -> set[int]:
    reports: list[tuple[int, int]] = []
    db.scan(data, match_event_handler=_collect, context=reports)
    return {i for i, _ in reports}


def _hs_accepts(expr: bytes, flags: int) -> bool:
    try:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[expr], ids=[0], elements=1, flags=[flags])
        return True
    except Exception:
        return False
