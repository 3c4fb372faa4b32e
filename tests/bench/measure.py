# SPDX-License-Identifier: GPL-2.0-only
"""One forwarding-rate window: the generator offers as much as its CPU
can make, the sink counts what arrives, pps = delivered / elapsed."""
import subprocess
import time

import topology as topo
from router_modes import nsenter


def _gen(router, family, dst_file, seconds, sport=None, reverse=False):
    """traffic-gen from the generator's side, or with reverse from the
    sink's (the replies of the same flows)."""
    t = router.t
    ns, dev, dmac = ((t.sink, t.s, t.mac[t.o]) if reverse else
                     (t.gen, t.g, t.mac[t.i]))
    return subprocess.Popen(
        f"{nsenter(ns)} taskset -c {topo.GEN_CPU} "
        f"{router.build}/tests/bench/traffic-gen --dev {dev} --dmac {dmac} "
        f"--src {topo.GEN_V4 if family == 4 else topo.GEN_V6} "
        f"--dsts {dst_file} --seconds {seconds}" +
        (f" --sport {sport}" if sport else "") +
        (" --reverse" if reverse else ""),
        shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def send(router, family, dst_file, seconds, sport=None, reverse=False):
    """Traffic for seconds, nothing measured."""
    router.t.pin_napi()
    gen = _gen(router, family, dst_file, seconds, sport, reverse)
    _, err = gen.communicate(timeout=60)
    if gen.returncode != 0:
        raise RuntimeError(f"traffic-gen failed: {err.strip()}")


def window(router, build, family, dst_file, warmup, seconds, sport=None):
    t = router.t
    placed = t.pin_napi()
    gen = _gen(router, family, dst_file, warmup + seconds + 0.3, sport)
    time.sleep(warmup)
    # Each reading is stamped at the middle of the bpftool call.
    a = time.monotonic()
    cpu0 = t.router_cpu_ns()
    c0 = router.sink_packets()
    t0 = (a + time.monotonic()) / 2
    time.sleep(seconds)
    a = time.monotonic()
    cpu1 = t.router_cpu_ns()
    c1 = router.sink_packets()
    t1 = (a + time.monotonic()) / 2
    out, err = gen.communicate(timeout=60)
    if gen.returncode != 0:
        raise RuntimeError(f"traffic-gen failed: {err.strip()}")
    f = out.split()
    offered = int(f[1]) / float(f[3])
    cpu_s = (cpu1 - cpu0) / 1e9
    return {"pps": (c1 - c0) / (t1 - t0), "offered_pps": offered,
            "napi": placed,
            # packets delivered per second of router CPU the window got,
            # and the share of the window it got
            "cpu_pps": (c1 - c0) / cpu_s if cpu_s > 0 else 0,
            "router_cpu_share": cpu_s / (t1 - t0)}
