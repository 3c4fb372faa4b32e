#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Stateful acceleration (bpf/conntrack.h) against the kernel's conntrack.

The program runs through BPF_PROG_TEST_RUN in a namespace of its own, whose
conntrack table holds real entries: made with `conntrack -I` (established,
unreplied, not assured, NATed, TCP states) and by real traffic through the
namespace's kernel (an FTP control connection with the ftp helper and the
data connection it expects). The plan flag ipv4/ipv6-conntrack-in is set
on the ingress as the daemon would for a chain that accepts established
flows. An established flow is forwarded and its timeout refreshed to the
namespace's sysctl (read back with conntrack -G); everything else punts
with its reason; a deleted entry's next packet punts.

usage: test_conntrack.py XR_DPCTL
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import XDP_PASS, XDP_REDIRECT, Dpctl, Netns, Results, unique, \
    wait_for  # noqa: E402

from scapy.all import IP, TCP, UDP, Ether, IPv6, Raw  # noqa: E402

DPCTL = sys.argv[1]
ns = Netns(unique("xrct"))
res = Results()
for name in ("in0", "out1"):
    ns.ip(f"link add {name} type veth peer name {name}p")
    ns.ip(f"link set {name} up")
    ns.ip(f"link set {name}p up")
ns.run("ethtool -K out1p gro on")
# Timeouts other than the defaults prove the loader reads this namespace's.
UDP_STREAM, TCP_EST = 150, 7000
ns.run(f"sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream={UDP_STREAM}")
ns.run(f"sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_established={TCP_EST}")

MAC_IN = ns.ip("-br link show in0").split()[2]
MAC_OUT = ns.ip("-br link show out1").split()[2]
GW = "02:00:00:00:01:01"
dp = Dpctl(DPCTL, f"/sys/fs/bpf/{ns.name}", ns)
dp.script(f"""
load
iface in0 plan ipv4-conntrack-in,ipv6-conntrack-in
iface out1
nexthop 1 out1 via 192.0.2.1 mac {GW}
nexthop 11 out1 via fe80::1 mac {GW}
route 10.0.0.0/8 nexthop 1
route 198.51.100.0/24 nexthop 1
route 2001:db8::/32 nexthop 11
""")

C4, S4 = "198.51.100.10", "10.1.2.3"
C6, S6 = "2001:db8:ff::10", "2001:db8:1::5"


def ct(args, check=True):
    return ns.run(f"conntrack {args}", check=check)


def ct_timeout(tuple_args):
    """The entry's remaining seconds, None when it is gone."""
    out = ct(f"-G {tuple_args} 2>/dev/null", check=False)
    for line in out.splitlines():
        f = line.split()
        if len(f) > 2 and f[0] in ("tcp", "udp"):
            return int(f[2])
    return None


def pkt(src, dst, l4):
    ip = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)
    return Ether(src="02:00:00:00:00:aa", dst=MAC_IN) / ip / l4 / Raw(b"x" * 20)


def check(desc, p, reason):
    raw = bytes(p)
    dp.cmd("clear")
    action, out = dp.run("in0", raw)
    want = XDP_REDIRECT if reason == "forwarded" else XDP_PASS
    res.check(action == want, desc, f"action {action}, expected {want}")
    if want == XDP_PASS:
        res.check(out == raw, desc + ": punted frame unchanged")
    else:
        res.check(Ether(out).dst == GW and Ether(out).src == MAC_OUT,
                  desc + ": rewritten for out1")
    moved = {k: v[0] for k, v in dp.counters().items() if v[0]}
    res.check(moved == {reason: 1}, desc + ": counters",
              f"moved {moved}, expected {{{reason!r}: 1}}")


def flow(proto, src, dst, sport, dport):
    return f"-p {proto} -s {src} -d {dst} --sport {sport} --dport {dport}"


def insert(tuple_args, extra):
    ct(f"-I {tuple_args} -t 50 {extra} 2>/dev/null")


