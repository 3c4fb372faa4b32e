/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The leaves of a compiled FIB: each distinct route value once, in an
 * mmapped array, referenced by id from the table entries. A leaf is written
 * before any entry names it and reused only after a grace period.
 */
#ifndef XR_FIB_LEAVES_H
#define XR_FIB_LEAVES_H

#include <stddef.h>
#include <stdint.h>

#include "util/id_slots.h"
#include "util/hashtab.h"
#include "xdp_router_abi.h"

struct fib_leaves {
	struct xr_route *map; /* the mmapped leaves array; id 0 = no route */
	size_t map_len;
	struct id_slots slots;
	struct hashtab by_value;
	uint32_t count;
};

/* Maps the leaves array (map fd), whose first n ids are used. */
int fib_leaves_open(struct fib_leaves *l, int fd, uint32_t n);
/* Also for a zeroed struct never opened. */
void fib_leaves_close(struct fib_leaves *l);
/* The id for value v with a reference taken (one per prefix painted with
 * it); -ENOSPC when all ids are taken. */
int fib_leaves_get(struct fib_leaves *l, const struct xr_route *v);
void fib_leaves_put(struct fib_leaves *l, const struct xr_route *v);
/* The id of v (NULL: none) without a reference; 0 if v has no leaf. */
uint32_t fib_leaves_id(const struct fib_leaves *l, const struct xr_route *v);

#endif /* XR_FIB_LEAVES_H */
