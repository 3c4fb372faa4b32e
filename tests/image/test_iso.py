#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Boots the xdp-router ISO under qemu-system-x86_64 (KVM if /dev/kvm, else TCG)
with two virtio NICs whose tap ends live in two test namespaces, logs in
over the serial console (pexpect) and checks the appliance:

  h1 (10.81.1.2) tapA ---- NIC A [VM: frr + xdp-routerd] NIC B ---- tapB h2
                                                          (10.81.2.2,
                                                     198.51.100.1 on lo)

- frr and xdp-routerd are active (systemd), xdp-routerd runs with exactly
  CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN;
- vtysh answers; addresses and a static route configured with vtysh;
- XDP attached to both NICs;
- h1 -> h2 traffic is forwarded by the VM's fast path: its counters
  (xdp-routerctl stats, bpftool map dump of the pinned counters).
Prints power-on -> login prompt, -> services active, -> first forwarded
ping.

usage: test_iso.py ISO [--uefi] [--log FILE]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from xrtest import (Netns, Results, require_input, sh,  # noqa: E402
                    skip_missing_tool, unique, wait_for)

try:
    import pexpect
except ImportError:
    skip_missing_tool("pexpect (python3)", "python3-pexpect")

PASSWORD = os.environ.get("XR_ROOT_PASSWORD", "xdp-router")
MAC = ("52:54:00:81:00:01", "52:54:00:81:00:02")
OVMF = "/usr/share/ovmf/OVMF.fd"


def type_line(child, line):
    """Types a line slowly: an emulated UART under TCG drops characters
    that arrive faster than the guest drains its FIFO."""
    for i in range(0, len(line), 8):
        child.send(line[i:i + 8])
        time.sleep(0.02)
    child.send("\r")


