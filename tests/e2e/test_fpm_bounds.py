#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""What an allowed but hostile or broken FPM peer can cost, in namespaces:

  h1 (10.0.1.2) -- r [xdp-routerd, a root FPM peer] -- h2 (192.168.50.1)

The peer (tests/lib/fpm_flood.py, root, so it is allowed) programs
192.168.50.0/24 via h2 and a stream h1 -> h2 is forwarded by XDP. Then:
- a frame of exactly 65535 bytes is decoded;
- a frame that is begun and never finished: the connection is dropped after
  fpm-frame-timeout with a log line and a counter, the route stays, the
  stream is still forwarded by XDP;
- a flood past rib-max-routes: the RIB holds the cap, the rest is counted
  and logged once; the control socket keeps answering `status` meanwhile
  (its worst latency is printed and bounded); a refused /32 inside the /24
  takes the /24 out of the maps, so its stream goes through the kernel,
  never by a route that does not match it;
- nexthop groups at the program's width (XR_MAX_ECMP members) carry the
  stream in XDP; one member more takes the group's routes out of the maps
  (counted: groups_too_wide), and a group past what the decoder takes
  (FPM_MAX_GROUP, err_too_many_group) too, even where it replaces one that
  was in the maps;
- a plain route in the maps replaced by an MPLS-encapsulated one, and a
  group's member replaced by an FDB or encapsulated nexthop: out of the
  maps (counted: unusable_encap, unusable_fdb_nh), the stream by the kernel;
- one group changed 20 times in one frame (more than its rows' grace
  allows): `status` keeps answering, the group is withdrawn meanwhile and
  its newest value is in the maps after (the stream by XDP);
- floods of nexthop objects whose gateways never resolve, of groups of
  XR_MAX_ECMP such members, and of routes naming a nexthop id never sent:
  the bytes per nexthop and per group are printed and bounded, `status`
  keeps answering and the stream keeps being forwarded by XDP meanwhile;
  past rib-max-nexthops new objects are refused and counted, and a route
  naming a refused id is not offloaded.

usage: test_fpm_bounds.py XDP_ROUTERD XDP_ROUTERCTL
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    unique, wait_for)
from frr import Routerd, cleanup_pins  # noqa: E402
import udpstream  # noqa: E402

ROUTERD, CTL = sys.argv[1], sys.argv[2]
LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
tag = unique("")
r = Netns(f"xrb-r{tag}")
h = {i: Netns(f"xrb-h{i}-{tag}") for i in (1, 2)}
PIN = f"/sys/fs/bpf/xrb{tag}"
SOCK = f"/run/xdp-router/test-bounds-{tag}.sock"
TARGET, NET = "192.168.50.1", "192.168.50.0/24"
# XR_BOUNDS_CAP=N for a larger measurement of the bytes per route
CAP = int(os.environ.get("XR_BOUNDS_CAP", 20000))
# XR_BOUNDS_FLAP=N: N changes of one group in one frame (20 unless told)
FLAP = int(os.environ.get("XR_BOUNDS_FLAP", 20))
FLOOD = 3 * CAP
STALL_BOUND = 0.5  # seconds: stated in docs/security.md with the figure
# the daemon's resident memory per route held, all of it (RIB mirror,
# compiled FIB, buffers): stated in docs/security.md with the figure
ROUTE_BYTES_BOUND = 1024
# and per zebra nexthop object and per group of XR_MAX_ECMP members: stated
# in docs/security.md with the figures
NH_BYTES_BOUND, GROUP_BYTES_BOUND = 1024, 1024
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def define(path, name):
    """A #define's value from a header: one copy of each limit."""
    with open(os.path.join(SRC, path)) as f:
        for line in f:
            w = line.split()
            if w[:2] == ["#define", name]:
                return int(w[2])
    raise KeyError(name)


