# SPDX-License-Identifier: GPL-2.0-only
"""Markdown tables and the gnuplot plot of one harness run."""
import os
import subprocess

from router_modes import MODES
from program_cost import CLASSES


def _mpps(s):
    return (f"{s['median'] / 1e6:.3f} "
            f"({s['min'] / 1e6:.3f}–{s['max'] / 1e6:.3f})")


def _ratio(s):
    return f"{s['median']:.2f}× ({s['min']:.2f}–{s['max']:.2f})"


def _size(n):
    return f"{n // 1000000}M" if n >= 1000000 and n % 1000000 == 0 else \
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def markdown(r):
    m = r["machine"]
    out = [f"profile {r['profile']}, seed {r['seed']}, kernel {m['kernel']}, "
           f"{m['cpus']} × {m['cpu']}, load average at start "
           f"{' '.join(m['loadavg_start'])} (end "
           f"{' '.join(m.get('loadavg_end', ['?']))}), {r['seconds']:.0f} s",
           ""]
    runs = r["forwarding"][0]["pps"]["linux"]["n"] if r["forwarding"] else 0
    out += [f"### Forwarded packets per second (Mpps, median of {runs} "
            "alternating runs, min–max)", "",
            "| table | " + " | ".join(MODES) +
            " | xdp-router / linux | xdp-router / fib-helper | "
            "xdp-router forwarded share |",
            "|---|" + "---:|" * (len(MODES) + 3)]
    for row in r["forwarding"]:
        out.append(
            f"| {_size(row['routes'])} IPv{row['family']} | " +
            " | ".join(_mpps(row["pps"][mo]) for mo in MODES) +
            f" | {_ratio(row['ratio_xdp_linux'])} | "
            f"{_ratio(row['ratio_xdp_fib'])} | "
            f"{100 * row['xdp_forwarded_share']:.1f}% |")
    offered = min(row["offered_pps"][mo]["min"] for row in r["forwarding"]
                  for mo in MODES) if r["forwarding"] else 0
    out += ["", f"Lowest offered load in any window: {offered / 1e6:.2f} "
            "Mpps (the generator was never the limit when this is well "
            "above the delivered rate).", ""]
    if r["cost"]:
        rep = r["cost"][0]["repeat"]
        out += [f"### Program cost (ns/packet, BPF_PROG_TEST_RUN repeat "
                f"{rep}, warm cache)", "",
                "Net of the restore-and-tail-call wrapper, whose own cost "
                "(measured in the same run) was " + ", ".join(
                    f"{p} {n['wrapper_ns']} ns" for p, n in
                    r["cost"][0]["ns"].items()) + ". (!) marks a verdict "
                "other than the expected one.", "",
                "| IPv4 table | program | " + " | ".join(CLASSES) + " |",
                "|---|---|" + "---:|" * len(CLASSES)]
        for c in r["cost"]:
            for prog, by in c["ns"].items():
                by = dict(by)
                by.pop("wrapper_ns", None)
                out.append(
                    f"| {_size(c['v4_routes'])} (+{_size(c['v6_routes'])} "
                    f"v6) | {prog} | " + " | ".join(
                        f"{by[k]['ns']:.0f}" + ("" if by[k]["ok"] else " (!)")
                        for k in CLASSES) + " |")
        out.append("")
    mem = r["memory"]
    out += ["### Map memory", "",
            f"route_v4 with {mem['v4_routes']} routes: "
            f"{mem['bytes_memlock']['route_v4']} bytes memlock, "
            f"{mem['per_v4_route_memlock']:.1f} B/route; route_v6 with "
            f"{mem['v6_routes']} routes: "
            f"{mem['per_v6_route_memlock']:.1f} B/route (bpftool).",
            f"Unreclaimable slab grown while filling: our maps "
            f"{mem['per_route_slab']['xdp-router']:.1f} B/route, kernel FIB "
            f"{mem['per_route_slab']['kernel']:.1f} B/route (v4+v6 routes, "
            "/proc/meminfo SUnreclaim, noisy).", ""]
    return "\n".join(out)


def plot(r, out_dir, script):
    """PNG of IPv4 pps vs table size for the three modes; skipped (with a
    note) when gnuplot is missing."""
    rows = [x for x in r["forwarding"] if x["family"] == 4]
    data = os.path.join(out_dir, f"pps-{r['profile']}.dat")
    with open(data, "w") as f:
        f.write("# routes " + " ".join(f"{m}_med {m}_min {m}_max"
                                       for m in MODES) + "\n")
        for row in rows:
            f.write(f"{row['routes']} " + " ".join(
                f"{row['pps'][m]['median'] / 1e6:.4f} "
                f"{row['pps'][m]['min'] / 1e6:.4f} "
                f"{row['pps'][m]['max'] / 1e6:.4f}" for m in MODES) + "\n")
    png = os.path.join(out_dir, f"pps-{r['profile']}.png")
    try:
        subprocess.run(["gnuplot", "-e", f"data='{data}'; out='{png}'",
                        script], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"(no plot: {e})")
        return None
    return png
