/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one userspace reader of each compiled FIB, on the mmapped tables:
 * the writers in fib/ check themselves with it, and xr_route_lookup() maps
 * the pinned tables to answer the tools. It walks the tables as
 * bpf/lookup.h does. The geometry of the IPv6 trie (which bits pick which
 * entry) is here too, so the writer and the reader cannot disagree on it.
 */
#ifndef XR_MAPS_FIB_READ_H
#define XR_MAPS_FIB_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "xdp_router_abi.h"

/* The leaf id for addr (host order); 0 if no route. n_blocks: tbl8's. */
uint32_t xr_dir24_leaf(const struct xr_dir24_chunk *tbl24,
		       const struct xr_dir24_chunk *tbl8, uint32_t n_blocks,
		       uint32_t addr);
/* The leaf id for addr (network order); 0 if no route. */
uint32_t xr_mbt_leaf(const struct xr_mbt_chunk *root,
		     const struct xr_mbt_node *nodes, uint32_t n_nodes,
		     const uint8_t addr[16]);

struct xr_maps;
struct xr_route;

/* The compiled FIB's answer from the pinned maps, mapped read-only for the
 * call: 0, -ENOENT (no route) or the error of mapping them. */
int xr_fib4_read_pinned(const struct xr_maps *m, uint32_t addr,
			struct xr_route *r);
int xr_fib6_read_pinned(const struct xr_maps *m, const uint8_t addr[16],
			struct xr_route *r);

/* An IPv6 address as two host-order halves: bits are taken from the top. */
struct mbt_addr {
	uint64_t hi, lo;
};

static inline struct mbt_addr mbt_addr_of(const uint8_t a[16])
{
	struct mbt_addr x = {0};

	for (int i = 0; i < 8; i++) {
		x.hi = x.hi << 8 | a[i];
		x.lo = x.lo << 8 | a[8 + i];
	}
	return x;
}

static inline uint32_t mbt_root_index(struct mbt_addr a)
{
	return a.hi >> (64 - XR_MBT_ROOT_BITS);
}

/* The 4 bits of a starting at bit. */
static inline uint32_t mbt_nibble(struct mbt_addr a, unsigned int bit)
{
	uint64_t w = bit < 64 ? a.hi << bit : a.lo << (bit - 64);

	return w >> (64 - XR_MBT_STRIDE);
}

/* The first address bit a node of level l (0: below the root) decides. */
static inline unsigned int mbt_level_bit(int level)
{
	return XR_MBT_ROOT_BITS + level * XR_MBT_STRIDE;
}

static inline bool mbt_is_node(uint32_t e)
{
	return e & XR_MBT_NODE;
}

static inline uint32_t mbt_node_of(uint32_t e)
{
	return e & ~XR_MBT_NODE;
}

#endif /* XR_MAPS_FIB_READ_H */
