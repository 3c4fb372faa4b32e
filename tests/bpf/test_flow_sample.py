#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Flow sampling in the XDP program (bpf/flow_sample.h).

On: forwarded, punted and dropped frames reach the ring flow_samples with
their ingress and egress ifindex, frame length, rate, verdict reason, path
(the XDP action) and first 128 bytes; 1 in N is sampled at random within
the statistics; a full ring is counted and never changes a verdict.

Off: the loader runs the other build, bpf/xdp_router_nosample.bpf.o
(XR_FLOW_SAMPLE_BUILD=0): what the kernel runs without --flow-sample is
that object, instruction for instruction. (A switch left in the one build
would be removed by the verifier, but its mere existence shifts the
register allocation of the whole function by a few spills.)

usage: test_flow_sample.py XR_DPCTL NOSAMPLE_BPF_O
"""
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (XDP_DROP, XDP_PASS, XDP_REDIRECT, Dpctl, Netns,  # noqa: E402
                    Results, unique)

from scapy.all import IP, UDP, Ether, Raw  # noqa: E402

DPCTL, NOSAMPLE = sys.argv[1:3]
ns = Netns(unique("xrfs"))
res = Results()

for name in ("in0", "out1"):
    ns.ip(f"link add {name} type veth peer name {name}p")
    ns.ip(f"link set {name} up")
    ns.ip(f"link set {name}p up")
    ns.run(f"ethtool -K {name}p gro on")


def link(name):
    f = ns.ip(f"-br link show {name}").split()
    return int(ns.ip(f"-o link show {name}").split(":")[0]), f[2]


IDX = {}
MAC = {}
for n in ("in0", "out1"):
    IDX[n], MAC[n] = link(n)
GW = "02:00:00:00:01:01"

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns, extra=("--flow-sample",))
dp.script(f"""
load
iface in0
iface out1
nexthop 1 out1 via 192.0.2.1 mac {GW}
route 10.1.0.0/16 nexthop 1
route 10.10.0.0/16 blackhole
""")


def pkt(dst, n=18):
    return (Ether(src="02:00:00:00:00:aa", dst=MAC["in0"]) /
            IP(src="198.51.100.10", dst=dst) / UDP(sport=1234, dport=5678) /
            Raw(b"x" * n))


def samples():
    """Drains the ring: ([records], sampled, ring_full)."""
    dp.cmd("samples")
    out = []
    while True:
        line = dp.p.stdout.readline().split()
        if line[0] == "end":
            return out, int(line[3]), int(line[5])
        inn, outi, flen, rate, reason, action = line[:6]
        out.append({"in": int(inn), "out": int(outi), "len": int(flen),
                    "rate": int(rate), "reason": reason,
                    "action": int(action),
                    "header": bytes.fromhex(line[6]) if len(line) > 6
                    else b""})


# Rate 0 (the daemon's until it configures one): nothing sampled.
dp.cmd("sample-rate 0")
dp.run("in0", pkt("10.1.2.3"))
recs, sampled, full = samples()
res.check(not recs and sampled == 0, "rate 0 samples nothing", f"{recs}")

# Rate 1: every frame, with its metadata, whatever its path.
dp.cmd("sample-rate 1")
CASES = [
    ("forwarded", pkt("10.1.2.3"), XDP_REDIRECT, "forwarded", "out1"),
    ("forwarded, 1400 bytes: 128 taken", pkt("10.1.2.3", 1400 - 42),
     XDP_REDIRECT, "forwarded", "out1"),
    ("punted to the kernel, sampled at XDP", pkt("10.99.0.1"), XDP_PASS,
     "lpm-miss", None),
    ("dropped", pkt("10.10.0.1"), XDP_DROP, "blackhole", None),
]
for what, p, action, reason, egress in CASES:
    act, out = dp.run("in0", p)
    recs, sampled, full = samples()
    res.check(act == action, f"{what}: verdict {act}")
    if len(recs) != 1:
        res.check(False, f"{what}: one sample", f"got {len(recs)}")
        continue
    r = recs[0]
    want_header = out[:128]
    res.check(r["in"] == IDX["in0"], f"{what}: ingress ifindex", f"{r}")
    res.check(r["out"] == (IDX[egress] if egress else 0),
              f"{what}: egress ifindex", f"{r['out']}")
    res.check(r["len"] == len(bytes(p)), f"{what}: frame length",
              f"{r['len']} != {len(bytes(p))}")
    res.check(r["rate"] == 1, f"{what}: rate", f"{r['rate']}")
    res.check(r["reason"] == reason and r["action"] == action,
              f"{what}: reason and path", f"{r['reason']} {r['action']}")
    res.check(r["header"] == want_header,
              f"{what}: the frame's first 128 bytes as it left",
              f"{r['header'].hex()} != {want_header.hex()}")
    res.check(sampled >= 1 and full == 0, f"{what}: counted as sampled")

# 1 in 10 at random: 3000 frames give 300 expected. The skips are uniform
# in 1..19 (variance 30), so the count's sd is ~sqrt(3000 * 30 / 10^3) = 9.5,
# below the binomial's 16 the bounds were drawn for: kept, they are 6 sd of
# the skip's and still catch every Nth gone wrong by a factor.
dp.cmd("sample-rate 10")
_, base, _ = samples()
K = 3000
for _ in range(K):
    dp.run("in0", pkt("10.1.2.3"))
recs, sampled, full = samples()
print(f"1:10 of {K}: {len(recs)} sampled")
res.check(240 <= len(recs) <= 360 and sampled - base == len(recs),
          "1 in 10 within 4 standard deviations", f"{len(recs)}")
dp.cmd("sample-rate 1")

# A full ring: the fast path goes on, the overflow is counted.
_, s0, f0 = samples()
verdicts = collections.Counter()
big = pkt("10.1.2.3", 1000)
for _ in range(2500):
    verdicts[dp.run("in0", big)[0]] += 1
recs, s1, f1 = samples()
res.check(verdicts == {XDP_REDIRECT: 2500},
          "every frame forwarded while the ring was full", f"{verdicts}")
res.check(f1 - f0 > 0 and len(recs) == s1 - s0 and
          len(recs) + f1 - f0 == 2500,
          "a full ring: sampled + ring_full = frames, the overflow counted",
          f"recs {len(recs)} full {f1 - f0}")
print(f"ring: {len(recs)} records held, {f1 - f0} counted as ring_full")
dp.cmd("sample-rate 0")


def xlated(d, arg=""):
    """The instructions the kernel runs, d's program's or the object arg's,
    and the program's tag (the instructions as loaded, before the verifier
    specialised them by the .rodata switches)."""
    n, tag = d.cmd(f"xlated {arg}".strip()).split()
    n = int(n)
    insns = []
    while True:
        line = d.p.stdout.readline().strip()
        if line == "end":
            break
        insns.append(line.split())
    res.check(len(insns) == n, "xlated read whole")
    return insns, tag


def shape(insns):
    """Maps and helper calls referenced, and calls to a subprogram."""
    maps, helpers, subcalls = collections.Counter(), collections.Counter(), 0
    for code, dst, src, off, imm in insns:
        if imm.startswith("map:"):
            name = imm[4:]
            # the object's own .rodata, whatever the object is called
            maps[".rodata" if name.endswith(".rodata") else name] += 1
        elif code == "85" and src == "1":
            subcalls += 1
        elif code == "85":
            helpers[imm] += 1
    return maps, helpers, subcalls


# Off is another build: what the loader runs without --flow-sample is the
# object with sampling compiled out, instruction for instruction.
dp0 = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}-off", ns)
dp0.cmd("load")
on, tag_on = xlated(dp)
off, tag_off = xlated(dp0)
out, tag_out = xlated(dp0, NOSAMPLE)
print(f"xlated instructions: sampling on {len(on)} (tag {tag_on}), off "
      f"{len(off)} (tag {tag_off}), compiled out {len(out)} (tag {tag_out}, "
      f"its .rodata switches all 0)")
res.check(tag_off == tag_out, "off: the kernel was given the program "
          "without the feature, instruction for instruction",
          f"{tag_off} vs {tag_out}")
res.check(tag_on != tag_off, "on: another program", tag_on)
m_off, h_off, c_off = shape(off)
m_on, h_on, c_on = shape(on)
res.check(not any(n in m_off for n in ("flow_samples", "sample_rates",
                                       "sample_skip", "sample_stats",
                                       "sample_scratch")),
          "off: no sampling map referenced", f"{m_off}")
res.check(c_on == c_off + 1 and "flow_samples" in m_on and
          len(on) > len(off) + 20,
          "on: the sampling subprogram is there", f"{c_on} {len(on)}")
res.finish()
