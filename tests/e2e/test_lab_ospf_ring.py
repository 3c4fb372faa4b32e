#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The 'ospf-ring' lab (images/containerlab/ospf-ring), deployed from its
clab file by tests/lab/clab.py: four routers in a ring, OSPFv2 + OSPFv3,
h1 on r1, h3 on r3; h1 -> h3 goes r1-r2-r3 while the ring is whole.

Checks, IPv4 and IPv6: adjacencies Full (OSPF itself crosses the punt
path); the hosts reach each other; every router's maps follow zebra;
>= 99% of a stream is forwarded by XDP on r1, r2 and r3, < 1% by their
kernels; traceroute shows r1 r2 r3. Then, under a stream, link r2-r3
goes down: the stream's outage stays within OSPF's convergence (zebra's
FIB on r1 and r2 moved) plus 1 s, and from the moment r1's maps follow,
r1's XDP sends no packet towards the withdrawn path (r2). The stream then
crosses r1-r4-r3 via XDP, and traceroute shows it.

usage: test_lab_ospf_ring.py BUILD_DIR XR_DPCTL
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), os.path.join(HERE, "..", "lab")]
from labcheck import LabTest  # noqa: E402
from xrtest import wait_for  # noqa: E402

t = LabTest("ospf-ring", sys.argv[1], sys.argv[2])
R = ["r1", "r2", "r3", "r4"]
H3 = {"v4": ("10.3.3.2", "10.3.3.0/24"), "v6": ("2001:db8:3:3::2", "2001:db8:3:3::/64")}
H1 = {"v4": "10.1.1.2", "v6": "2001:db8:1:1::2"}


def full_adjacencies(r):
    """(OSPFv2 Full neighbours, OSPFv3 Full neighbours) of r."""
    frr = t[r].frr
    v2 = frr.json("show ip ospf neighbor json").get("neighbors", {})
    n2 = sum(1 for lst in v2.values() for nb in lst
             if str(nb.get("nbrState", nb.get("state", ""))).startswith("Full"))
    v3 = frr.json("show ipv6 ospf6 neighbor json").get("neighbors", [])
    n3 = sum(1 for nb in v3 if str(nb.get("state", "")).startswith("Full"))
    return n2, n3


t0 = time.monotonic()
for r in R:
    try:
        wait_for(lambda: full_adjacencies(r) == (2, 2), 40, 0.3,
                 what=f"{r}'s adjacencies")
    except AssertionError:
        pass
    t.check(full_adjacencies(r) == (2, 2),
            f"{r}: 2 OSPFv2 and 2 OSPFv3 adjacencies Full",
            str(full_adjacencies(r)))
for fam in ("v4", "v6"):
    t.wait_ping("h1", H3[fam][0], 30)
print(f"OSPF converged, hosts reachable {time.monotonic() - t0:.1f}s after "
      "deploy", flush=True)
for fam in ("v4", "v6"):
    t.check(t.ping("h1", H3[fam][0]), f"h1 reaches h3 ({fam})")
    t.check(t.ping("h3", H1[fam]), f"h3 reaches h1 ({fam})")
for r in R:
    t.check_maps_follow_zebra(r)
for fam in ("v4", "v6"):
    t.check_fast_path("h1", "h3", H3[fam][0], ["r1", "r2", "r3"])
    t.check_traceroute("h1", H3[fam][0], ["r1", "r2", "r3", "h3"])

R1_TO_R2 = t.lab.link_between("r1", "r2")
R1_TO_R4 = t.lab.link_between("r1", "r4")
R2_TO_R3 = t.lab.link_between("r2", "r3")


def lsas_settled(r):
    """Every router-LSA r holds is older than MinLSInterval (5 s): its
    routers may originate a new one at once. Right after the ring heals
    they may not, and OSPF then reconverges seconds late: FRR's timing,
    not the fast path's, so the failure waits for it."""
    v3 = t[r].frr.json("show ipv6 ospf6 database router json")
    ages = [lsa["age"] for area in v3.get("areaScopedLinkStateDb", [])
            for lsa in area.get("lsa", [])]
    v2 = t[r].frr.json("show ip ospf database router json")
    for lsas in v2.get("routerLinkStates", {}).get("areas", {}).values():
        ages += [lsa["lsaAge"] for lsa in lsas]
    return bool(ages) and min(ages) >= 5


