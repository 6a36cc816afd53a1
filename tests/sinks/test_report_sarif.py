"""SARIF 2.1.0 output validates and carries what GitHub code scanning needs, and no secret.

The official schema cannot be downloaded at test time, so the essential part of
it is written out below: the objects reposcrub emits, their required properties,
enums and bounds as the OASIS SARIF 2.1.0 schema defines them (closed objects:
a misspelt property fails), then GitHub's own stricter requirements on top.
"""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import RepoBuilder, fake, git, run_cli

MESSAGE = {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
           "properties": {"text": {"type": "string"}, "markdown": {"type": "string"},
                          "id": {"type": "string"}, "arguments": {"type": "array"}},
           "additionalProperties": False}
MULTIFORMAT = {"type": "object", "required": ["text"], "additionalProperties": False,
               "properties": {"text": {"type": "string"}, "markdown": {"type": "string"},
                              "properties": {"$ref": "#/definitions/propertyBag"}}}
LEVEL = {"enum": ["none", "note", "warning", "error"]}

SARIF_2_1_0_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": ["array", "null"], "items": {"$ref": "#/definitions/run"}},
        "properties": {"$ref": "#/definitions/propertyBag"},
    },
    "definitions": {
        "propertyBag": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"},
                                                                  "uniqueItems": True}}},
        "message": MESSAGE,
        "multiformatMessageString": MULTIFORMAT,
        "run": {
            "type": "object", "required": ["tool"], "additionalProperties": False,
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "additionalProperties": False,
                         "properties": {"driver": {"$ref": "#/definitions/toolComponent"},
                                        "extensions": {"type": "array"},
                                        "properties": {"$ref": "#/definitions/propertyBag"}}},
                "results": {"type": ["array", "null"], "items": {"$ref": "#/definitions/result"}},
                "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
                "automationDetails": {"type": "object", "additionalProperties": False,
                                      "properties": {"id": {"type": "string"}, "guid": {"type": "string"},
                                                     "description": MESSAGE}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "originalUriBaseIds": {"type": "object",
                                       "additionalProperties": {"$ref": "#/definitions/artifactLocation"}},
                "properties": {"$ref": "#/definitions/propertyBag"},
            },
        },
        "toolComponent": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                           "semanticVersion": {"type": "string"}, "informationUri": {"type": "string"},
                           "rules": {"type": "array", "items": {"$ref": "#/definitions/reportingDescriptor"}},
                           "properties": {"$ref": "#/definitions/propertyBag"}},
        },
        "reportingDescriptor": {
            "type": "object", "required": ["id"], "additionalProperties": False,
            "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                           "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
                           "fullDescription": {"$ref": "#/definitions/multiformatMessageString"},
                           "help": {"$ref": "#/definitions/multiformatMessageString"},
                           "helpUri": {"type": "string"},
                           "defaultConfiguration": {"type": "object", "additionalProperties": False,
                                                    "properties": {"level": LEVEL, "enabled": {"type": "boolean"},
                                                                   "rank": {"type": "number", "minimum": -1,
                                                                            "maximum": 100}}},
                           "properties": {"$ref": "#/definitions/propertyBag"}},
        },
        "result": {
            "type": "object", "required": ["message"], "additionalProperties": False,
            "properties": {"ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
                           "level": LEVEL, "message": MESSAGE,
                           "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                           "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                           "fingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                           "suppressions": {"type": "array", "items": {"$ref": "#/definitions/suppression"}},
                           "properties": {"$ref": "#/definitions/propertyBag"}},
        },
        "suppression": {"type": "object", "required": ["kind"], "additionalProperties": False,
                        "properties": {"kind": {"enum": ["inSource", "external"]},
                                       "status": {"enum": ["accepted", "underReview", "rejected"]},
                                       "justification": {"type": "string"},
                                       "properties": {"$ref": "#/definitions/propertyBag"}}},
        "location": {"type": "object", "additionalProperties": False,
                     "properties": {"physicalLocation": {"$ref": "#/definitions/physicalLocation"},
                                    "message": MESSAGE, "properties": {"$ref": "#/definitions/propertyBag"}}},
        "physicalLocation": {"type": "object", "additionalProperties": False,
                             "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
                             "properties": {"artifactLocation": {"$ref": "#/definitions/artifactLocation"},
                                            "region": {"$ref": "#/definitions/region"},
                                            "address": {"type": "object"},
                                            "properties": {"$ref": "#/definitions/propertyBag"}}},
        "artifactLocation": {"type": "object", "additionalProperties": False,
                             "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"},
                                            "index": {"type": "integer", "minimum": -1},
                                            "description": MESSAGE,
                                            "properties": {"$ref": "#/definitions/propertyBag"}}},
        "region": {"type": "object", "additionalProperties": False,
                   "properties": {k: {"type": "integer", "minimum": 1}
                                  for k in ("startLine", "startColumn", "endLine", "endColumn")}},
        "invocation": {"type": "object", "required": ["executionSuccessful"],
                       "properties": {"executionSuccessful": {"type": "boolean"},
                                      "toolExecutionNotifications": {"type": "array", "items": {
                                          "type": "object", "required": ["message"],
                                          "properties": {"message": MESSAGE, "level": LEVEL}}}}},
    },
}

