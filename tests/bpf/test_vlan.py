#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""802.1Q sub-interfaces in the XDP program (bpf/vlan.h), packet by packet.

This kernel may have no 8021q module, so veths stand in for the
sub-interfaces: their rows are written with `iface NAME vlan PARENT:VID`
(the row's tag, its tx_ports entry the parent, vlan_rx (parent, VID) ->
it), as the daemon writes a real VLAN's. A tagged frame arriving on the
trunk is routed as arriving on its sub-interface (its MAC, plan, rules,
uRPF and counters); a frame leaving through one has the tag pushed or
rewritten (VID, priority 0), and a tagged frame leaving untagged has it
popped. Forwarded frames are compared byte for byte with scapy's; every
punt comes out unchanged with exactly its reason counted.

usage: test_vlan.py XR_DPCTL [lpm|dir24] [XDP_ROUTERCTL]
(with xdp-routerctl: its interfaces show the sub-interfaces' VIDs, and its
lookup from a sub-interface agrees with the program)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import XDP_PASS, XDP_REDIRECT, Dpctl, Netns, Results, \
    unique  # noqa: E402

from scapy.all import (ARP, IP, UDP, Dot1AD, Dot1Q, Ether, IPv6,  # noqa: E402
                       Raw)

DPCTL = sys.argv[1]
FIB = sys.argv[2] if len(sys.argv) > 2 else "dir24"
ROUTERCTL = sys.argv[3] if len(sys.argv) > 3 else None
ns = Netns(unique("xrvlan"))
res = Results()

# trunk carries VLANs 10 and 20; vl10/vl20 stand in for trunk.10/trunk.20;
# in0 and out1 are untagged ports. GRO on the peers: XDP frames accepted.
for name in ("trunk", "in0", "out1", "vl10", "vl20"):
    ns.ip(f"link add {name} type veth peer name {name}p")
    ns.ip(f"link set {name} up")
    ns.ip(f"link set {name}p up")
    ns.run(f"ethtool -K {name}p gro on")


def mac_of(ifname):
    return ns.ip(f"-br link show {ifname}").split()[2]


# A vlan device takes its parent's MAC unless given one: vl10 does, vl20
# has its own, so a frame for trunk's MAC tagged 20 is not ours.
ns.ip(f"link set vl10 address {mac_of('trunk')}")
ns.ip("link set vl20 address 02:00:00:00:20:20")
MAC = {n: mac_of(n) for n in ("trunk", "in0", "out1", "vl10", "vl20")}
GW1, GW20, H10 = "02:00:00:00:01:01", "02:00:00:00:20:01", "02:00:00:00:10:07"
HOST = "02:00:00:00:00:aa"

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns, extra=("--fib", FIB))
VLAN_MAPS = f"""
iface trunk
iface in0
iface out1
iface vl10 vlan trunk:10
iface vl20 vlan trunk:20
nexthop 1 out1 via 192.0.2.1 mac {GW1}
nexthop 11 out1 via fe80::1 mac {GW1}
nexthop 20 vl20 via 192.0.2.20 mac {GW20}
nexthop 21 vl20 via fe80::20 mac {GW20}
route 10.1.0.0/16 nexthop 1
route 2001:db8:1::/48 nexthop 11
route 10.20.0.0/16 nexthop 20
route 2001:db8:20::/48 nexthop 21
route 10.10.0.0/24 connected vl10
neigh vl10 10.10.0.7 {H10}
route 198.51.100.0/24 connected vl10
route 198.51.101.0/24 nexthop 1
"""
dp.script("load\n" + VLAN_MAPS)


def tagged(vid, dst, sub="vl10", prio=0, **ip):
    """A frame for sub-interface sub's MAC, tagged vid, from 198.51.100.10."""
    ipl = IPv6(src="2001:db8:ff::10", dst=dst, **ip) if ":" in dst else \
        IP(src="198.51.100.10", dst=dst, **ip)
    return Ether(src=HOST, dst=MAC[sub]) / Dot1Q(vlan=vid, prio=prio) / ipl / \
        UDP(sport=1234, dport=5678) / Raw(b"x" * 18)


