"""How believable a provider rule's hit is as a live credential, given its value and its place.

A rule's own confidence says how sure its *shape* is.  Two more facts move it,
and only ever down (scrub redacts low findings too, so nothing leaks; only the
scan's verdict changes):

* **the value is plainly made up**: it counts up (``abcdefgh``, ``123456``) or
  repeats one character.  A generated token holds a six-step ascending run with
  a probability of about one in ten million per position; documentation and
  other scanners' examples hold them all the time.  -> ``low``, for every rule
  whose value is not proven by a checksum.
* **the rule is weakly anchored and the file holds fakes by design**: a rule
  without a distinctive prefix or checksum (``secret_key_base: <hex>``, a
  Mandrill key after its keyword, a password in a URL) recognises a value by
  the words around it, and tests, fixtures, dummy apps, examples and docs are
  full of such values.  -> one level down (high -> medium -> low).  A value with
  its own prefix (``AKIA…``, ``ghp_…``, ``-----BEGIN``) or checksum keeps its
  confidence anywhere: a real token pasted into a test is still a real token.

One fact removes a hit from the verdict and from the redaction altogether:
**the value is an example beyond doubt** (`example_value`): it counts up eight
steps (``abcdefgh``, every other character too), repeats one character eight
times or cycles a short run five times, or it is a JWT whose claims are the
documentation sample's (``"sub": "1234567890"``).  A machine-made token does
that with a probability below one in a million even in hex, so the finding is
kept in the report but suppressed (``suppressed_by: example-value``) like an
allowlisted one: the snapshot leaves the fake in place, and a test that checks
a token format still passes.  Human-chosen values (passwords, generic
assignments) are never judged this way: ``abcdefgh1`` is a weak password, not
an example.
"""
from __future__ import annotations

import functools
import re
from typing import Optional

from ..model import Rule
from .checks import counts_up, jwt_payload
from .generic import path_context

try:  # Python 3.11+
    from re import _constants as _sre_c, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

LEVELS = ("low", "medium", "high")
PREFIX_LEN = 3          # a case-sensitive literal this long opens a distinctive token
# Checks that prove a value is an issued token (or a real key), not a lookalike.
PROVING_CHECKS = frozenset(("github-crc32", "bech32", "key-body", "jwt-structure"))
FAKE_PLACES = ("test", "doc")
_REPEAT = re.compile(rb"(.)\1{7,}")
_CYCLE = re.compile(rb"(.{2,4})\1{3,}")       # abcabcabcabc, 12341234...
_EXAMPLE_CYCLE = re.compile(rb"(.{2,4})\1{4,}")   # five times: in hex, 1 in 4e9 per position


EXAMPLE_RUN = 8          # counting steps that make a value an example beyond doubt
EXAMPLE_VALUE = "example-value"   # the suppression label of such a finding


def lower(confidence: str, steps: int = 1) -> str:
    return LEVELS[max(0, LEVELS.index(confidence) - steps)]


def plainly_fake(value: bytes, repeats: bool = True) -> bool:
    """A value no generator would produce: it counts up (also every other character:
    ``a1b2c3d4e5f6``), repeats one character eight times, or cycles a short run
    (``abcabcabcabc``).  `repeats=False` for formats that repeat by design."""
    return _made_up(value, 6, _CYCLE, repeats)


def _made_up(value: bytes, run: int, cycle: re.Pattern, repeats: bool) -> bool:
    """Counts up `run` steps (also every other character), or, where the format does
    not repeat by design, holds one character down or matches `cycle`."""
    return (counts_up(value, run) or counts_up(value[::2], run) or counts_up(value[1::2], run)
            or repeats and bool(_REPEAT.search(value) or cycle.search(value)))


@functools.lru_cache(maxsize=1024)
def proven(rule: Rule) -> bool:
    """A check of the rule proves its value issued (a checksum, a key's body, a JWT's structure)."""
    return bool(PROVING_CHECKS.intersection(rule.checks) or PROVING_CHECKS.intersection(rule.confirm))


