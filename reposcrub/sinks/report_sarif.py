"""SARIF 2.1.0: the report format code-scanning services read (GitHub, Azure DevOps, IDEs).

What GitHub code scanning needs, and how each piece is filled:
- `tool.driver.rules`: one reportingDescriptor per rule in force (id, name,
  short and full description, help text saying how to fix or allow a finding,
  default level, `security-severity` for the alert's severity badge);
- `results`: ruleId/ruleIndex, level, a message, exactly one physical location
  (repo-relative path, 1-based line/column), and `partialFingerprints` holding
  our fingerprint — it depends on rule and value only, so an alert follows a
  secret when lines move;
- suppressed findings are kept, with a `suppressions` entry (inline comment or
  external allowlist/baseline), so the platform shows them as dismissed rather
  than as if they never were.
Values never appear: messages carry the masked preview only.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional
from urllib.parse import quote

from .. import __version__
from ..model import Action, Finding, Origin, Rule, RunResult
from .report_json import text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "reposcrub/v1"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
SEVERITY = {"secret": "9.0", "host": "5.0", "identifier": "4.0", "header": "3.0"}
ALLOW_HELP = ("If this is not a real {what}, allow it: add `reposcrub:allow {id}` in a comment on "
              "the line, or add its fingerprint to `[allowlist] fingerprints` in the profile, or "
              "record it in a baseline (`reposcrub scan --baseline-out FILE`).")
FIX_HELP = {
    "secret": "Revoke or rotate the credential first: removing it from the code does not make it "
              "secret again, and it stays in history until history is rewritten.",
    "host": "Internal host names and addresses map the network for whoever reads the code; "
            "`reposcrub scrub` replaces them with reserved example names.",
    "identifier": "Company identifiers are replaced consistently by `reposcrub scrub`.",
    "header": "Proprietary headers are removed by `reposcrub scrub`.",
}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    what = "credential" if rule.kind == "secret" else rule.kind
    help_text = " ".join(filter(None, [rule.description.strip() or rule.name, FIX_HELP.get(rule.kind, ""),
                                       ALLOW_HELP.format(what=what, id=rule.id)]))
    return {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description.strip() or rule.name},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(rule.confidence, "warning")},
        "properties": {"tags": ["security", rule.kind], "precision": _precision(rule.confidence),
                       "security-severity": SEVERITY.get(rule.kind, "5.0")},
    }


def _pascal(rule_id: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in rule_id.replace("_", "-").split("-") if p) or rule_id


def _precision(confidence: str) -> str:
    return {"high": "high", "medium": "medium", "low": "low"}.get(confidence, "medium")


def _uri(f: Finding) -> str:
    if f.origin is Origin.MESSAGE:
        return f"commit-message/{f.commit or 'unknown'}"      # no file holds it: name the commit
    return quote(text(f.path) or "", safe="/-_.~@+")


def result(f: Finding, index: int) -> dict[str, Any]:
    where = f" (history: commit {f.commit[:12]})" if f.commit and f.origin is not Origin.MESSAGE else ""
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVELS.get(f.confidence, "warning"),
        "message": {"text": f"{f.kind} found: {f.preview} (action: {f.action.value}){where}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(f), **({"uriBaseId": "%SRCROOT%"} if f.origin is not Origin.MESSAGE else {})},
            "region": _region(f)}}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"kind": f.kind, "confidence": f.confidence, "origin": f.origin.value,
                       "action": f.action.value, **({"commit": f.commit} if f.commit else {}),
                       **({"blob": f.blob} if f.blob else {})},
    }
    if f.action is Action.ALLOWED:
        inline = f.suppressed_by == "inline"
        res["suppressions"] = [{"kind": "inSource" if inline else "external",
                                "justification": f"allowed by {f.suppressed_by}"}]
    return res


def _region(f: Finding) -> dict[str, int]:
    line, col = max(f.line, 1), max(f.column, 1)
    region = {"startLine": line, "startColumn": col}
    newlines = f.value.count(b"\n")
    if newlines:
        region["endLine"] = line + newlines
    else:
        region["endColumn"] = col + len(f.value.decode("utf-8", "replace"))
    return region


def to_sarif(r: RunResult, rules: Iterable[Rule] = ()) -> dict[str, Any]:
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in rules:
        if rule.id not in index:
            index[rule.id] = len(descriptors)
            descriptors.append(rule_descriptor(rule))
    for f in r.findings:                      # a detector may report under an id no rule file holds
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append(rule_descriptor(Rule(id=f.rule, kind=f.kind, name=f.rule)))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "reposcrub", "version": __version__, "semanticVersion": __version__,
                            "rules": descriptors}},
        "automationDetails": {"id": f"reposcrub/{r.mode}/"},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the scanned repository or snapshot."}}},
        "results": [result(f, index[f.rule]) for f in r.findings],
        "invocations": [_invocation(r)],
        "properties": {"head": r.head, "blobsScanned": r.blobs_scanned, "refsScanned": r.refs_scanned,
                       "missingObjects": len(r.missing_objects)},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _invocation(r: RunResult) -> dict[str, Any]:
    notes = [{"level": "note", "message": {"text": n}} for n in r.notes]
    notes += [{"level": "warning", "message": {"text": f"not scanned: {text(o.path)}: {o.reason}"}}
              for o in r.skipped]
    if r.missing_objects:
        notes.append({"level": "warning", "message": {
            "text": f"{len(r.missing_objects)} object(s) missing from the repository were not scanned"}})
    inv: dict[str, Any] = {"executionSuccessful": True}
    if notes:
        inv["toolExecutionNotifications"] = notes
    return inv


def dumps(r: RunResult, rules: Optional[Iterable[Rule]] = None) -> str:
    return json.dumps(to_sarif(r, rules or ()), indent=2, ensure_ascii=False) + "\n"