def refreshed(desc, tuple_args, p, want_s):
    """Established: forwarded, and the timeout set to the sysctl's."""
    res.check((ct_timeout(tuple_args) or 0) <= 50, desc + ": timeout before")
    check(desc, p, "forwarded")
    t = ct_timeout(tuple_args)
    res.check(t is not None and want_s - 5 <= t <= want_s,
              desc + ": timeout refreshed", f"{t} s, expected ~{want_s}")


# Established UDP and TCP, both families, both directions of the entry.
for c, s in ((C4, S4), (C6, S6)):
    u = flow("udp", c, s, 1234, 5678)
    insert(u, "-u SEEN_REPLY,ASSURED")
    refreshed(f"udp {c} established, original direction", u,
              pkt(c, s, UDP(sport=1234, dport=5678)), UDP_STREAM)
    ct(f"-U {u} -t 50 2>/dev/null")
    refreshed(f"udp {c} established, reply direction", u,
              pkt(s, c, UDP(sport=5678, dport=1234)), UDP_STREAM)
    t = flow("tcp", c, s, 1234, 80)
    insert(t, "--state ESTABLISHED -u SEEN_REPLY,ASSURED")
    refreshed(f"tcp {c} established ACK", t,
              pkt(c, s, TCP(sport=1234, dport=80, flags="A")), TCP_EST)
    ct(f"-U {t} -t 50 2>/dev/null")
    for flags in ("S", "SA", "F", "FA", "R", "RA"):
        check(f"tcp {c} established, {flags}: the kernel sees it",
              pkt(c, s, TCP(sport=1234, dport=80, flags=flags)),
              "conntrack-syn-fin-rst")
    res.check(ct_timeout(t) <= 50, f"tcp {c}: SYN/FIN/RST left the timeout")

    # Deleted: the next packet goes to the kernel.
    ct(f"-D {u} 2>/dev/null")
    check(f"udp {c} after conntrack -D", pkt(c, s, UDP(sport=1234, dport=5678)),
          "conntrack-miss")
    check(f"tcp {c} ACK of no entry (invalid to conntrack)",
          pkt(c, s, TCP(sport=1, dport=80, flags="A")), "conntrack-miss")

    u2 = flow("udp", c, s, 2000, 53)
    insert(u2, "")
    check(f"udp {c} unreplied (new)", pkt(c, s, UDP(sport=2000, dport=53)),
          "conntrack-unreplied")
    res.check(ct_timeout(u2) <= 50, f"udp {c} unreplied: timeout left alone")
    u3 = flow("udp", c, s, 2001, 53)
    insert(u3, "-u SEEN_REPLY")
    check(f"udp {c} replied, not yet assured",
          pkt(c, s, UDP(sport=2001, dport=53)), "conntrack-not-established")
    for state in ("SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE"):
        t2 = flow("tcp", c, s, 3000, 443)
        insert(t2, f"--state {state} -u SEEN_REPLY,ASSURED")
        check(f"tcp {c} in {state}", pkt(c, s, TCP(sport=3000, dport=443,
                                                   flags="A")),
              "conntrack-not-established")
        ct(f"-D {t2} 2>/dev/null")

# NAT (IPv4): the reply goes to a translated address.
n = flow("udp", C4, S4, 4000, 4000)
insert(n, "-u SEEN_REPLY,ASSURED --src-nat 203.0.113.1")
check("udp source-NATed", pkt(C4, S4, UDP(sport=4000, dport=4000)),
      "conntrack-nat")
n = flow("tcp", C4, S4, 4001, 80)
insert(n, "--state ESTABLISHED -u SEEN_REPLY,ASSURED --dst-nat 10.1.2.4")
check("tcp destination-NATed", pkt(C4, S4, TCP(sport=4001, dport=80,
                                               flags="A")), "conntrack-nat")

