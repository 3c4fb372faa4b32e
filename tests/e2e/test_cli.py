#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""xdp-routerctl and the /metrics endpoint against xdp-routerd, real zebra
(FRR 8.4, -M dplane_fpm_nl) and staticd, in namespaces:

  h1 (10.0.1.2) -- r1 [router: FRR + xdp-routerd] r2 -- h2 (10.0.2.2)

Every command is run against the running daemon (text and JSON), then
against the pinned maps with the daemon stopped, and with bad arguments.
A scrape of /metrics is checked against the CLI's numbers.

usage: test_cli.py XDP_ROUTERD XDP_ROUTERCTL
"""
import json
import os
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    sh, unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402

ROUTERD, CTL = sys.argv[1], sys.argv[2]
MAN = os.path.join(os.path.dirname(__file__), "..", "..", "cli",
                   "xdp-routerctl.8")
tag = unique("")
r = Netns(f"xrc-r{tag}")
h = {i: Netns(f"xrc-h{i}-{tag}") for i in (1, 2)}
PIN = f"/sys/fs/bpf/xrc{tag}"
SOCK = f"/run/xdp-router/test-cli-{tag}.sock"
METRICS = "127.0.0.1:9642"
res = Results()
ensure_bpffs()
cleanup_pins(PIN)

for i in (1, 2):
    router_host_link(r, h[i], i)
h[2].ip("addr add 192.168.50.1/32 dev lo")
h[2].ip("addr add 2001:db8:50::1/128 dev lo")
for i in (1, 2):
    h[i].ip("addr add 192.168.100.1/32 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1")
H2_MAC = json.loads(h[2].ip("-j link show eth0"))[0]["address"]

STATIC = """ip route 192.168.50.0/24 10.0.2.2
ipv6 route 2001:db8:50::/64 2001:db8:2::2
ip route 192.168.100.0/24 10.0.1.2
ip route 192.168.100.0/24 10.0.2.2
ip route 10.99.0.0/16 blackhole
ip route 10.98.0.0/16 reject"""

routerd = Routerd(ROUTERD, r, PIN, ["--log-level", "info",
                                    "--offload-feedback", "yes",
                                    "--resync-delay", "1",
                                    "--control-socket", SOCK,
                                    "--metrics-listen", METRICS]).start()
frr = Frr(r, config=STATIC).start()


def ctl(args, rc=0, json_out=False):
    """Runs xdp-routerctl in the router's namespace: (stdout, stderr)."""
    cmd = r.nsenter() + [CTL, "-s", SOCK] + (["-j"] if json_out else []) \
        + args.split()
    p = subprocess.run(cmd, capture_output=True, text=True)
    ok = p.returncode == rc
    if not ok:
        res.check(False, f"'xdp-routerctl {args}' exits {rc}",
                  f"got {p.returncode}: {p.stderr.strip()}")
    if json_out and p.returncode == 0:
        return json.loads(p.stdout), p.stderr
    return p.stdout, p.stderr


def j(args):
    return ctl(args, json_out=True)[0]


def scrape():
    out = subprocess.run(
        r.nsenter() + ["/usr/bin/python3", "-c",
                       "import urllib.request,sys;sys.stdout.write("
                       f"urllib.request.urlopen('http://{METRICS}/metrics')"
                       ".read().decode())"],
        capture_output=True, text=True, check=True).stdout
    m = {}
    for line in out.splitlines():
        if not line or line.startswith("#"):
            continue
        name, value = line.rsplit(" ", 1)
        m[name] = int(value)
    return out, m


def pinged(host, dst, n=3):
    return " 0% packet loss" in host.run(f"ping -c{n} -i0.2 -W2 {dst}",
                                         check=False)


# -- against the running daemon -------------------------------------------
wait_for(lambda: os.path.exists(SOCK) or not routerd.running(), 20,
         what="the control socket")
wait_for(lambda: "10.98.0.0/16" in (j("routes") if routerd.running()
                                    else {}), 20, what="routes in maps")
wait_for(lambda: j("status")["fpm"]["state"] == "established", 10,
         what="resync done")
for dst in ("192.168.50.1", "2001:db8:50::1", "10.0.1.2"):
    pinged(h[1], dst, 1)  # resolve the neighbours

st = j("status")
res.check(st["daemon"]["running"], "status: daemon running", str(st))
res.check(st["fpm"]["connected"], "status: zebra connected")
res.check(st["programId"] > 0, "status: program id")
res.check(st["pinPath"] == PIN, "status: pin path is the daemon's")
res.check({i["name"] for i in st["interfaces"]} >= {"r1", "r2"} and
          all(i["attached"] for i in st["interfaces"]),
          "status: r1 and r2 attached", str(st["interfaces"]))
