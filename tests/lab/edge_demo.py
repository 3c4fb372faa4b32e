#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The README demo: an edge router in namespaces, driven by FRR.

  host (10.10.1.2) --lan-- router --wan-- upstream (203.0.113.1 "internet")

The router runs zebra -M dplane_fpm_nl + staticd (a default route to the
upstream, configured through vtysh) and xdp-routerd, which compiles zebra's
routes into the XDP fast path on both links. Traffic from the host to the
internet crosses the router's XDP program; the demo prints its counters
next to the kernel's forwarding counter.

usage: edge_demo.py up BUILD_DIR | down
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import Netns, ensure_bpffs, sh, wait_for  # noqa: E402
from frr import Frr, Routerd  # noqa: E402

NAMES = {"host": "xr-demo-host", "router": "xr-demo-router",
         "upstream": "xr-demo-upstream"}
PIN = "/sys/fs/bpf/xr-demo"
STATE = "/run/xr-demo"
STREAM = os.path.join(os.path.dirname(__file__), "..", "lib", "udpstream.py")
ROUTER_CONFIG = """ip route 0.0.0.0/0 192.0.2.2
ipv6 route ::/0 2001:db8:feed::2"""


class KeptNetns(Netns):
    """The demo outlives this script: no cleanup at exit."""

    def __init__(self, name):
        self.name = name
        sh(f"ip netns add {name}")
        sh(f"ip -n {name} link set lo up")


def down():
    pid_file = os.path.join(STATE, "routerd.pid")
    if os.path.exists(pid_file):
        sh(f"kill $(cat {pid_file}) 2>/dev/null", check=False)
    for f in os.listdir(STATE) if os.path.isdir(STATE) else []:
        if f.endswith(".pid") and f != "routerd.pid":
            sh(f"kill $(cat {STATE}/{f}) 2>/dev/null", check=False)
    sh("pkill -f 'frr-xr-demo-router' 2>/dev/null", check=False)
    for n in NAMES.values():
        sh(f"ip netns pids {n} 2>/dev/null | xargs -r kill 2>/dev/null",
           check=False)
        sh(f"ip netns del {n} 2>/dev/null", check=False)
    sh(f"rm -rf {PIN} {STATE}", check=False)
    print("demo lab removed")


def wire(a, a_if, b, b_if):
    sh(f"ip link add {a_if} netns {a.name} type veth peer name {b_if} "
       f"netns {b.name}")
    for ns, ifn in ((a, a_if), (b, b_if)):
        ns.ip(f"link set {ifn} up")


def counters(build):
    out = sh(f"{build}/tests/tools/xr-dpctl --pin {PIN} counters")
    return {ln.split()[0]: int(ln.split()[1]) for ln in out.splitlines()[1:-1]}


def ip_forwarded(router):
    out = router.run("nstat -saz IpForwDatagrams")
    return int(out.split("IpForwDatagrams")[1].split()[0])


def up(build):
    down()
    ensure_bpffs()
    os.makedirs(STATE, exist_ok=True)
    host, router, upstream = (KeptNetns(NAMES[k])
                              for k in ("host", "router", "upstream"))
    wire(host, "eth0", router, "lan")
    wire(router, "wan", upstream, "eth0")
    host.ip("addr add 10.10.1.2/24 dev eth0")
    host.ip("addr add 2001:db8:10:1::2/64 dev eth0 nodad")
    host.ip("route add default via 10.10.1.1")
    host.ip("-6 route add default via 2001:db8:10:1::1")
    router.ip("addr add 10.10.1.1/24 dev lan")
    router.ip("addr add 2001:db8:10:1::1/64 dev lan nodad")
    router.ip("addr add 192.0.2.1/30 dev wan")
    router.ip("addr add 2001:db8:feed::1/64 dev wan nodad")
    router.run("sysctl -qw net.ipv4.ip_forward=1 "
               "net.ipv6.conf.all.forwarding=1")
    upstream.ip("addr add 192.0.2.2/30 dev eth0")
    upstream.ip("addr add 2001:db8:feed::2/64 dev eth0 nodad")
    upstream.ip("addr add 203.0.113.1/32 dev lo")
    upstream.ip("addr add 2001:db8:ffff::1/128 dev lo")
    upstream.ip("route add 10.10.1.0/24 via 192.0.2.1")
    upstream.ip("-6 route add 2001:db8:10:1::/64 via 2001:db8:feed::1")
    for ns in (host, upstream):
        # Hosts fill in their own checksums (veth would leave them to an
        # offload an XDP redirect cannot honour) and take redirected
        # frames (GRO gives a veth the NAPI that XDP transmit needs).
        ns.run("ethtool -K eth0 tx off gro on")

    routerd = Routerd(f"{build}/dataplane/xdp-routerd", router, PIN,
                      ["--log-level", "info"],
                      log=os.path.join(STATE, "xdp-routerd.log")).start()
    with open(os.path.join(STATE, "routerd.pid"), "w") as f:
        f.write(str(routerd.p.pid))
    frr = Frr(router, config=ROUTER_CONFIG)
    frr.start()
    with open(os.path.join(STATE, "vty"), "w") as f:
        f.write(frr.dir)

    wait_for(lambda: "0.0.0.0/0 0 nexthop" in sh(
        f"{build}/tests/tools/xr-dpctl --pin {PIN} routes"), 15,
        what="zebra's default route in the XDP maps")
    for dst in ("203.0.113.1", "2001:db8:ffff::1"):
        host.run(f"ping -c2 -i0.3 -W2 {dst}", check=False)

    n = 20000
    k0, f0 = counters(build), ip_forwarded(router)
    recv = subprocess.Popen(["ip", "netns", "exec", upstream.name,
                             "/usr/bin/python3", STREAM, "recv", "9000", "1"],
                            stdout=subprocess.PIPE, text=True)
    recv.stdout.readline()
    host.run(f"/usr/bin/python3 {STREAM} send 203.0.113.1 9000 {n} 20000")
    got = int(recv.stdout.readline())
    k1, f1 = counters(build), ip_forwarded(router)
    print(f"""
xdp-router demo: host -> router -> upstream, {n} UDP packets sent, {got} received

  router XDP fast path, forwarded : {k1['forwarded'] - k0['forwarded']}
  router XDP, punted to the kernel: {sum(k1.values()) - k1['forwarded'] - sum(k0.values()) + k0['forwarded']}
  router kernel IpForwDatagrams   : {f1 - f0}

XDP counters since the lab started, by reason:""")
    for name, pkts in counters(build).items():
        if pkts:
            print(f"  {name:32} {pkts}")
    print(f"""
Explore:
  sudo vtysh --vty_socket {frr.dir}                       # FRR on the router
  sudo {build}/tests/tools/xr-dpctl --pin {PIN} routes     # the XDP route maps
  sudo {build}/tests/tools/xr-dpctl --pin {PIN} counters   # XDP verdict counters
  sudo ip netns exec {NAMES['host']} ping 203.0.113.1
  sudo cat {STATE}/xdp-routerd.log
Tear down: sudo ./scripts/demo.sh down
""")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "down":
        down()
    elif len(sys.argv) > 2 and sys.argv[1] == "up":
        up(os.path.abspath(sys.argv[2]))
    else:
        print(__doc__)
        sys.exit(2)