def untagged(dst, port="in0"):
    return Ether(src=HOST, dst=MAC[port]) / IP(src="198.51.100.10", dst=dst) / \
        UDP(sport=1234, dport=5678) / Raw(b"x" * 18)


def routed(pkt, egress, dmac, vid=None):
    """What the kernel makes of pkt leaving through egress: new MACs,
    TTL/hop limit - 1, and egress's tag (VID, priority 0) or none."""
    ip = (pkt[IP] if IP in pkt else pkt[IPv6]).copy()
    if IP in pkt:
        ip.ttl -= 1
        del ip.chksum
    else:
        ip.hlim -= 1
    l2 = Ether(src=MAC[egress], dst=dmac)
    if vid is not None:
        l2 = l2 / Dot1Q(vlan=vid)
    return bytes(l2 / ip)


def check(desc, ifname, pkt, reason, expect=None):
    raw = bytes(pkt)
    dp.cmd("clear")
    action, out = dp.run(ifname, raw)
    want = XDP_REDIRECT if reason == "forwarded" else XDP_PASS
    res.check(action == want, desc, f"action {action}, expected {want}")
    if expect:
        exp = expect(pkt)
        res.check(out == exp, desc + ": bytes",
                  f"\n got  {out[:64].hex()}\n want {exp[:64].hex()}")
    elif want == XDP_PASS:
        res.check(out == raw, desc + ": punted frame unchanged")
    moved = {k: v for k, v in dp.counters().items() if v[0]}
    res.check(moved == {reason: (1, len(raw))}, desc + ": counters",
              f"moved {moved}, expected {{{reason!r}: (1, {len(raw)})}}")
    return out


def if_counters(ifname):
    words = dp.cmd(f"if-counters {ifname}").split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


FWD = "forwarded"
# (description, ingress port, packet, reason, expected output or None)
FIXTURES = [
    ("tagged -> tagged, VID 10 rewritten to 20", "trunk",
     tagged(10, "10.20.0.5"), FWD, lambda p: routed(p, "vl20", GW20, 20)),
    ("tagged -> tagged, priority 5 leaves as 0", "trunk",
     tagged(10, "10.20.0.5", prio=5), FWD,
     lambda p: routed(p, "vl20", GW20, 20)),
    ("v6 tagged -> tagged", "trunk", tagged(10, "2001:db8:20::5"), FWD,
     lambda p: routed(p, "vl20", GW20, 20)),
    ("untagged -> tagged, tag pushed", "in0", untagged("10.20.0.5"), FWD,
     lambda p: routed(p, "vl20", GW20, 20)),
    ("tagged -> untagged, tag popped", "trunk", tagged(10, "10.1.2.3"), FWD,
     lambda p: routed(p, "out1", GW1)),
    ("v6 tagged -> untagged", "trunk", tagged(10, "2001:db8:1::5"), FWD,
     lambda p: routed(p, "out1", GW1)),
    ("tagged -> connected neighbour of another VLAN", "trunk",
     tagged(20, "10.10.0.7", sub="vl20"), FWD,
     lambda p: routed(p, "vl10", H10, 10)),
    ("untagged on the trunk is the trunk's own", "trunk",
     untagged("10.20.0.5", port="trunk"), FWD,
     lambda p: routed(p, "vl20", GW20, 20)),
    ("unknown VID", "trunk", tagged(99, "10.20.0.5"), "vlan-unknown", None),
    ("a known VID on a port that is not its parent", "in0",
     Ether(src=HOST, dst=MAC["in0"]) / Dot1Q(vlan=10) /
     IP(src="198.51.100.10", dst="10.20.0.5") / UDP(), "vlan-unknown", None),
    ("QinQ: 802.1ad outer tag", "trunk",
     Ether(src=HOST, dst=MAC["vl10"]) / Dot1AD(vlan=10) / Dot1Q(vlan=10) /
     IP(src="198.51.100.10", dst="10.20.0.5") / UDP(), "vlan-stacked", None),
    ("QinQ: two 802.1Q tags", "trunk",
     Ether(src=HOST, dst=MAC["vl10"]) / Dot1Q(vlan=10) / Dot1Q(vlan=20) /
     IP(src="198.51.100.10", dst="10.20.0.5") / UDP(), "vlan-stacked", None),
    ("priority-tagged (VID 0)", "trunk", tagged(0, "10.20.0.5", prio=3),
     "vlan-priority-tagged", None),
    ("tag cut short", "trunk", bytes(tagged(10, "10.20.0.5"))[:16],
     "vlan-unusual", None),
    ("tagged ARP", "trunk", Ether(src=HOST, dst="ff:ff:ff:ff:ff:ff") /
     Dot1Q(vlan=10) / ARP(pdst="10.10.0.1"), "arp", None),
    ("tagged, not IP", "trunk", Ether(src=HOST, dst=MAC["vl10"]) /
     Dot1Q(vlan=10, type=0x88b5) / Raw(b"q" * 46), "not-ip", None),
    ("tagged 20 for the trunk's MAC: vl20 has its own", "trunk",
     tagged(20, "10.1.2.3", sub="vl10"), "not-our-mac", None),
    ("tagged multicast", "trunk", Ether(src=HOST, dst="01:00:5e:00:00:05") /
     Dot1Q(vlan=10) / IP(src="198.51.100.10", dst="224.0.0.5") / UDP(),
     "multicast-broadcast-linklocal", None),
    ("tagged TTL 1", "trunk", tagged(10, "10.20.0.5", ttl=1), "ttl-expired",
     None),
]
for desc, ifname, pkt, reason, expect in FIXTURES:
    check(desc, ifname, pkt, reason, expect)

