# SPDX-License-Identifier: GPL-2.0-only
"""Flows through a stateful firewall on a lab's routers (clab.py nodes),
measured by the routers' counters: an echoed UDP flow once conntrack has
assured it, a TCP transfer, an unsolicited stream the policy drops. Shared
by the lab checks (labcheck.py) and the README demo (edge_demo.py)."""
import json
import os
import subprocess

from xrtest import wait_for

PY = "/usr/bin/python3"
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib",
                    "flowpeer.py")


def ct_assured(router, addr, port):
    """Whether router's conntrack holds an assured UDP entry to addr:port
    (the kernel assures a replied UDP flow on its first packet 2 s after
    the flow began; only then does XDP take it)."""
    fam = "ipv6" if ":" in addr else "ipv4"
    out = router.run(f"conntrack -L -f {fam} -p udp -d {addr} --dport {port}",
                     check=False)
    return "ASSURED" in out


def nft_counter(router, comment):
    """Packets of the rule of router's ruleset whose comment is comment (a
    counter an operator keeps on the policy's drops); 0 without one."""
    rules = json.loads(router.run("nft -j list ruleset"))
    for item in rules["nftables"]:
        rule = item.get("rule")
        if rule and rule.get("comment") == comment:
            for e in rule["expr"]:
                if "counter" in e:
                    return e["counter"]["packets"]
    return 0


def snapshot(transit, dpctl, counter=None):
    """Each router's XDP verdict counters, kernel-forwarded datagrams and
    (counter: a rule's comment) that rule's packets."""
    return {r.name: (r.counters(dpctl), r.kernel_forwarded(),
                     nft_counter(r, counter) if counter else 0)
            for r in transit}


def deltas(before, after):
    """Per router: {"xdp": forwarded by XDP, "kernel": forwarded by the
    kernel, "rule": the rule's packets, reason: XDP packets} between two
    snapshots."""
    out = {}
    for r in before:
        (k0, f0, c0), (k1, f1, c1) = before[r], after[r]
        d = {k: k1[k] - k0.get(k, 0) for k in k1 if k1[k] != k0.get(k, 0)}
        d.update(xdp=k1["forwarded"] - k0["forwarded"], kernel=f1 - f0,
                 rule=c1 - c0)
        out[r] = d
    return out


def echo_stream(src, dst, addr, count, pps, transit, dpctl, port=9100,
                sport=40100):
    """A UDP flow src -> addr, echoed back by dst: a warm-up of a datagram
    every 0.3 s until every transit router's conntrack has assured the
    flow (the kernel forwards those, creates the entry, sees the reply,
    assures it after 2 s), then the stream of count at pps. Returns
    {"sent", "received" (at dst), "echoes" (back at src), router name:
    deltas over the stream}."""
    echo = dst.popen([PY, PEER, "udp-echo", addr, str(port)],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    send = f"{PY} {PEER} udp-send {addr} {port} {sport}"

    def received():
        echo.stdin.write("\n")
        echo.stdin.flush()
        return int(echo.stdout.readline())

    def assured():
        src.run(f"{send} 1 100")
        return all(ct_assured(r, addr, port) for r in transit)
    try:
        echo.stdout.readline()
        wait_for(assured, 10, 0.3, what=f"conntrack to assure {addr}")
        received()
        before = snapshot(transit, dpctl)
        echoes = int(src.run(f"{send} {count} {pps}").split()[-1])
        after = snapshot(transit, dpctl)
        out = {"sent": count, "received": received(), "echoes": echoes}
    finally:
        echo.kill()
        echo.wait()
    out.update(deltas(before, after))
    return out


def tcp_transfer(src, dst, addr, nbytes, transit, dpctl, port=9200):
    """A TCP transfer src -> addr, checksummed and closed. Returns {"ok"
    (every byte intact and closed cleanly), "detail", router name: deltas
    over the transfer}."""
    recv = dst.popen([PY, PEER, "tcp-recv", str(port), "8"],
                     stdout=subprocess.PIPE, text=True)
    recv.stdout.readline()
    before = snapshot(transit, dpctl)
    sent = src.run(f"{PY} {PEER} tcp-send {addr} {port} {nbytes} 8").split()
    got = recv.stdout.readline().split()
    recv.wait()
    after = snapshot(transit, dpctl)
    out = {"ok": got == [str(nbytes), sent[0]] and sent[1] == "closed",
           "detail": f"received {got}, sender {sent}"}
    out.update(deltas(before, after))
    return out


def unsolicited_stream(src, dst, addr, count, pps, transit, dpctl, counter,
                       port=9300, sport=40300):
    """A UDP stream src -> addr nobody asked for, to a listener on dst.
    Returns {"received" (at dst), router name: deltas, "rule" the packets
    of the rule whose comment is counter}."""
    sink = dst.popen([PY, PEER, "udp-echo", addr, str(port)],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        sink.stdout.readline()
        before = snapshot(transit, dpctl, counter)
        src.run(f"{PY} {PEER} udp-send {addr} {port} {sport} {count} {pps}")
        sink.stdin.write("\n")
        sink.stdin.flush()
        out = {"received": int(sink.stdout.readline())}
        after = snapshot(transit, dpctl, counter)
    finally:
        sink.kill()
        sink.wait()
    out.update(deltas(before, after))
    return out