# What GitHub code scanning requires beyond the schema (its "SARIF support" page).
GITHUB = {
    "type": "object",
    "properties": {"runs": {"type": "array", "minItems": 1, "items": {
        "type": "object",
        "properties": {
            "tool": {"properties": {"driver": {"properties": {"rules": {"items": {
                "type": "object",
                "required": ["id", "shortDescription", "fullDescription", "help"],
                "properties": {"properties": {"properties": {
                    "security-severity": {"type": "string", "pattern": r"^(10(\.0)?|\d(\.\d)?)$"}}}}}}}}}},
            "results": {"items": {
                "type": "object", "required": ["ruleId", "message", "locations", "partialFingerprints"],
                "properties": {
                    "message": {"required": ["text"]},
                    "locations": {"minItems": 1, "maxItems": 10, "items": {
                        "required": ["physicalLocation"],
                        "properties": {"physicalLocation": {
                            "required": ["artifactLocation", "region"],
                            "properties": {"artifactLocation": {"required": ["uri"]},
                                           "region": {"required": ["startLine"]}}}}}},
                }}},
        }}}},
}

AWS = fake("AKIA{{[A-Z2-7]:16}}", "sarif-aws")
GH = fake("{{github:ghp}}", "sarif-gh")
FIXTURE = fake("{{github:gho}}", "sarif-fixture")
IN_MESSAGE = fake("{{github:ghu}}", "sarif-msg")


def validate(doc: dict) -> None:
    jsonschema.Draft7Validator.check_schema(SARIF_2_1_0_SUBSET)
    jsonschema.Draft7Validator(SARIF_2_1_0_SUBSET).validate(doc)
    jsonschema.Draft7Validator(GITHUB).validate(doc)


@pytest.fixture
def sarif_repo(repo: RepoBuilder) -> RepoBuilder:
    repo.commit({"old/creds.txt": f"token {GH}\n"}, "old creds")
    repo.commit({"old/creds.txt": None}, f"remove creds (was {IN_MESSAGE})")
    repo.commit({"config dir/prod café.env": f"AWS_ACCESS_KEY_ID={AWS}\n",
                 "tests/fixture.py": f"T = '{FIXTURE}'  # reposcrub:allow\n"}, "config")
    return repo


def test_scan_sarif_validates_and_has_what_code_scanning_needs(sarif_repo):
    out = run_cli("scan", str(sarif_repo.path), "--format", "sarif")
    assert out.returncode == 1, out.stderr.decode()
    doc = json.loads(out.stdout)
    validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"aws-access-key-id", "github-token"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert re.fullmatch(r"[0-9a-f]{32}", r["partialFingerprints"]["reposcrub/v1"])
    by_origin = {r["properties"]["origin"]: r for r in results if not r.get("suppressions")}
    head = by_origin["head"]["locations"][0]["physicalLocation"]
    assert head["artifactLocation"] == {"uri": "config%20dir/prod%20caf%C3%A9.env", "uriBaseId": "%SRCROOT%"}
    assert head["region"] == {"startLine": 1, "startColumn": 19, "endColumn": 39}
    assert by_origin["head"]["level"] == "error"
    assert by_origin["history"]["properties"]["commit"]
    assert by_origin["message"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("commit-message/")
    allowed = [r for r in results if r.get("suppressions")]
    assert [s["kind"] for r in allowed for s in r["suppressions"]] == ["inSource"]
    aws_rule = rules[by_origin["head"]["ruleIndex"]]
    assert "reposcrub:allow aws-access-key-id" in aws_rule["help"]["text"]
    assert aws_rule["properties"]["security-severity"] == "9.0"
    text = out.stdout.decode()
    for value in (AWS, GH, FIXTURE, IN_MESSAGE):
        assert value not in text


def test_verify_sarif_validates_with_and_without_findings(tmp_path):
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "clean.txt").write_text("nothing here\n")
    out = run_cli("verify", str(snap), "--format", "sarif")
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    validate(doc)
    assert doc["runs"][0]["results"] == []
    (snap / "left.env").write_text(f"KEY={AWS}\n")
    out = run_cli("verify", str(snap), "--format", "sarif", "-o", str(tmp_path / "v.sarif"))
    assert out.returncode == 1
    doc = json.loads((tmp_path / "v.sarif").read_text())
    validate(doc)
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["aws-access-key-id"]


def test_the_subset_schema_rejects_what_code_scanning_would_reject():
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": []}}, "results": []}]}
    validate(good)
    for broken in (
        {"version": "2.0.0", "runs": []},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"ruleId": "r", "message": {"text": "m"}, "partialFingerprints": {},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"ruleId": "r", "message": {"text": "m"}, "partialFingerprints": {}, "locations": []}]}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_every_kind_of_finding_validates(repo: RepoBuilder, tmp_path):
    prof = tmp_path / "acme.toml"
    prof.write_text('[company]\nnames = ["Acme Widgets"]\ndomains = ["acmewidgets.com"]\n')
    repo.commit({"src/app.py": "# Copyright (c) 2024 Acme Widgets. All rights reserved.\n"
                               "API = 'https://build.acmewidgets.com/v1'\n"
                               f"KEY = '{AWS}'\n"})
    out = run_cli("scan", str(repo.path), "--profile", str(prof), "--format", "sarif")
    doc = json.loads(out.stdout)
    validate(doc)
    run = doc["runs"][0]
    kinds = {r["properties"]["kind"] for r in run["results"]}
    assert {"secret", "identifier", "header"} <= kinds, kinds
    ids = [d["id"] for d in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and all(r["ruleId"] in ids for r in run["results"])
