# SPDX-License-Identifier: GPL-2.0-only
"""Random two-way flows through the edge lab's stateful firewall, as raw
frames for the differential check (tests/e2e/test_lab_differential.py):
LAN -> WAN flows opened by the host, their replies from the upstream,
and frames from the upstream that nobody asked for.

edge_phases(rng, macs) -> [({"host": [frame], "upstream": [frame]},
                            pause_s)]

Each phase's frames are sent by both nodes at once, then the harness
waits pause_s: the replies must reach the router after the frames that
opened their conntrack entries, and a replied UDP flow is assured (and
so accelerated) only by a packet 2 s after it began.

  1  host: the flows' first packets (UDP, TCP SYN), LAN -> WAN pings,
     and openers with a source uRPF refuses (routed back via the WAN)
  2  upstream: the replies (UDP, TCP SYN-ACK), unsolicited UDP, TCP SYN
     and pings to the LAN
  3  host: the TCP handshakes' last ACK; then the 2 s that assure UDP
  4  both: each flow's data both ways (TCP with ACK/PSH), more
     unsolicited frames, new LAN -> WAN flows nobody answers

Addresses are ones no node owns (198.18.10.x behind the host, 203.0.113.x
and 2001:db8:ffff::x behind the upstream, x > 1): the nodes do not
forward, so the host drops what it receives for them without a word, and
so does the upstream for IPv4; for IPv6 it has no route and answers with
an ICMPv6 unreachable, which the router lets through as related to the
flow or drops with it.

macs: {"host": (src, dst), "upstream": (src, dst)}, the frames' Ethernet
addresses (the node's and the router's side of the link).
"""
from scapy.all import ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest, IPv6, Raw

SPOOFED_LAN_SRC = "203.0.113.9"  # uRPF refuses it: routed back via the WAN


def _addr(rng, v6, side):
    x = rng.randrange(2, 250)
    if side == "lan":
        return f"2001:db8:10:a::{x:x}" if v6 else f"198.18.10.{x}"
    return f"2001:db8:ffff::{x:x}" if v6 else f"203.0.113.{x}"


def _ip(v6, src, dst):
    return IPv6(src=src, dst=dst, hlim=64) if v6 else \
        IP(src=src, dst=dst, ttl=64, flags="DF")


def _pay(rng):
    return Raw(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 1200))))


class _Flow:
    """One LAN -> WAN flow: its 5-tuple and TCP sequence numbers."""

    def __init__(self, rng, proto, v6):
        self.proto, self.v6 = proto, v6
        self.lan, self.wan = _addr(rng, v6, "lan"), _addr(rng, v6, "wan")
        self.lport = rng.randrange(1024, 65536)
        self.wport = rng.choice([53, 443, rng.randrange(1024, 65536)])
        self.seq = {"lan": rng.randrange(1 << 32), "wan": rng.randrange(1 << 32)}

    def l4(self, rng, side, flags=None):
        """A segment or datagram from side ("lan" or "wan")."""
        sport, dport = (self.lport, self.wport) if side == "lan" else \
            (self.wport, self.lport)
        if self.proto == "udp":
            return UDP(sport=sport, dport=dport) / _pay(rng)
        other = "wan" if side == "lan" else "lan"
        pay = _pay(rng) if flags == "PA" else Raw(b"")
        seg = TCP(sport=sport, dport=dport, flags=flags, window=65535,
                  seq=self.seq[side] & 0xFFFFFFFF,
                  ack=(self.seq[other] if "A" in flags else 0) & 0xFFFFFFFF)
        self.seq[side] += len(pay) + (1 if "S" in flags else 0)
        return seg / pay

    def frame(self, rng, macs, side, flags=None):
        node = "host" if side == "lan" else "upstream"
        src, dst = (self.lan, self.wan) if side == "lan" else \
            (self.wan, self.lan)
        return bytes(Ether(src=macs[node][0], dst=macs[node][1]) /
                     _ip(self.v6, src, dst) / self.l4(rng, side, flags))


def _unsolicited(rng, macs):
    """A frame from the upstream to the LAN that opens no allowed flow."""
    v6 = rng.random() < 0.4
    ip = _ip(v6, _addr(rng, v6, "wan"), _addr(rng, v6, "lan"))
    r = rng.random()
    if r < 0.6:
        l4 = UDP(sport=rng.randrange(1, 65536),
                 dport=rng.randrange(1, 65536)) / _pay(rng)
    elif r < 0.85:
        l4 = TCP(sport=rng.randrange(1024, 65536),
                 dport=rng.choice([22, 80, 443]), flags="S")
    else:
        l4 = (ICMPv6EchoRequest if v6 else ICMP)(id=rng.randrange(65536)) / \
            _pay(rng)
    return bytes(Ether(src=macs["upstream"][0], dst=macs["upstream"][1]) /
                 ip / l4)


def _lan_other(rng, macs):
    """A LAN -> WAN frame outside the flows: a ping, an opener from a
    source uRPF refuses, or a datagram nobody answers."""
    v6 = rng.random() < 0.4
    src = _addr(rng, v6, "lan")
    r = rng.random()
    if r < 0.3 and not v6:
        src = SPOOFED_LAN_SRC
    ip = _ip(v6, src, _addr(rng, v6, "wan"))
    if r < 0.6:
        l4 = UDP(sport=rng.randrange(1024, 65536),
                 dport=rng.randrange(1, 65536)) / _pay(rng)
    else:
        l4 = (ICMPv6EchoRequest if v6 else ICMP)(id=rng.randrange(65536)) / \
            _pay(rng)
    return bytes(Ether(src=macs["host"][0], dst=macs["host"][1]) / ip / l4)


def edge_phases(rng, macs, n_flows=48, n_data=16, n_other=120):
    flows = [_Flow(rng, rng.choice(["udp", "udp", "tcp"]), rng.random() < 0.35)
             for _ in range(n_flows)]
    p1 = [f.frame(rng, macs, "lan", "S") for f in flows]
    p1 += [_lan_other(rng, macs) for _ in range(n_other // 4)]
    p2 = [f.frame(rng, macs, "wan", "SA") for f in flows]
    p2 += [_unsolicited(rng, macs) for _ in range(n_other // 2)]
    p3 = [f.frame(rng, macs, "lan", "A") for f in flows if f.proto == "tcp"]
    data = {"lan": [], "wan": []}
    for _ in range(n_data):
        for f in flows:
            for side in ("lan", "wan"):
                data[side].append(f.frame(rng, macs, side, "PA"))
    host4, up4 = data["lan"], data["wan"]
    # (the flows' own frames stay in order, the others fall among them)
    for _ in range(n_other // 2):
        host4.insert(rng.randrange(len(host4) + 1), _lan_other(rng, macs))
    for _ in range(n_other):
        up4.insert(rng.randrange(len(up4) + 1), _unsolicited(rng, macs))
    return [({"host": p1}, 0.3), ({"upstream": p2}, 0.3),
            ({"host": p3}, 2.3), ({"host": host4, "upstream": up4}, 0)]


def flow_frames(n_flows=48, n_data=16):
    """How many of phase 4's frames belong to the flows (both ways)."""
    return 2 * n_flows * n_data
