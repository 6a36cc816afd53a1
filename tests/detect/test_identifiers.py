"""Company identifiers from a profile: what is found, where, and at what confidence."""
from __future__ import annotations

import base64
import random

import pytest

from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.detect.engine import Engine
from reposcrub.detect.identifiers import IdentifiersDetector
from reposcrub.model import ContentItem
from reposcrub.ruleset import RuleSet
from reposcrub.sources.gitrepo import InputError

PROFILE = Profile(names=["Acme Widgets", "Acme"], domains=["acmewidgets.com", "acme.internal"],
                  codenames=["Roadrunner"], ticket_prefixes=["ACME"], emails=["jdoe.home@mailbox.example.net"])


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(RuleSet.load(), b"k", PROFILE)


def found(scanner: Scanner, text: str, kind: str = "identifier", confidence: str = "high") -> list[str]:
    item = ContentItem("a.py", text.encode())
    return [f.value.decode() for f in scanner.detect(item) if f.kind == kind and f.confidence == confidence]


def test_no_profile_no_rules():
    assert IdentifiersDetector(None, b"k").rules() == []
    assert IdentifiersDetector(Profile(), b"k").rules() == []


def test_term_rules_are_hyperscan_clean_and_caseless_by_alternatives():
    rules = IdentifiersDetector(PROFILE, b"k").rules()
    assert rules and all(not r.ignore_case for r in rules)
    terms = [r for r in rules if r.id in ("company-name", "company-codename")]
    assert terms and not any("(?<" in r.pattern or "(?=" in r.pattern or "(?!" in r.pattern for r in terms)
    Engine(rules)   # compiles (hyperscan when installed, else re)


@pytest.mark.parametrize("text,value", [
    ("Acme Widgets Inc.", "Acme Widgets"),
    ("class AcmeWidgetsClient:", "AcmeWidgets"),
    ("def get_acme_widgets_url(): pass", "acme_widgets"),
    ("ACME_WIDGETS_URL = 1", "ACME_WIDGETS"),
    ("npm i acme-widgets", "acme-widgets"),
    ("x = acmeWidgets", "acmeWidgets"),
    ("pkg acmewidgets", "acmewidgets"),
    ("using Acme.Widgets;", "Acme.Widgets"),
    ("AcmeClient()", "Acme"),
    ("import roadrunner", "roadrunner"),
    ("class RoadRunnerService", "RoadRunner"),
    ("the Roadrunners team", "Roadrunner"),
])
def test_names_and_codenames_in_every_spelling(scanner, text, value):
    assert found(scanner, text) == [value]


def test_names_written_with_an_apostrophe_or_an_ampersand_are_found_as_written():
    """Found by bench/acceptance_company.py-style probing: `O'Reilly Media` and `Johnson & Johnson`,
    spelled as the profile spells them, were missed (and their copyright line kept)."""
    s = Scanner(RuleSet.load(), b"k", Profile(names=["O'Reilly Media", "Johnson & Johnson"]))
    assert found(s, "# (c) O'Reilly Media, Inc.") == ["O'Reilly Media"]
    assert found(s, "# Johnson & Johnson, Inc.") == ["Johnson & Johnson"]
    assert found(s, "class OReillyMediaClient: johnson_johnson = 1") == ["OReillyMedia", "johnson_johnson"]
    assert found(s, "print('johnson' 'johnson')") == []   # two string literals are not one name


def test_inside_an_unrelated_word_is_reported_low_not_hidden(scanner):
    assert found(scanner, "Acmeology 101") == []
    assert found(scanner, "Acmeology 101", confidence="low") == ["Acme"]


def test_profile_can_ask_for_matches_inside_words():
    s = Scanner(RuleSet.load(), b"k", Profile(names=["Acme"], inside_words=True))
    assert found(s, "Acmeology") == ["Acme"]


