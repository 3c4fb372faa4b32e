# SPDX-License-Identifier: GPL-2.0-only
"""The sysctl part of the differential lab's kernel-configuration
dimension (tests/e2e/test_lab_differential.py picks up every
tests/lab/kconfig_*.py): rp_filter modes on all and each interface,
forwarding off per interface (IPv4) and for IPv6, send_redirects.

random_config(rnd, lab) -> [(apply_cmd, remove_cmd, description)], the
commands run in the router's namespace. lab.ifaces are the router's
interfaces the frames cross; the lab sets the defaults removal restores
(rp_filter 0, forwarding 1, send_redirects 0).
"""


def random_config(rnd, lab):
    out = []
    for ifn in ["all"] + lab.ifaces:
        if rnd.random() < 0.4:
            mode = rnd.choice([1, 2])
            out.append((f"sysctl -qw net.ipv4.conf.{ifn}.rp_filter={mode}",
                        f"sysctl -qw net.ipv4.conf.{ifn}.rp_filter=0",
                        f"{ifn} rp_filter={mode}"))
    for ifn in lab.ifaces:
        if rnd.random() < 0.2:
            out.append((f"sysctl -qw net.ipv4.conf.{ifn}.forwarding=0",
                        f"sysctl -qw net.ipv4.conf.{ifn}.forwarding=1",
                        f"{ifn} forwarding=0"))
    if rnd.random() < 0.15:
        out.append(("sysctl -qw net.ipv6.conf.all.forwarding=0",
                    "sysctl -qw net.ipv6.conf.all.forwarding=1",
                    "ipv6 all.forwarding=0"))
    for ifn in lab.ifaces:
        if rnd.random() < 0.2:
            out.append((f"sysctl -qw net.ipv4.conf.{ifn}.send_redirects=1",
                        f"sysctl -qw net.ipv4.conf.{ifn}.send_redirects=0",
                        f"{ifn} send_redirects=1"))
    return out
