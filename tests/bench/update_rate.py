# SPDX-License-Identifier: GPL-2.0-only
"""Update rate: the largest IPv4 (or IPv6) table written into fresh maps
of each structure, then deleted again, by fib-load (fib_load.c), which
calls the map code directly and times only the writes. The structures
alternate run by run; dir24 is the compiled FIB of the family (DIR-24-8,
or the IPv6 multibit trie). The kernel's rate comes from the harness's own `ip -batch` loads
(iproute2's parsing included, so it is a lower bound on the kernel)."""
import os
import statistics

from xrtest import sh
import route_table
from router_modes import MBT_NODES, NH_V4, NH_V6, run_fib_load


def _stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs),
            "n": len(xs)}


def measure(router, routes, runs, pin_root, workdir, family=4):
    rfile = os.path.join(workdir, f"update-v{family}.txt")
    with open(rfile, "w") as f:
        f.writelines(route_table.prefix_str(family, n, ln) + "\n"
                     for n, ln in routes)
    kinds = ("lpm", "dir24")
    add = {k: [] for k in kinds}
    dele = {k: [] for k in kinds}
    for run in range(runs):
        for kind in kinds[run % 2:] + kinds[:run % 2]:
            pin = os.path.join(pin_root, f"update-{kind}")
            sh(f"rm -rf {pin}")
            sh(f"{router.dpctl} --pin {pin} --fib {kind} "
               f"--v4-max {max(2 * len(routes), 1024)} "
               f"--fib6-nodes {MBT_NODES} load")
            rep = run_fib_load(router.fib_load, pin, rfile,
                               NH_V4 if family == 4 else NH_V6, delete=True)
            add[kind].append(rep["add"]["rate"])
            dele[kind].append(rep["del"]["rate"])
            sh(f"rm -rf {pin}")
    os.unlink(rfile)
    kernel = [s for s in router.load_log if s["family"] == family]
    big = max(kernel, key=lambda s: s["to"] - s["from"]) if kernel else None
    return {
        "family": family, "routes": len(routes),
        "add_per_s": {k: _stats(v) for k, v in add.items()},
        "del_per_s": {k: _stats(v) for k, v in dele.items()},
        "kernel_ip_batch_per_s": ((big["to"] - big["from"]) /
                                  big["kernel_s"]) if big else 0,
    }
