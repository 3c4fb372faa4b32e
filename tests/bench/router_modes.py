# SPDX-License-Identifier: GPL-2.0-only
"""The router's four modes, the sink's counter, and the route tables
installed in the kernel FIB and in two copies of our maps.

  linux             no XDP program: the kernel forwards (GRO keeps NAPI)
  fib-helper        fib_helper.bpf.c: bpf_fib_lookup() on the kernel FIB
  xdp-router-lpm    our forwarder, both families in the BPF LPM tries
                    (--fib lpm)
  xdp-router-dir24  our forwarder, the compiled FIBs: IPv4 DIR-24-8, IPv6
                    multibit trie (--fib dir24, the default)

Each xdp-router mode has its own pin dir (program and maps), filled with
the same table. Modes switch by attaching a pinned program with ip(8); the
tables stay loaded, so the modes can alternate run by run at each size.
Our maps are filled by fib-load (fib_load.c), which also times the writes.

Modes added for issues 17-19, measured in the same run:

  harness-limit     redirect_only.bpf.c: every frame to the sink's port, no
                    parsing, no lookup: what the harness itself can carry
  xdp-router-sample dir24 loaded with flow sampling on (--flow-sample, the
                    load-time switch of bpf/flow_sample.h), 1 in 1000
                    frames; the ring is drained during the whole run
                    (sample_drain.py), as the daemon's exporter would
  xdp-router-urpf   dir24 with strict uRPF (rp_filter=1) on both ports
  linux-edge        the kernel with the edge config: strict uRPF on every
                    interface and 50 ip rules that do not match the stream
  xdp-router-edge   dir24 with the same config as the daemon compiles it:
                    the plan flags and the 50 rules in the rule banks
  linux-stateful    the kernel with the edge nftables ruleset (issue 18:
                    policy drop, `ct state established,related accept`
                    first) and strict uRPF, the stream's 65536 flows
                    established in conntrack beforehand (prime_stateful)
  xdp-router-stateful  dir24 with the plan the daemon makes of that
                    ruleset (xr-nftcheck: the forward chain is certain for
                    established flows, so its punts become conntrack
                    checks) and strict uRPF

The kernel's own configuration follows the mode: rp_filter and the rules
are set while a urpf or edge mode runs (our modes punt to that kernel) and
removed for the others.
"""
import json
import os
import subprocess
import time

from xrtest import sh
import route_table
import topology as topo

MODES = ("linux", "fib-helper", "xdp-router-lpm", "xdp-router-dir24",
         "harness-limit", "xdp-router-sample", "xdp-router-urpf",
         "linux-edge", "xdp-router-edge", "linux-stateful",
         "xdp-router-stateful")
# The first four, for the plot and the historical tables.
BASE_MODES = MODES[:4]
# Multibit trie nodes for the dir24 pin dir, whose IPv6 is compiled too: the
# harness's IPv6 table is uniformly random, the sparsest kind, and takes
# about 5.5 nodes per route (1.1M at 200k routes).
MBT_NODES = 1 << 21
# The xdp-router modes, by their pin dir.
XDP_MODES = {"xdp-router-lpm": "lpm", "xdp-router-dir24": "dir24",
             "xdp-router-sample": "sample", "xdp-router-urpf": "urpf",
             "xdp-router-edge": "edge", "xdp-router-stateful": "stateful"}
# Each pin dir's FIB structure (--fib) and other load switches.
PINS = {"lpm": ("lpm", ""), "dir24": ("dir24", ""),
        "sample": ("dir24", "--flow-sample"), "urpf": ("dir24", ""),
        "edge": ("dir24", ""), "stateful": ("dir24", "")}
SAMPLE_RATE = 1000
# The edge config (issue 17): 50 ip rules between local and main that the
# stream (from 10.8.0.2) never matches, each sending its source to another
# table, as an operator's policy routing does.
EDGE_RULES = [(1000 + k, f"198.18.{k}.0/24") for k in range(50)]
# The kernel config each mode runs under (None: rp_filter 0, no rules).
KERNEL_CFG = {"xdp-router-urpf": "urpf", "linux-edge": "edge",
              "xdp-router-edge": "edge", "linux-stateful": "stateful",
              "xdp-router-stateful": "stateful"}
