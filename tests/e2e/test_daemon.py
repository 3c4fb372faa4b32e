#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""xdp-routerd against real zebra (-M dplane_fpm_nl) + staticd and the real
kernel, in namespaces:

  h1 (10.0.1.2) -- r1 [router: FRR + xdp-routerd] r2 -- h2 (10.0.2.2)
                                                   r3 -- h3 (10.0.3.2)

h2 owns 192.168.50.1 and 2001:db8:50::1; h2 and h3 both own 192.168.100.1
(the ECMP destination). Every expectation is read from zebra or the kernel.

usage: test_daemon.py XDP_ROUTERD XR_DPCTL [dir24|lpm]
"""
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    sh, unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402

ROUTERD, DPCTL = sys.argv[1], sys.argv[2]
FIB = sys.argv[3] if len(sys.argv) > 3 else "dir24"
STREAM = os.path.join(os.path.dirname(__file__), "..", "lib", "udpstream.py")
PY = "/usr/bin/python3"
tag = unique("")
r = Netns(f"xrd-r{tag}")
h = {i: Netns(f"xrd-h{i}-{tag}") for i in (1, 2, 3)}
PIN = f"/sys/fs/bpf/xrd{tag}"
res = Results()
ensure_bpffs()
cleanup_pins(PIN)

for i in (1, 2, 3):
    router_host_link(r, h[i], i)
# r4: a link without an address of the router's (unnumbered)
r.ip("link add r4 type veth peer name r4p")
r.ip("link set r4 up")
r.ip("link set r4p up")
h[2].ip("addr add 192.168.50.1/32 dev lo")
h[2].ip("addr add 2001:db8:50::1/128 dev lo")
for i in (2, 3):
    h[i].ip("addr add 192.168.100.1/32 dev lo")
    for k in range(1, 11):
        h[i].ip(f"addr add 172.16.{k}.1/32 dev lo")
        h[i].ip(f"addr add fd{k:02x}::1/128 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 "
      "net.ipv4.fib_multipath_hash_policy=1")

STATIC = """ip route 192.168.50.0/24 10.0.2.2
ipv6 route 2001:db8:50::/64 2001:db8:2::2
ip route 192.168.100.0/24 10.0.2.2
ip route 192.168.100.0/24 10.0.3.2
ip route 10.99.0.0/16 blackhole
ip route 10.98.0.0/16 reject"""

routerd = Routerd(ROUTERD, r, PIN, ["--log-level", "info", "--fib", FIB,
                                    "--resync-delay", "2"]).start()
frr = Frr(r, config=STATIC).start()


def dpctl(cmd):
    return sh(f"{DPCTL} --pin {PIN} {cmd}")


def lookup(addr):
    return dpctl(f"lookup {addr}").split()[1:]


def counters():
    out = dpctl("counters").splitlines()[1:-1]
    return {ln.split()[0]: int(ln.split()[1]) for ln in out}


def pinged(host, dst, n=3):
    out = host.run(f"ping -c{n} -i0.2 -W2 {dst}", check=False)
    return " 0% packet loss" in out


def dump(name):
    out = sh(f"bpftool -j map dump pinned {PIN}/{name}")
    return json.loads(out)


def check_in_time(cond, what, timeout=1.0):
    t0 = time.monotonic()
    try:
        wait_for(cond, timeout, 0.02, what)
        res.check(True, what)
        return time.monotonic() - t0
    except AssertionError as e:
        res.check(False, what, str(e))
        return None


# 1. zebra's routes appear in the maps and forward through XDP. The maps
# exist only once the daemon has loaded and pinned them: wait for that first
# (a lookup before it is an error, not a miss).
def pinned():
    try:
        return dpctl("lookup 0.0.0.0") is not None
    except RuntimeError:
        return False


wait_for(pinned, 15, what="maps pinned")
wait_for(lambda: lookup("10.98.0.1") != ["none"], 15, what="routes in maps")
res.check(lookup("192.168.50.1")[0] == "nexthop", "v4 static -> nexthop",
          str(lookup("192.168.50.1")))
res.check(lookup("2001:db8:50::1")[0] == "nexthop", "v6 static -> nexthop")
res.check(lookup("192.168.100.1")[0] == "group", "ECMP pair -> group",
          str(lookup("192.168.100.1")))
res.check(lookup("10.99.0.1")[0] == "blackhole", "blackhole route")
res.check(lookup("10.98.0.1")[0] == "unreachable", "reject -> unreachable")
res.check(lookup("10.0.2.1")[0] == "local", "router's address -> local")
res.check(lookup("10.0.2.7")[0] == "connected", "connected subnet")

# Gateways are resolved before any packet needs them, and kept fresh: the
# kernel never sees the packets XDP forwards, so its entries are managed.
for gw, dev in (("10.0.2.2", "r2"), ("10.0.3.2", "r3"), ("2001:db8:2::2", "r2")):
    check_in_time(lambda: "managed REACHABLE" in
                  r.ip(f"neigh show {gw} dev {dev}"),
                  f"gateway {gw} resolved ahead of traffic (managed)", 3)
for dst in ("192.168.50.1", "2001:db8:50::1", "192.168.100.1"):
    pinged(h[1], dst, 1)
k0 = counters()
for dst in ("192.168.50.1", "2001:db8:50::1", "192.168.100.1"):
    res.check(pinged(h[1], dst), f"ping {dst}")
k1 = counters()
res.check(k1["forwarded"] - k0["forwarded"] >= 18,
          "pings forwarded by XDP", str(k1["forwarded"] - k0["forwarded"]))
h[1].run("ping -c2 -i0.2 -W1 10.99.0.1", check=False)
res.check(counters()["blackhole"] - k1["blackhole"] >= 2,
          "blackhole dropped by XDP")
out = h[1].run("ping -c1 -W2 10.98.0.1", check=False)
res.check("Unreachable" in out or "Prohibited" in out,
          "reject route: the kernel answers unreachable", out)

# An interface with no address is attached once a route leaves through it.
res.check("xdp" not in r.ip("link show r4"),
          "unnumbered link not attached while no route uses it")
frr.configure("ip route 10.77.0.0/16 10.0.4.2 r4 onlink")
check_in_time(lambda: "prog/xdp" in r.ip("link show r4"),
              "unnumbered link attached once it is a route's egress", 3)
frr.configure("no ip route 10.77.0.0/16 10.0.4.2 r4 onlink")

# 2. Removing a route in vtysh removes it from the maps within 1 s.
frr.configure("no ip route 192.168.50.0/24 10.0.2.2")
dt = check_in_time(lambda: lookup("192.168.50.1") == ["none"],
                   "removed route leaves the maps within 1 s")
print(f"route removal reached the maps in {dt}s")
frr.configure("ip route 192.168.50.0/24 10.0.2.2")
wait_for(lambda: lookup("192.168.50.1")[0] == "nexthop", 5,
         what="route back")

# 3. The next hop's MAC changes: the nexthop follows within 1 s.
nh_id = lookup("192.168.50.1")[1]
new_mac = "02:00:00:00:22:22"
h[2].ip(f"link set eth0 address {new_mac}")
h[2].ip("neigh flush dev eth0")
t0 = time.monotonic()
h[2].run("ping -c1 -W1 10.0.2.1", check=False)  # its ARP tells the router
dt = check_in_time(lambda: dpctl(f"nexthop-get {nh_id}").split()[3] == new_mac,
                   "nexthop follows the neighbour's new MAC within 1 s")
k0 = counters()
res.check(pinged(h[1], "192.168.50.1"), "traffic reaches the new MAC")
res.check(counters()["forwarded"] > k0["forwarded"],
          "and is forwarded by XDP")

# 4. A link goes down: its ECMP member leaves, traffic takes the other.
r.ip("link set r2 down")
wait_for(lambda: lookup("192.168.100.1")[0] == "nexthop", 5,
         what="group shrinks to the remaining member")
k0 = counters()
res.check(pinged(h[1], "192.168.100.1"), "ECMP destination after link down")
res.check(counters()["forwarded"] > k0["forwarded"],
          "remaining member forwarded by XDP")
r.ip("link set r2 up")
wait_for(lambda: lookup("192.168.100.1")[0] == "group", 10,
         what="group back after link up")
pinged(h[1], "192.168.50.1", 1)


def stream(dst, count, pps, during=None):
    recv = subprocess.Popen(["ip", "netns", "exec", h[2].name, PY, STREAM,
                             "recv", "9000", "1.5"], stdout=subprocess.PIPE,
                            text=True)
    recv.stdout.readline()
    send = subprocess.Popen(["ip", "netns", "exec", h[1].name, PY, STREAM,
                             "send", dst, "9000", str(count), str(pps)])
    if during:
        during()
    send.wait()
    got = int(recv.stdout.readline())
    recv.wait()
    return got


def zebra_gateways():
    """Single-gateway nexthop objects zebra holds, counted per gateway."""
    count, block = {}, []

    def flush():
        vias = [ln for ln in block if ln.strip().startswith("via ")]
        if len(vias) == 1 and not any("Depends" in ln for ln in block):
            gw = vias[0].split()[1].rstrip(",")
            key = ipaddress.ip_address(gw).packed
            count[key] = count.get(key, 0) + 1

    for ln in frr.vtysh("show nexthop-group rib").splitlines():
        if ln.startswith("ID:"):
            flush()
            block = []
        block.append(ln)
    flush()
    return count


def maps_match_zebra(strict_objects=True):
    """Routes in the maps are zebra's FIB plus the kernel's addresses; every
    referenced nexthop/group exists and, when strict, every one is
    referenced: nothing stale, nothing twice."""
    want = set()
    for fam in ("ip", "ipv6"):
        for prefix, e in frr.fib(fam).items():
            if e.get("protocol") != "connected":
                want.add(prefix)
    routes = dpctl("routes").splitlines()[1:-1]
    if FIB == "dir24":
        # IPv4 routes of VRF 0 are compiled, not listed: ask the FIB the
        # way a packet does, at each prefix's own address.
        for prefix in want:
            if ":" not in prefix:
                v = lookup(prefix.split("/")[0])
                if v != ["none"]:
                    routes.append(f"{prefix} 0 {v[0]} {v[1]}")
    have = {ln.split()[0] for ln in routes
            if ln.split()[2] not in ("local", "connected")}
    used_nh = {int(ln.split()[3]) for ln in routes
               if ln.split()[2] == "nexthop"}
    used_grp = {int(ln.split()[3]) for ln in routes
                if ln.split()[2] == "group"}
    groups = dump("nh_groups")
    for g in groups:
        v = g["formatted"]["value"] if "formatted" in g else g["value"]
        used_nh |= set(v["member"][:v["n_members"]])
    nhs = {(g["formatted"]["key"] if "formatted" in g else g["key"])
           for g in dump("nexthops")}
    grps = {(g["formatted"]["key"] if "formatted" in g else g["key"])
            for g in groups}
    objects_ok = used_nh <= nhs and used_grp <= grps
    if strict_objects:
        # zebra keeps unused nexthop objects a while and replays them, so
        # compare per gateway with zebra's own single-gateway objects: an
        # entry left over from the previous run is a surplus.
        ours = {}
        for e in dump("nexthops"):
            v = e["formatted"]["value"] if "formatted" in e else e["value"]
            gw = bytes(v["gw"][:4] if v["family"] == 2 else v["gw"])
            ours[gw] = ours.get(gw, 0) + 1
        zebras = zebra_gateways()
        surplus = {k: n for k, n in ours.items() if n > zebras.get(k, 0)}
        objects_ok = objects_ok and not surplus and grps == used_grp
        if surplus:
            print(f"nexthop entries beyond zebra's objects: {surplus} "
                  f"(zebra {zebras})")
    return (have == want and objects_ok,
            f"maps {sorted(have)} zebra {sorted(want)} nexthops {nhs} "
            f"used {used_nh} groups {grps} used {used_grp}")


# 5. kill -9 of xdp-routerd under a steady stream: nothing lost, and the
# restarted daemon converges to zebra's FIB with no stale entry.
def kill_and_restart():
    time.sleep(0.5)
    routerd.kill(signal.SIGKILL)
    time.sleep(0.5)
    routerd.start()


N = 15000
k0 = counters()
got = stream("192.168.50.1", N, 10000, kill_and_restart)
res.check(got == N, "kill -9 of xdp-routerd loses no packet", f"{got}/{N}")
res.check(counters()["forwarded"] - k0["forwarded"] >= 0.99 * N,
          "the stream stayed on the XDP fast path")
wait_for(lambda: "resync done" in routerd.log().split("loaded xdp_router")[-1],
         30, what="resync after restart")
ok, detail = maps_match_zebra()
res.check(ok, "maps match zebra after restart", detail)

# 6. zebra crashes and restarts under traffic (with graceful restart, -K,
# as an operator runs it so the kernel keeps its routes meanwhile); a route
# removed while it was down is swept after the resync.
def zebra_restart():
    time.sleep(0.3)
    frr.stop_daemon("zebra", signal.SIGKILL)
    frr.stop_daemon("staticd", signal.SIGKILL)
    frr.start_daemon("zebra", ["-K", "10"])
    frr.start_daemon("staticd")
    wait_for(lambda: os.path.exists(frr.path("staticd.vty")), 10,
             what="staticd back")
    frr.configure(*[ln for ln in STATIC.splitlines()
                    if "10.99.0.0" not in ln])


k0 = counters()
got = stream("192.168.50.1", N, 5000, zebra_restart)
res.check(got == N, "zebra restart loses no packet of a kept route",
          f"{got}/{N}")
wait_for(lambda: "resync done" in
         routerd.log().split("zebra connected")[-1], 30,
         what="resync after zebra's last connection")
# With -K, zebra keeps the old kernel route until its own sweep; the maps
# follow zebra, so wait for zebra to let it go, then for the maps.
wait_for(lambda: "10.99.0.0/16" not in frr.fib(), 30,
         what="zebra's graceful-restart sweep")
check_in_time(lambda: lookup("10.99.0.1") == ["none"],
              "route removed while zebra was down leaves the maps", 8)
# zebra 8.4 re-learns the old instance's kernel nexthop objects under
# graceful restart and never deletes them over FPM: unreferenced entries
# may stay, so only routes and their references are compared here.
ok, detail = maps_match_zebra(strict_objects=False)
res.check(ok, "maps match zebra after zebra's restart", detail)

# 7. Map full: a fresh daemon with tiny maps. Overflow routes are reported
# and still reach their destination through the kernel, and no packet of
# theirs is caught by a wrong entry. The trie is bounded by its entries,
# the compiled FIB by its second-level blocks (one per /24 with longer
# prefixes): each is filled in turn.
routerd.kill()


def map_full(args, prefixes, probes, gw="10.0.2.2", ping6=False):
    pin = PIN + "-small"
    cleanup_pins(pin)
    small = Routerd(ROUTERD, r, pin, args + ["--resync-delay", "1"]).start()
    ip = "ipv6" if ping6 else "ip"
    frr.configure(*[f"{ip} route {p} {gw}" for p in prefixes])
    # zebra reconnects on its own timer: wait for its replay to settle
    wait_for(lambda: "resync done" in small.log(), 40,
             what="zebra's replay into the small maps")
    out = [ln for ln in small.log().splitlines() if "not offloaded" in ln]
    n_out = sum(1 for p in prefixes if any(f" {p} " in ln for ln in out))
    print(f"map full ({' '.join(args)}): {n_out} of {len(prefixes)} test "
          f"routes left to the kernel")
    res.check(0 < n_out < len(prefixes),
              f"some test routes offloaded, the rest reported ({args[1]})",
              f"{n_out} reported")
    res.check(all(pinged(h[1], a, 1) for a in probes),
              f"every route reachable with a full map ({args[1]})")
    wrong = []
    for a in probes:
        v = sh(f"{DPCTL} --pin {pin} lookup {a}").split()[1:]
        if v != ["none"] and v[0] != "nexthop":
            wrong.append((a, v))
    res.check(not wrong, f"no overflow route caught by a wrong entry "
              f"({args[1]})", str(wrong))
    frr.configure(*[f"no {ip} route {p} {gw}" for p in prefixes])
    small.kill()
    cleanup_pins(pin)


def mbt_nodes_in_use(args):
    """Multibit trie nodes the base table takes, with room to spare."""
    pin = PIN + "-count"
    cleanup_pins(pin)
    d = Routerd(ROUTERD, r, pin, args + ["--resync-delay", "1"]).start()
    wait_for(lambda: "resync done" in d.log(), 40, what="zebra's replay")
    n = int(sh(f"{DPCTL} --pin {pin} fib-stats").split()[4])
    d.kill()
    cleanup_pins(pin)
    return n


# a wrong answer would be the /8 blackhole catching what the kernel routes
frr.configure("ip route 172.0.0.0/8 blackhole")
map_full(["--fib", "lpm", "--route-v4-max", "16"],
         [f"172.16.{k}.0/24" for k in range(1, 11)],
         [f"172.16.{k}.1" for k in range(1, 11)])
map_full(["--fib", "dir24", "--fib4-blocks", "8"],  # 4 go to local /32s
         [f"172.16.{k}.0/28" for k in range(1, 11)],
         [f"172.16.{k}.1" for k in range(1, 11)])
frr.configure("no ip route 172.0.0.0/8 blackhole")
if FIB == "dir24":
    # The IPv6 multibit trie is bounded by its nodes: each test /64 sits
    # in a /20 of its own and takes up to 11 nodes, so room for 3 more
    # than the base table leaves most test routes out; the fd00::/8
    # blackhole would catch them if it stayed.
    frr.configure("ipv6 route fd00::/8 blackhole")
    base = mbt_nodes_in_use(["--fib", "dir24"])
    print(f"multibit trie: the base table takes {base} nodes")
    map_full(["--fib", "dir24", "--fib6-nodes", str(base + 3 * 11 + 5)],
             [f"fd{k:02x}::/64" for k in range(1, 11)],
             [f"fd{k:02x}::1" for k in range(1, 11)],
             gw="2001:db8:3::2", ping6=True)  # r2 lost its IPv6 when down
    frr.configure("no ipv6 route fd00::/8 blackhole")

routerd.kill()
frr.stop()
cleanup_pins(PIN)
res.finish()
