#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The 'edge' lab (images/containerlab/edge, the README demo), deployed
from its clab file by tests/lab/clab.py:

  host -- router [FRR static + xdp-routerd] -- upstream

Checks, IPv4 and IPv6: the hosts reach each other both ways; the router's
maps follow zebra's FIB; >= 99% of a stream crosses the router through
XDP while the kernel forwards < 1%; traceroute shows the router hop
(TTL expiry punted to the kernel).

usage: test_lab_edge.py BUILD_DIR XR_DPCTL
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), os.path.join(HERE, "..", "lab")]
from labcheck import LabTest  # noqa: E402

t = LabTest("edge", sys.argv[1], sys.argv[2])
for dst in ("203.0.113.1", "2001:db8:ffff::1"):
    t.wait_ping("host", dst)
    t.check(t.ping("host", dst), f"host reaches the upstream's {dst}")
for dst in ("198.18.10.1", "2001:db8:10:a::1"):
    t.check(t.ping("upstream", dst), f"upstream reaches host's {dst}")
t.check_maps_follow_zebra("router")
for dst in ("203.0.113.1", "2001:db8:ffff::1"):
    t.check_fast_path("host", "upstream", dst, ["router"])
for dst in ("198.18.10.1", "2001:db8:10:a::1"):
    t.check_fast_path("upstream", "host", dst, ["router"])
for dst in ("203.0.113.1", "2001:db8:ffff::1"):
    t.check_traceroute("host", dst, ["router", "upstream"])
t.finish()