MAX_ECMP = define("bpf/xdp_router_abi.h", "XR_MAX_ECMP")
MAX_GROUP = define("fpm-client/fpm_events.h", "FPM_MAX_GROUP")
MAX_PATHS = define("fpm-client/fpm_events.h", "FPM_MAX_PATHS")
# the objects of the nexthop section, ids apart: members by h2 (resolved),
# the stream's group, gateways that never resolve, groups of those, and a
# nexthop id that is never sent; members the flap alternates with, by a
# gateway that never resolves
WIDE, STREAM_GRP, FLAP_NH = MAX_GROUP + 1, 600, 700
NH_GW, NH_GW_FIRST, NH_GRP, NH_GRP_FIRST, NH_NEVER = 8000, 100000, 2000, \
    200000, 999999
NH_ROUTES = 5000
# + 1: the id routes name, missing
NH_CAP = WIDE + 1 + MAX_ECMP + NH_GW + NH_GRP + 1
res = Results()
ensure_bpffs()
cleanup_pins(PIN)


def ctl(args):
    p = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "-j"] + args.split(),
                       capture_output=True, text=True)
    return json.loads(p.stdout) if p.returncode == 0 else {}


def status_latency():
    """One `status` over the control socket, as xdp-routerctl asks it."""
    t0 = time.monotonic()
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(SOCK)
    s.sendall(b"status\n")
    while s.recv(65536):
        pass
    s.close()
    return time.monotonic() - t0