def fail_link(fam):
    """Under a stream h1 -> h3: r2-r3 down. Returns (convergence,
    maps-follow, tx towards r2 from then on), times from the failure."""
    dst, prefix = H3[fam]
    r1 = t["r1"]
    f0 = r1.counters(t.dpctl)["forwarded"]
    wait_for(lambda: r1.counters(t.dpctl)["forwarded"] > f0 + 200, 10,
             0.02, what="the stream flowing through r1")
    t_fail = time.monotonic()
    t["r2"].ip(f"link set {R2_TO_R3} down")

    def converged():
        return (t.zebra_ifnames("r1", prefix) == {R1_TO_R4} and
                R2_TO_R3 not in t.zebra_ifnames("r2", prefix))
    wait_for(converged, 15, 0.02, what=f"OSPF to route {prefix} around")
    t_conv = time.monotonic() - t_fail
    wait_for(lambda: t.maps_nexthop_ifname("r1", dst) == R1_TO_R4, 5, 0.01,
             what="r1's maps to follow")
    t_maps = time.monotonic() - t_fail
    tx0 = r1.if_counters(t.dpctl, R1_TO_R2)["tx_forwarded"]
    return t_fail, t_conv, t_maps, tx0


for fam in ("v4", "v6"):
    dst = H3[fam][0]
    count, pps = 8000, 2000
    wait_for(lambda: lsas_settled("r2") and lsas_settled("r3"), 20, 0.2,
             what="OSPF's router-LSAs to age past MinLSInterval")
    got = t.stream("h1", "h3", dst, count, pps, flows=4,
                   during=lambda: fail_link(fam))
    t_fail, t_conv, t_maps, tx0 = got["during"]
    tx_after = t["r1"].if_counters(t.dpctl, R1_TO_R2)["tx_forwarded"] - tx0
    outage = max([b - a for a, b, _ in got["holes"]], default=0.0)
    lost = count - got["received"]
    print(f"  {fam}: link r2-r3 down: zebra converged in {t_conv:.3f}s, "
          f"r1's maps in {t_maps:.3f}s, stream outage {outage:.3f}s "
          f"({lost} of {count} lost, "
          f"{got['lost_at_edges']} of them before or after a flow's "
          f"received packets), r1 -> r2 after its maps moved: "
          f"{tx_after}", flush=True)
    t.check(got["received"] > 0.5 * count, f"{fam}: stream survives the "
            "failure", f"{got['received']}/{count}")
    t.check(got["lost_at_edges"] == 0, f"{fam}: every loss is inside the "
            "outage", str(got["lost_at_edges"]))
    t.check(outage <= t_conv + 1.0, f"{fam}: outage within convergence + 1s",
            f"{outage:.3f}s > {t_conv:.3f}s + 1s")
    t.check(tx_after == 0, f"{fam}: no packet to the withdrawn path after "
            "r1's maps moved", str(tx_after))
    for r in R:
        t.check_maps_follow_zebra(r)
    t.check_fast_path("h1", "h3", dst, ["r1", "r4", "r3"])
    t.check_traceroute("h1", dst, ["r1", "r4", "r3", "h3"])
    # heal the ring for the next family
    t["r2"].ip(f"link set {R2_TO_R3} up")
    wait_for(lambda: t.zebra_ifnames("r1", H3[fam][1]) == {R1_TO_R2}
             and full_adjacencies("r2") == (2, 2), 30, 0.1,
             what="the ring to heal")
    wait_for(lambda: t.maps_nexthop_ifname("r1", dst) == R1_TO_R2, 5, 0.05,
             what="r1's maps back on r2")
t.finish()