res.check(st["rib"]["routesOffloaded"] >= 8, "status: routes offloaded",
          str(st["rib"]))
# With the compiled IPv6 FIB (the default) no VRF-0 route is in the trie.
V6_TRIE = st["ipv6Fib"] == "lpm"
res.check((st["maps"]["route_v6"] >= 4 if V6_TRIE
           else st["maps"]["route_v6"] == 0) and
          st["maps"]["nexthops"] >= 2 and
          st["ipv4Fib"] in ("dir24", "lpm") and
          st["ipv6Fib"] in ("mbt", "lpm"), "status: map counts",
          str(st))
txt = ctl("status")[0]
res.check("running" in txt and "established" in txt and "r1" in txt,
          "status: text", txt)

rt = j("routes")
e = rt.get("192.168.50.0/24", [{}])[0]
res.check(e.get("protocol") == "zebra" and e.get("offloaded") and
          e.get("action") == "nexthop", "routes: static via nexthop", str(e))
res.check(e.get("nexthops", [{}])[0].get("ip") == "10.0.2.2" and
          e["nexthops"][0].get("interfaceName") == "r2",
          "routes: nexthop gateway and interface", str(e))
res.check(rt.get("192.168.100.0/24", [{}])[0].get("action") == "group" and
          len(rt["192.168.100.0/24"][0]["nexthops"]) == 2,
          "routes: ECMP route has two nexthops")
res.check(rt.get("10.0.2.0/24", [{}])[0].get("action") == "connected" and
          rt["10.0.2.0/24"][0].get("protocol") == "kernel",
          "routes: connected subnet from the kernel")
res.check(rt.get("10.99.0.0/16", [{}])[0].get("action") == "blackhole",
          "routes: blackhole")
v6 = j("routes ipv6")
res.check(v6 and all(":" in p for p in v6) and "2001:db8:50::/64" in v6,
          "routes ipv6: only IPv6", str(list(v6)))
one = j("routes 192.168.50.0/24")
res.check(list(one) == ["192.168.50.0/24"], "routes PREFIX: exact",
          str(list(one)))
res.check(j("routes ipv4 10.97.0.0/16") == {}, "routes: unknown prefix empty")
txt = ctl("routes")[0]
res.check(re.search(r"^> 0\s+192\.168\.50\.0/24\s+zebra\s+nexthop", txt,
                    re.M) is not None, "routes: text", txt)

nh = j("nexthops")
via = [n for n in nh.values() if n.get("ip") == "10.0.2.2"]
res.check(via and via[0]["resolved"] and via[0]["mac"] == H2_MAC,
          "nexthops: gateway resolved to h2's MAC", str(nh))
res.check(via and "zebraId" in via[0], "nexthops: zebra id from the daemon")
res.check("10.0.2.2" in ctl("nexthops")[0], "nexthops: text")

gr = j("groups")
res.check(len(gr) >= 1 and any(len(g["members"]) == 2 and
                               sum(m["buckets"] for m in g["members"]) ==
                               g["buckets"] for g in gr.values()),
          "groups: two members sharing every bucket", str(gr))
res.check("members" in ctl("groups")[0], "groups: text")

ne = j("neighbours")["neighbours"]
res.check(any(n["ip"] == "10.0.2.2" and n["mac"] == H2_MAC for n in ne),
          "neighbours: 10.0.2.2 -> h2's MAC", str(ne))
res.check("10.0.2.2" in ctl("neighbours")[0], "neighbours: text")

ifs = j("interfaces")
res.check(all(ifs.get(n, {}).get("ingress") and
              ifs[n]["xdpMode"] in ("native", "generic") for n in
              ("r1", "r2")), "interfaces: r1, r2 ingress with XDP", str(ifs))
res.check("r2" in ctl("interfaces")[0], "interfaces: text")

lk = j("lookup 192.168.50.1")
fp = lk["fastPath"]
res.check(fp["verdict"] == "forward" and fp["route"]["prefix"] ==
          "192.168.50.0/24", "lookup: forward via 192.168.50.0/24", str(lk))
res.check(fp["paths"][0]["interfaceName"] == "r2" and
          fp["paths"][0]["dstMac"] == H2_MAC, "lookup: egress r2, h2's MAC")
res.check(lk["kernel"].get("gateway") == "10.0.2.2" and lk["agree"],
          "lookup: the kernel agrees", str(lk["kernel"]))
