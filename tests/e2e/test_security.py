#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Only zebra programs the fast path, against real zebra (FRR, -M
dplane_fpm_nl) and staticd, in namespaces:

  h1 (10.0.1.2) -- r1 [router: FRR + xdp-routerd] r2 -- h2 (192.168.50.1)

An unprivileged user (runuser -u nobody) connects to the FPM port every
second with a blackhole for 192.168.50.1/32 while h1 streams UDP to it:
every datagram still arrives, forwarded by XDP; zebra's session is never
replaced; the refusal is counted and logged once. A root peer still
replaces zebra as before.

usage: test_security.py XDP_ROUTERD XDP_ROUTERCTL
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from xrtest import (Netns, Results, ensure_bpffs, router_host_link,  # noqa
                    sh, unique, wait_for)
from frr import Frr, Routerd, cleanup_pins  # noqa: E402
import udpstream  # noqa: E402

ROUTERD, CTL = sys.argv[1], sys.argv[2]
LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
tag = unique("")
r = Netns(f"xrs-r{tag}")
h = {i: Netns(f"xrs-h{i}-{tag}") for i in (1, 2)}
PIN = f"/sys/fs/bpf/xrs{tag}"
SOCK = f"/run/xdp-router/test-sec-{tag}.sock"
METRICS = "127.0.0.1:9642"
METRICS_CONNS = 8  # --metrics-max-connections
TARGET = "192.168.50.1"
res = Results()
ensure_bpffs()
cleanup_pins(PIN)

# nobody must be able to read the scripts it runs
TMP = tempfile.mkdtemp(prefix="xrs-")
os.chmod(TMP, 0o755)
for f in ("fpm_peer.py", "udpstream.py", "garbage.py"):
    shutil.copy(os.path.join(LIB, f), TMP)
    os.chmod(os.path.join(TMP, f), 0o755)
PEER = os.path.join(TMP, "fpm_peer.py")
GARBAGE = os.path.join(TMP, "garbage.py")


