# SPDX-License-Identifier: GPL-2.0-only
"""The topology the transparency and stateful e2e tests share: a router
namespace with hosts h1..hN on r1..rN (router_host_link), xdp-routerd with
its control socket, zebra + staticd routing 192.168.50.0/24 to h2, which
holds DST on its loopback; the daemon's plan and counters watched
(PlanWatch). Namespaces go at exit (Netns), the pins at stop().

  sr = StaticRouter("xrtp", ROUTERD, CTL, DPCTL, res, hosts=3)
  ... (kernel settings the daemon should find at its start)
  sr.start()
  ... sr.r, sr.h[i], sr.watch, sr.lookup(DST) ...
  sr.stop()
"""
from frr import Frr, Routerd, cleanup_pins
from plan_watch import PlanWatch
from xrtest import Netns, ensure_bpffs, router_host_link, sh, unique

DST = "192.168.50.1"


class StaticRouter:
    def __init__(self, name, routerd, ctl, dpctl, res, hosts=2):
        tag = unique("")
        self.r = Netns(f"{name}-r{tag}")
        self.h = {i: Netns(f"{name}-h{i}-{tag}")
                  for i in range(1, hosts + 1)}
        self.pin = f"/sys/fs/bpf/{name}{tag}"
        self.sock = f"/run/{name}{tag}.sock"
        self.tag, self.dpctl = tag, dpctl
        ensure_bpffs()
        cleanup_pins(self.pin)
        for i, h in self.h.items():
            router_host_link(self.r, h, i)
        self.h[2].ip(f"addr add {DST}/32 dev lo")
        self.r.run("sysctl -qw net.ipv4.ip_forward=1 "
                   "net.ipv6.conf.all.forwarding=1")
        self.routerd = Routerd(routerd, self.r, self.pin, [
            "--log-level", "info", "--control-socket", self.sock,
            "--metrics-listen", "off"])
        self.frr = Frr(self.r, config="ip route 192.168.50.0/24 10.0.2.2")
        self.watch = PlanWatch(self.r, ctl, self.sock, res)

    def start(self):
        self.routerd.start()
        self.frr.start()
        return self

    def lookup(self, addr):
        """What the maps hold for addr (xr-dpctl lookup), ["none"] if
        nothing."""
        out = sh(f"{self.dpctl} --pin {self.pin} lookup {addr}", check=False)
        return out.split()[1:] if out.startswith("ok") else ["none"]

    def stop(self):
        self.routerd.kill()
        self.frr.stop()
        cleanup_pins(self.pin)
