# SPDX-License-Identifier: GPL-2.0-only
"""The appliance ISO as a lab: boots it under qemu (KVM if /dev/kvm, else
TCG) with the NICs given, logs in as root over the serial console and
returns a shell on it. What this host's kernel lacks (8021q, vrf, bonding)
runs in the VM's Debian 13 kernel, with the VM's own namespaces as hosts
where the host cannot make the links either.

    vm = VmLab(iso, [nic_udp(...), ...], log)
    rc, out = vm.run("ip -br link")
    vm.poweroff()
"""
import os
import time

from test_iso import OVMF, PASSWORD, Console, type_line

import pexpect


def nic_udp(mac, local_port, remote_port):
    """A virtio NIC whose wire is a UDP socket pair on the host's
    loopback: two such NICs with crossed ports are one cable, whatever
    the host kernel has (no tap, no bridge, no namespace)."""
    return [f"socket,udp=127.0.0.1:{remote_port},"
            f"localaddr=127.0.0.1:{local_port}", mac]


class VmLab:
    def __init__(self, iso, nics, log, uefi=False, memory=1536):
        # KVM where this host offers it, else TCG. XR_VM_CPU: a nested
        # host may refuse "-cpu host" (an MSR qemu cannot set).
        cpu = os.environ.get("XR_VM_CPU", "host")
        accel = ["-accel", "kvm", "-cpu", cpu] if os.access(
            "/dev/kvm", os.R_OK | os.W_OK) else ["-accel", "tcg"]
        if os.environ.get("XR_VM_ACCEL") == "tcg":
            accel = ["-accel", "tcg"]
        qemu = ["qemu-system-x86_64", "-machine", "q35", *accel,
                "-m", str(memory), "-smp", "2", "-cdrom", iso, "-boot", "d",
                "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-no-reboot"]
        if uefi:
            qemu += ["-bios", OVMF]
        for i, (netdev, mac) in enumerate(nics):
            qemu += ["-netdev", f"{netdev},id=n{i}",
                     "-device", f"virtio-net-pci,netdev=n{i},mac={mac}"]
        self.log = open(log, "w")
        self.t0 = time.monotonic()
        self.child = pexpect.spawn(qemu[0], qemu[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=120)
        self.child.logfile_read = self.log
        self.console = None

    def since(self):
        return time.monotonic() - self.t0

    def login(self, timeout=900):
        c = self.child
        c.expect("login:", timeout=timeout)
        type_line(c, "root")
        c.expect("Password:")
        type_line(c, PASSWORD)
        c.expect(r"root@xdp-router:~# ", timeout=60)
        type_line(c, "stty -echo; bind 'set enable-bracketed-paste off'; "
                  "export PS1= TERM=dumb SYSTEMD_PAGER= PAGER=cat; dmesg -n 1; "
                  "echo __RE''ADY")
        c.expect("__READY", timeout=60)
        self.console = Console(c)

    def run(self, cmd, timeout=60):
        return self.console.run(cmd, timeout)

    def out(self, cmd, timeout=60):
        return self.console.out(cmd, timeout)

    def nic_name(self, mac):
        out = self.out(f"ip -o link | grep -i {mac} | cut -d: -f2")
        return out.strip().split()[-1] if out.strip() else None

    def poweroff(self):
        if self.console:
            type_line(self.child, "systemctl poweroff")
            try:
                self.child.expect(pexpect.EOF, timeout=120)
            except pexpect.TIMEOUT:
                pass
        if self.child.isalive():
            self.child.terminate(force=True)
        self.log.close()
