# SPDX-License-Identifier: GPL-2.0-only
"""Shared helpers for xdp-router's Python tests: namespaces that clean up
after themselves, polling with a timeout, and a driver for xr-dpctl."""

import atexit
import os
import subprocess
import sys
import time

XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT = range(5)


def sh(cmd, check=True, capture=True):
    r = subprocess.run(cmd, shell=True, text=True,
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.STDOUT if capture else None)
    if check and r.returncode != 0:
        raise RuntimeError(f"command failed ({r.returncode}): {cmd}\n{r.stdout}")
    return r.stdout if capture else ""


SKIP_MISSING_TOOL = 77


def skip_missing_tool(tool, package):
    """Exits 77 (ctest: skipped) for a tool the operator can install: the
    only reason a test may skip. The line is what run.sh repeats at the end
    of the run. Input that a fixture built is never a reason: fail."""
    print(f"SKIP: missing tool {tool} (apt-get install {package})",
          flush=True)
    sys.exit(SKIP_MISSING_TOOL)


def require_input(path, made_by):
    """Fails (exit 1) when a test's input, built by the fixture before it,
    is not there: a missing artefact is a defect, never a skip."""
    if not os.path.exists(path):
        print(f"FAIL: no {path}: {made_by} should have made it", flush=True)
        sys.exit(1)


def unique(prefix):
    return f"{prefix}{os.getpid() % 100000}"


class Netns:
    """A network namespace removed at exit, whatever happens."""

    def __init__(self, name):
        self.name = name
        sh(f"ip netns del {name} 2>/dev/null", check=False)
        sh(f"ip netns add {name}")
        sh(f"ip -n {name} link set lo up")
        atexit.register(self.delete)

    def delete(self):
        sh(f"ip netns del {self.name} 2>/dev/null", check=False)

    def ip(self, args, check=True):
        return sh(f"ip -n {self.name} {args}", check=check)

    def run(self, cmd, check=True):
        return sh(f"ip netns exec {self.name} {cmd}", check=check)

    def nsenter(self):
        # Only the network namespace: 'ip netns exec' remounts /sys and
        # hides bpffs, which the BPF tools need.
        return ["nsenter", f"--net=/run/netns/{self.name}"]


def router_host_link(r, h, i, mtu=1500, napi=True):
    """Router port r<i> to host h's eth0 on 10.0.<i>.0/24 and
    2001:db8:<i>::/64: .1 the router, .2 the host, with its default routes.

    Hosts fill in their own L4 checksums: a veth leaves them to an offload
    (CHECKSUM_PARTIAL) that an XDP redirect cannot honour. GRO gives both
    ends the NAPI a veth needs to take redirected frames; napi=False leaves
    the host without, a port that cannot take XDP frames."""
    sh(f"ip link add r{i} netns {r.name} mtu {mtu} type veth peer name eth0 "
       f"netns {h.name} mtu {mtu}")
    r.ip(f"addr add 10.0.{i}.1/24 dev r{i}")
    r.ip(f"addr add 2001:db8:{i}::1/64 dev r{i} nodad")
    r.ip(f"link set r{i} up")
    r.run(f"ethtool -K r{i} gro on")
    h.ip(f"addr add 10.0.{i}.2/24 dev eth0")
    h.ip(f"addr add 2001:db8:{i}::2/64 dev eth0 nodad")
    h.ip("link set eth0 up")
    h.ip(f"route add default via 10.0.{i}.1")
    h.ip(f"-6 route add default via 2001:db8:{i}::1")
    h.run(f"ethtool -K eth0 tx off gro {'on' if napi else 'off'}")


def ensure_bpffs():
    if sh("stat -f -c %T /sys/fs/bpf", check=False).strip() != "bpf_fs":
        sh("mount -t bpf bpf /sys/fs/bpf")


def wait_for(cond, timeout=10.0, interval=0.05, what="condition"):
    """Poll cond() until it returns a true value; fail clearly on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Dpctl:
    """xr-dpctl in its line mode: one command in, one answer out."""

    def __init__(self, binary, pin_dir, netns=None, extra=()):
        ensure_bpffs()
        self.pin_dir = pin_dir
        sh(f"rm -rf {pin_dir}", check=False)
        atexit.register(lambda: sh(f"rm -rf {pin_dir}", check=False))
        cmd = (netns.nsenter() if netns else []) + \
            [binary, "--pin", pin_dir, *extra, "-"]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        atexit.register(self.close)

    def close(self):
        if self.p.poll() is None:
            self.p.stdin.close()
            self.p.wait()

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        ans = self.p.stdout.readline().strip()
        if not ans.startswith("ok"):
            raise RuntimeError(f"xr-dpctl '{line}': {ans or 'no answer'}")
        return ans[2:].strip()

    def script(self, text):
        for line in text.strip().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                self.cmd(line)

    def run(self, ifname, pkt):
        """Runs bytes through the program: (action, output bytes)."""
        ans = self.cmd(f"run {ifname} {bytes(pkt).hex()}").split()
        return int(ans[0]), bytes.fromhex(ans[1])

    def counters(self):
        self.cmd("counters")
        out = {}
        while True:
            line = self.p.stdout.readline().strip()
            if line == "end":
                return out
            name, pkts, byts = line.split()
            out[name] = (int(pkts), int(byts))


class Results:
    """Counts checks and prints the closing line ctest and CI read."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what} {detail}", flush=True)

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