# A helper and the flow it expects, made by real traffic: an FTP control
# connection over the namespace's own addresses with the ftp helper
# attached by nft, the server's passive-mode reply, and the data
# connection the helper expected (IPS_EXPECTED: related).
ns.ip("addr add 10.9.9.1/32 dev lo")
ns.ip("addr add 10.9.9.2/32 dev lo")
rules = """
table inet t {
    ct helper ftp-std { type "ftp" protocol tcp; }
    chain out { type filter hook output priority 0; policy accept;
        tcp dport 21 ct helper set "ftp-std"
    }
}
"""
with open(f"/tmp/{ns.name}.nft", "w") as f:
    f.write(rules)
ns.run(f"nft -f /tmp/{ns.name}.nft")
os.unlink(f"/tmp/{ns.name}.nft")

# The sockets live in the namespace, so a child process in it does the
# talking; it holds the connections open until told to stop.
FTP = r"""
import socket, sys
ctl = socket.socket(); ctl.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ctl.bind(("10.9.9.1", 21)); ctl.listen(1)
data = socket.socket(); data.bind(("10.9.9.1", 50010)); data.listen(1)
c = socket.create_connection(("10.9.9.1", 21), source_address=("10.9.9.2", 40021))
s, _ = ctl.accept()
# The helper reads a line only after one it has seen end (its first
# packet in each direction is never parsed), as in a real session.
s.sendall(b"220 ready\r\n"); c.recv(100)
c.sendall(b"PASV\r\n"); s.recv(100)
s.sendall(b"227 Entering Passive Mode (10,9,9,1,195,90)\r\n")
c.recv(100)
d = socket.create_connection(("10.9.9.1", 50010), source_address=("10.9.9.2", 40022))
ds, _ = data.accept()
ds.sendall(b"data"); d.recv(10); d.sendall(b"ok"); ds.recv(10)
print("done", flush=True)
sys.stdin.read()
"""
talker = subprocess.Popen(ns.nsenter() + ["/usr/bin/python3", "-c", FTP],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True)
res.check(talker.stdout.readline().strip() == "done", "ftp exchange")
master = flow("tcp", "10.9.9.2", "10.9.9.1", 40021, 21)
child = flow("tcp", "10.9.9.2", "10.9.9.1", 40022, 50010)
wait_for(lambda: ct_timeout(child) is not None, what="the data connection")
res.check("ESTABLISHED" in ct(f"-G {master} 2>/dev/null"), "ftp control "
          "connection established")
check("tcp with a helper (ftp control)",
      pkt("10.9.9.2", "10.9.9.1", TCP(sport=40021, dport=21, flags="A")),
      "conntrack-helper")
check("tcp expected by a helper (ftp data)",
      pkt("10.9.9.2", "10.9.9.1", TCP(sport=40022, dport=50010, flags="A")),
      "conntrack-related")
talker.stdin.close()
talker.wait()

# The TCP window hole: where conntrack tracks TCP windows (tcp_be_liberal=0,
# the plan's conntrack-tcp-window-strict), an established TCP entry punts
# unless the entry is liberal itself; UDP stays accelerated.
dp.cmd("iface in0 plan ipv4-conntrack-in,ipv6-conntrack-in,"
       "conntrack-tcp-window-strict")
# A connection with a real handshake over the namespace's own addresses:
# conntrack tracks its windows.
TALK = r"""
import socket, sys
srv = socket.socket(); srv.bind(("10.9.9.1", 60000)); srv.listen(1)
c = socket.create_connection(("10.9.9.1", 60000),
                             source_address=("10.9.9.2", 40030))
s, _ = srv.accept()
c.sendall(b"hello"); s.recv(10); s.sendall(b"back"); c.recv(10)
print("done", flush=True)
sys.stdin.read()
"""
talker = subprocess.Popen(ns.nsenter() + ["/usr/bin/python3", "-c", TALK],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True)
res.check(talker.stdout.readline().strip() == "done", "tcp exchange")
real = flow("tcp", "10.9.9.2", "10.9.9.1", 40030, 60000)
res.check("ESTABLISHED" in ct(f"-G {real} 2>/dev/null"),
          "handshaken tcp connection established")
