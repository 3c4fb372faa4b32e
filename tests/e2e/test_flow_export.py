#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""sFlow v5 and IPFIX from the fast path, read by pmacct's sfacctd and
nfdump's nfcapd, under real zebra + staticd + xdp-routerd:

  h1 (10.0.1.2) -- r1 [router] r2 -- h2 (192.168.50.1 via 10.0.2.2)
                               r3 -- h3 (10.0.3.2: sfacctd on 6343,
                                         nfcapd on 4739)

A stream of K UDP datagrams h1 -> h2 is forwarded by XDP while xdp-routerd
samples 1 in N and exports to sfacctd. sfacctd's memory table must show
the stream's addresses, ports and interfaces (r1's ifIndex in, r2's out)
with a sample count within 10% of K/N (4.7 standard deviations at
K=20000, N=10), and the interface counter samples must decode. nfdump
must read the stream's flow from the IPFIX nfcapd stored, its packets
(samples x N) within 10% of K and its bytes within 10% of K x 92. Then the
collector goes away: the stream still arrives, forwarded by XDP, and the
exporter counts send errors. Last the collectors move to another address
in the config file and xdp-routerd gets SIGHUP: both exporters send there
from then on and no longer to the old address, the change is logged once
and counted, status shows it, and the stream stays with XDP under the same
program and the same daemon.

usage: test_flow_export.py XDP_ROUTERD XDP_ROUTERCTL
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    skip_missing_tool, unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402
from udpstream import between  # noqa: E402

ROUTERD, CTL = sys.argv[1], sys.argv[2]
K, N, PORT = 20000, 10, 9000
if not shutil.which("sfacctd"):
    skip_missing_tool("sfacctd", "pmacct")
if not shutil.which("nfcapd"):
    skip_missing_tool("nfcapd", "nfdump")
tag = unique("")
r = Netns(f"xrfx-r{tag}")
h = {i: Netns(f"xrfx-h{i}-{tag}") for i in (1, 2, 3)}
PIN = f"/sys/fs/bpf/xrfx{tag}"
SOCK = f"/run/xrfx{tag}.sock"
DST = "192.168.50.1"
COLLECTOR = "10.0.3.2"
res = Results()
ensure_bpffs()
cleanup_pins(PIN)
work = tempfile.mkdtemp(prefix="xrfx.")

for i in (1, 2, 3):
    router_host_link(r, h[i], i)
h[2].ip(f"addr add {DST}/32 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1")


def ifindex(name):
    return int(r.ip(f"-o link show {name}").split(":")[0])


IN, OUT = ifindex("r1"), ifindex("r2")

# The collector: every sample counted by flow in a memory table, the
# counter samples written as JSON.
PIPE = os.path.join(work, "sfacctd.pipe")
COUNTERS = os.path.join(work, "counters.json")
conf = os.path.join(work, "sfacctd.conf")
with open(conf, "w") as f:
    f.write(f"""daemonize: false
sfacctd_ip: {COLLECTOR}
sfacctd_port: 6343
sfacctd_renormalize: false
plugins: memory[flows]
imt_path[flows]: {PIPE}
aggregate[flows]: src_host, dst_host, src_port, dst_port, proto, in_iface, out_iface
sfacctd_counter_file: {COUNTERS}
sfacctd_counter_output: json
""")
collector_log = open(os.path.join(work, "sfacctd.log"), "w")
collector = subprocess.Popen(h[3].nsenter() + ["sfacctd", "-f", conf],
                             stdout=collector_log, stderr=collector_log)


NFDIR = os.path.join(work, "nfcapd")
os.mkdir(NFDIR)
nfcapd = subprocess.Popen(h[3].nsenter() + [
    "nfcapd", "-w", NFDIR, "-b", COLLECTOR, "-p", "4739", "-t", "3600"],
    stdout=collector_log, stderr=collector_log)


def stop_collector():
    for p in (collector, nfcapd):
        if p.poll() is None:
            p.terminate()
            p.wait(10)


def ipfix_flows():
    """What nfdump reads from nfcapd's files: (packets, bytes, line) of
    each flow to DST port PORT."""
    p = subprocess.run(["nfdump", "-R", NFDIR, "-q", "-N", "-o",
                        "fmt:%sa %da %sp %dp %pr %in %out %pkt %byt",
                        f"dst ip {DST} and dst port {PORT}"],
                       capture_output=True, text=True)
    out = []
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) == 9:
            out.append((int(f[7]), int(f[8]), f))
    return out


