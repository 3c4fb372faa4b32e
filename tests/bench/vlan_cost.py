#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""What the VLAN path costs the untagged one: ns per run of the program on
an untagged IPv4 and IPv6 frame forwarded out of an untagged port, for
each variant given, behind cost_wrapper.bpf.o as program_cost.py does it
(the frame restored before each run, the bare wrapper subtracted; the
fastest of several runs, as a shared host only adds time).

usage: vlan_cost.py COST_WRAPPER_O NAME=XR_DPCTL[,OPTION...] ...
  e.g. vlan_cost.py build/tests/bench/cost_wrapper.bpf.o \\
         vlan=build/tests/tools/xr-dpctl \\
         no-vlan=build/tests/tools/xr-dpctl,--no-vlan \\
         main=/tmp/main/b/tests/tools/xr-dpctl
A tagged frame cannot be timed this way: its pushed or popped tag moves
the head, which the test run keeps from one repetition to the next.
"""
import os
import re
import struct
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Netns, sh, unique  # noqa: E402

from scapy.all import IP, UDP, Ether, IPv6, Raw  # noqa: E402

WRAPPER, VARIANTS = sys.argv[1], sys.argv[2:]
REPEAT, BEST_OF, ROUNDS = 2_000_000, 5, 3
ns = Netns(unique("xrvcost"))
for name in ("in0", "out1"):
    ns.ip(f"link add {name} type veth peer name {name}p")
    ns.ip(f"link set {name} up")
    ns.ip(f"link set {name}p up")
ns.run("ethtool -K out1p gro on")
mac_in = ns.ip("-br link show in0").split()[2]
ifindex = int(ns.ip("-o link show in0").split(":")[0])
nsenter = " ".join(ns.nsenter())
tmp = tempfile.mkdtemp(prefix="xr-vcost-")
wrap = f"/sys/fs/bpf/{ns.name}-wrap"
sh(f"rm -rf {wrap}; mkdir -p {wrap}; bpftool prog loadall {WRAPPER} {wrap} "
   f"pinmaps {wrap}")
FRAMES = {
    "v4": bytes(Ether(src="02:00:00:00:00:aa", dst=mac_in) /
                IP(src="198.51.100.10", dst="10.1.2.3") /
                UDP(sport=1234, dport=5678) / Raw(b"x" * 18)),
    "v6": bytes(Ether(src="02:00:00:00:00:aa", dst=mac_in) /
                IPv6(src="2001:db8:ff::10", dst="2001:db8:1::5") /
                UDP(sport=1234, dport=5678) / Raw(b"x" * 4)),
}


def run(target, frame):
    sh(f"bpftool map update pinned {wrap}/target_frags key 0 0 0 0 "
       f"value pinned {target}")
    v = struct.pack("=I", len(frame)) + frame.ljust(128, b"\0")
    sh(f"bpftool map update pinned {wrap}/template key 0 0 0 0 "
       f"value hex {v.hex(' ')}")
    open(f"{tmp}/data", "wb").write(frame)
    open(f"{tmp}/ctx", "wb").write(struct.pack("=6I", 0, len(frame), 0,
                                               ifindex, 0, 0))
    best = None
    for _ in range(BEST_OF):
        out = sh(f"{nsenter} bpftool prog run pinned {wrap}/cost_wrap_frags "
                 f"data_in {tmp}/data ctx_in {tmp}/ctx repeat {REPEAT}")
        m = re.search(r"Return value: (\d+), duration.*?: (\d+)ns", out)
        best = int(m.group(2)) if best is None else min(best,
                                                        int(m.group(2)))
        rv = int(m.group(1))
    return rv, best


pins = {}
for v in VARIANTS:
    name, spec = v.split("=", 1)
    dpctl, *opts = spec.split(",")
    pin = f"/sys/fs/bpf/{ns.name}-{name}"
    sh(f"rm -rf {pin}")
    script = ("load\niface in0\niface out1\n"
              "nexthop 1 out1 via 192.0.2.1 mac 02:00:00:00:01:01\n"
              "nexthop 11 out1 via fe80::1 mac 02:00:00:00:01:01\n"
              "route 10.1.0.0/16 nexthop 1\n"
              "route 2001:db8:1::/48 nexthop 11\n")
    sh(f"printf '{script}' | {nsenter} {dpctl} --pin {pin} {' '.join(opts)} -")
    pins[name] = pin

results = {n: {f: [] for f in FRAMES} for n in pins}
for _ in range(ROUNDS):  # interleaved, so drift hits every variant alike
    for f, frame in FRAMES.items():
        _, base = run(f"{wrap}/cost_pass_frags", frame)
        for n, pin in pins.items():
            rv, t = run(f"{pin}/xdp_router_prog", frame)
            assert rv == 4, f"{n} {f}: verdict {rv}, not forwarded"
            results[n][f].append(t - base)
for n in pins:
    print(f"{n:10s} " + "  ".join(f"{f} {min(ts):3d} ns"
                                  for f, ts in results[n].items()))
for pin in list(pins.values()) + [wrap]:
    sh(f"rm -rf {pin}")
