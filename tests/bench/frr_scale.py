#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Real FRR at scale: gobgpd (Debian's gobgpd package) in namespace
"speaker" announces N IPv4 routes over eBGP to bgpd in namespace "router",
whose zebra (-M dplane_fpm_nl) installs them in the kernel and streams
them over FPM to xdp-routerd. One run measures, from the moment the
session is Established: when bgpd has received all N, when the router's
kernel FIB holds all N, when xdp-routerd's maps hold all N; and the RSS of
xdp-routerd, zebra, bgpd before and after.

  frr_scale.py [--routes N[,N..]] [--build DIR] [--out DIR] [--timeout S]

The table is route_table.v4_routes(N, seed 7), the harness's mix (~60%
/24), written as MRT (mrt_table.py) and loaded into gobgpd with `gobgp mrt
inject global` before the neighbour is added, so the whole table goes out
as soon as the session comes up. Polled every 0.5 s, each without asking
zebra anything: the kernel's count is `Prefixes` of the main table in
/proc/<zebra>/net/fib_triestat (the router's namespace, no dump of 1M
routes), the maps' count `xdp-routerctl -j status` through the daemon's
control socket, bgpd's `show bgp ipv4 unicast summary json` (pfxRcd).
Needs root, FRR, gobgpd (`apt-get install gobgpd`) and a built tree.
Reports, never judges.
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), HERE]
from xrtest import Netns, ensure_bpffs, sh, wait_for  # noqa: E402
from frr import Frr, Routerd  # noqa: E402
import mrt_table  # noqa: E402
import route_table  # noqa: E402

ROUTER_AS, SPEAKER_AS = 65001, 65002
ROUTER_ADDR, SPEAKER_ADDR = "10.77.0.1", "10.77.0.2"
POLL = 0.5
RTPROT_BGP = 186


def preflight(build):
    missing = [b for b in ("gobgpd", "gobgp") if not shutil.which(b)]
    if missing:
        sys.exit(f"frr_scale: {', '.join(missing)} not found: "
                 "apt-get install gobgpd")
    for b in ("dataplane/xdp-routerd", "cli/xdp-routerctl"):
        if not os.access(os.path.join(build, b), os.X_OK):
            sys.exit(f"frr_scale: {build}/{b} missing: build the tree first "
                     "(cmake --build BUILD)")
    if not os.path.exists("/usr/lib/frr/bgpd"):
        sys.exit("frr_scale: FRR not installed: scripts/install-deps.sh")
    if os.geteuid() != 0:
        sys.exit("frr_scale: needs root (namespaces, bpffs)")


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, TypeError):
        pass
    return None


def routerd_pid(p):
    """nsenter without --fork execs the daemon; with it, the daemon is the
    child. Either way, the process whose comm is xdp-routerd."""
    for pid in [p.pid] + [int(x) for x in
                          sh(f"pgrep -P {p.pid}", check=False).split()]:
        try:
            if open(f"/proc/{pid}/comm").read().strip() == "xdp-routerd":
                return pid
        except OSError:
            pass
    return None


