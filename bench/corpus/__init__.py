"""The accuracy corpus: generated positives and negatives, built fresh at run time.

Positives (something that must be found):
  * ``template``: every secret rule's example templates, expanded with a new
    seed, first as written and then with the generated value moved into each
    file context of ``contexts.CONTEXTS`` under the name the example used;
  * ``independent``: values from ``values.py`` (written from providers' docs,
    not from our rules) in every context, and alone in prose.
Negatives (nothing may be found at high/medium):
  * ``rule-negative``: every rule's negative examples, as written;
  * ``stop-list``: values the generic judgement must reject (placeholders,
    references, calls, paths, URLs, UUIDs, digests, numbers, type names, our
    own REDACTED markers, fixtures in tests) under credential names, in every
    context;
  * real code (``realcode.py``): the HEAD of public repositories read with git.

Nothing is stored: the corpus is a function of the rules and a seed.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from reposcrub.detect.examples import example_path
from reposcrub.examplegen import _FIELD, _field, expand  # the expansion `rules test` uses
from reposcrub.model import Rule

from . import values
from .contexts import CONTEXTS, Rendered, bare_line
from .negatives import STOP_LIST

_VALUE_CHARS = re.compile(r"[A-Za-z0-9_\-+/=.~]")
_CREDENTIAL_WORD = re.compile(r"(?i)pass|pwd|secret|token|key|auth|cred")


@dataclass(frozen=True)
class Sample:
    family: str        # rule id (template), generator name (independent), category (stop-list)
    source: str        # template | independent | rule-negative | stop-list
    context: str       # which surroundings
    path: str
    data: bytes
    span: Optional[tuple[int, int]] = None   # the planted value (positives only)


def rng_for(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("\0".join(parts).encode()).digest())


def expand_with_spans(template: str, seed: str) -> tuple[str, list[tuple[int, int]]]:
    """examplegen.expand, also saying where each generated field landed."""
    rng = random.Random(hashlib.sha256((seed + "\0" + template).encode()).digest())
    out, spans, pos = [], [], 0
    for m in _FIELD.finditer(template):
        out.append(template[pos:m.start()])
        start = sum(map(len, out))
        text = _field(m.group(1), rng)
        out.append(text)
        if not m.group(1).startswith("lit:"):
            spans.append((start, start + len(text)))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def planted_value(text: str, spans: list[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """The credential in an expanded example: the generated parts plus the literal
    token characters glued to them (``AKIA`` + 16 generated, ``sk_live_`` + 24)."""
    if not spans:
        return None
    start, end = spans[0]
    for s, e in spans[1:]:                      # fields glued together form one value;
        if any(not _VALUE_CHARS.match(c) for c in text[end:s]):
            break                               # "a" + "b" or another line: the first is enough
        end = e
    while start > 0 and _VALUE_CHARS.match(text[start - 1]) and text[start - 1] not in "=":
        start -= 1
    while end < len(text) and _VALUE_CHARS.match(text[end]):
        end += 1
    return start, end


def template_positives(rules: list[Rule], seed: str) -> Iterator[Sample]:
    for rule in rules:
        for i, ex in enumerate(rule.examples):
            text, spans = expand_with_spans(ex, f"{seed}:{rule.id}:{i}")
            span = planted_value(text, spans)
            if span is None:
                continue
            yield Sample(rule.id, "template", "as-written", example_path(rule, ex), text.encode(), span)
            if rule.in_place:       # `admin = "hunter2"` is no curl -u credential
                continue
            key, value, offset = movable(text, span)
            for s in in_contexts(rule.id, "template", key, value, rng_for(seed, rule.id, str(i))):
                lo = s.span[0] + len(value[:offset].encode())
                yield Sample(s.family, s.source, s.context, s.path, s.data,
                             (lo, lo + len(text[span[0]:span[1]].encode())))


def movable(text: str, span: tuple[int, int]) -> tuple[str, str, int]:
    """(name, value, offset of the planted part in value) to re-plant an example elsewhere.

    The value is the whole token around the planted part (a connection URL, not
    just its password); a leading ``NAME=`` becomes the name, else the name the
    example assigned it to, else ``token``."""
    start, end = span
    if "\n" not in text[start:end]:
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"'`<>([{,;":
            start -= 1
        while end < len(text) and not text[end].isspace() and text[end] not in "\"'`<>)]},;":
            end += 1
    token = text[start:end]
    m = re.match(r"([A-Za-z_][\w.-]*)(?:=|:(?!//))", token)
    if m and m.end() <= span[0] - start:
        return m.group(1), token[m.end():], span[0] - start - m.end()
    line = text[text.rfind("\n", 0, start) + 1:start]
    names = re.findall(r"[A-Za-z_][\w.-]*", line)
    named = [n for n in names if _CREDENTIAL_WORD.search(n)]
    return (named or names or ["token"])[-1], token, span[0] - start


def in_contexts(family: str, source: str, key: str, value: str, rng: random.Random,
                quoted: bool = True, every: int = 1) -> Iterator[Sample]:
    for j, ctx in enumerate(CONTEXTS):
        if j % every:
            continue
        r = ctx(key, value, quoted)
        if r is not None:
            yield _sample(family, source, ctx.name, r)


def _sample(family: str, source: str, context: str, r: Rendered) -> Sample:
    span = (len(r.text[:r.start].encode()), len(r.text[:r.end].encode()))
    return Sample(family, source, context, r.path, r.text.encode(), span)


def independent_positives(seed: str, per_family: int = 3) -> Iterator[Sample]:
    for family, (gen, names) in {**values.PROVIDERS, **values.GENERIC}.items():
        for n in range(per_family):
            rng = rng_for(seed, family, str(n))
            value = gen(rng)
            key = names[n % len(names)]
            yield from in_contexts(family, "independent", key, value, rng)
            if family in values.PROVIDERS and family not in values.NEEDS_A_NAME:
                yield _sample(family, "independent", "prose", bare_line(value))


def rule_negatives(rules: list[Rule], seed: str) -> Iterator[Sample]:
    for rule in rules:
        for i, ex in enumerate(rule.negative_examples):
            text = expand(ex, f"{seed}:{rule.id}:neg{i}")
            yield Sample(rule.id, "rule-negative", "as-written", example_path(rule, ex), text.encode())


def stop_list_negatives(seed: str) -> Iterator[Sample]:
    for category, (make, names, where) in STOP_LIST.items():
        rng = rng_for(seed, category)
        for n, key in enumerate(names):
            value, quoted = make(rng)
            for s in in_contexts(category, "stop-list", key, value, rng, quoted, every=1 + n % 3):
                yield Sample(s.family, s.source, s.context, where(s.path) if where else s.path, s.data)


def positives(rules: list[Rule], seed: str) -> list[Sample]:
    return [*template_positives(rules, seed), *independent_positives(seed)]


def negatives(rules: list[Rule], seed: str) -> list[Sample]:
    return [*rule_negatives(rules, seed), *stop_list_negatives(seed)]
