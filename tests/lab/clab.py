#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Deploys a containerlab topology (*.clab.yml) with network namespaces.

No container engine runs here, so this runner reads the same file a
containerlab user deploys and builds the same topology from it:

  - every node becomes a network namespace, named as containerlab names
    its container: clab-<lab>-<node> (or <prefix>-<node> in the tests);
  - every link (`endpoints: ["a:eth1", "b:eth1"]`) becomes a veth pair
    with those interface names, MTU 9500 unless the link says otherwise
    (containerlab's default);
  - a node whose image is xdp-router:* is a router: one FRR instance (own
    config dir, vty socket and pid files) started with the daemons of the
    node's bound /etc/frr/daemons and configured from its bound
    /etc/frr/frr.conf, plus xdp-routerd with its own pin dir; an
    frrouting/frr:* node gets FRR without xdp-routerd;
  - every node's `exec:` lines run in its namespace, as containerlab runs
    them in the container (after the links exist); an argument that is a
    bind's destination (nft -f /etc/nftables.conf) reads the bound file,
    as it would in the container.

  clab.py up FILE [--build DIR] [--prefix NAME]   deploy, keep running
  clab.py down FILE [--prefix NAME]               destroy
  clab.py inspect FILE [--prefix NAME]            nodes, namespaces, vty dirs
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from xrtest import ensure_bpffs, sh, wait_for  # noqa: E402
from frr import Frr, Routerd  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LABS = os.path.join(ROOT, "images", "containerlab")
STATE_DIR = "/run/xr-lab"
ROUTER_IMAGE = "xdp-router"
FRR_IMAGE = "frrouting/frr"
DEFAULT_MTU = 9500


def lab_file(name_or_path):
    """'edge' or a path: the clab file."""
    if os.path.exists(name_or_path):
        return os.path.abspath(name_or_path)
    return os.path.join(LABS, name_or_path, f"{name_or_path}.clab.yml")


class Node:
    """One containerlab node as a namespace (no cleanup of its own: the
    Lab removes everything it made, from its state file)."""

    def __init__(self, lab, name, spec):
        self.lab = lab
        self.name = name
        self.spec = spec
        self.ns_name = f"{lab.prefix}-{name}"
        image = spec.get("image", "")
        self.kind = spec.get("kind", "linux")
        self.is_router = image.split(":")[0] == ROUTER_IMAGE
        self.runs_frr = self.is_router or image.split(":")[0] == FRR_IMAGE
        self.binds = {}
        for b in spec.get("binds", []):
            src, dst = b.split(":")[:2]
            self.binds[dst] = os.path.join(lab.dir, src)
        self.frr = None
        self.routerd = None
        self.pin = f"/sys/fs/bpf/xr-lab-{self.ns_name}"


    def exec_commands(self):
        """The node's `exec:` lines as they run here: an argument that is
        a bind's destination reads the bound file."""
        return [" ".join(shlex.quote(self.binds.get(a, a))
                         for a in shlex.split(line))
                for line in self.spec.get("exec", [])]

    def ip(self, args, check=True):
        return sh(f"ip -n {self.ns_name} {args}", check=check)

    def run(self, cmd, check=True):
        return sh(f"ip netns exec {self.ns_name} {cmd}", check=check)

    def nsenter(self):
        return ["nsenter", f"--net=/run/netns/{self.ns_name}"]

    def popen(self, args, **kw):
        return subprocess.Popen(["ip", "netns", "exec", self.ns_name] + args,
                                **kw)

    def daemons(self):
        """FRR daemons enabled in the node's bound daemons file."""
        path = self.binds.get("/etc/frr/daemons")
        out = []
        if path:
            for line in open(path):
                k, _, v = line.strip().partition("=")
                if v == "yes" and k.endswith("d") and k != "zebra":
                    out.append(k)
        return out or ["staticd"]

    def dpctl(self, dpctl, cmd):
        """xr-dpctl on this router's maps (nsenter: ifnames resolve here)."""
        return sh(" ".join(self.nsenter() + [dpctl, "--pin", self.pin, cmd]))

    def counters(self, dpctl):
        out = self.dpctl(dpctl, "counters").splitlines()[1:-1]
        return {ln.split()[0]: int(ln.split()[1]) for ln in out}

    def if_counters(self, dpctl, ifname):
        f = self.dpctl(dpctl, f"if-counters {ifname}").split()[1:]
        return {f[i]: int(f[i + 1]) for i in range(0, len(f), 2)}

    def kernel_forwarded(self):
        """The kernel's forwarded datagrams, IPv4 + IPv6."""
        out = self.run("nstat -saz IpForwDatagrams Ip6OutForwDatagrams")
        n = 0
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 2 and f[0] in ("IpForwDatagrams",
                                        "Ip6OutForwDatagrams"):
                n += int(f[1])
        return n

    def addresses(self):
        """Every global address of the node (without prefix length)."""
        out = json.loads(self.ip("-j addr show"))
        return {a["local"] for link in out for a in link.get("addr_info", [])
                if a.get("scope") == "global"}


class Lab:
    """A clab file deployed as namespaces. prefix defaults to containerlab's
    clab-<lab>; tests pass their own so runs never collide."""

    def __init__(self, path, build=None, prefix=None):
        self.path = lab_file(path)
        self.dir = os.path.dirname(self.path)
        with open(self.path) as f:
            self.topo = yaml.safe_load(f)
        self.name = self.topo["name"]
        self.prefix = prefix or f"clab-{self.name}"
        self.build = os.path.abspath(build or os.path.join(ROOT, "build"))
        self.state_path = os.path.join(STATE_DIR, f"{self.prefix}.json")
        topo = self.topo["topology"]
        defaults = topo.get("defaults", {})
        kinds = topo.get("kinds", {})
        self.nodes = {}
        for name, spec in topo["nodes"].items():
            spec = dict(spec or {})
            merged = dict(defaults)
            merged.update(kinds.get(spec.get("kind", merged.get("kind")), {}))
            merged.update(spec)
            self.nodes[name] = Node(self, name, merged)
        self.links = []
        for link in topo.get("links", []):
            a, b = link["endpoints"]
            self.links.append((tuple(a.split(":")), tuple(b.split(":")),
                               int(link.get("mtu", DEFAULT_MTU))))

    def __getitem__(self, name):
        return self.nodes[name]

    def routers(self):
        return [n for n in self.nodes.values() if n.runs_frr]

    def neighbour_of(self, node, ifname):
        """(node, ifname) at the other end of node's ifname."""
        for a, b, _ in self.links:
            if a == (node, ifname):
                return b
            if b == (node, ifname):
                return a
        return None

    def link_between(self, x, y):
        """x's interface towards y."""
        for a, b, _ in self.links:
            if a[0] == x and b[0] == y:
                return a[1]
            if b[0] == x and a[0] == y:
                return b[1]
        raise KeyError(f"no link {x} - {y}")

    # -- deploy / destroy ------------------------------------------------
    def save_state(self):
        os.makedirs(STATE_DIR, exist_ok=True)
        state = {"lab": self.path, "nodes": {}}
        for n in self.nodes.values():
            state["nodes"][n.name] = {
                "netns": n.ns_name,
                "frr_dir": n.frr.dir if n.frr else None,
                "routerd_pid": n.routerd.p.pid if n.routerd else None,
                "routerd_log": n.routerd.log_path if n.routerd else None,
                "pin": n.pin if n.is_router else None}
        with open(self.state_path, "w") as f:
            json.dump(state, f, indent=1)

    def up(self):
        self.down(quiet=True)
        ensure_bpffs()
        os.makedirs(STATE_DIR, exist_ok=True)
        # Record the namespaces before making them: a failure half-way
        # leaves nothing that down() would not find.
        self.save_state()
        for n in self.nodes.values():
            sh(f"ip netns add {n.ns_name}")
            n.ip("link set lo up")
        for (na, ia), (nb, ib), mtu in self.links:
            a, b = self.nodes[na], self.nodes[nb]
            sh(f"ip link add {ia} netns {a.ns_name} mtu {mtu} type veth "
               f"peer name {ib} netns {b.ns_name} mtu {mtu}")
            a.ip(f"link set {ia} up")
            b.ip(f"link set {ib} up")
        for n in self.nodes.values():
            for cmd in n.exec_commands():
                n.run(cmd)
        for n in self.routers():
            self.start_frr(n)
            self.save_state()
        for n in self.routers():
            if n.is_router:
                self.start_routerd(n)
        self.save_state()
        return self

    def start_frr(self, n):
        conf = n.binds.get("/etc/frr/frr.conf")
        n.frr = Frr(FrrNs(n), daemons=n.daemons(), fpm=n.is_router)
        n.frr.start()
        if conf:
            n.frr.load_config(conf)

    def start_routerd(self, n):
        sh(f"rm -rf {n.pin}", check=False)
        log = os.path.join(n.frr.dir, "xdp-routerd.log")
        binary = f"{self.build}/dataplane/xdp-routerd"
        args = ["--interfaces", "auto", "--log-level", "info",
                "--resync-delay", "1"]
        # A container has its own /run; here every router gets its own
        # control socket (for xdp-routerctl) beside its FRR sockets.
        if "--control-socket" in sh(f"{binary} --help 2>&1", check=False):
            args += ["--control-socket", self.control_socket(n)]
        n.routerd = Routerd(binary, FrrNs(n), n.pin, args, log=log).start()

    @staticmethod
    def control_socket(n):
        return os.path.join(n.frr.dir, "xdp-routerd.sock")

    def down(self, quiet=False):
        """Removes everything the state file lists, then the namespaces the
        topology names (a state file may be missing after a crash)."""
        state = {}
        try:
            with open(self.state_path) as f:
                state = json.load(f)
        except (OSError, ValueError):
            pass
        for node in state.get("nodes", {}).values():
            pid = node.get("routerd_pid")
            if pid:
                stop_pid(pid, "xdp-routerd")
            d = node.get("frr_dir")
            if d and os.path.isdir(d):
                for f in os.listdir(d):
                    if f.endswith(".pid"):
                        try:
                            stop_pid(int(open(os.path.join(d, f)).read()),
                                     f[:-4])
                        except (OSError, ValueError):
                            pass
                shutil.rmtree(d, ignore_errors=True)
        for n in self.nodes.values():
            # anything still running in the namespace (streams, captures)
            for pid in sh(f"ip netns pids {n.ns_name} 2>/dev/null",
                          check=False).split():
                stop_pid(int(pid), "process")
            sh(f"ip netns del {n.ns_name} 2>/dev/null", check=False)
            sh(f"rm -rf {n.pin}", check=False)
        try:
            os.unlink(self.state_path)
        except OSError:
            pass
        if not quiet:
            print(f"lab {self.name} ({self.prefix}) removed")

    def attach_running(self):
        """Fills nodes from the state file of a lab deployed earlier."""
        with open(self.state_path) as f:
            state = json.load(f)
        for name, s in state["nodes"].items():
            n = self.nodes[name]
            if s.get("frr_dir"):
                n.frr = Frr.__new__(Frr)
                n.frr.ns, n.frr.dir = FrrNs(n), s["frr_dir"]
                n.frr.daemons = ("zebra",) + tuple(n.daemons())
        return state

    # -- waiting ---------------------------------------------------------
    def wait_routerd(self, timeout=30):
        for n in self.routers():
            if n.is_router:
                wait_for(lambda: "resync done" in open(
                    n.routerd.log_path).read(), timeout,
                    what=f"xdp-routerd on {n.name} to sync with zebra")

    def wait_in_maps(self, dpctl, node, addr, timeout=30):
        """Until node's maps forward addr (a nexthop or group)."""
        return wait_for(lambda: node.dpctl(dpctl, f"lookup {addr}").split()[1]
                        in ("nexthop", "group", "connected"), timeout,
                        what=f"{addr} in the maps of {node.name}")


class FrrNs:
    """What Frr and Routerd need of a namespace, for a Node."""

    def __init__(self, node):
        self.name = node.ns_name
        self.ip = node.ip
        self.run = node.run
        self.nsenter = node.nsenter


def stop_pid(pid, what):
    try:
        os.kill(pid, 15)
    except OSError:
        return
    try:
        wait_for(lambda: not os.path.exists(f"/proc/{pid}")
                 or open(f"/proc/{pid}/stat").read().split()[2] == "Z",
                 10, what=f"{what} ({pid}) to exit")
    except AssertionError:
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=("up", "down", "inspect"))
    ap.add_argument("lab", help="a lab name under images/containerlab or a "
                    "*.clab.yml path")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--prefix")
    a = ap.parse_args()
    lab = Lab(a.lab, a.build, a.prefix)
    if a.action == "down":
        lab.down()
    elif a.action == "up":
        lab.up()
        lab.wait_routerd()
        print(f"lab {lab.name} up:")
        inspect(lab)
    else:
        inspect(lab)


def inspect(lab):
    state = lab.attach_running()
    for name, s in state["nodes"].items():
        n = lab[name]
        role = "xdp-router" if n.is_router else (
            "frr" if n.runs_frr else "host")
        extra = f"  vtysh --vty_socket {s['frr_dir']}" if s["frr_dir"] else ""
        print(f"  {name:10} {role:10} ip netns exec {s['netns']} ...{extra}")


if __name__ == "__main__":
    main()
