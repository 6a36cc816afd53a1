"""Internal hosts without a profile: what the rules' shapes find, and what the detector drops."""
from __future__ import annotations

import pytest

from reposcrub.config import Profile
from reposcrub.detect import Scanner
from reposcrub.detect.addresses import is_identifying, is_range_definition
from reposcrub.model import ContentItem
from reposcrub.ruleset import RuleSet


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(RuleSet.load(), b"k", Profile())


def hosts(scanner: Scanner, text: str) -> list[str]:
    return [f.value.decode() for f in scanner.detect(ContentItem("cfg", text.encode())) if f.kind == "host"]


@pytest.mark.parametrize("text,values", [
    ("DB_HOST=10.1.2.3\nCACHE=172.20.0.5:6379\n", ["10.1.2.3", "172.20.0.5"]),
    ("ssh deploy@192.168.0.14", ["192.168.0.14"]),
    ("tailscale 100.101.102.103", ["100.101.102.103"]),
    ("[fd12:3456:789a::1]:80 and fe80::1%eth0", ["fd12:3456:789a::1", "fe80::1"]),
    ("url = https://jenkins.pricing.corp/job/x", ["pricing.corp"]),
    ("remote = git@git.acme.lan:team/repo.git", ["acme.lan"]),
    ("ssh://git@code.acme.intranet:2222/x.git", ["acme.intranet"]),
    ("HostName bastion.corp\n", ["bastion.corp"]),
    ("ping nas.smiths.home.arpa", ["smiths.home.arpa"]),
    ("dc = DC01.CORP.ACME.LOCAL", ["ACME.LOCAL"]),
    ("node ip-10-0-1-23.ec2.internal", ["10-0-1-23"]),
    ("allow 10.0.0.5-10.0.0.9", ["10.0.0.5", "10.0.0.9"]),          # a range: both ends are addresses
])
def test_internal_hosts_are_found(scanner, text, values):
    assert hosts(scanner, text) == values


@pytest.mark.parametrize("text", [
    '__version__ = "10.1.2.3"',                       # a version, by what stands before it
    "Version: 192.168.0.1-style numbering",
    "requests==10.2.3.4",
    "private ranges: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7",   # their names, not addresses
    "curl http://169.254.169.254/latest/meta-data/",
    "ECS=169.254.170.2 ALIYUN=100.100.100.200",
    "bind 127.0.0.1 and ::1 and localhost",
    "docs 192.0.2.1 198.51.100.2 203.0.113.3 2001:db8::1",
    "public 8.8.8.8 1.1.1.1",
    "OID 1.3.6.1.4.1.10.1.2.3",
    "url: http://host.docker.internal:8080 metadata.google.internal",
    "svc: redis.default.svc.cluster.local",
    "package org.eclipse.core.internal;",
    "import com.example.util.internal.Helper;",
    "using Microsoft.Extensions.Internal;",
    "from foo.bar.internal import x",
    "var s = this.state.local;",
    "x = self.config.private",
    "state = threading.local()",
    "a=e.opts.local,b=1",
    "see host-1.example and api.example.corp",
    "SERVER_NAME = 'dev.local:5000'; http://foo.dev.local; nas.lan; router.home.arpa",   # everyone's names
    "`Time.local` and Rails.env.local?",
    '<path d="M2.84-11.83,14.72-10.33.93.12,1.87.2"/>',   # SVG path numbers (requests' logo): -10.33 .93 .12
    '<path d="M413.13,437.15c5.45.48,30,10.11.86.39,1.67.89"/>',             # 10.11 .86 .39
])
def test_not_hosts(scanner, text):
    assert hosts(scanner, text) == []


def test_names_under_a_profile_domain_are_left_to_the_identifiers_detector():
    s = Scanner(RuleSet.load(), b"k", Profile(domains=["acme.corp"]))
    item = ContentItem("cfg", b"url = https://ci.acme.corp/x and ci.other.corp")
    found = [(f.kind, f.value.decode()) for f in s.detect(item)]
    assert ("host", "other.corp") in found
    assert ("identifier", "acme.corp") in found
    assert ("host", "ci.acme.corp") not in found


@pytest.mark.parametrize("addr,private", [
    ("10.0.0.1", True), ("172.31.255.254", True), ("172.31.255.255", False), ("10.0.0.0", False), ("172.32.0.1", False), ("100.64.0.1", True),
    ("100.128.0.1", False), ("169.254.1.1", True), ("169.254.169.254", False), ("127.0.0.1", False),
    ("fd00::1", True), ("fc00::1", True), ("fe80::1", True), ("::1", False), ("2001:db8::1", False),
    ("192.0.2.1", False), ("not an ip", False),
])
def test_which_addresses_identify_a_network(addr, private):
    assert is_identifying(addr) is private


def test_range_definitions():
    assert is_range_definition("10.0.0.0", 8) and is_range_definition("192.168.0.0", 16)
    assert not is_range_definition("10.1.0.0", 16) and not is_range_definition("10.0.0.0", 24)