class Console:
    """A root shell on the VM's serial console. Each command ends with a
    marker the typed line cannot match (__R""C= is printed as __RC=)."""

    def __init__(self, child):
        self.c = child
        self.n = 0

    def run(self, cmd, timeout=60):
        self.n += 1
        type_line(self.c, f"{cmd}; echo __R\"\"C{self.n}=$?")
        self.c.expect(rf"__RC{self.n}=(\d+)\s", timeout=timeout)
        out = self.c.before
        return int(self.c.match.group(1)), out.replace("\r", "")

    def out(self, cmd, timeout=60):
        return self.run(cmd, timeout)[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iso")
    ap.add_argument("--uefi", action="store_true")
    ap.add_argument("--log", default="/tmp/xdp-router-iso-console.log")
    a = ap.parse_args()
    if not shutil.which("qemu-system-x86_64"):
        skip_missing_tool("qemu-system-x86_64", "qemu-system-x86")
    if a.uefi and not os.path.exists(OVMF):
        skip_missing_tool(OVMF, "ovmf")
    require_input(a.iso, "images/iso/build.sh (the image_iso_build fixture)")
    res = Results()
    tag = unique("")
    taps = (f"xriA{tag}", f"xriB{tag}")
    h1, h2 = Netns(f"xri-h1-{tag}"), Netns(f"xri-h2-{tag}")
    # KVM where this host offers it (minutes -> about a minute), else TCG
    # (XR_VM_ACCEL=tcg: a nested KVM may refuse "-cpu host", as in vm_lab)
    accel = ["-accel", "kvm", "-cpu", "host"] if os.access(
        "/dev/kvm", os.R_OK | os.W_OK) else ["-accel", "tcg"]
    if os.environ.get("XR_VM_ACCEL") == "tcg":
        accel = ["-accel", "tcg"]
    print(f"qemu {' '.join(accel)}{' UEFI (OVMF)' if a.uefi else ' BIOS'}",
          flush=True)
    qemu = ["qemu-system-x86_64", "-machine", "q35", *accel,
            "-m", "1536", "-smp", "2", "-cdrom", a.iso, "-boot", "d",
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-no-reboot"]
    if a.uefi:
        qemu += ["-bios", OVMF]
    for i, (tap, mac) in enumerate(zip(taps, MAC)):
        qemu += ["-netdev", f"tap,id=n{i},ifname={tap},script=no,"
                 "downscript=no",
                 "-device", f"virtio-net-pci,netdev=n{i},mac={mac}"]
    log = open(a.log, "w")
    t0 = time.monotonic()
    child = pexpect.spawn(qemu[0], qemu[1:], encoding="utf-8",
                          codec_errors="replace", timeout=120)
    child.logfile_read = log

    def since():
        return time.monotonic() - t0
    try:
        # the taps into the namespaces, addressed as hosts
        for tap, ns, net in ((taps[0], h1, 1), (taps[1], h2, 2)):
            wait_for(lambda: os.path.exists(f"/sys/class/net/{tap}"), 20,
                     what=f"qemu's {tap}")
            sh(f"ip link set {tap} netns {ns.name}")
            ns.ip(f"addr add 10.81.{net}.2/24 dev {tap}")
            ns.ip(f"link set {tap} up")
            ns.ip(f"route add default via 10.81.{net}.1")
        h2.ip("addr add 198.51.100.1/32 dev lo")

        child.expect("login:", timeout=900)
        t_login = since()
        print(f"power-on -> login prompt: {t_login:.0f} s", flush=True)
        type_line(child, "root")
        child.expect("Password:")
        type_line(child, PASSWORD)
        child.expect(r"root@xdp-router:~# ", timeout=60)
        type_line(child, "stty -echo; bind 'set enable-bracketed-paste off'; "
                  "export PS1= TERM=dumb SYSTEMD_PAGER= PAGER=cat; dmesg -n 1; "
                  "echo __RE''ADY")
        child.expect("__READY", timeout=60)
        vm = Console(child)
        res.check(True, "root login on the serial console")

        def active():
            out = vm.out("systemctl is-active frr xdp-routerd")
            return out.split()[-2:] == ["active", "active"]
        try:
            wait_for(active, 300, interval=2, what="frr and xdp-routerd")
        except AssertionError:
            pass
        out = vm.out("systemctl is-active frr xdp-routerd")
        rc = 0 if out.split()[-2:] == ["active", "active"] else 1
        res.check(rc == 0, "frr and xdp-routerd active", out)
        t_active = since()
        print(f"power-on -> services active: {t_active:.0f} s", flush=True)
        if rc:
            print(vm.out("systemctl status --no-pager frr xdp-routerd; "
                         "journalctl -b --no-pager -u xdp-routerd | tail -30"))

        # active is also a moment of a restart loop (a sandbox that leaves
        # the pins read-only): none since boot
        restarts = vm.out("systemctl show -p NRestarts --value xdp-routerd")
        res.check(restarts.strip() == "0", "xdp-routerd never restarted",
                  restarts)
        # the conntrack kfuncs resolve only with the module loaded when the
        # program is (modules-load.d/xdp-router.conf)
        rc, mods = vm.run("grep -w '^nf_conntrack' /proc/modules")
        res.check(rc == 0, "nf_conntrack loaded at boot", mods)
        caps = vm.out("grep CapEff /proc/$(pidof xdp-routerd)/status")
        eff = int(caps.split()[-1], 16) if "CapEff" in caps else -1
        # CAP_NET_ADMIN 12, CAP_PERFMON 38, CAP_BPF 39
        res.check(eff == (1 << 12) | (1 << 38) | (1 << 39),
                  "xdp-routerd runs with CAP_BPF+CAP_PERFMON+CAP_NET_ADMIN "
                  "only", caps)
        print(vm.out("systemd-analyze security xdp-routerd.service "
                     "--no-pager | tail -1"), flush=True)

        names = []
        for mac in MAC:
            out = vm.out(f"ip -o link | grep -i {mac} | cut -d: -f2")
            names.append(out.strip().split()[-1] if out.strip() else "?")
        a_if, b_if = names
        res.check("?" not in names, "both virtio NICs", str(names))
        version = vm.out("vtysh -c 'show version' | head -1")
        res.check("FRRouting" in version, "vtysh answers", version)
        print(version.strip(), flush=True)
        vm.run(f"ip link set {a_if} up; ip link set {b_if} up")
        rc, out = vm.run(
            "vtysh -c 'configure terminal' "
            f"-c 'interface {a_if}' -c 'ip address 10.81.1.1/24' -c 'exit' "
            f"-c 'interface {b_if}' -c 'ip address 10.81.2.1/24' -c 'exit' "
            "-c 'ip route 198.51.100.0/24 10.81.2.2'")
        res.check(rc == 0 and "%" not in out, "vtysh configures", out)

        def attached():
            out = vm.out(f"ip -d link show {a_if}; ip -d link show {b_if}")
            return out.count("prog/xdp") >= 2 and out
        try:
            wait_for(attached, 120, interval=1, what="XDP on both NICs")
            res.check(True, "XDP attached to both NICs")
        except AssertionError:
            res.check(False, "XDP attached to both NICs",
                      vm.out(f"ip -d link show {a_if}; journalctl -b "
                             "--no-pager -u xdp-routerd | tail -20"))

        def ping(dst):
            return subprocess.run(
                ["ip", "netns", "exec", h1.name, "ping", "-c1", "-W1", dst],
                capture_output=True).returncode == 0
        try:
            wait_for(lambda: ping("198.51.100.1"), 180, interval=0.5,
                     what="h1 -> h2 through the VM")
            t_fwd = since()
            print(f"power-on -> forwarding: {t_fwd:.0f} s", flush=True)
            res.check(True, "h1 reaches h2 through the VM")
        except AssertionError as e:
            res.check(False, "h1 reaches h2 through the VM", str(e))
            print(h1.run("ping -c1 -W1 10.81.1.1", check=False))
            print(vm.out("ip -br addr; ip route; vtysh -c 'show ip route'; "
                         "vtysh -c 'show running-config'; "
                         "grep -v '^#' /etc/frr/daemons | grep =; "
                         "xdp-routerctl status; ip neigh"))

        def counters():
            out = vm.out("xdp-routerctl -j stats")
            j = json.loads(out[out.index("{"):])
            return sum(v["packets"] for v in j["reasons"].values()
                       if v.get("verdict") == "forward")
        x0 = counters()
        n = 200
        out = h1.run(f"ping -q -c {n} -i 0.01 -W 2 198.51.100.1",
                     check=False)
        x1 = counters()
        rx = re.search(r"(\d+) received", out)
        got = int(rx.group(1)) if rx else 0
        print(f"{got}/{n} pings answered; the VM's fast path forwarded "
              f"{x1 - x0} of {2 * got}", flush=True)
        res.check(got >= 0.95 * n, f"{n} pings h1 -> h2", out)
        res.check(got and x1 - x0 >= 0.95 * 2 * got,
                  "forwarded by XDP in the VM (xdp-routerctl stats)",
                  f"{x1 - x0}/{2 * got}")
        dump = vm.out("bpftool -j map dump pinned "
                      "/sys/fs/bpf/xdp-router/counters | head -c 200")
        res.check(dump.strip().startswith("["),
                  "bpftool dumps the pinned counters", dump)
        offl = vm.out("vtysh -c 'show ip route 198.51.100.0/24' | head -3")
        print(offl.strip(), flush=True)
        type_line(child, "systemctl poweroff")
        try:
            child.expect(pexpect.EOF, timeout=120)
        except pexpect.TIMEOUT:
            pass
    except (pexpect.TIMEOUT, pexpect.EOF, AssertionError) as e:
        res.check(False, "boot test", f"{type(e).__name__}: {e} "
                  f"(console log: {a.log})")
    finally:
        if child.isalive():
            child.terminate(force=True)
        h1.delete()
        h2.delete()
        log.close()
    res.finish()


if __name__ == "__main__":
    main()
