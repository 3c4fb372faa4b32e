#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The 'bgp-ecmp' lab (images/containerlab/bgp-ecmp), deployed from its
clab file by tests/lab/clab.py: r1 with two eBGP upstreams u1, u2 that
both announce h2's service prefix; r3 behind r1 with the client h1.

Checks, IPv4 and IPv6: every BGP session Established (BGP crosses the
punt path); r1's zebra holds both paths and its maps a group; every
router's maps follow zebra; h1 and h2 reach each other; a 32-flow stream
is forwarded >= 99% by XDP on r3 and r1 and on the upstreams together
(each upstream's own XDP share too), < 1% by the kernels, and r1 spreads
it over both upstreams; traceroute shows r3 r1 u1|u2. Then u1 loses its
link to h2 under the stream: u1 withdraws, r1 falls back to u2, the outage
stays within BGP's convergence (r1's FIB down to u2) plus 1 s, and from
the moment r1's maps follow no packet leaves r1 towards u1.

usage: test_lab_bgp_ecmp.py BUILD_DIR XR_DPCTL
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), os.path.join(HERE, "..", "lab")]
from labcheck import LabTest  # noqa: E402
from xrtest import wait_for  # noqa: E402

t = LabTest("bgp-ecmp", sys.argv[1], sys.argv[2])
ROUTERS = ["r3", "r1", "u1", "u2"]
SVC = {"v4": ("198.51.100.1", "198.51.100.0/24"),
       "v6": ("2001:db8:5100::1", "2001:db8:5100::/64")}
H1 = {"v4": "10.3.0.2", "v6": "2001:db8:3::2"}
SESSIONS = {"r3": 1, "r1": 3, "u1": 1, "u2": 1}  # per address family


def established(r):
    s = t[r].frr.json("show bgp summary json")
    return tuple(sum(1 for p in s.get(af, {}).get("peers", {}).values()
                     if p.get("state") == "Established")
                 for af in ("ipv4Unicast", "ipv6Unicast"))


t0 = time.monotonic()
for r in ROUTERS:
    want = (SESSIONS[r], SESSIONS[r])
    try:
        wait_for(lambda: established(r) == want, 40, 0.3,
                 what=f"{r}'s BGP sessions")
    except AssertionError:
        pass
    t.check(established(r) == want, f"{r}: {want[0]} IPv4 and {want[1]} IPv6 "
            "sessions Established", str(established(r)))
UPLINKS = {t.lab.link_between("r1", "u1"), t.lab.link_between("r1", "u2")}
for fam in ("v4", "v6"):
    try:
        wait_for(lambda: t.zebra_ifnames("r1", SVC[fam][1]) == UPLINKS, 30,
                 0.2, what=f"both paths to {SVC[fam][1]} on r1")
    except AssertionError:
        pass
    t.check(t.zebra_ifnames("r1", SVC[fam][1]) == UPLINKS,
            f"r1: zebra installs both paths to {SVC[fam][1]}",
            str(t.zebra_ifnames("r1", SVC[fam][1])))
    t.wait_ping("h1", SVC[fam][0], 30)
print(f"BGP converged, hosts reachable {time.monotonic() - t0:.1f}s after "
      "deploy", flush=True)
for fam in ("v4", "v6"):
    t.check(t.ping("h1", SVC[fam][0]), f"h1 reaches h2 ({fam})")
    t.check(t.ping("h2", H1[fam]), f"h2 reaches h1 ({fam})")
    t.check(t.maps_nexthop_ifname("r1", SVC[fam][0]).startswith("group"),
            f"r1's maps hold a group for {SVC[fam][1]}")
for r in ROUTERS:
    t.check_maps_follow_zebra(r)


