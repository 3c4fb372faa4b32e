#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Real FRR at scale: a BGP speaker in namespace "speaker" announces N IPv4
routes over eBGP to bgpd in namespace "router", whose zebra (-M
dplane_fpm_nl) installs them in the kernel and streams them over FPM to
xdp-routerd. One run measures, from the moment the session is Established:
when bgpd has received all N, when the router's kernel FIB holds all N,
when xdp-routerd's maps hold all N; the RSS of every daemon before and
after, and the CPU seconds each spent.

  frr_scale.py [--routes N[,N..]] [--speaker frr|gobgp] [--build DIR]
               [--out DIR] [--timeout S]

The table is route_table.v4_routes(N, seed 7), the harness's mix (~60%
/24). The speaker holds the whole table before the session may come up,
so all of it goes out at once:

  frr (default)  FRR's own bgpd without zebra (`bgpd -Z`), its config N
                 `network A/L` statements (no import check) and the
                 neighbour `shutdown`; bgpd reads 1M of them in ~15 s.
                 The session starts with `no neighbor ... shutdown`. One
                 attribute set for all routes (AS path 65002), so its
                 UPDATEs are packed full (extended messages: ~16k
                 prefixes in each, ~60 for 1M routes).
  gobgp          gobgpd (`apt-get install gobgpd`), loaded from an MRT
                 file (mrt_table.py: a random 1-3 AS path per route, so
                 ~one prefix per UPDATE) with `gobgp mrt inject global`;
                 the session starts with `gobgp neighbor add`. ~330 s to
                 load 1M routes: use it up to ~100k.

Polled every 0.5 s, each without asking zebra anything: the kernel's count
is `Prefixes` of the main table in /proc/<zebra>/net/fib_triestat (the
router's namespace, no dump of 1M routes), the maps' count
`xdp-routerctl -j status` (in the router's namespace) through the
daemon's control socket; per-process CPU time; every 1 s
bgpd's `show bgp ipv4 unicast summary json` (pfxRcd, msgRcvd and inq, the
messages its I/O thread has read but the main thread not yet parsed).
Needs root, FRR and a built tree. Reports, never judges.
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "lib"), HERE]
from xrtest import Netns, ensure_bpffs, sh, wait_for  # noqa: E402
from frr import FRR, Frr, Routerd  # noqa: E402
import mrt_table  # noqa: E402
import route_table  # noqa: E402

ROUTER_AS, SPEAKER_AS = 65001, 65002
ROUTER_ADDR, SPEAKER_ADDR = "10.77.0.1", "10.77.0.2"
POLL = 0.5
WHO = ("speaker", "bgpd", "zebra", "xdp-routerd")


def preflight(build, speaker):
    if speaker == "gobgp":
        missing = [b for b in ("gobgpd", "gobgp") if not shutil.which(b)]
        if missing:
            sys.exit(f"frr_scale: {', '.join(missing)} not found: "
                     "apt-get install gobgpd (or --speaker frr)")
    for b in ("dataplane/xdp-routerd", "cli/xdp-routerctl"):
        if not os.access(os.path.join(build, b), os.X_OK):
            sys.exit(f"frr_scale: {build}/{b} missing: build the tree first "
                     "(cmake --build BUILD)")
    if not os.path.exists(f"{FRR}/bgpd"):
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


def child_named(pid, comm):
    """pid itself or its child whose comm is comm (nsenter and ip netns
    exec exec the program, or fork it)."""
    if pid is None:
        return None
    for p in [pid] + [int(x) for x in
                      sh(f"pgrep -P {pid}", check=False).split()]:
        try:
            if open(f"/proc/{p}/comm").read().strip() == comm:
                return p
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


