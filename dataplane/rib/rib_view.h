/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Read-only views of the RIB mirror for the reporting parts of the daemon
 * (control socket, metrics, offload feedback): one route by key, the
 * longest offloaded match of an address, zebra's nexthop objects, and the
 * adjacencies and groups deduplicated from inline paths. Nothing here
 * changes the RIB.
 */
#ifndef XR_RIB_VIEW_H
#define XR_RIB_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "rib/rib.h"

/* The route with exactly this key: 0, or -ENOENT. */
int rib_route_get(const struct rib *rib, uint8_t family, uint32_t vrf,
		  const uint8_t *addr, uint8_t plen,
		  struct rib_route_view *out);

/* The most specific route in the maps that covers addr: 0, or -ENOENT. */
int rib_route_match(const struct rib *rib, uint32_t vrf,
		    const struct xr_addr *addr, struct rib_route_view *out);

/* A VRF other than 0 (a kernel table other than main, kernel/route_table.h):
 * how many routes of family zebra sent for it, and a generation that
 * changes with each change of one of them. false when the RIB does not
 * count it (more VRFs than it counts have routes): nothing of it is then
 * proven. */
bool rib_vrf_state(const struct rib *rib, uint32_t vrf, uint8_t family,
		   uint64_t *routes, uint64_t *gen);

/* Whether zebra's nexthop zid is the gateway gw (family's, or none when
 * gw is NULL) on ifindex. */
bool rib_zebra_nh_is(const struct rib *rib, uint32_t zid, uint8_t family,
		     const uint8_t *gw, uint32_t ifindex);

/* A nexthop object of zebra's. */
struct rib_zebra_nh_view {
	uint32_t zebra_id;
	const char *kind; /* gateway, device, blackhole, group, missing */
	uint32_t map_id;  /* nexthops or nh_groups key, 0 if none */
	bool written;	  /* in the map */
	uint32_t ifindex;
	struct xr_addr gw;	    /* family 0 if none */
	uint16_t n_members;	    /* groups: zebra ids of the members */
	const uint32_t *member_ids; /* n_members, caller must not keep */
	const uint16_t *member_weights;
};
void rib_foreach_zebra_nexthop(const struct rib *rib,
			       void (*fn)(const struct rib_zebra_nh_view *v,
					  void *arg),
			       void *arg);

/* An adjacency: a gateway named inline by routes, shared between them. */
struct rib_adj_view {
	uint32_t map_id;
	uint32_t ifindex;
	struct xr_addr gw;
	int refcnt;
	bool written;
};
void rib_foreach_adjacency(const struct rib *rib,
			   void (*fn)(const struct rib_adj_view *v, void *arg),
			   void *arg);

/* A group built from a route's inline paths. */
struct rib_group_view {
	uint32_t map_id;
	int refcnt;
	unsigned int n_members;
	uint32_t member_map_id[XR_MAX_ECMP];
	uint32_t weight[XR_MAX_ECMP];
};
void rib_foreach_inline_group(const struct rib *rib,
			      void (*fn)(const struct rib_group_view *v,
					 void *arg),
			      void *arg);

#endif /* XR_RIB_VIEW_H */
