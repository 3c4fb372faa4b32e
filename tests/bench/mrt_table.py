# SPDX-License-Identifier: GPL-2.0-only
"""The harness's BGP-like IPv4 table as an MRT TABLE_DUMP_V2 file (RFC
6396), which `gobgp mrt inject global` loads into gobgpd's RIB at tens of
thousands of routes per second (one `gobgp global rib add` per route would
take hours at 1M).

One peer in the index table; every RIB entry has ORIGIN IGP, NEXT_HOP
(the speaker) and an AS_PATH of one to three ASes drawn from a pool
of 4 000 (1000-4999, clear of the bench's 65001 and 65002, which bgpd
would reject as a loop), so the speaker sends many distinct attribute sets (several
prefixes per UPDATE, not hundreds), closer to a real table than one
attribute set for all.

`gobgp mrt inject` (3.10) can lose the last few hundred paths when it exits
before its gRPC stream is drained, so write() appends a copy of the table's
last `tail` entries: a lost copy changes nothing, a duplicate replaces the
same path with itself.
"""
import random
import socket
import struct

MRT_TABLE_DUMP_V2 = 13
PEER_INDEX_TABLE, RIB_IPV4_UNICAST = 1, 2
ATTR_ORIGIN, ATTR_AS_PATH, ATTR_NEXT_HOP = 1, 2, 3
AS_SEQUENCE = 2
TRANSITIVE = 0x40


def _record(subtype, body, ts):
    return struct.pack("!IHHI", ts, MRT_TABLE_DUMP_V2, subtype,
                       len(body)) + body


def _attr(code, value):
    return struct.pack("!BBB", TRANSITIVE, code, len(value)) + value


def peer_index(peer_id, peer_addr, peer_as, ts):
    # peer type 0x02: IPv4 address, 4-byte AS
    peer = (struct.pack("!B", 0x02) + socket.inet_aton(peer_id) +
            socket.inet_aton(peer_addr) + struct.pack("!I", peer_as))
    body = (socket.inet_aton(peer_id) + struct.pack("!H", 0) +
            struct.pack("!H", 1) + peer)
    return _record(PEER_INDEX_TABLE, body, ts)


def rib_entry(seq, net, plen, attrs, ts):
    nbytes = (plen + 7) // 8
    prefix = struct.pack("!I", net)[:nbytes]
    entry = struct.pack("!HIH", 0, ts, len(attrs)) + attrs
    body = (struct.pack("!IB", seq, plen) + prefix + struct.pack("!H", 1) +
            entry)
    return _record(RIB_IPV4_UNICAST, body, ts)


def write(path, routes, nexthop, peer_as, seed=7, ts=1700000000,
          tail=20000):
    """routes: [(network int, length)] as route_table.v4_routes gives."""
    rng = random.Random(f"mrt-{seed}")
    origin = _attr(ATTR_ORIGIN, b"\x00")
    nh = _attr(ATTR_NEXT_HOP, socket.inet_aton(nexthop))
    with open(path, "wb") as f:
        f.write(peer_index(nexthop, nexthop, peer_as, ts))
        records = []
        for seq, (net, plen) in enumerate(routes):
            hops = [1000 + rng.randrange(4000)
                    for _ in range(rng.choice((1, 2, 2, 3)))]
            path_attr = _attr(ATTR_AS_PATH,
                              struct.pack("!BB", AS_SEQUENCE, len(hops)) +
                              struct.pack(f"!{len(hops)}I", *hops))
            rec = rib_entry(seq, net, plen, origin + path_attr + nh, ts)
            f.write(rec)
            if seq >= len(routes) - tail:
                records.append(rec)
        f.write(b"".join(records))
