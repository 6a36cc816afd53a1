"""One mapping for a whole snapshot: chosen once, respelled in each original's style."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from reposcrub.company import Company
from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.model import ContentItem
from reposcrub.policy import Policy
from reposcrub.redact import Pseudonyms, rewrite
from reposcrub.ruleset import RuleSet


def scrubber(profile: Profile, taken=()):
    scanner = Scanner(RuleSet.load(), b"k", profile)
    names = Pseudonyms(Company.from_profile(profile), taken)

    def scrub(text: str, path: str = "a.py") -> str:
        item = ContentItem(path, text.encode())
        return rewrite(item.data, Policy().decide(item, scanner.detect(item)), names).decode()
    return scrub, names


@pytest.mark.parametrize("original,expected", [
    ("AcmePayClient", "ExamplePayClient"),
    ("acme_pay", "example_pay"),
    ("ACME_PAY", "EXAMPLE_PAY"),
    ("acme-pay", "example-pay"),
    ("acmepay", "examplepay"),
    ("Acme Pay", "Example Pay"),
    ("get_acme_pay_url", "get_example_pay_url"),
    ("acmePay", "examplePay"),
])
def test_case_style_preserved(original, expected):
    scrub, _ = scrubber(Profile(names=["Acme Pay"], replace={"Acme Pay": "Example Pay"}))
    assert scrub(f"x = {original}\n") == f"x = {expected}\n"


def test_a_fixed_choice_with_a_space_stays_one_identifier_in_code():
    scrub, _ = scrubber(Profile(names=["Acme"], replace={"Acme": "Example Corp"}))
    assert scrub("import acme\nclass AcmeClient: pass\nACME_URL = acme_url\n# Acme is great\n") == \
        "import examplecorp\nclass ExampleCorpClient: pass\nEXAMPLE_CORP_URL = example_corp_url\n# Example Corp is great\n"


def test_defaults_and_one_mapping_for_all_files():
    scrub, names = scrubber(Profile(names=["Acme Widgets", "Acme"], codenames=["Roadrunner", "Coyote"],
                                    domains=["acmewidgets.com", "acme.internal"], ticket_prefixes=["ACME"]))
    a = scrub("AcmeWidgets Acme roadrunner Coyote https://api.acmewidgets.com db.acme.internal ACME-1234 ACME-7\n")
    b = scrub("ACME-7 coyote acme_widgets ACME-1234\n", "b.py")
    assert a == "ExampleCorp Example project1 Project2 https://api.example.com db.example.org TICKET-1 TICKET-2\n"
    assert b == "TICKET-2 project2 example_corp TICKET-1\n"
    assert names.mapping["identifier"][b"AcmeWidgets"] == "ExampleCorp"
    assert names.mapping["identifier"][b"acme_widgets"] == "example_corp"


def test_emails_become_numbered_users_on_the_mapped_domain():
    scrub, names = scrubber(Profile(domains=["acmewidgets.com"], emails=["jd@mail.example.net"]))
    text = scrub("From: Jane <jane.doe@acmewidgets.com>, jd@mail.example.net, bob@eu.acmewidgets.com, "
                 "JANE.DOE@acmewidgets.com\n")
    assert text == ("From: Jane <user-1@example.com>, user-2@example.com, user-3@eu.example.com, "
                    "user-1@example.com\n")
    assert names.mapping["identifier"][b"jane.doe@acmewidgets.com"] == "user-1@example.com"


def test_hosts_and_addresses_get_reserved_replacements_consistently():
    scrub, names = scrubber(Profile())
    text = scrub("a=10.1.2.3 b=10.1.2.4 c=10.9.9.1 d=192.168.5.3 e=172.16.0.1 f=10.1.2.3\n"
                 "g=fd12::5 h=fd12::6 i=fd12::5 j=db.acme.corp k=DB.ACME.CORP l=ci.acme.corp m=vm7.globex.lan\n"
                 "n=ip-10-1-2-3.ec2.internal\n")
    assert text == ("a=192.0.2.3 b=192.0.2.4 c=198.51.100.1 d=203.0.113.3 e=192.0.2.1 f=192.0.2.3\n"
                    "g=2001:db8::1 h=2001:db8::2 i=2001:db8::1 j=db.host-1.example k=DB.host-1.example "
                    "l=ci.host-1.example m=vm7.host-2.example\nn=ip-192-0-2-3.ec2.internal\n")
    assert names.mapping["host"][b"10.1.2.3"] == "192.0.2.3"


def test_fixed_choices_for_domains_hosts_and_tickets():
    scrub, _ = scrubber(Profile(domains=["acmewidgets.com"], ticket_prefixes=["ACME"],
                                replace={"acmewidgets.com": "widgets.example", "ACME": "JIRA",
                                         "db01.acme.corp": "database.example", "Wile E. Coyote": "Jane Roe"}))
    assert scrub("api.acmewidgets.com ACME-5 db01.acme.corp Wile E. Coyote\n") == \
        "api.widgets.example JIRA-1 database.example Jane Roe\n"


def test_default_choices_avoid_names_already_in_the_tree_and_the_terms_themselves():
    names = Pseudonyms(Company.from_profile(Profile(names=["Acme"], codenames=["Roadrunner"])),
                       taken={"example", "project1"})
    assert names.terms == {"acme": ["Example2"], "roadrunner": ["Project2"]}
    names = Pseudonyms(Company.from_profile(Profile(names=["Example Industries", "Example"])))
    assert all("example" not in "".join(w).lower() for w in names.terms.values())


def test_more_subnets_than_documentation_networks_still_get_distinct_addresses():
    names = Pseudonyms()
    reps = {names.host(f"10.0.{i}.7") for i in range(10)}
    assert len(reps) == 10
    assert all(r.startswith(("192.0.2.", "198.51.100.", "203.0.113.")) for r in reps)


def test_the_syntax_map_keeps_code_valid_and_prose_readable():
    scrub, _ = scrubber(Profile(names=["Acme"], replace={"Acme": "Example Corp"}))
    py = "# Acme builds widgets\nclient = Acme()\nx = acme-offset\nNAME = 'acme-cli'\n"
    assert scrub(py) == ("# Example Corp builds widgets\nclient = ExampleCorp()\nx = examplecorp-offset\n"
                         "NAME = 'example-corp-cli'\n")
    assert scrub("Acme builds widgets.\n", "README.md") == "Example Corp builds widgets.\n"


def test_a_non_ascii_name_is_replaced_in_every_case():
    scrub, _ = scrubber(Profile(names=["Müller Ölwerke"], replace={"Müller Ölwerke": "Example Oil"}))
    assert scrub("Müller Ölwerke GmbH; MUELLER; MÜLLER_ÖLWERKE_URL = müllerölwerke\n") == \
        "Example Oil GmbH; MUELLER; EXAMPLE_OIL_URL = exampleoil\n"


WORDS = ["Acme", "Widgets"]
BEFORE = st.sampled_from(["x = ", "get_", "/", "\n", " ", "(", "'", "ACME_", "my", "lib"])
AFTER = st.sampled_from(["_url", "Client", ".py", "\n", " ", ")", "'", "-cli", "corp", "s", "2"])


def _spell(case: str, sep: str) -> str:
    if case == "camel":
        return "acmeWidgets"
    words = {"lower": str.lower, "upper": str.upper, "title": str.title}[case]
    return sep.join(words(w) for w in WORDS)


SPELLINGS = st.builds(_spell, st.sampled_from(["lower", "upper", "title", "camel"]),
                      st.sampled_from(["", "_", "-", ".", " "]))
_SCRUB, _ = scrubber(Profile(names=["Acme Widgets"], codenames=["Roadrunner"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(BEFORE, SPELLINGS, AFTER), min_size=1, max_size=6))
def test_no_spelling_survives_and_scrubbing_twice_changes_nothing(parts):
    text = " ".join(a + b + c for a, b, c in parts)
    once = _SCRUB(text)
    squashed = "".join(ch for ch in once.lower() if ch.isalnum())
    assert "acmewidgets" not in squashed
    assert _SCRUB(once) == once


_SCRUB_ALL, _ = scrubber(Profile(names=["Acme Widgets", "Acme"], domains=["acmewidgets.com", "acme.internal"],
                                 codenames=["Roadrunner"], ticket_prefixes=["ACME"]))
THINGS = st.sampled_from([
    "db01.acme.internal", "https://api.acmewidgets.com/x", "jane.doe@acmewidgets.com", "ACME-12", "acme-12",
    "10.1.2.3", "192.168.7.7:80", "fd12::9", "git@git.globex.corp:a/b.git", "ip-10-0-0-9.ec2.internal",
    "com.acmewidgets.app", "RoadRunnerClient", "ROADRUNNER_URL", "AcmeWidgets", "acme.widgets", "Acme",
    "ops@eu.acmewidgets.com", "ci.pricing.lan",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([" ", "\n", "'", "=", "//", ", ", ": "]), THINGS), min_size=1, max_size=8))
def test_every_replacement_is_final(parts):
    """What scrub writes never looks like something scrub replaces (so verify passes)."""
    once = _SCRUB_ALL("".join(a + b for a, b in parts) + "\n")
    assert _SCRUB_ALL(once) == once
    low = once.lower()
    for gone in ("acme", "roadrunner", "globex", "pricing", "10.1.2.3", "192.168.7.7", "fd12::9", "10-0-0-9"):
        assert gone not in low
