#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The differential lab's kernel-configuration dimension for nftables and
qdiscs (issue 17): random configurations for the router, each applied and
removed by one command, which the harness (tests/e2e/test_lab_differential.py)
applies before sending the same random frames with and without XDP.

random_config(rnd, lab) -> [(apply_cmd, remove_cmd, description)]

  rnd   a random.Random (the harness's seeded one: a seed replays)
  lab   the router's interface names and the addresses the frames go to:
        lab.ifaces / lab["ifaces"] (default eth1, eth2) and lab.prefixes /
        lab["prefixes"] (IPv4 and IPv6 prefixes of the lab's routes)

Commands run in the router's namespace through a shell. Everything drawn
keeps the two runs comparable: no rate limits, no shaping slow enough to
drop a frame of the lab's bursts, only drop/accept/counter/reject verdicts.

Run alone it applies and removes many configurations in a scratch
namespace, to show every command is one the kernel takes:
  kconfig_nft.py [COUNT [SEED]]
"""
import random
import subprocess
import sys

DEFAULT_IFACES = ("eth1", "eth2")
DEFAULT_PREFIXES = ("203.0.113.0/24", "198.18.10.0/24", "10.0.0.0/8",
                    "2001:db8:ffff::/64", "2001:db8:10:a::/64")


def _get(lab, name, default):
    if lab is None:
        return default
    if isinstance(lab, dict):
        return lab.get(name, default)
    return getattr(lab, name, default)


def _match(rnd, ifaces, prefixes, hook, family):
    v4 = [p for p in prefixes if ":" not in p] or ["10.0.0.0/8"]
    v6 = [p for p in prefixes if ":" in p] or ["2001:db8::/32"]
    any_l4 = ["udp", "tcp"]
    if family in ("inet", "netdev"):
        # one network protocol per rule: ip and ip6 matches conflict
        family = rnd.choice(["ip", "ip6", "any"])
    choices = [
        lambda: f"meta length {rnd.choice(['> 1000', '< 100'])}",
        lambda: f"iifname {rnd.choice(ifaces)}",
        lambda: f"iifname \"{rnd.choice(ifaces)[:-1]}*\"",
    ]
    if family == "ip":
        choices += [lambda: f"ip daddr {rnd.choice(v4)}",
                    lambda: f"ip saddr {rnd.choice(v4)}",
                    lambda: f"ip ttl {rnd.choice(['< 3', '> 60', '1'])}"]
        any_l4.append("icmp")
    if family == "ip6":
        choices += [lambda: f"ip6 daddr {rnd.choice(v6)}",
                    lambda: f"ip6 hoplimit {rnd.choice(['< 3', '64'])}"]
        any_l4.append("ipv6-icmp")
    if hook not in ("prerouting", "ingress"):  # no output interface yet
        choices.append(lambda: f"oifname {rnd.choice(ifaces)}")
    # at most one transport match: two would conflict
    l4 = [lambda: f"udp dport {rnd.choice([9, 53, 9000, '1000-2000'])}",
          lambda: f"tcp dport {rnd.choice([22, 80, 443])}",
          lambda: f"meta l4proto {rnd.choice(any_l4)}"]
    picks = [rnd.choice(choices)() for _ in range(rnd.randint(0, 2))]
    if not picks or rnd.random() < 0.5:
        picks.append(rnd.choice(l4)())
    return " ".join(picks)


def _verdict(rnd):
    return rnd.choice(["drop", "accept", "counter", "counter drop",
                       "counter accept", "reject"])


def nft_config(rnd, lab, n):
    ifaces = list(_get(lab, "ifaces", DEFAULT_IFACES))
    prefixes = list(_get(lab, "prefixes", DEFAULT_PREFIXES))
    table = f"xrk{n}"
    kind = rnd.choice(["inet", "ip", "ip6", "inet", "netdev"])
    if kind == "netdev":
        dev = rnd.choice(ifaces)
        hook = "ingress"
        chain = f"type filter hook ingress device {dev} priority 0"
    else:
        hook = rnd.choice(["prerouting", "forward", "forward",
                           "postrouting"])
        chain = f"type filter hook {hook} priority 0"
    # drop policies are rare: they make every frame's fate the same
    policy = "drop" if rnd.random() < 0.1 else "accept"
    rules = []
    for _ in range(rnd.randint(0, 3)):
        verdict = _verdict(rnd)
        if kind == "netdev" and verdict == "reject":
            verdict = "drop"  # reject needs the inet hooks
        if hook in ("prerouting", "postrouting") and verdict == "reject":
            verdict = "counter"  # reject only at input/forward/output
        rules.append(f"add rule {kind} {table} c "
                     f"{_match(rnd, ifaces, prefixes, hook, kind)} {verdict}")
    script = "; ".join([f"add table {kind} {table}",
                        f"add chain {kind} {table} c "
                        f"{{ {chain}; policy {policy}; }}"] + rules)
    desc = (f"nftables {kind} {hook} policy {policy}, {len(rules)} rules: "
            + " | ".join(r.split(" c ", 1)[1] for r in rules))
    return (f"nft '{script}'", f"nft delete table {kind} {table}", desc)


def qdisc_config(rnd, lab):
    ifaces = list(_get(lab, "ifaces", DEFAULT_IFACES))
    dev = rnd.choice(ifaces)
    # fast enough that the lab's bursts never queue long enough to drop
    root = rnd.choice([
        "tbf rate 1gbit burst 1mb latency 1s",
        "pfifo limit 10000",
        "bfifo limit 10mb",
        "htb default 1",
    ])
    if rnd.random() < 0.3:
        side = rnd.choice(["ingress", "egress"])
        return (f"tc qdisc add dev {dev} clsact && tc filter add dev {dev} "
                f"{side} protocol all prio 1 u32 match u32 0 0",
                f"tc qdisc del dev {dev} clsact",
                f"tc clsact {side} u32 filter on {dev}")
    return (f"tc qdisc add dev {dev} root {root}",
            f"tc qdisc del dev {dev} root",
            f"tc qdisc {root.split()[0]} root on {dev}")


def random_config(rnd, lab=None):
    out = [nft_config(rnd, lab, i) for i in range(rnd.randint(0, 2))]
    if rnd.random() < 0.5:
        out.append(qdisc_config(rnd, lab))
    return out


def _selftest(count, seed):
    ns = f"xrkn{seed % 100000}-{random.randrange(1 << 16)}"
    sh = lambda c: subprocess.run(c, shell=True, capture_output=True,  # noqa
                                  text=True)
    sh(f"ip netns add {ns}")
    failed = 0
    try:
        sh(f"ip -n {ns} link add eth1 type veth peer name eth2")
        sh(f"ip -n {ns} link set eth1 up; ip -n {ns} link set eth2 up")
        rnd = random.Random(seed)
        for i in range(count):
            cfg = random_config(rnd)
            for apply, remove, desc in cfg:
                for what, cmd in (("apply", apply), ("remove", remove)):
                    p = sh(f"ip netns exec {ns} sh -c \"{cmd}\"" if "'" in cmd
                           else f"ip netns exec {ns} sh -c '{cmd}'")
                    if p.returncode:
                        failed += 1
                        print(f"FAIL {what} ({desc}): {cmd}\n{p.stderr}")
    finally:
        sh(f"ip netns del {ns}")
    print(f"seed {seed}: {count} configurations, {failed} failed")
    return failed


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    s = int(sys.argv[2]) if len(sys.argv) > 2 else random.randrange(1 << 30)
    sys.exit(1 if _selftest(n, s) else 0)
