"""Which IP addresses say something about a private network.

Private (RFC 1918), shared/CGNAT (RFC 6598), link-local (RFC 3927, RFC 4291)
and unique-local IPv6 (RFC 4193) addresses describe someone's network layout;
public addresses do not belong to a repository's owner in any way we can tell,
and loopback (127/8, ::1) is the same on every machine, identifies no one, and
is what tests bind to: rewriting it would only break code.  Well-known cloud
metadata endpoints sit in link-local and CGNAT space but are the same for
every customer, so they stay too.  Python's own `is_private` is not used: it
also covers the documentation ranges our placeholders come from.
"""
from __future__ import annotations

import ipaddress
from typing import Optional, Union

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",   # RFC 1918
    "100.64.0.0/10",                                    # RFC 6598 shared address space (CGNAT)
    "169.254.0.0/16",                                   # RFC 3927 link-local
    "fc00::/7",                                         # RFC 4193 unique local
    "fe80::/10",                                        # RFC 4291 link-local
))

# Addresses every customer of a platform uses: not identifying, and code needs them.
WELL_KNOWN = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",      # AWS/GCP/Azure/OpenStack instance metadata
    "169.254.170.2",        # AWS ECS task metadata
    "169.254.169.253",      # AWS VPC DNS resolver
    "169.254.169.123",      # AWS time sync
    "100.100.100.200",      # Alibaba Cloud metadata
    "fd00:ec2::254",        # AWS instance metadata over IPv6
    "fd00:ec2::253",        # AWS VPC DNS resolver over IPv6
    "fd00:ec2::123",        # AWS time sync over IPv6
))


def parse(text: str) -> Optional[Address]:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def is_identifying(text: str) -> bool:
    """True for an address in a private range that is not a platform-wide constant
    (also in the dashed form cloud host names use: 10-0-1-23)."""
    addr = parse(text.replace("-", ".") if text.count("-") == 3 else text)
    if addr is None or addr in WELL_KNOWN:
        return False
    return any(addr.version == n.version and addr in n
               and addr not in (n.network_address, n.broadcast_address)   # a range's bounds name the range
               for n in PRIVATE_NETWORKS)


def is_range_definition(text: str, prefix: int) -> bool:
    """`10.0.0.0/8`, `fc00::/7`: the name of a private range, not an address in it."""
    addr = parse(text)
    return addr is not None and any(
        addr.version == n.version and addr == n.network_address and prefix <= n.prefixlen
        for n in PRIVATE_NETWORKS)
