#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The OCI image, run as containerlab would run it in the 'edge' lab, with
namespaces instead of a container engine (none runs here):

  host (netns) eth1 ==MTU 9500== eth1 [router: the image] eth2 --1500-- upstream

- the image is unpacked from its OCI layout (umoci unpack): what runs is
  what `docker load` gets;
- the router is a "container": its own net, mount, pid and uts namespaces,
  chroot into the image's rootfs, the lab's router/frr.conf and
  router/daemons bound over /etc/frr as edge.clab.yml binds them, and the
  image's entrypoint as pid 1 (watchfrr + xdp-routerd);
- links are made after the container starts, as containerlab does, MTU
  9500 unless the lab says otherwise; then every node's `exec:` lines run
  (the router's inside the container, like `docker exec`);
- checks: xdp-routerd attached frags-aware XDP to both links (eth1 at MTU
  9500), FRR's routes reached the maps, a UDP flow host -> upstream and its
  echoes, once the router's firewall (the lab's nftables.conf) has it
  established, are forwarded by XDP (the router's counters, >= 99%,
  kernel < 1%), jumbo frames still get through (the stack fragments what
  XDP punts), SIGTERM stops the container.

usage: test_container.py OCI_LAYOUT_DIR     (images/container/build.sh)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from xrtest import (Netns, Results, require_input, sh,  # noqa: E402
                    skip_missing_tool, unique, wait_for)

LAB = os.path.join(ROOT, "images", "containerlab", "edge")
PY = "/usr/bin/python3"
PEER = os.path.join(ROOT, "tests", "lib", "flowpeer.py")
CACHE = os.environ.get("XR_CACHE", "/var/cache/xdp-router")

# pid 1 of the container: private mounts, the image's root, the binds
# (each argument after the root is SOURCE:DESTINATION, as in the clab file)
RUNTIME = r"""
set -e
r=$1; shift
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount -t tmpfs tmpfs "$r/run"
mount -t tmpfs tmpfs "$r/tmp"
mount --rbind /dev "$r/dev"
for b in "$@"; do
	src=${b%%:*}; dst=$r${b#*:}
	[ -e "$dst" ] || touch "$dst"
	mount --bind "$src" "$dst"
done
hostname router
exec chroot "$r" /usr/sbin/xdp-router-entrypoint
"""


