#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The compiled IPv4 FIB against the kernel's own answers.

One random table (seeded, BGP-like lengths plus longer than /24) goes into
a namespace's kernel FIB (`ip -batch`, a gateway per value) and into the
DIR-24-8 maps (xr-dpctl); every sampled address must get the same gateway
from `ip route get` and from the compiled FIB.

usage: fib_kernel_diff.py XR_DPCTL [ROUTES [ADDRESSES]]
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
rnd = random.Random(11)
res = Results()
ns = Netns(unique("xrfibk"))
ns.ip("link add v0 type veth peer name v0p")
ns.ip("link set v0 up")
ns.ip("link set v0p up")
ns.ip("addr add 10.255.0.1/16 dev v0")


def random_len():
    r = rnd.randrange(1000)
    for bound, lens in ((550, [24]), (650, [22]), (740, [23]), (800, [21]),
                        (850, [20]), (900, range(16, 20)),
                        (930, range(8, 16)), (1000, range(25, 33))):
        if r < bound:
            return rnd.choice(list(lens))


def reserved(net):
    first = int(net.network_address) >> 24
    return first in (0, 10, 127) or first >= 224


table = {}
while len(table) < N_ROUTES:
    n = random_len()
    net = ipaddress.ip_network((rnd.getrandbits(32) >> (32 - n) << (32 - n),
                                n))
    if not reserved(net):
        table[net] = rnd.randrange(1, 200)
table[ipaddress.ip_network("0.0.0.0/0")] = 250  # every address answers

batch = "".join(f"route add {net} via 10.255.1.{v} dev v0 onlink\n"
                for net, v in table.items())
subprocess.run(["ip", "-n", ns.name, "-batch", "-"], input=batch, text=True,
               check=True)

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns, extra=("--fib", "dir24"))
dp.cmd("load")
dp.cmd("iface v0")
for v in list(range(1, 200)) + [250]:
    dp.cmd(f"nexthop {v} v0 via 10.255.1.{v} mac 02:00:00:00:01:{v % 256:02x}")
for net, v in table.items():
    dp.cmd(f"route {net} nexthop {v}")

nets = list(table)
sample = []
while len(sample) < N_ADDRS:
    if rnd.random() < 0.5:
        net = rnd.choice(nets)
        a = int(net.network_address) | rnd.getrandbits(32 - net.prefixlen) \
            if net.prefixlen < 32 else int(net.network_address)
    else:
        a = rnd.getrandbits(32)
    addr = ipaddress.ip_address(a)
    if not reserved(ipaddress.ip_network(f"{addr}/32")):
        sample.append(addr)

out = subprocess.run(["ip", "-n", ns.name, "-batch", "-"], text=True,
                     input="".join(f"route get {a}\n" for a in sample),
                     capture_output=True, check=True).stdout
kernel = [int(ln.split(" via 10.255.1.")[1].split()[0])
          for ln in out.splitlines() if " via " in ln]
res.check(len(kernel) == len(sample), "the kernel answered every address",
          f"{len(kernel)} of {len(sample)}")
mismatches = 0
for a, k in zip(sample, kernel):
    ours = dp.cmd(f"lookup {a}").split()
    if ours != ["nexthop", str(k)]:
        if mismatches < 5:
            print(f"  {a}: kernel via .{k}, compiled FIB {ours}")
        mismatches += 1
print(f"{len(table)} routes, {len(sample)} addresses: {mismatches} "
      f"mismatches between ip route get and the compiled FIB")
res.check(mismatches == 0, "compiled FIB agrees with the kernel",
          f"{mismatches} mismatches")
res.finish()