# The collectors in the config file (a reload changes them there), the
# sampling on the command line: both ways of setting an option.
daemon_conf = os.path.join(work, "xdp-router.conf")


def write_conf(collector):
    with open(daemon_conf, "w") as f:
        f.write(f"sflow-collector = {collector}:6343\n"
                f"ipfix-collector = {collector}:4739\n")


write_conf(COLLECTOR)
routerd = Routerd(ROUTERD, r, PIN, [
    "--config", daemon_conf, "--log-level", "info", "--control-socket",
    SOCK, "--metrics-listen", "off",
    "--sflow-sampling", str(N), "--sflow-counter-interval", "1",
    "--ipfix-idle-timeout", "2"]).start()
frr = Frr(r, config="ip route 192.168.50.0/24 10.0.2.2").start()


def status():
    p = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "-j", "status"],
                       capture_output=True, text=True)
    return json.loads(p.stdout) if p.returncode == 0 else {}


def lookup_verdict(addr):
    p = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "-j", "lookup", addr],
                       capture_output=True, text=True)
    try:
        return json.loads(p.stdout)["fastPath"]["verdict"]
    except (ValueError, KeyError):
        return None


def export():
    return status().get("flowExport", {})


def flows():
    """sfacctd's memory table: one dict per aggregate."""
    p = subprocess.run(["pmacct", "-p", PIPE, "-s", "-O", "json"],
                       capture_output=True, text=True)
    out = []
    for line in p.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def stream_flows():
    return [f for f in flows() if f.get("ip_dst") == DST and
            f.get("port_dst") == PORT]


def plan(ifname):
    for i in status().get("interfaces", []):
        if i["name"] == ifname:
            return i["plan"]
    return None


def forw():
    for line in r.run("nstat -saz IpForwDatagrams").splitlines():
        if line.startswith("IpForwDatagrams"):
            return int(line.split()[1])
    raise AssertionError("no IpForwDatagrams")


def counter_samples(ifindex):
    """sfacctd's decoded generic interface counters of ifindex."""
    out = []
    if os.path.exists(COUNTERS):
        for line in open(COUNTERS):
            try:
                c = json.loads(line)
            except ValueError:
                continue
            if c.get("ifIndex") == ifindex:
                out.append(c)
    return out


# Every source of the plan read: only the sysctls' hairpin flags remain.
HAIRPIN = {"ipv4-send-redirects", "ipv6-send-redirects"}


# A UDP sink on the old and the new collector address: each datagram's
# destination and its version (5: sFlow, 10: IPFIX), one line each.
SINK = """
import select, socket, sys
socks = {}
for a in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    host, port = a.rsplit(":", 1)
    s.bind((host, int(port)))
    socks[s] = a
while True:
    for s in select.select(list(socks), [], [])[0]:
        b = s.recv(65535)
        v = int.from_bytes(b[:4], "big") if socks[s].endswith(":6343") \\
            else int.from_bytes(b[:2], "big")
        print(socks[s], v, flush=True)
"""
MOVED = "10.0.3.3"


