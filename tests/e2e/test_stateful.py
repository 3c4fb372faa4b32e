#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A stateful edge firewall at XDP speed (issue 18), with real zebra +
staticd + xdp-routerd and the usual edge ruleset on the router:

  h1 LAN (10.0.1.2) -- r1 [router] r2 -- h2 WAN (192.168.50.1 via 10.0.2.2)

  policy drop; ct state established,related accept; ct state invalid drop;
  iifname r1 oifname r2 accept

The analysis proves the forward chain (status names it, "conntrack check"),
so established flows are forwarded by XDP once conntrack has their entry:
  - a UDP stream LAN -> WAN (echoed back: conntrack needs the reply) after
    its first packets: the kernel's IpForwDatagrams grows by a handful;
  - the same flow stays one conntrack entry through a stream longer than
    nf_conntrack_udp_timeout_stream (lowered to 3 s under the running
    daemon, which re-reads it): XDP refreshes it to that, as the kernel
    would;
  - a TCP transfer LAN -> WAN (4 MB, checksummed, closed cleanly):
    with nf_conntrack_tcp_be_liberal=1 its data goes through XDP; with 0 it
    punts as conntrack-tcp-window (conntrack tracks every segment's window)
    and still completes;
  - an unsolicited stream WAN -> LAN is dropped by the policy: 0 arrive.

usage: test_stateful.py XDP_ROUTERD XDP_ROUTERCTL XR_DPCTL
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Results, wait_for  # noqa: E402
from static_router import DST, StaticRouter  # noqa: E402

ROUTERD, CTL, DPCTL = sys.argv[1], sys.argv[2], sys.argv[3]
PEER = os.path.join(os.path.dirname(__file__), "..", "lib", "flowpeer.py")
PY = "/usr/bin/python3"
UDP_STREAM_S = 3
TCP_BYTES = 4_000_000
res = Results()
sr = StaticRouter("xrst", ROUTERD, CTL, DPCTL, res)
r, h, routerd, lookup = sr.r, sr.h, sr.routerd, sr.lookup
pw = sr.watch
reason, forw = pw.reason, pw.kernel_forwarded

RULESET = """
table inet filter {
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        ct state invalid drop
        iifname "r1" oifname "r2" accept
    }
}
"""
nft = f"/tmp/xrst{sr.tag}.nft"
with open(nft, "w") as f:
    f.write(RULESET)
r.run(f"nft -f {nft}")  # loads conntrack into the namespace
os.unlink(nft)
SYSCTL = "net.netfilter.nf_conntrack_udp_timeout_stream"
saved = r.run(f"sysctl -n {SYSCTL}").strip()
r.run("sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1")
sr.start()


def plan(ifname):
    return pw.plan(ifname) or {}


def udp_entry():
    """(id, state line) of the stream's conntrack entry, None if none."""
    out = r.run("conntrack -L -p udp --dport 9000 -o id 2>/dev/null",
                check=False)
    for line in out.splitlines():
        m = re.search(r"id=(\d+)", line)
        if m:
            return int(m.group(1)), line
    return None


echo = subprocess.Popen(h[2].nsenter() + [PY, PEER, "udp-echo", DST, "9000"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        text=True)
assert echo.stdout.readline().strip() == "ready"


def udp(count, pps):
    """(sent, arrived at h2, echoes back at h1, kernel-forwarded)"""
    f0 = forw()
    echoes = int(h[1].run(f"{PY} {PEER} udp-send {DST} 9000 40000 {count} "
                          f"{pps}"))
    echo.stdin.write("\n")
    echo.stdin.flush()
    got = int(echo.stdout.readline())
    return count, got, echoes, forw() - f0


def tcp(what):
    """A checked transfer LAN -> WAN: (ok, closed, kernel-forwarded)."""
    recv = subprocess.Popen(h[2].nsenter() + [PY, PEER, "tcp-recv", "9100",
                                              "8"],
                            stdout=subprocess.PIPE, text=True)
    assert recv.stdout.readline().strip() == "ready"
    f0 = forw()
    sent = h[1].run(f"{PY} {PEER} tcp-send {DST} 9100 {TCP_BYTES} 8").split()
    got = recv.stdout.readline().split()
    recv.wait()
    kern = forw() - f0
    ok = got == [str(TCP_BYTES), sent[0]]
    res.check(ok, f"{what}: {TCP_BYTES} bytes arrive intact", f"{got}")
    res.check(sent[1] == "closed", f"{what}: the connection closes cleanly",
              f"sender: {sent[1]}")
    return kern


try:
    wait_for(lambda: lookup(DST) != ["none"], 20, what="zebra's route")
    # The analysis proved the forward chain: a conntrack check, no punt.
    wait_for(lambda: "ipv4-conntrack-in" in plan("r1").get("flags", []),
             10, what="r1: the forward chain checked against conntrack")
except AssertionError as e:
    raise AssertionError(f"{e}: {plan('r1')}")
p1 = plan("r1")
res.check("ipv4-punt-in" not in p1["flags"], "r1: no punt for the chain",
          str(p1["flags"]))
objs = [b["object"] for b in p1.get("because", [])
        if b["source"] == "nftables"]
res.check("nftables inet filter forward: 3 rules, policy drop, conntrack "
          "check" in objs, "status names the chain and its check", str(objs))
res.check("conntrack-tcp-window-strict" not in p1["flags"],
          "tcp_be_liberal=1: TCP not gated", str(p1["flags"]))
h[1].run(f"ping -c2 -i0.2 -W2 {DST}", check=False)  # neighbours
# Lowered under the running daemon: it re-reads the timeouts (a timer,
# sysctls notify nothing) and the program refreshes entries to the new one.
r.run(f"sysctl -qw {SYSCTL}={UDP_STREAM_S}")
try:
    wait_for(lambda: f"udp stream {UDP_STREAM_S} s" in routerd.log(), 5,
             what="the daemon to take the new timeout")
    res.check(True, "the daemon re-reads the udp stream timeout")
except AssertionError as e:
    res.check(False, "the daemon re-reads the udp stream timeout", str(e))



def udp_assured():
    """The first datagrams and their echoes make the entry; conntrack
    assures a replied UDP flow 2 s after its start, then XDP takes it."""
    e = udp_entry()
    if e is None or "ASSURED" not in e[1]:
        udp(5, 50)
        time.sleep(2.2)
        udp(5, 50)
        e = udp_entry()
    res.check(e is not None and "ASSURED" in e[1], "udp: assured entry",
              str(e))


udp_assured()
t0 = reason("forwarded")
sent, got, echoes, kern = udp(5000, 5000)
print(f"udp burst: {got}/{sent} arrived, {echoes} echoed, kernel forwarded "
      f"{kern}, XDP forwarded {reason('forwarded') - t0}")
res.check(got >= 0.99 * sent and echoes >= 0.99 * sent,
          "udp LAN -> WAN: stream and echoes arrive", f"{got}, {echoes}")
res.check(kern < 20, "udp: forwarded by XDP (IpForwDatagrams grows by a "
          "handful)", f"kernel forwarded {kern}/{2 * sent}")

# Longer than the stream timeout: the same entry throughout, refreshed by
# XDP (the kernel sees next to none of it).
first = udp_entry()
f0 = forw()
long = subprocess.Popen(h[1].nsenter() + [PY, PEER, "udp-send", DST, "9000",
                                          "40000", str(400 * 3 *
                                                       UDP_STREAM_S), "400"],
                        stdout=subprocess.PIPE, text=True)
samples = []
while long.poll() is None:
    time.sleep(0.5)
    samples.append(udp_entry())
long.wait()
echo.stdin.write("\n")
echo.stdin.flush()
got = int(echo.stdout.readline())
kern = forw() - f0
ids = {s[0] if s else None for s in samples}
left = max(int(s[1].split()[2]) for s in samples if s)
print(f"udp over {3 * UDP_STREAM_S} s (stream timeout {UDP_STREAM_S} s): "
      f"{got} arrived, kernel forwarded {kern}, entry ids {ids}, at most "
      f"{left} s left")
res.check(first is not None and ids == {first[0]},
          f"udp: one conntrack entry alive through {3 * UDP_STREAM_S} s "
          f"(timeout {UDP_STREAM_S} s)", f"{first} then {ids}")
res.check(kern < 20, "udp: the long stream by XDP", f"kernel {kern}")
res.check(left <= UDP_STREAM_S, "udp: refreshed to the kernel's timeout, "
          "as the kernel would", f"{left} s left, timeout {UDP_STREAM_S} s")

# TCP, the kernel liberal: the data goes through XDP, only the handshake
# and the teardown (SYN/FIN/RST punt) through the kernel.
t0 = reason("forwarded")
kern = tcp("tcp, tcp_be_liberal=1")
xdp = reason("forwarded") - t0
print(f"tcp be_liberal=1: kernel forwarded {kern}, XDP forwarded {xdp}")
res.check(kern < 40 and xdp > 2000, "tcp be_liberal=1: the data by XDP, the "
          "kernel only the handshake and teardown", f"kernel {kern}, "
          f"XDP {xdp}")

# TCP, the kernel strict: punted with its reason, completes.
r.run("sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=0")
wait_for(lambda: "conntrack-tcp-window-strict" in plan("r1").get("flags",
                                                                  []),
         5, what="the plan gates TCP after tcp_be_liberal=0")
w0 = reason("conntrack-tcp-window")
kern = tcp("tcp, tcp_be_liberal=0")
window = reason("conntrack-tcp-window") - w0
print(f"tcp be_liberal=0: kernel forwarded {kern}, punted as "
      f"conntrack-tcp-window {window}")
# (The kernel's count is of what GRO made of the punted segments.)
res.check(window > 2000, "tcp be_liberal=0: the data punted "
          "(conntrack-tcp-window), the kernel forwards it",
          f"window {window}, kernel {kern}")
udp_assured()  # (its entry may have timed out meanwhile)
sent, got, echoes, kern = udp(2000, 4000)
res.check(got >= 0.99 * sent and kern < 20,
          "tcp_be_liberal=0: udp still by XDP", f"{got}/{sent}, kernel {kern}")

# Unsolicited WAN -> LAN: the policy drops it, as Linux alone does.
lan = subprocess.Popen(h[1].nsenter() + [PY, PEER, "udp-echo", "10.0.1.2",
                                          "9001"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                       text=True)
assert lan.stdout.readline().strip() == "ready"
m0 = reason("conntrack-miss")
h[2].run(f"{PY} {PEER} udp-send 10.0.1.2 9001 40001 2000 4000")
lan.stdin.write("\n")
lan.stdin.flush()
got = int(lan.stdout.readline())
lan.stdin.close()
lan.wait(5)
miss = reason("conntrack-miss") - m0
print(f"unsolicited WAN -> LAN: {got}/2000 arrived, {miss} punted as "
      "conntrack-miss")
res.check(got == 0, "unsolicited WAN -> LAN: dropped by the policy",
          f"{got} arrived")
res.check(miss >= 2000, "unsolicited: punted to the kernel (conntrack-miss)",
          f"{miss}")

echo.stdin.close()
echo.wait(5)
r.run(f"sysctl -qw {SYSCTL}={saved}")
sr.stop()
if "error" in routerd.log().lower():
    print(routerd.log()[-2000:])
res.finish()
