#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Two VLANs of one 802.1Q trunk routed by XDP, in the appliance VM (the
host's kernel has no 8021q; the VM's Debian 13 kernel has).

  VM: namespace h10 (hv10, VID 10, 10.82.10.2)   router: trunk.10 10.82.10.1
      namespace h20 (hv20, VID 20, 10.82.20.2)           trunk.20 10.82.20.1
      hv10, hv20 on NIC "hosts" ===== UDP cable ===== NIC "trunk" (XDP)

The hosts are namespaces of the VM, their VLANs on a second NIC wired
back to the trunk through the host's loopback (vm_lab.nic_udp). The
router's addresses are configured with vtysh; xdp-routerd attaches the
trunk for its VLANs (it has no address of its own) and writes vlan_rx.
Pings h10 -> h20 are answered and forwarded by XDP both ways (the VM's
xdp-routerctl stats, not the kernel's); with XDP detached the same pings
get the same answers.

usage: test_iso_vlan.py ISO [--log FILE]
By hand: XR_VM_ACCEL=tcg where KVM is nested and refuses the CPU model
(vm_lab.py), XR_VM_UNSANDBOXED=1 runs xdp-routerd outside its unit (with
nf_conntrack loaded) to tell the VLAN path from the unit's own troubles.
"""
import argparse
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from xrtest import Results, require_input, skip_missing_tool, \
    wait_for  # noqa: E402

MAC_TRUNK, MAC_HOSTS = "52:54:00:82:00:01", "52:54:00:82:00:02"
N = 200


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iso")
    ap.add_argument("--log", default="/tmp/xdp-router-iso-vlan-console.log")
    a = ap.parse_args()
    if not shutil.which("qemu-system-x86_64"):
        skip_missing_tool("qemu-system-x86_64", "qemu-system-x86")
    require_input(a.iso, "images/iso/build.sh (the image_iso_build fixture)")
    from vm_lab import VmLab, nic_udp
    import pexpect
    res = Results()
    port = 20000 + os.getpid() % 20000
    vm = VmLab(a.iso, [nic_udp(MAC_TRUNK, port, port + 1),
                       nic_udp(MAC_HOSTS, port + 1, port)], a.log)
    try:
        vm.login()
        print(f"power-on -> login: {vm.since():.0f} s", flush=True)
        wait_for(lambda: vm.out("systemctl is-active frr xdp-routerd")
                 .split()[-2:] == ["active", "active"], 300, interval=2,
                 what="frr and xdp-routerd")
        if os.environ.get("XR_VM_UNSANDBOXED"):
            # By hand only: the daemon outside its unit's sandbox, for a
            # unit that cannot pin (see the notes of issue 20b).
            # nf_conntrack: its kfuncs' BTF, which the program needs
            vm.run("systemctl stop xdp-routerd; modprobe nf_conntrack; "
                   "systemd-run --unit xr-unsandboxed /usr/sbin/xdp-routerd "
                   "--foreground")
        trunk, hosts = vm.nic_name(MAC_TRUNK), vm.nic_name(MAC_HOSTS)
        res.check(trunk and hosts, "both NICs", f"{trunk} {hosts}")
        rc, out = vm.run(
            f"ip link set {trunk} up && ip link set {hosts} up && "
            f"ip link add link {trunk} name {trunk}.10 type vlan id 10 && "
            f"ip link add link {trunk} name {trunk}.20 type vlan id 20 && "
            f"ip link set {trunk}.10 up && ip link set {trunk}.20 up")
        res.check(rc == 0, "the router's VLANs (8021q in the VM)", out)
        for vid in (10, 20):
            rc, out = vm.run(
                f"ip netns add h{vid} && "
                f"ip link add link {hosts} name hv{vid} type vlan id {vid} "
                f"&& ip link set hv{vid} netns h{vid} && "
                f"ip -n h{vid} link set hv{vid} up && "
                f"ip -n h{vid} addr add 10.82.{vid}.2/24 dev hv{vid} && "
                f"ip -n h{vid} route add default via 10.82.{vid}.1")
            res.check(rc == 0, f"host h{vid} on VLAN {vid}", out)
        rc, out = vm.run(
            "vtysh -c 'configure terminal' "
            f"-c 'interface {trunk}.10' -c 'ip address 10.82.10.1/24' "
            f"-c 'exit' -c 'interface {trunk}.20' "
            "-c 'ip address 10.82.20.1/24'")
        res.check(rc == 0 and "%" not in out, "vtysh configures", out)

        def in_fast_path():
            out = vm.out("xdp-routerctl -j interfaces")
            if "{" not in out:  # the daemon has not pinned its maps yet
                return False
            j = json.loads(out[out.index("{"):])
            vids = {v.get("vlanId") for v in j.values()}
            return {10, 20} <= vids and \
                "prog/xdp" in vm.out(f"ip -d link show {trunk}")
        try:
            wait_for(in_fast_path, 120, interval=2,
                     what="the trunk attached, both VLANs written")
            res.check(True, "trunk attached for its VLANs, vlan_rx written")
        except AssertionError as e:
            res.check(False, "trunk attached for its VLANs", str(e))
            print(vm.out("journalctl -b --no-pager -u xdp-routerd "
                         "-u xr-unsandboxed | tail -40; ls /sys/fs/bpf "
                         "/sys/fs/bpf/xdp-router"))
            raise

        def forwarded():
            out = vm.out("xdp-routerctl -j stats")
            j = json.loads(out[out.index("{"):])
            return sum(v["packets"] for v in j["reasons"].values()
                       if v.get("verdict") == "forward")

        def pings():
            vm.run("ip netns exec h10 ping -c3 -W1 10.82.20.2", timeout=30)
            out = vm.out(f"ip netns exec h10 ping -q -c {N} -i 0.01 -W 2 "
                         "10.82.20.2", timeout=120)
            m = re.search(r"(\d+) received", out)
            return int(m.group(1)) if m else 0

        x0 = forwarded()
        got = pings()
        x1 = forwarded()
        print(f"XDP on: {got}/{N} answered, XDP forwarded {x1 - x0} "
              f"of {2 * got}", flush=True)
        res.check(got >= 0.95 * N, "h10 -> h20 answered (XDP on)", f"{got}")
        res.check(got and x1 - x0 >= 0.95 * 2 * got,
                  "VLAN 10 <-> 20 forwarded by XDP", f"{x1 - x0}/{2 * got}")
        print(vm.out("xdp-routerctl stats | head -20"), flush=True)

        # The same traffic through the kernel alone.
        vm.run("systemctl stop xdp-routerd xr-unsandboxed")
        vm.run(f"ip link set dev {trunk} xdp off; "
               f"ip link set dev {trunk} xdpgeneric off")
        res.check("prog/xdp" not in vm.out(f"ip -d link show {trunk}"),
                  "XDP detached from the trunk")
        got_off = pings()
        print(f"XDP off: {got_off}/{N} answered", flush=True)
        res.check(got_off >= 0.95 * N and abs(got_off - got) <= 0.05 * N,
                  "the same answers with XDP detached", f"{got_off} vs {got}")
    except (pexpect.TIMEOUT, pexpect.EOF, AssertionError) as e:
        res.check(False, "VLAN lab", f"{type(e).__name__}: {e} "
                  f"(console log: {a.log})")
    finally:
        vm.poweroff()
    res.finish()


if __name__ == "__main__":
    main()
