#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The ip-rule part of the differential lab's kernel-configuration
dimension (tests/e2e/test_lab_differential.py picks up every
tests/lab/kconfig_*.py): random ip rules of both families at random
priorities between the local rule (0) and main's (32766).

Selectors are drawn from the lab's own addresses so that they match some
of the frames: from/to a source or a prefix of the lab, iif one of the
router's interfaces, `not`, and now and then a selector the fast path
cannot see (fwmark, tos, ipproto, dport), whose traffic must punt.
Actions: lookup main, lookup 100, blackhole, unreachable, prohibit, goto
a later rule (or main's). Table 100 holds routes that send traffic
elsewhere than main does (the LAN's prefix to the upstream, a default
back to the LAN), some of them only, so a lookup there can also miss and
go on to the next rule.

random_config(rnd, lab) -> [(apply_cmd, remove_cmd, description)], the
commands run in the router's namespace (eth1 to the host 10.10.1.2, eth2
to the upstream 192.0.2.2; docs/labs.md).

Run alone it applies and removes many configurations in a scratch
namespace with the lab's addresses, to show every command is one the
kernel takes:
  kconfig_rules.py [COUNT [SEED]]
"""
import random
import subprocess
import sys

DEFAULT_IFACES = ("eth1", "eth2")
DEFAULT_PREFIXES = ("10.10.1.0/24", "192.0.2.0/24", "198.18.10.0/24",
                    "203.0.113.0/24", "2001:db8:10:1::/64",
                    "2001:db8:feed::/64", "2001:db8:10:a::/64",
                    "2001:db8:ffff::/64")
DEFAULT_SOURCES = ("10.10.1.2", "198.18.10.1", "203.0.113.9", "203.0.113.1",
                   "198.18.10.7", "2001:db8:10:1::2", "2001:db8:10:a::1",
                   "2001:db8:ffff::9", "2001:db8:ffff::1",
                   "2001:db8:10:a::7")
# Table 100's candidate routes: each sends its traffic elsewhere than the
# main table does (or, unreachable, nowhere). The next hops are the lab's
# neighbours, always resolved.
TABLE100 = {
    4: ["198.18.10.0/24 via 192.0.2.2 dev eth2",
        "default via 10.10.1.2 dev eth1",
        "unreachable 203.0.113.0/25"],
    6: ["2001:db8:10:a::/64 via 2001:db8:feed::2 dev eth2",
        "default via 2001:db8:10:1::2 dev eth1",
        "unreachable 2001:db8:ffff::/80"],
}


def _get(lab, name, default):
    if lab is None:
        return default
    if isinstance(lab, dict):
        return lab.get(name, default)
    return getattr(lab, name, default)


def _selector(rnd, fam, ifaces, prefixes, sources):
    """One rule's selectors: iproute2 words, and whether the fast path
    can evaluate them all."""
    mine = [p for p in prefixes if (":" in p) == (fam == 6)]
    hosts = [s for s in sources if (":" in s) == (fam == 6)]
    words = []
    if rnd.random() < 0.5:
        words.append("from " + rnd.choice(hosts + mine))
    if rnd.random() < 0.4:
        words.append("to " + rnd.choice(hosts + mine))
    if rnd.random() < 0.35:
        words.append("iif " + rnd.choice(ifaces))
    seen = True
    if rnd.random() < 0.2:
        seen = False
        words.append(rnd.choice([
            "fwmark 0x1", "tos 0x10" if fam == 4 else "fwmark 0x2/0x2",
            "ipproto udp", "ipproto tcp", "dport 53", "dport 1-1024"]))
    if rnd.random() < 0.2:
        words.insert(0, "not")
    return " ".join(words), seen


def _rules(rnd, fam, lab):
    ifaces = list(_get(lab, "ifaces", DEFAULT_IFACES))
    prefixes = list(_get(lab, "prefixes", DEFAULT_PREFIXES))
    sources = list(_get(lab, "sources", DEFAULT_SOURCES))
    ip = "ip" if fam == 4 else "ip -6"
    prios = sorted(rnd.sample(range(1, 32766), rnd.randint(1, 4)))
    out, uses100 = [], False
    for i, prio in enumerate(prios):
        sel, _ = _selector(rnd, fam, ifaces, prefixes, sources)
        action = rnd.choice(["lookup main", "lookup 100", "lookup 100",
                             "blackhole", "blackhole", "unreachable",
                             "prohibit", "goto"])
        if action == "goto":
            # a later rule of this configuration, or main's
            action = f"goto {rnd.choice(prios[i + 1:] + [32766])}"
        uses100 = uses100 or action == "lookup 100"
        rule = f"pref {prio} {sel} {action}".replace("  ", " ")
        out.append((f"{ip} rule add {rule}", f"{ip} rule del {rule}",
                    f"{ip} rule {rule}"))
    if uses100:
        routes = rnd.sample(TABLE100[fam], rnd.randint(1, len(TABLE100[fam])))
        # first: applied before the rules, removed after them
        out.insert(0, ("; ".join(f"{ip} route replace {r} table 100"
                                 for r in routes),
                       f"{ip} route flush table 100",
                       f"{ip} table 100: " + ", ".join(routes)))
    return out


def random_config(rnd, lab=None):
    out = []
    for fam in (4, 6):
        if rnd.random() < 0.5:
            out += _rules(rnd, fam, lab)
    return out


def _selftest(count, seed):
    """The lab's router in miniature: its interfaces, addresses and
    neighbours, enough for every command drawn to be one the kernel
    takes (the routes' next hops resolve)."""
    ns = f"xrkr{seed % 100000}-{random.randrange(1 << 16)}"

    def sh(c):
        return subprocess.run(c, shell=True, capture_output=True, text=True)

    sh(f"ip netns add {ns}")
    failed = 0
    try:
        for a, b in (("eth1", "peer1"), ("eth2", "peer2")):
            sh(f"ip -n {ns} link add {a} type veth peer name {b}")
            sh(f"ip -n {ns} link set {a} up; ip -n {ns} link set {b} up")
        for cmd in ("addr add 10.10.1.1/24 dev eth1",
                    "addr add 192.0.2.1/30 dev eth2",
                    "-6 addr add 2001:db8:10:1::1/64 dev eth1 nodad",
                    "-6 addr add 2001:db8:feed::1/64 dev eth2 nodad"):
            sh(f"ip -n {ns} {cmd}")
        rnd = random.Random(seed)
        for _ in range(count):
            for apply, remove, desc in random_config(rnd):
                for what, cmd in (("apply", apply), ("remove", remove)):
                    p = subprocess.run(
                        ["nsenter", f"--net=/run/netns/{ns}", "sh", "-c",
                         cmd], capture_output=True, text=True)
                    if p.returncode:
                        failed += 1
                        print(f"FAIL {what} ({desc}): {cmd}\n{p.stderr}")
            left = subprocess.run(
                ["nsenter", f"--net=/run/netns/{ns}", "sh", "-c",
                 "ip rule; ip -6 rule; ip route show table 100; "
                 "ip -6 route show table 100"],
                capture_output=True, text=True).stdout.splitlines()
            if len(left) != 5:  # the defaults: 3 rules v4, 2 v6
                failed += 1
                print("FAIL left behind:\n" + "\n".join(left))
    finally:
        sh(f"ip netns del {ns}")
    print(f"seed {seed}: {count} configurations, {failed} failed")
    return failed


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    s = int(sys.argv[2]) if len(sys.argv) > 2 else random.randrange(1 << 30)
    sys.exit(1 if _selftest(n, s) else 0)