def spread_stream(fam, count=6000, pps=3000):
    """The stream h1 -> h2 through r3, r1 and both upstreams."""
    dst = SVC[fam][0]
    before = t.snapshot(ROUTERS)
    tx0 = {i: t["r1"].if_counters(t.dpctl, i)["tx_forwarded"] for i in UPLINKS}
    got = t.stream("h1", "h2", dst, count, pps, flows=32)
    after = t.snapshot(ROUTERS)
    t.check(got["received"] == count, f"{fam}: all {count} received",
            str(got["received"]))
    xdp = {r: after[r][0]["forwarded"] - before[r][0]["forwarded"]
           for r in ROUTERS}
    kern = {r: after[r][1] - before[r][1] for r in ROUTERS}
    share = {i: t["r1"].if_counters(t.dpctl, i)["tx_forwarded"] - tx0[i]
             for i in UPLINKS}
    print(f"  {fam}: XDP forwarded {xdp}, kernel {kern}, r1 -> uplinks "
          f"{share}", flush=True)
    for r in ("r3", "r1"):
        t.check(xdp[r] >= 0.99 * count, f"{fam}: {r} >= 99% via XDP",
                f"{xdp[r]}/{count}")
    t.check(xdp["u1"] + xdp["u2"] >= 0.99 * count,
            f"{fam}: upstreams together >= 99% via XDP")
    for r in ROUTERS:
        t.check(kern[r] < 0.01 * count, f"{fam}: {r} kernel forwarded < 1%",
                str(kern[r]))
    for r, i in (("u1", t.lab.link_between("r1", "u1")),
                 ("u2", t.lab.link_between("r1", "u2"))):
        t.check(share[i] >= 0.2 * count, f"{fam}: r1 sends >= 20% to {r}",
                f"{share[i]}/{count}")
        # what each upstream received, it forwarded through XDP
        t.check(xdp[r] >= 0.99 * share[i], f"{fam}: {r} >= 99% via XDP",
                f"{xdp[r]}/{share[i]}")


for fam in ("v4", "v6"):
    spread_stream(fam)
    t.check_traceroute("h1", SVC[fam][0], ["r3", "r1", ("u1", "u2"), "h2"])

TO_U1 = t.lab.link_between("r1", "u1")
TO_U2 = t.lab.link_between("r1", "u2")
U1_TO_H2 = t.lab.link_between("u1", "h2")


def fail_u1(fam):
    dst, prefix = SVC[fam]
    r1 = t["r1"]
    f0 = r1.counters(t.dpctl)["forwarded"]
    wait_for(lambda: r1.counters(t.dpctl)["forwarded"] > f0 + 200, 10,
             0.02, what="the stream flowing through r1")
    t_fail = time.monotonic()
    t["u1"].ip(f"link set {U1_TO_H2} down")
    wait_for(lambda: t.zebra_ifnames("r1", prefix) == {TO_U2}, 15, 0.02,
             what=f"r1 to drop u1's path to {prefix}")
    t_conv = time.monotonic() - t_fail
    wait_for(lambda: t.maps_nexthop_ifname("r1", dst) == TO_U2, 5, 0.01,
             what="r1's maps to follow")
    t_maps = time.monotonic() - t_fail
    return t_conv, t_maps, r1.if_counters(t.dpctl, TO_U1)["tx_forwarded"]


for fam in ("v4", "v6"):
    dst = SVC[fam][0]
    count = 8000
    got = t.stream("h1", "h2", dst, count, 2000, flows=32,
                   during=lambda: fail_u1(fam))
    t_conv, t_maps, tx0 = got["during"]
    tx_after = t["r1"].if_counters(t.dpctl, TO_U1)["tx_forwarded"] - tx0
    outage = max([b - a for a, b, _ in got["holes"]], default=0.0)
    print(f"  {fam}: u1 loses h2: r1's FIB converged in {t_conv:.3f}s, its "
          f"maps in {t_maps:.3f}s, stream outage {outage:.3f}s "
          f"({count - got['received']} of {count} lost, "
          f"{got['lost_at_edges']} of them before or after a flow's "
          f"received packets), r1 -> u1 after "
          f"its maps moved: {tx_after}", flush=True)
    t.check(got["lost_at_edges"] == 0, f"{fam}: every loss is inside the "
            "outage", str(got["lost_at_edges"]))
    t.check(outage <= t_conv + 1.0, f"{fam}: outage within convergence + 1s",
            f"{outage:.3f}s > {t_conv:.3f}s + 1s")
    t.check(tx_after == 0, f"{fam}: no packet to the withdrawn path (u1) "
            "after r1's maps moved", str(tx_after))
    t.check_maps_follow_zebra("r1")
    t.check_fast_path("h1", "h2", dst, ["r3", "r1", "u2"])
    t["u1"].ip(f"link set {U1_TO_H2} up")
    wait_for(lambda: t.zebra_ifnames("r1", SVC[fam][1]) == UPLINKS, 30, 0.1,
             what="u1's path back on r1")
    wait_for(lambda: t.maps_nexthop_ifname("r1", dst).startswith("group"),
             5, 0.05, what="r1's group back in the maps")
    # u1 resolves h2 again (after the flap) before the next stream
    for a in ("10.0.101.2", "2001:db8:0:101::2"):
        t.wait_ping("u1", a, 10)
t.finish()
