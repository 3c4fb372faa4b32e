# SPDX-License-Identifier: GPL-2.0-only
"""xdp-routerd's plan as the e2e transparency tests watch it: `status -j`
asked through xdp-routerctl in the router's namespace, the kernel objects
it names per interface, the program's packets per reason (`stats -j`),
and the router's IpForwDatagrams (flat while XDP forwards)."""

import json
import subprocess

from xrtest import wait_for


class PlanWatch:
    def __init__(self, ns, ctl, sock, res):
        self.ns, self.ctl, self.sock, self.res = ns, ctl, sock, res

    def ctl_json(self, *args):
        p = subprocess.run(self.ns.nsenter() +
                           [self.ctl, "-s", self.sock, "-j", *args],
                           capture_output=True, text=True)
        return json.loads(p.stdout) if p.returncode == 0 else {}

    def status(self):
        return self.ctl_json("status")

    def verdict(self, addr, iif=None, src=None):
        """What the maps do with a packet to addr (from src, arriving on
        iif): forward, punt, drop, or undecided where a check needs what
        was not given (a rule or uRPF on the source: give src)."""
        args = ["lookup", addr] + (["--in", iif] if iif else []) + \
            (["--from", src] if src else [])
        return self.ctl_json(*args).get("fastPath", {}).get("verdict")

    def plan(self, ifname):
        for i in self.status().get("interfaces", []):
            if i["name"] == ifname:
                return i["plan"]
        return None

    def flags(self, ifname):
        return set((self.plan(ifname) or {}).get("flags", []))

    def objects(self, ifname, source):
        p = self.plan(ifname) or {}
        return [b["object"] for b in p.get("because", [])
                if b["source"] == source]

    def wait(self, ifname, source, present, what, timeout=10):
        """Checks that source's objects on ifname appear (or go)."""
        try:
            wait_for(lambda: bool(self.objects(ifname, source)) == present,
                     timeout, what=what)
            self.res.check(True, what)
        except AssertionError as e:
            self.res.check(False, what, f"{e}: {self.plan(ifname)}")

    def reason(self, name):
        """The program's packets so far with verdict reason name."""
        return self.ctl_json("stats").get("reasons", {}).get(name, {}).get(
            "packets", 0)

    def kernel_forwarded(self):
        for line in self.ns.run("nstat -saz IpForwDatagrams").splitlines():
            if line.startswith("IpForwDatagrams"):
                return int(line.split()[1])
        raise AssertionError("no IpForwDatagrams")
