#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The XDP forwarder through BPF_PROG_TEST_RUN, packet by packet.

Every verdict reason has a packet that triggers it. A forwarded packet is
compared byte for byte with the one scapy predicts (TTL or hop limit, IPv4
checksum, both MACs); a punted packet must come out unchanged. After each
packet exactly one reason counter has moved, by one. ECMP is checked over
10,000 flows for the weights, and per flow for stability.

usage: test_forwarder.py XR_DPCTL [lpm|dir24] [XDP_ROUTERCTL]
(the IPv4 lookup structure: every fixture must pass on both; with
xdp-routerctl, its lookup must agree with the program on every fixture's
destination)
"""
import ipaddress
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (XDP_DROP, XDP_PASS, XDP_REDIRECT, Dpctl, Netns,  # noqa: E402
                    Results, sh, unique)

from scapy.all import (ARP, ICMPv6ND_NS, IP, UDP, Ether, ICMP,  # noqa: E402
                       IPOption_RR, IPv6, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, Raw, TCP)

DPCTL = sys.argv[1]
FIB = sys.argv[2] if len(sys.argv) > 2 else "dir24"
ROUTERCTL = sys.argv[3] if len(sys.argv) > 3 else None
ns = Netns(unique("xrbpf"))
res = Results()

# Router-side interface -> peer. Peers with GRO make the veth able to take
# XDP frames (NDO_XMIT); 'nox' keeps its peer bare to prove the fallback.
LINKS = {"in0": 1500, "out1": 1500, "out2": 1500, "out3": 1280,
         "out4": 9500, "nox": 1500, "vin": 1500, "unk0": 1500}
for name, mtu in LINKS.items():
    ns.ip(f"link add {name} mtu {mtu} type veth peer name {name}p mtu {mtu}")
    ns.ip(f"link set {name} up")
    ns.ip(f"link set {name}p up")
    if name != "nox":
        ns.run(f"ethtool -K {name}p gro on")


def mac_of(ifname):
    return ns.ip(f"-br link show {ifname}").split()[2]


MAC = {n: mac_of(n) for n in LINKS}
GW1, GW2 = "02:00:00:00:01:01", "02:00:00:00:02:07"
M = ["02:00:00:00:06:0%d" % i for i in range(1, 5)]

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns, extra=("--fib", FIB))
dp.script(f"""
load
iface in0
iface out1
iface out2
iface out3
iface out4
iface nox
iface vin vrf 5
nexthop 1 out1 via 192.0.2.1 mac {GW1}
nexthop 11 out1 via fe80::1 mac {GW1}
nexthop 3 out3 via 192.0.2.3 mac {GW1}
nexthop 4 out4 via 192.0.2.4 mac {GW1}
nexthop 7 nox via 192.0.2.7 mac {GW1}
nexthop 8 out1 via 192.0.2.8
nexthop 12 out1 via 192.0.2.1 mac {GW1} mtu 1000
nexthop 51 out1 via 192.0.2.51 mac {M[0]}
nexthop 52 out2 via 192.0.2.52 mac {M[1]}
nexthop 61 out1 via 192.0.2.61 mac {M[0]}
nexthop 62 out1 via 192.0.2.62 mac {M[1]}
nexthop 63 out2 via 192.0.2.63 mac {M[2]}
nexthop 64 out2 via 192.0.2.64 mac {M[3]}
group 100 51 52
group 200 61:1 62:2 63:3 64:4
neigh out2 10.2.0.7 {GW2}
neigh out2 2001:db8:2::7 {GW2}
route 10.1.0.0/16 nexthop 1
route 2001:db8:1::/48 nexthop 11
route 10.2.0.0/24 connected out2
route 2001:db8:2::/64 connected out2
route 10.3.0.0/16 nexthop 3
route 10.4.0.0/16 nexthop 4
route 10.5.0.0/16 group 100
route 10.6.0.0/16 group 200
route 10.7.0.0/16 nexthop 7
route 10.8.0.0/16 nexthop 8
route 10.9.0.0/16 nexthop 999
route 10.10.0.0/16 blackhole
route 10.11.0.0/16 unreachable
route 10.0.0.1/32 local
route 2001:db8::1/128 local
route 10.12.0.0/16 nexthop 12
route 10.13.0.0/16 nexthop 1 vrf 5
nexthop 13 in0 via 192.0.2.13 mac {GW1}
route 10.14.0.0/16 nexthop 13
nexthop 70 in0 via 192.0.2.70 mac {GW1}
group 300 51 52 70
route 198.51.100.0/24 nexthop 13
route 198.51.101.0/24 nexthop 1
route 198.51.102.0/24 group 300
route 198.51.103.0/24 group 100
route 198.51.104.0/24 blackhole
route 198.51.105.0/24 unreachable
route 198.51.106.0/24 connected in0
nexthop 14 out3 via fe80::3 mac {GW1}
route 10.1.0.0/16 nexthop 3 vrf 100
route 2001:db8:1::/48 nexthop 14 vrf 100
route 172.16.0.0/16 nexthop 3 vrf 100
route 10.2.0.0/16 nexthop 3 vrf 100
route 10.15.0.0/16 blackhole vrf 100
route 10.16.0.0/16 connected out3 vrf 100
""")

R = MAC["in0"]
HOST = "02:00:00:00:00:aa"


def eth(dst=R):
    return Ether(src=HOST, dst=dst)


def v4(dst, **kw):
    return eth() / IP(src="198.51.100.10", dst=dst, **kw)


def v6(dst, **kw):
    return eth() / IPv6(src="2001:db8:ff::10", dst=dst, **kw)


def udp(n=18):
    return UDP(sport=1234, dport=5678) / Raw(b"x" * n)


def routed(pkt, egress, dmac):
    """What a router makes of pkt: new MACs, TTL/hop limit - 1."""
    out = Ether(bytes(pkt))
    out[Ether].src = MAC[egress]
    out[Ether].dst = dmac
    if IP in out:
        out[IP].ttl -= 1
        del out[IP].chksum
    else:
        out[IPv6].hlim -= 1
    return bytes(Ether(bytes(out)))


def bad_csum(pkt):
    b = bytearray(bytes(pkt))
    b[14 + 10] ^= 0xff
    return bytes(b)


def ipv4_fixed(ip_layer_pkt):
    """Recompute the IPv4 checksum after a hand edit of the header."""
    b = bytearray(bytes(ip_layer_pkt))
    b[24:26] = b"\0\0"
    s = sum(int.from_bytes(b[14 + i:16 + i], "big") for i in range(0, 20, 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    b[24:26] = (~s & 0xffff).to_bytes(2, "big")
    return bytes(b)


def lying_length(pkt):
    b = bytearray(bytes(pkt))
    b[16:18] = (len(b) - 14 + 40).to_bytes(2, "big")
    return ipv4_fixed(b)


def wrong_version(pkt):
    b = bytearray(bytes(pkt))
    b[14] = 0x65
    return ipv4_fixed(b)


P1400 = v4("10.3.0.9", flags="DF") / UDP() / Raw(b"y" * (1400 - 28))
JUMBO = v4("10.4.0.9") / UDP() / Raw(b"z" * (9000 - 28))
FWD = XDP_REDIRECT

# (description, ingress, packet, reason, expected output or None)
FIXTURES = [
    ("v4 via nexthop", "in0", v4("10.1.2.3") / udp(), "forwarded",
     lambda p: routed(p, "out1", GW1)),
    ("v4 TCP via nexthop", "in0", v4("10.1.2.3") / TCP(), "forwarded",
     lambda p: routed(p, "out1", GW1)),
    ("v6 via nexthop", "in0", v6("2001:db8:1::5") / udp(), "forwarded",
     lambda p: routed(p, "out1", GW1)),
    ("v4 connected neighbour", "in0", v4("10.2.0.7") / udp(), "forwarded",
     lambda p: routed(p, "out2", GW2)),
    ("v6 connected neighbour", "in0", v6("2001:db8:2::7") / udp(),
     "forwarded", lambda p: routed(p, "out2", GW2)),
    ("v4 TTL 2 still forwarded", "in0", v4("10.1.2.3", ttl=2) / udp(),
     "forwarded", lambda p: routed(p, "out1", GW1)),
    ("v4 ethernet padding kept", "in0",
     v4("10.1.2.3") / UDP() / Raw(b"") / Raw(b"\0" * 6), "forwarded",
     lambda p: routed(p, "out1", GW1)),
    ("v4 in a VRF", "vin",
     Ether(src=HOST, dst=MAC["vin"]) / IP(src="198.51.100.1",
                                          dst="10.13.0.1") / udp(),
     "forwarded", lambda p: routed(p, "out1", GW1)),
    ("jumbo multi-buffer frame to MTU 9500", "in0", JUMBO, "forwarded",
     lambda p: routed(p, "out4", GW1)),
    ("VRF route invisible from the default VRF", "in0",
     v4("10.13.0.1") / udp(), "lpm-miss", None),
    ("not IP", "in0", eth() / Raw(b"\x88\xb5" + b"q" * 50), "not-ip", None),
    ("ARP", "in0", Ether(src=HOST, dst="ff:ff:ff:ff:ff:ff") /
     ARP(pdst="10.0.0.1"), "arp", None),
    ("ND neighbour solicitation", "in0",
     v6("2001:db8::1") / ICMPv6ND_NS(tgt="2001:db8::1"),
     "neighbour-discovery", None),
    ("not our MAC", "in0", Ether(src=HOST, dst="02:00:00:00:99:99") /
     IP(src="198.51.100.10", dst="10.1.2.3") / udp(), "not-our-mac", None),
    ("ingress not ours", "unk0", Ether(src=HOST, dst=MAC["unk0"]) /
     IP(src="198.51.100.10", dst="10.1.2.3") / udp(), "ingress-unknown",
     None),
    ("v4 to the router", "in0", v4("10.0.0.1") / ICMP(), "local-destination",
     None),
    ("v6 to the router", "in0", v6("2001:db8::1") / udp(),
     "local-destination", None),
    ("v4 multicast", "in0", Ether(src=HOST, dst="01:00:5e:00:00:05") /
     IP(src="198.51.100.10", dst="224.0.0.5") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v4 multicast IP to unicast MAC", "in0", v4("239.1.1.1") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v4 limited broadcast", "in0", v4("255.255.255.255") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v4 link-local destination", "in0", v4("169.254.1.1") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v6 multicast", "in0", v6("ff0e::1") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v6 link-local destination", "in0", v6("fe80::9") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v6 link-local source", "in0", eth() / IPv6(src="fe80::5",
                                                 dst="2001:db8:1::5") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v4 loopback source", "in0", eth() / IP(src="127.0.0.1",
                                             dst="10.1.2.3") / udp(),
     "martian-address", None),
    ("v6 loopback destination", "in0", v6("::1") / udp(), "martian-address",
     None),
    # The first-octet prefilter (parse.h) next to each special value.
    ("v4 link-local source", "in0", eth() / IP(src="169.254.7.7",
                                               dst="10.1.2.3") / udp(),
     "multicast-broadcast-linklocal", None),
    ("v4 this-network source", "in0", eth() / IP(src="0.1.2.3",
                                                 dst="10.1.2.3") / udp(),
     "martian-address", None),
    ("v4 multicast source", "in0", eth() / IP(src="224.0.0.9",
                                              dst="10.1.2.3") / udp(),
     "martian-address", None),
    ("v4 loopback destination", "in0", v4("127.0.0.5") / udp(),
     "martian-address", None),
    ("v4 class E destination is looked up", "in0", v4("240.0.0.1") / udp(),
     "lpm-miss", None),
    ("v4 from 126/8, 128/8, 168/8, 170/8 and 223/8 forwarded", "in0",
     [eth() / IP(src=s, dst="10.1.2.3") / udp()
      for s in ("126.0.0.1", "128.0.0.1", "168.1.1.1", "170.1.1.1",
                "223.255.255.254")],
     "forwarded", lambda p: routed(p, "out1", GW1)),
    ("v6 IPv4-mapped source", "in0", eth() / IPv6(src="::ffff:10.0.0.1",
                                                  dst="2001:db8:1::5") / udp(),
     "martian-address", None),
    ("v6 multicast source", "in0", eth() / IPv6(src="ff02::1",
                                                dst="2001:db8:1::5") / udp(),
     "martian-address", None),
    ("v6 from 01::, fc00:: and fd00:: forwarded", "in0",
     [eth() / IPv6(src=s, dst="2001:db8:1::5") / udp()
      for s in ("100::1", "fc00::1", "fd00::1")],
     "forwarded", lambda p: routed(p, "out1", GW1)),
    ("v4 TTL 1", "in0", v4("10.1.2.3", ttl=1) / udp(), "ttl-expired", None),
    ("v4 TTL 0", "in0", v4("10.1.2.3", ttl=0) / udp(), "ttl-expired", None),
    ("v6 hop limit 1", "in0", v6("2001:db8:1::5", hlim=1) / udp(),
     "ttl-expired", None),
    ("v4 options", "in0", v4("10.1.2.3", options=[IPOption_RR()]) / udp(),
     "ip-options", None),
    ("v6 hop-by-hop", "in0", v6("2001:db8:1::5") / IPv6ExtHdrHopByHop() /
     udp(), "ip-options", None),
    ("v4 first fragment", "in0", v4("10.1.2.3", flags="MF") / udp(),
     "fragment", None),
    ("v4 later fragment", "in0", v4("10.1.2.3", frag=100) / Raw(b"f" * 40),
     "fragment", None),
    ("v6 fragment", "in0", v6("2001:db8:1::5") / IPv6ExtHdrFragment() /
     udp(), "fragment", None),
    ("v4 bad checksum", "in0", bad_csum(v4("10.1.2.3") / udp()),
     "bad-ip-header", None),
    ("v4 total length beyond the frame", "in0",
     lying_length(v4("10.1.2.3") / udp()), "bad-ip-header", None),
    ("v4 ethertype with version 6", "in0",
     wrong_version(v4("10.1.2.3") / udp()), "bad-ip-header", None),
    ("v4 truncated header", "in0", bytes(v4("10.1.2.3"))[:14 + 12],
     "bad-ip-header", None),
    ("1400 bytes onto MTU 1280", "in0", P1400, "mtu-exceeded", None),
    ("route MTU below the packet", "in0",
     v4("10.12.0.1") / UDP() / Raw(b"m" * 1100), "mtu-exceeded", None),
    ("jumbo onto MTU 1500", "in0",
     v4("10.1.0.9") / UDP() / Raw(b"z" * (9000 - 28)), "mtu-exceeded", None),
    ("no route", "in0", v4("172.16.0.1") / udp(), "lpm-miss", None),
    ("v6 no route", "in0", v6("2001:db8:99::1") / udp(), "lpm-miss", None),
    ("nexthop id unknown", "in0", v4("10.9.0.1") / udp(), "nexthop-missing",
     None),
    ("gateway unresolved", "in0", v4("10.8.0.1") / udp(),
     "neighbour-unresolved", None),
    ("connected host unresolved", "in0", v4("10.2.0.8") / udp(),
     "neighbour-unresolved", None),
    ("egress cannot take XDP frames", "in0", v4("10.7.0.1") / udp(),
     "egress-not-xdp", None),
    ("unreachable route", "in0", v4("10.11.0.1") / udp(),
     "unreachable-route", None),
    ("blackhole", "in0", v4("10.10.0.1") / udp(), "blackhole", None),
]

# A redirect that fails after the egress checks can only happen when a port
# leaves tx_ports between the lookup and the redirect: a race, not a packet.
# A frame shorter than Ethernet's header never reaches XDP (drivers drop
# runts, and BPF_PROG_TEST_RUN refuses data below ETH_HLEN), so the bounds
# check that counts malformed-frame is there for the verifier and for safety.
NOT_A_PACKET = {"redirect-failed", "malformed-frame"}
# Reasons proved with the load-time switches below.
SWITCHED = {"feature-disabled"}
# Reasons of tagged frames: tests/bpf/test_vlan.py.
VLAN = {"vlan-unknown", "vlan-stacked", "vlan-priority-tagged",
        "vlan-unusual"}
# Reasons that need a conntrack entry: tests/bpf/test_conntrack.py.
CONNTRACK_ENTRY = {"conntrack-unreplied", "conntrack-related",
                   "conntrack-nat", "conntrack-helper",
                   "conntrack-not-established", "conntrack-tcp-window"}

ACTION = {"forwarded": FWD, "blackhole": XDP_DROP, "malformed-frame": XDP_DROP,
          "ip-rule-blackhole": XDP_DROP}


def check_fixture(d, desc, ifname, pkt, reason, expect):
    raw = bytes(pkt)
    d.cmd("clear")
    action, out = d.run(ifname, raw)
    want_action = ACTION.get(reason, XDP_PASS)
    res.check(action == want_action, desc,
              f"action {action}, expected {want_action}")
    if expect:
        want = expect(pkt if not isinstance(pkt, bytes) else Ether(raw))
        res.check(out == want, desc + ": bytes",
                  f"\n got  {out[:64].hex()}\n want {want[:64].hex()}"
                  f" (len {len(out)} vs {len(want)})")
    elif want_action == XDP_PASS:
        res.check(out == raw, desc + ": punted frame unchanged")
    moved = {k: v for k, v in d.counters().items() if v[0]}
    res.check(moved == {reason: (1, len(raw))}, desc + ": counters",
              f"moved {moved}, expected {{{reason!r}: (1, {len(raw)})}}")


for desc, ifname, pkts, reason, expect in FIXTURES:
    for i, pkt in enumerate(pkts if isinstance(pkts, list) else [pkts]):
        check_fixture(dp, desc + (f" [{i}]" if isinstance(pkts, list) else ""),
                      ifname, pkt, reason, expect)

# The plan's gates (bpf/plan_gates.h): each plan flag the daemon may set on a row,
# set here on in0 or out1, with the verdict it gives; the flag cleared, the
# same packet is forwarded again. (ingress row flags, egress row flags,
# packet, reason)
PLAN_FIXTURES = [
    ("ipv4-forwarding-off", "", v4("10.1.2.3") / udp(),
     "forwarding-disabled"),
    ("ipv6-forwarding-off", "", v6("2001:db8:1::5") / udp(),
     "forwarding-disabled"),
    ("ipv4-punt-in", "", v4("10.1.2.3") / udp(), "ingress-policy"),
    ("ipv6-punt-in", "", v6("2001:db8:1::5") / udp(), "ingress-policy"),
    ("", "ipv4-punt-out", v4("10.1.2.3") / udp(), "egress-policy"),
    ("", "ipv6-punt-out", v6("2001:db8:1::5") / udp(), "egress-policy"),
    ("ipv4-send-redirects", "", v4("10.14.0.1") / udp(), "hairpin-redirect"),
    # A rule other than the kernel's defaults (kernel/ip_rules.h) on the
    # ingress, for its family; the egress's rules do not choose the
    # forward lookup's table.
    ("ipv4-ip-rules", "", v4("10.1.2.3") / udp(), "ip-rule"),
    ("ipv6-ip-rules", "", v6("2001:db8:1::5") / udp(), "ip-rule"),
    ("ipv4-ip-rules", "", v6("2001:db8:1::5") / udp(), "forwarded"),
    ("ipv6-ip-rules", "", v4("10.1.2.3") / udp(), "forwarded"),
    ("", "ipv4-ip-rules,ipv6-ip-rules", v4("10.1.2.3") / udp(), "forwarded"),
    # the ingress policy wins: prerouting comes before the lookup
    ("ipv4-punt-in,ipv4-ip-rules", "", v4("10.1.2.3") / udp(),
     "ingress-policy"),
    # Conntrack checks (bpf/conntrack.h); this namespace has no entries.
    # The verdicts that need one are in test_conntrack.py.
    ("ipv4-conntrack-in", "", v4("10.1.2.3") / ICMP(),
     "conntrack-not-tcp-udp"),
    ("", "ipv6-conntrack-out", v6("2001:db8:1::5") / TCP(flags="S"),
     "conntrack-syn-fin-rst"),
    ("ipv4-conntrack-in", "", v4("10.1.2.3") / udp(), "conntrack-miss"),
    ("", "ipv6-conntrack-out", v6("2001:db8:1::5") / udp(), "conntrack-miss"),
    # A family's flag leaves the other family alone; redirects only
    # matter when the packet leaves where it came in.
    ("ipv6-forwarding-off,ipv6-punt-in", "ipv6-punt-out",
     v4("10.1.2.3") / udp(), "forwarded"),
    ("ipv6-conntrack-in", "ipv6-conntrack-out", v4("10.1.2.3") / udp(),
     "forwarded"),
    ("ipv4-send-redirects", "", v4("10.1.2.3") / udp(), "forwarded"),
] + [
    # uRPF (bpf/urpf.h) as fib_validate_source: the route back to the
    # source, from in0. (source, strict verdict, loose verdict)
    (mode, "", eth() / IP(src=src, dst="10.1.2.3") / udp(), verdict)
    for src, strict, loose in [
        ("198.51.100.10", "forwarded", "forwarded"),   # back via in0
        ("198.51.101.10", "rp-filter", "forwarded"),   # back via out1
        ("198.51.102.10", "forwarded", "forwarded"),   # ECMP, the last path in0
        ("198.51.103.10", "rp-filter", "forwarded"),   # ECMP, none in0
        ("198.51.104.10", "rp-filter", "rp-filter"),   # blackhole
        ("198.51.105.10", "rp-filter", "rp-filter"),   # unreachable
        ("198.51.106.10", "forwarded", "forwarded"),   # connected on in0
        ("10.2.0.9", "rp-filter", "forwarded"),        # connected on out2
        ("203.0.113.9", "rp-filter", "rp-filter"),     # no route back
        # what the maps cannot prove: our own address, a missing row
        ("10.0.0.1", "rp-filter-unproven", "rp-filter-unproven"),
        ("10.9.1.1", "rp-filter-unproven", "forwarded"),
    ]
    for mode, verdict in (("rp-filter-strict", strict),
                          ("rp-filter-loose", loose))
] + [
    # ip rules on the ingress punt before uRPF; on the egress the kernel's
    # reverse lookup runs through them (iif = the forward egress), which
    # the program cannot see.
    ("rp-filter-strict,ipv4-ip-rules", "", v4("10.1.2.3") / udp(),
     "ip-rule"),
    ("rp-filter-loose", "ipv4-ip-rules",
     eth() / IP(src="198.51.100.10", dst="10.1.2.3") / udp(),
     "rp-filter-unproven"),
    # uRPF is IPv4 only in Linux; v6 is forwarded as before.
    ("rp-filter-strict", "", v6("2001:db8:1::5") / udp(), "forwarded"),
]
for in_flags, out_flags, pkt, reason in PLAN_FIXTURES:
    desc = f"plan in0 [{in_flags}] out1 [{out_flags}]"
    dp.cmd("iface in0" + (f" plan {in_flags}" if in_flags else ""))
    dp.cmd("iface out1" + (f" plan {out_flags}" if out_flags else ""))
    egress = "in0" if pkt[IP if IP in pkt else IPv6].dst.startswith(
        "10.14.") else "out1"
    check_fixture(dp, desc, "in0", pkt, reason,
                  (lambda p, e=egress: routed(p, e, GW1))
                  if reason == "forwarded" else None)
    dp.cmd("iface in0")
    dp.cmd("iface out1")
    check_fixture(dp, desc + " cleared", "in0", pkt, "forwarded",
                  lambda p, e=egress: routed(p, e, GW1))

# ip rules the program evaluates (bpf/rules.h) where the ingress's plan
# asks: the family's compiled rules, in order, then the verdict. (rules of
# that family, ingress flags, packet, reason)
FAR = [f"from=203.0.113.{i}/32,punt" for i in range(50)]  # match nothing
RULE_FIXTURES = [
    (["from=198.51.100.0/24,blackhole"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "ip-rule-blackhole"),
    (["from=198.51.101.0/24,blackhole"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "forwarded"),
    (["not,from=198.51.101.0/24,blackhole"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "ip-rule-blackhole"),
    (["not,from=198.51.100.0/24,blackhole"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "forwarded"),
    (["to=10.1.0.0/16,punt"], "ipv4-rule-check", v4("10.1.2.3") / udp(),
     "ip-rule"),
    (["to=10.2.0.0/24,punt"], "ipv4-rule-check", v4("10.1.2.3") / udp(),
     "forwarded"),
    (["iif=in0,punt"], "ipv4-rule-check", v4("10.1.2.3") / udp(), "ip-rule"),
    (["iif=out1,punt"], "ipv4-rule-check", v4("10.1.2.3") / udp(),
     "forwarded"),
    (["not,iif=out1,punt"], "ipv4-rule-check", v4("10.1.2.3") / udp(),
     "ip-rule"),
    # the first rule that matches decides: main's route
    (["from=198.51.100.0/24,main", "blackhole"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "forwarded"),
    # a rule's main lookup that misses: the kernel goes on, the program
    # cannot
    (["main"], "ipv4-rule-check", v4("172.16.0.1") / udp(), "ip-rule"),
    # a blackhole never takes the local table's destinations: the router's
    # own (punted as local), a connected subnet (its broadcast), no route
    (["blackhole"], "ipv4-rule-check", v4("10.0.0.1") / udp(),
     "local-destination"),
    (["blackhole"], "ipv4-rule-check", v4("10.2.0.7") / udp(), "ip-rule"),
    (["blackhole"], "ipv4-rule-check", v4("172.16.0.1") / udp(), "ip-rule"),
    # 50 rules that do not match, then one that does
    (FAR, "ipv4-rule-check", v4("10.1.2.3") / udp(), "forwarded"),
    (FAR + ["from=198.51.100.10/32,punt"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "ip-rule"),
    # the rules of a family only where the plan asks, for that family
    (["blackhole"], "", v4("10.1.2.3") / udp(), "forwarded"),
    (["blackhole"], "ipv6-rule-check", v4("10.1.2.3") / udp(), "forwarded"),
    # IPv6, prefixes across 32-bit words
    (["from=2001:db8:ff::/48,blackhole"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "ip-rule-blackhole"),
    (["from=2001:db8:fe::/48,blackhole"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "forwarded"),
    (["to=2001:db8::/33,punt"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "ip-rule"),
    (["to=2001:db8:1::4/127,punt"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "ip-rule"),
    (["to=2001:db8:1::6/127,punt"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "forwarded"),
    (["blackhole"], "ipv4-rule-check", v6("2001:db8:1::5") / udp(),
     "forwarded"),
    # lookup of a table the daemon proved (VRF 100 holds it): its route,
    # not main's (out3, not out1)
    (["from=198.51.100.0/24,table=100"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "forwarded", "out3"),
    (["from=2001:db8:ff::/48,table=100"], "ipv6-rule-check",
     v6("2001:db8:1::5") / udp(), "forwarded", "out3"),
    (["from=198.51.101.0/24,table=100", "main"], "ipv4-rule-check",
     v4("10.1.2.3") / udp(), "forwarded"),
    # main's miss does not matter to the table
    (["table=100"], "ipv4-rule-check", v4("172.16.0.1") / udp(),
     "forwarded", "out3"),
    # the table's miss: the kernel goes on to the next rule, never main
    (["table=100", "main"], "ipv4-rule-check", v4("10.3.1.1") / udp(),
     "ip-rule"),
    (["table=101"], "ipv4-rule-check", v4("10.1.2.3") / udp(), "ip-rule"),
    (["table=101"], "ipv6-rule-check", v6("2001:db8:1::5") / udp(),
     "ip-rule"),
    # the table's blackhole is the route's own verdict
    (["table=100"], "ipv4-rule-check", v4("10.15.0.1") / udp(), "blackhole"),
    # main's connected subnet may be the local table's broadcast; the
    # table's connected route needs a neighbour main does not name
    (["table=100"], "ipv4-rule-check", v4("10.2.0.7") / udp(), "ip-rule"),
    (["table=100"], "ipv4-rule-check", v4("10.16.0.1") / udp(), "ip-rule"),
    # the router's own address stays the local rule's
    (["table=100"], "ipv4-rule-check", v4("10.0.0.1") / udp(),
     "local-destination"),
    # uRPF after the table's route: still the kernel's to decide (its
    # reverse lookup runs through the rules)
    (["table=100"], "ipv4-rule-check,rp-filter-strict",
     v4("172.16.0.1") / udp(), "rp-filter-unproven"),
]
for rules, in_flags, pkt, reason, *out in RULE_FIXTURES:
    fam = "v6" if IPv6 in pkt else "v4"
    desc = f"rules {fam} [{' '.join(rules[-2:])}] in0 [{in_flags}]"
    dp.cmd(f"rules {fam} " + " ".join(rules))
    dp.cmd("iface in0" + (f" plan {in_flags}" if in_flags else ""))
    check_fixture(dp, desc, "in0", pkt, reason,
                  (lambda p, e=(out or ["out1"])[0]: routed(p, e, GW1))
                  if reason == "forwarded" else None)
    dp.cmd("iface in0")
    dp.cmd(f"rules {fam}")

# The namespace's own rules, compiled by the daemon's code (xr-dpctl
# rules-kernel: ip_rules_compile, xr_rules_publish), as the benchmark's
# edge mode loads them: another table's lookup punts what it matches, a
# blackhole drops it, a rule for other sources leaves the main route.
KERNEL_RULES = [
    (["from 198.51.100.0/24 lookup 100"], "1", "ip-rule"),
    (["from 198.51.101.0/24 lookup 100", "from 198.51.100.10 blackhole"],
     "2", "ip-rule-blackhole"),
    ([f"from 203.0.113.{i} lookup 100" for i in range(50)], "50",
     "forwarded"),
]
for krules, n, reason in KERNEL_RULES:
    desc = f"rules-kernel [{krules[-1]}] ({n} rules)"
    for i, r in enumerate(krules):
        ns.ip(f"rule add pref {1000 + i} {r}")
    ans = dp.cmd("rules-kernel v4")
    res.check(ans == f"{n} ipv4-rule-check", desc + ": compiled",
              f"answer '{ans}'")
    dp.cmd("iface in0 plan ipv4-rule-check")
    check_fixture(dp, desc, "in0", v4("10.1.2.3") / udp(), reason,
                  (lambda p: routed(p, "out1", GW1))
                  if reason == "forwarded" else None)
    dp.cmd("iface in0")
    for i in range(len(krules)):
        ns.ip(f"rule del pref {1000 + i}")
res.check(dp.cmd("rules-kernel v4") == "0 none",
          "rules-kernel with the kernel's defaults only: no rules")

covered = ({f[3] for f in FIXTURES} | {f[3] for f in PLAN_FIXTURES} |
           {f[3] for f in RULE_FIXTURES} |
           NOT_A_PACKET | SWITCHED | CONNTRACK_ENTRY | VLAN)
every = set(dp.counters())
res.check(covered == every, "every verdict reason has a fixture",
          f"missing {sorted(every - covered)}")

# xdp-routerctl lookup re-implements the fast path's decisions from the
# destination and the ingress (cli/fastpath_verdict.c): for every fixture's
# (ingress, destination), a well-formed probe to it through the real program
# and the CLI's answer must give the same reason, and a forwarded probe must
# leave by one of the CLI's paths (its MACs). What only the packet decides
# (TTL, options, fragments, checksum, length, source) is not lookup's.


def dst_of(pkt):
    p = pkt if not isinstance(pkt, bytes) else Ether(pkt)
    if IP in p:
        return p[IP].dst
    if IPv6 in p:
        return p[IPv6].dst
    return None


def probe(ifname, dst, src=None):
    if src is None:
        src = "198.51.100.10" if ipaddress.ip_address(dst).version == 4 \
            else "2001:db8:ff::10"
    ip = IP(src=src, dst=dst) if ":" not in dst else IPv6(src=src, dst=dst)
    raw = bytes(Ether(src=HOST, dst=MAC[ifname]) / ip / udp())
    dp.cmd("clear")
    action, out = dp.run(ifname, raw)
    moved = [k for k, v in dp.counters().items() if v[0]]
    return action, out, moved[0] if len(moved) == 1 else f"{moved}"


def cli_lookup(ifname, dst, src=None):
    out = subprocess.run(ns.nsenter() + [ROUTERCTL, "-j", "-p", dp.pin_dir,
                                         "lookup", dst] +
                         (["--in", ifname] if ifname else []) +
                         (["--from", src] if src else []),
                         capture_output=True, text=True)
    if out.returncode:
        return {"reason": f"exit {out.returncode}: {out.stderr.strip()}",
                "paths": []}
    return json.loads(out.stdout)["fastPath"]


# The reasons a destination and an ingress decide: each must be compared.
BY_DESTINATION = {"forwarded", "lpm-miss", "local-destination",
                  "multicast-broadcast-linklocal", "martian-address",
                  "nexthop-missing", "neighbour-unresolved", "egress-not-xdp",
                  "unreachable-route", "blackhole", "ingress-unknown"}

if ROUTERCTL:
    asked, seen = set(), set()
    for desc, ifname, pkts, reason, expect in FIXTURES:
        for pkt in pkts if isinstance(pkts, list) else [pkts]:
            dst = dst_of(pkt)
            if dst is None or (ifname, dst) in asked:
                continue
            asked.add((ifname, dst))
            action, out, prog = probe(ifname, dst)
            seen.add(prog)
            fp = cli_lookup(ifname, dst)
            what = f"lookup {dst} --in {ifname} ({desc})"
            res.check(fp["reason"] == prog, what + ": CLI agrees",
                      f"CLI {fp['reason']}, program {prog}")
            if action == FWD:
                macs = {(p.get("srcMac"), p.get("dstMac"))
                        for p in fp["paths"] if p["reason"] == "forwarded"}
                got = (out[6:12].hex(":"), out[0:6].hex(":"))
                res.check(got in macs, what + ": egress among the CLI's paths",
                          f"program {got}, CLI {sorted(macs)}")
    res.check(BY_DESTINATION <= seen, "lookup compared on every reason a "
              "destination decides", f"{len(asked)} destinations, missing "
              f"{sorted(BY_DESTINATION - seen)}")

# The plan's gates too: lookup reads the flags the daemon compiled into the
# ingress and egress rows, and the compiled ip rules, and must give the
# program's reason for each plan and rule fixture, its packet's source given
# with --from. A conntrack check no map can answer: lookup says undecided
# (needs-conntrack) where the program asked conntrack, never forward.
# Without --from, lookup gives the program's reason or says undecided.
BY_PLAN = {"forwarding-disabled", "ingress-policy", "egress-policy",
           "hairpin-redirect", "ip-rule", "ip-rule-blackhole", "rp-filter",
           "rp-filter-unproven", "local-destination", "forwarded"}


def src_of(pkt):
    return pkt[IP].src if IP in pkt else pkt[IPv6].src


def compare_plan(desc, pkt):
    dst, src = dst_of(pkt), src_of(pkt)
    action, out, prog = probe("in0", dst, src)
    fp = cli_lookup("in0", dst, src)
    what = f"lookup {dst} --in in0 --from {src} ({desc})"
    if fp.get("verdict") == "undecided":
        res.check(fp["reason"] == "needs-conntrack" and
                  prog.startswith("conntrack-"),
                  what + ": undecided only on a conntrack check",
                  f"CLI {fp['reason']}, program {prog}")
        plan_seen.add("conntrack")
    else:
        res.check(fp["reason"] == prog, what + ": CLI agrees",
                  f"CLI {fp['reason']}, program {prog}")
        plan_seen.add(prog)
    bare = cli_lookup("in0", dst)
    res.check(bare["reason"] == prog or bare.get("verdict") == "undecided",
              f"lookup {dst} --in in0 ({desc}): the program's reason or "
              "undecided", f"CLI {bare['reason']} {bare.get('verdict')}, "
              f"program {prog}")
    # no ingress: the answer for any but the egress, so a hairpin is --in's
    anyin = cli_lookup(None, dst)
    res.check(anyin["reason"] == prog or anyin.get("verdict") == "undecided"
              or prog == "hairpin-redirect",
              f"lookup {dst} ({desc}): the program's reason or undecided",
              f"CLI {anyin['reason']} {anyin.get('verdict')}, program {prog}")


if ROUTERCTL:
    plan_seen = set()
    for in_flags, out_flags, pkt, reason in PLAN_FIXTURES:
        dp.cmd("iface in0" + (f" plan {in_flags}" if in_flags else ""))
        dp.cmd("iface out1" + (f" plan {out_flags}" if out_flags else ""))
        compare_plan(f"plan in0 [{in_flags}] out1 [{out_flags}]", pkt)
        dp.cmd("iface in0")
        dp.cmd("iface out1")
    for rules, in_flags, pkt, reason, *_ in RULE_FIXTURES:
        fam = "v6" if IPv6 in pkt else "v4"
        dp.cmd(f"rules {fam} " + " ".join(rules))
        dp.cmd("iface in0" + (f" plan {in_flags}" if in_flags else ""))
        compare_plan(f"rules {fam} [{' '.join(rules[-2:])}] in0 "
                     f"[{in_flags}]", pkt)
        dp.cmd("iface in0")
        dp.cmd(f"rules {fam}")
    res.check(BY_PLAN | {"conntrack"} <= plan_seen,
              "lookup compared on every reason a plan gate gives",
              f"missing {sorted((BY_PLAN | {'conntrack'}) - plan_seen)}")

# ECMP: weights over 10,000 flows, and one flow always on one member.


def ecmp_spread(dst, members, weights, flows=10000):
    rnd = random.Random(7)
    seen = {m: 0 for m in members}
    for _ in range(flows):
        pkt = eth() / IP(src=f"198.51.{rnd.randrange(256)}.{rnd.randrange(256)}",
                         dst=dst) / UDP(sport=rnd.randrange(1024, 65535),
                                        dport=rnd.randrange(1, 65535))
        action, out = dp.run("in0", pkt)
        if action != FWD:
            res.check(False, f"ECMP {dst}: flow not forwarded")
            return
        seen[Ether(out).dst] = seen.get(Ether(out).dst, 0) + 1
    total = sum(weights)
    for m, w in zip(members, weights):
        want = flows * w / total
        res.check(abs(seen[m] - want) <= 0.10 * want,
                  f"ECMP {dst}: member {m} share",
                  f"{seen[m]} of {flows}, expected {want:.0f} ±10%")


ecmp_spread("10.5.0.1", M[:2], [1, 1])
ecmp_spread("10.6.0.1", M, [1, 2, 3, 4])

flow = v4("10.6.7.8") / UDP(sport=4242, dport=53)
first = Ether(dp.run("in0", flow)[1]).dst
res.check(all(Ether(dp.run("in0", flow)[1]).dst == first for _ in range(200)),
          "one flow always takes one member")

# Removing a member moves only that member's flows.
before = {}
rnd = random.Random(9)
flows = [v4("10.6.0.1") / UDP(sport=rnd.randrange(1024, 65535), dport=80)
         for _ in range(2000)]
for i, p in enumerate(flows):
    before[i] = Ether(dp.run("in0", p)[1]).dst
dp.cmd("group 200 61:1 62:2 64:4")
moved_wrongly = sum(1 for i, p in enumerate(flows)
                    if before[i] != M[2] and
                    Ether(dp.run("in0", p)[1]).dst != before[i])
res.check(moved_wrongly == 0, "removing a member keeps the others' flows",
          f"{moved_wrongly} flows of remaining members moved")

def check_refused(line, what):
    """line must get a clear out-of-range error, not be truncated."""
    try:
        dp.cmd(line)
        err = ""
    except RuntimeError as e:
        err = str(e)
    res.check("out of range" in err, f"{what}: refused clearly",
              err or "accepted")


# An interface's facts change by a new row of if_rows, never in place: the
# new MAC is the source of the next frame, through more changes than the
# interface has rows; a withdrawn ingress is unknown at once, and back when
# it is written again.
NEW_MAC = "02:00:00:00:0a:01"
ns.ip(f"link set out1 address {NEW_MAC}")
MAC["out1"] = NEW_MAC
for i in range(6):
    dp.cmd("iface out1")
    check_fixture(dp, f"egress MAC changed, update {i + 1}", "in0",
                  v4("10.1.2.3") / udp(), "forwarded",
                  lambda p: routed(p, "out1", GW1))
dp.cmd("iface-del in0")
check_fixture(dp, "ingress withdrawn", "in0", v4("10.1.2.3") / udp(),
              "ingress-unknown", None)
dp.cmd("iface in0")
check_fixture(dp, "ingress written again", "in0", v4("10.1.2.3") / udp(),
              "forwarded", lambda p: routed(p, "out1", GW1))

# The checksum check adds the header's 32-bit words (csum.h): headers of
# every kind of content are right or wrong as the 16-bit fold says.
rnd = random.Random(11)
for i in range(24):
    good = ipv4_fixed(eth() / IP(src="198.51.100.%d" % rnd.randrange(1, 255),
                                 dst="10.1.%d.%d" % (rnd.randrange(256),
                                                     rnd.randrange(1, 255)),
                                 id=rnd.randrange(65536),
                                 ttl=rnd.randrange(2, 256),
                                 tos=rnd.randrange(256)) / udp())
    flipped = bytearray(good)
    flipped[14 + rnd.choice((1, 4, 5, 8, 12, 16))] ^= 1 << rnd.randrange(8)
    check_fixture(dp, f"checksum sweep {i}: right header", "in0",
                  Ether(good), "forwarded", lambda p: routed(p, "out1", GW1))
    check_fixture(dp, f"checksum sweep {i}: one bit flipped", "in0",
                  bytes(flipped), "bad-ip-header", None)


def word_sum_pieces(frame):
    x = sum(int.from_bytes(frame[14 + i:18 + i], "little")
            for i in range(0, 20, 4))
    return (x & 0xffff) + ((x >> 16) & 0xffff) + (x >> 32)


# The rare right header whose 32-bit word sum has 16-bit pieces adding up
# to 2 * 0xffff, an edge of any shortcut on the fold (1 in ~25,000;
# this id was found by searching ids and TTLs).
rare = ipv4_fixed(eth() / IP(src="198.51.255.255", dst="10.1.255.254",
                             id=43194, ttl=64, tos=0xff) / udp())
res.check(word_sum_pieces(rare) == 2 * 0xffff,
          "the rare header's pieces add up to 2 * 0xffff")
check_fixture(dp, "right header, pieces adding to 2 * 0xffff", "in0",
              Ether(rare), "forwarded", lambda p: routed(p, "out1", GW1))

# A nexthop's row carries its egress interface's facts (xr_nh_row), so a
# change of the interface must reach every nexthop out of it: down, a
# smaller MTU, and out of the maps, where its slot goes to a new interface
# that the nexthop must never send to.
ns.ip("link set out1 down")
dp.cmd("iface out1")
check_fixture(dp, "egress down: its nexthop punts", "in0",
              v4("10.1.2.3") / udp(), "egress-not-xdp", None)
ns.ip("link set out1 up")
dp.cmd("iface out1")
check_fixture(dp, "egress up again", "in0", v4("10.1.2.3") / udp(),
              "forwarded", lambda p: routed(p, "out1", GW1))
ns.ip("link set out1 mtu 1000")
dp.cmd("iface out1")
check_fixture(dp, "egress MTU lowered: its nexthop sees it", "in0",
              v4("10.1.2.3") / UDP() / Raw(b"m" * 1100), "mtu-exceeded",
              None)
ns.ip("link set out1 mtu 1500")
dp.cmd("iface out1")
dp.cmd("iface-del out1")
check_fixture(dp, "egress out of the maps: its nexthop punts", "in0",
              v4("10.1.2.3") / udp(), "egress-not-xdp", None)
ns.ip("link add new0 type veth peer name new0p")
ns.ip("link set new0 up")
ns.ip("link set new0p up")
ns.run("ethtool -K new0p gro on")
dp.cmd("iface new0")  # takes the slot out1 left
check_fixture(dp, "a new interface in the old egress's slot: still a punt",
              "in0", v4("10.1.2.3") / udp(), "egress-not-xdp", None)
dp.cmd("iface out1")
check_fixture(dp, "old egress back: forwarded out of it", "in0",
              v4("10.1.2.3") / udp(), "forwarded",
              lambda p: routed(p, "out1", GW1))

# A nexthop likewise: its new MAC is the next frame's destination through
# more rewrites than it has rows; deleted, it is missing at once; an id
# beyond the array is refused.
for i, mac in enumerate(["02:00:00:00:0b:01", "02:00:00:00:0b:02",
                         "02:00:00:00:0b:03", GW1]):
    dp.cmd(f"nexthop 1 out1 via 192.0.2.1 mac {mac}")
    check_fixture(dp, f"nexthop MAC changed, update {i + 1}", "in0",
                  v4("10.1.2.3") / udp(), "forwarded",
                  lambda p, mac=mac: routed(p, "out1", mac))
dp.cmd("nexthop-del 1")
check_fixture(dp, "nexthop deleted", "in0", v4("10.1.2.3") / udp(),
              "nexthop-missing", None)
dp.cmd(f"nexthop 1 out1 via 192.0.2.1 mac {GW1}")
check_refused(f"nexthop 65536 out1 via 192.0.2.1 mac {GW1}", "nexthop id 65536")

# A group too: rewritten more often than it has rows, every flow still
# takes one of its current members; deleted, it is missing at once.
for members in ("51", "52", "51 52", "52"):
    dp.cmd(f"group 100 {members}")
    macs = {M[0] if m == "51" else M[1] for m in members.split()}
    seen = {Ether(dp.run("in0", v4("10.5.0.1") /
                           UDP(sport=1000 + i, dport=80))[1]).dst
            for i in range(32)}
    res.check(seen == macs, f"group 100 rewritten as {{{members}}}",
              f"members seen {sorted(seen)}, want {sorted(macs)}")
dp.cmd("group-del 100")
check_fixture(dp, "group deleted", "in0", v4("10.5.0.1") / udp(),
              "nexthop-missing", None)
dp.cmd("group 100 51 52")
check_refused("group 16384 51 52", "group id 16384")

# An ifindex beyond the fast path's array is refused, not truncated: its
# traffic stays with the kernel.
ns.ip("link add big0 index 70000 type veth peer name big0p")
check_refused("iface big0", "ifindex 70000")

# Load-time switches: a second instance without IPv6 and ECMP.
dp2 = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}-small", ns,
            extra=("--no-ipv6", "--no-ecmp", "--no-conntrack", "--fib", FIB))
dp2.script(f"""
load
iface in0
iface out1
nexthop 51 out1 via 192.0.2.51 mac {M[0]}
group 100 51
route 10.5.0.0/16 group 100
route 10.1.0.0/16 nexthop 51
route 2001:db8:1::/48 nexthop 51
""")
check_fixture(dp2, "IPv6 switched off", "in0", v6("2001:db8:1::5") / udp(),
              "feature-disabled", None)
check_fixture(dp2, "ECMP switched off", "in0", v4("10.5.0.1") / udp(),
              "feature-disabled", None)
check_fixture(dp2, "IPv4 nexthop with switches off", "in0",
              v4("10.1.0.1") / udp(), "forwarded",
              lambda p: routed(p, "out1", M[0]))
# Stateful acceleration off: where the plan asks for conntrack, the kernel.
dp2.cmd("iface in0 plan ipv4-conntrack-in")
check_fixture(dp2, "conntrack switched off", "in0", v4("10.1.0.1") / udp(),
              "feature-disabled", None)
dp2.cmd("iface in0")

# Maps pinned by a build of another layout (ABI 1's 20-byte ifaces): the
# load is refused, and says which map and what to do.
old = f"/sys/fs/bpf/{ns.name}-abi1"
sh(f"rm -rf {old}; mkdir -p {old}; bpftool map create {old}/ifaces type "
   "hash key 4 value 20 entries 1024 name ifaces")
p = subprocess.run([DPCTL, "--pin", old, "load"], capture_output=True,
                   text=True)
sh(f"rm -rf {old}")
res.check(p.returncode != 0 and f"{old}/ifaces was pinned by another "
          "version" in p.stderr and f"remove {old}" in p.stderr,
          "maps of another ABI: refused with a clear error", p.stderr)

res.finish()
