#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The 'edge' lab (images/containerlab/edge, the README demo), deployed
from its clab file by tests/lab/clab.py:

  host -- router [FRR static + xdp-routerd, stateful firewall] -- upstream

The router ships with strict uRPF and the stateful ruleset of
router/nftables.conf: the LAN opens flows to the upstream, the upstream
only answers. Checks, IPv4 and IPv6: the host reaches the upstream; the
router's maps follow zebra's FIB; a UDP flow LAN -> WAN, echoed, crosses
the router through XDP both ways once conntrack has assured it (>= 99%,
the kernel forwarding < 1%); a TCP transfer LAN -> WAN crosses it through
XDP after its handshake; the upstream's unsolicited pings and streams to
the host are dropped by the kernel's policy (its counter takes all of
them, XDP punts all of them as conntrack-miss), and again the same with
XDP detached; traceroute shows the router hop (TTL expiry punted to the
kernel).

usage: test_lab_edge.py BUILD_DIR XR_DPCTL
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), os.path.join(HERE, "..", "lab")]
from labcheck import LabTest  # noqa: E402
from xrtest import wait_for  # noqa: E402

WAN = ("203.0.113.1", "2001:db8:ffff::1")
LAN = ("198.18.10.1", "2001:db8:10:a::1")
t = LabTest("edge", sys.argv[1], sys.argv[2])
router = t["router"]
for dst in WAN:
    t.wait_ping("host", dst)
    t.check(t.ping("host", dst), f"host reaches the upstream's {dst}")
t.check(router.run("sysctl -n net.ipv4.conf.eth2.rp_filter").strip() == "1",
        "the router runs strict uRPF (rp_filter=1)")
t.check("policy drop;" in router.run("nft list ruleset"),
        "the router runs the lab's stateful ruleset")
t.check_maps_follow_zebra("router")
for dst in WAN:
    t.check_stateful_fast_path("host", "upstream", dst, ["router"])
    t.check_tcp_fast_path("host", "upstream", dst, ["router"])


def unsolicited(what, xdp_on):
    for dst in LAN:
        t.check(not t.ping("upstream", dst, 2),
                f"upstream's unsolicited ping to {dst} dropped ({what})")
        t.check_dropped("upstream", "host", dst, ["router"], what,
                        "policy drop", xdp_on)


unsolicited("with XDP", True)
for dst in WAN:
    t.check_traceroute("host", dst, ["router", "upstream"])

# The same router without XDP: the kernel's policy drops the same.
router.routerd.kill()
for ifn in ("eth1", "eth2"):
    router.ip(f"link set dev {ifn} xdp off")
wait_for(lambda: "xdp" not in router.ip("-d link show eth1") and
         "xdp" not in router.ip("-d link show eth2"), 5, what="XDP detached")
unsolicited("XDP detached", False)
t.check(t.ping("host", WAN[0]), "host still reaches the upstream (XDP "
        "detached)")
t.finish()