def cpu_s(pid):
    """user + system CPU seconds of pid so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, TypeError, IndexError, ValueError):
        return None


def mem_available_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    return 0


def kernel_prefixes(pid):
    """Prefixes of the main table, as the namespace of pid sees them (main
    and local share one trie while no policy rule exists)."""
    with open(f"/proc/{pid}/net/fib_triestat") as f:
        for line in f:
            if line.strip().startswith("Prefixes:"):
                return int(line.split()[1])
    return 0


class Speaker:
    """gobgpd in its namespace; the API on the namespace's loopback."""

    def __init__(self, ns, workdir):
        self.ns = ns
        self.conf = os.path.join(workdir, "gobgpd.toml")
        with open(self.conf, "w") as f:
            f.write(f'[global.config]\n  as = {SPEAKER_AS}\n'
                    f'  router-id = "{SPEAKER_ADDR}"\n'
                    f'  local-address-list = ["{SPEAKER_ADDR}"]\n')
        self.log = open(os.path.join(workdir, "gobgpd.log"), "w")
        self.p = None

    def start(self):
        self.p = subprocess.Popen(
            ["ip", "netns", "exec", self.ns.name, "gobgpd", "-f", self.conf,
             "--api-hosts", "127.0.0.1:50051", "--pprof-disable", "-p",
             "-l", "warn"],
            stdout=self.log, stderr=subprocess.STDOUT,
            # Go keeps freed heap: ~10 KB/route of RSS at 100k without a
            # limit, which at 1M would crowd the shared machine
            env=dict(os.environ, GOMEMLIMIT="4GiB"))
        wait_for(lambda: self.gobgp("global", check=False).startswith("AS"),
                 20, 0.2, what="gobgpd's API")
        return self

    def gobgp(self, *args, check=True, timeout=60):
        try:
            r = subprocess.run(["ip", "netns", "exec", self.ns.name,
                                "gobgp", *args], capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            # a busy gobgpd (1M paths) can leave its API unanswered
            if check:
                raise
            return ""
        if check and r.returncode:
            raise RuntimeError(f"gobgp {args}: {r.stdout}{r.stderr}")
        return r.stdout

    def rib_count(self):
        s = json.loads(self.gobgp("-j", "global", "rib", "summary", "-a",
                                  "ipv4") or "{}")
        return int(s.get("num_destination", s.get("numDestination", 0)))

    def pid(self):
        for pid in sh(f"pgrep -P {self.p.pid}", check=False).split() + \
                [str(self.p.pid)]:
            try:
                if open(f"/proc/{pid}/comm").read().strip() == "gobgpd":
                    return int(pid)
            except OSError:
                pass
        return None

    def stop(self):
        if self.p and self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(15)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(5)


def bgp_config():
    return "\n".join([
        f"router bgp {ROUTER_AS}",
        f" bgp router-id {ROUTER_ADDR}",
        " no bgp ebgp-requires-policy",
        " no bgp network import-check",
        f" neighbor {SPEAKER_ADDR} remote-as {SPEAKER_AS}",
        f" neighbor {SPEAKER_ADDR} passive",
        " address-family ipv4 unicast",
        f"  neighbor {SPEAKER_ADDR} activate",
        " exit-address-family"])


def one_size(build, n, seed, workdir, out, timeout, tag):
    t_gen = time.monotonic()
    routes = route_table.v4_routes(n, seed)
    mrt = os.path.join(workdir, f"table-{n}.mrt")
    mrt_table.write(mrt, routes, SPEAKER_ADDR, SPEAKER_AS, seed)
    del routes
    print(f"[{n}] table generated in {time.monotonic() - t_gen:.1f} s",
          file=sys.stderr, flush=True)

    spk, rtr = Netns(f"xsspk{tag}"), Netns(f"xsrtr{tag}")
    dev, pdev = f"xsr{tag}", f"xss{tag}"
    sh(f"ip link add {dev} netns {rtr.name} type veth peer name {pdev} "
       f"netns {spk.name}")
    rtr.ip(f"addr add {ROUTER_ADDR}/24 dev {dev}")
    rtr.ip(f"link set {dev} up")
    spk.ip(f"addr add {SPEAKER_ADDR}/24 dev {pdev}")
    spk.ip(f"link set {pdev} up")
    pin = f"/sys/fs/bpf/xbscale{tag}"
    sock = f"/run/xdp-router/bench-{os.getpid()}.sock"
    os.makedirs("/run/xdp-router", exist_ok=True)
    sh(f"rm -rf {pin}", check=False)
    ctl = [f"{build}/cli/xdp-routerctl", "-s", sock, "-p", pin, "-j"]
    d = Routerd(f"{build}/dataplane/xdp-routerd", rtr, pin,
                ["--interfaces", dev, "--fib", "dir24",
                 "--route-v4-max", str(2 * n + 1024), "--resync-delay", "5",
                 "--metrics-listen", "off", "--control-socket", sock],
                log=os.path.join(out, f"frr-scale-xdp-routerd-{n}.log"))
    frr = spk_d = None
    res = {"routes": n}
    try:
        d.start()

        def status():
            r = subprocess.run(ctl + ["status"], capture_output=True,
                               text=True, timeout=30)
            return json.loads(r.stdout) if r.returncode == 0 else None
        wait_for(status, 20, 0.2, what="xdp-routerd's control socket")
        dpid = routerd_pid(d.p)

        spk_d = Speaker(spk, workdir).start()
        t = time.monotonic()
        for _ in range(3):  # see mrt_table.py: the padded tail
            spk_d.gobgp("mrt", "inject", "global", mrt, timeout=timeout)
            got = spk_d.rib_count()
            if got == n:
                break
        res["speaker_inject_s"] = time.monotonic() - t
        if got != n:
            raise RuntimeError(f"gobgpd holds {got} of {n} routes")
        print(f"[{n}] gobgpd loaded in {res['speaker_inject_s']:.1f} s",
              file=sys.stderr, flush=True)

        frr = Frr(rtr, daemons=("bgpd",), config=bgp_config(),
                  zebra_args=("-s", "90000000"))
        frr.start()
        wait_for(lambda: (status() or {}).get("fpm", {}).get("connected"),
                 30, 0.2, what="zebra's FPM connection")
        zpid, bpid = frr.pid("zebra"), frr.pid("bgpd")
        # connected and local routes already in both
        time.sleep(2)
        k0 = kernel_prefixes(zpid)
        m0 = offloaded(status())
        res["rss_before_kib"] = {"xdp-routerd": rss_kib(dpid),
                                 "zebra": rss_kib(zpid),
                                 "bgpd": rss_kib(bpid),
                                 "gobgpd": rss_kib(spk_d.pid())}
        res["loadavg_start"] = open("/proc/loadavg").read().split()[:3]
        pids = {"xdp-routerd": dpid, "zebra": zpid, "bgpd": bpid,
                "gobgpd": spk_d.pid()}
        cpu0 = {w: cpu_s(p) for w, p in pids.items()}

        t_add = time.monotonic()
        spk_d.gobgp("neighbor", "add", ROUTER_ADDR, "as", str(ROUTER_AS))
        times, trace = {}, []
        res["established_uncertainty_s"] = wait_established(
            spk_d, frr, times, t_add + timeout)
        deadline = t_add + timeout
        last_bgp = 0.0
        pfx = 0
        while time.monotonic() < deadline:
            # each count is stamped when it was read: the time a set became
            # complete is known to within one poll interval (0.5 s; 1 s for
            # bgpd, asked less often as it is the busiest)
            k, tk = kernel_prefixes(zpid) - k0, time.monotonic()
            m, tm = offloaded(status()) - m0, time.monotonic()
            if "bgpd" not in times and tm - last_bgp >= 1.0:
                pfx, last_bgp = bgpd_received(frr), time.monotonic()
                if pfx >= n:
                    times["bgpd"] = last_bgp
            trace.append((round(tk - times["established"], 2), pfx, k, m))
            if k >= n and "kernel" not in times:
                times["kernel"] = tk
            if m >= n and "maps" not in times:
                times["maps"] = tm
            if all(x in times for x in ("kernel", "maps", "bgpd")):
                break
            if mem_available_mib() < 3072:
                raise RuntimeError("under 3 GiB of memory left: stopped "
                                   "to spare the shared machine")
            time.sleep(POLL)
        else:
            raise RuntimeError(f"not all {n} routes within {timeout} s: "
                               f"last sample {trace[-1] if trace else None}")
        t0 = times["established"]
        res["seconds"] = {x: times[x] - t0 for x in ("bgpd", "kernel",
                                                    "maps")}
        res["seconds"]["established_after_add"] = t0 - t_add
        res["rate"] = {x: n / res["seconds"][x]
                       for x in ("bgpd", "kernel", "maps")}
        res["trace"] = trace
        time.sleep(POLL)
        res["rss_after_kib"] = {"xdp-routerd": rss_kib(dpid),
                                "zebra": rss_kib(zpid),
                                "bgpd": rss_kib(bpid),
                                "gobgpd": rss_kib(spk_d.pid())}
        res["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        # CPU spent from neighbour add to all-in, per process: where the
        # time goes (the machine has os.cpu_count() CPUs)
        res["cpu_s"] = {w: round(cpu_s(p) - cpu0[w], 2) for w, p in
                        pids.items() if cpu0[w] is not None}
        res["status_end"] = status()
        # one dump at the end, as a check of the cheap count
        res["kernel_proto_bgp"] = int(sh(
            f"ip -n {rtr.name} -4 route show proto bgp | wc -l").strip())
        print(f"[{n}] " + summary_line(res), file=sys.stderr, flush=True)
        return res
    finally:
        if frr:
            frr.stop()
        if spk_d:
            spk_d.stop()
        d.kill()
        sh(f"rm -rf {pin} {sock}", check=False)
        spk.delete()
        rtr.delete()


def wait_established(spk_d, frr, times, deadline):
    """times["established"] from bgpd's own clock: polls gobgpd (cheap)
    until the session is up, then asks bgpd how many ms ago it came up.
    Returns the uncertainty (half the vtysh round trip)."""
    while time.monotonic() < deadline:
        st = spk_d.gobgp("-j", "neighbor", ROUTER_ADDR, check=False,
                         timeout=10)
        try:
            state = json.loads(st)["state"]["session_state"]
        except (ValueError, KeyError, TypeError):
            state = None
        if state in (6, "ESTABLISHED", "established"):
            t1 = time.monotonic()
            nb = frr.json(f"show bgp neighbors {SPEAKER_ADDR} json")
            t2 = time.monotonic()
            up = nb[SPEAKER_ADDR]["bgpTimerUpMsec"] / 1000.0
            times["established"] = (t1 + t2) / 2 - up
            return (t2 - t1) / 2
        time.sleep(0.05)
    raise RuntimeError("BGP session not Established in time")


def offloaded(st):
    if not st:
        return 0
    rib = st.get("rib", {})
    return int(rib.get("routesOffloaded", 0))


def bgpd_received(frr):
    try:
        s = frr.json("show bgp ipv4 unicast summary json")
        return sum(p.get("pfxRcd", 0) for p in s.get("peers", {}).values())
    except (RuntimeError, ValueError):
        return 0


def summary_line(r):
    s, rate = r["seconds"], r["rate"]
    return (f"established +{s['established_after_add']:.1f} s; bgpd all in "
            f"{s['bgpd']:.1f} s, kernel {s['kernel']:.1f} s "
            f"({rate['kernel'] / 1e3:.1f}k/s), maps {s['maps']:.1f} s "
            f"({rate['maps'] / 1e3:.1f}k/s)")


def per_route(r, who):
    a, b = r["rss_after_kib"].get(who), r["rss_before_kib"].get(who)
    if a is None or b is None:
        return "n/a"
    return f"{a / 1024:.0f} MiB ({(a - b) * 1024 / r['routes']:.0f} B)"


def markdown(res):
    lines = ["Seconds from BGP Established until all N routes are in "
             "bgpd (pfxRcd), the kernel FIB, our maps; routes/s = N / "
             "seconds:", "",
             "| routes | bgpd received | kernel (zebra) | maps "
             "(xdp-routerd) | kernel routes/s | maps routes/s | maps − "
             "kernel |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in res["runs"]:
        s, rate = r["seconds"], r["rate"]
        lines.append(
            f"| {r['routes']} | {s['bgpd']:.1f} s | {s['kernel']:.1f} s | "
            f"{s['maps']:.1f} s | {rate['kernel'] / 1e3:.1f}k | "
            f"{rate['maps'] / 1e3:.1f}k | {s['maps'] - s['kernel']:+.1f} s |")
    lines += ["", "RSS after (growth per route):", "",
              "| routes | xdp-routerd | zebra | bgpd | gobgpd (speaker) |",
              "|---:|---:|---:|---:|---:|"]
    for r in res["runs"]:
        lines.append(f"| {r['routes']} | " + " | ".join(
            per_route(r, w) for w in ("xdp-routerd", "zebra", "bgpd",
                                      "gobgpd")) + " |")
    lines += ["", "CPU seconds from neighbour add to all in:", "",
              "| routes | " + " | ".join(WHO) + " |",
              "|---:|" + "---:|" * len(WHO)]
    for r in res["runs"]:
        lines.append(f"| {r['routes']} | " + " | ".join(
            f"{r['cpu_s'].get(w, 0):.1f}" for w in WHO) + " |")
    return "\n".join(lines)


WHO = ("gobgpd", "bgpd", "zebra", "xdp-routerd")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", default="100000,1000000",
                    help="comma-separated table sizes (100000,1000000)")
    ap.add_argument("--build", default=os.path.join(HERE, "../../build"))
    ap.add_argument("--out", help="results dir (default BUILD/bench)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds allowed per size for all routes to land")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    preflight(build)
    out = os.path.abspath(a.out or os.path.join(build, "bench"))
    os.makedirs(out, exist_ok=True)
    ensure_bpffs()
    # SIGTERM/SIGINT unwind through the finally blocks and atexit
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = tempfile.mkdtemp(prefix="xbench-frr-")
    atexit.register(lambda: shutil.rmtree(workdir, ignore_errors=True))
    res = {"seed": a.seed, "cpus": os.cpu_count(), "runs": []}
    for n in (int(x) for x in a.routes.split(",")):
        res["runs"].append(one_size(build, n, a.seed, workdir, out, a.timeout,
                                    os.getpid() % 10000))
        json.dump(res, open(os.path.join(out, "frr-scale.json"), "w"),
                  indent=1)
    print(markdown(res))


if __name__ == "__main__":
    main()