def test_a_chance_match_inside_an_encoded_blob_is_not_a_name(scanner):
    rng = random.Random(7)
    blob = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(48))).decode()
    text = f'"integrity": "sha512-{blob[:20]}/Acme+{blob[20:]}"'
    assert found(scanner, text) == []
    hexy = Scanner(RuleSet.load(), b"k", Profile(codenames=["Cafe"]))
    assert found(hexy, f"sha = {'ab12' * 6}Cafe{'3f' * 8}") == []
    assert found(hexy, "Cafe = 1") == ["Cafe"]


def test_names_joined_by_double_slashes_are_names_not_an_encoded_blob(scanner):
    """`//` joins words in paths, URLs and comments after code; base64 rarely holds it,
    so the noise test looks only at the piece between `//`s (found by hypothesis)."""
    text = " RoadRunnerClient//AcmeWidgets//192.168.7.7:80"
    assert found(scanner, text) == ["RoadRunner", "AcmeWidgets"]
    rng = random.Random(13)          # a blob where `Acme` sits on case boundaries both sides
    blob = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(60))).decode()
    assert found(scanner, f"x = '//{blob[:24]}Acme{blob[24:]}//'") == []
    assert found(scanner, f"x = '//{blob[:24]}Acme{blob[24:]}//'", confidence="low") == ["Acme"]


@pytest.mark.parametrize("text,values", [
    ("see https://acmewidgets.com/x", ["acmewidgets.com"]),
    ("api.eu.acmewidgets.com:443", ["acmewidgets.com"]),
    ("CNAME AcmeWidgets.COM.", ["AcmeWidgets.COM"]),
    ("orders.acme.internal", ["acme.internal"]),
    ("mail jane.doe@acmewidgets.com now", ["jane.doe", "acmewidgets.com"]),
    ("jane@eu.acmewidgets.com", ["jane", "acmewidgets.com"]),
    ("git@git.acmewidgets.com:team/repo.git", ["acmewidgets.com"]),     # a remote, not a person
    ("package com.acmewidgets.api;", ["com.acmewidgets"]),
    ("src/main/java/com/acmewidgets/App.java", ["com/acmewidgets"]),
    ("write to jdoe.home@mailbox.example.net", ["jdoe.home@mailbox.example.net"]),
])
def test_domains_subdomains_urls_emails(scanner, text, values):
    assert found(scanner, text) == values


@pytest.mark.parametrize("text", ["notacmewidgets.com", "acmewidgets.community", "acmewidgets-com", "my-acmewidgets.com"])
def test_other_domains_are_not_the_company_domain(scanner, text):
    assert not [v for v in found(scanner, text) if "." in v]


def test_a_longer_shape_that_is_not_a_company_value_does_not_hide_the_name_in_it(scanner):
    assert found(scanner, "acmewidgets.community") == ["acmewidgets"]
    assert found(scanner, "ACME-12x") == ["ACME"]


@pytest.mark.parametrize("text,values", [
    ("Fixes ACME-1234.", ["ACME-1234"]),
    ("branch feature/acme-77-login", ["acme-77"]),
    ("XACME-12 and ACME-12a and ACME-", []),
])
def test_ticket_keys(scanner, text, values):
    assert [v for v in found(scanner, text) if "-" in v and v[-1].isdigit()] == values


def test_longest_term_wins_over_the_term_it_contains(scanner):
    assert found(scanner, "AcmeWidgetsClient") == ["AcmeWidgets"]
    assert found(scanner, "https://acmewidgets.com") == ["acmewidgets.com"]


@pytest.mark.parametrize("raw,message", [
    ({"company": {"domains": ["not a domain"]}}, "not a domain"),
    ({"company": {"ticket_prefixes": ["AC-ME"]}}, "ticket prefix"),
    ({"company": {"names": ["Acme"]}, "replace": {"Acme": "3M & Co"}}, "valid identifier"),
    ({"company": {"inside_words": "yes"}}, "true or false"),
])
def test_bad_profiles_are_input_errors(tmp_path, raw, message):
    from reposcrub.config import profile_from_dict
    with pytest.raises(InputError, match=message):
        IdentifiersDetector(profile_from_dict(raw, "p.toml", tmp_path), b"k")
