"""The company a profile describes, as the detector and the renamer both need it.

The profile is what a person wrote (`names = ["Acme Widgets"]`); this is the
same thing made precise once: each term split into words and keyed by its
normalized spelling, domains lower-cased, `[replace]` keys sorted into the
term, domain or email they fix.  A `[replace]` key that names nothing in the
lists is a term of its own (a person's name, an old product), so the table
alone is enough to find and rename something.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Optional

from .config import Profile
from .naming import normalize, split_words
from .sources.gitrepo import InputError

_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+$")
_TERM_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9 _.-]*$")
_TICKET = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Term:
    """A name or codename: its words, and the key all its spellings share."""

    kind: str                 # name | codename
    text: str
    words: tuple[str, ...]
    fixed: Optional[str] = None

    @property
    def key(self) -> str:
        return normalize(self.text)


@dataclass
class Company:
    terms: list[Term] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    ticket_prefixes: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)      # lower-cased key -> replacement
    inside_words: bool = False

    @classmethod
    def from_profile(cls, profile: Optional[Profile]) -> "Company":
        if profile is None:
            return cls()
        fixed = {k.strip().lower(): v.strip() for k, v in profile.replace.items()}
        company = cls(fixed=fixed, inside_words=getattr(profile, "inside_words", False))
        seen: set[str] = set()
        for kind, texts in (("name", profile.names), ("codename", profile.codenames)):
            for text in texts:
                company._add_term(kind, text, seen)
        for d in profile.domains:
            company._add_domain(d)
        for e in profile.emails:
            company._add_email(e)
        for p in profile.ticket_prefixes:
            if not _TICKET.match(p.strip()):
                raise InputError(f"profile: ticket prefix {p!r} must be letters and digits (as in ACME-1234)")
            if p.strip().upper() not in company.ticket_prefixes:
                company.ticket_prefixes.append(p.strip().upper())
        for key in profile.replace:
            company._add_unlisted(key.strip(), seen)
        company._check_fixed()
        return company

    # -- building --------------------------------------------------------------
    def _add_term(self, kind: str, text: str, seen: set[str]) -> None:
        text = text.strip()
        words = split_words(text)
        if not words:
            raise InputError(f"profile: {kind} {text!r} has no letters or digits")
        key = normalize(text)
        if key in seen:
            return
        seen.add(key)
        fixed = self.fixed.get(text.lower())
        if fixed is None:   # the table may spell the term differently ("AcmeWidgets")
            fixed = next((v for k, v in self.fixed.items() if normalize(k) == key and "." not in k), None)
        self.terms.append(Term(kind, text, tuple(words), fixed))

    def _add_domain(self, d: str) -> None:
        d = d.strip().lower().rstrip(".")
        d = d[2:] if d.startswith("*.") else d.lstrip(".")
        if not _DOMAIN.match(d):
            raise InputError(f"profile: {d!r} is not a domain name (e.g. acmewidgets.com)")
        if d not in self.domains:
            self.domains.append(d)

    def _add_email(self, e: str) -> None:
        e = e.strip().lower()
        if not _EMAIL.match(e):
            raise InputError(f"profile: {e!r} is not an email address")
        if e not in self.emails:
            self.emails.append(e)

    def _add_unlisted(self, key: str, seen: set[str]) -> None:
        low = key.lower()
        if "@" in key:
            self._add_email(key)
        elif "." in key and " " not in key and not _is_ip(key):
            if low.lstrip("*.") not in self.domains and self.domain_for(low) is None:
                self._add_domain(key)
        elif not _is_ip(key) and normalize(key) not in seen:
            self._add_term("name", key, seen)

    def _check_fixed(self) -> None:
        for t in self.terms:
            if t.fixed is not None and not _TERM_VALUE.match(t.fixed):
                raise InputError(f"profile: [replace] {t.text!r} = {t.fixed!r}: a replacement name must start "
                                 "with a letter and hold only letters, digits, spaces, '_', '-' or '.' "
                                 "(it must stay a valid identifier)")
        for d in self.domains:
            v = self.fixed.get(d)
            if v is not None and not _DOMAIN.match(v.lower()):
                raise InputError(f"profile: [replace] {d!r} = {v!r}: the replacement of a domain must be a domain")

    # -- lookups ---------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return not (self.terms or self.domains or self.emails or self.ticket_prefixes)

    def term_for(self, spelling: str | bytes) -> Optional[Term]:
        key = normalize(spelling)
        return next((t for t in self.terms if t.key == key), None)

    def domain_for(self, host: str) -> Optional[str]:
        """The profile domain a host name is, or is under (the longest one)."""
        host = host.lower().rstrip(".")
        best = None
        for d in self.domains:
            if (host == d or host.endswith("." + d)) and (best is None or len(d) > len(best)):
                best = d
        return best

    def fixed_for(self, value: str) -> Optional[str]:
        return self.fixed.get(value.lower())


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("/")[0])
        return True
    except ValueError:
        return False
