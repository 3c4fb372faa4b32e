#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The README demo: the 'edge' lab, deployed from its containerlab file
(images/containerlab/edge/edge.clab.yml) by the namespace runner clab.py.

  host (10.10.1.2) --eth1-- router --eth2-- upstream (203.0.113.1 "internet")

The router runs zebra -M dplane_fpm_nl + staticd (a default route to the
upstream, configured from the lab's router/frr.conf) and xdp-routerd, which
compiles zebra's routes into the XDP fast path on both links. Traffic from
the host to the internet crosses the router's XDP program; the demo prints
its counters next to the kernel's forwarding counter.

usage: edge_demo.py up BUILD_DIR | down
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "lib")]
from clab import Lab  # noqa: E402
from xrtest import wait_for  # noqa: E402

STREAM = os.path.join(HERE, "..", "lib", "udpstream.py")


def up(build):
    lab = Lab("edge", build)
    dpctl = f"{build}/tests/tools/xr-dpctl"
    lab.up()
    lab.wait_routerd()
    host, router, upstream = lab["host"], lab["router"], lab["upstream"]
    pin = router.pin
    lab.wait_in_maps(dpctl, router, "203.0.113.1", 15)
    for dst in ("203.0.113.1", "2001:db8:ffff::1"):
        wait_for(lambda: " 0% packet loss" in host.run(
            f"ping -c1 -W1 {dst}", check=False), 15, 0.2,
            what=f"the host to reach {dst}")

    n = 20000
    k0, f0 = router.counters(dpctl), router.kernel_forwarded()
    recv = upstream.popen(["/usr/bin/python3", STREAM, "recv", "9000", "1"],
                          stdout=subprocess.PIPE, text=True)
    recv.stdout.readline()
    host.run(f"/usr/bin/python3 {STREAM} send 203.0.113.1 9000 {n} 20000")
    got = int(recv.stdout.readline())
    recv.wait()
    k1, f1 = router.counters(dpctl), router.kernel_forwarded()
    punted = (sum(k1.values()) - k1["forwarded"]) - \
        (sum(k0.values()) - k0["forwarded"])
    print(f"""
xdp-router demo: host -> router -> upstream, {n} UDP packets sent, {got} received

  router XDP fast path, forwarded : {k1['forwarded'] - k0['forwarded']}
  router XDP, punted to the kernel: {punted}
  router kernel IpForwDatagrams   : {f1 - f0}

XDP counters since the lab started, by reason:""")
    for name, pkts in k1.items():
        if pkts:
            print(f"  {name:32} {pkts}")
    ns = router.ns_name
    ctl = f"{build}/cli/xdp-routerctl"
    if os.path.exists(ctl):
        cli_hint = (f"{ctl} --socket {lab.control_socket(router)} "
                    f"--pin-path {pin} status   # xdp-routerctl, the CLI")
    else:
        cli_hint = ("# xdp-routerctl (cli/) is not built yet; xr-dpctl "
                    "above reads the same maps")
    print(f"""
The lab: {os.path.relpath(lab.path)} (the same file deploys with containerlab)
Explore (as root):
  vtysh --vty_socket {router.frr.dir}          # FRR on the router
  nsenter --net=/run/netns/{ns} {dpctl} --pin {pin} routes     # the XDP route maps
  nsenter --net=/run/netns/{ns} {dpctl} --pin {pin} counters   # XDP verdict counters
  {cli_hint}
  nsenter --net=/run/netns/{host.ns_name} ping 203.0.113.1
  nsenter --net=/run/netns/{ns} nstat -saz IpForwDatagrams
  cat {router.routerd.log_path}
  tests/lab/clab.py inspect edge                   # every node of the lab
Tear down: ./scripts/demo.sh down
""")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "down":
        Lab("edge").down()
    elif len(sys.argv) > 2 and sys.argv[1] == "up":
        up(os.path.abspath(sys.argv[2]))
    else:
        print(__doc__)
        sys.exit(2)
