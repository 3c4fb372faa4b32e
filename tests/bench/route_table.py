# SPDX-License-Identifier: GPL-2.0-only
"""Deterministic BGP-like route tables and destinations drawn from them.

The prefix-length mix follows public BGP table statistics (APNIC/CIDR
report, 2023-24): about 60% of IPv4 prefixes are /24, the rest spread over
/8-/23 with /22, /23, /21, /20 the next most common; about 60% of IPv6
prefixes are /48 and most of the rest /32-/44. The same seed gives the same
table; a table of N routes is the first N of the largest one, so each size
contains the smaller ones and the harness only adds routes as it grows.
"""
import ipaddress
import random
import struct

V4_MIX = {8: 0.00002, 9: 0.00002, 10: 0.00005, 11: 0.0001, 12: 0.0003,
          13: 0.0006, 14: 0.0012, 15: 0.002, 16: 0.013, 17: 0.008,
          18: 0.014, 19: 0.026, 20: 0.044, 21: 0.05, 22: 0.105, 23: 0.09,
          24: 0.60}
V6_MIX = {32: 0.12, 33: 0.015, 34: 0.015, 35: 0.01, 36: 0.04, 37: 0.005,
          38: 0.01, 39: 0.005, 40: 0.07, 41: 0.005, 42: 0.01, 43: 0.005,
          44: 0.09, 48: 0.60}

# First octets left out of the table: 0/8 and 127/8 (martians), 10/8 (the
# harness's links), multicast and above, and 198/8, 203/8 which hold the
# ECMP and miss probes of the program-cost test.
V4_EXCLUDED = {0, 10, 127, 198, 203} | set(range(224, 256))
ECMP_V4 = "198.51.100.0/24"
MISS_V4 = "203.0.113.7"
ECMP_V6 = "2001:db8:ec::/48"
MISS_V6 = "2001:db8:dead::7"


def _length(rng, mix):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def v4_routes(n, seed):
    """n distinct (network int, length) pairs."""
    rng = random.Random(f"v4-{seed}")
    out, seen = [], set()
    while len(out) < n:
        # length and address drawn together, route after route: the same
        # sequence whatever n, so a table is the first n of any larger one
        length = _length(rng, V4_MIX)
        a = rng.getrandbits(32)
        if a >> 24 in V4_EXCLUDED:
            continue
        a &= (0xffffffff << (32 - length)) & 0xffffffff
        if (a, length) not in seen:
            seen.add((a, length))
            out.append((a, length))
    return out


def v6_routes(n, seed):
    """n distinct prefixes inside 2000::/3, outside 2001::/16."""
    rng = random.Random(f"v6-{seed}")
    out, seen = [], set()
    full = (1 << 128) - 1
    while len(out) < n:
        length = _length(rng, V6_MIX)
        a = (0x2 << 124) | rng.getrandbits(125)
        if a >> 112 == 0x2001:
            continue
        a &= (full << (128 - length)) & full
        if (a, length) not in seen:
            seen.add((a, length))
            out.append((a, length))
    return out


def prefix_str(family, net, length):
    cls = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
    return f"{cls(net)}/{length}"


def destinations(family, routes, count, seed):
    """count addresses, each inside a random route of the table, packed as
    16-byte slots for traffic-gen (IPv4 in the first four bytes)."""
    rng = random.Random(f"dst{family}-{seed}-{len(routes)}")
    bits = 32 if family == 4 else 128
    out = bytearray()
    for _ in range(count):
        net, length = routes[rng.randrange(len(routes))]
        host = rng.getrandbits(bits - length) if length < bits else 0
        a = net | host
        if family == 4:
            out += struct.pack("!I", a) + bytes(12)
        else:
            out += a.to_bytes(16, "big")
    return bytes(out)


def addr_str(family, slot):
    """The address of a 16-byte slot."""
    if family == 4:
        return str(ipaddress.IPv4Address(slot[:4]))
    return str(ipaddress.IPv6Address(slot))