class Peer:
    def __init__(self):
        self.p = subprocess.Popen(
            r.nsenter() + ["/usr/bin/python3", f"{LIB}/fpm_flood.py",
                           "127.0.0.1", "2620"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().strip()

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


def stream(count, pps):
    """h1 -> TARGET, counted at h2: (received, XDP-forwarded)."""
    f0 = ctl("stats")["reasons"]["forwarded"]["packets"]
    got = udpstream.between(h[2], h[1], TARGET, count, pps, idle=1.0)
    return got, ctl("stats")["reasons"]["forwarded"]["packets"] - f0


def offloaded(prefix):
    """True/False as the daemon says, None if it does not know prefix."""
    def walk(o):
        if isinstance(o, dict):
            if o.get("prefix") == prefix and "offloaded" in o:
                return o["offloaded"]
            o = list(o.values())
        if isinstance(o, list):
            for v in o:
                w = walk(v)
                if w is not None:
                    return w
        return None
    return walk(ctl("routes ipv4 " + prefix))


def busy(work, count):
    """work() while `status` is asked in a loop and a stream of count
    datagrams (500/s) runs h1 -> TARGET: (work's answer, latencies,
    (received, XDP-forwarded))."""
    lat, done, got = [], threading.Event(), []

    def probe():
        while not done.is_set():
            lat.append(status_latency())

    ts = [threading.Thread(target=probe),
          threading.Thread(target=lambda: got.append(stream(count, 500)))]
    for t in ts:
        t.start()
    time.sleep(0.3)  # the stream under way
    out = work()
    done.set()
    for t in ts:
        t.join()
    return out, lat, got[0]


def within(cond, timeout):
    """wait_for that answers instead of failing: for a check to report."""
    try:
        return wait_for(cond, timeout)
    except AssertionError:
        return False


def daemon():
    return ctl("stats").get("daemon", {})


def rss_kib():
    """The daemon's resident memory (nsenter execs it: same pid)."""
    with open(f"/proc/{routerd.p.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


for i in (1, 2):
    router_host_link(r, h[i], i)
h[2].ip(f"addr add {TARGET}/32 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1")
r.ip(f"route add {NET} via 10.0.2.2")  # the kernel has what zebra would
oif = int(r.run("cat /sys/class/net/r2/ifindex").strip())

routerd = Routerd(ROUTERD, r, PIN, [
    "--log-level", "info", "--resync-delay", "1", "--control-socket", SOCK,
    "--metrics-listen", "off", "--rib-max-routes", str(CAP),
    "--rib-max-nexthops", str(NH_CAP), "--fpm-frame-timeout", "2"]).start()
peer = None
try:
    wait_for(lambda: os.path.exists(SOCK) or not routerd.running(), 20,
             what="the control socket")
    peer = Peer()
    res.check(peer.cmd("connect") == "ok", "the root peer connects")
    peer.cmd(f"route {NET} 10.0.2.2 {oif}")
    wait_for(lambda: offloaded(NET), 10,
             what="the peer's route in the maps")
    h[1].run(f"ping -c2 -i0.2 -W2 {TARGET}", check=False)  # neighbours
    got, fwd = stream(500, 500)
    res.check(got == 500 and fwd >= 500, "stream forwarded by XDP",
              f"{got}/500, {fwd} forwarded")

    # -- a frame at the length limit is a frame --------------------------
    f0 = daemon()["fpm"]["frames"]
    out = peer.cmd("bigframe")
    n_big = int(out.split()[3])
    wait_for(lambda: daemon()["fpm"]["frames"] == f0 + 1, 5,
             what="the 65535-byte frame decoded")
    res.check(out.startswith("ok 65535 bytes") and
              daemon()["fpm"]["ev_route_add"] >= n_big + 1,
              "a 65535-byte frame is decoded whole", out)

    # -- a frame begun and never finished --------------------------------
    before = daemon()["fpm"]
    peer.cmd("partial")
    out = peer.cmd("wait_closed 8")
    after = daemon()["fpm"]
    res.check(out.startswith("closed") and 1.5 <= float(out.split()[1]) <= 4,
              "a peer stuck inside a frame is dropped after the timeout",
              out)
    res.check(after.get("err_frame_timeout", 0) ==
              before.get("err_frame_timeout", 0) + 1,
              "the drop is counted (err_frame_timeout)", str(after))
    res.check("nothing that ends it for 2 s" in routerd.log(),
              "and logged with the reason")
    res.check(offloaded(NET) is True,
              "the route already programmed stays in the maps")
    got, fwd = stream(500, 500)
    res.check(got == 500 and fwd >= 500,
              "the stream is still forwarded by XDP", f"{got}/500, {fwd}")

    # -- groups at the program's width, and past it ----------------------
    peer.cmd("connect")
    peer.cmd(f"nexthops {WIDE} 500 {oif} 10.0.2.2 1")  # ids 500.. by h2
    peer.cmd(f"groups 1 {STREAM_GRP} {MAX_ECMP} 500 {WIDE}")
    peer.cmd(f"nhroute {NET} {STREAM_GRP}")
    wait_for(lambda: offloaded(NET), 10, what="the route by the group")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd >= 300,
              f"a group of {MAX_ECMP} members (XR_MAX_ECMP) forwards in XDP",
              f"{got}/300, {fwd}")
    wide0 = daemon()["rib"].get("groups_too_wide", 0)
    peer.cmd(f"groups 1 {STREAM_GRP} {MAX_ECMP + 1} 500 {WIDE}")
    wait_for(lambda: offloaded(NET) is False, 5,
             what="the route by a group too wide withdrawn")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd == 0 and
              daemon()["rib"].get("groups_too_wide", 0) == wide0 + 1,
              f"a group of {MAX_ECMP + 1} members: its route goes by the "
              "kernel, counted (groups_too_wide)",
              f"{got}/300, {fwd} by XDP, {daemon()['rib']}")
    peer.cmd(f"groups 1 {STREAM_GRP} {MAX_ECMP} 500 {WIDE}")
    wait_for(lambda: offloaded(NET), 5, what="the group back")
    big0 = daemon()["fpm"].get("err_too_many_group", 0)
    peer.cmd(f"groups 1 {STREAM_GRP} {WIDE} 500 {WIDE}")
    wait_for(lambda: daemon()["fpm"].get("err_too_many_group", 0) > big0,
             5, what="the group past FPM_MAX_GROUP decoded")
    res.check(within(lambda: offloaded(NET) is False, 5),
              f"a group of {WIDE} members (past FPM_MAX_GROUP) replacing "
              "one in the maps takes its route out", str(offloaded(NET)))
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd == 0,
              "and its packets go by the kernel", f"{got}/300, {fwd} by XDP")
    peer.cmd(f"groups 1 {STREAM_GRP} {MAX_ECMP} 500 {WIDE}")
    wait_for(lambda: offloaded(NET), 5, what="the group back")
    # inline paths the same way: at the width, past it, past the decoder
    MP = "12.2.0.0/24"
    peer.cmd(f"paths {MP} {MAX_ECMP} {oif}")
    res.check(within(lambda: offloaded(MP), 5),
              f"a route of {MAX_ECMP} inline paths is offloaded")
    peer.cmd(f"paths {MP} {MAX_ECMP + 1} {oif}")
    res.check(within(lambda: offloaded(MP) is False, 5),
              f"one of {MAX_ECMP + 1} paths is not", str(offloaded(MP)))
    peer.cmd(f"paths {MP} {MAX_ECMP} {oif}")
    wait_for(lambda: offloaded(MP), 5, what="the paths back")
    peer.cmd(f"paths {MP} {MAX_PATHS + 1} {oif}")
    res.check(within(lambda: offloaded(MP) is False, 5) and
              daemon()["fpm"].get("err_too_many_paths", 0) == 1,
              f"one of {MAX_PATHS + 1} paths (past FPM_MAX_PATHS) replacing "
              "it takes it out, counted (err_too_many_paths)",
              str(offloaded(MP)))

    # -- encapsulation: the kernel pushes a label, the fast path cannot --
    def fpm_count(name):
        return daemon()["fpm"].get(name, 0)

    def taken_out(cmd, counter, want, what):
        """cmd replaces what NET forwards by: NET leaves the maps and
        counter reads want."""
        peer.cmd(cmd)
        res.check(within(lambda: offloaded(NET) is False, 5) and
                  fpm_count(counter) == want,
                  f"{what}, counted ({counter})", str(offloaded(NET)))

    def by_kernel(what):
        got, fwd = stream(300, 300)
        res.check(got == 300 and fwd == 0, what, f"{got}/300, {fwd} by XDP")

    def back(cmd, what):
        peer.cmd(cmd)
        wait_for(lambda: offloaded(NET), 5, what=what)

    enc0, fdb0 = fpm_count("unusable_encap"), fpm_count("unusable_fdb_nh")
    thr0 = fpm_count("unusable_route_type")
    back(f"route {NET} 10.0.2.2 {oif}", "the plain route")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd >= 300, "a plain route forwards in XDP",
              f"{got}/300, {fwd}")
    taken_out(f"encaproute {NET} 10.0.2.2 {oif}", "unusable_encap", enc0 + 1,
              "an MPLS-encapsulated route replacing it takes it out")
    by_kernel("and its packets go by the kernel")
    back(f"nhroute {NET} {STREAM_GRP}", "the route by the group back")
    taken_out(f"encapnh 500 10.0.2.2 {oif} fdb",  # a member of STREAM_GRP
              "unusable_fdb_nh", fdb0 + 1, "an FDB nexthop replacing a "
              "group's member takes the group's route out")
    back(f"nexthops 1 500 {oif} 10.0.2.2 1", "the member back")
    taken_out(f"encapnh 500 10.0.2.2 {oif}", "unusable_encap", enc0 + 2,
              "and an encapsulated one too")
    by_kernel("its packets go by the kernel")
    back(f"nexthops 1 500 {oif} 10.0.2.2 1", "the member back")
    taken_out(f"throwroute {NET}", "unusable_route_type", thr0 + 1,
              "a throw route replacing it takes it out")
    by_kernel("and its packets go by the kernel")
    back(f"nhroute {NET} {STREAM_GRP}", "the route by the group back")

    # -- one group changed FLAP times in one frame: each change past two
    # -- finds its rows in grace; the loop must not wait it out ----------
    peer.cmd(f"nexthops {MAX_ECMP} {FLAP_NH} {oif} 10.0.2.200 1")
    d0 = daemon()["maps"]["rows_deferred"]

    def flap():
        n0 = daemon()["rib"]["nexthops_added"]
        peer.cmd(f"flap {STREAM_GRP} {FLAP} 500 {MAX_ECMP} {FLAP_NH}")
        wait_for(lambda: daemon()["rib"]["nexthops_added"] >= n0 + FLAP,
                 60, what="the flaps")
    t0 = time.monotonic()
    _, lat, _ = busy(flap, 100)
    worst = max(lat or [99])
    print(f"flap {FLAP} changes of one group: {time.monotonic() - t0:.2f}"
          f" s, worst status {worst * 1000:.1f} ms over {len(lat)} answers",
          flush=True)
    res.check(worst < STALL_BOUND,
              f"{FLAP} changes of one group in one frame: `status` keeps "
              f"answering (worst under {STALL_BOUND} s)", f"{worst:.3f} s")
    maps = daemon()["maps"]
    res.check(within(lambda: daemon()["maps"]["rows_waiting"] == 0, 2) and
              maps["rows_deferred"] > d0,
              "the group was withdrawn to wait (rows_deferred), then "
              "published (rows_waiting 0)", str(daemon()["maps"]))
    wait_for(lambda: offloaded(NET), 5, what="the group after flaps")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd >= 300,
              "after the flap the maps hold its newest value (members by "
              "h2, not the unresolved ones before): stream by XDP",
              f"{got}/300, {fwd}")

    # -- floods of nexthops that never resolve, of groups of them, of
    # -- routes naming an id never sent: bytes each, the loop serves --
    def flood_nh(cmd, n, key):
        def work():
            n0 = daemon()["rib"][key]
            out = peer.cmd(cmd)
            wait_for(lambda: daemon()["rib"][key] >= n0 + n, 30,
                     what=cmd)
            return out
        rss0 = rss_kib()
        _, lat, (got, fwd) = busy(work, 1000)
        rss1 = rss_kib()
        worst = max(lat) if lat else 99
        print(f"{cmd}: RSS {rss0} -> {rss1} KiB, "
              f"{(rss1 - rss0) * 1024 / n:.0f} bytes each; status answered "
              f"{len(lat)} times, worst {worst * 1000:.1f} ms; stream "
              f"{got}/1000, {fwd} by XDP", flush=True)
        res.check(worst < STALL_BOUND,
                  f"status answered during `{cmd}` within {STALL_BOUND}s",
                  f"{len(lat)} answers, worst {worst:.3f}s")
        res.check(got == 1000 and fwd >= 1000,
                  f"the stream forwarded by XDP during `{cmd}`",
                  f"{got}/1000, {fwd} by XDP")
        return (rss1 - rss0) * 1024 / n

    per_nh = flood_nh(f"nexthops {NH_GW} {NH_GW_FIRST} {oif} 10.0.2.100 50",
                      NH_GW, "nexthops_added")
    res.check(per_nh <= NH_BYTES_BOUND,
              f"a nexthop object costs <= {NH_BYTES_BOUND} bytes",
              f"{per_nh:.0f}")
    per_grp = flood_nh(f"groups {NH_GRP} {NH_GRP_FIRST} {MAX_ECMP} "
                       f"{NH_GW_FIRST} {NH_GW}", NH_GRP, "nexthops_added")
    res.check(per_grp <= GROUP_BYTES_BOUND,
              f"a group of {MAX_ECMP} costs <= {GROUP_BYTES_BOUND} bytes",
              f"{per_grp:.0f}")
    flood_nh(f"flood {NH_ROUTES} 0 {NH_NEVER} {oif} 12.0.0.0", NH_ROUTES,
             "routes_added")
    flood_nh(f"flood {NH_ROUTES} 0 {NH_GRP_FIRST} {oif} 13.0.0.0",
             NH_ROUTES, "routes_added")
    res.check(daemon()["rib"].get("nexthops_refused", 0) == 0 and
              ctl("status")["rib"]["groups"] >= NH_GRP + 1,
              "all of it held below rib-max-nexthops",
              str(ctl("status")["rib"]))
    # the stream's group and a route by one of the flooded groups, through
    # gateways that never resolve: offloaded, their packets punted
    peer.cmd(f"nhroute 12.1.0.0/24 {NH_GRP_FIRST}")
    wait_for(lambda: offloaded("12.1.0.0/24"), 5,
             what="a route by a group of unresolved gateways")
    # past the cap: refused, counted, logged once
    peer.cmd("nexthops 500 300000")
    wait_for(lambda: daemon()["rib"].get("nexthops_refused", 0) >= 500, 10,
             what="nexthops refused")
    res.check(daemon()["rib"]["nexthops_refused"] == 500 and
              routerd.log().count("the RIB holds rib-max-nexthops") == 1,
              "nexthops past the cap counted and logged once",
              str(daemon()["rib"].get("nexthops_refused")))
    peer.cmd("nhroute 12.3.0.0/24 300000")  # a refused id
    wait_for(lambda: offloaded("12.3.0.0/24") is not None, 5,
             what="the route by a refused id in the RIB")
    res.check(offloaded("12.3.0.0/24") is False,
              "a route by a refused nexthop id is not offloaded")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd >= 300 and offloaded(NET),
              "the stream's route still forwarded by XDP",
              f"{got}/300, {fwd}")

    # -- a flood past rib-max-routes, the loop keeps serving -------------
    peer.cmd(f"route {NET} 10.0.2.2 {oif}")
    base = [status_latency() for _ in range(5)]
    held0, rss0 = ctl("status")["rib"]["routes"], rss_kib()
    lat, done = [], threading.Event()

    def probe():
        while not done.is_set():
            lat.append(status_latency())

    t = threading.Thread(target=probe)
    t.start()
    ev0 = daemon()["fpm"]["ev_route_add"]
    out = peer.cmd(f"flood {FLOOD}")
    wait_for(lambda: daemon()["fpm"]["ev_route_add"] >= ev0 + FLOOD,
             30, what="the flood decoded")
    done.set()
    t.join()
    st = ctl("status")
    cnt = daemon()
    worst = max(lat) if lat else 99
    print(f"flood {FLOOD} routes ({out}); status answered {len(lat)} times, "
          f"worst {worst * 1000:.1f} ms, idle {max(base) * 1000:.1f} ms; "
          f"read_yields {cnt['fpm'].get('read_yields')}", flush=True)
    res.check(len(lat) >= 3 and worst < STALL_BOUND,
              f"status answered during the flood, worst < {STALL_BOUND}s",
              f"{len(lat)} answers, worst {worst:.3f}s")
    res.check(st["rib"]["routes"] <= CAP, "the RIB holds at most the cap",
              str(st["rib"]["routes"]))
    rss1 = rss_kib()
    per_route = (rss1 - rss0) * 1024 / max(1, st["rib"]["routes"] - held0)
    print(f"memory: RSS {rss0} KiB -> {rss1} KiB for "
          f"{st['rib']['routes'] - held0} more routes: "
          f"{per_route:.0f} bytes per route", flush=True)
    res.check(per_route <= ROUTE_BYTES_BOUND,
              f"the daemon holds a route in <= {ROUTE_BYTES_BOUND} bytes",
              f"{per_route:.0f}")
    refused = cnt["rib"].get("routes_refused", 0)
    res.check(refused >= FLOOD - CAP and
              refused + st["rib"]["routes"] >= FLOOD,
              "routes past the cap counted (routes_refused)",
              f"{refused} refused, {st['rib']['routes']} held")
    res.check(routerd.log().count("refused: the RIB holds rib-max-routes")
              == 1, "the refusal logged once")

    # -- a refused /32 inside the /24: the /24 leaves the maps -----------
    peer.cmd(f"route {TARGET}/32 10.0.2.2 {oif}")
    wait_for(lambda: offloaded(NET) is False, 5,
             what="the /24 withdrawn")
    res.check(offloaded(f"{TARGET}/32") is None,
              "the refused /32 is not in the RIB")
    got, fwd = stream(300, 300)
    res.check(got == 300 and fwd == 0,
              "a refused route's packets go by the kernel, not by its cover",
              f"{got}/300, {fwd} forwarded by XDP")

    res.check(routerd.running(), "the daemon runs on")
except AssertionError as e:
    res.check(False, str(e))
finally:
    if peer:
        peer.close()
    routerd.kill()
    for ns in (r, *h.values()):
        ns.delete()
    cleanup_pins(PIN)
    if res.failed:
        print(routerd.log()[-3000:])
res.finish()
