/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RIB mirror and its compiler into the fast path's maps.
 *
 * Routes come from zebra (FPM events) and from the kernel's addresses
 * (connected subnets, the router's own addresses as local). Nexthops are
 * zebra's nexthop objects, or inline paths deduplicated into shared
 * adjacencies and groups. Every change is written in an order that never
 * exposes a route to a half-written nexthop or group: referenced entries
 * first, then the route, then what is no longer referenced is released.
 *
 * The maps may lack an entry, never hold a wrong one: a route that cannot
 * be written (unknown nexthop id, unsupported shape, map full) is left out,
 * counted, and so is any less specific route that would otherwise catch its
 * packets.
 */
#ifndef XR_RIB_H
#define XR_RIB_H

#include <stdbool.h>
#include <stdint.h>

#include "util/id_slots.h"
#include "fpm_events.h"
#include "maps/maps.h"

/* Daemon counters, one list for the CLI and the metrics. */
#define XR_RIB_COUNTERS(X)                                                    \
	X(routes_added, "FPM route adds and replaces")                        \
	X(routes_deleted, "FPM route deletes")                                \
	X(nexthops_added, "FPM nexthop adds and replaces")                    \
	X(nexthops_deleted, "FPM nexthop deletes")                            \
	X(routes_not_offloaded, "routes left to the kernel")                  \
	X(route_map_errors, "route map writes that failed")                   \
	X(nexthop_map_errors, "nexthop or group map writes that failed")      \
	X(routes_shadowed, "routes withdrawn to uncover a failed route")      \
	X(routes_swept, "stale routes removed after a resync")                \
	X(nexthops_swept, "stale nexthops removed after a resync")            \
	X(orphans_removed, "map entries of an earlier run removed")           \
	X(neigh_updates, "neighbour changes written")                         \
	X(routes_refused, "new routes refused: rib-max-routes reached")       \
	X(nexthops_refused, "new nexthops refused: rib-max-nexthops reached") \
	X(groups_too_wide,                                                    \
	  "groups of more than XR_MAX_ECMP members: routes by the kernel")

struct rib_counters {
#define XR_RIB_CNT_FIELD(name, help) uint64_t name;
	XR_RIB_COUNTERS(XR_RIB_CNT_FIELD)
#undef XR_RIB_CNT_FIELD
};

/* Why a route is not in the maps. */
#define XR_NOT_OFFLOADED(X)                           \
	X(NONE, "offloaded")                          \
	X(NEXTHOP_UNKNOWN, "nexthop id unknown")      \
	X(UNSUPPORTED, "nexthop shape not supported") \
	X(MAP_ERROR, "map full or map error")         \
	X(SHADOWED, "covers a route that is not offloaded")

enum rib_not_offloaded {
#define XR_NOFF_ENUM(name, str) XR_NOFF_##name,
	XR_NOT_OFFLOADED(XR_NOFF_ENUM)
#undef XR_NOFF_ENUM
};
const char *rib_not_offloaded_name(unsigned int why);

struct rib;

/* What the RIB needs to know of the kernel, answered by kernel_state. */
struct rib_kernel_ops {
	/* The MAC of a neighbour if it is usable (reachable, stale...). */
	bool (*neigh_mac)(void *arg, uint32_t ifindex, uint8_t family,
			  const uint8_t *addr, uint8_t mac[6]);
	/* A gateway is used (track) or no longer (!track): the kernel keeps
	 * used ones resolved, since forwarded packets never refresh them. */
	void (*neigh_track)(void *arg, uint32_t ifindex, uint8_t family,
			    const uint8_t *addr, bool track);
	void *arg;
};

/* Where the RIB writes routes, nexthops, groups and neighbours: the pinned
 * maps, or a fake in the unit tests. Each returns 0 or a negative errno.
 * (The compiled FIBs are written through their own mmapped tables.) */
struct rib_map_ops {
	int (*route_set)(void *arg, uint32_t vrf, const struct xr_prefix *p,
			 const struct xr_route *r);
	int (*route_del)(void *arg, uint32_t vrf, const struct xr_prefix *p);
	int (*nexthop_set)(void *arg, uint32_t id, const struct xr_nexthop *nh);
	int (*nexthop_del)(void *arg, uint32_t id);
	int (*group_set)(void *arg, uint32_t id, const struct xr_nh_group *g);
	int (*group_del)(void *arg, uint32_t id);
	int (*neigh_set)(void *arg, uint32_t ifindex, const struct xr_addr *a,
			 const uint8_t mac[6]);
	int (*neigh_del)(void *arg, uint32_t ifindex, const struct xr_addr *a);
	void *arg;
};

/* The writer of maps' pinned maps (rib_new's). */
struct rib_map_ops rib_pinned_map_ops(const struct xr_maps *maps);

/* maps: the fds of the compiled FIBs and of the orphan sweep (all -1 and
 * XR_FIB_LPM with a fake writer: no map is touched then). */
struct rib *rib_new(const struct xr_maps *maps,
		    const struct rib_kernel_ops *kops);
struct rib *rib_new_ops(const struct xr_maps *maps,
			const struct rib_map_ops *mops,
			const struct rib_kernel_ops *kops);
void rib_free(struct rib *rib);

/*
 * What one peer may make the mirror hold. Past max_routes a new route key
 * is refused (an existing one is still replaced or deleted); past
 * max_nexthops a new nexthop id. A refused route is not in the maps and
 * neither is any route that covers it, until a resync whose replay fits:
 * the kernel, which has it, forwards its packets. 0 means no limit.
 */
#define RIB_MAX_ROUTES_DEFAULT 2000000
#define RIB_MAX_NEXTHOPS_DEFAULT 1000000
void rib_set_limits(struct rib *rib, uint64_t max_routes,
		    uint64_t max_nexthops);
const struct rib_counters *rib_counters(const struct rib *rib);

/* FPM events; PEER_UP starts a resync generation. */
void rib_fpm_event(struct rib *rib, const struct fpm_event *ev);
/* Remove what zebra did not replay since the last PEER_UP. */
void rib_sweep_stale(struct rib *rib);
/* Remove map entries that no part of the RIB owns (an earlier run's). */
void rib_sweep_orphans(struct rib *rib);
/* Retry routes that failed on a map error. */
void rib_retry_failed(struct rib *rib);

/* Kernel-derived routes: an address on an interface in a VRF. */
void rib_kernel_addr(struct rib *rib, bool add, uint32_t ifindex, uint32_t vrf,
		     uint8_t family, const uint8_t *addr, uint8_t prefixlen);
/* A neighbour changed: rewrite the nexthops that resolve through it. */
void rib_kernel_neigh(struct rib *rib, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr);

/* Is ifindex the egress of a nexthop or a connected route? */
bool rib_uses_ifindex(const struct rib *rib, uint32_t ifindex);

struct rib_stats {
	uint64_t routes, routes_offloaded, nexthops, groups;
	uint64_t not_offloaded[XR_NOFF_SHADOWED + 1];
	/* The compiled FIBs (blocks_max 0: not used). */
	struct fib_stats fib4, fib6;
};
void rib_stats(const struct rib *rib, struct rib_stats *st);

/* Table id as zebra sends it -> the VRF id of the maps' keys. */
static inline uint32_t rib_table_vrf(uint32_t table)
{
	return table == 254 /* RT_TABLE_MAIN */ ? 0 : table;
}

/* Visit every route: for the CLI. */
struct rib_route_view {
	struct xr_prefix prefix;
	uint32_t vrf;
	bool from_kernel;
	uint8_t fpm_type;      /* enum fpm_route_type */
	uint32_t nh_id;	       /* zebra's, 0 if inline */
	unsigned int why;      /* enum rib_not_offloaded */
	struct xr_route value; /* as written, when offloaded */
};
void rib_foreach_route(const struct rib *rib,
		       void (*fn)(const struct rib_route_view *v, void *arg),
		       void *arg);

#endif /* XR_RIB_H */
