/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiled IPv6 FIB: a multibit trie (a 20-bit root, then 4-bit nodes)
 * in the mmapped fib6_* maps.
 *
 * As in the IPv4 DIR-24-8 FIB, a route paints its range of entries with its
 * leaf except entries owned by a longer prefix, and a userspace shadow keeps
 * each entry's owner length. A node is filled before the entry that points
 * to it, every store is one aligned 32-bit write, and nodes whose entries
 * all say the same thing fold back into their parent entry. Freed nodes and
 * leaves wait a grace period before reuse.
 */
#ifndef XR_FIB6_MBT_H
#define XR_FIB6_MBT_H

#include <stdint.h>

#include "util/id_slots.h"
#include "xdp_router_abi.h"

struct fib6;

/* Maps entries of an earlier run in: in use until fib6_sweep_orphans(). */
int fib6_open(struct fib6 **out, int root_fd, int nodes_fd, int leaves_fd);
void fib6_close(struct fib6 *f);

/* addr in network order; old: the value the prefix had (NULL if new), whose
 * leaf is released. -ENOSPC when leaves or nodes run out: nothing of the
 * route is written then. */
int fib6_set(struct fib6 *f, const uint8_t addr[16], uint8_t plen,
	     const struct xr_route *v, const struct xr_route *old);
/* The route (value old) is gone: its entries fall back to the covering
 * route (cover NULL and cover_len 0: no route). */
int fib6_del(struct fib6 *f, const uint8_t addr[16], uint8_t plen,
	     const struct xr_route *old, const struct xr_route *cover,
	     uint8_t cover_len);
/* The answer the fast path gives for addr; -ENOENT if none. */
int fib6_lookup(const struct fib6 *f, const uint8_t addr[16],
		struct xr_route *v);
/* Clears what an earlier run left and this one did not paint. */
void fib6_sweep_orphans(struct fib6 *f);
/* blocks are nodes here */
void fib6_get_stats(const struct fib6 *f, struct fib_stats *st);

#endif /* XR_FIB6_MBT_H */