lk = j("lookup 2001:db8:50::1 --in r1")
res.check(lk["fastPath"]["verdict"] == "forward" and lk["agree"] and
          lk["ingress"] == "r1", "lookup v6 --in r1", str(lk))
for addr, verdict, reason in (("10.99.0.1", "drop", "blackhole"),
                              ("10.98.0.1", "punt", "unreachable-route"),
                              ("10.0.2.1", "punt", "local-destination"),
                              ("172.31.0.1", "punt", "lpm-miss"),
                              ("224.0.0.5", "punt",
                               "multicast-broadcast-linklocal")):
    lk = j(f"lookup {addr}")
    res.check(lk["fastPath"]["verdict"] == verdict and
              lk["fastPath"]["reason"] == reason and lk["agree"],
              f"lookup {addr}: {verdict} ({reason}), agrees", str(lk))
txt = ctl("lookup 192.168.100.1")[0]
res.check("member" in txt and "agree" in txt, "lookup: group text", txt)

# stats: traffic through, then clear
k0 = j("stats")
res.check(pinged(h[1], "192.168.50.1"), "ping through the router")
h[1].run("ping -c2 -i0.2 -W1 10.99.0.1", check=False)
k1 = j("stats")
res.check(k1["reasons"]["forwarded"]["packets"] -
          k0["reasons"]["forwarded"]["packets"] >= 6,
          "stats: forwarded by reason", str(k1["reasons"]["forwarded"]))
res.check(k1["interfaces"]["r1"]["rx_forwarded"]["packets"] >= 3 and
          k1["interfaces"]["r2"]["tx_forwarded"]["packets"] >= 3,
          "stats: per interface rx and tx", str(k1["interfaces"]))
res.check(k1["reasons"]["blackhole"]["packets"] >= 2 and
          k1["reasons"]["blackhole"]["verdict"] == "drop",
          "stats: blackhole drops by name")
res.check("daemon" in k1 and k1["daemon"]["fpm"]["msg_newroute"] > 0,
          "stats: daemon counters")
w = ctl("stats --watch --interval 1 --count 1", json_out=True)[0]
res.check("pps" in w["reasons"]["forwarded"] and "intervalSeconds" in w,
          "stats --watch: rates", str(w.get("intervalSeconds")))
txt = ctl("stats")[0]
res.check("neighbour-unresolved" in txt and "rx_forwarded" in txt,
          "stats: text names every reason")

# /metrics against the CLI (no traffic to the blackhole meanwhile)
body, m = scrape()
cli_now = j("stats")
res.check(m.get("xdp_router_up") == 1, "metrics: up")
bh = 'xdp_router_packets_total{reason="blackhole",action="drop"}'
res.check(m.get(bh) == cli_now["reasons"]["blackhole"]["packets"],
          "metrics: blackhole packets == CLI", f"{m.get(bh)} vs "
          f"{cli_now['reasons']['blackhole']['packets']}")
fw = 'xdp_router_packets_total{reason="forwarded",action="redirect"}'
res.check(k1["reasons"]["forwarded"]["packets"] <= m.get(fw, -1) <=
          cli_now["reasons"]["forwarded"]["packets"],
          "metrics: forwarded between two CLI samples")
ifl = ('xdp_router_interface_packets_total{interface="r1",ifindex="%d",'
       'direction="rx",verdict="forwarded"}' %
       cli_now["interfaces"]["r1"]["ifindex"])
res.check(m.get(ifl) == cli_now["interfaces"]["r1"]["rx_forwarded"]
          ["packets"], "metrics: r1 rx forwarded == CLI", str(m.get(ifl)))
dm = cli_now["daemon"]
res.check(m.get("xdp_router_fpm_msg_newroute_total") ==
          dm["fpm"]["msg_newroute"], "metrics: FPM RTM_NEWROUTE == CLI")
res.check(m.get("xdp_router_fpm_err_nl_attr_total") == 0 and
          m.get("xdp_router_rib_route_map_errors_total") ==
          dm["rib"]["route_map_errors"], "metrics: decode and map errors")
res.check(m.get('xdp_router_routes{state="offloaded"}') ==
          j("status")["rib"]["routesOffloaded"],
          "metrics: routes offloaded == status")
res.check("# TYPE xdp_router_packets_total counter" in body and
          all(f'reason="{n}"' in body for n in cli_now["reasons"]),
          "metrics: every reason, typed")
