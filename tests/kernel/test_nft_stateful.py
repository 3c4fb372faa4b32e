#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The stateful ruleset analysis (dataplane/kernel/nft_stateful.c) over real
rulesets: each is loaded with `nft -f` into a namespace of its own, dumped
with libnftnl by xr-nftcheck, and every base chain's verdict (certain or
not that an established, unNATed packet is accepted with no side effect
but counters) compared with the one expected, for IPv4 and IPv6 packets.

The rulesets: the issue's edge firewall and its variants, the shapes
firewalld and VyOS generate, and Debian's /usr/share/doc/nftables/examples.

usage: test_nft_stateful.py XR_NFTCHECK
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Netns, Results, sh, unique  # noqa: E402

NFTCHECK = sys.argv[1]
ns = Netns(unique("xrnft"))
res = Results()
EXAMPLES = "/usr/share/doc/nftables/examples"

EDGE = """
table inet filter {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ct state invalid drop
    iifname "lan*" oifname "wan*" accept
  }
}
"""


def chain(body, policy="drop", hook="forward", ctype="filter", fam="inet"):
    return (f"table {fam} t {{ chain c {{ type {ctype} hook {hook} "
            f"priority 0; policy {policy};\n{body}\n}}\n}}")


# (description, ruleset, {"family table chain": verdict}, family "4"/"6")
# verdict: True = certain, or the start of the reason it is not.
CASES = [
    ("the issue's edge firewall", EDGE, {"inet filter forward": True}),
    ("established alone", chain("ct state established accept"),
     {"inet t c": True}),
    ("established as a set (firewalld's shape)",
     chain("ct state { established, related } accept"), {"inet t c": True}),
    ("set without established", chain("ct state { related, new } accept"),
     {"inet t c": "policy drop"}),
    ("ct state == established", chain("ct state == established accept"),
     {"inet t c": True}),
    ("ct state vmap", chain("ct state vmap { established : accept, "
                            "invalid : drop }"), {"inet t c": True}),
    ("ct state vmap dropping established",
     chain("ct state vmap { established : drop, new : accept }"),
     {"inet t c": "rule 1: verdict 0"}),
    ("ct state vmap without established, policy accept",
     chain("ct state vmap { invalid : drop }", policy="accept"),
     {"inet t c": True}),
    ("invalid and new rules before", chain(
        "ct state invalid drop\nct state new log prefix \"new \" drop\n"
        "ct state established,related counter accept"), {"inet t c": True}),
    ("counter first", chain("counter\nct state established accept"),
     {"inet t c": True}),
    ("log first", chain("log prefix \"fw \"\nct state established accept"),
     {"inet t c": "rule 1: log"}),
    ("meta mark set first", chain("meta mark set 1\n"
                                  "ct state established accept"),
     {"inet t c": "rule 1: meta set"}),
    ("ct mark set first", chain("ct mark set 7\nct state established accept"),
     {"inet t c": "rule 1: ct set"}),
    ("mangle first", chain("ip dscp set cs1\nct state established accept"),
     {"inet t c": "rule 1: payload set"}),
    ("MSS clamp first", chain("tcp flags syn tcp option maxseg size set "
                              "1360\nct state established accept"),
     {"inet t c": "rule 1: exthdr set"}),
    ("limit first", chain("limit rate 10/second\n"
                          "ct state established accept"),
     {"inet t c": "rule 1: limit"}),
    ("drop of some hosts first", chain(
        "ip saddr 192.0.2.0/24 drop\nct state established accept"),
     {"inet t c": "rule 1: verdict 0"}),
    ("accept of some hosts first", chain(
        "iifname \"lo\" accept\nip saddr 192.0.2.1 accept\n"
        "ct state established accept"), {"inet t c": True}),
    ("established only from one interface, policy drop", chain(
        "iifname \"lan0\" ct state established accept"),
     {"inet t c": "policy drop"}),
    ("established only from one interface, policy accept", chain(
        "iifname \"lan0\" ct state established accept", policy="accept"),
     {"inet t c": True}),
    ("no rules, policy accept", chain("", policy="accept"),
     {"inet t c": True}),
    ("no rules, policy drop", chain(""), {"inet t c": "policy drop"}),
    ("reject before", chain("tcp dport 23 reject\n"
                            "ct state established accept"),
     {"inet t c": "rule 1: reject"}),
    ("meta nfproto: IPv6 drop, IPv4 packet", chain(
        "meta nfproto ipv6 drop\nct state established accept"),
     {"inet t c": True}, "4"),
    ("meta nfproto: IPv6 drop, IPv6 packet", chain(
        "meta nfproto ipv6 drop\nct state established accept"),
     {"inet t c": "rule 1: verdict 0"}, "6"),
    ("nat chain: established packets never see it",
     "table ip nat {\n chain post {\n type nat hook postrouting priority "
     "100;\n oifname \"wan0\" masquerade\n }\n}", {"ip nat post": True}),
    ("notrack in raw", chain("udp dport 53 notrack", hook="prerouting",
                             policy="accept"),
     {"inet t c": "rule 1: notrack"}),
    ("VyOS: state policy in a jumped chain", """
table ip vyos_filter {
  chain VYOS_FORWARD_filter {
    type filter hook forward priority filter; policy accept;
    counter jump VYOS_STATE_POLICY
    iifname "eth1" counter jump NAME_LAN-WAN
    counter return
  }
  chain VYOS_STATE_POLICY {
    ct state established counter accept
    ct state invalid counter drop
    ct state related counter accept
    return
  }
  chain NAME_LAN-WAN {
    tcp dport 22 counter drop
    counter return
  }
}""", {"ip vyos_filter VYOS_FORWARD_filter": True}),
    ("VyOS: zone jump before the state policy", """
table ip vyos_filter {
  chain VYOS_FORWARD_filter {
    type filter hook forward priority filter; policy accept;
    iifname "eth1" counter jump NAME_LAN-WAN
    counter jump VYOS_STATE_POLICY
  }
  chain VYOS_STATE_POLICY {
    ct state established counter accept
    return
  }
  chain NAME_LAN-WAN {
    tcp dport 22 counter drop
    counter return
  }
}""", {"ip vyos_filter VYOS_FORWARD_filter": "rule 1: verdict 0"}),
    ("VyOS: conntrack table, empty ignore/timeout chains", """
table ip vyos_conntrack {
  chain VYOS_CT_IGNORE {
    return
  }
  chain VYOS_CT_TIMEOUT {
    return
  }
  chain FW_CONNTRACK {
    accept
  }
  chain PREROUTING {
    type filter hook prerouting priority -300; policy accept;
    counter jump VYOS_CT_IGNORE
    counter jump VYOS_CT_TIMEOUT
    counter jump FW_CONNTRACK
    notrack
    return
  }
}""", {"ip vyos_conntrack PREROUTING": True}),
    ("firewalld", """
table inet firewalld {
  chain mangle_PREROUTING {
    type filter hook prerouting priority mangle + 10; policy accept;
    jump mangle_PREROUTING_POLICIES
  }
  chain mangle_PREROUTING_POLICIES {
    iifname "eth0" jump mangle_PRE_public
    return
  }
  chain mangle_PRE_public {
    jump mangle_PRE_public_pre
    jump mangle_PRE_public_allow
  }
  chain mangle_PRE_public_pre {
  }
  chain mangle_PRE_public_allow {
  }
  chain nat_PREROUTING {
    type nat hook prerouting priority dstnat + 10; policy accept;
  }
  chain nat_POSTROUTING {
    type nat hook postrouting priority srcnat + 10; policy accept;
    oifname "eth0" masquerade
  }
  chain filter_PREROUTING {
    type filter hook prerouting priority filter + 10; policy accept;
    icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept
    meta nfproto ipv6 fib saddr . mark . iif oif missing drop
  }
  chain filter_FORWARD {
    type filter hook forward priority filter + 10; policy accept;
    ct state { established, related } accept
    ct status dnat accept
    iifname "lo" accept
    ct state invalid drop
    reject with icmpx admin-prohibited
  }
}""", {"inet firewalld mangle_PREROUTING": True,
       "inet firewalld nat_PREROUTING": True,
       "inet firewalld nat_POSTROUTING": True,
       "inet firewalld filter_PREROUTING": True,
       "inet firewalld filter_FORWARD": True}, "4"),
    ("firewalld, IPv6: the rpfilter may drop", "same",
     {"inet firewalld filter_PREROUTING": "rule 2: verdict 0",
      "inet firewalld filter_FORWARD": True}, "6"),
    ("Debian inet-filter.nft", f"include \"{EXAMPLES}/inet-filter.nft\"",
     {"inet filter forward": True, "inet filter input": True}),
    ("Debian workstation.nft", f"include \"{EXAMPLES}/workstation.nft\"",
     {"inet filter input": True}),
    ("Debian ipv4-nat.nft", f"include \"{EXAMPLES}/ipv4-nat.nft\"",
     {"ip nat prerouting": True, "ip nat postrouting": True}),
    ("Debian netdev-ingress.nft", f"include \"{EXAMPLES}/netdev-ingress.nft\"",
     {"netdev filter loinput": True}),
]


def load(text):
    sh(f"nsenter --net=/run/netns/{ns.name} nft flush ruleset")
    with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as f:
        f.write(text + "\n")
    try:
        sh(f"nsenter --net=/run/netns/{ns.name} nft -f {f.name}")
    finally:
        os.unlink(f.name)


def verdicts(fam):
    out = sh(f"nsenter --net=/run/netns/{ns.name} {NFTCHECK} {fam}")
    got = {}
    for line in out.splitlines():
        f = line.split(" ", 3)
        got[" ".join(f[:3])] = (True if f[3] == "certain"
                                else f[3].removeprefix("uncertain: "))
    return got


last = None
for case in CASES:
    desc, text, want = case[:3]
    fam = case[3] if len(case) > 3 else "4"
    if text != "same":
        load(text)
        last = text
    got = verdicts(fam)
    for ch, v in want.items():
        g = got.get(ch)
        ok = g is True if v is True else (isinstance(g, str) and
                                          g.startswith(v))
        res.check(ok, f"{desc}: {ch} (IPv{fam})",
                  f"got {g!r}, expected {v!r}")

res.finish()
