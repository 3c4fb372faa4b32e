#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Forwarding rate, program cost, update rate and map memory of xdp-router,
with its IPv4 table in the LPM trie and in the compiled DIR-24-8 FIB, against
the kernel (linux) and a bpf_fib_lookup() forwarder (fib-helper), in one run.

  forwarding.py [--quick | --smoke] [--build DIR] [--out DIR] [--seed N]

For each table size the four modes alternate run by run (the order
rotates), and every figure is a median with its min and max; ratios are
the median of per-run ratios, each taken within one run. Benchmarks report,
they do not judge: the only failure is a mode that delivered nothing
(the harness or the topology is broken), never a timing.
See docs/performance.md for the machine, placement and results.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from xrtest import ensure_bpffs, sh  # noqa: E402
import measure  # noqa: E402
import memory  # noqa: E402
import program_cost  # noqa: E402
import route_table  # noqa: E402
import router_modes  # noqa: E402
import sample_drain  # noqa: E402
import topology  # noqa: E402
import update_rate  # noqa: E402
from router_modes import MODES, XDP_MODES  # noqa: E402

# (numerator, denominator) of the per-run ratios the report shows.
RATIOS = (("xdp-router-dir24", "linux"), ("xdp-router-dir24", "fib-helper"),
          ("xdp-router-dir24", "xdp-router-lpm"),
          ("xdp-router-lpm", "linux"), ("xdp-router-lpm", "fib-helper"),
          # sampling 1:1000 against off (issue 19)
          ("xdp-router-sample", "xdp-router-dir24"),
          # strict uRPF, and the edge config, against none and Linux's
          # (issue 17)
          ("xdp-router-urpf", "xdp-router-dir24"),
          ("xdp-router-edge", "linux-edge"),
          ("xdp-router-edge", "xdp-router-dir24"),
          ("linux-edge", "linux"),
          # the edge ruleset with conntrack, strict uRPF (issue 18)
          ("xdp-router-stateful", "linux-stateful"),
          ("xdp-router-stateful", "linux"),
          ("xdp-router-stateful", "xdp-router-dir24"),
          ("linux-stateful", "linux"))
# Every mode's rate is also a fraction of this one's (issue 18).
LIMIT = "harness-limit"

PROFILES = {
    # rows: (family, routes); runs per mode; seconds per window
    # update_runs: fresh loads of the largest IPv4 table per structure
    # prime: seconds of each pass that establishes the stateful flows
    "smoke": dict(rows=[(4, 100), (6, 100)], runs=1, warmup=0.2,
                  window=0.5, cost_repeat=1000, cost_dsts=1, cost_rounds=1,
                  cost_best_of=1, update_runs=1, prime=0.5),
    "quick": dict(rows=[(4, 1), (4, 10000), (6, 10000)], runs=3,
                  warmup=0.3, window=1.0, cost_repeat=20000, cost_dsts=4,
                  cost_rounds=3, cost_best_of=3, update_runs=2, prime=2.0),
    "full": dict(rows=[(4, 1), (4, 1000), (4, 10000), (4, 100000),
                       (4, 1000000), (6, 200000)], runs=5, warmup=0.5,
                 window=2.0, cost_repeat=100000, cost_dsts=8, cost_rounds=9,
                 cost_best_of=3, update_runs=3, prime=4.0),
}
DSTS_PER_TABLE = 65536


def stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs),
            "n": len(xs)}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def rows_for(profile):
    """v6 is loaded first (its own trie and FIB), then v4 grows."""
    v6 = [r for r in profile["rows"] if r[0] == 6]
    v4 = [r for r in profile["rows"] if r[0] == 4]
    return v6, v4