# FRR 8.4 reads the offload notifications and ignores them
res.check(m.get("xdp_router_feedback_offload_sent_total", 0) > 0 and
          j("status")["fpm"]["connected"] and
          m.get("xdp_router_fpm_conn_closed_total") == 0,
          "feedback sent; FRR 8.4 keeps the connection",
          str({k: v for k, v in m.items() if "feedback" in k}))

ctl("stats clear")
cl = j("stats")
res.check(cl["reasons"]["forwarded"]["packets"] == 0 and
          cl["reasons"]["blackhole"]["packets"] == 0 and
          cl["interfaces"]["r1"]["rx_forwarded"]["packets"] == 0,
          "stats clear: zero")

# -- bad arguments ----------------------------------------------------------
for args, rc in (("", 2), ("frobnicate", 2), ("routes 10.0.0.0/33", 1),
                 ("routes 10.0.0.1/8", 1), ("routes ipv4 2001:db8::/32", 1),
("lookup", 2), ("lookup 1.2.3", 1),
                 ("lookup 10.0.0.1 --in nosuchif0", 1),
                 ("lookup 10.0.0.1 --in", 2), ("lookup 10.0.0.1 --bogus", 2),
                 ("stats --interval 0 --watch", 1), ("stats clear --watch", 2),
                 ("stats sideways", 2), ("status extra", 2),
                 ("--no-such-option status", 2)):
    out, err = ctl(args, rc=rc)
    res.check(err.strip() != "", f"'{args}': message on stderr")
out, err = ctl("-p /sys/fs/bpf/nonexistent status", rc=1)
res.check("cannot open the pinned maps" in err, "missing pins: clear error",
          err)
for args in ("--help", "routes --help", "lookup --help", "-V"):
    out, _ = ctl(args)
    res.check(out.strip() != "", f"'{args}' prints")
man = subprocess.run(["man", "--warnings", "-l", MAN], capture_output=True,
                     text=True, env=dict(os.environ, MANWIDTH="80"))
res.check(man.returncode == 0 and "lookup" in man.stdout and
          not man.stderr.strip(), "man page renders cleanly", man.stderr)

# -- daemon stopped: the pinned maps alone ---------------------------------
routerd.kill()
res.check(not os.path.exists(SOCK), "control socket removed on exit")
out, err = ctl(f"-p {PIN} status", json_out=True)
res.check(not out["daemon"]["running"] and "not running" in err,
          "down: status says so", err)
res.check((out["maps"]["route_v6"] >= 4 or not V6_TRIE) and
          out["programId"] > 0 and
          all(i["attached"] for i in out["interfaces"]),
          "down: status from the maps, program still attached", str(out))
res.check("not running" in ctl(f"-p {PIN} status")[0], "down: status text")
rt, err = ctl(f"-p {PIN} routes", json_out=True)
if V6_TRIE:
    res.check(rt.get("2001:db8:50::/64", [{}])[0].get("action") == "nexthop",
              "down: routes from the maps", str(list(rt)))
else:
    res.check("2001:db8:50::/64" not in rt and "lookup ADDRESS" in err,
              "down: compiled routes are not listed, and it says why", err)
lk = ctl(f"-p {PIN} lookup 2001:db8:50::1", json_out=True)[0]
res.check(lk["fastPath"]["verdict"] == "forward" and lk["agree"] and
          (lk["fastPath"]["route"].get("prefix") == "2001:db8:50::/64"
           or not V6_TRIE),
          "down: IPv6 lookup through the trie or the compiled FIB", str(lk))
lk = ctl(f"-p {PIN} lookup 192.168.50.1", json_out=True)[0]
res.check(lk["fastPath"]["verdict"] == "forward" and lk["agree"],
          "down: IPv4 lookup through the compiled FIB", str(lk))
for cmd in ("nexthops", "groups", "neighbours", "interfaces", "stats",
            "lookup 10.99.0.1") + (("routes ipv6",) if V6_TRIE else ()):
    out, _ = ctl(f"-p {PIN} {cmd}", json_out=True)
    res.check(bool(out), f"down: {cmd} -j")
    out, _ = ctl(f"-p {PIN} {cmd}")
    res.check(out.strip() != "", f"down: {cmd}")
res.check(pinged(h[1], "192.168.50.1"), "down: the fast path still forwards")

frr.stop()
sh(f"ip -n {r.name} link set r1 xdp off 2>/dev/null; "
   f"ip -n {r.name} link set r2 xdp off 2>/dev/null", check=False)
cleanup_pins(PIN)
if res.failed:
    print(routerd.log()[-3000:])
res.finish()
