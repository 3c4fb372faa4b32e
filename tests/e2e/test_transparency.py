#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The plan's nftables, tc, xfrm and iptables-legacy sources with real zebra
+ staticd + xdp-routerd, every kernel object inside the router's namespace:

  h1 (10.0.1.2) -- r1 [router] r2 -- h2 (192.168.50.1 via 10.0.2.2)
                               r3 -- h3

Under a UDP stream h1 -> h2, each setting is applied and removed: while it
is set the receiver sees what Linux does (nft drop: nothing; tbf 10mbit:
about 10 Mbit/s; xfrm block: nothing; iptables-legacy DROP: nothing) and
`status -j` names the kernel object; once removed the stream is forwarded
by XDP again (the kernel's IpForwDatagrams stays flat). An nft rule
limited by iifname punts only that interface.

usage: test_transparency.py XDP_ROUTERD XDP_ROUTERCTL XR_DPCTL
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Results, wait_for  # noqa: E402
from static_router import DST, StaticRouter  # noqa: E402

ROUTERD, CTL, DPCTL = sys.argv[1], sys.argv[2], sys.argv[3]
STREAM = os.path.join(os.path.dirname(__file__), "..", "lib", "udpstream.py")
PY = "/usr/bin/python3"
res = Results()
sr = StaticRouter("xrtp", ROUTERD, CTL, DPCTL, res, hosts=3).start()
r, h, routerd, lookup = sr.r, sr.h, sr.routerd, sr.lookup
pw = sr.watch
plan, objects, forw, wait_plan = pw.plan, pw.objects, pw.kernel_forwarded, \
    pw.wait


def stream(count, pps, size=64):
    """(received, seconds from first to last, bytes, kernel-forwarded)"""
    recv = subprocess.Popen(r_host(2) + [PY, STREAM, "recv", "9000", "1.5"],
                            stdout=subprocess.PIPE, text=True)
    assert recv.stdout.readline().strip() == "ready"
    f0 = forw()
    h[1].run(f"{PY} {STREAM} send {DST} 9000 {count} {pps} {size}")
    got = int(recv.stdout.readline())
    secs, nbytes = recv.stdout.readline().split()
    recv.wait()
    return got, float(secs), int(nbytes), forw() - f0


def r_host(i):
    return h[i].nsenter()


def accelerated(what, n=5000):
    got, _, _, kern = stream(n, 10000)
    res.check(got >= 0.99 * n, f"{what}: the stream arrives", f"{got}/{n}")
    res.check(kern < 0.01 * n, f"{what}: forwarded by XDP "
              "(IpForwDatagrams flat)", f"kernel forwarded {kern}/{n}")


wait_for(lambda: lookup(DST) != ["none"], 20, what="zebra's route in maps")
# Every source read: only the sysctl source's hairpin flags remain (a
# redirect back out of the ingress is the kernel's, e2e_transparency_sysctl).
HAIRPIN = {"ipv4-send-redirects", "ipv6-send-redirects"}
try:
    wait_for(lambda: plan("r1") is not None and
             set(plan("r1")["flags"]) <= HAIRPIN, 10,
             what="r1 accelerated (every source read)")
except AssertionError as e:
    raise AssertionError(f"{e}: {plan('r1')}")
h[1].run(f"ping -c2 -i0.2 -W2 {DST}", check=False)
accelerated("before any setting")

# 1. nftables: a forward-chain drop of the stream.
r.run("nft add table inet xrf")
r.run("nft add chain inet xrf forward "
      "'{ type filter hook forward priority 0; policy accept; }'")
r.run(f"nft add rule inet xrf forward ip daddr {DST} udp dport 9000 drop")
wait_plan("r1", "nftables", True, "nft rule: the plan punts")
# (IPv6 packets never match `ip daddr`: for them the chain accepts every
# established flow, so IPv6 gets a conntrack check instead of a punt.)
res.check("nftables inet xrf forward: 1 rule, conntrack check ipv6" in
          objects("r1", "nftables"), "status names the nft chain",
          str(objects("r1", "nftables")))
got, _, _, kern = stream(3000, 10000)
res.check(got == 0, "nft drop: the stream is dropped as Linux does",
          f"{got} arrived")
ping = h[1].run(f"ping -c2 -i0.2 -W2 {DST}", check=False)
res.check(" 0% packet loss" in ping, "nft drop: other traffic still crosses")
r.run("nft delete table inet xrf")
wait_plan("r1", "nftables", False, "nft rule removed: plan clear")
accelerated("after the nft rule")

# An empty chain with policy accept changes nothing; a rule limited to
# iifname r3 punts only r3 (it marks: more than counters, so not even an
# established flow may skip it).
r.run("nft add table ip xrf")
r.run("nft add chain ip xrf pre "
      "'{ type filter hook prerouting priority 0; policy accept; }'")
r.run("nft add rule ip xrf pre iifname r3 meta mark set 1")
wait_plan("r3", "nftables", True, "iifname r3 rule: r3 punts")
res.check(not objects("r1", "nftables"), "iifname r3 rule: r1 does not",
          str(plan("r1")))
res.check("ipv4-punt-in" in plan("r3")["flags"] and
          "ipv6-punt-in" not in plan("r3")["flags"],
          "ip family, prerouting: ipv4 ingress only", str(plan("r3")))
r.run("nft delete table ip xrf")
wait_plan("r3", "nftables", False, "iifname rule removed: r3 clear")

# 2. tc: a tbf on the egress shapes the stream to about 10 Mbit/s.
r.run("tc qdisc add dev r2 root tbf rate 10mbit burst 16kb latency 50ms")
wait_plan("r2", "tc", True, "tbf on r2: the plan punts r2's egress")
res.check(any(o.startswith("tc qdisc tbf") for o in objects("r2", "tc")),
          "status names the qdisc", str(objects("r2", "tc")))
got, secs, nbytes, kern = stream(8000, 4000, 1000)
wire = nbytes + got * 42  # UDP, IP, Ethernet headers as tbf counts them
mbit = wire * 8 / secs / 1e6 if secs else 0
print(f"tbf 10mbit: {got}/8000 received, {mbit:.1f} Mbit/s over {secs:.2f}s")
res.check(8 <= mbit <= 12, "tbf: the stream is shaped to ~10 Mbit/s",
          f"{mbit:.1f} Mbit/s")
r.run("tc qdisc del dev r2 root")
wait_plan("r2", "tc", False, "tbf removed: plan clear")
accelerated("after the qdisc")

# A clsact ingress filter punts the ingress.
r.run("tc qdisc add dev r1 clsact")
wait_for(lambda: plan("r1") is not None, 5)
res.check(not objects("r1", "tc"), "clsact without filters: nothing")
r.run("tc filter add dev r1 ingress protocol ip prio 1 u32 match u32 0 0")
wait_plan("r1", "tc", True, "ingress filter on r1: r1 punts")
res.check("ipv4-punt-in" in plan("r1")["flags"], "ingress filter: ipv4-in",
          str(plan("r1")))
r.run("tc qdisc del dev r1 clsact")
wait_plan("r1", "tc", False, "clsact removed: plan clear")

# 3. xfrm: a fwd policy that blocks the stream's destination.
r.run(f"ip xfrm policy add dir fwd src 10.0.1.0/24 dst {DST}/32 "
      "action block")
wait_plan("r1", "xfrm", True, "xfrm fwd policy: the plan punts")
res.check(any("dir fwd" in o for o in objects("r1", "xfrm")),
          "status names the xfrm policy", str(objects("r1", "xfrm")))
got, _, _, _ = stream(3000, 10000)
res.check(got == 0, "xfrm block: the stream is dropped as Linux does",
          f"{got} arrived")
r.run("ip xfrm policy flush")
wait_plan("r1", "xfrm", False, "xfrm policy removed: plan clear")
accelerated("after the xfrm policy")

# 4. iptables-legacy: no notifications, the timer finds it.
r.run(f"iptables-legacy -A FORWARD -d {DST} -p udp --dport 9000 -j DROP")
wait_plan("r1", "iptables-legacy", True, "iptables-legacy rule: punts")
got, _, _, _ = stream(3000, 10000)
res.check(got == 0, "iptables-legacy DROP: the stream is dropped",
          f"{got} arrived")
r.run("iptables-legacy -F FORWARD")
wait_plan("r1", "iptables-legacy", False,
          "iptables-legacy flushed (empty table, ACCEPT): plan clear")
r.run("iptables-legacy -P FORWARD DROP")
wait_plan("r1", "iptables-legacy", True, "iptables-legacy policy DROP: "
          "punts")
r.run("iptables-legacy -P FORWARD ACCEPT")
wait_plan("r1", "iptables-legacy", False, "policy ACCEPT again: clear")
accelerated("after iptables-legacy")

res.check(routerd.running(), "xdp-routerd still running", routerd.log()[-800:])
sr.stop()
res.finish()
