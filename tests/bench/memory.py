# SPDX-License-Identifier: GPL-2.0-only
"""Map memory per route of the structures of both families, from
bpftool's bytes_memlock and the compiled FIBs' own block, node and leaf
counts.

The LPM trie's bytes_memlock counts its leaf nodes only (node + key +
value), not intermediate nodes nor allocator rounding: a lower bound, so
the slab grown while filling it is given too. The compiled FIB's arrays
are preallocated: bytes_memlock is their full size (allocated), while
"used" counts the fixed tbl24 plus the blocks and leaves in use.
"""
# From bpf/xdp_router_abi.h: a tbl8 block is 256 u16 entries, a leaf one
# struct xr_route.
BLOCK_BYTES = 256 * 2
LEAF_BYTES = 8
# ... and a multibit trie node 16 u32 entries; its 2^20-entry root is fixed.
NODE_BYTES = 16 * 4


def report(router):
    mem = router.map_memory()
    v4, v6 = router.loaded[4], router.loaded[6]
    per = lambda b, n: b / max(1, n)
    lpm, d24 = mem["lpm"], mem["dir24"]
    st = router.fib_stats.get("dir24", {"blocks": 0, "leaves": 0})
    d24_alloc = d24["fib4_tbl24"] + d24["fib4_tbl8"] + d24["fib4_leaves"]
    d24_used = (d24["fib4_tbl24"] + st["blocks"] * BLOCK_BYTES +
                (st["leaves"] + 1) * LEAF_BYTES)
    mbt_alloc = d24["fib6_root"] + d24["fib6_nodes"] + d24["fib6_leaves"]
    mbt_used = d24["fib6_root"] + st.get("nodes", 0) * NODE_BYTES
    slab = router.slab
    return {
        "v4_routes": v4, "v6_routes": v6, "bytes_memlock": mem,
        "slab_delta_bytes": slab, "dir24_blocks": st["blocks"],
        "dir24_leaves": st["leaves"], "mbt_nodes": st.get("nodes", 0),
        "per_v4_route": {
            "lpm_memlock": per(lpm["route_v4"], v4),
            "lpm_slab": per(slab.get("lpm-v4", 0), v4),
            "dir24_allocated": per(d24_alloc, v4),
            "dir24_used": per(d24_used, v4),
            "dir24_slab": per(slab.get("dir24-v4", 0), v4),
            "kernel_slab": per(slab.get("kernel-v4", 0), v4),
        },
        "per_v6_route": {
            "memlock": per(lpm["route_v6"], v6),
            "slab": per(slab.get("lpm-v6", 0), v6),
            "mbt_allocated": per(mbt_alloc, v6),
            "mbt_used": per(mbt_used, v6),
            "kernel_slab": per(slab.get("kernel-v6", 0), v6),
        },
    }
