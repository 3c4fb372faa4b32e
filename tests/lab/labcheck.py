# SPDX-License-Identifier: GPL-2.0-only
"""The checks every lab test makes, on a lab deployed by clab.py:
reachability, a stream forwarded by XDP on every transit router (and not
by the kernel), traceroute through every router, the maps following
zebra, and a stream's outage across a failure."""
import atexit
import ipaddress
import json
import os
import re
import subprocess
import time

import stateful_flows
from clab import Lab
from xrtest import Results, unique, wait_for

PY = "/usr/bin/python3"
FLOWS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flows.py")


class LabTest(Results):
    """A lab deployed under a unique prefix, destroyed at exit."""

    def __init__(self, lab_name, build, dpctl):
        super().__init__()
        self.dpctl = dpctl
        self.lab = Lab(lab_name, build, prefix=unique(f"xl{lab_name[:4]}"))
        atexit.register(self.lab.down, quiet=True)
        t0 = time.monotonic()
        self.lab.up()
        self.lab.wait_routerd()
        print(f"lab {lab_name} deployed as {self.lab.prefix}-* in "
              f"{time.monotonic() - t0:.1f}s", flush=True)
        self.owner = {}
        for n in self.lab.nodes.values():
            for a in n.addresses():
                self.owner[a] = n.name

    def __getitem__(self, name):
        return self.lab[name]

    def ping(self, src, dst, n=3):
        out = self.lab[src].run(f"ping -c{n} -i0.2 -W2 {dst}", check=False)
        return " 0% packet loss" in out

    def wait_ping(self, src, dst, timeout=30):
        """Until src reaches dst (routing protocols converge meanwhile)."""
        wait_for(lambda: self.ping(src, dst, 1), timeout, 0.2,
                 what=f"{src} to reach {dst}")

    def traceroute(self, src, dst):
        """The nodes owning each hop's address, in order."""
        fam = "-6" if ":" in dst else "-4"
        out = self.lab[src].run(f"traceroute {fam} -n -q1 -w2 -m8 {dst}",
                                check=False)
        hops = []
        for line in out.splitlines()[1:]:
            m = re.match(r"\s*\d+\s+(\S+)", line)
            if m:
                hops.append(self.owner.get(m.group(1), m.group(1)))
        return hops, out

    def check_traceroute(self, src, dst, path):
        """path: a node per hop, or a tuple of the nodes ECMP may pick."""
        hops, out = self.traceroute(src, dst)
        ok = len(hops) == len(path) and all(
            h in (p if isinstance(p, tuple) else (p,))
            for h, p in zip(hops, path))
        shown = " ".join("|".join(p) if isinstance(p, tuple) else p
                         for p in path)
        self.check(ok, f"traceroute {src} -> {dst} shows {shown}", out)

    def stream(self, src, dst_node, addr, count, pps, flows=16, during=None,
               port=9000, idle=1.5):
        """Sends a stream, runs during() meanwhile; the receiver's JSON."""
        recv = self.lab[dst_node].popen([PY, FLOWS, "recv", str(port),
                                         str(idle)], stdout=subprocess.PIPE,
                                        text=True)
        recv.stdout.readline()
        send = self.lab[src].popen([PY, FLOWS, "send", addr, str(port),
                                    str(count), str(pps), str(flows)])
        extra = during() if during else None
        send.wait()
        out = json.loads(recv.stdout.readline())
        recv.wait()
        out["during"] = extra
        return out

    def snapshot(self, routers):
        return {r: (self.lab[r].counters(self.dpctl),
                    self.lab[r].kernel_forwarded()) for r in routers}

    def check_fast_path(self, src, dst_node, addr, transit, count=4000,
                        pps=4000):
        """>= 99% of a stream forwarded by XDP on every transit router,
        < 1% by the kernel; returns the receiver's report."""
        before = self.snapshot(transit)
        got = self.stream(src, dst_node, addr, count, pps)
        after = self.snapshot(transit)
        self.check(got["received"] == count,
                   f"stream {src} -> {addr}: all {count} received",
                   str(got["received"]))
        for r in transit:
            self.check_split(
                r, addr, after[r][0]["forwarded"] - before[r][0]["forwarded"],
                after[r][1] - before[r][1], count)
        return got

    def check_split(self, r, what, xdp, kern, total):
        """On router r, >= 99% of total forwarded by XDP, < 1% by the
        kernel (what names the traffic in the report)."""
        print(f"  {r}: {what}: XDP forwarded {xdp}/{total} "
              f"({100.0 * xdp / total:.1f}%), kernel forwarded {kern}",
              flush=True)
        self.check(xdp >= 0.99 * total, f"{r}: >= 99% via XDP ({what})",
                   f"{xdp}/{total}")
        self.check(kern < 0.01 * total,
                   f"{r}: kernel forwarded < 1% ({what})", f"{kern}/{total}")

    def check_stateful_fast_path(self, src, dst_node, addr, transit,
                                 count=3000, pps=3000):
        """An established flow (stateful_flows.echo_stream): every datagram
        there and back, >= 99% of both directions forwarded by XDP on
        every transit router, < 1% by the kernel."""
        got = stateful_flows.echo_stream(
            self.lab[src], self.lab[dst_node], addr, count, pps,
            [self.lab[r] for r in transit], self.dpctl)
        self.check(got["received"] == count and got["echoes"] == count,
                   f"flow {src} -> {addr} and back: all {count} both ways",
                   f"received {got['received']}, echoes {got['echoes']}")
        for r in transit:
            self.check_split(r, f"{addr}, established", got[r]["xdp"],
                             got[r]["kernel"], 2 * count)
        return got

    def check_tcp_fast_path(self, src, dst_node, addr, transit,
                            nbytes=4_000_000):
        """A TCP transfer src -> addr (checksummed, closed cleanly): after
        the handshake its segments cross every transit router's fast path;
        the kernel forwards only the handshake and the teardown (SYN, FIN,
        RST punt so conntrack sees every state change)."""
        got = stateful_flows.tcp_transfer(
            self.lab[src], self.lab[dst_node], addr, nbytes,
            [self.lab[r] for r in transit], self.dpctl)
        self.check(got["ok"], f"tcp {src} -> {addr}: {nbytes} bytes intact, "
                   f"closed", got["detail"])
        for r in transit:
            xdp, kern = got[r]["xdp"], got[r]["kernel"]
            print(f"  {r}: tcp {addr}: XDP forwarded {xdp}, kernel "
                  f"forwarded {kern}", flush=True)
            self.check(xdp > 2000 and kern < 40,
                       f"{r}: tcp {addr} by XDP, the kernel only the "
                       f"handshake and teardown", f"XDP {xdp}, kernel {kern}")
        return got

    def check_dropped(self, src, dst_node, addr, transit, what, counter,
                      xdp_on, count=1000, pps=2000):
        """A stream the firewall drops: none of it arrives at dst_node and
        each transit router's kernel drops all of it (its ruleset's
        counter before the policy, counter = the rule's comment). With
        XDP (xdp_on) the program forwards none of it and punts all of it
        as conntrack-miss: the kernel decides, as it does without XDP."""
        got = stateful_flows.unsolicited_stream(
            self.lab[src], self.lab[dst_node], addr, count, pps,
            [self.lab[r] for r in transit], self.dpctl, counter)
        self.check(got["received"] == 0, f"stream {src} -> {addr} ({what}): "
                   f"0 of {count} received", str(got["received"]))
        for r in transit:
            d = got[r]
            miss = d.get("conntrack-miss", 0)
            print(f"  {r}: {addr} ({what}): kernel dropped {d['rule']}/"
                  f"{count}, XDP forwarded {d['xdp']}, punted as "
                  f"conntrack-miss {miss}", flush=True)
            self.check(d["rule"] == count,
                       f"{r}: the kernel's policy drops all of it ({addr}, "
                       f"{what})", f"{d['rule']}/{count}")
            if xdp_on:
                self.check(d["xdp"] == 0 and miss >= count,
                           f"{r}: XDP forwards none, punts all as "
                           f"conntrack-miss ({addr})",
                           f"forwarded {d['xdp']}, conntrack-miss {miss}")
        return got

    def maps_nexthop_ifname(self, router, addr):
        """The interface the XDP maps send addr out of: a name, 'group:N'
        for a group, or the action when the maps do not forward it."""
        n = self.lab[router]
        ans = n.dpctl(self.dpctl, f"lookup {addr}").split()[1:]
        if ans[0] != "nexthop":
            return ":".join(ans)
        ifindex = n.dpctl(self.dpctl, f"nexthop-get {ans[1]}").split()[1]
        return ifname_of(n, int(ifindex))

    def zebra_ifnames(self, router, prefix):
        """The interfaces zebra's FIB sends prefix out of."""
        fam = "ipv6" if ":" in prefix else "ip"
        e = self.lab[router].frr.fib(fam).get(prefix)
        if not e:
            return set()
        return {nh.get("interfaceName") for nh in e.get("nexthops", [])
                if nh.get("fib")}

    def maps_vs_zebra(self, router):
        """For an address in each of zebra's routes, the interfaces zebra's
        longest match uses against what the XDP maps do; the mismatches."""
        n = self.lab[router]
        fib = []
        for fam in ("ip", "ipv6"):
            for prefix, e in n.frr.fib(fam).items():
                fib.append((ipaddress.ip_network(prefix), e.get("protocol"), {
                    nh.get("interfaceName") for nh in e.get("nexthops", [])
                    if nh.get("fib")}))
        bad = []
        for net, proto, _ in fib:
            if proto in ("connected", "local", "kernel"):
                continue
            addr = (net.broadcast_address - 1 if net.num_addresses > 2
                    else net.network_address)
            best = max((f for f in fib if f[0].version == addr.version
                        and addr in f[0]), key=lambda f: f[0].prefixlen)
            if best[1] in ("connected", "local", "kernel"):
                continue
            have = self.maps_nexthop_ifname(router, str(addr))
            ok = (have in best[2] if len(best[2]) == 1 else
                  have.startswith("group") and len(best[2]) > 1)
            if not ok:
                bad.append(f"{addr}: zebra {sorted(best[2])} maps {have}")
        return bad

    def check_maps_follow_zebra(self, router, timeout=10):
        """Every route of zebra's FIB leaves through the same interface in
        the maps (polled: the maps trail zebra by a moment)."""
        last = []

        def match():
            last[:] = self.maps_vs_zebra(router)
            return not last
        try:
            wait_for(match, timeout, 0.2, what=f"{router}'s maps")
            self.check(True, f"{router}: maps follow zebra's FIB")
        except AssertionError:
            self.check(False, f"{router}: maps follow zebra's FIB",
                       "; ".join(last))


def ifname_of(node, ifindex):
    for link in json.loads(node.ip("-j link show")):
        if link["ifindex"] == ifindex:
            return link["ifname"]
    return f"ifindex{ifindex}"