def forwarding_row(router, drainer, build, family, routes, p, workdir,
                   seed):
    dfile = os.path.join(workdir, f"dsts-v{family}-{len(routes)}")
    with open(dfile, "wb") as f:
        f.write(route_table.destinations(family, routes, DSTS_PER_TABLE,
                                         seed))
    pps = {m: [] for m in MODES}
    cpu_pps = {m: [] for m in MODES}
    cpu_share = {m: [] for m in MODES}
    offered = {m: [] for m in MODES}
    share = {m: [] for m in XDP_MODES}
    reasons = {m: {} for m in XDP_MODES}
    ring = {"drained": 0, "sampled": 0, "ring_full": 0}
    k = len(MODES)
    raw = open(dfile, "rb").read()
    flows = len({raw[i:i + 16] for i in range(0, len(raw), 16)})
    assured = router.prime_stateful(family, dfile, p["prime"])
    log(f"  v{family} {len(routes)}: {assured} assured conntrack entries "
        f"for the stateful modes' {flows} flows")
    for run in range(p["runs"]):
        order = MODES[run % k:] + MODES[:run % k]
        for mode in order:
            router.set_mode(mode)
            c0 = router.xr_counters(mode) if mode in XDP_MODES else None
            s0 = drainer.stats() if mode == "xdp-router-sample" else None
            w = measure.window(
                router, build, family, dfile, p["warmup"], p["window"],
                router_modes.STATEFUL_SPORT
                if mode in router_modes.STATEFUL_MODES else None)
            if s0 is not None:
                s1 = drainer.stats()
                for k2 in ring:
                    ring[k2] += s1[k2] - s0[k2]
            if c0 is not None:
                c1 = router.xr_counters(mode)
                d = {k: c1[k] - c0.get(k, 0) for k in c1}
                share[mode].append(d.get("forwarded", 0) /
                                   max(1, sum(d.values())))
                for why, v in d.items():
                    if v:
                        reasons[mode][why] = reasons[mode].get(why, 0) + v
            pps[mode].append(w["pps"])
            cpu_pps[mode].append(w["cpu_pps"])
            cpu_share[mode].append(w["router_cpu_share"])
            offered[mode].append(w["offered_pps"])
        log(f"  v{family} {len(routes)} run {run + 1}: " + ", ".join(
            f"{m} {pps[m][-1] / 1e6:.3f}" for m in MODES) + " Mpps")
    router.set_mode("linux")
    ratio = lambda a, b, v=pps: [x / y if y else 0
                                 for x, y in zip(v[a], v[b])]
    return {
        "family": family, "routes": len(routes),
        "pps": {m: stats(pps[m]) for m in MODES},
        "offered_pps": {m: stats(offered[m]) for m in MODES},
        "ratios": {f"{a}/{b}": stats(ratio(a, b)) for a, b in RATIOS},
        "of_limit": {m: stats(ratio(m, LIMIT)) for m in MODES},
        # the same per second of the router's CPU (its NAPI thread)
        "cpu_pps": {m: stats(cpu_pps[m]) for m in MODES},
        "router_cpu_share": {m: stats(cpu_share[m]) for m in MODES},
        "cpu_ratios": {f"{a}/{b}": stats(ratio(a, b, cpu_pps))
                       for a, b in RATIOS},
        "cpu_of_limit": {m: stats(ratio(m, LIMIT, cpu_pps)) for m in MODES},
        # the sampling mode's windows (warm-up and readings included)
        "sample_ring": ring,
        "stateful_assured_entries": assured,
        "stateful_flows": flows,
        "xdp_forwarded_share": {m: min(v) if v else 0
                                for m, v in share.items()},
        # packets by verdict reason over all windows of each XDP mode
        "xdp_reasons": reasons,
        "napi": w["napi"],
    }