class Container:
    def __init__(self, rootfs, netns, binds, log):
        self.log = open(log, "w")
        self.p = subprocess.Popen(
            ["nsenter", f"--net=/run/netns/{netns.name}", "unshare",
             "--mount", "--pid", "--uts", "--fork", "--propagation",
             "private", "/bin/sh", "-c", RUNTIME, "-", rootfs, *binds],
            stdout=self.log, stderr=subprocess.STDOUT,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        self.pid = wait_for(self._child, 10, what="the container's pid 1")

    def _child(self):
        try:
            with open(f"/proc/{self.p.pid}/task/{self.p.pid}/children") as f:
                kids = f.read().split()
        except OSError:
            return None
        return int(kids[0]) if kids else None

    def exec(self, cmd, check=True):
        """`docker exec`: the container's namespaces and root."""
        r = subprocess.run(
            ["nsenter", "-t", str(self.pid), "--mount", "--net", "--pid",
             "--uts", "--root", "--wd", "/usr/bin/env", "-i",
             "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "/bin/sh", "-c", cmd],
            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if check and r.returncode:
            raise RuntimeError(f"exec {cmd}: {r.stdout}")
        return r.stdout

    def stop(self, timeout=20):
        if self.p.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
                return False
        return True


def fwd_counters(c):
    """(XDP forwarded, kernel forwarded) on the router"""
    j = json.loads(c.exec("xdp-routerctl -j stats"))
    xdp = sum(v["packets"] for k, v in j["reasons"].items()
              if v.get("verdict") == "forward" or k.startswith("forward"))
    out = c.exec("nstat -saz IpForwDatagrams Ip6OutForwDatagrams",
                 check=False)
    kern = sum(int(ln.split()[1]) for ln in out.splitlines()
               if ln.split() and ln.split()[0] in
               ("IpForwDatagrams", "Ip6OutForwDatagrams"))
    return xdp, kern


def main():
    oci = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(ROOT, "build-img", "images", "xdp-router-oci")
    if not shutil.which("umoci"):
        skip_missing_tool("umoci", "umoci")
    require_input(os.path.join(oci, "index.json"), "images/container/build.sh")
    spec = yaml.safe_load(open(os.path.join(LAB, "edge.clab.yml")))
    nodes = spec["topology"]["nodes"]
    res = Results()
    tag = unique("")
    work = tempfile.mkdtemp(prefix="ctrtest.", dir=CACHE)
    ns = {n: Netns(f"xri-{n[:4]}{tag}") for n in nodes}
    c = None
    try:
        t0 = time.monotonic()
        sh(f"umoci unpack --image {oci}:latest {work}/bundle")
        rootfs = f"{work}/bundle/rootfs"
        print(f"unpacked the OCI image in {time.monotonic() - t0:.1f} s",
              flush=True)
        binds = [os.path.join(LAB, b.split(":")[0]) + ":" + b.split(":")[1]
                 for b in nodes["router"]["binds"]]
        t0 = time.monotonic()
        c = Container(rootfs, ns["router"], binds, f"{work}/router.log")
        # links after the container, as containerlab makes them
        for i, link in enumerate(spec["topology"]["links"]):
            (a, ai), (b, bi) = (e.split(":") for e in link["endpoints"])
            mtu = link.get("mtu", 9500)
            tmp_a, tmp_b = f"xrl{tag}a{i}", f"xrl{tag}b{i}"
            sh(f"ip link add {tmp_a} mtu {mtu} type veth peer name {tmp_b} "
               f"mtu {mtu}")
            sh(f"ip link set {tmp_a} netns {ns[a].name} name {ai} up")
            sh(f"ip link set {tmp_b} netns {ns[b].name} name {bi} up")
        for n, s in nodes.items():
            for line in s.get("exec", []):
                if n == "router":
                    c.exec(line)
                else:
                    ns[n].run(line)
        wait_for(lambda: "zebra connected" in
                 open(f"{work}/router.log").read(), 60,
                 what="zebra's FPM connection to xdp-routerd")
        res.check(True, "entrypoint: watchfrr + zebra connected over FPM")

        def attached(ifname):
            j = json.loads(c.exec(f"ip -j -d link show {ifname}"))[0]
            return j.get("xdp") and j
        for ifname, mtu in (("eth1", 9500), ("eth2", 1500)):
            j = wait_for(lambda: attached(ifname), 30,
                         what=f"XDP on {ifname}")
            res.check(j["mtu"] == mtu and j["xdp"]["mode"] in (1, 2, 3),
                      f"XDP attached to {ifname} at MTU {mtu}", str(j["xdp"]))
        prog = c.exec("bpftool -j prog show name xdp_router", check=False)
        res.check('"xdp"' in prog or "xdp" in prog,
                  "bpftool in the image sees the program")
        wait_for(lambda: "0.0.0.0/0" in c.exec("xdp-routerctl routes ipv4"),
                 30,
                 what="the default route in the maps")
        res.check(True, "FRR's static default route reached the maps")
        print(f"container start to routes in the fast path: "
              f"{time.monotonic() - t0:.1f} s", flush=True)
        vt = c.exec("vtysh -c 'show ip route 0.0.0.0/0 json'")
        res.check("192.0.2.2" in vt, "vtysh answers in the container")

        wait_for(lambda: subprocess.run(
            ["ip", "netns", "exec", ns["host"].name, "ping", "-c1", "-W1",
             "203.0.113.1"], capture_output=True).returncode == 0, 30,
            what="host -> upstream ping")
        # The lab's firewall: a flow the host opened and the upstream
        # answers, once conntrack has assured it (the kernel forwards the
        # first 2 s), crosses the fast path both ways.
        echo = subprocess.Popen(ns["upstream"].nsenter() + [
            PY, PEER, "udp-echo", "203.0.113.1", "9100"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        echo.stdout.readline()
        send = f"{PY} {PEER} udp-send 203.0.113.1 9100 40100"

        def assured():
            ns["host"].run(f"{send} 1 100")
            return "ASSURED" in c.exec("conntrack -L -p udp -d 203.0.113.1 "
                                       "--dport 9100", check=False)
        wait_for(assured, 10, 0.3, what="conntrack to assure the flow")
        x0, k0 = fwd_counters(c)
        n = 1000
        echoes = int(ns["host"].run(f"{send} {n} 1000").split()[-1])
        x1, k1 = fwd_counters(c)
        echo.kill()
        echo.wait()
        res.check(echoes == n, f"a UDP flow host -> upstream: {n} datagrams "
                  f"echoed", f"{echoes}")
        print(f"XDP forwarded {x1 - x0} of {2 * n} packets, kernel "
              f"{k1 - k0}", flush=True)
        res.check(x1 - x0 >= 0.99 * 2 * n, "the fast path forwarded >= 99%",
                  f"{x1 - x0}/{2 * n}")
        res.check(k1 - k0 < 0.01 * 2 * n, "the kernel forwarded < 1%",
                  f"{k1 - k0}")
        out = ns["host"].run("ping -q -c 3 -M dont -s 8000 -W 2 203.0.113.1",
                             check=False)
        res.check("3 received" in out, "jumbo pings over the 9500 link "
                  "(XDP punts them, the stack fragments)", out)
        t1 = time.monotonic()
        res.check(c.stop(), "SIGTERM stops the container")
        print(f"stopped in {time.monotonic() - t1:.1f} s", flush=True)
    except Exception as e:  # report, clean up, fail
        res.check(False, "container lab", repr(e))
        if os.path.exists(f"{work}/router.log"):
            print(open(f"{work}/router.log").read())
    finally:
        if c:
            c.stop()
        for n in ns.values():
            n.delete()
        sh(f"umount -R {work}/bundle/rootfs", check=False)
        shutil.rmtree(work, ignore_errors=True)
    res.finish()


if __name__ == "__main__":
    main()