def as_user(user, *args):
    """Runs args in the router's namespace as user: stdout, stripped."""
    cmd = r.nsenter() + (["runuser", "-u", user, "--"] if user else []) + \
        ["/usr/bin/python3", *args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return (p.stdout + (p.stderr if p.returncode else "")).strip()


# -- the config file: refused when another user may write it -------------
CONF = os.path.join(TMP, "xdp-router.conf")
with open(CONF, "w") as f:
    f.write("log-level = info\n")
for mode, owner, ok in ((0o644, 0, True), (0o666, 0, False),
                        (0o620, 0, False), (0o644, 65534, False)):
    os.chmod(CONF, mode)
    os.chown(CONF, owner, 0)
    p = subprocess.run([ROUTERD, "--config", CONF, "--help"],
                       capture_output=True, text=True)
    res.check((p.returncode == 0) == ok and
              (ok or "refusing" in p.stderr),
              f"config {mode:04o} uid {owner}: "
              f"{'taken' if ok else 'refused'}", p.stderr.strip())

# -- the pin dir: one made by another user, or world-writable, refused ---
for mode, owner in ((0o777, 0), (0o700, 65534)):
    bad = f"/sys/fs/bpf/xrs-bad{tag}"
    os.makedirs(bad, exist_ok=True)
    os.chmod(bad, mode)
    os.chown(bad, owner, 0)
    try:
        p = subprocess.run(r.nsenter() + [
            ROUTERD, "--foreground", "--config", "/dev/null", "--pin-path",
            bad, "--control-socket", SOCK + ".x", "--metrics-listen", "off"],
            capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired as e:  # it took the dir and ran
        p = subprocess.CompletedProcess(e.cmd, 0, "", str(e.stderr))
        sh(f"rm -f {bad}/*", check=False)
    res.check(p.returncode != 0 and "refusing pin dir" in p.stderr and
              not os.listdir(bad),
              f"pin dir {mode:04o} uid {owner} refused, nothing pinned",
              p.stderr.strip()[-300:])
    os.rmdir(bad)

for i in (1, 2):
    router_host_link(r, h[i], i)
h[2].ip(f"addr add {TARGET}/32 dev lo")
r.run("sysctl -qw net.ipv4.ip_forward=1")

routerd = Routerd(ROUTERD, r, PIN, ["--log-level", "info",
                                    "--resync-delay", "1",
                                    "--control-socket", SOCK,
                                    "--control-group", "nogroup",
                                    "--metrics-listen", METRICS,
                                    "--metrics-max-connections",
                                    str(METRICS_CONNS)]).start()
frr = Frr(r, config="ip route 192.168.50.0/24 10.0.2.2").start()


def ctl(args):
    p = subprocess.run(r.nsenter() + [CTL, "-s", SOCK, "-j"] + args.split(),
                       capture_output=True, text=True)
    return json.loads(p.stdout) if p.returncode == 0 else {}


def fpm_counters():
    return ctl("stats").get("daemon", {}).get("fpm", {})


def stream(count, pps):
    """h1 -> TARGET, counted at h2: (sent, received, XDP-forwarded)."""
    f0 = ctl("stats")["reasons"]["forwarded"]["packets"]
    got = udpstream.between(h[2], h[1], TARGET, count, pps, idle=1.5,
                            script=f"{TMP}/udpstream.py")
    return count, got, ctl("stats")["reasons"]["forwarded"]["packets"] - f0


def peer(user, seconds, once=False):
    cmd = r.nsenter() + (["runuser", "-u", user, "--"] if user else []) + \
        ["/usr/bin/python3", PEER, "127.0.0.1", "2620", TARGET, str(seconds)]
    return subprocess.Popen(cmd + (["--once"] if once else []),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)


try:
    wait_for(lambda: os.path.exists(SOCK) or not routerd.running(), 20,
             what="the control socket")
    wait_for(lambda: "192.168.50.0/24" in ctl("routes"), 20,
             what="zebra's route in the maps")
    wait_for(lambda: ctl("status")["fpm"]["state"] == "established", 10,
             what="resync done")
    h[1].run(f"ping -c2 -i0.2 -W2 {TARGET}", check=False)  # neighbours
    before = fpm_counters()

    # -- nobody: refused, reconnecting every second during a stream ------
    atk = peer("nobody", 5)
    sent, got, fwd = stream(2000, 500)
    out = atk.communicate(timeout=20)[0].split()
    made, closed = (int(out[0]), int(out[1])) if len(out) == 2 else (0, 0)
    after = fpm_counters()
    st = ctl("status")
    res.check(made >= 4 and closed == made,
              "nobody's connections are closed unread", f"{made} {closed}")
    res.check(got == sent, "the stream to the blackholed /32 all arrives",
              f"{got}/{sent}")
    res.check(fwd >= sent, "and XDP forwarded it", f"{fwd} forwarded")
    res.check(f"{TARGET}/32" not in ctl("routes"),
              "nobody's blackhole is not in the maps")
    res.check(after.get("peers_refused", 0) - before.get("peers_refused", 0)
              == made, "each refusal counted (counters)",
              f"{after.get('peers_refused')} vs {made}")
    res.check(st["fpm"].get("peersRefused") == after.get("peers_refused"),
              "status shows the refusals", str(st["fpm"]))
    res.check(after["connections"] == before["connections"] and
              after["conn_replaced"] == before["conn_replaced"] and
              after["conn_closed"] == before["conn_closed"] and
              st["fpm"]["state"] == "established",
              "zebra's session never replaced nor closed",
              f"{before} -> {after}")
    m = subprocess.run(r.nsenter() + [
        "curl", "-s", f"http://{METRICS}/metrics"], capture_output=True,
        text=True).stdout
    res.check(f"xdp_router_fpm_peers_refused_total {after['peers_refused']}"
              in m, "metrics show the refusals")
    log = routerd.log()
    res.check(log.count("uid 65534") == 1,
              "refusal logged once, with the uid",
              str([l for l in log.splitlines() if "refused" in l]))
    fpm_show = frr.vtysh("show fpm counters json")
    res.check('"connection-closes":0' in fpm_show.replace(" ", ""),
              "zebra: its FPM connection never closed", fpm_show)

    # -- the control socket: root, and nogroup reading; nobody else ------
    sock_st = os.stat(SOCK)
    res.check(sock_st.st_mode & 0o777 == 0o660 and sock_st.st_uid == 0 and
              sock_st.st_gid == 65534, "control socket root:nogroup 0660",
              oct(sock_st.st_mode))
    out = as_user("daemon", GARBAGE, "unix", SOCK, "status\\n")
    res.check(out == "EACCES", "another user cannot open the socket", out)
    out = as_user("nobody", GARBAGE, "unix", SOCK, "status\\n")
    res.check('"fpm"' in out, "the group reads status", out[:200])
    for line, want in (("x" * 600, "too long"),
                       ("status\\x00x\\n", "malformed"),
                       ("\\n", "malformed"), ("clear\\n", "unknown"),
                       ("\\x1b[2Jstatus\\n", "malformed")):
        out = as_user("nobody", GARBAGE, "unix", SOCK, line)
        res.check(want in out, f"control request {line[:12]!r}: {want}",
                  out[:200])
    res.check(routerd.running() and '"fpm"' in as_user(
        None, GARBAGE, "unix", SOCK, "status\\n"),
        "the daemon goes on after bad requests")

    # -- the pins: nobody can neither read nor write them -----------------
    pin_st = os.stat(PIN)
    res.check(pin_st.st_mode & 0o777 == 0o700 and pin_st.st_uid == 0,
              "pin dir root 0700", oct(pin_st.st_mode))
    out = as_user("nobody", "-c", f"""
import os
for op in (lambda: os.listdir('{PIN}'),
           lambda: os.open('{PIN}/route_v4', os.O_RDWR)):
    try:
        op(); print('open')
    except PermissionError:
        print('EACCES')""")
    res.check(out.split() == ["EACCES", "EACCES"],
              "nobody cannot list or open the pins", out)
    p = subprocess.run(r.nsenter() + ["runuser", "-u", "nobody", "--", CTL,
                                      "--pin", PIN, "routes"],
                       capture_output=True, text=True)
    res.check(p.returncode != 0, "nobody: xdp-routerctl on the pins fails",
              p.stdout[:200] + p.stderr[:200])

    # -- metrics: loopback only, and 10 000 garbage requests --------------
    far = h[1].run("curl -s -m 2 -o /dev/null -w %{http_code} "
                   "http://10.0.1.1:9642/metrics", check=False).strip()
    res.check(far in ("000", ""), "metrics not reachable from h1", far)
    answered = as_user("nobody", GARBAGE, "http", "127.0.0.1", "9642",
                       "10000")
    m = subprocess.run(r.nsenter() + ["curl", "-s", "-m", "5",
                                      f"http://{METRICS}/metrics"],
                       capture_output=True, text=True).stdout
    res.check(answered.isdigit() and routerd.running() and
              "xdp_router_up 1" in m,
              "metrics answer after 10 000 garbage requests",
              f"{answered} answered")
    print(f"metrics: {answered[-600:]} of 10000 garbage requests answered",
          flush=True)

    # -- metrics: at most METRICS_CONNS connections; more closed at once --
    def metric(name):
        m = subprocess.run(r.nsenter() + ["curl", "-s", "-m", "5",
                                          f"http://{METRICS}/metrics"],
                           capture_output=True, text=True).stdout
        for line in m.splitlines():
            if line.startswith(f"xdp_router_{name} "):
                return int(line.split()[1])
        return None
    # the garbage clients are gone: only this scrape is open
    wait_for(lambda: metric("metrics_connections") == 1, 10,
             what="the garbage connections closed")
    extra = 5
    held = json.loads(as_user("nobody", GARBAGE, "hold", "127.0.0.1",
                              "9642", str(METRICS_CONNS), str(extra)))
    res.check(held["extra_closed"] == extra and held["held_closed"] == 0 and
              not held["scrape_while_full"],
              f"{METRICS_CONNS} idle metrics connections held: the "
              f"{extra} more and a scrape are closed at once", str(held))
    refused = metric("metrics_connections_refused_total")
    st = ctl("status").get("daemon", {})
    res.check(refused == extra + 1 and
              st.get("metricsConnectionsRefused") == extra + 1 and
              routerd.log().count("metrics-max-connections") == 1,
              "once they go /metrics answers; the refusals are counted "
              "(metrics, status) and logged once",
              f"metrics {refused}, status "
              f"{st.get('metricsConnectionsRefused')}")

    # -- frr's user is allowed by default; root replaces zebra -----------
    ok = peer(None, 1, once=True)
    ok.stdout.readline()
    wait_for(lambda: f"{TARGET}/32" in ctl("routes"), 10,
             what="root's route in the maps")
    c = fpm_counters()
    res.check(c["conn_replaced"] == after["conn_replaced"] + 1,
              "an allowed second peer replaces zebra as before", str(c))
    ok.stdin.close()
    ok.wait(10)
finally:
    frr.stop()
    routerd.kill()
    shutil.rmtree(TMP, ignore_errors=True)
    cleanup_pins(PIN)
res.check(routerd.p.returncode == 0, "xdp-routerd exits cleanly",
          routerd.log()[-2000:])
res.finish()