def example_value(rule: Rule, value: bytes) -> bool:
    """A provider token no issuer made: see the module's docstring for the odds."""
    if "jwt-structure" in rule.checks:
        return _sample_claims(value)
    if proven(rule):
        return False
    return _made_up(value, EXAMPLE_RUN, _EXAMPLE_CYCLE, not repeats_by_design(rule))


def _sample_claims(value: bytes) -> bool:
    """A JWT whose subject (or any claim) counts up eight steps: jwt.io's sample token
    and its copies carry nothing an attacker could use."""
    claims = jwt_payload(value)
    return isinstance(claims, dict) and any(
        isinstance(v, str) and counts_up(v.encode(), EXAMPLE_RUN) for v in claims.values())


@functools.lru_cache(maxsize=1024)
def repeats_by_design(rule: Rule) -> bool:
    """The format itself holds a long run of one character (Dropbox's ten A's in the
    middle, an X bearer token's leading A's): a repeat there says nothing."""
    if not rule.pattern:
        return False
    try:
        parsed = _sre_parse.parse(rule.pattern)
    except Exception:  # pragma: no cover - the engine compiled it already
        return False
    return _has_run(list(parsed))


def _has_run(items: list, run: int = 8) -> bool:
    same, last = 0, None
    for op, av in items:
        if op is _sre_c.LITERAL:
            same = same + 1 if av == last else 1
            last = av
            if same >= run:
                return True
            continue
        same, last = 0, None
        if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= run and \
                [o for o, _ in av[2]] == [_sre_c.LITERAL]:
            return True
        if any(_has_run(list(sub), run) for sub in _children(op, av)):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def anchored(rule: Rule) -> bool:
    """The rule knows its value by the value itself: a case-sensitive literal prefix of
    at least PREFIX_LEN characters opens the replaced group, or a check proves it."""
    if rule.anchored is not None:          # the rule says so (a provider's webhook URL)
        return rule.anchored
    if proven(rule):
        return True
    if rule.ignore_case or not rule.pattern:
        return False
    try:
        parsed = _sre_parse.parse(rule.pattern)
    except Exception:  # pragma: no cover - the engine compiled it already
        return False
    items = _group_items(list(parsed), rule.group) if rule.group else list(parsed)
    return items is not None and _literal_prefix(items) >= PREFIX_LEN


def _group_items(items: list, group: int) -> Optional[list]:
    """The parsed items of capture group `group`, searched depth-first."""
    for op, av in items:
        for sub in _children(op, av):
            if op is _sre_c.SUBPATTERN and av[0] == group:
                return list(av[3])
            found = _group_items(list(sub), group)
            if found is not None:
                return found
    return None


def _children(op, av) -> list:
    if op is _sre_c.SUBPATTERN:
        return [av[3]]
    if op is _sre_c.BRANCH:
        return list(av[1])
    if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)):
        return [av[2]]
    if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
        return [av[1]]
    return []


def _literal_prefix(items: list) -> int:
    """How many case-sensitive literal characters every match of `items` starts with
    (an alternation counts its shortest branch; zero-width assertions are skipped)."""
    return _prefix(items)[0]


def _prefix(items: list) -> tuple[int, bool]:
    """(literal characters at the start, whether `items` is nothing but those)."""
    n = 0
    for op, av in items:
        if op is _sre_c.AT or op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue
        if op is _sre_c.LITERAL:
            n += 1
            continue
        if op is _sre_c.SUBPATTERN and not av[1] & re.IGNORECASE:
            inner, whole = _prefix(list(av[3]))
        elif op is _sre_c.BRANCH:
            parts = [_prefix(list(b)) for b in av[1]]
            inner = min(k for k, _ in parts)
            whole = all(w for _, w in parts) and len({k for k, _ in parts}) == 1
        else:
            return n, False
        n += inner
        if not whole:
            return n, False
    return n, True


def adjusted(rule: Rule, confidence: str, value: bytes, path: str) -> str:
    """The confidence of a provider rule's hit once its value and place are weighed."""
    if confidence == "low":
        return confidence
    if not proven(rule) and plainly_fake(value, repeats=not repeats_by_design(rule)):
        return "low"
    if not anchored(rule) and path_context(path) in FAKE_PLACES:
        return lower(confidence)
    return confidence
