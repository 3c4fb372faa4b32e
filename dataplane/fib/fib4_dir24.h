/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiled IPv4 FIB (DIR-24-8) in the mmapped fib4_* maps.
 *
 * A route paints its range of entries with its leaf, except entries owned by
 * a longer prefix; a userspace shadow keeps, for every entry, the length of
 * the prefix that owns it. Every store is one aligned 16-bit write, and a
 * block is filled before the entry that points to it: a packet sees the old
 * answer or the new one, never a mixture. Freed blocks and leaves wait a
 * grace period before reuse, since a packet may still be reading them.
 */
#ifndef XR_FIB4_DIR24_H
#define XR_FIB4_DIR24_H

#include <stdint.h>

#include "util/id_slots.h"
#include "xdp_router_abi.h"

struct fib4;

/* Maps entries of an earlier run in: in use until fib4_sweep_orphans(). */
int fib4_open(struct fib4 **out, int tbl24_fd, int tbl8_fd, int leaves_fd);
void fib4_close(struct fib4 *f);

/* addr in host order; old: the value the prefix had (NULL if new), whose
 * leaf is released. -ENOSPC when leaves or blocks run out: nothing of the
 * route is written then. */
int fib4_set(struct fib4 *f, uint32_t addr, uint8_t plen,
	     const struct xr_route *v, const struct xr_route *old);
/* The route (value old) is gone: its entries fall back to the covering
 * route (cover NULL and cover_len 0: no route). */
int fib4_del(struct fib4 *f, uint32_t addr, uint8_t plen,
	     const struct xr_route *old, const struct xr_route *cover,
	     uint8_t cover_len);
/* The answer the fast path gives for addr (host order); 0 if none. */
int fib4_lookup(const struct fib4 *f, uint32_t addr, struct xr_route *v);
/* Clears what an earlier run left and this one did not paint. */
void fib4_sweep_orphans(struct fib4 *f);
void fib4_get_stats(const struct fib4 *f, struct fib_stats *st);

#endif /* XR_FIB4_DIR24_H */