# The tagged path's own reasons each have a fixture above.
VLAN_REASONS = {"vlan-unknown", "vlan-stacked", "vlan-priority-tagged",
                "vlan-unusual"}
res.check(VLAN_REASONS <= {f[3] for f in FIXTURES},
          "every VLAN reason has a fixture")
res.check(VLAN_REASONS <= set(dp.counters()), "the VLAN reasons are counted")

# Counters by the sub-interfaces' slots, not the trunk's.
check("counted on the sub-interfaces", "trunk", tagged(10, "10.20.0.5"), FWD,
      lambda p: routed(p, "vl20", GW20, 20))
c10, c20, ct = if_counters("vl10"), if_counters("vl20"), if_counters("trunk")
res.check(c10["rx_forwarded"] == 1 and c20["tx_forwarded"] == 1 and
          ct["rx_forwarded"] == 0 and ct["tx_forwarded"] == 0,
          "rx on vl10, tx on vl20, nothing on the trunk",
          f"vl10 {c10} vl20 {c20} trunk {ct}")

# The frame is routed as arriving on the sub-interface: its plan, its ip
# rules (iif), its uRPF. (ingress row, ingress flags, rules, packet, reason)
PLAN = [
    ("vl10", "ipv4-forwarding-off", None, tagged(10, "10.20.0.5"),
     "forwarding-disabled"),
    ("trunk", "ipv4-forwarding-off", None, tagged(10, "10.20.0.5"), FWD),
    ("vl10", "ipv4-punt-in", None, tagged(10, "10.20.0.5"), "ingress-policy"),
    ("vl20", "ipv4-punt-out", None, tagged(10, "10.20.0.5"), "egress-policy"),
    ("vl10", "ipv4-rule-check", "iif=vl10,punt", tagged(10, "10.20.0.5"),
     "ip-rule"),
    ("vl10", "ipv4-rule-check", "iif=trunk,punt", tagged(10, "10.20.0.5"),
     FWD),
    # strict uRPF: 198.51.100.0/24 is connected on vl10, 198.51.101.0/24
    # is back through out1
    ("vl10", "rp-filter-strict", None, tagged(10, "10.20.0.5"), FWD),
    ("vl10", "rp-filter-strict", None,
     Ether(src=HOST, dst=MAC["vl10"]) / Dot1Q(vlan=10) /
     IP(src="198.51.101.10", dst="10.20.0.5") / UDP(), "rp-filter"),
    ("vl20", "rp-filter-strict", None,
     Ether(src=HOST, dst=MAC["vl20"]) / Dot1Q(vlan=20) /
     IP(src="198.51.100.10", dst="10.1.2.3") / UDP(), "rp-filter"),
    # a hairpin is the same sub-interface in and out, not the same port
    ("vl20", "ipv4-send-redirects", None, tagged(10, "10.20.0.5"), FWD),
    ("vl10", "ipv4-send-redirects", None,
     tagged(10, "10.10.0.7"), "hairpin-redirect"),
]
for row, flags, rule, pkt, reason in PLAN:
    vid = {"vl10": " vlan trunk:10", "vl20": " vlan trunk:20"}.get(row, "")
    desc = f"{row} [{flags}]" + (f" rule {rule}" if rule else "")
    dp.cmd(f"iface {row} plan {flags}{vid}")
    if rule:
        dp.cmd(f"rules v4 {rule}")
    check(desc, "trunk", pkt, reason,
          (lambda p: routed(p, "vl20", GW20, 20)) if reason == FWD else None)
    dp.cmd(f"iface {row}{vid}")
    dp.cmd("rules v4")

