"""Internal hosts: private addresses and internal host names, no profile needed.

The rules (rules/hosts.yaml) find the shapes; this module drops the hits a
regex cannot tell apart from a host by the match alone: a version number after
`version =`, a range's own name (`10.0.0.0/8`), a Java package or .NET
namespace that ends in `.internal`, member access (`this.state.local`),
platform-wide names (`host.docker.internal`, `*.svc.cluster.local`), and
names under a profile domain (the identifiers detector renames those keeping
their structure: `db.acme.internal` -> `db.example.org`).
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from ..company import Company
from ..config import Profile
from ..model import ContentItem, Finding, Rule
from ..ruleset import RuleSet
from . import make_finding
from .addresses import is_range_definition
from .engine import Hit

INTERNAL_SUFFIXES = ("home.arpa", "internal", "corp", "lan", "local", "localdomain", "localnet",
                     "intranet", "intra", "private")
GENERIC_NAMES = frozenset({
    "host.docker.internal", "gateway.docker.internal", "kubernetes.docker.internal",
    "metadata.google.internal", "localhost.localdomain", "localhost.local", "cluster.local",
})
GENERIC_SUFFIXES = (".cluster.local", ".localhost.localdomain")
RESERVED_LABELS = frozenset({b"example", b"localhost", b"test", b"invalid"})
# The label before the suffix names the network; these names are everyone's
# (tutorials, test fixtures, home routers, cloud defaults) and identify no one.
GENERIC_BASES = frozenset({
    "dev", "develop", "development", "test", "tests", "testing", "stage", "staging", "prod", "production",
    "qa", "uat", "sandbox", "foo", "bar", "baz", "qux", "example", "examples", "sample", "demo", "my",
    "myapp", "mysite", "mydomain", "mycompany", "mycorp", "myhost", "app", "application", "api", "web",
    "www", "server", "host", "hostname", "local", "localhost", "service", "site", "domain", "company",
    "corp", "internal", "intranet", "lan", "home", "office", "router", "gateway", "printer", "nas", "db",
    "database", "mail", "smtp", "ns", "dns", "git", "ci", "build", "docker", "k8s", "kube", "cluster",
    "node", "vm", "box", "machine", "workstation", "laptop", "desktop", "pc", "raspberrypi", "pi",
    "ec2", "compute", "svc", "default",
})
# First labels that make a dotted name code: member access and package roots.
CODE_FIRST_LABELS = frozenset({
    "this", "self", "cls", "super", "window", "document", "globalthis", "global", "process",
    "module", "exports", "props", "state", "options", "opts", "settings", "threading", "os", "sys",
    "rails", "request", "req", "res", "response", "ctx", "context", "config", "cfg", "env",
    "com", "org", "net", "io", "edu", "gov", "java", "javax", "jdk", "sun", "android", "androidx",
    "kotlin", "scala", "microsoft", "system",
})
CODE_LINE = re.compile(rb"^\s*(?:import|from|package|using|namespace|use|module|require|include|#include|extern)\b")
VERSION_CONTEXT = re.compile(rb"(?i)(?<![a-z])(?:version|release)(?![a-z])[^\n]{0,24}$|(?:==|>=|<=|~=|\^|~)\s*[\"']?$")
_CAMEL = re.compile(rb"[a-z][A-Z]")


class HostsDetector:
    kind = "host"

    def __init__(self, ruleset: RuleSet, key: bytes, profile: Optional[Profile] = None):
        self._rules = [r for r in ruleset.of_kind("host") if r.pattern]
        self.company = Company.from_profile(profile)
        self.key = key

    def rules(self) -> list[Rule]:
        return self._rules

    def detect(self, item: ContentItem, hits: list[Hit]) -> Iterable[Finding]:
        data = item.data
        for h in hits:
            if h.rule.placeholder == "ip":
                keep = is_address(data, h.start, h.end)
            else:   # the rule's group is the network's name (acme.corp); the match, the whole host
                keep = (is_hostname(data, h.match_start, h.match_end) and not generic_network(data[h.start:h.end])
                        and not self.company.domain_for(data[h.match_start:h.match_end].decode("ascii", "replace")))
            if keep:
                yield make_finding(item, h.rule, h.start, h.end, self.key)


def generic_network(name: bytes) -> bool:
    """`dev.local`, `nas.lan`, `ec2.internal`: a network name that is everyone's."""
    low = name.lower().decode("ascii", "replace")
    suffix = next((s for s in INTERNAL_SUFFIXES if low == s or low.endswith("." + s)), "")
    return low[: len(low) - len(suffix) - 1].rsplit(".", 1)[-1] in GENERIC_BASES

def _line_before(data: bytes, start: int) -> bytes:
    return data[data.rfind(b"\n", 0, start) + 1:start]


def is_address(data: bytes, start: int, end: int) -> bool:
    """An address in running text, not a version number or the name of a range."""
    m = re.match(rb"/([0-9]{1,3})(?![0-9])", data[end:end + 4])
    if m and is_range_definition(data[start:end].decode("ascii"), int(m.group(1))):
        return False
    if _after_a_number(data, start) or _in_svg_numbers(data, start):
        return False
    return not VERSION_CONTEXT.search(_line_before(data, start)[-64:])


NUMBER_BEFORE_MINUS = re.compile(rb"[0-9.]+-\Z")
SVG_NUMBERS_ATTRIBUTE = re.compile(rb'\s(?:d|points|transform|viewBox|values)="\Z')


def _after_a_number(data: bytes, start: int) -> bool:
    """`14.72-10.33.93.12` is SVG path data (14.72, -10.33, .93, .12), not an address;
    `10.0.0.5-10.0.0.9` is a range, and its end is one."""
    m = NUMBER_BEFORE_MINUS.search(data, max(0, start - 16), start)
    return m is not None and m.group().count(b".") != 3


def _in_svg_numbers(data: bytes, start: int) -> bool:
    """Inside an SVG attribute made of numbers (`d="...30,10.11.86.39..."` is 10.11, .86, .39)."""
    q = data.rfind(b'"', max(0, start - 65536), start)
    return q > 0 and SVG_NUMBERS_ATTRIBUTE.search(data, max(0, q - 12), q + 1) is not None


def is_hostname(data: bytes, start: int, end: int) -> bool:
    """A host name, not code that happens to be spelled like one."""
    value = data[start:end]
    low = value.lower().rstrip(b".")
    name = low.decode("ascii", "replace")
    if name in GENERIC_NAMES or name.endswith(GENERIC_SUFFIXES):
        return False
    labels = value.split(b".")
    if any(lab.lower() in RESERVED_LABELS or b"example" in lab.lower() for lab in labels):
        return False        # documentation names, and our own replacements (myexample.corp)
    first = labels[0].lower().decode("ascii", "replace")
    if first in CODE_FIRST_LABELS or len(labels[0]) == 1:
        return False
    if any(_CAMEL.search(lab) for lab in labels):                    # this.fooBar.local
        return False
    if value != value.lower() and value != value.upper():            # Time.local, Microsoft.Extensions.Internal
        return False
    return not CODE_LINE.match(_line_before(data, start))
