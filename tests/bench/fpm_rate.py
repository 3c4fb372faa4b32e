#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Control-plane rate: a synthesised zebra FPM stream of N IPv4 routes
(default 1M, the harness's BGP-like table) replayed into a real
xdp-routerd, timed until the last route is in the maps, then the same for
deleting them all. Once per FIB structure (--fib dir24 and lpm).

  fpm_rate.py [--routes N] [--runs K] [--build DIR] [--out DIR]
              [--fib dir24,lpm]

Each route is RTM_NEWROUTE {RTA_DST, RTA_PRIORITY 20, RTA_GATEWAY 10.9.0.2,
RTA_OIF} in its own FPM frame, as zebra's dplane_fpm_nl sends them, with
protocol bgp. The stream ends with a sentinel route that nothing in the
table covers (198.18.0.0/24); the clock stops when `xr-dpctl lookup` finds
it in the daemon's maps (polled every 10 ms), or, for deletions, when it is
gone. The daemon runs in its own namespace, with a veth whose peer holds
the gateway (a permanent neighbour). Reports, never judges.
"""
import argparse
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from xrtest import Netns, ensure_bpffs, sh  # noqa: E402
import route_table  # noqa: E402

RTM_NEWROUTE, RTM_DELROUTE = 24, 25
NLM_F_REQUEST, NLM_F_REPLACE, NLM_F_CREATE = 0x1, 0x100, 0x400
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY = 1, 4, 5, 6
RTPROT_BGP, RTN_UNICAST, RT_TABLE_MAIN = 186, 1, 254
SENTINEL = (0xc6120000, 24)  # 198.18.0.0/24: 198/8 is outside the table
GW, ROUTER_ADDR = "10.9.0.2", "10.9.0.1/24"
PORT = 2620


def route_frame(kind, net, plen, oif, gw):
    attrs = (struct.pack("=HH", 8, RTA_DST) + struct.pack("!I", net) +
             struct.pack("=HHI", 8, RTA_PRIORITY, 20) +
             struct.pack("=HH", 8, RTA_GATEWAY) + gw +
             struct.pack("=HHI", 8, RTA_OIF, oif))
    flags = NLM_F_REQUEST | (NLM_F_CREATE | NLM_F_REPLACE
                             if kind == RTM_NEWROUTE else 0)
    rtm = struct.pack("=BBBBBBBBI", socket.AF_INET, plen, 0, 0,
                      RT_TABLE_MAIN, RTPROT_BGP, 0, RTN_UNICAST, 0)
    nl = struct.pack("=IHHII", 16 + len(rtm) + len(attrs), kind, flags, 0,
                     0) + rtm + attrs
    return struct.pack("!BBH", 1, 1, 4 + len(nl)) + nl


def stream(kind, routes, oif):
    gw = socket.inet_aton(GW)
    return b"".join(route_frame(kind, n, ln, oif, gw)
                    for n, ln in routes + [SENTINEL])


def sender(add_file, del_file):
    """Runs inside the daemon's namespace (nsenter): one FPM connection
    for both streams, as zebra keeps one; the parent says when to go."""
    for _ in range(500):
        try:
            s = socket.create_connection(("127.0.0.1", PORT))
            break
        except OSError:
            time.sleep(0.02)
    else:
        sys.exit("no FPM listener")
    for path in (add_file, del_file):
        data = open(path, "rb").read()
        if sys.stdin.readline().strip() != "go":
            return
        print("start", flush=True)
        s.sendall(data)
        print("sent", flush=True)
    sys.stdin.readline()  # hold the connection until the parent is done
    s.close()


def lookup(dpctl, pin, addr):
    r = subprocess.run([dpctl, "--pin", pin, "lookup", addr], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout.strip()


def wait_for(dpctl, pin, addr, present, limit=600):
    t_end = time.monotonic() + limit
    while time.monotonic() < t_end:
        out = lookup(dpctl, pin, addr)
        if out.startswith("ok") and (out != "ok none") == present:
            return time.monotonic()
        time.sleep(0.01)
    raise RuntimeError(f"{addr} never {'appeared' if present else 'left'}")


def one_run(build, fib, routes, workdir, tag):
    ns, peer = Netns(f"xb-fpm-{tag}"), Netns(f"xb-fpp-{tag}")
    dev, pdev = f"xfr{tag}", f"xfp{tag}"
    sh(f"ip link add {dev} netns {ns.name} type veth peer name {pdev} "
       f"netns {peer.name}")
    ns.ip(f"addr add {ROUTER_ADDR} dev {dev}")
    ns.ip(f"link set {dev} up")
    ns.ip("link set lo up")
    peer.ip(f"addr add {GW}/24 dev {pdev}")
    peer.ip(f"link set {pdev} up")
    pmac = peer.ip(f"-br link show {pdev}").split()[2]
    ns.ip(f"neigh replace {GW} lladdr {pmac} dev {dev} nud permanent")
    oif = int(ns.ip(f"-o link show {dev}").split(":")[0])
    pin = f"/sys/fs/bpf/xbfpm{tag}-{fib}"
    dpctl = f"{build}/tests/tools/xr-dpctl"
    add_f = os.path.join(workdir, "add.fpm")
    del_f = os.path.join(workdir, "del.fpm")
    if not os.path.exists(add_f):
        open(add_f, "wb").write(stream(RTM_NEWROUTE, routes, oif))
        open(del_f, "wb").write(stream(RTM_DELROUTE, routes, oif))
    nsx = f"nsenter --net=/run/netns/{ns.name}"
    log = open(os.path.join(workdir, f"daemon-{fib}.log"), "w")
    # exec: dash forks for a lone command, and terminate() must reach the
    # daemon itself, or each run leaves one behind holding its table.
    d = subprocess.Popen(
        f"exec {nsx} {build}/dataplane/xdp-routerd --foreground "
        f"--pin-path {pin} "
        f"--config /dev/null --interfaces {dev} --fib {fib} "
        f"--route-v4-max {2 * len(routes) + 1024} --metrics-listen off "
        f"--offload-feedback no --control-socket {workdir}/ctl-{fib}.sock",
        shell=True, stdout=log, stderr=subprocess.STDOUT)
    snd = None
    try:
        snd = subprocess.Popen(
            f"{nsx} /usr/bin/python3 {__file__} --send {add_f} {del_f}",
            shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        sentinel = route_table.prefix_str(4, *SENTINEL).split("/")[0]
        res = {}
        for phase, present in (("add", True), ("del", False)):
            snd.stdin.write("go\n")
            snd.stdin.flush()
            if snd.stdout.readline().strip() != "start":
                raise RuntimeError("FPM sender failed")
            t0 = time.monotonic()
            cpu0 = cpu_s(d.pid)
            snd.stdout.readline()  # "sent": the daemon has read it all
            t_sent = time.monotonic()
            t1 = wait_for(dpctl, pin, sentinel, present)
            n = len(routes) + 1
            res[phase] = {"routes": n, "seconds": t1 - t0,
                          "rate": n / (t1 - t0),
                          "socket_drained_s": t_sent - t0,
                          "daemon_cpu_us": (cpu_s(d.pid) - cpu0) * 1e6 / n}
            if present:
                res["check"] = sample_check(dpctl, pin, routes)
        res["daemon_rss_kib"] = rss_kib(d.pid)
        return res
    finally:
        if snd:
            snd.stdin.close()
            snd.wait(timeout=10)
        d.terminate()
        d.wait(timeout=30)
        sh(f"rm -rf {pin}", check=False)
        ns.delete()
        peer.delete()


def sample_check(dpctl, pin, routes, n=200):
    """How many of n routes spread over the table the maps answer."""
    step = max(1, len(routes) // n)
    addrs = [route_table.prefix_str(4, a, ln).split("/")[0]
             for a, ln in routes[::step]]
    r = subprocess.run([dpctl, "--pin", pin, "-"], text=True,
                       input="".join(f"lookup {a}\n" for a in addrs),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    hits = sum(1 for ln in r.stdout.splitlines()
               if ln.startswith("ok") and ln != "ok none")
    return {"sampled": len(addrs), "found": hits}


def cpu_s(pid):
    """CPU seconds the daemon has used (user + system): its cost per route
    whatever else the shared machine runs."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    """RSS of the daemon, for scale."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--build", default=os.path.join(HERE, "../../build-bench"))
    ap.add_argument("--out", help="results dir (default BUILD/bench)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--fib", default="dir24,lpm",
                    help="structures to run, comma-separated")
    ap.add_argument("--send", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.send:
        return sender(*a.send)
    build = os.path.abspath(a.build)
    out = os.path.abspath(a.out or os.path.join(build, "bench"))
    os.makedirs(out, exist_ok=True)
    ensure_bpffs()
    routes = route_table.v4_routes(a.routes, a.seed)
    workdir = tempfile.mkdtemp(prefix="xbench-fpm-")
    fibs = a.fib.split(",")
    res = {"routes": a.routes, "runs": {f: [] for f in fibs}}
    try:
        for run in range(a.runs):
            for fib in fibs if run % 2 == 0 else fibs[::-1]:
                r = one_run(build, fib, routes, workdir, os.getpid() % 10000)
                print(f"{fib} run {run + 1}: add {r['add']['rate']:.0f}/s "
                      f"({r['add']['daemon_cpu_us']:.2f} us cpu), "
                      f"del {r['del']['rate']:.0f}/s "
                      f"({r['del']['daemon_cpu_us']:.2f} us cpu), "
                      f"check {r['check']}",
                      file=sys.stderr, flush=True)
                res["runs"][fib].append(r)
    finally:
        sh(f"rm -rf {workdir}", check=False)
    dec = sh(f"{build}/tests/tools/fpm_decode_bench {a.routes} 1")
    res["decode"] = dec.strip()
    res["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    json.dump(res, open(os.path.join(out, "fpm-rate.json"), "w"), indent=1)
    print(markdown(res))


def markdown(res):
    def cell(fib, phase):
        xs = [r[phase]["rate"] for r in res["runs"][fib]]
        return (f"{statistics.median(xs) / 1e3:.0f}k "
                f"({min(xs) / 1e3:.0f}k–{max(xs) / 1e3:.0f}k)")

    def cpu(fib, phase):
        xs = [r[phase]["daemon_cpu_us"] for r in res["runs"][fib]]
        return f"{statistics.median(xs):.2f}"
    lines = [f"FPM replay of {res['routes']} IPv4 routes (+1 sentinel) into "
             "xdp-routerd, routes/s until the last is in (or out of) the "
             "maps, median (min–max); daemon CPU µs per route, median:", "",
             "| --fib | add | delete | CPU µs add / del "
             "| socket drained (add) | sample found |",
             "|---|---:|---:|---:|---:|---:|"]
    for fib, runs in res["runs"].items():
        if runs:
            drained = statistics.median(r["add"]["socket_drained_s"]
                                        for r in runs)
            lines.append(
                f"| {fib} | {cell(fib, 'add')} | {cell(fib, 'del')} | "
                f"{cpu(fib, 'add')} / {cpu(fib, 'del')} | {drained:.2f} s | "
                f"{runs[-1]['check']['found']}/"
                f"{runs[-1]['check']['sampled']} |")
    lines += ["", f"Decoder alone (fpm_decode_bench): {res['decode']}"]
    return "\n".join(lines)

if __name__ == "__main__":
    main()
