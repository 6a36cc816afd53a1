"""Company identifiers: the profile's names, codenames, domains, emails and ticket keys.

Rules are built at run time from the profile and matched by the shared engine
in the same pass as every other rule.  Their patterns carry no lookarounds, so
hyperscan compiles them as they are; where a match may start and end (word and
case-style boundaries, `AcmeClient` yes, `Acmeology` no) is decided here, in
Python, on the few hits.  A term inside a longer word is still reported, at
low confidence and without being replaced, unless the profile asks for
`inside_words = true`.
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..company import Company
from ..config import Profile
from ..model import FILE_NAMES, ContentItem, Finding, Origin, Rule
from ..naming import at_end, at_start, caseless, keyword, split_words, term_pattern
from . import make_finding
from .checks import shannon_entropy
from .engine import Hit

NAME, CODENAME = "company-name", "company-codename"
DOMAIN, REVERSED_DOMAIN = "company-domain", "company-domain-reversed"
EMAIL, TICKET = "company-email", "company-ticket"

HOST_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
LOCAL_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
ENCODED_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
HEX_CHARS = frozenset(b"0123456789abcdefABCDEF")
SERVICE_USERS = {b"git"}   # git@host:org/repo is a remote, not a person
EMAIL_USER = Rule(id=EMAIL, kind="identifier", name="Person at a company domain", source="profile")


# Delimiters of the literal rules, in the patterns themselves: a hit the detector
# threw away afterwards would still have hidden the hits inside it (the engine
# keeps the longest of overlapping hits), so `acmewidgets.community` must never
# be a domain hit.  Hyperscan takes these in prefilter mode; names and codenames
# have no lookarounds, their boundaries are checked below.
HOST_BEFORE, HOST_AFTER = r"(?<![A-Za-z0-9-])", r"(?![A-Za-z0-9-])"
LOCAL_BEFORE = r"(?<![A-Za-z0-9._%+-])"
WORD_BEFORE, WORD_AFTER = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"


def build_rules(company: Company) -> list[Rule]:
    """One rule per term, domain, email and ticket prefix (so a hit says which)."""
    rules: list[Rule] = []
    for t in company.terms:
        rules.append(Rule(
            id=NAME if t.kind == "name" else CODENAME, kind="identifier",
            name=f"Company {t.kind} from the profile", pattern=term_pattern(list(t.words)),
            keywords=tuple(k for k in (keyword(list(t.words)),) if k), source="profile"))
    for d in company.domains:
        rules.append(Rule(id=DOMAIN, kind="identifier", name="Company domain from the profile",
                          pattern=HOST_BEFORE + caseless(d) + HOST_AFTER, keywords=(d,), source="profile"))
        labels = d.split(".")
        if len(labels) > 1:   # Java/Android packages and their folders: com.acmewidgets, com/acmewidgets
            rev = list(reversed(labels))
            rules.append(Rule(id=REVERSED_DOMAIN, kind="identifier", name="Company domain, reversed (packages)",
                              pattern=HOST_BEFORE + "[./]".join(caseless(x) for x in rev) + HOST_AFTER,
                              keywords=(".".join(rev), "/".join(rev)), source="profile"))
    for e in company.emails:
        rules.append(Rule(id=EMAIL, kind="identifier", name="Company email from the profile",
                          pattern=LOCAL_BEFORE + caseless(e) + HOST_AFTER, keywords=(e,), source="profile"))
    for p in company.ticket_prefixes:
        rules.append(Rule(id=TICKET, kind="identifier", name="Ticket key with a company prefix",
                          pattern=WORD_BEFORE + caseless(p) + "-[0-9]{1,9}" + WORD_AFTER,
                          keywords=(p.lower() + "-",), source="profile"))
    return rules


class IdentifiersDetector:
    kind = "identifier"

    def __init__(self, profile: Optional[Profile], key: bytes):
        self.company = Company.from_profile(profile)
        self.key = key
        self._rules = build_rules(self.company)

    def rules(self) -> list[Rule]:
        return self._rules

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        for h in hits:
            rid = h.rule.id
            if rid in (NAME, CODENAME):
                yield self._term(item, h)
                continue
            if rid == DOMAIN:
                yield from self._email_user(item, h)
            yield make_finding(item, h.rule, h.start, h.end, self.key)

    def _term(self, item: ContentItem, h: Hit) -> Finding:
        data = item.data
        whole = at_start(data, h.start) and at_end(data, h.end) and not in_encoded_run(data, h.start, h.end)
        if whole or self.company.inside_words:
            f = make_finding(item, h.rule, h.start, h.end, self.key)
            if item.origin in (Origin.HEAD, Origin.WORKTREE) and self._longer_replacement(f.value):
                f.context = syntax_context(item, h.start, h.end)
            return f
        f = make_finding(item, h.rule, h.start, h.end, self.key, confidence="low")
        f.reason = "inside a longer word: reported, not replaced (profile: inside_words = true replaces it)"
        return f

    def _longer_replacement(self, value: bytes) -> bool:
        """Only a fixed replacement can have more words than its term; only then
        does the syntax around a one-word spelling decide how to join them."""
        t = self.company.term_for(value)
        return t is not None and t.fixed is not None and len(split_words(t.fixed)) > len(t.words)

    def _email_user(self, item: ContentItem, h: Hit) -> Iterable[Finding]:
        """`jane.doe@eu.acmewidgets.com`: the person before the @ goes too."""
        data = item.data
        i = h.start
        while i > 0 and (data[i - 1] in HOST_CHARS or data[i - 1] == 0x2E):
            i -= 1
        if i == 0 or data[i - 1] != 0x40:   # '@'
            return
        at = i - 1
        j = at
        while j > 0 and data[j - 1] in LOCAL_CHARS:
            j -= 1
        local = data[j:at]
        if local and local.strip(b".") and local.lower() not in SERVICE_USERS:
            yield make_finding(item, EMAIL_USER, j, at, self.key)


def syntax_context(item: ContentItem, start: int, end: int) -> str:
    """Where a one-word spelling sits, when that decides how a longer replacement
    is joined (`acme-x`: a minus in code, kebab case in a string; `Acme` in a
    comment may become two words).  Asked only then: most hits never parse."""
    data = item.data
    value = data[start:end]
    dashed = data[end:end + 1] == b"-" or data[start - 1:start] == b"-"
    capital = value[:1].isupper() and value[1:].islower()
    if item.path == FILE_NAMES or not value.isalnum() or not (dashed or capital):
        return ""
    from .syntax import classify   # late: tree-sitter is loaded only when needed
    return classify(item.path, data).kind_at(start, end).value


def in_encoded_run(data: bytes, start: int, end: int, min_len: int = 32) -> bool:
    """A match inside base64/hex-like noise (an integrity hash, a minified blob)
    is chance, not a name: renaming it would corrupt the data."""
    i, j = start, end
    lo, hi = max(0, start - 512), min(len(data), end + 512)
    while i > lo and data[i - 1] in ENCODED_CHARS:
        i -= 1
    while j < hi and data[j] in ENCODED_CHARS:
        j += 1
    # `//` joins names (a path, a URL, a comment after code) and is rare inside
    # base64 (one pair in 4,096): the run is the piece between `//`s that holds the match.
    left = data.rfind(b"//", i, start)
    right = data.find(b"//", end, j)
    i = left + 2 if left >= 0 else i
    j = right if right >= 0 else j
    run = data[i:j]
    if len(run) >= 16 and all(c in HEX_CHARS for c in run):
        return True
    if len(run) < min_len:
        return False
    entropy = shannon_entropy(run)
    digits = sum(1 for c in run if 48 <= c <= 57) / len(run)
    return entropy >= 4.8 or (entropy >= 4.2 and digits >= 0.08)   # long names have few digits
