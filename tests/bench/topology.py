# SPDX-License-Identifier: GPL-2.0-only
"""The benchmark's three namespaces and where their work runs.

  gen [g] 10.8.0.2 ---- 10.8.0.1 [i] router [o] 10.9.0.1 ---- 10.9.0.2 [s] sink
      fd00:8::2           fd00:8::1        fd00:9::1           fd00:9::2

CPU placement on a 2-core machine:
  CPU 0: traffic-gen (taskset) and the sink's NAPI thread (XDP drop, cheap,
         SCHED_FIFO so the generator only gets the time the sink leaves)
  CPU 1: the router's ingress NAPI thread, where every router mode does its
         work: kernel forwarding of the skb, or the XDP program and the
         redirect into the sink's veth ring.
The router's NAPI is made threaded so it can be pinned: with softirq NAPI
it would run on whichever CPU raised it, i.e. the generator's.
"""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Netns, sh  # noqa: E402

GEN_CPU = 0
ROUTER_CPU = 1
SINK_CPU = 0

GW_V4, GW2_V4 = "10.9.0.2", "10.9.0.3"
GW_V6, GW2_V6 = "fd00:9::2", "fd00:9::3"
GEN_V4, GEN_V6 = "10.8.0.2", "fd00:8::2"


def mac_of(ns, dev):
    return ns.ip(f"-br link show {dev}").split()[2]


def ifindex_of(ns, dev):
    return int(ns.ip(f"-o link show {dev}").split(":")[0])


class Topology:
    def __init__(self, tag):
        self.gen = Netns(f"xb-gen-{tag}")
        self.rtr = Netns(f"xb-rtr-{tag}")
        self.sink = Netns(f"xb-snk-{tag}")
        # Short names: the NAPI thread is "napi/<dev>-<id>", in a
        # 15-character comm.
        self.g, self.i = f"xbg{tag}", f"xbi{tag}"
        self.o, self.s = f"xbo{tag}", f"xbs{tag}"
        sh(f"ip link add {self.g} netns {self.gen.name} type veth "
           f"peer name {self.i} netns {self.rtr.name}")
        sh(f"ip link add {self.o} netns {self.rtr.name} type veth "
           f"peer name {self.s} netns {self.sink.name}")
        self._addr(self.gen, self.g, "10.8.0.2/24", "fd00:8::2/64")
        self._addr(self.rtr, self.i, "10.8.0.1/24", "fd00:8::1/64")
        self._addr(self.rtr, self.o, "10.9.0.1/24", "fd00:9::1/64")
        self._addr(self.sink, self.s, "10.9.0.2/24", "fd00:9::2/64")
        self.rtr.run("sysctl -qw net.ipv4.ip_forward=1 "
                     "net.ipv6.conf.all.forwarding=1 "
                     "net.ipv4.conf.all.rp_filter=0 "
                     "net.ipv4.fib_multipath_hash_policy=1 "
                     "net.ipv6.fib_multipath_hash_policy=1 "
                     "net.ipv6.route.max_size=4194304")
        # The router's ingress needs NAPI in every mode (frames from the
        # generator are XDP frames): GRO keeps it when no program is
        # attached. Threaded, so it can be pinned.
        self.rtr.run(f"ethtool -K {self.i} gro on")
        self.make_threaded(self.rtr, self.i)
        self.mac = {d: mac_of(ns, d) for ns, d in
                    ((self.gen, self.g), (self.rtr, self.i),
                     (self.rtr, self.o), (self.sink, self.s))}
        # Static neighbours: no ARP/ND in the measured path, and both
        # gateways of the ECMP route resolve to the sink.
        for gw in (GW_V4, GW2_V4, GW_V6, GW2_V6):
            self.rtr.ip(f"neigh replace {gw} lladdr {self.mac[self.s]} "
                        f"dev {self.o} nud permanent")

    @staticmethod
    def _addr(ns, dev, v4, v6):
        ns.ip(f"addr add {v4} dev {dev}")
        ns.ip(f"addr add {v6} dev {dev} nodad")
        ns.ip(f"link set {dev} up")

    @staticmethod
    def make_threaded(ns, dev):
        """Needs NAPI to exist: GRO on, or an XDP program attached."""
        ns.run(f"sh -c 'echo 1 > /sys/class/net/{dev}/threaded'")

    def pin_napi(self):
        """Pins the NAPI threads; returns {dev: cpu} for the report.
        Called before each window: a thread appears when NAPI is (re)created."""
        placed = {}
        self.napi_pids = {self.i: [], self.s: []}
        for dev, cpu in ((self.i, ROUTER_CPU), (self.s, SINK_CPU)):
            for comm in glob.glob("/proc/[0-9]*/comm"):
                try:
                    name = open(comm).read().strip()
                except OSError:
                    continue
                if name.startswith(f"napi/{dev}-"):
                    pid = comm.split("/")[2]
                    subprocess.run(["taskset", "-pc", str(cpu), pid],
                                   stdout=subprocess.DEVNULL, check=False)
                    if dev == self.s:
                        # The sink shares its CPU with the generator's
                        # busy loop; real-time priority lets it drain
                        # its ring first, so it never limits the rate.
                        subprocess.run(["chrt", "-f", "-p", "50", pid],
                                       check=False)
                    placed[dev] = cpu
                    self.napi_pids[dev].append(pid)
        return placed

    def router_cpu_ns(self):
        """CPU time the router's ingress NAPI thread(s) have had, ns
        (schedstat): where every mode does its work, so packets per
        second of it is the mode's rate with the shared host's other jobs
        taken out."""
        total = 0
        for pid in self.napi_pids.get(self.i, []):
            try:
                total += int(open(f"/proc/{pid}/schedstat").read().split()[0])
            except OSError:
                pass
        return total