if ROUTERCTL:
    def cli(*args):
        out = subprocess.run(ns.nsenter() + [ROUTERCTL, "-j", "-p",
                                             dp.pin_dir, *args],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    ifs = cli("interfaces")
    res.check(ifs["vl10"].get("vlanId") == 10 and
              ifs["vl20"].get("vlanId") == 20 and
              "vlanId" not in ifs["trunk"],
              "xdp-routerctl interfaces: the sub-interfaces' VIDs",
              json.dumps({k: v.get("vlanId") for k, v in ifs.items()}))
    fp = cli("lookup", "10.20.0.5", "--in", "vl10")["fastPath"]
    macs = {(p.get("srcMac"), p.get("dstMac")) for p in fp["paths"]}
    res.check(fp["reason"] == FWD and (MAC["vl20"], GW20) in macs,
              "xdp-routerctl lookup --in vl10: forwarded out of vl20",
              json.dumps(fp))

# A VLAN withdrawn from vlan_rx: its tag is unknown at once, and routed
# again when written back.
dp.cmd("vlan-del trunk 10")
check("VLAN withdrawn", "trunk", tagged(10, "10.20.0.5"), "vlan-unknown")
dp.cmd("iface vl10 vlan trunk:10")
check("VLAN written again", "trunk", tagged(10, "10.20.0.5"), FWD,
      lambda p: routed(p, "vl20", GW20, 20))

# Load-time switch off (--no-vlan): tagged frames punt as feature-disabled,
# untagged ones are forwarded as before, and the verifier leaves no VLAN
# code in the program.
dp2 = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}-novlan", ns,
            extra=("--no-vlan", "--fib", FIB))
dp2.script("load\n" + VLAN_MAPS.replace(" vlan trunk:20", "")
           .replace(" vlan trunk:10", ""))
for desc, pkt, reason in [
        ("VLAN off: tagged", tagged(10, "10.1.2.3"), "feature-disabled"),
        ("VLAN off: 802.1ad", Ether(src=HOST, dst=MAC["vl10"]) /
         Dot1AD(vlan=10) / IP(dst="10.1.2.3"), "feature-disabled")]:
    dp2.cmd("clear")
    action, out = dp2.run("trunk", pkt)
    moved = [k for k, v in dp2.counters().items() if v[0]]
    res.check(action == XDP_PASS and moved == [reason], desc,
              f"action {action}, moved {moved}")
dp2.cmd("clear")
action, out = dp2.run("in0", untagged("10.1.2.3"))
res.check(action == XDP_REDIRECT and
          out == routed(untagged("10.1.2.3"), "out1", GW1),
          "VLAN off: untagged forwarded")

res.finish()
