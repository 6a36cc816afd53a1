"""The detectors in force: one line each."""
from __future__ import annotations

from ..ruleset import RuleSet


def build(ruleset: RuleSet, profile, key: bytes) -> list:
    from .headers import HeadersDetector
    from .hosts import HostsDetector
    from .identifiers import IdentifiersDetector
    from .secrets import SecretsDetector
    return [
        SecretsDetector(ruleset, key),
        HeadersDetector(ruleset, key, profile),
        HostsDetector(ruleset, key, profile),
        IdentifiersDetector(profile, key),
    ]
