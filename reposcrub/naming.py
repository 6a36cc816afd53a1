"""Words and case styles: how one name is spelled across a codebase.

A company term ("Acme Widgets") is a list of words; code spells it
`AcmeWidgets`, `acme_widgets`, `ACME-WIDGETS`, `acmeWidgets`...  This module
knows how to split a spelling into words, where a word may start or end in
running text (word and case-style boundaries, so `Acme` is found in
`AcmeClient` but not in `Acmeology`), and how to spell a replacement in the
style of an original, so a renamed identifier stays valid where the original
was.  Plain byte logic, no parsing: it works in any language and in paths.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_SEP = re.compile(r"[\W_]+")          # on str: Unicode-aware, so "Müller" is one word


def split_words(text: str) -> list[str]:
    """`AcmeWidgets`, `acme_widgets`, `ACME-WIDGETS`, `Acme Widgets` -> [Acme, Widgets].

    Digits stay with the word they follow (`Web3`, `Project1`), so a number in
    a name is part of a word, not a word of its own."""
    return [w for chunk in _SEP.split(text) for w in _humps(chunk)]


def _humps(chunk: str) -> list[str]:
    """Split one run of letters and digits at its case humps: HTTPServer -> HTTP, Server."""
    words: list[str] = []
    cur = ""
    for i, ch in enumerate(chunk):
        prev = cur[-1] if cur else ""
        nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
        hump = ch.isupper() and (prev.islower() or (prev.isupper() and nxt.islower()))
        if cur and (hump or (ch.isalpha() and prev.isdigit())):
            words.append(cur)
            cur = ""
        cur += ch
    return words + [cur] if cur else words


def normalize(text: str | bytes) -> str:
    """The key every spelling of a term shares: lower case, no separators."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return _SEP.sub("", text).lower()


def caseless(literal: str) -> str:
    """A regex for a literal in any case, as alternatives (`[Aa][Cc]`), so no engine flag
    is needed; a non-ASCII letter becomes `(?:Ü|ü)`, which stays right once encoded as UTF-8."""
    out = []
    for ch in literal:
        if "a" <= ch.lower() <= "z":
            out.append(f"[{ch.upper()}{ch.lower()}]")
        elif ch.upper() != ch.lower() and len(ch.upper()) == 1:
            out.append(f"(?:{ch.upper()}|{ch.lower()})")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def keyword(words: list[str]) -> Optional[str]:
    """The longest ASCII run of a term, lower-cased: what the pure-`re` engine looks for
    before running the term's pattern (bytes.lower() only folds ASCII)."""
    runs = [r.lower() for w in words for r in re.findall(r"[A-Za-z0-9]+", w)]
    return max(runs, key=len) if runs else None


def term_pattern(words: list[str]) -> str:
    """Every spelling of a list of words: any case, a few separators (or none) between words.

    Boundaries are checked in Python (`at_start`/`at_end`): lookarounds would
    keep hyperscan from compiling the pattern."""
    sep = r"(?:[ \t_.\-]{0,3}|'|[ \t]?&[ \t]?)"     # as the profile writes it: O'Reilly, AT&T, Johnson & Johnson
    return sep.join(caseless(w) for w in words)


def _lower(c: int) -> bool:
    return 97 <= c <= 122


def _upper(c: int) -> bool:
    return 65 <= c <= 90


def _digit(c: int) -> bool:
    return 48 <= c <= 57


def _alnum(c: int) -> bool:
    return _lower(c) or _upper(c) or _digit(c)


# Words a name is glued to in org, package and host names (acmecorp, roadrunnerapi,
# libroadrunner): a term followed or preceded by one of these is still the term.
# Short and specific on purpose: `Atlas` must not be found in `Atlassian`.
COMPOUND_SUFFIXES = (
    "s", "es", "sys", "corp", "inc", "co", "hq", "labs", "lab", "dev", "ops", "api", "apis", "app",
    "apps", "net", "cloud", "data", "soft", "tech", "group", "io", "web", "cdn", "mail", "auth", "admin",
    "bot", "cli", "sdk", "lib", "js", "py", "svc", "server", "client", "service", "worker", "db")
COMPOUND_PREFIXES = ("lib", "py", "my", "go", "get", "the")


def _plain_start(data: bytes, i: int) -> bool:
    if i <= 0 or i >= len(data):
        return True
    p, c = data[i - 1], data[i]
    if not _alnum(p) or _digit(p) or _digit(c):
        return True
    if _upper(c):
        if _lower(p):
            return True
        return i + 1 < len(data) and _lower(data[i + 1])
    return False


def _plain_end(data: bytes, j: int) -> bool:
    if j <= 0 or j >= len(data):
        return True
    last, n = data[j - 1], data[j]
    if not _alnum(n) or _digit(n) or _digit(last):
        return True
    if _upper(n):
        if _lower(last):
            return True
        return j + 1 < len(data) and _lower(data[j + 1])   # ACMEClient
    return False


