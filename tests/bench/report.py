# SPDX-License-Identifier: GPL-2.0-only
"""Markdown tables and the gnuplot plot of one harness run."""
import os
import subprocess

from router_modes import BASE_MODES, MODES, XDP_MODES
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
    short = {m: m.replace("xdp-router-", "") for m in MODES}
    added = [m for m in MODES if m not in BASE_MODES]

    def table(title, cols, head, cell):
        out.extend([f"### {title}", "", "| table | " + " | ".join(
            head(c) for c in cols) + " |", "|---|" + "---:|" * len(cols)])
        for row in r["forwarding"]:
            out.append(f"| {_size(row['routes'])} IPv{row['family']} | " +
                       " | ".join(cell(row, c) for c in cols) + " |")
        out.append("")

    for part, modes in (("", BASE_MODES), (", added modes", added)):
        table(f"Forwarded packets per second{part} (Mpps, median of {runs} "
              "alternating runs, min–max)", modes, str,
              lambda row, m: _mpps(row["pps"][m]))
    keys = list(r["forwarding"][0]["ratios"]) if r["forwarding"] else []
    name = lambda k: "/".join(short[x] for x in k.split("/"))
    parts = (("", keys[:5]), (", added modes", keys[5:10]),
             (", stateful modes", keys[10:]))
    for part, ks in parts:
        table(f"Ratios{part} (median of per-run ratios, min–max)", ks, name,
              lambda row, k: _ratio(row["ratios"][k]))
    table("Fraction of the harness limit (redirect only; median of per-run "
          "ratios, min–max)", MODES, lambda m: short[m],
          lambda row, m: _ratio(row["of_limit"][m]))
    out.extend([
        "Per second of router CPU: packets delivered per second of CPU "
        "time the router's NAPI thread got in the window (schedstat), which "
        "takes out the time the shared host's other jobs took from it. "
        "The share is that CPU time over the window.", ""])
    for part, modes in (("", BASE_MODES), (", added modes", added)):
        table(f"Mpps per router CPU-second{part} (median, min–max; router "
              "CPU share median)", modes, str,
              lambda row, m: _mpps(row["cpu_pps"][m]) +
              f" [{row['router_cpu_share'][m]['median']:.2f}]")
    for part, ks in parts:
        table(f"Ratios per router CPU-second{part}", ks, name,
              lambda row, k: _ratio(row["cpu_ratios"][k]))
    table("Fraction of the harness limit per router CPU-second", MODES,
          lambda m: short[m], lambda row, m: _ratio(row["cpu_of_limit"][m]))
    table("Share of frames the program forwarded (lowest window)",
          list(XDP_MODES), lambda m: short[m],
          lambda row, m: f"{100 * row['xdp_forwarded_share'][m]:.1f}%")
    out += ["Verdicts other than forwarded, over all windows: " + (
        "; ".join(f"{short[m]} ({_size(row['routes'])} IPv{row['family']}) "
                  + ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
                  for row in r["forwarding"]
                  for m, by in row.get("xdp_reasons", {}).items()
                  for by in [{k: v for k, v in by.items()
                              if k != "forwarded"}] if by) or "none") + "."]
    out += ["", "Stateful modes: the stream's flows (one per destination, "
            "source port fixed) established beforehand: " + ", ".join(
                f"{row.get('stateful_assured_entries', 0)} assured entries "
                f"of {row.get('stateful_flows', 0)} flows "
                f"({_size(row['routes'])} IPv{row['family']})"
                for row in r["forwarding"]) + "."]
    ring = r.get("sample_ring", {})
    out += ["", f"Flow sampling 1:{r.get('sample_rate', '?')}: in the "
            "sampling mode's windows " + ", ".join(
                f"{row['sample_ring']['drained']} records drained, "
                f"{row['sample_ring']['ring_full']} ring full "
                f"({_size(row['routes'])} IPv{row['family']})"
                for row in r["forwarding"]) +
            f"; whole run {ring.get('sampled', 0)} sampled, "
            f"{ring.get('drained', 0)} drained, {ring.get('ring_full', 0)} "
            "ring full."]
    offered = min(row["offered_pps"][mo]["min"] for row in r["forwarding"]
                  for mo in MODES) if r["forwarding"] else 0
    out += ["", f"Lowest offered load in any window: {offered / 1e6:.2f} "
            "Mpps (the generator was never the limit when this is well "
            "above the delivered rate).", ""]
    if r["cost"]:
        rep = r["cost"][0]["repeat"]
        rounds = r["cost"][0].get("rounds", 1)
        best = r["cost"][0].get("best_of", 1)
        out += [f"### Program cost (ns/packet, BPF_PROG_TEST_RUN repeat "
                f"{rep}, fastest of {best} runs, warm cache, median of "
                f"{rounds} rounds)", "",
                "Net of the restore-and-tail-call wrapper, whose own cost "
                "(measured in each round) was " + ", ".join(
                    f"{p} {n['wrapper_ns']:.0f} ns" for p, n in
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
    out += update_md(r["update"])
    if "update6" in r:
        out += update_md(r["update6"])
    out += memory_md(r["memory"])
    return "\n".join(out)


def update_md(u):
    rate = lambda s: (f"{s['median'] / 1e6:.3f} "
                      f"({s['min'] / 1e6:.3f}–{s['max'] / 1e6:.3f})")
    fam = u.get("family", 4)
    return [f"### Update rate ({_size(u['routes'])} IPv{fam} routes into "
            f"fresh maps, M routes/s, median of "
            f"{u['add_per_s']['lpm']['n']} runs, min–max; dir24 = "
            f"{'DIR-24-8' if fam == 4 else 'the multibit trie'})", "",
            "| structure | add | delete |", "|---|---:|---:|"] + [
        f"| {k} | {rate(u['add_per_s'][k])} | {rate(u['del_per_s'][k])} |"
        for k in u["add_per_s"]] + [
        f"| kernel (`ip -batch`, parsing included) | "
        f"{u['kernel_ip_batch_per_s'] / 1e6:.3f} | |", ""]


def memory_md(m):
    p, q = m["per_v4_route"], m["per_v6_route"]
    return ["### Map memory", "",
            f"With {_size(m['v4_routes'])} IPv4 and {_size(m['v6_routes'])} "
            "IPv6 routes, bytes per IPv4 route:", "",
            "| structure | bpftool bytes_memlock | in use | slab grown "
            "while filling |", "|---|---:|---:|---:|",
            f"| lpm (route_v4 trie) | {p['lpm_memlock']:.1f} (leaf nodes "
            f"only) | | {p['lpm_slab']:.1f} |",
            f"| dir24 (tbl24 + tbl8 + leaves) | {p['dir24_allocated']:.1f} "
            f"| {p['dir24_used']:.1f} ({m['dir24_blocks']} blocks, "
            f"{m['dir24_leaves']} leaves) | {p['dir24_slab']:.1f} |",
            f"| kernel FIB | | | {p['kernel_slab']:.1f} |", "",
            f"IPv6, bytes per route: lpm (route_v6 trie) {q['memlock']:.1f} "
            f"bytes_memlock, {q['slab']:.1f} slab grown; dir24's multibit "
            f"trie {q['mbt_allocated']:.1f} allocated, {q['mbt_used']:.1f} "
            f"in use ({m['mbt_nodes']} nodes); kernel {q['kernel_slab']:.1f}"
            " slab grown. Slab figures are /proc/meminfo SUnreclaim deltas: "
            "noisy, other jobs allocate too.", ""]


def plot(r, out_dir, script):
    """PNG of IPv4 pps vs table size for the four modes; skipped (with a
    note) when gnuplot is missing."""
    rows = [x for x in r["forwarding"] if x["family"] == 4]
    data = os.path.join(out_dir, f"pps-{r['profile']}.dat")
    with open(data, "w") as f:
        f.write("# routes " + " ".join(f"{m}_med {m}_min {m}_max"
                                       for m in BASE_MODES) + "\n")
        for row in rows:
            f.write(f"{row['routes']} " + " ".join(
                f"{row['pps'][m]['median'] / 1e6:.4f} "
                f"{row['pps'][m]['min'] / 1e6:.4f} "
                f"{row['pps'][m]['max'] / 1e6:.4f}" for m in BASE_MODES) +
                "\n")
    png = os.path.join(out_dir, f"pps-{r['profile']}.png")
    try:
        subprocess.run(["gnuplot", "-e", f"data='{data}'; out='{png}'",
                        script], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"(no plot: {e})")
        return None
    return png
