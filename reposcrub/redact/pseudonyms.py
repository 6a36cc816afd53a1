"""Consistent replacements: one value, one replacement, everywhere in a snapshot.

A secret seen twice (in two files, or in a file and a file name) gets the same
typed marker both times, so configuration that must agree still agrees.  A
company term gets one replacement for the whole snapshot, chosen up front
from the profile (fixed `[replace]` choices first, then `Example`, `Project1`,
`example.com`, `TICKET`...), and is spelled in the style of each original:
`AcmeWidgetsClient` -> `ExampleCorpClient`, `acme_widgets` -> `example_corp`,
so a module renamed in its path is renamed the same way in every import.
Hosts and addresses become reserved names and documentation addresses
(`host-1.example`, `192.0.2.40`), numbered in order of first appearance.

`mapping` (kind -> original -> replacement) is what the report lists.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Iterable, Optional

from ..company import Company, Term
from ..model import Finding
from ..naming import LOWER, TITLE, normalize, split_by_lengths, split_words, style_of, word_case

DEFAULT_DOMAINS = ("example.com", "example.org", "example.net")
DOC_NETS_V4 = ("192.0.2", "198.51.100", "203.0.113")    # RFC 5737
DOC_PREFIX_V6 = "2001:db8::"                             # RFC 3849
LOCAL_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
HOST_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class Pseudonyms:
    def __init__(self, company: Optional[Company] = None, taken: Iterable[str] = ()) -> None:
        self.company = company or Company()
        self._taken = {normalize(t) for t in taken}
        self._secret: dict[tuple[str, bytes], str] = {}
        self._counters: defaultdict[str, int] = defaultdict(int)
        self.mapping: dict[str, dict[bytes, str]] = defaultdict(dict)  # kind -> value -> replacement
        self.terms: dict[str, list[str]] = {}          # term key -> replacement words
        self.domains: dict[str, str] = {}              # profile domain -> replacement domain
        self.tickets: dict[str, str] = {}              # ticket prefix -> replacement prefix
        self._numbered: dict[tuple[str, str], int] = {}
        self._v4_nets: dict[str, str] = {}
        self._v4_used: dict[str, str] = {}             # replacement -> original
        self._choose()

    # -- choices made once, from the profile -------------------------------------
    def _choose(self) -> None:
        c = self.company
        used = set(self._taken) | {t.key for t in c.terms}
        for t in c.terms:
            if t.fixed is not None:
                words = split_words(t.fixed)
            else:
                words = self._default_words(t, used)
            used.add(normalize("".join(words)))
            self.terms[t.key] = words
        free = [d for d in DEFAULT_DOMAINS if d not in c.domains]
        n = 0
        for d in c.domains:
            fixed = c.fixed_for(d)
            if fixed:
                self.domains[d] = fixed.lower()
            elif free:
                self.domains[d] = free.pop(0)
            else:
                n += 1
                self.domains[d] = f"domain{n}.example"
        for i, p in enumerate(c.ticket_prefixes, 1):
            fixed = c.fixed_for(p)
            self.tickets[p] = fixed.upper() if fixed else ("TICKET" if i == 1 else f"TICKET{i}")

    def _default_words(self, t: Term, used: set[str]) -> list[str]:
        """Example, Example Corp, Example2 ... (Project1 ... for codenames), skipping any
        that is already a name in the tree or would itself be found as a company term."""
        bases = ("Project", "Codename", "Placeholder") if t.kind == "codename" else ("Example", "Sample", "Placeholder")
        for base in bases:
            if any(term.key in base.lower() for term in self.company.terms):
                continue
            for n in range(1, 10_000):
                first = f"{base}{n}" if t.kind == "codename" or n > 1 else base
                words = [first] + (["Corp"] if t.kind == "name" and len(t.words) > 1 else [])
                key = normalize("".join(words))
                if key not in used and not any(term.key in key for term in self.company.terms):
                    return words
        raise ValueError(f"no free replacement for {t.text!r}")   # pragma: no cover

    # -- one replacement per finding ----------------------------------------------
    def replacement(self, f: Finding, data: bytes = b"") -> str:
        """The text that replaces a finding's span (data: the bytes it was found in)."""
        if f.kind == "identifier":
            return self._identifier(f, data)
        if f.kind == "host":
            return self.host(f.value.decode("ascii", "replace"))
        return self.secret(f.placeholder or f.rule, f.value)

    def secret(self, placeholder: str, value: bytes) -> str:
        """REDACTED-<type>-<n>: n counts distinct values of that type."""
        key = (placeholder, value)
        if key not in self._secret:
            self._counters[placeholder] += 1
            self._secret[key] = f"REDACTED-{placeholder}-{self._counters[placeholder]}"
            self.mapping["secret"][value] = self._secret[key]
        return self._secret[key]

    def _identifier(self, f: Finding, data: bytes) -> str:
        value = f.value.decode("utf-8", "replace")
        if f.rule in ("company-name", "company-codename"):
            text = self.term(value, data[max(0, f.start - 2):f.start], data[f.end:f.end + 2], f.context)
        elif f.rule == "company-domain":
            text = self.domain(value)
        elif f.rule == "company-domain-reversed":
            text = self.reversed_domain(value)
        elif f.rule == "company-ticket":
            text = self.ticket(value)
        elif f.rule == "company-email":
            return self.email(value, data, f.end)
        else:
            text = value
        self.mapping["identifier"].setdefault(f.value, text)
        return text

    def term(self, value: str, before: bytes = b"", after: bytes = b"", context: str = "") -> str:
        """A spelling of a profile term, respelled in its own style."""
        t = self.company.term_for(value)
        if t is None:
            return value
        cut = split_by_lengths(value, [len(w) for w in t.words])
        words, seps = cut if cut else ([value], [])
        return style_of(words, seps, before, after, context).render(self.terms[t.key])

    def domain(self, value: str) -> str:
        d = self.company.domain_for(value)
        rep = self.domains.get(d, DEFAULT_DOMAINS[0]) if d else value
        return rep.upper() if value.isupper() else rep

    def host_under_domain(self, host: str) -> str:
        """`eu.roadrunner.acmewidgets.com` -> `eu.project1.example.com`: labels kept, terms renamed."""
        d = self.company.domain_for(host)
        if d is None:
            return DEFAULT_DOMAINS[0]
        labels = host[: len(host) - len(d)].rstrip(".").split(".") if len(host) > len(d) else []
        kept = [self.term(lab) if self.company.term_for(lab) else lab for lab in labels if lab]
        return ".".join(kept + [self.domain(host[len(host) - len(d):])])

    def reversed_domain(self, value: str) -> str:
        sep = "/" if "/" in value else "."
        d = ".".join(reversed(value.replace("/", ".").split(".")))
        return sep.join(reversed(self.domain(d).split(".")))

    def email(self, value: str, data: bytes = b"", end: int = 0) -> str:
        """`jane.doe@acmewidgets.com` -> `user-1@example.com`.  A finding may be the
        whole address (from the profile's emails) or only the person before the @
        of an address on a company domain (the domain is its own finding)."""
        if "@" in value:
            local, _, host = value.partition("@")
            full, only_user = value.lower(), False
        else:
            j = end + 1
            while j < len(data) and data[j] in HOST_CHARS:
                j += 1
            host = data[end + 1:j].decode("ascii", "replace").rstrip(".")
            full, only_user = f"{value}@{host}".lower(), True
        n = self._number("email", full)
        user = f"user-{n}"
        whole = f"{user}@{self.host_under_domain(host.lower())}"
        self.mapping["identifier"].setdefault(full.encode(), whole)
        return user if only_user else whole

    def ticket(self, value: str) -> str:
        prefix, _, number = value.rpartition("-")
        rep = self.tickets.get(prefix.upper(), "TICKET")
        n = self._number(rep, f"{prefix.upper()}-{int(number)}")
        case = word_case(prefix)
        rep = rep.lower() if case == LOWER else rep.title() if case == TITLE and len(prefix) > 1 else rep
        return f"{rep}-{n}"

    def host(self, value: str) -> str:
        """`db01.corp.internal` -> `host-1.example`; `10.20.30.40` -> `192.0.2.40`."""
        key = value.lower().rstrip(".")
        known = self.mapping["host"].get(key.encode())
        if known is not None:
            return known
        fixed = self.company.fixed_for(key)
        if fixed is not None:
            rep = fixed
        elif key.count("-") == 3 and "." not in key:      # ip-10-0-1-23: the address, dashed
            rep = self.host(key.replace("-", ".")).replace(".", "-")
        else:
            try:
                addr = ipaddress.ip_address(key.split("%", 1)[0])
            except ValueError:
                addr = None
            if addr is None:
                rep = f"host-{self._number('host', key)}.example"
            elif addr.version == 4:
                rep = self._address_v4(str(addr))
            else:
                rep = f"{DOC_PREFIX_V6}{self._number('ipv6', str(addr)):x}"
        self.mapping["host"][key.encode()] = rep
        return rep

    def _address_v4(self, addr: str) -> str:
        """Keep the host part and the subnet grouping: the three /24 documentation
        networks take the first three subnets seen, so `.1` gateways and `.0`
        networks still read as such; later subnets take the first free slot."""
        net, _, last = addr.rpartition(".")
        if net not in self._v4_nets and len(self._v4_nets) < len(DOC_NETS_V4):
            self._v4_nets[net] = DOC_NETS_V4[len(self._v4_nets)]
        candidates = [f"{self._v4_nets[net]}.{last}"] if net in self._v4_nets else []
        candidates += [f"{d}.{i}" for d in DOC_NETS_V4 for i in range(1, 255)]
        for cand in candidates:
            if self._v4_used.get(cand, addr) == addr:
                self._v4_used[cand] = addr
                return cand
        return candidates[0]   # more than 762 private addresses: share (noted in the mapping)

    def _number(self, space: str, key: str) -> int:
        k = (space, key)
        if k not in self._numbered:
            self._counters[f"#{space}"] += 1
            self._numbered[k] = self._counters[f"#{space}"]
        return self._numbered[k]
