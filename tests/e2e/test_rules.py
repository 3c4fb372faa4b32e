#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""ip rules, the plan's RULES source, with real zebra + staticd + pbrd +
xdp-routerd, two upstreams that both hold the stream's destination:

  h1 (10.0.1.2) -- r1 [router] r2 -- h2 (192.168.50.1, the main table's)
                               r3 -- h3 (192.168.50.1, table 100's)

staticd puts 192.168.50.0/24 via h2 in the main table and, once zebra's
FPM session is up, via h3 in table 100 (zebra installs both and sends both
over FPM). Under a UDP stream from
h1: `ip rule add from 10.0.1.2 lookup 100` sends it to h3, as Linux does;
once the daemon has compared the kernel's table 100 with zebra's VRF 100
(kernel/table_follow.h) the program looks table 100 up itself, so h3 gets
it from XDP (the kernel's IpForwDatagrams stays flat). A throw route added
to table 100 behind zebra's back (zebra does not model it; the kernel goes
on to the main table, h2) makes the rule punt again, with the reason in
status, until it is removed. h2's traffic to h1, which the rule cannot
match, stays with XDP; removed, the stream is back at h2 and forwarded by
XDP again. A blackhole rule drops the stream at XDP. Then FRR's pbrd: a
pbr-map on r1 steering 10.0.1.2 to h3 (pbrd's rule names iif r1 and table
10000, whose route zebra sends with the kernel's nexthop id), forwarded
by XDP, removed the same way.

usage: test_rules.py XDP_ROUTERD XDP_ROUTERCTL
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402
from plan_watch import PlanWatch  # noqa: E402
import udpstream  # noqa: E402

ROUTERD, CTL = sys.argv[1], sys.argv[2]
tag = unique("")
r = Netns(f"xrru-r{tag}")
h = {i: Netns(f"xrru-h{i}-{tag}") for i in (1, 2, 3)}
PIN = f"/sys/fs/bpf/xrru{tag}"
SOCK = f"/run/xrru{tag}.sock"
DST, SRC = "192.168.50.1", "10.0.1.2"
res = Results()
ensure_bpffs()
cleanup_pins(PIN)

for i in (1, 2, 3):
    router_host_link(r, h[i], i)
for i in (2, 3):
    h[i].ip(f"addr add {DST}/32 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 "
      "net.ipv4.conf.all.send_redirects=0")

routerd = Routerd(ROUTERD, r, PIN, ["--log-level", "info",
                                    "--control-socket", SOCK,
                                    "--metrics-listen", "off"]).start()
frr = Frr(r, daemons=("staticd", "pbrd"),
          config="ip route 192.168.50.0/24 10.0.2.2\n").start()
pw = PlanWatch(r, CTL, SOCK, res)


def stream(n):
    """(at h2, at h3, forwarded by the kernel)"""
    f0 = pw.kernel_forwarded()
    got = udpstream.spread([h[2], h[3]], h[1], DST, n, 10000, idle=1.0)
    return got[0], got[1], pw.kernel_forwarded() - f0


def at_first_by_xdp(what, n=4000):
    up1, up2, kern = stream(n)
    res.check(up1 >= 0.99 * n and up2 == 0,
              f"{what}: the stream arrives at the first upstream",
              f"h2 {up1}, h3 {up2} of {n}")
    res.check(kern < 0.01 * n, f"{what}: forwarded by XDP "
              "(IpForwDatagrams flat)", f"kernel forwarded {kern}/{n}")


def at_second_by_xdp(what, n=4000):
    up1, up2, kern = stream(n)
    res.check(up2 >= 0.99 * n and up1 == 0,
              f"{what}: the stream arrives at the second upstream, as "
              "with Linux", f"h2 {up1}, h3 {up2} of {n}")
    res.check(kern < 0.01 * n, f"{what}: forwarded by XDP "
              "(IpForwDatagrams flat)", f"kernel forwarded {kern}/{n}")


def at_first_by_kernel(what, n=2000):
    up1, up2, kern = stream(n)
    res.check(up1 >= 0.99 * n and up2 == 0,
              f"{what}: the stream arrives at the first upstream, as "
              "with Linux", f"h2 {up1}, h3 {up2} of {n}")
    res.check(kern >= 0.99 * up1, f"{what}: forwarded by the kernel",
              f"kernel forwarded {kern}/{up1}")


def table_wait(pred, what, timeout=10):
    """Waits for pred over r1's ip-rules reasons."""
    try:
        wait_for(lambda: pred(pw.objects("r1", "ip-rules")), timeout,
                 what=what)
        res.check(True, what)
    except AssertionError as e:
        res.check(False, what, f"{e}: {pw.objects('r1', 'ip-rules')}")


try:
    wait_for(lambda: pw.plan("r1") is not None and
             not pw.flags("r1") - {"ipv4-send-redirects",
                                   "ipv6-send-redirects"}, 20,
             what="r1 accelerated (every source read)")
    h[1].run(f"ping -c2 -i0.2 -W2 {DST}", check=False)
    # h3's MAC too: table 100's gateway, in the maps before XDP uses it
    r.run("ping -c1 -W2 10.0.3.2", check=False)
    wait_for(lambda: pw.verdict(DST) == "forward", 20,
             what="zebra's route and h2's MAC in the maps")
    # Once zebra's FPM session is up: zebra 8.4 replays the main tables
    # only when it connects, so a table 100 route from before would be
    # missing from the fast path's VRF 100 (which the comparison catches:
    # the rule would punt).
    frr.configure("ip route 192.168.50.0/24 10.0.3.2 table 100")
    wait_for(lambda: "10.0.3.2" in r.ip("route show table 100",
                                        check=False), 20,
             what="staticd's table 100 route in the kernel")
except AssertionError as e:
    raise AssertionError(f"{e}: {pw.plan('r1')}\n{routerd.log()[-2000:]}")
res.check(not pw.objects("r1", "ip-rules"),
          "the kernel's default rules punt nothing", str(pw.plan("r1")))
at_first_by_xdp("before any rule")

# 1. ip rule add from H lookup 100: every interface punts its IPv4.
RULE = f"ip rule 100: from {SRC} lookup 100"
r.ip(f"rule add from {SRC} lookup 100 pref 100")
pw.wait("r1", "ip-rules", True, "ip rule: the plan checks it on r1")
# proven equal to zebra's: the reason is the rule alone, no ": table 100"
table_wait(lambda objs: RULE in objs, "table 100 equals zebra's: status "
           "names the rule alone")
res.check("ipv4-rule-check" in pw.flags("r3") and
          not {"ipv6-rule-check", "ipv6-ip-rules"} & pw.flags("r3"),
          "a rule without iif: checked on every interface, its family only",
          str(pw.plan("r3")))
at_second_by_xdp("ip rule from H lookup 100")
# Behind zebra's back: a throw route zebra does not model. The kernel's
# lookup of table 100 goes on to main (h2); the fast path cannot follow.
r.ip("route add throw 192.168.50.0/25 table 100")
table_wait(lambda objs: any(o.startswith(RULE + ": table 100 differs")
                            and "throw" in o for o in objs),
           "a throw route in table 100: the rule punts, status says why")
at_first_by_kernel("throw route in table 100")
r.ip("route del throw 192.168.50.0/25 table 100")
table_wait(lambda objs: RULE in objs, "throw route removed: table 100 "
           "equals zebra's again")
at_second_by_xdp("throw route removed")
# Traffic the rule cannot match stays in the fast path: h2 -> h1.
h[2].run(f"ping -c2 -i0.2 -W2 {SRC}", check=False)
wait_for(lambda: pw.verdict(SRC, "r2", "10.0.2.2") == "forward", 10,
         what="h1 in the maps")
f0 = pw.kernel_forwarded()
got = udpstream.between(h[1], h[2], SRC, 4000, 10000, idle=1.0)
kern = pw.kernel_forwarded() - f0
res.check(got >= 0.99 * 4000 and kern < 40, "the rule cannot match h2's "
          "traffic: forwarded by XDP", f"{got}/4000, kernel {kern}")
r.ip(f"rule del from {SRC} lookup 100 pref 100")
pw.wait("r1", "ip-rules", False, "ip rule removed: plan clear")
at_first_by_xdp("after the ip rule")

# A blackhole rule: dropped, as Linux does, by XDP.
r.ip(f"rule add from {SRC} blackhole pref 90")
pw.wait("r1", "ip-rules", True, "blackhole rule: checked on r1")


def dropped():
    st = pw.ctl_json("stats").get("reasons", {})
    return st.get("ip-rule-blackhole", {}).get("packets", 0)


d0 = dropped()
up1, up2, kern = stream(2000)
res.check(up1 == 0 and up2 == 0 and kern == 0, "blackhole rule: the stream "
          "is dropped, as with Linux", f"h2 {up1}, h3 {up2}, kernel {kern}")
res.check(dropped() - d0 >= 2000, "blackhole rule: dropped by XDP "
          "(ip-rule-blackhole)", f"{dropped() - d0}")
r.ip(f"rule del from {SRC} blackhole pref 90")
pw.wait("r1", "ip-rules", False, "blackhole rule removed: plan clear")

# 2. pbrd: a pbr-map on r1 steering H to the second upstream.
frr.configure("nexthop-group up2", "nexthop 10.0.3.2 r3", "exit",
              "pbr-map steer seq 10", f"match src-ip {SRC}/32",
              "set nexthop-group up2", "exit",
              "interface r1", "pbr-policy steer", "exit")
pw.wait("r1", "ip-rules", True, "pbr-map on r1: the plan checks it")
table_wait(lambda objs: any(f"from {SRC} iif r1 lookup 10000" in o and
                            ": table" not in o for o in objs),
           "status names pbrd's rule; its table 10000 equals zebra's")
res.check(not pw.objects("r3", "ip-rules") and
          "ipv4-rule-check" in pw.flags("r1"),
          "pbrd's rule names iif r1: checked on r1 only", str(pw.plan("r3")))
at_second_by_xdp("pbr-map")
frr.configure("interface r1", "no pbr-policy steer", "exit")
pw.wait("r1", "ip-rules", False, "pbr-policy removed: plan clear")
at_first_by_xdp("after the pbr-map")

res.check(routerd.running(), "xdp-routerd still running", routerd.log()[-800:])
routerd.kill()
frr.stop()
cleanup_pins(PIN)
res.finish()
