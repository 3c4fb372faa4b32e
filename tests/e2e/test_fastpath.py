#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The fast path on real veth links with XDP attached, maps filled by hand.

  h1 (10.0.1.2) -- r1 [router] r2 -- h2 (10.0.2.2, MTU 1280)
                               r3 -- h3 (10.0.3.2, peer without NAPI)

Checks: ping v4/v6 through XDP; a UDP stream forwarded >= 99% by XDP while
the kernel's IpForwDatagrams moves < 1%; traceroute shows the router
(TTL expiry punted); a 1400-byte DF packet towards the 1280-MTU link gets
the kernel's frag-needed; a fragmented ping crosses; a stream towards a
port that cannot take XDP frames loses nothing (punted to the kernel).

usage: test_fastpath.py XR_DPCTL
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Dpctl, Netns, Results, router_host_link, sh, unique  # noqa: E402

DPCTL = sys.argv[1]
STREAM = os.path.join(os.path.dirname(__file__), "..", "lib", "udpstream.py")
PY = "/usr/bin/python3"
tag = unique("")
r = Netns(f"xrfp-r{tag}")
h = {i: Netns(f"xrfp-h{i}-{tag}") for i in (1, 2, 3, 4, 5)}
res = Results()


router_host_link(r, h[1], 1)
router_host_link(r, h[2], 2, mtu=1280)
router_host_link(r, h[3], 3, napi=False)
# containerlab's default MTU: needs the frags-aware program
router_host_link(r, h[4], 4, mtu=9500)
router_host_link(r, h[5], 5, mtu=9500)
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1")


def mac(ns, ifname):
    return ns.ip(f"-br link show {ifname}").split()[2]


for i in h:
    for fam in ("", "-6"):
        h[i].run(f"ping {fam} -c1 -W2 {'2001:db8:%d::1' % i if fam else '10.0.%d.1' % i}",
                 check=False)

dp = Dpctl(DPCTL, f"/sys/fs/bpf/{r.name}", r)
dp.cmd("load")
for i in h:
    dp.cmd(f"iface r{i}")
    dp.cmd(f"attach r{i}")
    dp.cmd(f"route 10.0.{i}.0/24 connected r{i}")
    dp.cmd(f"route 2001:db8:{i}::/64 connected r{i}")
    dp.cmd(f"route 10.0.{i}.1/32 local")
    dp.cmd(f"route 2001:db8:{i}::1/128 local")
    dp.cmd(f"neigh r{i} 10.0.{i}.2 {mac(h[i], 'eth0')}")
    dp.cmd(f"neigh r{i} 2001:db8:{i}::2 {mac(h[i], 'eth0')}")
tx = {i: "tx no" not in dp.cmd(f"iface r{i}") for i in (1, 2, 3)}
res.check(tx[1] and tx[2] and not tx[3],
          "XDP transmit detected on r1/r2, refused on r3 (peer without NAPI)",
          str(tx))


def counters():
    return {k: v[0] for k, v in dp.counters().items()}


def ifc(name):
    f = dp.cmd(f"if-counters {name}").split()
    return dict(zip(f[0::2], map(int, f[1::2])))


def forw():
    out = r.run("nstat -saz IpForwDatagrams")
    for line in out.splitlines():
        if line.startswith("IpForwDatagrams"):
            return int(line.split()[1])
    raise AssertionError("no IpForwDatagrams in nstat output")


# Ping both families through the fast path.
c0 = counters()
for dst in ("10.0.2.2", "2001:db8:2::2"):
    ok = h[1].run(f"ping -c3 -i0.2 -W2 {dst}", check=False)
    res.check(" 0% packet loss" in ok, f"ping {dst}", ok[-200:])
c1 = counters()
res.check(c1["forwarded"] - c0["forwarded"] >= 12,
          "pings forwarded by XDP both ways",
          f"{c1['forwarded'] - c0['forwarded']} forwarded")


def stream(dst_host, dst, count=20000, pps=20000):
    recv = subprocess.Popen(["ip", "netns", "exec", dst_host.name, PY, STREAM,
                             "recv", "9000", "1.5"], stdout=subprocess.PIPE,
                            text=True)
    assert recv.stdout.readline().strip() == "ready"
    h[1].run(f"{PY} {STREAM} send {dst} 9000 {count} {pps}")
    got = int(recv.stdout.readline())
    recv.wait()
    return got


N = 20000
f0, k0, i0 = forw(), counters(), ifc("r1")
got = stream(h[2], "10.0.2.2", N)
f1, k1, i1 = forw(), counters(), ifc("r1")
xdp_fwd = i1["rx_forwarded"] - i0["rx_forwarded"]
kern_fwd = f1 - f0
print(f"stream: sent {N}, received {got}, XDP forwarded {xdp_fwd}, "
      f"kernel forwarded {kern_fwd}")
res.check(got >= 0.99 * N, "UDP stream arrives", f"{got}/{N}")
res.check(xdp_fwd >= 0.99 * N, "XDP forwards >= 99% of the stream",
          f"{xdp_fwd}/{N}")
res.check(kern_fwd < 0.01 * N, "kernel forwards < 1% of the stream",
          f"{kern_fwd}/{N}")

# traceroute: the router still answers TTL expiry (punted to the kernel).
k0 = counters()
tr = h[1].run("traceroute -n -q1 -w2 -m4 10.0.2.2", check=False)
hops = [ln.split()[1] for ln in tr.splitlines()[1:] if len(ln.split()) > 1]
res.check(hops[:2] == ["10.0.1.1", "10.0.2.2"], "traceroute shows the router",
          tr)
res.check(counters()["ttl-expired"] > k0["ttl-expired"],
          "TTL expiry was punted by XDP")

# 1400 bytes with DF onto the 1280-MTU link: the kernel's frag-needed.
k0 = counters()
out = h[1].run("ping -M do -s 1372 -c1 -W2 10.0.2.2", check=False)
res.check("mtu = 1280" in out, "DF packet over MTU gets frag-needed", out)
res.check(counters()["mtu-exceeded"] > k0["mtu-exceeded"],
          "MTU excess punted by XDP")

# A fragmented ping crosses (fragments are punted and reassembled or
# re-fragmented by the kernel).
k0 = counters()
out = h[1].run("ping -s 3000 -c2 -W2 10.0.2.2", check=False)
res.check(" 0% packet loss" in out, "fragmented ping crosses", out[-200:])
res.check(counters()["fragment"] > k0["fragment"], "fragments punted by XDP")

# A port that cannot take XDP frames: the stream goes through the kernel
# and nothing is lost.
k0 = counters()
M = 3000
got = stream(h[3], "10.0.3.2", M, pps=10000)
k1 = counters()
res.check(got == M, "stream to the non-XDP port loses nothing", f"{got}/{M}")
res.check(k1["egress-not-xdp"] - k0["egress-not-xdp"] >= M,
          "that stream was punted as egress-not-xdp",
          str(k1["egress-not-xdp"] - k0["egress-not-xdp"]))

# Jumbo frames between two MTU-9500 links: multi-buffer frames forwarded
# whole by XDP.
i0 = ifc("r4")
out = h[4].run("ping -M do -s 8000 -c3 -i0.2 -W2 10.0.5.2", check=False)
res.check(" 0% packet loss" in out, "8000-byte pings across MTU 9500 links",
          out[-200:])
res.check(ifc("r4")["rx_forwarded"] - i0["rx_forwarded"] >= 3,
          "jumbo frames forwarded by XDP")

res.finish()
