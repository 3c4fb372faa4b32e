/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Walks over the pinned maps, in the types of the ABI header. Each walker
 * returns 0 or a negative errno.
 */
#ifndef XR_MAP_WALK_H
#define XR_MAP_WALK_H

#include "fastpath_verdict.h"
#include "maps/maps.h"

int map_count(int fd, uint64_t *n);

/* family 0: both */
int walk_routes(const struct xr_maps *m, uint8_t family,
		void (*fn)(uint32_t vrf, const struct xr_prefix *p,
			   const struct xr_route *r, void *arg),
		void *arg);
/* Maps keyed by a __u32: nexthops, nh_groups, ifaces, if_counters keys. */
int walk_u32_map(int fd, void *value,
		 void (*fn)(uint32_t key, const void *value, void *arg),
		 void *arg);
int walk_neighbours(const struct xr_maps *m,
		    void (*fn)(const struct xr_neigh_key *k,
			       const struct xr_neigh *n, void *arg),
		    void *arg);

/* The most specific route key covering a (an O(n) walk of the trie). */
int route_match_prefix(const struct xr_maps *m, uint32_t vrf,
		       const struct xr_addr *a, struct xr_prefix *out);

/* fastpath_lookup() reading the pinned maps. */
void fp_ops_from_maps(struct fp_ops *ops, const struct xr_maps *m);

#endif /* XR_MAP_WALK_H */
