# SPDX-License-Identifier: GPL-2.0-only
"""One forwarding-rate window: the generator offers as much as its CPU
can make, the sink counts what arrives, pps = delivered / elapsed."""
import subprocess
import time

import topology as topo
from router_modes import nsenter


def window(router, build, family, dst_file, warmup, seconds):
    t = router.t
    placed = t.pin_napi()
    gen = subprocess.Popen(
        f"{nsenter(t.gen)} taskset -c {topo.GEN_CPU} "
        f"{build}/tests/bench/traffic-gen --dev {t.g} --dmac {t.mac[t.i]} "
        f"--src {topo.GEN_V4 if family == 4 else topo.GEN_V6} "
        f"--dsts {dst_file} --seconds {warmup + seconds + 0.3}",
        shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    time.sleep(warmup)
    # Each reading is stamped at the middle of the bpftool call.
    a = time.monotonic()
    c0 = router.sink_packets()
    t0 = (a + time.monotonic()) / 2
    time.sleep(seconds)
    a = time.monotonic()
    c1 = router.sink_packets()
    t1 = (a + time.monotonic()) / 2
    out, err = gen.communicate(timeout=60)
    if gen.returncode != 0:
        raise RuntimeError(f"traffic-gen failed: {err.strip()}")
    f = out.split()
    offered = int(f[1]) / float(f[3])
    return {"pps": (c1 - c0) / (t1 - t0), "offered_pps": offered,
            "napi": placed}