def at_start(data: bytes, i: int) -> bool:
    """Does a word start at data[i]?  After a non-alphanumeric, a digit, or a
    lower-to-upper step (`getAcme`), at the last capital of a run followed by
    lower case (`HTTPAcme`), or after a known prefix (`libacme`)."""
    if _plain_start(data, i):
        return True
    low = data[max(0, i - 3):i].lower()
    return any(low.endswith(p.encode()) and _plain_start(data, i - len(p)) for p in COMPOUND_PREFIXES)


def at_end(data: bytes, j: int) -> bool:
    """Does a word end just before data[j]?  The mirror of `at_start`; a plural
    or a known suffix after it still counts as its end (`Roadrunners`, `acmecorp`)."""
    if _plain_end(data, j):
        return True
    ahead = data[j:j + 8].lower()
    return any(ahead.startswith(s.encode()) and _plain_end(data, j + len(s)) for s in COMPOUND_SUFFIXES)


# -- case styles ------------------------------------------------------------------

LOWER, UPPER, TITLE, MIXED = "lower", "upper", "title", "mixed"


def word_case(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return LOWER
    if all(c.islower() for c in letters):
        return LOWER
    if all(c.isupper() for c in letters):
        return TITLE if len(letters) == 1 else UPPER
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return TITLE
    return MIXED


@dataclass(frozen=True)
class Style:
    """How an original spelled its words: per-word case and the separator between them."""

    first: str
    rest: str
    sep: str

    def render(self, words: list[str]) -> str:
        return self.sep.join(_cased(w, self.first if i == 0 else self.rest) for i, w in enumerate(words))


def _cased(word: str, case: str) -> str:
    if case == LOWER:
        return word.lower()
    if case == UPPER:
        return word.upper()
    if case == TITLE:
        return word[:1].upper() + word[1:].lower()
    return word


def split_by_lengths(original: str, lengths: list[int]) -> Optional[tuple[list[str], list[str]]]:
    """Cut a matched spelling into the term's words and the separators between them."""
    words, seps, i = [], [], 0
    for n, length in enumerate(lengths):
        words.append(original[i:i + length])
        i += length
        if n < len(lengths) - 1:
            j = i
            while j < len(original) and not original[j].isalnum():
                j += 1
            seps.append(original[i:j])
            i = j
    return (words, seps) if i == len(original) else None


def _joiner(gaps: list[str]) -> str:
    """The separator a multi-word original uses: its first gap, but `O'Reilly Media` and
    `Johnson & Johnson` join a replacement with a space (`Example Corp`, not `Example'Corp`)."""
    plain = [g for g in gaps if "'" not in g and "&" not in g]
    if len(plain) == len(gaps):
        return gaps[0]
    return plain[0] if plain else (" " if any(" " in g for g in gaps) else "")


def style_of(words: list[str], seps: list[str], before: bytes = b"", after: bytes = b"",
             context: str = "") -> Style:
    """The style of an original spelling.  A one-word original has no separator
    of its own: it borrows `_` or `-` from its neighbours (`acme_client` ->
    `example_corp_client`; `-` not in code, where it is a minus), camel case from
    a capital after it (`acmeClient` -> `exampleCorpClient`), a space in a
    comment or prose when it is a capitalised word, and otherwise joins words
    with nothing, which is valid in every identifier, path and host name.

    context: what the syntax map says the original sits in (comment, string,
    identifier, code, text), or "" where nobody asked (file names, config)."""
    pieces: list[str] = []
    gaps: list[str] = []
    for i, w in enumerate(words):
        sub = split_words(w) if word_case(w) == MIXED else [w]
        if i:
            gaps.append(seps[i - 1] if i - 1 < len(seps) else "")
        gaps.extend([""] * (len(sub) - 1))
        pieces.extend(sub or [w])
    cases = [word_case(w) for w in pieces]
    if UPPER in cases:   # `O_REILLY`: a one-letter word of an upper-case spelling is upper case too
        cases = [UPPER if c == TITLE and len(p) == 1 else c for c, p in zip(cases, pieces)]
    if len(pieces) > 1:
        return Style(cases[0], cases[-1], _joiner(gaps))
    case = cases[0] if cases else LOWER
    nxt, prv = after[:1], before[-1:]
    borrow = (b"_",) if context in ("code", "identifier") else (b"_", b"-")
    if nxt in borrow and after[1:2].isalnum():
        sep = nxt.decode()
    elif prv in borrow and before[-2:-1].isalnum():
        sep = prv.decode()
    elif case == TITLE and context in ("comment", "text"):
        sep = " "
    else:
        sep = ""
    if case == LOWER and sep == "" and after[:1].isupper():
        return Style(LOWER, TITLE, "")
    return Style(case, case, sep)