def thread_cpu_s(pid):
    """{thread name: CPU seconds} of pid's threads (zebra's dplane and
    FPM pthreads, bgpd's I/O pthread), threads of one name summed."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (OSError, TypeError):
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) \
            / os.sysconf("SC_CLK_TCK")
    return out


def stop_pid(pid, grace=10.0):
    """SIGTERM, then SIGKILL after grace seconds: a daemon holding 1M
    routes may take long to shut down cleanly, and the bench does not need
    it to (its namespace goes next)."""
    if not pid:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except OSError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def stop_frr(frr):
    for d in reversed(frr.daemons):
        stop_pid(frr.pid(d))
    shutil.rmtree(frr.dir, ignore_errors=True)


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


def say(n, text):
    print(f"[{n}] {text}", file=sys.stderr, flush=True)


class GobgpSpeaker:
    """gobgpd in its namespace; the API on the namespace's loopback."""
    name = "gobgpd"

    def __init__(self, ns, workdir):
        self.ns = ns
        self.workdir = workdir
        self.conf = os.path.join(workdir, "gobgpd.toml")
        with open(self.conf, "w") as f:
            f.write(f'[global.config]\n  as = {SPEAKER_AS}\n'
                    f'  router-id = "{SPEAKER_ADDR}"\n'
                    f'  local-address-list = ["{SPEAKER_ADDR}"]\n')
        self.log = open(os.path.join(workdir, "gobgpd.log"), "w")
        self.p = None

    def load(self, routes, timeout, seed):
        """Starts gobgpd and puts the table in its RIB: MRT, then `gobgp mrt
        inject global` (see mrt_table.py for the padded tail)."""
        n = len(routes)
        mrt = os.path.join(self.workdir, f"table-{n}.mrt")
        mrt_table.write(mrt, routes, SPEAKER_ADDR, SPEAKER_AS, seed)
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
        for _ in range(3):
            self.gobgp("mrt", "inject", "global", mrt, timeout=timeout)
            got = self.rib_count()
            if got == n:
                break
        os.unlink(mrt)
        if got != n:
            raise RuntimeError(f"gobgpd holds {got} of {n} routes")

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

    def open_session(self):
        self.gobgp("neighbor", "add", ROUTER_ADDR, "as", str(ROUTER_AS))

    def established(self):
        st = self.gobgp("-j", "neighbor", ROUTER_ADDR, check=False,
                        timeout=10)
        try:
            state = json.loads(st)["state"]["session_state"]
        except (ValueError, KeyError, TypeError):
            return False
        return state in (6, "ESTABLISHED", "established")

    def pid(self):
        return child_named(self.p.pid if self.p else None, "gobgpd")

    def stop(self):
        if self.p and self.p.poll() is None:
            stop_pid(self.pid() or self.p.pid)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(5)