def sink_counts(path):
    """{(address:port, version): datagrams} the sink got so far."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) == 2:
            k = (f[0], int(f[1]))
            out[k] = out.get(k, 0) + 1
    return out


def xdp_prog_id(ifname):
    link = json.loads(r.ip(f"-j link show {ifname}"))[0]
    return link.get("xdp", {}).get("prog", {}).get("id")


def collector_moves():
    """The collectors change in the config file, SIGHUP: export follows."""
    t0 = time.monotonic()
    h[3].ip(f"addr add {MOVED}/24 dev eth0")
    sink_out = os.path.join(work, "sink.txt")
    old = [f"{COLLECTOR}:6343", f"{COLLECTOR}:4739"]
    new = [f"{MOVED}:6343", f"{MOVED}:4739"]
    sink = subprocess.Popen(
        h[3].nsenter() + ["/usr/bin/python3", "-c", SINK] + old + new,
        stdout=open(sink_out, "w"), stderr=subprocess.DEVNULL)
    try:
        # the counter samples reach the old address every second
        wait_for(lambda: sink_counts(sink_out).get((old[0], 5), 0) >= 2, 10,
                 what="sFlow at the old address before the change")
        prog, pid = xdp_prog_id("r1"), routerd.p.pid
        ex0 = export()
        write_conf(MOVED)
        routerd.p.send_signal(signal.SIGHUP)

        def moved():
            ex = export()
            return [c.get("address") for c in ex.get("collectors", [])] == \
                [new[0]] and [c.get("address") for c in ex.get(
                    "ipfix", {}).get("collectors", [])] == [new[1]]
        try:
            wait_for(moved, 5, what="the collectors at the new address")
        except AssertionError:
            pass
        res.check(moved(), "status: the collectors at the new address",
                  f"{export()}")
        # a datagram sent just before the status answered may still land
        time.sleep(0.2)
        before = sink_counts(sink_out)
        f0 = forw()
        got = between(h[2], h[1], DST, 3000, 10000, 1.5, port=PORT)
        kern = forw() - f0
        res.check(got >= 0.99 * 3000 and kern < 30,
                  "collectors moved: the stream still arrives, by XDP",
                  f"{got}/3000, kernel forwarded {kern}")
        try:
            wait_for(lambda: sink_counts(sink_out).get((new[0], 5), 0) >= 2
                     and sink_counts(sink_out).get((new[1], 10), 0) >= 1, 8,
                     what="sFlow and IPFIX at the new address")
        except AssertionError:
            pass
        after = sink_counts(sink_out)
        print(f"sink before the change {before}, after {after}")
        res.check(after.get((new[0], 5), 0) >= 2 and
                  after.get((new[1], 10), 0) >= 1,
                  "sFlow and IPFIX go to the new address", f"{after}")
        res.check(all(after.get(k, 0) == before.get(k, 0)
                      for k in ((old[0], 5), (old[1], 10))),
                  "the old address gets nothing more",
                  f"before {before}, after {after}")
        ex = export()
        res.check(ex.get("addressChanges", 0) == ex0.get("addressChanges", 0)
                  + 1 and ex.get("ipfix", {}).get("addressChanges", 0) ==
                  ex0.get("ipfix", {}).get("addressChanges", 0) + 1 and
                  ex.get("state") == "exporting",
                  "the change counted once per exporter, exporting again",
                  f"{ex0} -> {ex}")
        text = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "status"],
                              capture_output=True, text=True).stdout
        res.check(f"collector {MOVED}:6343" in text and
                  f"collector {COLLECTOR}:6343" not in text,
                  "status shows the new collector, not the old", text)
        log = routerd.log()
        res.check(log.count("sflow: collectors changed") == 1 and
                  log.count("ipfix: collectors changed") == 1 and
                  "take effect at the next start" not in log,
                  "the change logged once per exporter, nothing else "
                  "left for a restart",
                  f"{[ln for ln in log.splitlines() if 'reload' in ln or 'changed' in ln]}")
        res.check(routerd.p.pid == pid and routerd.running() and
                  xdp_prog_id("r1") == prog,
                  "the same daemon and the same XDP program",
                  f"prog {prog} -> {xdp_prog_id('r1')}")
        print(f"collectors moved: checked in {time.monotonic() - t0:.1f} s")
    finally:
        sink.terminate()
        sink.wait(10)


try:
    wait_for(lambda: export().get("state") == "exporting", 20,
             what="the exporter up")
    wait_for(lambda: os.path.exists(PIPE), 20, what="sfacctd's memory table")
    # zebra's route in the maps and its gateway's MAC known (the ping
    # makes the kernel resolve it) before counting
    wait_for(lambda: " 0% packet loss" in h[1].run(
        f"ping -c1 -W1 {DST}", check=False) and
        lookup_verdict(DST) == "forward", 20,
        what="zebra's route in the fast path")
    wait_for(lambda: plan("r1") is not None and
             set(plan("r1")["flags"]) <= HAIRPIN, 20,
             what="r1 accelerated (every source of the plan read)")
    base = sum(f["packets"] for f in stream_flows())

    f0 = forw()
    got = between(h[2], h[1], DST, K, 10000, 1.5, port=PORT)
    kern = forw() - f0
    res.check(got >= 0.99 * K, "the stream arrives", f"{got}/{K}")
    res.check(kern < 0.01 * K, "the stream forwarded by XDP",
              f"kernel forwarded {kern}")
    want = K / N

    def sampled():
        return sum(f["packets"] for f in stream_flows()) - base
    try:
        wait_for(lambda: sampled() >= 0.9 * want, 15,
                 what="sfacctd's count of the stream")
    except AssertionError:
        pass
    n = sampled()
    fl = stream_flows()
    print(f"sfacctd: {n} samples of the {K}-datagram stream at 1:{N} "
          f"(expected {want:.0f}), {n * N} packets estimated; flows {fl}")
    res.check(abs(n - want) <= 0.1 * want,
              "sampled count within 10% of K/N", f"{n} vs {want:.0f}")
    res.check(fl and all(f["ip_src"] == "10.0.1.2" and f["ip_proto"] == "udp"
                         and f["iface_in"] == IN and f["iface_out"] == OUT
                         for f in fl),
              "the stream's addresses, protocol and interfaces "
              f"(in {IN}, out {OUT})", f"{fl}")
    res.check(len({f["port_src"] for f in fl}) == 1,
              "one source port: the stream's", f"{fl}")
    ex = export()
    print(f"exporter: {ex}")
    text = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "status"],
                          capture_output=True, text=True).stdout
    print(text)
    res.check("sFlow:        exporting, sampling 1 in 10" in text and
              f"collector {COLLECTOR}:6343" in text,
              "status shows the exporter", text)
    res.check(ex.get("ringFull") == 0 and ex.get("sendErrors") == 0 and
              ex.get("flowSamples", 0) >= n,
              "exporter: every sample sent, none lost", f"{ex}")
    res.check(ex.get("agentAddress") == "10.0.3.1",
              "agent address: the source towards the collector", f"{ex}")
    try:
        wait_for(lambda: any(c["ifInUcastPkts"] >= K and
                             c["ifType"] == 6 for c in counter_samples(IN))
                 and any(c["ifOutUcastPkts"] >= K
                         for c in counter_samples(OUT)), 10,
                 what="counter samples with the stream")
        res.check(True, "sfacctd decodes the interface counter samples: "
                  "the stream in on r1, out on r2")
    except AssertionError as e:
        res.check(False, "sfacctd decodes the interface counter samples",
                  f"{e}: {counter_samples(IN)[-1:]} {counter_samples(OUT)[-1:]}")

    # IPFIX: the stream's flow leaves the cache 2 s after its last sample;
    # nfcapd writes its file when stopped.
    try:
        wait_for(lambda: export().get("ipfix", {}).get("flowsExported", 0)
                 >= 1 and export()["ipfix"].get("cacheFlows", 1) == 0, 15,
                 what="IPFIX flows exported")
    except AssertionError as e:
        res.check(False, "IPFIX flows exported", f"{e}: {export()}")
    nfcapd.terminate()
    nfcapd.wait(10)
    nf = ipfix_flows()
    pk, by = sum(x[0] for x in nf), sum(x[1] for x in nf)
    print(f"nfdump: {pk} packets, {by} bytes of the stream estimated from "
          f"IPFIX (sent {K}, {K * 92} bytes at IP); {[x[2] for x in nf]}")
    res.check(abs(pk - K) <= 0.1 * K and abs(by - K * 92) <= 0.1 * K * 92,
              "nfdump: the stream's packets and bytes within 10%",
              f"{pk} packets, {by} bytes")
    res.check(nf and all(x[2][0] == "10.0.1.2" and x[2][4] in ("17", "UDP") and
                         x[2][5] == str(IN) and x[2][6] == str(OUT)
                         for x in nf),
              "nfdump: the stream's source, protocol and interfaces",
              f"{[x[2] for x in nf]}")

    # The collector goes away: forwarding goes on, the exporter counts.
    stop_collector()
    e0 = export().get("sendErrors", 0)
    f0 = forw()
    got = between(h[2], h[1], DST, 5000, 10000, 1.5, port=PORT)
    kern = forw() - f0
    res.check(got >= 0.99 * 5000 and kern < 50,
              "collector gone: the stream still arrives, by XDP",
              f"{got}/5000, kernel forwarded {kern}")
    wait_for(lambda: export().get("sendErrors", 0) > e0, 10,
             what="send errors counted")
    ex = export()
    res.check(ex.get("sendErrors", 0) > e0 and
              ex.get("state") == "no collector reachable",
              "collector gone: send errors counted, state says so", f"{ex}")
    log = routerd.log()
    res.check(log.count("datagrams are counted as send errors") == 1,
              "the unreachable collector logged once",
              f"{log.count('datagrams are counted as send errors')}")
    res.check(routerd.running(), "xdp-routerd still running")
    collector_moves()
finally:
    stop_collector()
    routerd.kill()
    frr.stop()
    cleanup_pins(PIN)
    if res.failed:
        print(f"kept {work} (sfacctd.log, counters.json); "
              f"xdp-routerd log {routerd.log_path}")
    else:
        shutil.rmtree(work, ignore_errors=True)
res.finish()
