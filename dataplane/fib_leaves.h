/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The leaves of a compiled FIB: each distinct route value once, in an
 * mmapped array, referenced by id from the table entries. A leaf is written
 * before any entry names it and reused only after a grace period.
 */
#ifndef XR_FIB_LEAVES_H
#define XR_FIB_LEAVES_H

#include <stdint.h>

#include "fib_slots.h"
#include "hashtab.h"
#include "xdp_router_abi.h"

struct fib_leaves {
	struct xr_route *map; /* the mmapped leaves array; id 0 = no route */
	struct fib_slots slots;
	struct hashtab by_value;
	uint32_t count;
};

int fib_leaves_init(struct fib_leaves *l, struct xr_route *map, uint32_t n);
void fib_leaves_fini(struct fib_leaves *l);
/* The id for value v with a reference taken (one per prefix painted with
 * it); -ENOSPC when all ids are taken. */
int fib_leaves_get(struct fib_leaves *l, const struct xr_route *v);
void fib_leaves_put(struct fib_leaves *l, const struct xr_route *v);
/* The id of v (NULL: none) without a reference; 0 if v has no leaf. */
uint32_t fib_leaves_id(const struct fib_leaves *l, const struct xr_route *v);

#endif /* XR_FIB_LEAVES_H */