class FrrSpeaker(Frr):
    """FRR's bgpd alone (-Z: no zebra) in its namespace, the table in its
    startup config as `network` statements, the neighbour shut down."""
    name = "bgpd (speaker)"

    def __init__(self, ns, workdir):
        super().__init__(ns, daemons=("bgpd",), fpm=False)
        self.daemons = ("bgpd",)

    def start_daemon(self, d, extra=()):
        super().start_daemon(d, ("-Z", "-l", SPEAKER_ADDR) + tuple(extra))

    def load(self, routes, timeout, seed):
        ntoa = socket.inet_ntoa
        pack = struct.Struct("!I").pack
        with open(self.path("bgpd.conf"), "w") as f:
            f.write("\n".join([
                "frr defaults traditional",
                f"log file {self.path('bgpd.log')} warnings",
                f"router bgp {SPEAKER_AS}",
                f" bgp router-id {SPEAKER_ADDR}",
                " no bgp ebgp-requires-policy",
                " no bgp network import-check",
                f" neighbor {ROUTER_ADDR} remote-as {ROUTER_AS}",
                f" neighbor {ROUTER_ADDR} shutdown",
                " address-family ipv4 unicast", ""]))
            f.write("".join(f"  network {ntoa(pack(a))}/{plen}\n"
                            for a, plen in routes))
            f.write(" exit-address-family\n")
        shutil.chown(self.path("bgpd.conf"), "frr", "frr")
        self.start()
        # the vty answers once the whole config is read; then the static
        # routes go through best path in the background
        n = len(routes)
        wait_for(lambda: self.rib_count() == n, timeout, 0.5,
                 what=f"the speaker's bgpd to hold {n} routes")

    def vtysh(self, *cmds, check=True, timeout=60):
        args = ["vtysh", "--vty_socket", self.dir]
        for c in cmds:
            args += ["-c", c]
        try:
            out = subprocess.run(args, capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            if check:
                raise
            return ""
        if check and (out.returncode or "% " in out.stdout):
            raise RuntimeError(f"vtysh {cmds}: {out.stdout}{out.stderr}")
        return out.stdout

    def rib_count(self):
        try:
            s = json.loads(self.vtysh("show bgp ipv4 unicast statistics "
                                      "json", check=False) or "{}")
            return s["ipv4Unicast"][0]["totalPrefixes"]
        except (ValueError, KeyError, IndexError, TypeError):
            return 0

    def open_session(self):
        self.configure(f"router bgp {SPEAKER_AS}",
                       f"no neighbor {ROUTER_ADDR} shutdown")

    def established(self):
        try:
            nb = json.loads(self.vtysh(f"show bgp neighbors {ROUTER_ADDR} "
                                       "json", check=False, timeout=10))
            return nb[ROUTER_ADDR]["bgpState"] == "Established"
        except (ValueError, KeyError, TypeError):
            return False

    def pid(self, d="bgpd"):
        return super().pid(d)

    def stop(self):
        stop_frr(self)


SPEAKERS = {"frr": FrrSpeaker, "gobgp": GobgpSpeaker}


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


def one_size(build, n, seed, workdir, out, timeout, tag, speaker):
    t_gen = time.monotonic()
    routes = route_table.v4_routes(n, seed)
    say(n, f"table generated in {time.monotonic() - t_gen:.1f} s")

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
    # in the router's namespace, where the daemon's ifindexes mean its ports
    ctl = rtr.nsenter() + [f"{build}/cli/xdp-routerctl", "-s", sock, "-p",
                           pin, "-j"]
    d = Routerd(f"{build}/dataplane/xdp-routerd", rtr, pin,
                ["--interfaces", dev, "--fib", "dir24",
                 "--route-v4-max", str(2 * n + 1024), "--resync-delay", "5",
                 "--metrics-listen", "off", "--control-socket", sock],
                log=os.path.join(out, f"frr-scale-xdp-routerd-{n}.log"))
    frr = spk_d = None
    res = {"routes": n, "speaker": speaker}
    try:
        d.start()

        def status():
            r = subprocess.run(ctl + ["status"], capture_output=True,
                               text=True, timeout=30)
            return json.loads(r.stdout) if r.returncode == 0 else None
        wait_for(status, 20, 0.2, what="xdp-routerd's control socket")
        dpid = child_named(d.p.pid, "xdp-routerd")

        spk_d = SPEAKERS[speaker](spk, workdir)
        t = time.monotonic()
        spk_d.load(routes, timeout, seed)
        del routes
        res["speaker_load_s"] = time.monotonic() - t
        say(n, f"{spk_d.name} loaded in {res['speaker_load_s']:.1f} s")

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
        pids = {"xdp-routerd": dpid, "zebra": zpid, "bgpd": bpid,
                "speaker": spk_d.pid()}
        res["rss_before_kib"] = {w: rss_kib(p) for w, p in pids.items()}
        res["loadavg_start"] = open("/proc/loadavg").read().split()[:3]
        cpu0 = {w: cpu_s(p) for w, p in pids.items()}
        threads0 = {w: thread_cpu_s(pids[w]) for w in ("zebra", "bgpd")}

        t_add = time.monotonic()
        spk_d.open_session()
        times, trace = {}, []
        res["established_uncertainty_s"] = wait_established(
            spk_d, frr, times, t_add + timeout)
        deadline = t_add + timeout
        last_bgp = 0.0
        rcv = {"pfx": 0, "msgs": 0, "inq": 0}
        while time.monotonic() < deadline:
            # each count is stamped when it was read: the time a set became
            # complete is known to within one poll interval (0.5 s; 1 s for
            # bgpd, asked less often as it is the busiest)
            k, tk = kernel_prefixes(zpid) - k0, time.monotonic()
            m, tm = offloaded(status()) - m0, time.monotonic()
            if "bgpd" not in times and tm - last_bgp >= 1.0:
                # a busy bgpd answers late: its count is as of about when
                # the answer came, so all arrived between the previous
                # answer and the first that says n
                prev_bgp = last_bgp
                rcv, last_bgp = bgpd_received(frr), time.monotonic()
                if rcv["pfx"] >= n:
                    times["bgpd"], times["bgpd_after"] = last_bgp, prev_bgp
            trace.append((round(tk - times["established"], 2), rcv["pfx"],
                          k, m, rcv["msgs"], rcv["inq"]) + tuple(
                round(cpu_s(pids[w]) - cpu0[w], 2) if cpu0[w] is not None
                else None for w in WHO))
            if k >= n and "kernel" not in times:
                times["kernel"] = tk
            if m >= n and "maps" not in times:
                times["maps"] = tm
            if all(x in times for x in ("kernel", "maps", "bgpd")):
                break
            if mem_available_mib() < 3072:
                raise RuntimeError("under 3 GiB of memory left: stopped "
                                   "to spare the shared machine")
            if len(trace) % 20 == 0:
                say(n, f"+{trace[-1][0]:.0f} s: bgpd {rcv['pfx']} "
                    f"(inq {rcv['inq']}), kernel {k}, maps {m}")
            time.sleep(POLL)
        else:
            raise RuntimeError(f"not all {n} routes within {timeout} s: "
                               f"last sample {trace[-1] if trace else None}")
        # CPU spent from session start to all-in, per process: where the
        # time goes (the machine has os.cpu_count() CPUs)
        res["cpu_s"] = {w: round(cpu_s(p) - cpu0[w], 2) for w, p in
                        pids.items() if cpu0[w] is not None}
        res["thread_cpu_s"] = {
            w: {t: round(c - threads0[w].get(t, 0), 2)
                for t, c in thread_cpu_s(pids[w]).items()
                if c - threads0[w].get(t, 0) >= 0.01}
            for w in threads0}
        t0 = times["established"]
        res["seconds"] = {x: times[x] - t0 for x in ("bgpd", "kernel",
                                                    "maps")}
        res["seconds"]["established_after_add"] = t0 - t_add
        res["seconds"]["bgpd_after"] = max(times["bgpd_after"] - t0, 0.0)
        res["rate"] = {x: n / res["seconds"][x]
                       for x in ("bgpd", "kernel", "maps")}
        res["trace_columns"] = ["s", "bgpd_pfx", "kernel", "maps",
                                "bgpd_msgs", "bgpd_inq"] + [
                                    f"cpu_s_{w}" for w in WHO]
        res["trace"] = trace
        time.sleep(POLL)
        res["rss_after_kib"] = {w: rss_kib(p) for w, p in pids.items()}
        res["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        res["status_end"] = status()
        # one dump at the end, as a check of the cheap count
        res["kernel_proto_bgp"] = int(sh(
            f"ip -n {rtr.name} -4 route show proto bgp | wc -l").strip())
        say(n, summary_line(res))
        return res
    finally:
        # every step, whatever failed before it
        for step in (lambda: spk_d and spk_d.stop(),
                     lambda: frr and stop_frr(frr),
                     lambda: d.running() and stop_pid(d.p.pid),
                     lambda: sh(f"rm -rf {pin} {sock}", check=False),
                     spk.delete, rtr.delete):
            try:
                step()
            except Exception as e:  # noqa: BLE001 - cleanup goes on
                print(f"frr_scale: cleanup: {e}", file=sys.stderr)


def wait_established(spk_d, frr, times, deadline):
    """times["established"] from bgpd's own clock: polls the speaker until
    the session is up, then asks bgpd how many ms ago it came up. Returns
    the uncertainty (half the vtysh round trip)."""
    while time.monotonic() < deadline:
        if spk_d.established():
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
        peers = s.get("peers", {}).values()
    except (RuntimeError, ValueError):
        peers = ()
    return {k: sum(p.get(f, 0) for p in peers)
            for k, f in (("pfx", "pfxRcd"), ("msgs", "msgRcvd"),
                         ("inq", "inq"))}


def summary_line(r):
    s, rate = r["seconds"], r["rate"]
    return (f"established +{s['established_after_add']:.1f} s; bgpd all in "
            f"{s['bgpd_after']:.1f}-{s['bgpd']:.1f} s, kernel {s['kernel']:.1f} s "
            f"({rate['kernel'] / 1e3:.1f}k/s), maps {s['maps']:.1f} s "
            f"({rate['maps'] / 1e3:.1f}k/s); load "
            f"{' '.join(r['loadavg_start'])} -> {' '.join(r['loadavg_end'])}")


def per_route(r, who):
    a, b = r["rss_after_kib"].get(who), r["rss_before_kib"].get(who)
    if a is None or b is None:
        return "n/a"
    return (f"{b / 1024:.0f} → {a / 1024:.0f} MiB "
            f"({(a - b) * 1024 / r['routes']:.0f} B)")


def markdown(res):
    lines = ["Seconds from BGP Established until all N routes are in "
             "bgpd (pfxRcd: between its last two answers), the kernel FIB, "
             "our maps; routes/s = N / seconds:", "",
             "| routes | speaker | speaker load | bgpd received | kernel "
             "(zebra) | maps (xdp-routerd) | kernel routes/s | maps "
             "routes/s | maps − kernel | load avg |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in res["runs"]:
        s, rate = r["seconds"], r["rate"]
        lines.append(
            f"| {r['routes']} | {r['speaker']} | {r['speaker_load_s']:.1f} s "
            f"| {s['bgpd_after']:.1f}–{s['bgpd']:.1f} s | "
            f"{s['kernel']:.1f} s | "
            f"{s['maps']:.1f} s | {rate['kernel'] / 1e3:.1f}k | "
            f"{rate['maps'] / 1e3:.1f}k | {s['maps'] - s['kernel']:+.1f} s | "
            f"{r['loadavg_start'][0]} → {r['loadavg_end'][0]} |")
    lines += ["", "RSS before → after (growth per route):", "",
              "| routes | " + " | ".join(WHO) + " |",
              "|---:|" + "---:|" * len(WHO)]
    for r in res["runs"]:
        lines.append(f"| {r['routes']} | " + " | ".join(
            per_route(r, w) for w in WHO) + " |")
    lines += ["", "CPU seconds from session start to all in (zebra's and "
              "bgpd's by thread):", "",
              "| routes | " + " | ".join(WHO) + " |",
              "|---:|" + "---:|" * len(WHO)]
    for r in res["runs"]:
        lines.append(f"| {r['routes']} | " + " | ".join(
            f"{r['cpu_s'].get(w, 0):.1f}" + (" (" + ", ".join(
                f"{t} {c:.1f}" for t, c in sorted(
                    r["thread_cpu_s"].get(w, {}).items(),
                    key=lambda x: -x[1])) + ")"
                if r["thread_cpu_s"].get(w) else "")
            for w in WHO) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", default="100000,1000000",
                    help="comma-separated table sizes (100000,1000000)")
    ap.add_argument("--speaker", choices=sorted(SPEAKERS), default="frr",
                    help="who announces the table: FRR's bgpd -Z (frr, "
                    "default) or gobgpd (gobgp, slow past ~100k)")
    ap.add_argument("--build", default=os.path.join(HERE, "../../build"))
    ap.add_argument("--out", help="results dir (default BUILD/bench)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds allowed per size for the speaker to load "
                    "and for all routes to land")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    preflight(build, a.speaker)
    out = os.path.abspath(a.out or os.path.join(build, "bench"))
    os.makedirs(out, exist_ok=True)
    ensure_bpffs()
    # SIGTERM/SIGINT unwind through the finally blocks and atexit
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = tempfile.mkdtemp(prefix="xbench-frr-")
    atexit.register(lambda: shutil.rmtree(workdir, ignore_errors=True))
    res = {"seed": a.seed, "cpus": os.cpu_count(), "speaker": a.speaker,
           "runs": []}
    for n in (int(x) for x in a.routes.split(",")):
        res["runs"].append(one_size(build, n, a.seed, workdir, out, a.timeout,
                                    os.getpid() % 10000, a.speaker))
        json.dump(res, open(os.path.join(out, "frr-scale.json"), "w"),
                  indent=1)
    print(markdown(res))


if __name__ == "__main__":
    main()
