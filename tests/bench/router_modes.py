# SPDX-License-Identifier: GPL-2.0-only
"""The router's three modes, the sink's counter, and the route tables
installed in both the kernel FIB and our maps.

  linux       no XDP program: the kernel forwards (GRO keeps NAPI)
  fib-helper  fib_helper.bpf.c: bpf_fib_lookup() on the kernel FIB
  xdp-router  our forwarder, with our maps filled with the same table

Modes switch by attaching a pinned program with ip(8); the tables stay
loaded, so the modes can alternate run by run at each table size.
"""
import json
import os
import subprocess

from xrtest import sh
import route_table
import topology as topo

MODES = ("linux", "fib-helper", "xdp-router")
NH_V4, NH_V6, NH2_V4, NH2_V6, GROUP = 1, 2, 3, 4, 10


def nsenter(ns):
    return f"nsenter --net=/run/netns/{ns.name}"


def read_meminfo(field):
    for line in open("/proc/meminfo"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


class Router:
    def __init__(self, t, build, pin_root, v4_max):
        self.t = t
        self.build = build
        self.dpctl = os.path.join(build, "tests/tools/xr-dpctl")
        self.pin = {k: os.path.join(pin_root, k)
                    for k in ("router", "fib", "sink")}
        self.mode = None
        self.slab = {"kernel": 0, "xdp-router": 0}  # unreclaimable slab
        self.loaded = {4: 0, 6: 0}
        obj = os.path.join(build, "tests/bench")
        for k in ("fib", "sink"):
            os.makedirs(self.pin[k], exist_ok=True)
        # The sink first: its program gives the sink's veth NAPI, which
        # makes the router's egress veth able to take XDP frames.
        sh(f"bpftool prog load {obj}/sink_count.bpf.o {self.pin['sink']}/prog "
           f"type xdp pinmaps {self.pin['sink']}")
        sh(f"{nsenter(t.sink)} ip link set dev {t.s} xdpdrv pinned "
           f"{self.pin['sink']}/prog")
        t.make_threaded(t.sink, t.s)
        sh(f"bpftool prog load {obj}/fib_helper.bpf.o {self.pin['fib']}/prog "
           f"type xdp pinmaps {self.pin['fib']}")
        ifx = topo.ifindex_of(t.rtr, t.o).to_bytes(4, "little").hex(" ")
        sh(f"{nsenter(t.rtr)} bpftool map update pinned "
           f"{self.pin['fib']}/tx_ports key hex {ifx} value hex {ifx}")
        self.dp(f"""
            load
            iface {t.i}
            iface {t.o}
            nexthop {NH_V4} {t.o} via {topo.GW_V4} mac {t.mac[t.s]}
            nexthop {NH2_V4} {t.o} via {topo.GW2_V4} mac {t.mac[t.s]}
            nexthop {NH_V6} {t.o} via {topo.GW_V6} mac {t.mac[t.s]}
            nexthop {NH2_V6} {t.o} via {topo.GW2_V6} mac {t.mac[t.s]}
            group {GROUP} {NH_V4} {NH2_V4}
            group {GROUP + 1} {NH_V6} {NH2_V6}
            route 10.9.0.0/24 connected {t.o}
            route fd00:9::/64 connected {t.o}
            neigh {t.o} {topo.GW_V4} {t.mac[t.s]}
            neigh {t.o} {topo.GW_V6} {t.mac[t.s]}
            route {route_table.ECMP_V4} group {GROUP}
            route {route_table.ECMP_V6} group {GROUP + 1}
        """, extra=f"--v4-max {v4_max}")
        out = self.dp(f"iface {t.o}")
        if "tx yes" not in out:
            raise RuntimeError(f"egress {t.o} cannot take XDP frames: {out}")
        t.rtr.ip(f"route add {route_table.ECMP_V4} nexthop via {topo.GW_V4} "
                 f"dev {t.o} nexthop via {topo.GW2_V4} dev {t.o}")
        t.rtr.ip(f"-6 route add {route_table.ECMP_V6} nexthop via "
                 f"{topo.GW_V6} dev {t.o} nexthop via {topo.GW2_V6} "
                 f"dev {t.o}")

    def dp(self, script, extra=""):
        """Runs xr-dpctl lines; returns its output, fails on any 'err'."""
        lines = "\n".join(ln.strip() for ln in script.strip().splitlines())
        r = subprocess.run(f"{nsenter(self.t.rtr)} {self.dpctl} --pin "
                           f"{self.pin['router']} {extra} -", shell=True,
                           input=lines + "\n", text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0 or "\nerr" in "\n" + r.stdout:
            bad = [ln for ln in r.stdout.splitlines() if not
                   ln.startswith("ok")][:5]
            raise RuntimeError(f"xr-dpctl failed: {bad}")
        return r.stdout

    def add_routes(self, family, routes, workdir):
        """Installs routes[loaded:] in the kernel FIB and in our maps."""
        start = self.loaded[family]
        new = routes[start:]
        if not new:
            return
        gw = topo.GW_V4 if family == 4 else topo.GW_V6
        nh = NH_V4 if family == 4 else NH_V6
        pfx = [route_table.prefix_str(family, n, ln) for n, ln in new]
        kfile = os.path.join(workdir, f"kernel-v{family}-{start}.batch")
        with open(kfile, "w") as f:
            f.writelines(f"route add {p} via {gw} dev {self.t.o}\n"
                         for p in pfx)
        s0 = read_meminfo("SUnreclaim")
        sh(f"ip -{family} -n {self.t.rtr.name} -batch {kfile}")
        s1 = read_meminfo("SUnreclaim")
        self.dp("\n".join(f"route {p} nexthop {nh}" for p in pfx))
        s2 = read_meminfo("SUnreclaim")
        self.slab["kernel"] += s1 - s0
        self.slab["xdp-router"] += s2 - s1
        os.unlink(kfile)
        self.loaded[family] = len(routes)

    def set_mode(self, mode):
        t = self.t
        sh(f"ip -n {t.rtr.name} link set dev {t.i} xdp off")
        if mode == "fib-helper":
            prog = f"{self.pin['fib']}/prog"
        elif mode == "xdp-router":
            prog = f"{self.pin['router']}/xdp_router_prog"
        else:
            prog = None
        if prog:
            sh(f"{nsenter(t.rtr)} ip link set dev {t.i} xdpdrv pinned {prog}")
        self.mode = mode

    def sink_packets(self):
        out = sh(f"bpftool map dump pinned {self.pin['sink']}/sink_stats -j")
        total = 0
        for e in json.loads(out):
            for v in e["values"]:
                val = v["value"]
                if isinstance(val, dict):
                    total += val["packets"]
                else:  # raw bytes: packets is the first __u64
                    total += int.from_bytes(bytes(int(b, 16)
                                                  for b in val[:8]), "little")
        return total

    def xr_counters(self):
        out = self.dp("counters")
        c = {}
        for ln in out.splitlines():
            f = ln.split()
            if len(f) == 3 and f[1].isdigit():
                c[f[0]] = int(f[1])
        return c

    def map_memory(self):
        """bytes_memlock of our route maps, as bpftool reports it."""
        out = {}
        for m in ("route_v4", "route_v6"):
            j = json.loads(sh(f"bpftool map show pinned "
                              f"{self.pin['router']}/{m} -j"))
            out[m] = j.get("bytes_memlock", 0)
        return out
