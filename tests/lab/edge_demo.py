#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The README demo: the 'edge' lab, deployed from its containerlab file
(images/containerlab/edge/edge.clab.yml) by the namespace runner clab.py.

  host (10.10.1.2) --eth1-- router --eth2-- upstream (203.0.113.1 "internet")

The router runs zebra -M dplane_fpm_nl + staticd (a default route to the
upstream, configured from the lab's router/frr.conf) and xdp-routerd, which
compiles zebra's routes into the XDP fast path on both links, behind the
lab's stateful firewall (router/nftables.conf) and strict uRPF. A flow
from the host to the internet, once conntrack has it established, crosses
the router's XDP program; an unsolicited stream from the internet to the
host is dropped by the kernel's policy. The demo prints both from the
router's counters: XDP's verdicts, the kernel's forwarding counter and the
ruleset's counter of what the policy drops.

usage: edge_demo.py up BUILD_DIR | down
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "lib")]
import stateful_flows  # noqa: E402
from clab import Lab  # noqa: E402
from xrtest import wait_for  # noqa: E402


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
    out = stateful_flows.echo_stream(host, upstream, "203.0.113.1", n, 10000,
                                     [router], dpctl)["router"]
    drop = stateful_flows.unsolicited_stream(upstream, host, "198.18.10.1",
                                             n // 4, 10000, [router], dpctl,
                                             "policy drop")
    ct = router.run("conntrack -C").strip()
    print(f"""
xdp-router demo: host -> router -> upstream through the router's stateful
firewall (router/nftables.conf: policy drop, established accept, LAN may
open flows) and strict uRPF

  LAN -> WAN UDP flow, echoed back, once conntrack assured it:
    {n} sent each way
    router XDP fast path, forwarded : {out['xdp']}
    router kernel IpForwDatagrams   : {out['kernel']}
  WAN -> LAN unsolicited UDP stream: {n // 4} sent, {drop['received']} received
    router XDP, punted (conntrack-miss): {drop['router'].get('conntrack-miss', 0)}
    router XDP fast path, forwarded    : {drop['router']['xdp']}
    router kernel, dropped by policy   : {drop['router']['rule']}
  router conntrack entries: {ct}

XDP counters since the lab started, by reason:""")
    for name, pkts in router.counters(dpctl).items():
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
  nsenter --net=/run/netns/{ns} nft list ruleset     # the firewall
  nsenter --net=/run/netns/{ns} conntrack -L         # the flows it tracks
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
