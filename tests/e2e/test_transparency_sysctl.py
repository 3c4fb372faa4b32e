#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The kernel's sysctls and an operator's XDP program under real zebra +
staticd + xdp-routerd (issue 17), in namespaces:

  h1 (10.0.1.2) -- r1 [router: FRR + xdp-routerd] r2 -- h2 (10.0.2.2)
                                                   r4 -- h4 (an XDP filter
                                                         of the operator's)

Under a counted UDP stream h1 -> h2, each setting applied and removed:
strict rp_filter on r1 with a source spoofed from h2's subnet is dropped
as Linux drops it (and a genuine source still forwarded by XDP);
net.ipv4.conf.r1.forwarding=0 and net.ipv6.conf.all.forwarding=0 are not
forwarded; after each is removed the stream is forwarded by XDP again (the
router's IpForwDatagrams / Ip6OutForwDatagrams stay flat). A foreign XDP
program on r4 stays attached after xdp-routerd starts with --interfaces
auto, and status (asked from the root namespace) and /metrics say why.

usage: test_transparency_sysctl.py XDP_ROUTERD XDP_ROUTERCTL FOREIGN_OBJ
"""
import json
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    sh, unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402

ROUTERD, CTL, FOREIGN = sys.argv[1], sys.argv[2], sys.argv[3]
STREAM = os.path.join(os.path.dirname(__file__), "..", "lib", "udpstream.py")
PY = "/usr/bin/python3"
tag = unique("")
r = Netns(f"xrts-r{tag}")
h = {i: Netns(f"xrts-h{i}-{tag}") for i in (1, 2, 4)}
PIN = f"/sys/fs/bpf/xrts{tag}"
SOCK = f"/run/xdp-router/xrts{tag}.sock"
METRICS = "127.0.0.1:19642"
N = 200
res = Results()
ensure_bpffs()
cleanup_pins(PIN)

for i in (1, 2, 4):
    router_host_link(r, h[i], i)
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 "
      "net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 "
      "net.ipv4.conf.r1.rp_filter=0 net.ipv4.conf.all.send_redirects=0 "
      "net.ipv4.conf.r1.send_redirects=0 net.ipv4.conf.r2.send_redirects=0")
# h1 owns an address of h2's subnet: the spoofed source, routed back by
# the router through r2, not r1.
SPOOF = "10.0.2.77"
h[1].ip(f"addr add {SPOOF}/32 dev lo")
# The operator's own filter on r4, before xdp-routerd starts.
r.ip(f"link set r4 xdpgeneric obj {FOREIGN} sec xdp")
foreign_id = json.loads(r.ip("-j link show r4"))[0]["xdp"]["prog"]["id"]

routerd = Routerd(ROUTERD, r, PIN, ["--log-level", "info",
                                    "--interfaces", "auto",
                                    "--control-socket", SOCK,
                                    "--metrics-listen", METRICS]).start()
frr = Frr(r, config="").start()


def ctl(args, ns=None):
    cmd = (ns.nsenter() if ns else []) + [CTL, "-s", SOCK] + args.split()
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def status():
    try:
        return json.loads(ctl("-j status", r))
    except ValueError:
        return {}


def iface(name):
    for i in status().get("interfaces", []):
        if i["name"] == name:
            return i
    return {}


def plan_flags(name):
    return set(iface(name).get("plan", {}).get("flags", []))


def counters():
    st = json.loads(ctl("-j stats", r) or "{}")
    return {k: v["packets"] for k, v in st.get("reasons", {}).items()}


def snmp(key, proto="Ip"):
    lines = [ln.split() for ln in
             r.run("cat /proc/net/snmp").splitlines() if ln.startswith(proto + ":")]
    return int(lines[1][lines[0].index(key)])


def netstat(key, proto="TcpExt"):
    lines = [ln.split() for ln in r.run("cat /proc/net/netstat").splitlines()
             if ln.startswith(proto + ":")]
    return int(lines[1][lines[0].index(key)])


def snmp6(key):
    for ln in r.run("cat /proc/net/snmp6").splitlines():
        if ln.split()[0] == key:
            return int(ln.split()[1])
    return 0


def stream(dst, src=None, count=N):
    recv = subprocess.Popen(h[2].nsenter() + [PY, STREAM, "recv", "9000",
                                              "1.0"],
                            stdout=subprocess.PIPE, text=True)
    recv.stdout.readline()
    if src:
        code = ("import socket,time\n"
                "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                f"s.bind(('{src}',0))\n"
                f"for i in range({count}):\n"
                f"  s.sendto(i.to_bytes(4,'big')+b'p'*60,('{dst}',9000))\n"
                "  time.sleep(0.001)\n")
        subprocess.run(h[1].nsenter() + [PY, "-c", code], check=True)
    else:
        subprocess.run(h[1].nsenter() + [PY, STREAM, "send", dst, "9000",
                                         str(count), "1000"], check=True)
    got = int(recv.stdout.readline())
    recv.wait()
    return got


def by_xdp(what, dst, src=None, v6=False):
    """The stream arrives whole and the kernel forwarded none of it."""
    fwd = (lambda: snmp6("Ip6OutForwDatagrams")) if v6 else \
        (lambda: snmp("ForwDatagrams"))
    f0, c0 = fwd(), counters().get("forwarded", 0)
    got = stream(dst, src)
    df, dc = fwd() - f0, counters().get("forwarded", 0) - c0
    res.check(got == N, f"{what}: stream arrives", f"{got}/{N}")
    res.check(df <= N // 100 and dc >= N, f"{what}: forwarded by XDP",
              f"kernel forwarded {df}, XDP {dc}")


def not_forwarded(what, dst, reason, src=None):
    c0 = counters().get(reason, 0)
    got = stream(dst, src)
    res.check(got == 0, f"{what}: nothing arrives, as with Linux alone",
              f"{got}/{N}")
    res.check(counters().get(reason, 0) - c0 >= N,
              f"{what}: punted as {reason}")


def sysctl(setting, flag, name="r1", present=True):
    r.run(f"sysctl -qw {setting}")
    wait_for(lambda: (flag in plan_flags(name)) == present, 5,
             what=f"plan after {setting}")


wait_for(lambda: iface("r1").get("attached") and iface("r2").get("attached"),
         15, what="r1 and r2 attached")
wait_for(lambda: "10.0.2.0/24" in ctl("routes", r), 15, what="routes")
for dst in ("10.0.2.2", "2001:db8:2::2"):
    h[1].run(f"ping -c2 -i0.2 -W2 {dst}", check=False)

# 0. The stream, from the genuine source and from the spoofed one.
by_xdp("baseline", "10.0.2.2")
by_xdp("spoofed source, rp_filter off", "10.0.2.2", SPOOF)

# 1. Strict rp_filter: the spoofed source is dropped by Linux (punted by
# XDP), the genuine one still forwarded by XDP; loose lets both through.
sysctl("net.ipv4.conf.r1.rp_filter=1", "rp-filter-strict")
rpf0 = netstat("IPReversePathFilter")
not_forwarded("strict rp_filter, spoofed source", "10.0.2.2", "rp-filter",
              SPOOF)
res.check(netstat("IPReversePathFilter") - rpf0 >= N,
          "strict rp_filter: the kernel dropped and counted them")
by_xdp("strict rp_filter, genuine source", "10.0.2.2")
# all=2 with r1=1: max is 2, loose
sysctl("net.ipv4.conf.all.rp_filter=2", "rp-filter-loose")
by_xdp("loose rp_filter (all=2, r1=1), spoofed source", "10.0.2.2", SPOOF)
sysctl("net.ipv4.conf.all.rp_filter=0", "rp-filter-loose", present=False)
sysctl("net.ipv4.conf.r1.rp_filter=0", "rp-filter-strict", present=False)
by_xdp("rp_filter removed, spoofed source", "10.0.2.2", SPOOF)

# 2. Forwarding off on the ingress.
sysctl("net.ipv4.conf.r1.forwarding=0", "ipv4-forwarding-off")
not_forwarded("r1 forwarding=0", "10.0.2.2", "forwarding-disabled")
sysctl("net.ipv4.conf.r1.forwarding=1", "ipv4-forwarding-off", present=False)
by_xdp("r1 forwarding back on", "10.0.2.2")

# 3. IPv6 forwarding off (all: ip6_forward reads all, not the device).
by_xdp("IPv6 baseline", "2001:db8:2::2", v6=True)
sysctl("net.ipv6.conf.all.forwarding=0", "ipv6-forwarding-off")
not_forwarded("IPv6 all.forwarding=0", "2001:db8:2::2", "forwarding-disabled")
sysctl("net.ipv6.conf.all.forwarding=1", "ipv6-forwarding-off",
       present=False)
h[1].run("ping -c2 -i0.2 -W2 2001:db8:2::2", check=False)
by_xdp("IPv6 forwarding back on", "2001:db8:2::2", v6=True)

# 4. send_redirects (not in netconf: read from /proc) sets the hairpin flag.
sysctl("net.ipv4.conf.r2.send_redirects=1", "ipv4-send-redirects", "r2")
sysctl("net.ipv4.conf.r2.send_redirects=0", "ipv4-send-redirects", "r2",
       present=False)

# 5. The operator's XDP program on r4 is still there, and said.
link = json.loads(r.ip("-j link show r4"))[0]
res.check(link.get("xdp", {}).get("prog", {}).get("id") == foreign_id,
          "foreign XDP program still attached to r4", str(link.get("xdp")))
r4 = iface("r4")
res.check(not r4.get("attached") and
          "ddos_filter" in r4.get("notAttached", ""),
          "status -j: r4 not attached, with the reason", str(r4))
txt = ctl("status")  # from the root namespace: the daemon's names
line = {ln.split()[0]: ln for ln in txt.splitlines()
        if ln.startswith("  r")}
res.check("r1" in line and ("native" in line["r1"] or
                            "generic" in line["r1"]) and
          "ipv4: accelerated" in line["r1"],
          "status text from the root namespace: r1 with its mode and plan",
          txt)
res.check("r4" in line and "not attached: another XDP program" in line["r4"],
          "status text: r4 left alone, with the reason", txt)
sysctl("net.ipv4.conf.r1.rp_filter=1", "rp-filter-strict")
res.check("checks rp-filter-strict (net.ipv4.conf.r1.rp_filter=1" in
          ctl("status"), "status text: the check and its sysctl",
          ctl("status"))
sysctl("net.ipv4.conf.r1.rp_filter=0", "rp-filter-strict", present=False)
metrics = subprocess.run(r.nsenter() + ["curl", "-s", f"http://{METRICS}/metrics"],
                         capture_output=True, text=True).stdout
res.check('interface_not_attached{interface="r4"' in metrics,
          "/metrics: r4 not attached", metrics[-400:])
log = routerd.log()
res.check(log.count("r4: not attached") == 1,
          "the foreign program is logged once", str(log.count("r4: not attached")))

routerd.kill()
frr.stop()
res.check(json.loads(r.ip("-j link show r4"))[0].get("xdp", {}).get(
    "prog", {}).get("id") == foreign_id,
    "foreign XDP program still attached after xdp-routerd exits")
for ns in [r, *h.values()]:
    ns.delete()
cleanup_pins(PIN)
res.finish()