def sample(family, routes, n, seed):
    raw = route_table.destinations(family, routes, n, seed + 1)
    return [route_table.addr_str(family, raw[i:i + 16])
            for i in range(0, len(raw), 16)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--build", default=os.path.join(HERE, "../../build"))
    ap.add_argument("--out", help="results dir (default BUILD/bench)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rows", help="the profile's tables replaced, e.g. "
                    "4:1000000 (FAMILY:ROUTES, comma-separated)")
    ap.add_argument("--runs", type=int, help="runs per mode and table")
    a = ap.parse_args()
    name = "smoke" if a.smoke else "quick" if a.quick else "full"
    p = dict(PROFILES[name])
    if a.rows:
        p["rows"] = [tuple(int(x) for x in r.split(":"))
                     for r in a.rows.split(",")]
        name += "-" + "-".join(f"v{f}x{n}" for f, n in p["rows"])
    if a.runs:
        p["runs"] = a.runs
    build = os.path.abspath(a.build)
    out = os.path.abspath(a.out or os.path.join(build, "bench"))
    os.makedirs(out, exist_ok=True)
    for tool in ("tests/tools/xr-dpctl", "tests/tools/xr-nftcheck",
                 "tests/bench/traffic-gen",
                 "tests/bench/fib-load",
                 "tests/bench/fib_helper.bpf.o", "tests/bench/sink_count.bpf.o",
                 "tests/bench/redirect_only.bpf.o"):
        if not os.path.exists(os.path.join(build, tool)):
            sys.exit(f"missing {tool}: cmake --build {build} --target bench")
    ensure_bpffs()
    t_start = time.monotonic()
    tag = os.getpid() % 10000
    pin_root = f"/sys/fs/bpf/xbench{tag}"
    import atexit
    atexit.register(lambda: sh(f"rm -rf {pin_root}", check=False))
    workdir = tempfile.mkdtemp(prefix="xbench-")
    atexit.register(lambda: sh(f"rm -rf {workdir}", check=False))

    v6_rows, v4_rows = rows_for(p)
    v4_max = max([n for _, n in v4_rows] + [1])
    v6_max = max([n for _, n in v6_rows] + [1])
    log(f"profile {name}: generating tables (seed {a.seed})")
    v4_all = route_table.v4_routes(v4_max, a.seed)
    v6_all = route_table.v6_routes(v6_max, a.seed)

    t = topology.Topology(tag)
    router = router_modes.Router(t, build, pin_root, max(v4_max * 2, 1024))
    cost = program_cost.Probe(router, p["cost_repeat"], p["cost_best_of"])
    drainer = sample_drain.Drainer(router, router.pin["sample"])
    results = {"profile": name, "seed": a.seed, "machine": machine(),
               "placement": {"traffic-gen": topology.GEN_CPU,
                             "router NAPI": topology.ROUTER_CPU,
                             "sink NAPI": topology.SINK_CPU},
               "forwarding": [], "cost": [], "load_seconds": {}}

    v6_routes = v6_all[:v6_max] if v6_rows else v6_all[:1]
    t0 = time.monotonic()
    router.add_routes(6, v6_routes, workdir)
    results["load_seconds"]["v6"] = time.monotonic() - t0
    v6_cost_dsts = sample(6, v6_routes, p["cost_dsts"], a.seed)
    for family, n in v4_rows:
        routes = v4_all[:n]
        t0 = time.monotonic()
        router.add_routes(4, routes, workdir)
        results["load_seconds"][f"v4-{n}"] = time.monotonic() - t0
        log(f"v4 table {n} routes (load {time.monotonic() - t0:.1f}s)")
        results["forwarding"].append(
            forwarding_row(router, drainer, build, 4, routes, p, workdir,
                           a.seed))
        c = cost.measure(sample(4, routes, p["cost_dsts"], a.seed),
                         v6_cost_dsts, p["cost_rounds"])
        results["cost"].append({"v4_routes": n, "v6_routes": len(v6_routes),
                                "repeat": p["cost_repeat"],
                                "best_of": p["cost_best_of"],
                                "rounds": p["cost_rounds"], "ns": c})
    for family, n in v6_rows:
        log(f"v6 table {n} routes")
        results["forwarding"].append(
            forwarding_row(router, drainer, build, 6, v6_routes, p,
                           workdir, a.seed))

    results["sample_ring"] = drainer.close()
    results["sample_rate"] = router_modes.SAMPLE_RATE
    results["load_steps"] = router.load_log
    results["memory"] = memory.report(router)
    log(f"update rate: {v4_max} IPv4 routes into fresh maps, "
        f"{p['update_runs']} runs per structure")
    results["update"] = update_rate.measure(
        router, v4_all[:v4_max], p["update_runs"], pin_root, workdir)
    if v6_rows:
        log(f"update rate: {len(v6_routes)} IPv6 routes")
        results["update6"] = update_rate.measure(
            router, v6_routes, p["update_runs"], pin_root, workdir, 6)
    results["seconds"] = time.monotonic() - t_start
    results["machine"]["loadavg_end"] = open("/proc/loadavg").read().split()[:3]

    with open(os.path.join(out, f"results-{name}.json"), "w") as f:
        json.dump(results, f, indent=1)
    import report
    text = report.markdown(results)
    with open(os.path.join(out, f"results-{name}.md"), "w") as f:
        f.write(text)
    print(text)
    report.plot(results, out, os.path.join(HERE, "pps_vs_routes.gp"))

    broken = [(r["family"], r["routes"], m) for r in results["forwarding"]
              for m in MODES if r["pps"][m]["max"] <= 0]
    for fam, n, m in broken:
        print(f"FAIL: {m} delivered nothing (v{fam}, {n} routes)")
    wrong = [(c["v4_routes"], prog, cls) for c in results["cost"]
             for prog, by in c["ns"].items() for cls, v in by.items()
             if isinstance(v, dict) and not v["ok"]]
    for n, prog, cls in wrong:
        print(f"FAIL: {prog} gave an unexpected verdict for {cls} ({n} routes)")
    sys.exit(1 if broken or wrong else 0)


def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"kernel": platform.release(), "cpu": cpu,
            "cpus": os.cpu_count(),
            "mem_gib": round(router_modes.read_meminfo("MemTotal") / 2**30),
            "loadavg_start": open("/proc/loadavg").read().split()[:3]}


if __name__ == "__main__":
    main()
