#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A compiled FIB against the kernel's own answers.

One random table (seeded, BGP-like lengths; for IPv4 some longer than /24,
for IPv6 the /56, /64 and /128 of edge links too) goes into a namespace's
kernel FIB (`ip -batch`, a gateway per value) and into the compiled FIB
(IPv4 DIR-24-8 or the IPv6 multibit trie, through xr-dpctl); every sampled
address must get the same gateway from `ip route get` and from the
compiled FIB.

usage: fib_kernel_diff.py XR_DPCTL [ROUTES [ADDRESSES [4|6]]]
"""
import ipaddress
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Dpctl, Netns, Results, unique  # noqa: E402

DPCTL = sys.argv[1]
N_ROUTES = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
N_ADDRS = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
FAMILY = int(sys.argv[4]) if len(sys.argv) > 4 else 4
rnd = random.Random(11)
res = Results()
ns = Netns(unique("xrfibk"))
ns.ip("link add v0 type veth peer name v0p")
ns.ip("link set v0 up")
ns.ip("link set v0p up")
ns.ip("addr add 10.255.0.1/16 dev v0")
ns.ip("addr add fd00:ff::1/64 dev v0 nodad")

if FAMILY == 4:
    BITS, GW, DEFAULT = 32, "10.255.1.", "0.0.0.0/0"
    LENS = ((550, [24]), (650, [22]), (740, [23]), (800, [21]), (850, [20]),
            (900, range(16, 20)), (930, range(8, 16)), (1000, range(25, 33)))
else:
    BITS, GW, DEFAULT = 128, "fd00:ff::a:", "::/0"
    LENS = ((500, [48]), (620, [32]), (710, [44]), (780, [40]), (840, [36]),
            (890, range(33, 40)), (930, range(41, 48)), (960, [56]),
            (980, [64]), (990, [128]), (1000, range(16, 32)))


def random_len():
    r = rnd.randrange(1000)
    for bound, lens in LENS:
        if r < bound:
            return rnd.choice(list(lens))


def random_addr():
    if FAMILY == 4:
        return rnd.getrandbits(32)
    return 0x2 << 124 | rnd.getrandbits(125)  # global unicast, 2000::/3


def reserved(a):
    if FAMILY == 4:
        first = a >> 24
        return first in (0, 10, 127) or first >= 224
    return a >> 125 != 1


table = {}
while len(table) < N_ROUTES:
    n = random_len()
    a = random_addr() >> (BITS - n) << (BITS - n)
    if not reserved(a):
        table[ipaddress.ip_network((a, n))] = rnd.randrange(1, 200)
table[ipaddress.ip_network(DEFAULT)] = 250  # every address answers

batch = "".join(f"route add {net} via {GW}{v} dev v0 onlink\n"
                for net, v in table.items())
subprocess.run(["ip", f"-{FAMILY}", "-n", ns.name, "-batch", "-"],
               input=batch, text=True, check=True)

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns, extra=("--fib", "dir24"))
dp.cmd("load")
dp.cmd("iface v0")
for v in list(range(1, 200)) + [250]:
    dp.cmd(f"nexthop {v} v0 via {GW}{v} mac 02:00:00:00:01:{v % 256:02x}")
for net, v in table.items():
    dp.cmd(f"route {net} nexthop {v}")

nets = list(table)
sample = []
while len(sample) < N_ADDRS:
    if rnd.random() < 0.5:
        net = rnd.choice(nets)
        host = BITS - net.prefixlen
        a = int(net.network_address) | (rnd.getrandbits(host) if host else 0)
    else:
        a = random_addr()
    if not reserved(a):
        sample.append(ipaddress.ip_address(a))

out = subprocess.run(["ip", "-n", ns.name, "-batch", "-"], text=True,
                     input="".join(f"route get {a}\n" for a in sample),
                     capture_output=True, check=True).stdout
kernel = [ln.split(f" via {GW}")[1].split()[0]
          for ln in out.splitlines() if " via " in ln]
res.check(len(kernel) == len(sample), "the kernel answered every address",
          f"{len(kernel)} of {len(sample)}")
mismatches = 0
for a, k in zip(sample, kernel):
    ours = dp.cmd(f"lookup {a}").split()
    if ours != ["nexthop", k]:
        if mismatches < 5:
            print(f"  {a}: kernel via {GW}{k}, compiled FIB {ours}")
        mismatches += 1
print(f"IPv{FAMILY}: {len(table)} routes, {len(sample)} addresses: "
      f"{mismatches} mismatches between ip route get and the compiled FIB")
res.check(mismatches == 0, "compiled FIB agrees with the kernel",
          f"{mismatches} mismatches")
res.finish()