# The stateful modes' stream: the same destinations with one source port,
# so one flow per destination, each established in conntrack first.
STATEFUL_MODES = ("linux-stateful", "xdp-router-stateful")
STATEFUL_SPORT = 4000
# The edge ruleset of issue 18 with the harness's port names.
NFT_TABLE = "xbench"
NFT_RULESET = """table inet {table} {{
  chain forward {{
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ct state invalid drop
    iifname "{lan}" oifname "{wan}" accept
  }}
}}
"""
# Long enough that no established flow expires in a run; the kernel and
# our program refresh entries with it alike (the loader reads it).
CT_UDP_STREAM_S = 3600
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
        self.fib_load = os.path.join(build, "tests/bench/fib-load")
        self.nftcheck = os.path.join(build, "tests/tools/xr-nftcheck")
        self.pin = {k: os.path.join(pin_root, k)
                    for k in ("fib", "sink", "limit", *PINS)}
        self.mode = None
        self.kcfg = None
        # unreclaimable slab grown while each structure was filled, by
        # "STRUCTURE-vFAMILY" (kernel, lpm, dir24)
        self.slab = {}
        self.loaded = {4: 0, 6: 0}
        # seconds per load step, and the last fib-load report per pin
        self.load_log = []
        self.fib_stats = {}
        obj = os.path.join(build, "tests/bench")
        for k in ("fib", "sink", "limit"):
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
        sh(f"bpftool prog load {obj}/redirect_only.bpf.o "
           f"{self.pin['limit']}/prog type xdp pinmaps {self.pin['limit']}")
        sh(f"{nsenter(t.rtr)} bpftool map update pinned "
           f"{self.pin['limit']}/tx_port key 0 0 0 0 value hex {ifx}")
        t.rtr.run("sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream="
                  f"{CT_UDP_STREAM_S}")
        for kind in PINS:
            self._load_ours(kind, t, v4_max)
        self._plan(t)
        t.rtr.ip(f"route add {route_table.ECMP_V4} nexthop via {topo.GW_V4} "
                 f"dev {t.o} nexthop via {topo.GW2_V4} dev {t.o}")
        t.rtr.ip(f"-6 route add {route_table.ECMP_V6} nexthop via "
                 f"{topo.GW_V6} dev {t.o} nexthop via {topo.GW2_V6} "
                 f"dev {t.o}")

    def _load_ours(self, kind, t, v4_max):
        """Program and maps in pin dir `kind`, with the harness's fixed
        nexthops, groups and probe routes. The generator's subnet is
        there for uRPF (the route back to the source, through the
        ingress), as the daemon would have it from the kernel."""
        fib, extra = PINS[kind]
        self.dp(kind, f"""
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
            route 10.8.0.0/24 connected {t.i}
            route fd00:8::/64 connected {t.i}
            neigh {t.o} {topo.GW_V4} {t.mac[t.s]}
            neigh {t.o} {topo.GW_V6} {t.mac[t.s]}
            route {route_table.ECMP_V4} group {GROUP}
            route {route_table.ECMP_V6} group {GROUP + 1}
        """, extra=f"--v4-max {v4_max} --fib {fib} "
                   f"--fib6-nodes {MBT_NODES} {extra}")
        out = self.dp(kind, f"iface {t.o}")
        if "tx yes" not in out:
            raise RuntimeError(f"egress {t.o} cannot take XDP frames: {out}")

    def _plan(self, t):
        """What the daemon would compile from the urpf and edge configs.
        The rules: the kernel's own, with the edge config on, compiled
        and published by the daemon's code (xr-dpctl rules-kernel:
        ip_rules_compile, xr_rules_publish), which names the plan flag
        the daemon then sets on every interface (kernel/rules_follow.c:
        a rule without iif can match any). uRPF: rp-filter-strict on both
        ports (kernel/netconf.c, from max(all, dev) = 1). The sampling pin
        gets its rate, as the sFlow config would set it."""
        self.dp("urpf", f"iface {t.i} plan rp-filter-strict\n"
                        f"iface {t.o} plan rp-filter-strict")
        self._kernel_config("edge")
        out = self.dp("edge", "rules-kernel v4").split()
        self._kernel_config(None)
        if out[:2] != ["ok", str(len(EDGE_RULES))]:
            raise RuntimeError(f"edge rules compiled as {out}")
        plan = f"rp-filter-strict,{out[2]}"
        self.edge_plan = plan
        self.dp("edge", f"iface {t.i} plan {plan}\n"
                        f"iface {t.o} plan {plan}")
        # The ruleset as the daemon's analysis judges it
        # (kernel/nft_stateful.h, through xr-nftcheck): a certain chain's
        # punts become conntrack checks on every interface it sees, both
        # families (inet), and tcp_be_liberal=0 adds the window flag
        # (kernel/ct_sysctl.c).
        self._kernel_config("stateful")
        verdict = sh(f"{nsenter(t.rtr)} {self.nftcheck} 4")
        self._kernel_config(None)
        if f"inet {NFT_TABLE} forward certain" not in verdict:
            raise RuntimeError(f"edge ruleset not certain: {verdict}")
        plan = ("rp-filter-strict,ipv4-conntrack-in,ipv4-conntrack-out,"
                "ipv6-conntrack-in,ipv6-conntrack-out,"
                "conntrack-tcp-window-strict")
        self.stateful_plan = plan
        self.dp("stateful", f"iface {t.i} plan {plan}\n"
                            f"iface {t.o} plan {plan}")
        self.dp("sample", f"sample-rate {SAMPLE_RATE}")

    def _kernel_config(self, cfg):
        """rp_filter=1 on every interface for urpf and edge, and the 50
        rules for edge; both off otherwise."""
        if cfg == self.kcfg:
            return
        t = self.t
        if (cfg == "stateful") != (self.kcfg == "stateful"):
            if cfg == "stateful":
                subprocess.run(f"{nsenter(t.rtr)} nft -f -", shell=True,
                               check=True, text=True,
                               input=NFT_RULESET.format(
                                   table=NFT_TABLE, lan=t.i, wan=t.o))
            else:
                t.rtr.run(f"nft delete table inet {NFT_TABLE}")
        rp = 1 if cfg else 0
        self.t.rtr.run("sysctl -qw " + " ".join(
            f"net.ipv4.conf.{d}.rp_filter={rp}"
            for d in ("all", "default", "lo", t.i, t.o)))
        if (cfg == "edge") != (self.kcfg == "edge"):
            verb = "add" if cfg == "edge" else "del"
            subprocess.run(f"ip -n {t.rtr.name} -batch -", shell=True,
                           check=True, text=True, input="".join(
                               f"rule {verb} pref {pref} from {p} lookup "
                               "100\n" for pref, p in EDGE_RULES))
        self.kcfg = cfg

    def dp(self, kind, script, extra=""):
        """Runs xr-dpctl lines on pin dir `kind`; returns its output,
        fails on any 'err'."""
        lines = "\n".join(ln.strip() for ln in script.strip().splitlines())
        r = subprocess.run(f"{nsenter(self.t.rtr)} {self.dpctl} --pin "
                           f"{self.pin[kind]} {extra} -", shell=True,
                           input=lines + "\n", text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0 or "\nerr" in "\n" + r.stdout:
            bad = [ln for ln in r.stdout.splitlines() if not
                   ln.startswith("ok")][:5]
            raise RuntimeError(f"xr-dpctl failed: {bad}")
        return r.stdout

    def add_routes(self, family, routes, workdir):
        """Installs routes[loaded:] in the kernel FIB and in both copies of
        our maps; logs the seconds each took."""
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
        step = {"family": family, "from": start, "to": len(routes)}
        s0 = read_meminfo("SUnreclaim")
        t0 = time.monotonic()
        sh(f"ip -{family} -n {self.t.rtr.name} -batch {kfile}")
        step["kernel_s"] = time.monotonic() - t0
        self._slab(f"kernel-v{family}", s0)
        os.unlink(kfile)
        # The trie takes the new routes only. The compiled FIB's shadow
        # lives in the writing process, so a new fib-load gets the whole
        # IPv4 table and repaints every entry by its longest prefix.
        whole = [route_table.prefix_str(family, n, ln) for n, ln in routes]
        for kind, (fib, _) in PINS.items():
            todo = whole if fib == "dir24" and family == 4 else pfx
            rfile = os.path.join(workdir, f"ours-{kind}-v{family}.txt")
            with open(rfile, "w") as f:
                f.writelines(p + "\n" for p in todo)
            s0 = read_meminfo("SUnreclaim")
            rep = run_fib_load(self.fib_load, self.pin[kind], rfile, nh)
            self._slab(f"{kind}-v{family}", s0)
            os.unlink(rfile)
            step[f"{kind}_s"] = rep["add"]["seconds"]
            step[f"{kind}_routes"] = rep["add"]["routes"]
            self.fib_stats[kind] = rep["add"]
        self.load_log.append(step)
        self.loaded[family] = len(routes)

    def _slab(self, key, before):
        grown = read_meminfo("SUnreclaim") - before
        self.slab[key] = self.slab.get(key, 0) + grown

    def set_mode(self, mode):
        t = self.t
        sh(f"ip -n {t.rtr.name} link set dev {t.i} xdp off")
        self._kernel_config(KERNEL_CFG.get(mode))
        if mode == "fib-helper":
            prog = f"{self.pin['fib']}/prog"
        elif mode == "harness-limit":
            prog = f"{self.pin['limit']}/prog"
        elif mode in XDP_MODES:
            prog = f"{self.pin[XDP_MODES[mode]]}/xdp_router_prog"
        else:
            prog = None
        if prog:
            sh(f"{nsenter(t.rtr)} ip link set dev {t.i} xdpdrv pinned {prog}")
        self.mode = mode

    def prime_stateful(self, family, dfile, seconds=4.0):
        """Establishes the stateful stream's flows in the router's
        conntrack as real traffic would, under the stateful config: the
        stream (each flow's entry created, accepted by the lan->wan rule),
        its reply from the sink's side (seen replied), and after the 2 s
        the kernel waits the stream again (assured). Returns how many
        assured entries of the stream conntrack then holds. Each pass
        lasts seconds: the router takes a fraction of what the generator
        offers, in an order that visits every flow, so a pass that long
        reaches nearly all of them; the count says how many."""
        import measure
        t = self.t
        self.set_mode("linux-stateful")
        measure.send(self, family, dfile, seconds, STATEFUL_SPORT)
        # The router's egress needs NAPI to take the sink's XDP frames.
        gro = "on" in t.rtr.run(f"ethtool -k {t.o} | grep "
                                "generic-receive-offload")
        t.rtr.run(f"ethtool -K {t.o} gro on")
        # Longer: the replies are forwarded by the kernel in softirq on
        # the CPU that sends them, the generator's.
        measure.send(self, family, dfile, 2 * seconds, STATEFUL_SPORT,
                     reverse=True)
        t.rtr.run(f"ethtool -K {t.o} gro {'on' if gro else 'off'}")
        time.sleep(2.2)
        measure.send(self, family, dfile, seconds, STATEFUL_SPORT)
        out = sh(f"{nsenter(t.rtr)} conntrack -L -f ipv{family} -p udp "
                 f"--sport {STATEFUL_SPORT} --dport 9 2>/dev/null",
                 check=False)
        # An earlier table's flows may still be there (same port): count
        # this stream's destinations only.
        raw = open(dfile, "rb").read()
        dsts = {route_table.addr_str(family, raw[i:i + 16])
                for i in range(0, len(raw), 16)}
        n = 0
        for ln in out.splitlines():
            if "[ASSURED]" not in ln:
                continue
            dst = next((f[4:] for f in ln.split() if f.startswith("dst=")),
                       None)
            n += dst in dsts
        return n

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

    def xr_counters(self, mode):
        out = self.dp(XDP_MODES[mode], "counters")
        c = {}
        for ln in out.splitlines():
            f = ln.split()
            if len(f) == 3 and f[1].isdigit():
                c[f[0]] = int(f[1])
        return c

    def map_memory(self):
        """{structure: {map: bytes_memlock}} of our route maps, as bpftool
        reports them (the fib4_* arrays are preallocated: their full size)."""
        out = {}
        for kind in ("lpm", "dir24"):
            out[kind] = {}
            for m in ("route_v4", "route_v6", "fib4_tbl24", "fib4_tbl8",
                      "fib4_leaves", "fib6_root", "fib6_nodes",
                      "fib6_leaves"):
                j = json.loads(sh(f"bpftool map show pinned "
                                  f"{self.pin[kind]}/{m} -j"))
                out[kind][m] = j.get("bytes_memlock", 0)
        return out


def run_fib_load(tool, pin, rfile, nh, delete=False):
    """{"add": {...}, ["del": {...}]} from one fib-load run: routes,
    seconds, rate, open (adoption scan), blocks, leaves."""
    out = sh(f"{tool} --pin {pin} --nexthop {nh} "
             f"{'--del ' if delete else ''}{rfile}")
    rep = {}
    for ln in out.splitlines():
        f = ln.split()
        if f and f[0] in ("add", "del"):
            kv = dict(x.split("=") for x in f[4:])
            rep[f[0]] = {"routes": int(f[1]), "seconds": float(f[2]),
                         "rate": float(f[3]), "open": float(kv["open"]),
                         "blocks": int(kv["blocks"]),
                         "leaves": int(kv["leaves"]),
                         "nodes": int(kv["nodes"])}
    return rep