before = ct_timeout(real)
check("tcp established by a handshake, strict windows: the kernel tracks "
      "them", pkt("10.9.9.2", "10.9.9.1", TCP(sport=40030, dport=60000,
                                               flags="A")),
      "conntrack-tcp-window")
res.check(ct_timeout(real) <= before, "tcp strict: timeout left alone")
dp.cmd("iface in0 plan ipv4-conntrack-in,ipv6-conntrack-in")
check("the same connection, liberal windows (tcp_be_liberal=1)",
      pkt("10.9.9.2", "10.9.9.1", TCP(sport=40030, dport=60000, flags="A")),
      "forwarded")
dp.cmd("iface in0 plan ipv4-conntrack-in,ipv6-conntrack-in,"
       "conntrack-tcp-window-strict")
talker.stdin.close()
talker.wait()
for c, s in ((C4, S4), (C6, S6)):
    u = flow("udp", c, s, 1500, 53)
    insert(u, "-u SEEN_REPLY,ASSURED")
    check(f"udp {c} established, strict windows: still forwarded",
          pkt(c, s, UDP(sport=1500, dport=53)), "forwarded")

# A liberal entry, made by real traffic: conntrack picks a connection up
# from its middle (nf_conntrack_tcp_loose=1) with BE_LIBERAL in both
# directions, so the kernel would not check its windows either. The
# namespace's kernel forwards an ACK from in0 to out1 and one back.
ns.run("sysctl -qw net.netfilter.nf_conntrack_tcp_loose=1")
ns.run("sysctl -qw net.ipv4.ip_forward=1")
for dev in ("all", "default", "in0", "out1"):
    ns.run(f"sysctl -qw net.ipv4.conf.{dev}.rp_filter=0")
ns.ip("addr add 198.51.100.1/24 dev in0")
ns.ip("addr add 192.0.2.2/24 dev out1")
ns.ip("route add 10.1.2.0/24 via 192.0.2.1")
ns.ip(f"neigh add 192.0.2.1 lladdr {GW} dev out1 nud permanent")
ns.ip(f"neigh add {C4} lladdr 02:00:00:00:00:aa dev in0 nud permanent")
PICKUP = f'''
from scapy.all import IP, TCP, Ether, sendp
sendp(Ether(dst="{MAC_IN}") / IP(src="{C4}", dst="{S4}") /
      TCP(sport=7000, dport=8000, flags="A", seq=1000, ack=2000),
      iface="in0p", verbose=False)
sendp(Ether(dst="{MAC_OUT}") / IP(src="{S4}", dst="{C4}") /
      TCP(sport=8000, dport=7000, flags="A", seq=2000, ack=1001),
      iface="out1p", verbose=False)
'''
subprocess.run(ns.nsenter() + ["/usr/bin/python3", "-c", PICKUP], check=True)
picked = flow("tcp", C4, S4, 7000, 8000)
wait_for(lambda: "UNREPLIED" not in ct(f"-G {picked} 2>&1", check=False),
         what="the picked-up entry's reply")
res.check("ESTABLISHED" in ct(f"-G {picked} 2>/dev/null"),
          "picked-up tcp entry established")
check("tcp picked up mid-stream (liberal entry), strict windows",
      pkt(C4, S4, TCP(sport=7000, dport=8000, flags="A")), "forwarded")
dp.cmd("iface in0 plan ipv4-conntrack-in,ipv6-conntrack-in")

# The switch off: the same established flow goes to the kernel.
u = flow("udp", C4, S4, 1234, 5678)
insert(u, "-u SEEN_REPLY,ASSURED")
check("udp established (again)", pkt(C4, S4, UDP(sport=1234, dport=5678)),
      "forwarded")
dp.cmd("iface in0")
check("udp established, no conntrack flag: plain forward",
      pkt(C4, S4, UDP(sport=9, dport=9)), "forwarded")

res.finish()
